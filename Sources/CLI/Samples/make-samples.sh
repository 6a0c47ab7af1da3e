#!/usr/bin/env bash
# Regenerate the bundled demo scenario (see README.md). Needs root (owners in the trees), Debian
# bookworm's python3.11 (scripts/install-deps.sh), pip (the wheels come from PyPI, pinned by
# wheels.sha256; they are cached in $WHEELS, default /tmp/erofs-top-sample-wheels) and
# erofs-utils 1.9.4 via ../shared/tools/erofs-utils-sid relative to the repo root (override with
# EROFS_UTILS_SID=...). Trees from sample_trees.py; the traces come from record-sample-traces.sh.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
REPO=$HERE/../../..
FIX=$REPO/Tests/Fixtures
SID=${EROFS_UTILS_SID:-$REPO/../shared/tools/erofs-utils-sid}
WHEELS=${WHEELS:-/tmp/erofs-top-sample-wheels}
[ -x "$SID" ] || { echo "make-samples: $SID not found" >&2; exit 1; }
[ -x /usr/bin/python3.11 ] || "$REPO/scripts/install-deps.sh"
debian=$(dpkg-query -W -f='${Version}' python3.11-minimal)
[ "$debian" = "3.11.2-6+deb12u6" ] || echo "make-samples: python3.11-minimal is $debian, the committed samples were made from 3.11.2-6+deb12u6 (the base layer will differ)" >&2
export LC_ALL=C TZ=UTC
BUILD=$(mktemp -d /tmp/erofs-samples.XXXXXX)
trap 'rm -rf "$BUILD"' EXIT

# The wheels, pinned by name and checked by hash (pure-python wheels: one file for every platform).
mkdir -p "$WHEELS"
pip=(pip3)
command -v pip3 >/dev/null || pip=(python3 -m pip)
while read -r sum file; do
	[ -f "$WHEELS/$file" ] && continue
	IFS=- read -r name version _ <<<"$file"
	"${pip[@]}" download --quiet --no-deps --only-binary=:all: --python-version 3.11 --implementation py --abi none \
		--platform any -d "$WHEELS" "$name==$version"
done < wheels.sha256
(cd "$WHEELS" && sha256sum --quiet -c "$HERE/wheels.sha256")
w() { for f in "$@"; do echo "$WHEELS/$f-py3-none-any.whl"; done; }
V1=(requests-2.31.0 urllib3-2.0.7 idna-3.6 certifi-2023.11.17 charset_normalizer-3.3.2)
V2=(requests-2.32.3 urllib3-2.2.3 idna-3.6 certifi-2024.8.30 charset_normalizer-3.3.2)

rm -f ./*.erofs index.json
mkdir -p manifests && rm -f manifests/*.json
python3 sample_trees.py app "$BUILD/requests-2.31" $(w "${V1[@]}")
python3 sample_trees.py app "$BUILD/requests-2.32" $(w "${V2[@]}")
python3 sample_trees.py python "$BUILD/python" "$BUILD/requests-2.31/usr/local/lib/python3.11/dist-packages" \
	"$BUILD/requests-2.32/usr/local/lib/python3.11/dist-packages"

TIME=(-T1700000000 --mkfs-time)
declare -A UUID=(
	[python]=5a000000-0000-4000-8000-0000000000ba
	[requests-2.31]=5a000000-0000-4000-8000-0000000000a1
	[requests-2.32]=5a000000-0000-4000-8000-0000000000a2
)
LAYER=(-E^inline_data --xattr-inode-digest)
for l in python requests-2.31 requests-2.32; do
	python3 "$FIX/manifest.py" --digest=erofs.fingerprint.v1 "$BUILD/$l" "manifests/layer-$l.json"
	"$SID" mkfs.erofs --quiet "${TIME[@]}" -U"${UUID[$l]}" "${LAYER[@]}" "layer-$l.erofs" "$BUILD/$l"
	"$SID" fsck.erofs --xattr-inode-digest "layer-$l.erofs"
done
declare -A MERGED=([python-base]="layer-python" [requests-v1]="layer-python layer-requests-2.31" [requests-v2]="layer-python layer-requests-2.32")
declare -A MUUID=([python-base]=5b000000-0000-4000-8000-0000000000ba [requests-v1]=5b000000-0000-4000-8000-0000000000a1
	[requests-v2]=5b000000-0000-4000-8000-0000000000a2)
for m in python-base requests-v1 requests-v2; do
	layers=(${MERGED[$m]})
	"$SID" mkfs.erofs --quiet "${TIME[@]}" -U"${MUUID[$m]}" "$m.erofs" "${layers[@]/%/.erofs}"
	python3 "$FIX/merge_manifests.py" "manifests/$m.json" $(for l in "${layers[@]}"; do echo "manifests/$l.json"; done)
	"$SID" fsck.erofs $(for l in "${layers[@]}"; do echo "--device=$l.erofs"; done) "$m.erofs"
done
{
	for l in python requests-2.31 requests-2.32; do
		printf 'layer-%s.erofs\tlayer-%s\t\trebuild-source,noinline,xattr-inode-digest\tmkfs.erofs --quiet %s -U%s %s layer-%s.erofs %s/\n' \
			"$l" "$l" "${TIME[*]}" "${UUID[$l]}" "${LAYER[*]}" "$l" "$l"
	done
	for m in python-base requests-v1 requests-v2; do
		layers=(${MERGED[$m]})
		features=rebuild,multi-device,uuid-tags
		[ ${#layers[@]} -gt 1 ] && features=$features,shared-base-blob
		printf '%s.erofs\t%s\t%s\t%s\tmkfs.erofs --quiet %s -U%s %s.erofs %s\n' "$m" "$m" "${layers[*]/%/.erofs}" "$features" \
			"${TIME[*]}" "${MUUID[$m]}" "$m" "${layers[*]/%/.erofs}"
	done
} >"$BUILD/index.tsv"
python3 "$FIX/fixture_index.py" "$BUILD/index.tsv" index.json
"$FIX/verify-with-kernel.sh" "$HERE"
ls -l ./*.erofs
du -sh --apparent-size .
