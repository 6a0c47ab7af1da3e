#!/usr/bin/env python3
"""merge_manifests.py OUT.json LAYER1.json LAYER2.json ...

Expected view of a rebuild-mode merged image (`mkfs.erofs out.img l1.img l2.img ...`):
later layers win by path; directories merge (the later layer's directory attributes win);
a non-directory replaces a directory (and its subtree) and vice versa. Overlay whiteouts
(chardev 0:0) are NOT interpreted: mkfs 1.9.4 rebuild copies them as ordinary entries.
Hard-link groups are kept per source layer; nlink is recomputed from the merged view.
"""
import json
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from manifest import dump, apply_erofs_quirks  # noqa: E402


def main():
    out, layers = sys.argv[1], sys.argv[2:]
    view = {}
    for li, lp in enumerate(layers):
        ent = json.load(open(lp))["entries"]
        for k in sorted(ent, key=lambda s: s.encode("utf-8", "surrogateescape")):
            e = dict(ent[k])
            e["xattrs"] = dict(e["xattrs"])
            e["inode"] = (li, e["inode"])
            old = view.get(k)
            if old is not None and not (old["type"] == "dir" and e["type"] == "dir"):
                pref = k.rstrip("/") + "/"
                for c in [c for c in view if c.startswith(pref)]:
                    del view[c]
            view[k] = e
    # renumber inode groups and recompute nlink
    keys = sorted(view, key=lambda s: s.encode("utf-8", "surrogateescape"))
    ids, members = {}, {}
    for k in keys:
        ids.setdefault(view[k]["inode"], len(ids) + 1)
        members.setdefault(view[k]["inode"], []).append(k)
    for k in keys:
        e = view[k]
        if e["type"] == "dir":
            pref = "/" if k == "/" else k + "/"
            e["nlink"] = 2 + sum(1 for c in view if c.startswith(pref) and c != k
                                 and "/" not in c[len(pref):] and view[c]["type"] == "dir")
        else:
            e["nlink"] = len(members[e["inode"]])
    for k in keys:
        view[k]["inode"] = ids[view[k]["inode"]]
    # mkfs 1.9.4 rebuild mode gives the merged root directory mode 0777 (observed), other
    # root attributes (owner, mtime) come from the sources
    view["/"]["mode"] = 0o777
    for e in view.values():
        # rebuild mode does not carry --xattr-inode-digest values into the merged image
        # (mkfs 1.9.4 writes a zeroed xattr area of the same size and no prefix table)
        e.pop("fingerprint", None)
        # whiteout quirk is re-derived for the merged view
        e["xattrs"].pop("trusted.overlay.origin", None)
    m = apply_erofs_quirks({"format": "erofs-top-manifest/1", "entries": {k: view[k] for k in keys}})
    dump(m, out)


if __name__ == "__main__":
    main()
