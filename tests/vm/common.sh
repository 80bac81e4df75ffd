# Shared settings for the VM harness scripts (sourced, not run).
# The kernel and images live outside the repo; CI and developers share this default.
VM_CACHE=${SETKEY_VM_CACHE:-/var/cache/setkey-vm}
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Host packages the harness needs (qemu without recommends: no GUI stack, pitfall P10).
VM_PACKAGES=(qemu-system-x86 busybox-static cpio xz-utils kmod file iproute2 dash bash
             gzip coreutils util-linux)

# Install what is missing; silent when everything is already there.
vm_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
