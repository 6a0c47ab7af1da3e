#!/usr/bin/env bash
# Second set of compressed fixtures, from the `zextra` tree of gen_tree.py (long files, mixed
# compressible and random data, prefix-shifted copies for partial-reference dedupe):
# big pclusters with every algorithm, ztailpacking with big pclusters, encoded extents
# (-E48bit) with big pclusters, fragments and dedupe, and FULL indexes with fragments.
#
#   Tests/Fixtures/make-zextra-fixtures.sh     (also run at the end of make-fixtures.sh)
#
# Rebuilds only these images and their manifest, and replaces their entries in
# images/index.json; then checks them with fsck.erofs 1.9 like the others.
set -euo pipefail
cd "$(dirname "$0")"
SID=${EROFS_UTILS_SID:-$PWD/../../../shared/tools/erofs-utils-sid}
[ -x "$SID" ] || { echo "make-zextra-fixtures: $SID not found" >&2; exit 1; }
export LC_ALL=C TZ=UTC
IMG=images
BUILD=build
mkdir -p "$IMG/manifests" "$BUILD"
python3 gen_tree.py zextra "$BUILD/src/zextra"
python3 manifest.py --erofs-quirks "$BUILD/src/zextra" "$IMG/manifests/zextra.json"
TSV=$BUILD/zextra-index.tsv
: >"$TSV"
zx() { # zx NAME FEATURES UUID MKFS-ARGS...
	local name=$1 feats=$2 uuid=$3; shift 3
	echo "== $name: mkfs.erofs $*"
	"$SID" mkfs.erofs --quiet -T1700000000 --mkfs-time -U"$uuid" "$@" "$IMG/$name" "$BUILD/src/zextra"
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" zextra "" "$feats" \
		"mkfs.erofs --quiet -T1700000000 --mkfs-time -U$uuid $* images/$name build/src/zextra" >>"$TSV"
}
zx z-lz4hc-dedupe-fragments.erofs "compressed,lz4hc,dedupe,fragments,full-indexes,partial-ref,packed-inode,whole-file-fragments" \
	44444444-0000-4000-8000-000000000001 -zlz4hc -Ededupe,fragments
zx z-lz4hc-C65536-48bit.erofs "compressed,lz4hc,48bit,encoded-extents,big-pcluster" \
	44444444-0000-4000-8000-000000000002 -zlz4hc -C65536 -E48bit
zx z-lz4hc-48bit-dedupe-fragments.erofs "compressed,lz4hc,48bit,encoded-extents,dedupe,partial-ref,fragments,packed-inode" \
	44444444-0000-4000-8000-000000000003 -zlz4hc -E48bit,dedupe,fragments
zx z-lzma-C131072-48bit.erofs "compressed,lzma,48bit,encoded-extents,big-pcluster,compr-cfgs" \
	44444444-0000-4000-8000-000000000004 -zlzma -C131072 -E48bit
zx z-deflate-C65536-ztailpacking.erofs "compressed,deflate,big-pcluster,ztailpacking,inline-pcluster,compact-indexes" \
	44444444-0000-4000-8000-000000000005 -zdeflate -C65536 -Eztailpacking
zx z-zstd-C65536-ztailpacking.erofs "compressed,zstd,big-pcluster,ztailpacking,inline-pcluster,compact-indexes" \
	44444444-0000-4000-8000-000000000006 -zzstd -C65536 -Eztailpacking

python3 fixture_index.py "$TSV" "$IMG/zextra-index.tmp.json"   # reads the images next to its output
python3 - "$IMG/index.json" "$IMG/zextra-index.tmp.json" <<'PY'
import json, sys
index, extra = (json.load(open(p)) for p in sys.argv[1:3])
names = {i["file"] for i in extra["images"]}
index["images"] = [i for i in index["images"] if i["file"] not in names] + extra["images"]
with open(sys.argv[1], "w") as f:
    json.dump(index, f, indent=1)
    f.write("\n")
PY
rm "$IMG/zextra-index.tmp.json"
python3 check_fixtures.py --sid "$SID" "$IMG"
