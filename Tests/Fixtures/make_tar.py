#!/usr/bin/env python3
"""make_tar.py TREE OUT.tar — deterministic PAX tar of TREE (sorted, owners/modes/
mtimes/xattrs/device numbers from lstat; hard links as tar hard links)."""
import os
import stat
import sys
import tarfile


def main():
    root, out = sys.argv[1:3]
    paths = []
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for n in dns + sorted(fns):
            paths.append(os.path.join(dp, n))
    paths.sort(key=lambda p: os.fsencode(os.path.relpath(p, root)))
    seen = {}
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for p in paths:
            rel = os.path.relpath(p, root)
            st = os.lstat(p)
            ti = tarfile.TarInfo(rel)
            ti.mode = stat.S_IMODE(st.st_mode)
            ti.uid, ti.gid = st.st_uid, st.st_gid
            ti.uname = ti.gname = ""
            ti.mtime = st.st_mtime_ns // 10**9
            pax = {}
            for n in sorted(os.listxattr(p, follow_symlinks=False)):
                pax["SCHILY.xattr." + n] = os.getxattr(p, n, follow_symlinks=False).decode("utf-8", "surrogateescape")
            ti.pax_headers = pax
            data = None
            key = (st.st_dev, st.st_ino)
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1 and key in seen:
                ti.type, ti.linkname = tarfile.LNKTYPE, seen[key]
            elif stat.S_ISREG(st.st_mode):
                seen[key] = rel
                ti.size = st.st_size
                data = open(p, "rb")
            elif stat.S_ISDIR(st.st_mode):
                ti.type = tarfile.DIRTYPE
            elif stat.S_ISLNK(st.st_mode):
                ti.type, ti.linkname = tarfile.SYMTYPE, os.readlink(p)
            elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
                ti.type = tarfile.CHRTYPE if stat.S_ISCHR(st.st_mode) else tarfile.BLKTYPE
                ti.devmajor, ti.devminor = os.major(st.st_rdev), os.minor(st.st_rdev)
            elif stat.S_ISFIFO(st.st_mode):
                ti.type = tarfile.FIFOTYPE
            else:
                continue
            tf.addfile(ti, data)
            if data:
                data.close()


if __name__ == "__main__":
    main()
