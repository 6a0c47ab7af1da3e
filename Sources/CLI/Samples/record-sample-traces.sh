#!/usr/bin/env bash
# Records the bundled demo traces from the kernel: mounts each merged sample image (file-backed
# mount(2) with device= for its layers), drops the page cache, runs the container's real startup
# in a chroot of the mount (base: the interpreter importing ssl, json, logging and urllib; v1 and
# v2: /app/main.py, which imports requests) while a private ftrace instance records the filemap
# events (get_pages, fault, map_pages, add_to_page_cache, delete_from_page_cache), and keeps the
# events of that mount only in traces/startup-<container>.ftrace (inode numbers are nids). The
# containers start one after another, each from a cold cache (the replay models what stays
# cached). Needs root, tracefs, chroot and python3 (for mount(2)).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BASE=/run/erofs-top-samples
[ "$(id -u)" = 0 ] || { echo "record-sample-traces: needs root to mount" >&2; exit 1; }
mkdir -p "$HERE/traces"
declare -A IMAGES=([base]=python-base [v1]=requests-v1 [v2]=requests-v2)
declare -A LAYERS=([base]="layer-python" [v1]="layer-python layer-requests-2.31" [v2]="layer-python layer-requests-2.32")
# What each container runs at start (the base image has no app: a stdlib HTTPS client's imports).
start() {
	case $1 in
	base) set -- -c 'import json, logging, ssl, urllib.request; print(ssl.create_default_context().protocol.name, ssl.OPENSSL_VERSION)' ;;
	*) set -- /app/main.py ;;
	esac
	env -i PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 "$(command -v chroot)" "$BASE/$c" /usr/bin/python3.11 "$@"
}
TRACING=/sys/kernel/tracing
[ -d "$TRACING/events/filemap" ] || mount -t tracefs nodev "$TRACING"
INST="$TRACING/instances/erofs-top-samples"
mkdir -p "$INST"
echo 0 > "$INST/tracing_on"
echo 65536 > "$INST/buffer_size_kb"
for e in mm_filemap_get_pages mm_filemap_fault mm_filemap_map_pages mm_filemap_add_to_page_cache mm_filemap_delete_from_page_cache; do
	echo 1 > "$INST/events/filemap/$e/enable"
done
echo > "$INST/trace"
cleanup() {
	for c in base v1 v2; do mountpoint -q "$BASE/$c" && umount "$BASE/$c"; done
	[ -d "$INST" ] && { echo 0 > "$INST/tracing_on"; rmdir "$INST"; }
	true
}
trap cleanup EXIT
for c in base v1 v2; do
	mkdir -p "$BASE/$c"
	opts="ro"
	for l in ${LAYERS[$c]}; do opts="$opts,device=$HERE/$l.erofs"; done
	python3 - "$HERE/${IMAGES[$c]}.erofs" "$BASE/$c" "$opts" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.mount(sys.argv[1].encode(), sys.argv[2].encode(), b"erofs", 1, sys.argv[3].encode()) != 0:
    sys.exit("mount %s: %s" % (sys.argv[1], os.strerror(ctypes.get_errno())))
PY
	dev="$(mountpoint -d "$BASE/$c")"
	sync; echo 3 > /proc/sys/vm/drop_caches
	echo 1 > "$INST/tracing_on"
	start "$c"
	echo 0 > "$INST/tracing_on"
	{ echo "# erofs-top sample: container $c, image ${IMAGES[$c]}.erofs, dev $dev, read_ahead_kb $(cat /sys/class/bdi/$dev/read_ahead_kb 2>/dev/null || echo 128)"
	  grep -E " dev[= ]$dev " "$INST/trace" || true; } > "$HERE/traces/startup-$c.ftrace"
	echo > "$INST/trace"
	umount "$BASE/$c"
	echo "recorded traces/startup-$c.ftrace ($(wc -l < "$HERE/traces/startup-$c.ftrace") lines)"
done
