#!/bin/bash
# Installs the package on this machine (root, no other setkey package installed), checks
# what it installed, purges it and checks nothing is left:
#   tests/packaging/deb-install-check.sh setkey_VERSION_ARCH.deb
# Checks: `setkey -V` gives the package's version; `man -w setkey` finds the page;
# `systemd-analyze verify` accepts every unit; installing enabled and started nothing
# (no unit symlinks or enable state, no start in a maintainer script); after purge, no
# file of the package and no systemd state remains.
set -uo pipefail
deb=$(realpath -e -- "${1:?usage: deb-install-check.sh PACKAGE.deb}") ||
  { echo "deb-install-check: no such package file: '$1'" >&2; exit 2; }
((EUID == 0)) || { echo "deb-install-check: needs root (it installs the package)" >&2; exit 2; }
# shellcheck source=tests/lib/check.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
if dpkg-query -W -f='${Status}' setkey 2>/dev/null | grep -q 'ok installed'; then
  echo "deb-install-check: setkey is already installed; purge it first" >&2; exit 2
fi
version=$(dpkg-deb -f "$deb" Version)
mapfile -t files < <(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }')
units=() # the package's systemd units, from its file list
for f in "${files[@]}"; do [[ $f == */systemd/system/* ]] && units+=("$f"); done
# Unit symlinks and deb-systemd-helper's records, before and after. Its *.dsh-also
# files only list what enabling would create, so they may appear on install (not after
# purge); its enable markers and the symlinks may not.
state() { find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
  -name 'setkey*' 2>/dev/null | sort; }
enabled() { state | grep -v '\.dsh-also$'; }
before=$(state)

log=$(DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" 2>&1) ||
  { echo "FAIL apt-get install $deb"; echo "$log"; exit 1; }

got=$(/usr/sbin/setkey -V | head -1)
[[ $got == "setkey $version "* ]] && ok "setkey -V: $got" || ko "setkey -V: '$got', want version $version"
page=$(man -w setkey 2>&1)
[[ $page == /usr/share/man/man8/setkey.8* ]] && ok "man -w setkey: $page" || ko "man -w setkey: $page"
((${#units[@]})) || ko "no systemd unit in the package"
if out=$(systemd-analyze verify "${units[@]}" 2>&1); then
  ok "systemd-analyze verify ${units[*]##*/}"
else
  ko "systemd-analyze verify:"; echo "$out" | sed 's/^/  /'
fi
[[ $(enabled) == "$(grep -v '\.dsh-also$' <<<"$before")" ]] && ok "install enabled no unit" ||
  ko "install enabled units: $(enabled)"
# Nothing started: no maintainer script starts a unit or runs setkey (dh_installsystemd
# without --no-start would add `deb-systemd-invoke start`).
ctrl=$(mktemp -d); dpkg-deb -e "$deb" "$ctrl"
starts=$(grep -HnE 'deb-systemd-invoke|systemctl|invoke-rc.d|sbin/setkey' "$ctrl"/{pre,post}{inst,rm} 2>/dev/null |
  grep -vE 'deb-systemd-invoke (stop|disable)|systemctl --system daemon-reload')
rm -rf "$ctrl"
[[ -z $starts ]] && ok "no maintainer script starts a unit or runs setkey" || ko "maintainer scripts start: $starts"

dpkg --purge setkey >/dev/null || ko "dpkg --purge setkey"
left=()
for f in "${files[@]}"; do [[ -e $f || -L $f ]] && left+=("$f"); done
((${#left[@]} == 0)) && ok "purge removed every file" || ko "left after purge: ${left[*]}"
status=$(dpkg-query -W -f='${Status}' setkey 2>/dev/null)
[[ -z $status || $status == *" not-installed" ]] && ok "dpkg: setkey not installed, no conffiles kept" ||
  ko "dpkg still has setkey: $status"
[[ $(state) == "$before" ]] && ok "no systemd state left" || ko "systemd state left: $(state)"
summary
