#!/usr/bin/env bash
# usage: verify-with-kernel.sh [IMAGES_DIR]   (default: images next to this script; the
#        bundled samples: verify-with-kernel.sh ../../Sources/CLI/Samples)
# Mount every image listed in IMAGES_DIR/index.json read-only with the kernel's EROFS driver and
# compare the mounted tree with the image's manifest (content hashes, modes, owners, mtimes,
# symlink targets, device numbers, xattrs, hard-link groups).
#   - images without extra devices (and "flat" concatenations): mount -t erofs -o loop,ro
#   - images with blobs: mount(2) called directly (file-backed mount) with
#     data "device=/abs/blob1,device=/abs/blob2" (mount(8) would use a loop device for the
#     image, and then device= must be block devices)
# Skips (exit 0) with a message when not root or when the kernel cannot mount EROFS.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMGDIR=$(cd "${1:-$HERE/images}" && pwd)
cd "$HERE"
if [ "$(id -u)" != 0 ]; then echo "verify-with-kernel: SKIP (needs root to mount)"; exit 0; fi
MNT=$(mktemp -d /tmp/erofs-verify.XXXXXX)
cleanup() {
	mountpoint -q "$MNT" && umount "$MNT"
	rmdir "$MNT" 2>/dev/null
}
trap cleanup EXIT INT TERM
if ! mount -t erofs -o loop,ro "$HERE/images/plain.erofs" "$MNT" 2>/dev/null; then
	echo "verify-with-kernel: SKIP (cannot mount EROFS here: no erofs module or loop devices)"
	exit 0
fi
umount "$MNT"
MNT="$MNT" IMGDIR="$IMGDIR" python3 - <<'PY'
import ctypes, json, os, subprocess, sys
sys.path.insert(0, os.getcwd())
from manifest import compare, describe
mnt = os.environ["MNT"]
imgdir = os.environ["IMGDIR"]
libc = ctypes.CDLL(None, use_errno=True)
idx = json.load(open(os.path.join(imgdir, "index.json")))
bad = 0
for im in idx["images"]:
    img = os.path.abspath(os.path.join(imgdir, im["file"]))
    devs = [os.path.abspath(os.path.join(imgdir, d)) for d in im["devices"]]
    if devs:
        data = ",".join("device=" + d for d in devs).encode()
        if libc.mount(img.encode(), mnt.encode(), b"erofs", 1, data) != 0:
            print(f"FAIL mount {im['file']}: {os.strerror(ctypes.get_errno())}"); bad += 1; continue
    else:
        r = subprocess.run(["mount", "-t", "erofs", "-o", "loop,ro", img, mnt], capture_output=True, text=True)
        if r.returncode:
            print(f"FAIL mount {im['file']}: {r.stderr.strip()}"); bad += 1; continue
    try:
        exp = json.load(open(os.path.join(imgdir, im["manifest"])))
        ok = compare(exp, describe(mnt), label=f"[{im['file']}] ")
    finally:
        subprocess.run(["umount", mnt], check=True)
    print(("ok   " if ok else "FAIL ") + im["file"] + (" (devices: " + ", ".join(im["devices"]) + ")" if devs else ""))
    bad += not ok
print("verify-with-kernel:", "all images match their manifests" if not bad else f"{bad} image(s) FAILED")
sys.exit(1 if bad else 0)
PY
