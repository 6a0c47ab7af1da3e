#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for a while.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS] [libFuzzer options...]
#
# TARGET is fuzz-image, fuzz-image-devices, fuzz-trace or all (default all, 60 s each).
# Targets are built with -sanitize=fuzzer,address and -DFUZZING into .build-fuzz; corpora grow
# in .fuzz/corpus/TARGET (gitignored; seeded from the real fixtures by scripts/fuzz-seeds.py),
# crash inputs land in .fuzz/artifacts/TARGET/, and every run appends its execution count to
# .fuzz/runs.log (libFuzzer's output is in .fuzz/TARGET.log). Exits non-zero if any target crashes, leaks, times out or runs out of memory.
# FUZZ_DIR (default .fuzz) moves corpora, artifacts and logs, e.g. for the smoke run in
# scripts/test. FUZZ_NICE (default 10) sets the niceness; FUZZ_NO_BUILD=1 skips the build; FUZZ_SANITIZERS
# (default fuzzer,address) picks the sanitizers, e.g. FUZZ_SANITIZERS=fuzzer for a faster
# campaign without AddressSanitizer (built into .build-fuzz-fuzzer).
set -uo pipefail
cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-60}
shift $(( $# > 2 ? 2 : $# ))
targets=(fuzz-image fuzz-image-devices fuzz-trace)
sanitizers=${FUZZ_SANITIZERS:-fuzzer,address}
scratch=.build-fuzz
[ "$sanitizers" = fuzzer,address ] || scratch=.build-fuzz-${sanitizers//,/-}
[ "$target" = all ] || targets=("$target")

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
	for t in "${targets[@]}"; do
		nice -n "${FUZZ_NICE:-10}" swift build -c release --scratch-path "$scratch" --product "$t" \
			-Xswiftc -sanitize="$sanitizers" -Xswiftc -parse-as-library -Xswiftc -DFUZZING 2>&1 \
			| grep -v 'ld.gold: warning' | tail -n 3
		[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz.sh: building $t failed" >&2; exit 2; }
	done
fi

dir=${FUZZ_DIR:-.fuzz}
status=0
for t in "${targets[@]}"; do
	corpus=$dir/corpus/$t
	artifacts=$dir/artifacts/$t
	mkdir -p "$corpus" "$artifacts"
	[ -n "$(ls -A "$corpus")" ] || python3 scripts/fuzz-seeds.py "$t" "$corpus"
	case $t in
		fuzz-trace) max_len=65536 ;;
		fuzz-image-devices) max_len=2097152 ;;
		*) max_len=1048576 ;;
	esac
	log=$dir/$t.log
	# SWIFT_BACKTRACE=enable=no: let libFuzzer, not the Swift backtracer, handle crash signals,
	# so that the crashing input is written to the artifacts folder.
	SWIFT_BACKTRACE=enable=no nice -n "${FUZZ_NICE:-10}" "$scratch"/release/"$t" "$corpus" -max_total_time="$seconds" \
		-max_len="$max_len" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" "$@" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	echo "$t: ${runs:-?} executions in ${seconds} s (${rate:-?}/s), exit $rc"
	echo "$(date -u +%FT%TZ) $t seconds=$seconds sanitizers=$sanitizers executions=${runs:-0} exit=$rc" >>"$dir/runs.log"
	if [ "$rc" -ne 0 ]; then
		status=1
		grep -E 'ERROR|Fatal error|panic|SUMMARY|Test unit written' "$log" | head -n 20 >&2
	fi
done
exit "$status"
