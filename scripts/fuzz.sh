#!/bin/sh
# Builds the libFuzzer targets with clang (AddressSanitizer, UndefinedBehaviorSanitizer) in
# WORKDIR (default build-fuzz/) and runs each from its seeds in tests/fuzz/seeds/TARGET for
# SECONDS (default 30). Usage: scripts/fuzz.sh [SECONDS] [WORKDIR] [TARGET...]
# Targets: parser jsonl article record. Exit status 0 when no input crashed any target; a
# crashing input is left in WORKDIR/TARGET/ with libFuzzer's report.
set -e
SECONDS_TO_RUN=${1:-30}
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$SRC/build-fuzz}
if [ $# -gt 2 ]; then shift 2; TARGETS="$*"; else TARGETS="parser jsonl article record"; fi
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
status=0
for t in $TARGETS; do
  mkdir -p "$WORK/$t/corpus"
  cp "$SRC"/tests/fuzz/seeds/"$t"/* "$WORK/$t/corpus/"
  dict=""
  [ "$t" = parser ] && dict="-dict=$SRC/tests/fuzz/query.dict"
  echo "== $t: $SECONDS_TO_RUN s"
  (cd "$WORK/$t" && "$WORK/tests/fuzz/${t}_fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=10 \
     -rss_limit_mb=2048 $dict -print_final_stats=1 corpus 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==|SUMMARY|Done)|ERROR|crash-" ) || status=1
  if ls "$WORK/$t"/crash-* "$WORK/$t"/leak-* "$WORK/$t"/timeout-* >/dev/null 2>&1; then status=1; fi
done
exit $status
