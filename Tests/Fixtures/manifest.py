#!/usr/bin/env python3
"""Describe a directory tree as stable JSON, and compare trees against manifests.

    manifest.py [--digest=XATTRNAME] [--erofs-quirks] TREE OUT.json
                                              write the manifest of TREE; with
                                              --erofs-quirks, add what mkfs.erofs
                                              1.9 adds by itself (see
                                              apply_erofs_quirks)
    manifest.py --compare MANIFEST.json TREE  compare a live tree (e.g. a mounted
                                              image or an fsck extraction) with a
                                              manifest; exit 1 on differences
         [--ignore FIELD,...]                 fields to skip (e.g. xattrs,mtime)
         [--no-inode-groups]                  skip the hard-link grouping check

Manifest format:
  {"format": "erofs-top-manifest/1",
   "entries": {"/": {...}, "/a": {...}, ...}}      keys sorted bytewise (UTF-8,
                                                   surrogateescape for non-UTF-8)
Entry fields:
  type    file|dir|symlink|chardev|blockdev|fifo|socket
  mode    permission bits incl. suid/sgid/sticky (st_mode & 0o7777), integer
  uid, gid, mtime (integer seconds), nlink
  size    files and symlinks only (dir sizes are filesystem-specific)
  sha256  files: hex digest of the content
  target  symlinks: link target
  rdev    devices: [major, minor]
  xattrs  {name: hex value}, sorted; {} when none
  fingerprint  (digest manifests only) hex of the expected --xattr-inode-digest value
  inode   inode-group id: entries with the same id are hard links of one inode
          (ids are assigned in sorted path order, starting at 1, so they are stable)
"""
import hashlib
import json
import os
import stat
import sys

TYPES = [(stat.S_ISREG, "file"), (stat.S_ISDIR, "dir"), (stat.S_ISLNK, "symlink"),
         (stat.S_ISCHR, "chardev"), (stat.S_ISBLK, "blockdev"), (stat.S_ISFIFO, "fifo"),
         (stat.S_ISSOCK, "socket")]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def walk(root):
    out = {}
    stack = [""]
    while stack:
        rel = stack.pop()
        path = os.path.join(root, rel.lstrip("/")) if rel else root
        st = os.lstat(path)
        out[rel or "/"] = (path, st)
        if stat.S_ISDIR(st.st_mode):
            for name in os.listdir(path):
                stack.append(rel + "/" + name)
    return out


def describe(root):
    nodes = walk(root)
    keys = sorted(nodes, key=lambda k: k.encode("utf-8", "surrogateescape"))
    groups = {}
    entries = {}
    for k in keys:
        path, st = nodes[k]
        typ = next(n for f, n in TYPES if f(st.st_mode))
        e = {"type": typ, "mode": stat.S_IMODE(st.st_mode), "uid": st.st_uid, "gid": st.st_gid,
             "mtime": int(st.st_mtime_ns // 10**9), "nlink": st.st_nlink}
        if typ == "file":
            e["size"] = st.st_size
            e["sha256"] = sha256_file(path)
        elif typ == "symlink":
            t = os.readlink(path)
            e["target"] = t
            e["size"] = len(os.fsencode(t))
        elif typ in ("chardev", "blockdev"):
            e["rdev"] = [os.major(st.st_rdev), os.minor(st.st_rdev)]
        xa = {}
        try:
            names = os.listxattr(path, follow_symlinks=False)
        except OSError:
            names = []
        for n in sorted(names):
            try:
                xa[n] = os.getxattr(path, n, follow_symlinks=False).hex()
            except OSError:
                pass
        e["xattrs"] = xa
        ino = (st.st_dev, st.st_ino)
        if ino not in groups:
            groups[ino] = len(groups) + 1
        e["inode"] = groups[ino]
        entries[k] = e
    return {"format": "erofs-top-manifest/1", "entries": entries}


def apply_erofs_quirks(m):
    """What mkfs.erofs 1.9 adds on its own: a directory holding an overlayfs whiteout
    (chardev 0:0) gets an empty trusted.overlay.origin xattr."""
    ent = m["entries"]
    for k, e in ent.items():
        if e["type"] == "chardev" and e["rdev"] == [0, 0]:
            parent = k.rsplit("/", 1)[0] or "/"
            ent[parent]["xattrs"].setdefault("trusted.overlay.origin", "")
            ent[parent]["xattrs"] = dict(sorted(ent[parent]["xattrs"].items()))
    return m


def add_digest(m, name):
    """Expected --xattr-inode-digest[=NAME] result: every non-empty regular file gets
    `sha256:` + 32 raw digest bytes. Recorded as the entry field "fingerprint" (hex of the
    whole value); also added to "xattrs" when NAME is in a namespace the kernel lists
    (user./trusted./security.). The default name erofs.fingerprint.v1 is hidden."""
    visible = name.split(".", 1)[0] in ("user", "trusted", "security")
    for e in m["entries"].values():
        if e["type"] == "file" and e["size"] > 0:
            v = (b"sha256:" + bytes.fromhex(e["sha256"])).hex()
            e["fingerprint"] = v
            if visible:
                e["xattrs"][name] = v
                e["xattrs"] = dict(sorted(e["xattrs"].items()))
    m["fingerprintXattr"] = name
    return m


def dump(m, out):
    with open(out, "w") as f:
        json.dump(m, f, indent=1, sort_keys=True, ensure_ascii=True)
        f.write("\n")


def partition(entries):
    g = {}
    for k, e in entries.items():
        g.setdefault(e["inode"], []).append(k)
    return sorted(sorted(v) for v in g.values())


def compare(expected, actual, ignore=(), inode_groups=True, label=""):
    errs = []
    ex, ac = expected["entries"], actual["entries"]
    for k in sorted(set(ex) - set(ac)):
        errs.append(f"missing: {k}")
    for k in sorted(set(ac) - set(ex)):
        errs.append(f"unexpected: {k}")
    for k in sorted(set(ex) & set(ac)):
        for f in sorted(set(ex[k]) | set(ac[k])):
            if f in ignore or f in ("inode", "fingerprint"):
                continue
            if k == "/" and f in ("mode", "uid", "gid", "mtime"):
                # the root of a mount point / extraction dir is fine to differ slightly
                pass
            if ex[k].get(f) != ac[k].get(f):
                errs.append(f"{k}: {f} expected {ex[k].get(f)!r} got {ac[k].get(f)!r}")
    if inode_groups and not errs:
        pe, pa = partition(ex), partition(ac)
        if pe != pa:
            errs.append("hard-link groups differ: expected %s" %
                        [g for g in pe if len(g) > 1] + " got %s" % [g for g in pa if len(g) > 1])
    for e in errs[:50]:
        print(f"{label}{e}", file=sys.stderr)
    if len(errs) > 50:
        print(f"{label}... {len(errs) - 50} more", file=sys.stderr)
    return not errs


def main():
    a = sys.argv[1:]
    if a and a[0] == "--compare":
        ignore, groups = set(), True
        rest = []
        i = 1
        while i < len(a):
            if a[i] == "--ignore":
                ignore |= set(a[i + 1].split(","))
                i += 2
            elif a[i] == "--no-inode-groups":
                groups = False
                i += 1
            else:
                rest.append(a[i])
                i += 1
        man, tree = rest
        with open(man) as f:
            exp = json.load(f)
        ok = compare(exp, describe(tree), ignore, groups, label=f"[{os.path.basename(man)}] ")
        sys.exit(0 if ok else 1)
    quirks = "--erofs-quirks" in a
    a = [x for x in a if x != "--erofs-quirks"]
    digest = None
    if a and a[0].startswith("--digest="):
        digest = a.pop(0).split("=", 1)[1]
    if len(a) != 2:
        sys.exit(__doc__)
    m = describe(a[0])
    if quirks:
        apply_erofs_quirks(m)
    if digest:
        add_digest(m, digest)
    dump(m, a[1])


if __name__ == "__main__":
    main()
