#!/usr/bin/env python3
"""fixture_index.py INDEX.tsv OUT.json — write images/index.json (see README.md)."""
import hashlib
import json
import os
import struct
import sys

INCOMPAT = {0x1: "zero_padding", 0x2: "compr_cfgs", 0x4: "chunked_file", 0x8: "device_table",
            0x10: "ztailpacking", 0x20: "fragments", 0x40: "xattr_prefixes", 0x80: "48bit",
            0x100: "metabox"}
COMPAT = {0x1: "sb_chksum", 0x2: "mtime", 0x4: "xattr_filter", 0x8: "shared_ea_in_metabox",
          0x10: "plain_xattr_pfx", 0x20: "ishare_xattrs"}


def sb(path):
    with open(path, "rb") as f:
        f.seek(1024)
        b = f.read(128)
    magic, csum, compat, bits, extslots, _r2, _inos = struct.unpack_from("<IIIBBHQ", b, 0)
    assert magic == 0xE0F5E1E2, path
    incompat, = struct.unpack_from("<I", b, 0x50)
    extra, = struct.unpack_from("<H", b, 0x56)
    return {"blockSize": 1 << bits, "uuid": b[0x30:0x40].hex(),
            "featureCompat": compat, "featureIncompat": incompat,
            "compatNames": [n for v, n in COMPAT.items() if compat & v],
            "incompatNames": [n for v, n in INCOMPAT.items() if incompat & v],
            "extraDevices": extra if incompat & 0x8 else 0}


def main():
    tsv, out = sys.argv[1:3]
    imgdir = os.path.dirname(out)
    images = []
    for line in open(tsv):
        name, man, devs, feats, cmd = line.rstrip("\n").split("\t")
        p = os.path.join(imgdir, name)
        s = sb(p)
        images.append({
            "file": name,
            "manifest": f"manifests/{man}.json",
            "devices": devs.split() if devs else [],
            "blockSize": s["blockSize"],
            "uuid": s["uuid"],
            "features": feats.split(","),
            "superblockFeatures": {"compat": s["compatNames"], "incompat": s["incompatNames"]},
            "extraDevicesInSuperblock": s["extraDevices"],
            # true when the image has a device table but must be read without extra
            # devices (blobs concatenated after the primary, uniaddr addressing)
            "flat": bool(s["extraDevices"]) and not devs,
            "size": os.path.getsize(p),
            "sha256": hashlib.sha256(open(p, "rb").read()).hexdigest(),
            "command": cmd,
        })
    failed = []
    fp = os.path.join(os.path.dirname(tsv), "failed.txt")
    if os.path.exists(fp):
        failed = [l.strip() for l in open(fp) if l.strip()]
    doc = {"format": "erofs-top-fixtures/1", "mkfs": "erofs-utils 1.9.4 (../shared/tools/erofs-utils-sid)",
           "images": images, "failedCommands": failed}
    with open(out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
