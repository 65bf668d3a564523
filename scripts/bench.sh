#!/usr/bin/env bash
# Benchmark gongkai on the repository's corpus (scripts/gen_corpus.py):
# cold, unchanged and one-item-edited builds of 1,000 / 10,000 / 100,000
# items, with and without the Traditional copy, output on tmpfs. Prints one
# Markdown table row per build and the --timings breakdown of 10,000-item
# cold and unchanged builds. With ZOLA=<path to a zola binary>, it also
# builds the same corpus with Zola, alternating with gongkai's cold build
# in the same run, and prints the wall-time ratio.
#
#   scripts/bench.sh            # all sizes
#   SIZES="10000" scripts/bench.sh
#   SIZES="10000" ZOLA=/path/to/zola RUNS=5 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${SIZES:-1000 10000 100000}"
GEN="${GEN:-scripts/gen_corpus.py}"
WORK="${WORK:-/dev/shm/gongkai-bench}"
ZOLA="${ZOLA:-}"
RUNS="${RUNS:-5}"
cargo build --release --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/gongkai"
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

# One item's body edited (and then restored): what a build costs after a
# typical commit of one file.
edit_one() { # site dir, label, build args...
  local site="$1" label="$2"; shift 2
  local file; file=$(find "$site/content" -name '*.md' ! -name '_index.md' | sort | sed -n 500p)
  cp "$file" "$file.bench-orig"
  printf '\n补充一句正文（基准测试）。\n' >> "$file"
  measure "$label" "$@"
  mv "$file.bench-orig" "$file"
}

# Cold: no .gongkai-cache/, no previous output. Second: nothing changed,
# files are taken from the previous output. Third: nothing changed and the
# spare tree (the output before) already holds every file.
runs() { # site dir, output dir, label prefix
  local site="$1" out="$2" label="$3"
  rm -rf "$site/qr.lock" "$site/.gongkai-cache" "$out" "$(dirname "$out")/.$(basename "$out").gongkai-"*
  measure "$label, cold" --root "$site" --out "$out"
  measure "$label, second build (unchanged)" --root "$site" --out "$out"
  measure "$label, third build (unchanged)" --root "$site" --out "$out"
  edit_one "$site" "$label, one item edited" --root "$site" --out "$out"
  # Outputs live in memory (tmpfs): the output and the spare tree of
  # 100,000 items with both copies need about 7 GiB each.
  rm -rf "$out" "$(dirname "$out")/.$(basename "$out").gongkai-"*
}

# Seconds of wall time of one command (stdout and stderr discarded).
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# gongkai cold and Zola, alternately, RUNS times each, fresh output
# directories, no QR cache; prints both medians and their ratio.
against_zola() { # n
  local n="$1" site="$WORK/site-$1" zsite="$WORK/zola-$1" out="$WORK/out-cmp" g=() z=()
  if [ ! -d "$zsite" ]; then
    python3 "$GEN" --format zola --count "$n" --out "$zsite" >/dev/null 2>&1
  fi
  for _ in $(seq "$RUNS"); do
    rm -rf "$site/qr.lock" "$site/.gongkai-cache" "$out" "$WORK/.out-cmp.gongkai-"*
    g+=("$(seconds "$BIN" build --quiet --root "$site" --out "$out")")
    rm -rf "$out"
    z+=("$(seconds "$ZOLA" --root "$zsite" build --output-dir "$out")")
  done
  rm -rf "$out" "$WORK/.out-cmp.gongkai-"*
  local gm zm
  gm=$(printf '%s\n' "${g[@]}" | median)
  zm=$(printf '%s\n' "${z[@]}" | median)
  printf '| %s items | %.2f s | %.2f s | %.2f |\n' "$n" "$gm" "$zm" "$(echo "$gm / $zm" | bc -l)"
}

echo "| build | wall | CPU s | peak memory |"
echo "| --- | --- | --- | --- |"
for n in $SIZES; do
  site="$WORK/site-$n"
  if [ ! -d "$site" ]; then
    python3 "$GEN" --format gongkai --count "$n" --out "$site" >/dev/null
  fi
  runs "$site" "$WORK/out-$n" "$n items"
  # With the Traditional copy: twice the pages.
  hant="$WORK/site-$n-hant"
  if [ ! -d "$hant" ]; then
    cp -r "$site" "$hant"
    { echo "traditional = true"; cat "$site/site.toml"; } > "$hant/site.toml"
  fi
  runs "$hant" "$WORK/out-$n-hant" "$n items + Traditional"
done
if [ -n "$ZOLA" ]; then
  echo
  echo "Same run, alternately, $RUNS each, medians (\`$("$ZOLA" --version)\`):"
  echo
  echo "| corpus | gongkai cold | Zola | gongkai / Zola |"
  echo "| --- | --- | --- | --- |"
  for n in $SIZES; do
    against_zola "$n"
  done
fi
if [ -d "$WORK/site-10000" ]; then
  rm -rf "$WORK/site-10000/.gongkai-cache" "$WORK/out-t" "$WORK/.out-t.gongkai-"*
  echo
  echo '10,000 items, cold, `build --timings`:'
  echo '```'
  "$BIN" build --timings --root "$WORK/site-10000" --out "$WORK/out-t" 2>&1 | sed -n '/阶段/,$p'
  echo '```'
  "$BIN" build --quiet --root "$WORK/site-10000" --out "$WORK/out-t"
  echo
  echo '10,000 items, third build (unchanged), `build --timings`:'
  echo '```'
  "$BIN" build --timings --root "$WORK/site-10000" --out "$WORK/out-t" 2>&1 | sed -n '/阶段/,$p'
  echo '```'
  rm -rf "$WORK/out-t" "$WORK/.out-t.gongkai-"*
fi
