#!/usr/bin/env bash
# Makes the layer-stack fixtures in layers/ (committed): three OCI layer tars from real files
# (make_layer_tars.py: this machine's Python stdlib and six 1.16.0 / 1.17.0 from PyPI), each
# converted by the real mkfs.erofs 1.9 (../../../shared/tools/erofs-utils-sid) three ways:
#   NAME.erofs       --tar=f --aufs  (as containerd's EROFS snapshotter: overlayfs whiteouts)
#   NAME-oci.erofs   --tar=f         (OCI .wh. names kept as plain files)
#   NAME-tari.erofs  --tar=i --aufs  (index mode: metadata only, the tar is device 1)
# Needs root (first run of the sid tool) and PyPI (pip download). Run from anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sid="$here/../../../shared/tools/erofs-utils-sid"
out="$here/layers"
wheels=$(mktemp -d /tmp/wt13-wheels.XXXXXX)
trap 'rm -rf "$wheels"' EXIT
pip download --quiet --no-deps six==1.16.0 -d "$wheels"
pip download --quiet --no-deps six==1.17.0 -d "$wheels"
mkdir -p "$out"
python3 "$here/make_layer_tars.py" "$wheels/six-1.16.0-py2.py3-none-any.whl" "$wheels/six-1.17.0-py2.py3-none-any.whl" "$out"
n=1
for layer in base app1 app2; do
	uuid=$(printf 'dddddddd-0000-4000-8000-%012d' "$n")
	"$sid" mkfs.erofs --quiet -T1700000000 -U"$uuid" --tar=f --aufs "$out/$layer.erofs" "$out/$layer.tar"
	"$sid" mkfs.erofs --quiet -T1700000000 -U"$uuid" --tar=f "$out/$layer-oci.erofs" "$out/$layer.tar"
	"$sid" mkfs.erofs --quiet -T1700000000 -U"$uuid" --tar=i --aufs "$out/$layer-tari.erofs" "$out/$layer.tar"
	n=$((n + 1))
done
"$sid" --version > "$out/MKFS-VERSION"
ls -l "$out"
