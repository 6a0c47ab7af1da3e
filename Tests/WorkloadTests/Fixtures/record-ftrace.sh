#!/bin/bash
set -u
T=/sys/kernel/tracing
I=$T/instances/erofs_top_wl
MNT=/tmp/wlft/mnt
LOOP=""
cleanup() {
  [ -d $I ] && { echo 0 > $I/events/filemap/filter 2>/dev/null; echo 0 > $I/events/filemap/enable 2>/dev/null; echo 0 > $I/tracing_on 2>/dev/null; rmdir $I 2>/dev/null || echo "rmdir instance failed"; }
  mountpoint -q $MNT && umount $MNT
  [ -n "$LOOP" ] && losetup -d $LOOP
  echo cleaned
}
trap cleanup EXIT
rm -rf src && mkdir -p src/sub $MNT
head -c 200000 /usr/bin/python3.11 > src/bin.dat
seq 1 20000 > src/sub/numbers.txt
echo hello > src/small.txt
mkfs.erofs img.erofs src >/dev/null || exit 1
LOOP=$(losetup -f --show -r img.erofs) || exit 1
mount -t erofs -o ro $LOOP $MNT || exit 1
stat -c 'dev=%d ino=%i name=%n' $MNT/bin.dat $MNT/sub/numbers.txt $MNT/small.txt
mkdir $I || exit 1
echo 2048 > $I/buffer_size_kb
MAJ=$((0x$(stat -c %t $LOOP))); MIN=$((0x$(stat -c %T $LOOP)))
echo "s_dev == $(( (MAJ<<20) | MIN ))" > $I/events/filemap/filter || echo filter-failed
echo 1 > $I/events/filemap/enable
echo 1 > $I/tracing_on
cat $MNT/sub/numbers.txt > /dev/null
cat $MNT/small.txt > /dev/null
python3 -c "import mmap,sys; f=open('$MNT/bin.dat','rb'); m=mmap.mmap(f.fileno(),0,prot=mmap.PROT_READ); s=sum(m[i] for i in range(0,len(m),4096*7))" 
umount $MNT
echo 0 > $I/tracing_on
cat $I/trace > raw.txt
echo lines $(wc -l < raw.txt)
