#!/bin/sh
# Records `chroot MNT /usr/bin/python3.11 -V` on chroot.erofs (make-chroot.sh) at read_ahead_kb
# 128 and 2560 (root): the kernel maps the program and its PT_INTERP from the image, with
# no mmap line for either. Writes chroot-RA.strace.gz and appends to figures-chroot.tsv.
# Usage: record-chroot.sh EROFS_TOP DIR [OUT]
set -eu
top=${1:?}; data=${2:?}; out=${3:-$(dirname "$0")}
mnt=/tmp/wt12-mnt-chroot
mkdir -p $mnt
for ra in 128 2560; do
    loop=$(losetup --find --show --read-only "$data/chroot.erofs"); mount -t erofs -o ro "$loop" $mnt
    echo $ra > /sys/class/bdi/$(mountpoint -d $mnt)/read_ahead_kb
    tmp=$(mktemp -d /tmp/wt12-rec.XXXXXX)
    "$top" record --out "$tmp/k.jsonl" --mounted $mnt "$data/chroot.erofs" -- strace -f -ttt -y -o "$tmp/s.log" chroot $mnt /usr/bin/python3.11 -V >/dev/null
    umount $mnt; losetup -d "$loop"
    gzip -9nc "$tmp/s.log" > "$out/chroot-$ra.strace.gz"
    python3 "$(dirname "$0")/kernel-figures.py" "$tmp/k.jsonl" chroot plain $ra >> "$out/figures-chroot.tsv"
    rm -rf "$tmp"
done
rmdir $mnt
