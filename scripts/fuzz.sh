#!/bin/sh
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehaviorSanitizer) in
# WORKDIR (default build-fuzz/) and runs each for SECONDS (default 30; 600 with --long).
#
#   scripts/fuzz.sh [--long] [SECONDS] [WORKDIR] [TARGET...]
#
# Targets: parser jsonl article record. Each target's corpus lives in WORKDIR/TARGET/corpus and is
# kept between runs: the seeds of tests/fuzz/seeds/TARGET are copied in only when missing, and
# --long merges the corpus down to the inputs that add coverage after the run. Per target the
# script prints the executions, the coverage (libFuzzer's cov: and ft:) and the peak RSS.
#
# Exit status 0 only when every target ran, exited 0, and left no crash-*, leak-*, timeout-* or
# oom-* file in WORKDIR/TARGET/ (a file left by an earlier run counts too: delete it once fixed).
# The full output of each run is in WORKDIR/TARGET/fuzz.log.
#
# FUZZ_BIN_DIR=DIR runs DIR/TARGET_fuzz instead of building (a prebuilt set of targets, or the
# stand-ins the test of this script uses); FUZZ_CXX names the compiler (default clang++).
set -e
LONG=0
if [ "${1:-}" = "--long" ]; then LONG=1; shift; fi
if [ $LONG = 1 ]; then SECONDS_TO_RUN=${1:-600}; else SECONDS_TO_RUN=${1:-30}; fi
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$SRC/build-fuzz}
if [ $# -gt 2 ]; then shift 2; TARGETS="$*"; else TARGETS="parser jsonl article record"; fi
case $SECONDS_TO_RUN in
  ''|*[!0-9]*) echo "fuzz: SECONDS must be a whole number, not \"$SECONDS_TO_RUN\"" >&2; exit 2 ;;
esac
# Absolute paths: each target runs from its own directory.
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
if [ -n "${FUZZ_BIN_DIR:-}" ]; then FUZZ_BIN_DIR=$(cd "$FUZZ_BIN_DIR" && pwd); fi

if [ -n "${FUZZ_BIN_DIR:-}" ]; then
  BIN=$FUZZ_BIN_DIR
else
  BIN=$WORK/tests/fuzz
  CXX=${FUZZ_CXX:-clang++}
  if ! command -v "$CXX" >/dev/null 2>&1; then
    echo "fuzz: $CXX is not installed (apt-get install clang libclang-rt-14-dev)" >&2
    exit 1
  fi
  if [ ! -f "$WORK/CMakeCache.txt" ]; then
    cmake -S "$SRC" -B "$WORK" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DPG_FUZZ=ON -DPG_BUILD_TESTS=OFF >/dev/null
  fi
  for t in $TARGETS; do cmake --build "$WORK" -j "$(nproc)" --target "${t}_fuzz" >/dev/null; done
fi

# The last value libFuzzer printed for FIELD ("cov:", "ft:") in LOG, or "?".
last_field() {
  v=$(grep -E "^#[0-9]+.* $1 [0-9]+" "$2" | tail -n 1 | sed -E "s/.* $1 ([0-9]+).*/\\1/")
  echo "${v:-?}"
}
# The value of libFuzzer's final stat NAME in LOG, or "?".
final_stat() {
  v=$(grep -E "^stat::$1:" "$2" | tail -n 1 | sed -E 's/^[^:]*::[^:]*: *//')
  echo "${v:-?}"
}

status=0
for t in $TARGETS; do
  dir=$WORK/$t
  mkdir -p "$dir/corpus"
  for seed in "$SRC"/tests/fuzz/seeds/"$t"/*; do
    [ -f "$seed" ] || continue
    [ -e "$dir/corpus/$(basename "$seed")" ] || cp "$seed" "$dir/corpus/"
  done
  dict=""
  [ "$t" = parser ] && dict="-dict=$SRC/tests/fuzz/query.dict"
  echo "== $t: $SECONDS_TO_RUN s"
  # No pipeline here: POSIX sh has no pipefail, so the target's own exit status is taken first
  # and its output read from the log afterwards.
  rc=0
  if [ -x "$BIN/${t}_fuzz" ]; then
    (cd "$dir" && exec "$BIN/${t}_fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 \
       -rss_limit_mb=2048 -artifact_prefix="$dir/" $dict -print_final_stats=1 corpus) >"$dir/fuzz.log" 2>&1 || rc=$?
  else
    echo "fuzz: $BIN/${t}_fuzz is missing" >"$dir/fuzz.log"
    rc=127
  fi
  grep -E "^(==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)|ERROR|^fuzz: " "$dir/fuzz.log" || true
  echo "$t: exit $rc, $(final_stat number_of_executed_units "$dir/fuzz.log") executions," \
       "cov $(last_field cov: "$dir/fuzz.log"), ft $(last_field ft: "$dir/fuzz.log")," \
       "peak RSS $(final_stat peak_rss_mb "$dir/fuzz.log") MB, corpus $(ls "$dir/corpus" | wc -l) inputs"
  [ "$rc" -eq 0 ] || { echo "FAIL $t: the target exited with status $rc (log: $dir/fuzz.log)"; status=1; }
  for f in "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*; do
    # An unmatched glob stays as the pattern itself, which names no file.
    [ -e "$f" ] || continue
    echo "FAIL $t: $f"
    status=1
  done
  if [ $LONG = 1 ] && [ "$rc" -eq 0 ]; then
    # Keep the inputs that add coverage, so that the next long run starts from a small corpus.
    rm -rf "$dir/corpus.merged" && mkdir "$dir/corpus.merged"
    if (cd "$dir" && exec "$BIN/${t}_fuzz" -merge=1 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
          -artifact_prefix="$dir/" corpus.merged corpus) >"$dir/merge.log" 2>&1; then
      rm -rf "$dir/corpus" && mv "$dir/corpus.merged" "$dir/corpus"
      echo "$t: corpus merged to $(ls "$dir/corpus" | wc -l) inputs"
    else
      echo "FAIL $t: merging the corpus failed (log: $dir/merge.log)"
      status=1
    fi
  fi
done
exit $status
