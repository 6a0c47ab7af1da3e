#!/usr/bin/env bash
# Regenerate the bundled demo scenario (see README.md). Needs root (chown in gen_tree.py).
# Uses erofs-utils 1.9.4 via ../shared/tools/erofs-utils-sid relative to the repo root
# (override with EROFS_UTILS_SID=...).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
REPO=$HERE/../../..
FIX=$REPO/Tests/Fixtures
SID=${EROFS_UTILS_SID:-$REPO/../shared/tools/erofs-utils-sid}
[ -x "$SID" ] || { echo "make-samples: $SID not found" >&2; exit 1; }
export LC_ALL=C TZ=UTC
BUILD=$(mktemp -d /tmp/erofs-samples.XXXXXX)
trap 'rm -rf "$BUILD"' EXIT
rm -f ./*.erofs index.json
mkdir -p manifests && rm -f manifests/*.json

TIME=(-T1700000000 --mkfs-time)
declare -A UUID=(
	[base]=5a000000-0000-4000-8000-0000000000ba
	[app-v1]=5a000000-0000-4000-8000-0000000000a1
	[app-v2]=5a000000-0000-4000-8000-0000000000a2
)
for l in base app-v1 app-v2; do
	python3 "$FIX/gen_tree.py" "sample-$l" "$BUILD/$l"
	python3 "$FIX/manifest.py" --digest=erofs.fingerprint.v1 "$BUILD/$l" "manifests/layer-$l.json"
	"$SID" mkfs.erofs --quiet "${TIME[@]}" -U"${UUID[$l]}" -E^inline_data --xattr-inode-digest \
		"layer-$l.erofs" "$BUILD/$l"
	"$SID" fsck.erofs --xattr-inode-digest "layer-$l.erofs"
done
"$SID" mkfs.erofs --quiet "${TIME[@]}" -U5b000000-0000-4000-8000-0000000000ba tensorflow-base.erofs layer-base.erofs
"$SID" mkfs.erofs --quiet "${TIME[@]}" -U5b000000-0000-4000-8000-0000000000a1 tensorflow-v1.erofs layer-base.erofs layer-app-v1.erofs
"$SID" mkfs.erofs --quiet "${TIME[@]}" -U5b000000-0000-4000-8000-0000000000a2 tensorflow-v2.erofs layer-base.erofs layer-app-v2.erofs
python3 "$FIX/merge_manifests.py" manifests/tensorflow-base.json manifests/layer-base.json
python3 "$FIX/merge_manifests.py" manifests/tensorflow-v1.json manifests/layer-base.json manifests/layer-app-v1.json
python3 "$FIX/merge_manifests.py" manifests/tensorflow-v2.json manifests/layer-base.json manifests/layer-app-v2.json
"$SID" fsck.erofs --device=layer-base.erofs tensorflow-base.erofs
"$SID" fsck.erofs --device=layer-base.erofs --device=layer-app-v1.erofs tensorflow-v1.erofs
"$SID" fsck.erofs --device=layer-base.erofs --device=layer-app-v2.erofs tensorflow-v2.erofs
cat >"$BUILD/index.tsv" <<TSV
layer-base.erofs	layer-base		rebuild-source,noinline,xattr-inode-digest	mkfs.erofs --quiet ${TIME[*]} -U${UUID[base]} -E^inline_data --xattr-inode-digest layer-base.erofs base/
layer-app-v1.erofs	layer-app-v1		rebuild-source,noinline,xattr-inode-digest	mkfs.erofs --quiet ${TIME[*]} -U${UUID[app-v1]} -E^inline_data --xattr-inode-digest layer-app-v1.erofs app-v1/
layer-app-v2.erofs	layer-app-v2		rebuild-source,noinline,xattr-inode-digest	mkfs.erofs --quiet ${TIME[*]} -U${UUID[app-v2]} -E^inline_data --xattr-inode-digest layer-app-v2.erofs app-v2/
tensorflow-base.erofs	tensorflow-base	layer-base.erofs	rebuild,multi-device,uuid-tags	mkfs.erofs --quiet ${TIME[*]} -U5b000000-0000-4000-8000-0000000000ba tensorflow-base.erofs layer-base.erofs
tensorflow-v1.erofs	tensorflow-v1	layer-base.erofs layer-app-v1.erofs	rebuild,multi-device,uuid-tags,shared-base-blob	mkfs.erofs --quiet ${TIME[*]} -U5b000000-0000-4000-8000-0000000000a1 tensorflow-v1.erofs layer-base.erofs layer-app-v1.erofs
tensorflow-v2.erofs	tensorflow-v2	layer-base.erofs layer-app-v2.erofs	rebuild,multi-device,uuid-tags,shared-base-blob	mkfs.erofs --quiet ${TIME[*]} -U5b000000-0000-4000-8000-0000000000a2 tensorflow-v2.erofs layer-base.erofs layer-app-v2.erofs
TSV
python3 "$FIX/fixture_index.py" "$BUILD/index.tsv" index.json
"$FIX/verify-with-kernel.sh" "$HERE"
ls -l ./*.erofs
du -sh --apparent-size .
