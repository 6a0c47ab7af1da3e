#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target from the real fixtures (used by scripts/fuzz.sh).

usage: fuzz-seeds.py TARGET FOLDER
  fuzz-image          every fixture and sample image up to 1 MiB
  fuzz-image-devices  4-byte little-endian image length + image + blob, for the images with
                      blobs, and the plain images with an empty blob
  fuzz-trace          selector byte (0 detect, 1 native, 2 strace, 3 ftrace) + trace, each
                      trace under its own selector and under 0, cut at 64 KiB on a line end
"""
import glob
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MAX_IMAGE = 1 << 20
MAX_TRACE = 64 << 10


def images():
    paths = sorted(glob.glob(f"{ROOT}/Tests/Fixtures/images/*.erofs")) + sorted(glob.glob(f"{ROOT}/Sources/CLI/Samples/*.erofs"))
    return [p for p in paths if os.path.getsize(p) <= MAX_IMAGE]


def read(path, limit=None):
    with open(path, "rb") as f:
        data = f.read()
    if limit is not None and len(data) > limit:
        data = data[: data.rfind(b"\n", 0, limit) + 1]
    return data


def seeds(target):
    if target == "fuzz-image":
        for p in images():
            yield os.path.basename(p), read(p)
    elif target == "fuzz-image-devices":
        for p in sorted(glob.glob(f"{ROOT}/Tests/Fixtures/images/*-blob.erofs")):
            image, blob = read(p), read(p[: -len(".erofs")] + ".blob")
            yield os.path.basename(p), struct.pack("<I", len(image)) + image + blob
        image, blob = read(f"{ROOT}/Tests/Fixtures/images/tari.erofs"), read(f"{ROOT}/Tests/Fixtures/images/tari-layer.tar")
        yield "tari.erofs", struct.pack("<I", len(image)) + image + blob
        for name in ("plain.erofs", "chunk64k.erofs", "merged3.erofs"):
            image = read(f"{ROOT}/Tests/Fixtures/images/{name}")
            yield name, struct.pack("<I", len(image)) + image
    elif target == "fuzz-trace":
        fixtures = f"{ROOT}/Tests/WorkloadTests/Fixtures"
        traces = [(1, p) for p in glob.glob(f"{fixtures}/*.jsonl")]
        traces += [(2, p) for p in glob.glob(f"{fixtures}/strace-*.log")]
        traces += [(3, p) for p in glob.glob(f"{fixtures}/ftrace-*.txt")]
        traces += [(3, p) for p in glob.glob(f"{ROOT}/Sources/CLI/Samples/traces/*.ftrace")]
        for selector, p in sorted(traces):
            body = read(p, MAX_TRACE)
            yield f"{selector}-{os.path.basename(p)}", bytes([selector]) + body
            yield f"0-{os.path.basename(p)}", bytes([0]) + body
    else:
        sys.exit(f"unknown target {target}")


def main():
    target, folder = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    count = 0
    for name, data in seeds(target):
        with open(os.path.join(folder, "seed-" + name), "wb") as f:
            f.write(data)
        count += 1
    print(f"{target}: {count} seeds in {folder}")


if __name__ == "__main__":
    main()
