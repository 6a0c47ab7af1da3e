#!/usr/bin/env bash
# Regenerate every fixture image under Tests/Fixtures/images/ from scratch.
#
#   Tests/Fixtures/make-fixtures.sh          (needs root: device nodes, chown, trusted.* xattrs)
#
# Uses erofs-utils 1.9.4 through ../shared/tools/erofs-utils-sid (relative to the repo root;
# override with EROFS_UTILS_SID=/path/to/tool). Source trees are generated deterministically
# by gen_tree.py into build/ (not committed); images, blobs, the tar, manifests and
# images/index.json are committed. Every image is checked with fsck.erofs 1.9 (with
# --device= for extra devices), and each image's content is compared with its manifest
# through fsck.erofs --extract. Kernel mounts: verify-with-kernel.sh.
set -euo pipefail
cd "$(dirname "$0")"
FIX=$PWD
SID=${EROFS_UTILS_SID:-$FIX/../../../shared/tools/erofs-utils-sid}
[ -x "$SID" ] || { echo "make-fixtures: $SID not found" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "make-fixtures: needs root (mknod, chown, trusted.* xattrs)" >&2; exit 1; }
export LC_ALL=C TZ=UTC

IMG=images
BUILD=build
rm -rf "$IMG" "$BUILD"
mkdir -p "$IMG/manifests" "$BUILD/src"
: >"$BUILD/index.tsv"
: >"$BUILD/failed.txt"

TIME=(-T1700000000 --mkfs-time)   # fixed build time; per-file mtimes kept from the tree

mkfs() { "$SID" mkfs.erofs "$@"; }

tree() { # tree KIND -> generates build/src/KIND and images/manifests/KIND.json
	python3 gen_tree.py "$1" "$BUILD/src/$1"
	python3 manifest.py --erofs-quirks "$BUILD/src/$1" "$IMG/manifests/$1.json"
}

# mk NAME MANIFEST "DEV1 DEV2" "feature,feature" MKFS-ARGS...   (paths relative to Tests/Fixtures)
mk() {
	local name=$1 man=$2 devs=$3 feats=$4; shift 4
	echo "== $name: mkfs.erofs $*"
	mkfs "$@" || return 1
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$man" "$devs" "$feats" "mkfs.erofs $*" >>"$BUILD/index.tsv"
}

# try NAME ... : like mk but a failure is recorded instead of fatal
try() {
	local name=$1
	if ! mk "$@" 2>"$BUILD/$name.err"; then
		echo "!! $name failed: $(tail -n3 "$BUILD/$name.err" | tr '\n' ' ')" | tee -a "$BUILD/failed.txt"
		rm -f "$IMG/$name"
		# drop the index line if mk managed to write it
		grep -v "^$name	" "$BUILD/index.tsv" >"$BUILD/index.tmp" || true
		mv "$BUILD/index.tmp" "$BUILD/index.tsv"
	fi
}

for k in full chunked layer-base layer-a layer-b layer-c tarsrc; do tree "$k"; done
S=$BUILD/src
python3 manifest.py --erofs-quirks --digest=erofs.fingerprint.v1 "$S/full" "$IMG/manifests/full-digest.json"
python3 manifest.py --erofs-quirks --digest=trusted.erofs.fingerprint "$S/full" "$IMG/manifests/full-digest-trusted.json"

# ---------------------------------------------------------------- uncompressed, flat
mk plain.erofs full "" "flat-plain,flat-inline,xattrs,shared-xattrs,xattr-filter,hardlinks,symlinks,devices,fifo,socket,long-names,deep-tree,multi-block-dir,extended-inodes,sb-checksum" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-000000000001 "$IMG/plain.erofs" "$S/full"
mk noinline.erofs full "" "flat-plain-only,noinline,xattrs,hardlinks,symlinks,devices,deep-tree,multi-block-dir,extended-inodes" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-000000000002 -E^inline_data "$IMG/noinline.erofs" "$S/full"
for b in 512 1024; do
	mk "plain-b$b.erofs" full "" "blocksize-$b,flat-plain,flat-inline,xattrs,multi-block-dir" \
		--quiet "${TIME[@]}" -U11111111-0000-4000-8000-00000000$(printf %04x $b) -b$b "$IMG/plain-b$b.erofs" "$S/full"
done
for b in 8192 16384 65536; do   # expected to fail: mkfs 1.9.4 caps the block size at the page size
	try "plain-b$b.erofs" full "" "blocksize-$b" --quiet "${TIME[@]}" -b$b "$IMG/plain-b$b.erofs" "$S/full"
done
mk 48bit.erofs full "" "48bit,flat-plain,flat-inline,xattrs,dot-entries" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-000000000048 -E48bit "$IMG/48bit.erofs" "$S/full"
mk dot-omitted.erofs full "" "48bit,dot-omitted,flat-plain,flat-inline" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-0000000000d0 -Edot-omitted "$IMG/dot-omitted.erofs" "$S/full"
mk digest.erofs full-digest "" "xattr-inode-digest,long-xattr-prefixes,hidden-xattr,ishare-xattrs,plain-xattr-prefixes" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-0000000000d1 --xattr-inode-digest "$IMG/digest.erofs" "$S/full"
mk digest-trusted.erofs full-digest-trusted "" "xattr-inode-digest,long-xattr-prefixes,ishare-xattrs,trusted-fingerprint" \
	--quiet "${TIME[@]}" -U11111111-0000-4000-8000-0000000000d2 --xattr-inode-digest=trusted.erofs.fingerprint "$IMG/digest-trusted.erofs" "$S/full"

# ---------------------------------------------------------------- chunk-based
mk chunk64k.erofs chunked "" "chunk-based,block-map,holes,chunk-dedupe,hardlinks" \
	--quiet "${TIME[@]}" -U22222222-0000-4000-8000-000000000001 --chunksize=65536 "$IMG/chunk64k.erofs" "$S/chunked"
mk chunkidx64k.erofs chunked "" "chunk-based,chunk-indexes,holes,chunk-dedupe" \
	--quiet "${TIME[@]}" -U22222222-0000-4000-8000-000000000002 --chunksize=65536 -Eforce-chunk-indexes "$IMG/chunkidx64k.erofs" "$S/chunked"
mk chunkidx64k-blob.erofs chunked "chunkidx64k-blob.blob" "chunk-based,chunk-indexes,blobdev,device-table,empty-tag,holes,chunk-dedupe" \
	--quiet "${TIME[@]}" -U22222222-0000-4000-8000-000000000003 --chunksize=65536 --blobdev="$IMG/chunkidx64k-blob.blob" "$IMG/chunkidx64k-blob.erofs" "$S/chunked"
mk chunk1m-blob.erofs chunked "chunk1m-blob.blob" "chunk-based,chunk-indexes,blobdev,device-table,empty-tag,holes,chunk-dedupe,file-over-2MiB" \
	--quiet "${TIME[@]}" -U22222222-0000-4000-8000-000000000004 --chunksize=1048576 --blobdev="$IMG/chunk1m-blob.blob" "$IMG/chunk1m-blob.erofs" "$S/chunked"
mk chunk64k-48bit.erofs chunked "" "48bit,chunk-based,block-map,holes" \
	--quiet "${TIME[@]}" -U22222222-0000-4000-8000-000000000048 -E48bit --chunksize=65536 "$IMG/chunk64k-48bit.erofs" "$S/chunked"

# ---------------------------------------------------------------- rebuild mode (multi-device)
mk layer-base.erofs layer-base "" "rebuild-source,flat-plain-only,noinline" \
	--quiet "${TIME[@]}" -Uaaaaaaaa-0000-4000-8000-00000000000b -E^inline_data "$IMG/layer-base.erofs" "$S/layer-base"
mk layer-a.erofs layer-a "" "rebuild-source,flat-plain-only,noinline" \
	--quiet "${TIME[@]}" -Uaaaaaaaa-0000-4000-8000-00000000000a -E^inline_data "$IMG/layer-a.erofs" "$S/layer-a"
mk layer-b.erofs layer-b "" "rebuild-source,flat-plain-only,noinline,whiteout" \
	--quiet "${TIME[@]}" -Uaaaaaaaa-0000-4000-8000-0000000000bb -E^inline_data "$IMG/layer-b.erofs" "$S/layer-b"
mk layer-c.erofs layer-c "" "rebuild-source,chunk-based,block-map" \
	--quiet "${TIME[@]}" -Uaaaaaaaa-0000-4000-8000-0000000000cc --chunksize=8192 "$IMG/layer-c.erofs" "$S/layer-c"
python3 merge_manifests.py "$IMG/manifests/merged2.json" "$IMG/manifests/layer-base.json" "$IMG/manifests/layer-a.json"
python3 merge_manifests.py "$IMG/manifests/merged3.json" "$IMG/manifests/layer-base.json" "$IMG/manifests/layer-a.json" "$IMG/manifests/layer-b.json"
python3 merge_manifests.py "$IMG/manifests/merged-bc.json" "$IMG/manifests/layer-base.json" "$IMG/manifests/layer-c.json"
mk merged2.erofs merged2 "layer-base.erofs layer-a.erofs" "rebuild,multi-device,device-table,uuid-tags,chunk-indexes" \
	--quiet "${TIME[@]}" -Ubbbbbbbb-0000-4000-8000-000000000002 "$IMG/merged2.erofs" "$IMG/layer-base.erofs" "$IMG/layer-a.erofs"
mk merged3.erofs merged3 "layer-base.erofs layer-a.erofs layer-b.erofs" "rebuild,multi-device,device-table,uuid-tags,chunk-indexes,whiteout-in-layer" \
	--quiet "${TIME[@]}" -Ubbbbbbbb-0000-4000-8000-000000000003 "$IMG/merged3.erofs" "$IMG/layer-base.erofs" "$IMG/layer-a.erofs" "$IMG/layer-b.erofs"
mk merged-bc.erofs merged-bc "layer-base.erofs layer-c.erofs" "rebuild,multi-device,device-table,uuid-tags,chunk-indexes,chunked-source" \
	--quiet "${TIME[@]}" -Ubbbbbbbb-0000-4000-8000-0000000000bc "$IMG/merged-bc.erofs" "$IMG/layer-base.erofs" "$IMG/layer-c.erofs"
cat "$IMG/merged3.erofs" "$IMG/layer-base.erofs" "$IMG/layer-a.erofs" "$IMG/layer-b.erofs" >"$IMG/merged3-flat.erofs"
printf '%s\t%s\t%s\t%s\t%s\n' merged3-flat.erofs merged3 "" "rebuild,device-table,flat-uniaddr,concatenated" \
	"cat images/merged3.erofs images/layer-base.erofs images/layer-a.erofs images/layer-b.erofs > images/merged3-flat.erofs" >>"$BUILD/index.tsv"

# ---------------------------------------------------------------- tar index
python3 make_tar.py "$S/tarsrc" "$IMG/tari-layer.tar"
# the tar has no entry for the root directory: mkfs --tar gives it mode 0777 (observed)
python3 -c 'import json,sys; sys.path.insert(0,"."); from manifest import dump
m=json.load(open(sys.argv[1])); m["entries"]["/"]["mode"]=0o777; dump(m,sys.argv[1])' "$IMG/manifests/tarsrc.json"
mk tari.erofs tarsrc "tari-layer.tar" "tar-index,blocksize-512,chunk-indexes,device-table,empty-tag" \
	--quiet "${TIME[@]}" -Ucccccccc-0000-4000-8000-000000000001 --tar=i "$IMG/tari.erofs" "$IMG/tari-layer.tar"

# ---------------------------------------------------------------- compressed (from the full tree)
Z=(--quiet "${TIME[@]}")
zmk() { local name=$1 feats=$2 uuid=$3; shift 3; try "$name" full "" "$feats" "${Z[@]}" -U"$uuid" "$@" "$IMG/$name" "$S/full"; }
zmk z-lz4.erofs            "compressed,lz4,compact-indexes"         33333333-0000-4000-8000-000000000001 -zlz4
zmk z-lz4hc.erofs          "compressed,lz4hc,compact-indexes"       33333333-0000-4000-8000-000000000002 -zlz4hc
zmk z-lzma.erofs           "compressed,lzma,microlzma,compr-cfgs"   33333333-0000-4000-8000-000000000003 -zlzma
zmk z-deflate.erofs        "compressed,deflate,compr-cfgs"          33333333-0000-4000-8000-000000000004 -zdeflate
zmk z-libdeflate.erofs     "compressed,deflate,libdeflate,compr-cfgs" 33333333-0000-4000-8000-000000000005 -zlibdeflate
zmk z-zstd.erofs           "compressed,zstd,compr-cfgs"             33333333-0000-4000-8000-000000000006 -zzstd
zmk z-lz4hc-ztailpacking.erofs "compressed,lz4hc,ztailpacking,inline-pcluster" 33333333-0000-4000-8000-000000000007 -zlz4hc -Eztailpacking
zmk z-lz4hc-fragments.erofs "compressed,lz4hc,fragments,packed-inode,interlaced" 33333333-0000-4000-8000-000000000008 -zlz4hc -Efragments
zmk z-lz4hc-all-fragments.erofs "compressed,lz4hc,all-fragments,packed-inode,whole-file-fragments,interlaced" 33333333-0000-4000-8000-000000000009 -zlz4hc -Eall-fragments
zmk z-lz4hc-dedupe.erofs   "compressed,lz4hc,dedupe,full-indexes" 33333333-0000-4000-8000-00000000000a -zlz4hc -Ededupe
zmk z-lz4hc-C65536.erofs   "compressed,lz4hc,big-pcluster,compr-cfgs" 33333333-0000-4000-8000-00000000000b -zlz4hc -C65536
zmk z-zstd-48bit.erofs     "compressed,zstd,48bit,encoded-extents"  33333333-0000-4000-8000-00000000000c -zzstd -E48bit
zmk z-lz4-zD.erofs         "compressed,lz4,compressed-dirs"         33333333-0000-4000-8000-00000000000d -zlz4 --zD
zmk z-lz4-metabox.erofs    "compressed,lz4,metabox"                 33333333-0000-4000-8000-00000000000e -zlz4 -m4096
zmk z-lzma-C65536-fragments-ztailpacking.erofs "compressed,lzma,big-pcluster,fragments,ztailpacking" 33333333-0000-4000-8000-00000000000f -zlzma -C65536 -Efragments,ztailpacking

# ---------------------------------------------------------------- check everything
python3 fixture_index.py "$BUILD/index.tsv" "$IMG/index.json"
python3 check_fixtures.py --sid "$SID" "$IMG"
./make-zextra-fixtures.sh
echo "fixtures OK: $(ls "$IMG" | wc -l) files, $(du -sh --apparent-size "$IMG" | cut -f1)"
if [ -s "$BUILD/failed.txt" ]; then echo "expected failures:"; cat "$BUILD/failed.txt"; fi
