#!/bin/sh
# Builds the query parser's libFuzzer target with clang (AddressSanitizer and UBSan) and runs it
# for a while from the seed queries. Usage: scripts/fuzz-parser.sh [SECONDS] [WORKDIR]
# Exit status 0 when no input crashed the parser; a crashing input is left in WORKDIR.
set -e
SECONDS_TO_RUN=${1:-30}
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-$SRC/build/fuzz}
CXX=${FUZZ_CXX:-clang++}
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "fuzz-parser: $CXX is not installed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
mkdir -p "$WORK/corpus"
cp "$SRC"/tests/fuzz/seeds/* "$WORK/corpus/"
"$CXX" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I "$SRC" \
  "$SRC/tests/fuzz/parser_fuzz.cc" "$SRC/query/lexer.cc" "$SRC/query/parser.cc" \
  "$SRC/graph/schema.cc" "$SRC/graph/names.cc" "$SRC/graph/text.cc" "$SRC/graph/status.cc" \
  -o "$WORK/parser_fuzz"
cd "$WORK"
./parser_fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=512 -timeout=5 -rss_limit_mb=1024 \
  -dict="$SRC/tests/fuzz/query.dict" -print_final_stats=1 corpus
