#!/usr/bin/env python3
"""A container-start-like workload over a mounted sample image (used to record the bundled traces).

Reads the interpreter the way the dynamic loader does (a header read, then mmap and page faults
on part of it), imports a deterministic subset of the Python-like modules (whole-file reads), maps
the native extensions, then starts the app (all of /app). Usage: startup_workload.py ROOT
"""
import mmap
import os
import random
import sys

ROOT = sys.argv[1]


def map_and_touch(path, fraction):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.read(fd, 832)  # ELF header, as ld.so reads it
        size = os.fstat(fd).st_size
        if size == 0:
            return
        m = mmap.mmap(fd, size, prot=mmap.PROT_READ)
        rnd = random.Random(os.path.basename(path))
        for page in range((size + 4095) // 4096):
            if rnd.random() < fraction:
                m[page * 4096]
        m.close()
    finally:
        os.close(fd)


def read_whole(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        while os.read(fd, 65536):
            pass
    finally:
        os.close(fd)


def import_tree(top, fraction):
    for directory, subdirs, files in os.walk(top):
        subdirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            if name.endswith(".so"):
                map_and_touch(path, 0.6)
            elif name.endswith(".py") and random.Random(name).random() < fraction:
                read_whole(path)


map_and_touch(os.path.join(ROOT, "usr/bin/python3.11"), 0.7)
read_whole(os.path.join(ROOT, "etc/os-release"))
import_tree(os.path.join(ROOT, "usr/lib/python3.11"), 0.8)
if os.path.isdir(os.path.join(ROOT, "app")):
    import_tree(os.path.join(ROOT, "app"), 1.0)
