#!/usr/bin/env python3
"""Deterministic source-tree generator for the erofs-top test fixtures.

    gen_tree.py KIND OUTDIR        (OUTDIR is deleted and recreated)
    gen_tree.py --list

Every byte comes from a seeded PRNG (random.Random(seed)), every mtime is set
explicitly (no clock time), owners/modes/xattrs are set explicitly. Device
nodes, trusted.* xattrs and chown need root.

Kinds:
  full          every node type, xattrs, hard links, long names, deep tree,
                ~600-entry directory, odd modes and owners (plain/noinline/48bit/
                digest/compressed images)
  chunked       smaller tree + sparse 3 MiB file + 2 MiB+ file with duplicate
                chunks (chunk-based images)
  layer-base, layer-a, layer-b, layer-c
                rebuild-mode layers (a/b/c override and extend base)
  tarsrc        content for the --tar=i image (tar built by make_tar.py)
"""
import os
import random
import shutil
import socket
import stat
import sys

EPOCH = 1700000000          # default mtime of everything (2023-11-14T22:13:20Z)
WORDS = ("erofs inode block chunk device tag superblock xattr dirent nid "
         "extent cluster page cache readahead mount blob layer image tree "
         "lorem ipsum dolor sit amet consectetur adipiscing elit sed do").split()


class Gen:
    def __init__(self, root, seed):
        self.root = root
        self.rng = random.Random(seed)
        self.mtimes = {}      # relpath -> mtime (applied at the end, bottom-up)
        self.dirs = []

    # ---- content helpers -------------------------------------------------
    def rand(self, n):
        return self.rng.randbytes(n)

    def text(self, n, rng=None):
        r = rng or self.rng
        out = bytearray()
        line = 0
        while len(out) < n:
            line += 1
            words = " ".join(r.choice(WORDS) for _ in range(r.randint(4, 14)))
            out += f"{line:06d}: {words}\n".encode()
        return bytes(out[:n])

    def p(self, rel):
        return os.path.join(self.root, rel.lstrip("/"))

    # ---- node helpers ----------------------------------------------------
    def mkdir(self, rel, mode=0o755, mtime=None, uid=0, gid=0):
        path = self.p(rel)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        os.chown(path, uid, gid)
        self.mtimes[rel] = EPOCH if mtime is None else mtime
        self.dirs.append(rel)

    def parent(self, rel):
        d = os.path.dirname(rel.rstrip("/"))
        if d and d != "/" and not os.path.isdir(self.p(d)):
            self.mkdir(d)

    def file(self, rel, data, mode=0o644, mtime=None, uid=0, gid=0, xattrs=None):
        self.parent(rel)
        path = self.p(rel)
        with open(path, "wb") as f:
            f.write(data)
        os.chown(path, uid, gid)
        os.chmod(path, mode)          # after chown: chown clears suid/sgid
        for k, v in (xattrs or {}).items():
            os.setxattr(path, k, v)
        self.mtimes[rel] = EPOCH if mtime is None else mtime

    def sparse(self, rel, size, pieces, mtime=None):
        """pieces: list of (offset, bytes); everything else is a hole."""
        self.parent(rel)
        path = self.p(rel)
        with open(path, "wb") as f:
            for off, data in pieces:
                f.seek(off)
                f.write(data)
            f.truncate(size)
        os.chmod(path, 0o644)
        self.mtimes[rel] = EPOCH if mtime is None else mtime

    def link(self, target_rel, rel):
        self.parent(rel)
        os.link(self.p(target_rel), self.p(rel))

    def symlink(self, target, rel, mtime=None, xattrs=None, uid=0, gid=0):
        self.parent(rel)
        os.symlink(target, self.p(rel))
        os.lchown(self.p(rel), uid, gid)
        for k, v in (xattrs or {}).items():
            os.setxattr(self.p(rel), k, v, follow_symlinks=False)
        self.mtimes[rel] = EPOCH if mtime is None else mtime

    def node(self, rel, kind, major=0, minor=0, mode=0o644, mtime=None, uid=0, gid=0):
        self.parent(rel)
        path = self.p(rel)
        if kind == "chr":
            os.mknod(path, stat.S_IFCHR | mode, os.makedev(major, minor))
        elif kind == "blk":
            os.mknod(path, stat.S_IFBLK | mode, os.makedev(major, minor))
        elif kind == "fifo":
            os.mkfifo(path, mode)
        elif kind == "sock":
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(path)
            s.close()
        os.chown(path, uid, gid)
        os.chmod(path, mode)
        self.mtimes[rel] = EPOCH if mtime is None else mtime

    def finish(self):
        os.chmod(self.root, 0o755)
        os.chown(self.root, 0, 0)
        self.mtimes.setdefault("/", EPOCH)
        # deepest first so setting a child's mtime never touches a finished parent
        for rel in sorted(self.mtimes, key=lambda r: (-r.count("/"), r)):
            t = self.mtimes[rel]
            os.utime(self.p(rel) if rel != "/" else self.root, ns=(t * 10**9, t * 10**9),
                     follow_symlinks=False)


# ---------------------------------------------------------------------------
def kind_full(g):
    g.mkdir("/", 0o755)
    g.file("/README.txt", g.text(5000), xattrs={"user.comment": b"fixture root readme"})
    # --- regular files of assorted sizes
    g.mkdir("/files")
    g.file("/files/empty", b"")
    g.file("/files/empty2", b"", mode=0o600)
    g.file("/files/tiny.txt", b"hello")
    g.file("/files/one-byte", b"\n")
    g.file("/files/block4096.bin", g.rand(4096))
    g.file("/files/block8192.txt", g.text(8192))
    g.file("/files/odd4097.bin", g.rand(4097))
    g.file("/files/odd12345.txt", g.text(12345))
    g.file("/files/tail3713.bin", g.rand(2 * 4096 + 3713))
    g.file("/files/tail4095.txt", g.text(4095))
    g.file("/files/zeros65536.bin", bytes(65536))
    g.file("/files/medium300k.txt", g.text(300001))
    g.file("/files/random20k.bin", g.rand(20000))
    g.file("/files/repeat-a.bin", b"A" * 100000)
    # --- duplicate content in several paths
    dup_text = g.text(20000)
    dup_rand = g.rand(12000)
    g.file("/dup/copy1.txt", dup_text)
    g.file("/dup/copy2.txt", dup_text, mtime=EPOCH + 1)
    g.file("/dup/sub/copy3.txt", dup_text, mode=0o600)
    g.file("/dup/rand1.bin", dup_rand)
    g.file("/dup/rand2.bin", dup_rand)
    # --- hard links (nlink 3, across directories)
    g.file("/links/hard-a", g.text(3000), xattrs={"user.shared": b"common-value"})
    g.link("/links/hard-a", "/links/hard-b")
    g.link("/links/hard-a", "/files/hard-c")
    g.file("/links/hard-empty-1", b"")
    g.link("/links/hard-empty-1", "/links/hard-empty-2")
    # --- symlinks
    g.symlink("../files/tiny.txt", "/symlinks/rel")
    g.symlink("/etc/passwd", "/symlinks/abs")
    g.symlink("../deep/d01/d02", "/symlinks/into-deep")
    g.symlink("sub/target.txt", "/symlinks/into-sub")
    g.file("/symlinks/sub/target.txt", b"target of symlink\n")
    g.symlink("does/not/exist", "/symlinks/dangling")
    g.symlink(".", "/symlinks/dot")
    g.symlink("x", "/symlinks/one")
    long_target = "/".join(f"seg{i:03d}" for i in range(200))  # 1399 bytes
    g.symlink(long_target, "/symlinks/long1399")
    g.symlink("L" * 4000 + "/end", "/symlinks/long4004")
    g.symlink("../files", "/symlinks/dirlink", xattrs={"trusted.symxattr": b"on-a-symlink"})
    # --- long names
    g.file("/longnames/" + "n" * 255, b"255-byte name\n")
    g.file("/longnames/" + "m" * 254, b"254-byte name\n")
    g.mkdir("/longnames/" + "D" * 255)
    g.file("/longnames/" + "D" * 255 + "/" + "f" * 255, b"deep long\n")
    g.file("/longnames/" + "\u00e9" * 127 + "x", "utf8 name\n".encode())  # 255 bytes
    g.file("/longnames/with space & 'quotes'", b"odd chars\n")
    g.file("/longnames/a", b"1-char name\n")
    g.file("/longnames/.hidden", b"dot file\n")
    g.file("/longnames/...", b"three dots\n")
    # --- deep tree, 40 levels
    d = "/deep"
    g.mkdir(d)
    for i in range(1, 41):
        d += f"/d{i:02d}"
        g.mkdir(d, mtime=EPOCH - i * 3600)
    g.file(d + "/leaf.txt", b"forty levels down\n")
    g.file("/deep/d01/mid.txt", b"level one\n")
    # --- many entries (spans several 4 KiB directory blocks)
    g.mkdir("/many")
    for i in range(600):
        name = f"/many/entry-{i:04d}" + ("-long-suffix-for-variety" if i % 7 == 0 else "")
        if i % 50 == 0:
            g.mkdir(name)
        elif i % 10 != 1:
            g.file(name, b"")
        else:
            g.file(name, f"entry {i}\n".encode())
    # --- special nodes
    g.node("/dev/null-like", "chr", 1, 3, 0o666)
    g.node("/dev/sda-like", "blk", 8, 1, 0o660, gid=6)
    g.node("/dev/bigdev", "chr", 300, 70000, 0o600)   # exercises 12-bit major / 20-bit minor
    g.node("/dev/whiteout", "chr", 0, 0, 0o000)
    g.node("/dev/fifo", "fifo", mode=0o644)
    g.node("/dev/sock", "sock", mode=0o755)
    # --- modes
    g.mkdir("/modes")
    g.file("/modes/m0600", b"0600\n", mode=0o600)
    g.file("/modes/m0755", b"#!/bin/sh\necho 0755\n", mode=0o755)
    g.file("/modes/m4755-suid", b"suid\n", mode=0o4755)
    g.file("/modes/m2755-sgid", b"sgid\n", mode=0o2755)
    g.file("/modes/m0000", b"no perms\n", mode=0o000)
    g.file("/modes/m7777", b"all bits\n", mode=0o7777)
    g.mkdir("/modes/sticky1777", mode=0o1777)
    g.mkdir("/modes/ro0555", mode=0o555)
    g.mkdir("/modes/sgid-dir2775", mode=0o2775)
    # --- owners (> 65535 forces extended inodes)
    g.file("/owners/uid70000", b"big uid\n", uid=70000, gid=70001)
    g.file("/owners/uid1000", b"normal uid\n", uid=1000, gid=1000)
    g.file("/owners/gid65535", b"edge gid\n", uid=65535, gid=65535)
    g.file("/owners/uid65536", b"just over\n", uid=65536, gid=0)
    g.mkdir("/owners/dir-uid4000000000", uid=4000000000, gid=4000000001)
    g.symlink("uid70000", "/owners/link-uid70000", uid=70000, gid=70000)
    # --- xattrs (several values repeated across files so mkfs shares them)
    shared = {"user.shared": b"common-value", "trusted.shared": b"trusted-common"}
    for i in range(6):
        xa = dict(shared)
        xa[f"user.unique{i}"] = f"value-{i}".encode()
        if i % 2 == 0:
            xa["user.even"] = b"even"
        g.file(f"/xattrs/x{i}", f"xattr file {i}\n".encode(), xattrs=xa)
    g.file("/xattrs/long-value", b"lv\n", xattrs={"user.long": g.text(1000), "trusted.big": g.rand(300)})
    g.file("/xattrs/empty-value", b"", xattrs={"user.empty": b""})
    g.file("/xattrs/many", b"many\n",
           xattrs={f"user.k{i:02d}": f"v{i}".encode() for i in range(20)})
    g.file("/xattrs/long-name", b"ln\n", xattrs={"user." + "q" * 200: b"long name"})
    g.mkdir("/xattrs/opaque-dir")
    os.setxattr(g.p("/xattrs/opaque-dir"), "trusted.overlay.opaque", b"y")
    os.setxattr(g.p("/xattrs/opaque-dir"), "user.shared", b"common-value")
    g.file("/xattrs/opaque-dir/inside", b"in\n")
    # --- distinct mtimes
    g.file("/mtimes/t0", b"epoch 0\n", mtime=0)
    g.file("/mtimes/t1e9", b"2001\n", mtime=1000000000)
    g.file("/mtimes/t2e9", b"2033\n", mtime=2000000000)
    g.file("/mtimes/t2038plus", b"after 2038\n", mtime=2200000000)
    g.file("/mtimes/t-older", b"older than build\n", mtime=EPOCH - 86400 * 365)
    g.mkdir("/mtimes/dir-1e9", mtime=1000000000)


def kind_chunked(g):
    g.mkdir("/", 0o755)
    g.file("/empty", b"")
    g.file("/tiny.txt", b"hello chunks\n")
    g.file("/block4096.bin", g.rand(4096))
    g.file("/block8192.bin", g.rand(8192))
    g.file("/odd70000.bin", g.rand(70000))            # 2 chunks at 64 KiB, last partial
    g.file("/exact65536.txt", g.text(65536))
    g.file("/text100k.txt", g.text(100000))
    g.link("/text100k.txt", "/text100k-hardlink.txt")
    g.symlink("text100k.txt", "/link-to-text")
    g.file("/sub/dup1.bin", open(g.p("/odd70000.bin"), "rb").read())   # whole-file duplicate
    g.file("/sub/dup2.txt", open(g.p("/exact65536.txt"), "rb").read(), uid=70000, gid=70000,
           xattrs={"user.shared": b"common-value"})
    g.file("/sub/x.txt", b"x\n", xattrs={"user.shared": b"common-value", "user.other": b"o"})
    g.node("/sub/fifo", "fifo")
    # Sparse: 3 MiB, data only in the first 4 KiB of [0,1M) and [2M,3M): identical
    # 1 MiB chunks (dedup at 1 MiB chunking); every other 64 KiB chunk is all zero (holes).
    head = g.rand(4096)
    g.sparse("/sparse/sparse-3m", 3 << 20, [(0, head), (2 << 20, head)])
    # 2 MiB + 5000: first two 1 MiB chunks identical to sparse-3m's chunk 0, then a tail.
    tail = g.rand(5000)
    g.sparse("/sparse/big-2m", (2 << 20) + 5000, [(0, head), (1 << 20, head), (2 << 20, tail)])
    # 64 KiB chunk dedupe: 4 identical 64 KiB chunks and one different
    pat = g.text(65536)
    g.file("/sparse/repeat-64k-x4.txt", pat * 4 + g.text(1000))
    g.sparse("/sparse/all-zero-1m", 1 << 20, [])


# --- rebuild layers --------------------------------------------------------
def _layer_common(g, name):
    g.mkdir("/", 0o755)
    g.mkdir("/etc")
    g.mkdir("/usr")
    g.mkdir("/usr/lib")
    g.mkdir("/opt")
    g.mkdir("/opt/app")


def kind_layer_base(g):
    _layer_common(g, "base")
    g.file("/etc/config", b"layer=base\nvalue=1\n")
    g.file("/etc/hostname", b"base-host\n")
    g.file("/etc/keep.conf", g.text(3000))
    g.file("/usr/lib/libfoo.so", g.rand(20000), mode=0o755)
    g.file("/usr/lib/libbig.so", g.rand(70000), mode=0o755, xattrs={"user.origin": b"base"})
    g.link("/usr/lib/libfoo.so", "/usr/lib/libfoo.so.1")
    g.symlink("libfoo.so.1", "/usr/lib/libfoo.so.1.0")
    g.file("/opt/app/main.py", g.text(5000))
    g.file("/opt/app/data.bin", g.rand(9000))
    g.file("/opt/app/remove-me", b"will be whiteouted by layer-b\n")
    g.file("/opt/app/replaced-by-dir", b"base file\n")
    g.file("/data/shared.txt", g.text(4096))
    g.file("/data/empty", b"")
    g.node("/dev-null", "chr", 1, 3, 0o666)
    g.mkdir("/var", mtime=EPOCH - 100)
    g.file("/var/log.txt", g.text(100))


def kind_layer_a(g):
    _layer_common(g, "a")
    g.file("/etc/config", b"layer=a\nvalue=2\n")
    g.file("/usr/lib/libbar.so", g.rand(12000), mode=0o755)
    g.file("/opt/app/main.py", g.text(6000))
    g.file("/opt/app/new-in-a.txt", b"added by layer a\n", uid=70000, gid=70000)
    g.file("/data/shared.txt", g.text(4096))          # different content
    g.mkdir("/var", mtime=EPOCH + 100, mode=0o700)      # dir attrs differ from base


def kind_layer_b(g):
    _layer_common(g, "b")
    g.file("/etc/config", b"layer=b\nvalue=3\n")
    g.file("/etc/new-in-b.conf", g.text(2500))
    g.node("/opt/app/remove-me", "chr", 0, 0, 0o000)   # overlay whiteout
    g.mkdir("/opt/app/replaced-by-dir")
    g.file("/opt/app/replaced-by-dir/inner.txt", b"inner\n")
    g.symlink("../etc/config", "/opt/config-link")
    g.file("/usr/lib/libfoo.so", g.rand(15000), mode=0o755)  # breaks base's hard link pair


def kind_layer_c(g):
    g.mkdir("/", 0o755)
    g.file("/c-only.txt", g.text(10000))
    g.file("/etc/config", b"layer=c\nvalue=4\n")
    g.file("/etc/hostname", b"c-host\n", mode=0o600)


def kind_tarsrc(g):
    g.mkdir("/", 0o755)
    g.file("/hello.txt", b"hello from a tar index\n")
    g.file("/block4096.bin", g.rand(4096))
    g.file("/odd5000.txt", g.text(5000))
    g.file("/empty", b"")
    g.file("/sub/medium.bin", g.rand(50000), mode=0o600, uid=1000, gid=1000)
    g.file("/sub/xattr.txt", b"xattr via pax\n", xattrs={"user.tar": b"pax-xattr"})
    g.link("/sub/medium.bin", "/sub/medium-hardlink.bin")
    g.symlink("../hello.txt", "/sub/link")
    g.file("/" + "t" * 200 + "/" + "long" * 20 + ".txt", b"long path (pax path)\n")
    g.node("/chr", "chr", 5, 1, 0o600)
    g.node("/fifo", "fifo")
    g.file("/uid70000", b"big uid\n", uid=70000, gid=70001, mtime=1000000000)


def kind_zextra(g):
    """Content for the second set of compressed fixtures: files long enough for many extents
    and big pclusters, a mix of compressible and random blocks, and files that repeat a
    prefix-shifted copy of another (so that -Ededupe makes partial-reference extents)."""
    g.mkdir("/", 0o755)
    base = g.text(400_000)
    g.file("/a-text.txt", base)
    mixed = bytearray()
    while len(mixed) < 1_200_000:
        mixed += g.text(g.rng.randint(1000, 40000)) if g.rng.random() < 0.7 else g.rand(g.rng.randint(100, 20000))
    g.file("/b-mixed.bin", bytes(mixed[:1_200_000]))
    g.file("/c-shifted.txt", g.text(5000) + base[:200_000])
    g.file("/d-shifted.txt", g.text(9000) + base[100_000:300_000])
    g.file("/e-zeros.bin", bytes(1_000_000))
    g.file("/f-random.bin", g.rand(150_000))
    g.file("/g-tail.txt", g.text(4096 * 7 + 123))
    for i in range(40):
        g.file(f"/small/s{i:02d}.txt", g.text(g.rng.randint(1, 9000)))


KINDS = {
    "full": kind_full,
    "chunked": kind_chunked,
    "layer-base": kind_layer_base,
    "layer-a": kind_layer_a,
    "layer-b": kind_layer_b,
    "layer-c": kind_layer_c,
    "tarsrc": kind_tarsrc,
    "zextra": kind_zextra,
}


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print("\n".join(KINDS))
        return
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit(f"usage: {sys.argv[0]} KIND OUTDIR   (KIND: {', '.join(KINDS)})")
    kind, out = sys.argv[1], sys.argv[2]
    if os.path.lexists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    os.umask(0)
    g = Gen(out, seed=sum(kind.encode()) * 7919 + len(kind))
    KINDS[kind](g)
    g.finish()


if __name__ == "__main__":
    main()
