#!/usr/bin/env python3
"""check_fixtures.py --sid TOOL IMAGES_DIR

For every image in IMAGES_DIR/index.json: fsck.erofs 1.9 (with --device= per extra
device), fsck.erofs --xattr-inode-digest for digest images, and fsck.erofs --extract
compared with the image's manifest (content, modes, owners, mtimes, symlinks, devices,
xattrs; hard-link groups). Exit 1 on any failure.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from manifest import compare, describe  # noqa: E402


# fsck.erofs 1.9.4 --extract problems seen on images the kernel reads correctly
# (verify-with-kernel.sh checks those images against their manifests instead)
KNOWN_FSCK_EXTRACT_BUGS = {
    "chunkidx64k.erofs": "trailing hole chunks (8-byte chunk indexes) are not extended: short files",
    "chunkidx64k-blob.erofs": "trailing hole chunks (8-byte chunk indexes) are not extended: short files",
    "chunk1m-blob.erofs": "trailing hole chunks (8-byte chunk indexes) are not extended: short files",
    "z-lz4-metabox.erofs": "extracts wrong file contents from a -m4096 metabox image",
    "merged3-flat.erofs": "cannot read a flat (uniaddr) multi-device image without --device",
}


def main():
    sid = sys.argv[sys.argv.index("--sid") + 1]
    imgdir = sys.argv[-1]
    idx = json.load(open(os.path.join(imgdir, "index.json")))
    bad = 0
    for im in idx["images"]:
        img = os.path.join(imgdir, im["file"])
        devs = [f"--device={os.path.join(imgdir, d)}" for d in im["devices"]]
        base = [sid, "fsck.erofs"] + devs
        r = subprocess.run(base + [img], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"FAIL fsck {im['file']}: {r.stdout}{r.stderr}")
            bad += 1
            continue
        if "xattr-inode-digest" in im["features"]:
            r = subprocess.run(base + ["--xattr-inode-digest", img], capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL fsck --xattr-inode-digest {im['file']}: {r.stdout}{r.stderr}")
                bad += 1
        tmp = tempfile.mkdtemp(prefix="fx-")
        out = os.path.join(tmp, "x")
        try:
            r = subprocess.run(base + ["--xattrs", f"--extract={out}", img], capture_output=True, text=True)
            if im["file"] in KNOWN_FSCK_EXTRACT_BUGS:
                print(f"skip {im['file']} extract compare: known fsck.erofs 1.9.4 problem: "
                      f"{KNOWN_FSCK_EXTRACT_BUGS[im['file']]}")
                continue
            if r.returncode != 0:
                print(f"FAIL fsck --extract {im['file']}: {r.stdout}{r.stderr}")
                bad += 1
                continue
            exp = json.load(open(os.path.join(imgdir, im["manifest"])))
            # the extraction root's own attributes come from mkdir, not from the image
            act = describe(out)
            for f in ("mode", "uid", "gid", "mtime", "xattrs"):
                act["entries"]["/"][f] = exp["entries"]["/"].get(f)
            # fsck.erofs --extract --xattrs does not restore empty-valued xattrs
            exp = json.loads(json.dumps(exp))
            for m in (exp, act):
                for e in m["entries"].values():
                    e["xattrs"] = {k: v for k, v in e["xattrs"].items() if v}
            ok = compare(exp, act, ignore={"nlink"} if False else set(), label=f"[{im['file']}] ")
            print(("ok   " if ok else "FAIL ") + im["file"])
            bad += not ok
        finally:
            shutil.rmtree(tmp)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
