#!/usr/bin/env bash
# Benchmark copydesk on a corpus of real stories: a tree of ~20,000 stories
# and one large file, made by repeating the corpus's stories, all default
# rules, findings written as JSON. Prints MB/s, peak memory, the ratio to
# `wc -w` reading the same bytes, a 1x-8x scaling table for both shapes, and
# the start-to-exit time for one 5 KB story.
#
# usage: bench/run.sh [MEGABYTES] [CORPUS_DIR]
#   MEGABYTES   size of the tree (default 100; the large file is half of it)
#   CORPUS_DIR  a folder of stories as .txt files, one story each (headline,
#               blank line, paragraphs); also COPYDESK_CORPUS=DIR. Default
#               ../shared/corpus/news beside the repository: the 232 published
#               articles the figures in docs/performance.md are measured on
#               (Wikinews via the GUM corpus, CC BY 2.5, and OneStopEnglish,
#               CC BY-SA 4.0). They are not in this repository; any folder of
#               news stories will do.
#   COPYDESK=/path/to/copydesk bench/run.sh   times another build
# The data goes to target/bench-data/MEGABYTES (BENCH_DIR to change) and is
# reused: remove it after changing the corpus.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mb=${1:-100}
data=${BENCH_DIR:-$root/target/bench-data/$mb}
corpus=${2:-${COPYDESK_CORPUS:-$root/../shared/corpus/news}}
exe=${COPYDESK:-$root/target/release/copydesk}  # COPYDESK=path to time another build

if [ ! -f "$data/single.txt" ] && ! compgen -G "$corpus/*.txt" >/dev/null; then
  cat >&2 <<MSG
bench/run.sh: no stories (*.txt) in $corpus
The benchmark repeats a folder of news stories, one story per .txt file.
Give one: bench/run.sh ${mb} path/to/stories   (or COPYDESK_CORPUS=path/to/stories)
The published figures use ../shared/corpus/news, which is not part of this
repository (see the comment at the top of bench/run.sh).
MSG
  exit 2
fi
(cd "$root" && cargo build --release --quiet)
if [ ! -f "$data/single.txt" ]; then
  mkdir -p "$data"
  # The corpus's stories in a seeded random order, again and again: as
  # separate files in folders of 1,000 until the tree holds MEGABYTES, and
  # one after another in single.txt until it holds half that.
  python3 - "$corpus" "$data" "$mb" <<'PY'
import pathlib, random, sys
src, out, mb = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
stories = [p.read_text(encoding="utf-8") for p in sorted(src.glob("*.txt"))]
rng = random.Random(42)
tree = out / "tree"
tree.mkdir(parents=True, exist_ok=True)
written, count = 0, 0
while written < mb * 1_000_000:
    order = stories[:]
    rng.shuffle(order)
    for story in order:
        folder = tree / f"d{count // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{count:06d}.txt").write_text(story, encoding="utf-8")
        written += len(story.encode())
        count += 1
        if written >= mb * 1_000_000:
            break
size = 0
with open(out / "single.txt", "w", encoding="utf-8") as single:
    while size < mb * 500_000:
        order = stories[:]
        rng.shuffle(order)
        for story in order:
            single.write(story + "\n")
            size += len(story.encode()) + 1
            if size >= mb * 500_000:
                break
print(f"{count} files, {written / 1e6:.1f} MB in {tree}; {size / 1e6:.1f} MB in {out / 'single.txt'}")
PY
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

# Wall-clock seconds of one run of a shell command.
once() {
  local out
  out=$(mktemp)
  /usr/bin/time -f "%e" -o "$out" bash -c "$1 >/dev/null 2>&1 || true"
  tail -n1 "$out"
  rm -f "$out"
}

# The machine's speed drifts by 10-40% from minute to minute, the floor with
# it, so the ratio is taken from paired runs: the floor, then copydesk, back
# to back, five times. Printed: the medians of the floor, of copydesk and of
# the five ratios, and the ratios' range.
report() { # name, input, floor command, copydesk command
  local name=$1 input=$2 floor_cmd=$3 cmd=$4
  local size pairs mem
  size=$(mbytes "$input")
  once "$floor_cmd" >/dev/null # caches warm
  pairs=$(for _ in 1 2 3 4 5; do
    f=$(once "$floor_cmd")
    t=$(once "$cmd")
    echo "$f $t"
  done)
  mem=$(peak "$cmd")
  echo "$pairs" | awk -v n="$name" -v s="$size" -v m="$mem" '
    function median(a, k,   i, j, x) {
      for (i = 2; i <= k; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
      return a[int((k + 1) / 2)]
    }
    { k++; f[k] = $1; t[k] = $2; r[k] = ($1 > 0 ? $2 / $1 : 0); lo = (k == 1 || r[k] < lo) ? r[k] : lo; hi = (r[k] > hi) ? r[k] : hi }
    END {
      mf = median(f, k); mt = median(t, k); mr = median(r, k)
      printf "%-12s %7.1f MB  copydesk %6.2f s  %7.1f MB/s  floor %5.2f s  ratio %5.2fx (%.2f-%.2f)  peak %5d MiB\n",
        n, s, mt, (mt > 0 ? s / mt : 0), mf, mr, lo, hi, m }'
}

echo
echo "== full size (all default rules, --format json; medians of 5 paired runs)"
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
