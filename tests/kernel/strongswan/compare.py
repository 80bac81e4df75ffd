import sys
print("compare: not yet")
