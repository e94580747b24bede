#!/usr/bin/env bash
# A headless Neovim opens a story with `copydesk lsp` attached through its
# built-in LSP client; the diagnostics it received must equal
# `copydesk check --format json` on the same file, rule by rule and place by
# place. Prints both when they differ.
#
# usage: tests/nvim/run.sh [STORY ...]     (default: examples/draft.txt)
#        COPYDESK=path/to/copydesk         (default: target/debug/copydesk)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exe=${COPYDESK:-$root/target/debug/copydesk}
command -v nvim >/dev/null || { echo "nvim is not installed (Debian: apt-get install neovim)" >&2; exit 2; }
[ -x "$exe" ] || { echo "no copydesk binary at $exe (cargo build first)" >&2; exit 2; }
[ $# -gt 0 ] || set -- "$root/examples/draft.txt"

status=0
for story in "$@"; do
  got=$(mktemp)
  want=$(mktemp)
  (cd "$root" && COPYDESK="$exe" NVIM_DIAGNOSTICS_OUT="$got" \
    timeout 60 nvim --headless --clean -n -c "luafile tests/nvim/diagnostics.lua" "$story")
  (cd "$root" && "$exe" check --format json "$story" > "$want") || true
  python3 - "$story" "$got" "$want" <<'PY' || status=1
import json, sys
story, got, want = sys.argv[1:]
text = open(story, encoding="utf-8").read().encode("utf-8")
starts = [0] + [i + 1 for i, b in enumerate(text) if b == 0x0A]
def place(byte):
    line = max(i for i, s in enumerate(starts) if s <= byte)
    return line, byte - starts[line]
nvim = json.load(open(got))
if not nvim["received"]:
    sys.exit(f"{story}: Neovim received no diagnostics")
seen = sorted((d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in nvim["diagnostics"])
expected = sorted((f["rule"], *place(f["byte_start"]), *place(f["byte_end"])) for f in json.load(open(want)))
print(f"{story}: Neovim received {len(seen)} diagnostics; copydesk check reports {len(expected)}")
for row in seen:
    print("  ", *row)
if seen != expected:
    print("copydesk check says:")
    for row in expected:
        print("  ", *row)
    sys.exit(f"{story}: the editor's findings differ from copydesk check")
PY
  rm -f "$got" "$want"
done
exit $status
