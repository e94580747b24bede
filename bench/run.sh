#!/usr/bin/env bash
# Benchmark copydesk on a corpus built from ../shared/corpus (real stories):
# a tree of ~20,000 stories and one large file, all default rules, findings
# written as JSON. Prints MB/s, peak memory, the ratio to `wc -w` reading the
# same bytes, a 1x-8x scaling table for both shapes, and the start-to-exit
# time for one 5 KB story.
#
# usage: bench/run.sh [MEGABYTES]     (default 100: a 100 MB tree, a 50 MB file)
# The data goes to target/bench-data (BENCH_DIR to change); it is reused.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-100}
data=${BENCH_DIR:-$root/target/bench-data/$mb}
corpus=${CORPUS:-$root/../shared/corpus}
exe=$root/target/release/copydesk

[ -x "$corpus/make-bench.sh" ] || [ -f "$corpus/make-bench.sh" ] || {
  echo "no corpus at $corpus (set CORPUS=...)" >&2
  exit 2
}
(cd "$root" && cargo build --release --quiet)
if [ ! -f "$data/single.txt" ]; then
  mkdir -p "$data"
  bash "$corpus/make-bench.sh" "$data" "$mb"
fi

cores=$(nproc)
echo "machine: $cores cores, $(uname -m); copydesk $("$exe" --version | cut -d' ' -f2)"

# Best of 3 wall-clock seconds of a shell command.
best() {
  local best="" t out
  out=$(mktemp)
  for _ in 1 2 3; do
    /usr/bin/time -f "%e" -o "$out" bash -c "$1 >/dev/null 2>&1 || true"
    t=$(tail -n1 "$out")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  rm -f "$out"
  echo "$best"
}

# Peak resident memory (MB) of a command.
peak() {
  local out
  out=$(mktemp)
  /usr/bin/time -f "%M" -o "$out" bash -c "$1 >/dev/null 2>&1 || true"
  awk '{printf "%.0f", $1/1024}' "$out"
  rm -f "$out"
}

mbytes() { du -sb "$1" | awk '{printf "%.1f", $1/1e6}'; }

report() { # name, input, floor command, copydesk command
  local name=$1 input=$2 floor_cmd=$3 cmd=$4
  local size floor t mem
  size=$(mbytes "$input")
  floor=$(best "$floor_cmd")
  t=$(best "$cmd")
  mem=$(peak "$cmd")
  awk -v n="$name" -v s="$size" -v f="$floor" -v t="$t" -v m="$mem" 'BEGIN{
    printf "%-12s %7.1f MB  copydesk %6.2f s  %7.1f MB/s  floor %5.2f s  ratio %5.2fx  peak %5d MiB\n",
      n, s, t, (t > 0 ? s / t : 0), f, (f > 0 ? t / f : 0), m }'
}

echo
echo "== full size (all default rules, --format json)"
report "tree" "$data/tree" \
  "find '$data/tree' -type f -print0 | sort -z | xargs -0 cat | wc -w" \
  "'$exe' check --no-config --format json '$data/tree'"
report "single" "$data/single.txt" \
  "wc -w '$data/single.txt'" \
  "'$exe' check --no-config --format json '$data/single.txt'"

echo
echo "== scaling (wall seconds; linear growth doubles each step)"
scale="$data/scale"
mkdir -p "$scale"
total_dirs=$(ls "$data/tree" | wc -l)
bytes=$(stat -c %s "$data/single.txt")
printf "%-6s %12s %12s\n" "input" "tree" "single"
for k in 1 2 4 8; do
  # The tree: the first k/8 of its folders. The single file: its first k/8,
  # cut at a story boundary.
  list="$scale/tree-$k.list"
  ls "$data/tree" | head -n $(( (total_dirs * k + 7) / 8 )) | sed "s|^|$data/tree/|" > "$list"
  part="$scale/single-$k.txt"
  if [ ! -f "$part" ]; then
    head -c $(( bytes * k / 8 )) "$data/single.txt" > "$part"
  fi
  tt=$(best "xargs '$exe' check --no-config --format json < '$list'")
  ts=$(best "'$exe' check --no-config --format json '$part'")
  printf "%-6s %12s %12s\n" "${k}/8" "$tt" "$ts"
done

echo
echo "== where the time goes on the single file (--timings: CPU ms per stage and rule, top 10)"
"$exe" check --no-config --format json --timings "$data/single.txt" 2>&1 >/dev/null | head -n 11 || true

echo
echo "== one 5 KB story, process start to exit (mean of 200 runs)"
story=$(find "$data/tree" -type f -size -6k -size +4k -print -quit)
start=$(date +%s%N)
for _ in $(seq 200); do "$exe" check --no-config --format json "$story" >/dev/null || true; done
end=$(date +%s%N)
awk -v s="$start" -v e="$end" 'BEGIN{printf "5 KB story: %.2f ms per run\n", (e - s) / 200 / 1e6}'
