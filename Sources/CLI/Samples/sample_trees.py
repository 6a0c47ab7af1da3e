#!/usr/bin/env python3
"""Builds the source trees of the bundled demo layers from real content (see README.md).

  sample_trees.py python OUT SITE...   the base layer: Debian's /usr/bin/python3.11 with the shared
      libraries it and its extension modules need (ldd) and the slice of /usr/lib/python3.11 that
      the app imports under each SITE (an unpacked set of wheels), plus EXTRA_MODULES, and the copyright files of the Debian packages they come from;
  sample_trees.py app OUT WHEEL...     an app layer: the wheels unpacked into
      /usr/local/lib/python3.11/dist-packages (where pip puts them on Debian) and /app/main.py.

Every tree is normalized: owner root:root, mode 0644 (0755 for directories and executables),
mtime 1700000000, no __pycache__ (the images are read-only; as with PYTHONDONTWRITEBYTECODE, each
start compiles the modules it imports from source). Deterministic for the same inputs.
"""
import os
import shutil
import stat
import subprocess
import sys
import zipfile

PYTHON = "/usr/bin/python3.11"
MTIME = 1700000000
HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.path.join(HERE, "app", "main.py")
SITE = "/usr/local/lib/python3.11/dist-packages"
# Stdlib modules a small service commonly imports besides what the app needs: they make the
# base layer a realistic slice (files present that this startup does not read).
EXTRA_MODULES = ["argparse", "csv", "dataclasses", "gzip", "logging.handlers", "pathlib", "pprint", "shutil",
                 "subprocess", "tempfile", "textwrap"]
# Files of the Debian system the interpreter or a container expects besides modules.
EXTRA_FILES = ["/etc/os-release", "/usr/lib/python3.11/lib-dynload"]

CLOSURE = r"""
import importlib, runpy, sys
site, app, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path.insert(0, site)
if app != "-":
    sys.argv = [app]
    import contextlib, io
    with contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(app, run_name="__main__")
for name in extra:
    importlib.import_module(name)
for mod in list(sys.modules.values()):
    f = getattr(mod, "__file__", None)
    if f and f.startswith("/usr/lib/python3.11/"):
        print(f)
"""


def stdlib_files(sites):
    files = set()
    for site in sites:
        out = subprocess.run([PYTHON, "-I", "-B", "-c", CLOSURE, site, APP], check=True, capture_output=True, text=True).stdout
        files.update(out.split())
    out = subprocess.run([PYTHON, "-I", "-B", "-c", CLOSURE, "/nonexistent", "-"] + EXTRA_MODULES, check=True,
                         capture_output=True, text=True).stdout
    files.update(out.split())
    # Packages' __init__ files stand for their package directory; the interpreter's landmark and
    # the modules run before site (frozen in this build) are kept as files too.
    files.update(["/usr/lib/python3.11/os.py", "/usr/lib/python3.11/site.py"])
    return sorted(files)


def shared_libraries(binary):
    out = subprocess.run(["ldd", binary], check=True, capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        for word in line.split():
            if word.startswith("/"):
                libs.append(word)
    return libs


def debian_packages(paths):
    """The Debian packages owning PATHS (their copyright files go into the layer with them)."""
    paths = sorted(set(paths) | {os.path.realpath(p) for p in paths})
    out = subprocess.run(["dpkg-query", "-S"] + paths, capture_output=True, text=True).stdout
    return sorted({line.split(":")[0] for line in out.splitlines() if ": " in line})


def install(root, path):
    """Copies PATH from this system into ROOT, recreating each symbolic link on the way."""
    parts = path.strip("/").split("/")
    current = ""
    for i, part in enumerate(parts):
        current += "/" + part
        target = root + current
        if os.path.islink(current):
            link = os.readlink(current)
            if not os.path.lexists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.symlink(link, target)
            resolved = os.path.normpath(os.path.join(os.path.dirname(current), link))
            install(root, resolved + "".join("/" + p for p in parts[i + 1:]))
            return
        if i < len(parts) - 1:
            continue
        if os.path.isdir(current):
            os.makedirs(target, exist_ok=True)
        elif not os.path.lexists(target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(current, target)
            if os.stat(current).st_mode & 0o111:
                os.chmod(target, 0o755)


def normalize(root):
    for directory, subdirs, files in os.walk(root):
        for name in subdirs + files:
            path = os.path.join(directory, name)
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode):
                os.chmod(path, 0o755 if stat.S_ISDIR(st.st_mode) or st.st_mode & 0o111 else 0o644)
    for directory, subdirs, files in os.walk(root, topdown=False):
        for name in subdirs + files:
            path = os.path.join(directory, name)
            os.lchown(path, 0, 0)
            os.utime(path, (MTIME, MTIME), follow_symlinks=False)
    os.chmod(root, 0o755)
    os.lchown(root, 0, 0)
    os.utime(root, (MTIME, MTIME))


def unpack(wheel, site):
    with zipfile.ZipFile(wheel) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            target = os.path.join(site, info.filename)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)


def build_python(out, sites):
    modules = stdlib_files(sites)
    binaries = [PYTHON] + [m for m in modules if m.endswith(".so")]
    libs = sorted({lib for b in binaries for lib in shared_libraries(b)})
    for path in [PYTHON] + libs + modules + EXTRA_FILES:
        install(out, path)
    for package in debian_packages([PYTHON] + libs + modules):
        install(out, "/usr/share/doc/%s/copyright" % package)
    os.symlink("python3.11", os.path.join(out, "usr/bin/python3"))
    for d in ("tmp", "proc", "dev", "root"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    normalize(out)
    os.chmod(os.path.join(out, "tmp"), 0o1777)


def build_app(out, wheels):
    site = out + SITE
    for wheel in sorted(wheels):
        unpack(wheel, site)
    os.makedirs(os.path.join(out, "app"))
    shutil.copyfile(APP, os.path.join(out, "app", "main.py"))
    normalize(out)


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("python", "app"):
        sys.exit(__doc__)
    kind, out, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    if kind == "python":
        build_python(out, rest)
    else:
        build_app(out, rest)


if __name__ == "__main__":
    main()
