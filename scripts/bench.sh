#!/usr/bin/env bash
# Benchmark gongkai on the shared corpus generator: cold and warm builds of
# 1,000 / 10,000 / 100,000 items, with and without the Traditional copy, output
# on tmpfs. Prints one Markdown table row per build and the --timings
# breakdown of the 10,000-item cold build.
#
#   scripts/bench.sh            # all sizes
#   SIZES="10000" scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 10000 100000}"
GEN="${GEN:-../shared/bench/gen_corpus.py}"
WORK="${WORK:-/dev/shm/gongkai-bench}"
cargo build --release --quiet
BIN="$PWD/target/release/gongkai"
mkdir -p "$WORK"

measure() { # label, extra build args...
  local label="$1"; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$BIN" build --quiet "$@" 2>"$log" >/dev/null
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  printf '| %s | %s | %.2f | %s MiB |\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$rss"
  rm -f "$log"
}

echo "| build | wall | CPU s | peak memory |"
echo "| --- | --- | --- | --- |"
for n in $SIZES; do
  site="$WORK/site-$n"
  if [ ! -d "$site" ]; then
    python3 "$GEN" --format gongkai --count "$n" --out "$site" >/dev/null
  fi
  rm -rf "$site/qr.lock" "$site/.gongkai-cache" "$WORK/out-$n"
  measure "$n items, cold" --root "$site" --out "$WORK/out-$n"
  measure "$n items, warm (unchanged)" --root "$site" --out "$WORK/out-$n"
  # Outputs live in memory (tmpfs): 100,000 items with both copies need
  # about 7 GiB, twice that during a warm build's swap.
  rm -rf "$WORK/out-$n"
  # With the Traditional copy: twice the pages.
  hant="$WORK/site-$n-hant"
  if [ ! -d "$hant" ]; then
    cp -r "$site" "$hant"
    { echo "traditional = true"; cat "$site/site.toml"; } > "$hant/site.toml"
  fi
  rm -rf "$hant/qr.lock" "$hant/.gongkai-cache" "$WORK/out-$n-hant"
  measure "$n items + Traditional, cold" --root "$hant" --out "$WORK/out-$n-hant"
  measure "$n items + Traditional, warm" --root "$hant" --out "$WORK/out-$n-hant"
  rm -rf "$WORK/out-$n-hant"
done
if [ -d "$WORK/site-10000" ]; then
  rm -rf "$WORK/site-10000/.gongkai-cache" "$WORK/out-t"
  echo
  echo '10,000 items, cold, `build --timings`:'
  echo '```'
  "$BIN" build --timings --root "$WORK/site-10000" --out "$WORK/out-t" 2>&1 | sed -n '/阶段/,$p'
  echo '```'
  rm -rf "$WORK/out-t"
fi
