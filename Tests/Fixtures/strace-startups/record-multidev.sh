#!/bin/sh
# Records a raw ftrace capture of two EROFS mounts at once (root): plain.erofs on a loop
# device runs `import numpy`, lz4hc.erofs on another runs `import yaml`, both from cold cache,
# with every device's page-cache additions/deletions in the capture (the host's root
# filesystem too). Writes multidev.ftrace.gz and multidev.devices (container device).
# Usage: record-multidev.sh TREE_DIR [OUT_DIR]
set -eu
data=${1:?usage: record-multidev.sh TREE_DIR [OUT]}
out=${2:-$(dirname "$0")}
t=/sys/kernel/tracing
[ -d $t/instances ] || t=/sys/kernel/debug/tracing
inst=$t/instances/wt12-multidev
m1=/tmp/wt12-mnt-np m2=/tmp/wt12-mnt-ym
mkdir -p $m1 $m2
l1=$(losetup --find --show --read-only "$data/plain.erofs"); mount -t erofs -o ro "$l1" $m1
l2=$(losetup --find --show --read-only "$data/lz4hc.erofs"); mount -t erofs -o ro "$l2" $m2
mkdir $inst
echo 1 > $inst/events/filemap/mm_filemap_add_to_page_cache/enable
echo 1 > $inst/events/filemap/mm_filemap_delete_from_page_cache/enable
sync; echo 3 > /proc/sys/vm/drop_caches
echo 1 > $inst/tracing_on
env -i PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$m1/lib/python3.11/site-packages $m1/bin/python3.11 -c "import numpy" &
env -i PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$m2/lib/python3.11/site-packages $m2/bin/python3.11 -c "import yaml"
wait
echo 0 > $inst/tracing_on
# Every line of the two mounts, and the first 200 of each other device (to keep it small).
d1=$(mountpoint -d $m1) d2=$(mountpoint -d $m2)
grep -v '^#' $inst/trace | awk -v a="$d1" -v b="$d2" '{ d = ""; for (i = 1; i < NF; i++) if ($i == "dev") d = $(i + 1)
    if (d == a || d == b || seen[d]++ < 200) print }' | gzip -9n > "$out/multidev.ftrace.gz"
printf 'np %s\nym %s\n' "$(mountpoint -d $m1)" "$(mountpoint -d $m2)" > "$out/multidev.devices"
rmdir $inst
umount $m1 $m2; losetup -d "$l1" "$l2"; rmdir $m1 $m2
