#!/usr/bin/env python3
"""False-alarm rates of the default rules on published copy.

Runs copydesk over a corpus of professionally edited stories and prints
findings per 1,000 words for each rule. The corpus is CORPUS_DIR, or
COPYDESK_CORPUS, or ../shared/corpus/news beside the repository, which is not
part of it (scripts/corpus_dir.py says what the corpus is). The OneStopEnglish files have
no real headline (their first line is a topic name), so headline-in-body is
not run on them, as the corpus README asks.

usage: scripts/corpus-rates.py [CORPUS_DIR] [--show RULE]
"""
import json
import pathlib
import subprocess
import sys
from collections import Counter

from corpus_dir import corpus_dir

ROOT = pathlib.Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if not a.startswith("--")]
show = sys.argv[sys.argv.index("--show") + 1] if "--show" in sys.argv else None
if show in args:
    args.remove(show)
corpus = corpus_dir(args[0] if args else None, "scripts/corpus-rates.py")

subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
exe = ROOT / "target" / "release" / "copydesk"

files = sorted(corpus.glob("*.txt"))
words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
findings = []
for group, extra in (("wn_", []), ("ose_", ["--ignore", "headline-in-body"])):
    paths = [str(p) for p in files if p.name.startswith(group)]
    out = subprocess.run(
        [str(exe), "check", "--no-config", "--format", "json", *extra, *paths],
        capture_output=True, text=True,
    )
    if out.returncode == 2:
        sys.exit(out.stderr)
    findings += json.loads(out.stdout)

counts = Counter(f["rule"] for f in findings)
print(f"{len(files)} files, {words} words, {len(findings)} findings")
print(f"{'rule':28} {'findings':>8} {'per 1,000 words':>16}")
for rule, n in sorted(counts.items(), key=lambda kv: -kv[1]):
    print(f"{rule:28} {n:8} {n * 1000 / words:16.3f}")
print(f"{'all rules':28} {len(findings):8} {len(findings) * 1000 / words:16.3f}")
if show:
    for f in findings:
        if f["rule"] == show:
            print(f'{f["path"]}:{f["line"]}:{f["column"]}: {f["message"]}')
