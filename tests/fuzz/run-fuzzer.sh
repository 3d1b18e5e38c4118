#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-fuzzer.sh FUZZER OUT DICT SEED...
#   Runs one libFuzzer target of tests/fuzz for $PHILIA_FUZZ_SECONDS seconds
#   (default 20) from a fresh copy of its seeds (a folder, or a pattern such as
#   tests/data/bad/*.gml), under the sanitizers it was built with. DICT is a libFuzzer
#   dictionary or "" for none. Prints one line of figures (also appended to
#   OUT/figures.txt for .ci/dev.sh); fails, with the report and the input that
#   did it kept in OUT/NAME/, if the target crashed, leaked, ran out of memory
#   or took longer than 10 s on one input. The mutations follow the fixed seed
#   $PHILIA_FUZZ_SEED (default 1), so that CI tries the same inputs on every
#   run of a commit (a slower machine only tries fewer of them); 0 asks
#   libFuzzer for a random seed, for the long runs by hand.
set -uo pipefail

fuzzer=$1 out=$2 dict=$3
shift 3
name=$(basename "$fuzzer")
seconds=${PHILIA_FUZZ_SECONDS:-20}
here=$(cd "$(dirname "$0")" && pwd)
work="$out/$name"

rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
n_seeds=0
shopt -s nullglob
for seed in "$@"; do
  [ -d "$seed" ] && seed="$seed/*"
  # The folder quoted (it may hold spaces), the pattern not.
  for f in "$(dirname "$seed")"/$(basename "$seed"); do
    [ -f "$f" ] && cp "$f" "$work/corpus/" && n_seeds=$((n_seeds + 1))
  done
done

# UBSan findings must stop the run to count; GSlice must use malloc so that
# LeakSanitizer sees every block. Leaks of the libraries below Philia only
# are suppressed (tests/lsan.supp); a Philia leak is a finding.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$here/../lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export G_SLICE=always-malloc G_DEBUG=gc-friendly OPENBLAS_NUM_THREADS=1

args=(-max_total_time="$seconds" -seed="${PHILIA_FUZZ_SEED:-1}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
      -artifact_prefix="$work/artifacts/")
[ -n "$dict" ] && args+=(-dict="$dict")

"$fuzzer" "${args[@]}" "$work/corpus" >"$work/log" 2>&1
rc=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n1)
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log" | tail -n1)
last=$(grep -E '^#[0-9]+.*cov: ' "$work/log" | tail -n1)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
found=$(find "$work/artifacts" -type f | head -n1)

if [ $rc -eq 0 ] && [ -z "$found" ]; then
  line=$(printf '%-22s %9s runs in %ss (%s/s), cov: %s, ft: %s, corpus %s from %d seeds, peak RSS %s MB' \
         "$name" "${runs:-?}" "$seconds" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
         "$n_seeds" "${rss:-?}")
  echo "$line"
  echo "$line" >>"$out/figures.txt"
  exit 0
fi

line=$(printf '%-22s FAILED after %s runs (exit %d), cov: %s, ft: %s; input: %s' \
       "$name" "${runs:-?}" "$rc" "${cov:-?}" "${ft:-?}" "${found:-none}")
echo "$line"
echo "$line" >>"$out/figures.txt"
echo "--- the end of $work/log:"
tail -n 80 "$work/log"
[ -n "$found" ] && echo "--- reproduce with: $fuzzer $found"
exit 1
