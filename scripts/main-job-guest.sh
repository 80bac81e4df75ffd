#!/bin/sh
# The main job inside the qemu VM (a kernel with ESP/AH/IPComp, XFRM and PF_KEY):
# load the example tunnel, then show the SAD and the SPD.
set -e
echo "### setkey -f racoon-tunnel.conf"
./setkey -f racoon-tunnel.conf
echo "### setkey -D"
./setkey -D
echo "### setkey -DP"
./setkey -DP
