#!/usr/bin/env python3
"""make_layer_tars.py WHEEL_OLD WHEEL_NEW OUTDIR — three OCI layer tars for the layer-stack tests.

Contents are real files: parts of this machine's Python standard library and two versions of a
small wheel from PyPI (six). Whiteouts and opaque directories are written as the OCI image spec
says (`.wh.NAME`, `.wh..wh..opq`). Deterministic: sorted entries, fixed mtimes, owner 0.

  base.tar  usr/lib/py/{json,email}/..., etc/conf.d/{a,b}.conf, usr/bin/py -> ../lib/py/json/tool.py,
            a hard link, an empty dir
  app1.tar  six OLD, shared/{textwrap,string}.py, json/.wh.tool.py (whiteout a file),
            etc/conf.d/.wh..wh..opq + app1.conf (opaque dir), json/decoder.py replaced
  app2.tar  six NEW, the same shared/ files, email/.wh.errors.py, etc/.wh.conf.d (whiteout a dir),
            usr/lib/py/empty replaced by a file
"""
import io
import os
import sys
import sysconfig
import tarfile
import zipfile

MTIME = 1700000000
STDLIB = sysconfig.get_paths()["stdlib"]


def stdlib(rel):
    with open(os.path.join(STDLIB, rel), "rb") as f:
        return f.read()


class Layer:
    def __init__(self):
        self.entries = {}  # path -> (kind, data/link, mode)

    def dirs_for(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            self.entries.setdefault(d, ("dir", None, 0o755))

    def file(self, path, data, mode=0o644):
        self.dirs_for(path)
        self.entries[path] = ("file", data, mode)

    def dir(self, path, mode=0o755):
        self.dirs_for(path)
        self.entries[path] = ("dir", None, mode)

    def symlink(self, path, target):
        self.dirs_for(path)
        self.entries[path] = ("symlink", target, 0o777)

    def hardlink(self, path, target):
        self.dirs_for(path)
        self.entries[path] = ("hardlink", target, 0o644)

    def whiteout(self, path):
        d, n = os.path.split(path)
        self.file(os.path.join(d, ".wh." + n), b"", 0o644)

    def opaque(self, directory):
        self.dir(directory)
        self.file(directory + "/.wh..wh..opq", b"", 0o644)

    def write(self, out):
        with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
            # hard links after everything else: a link must follow its target in the stream
            order = sorted(self.entries, key=lambda p: (self.entries[p][0] == "hardlink", p.encode()))
            for path in order:
                kind, data, mode = self.entries[path]
                ti = tarfile.TarInfo(path)
                ti.mode, ti.uid, ti.gid, ti.uname, ti.gname, ti.mtime = mode, 0, 0, "", "", MTIME
                if kind == "dir":
                    ti.type = tarfile.DIRTYPE
                    tf.addfile(ti)
                elif kind == "symlink":
                    ti.type, ti.linkname = tarfile.SYMTYPE, data
                    tf.addfile(ti)
                elif kind == "hardlink":
                    ti.type, ti.linkname = tarfile.LNKTYPE, data
                    tf.addfile(ti)
                else:
                    ti.size = len(data)
                    tf.addfile(ti, io.BytesIO(data))


def wheel(layer, path, prefix):
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith("/"):
                layer.file(prefix + name, z.read(name))


def main():
    old, new, out = sys.argv[1:4]
    py = "usr/lib/py"
    base = Layer()
    for n in ["__init__.py", "decoder.py", "encoder.py", "scanner.py", "tool.py"]:
        base.file(f"{py}/json/{n}", stdlib("json/" + n))
    for n in ["charset.py", "errors.py", "header.py", "quoprimime.py", "base64mime.py"]:
        base.file(f"{py}/email/{n}", stdlib("email/" + n))
    base.file("etc/conf.d/a.conf", stdlib("this.py"))
    base.file("etc/conf.d/b.conf", stdlib("keyword.py"))
    base.file("etc/hostname", b"base\n")
    base.symlink("usr/bin/py", "../lib/py/json/tool.py")
    base.hardlink(f"{py}/json/scanner-link.py", f"{py}/json/scanner.py")
    base.dir(f"{py}/empty")
    base.dir(f"{py}/site-packages")
    base.file("usr/bin/run.sh", b"#!/bin/sh\nexec py \"$@\"\n", 0o755)
    base.write(os.path.join(out, "base.tar"))

    app1 = Layer()
    wheel(app1, old, f"{py}/site-packages/")
    app1.file(f"{py}/shared/textwrap.py", stdlib("textwrap.py"))
    app1.file(f"{py}/shared/string.py", stdlib("string.py"))
    app1.whiteout(f"{py}/json/tool.py")
    app1.opaque("etc/conf.d")
    app1.file("etc/conf.d/app1.conf", b"app = 1\n")
    app1.file(f"{py}/json/decoder.py", stdlib("json/decoder.py") + b"\n# app1\n")
    app1.file("etc/hostname", b"app1\n")
    app1.write(os.path.join(out, "app1.tar"))

    app2 = Layer()
    wheel(app2, new, f"{py}/site-packages/")
    app2.file(f"{py}/shared/textwrap.py", stdlib("textwrap.py"))
    app2.file(f"{py}/shared/string.py", stdlib("string.py"))
    app2.whiteout(f"{py}/email/errors.py")
    app2.whiteout("etc/conf.d")
    app2.file(f"{py}/empty", b"now a file\n")
    app2.write(os.path.join(out, "app2.tar"))


if __name__ == "__main__":
    main()
