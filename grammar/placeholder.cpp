// placeholder so the layer library exists until its sources land
