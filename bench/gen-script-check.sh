#!/bin/bash
# bench/gen-script.py must keep writing the workload every recorded figure was measured
# with: the digests below are those of the original generator's output for the same N
# (checked when gen-script.py was written, by diffing N = 0, 1, 3, 250, 251, 62500,
# 62751, 100000). A change to the workload changes them: re-measure, then update.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail=0
while read -r n want; do
  got=$(python3 "$here/gen-script.py" "$n" | sha256sum | cut -d' ' -f1)
  if [[ $got == "$want" ]]; then echo "PASS gen-script.py $n"; else echo "FAIL gen-script.py $n: sha256 $got"; fail=1; fi
done <<'DIGESTS'
10000 1fa4492a3524bcc689bca0585d8ae51faeab200c9fe2db1f048954d8e8272ebb
100000 978b55fbb479245b38f8897dbd757d5ef7655931760bbd5bc7c517b1995748e6
DIGESTS
exit $fail
