#!/bin/sh
# Builds OUT/chroot.erofs (mkfs.erofs 1.5): this machine's /usr/bin/python3.11 with its shared
# libraries and dynamic loader (ldd), as a container image carries them, no stdlib.
# Usage: make-chroot.sh OUT
set -eu
out=${1:?usage: make-chroot.sh OUT}
mkdir -p "$out"
[ -f "$out/chroot.erofs" ] && exit 0
t="$out/chroot-tree"
rm -rf "$t"; mkdir -p "$t/usr/bin"
cp /usr/bin/python3.11 "$t/usr/bin/"
for l in $(ldd /usr/bin/python3.11 | grep -o '/lib[^ ]*'); do mkdir -p "$t$(dirname "$l")"; cp -L "$l" "$t$l"; done
mkfs.erofs -T0 "$out/chroot.erofs" "$t" >/dev/null
