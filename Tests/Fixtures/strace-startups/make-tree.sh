#!/bin/sh
# Builds the source tree and the three images of the strace-startup fixtures:
#   OUT/tree: /bin/python3.11 and /lib/python3.11 of this machine (Debian bookworm python3.11,
#             without test suites and GUI modules), with numpy 1.26.4, PyYAML 6.0.4 and
#             MarkupSafe 3.0.4 wheels unpacked into site-packages and byte-compiled;
#   OUT/plain.erofs, OUT/chunked.erofs (--chunksize=65536), OUT/lz4hc.erofs (-zlz4hc),
#             all by Debian's mkfs.erofs 1.5.
# Usage: make-tree.sh OUT   (needs pip download from PyPI; idempotent)
set -eu
out=${1:?usage: make-tree.sh OUT}
mkdir -p "$out"
cd "$out"
if [ ! -d wheels ]; then
    pip=pip3
    command -v pip3 >/dev/null || pip="/usr/bin/python3 -m pip"
    $pip download --no-deps -q -d wheels.tmp --python-version 3.11 --only-binary=:all: \
        numpy==1.26.4 pyyaml==6.0.4 markupsafe==3.0.4
    mv wheels.tmp wheels
fi
if [ ! -d tree ]; then
    rm -rf tree.tmp
    mkdir -p tree.tmp/bin tree.tmp/lib
    cp /usr/bin/python3.11 tree.tmp/bin/
    cp -a /usr/lib/python3.11 tree.tmp/lib/
    (cd tree.tmp/lib/python3.11 && rm -rf test idlelib tkinter turtledemo ensurepip lib2to3 \
        site-packages dist-packages config-3.11-x86_64-linux-gnu && mkdir site-packages)
    for w in wheels/*.whl; do /usr/bin/python3.11 -m zipfile -e "$w" tree.tmp/lib/python3.11/site-packages; done
    /usr/bin/python3.11 -m compileall -q tree.tmp/lib/python3.11/site-packages >/dev/null 2>&1 || true
    mv tree.tmp tree
fi
[ -f plain.erofs ] || mkfs.erofs -T0 plain.erofs tree >/dev/null
[ -f chunked.erofs ] || mkfs.erofs -T0 --chunksize=65536 chunked.erofs tree >/dev/null
[ -f lz4hc.erofs ] || mkfs.erofs -T0 -zlz4hc lz4hc.erofs tree >/dev/null
ls -l "$out"/*.erofs
