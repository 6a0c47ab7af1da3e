#!/usr/bin/env bash
# Takes screenshots/live.png, the README's picture of `erofs-top live`: as root, in a private
# mount namespace (nothing is left mounted whatever happens), loop-mounts the bundled samples
# the way a host running containers on EROFS would have them:
#
#   requests-v1.erofs, requests-v2.erofs with their blobs (device=)  merged images sharing a base blob
#   layer-python.erofs + layer-requests-2.32.erofs under overlayfs    a container's layer stack
#
# starts the app in each (chroot MNT /usr/bin/python3.11 /app/main.py) while `erofs-top live`
# shows them, and captures the screen
# with scripts/screenshots.sh (tmux -> pyte -> PNG).
#
#   scripts/screenshot-live.sh [-o DIR] [BINARY]     (default .build/release/erofs-top)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ "${EROFS_TOP_SHOT_INSIDE:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "screenshot-live.sh: needs root (mounts)" >&2; exit 2; }
	EROFS_TOP_SHOT_INSIDE=1 exec unshare --mount --propagation private "$0" "$@"
fi
out=screenshots
if [ "${1:-}" = -o ]; then out=$2; shift 2; fi
binary=${1:-$root/.build/release/erofs-top}
S=$root/Sources/CLI/Samples
work=$(mktemp -d /tmp/erofs-top-live-shot.XXXXXX)
cleanup() {
	[ -n "${load:-}" ] && kill "$load" 2>/dev/null || true
	for m in merged stack-app stack-base v2 v1; do umount "$work/$m" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
# Each loop device is detached (`losetup -d`) as soon as its mount holds it: the kernel then
# clears it when the mount goes, as it does when this namespace ends.
mounted() { for l in "$@"; do losetup -d "$l"; done; }
mkdir -p "$work"/{v1,v2,stack-base,stack-app,merged}
v1=$(losetup --find --show --read-only "$S/requests-v1.erofs")
b1=$(losetup --find --show --read-only "$S/layer-python.erofs")
a1=$(losetup --find --show --read-only "$S/layer-requests-2.31.erofs")
mount -t erofs -o ro,device="$b1",device="$a1" "$v1" "$work/v1" && mounted "$v1" "$b1" "$a1"
v2=$(losetup --find --show --read-only "$S/requests-v2.erofs")
b3=$(losetup --find --show --read-only "$S/layer-python.erofs")
a3=$(losetup --find --show --read-only "$S/layer-requests-2.32.erofs")
mount -t erofs -o ro,device="$b3",device="$a3" "$v2" "$work/v2" && mounted "$v2" "$b3" "$a3"
b2=$(losetup --find --show --read-only "$S/layer-python.erofs")
mount -t erofs -o ro "$b2" "$work/stack-base" && mounted "$b2"
a2=$(losetup --find --show --read-only "$S/layer-requests-2.32.erofs")
mount -t erofs -o ro "$a2" "$work/stack-app" && mounted "$a2"
mount -t overlay overlay -o ro,lowerdir="$work/stack-app:$work/stack-base" "$work/merged"
# A load that keeps coming: the app's real start in each container, one after another.
start() { env -i PYTHONDONTWRITEBYTECODE=1 "$(command -v chroot)" "$1" /usr/bin/python3.11 /app/main.py >/dev/null 2>&1 || true; }
(
	sleep 2
	while true; do
		for m in v1 v2 merged; do start "$work/$m"; sleep 1; done
	done
) &
load=$!
cd "$root"
SHOTS=live SHOT_LIVE=${SHOT_LIVE:-"sleep:12 Enter sleep:3"} "$here/screenshots.sh" -o "$out" -s 140x42 -- \
	"$binary" live -d 10 --mount "$work/v1" --mount "$work/v2" --mount "$work/merged"
