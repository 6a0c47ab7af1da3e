#!/bin/sh
# Records the strace-startup fixtures (root): for each image kind (plain, chunked, lz4hc) and
# each read_ahead_kb (128, 2560), loop-mounts the image on /tmp/wt12-mnt-startup, sets the loop
# device's bdi read_ahead_kb, and runs each workload under `erofs-top record` (kernel truth,
# cold cache) and `strace -f -ttt -y` at the same time. Writes, per run,
#   WORKLOAD-KIND-RA.strace.gz   the strace log (what a user would have)
# and appends one line per run to figures.tsv: workload kind ra kernel_file_pages
# kernel_all_pages (kernel-figures.py: distinct pages the kernel added to files; all = plus
# EROFS's managed cache; a page evicted and added again counts once).
# Usage: record.sh EROFS_TOP TREE_DIR (TREE_DIR from make-tree.sh) [OUT_DIR]
# KEEP_KERNEL=DIR also keeps each run's kernel trace (native JSON Lines, gzip) there.
# KINDS / RAS / WORKLOADS restrict the image kinds / read_ahead_kb values / workloads.
set -eu
top=${1:?usage: record.sh EROFS_TOP TREE_DIR [OUT]}
data=${2:?usage: record.sh EROFS_TOP TREE_DIR [OUT]}
out=${3:-$(dirname "$0")}
mnt=/tmp/wt12-mnt-startup
mkdir -p "$mnt"
py="$mnt/bin/python3.11"
run() { # name kind ra code...
    name=$1 kind=$2 ra=$3; shift 3
    loop=$(losetup --find --show --read-only "$data/$kind.erofs")
    mount -t erofs -o ro "$loop" "$mnt"
    bdi=$(mountpoint -d "$mnt")
    echo "$ra" > "/sys/class/bdi/$bdi/read_ahead_kb"
    tmp=$(mktemp -d /tmp/wt12-rec.XXXXXX)
    "$top" record --out "$tmp/kernel.jsonl" --mounted "$mnt" "$data/$kind.erofs" -- \
        strace -f -ttt -y -o "$tmp/strace.log" env -i PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$mnt/lib/python3.11/site-packages" "$py" -c "$*" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; }
    umount "$mnt"; losetup -d "$loop"
    sed "s#$tmp#/tmp/strace-dir#" "$tmp/strace.log" | gzip -9n > "$out/$name-$kind-$ra.strace.gz"
    # Kernel page additions: the trace's add events, split into file pages and the managed cache.
    python3 "$(dirname "$0")/kernel-figures.py" "$tmp/kernel.jsonl" "$name" "$kind" "$ra" >> "$out/figures.tsv"
    [ -z "${KEEP_KERNEL:-}" ] || gzip -9nc "$tmp/kernel.jsonl" > "$KEEP_KERNEL/$name-$kind-$ra.kernel.jsonl.gz"
    rm -rf "$tmp"
}
for kind in ${KINDS:-plain chunked lz4hc}; do
    for ra in ${RAS:-128 2560}; do
        case " ${WORKLOADS:-numpy yaml stdlib} " in *" numpy "*) run numpy "$kind" "$ra" "import numpy";; esac
        case " ${WORKLOADS:-numpy yaml stdlib} " in *" yaml "*)
            run yaml "$kind" "$ra" "import yaml, markupsafe, json, decimal, csv, hashlib, datetime, argparse";; esac
        case " ${WORKLOADS:-numpy yaml stdlib} " in *" stdlib "*)
            run stdlib "$kind" "$ra" "import email.parser, http.client, ssl, ctypes, sqlite3, unicodedata, lzma, bz2, asyncio, xml.etree.ElementTree as E; E.fromstring('<a/>'); unicodedata.name('a')";; esac
    done
done
rmdir "$mnt"
