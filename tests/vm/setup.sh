#!/bin/bash
# Prepare the qemu lab: Debian's own kernel (it has af_key, ESP/AH, xfrm_user as modules,
# unlike our hosts), a PVH vmlinux and a base initramfs. Idempotent: only missing or stale
# pieces are rebuilt. KABI=6.1.0-56 pins the kernel ABI; otherwise the current one is used.
# Prints the cache directory of the kernel used on stdout.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

vm_install "${VM_PACKAGES[@]}"
mkdir -p "$VM_CACHE"
exec 9>"$VM_CACHE/.lock"
flock 9   # concurrent runs (selftest + corpus) must not build the same files twice

# linux-image-amd64 is a metapackage; security updates bump the ABI it points to (P9).
resolve_pkg() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}
if [[ -n ${KABI:-} ]]; then
  pkg=linux-image-$KABI-amd64
else
  pkg=$(resolve_pkg)
  [[ -n $pkg ]] || { apt-get update -qq; pkg=$(resolve_pkg); }
  [[ -n $pkg ]] || { echo "setup: cannot resolve linux-image-amd64" >&2; exit 1; }
fi
kver=${pkg#linux-image-}
kdir=$VM_CACHE/$kver
mkdir -p "$kdir"

# 1. Download and unpack the kernel package (not installed: dpkg-deb -x only).
if [[ ! -f $kdir/root/.done ]]; then
  rm -rf "$kdir/dl" "$kdir/root"
  mkdir -p "$kdir/dl"
  (cd "$kdir/dl" && { apt-get download -qq "$pkg" 2>/dev/null ||
                      { apt-get update -qq && apt-get download -qq "$pkg"; }; })
  deb=$(echo "$kdir"/dl/*.deb)
  dpkg-deb -x "$deb" "$kdir/root"
  depmod -b "$kdir/root" "$kver"     # the .deb ships no modules.dep (P2)
  dpkg-deb -f "$deb" Version >"$kdir/version"
  rm -rf "$kdir/dl"
  touch "$kdir/root/.done"
fi

# 2. Boot the uncompressed ELF through its PVH note: no SeaBIOS real mode, no in-guest XZ.
if [[ ! -s $kdir/vmlinux ]]; then
  img=$kdir/root/boot/vmlinuz-$kver
  off=$(LC_ALL=C grep -m1 -abo $'\xfd7zXZ\x00' "$img" | head -1 | cut -d: -f1)
  # xz complains about the trailing data after the stream; the ELF is complete anyway.
  tail -c +$((off + 1)) "$img" | xz -dc >"$kdir/vmlinux.tmp" 2>/dev/null || true
  file -b "$kdir/vmlinux.tmp" | grep -q '^ELF 64-bit' ||
    { echo "setup: no ELF vmlinux in $img" >&2; exit 1; }
  mv "$kdir/vmlinux.tmp" "$kdir/vmlinux"
fi

# 3. Base initramfs. Its inputs are these scripts, the guest userland and the kernel.
stamp=$({ cat "$VM_DIR/setup.sh" "$VM_DIR/guest-init.sh" "$VM_DIR/common.sh"
          dpkg-query -W busybox-static dash bash iproute2 libc6; echo "$kver"; } | sha256sum)
if [[ -s $kdir/base.cpio.gz && "$(cat "$kdir/base.stamp" 2>/dev/null)" == "$stamp" ]]; then
  echo "$kver" >"$VM_CACHE/current"
  echo "$kdir"
  exit 0
fi
echo "setup: building base initramfs for $kver" >&2
st=$kdir/stage
rm -rf "$st"
mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,lib64,lib/x86_64-linux-gnu,etc/iproute2,proc,sys,dev,run,tmp,root,payload}

# Copy an ELF with the libraries ldd names, at the same absolute paths.
copy_elf() {
  local src=$1 dst=$2 lib
  install -D -m 0755 "$src" "$st$dst"
  for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
    [[ -e $st$lib ]] || install -D -m 0755 "$(readlink -f "$lib")" "$st$lib"
  done
}
file -b /bin/busybox | grep -q 'statically linked' ||
  { echo "setup: /bin/busybox is not static (busybox-static missing?)" >&2; exit 1; }
cp /bin/busybox "$st/bin/busybox"
copy_elf /bin/dash /bin/sh    # busybox ash would prefer its own applets, e.g. its ip (P4)
copy_elf /bin/bash /bin/bash
copy_elf "$(command -v ip)" /usr/sbin/ip
# Applet links made now rather than by `busybox --install` on every boot; never overwrite.
for a in $(/bin/busybox --list-full); do
  [[ -e $st/$a || -L $st/$a ]] || { mkdir -p "$st/$(dirname "$a")"; ln -s /bin/busybox "$st/$a"; }
done

# Kernel modules: the IPsec/XFRM stack, crypto, plain IPv4/IPv6 protocols, dummy and veth,
# plus their dependency closure from modules.dep.
mods=$kdir/root/lib/modules/$kver
smods=$st/lib/modules/$kver
wanted=$( (cd "$mods" &&
  find kernel/net/key kernel/net/xfrm kernel/crypto kernel/lib/crypto kernel/arch/x86/crypto \
       -name '*.ko' 2>/dev/null
  find kernel/net/ipv4 kernel/net/ipv6 -maxdepth 1 -name '*.ko'
  ls kernel/drivers/net/dummy.ko kernel/drivers/net/veth.ko) )
closure=$(awk -F'[: ]+' 'NR == FNR { want[$1] = 1; next }
                         ($1 in want) { for (i = 1; i <= NF; i++) if ($i != "") print $i }' \
          <(echo "$wanted") "$mods/modules.dep" | sort -u)
for m in $closure; do install -D -m 0644 "$mods/$m" "$smods/$m"; done
cp "$mods"/modules.{order,builtin,builtin.modinfo} "$smods/"
depmod -b "$st" "$kver"          # describe exactly the staged subset
rm -f "$smods"/*.bin             # busybox modprobe reads the text files

# Preload order: dependencies first. Preloading makes SADB_REGISTER's algorithm list
# deterministic (it only lists algorithms whose drivers are present).
preload="xfrm_algo xfrm_user af_key tunnel4 tunnel6 xfrm4_tunnel xfrm6_tunnel xfrm_ipcomp
esp4 esp6 ah4 ah6 ipcomp ipcomp6 xfrm_interface
authenc echainiv seqiv gcm ccm chacha20poly1305 libchacha chacha_generic libpoly1305
poly1305_generic gf128mul ghash_generic ctr cts libdes des_generic blowfish_common
blowfish_generic cast_common cast5_generic cast6_generic camellia_generic twofish_common
twofish_generic serpent_generic sha512_generic sha3_generic rmd160 xcbc cmac crypto_user"
awk -v list="$preload" -F'[: ]+' '
  function name(p) { sub(/.*\//, "", p); sub(/\.ko$/, "", p); gsub(/-/, "_", p); return p }
  function visit(n,   i, d) {
    if (done[n]++) return
    if (!(n in path)) { print "setup: module " n " not in image" > "/dev/stderr"; exit 1 }
    split(deps[n], d, " ")
    for (i in d) visit(name(d[i]))
    print path[n]
  }
  { n = name($1); path[n] = $1; deps[n] = ""
    for (i = 2; i <= NF; i++) deps[n] = deps[n] " " $i }
  END { split(list, l, /[ \n]+/); for (i = 1; i in l; i++) if (l[i] != "") visit(l[i]) }
' "$smods/modules.dep" >"$st/etc/modules.load"

# /etc: root only, name services from files (static lookups work too), host protocol names.
echo 'root:x:0:0:root:/root:/bin/bash' >"$st/etc/passwd"
echo 'root:x:0:' >"$st/etc/group"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$st/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\nservices: files\nprotocols: files\n' \
  >"$st/etc/nsswitch.conf"
cp /etc/services /etc/protocols "$st/etc/"
cp -r /etc/iproute2/. "$st/etc/iproute2/" 2>/dev/null || true
echo "$kver $(cat "$kdir/version")" >"$st/etc/lab-kernel"
install -m 0755 "$VM_DIR/guest-init.sh" "$st/init"

# newc, owned by root, then zero-padded: an appended uncompressed cpio is only found at a
# 4-byte aligned offset (P3); 512 keeps it aligned whatever is appended.
(cd "$st" && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort |
   cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$kdir/base.tmp"
size=$(stat -c %s "$kdir/base.tmp")
head -c $(( (512 - size % 512) % 512 )) /dev/zero >>"$kdir/base.tmp"
mv "$kdir/base.tmp" "$kdir/base.cpio.gz"
rm -rf "$st"
echo "$stamp" >"$kdir/base.stamp"
echo "$kver" >"$VM_CACHE/current"     # what run-in-vm.sh boots unless KABI is set
echo "$kdir"
