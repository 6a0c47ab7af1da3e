#!/usr/bin/env python3
"""corrupt.py — derive corrupted images from real fixtures by targeted byte edits.

    python3 Tests/Fixtures/corrupt.py        (from anywhere; rewrites Tests/Fixtures/corrupt/)

Every case copies one image of images/ (made by mkfs.erofs 1.9.4, see make-fixtures.sh),
finds a structure in it by parsing the image (superblock, inode, dirent, xattr entry, chunk
index, device slot) and edits a few bytes there. Unless the case is about the checksum, the
superblock checksum is recomputed afterwards, so that the reader reaches the broken
structure. corrupt/cases.json lists each file with:

  file     the corrupted image (in corrupt/)
  source   the fixture it was derived from
  devices  extra devices in slot order, relative to corrupt/ (the fixture's own blobs)
  what     the edit, in words
  expect   the EROFSError.Kind the reader must end in (open, walk, stat, xattrs, mapping,
           read of every file), or "ok" when the edit is harmless to a reader (as for the kernel)

The test (EROFSTests/CorruptImageTests.swift) opens each, walks, stats and reads everything.
"""
import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "images")
OUT = os.path.join(HERE, "corrupt")
SB = 1024


def crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = crc32c_table()


def crc32c_raw(data, crc=0xFFFFFFFF):
    """EROFS superblock checksum: CRC-32C, init ~0, no final xor."""
    for b in data:
        crc = TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc


class Img:
    """A mutable copy of an EROFS image (uncompressed directories) with just enough parsing to find things."""

    def __init__(self, name):
        self.name = name
        with open(os.path.join(IMAGES, name), "rb") as f:
            self.d = bytearray(f.read())
        self.bits = self.d[SB + 0x0C]
        self.bs = 1 << self.bits
        self.meta = self.u32(SB + 0x28)
        self.root = self.u16(SB + 0x0E)

    def u16(self, o): return struct.unpack_from("<H", self.d, o)[0]
    def u32(self, o): return struct.unpack_from("<I", self.d, o)[0]
    def u64(self, o): return struct.unpack_from("<Q", self.d, o)[0]
    def p16(self, o, v): struct.pack_into("<H", self.d, o, v)
    def p32(self, o, v): struct.pack_into("<I", self.d, o, v)
    def p64(self, o, v): struct.pack_into("<Q", self.d, o, v)

    def fix_checksum(self):
        if self.u32(SB + 0x08) & 1:
            bs = 1 << self.d[SB + 0x0C]
            n = bs - 1024 if bs > 1024 else bs
            region = bytearray(self.d[SB:SB + n])
            region[4:8] = b"\0\0\0\0"
            self.p32(SB + 4, crc32c_raw(region))

    def iloc(self, nid):
        return self.meta * self.bs + nid * 32

    def inode(self, nid):
        o = self.iloc(nid)
        fmt = self.u16(o)
        ext = fmt & 1
        i = {"nid": nid, "loc": o, "fmt": fmt, "ext": ext, "layout": (fmt >> 1) & 7,
             "icount": self.u16(o + 2), "mode": self.u16(o + 4),
             "size": self.u64(o + 8) if ext else self.u32(o + 8),
             "u": self.u32(o + 16), "isize": 64 if ext else 32}
        i["xsize"] = 0 if i["icount"] == 0 else 12 + 4 * (i["icount"] - 1)
        i["P"] = o + i["isize"] + i["xsize"]
        i["size_off"] = o + 8
        return i

    def data_pieces(self, ino):
        """[(image offset, length)] of a flat (plain or inline) inode's data, in order."""
        size, bs = ino["size"], self.bs
        if ino["layout"] == 0:
            return [(ino["u"] * bs, size)]
        assert ino["layout"] == 2, ino
        nblocks = (size + bs - 1) // bs
        full = (nblocks - 1) * bs
        out = [(ino["u"] * bs + k * bs, bs) for k in range(nblocks - 1)]
        out.append((ino["P"], size - full))
        return out

    def dirents(self, nid):
        """Entries of a directory: dicts with name, nid, dirent offset, name offset."""
        out = []
        for start, length in self.data_pieces(self.inode(nid)):
            n = self.u16(start + 8) // 12
            offs = [self.u16(start + 12 * k + 8) for k in range(n)]
            for k in range(n):
                end = offs[k + 1] if k + 1 < n else length
                name = bytes(self.d[start + offs[k]:start + end]).split(b"\0")[0]
                out.append({"name": name, "nid": self.u64(start + 12 * k), "at": start + 12 * k,
                            "name_at": start + offs[k], "block": start})
        return out

    def lookup(self, path):
        nid = self.root
        for part in [p for p in path.split("/") if p]:
            nid = next(e["nid"] for e in self.dirents(nid) if e["name"] == part.encode())
        return nid

    def entry(self, path):
        parent, name = path.rsplit("/", 1)
        return next(e for e in self.dirents(self.lookup(parent or "/")) if e["name"] == name.encode())

    def chunk_entry(self, path, k=0):
        ino = self.inode(self.lookup(path))
        assert ino["layout"] == 4, ino
        unit = 8 if ino["u"] & 0x20 else 4
        return (ino["P"] + unit - 1) // unit * unit + k * unit, unit

    def xattr_area(self, path):
        ino = self.inode(self.lookup(path))
        assert ino["icount"] > 0, path
        return ino["loc"] + ino["isize"], ino["xsize"]

    def first_inline_xattr(self, path):
        at, _ = self.xattr_area(path)
        return at + 12 + 4 * self.d[at + 4]

    def walk(self):
        """(path, inode) of every non-directory and directory below the root, depth first."""
        stack = [(self.root, "")]
        while stack:
            nid, path = stack.pop()
            for e in self.dirents(nid):
                if e["name"] in (b".", b".."):
                    continue
                i = self.inode(e["nid"])
                p = path + "/" + e["name"].decode()
                yield p, i
                if i["mode"] & 0o170000 == 0o040000:
                    stack.append((e["nid"], p))

    def slot(self, i):
        return self.u16(SB + 0x58) * 128 + 128 * i


MERGED3 = ["../images/layer-base.erofs", "../images/layer-a.erofs", "../images/layer-b.erofs"]
MERGED2 = ["../images/layer-base.erofs", "../images/layer-a.erofs"]
CASES = []


def case(file, source, what, expect, devices=(), checksum=True, truncate=None):
    """Register a case; the decorated function edits an Img in place."""
    def wrap(edit):
        CASES.append((file, source, what, expect, list(devices), checksum, truncate, edit))
        return edit
    return wrap


# ------------------------------------------------------------------ superblock
@case("sb-bad-magic.erofs", "layer-a.erofs", "superblock magic byte 0 flipped", "badMagic", checksum=False)
def _(m): m.d[SB] ^= 0xFF

@case("sb-bad-checksum.erofs", "layer-a.erofs", "superblock checksum field off by one bit", "badChecksum", checksum=False)
def _(m): m.d[SB + 4] ^= 0x01

@case("sb-bad-checksum-content.erofs", "merged3.erofs", "a root dirent byte changed without updating the checksum", "badChecksum", MERGED3, checksum=False)
def _(m): m.d[m.entry("/etc")["name_at"]] = ord("f")

@case("sb-blkszbits-8.erofs", "layer-a.erofs", "blkszbits 8 (256-byte blocks, below the minimum of 9)", "invalidSuperblock")
def _(m): m.d[SB + 0x0C] = 8

@case("sb-blkszbits-17.erofs", "layer-a.erofs", "blkszbits 17 (128 KiB blocks)", "invalidSuperblock")
def _(m): m.d[SB + 0x0C] = 17

@case("sb-extslots-255.erofs", "layer-a.erofs", "sb_extslots 255 (a 4208-byte superblock)", "invalidSuperblock")
def _(m): m.d[SB + 0x0D] = 255

@case("sb-dirblkbits.erofs", "layer-a.erofs", "dirblkbits 1 (the kernel requires 0)", "invalidSuperblock")
def _(m): m.d[SB + 0x5A] = 1

@case("sb-unknown-incompat.erofs", "layer-a.erofs", "incompatible feature bit 0x200 (unknown)", "unsupportedFeature")
def _(m): m.p32(SB + 0x50, m.u32(SB + 0x50) | 0x200)

@case("sb-root-nid-past-end.erofs", "layer-a.erofs", "root nid 0xffff (2 MiB into a 36 KiB image)", "nidOutOfRange")
def _(m): m.p16(SB + 0x0E, 0xFFFF)

@case("sb-root-nid-zero.erofs", "layer-a.erofs", "root nid 0", "nidOutOfRange")
def _(m): m.p16(SB + 0x0E, 0)

@case("sb-root-is-file.erofs", "layer-a.erofs", "root nid points at the regular file /etc/config", "notADirectory")
def _(m): m.p16(SB + 0x0E, m.lookup("/etc/config"))

@case("sb-inode-count-huge.erofs", "layer-a.erofs", "inode count 2^62 (statfs only; the kernel does not check it)", "ok")
def _(m): m.p64(SB + 0x10, 1 << 62)

# ------------------------------------------------------------------ inodes
@case("inode-reserved-format-bits.erofs", "layer-a.erofs", "i_format bit 5 set on /opt/app/main.py", "inodeInvalid")
def _(m): m.p16(m.iloc(m.lookup("/opt/app/main.py")), m.inode(m.lookup("/opt/app/main.py"))["fmt"] | 0x20)

@case("inode-layout-5.erofs", "layer-a.erofs", "data layout 5 (invalid) on /usr/lib/libbar.so", "inodeInvalid")
def _(m):
    i = m.inode(m.lookup("/usr/lib/libbar.so"))
    m.p16(i["loc"], (i["fmt"] & ~0x0E) | (5 << 1))

@case("inode-xattr-icount-1.erofs", "layer-a.erofs", "i_xattr_icount 1 on /etc/config", "inodeInvalid")
def _(m): m.p16(m.iloc(m.lookup("/etc/config")) + 2, 1)

@case("inode-mode-no-type.erofs", "layer-a.erofs", "i_mode without a file type on /data/shared.txt", "inodeInvalid")
def _(m):
    o = m.iloc(m.lookup("/data/shared.txt")) + 4
    m.p16(o, m.u16(o) & 0o7777)

@case("inode-size-past-end.erofs", "layer-a.erofs", "i_size 0xfffff000 on flat-plain /usr/lib/libbar.so", "blockOutOfRange")
def _(m): m.p32(m.inode(m.lookup("/usr/lib/libbar.so"))["size_off"], 0xFFFFF000)

@case("inode-startblk-past-end.erofs", "layer-a.erofs", "raw block address 0x00ffffff on /opt/app/main.py", "blockOutOfRange")
def _(m): m.p32(m.iloc(m.lookup("/opt/app/main.py")) + 16, 0x00FFFFFF)

@case("inode-inline-tail-crosses-block.erofs", "layer-a.erofs", "root directory size grown so its inline tail crosses the block end", "inodeInvalid")
def _(m):
    i = m.inode(m.root)
    m.p32(i["size_off"], min(m.bs, m.bs - i["P"] % m.bs + 16))

@case("inode-symlink-too-long.erofs", "merged3.erofs", "symlink /opt/config-link claims 5000 bytes", "symlinkTooLong", MERGED3)
def _(m):
    i = m.inode(m.lookup("/opt/config-link"))
    if i["ext"]:
        m.p64(i["size_off"], 5000)
    else:
        m.p32(i["size_off"], 5000)

# ------------------------------------------------------------------ directories
@case("dirent-nameoff-small.erofs", "layer-a.erofs", "first dirent of the root has nameoff 4 (< 12)", "direntNameOffset")
def _(m): m.p16(m.dirents(m.root)[0]["at"] + 8, 4)

@case("dirent-nameoff-past-block.erofs", "layer-a.erofs", "third dirent of the root has nameoff 0xfff0", "direntNameOffset")
def _(m): m.p16(m.dirents(m.root)[2]["at"] + 8, 0xFFF0)

@case("dirent-unsorted.erofs", "layer-a.erofs", "root entry 'etc' renamed 'xtc' (now after 'opt')", "direntUnsorted")
def _(m): m.d[m.entry("/etc")["name_at"]] = ord("x")

@case("dirent-nid-past-end.erofs", "layer-a.erofs", "dirent /etc points at nid 0xffffffff", "nidOutOfRange")
def _(m): m.p64(m.entry("/etc")["at"], 0xFFFFFFFF)

@case("dirent-nid-zero.erofs", "layer-a.erofs", "dirent /usr/lib/libbar.so points at nid 0", "nidOutOfRange")
def _(m): m.p64(m.entry("/usr/lib/libbar.so")["at"], 0)

@case("directory-cycle-root.erofs", "layer-a.erofs", "dirent /opt/app points back at the root directory", "directoryCycle")
def _(m): m.p64(m.entry("/opt/app")["at"], m.root)

@case("directory-cycle-parent.erofs", "merged3.erofs", "dirent /opt/app/replaced-by-dir points at its parent /opt/app", "directoryCycle", MERGED3)
def _(m): m.p64(m.entry("/opt/app/replaced-by-dir")["at"], m.lookup("/opt/app"))

# ------------------------------------------------------------------ xattrs
@case("xattr-shared-count-huge.erofs", "merged3.erofs", "h_shared_count 255 on /usr/lib/libbig.so", "xattrOutOfBounds", MERGED3)
def _(m): m.d[m.xattr_area("/usr/lib/libbig.so")[0] + 4] = 255

@case("xattr-value-size-huge.erofs", "merged3.erofs", "e_value_size 0xffff in the first inline xattr of /usr/lib/libbig.so", "xattrOutOfBounds", MERGED3)
def _(m): m.p16(m.first_inline_xattr("/usr/lib/libbig.so") + 2, 0xFFFF)

@case("xattr-name-len-huge.erofs", "merged3.erofs", "e_name_len 255 in the first inline xattr of /usr/lib/libbig.so", "xattrOutOfBounds", MERGED3)
def _(m): m.d[m.first_inline_xattr("/usr/lib/libbig.so")] = 255

@case("xattr-icount-past-metadata.erofs", "layer-a.erofs", "i_xattr_icount 0xffff on /etc/config (256 KiB area in a 36 KiB image)", "xattrOutOfBounds")
def _(m): m.p16(m.iloc(m.lookup("/etc/config")) + 2, 0xFFFF)

@case("xattr-shared-id-past-end.erofs", "plain.erofs", "the first shared xattr id of the first inode with one set to 0x00ffffff", "xattrOutOfBounds")
def _(m):
    at = next(m.xattr_area(p)[0] for p, i in m.walk() if i["icount"] and m.d[m.xattr_area(p)[0] + 4] > 0)
    m.p32(at + 12, 0x00FFFFFF)

@case("xattr-long-prefix-missing.erofs", "digest.erofs", "xattr_prefix_count 0 while files use long prefix 0 (fingerprints)", "xattrOutOfBounds")
def _(m): m.d[SB + 0x5B] = 0

# ------------------------------------------------------------------ chunks and devices
@case("chunk-device-id-out-of-range.erofs", "merged2.erofs", "chunk 0 of /usr/lib/libbig.so names device 3 (the image has 2)", "deviceIdOutOfRange", MERGED2)
def _(m):
    at, _ = m.chunk_entry("/usr/lib/libbig.so")
    m.p16(at + 2, 3)

@case("chunk-index-block-past-end.erofs", "merged3.erofs", "chunk 0 of /usr/lib/libbig.so starts at block 0x00ffffff of its device", "blockOutOfRange", MERGED3)
def _(m):
    at, _ = m.chunk_entry("/usr/lib/libbig.so")
    m.p32(at + 4, 0x00FFFFFF)

@case("chunk-blockmap-past-end.erofs", "layer-c.erofs", "block map entry 0 of the first chunked file set to block 0x00ffffff", "blockOutOfRange")
def _(m):
    path = next(p for p, i in m.walk() if i["layout"] == 4 and i["size"] > 0)
    at, unit = m.chunk_entry(path)
    assert unit == 4
    m.p32(at, 0x00FFFFFF)

@case("chunk-format-bits.erofs", "merged3.erofs", "chunk format of /usr/lib/libbig.so has unknown bit 0x80", "inodeInvalid", MERGED3)
def _(m):
    o = m.iloc(m.lookup("/usr/lib/libbig.so")) + 16
    m.p16(o, m.u16(o) | 0x80)

@case("device-slot-blocks-huge.erofs", "chunkidx64k-blob.erofs", "device slot 1 claims 0x7fffffff blocks (the blob is much smaller)", "blobMismatch", ["../images/chunkidx64k-blob.blob"])
def _(m): m.p32(m.slot(0) + 64, 0x7FFFFFFF)

@case("device-count-past-table.erofs", "merged2.erofs", "extra_devices 4000: the device table runs past the end of the image", "truncated", MERGED2)
def _(m): m.p16(SB + 0x56, 4000)
# ------------------------------------------------------------------ compressed files
SID = os.environ.get("EROFS_UTILS_SID", os.path.join(HERE, "..", "..", "..", "shared", "tools", "erofs-utils-sid"))


def pclusters(image, path):
    """[(logical, length, physical, plen)] of a compressed file, from dump.erofs 1.9 -e."""
    import subprocess
    out = subprocess.run([SID, "dump.erofs", f"--path={path}", "-e", os.path.join(IMAGES, image)],
                         check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        if ".." in line and "|" in line:
            n = [int(x) for x in "".join(c if c.isdigit() else " " for c in line).split()]
            rows.append((n[1], n[3], n[4], n[6]))
    return rows


def zheader(m, path):
    """Image offset of the map header of a compressed file, and its inode."""
    ino = m.inode(m.lookup(path))
    assert ino["layout"] in (1, 3), ino
    return (ino["P"] + 7) // 8 * 8, ino


def full_entry(m, path, lcn):
    at, ino = zheader(m, path)
    assert ino["layout"] == 1, ino
    return at + 16 + 8 * lcn


def scribble(m, at, n):
    """Overwrite n bytes with a pattern that is not valid compressed data."""
    for k in range(n):
        m.d[at + k] = (0xA5 + 37 * k) & 0xFF


MEDIUM = "/files/medium300k.txt"

@case("z-unknown-algorithm.erofs", "z-lz4hc.erofs", "HEAD1 algorithm 9 in the map header of a compact-index file", "unsupportedFeature")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.d[at + 6] = (m.d[at + 6] & 0xF0) | 9

@case("z-algorithm-not-listed.erofs", "z-lzma.erofs", "HEAD1 algorithm zstd in an image whose superblock lists only lzma", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.d[at + 6] = (m.d[at + 6] & 0xF0) | 3

@case("z-lcluster-bits-huge.erofs", "z-lz4hc.erofs", "h_clusterbits 15: 128 MiB lclusters", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.d[at + 7] = 15

@case("z-big-pcluster-without-feature.erofs", "z-lz4hc.erofs", "BIG_PCLUSTER advise bits in an image without the COMPR_CFGS feature", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.p16(at + 4, m.u16(at + 4) | 0x06)

@case("z-compact-base-past-end.erofs", "z-lz4hc.erofs", "the base block of the first compact index pack set to 0x00ffffff", "blockOutOfRange")
def _(m):
    at, ino = zheader(m, MEDIUM)
    ebase = at + 8
    init4 = ((32 - ebase % 32) // 4) & 7
    pack_end = ebase + 8 if init4 else ebase + 32  # first pack: 4-byte (8 bytes) or 2-byte (32 bytes)
    m.p32(pack_end - 4, 0x00FFFFFF)

@case("z-compact-lookahead-zero.erofs", "z-lz4.erofs", "compact index of /dup/copy1.txt: byte 10 after the map header (the low byte of the pack's last NONHEAD field) set to 0, so that field says delta[1] = 0; the walk then ends at the pack and the file still reads right (found by the byte-edit sweep: it overflowed a subtraction)", "ok")
def _(m):
    at, _ = zheader(m, "/dup/copy1.txt")
    assert m.d[at + 10] == 1, m.d[at + 10]
    m.d[at + 10] = 0

@case("z-full-lookback-past-start.erofs", "z-lz4hc-dedupe.erofs", "full index: lcluster 1 is NONHEAD with delta[0] 0x7ff, before lcluster 0 (reached by a read starting in that block)", "inodeInvalid")
def _(m):
    e = full_entry(m, "/dup/copy2.txt", 1)
    m.p16(e, 2)
    m.p16(e + 4, 0x7FF)

@case("z-full-lookback-zero.erofs", "z-lz4hc-dedupe.erofs", "full index: lcluster 1 (a NONHEAD) gets delta[0] 0, a lookback that never moves (reached by a read starting in that block)", "inodeInvalid")
def _(m):
    e = full_entry(m, "/dup/copy2.txt", 1)
    m.p16(e, 2)
    m.p16(e + 4, 0)

@case("z-cblkcnt-without-big-pcluster.erofs", "z-lz4hc-dedupe.erofs", "full index: CBLKCNT 5 on lcluster 1 of a file without big pclusters", "inodeInvalid")
def _(m):
    e = full_entry(m, "/dup/copy2.txt", 1)
    m.p16(e, 2)
    m.p16(e + 4, 0x800 | 5)

@case("z-full-head-past-end.erofs", "z-lz4hc-dedupe.erofs", "full index: HEAD blkaddr 0x0fffffff (pcluster past the device end)", "blockOutOfRange")
def _(m):
    m.p32(full_entry(m, "/dup/copy2.txt", 0) + 4, 0x0FFFFFFF)

@case("z-extent-longer-than-stream.erofs", "z-lz4hc-dedupe.erofs", "full index: the second head's clusterofs moved 200 bytes later, so the first extent wants more than its pcluster holds", "compressionCorrupt")
def _(m):
    rows = pclusters("z-lz4hc-dedupe.erofs", "/dup/copy2.txt")
    second = rows[1][0]
    e = full_entry(m, "/dup/copy2.txt", second // m.bs)
    m.p16(e + 2, m.u16(e + 2) + 200)

@case("z-head-turned-nonhead.erofs", "z-lz4hc-dedupe.erofs", "full index: the second head (lcluster 2) turned NONHEAD, so the first extent claims the whole file", "compressionCorrupt")
def _(m):
    e = full_entry(m, "/dup/copy2.txt", 2)
    m.p16(e, 2)
    m.p16(e + 4, 2)
    m.p16(e + 6, 1)

@case("z-head-clusterofs-past-lcluster.erofs", "z-lz4hc-dedupe.erofs", "full index: the second head's clusterofs set to 5000, past its 4096-byte lcluster", "inodeInvalid")
def _(m):
    rows = pclusters("z-lz4hc-dedupe.erofs", "/dup/copy2.txt")
    e = full_entry(m, "/dup/copy2.txt", rows[1][0] // m.bs)
    m.p16(e + 2, 5000)

@case("z-extent-shorter-than-stream.erofs", "z-lz4hc-dedupe.erofs", "full index: the second head's clusterofs moved 1000 bytes earlier, so the first pcluster decodes to more than its extent", "compressionCorrupt")
def _(m):
    rows = pclusters("z-lz4hc-dedupe.erofs", "/dup/copy2.txt")
    e = full_entry(m, "/dup/copy2.txt", rows[1][0] // m.bs)
    m.p16(e + 2, m.u16(e + 2) - 1000)

for _alg, _img in (("lz4", "z-lz4hc.erofs"), ("lzma", "z-lzma.erofs"), ("deflate", "z-deflate.erofs"), ("zstd", "z-zstd.erofs")):
    def _edit(m, _img=_img):
        logical, length, physical, plen = pclusters(_img, MEDIUM)[1]
        scribble(m, physical + plen // 2, 64)
    case(f"z-{_alg}-stream-corrupt.erofs", _img, f"64 bytes in the middle of the second {_alg} pcluster of {MEDIUM} overwritten", "compressionCorrupt")(_edit)

@case("z-pcluster-all-zero.erofs", "z-zstd.erofs", "the first zstd pcluster zeroed (nothing but zero padding)", "compressionCorrupt")
def _(m):
    logical, length, physical, plen = pclusters("z-zstd.erofs", MEDIUM)[0]
    m.d[physical:physical + plen] = bytes(plen)

@case("z-zstd-bomb.erofs", "z-zstd-C65536-ztailpacking.erofs", "decompression bomb: the first 64 KiB pcluster of /b-mixed.bin replaced by a zstd frame of 300 MB of zeros (made with the zstd command)", "compressionCorrupt")
def _(m):
    import subprocess
    bomb = subprocess.run(["zstd", "-19", "-q", "-c", "--no-check"], input=bytes(300_000_000), check=True, capture_output=True).stdout
    logical, length, physical, plen = pclusters("z-zstd-C65536-ztailpacking.erofs", "/b-mixed.bin")[0]
    assert len(bomb) < plen, (len(bomb), plen)
    m.d[physical:physical + plen] = bytes(1000) + bomb + bytes(plen - 1000 - len(bomb))   # padding stays under a block

@case("z-inline-crosses-block.erofs", "z-lz4hc-ztailpacking.erofs", "ztailpacking: h_idata_size 4000, so the inline pcluster crosses its block", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.p16(at + 2, 4000)

@case("z-fragment-past-packed-end.erofs", "z-lz4hc-fragments.erofs", "h_fragmentoff 0x7fffffff: the tail fragment is past the end of the packed inode", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.p32(at, 0x7FFFFFFF)

@case("z-full-fragment-high-bits.erofs", "z-lz4hc-fragments.erofs", "full index with a tail fragment: the tail head's blkaddr (bits 32-63 of the fragment offset) set to 1, moving the fragment 4 GiB up, past the packed inode", "inodeInvalid")
def _(m):
    rows = pclusters("z-lz4hc-fragments.erofs", "/dup/copy2.txt")
    tail_head = rows[-1][0] // m.bs
    m.p32(full_entry(m, "/dup/copy2.txt", tail_head) + 4, 1)

@case("z-whole-file-fragment-huge-offset.erofs", "z-lz4hc-all-fragments.erofs", "whole-file fragment offset 2^62", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    m.p64(at, (1 << 63) | (1 << 62))

@case("z-encoded-length-past-end.erofs", "z-zstd-48bit.erofs", "encoded extents: the first record's length set to 2 MiB - 1 (later pclusters move past the device end)", "blockOutOfRange")
def _(m):
    at, _ = zheader(m, MEDIUM)
    rec = (at + 8 + 3) // 4 * 4 + 8          # 4-byte records after the 8-byte base address
    m.p32(rec, (m.u32(rec) & 0xF0000000) | 0x1FFFFF)

@case("z-encoded-unknown-format.erofs", "z-zstd-48bit.erofs", "encoded extents: record format 15 (algorithm 14)", "inodeInvalid")
def _(m):
    at, _ = zheader(m, MEDIUM)
    rec = (at + 8 + 3) // 4 * 4 + 8
    m.p32(rec + 4, m.u32(rec + 4) | 0xF0000000)

@case("z-size-huge.erofs", "z-lz4hc.erofs", "i_size 0xfff00000 on a compact-index file of 300001 bytes (its index would run far past the inode)", "inodeInvalid")
def _(m):
    _, ino = zheader(m, MEDIUM)
    m.p32(ino["size_off"], 0xFFF00000)

case("z-truncated-in-pcluster.erofs", "z-lz4hc.erofs", "cut in the middle of the last pcluster of /files/medium300k.txt (mkfs 1.9 writes inodes after the data, so later inodes are cut off too)", "nidOutOfRange",
     checksum=False, truncate=lambda m: pclusters("z-lz4hc.erofs", MEDIUM)[-1][2] + 100)(lambda m: None)


# ------------------------------------------------------------------ truncation
for size in (1000, 1100, 2048):
    case(f"truncated-{size}.erofs", "layer-a.erofs", f"cut to {size} bytes (inside the superblock or its checksum block)", "truncated",
         checksum=False, truncate=size)(lambda m: None)
case("truncated-4096.erofs", "layer-a.erofs", "cut to the first block: inodes and dirents are present, file data is not",
     "blockOutOfRange", checksum=False, truncate=4096)(lambda m: None)
case("truncated-inside-last-file.erofs", "layer-a.erofs", "cut one byte before the end of the file data that ends last",
     "blockOutOfRange", checksum=False, truncate=lambda m: max(i["u"] * m.bs + i["size"] for _, i in m.walk()
                                                               if i["mode"] & 0o170000 == 0o100000 and i["layout"] == 0 and i["size"]) - 1)(lambda m: None)
case("truncated-tari-1600.erofs", "tari.erofs", "the tar-index image cut at 1600 bytes, inside the inline data of a directory",
     "blockOutOfRange", ["../images/tari-layer.tar"], checksum=False, truncate=1600)(lambda m: None)


def main():
    if os.path.isdir(OUT):
        for n in os.listdir(OUT):
            if n.endswith(".erofs") or n.endswith(".blob") or n == "cases.json":
                os.remove(os.path.join(OUT, n))
    os.makedirs(OUT, exist_ok=True)
    listed = []
    for file, source, what, expect, devices, checksum, truncate, edit in CASES:
        m = Img(source)
        edit(m)
        if checksum:
            m.fix_checksum()
        data = m.d
        if truncate is not None:
            data = data[:truncate(m) if callable(truncate) else truncate]
        with open(os.path.join(OUT, file), "wb") as f:
            f.write(data)
        listed.append({"file": file, "source": source, "devices": devices, "what": what, "expect": expect})
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"format": "erofs-top-corrupt/1", "cases": listed}, f, indent=1)
        f.write("\n")
    print(f"corrupt.py: {len(listed)} cases in {OUT}")


if __name__ == "__main__":
    sys.exit(main())
