#!/usr/bin/env python3
"""Scaling harness: does each input shape cost time in proportion to its size?

Generates every shape at sizes n, 2n, 4n and 8n, times copydesk on each, and
fails when the time for one doubling grows by more than the allowed ratio
(2.5x by default). The verdict is a ratio measured within one run, never a
wall-clock limit, so a slow or busy machine does not fail it; only growth
faster than the input does.

Each time is the fastest of a few runs (the least disturbed by other work on
the machine), less copydesk's start-up (the time to check an empty file). A
step whose smaller time is under the noise floor is not judged: ratios of
a few milliseconds mean nothing. A step that looks too steep is timed again
before it counts, so one disturbed run does not fail the harness.

usage: scripts/scaling.py [--exe PATH] [--scale F] [--only SHAPE,...] [--list]
       --scale 0.25 for a quick run (CI), 1 for the table in the notes.
exit:  0 every shape linear, 1 a shape grew faster, 2 usage or setup error.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Words for filler prose: a few common words that no rule fires on, and
# made-up lower-case words from syllables, so that paragraphs share little.
FILLER = (
    "council members met on tuesday to discuss plans for the new library "
    "which opened in the spring after years of delay and local debate"
).split()
SYLLABLES = "ba ke lo mi nu ra si to ve wa dri gle spo tra".split()


def word(k):
    """A made-up word for the number `k` (distinct for each k < 14**5)."""
    k = (k * 2654435761) % (len(SYLLABLES) ** 5)
    return "".join(SYLLABLES[(k // len(SYLLABLES) ** j) % len(SYLLABLES)] for j in range(5))


def prose(words, salt=0):
    """`words` words of plain filler, varied by `salt` so paragraphs differ."""
    out = []
    for i in range(words):
        out.append(FILLER[(i + salt) % len(FILLER)] if i % 3 else word(salt * 131 + i))
    return " ".join(out)


def paragraphs(count, words=40, make=prose):
    return "\n\n".join(make(words, salt=i) + "." for i in range(count))


# Each shape: (name, base size n, builder) where builder(size, folder) writes
# the input under `folder` and returns the copydesk arguments that check it.


def one_line_findings(fmt):
    def build(n, folder):
        # One paragraph on one line, a doubled word every ten words.
        words = []
        for i in range(n):
            words.append("the the" if i % 10 == 0 else FILLER[i % len(FILLER)])
        path = os.path.join(folder, "oneline.txt")
        with open(path, "w") as f:
            f.write("Headline of the story\n\n" + " ".join(words) + ".\n")
        return ["check", "--no-config", "--format", fmt, "--fail-on", "error", path]

    return build


def suppressions(n, folder):
    lines = ["Headline of the story", ""]
    for i in range(n):
        lines.append("<!-- copydesk-disable-next-line doubled-word -->")
        lines.append(prose(8, salt=i) + " and and " + prose(4, salt=i + 1) + ".")
        lines.append("")
    path = os.path.join(folder, "suppress.md")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return ["check", "--no-config", "--format", "json", "--fail-on", "error", path]


def many_edits(mode):
    def build(n, folder):
        # One fixable doubled word per short paragraph.
        body = "\n\n".join(prose(6, salt=i) + " the the " + prose(3, salt=i + 5) + "." for i in range(n))
        path = os.path.join(folder, "edits.txt")
        with open(path, "w") as f:
            f.write("Headline of the story\n\n" + body + "\n")
        return ["check", "--no-config", "--format", "short", mode, path]

    return build


def many_files(command):
    def build(n, folder):
        tree = os.path.join(folder, "tree")
        os.makedirs(tree, exist_ok=True)
        for i in range(n):
            with open(os.path.join(tree, f"story{i:06}.txt"), "w") as f:
                f.write(f"Story number {i}\n\n" + prose(30, salt=i) + " the the end.\n")
        base = os.path.join(folder, "baseline.json")
        if command == "baseline":
            return ["baseline", "--no-config", "-o", base, tree]
        run(EXE, ["baseline", "--no-config", "-o", base, tree])
        return ["check", "--no-config", "--format", "short", "--baseline", base, tree]

    return build


def long_headline(markdown):
    def build(n, folder):
        head = prose(n, salt=3)
        if markdown:
            text = "# " + head + "\n\n" + paragraphs(max(4, n // 40)) + "\n"
            path = os.path.join(folder, "heading.md")
        else:
            text = head + "\n\n" + paragraphs(max(4, n // 40)) + "\n"
            path = os.path.join(folder, "headline.txt")
        with open(path, "w") as f:
            f.write(text)
        return ["check", "--no-config", "--format", "short", path]

    return build


def long_line_of(piece):
    def build(n, folder):
        path = os.path.join(folder, "longline.md")
        with open(path, "w") as f:
            f.write("Headline of the story\n\n" + "".join(piece(i) for i in range(n)) + "\n")
        return ["check", "--no-config", "--format", "short", path]

    return build


def identical_paragraphs(n, folder):
    para = prose(30, salt=1) + "."
    path = os.path.join(folder, "same.txt")
    with open(path, "w") as f:
        f.write("Headline of the story\n\n" + "\n\n".join([para] * n) + "\n")
    return ["check", "--no-config", "--format", "short", path]


def many_paragraphs(make):
    def build(n, folder):
        path = os.path.join(folder, "long.txt")
        with open(path, "w") as f:
            f.write("Headline of the story\n\n" + paragraphs(n, make=make) + "\n")
        return ["check", "--no-config", "--format", "short", path]

    return build


SHAPES = [
    ("one-line-findings-short", 12000, one_line_findings("short")),
    ("one-line-findings-human", 12000, one_line_findings("human")),
    ("one-line-findings-json", 12000, one_line_findings("json")),
    ("one-line-findings-sarif", 12000, one_line_findings("sarif")),
    ("one-line-findings-gitlab", 12000, one_line_findings("gitlab")),
    ("one-line-findings-junit", 12000, one_line_findings("junit")),
    ("one-line-findings-checkstyle", 12000, one_line_findings("checkstyle")),
    ("one-line-findings-rdjson", 12000, one_line_findings("rdjson")),
    ("one-line-findings-github", 12000, one_line_findings("github")),
    ("suppression-comments", 2500, suppressions),
    ("fix-many-edits", 4000, many_edits("--fix")),
    ("diff-many-edits", 4000, many_edits("--diff")),
    ("baseline-many-files", 1000, many_files("baseline")),
    ("check-baseline-many-files", 1000, many_files("check")),
    ("long-headline", 4000, long_headline(False)),
    ("long-heading", 4000, long_headline(True)),
    ("long-line-of-links", 3000, long_line_of(lambda i: f"[link {i}](https://example.com/p/{i}) ")),
    ("long-line-of-zwj", 20000, long_line_of(lambda i: "a\u200d" if i % 5 else "word \u200d")),
    ("identical-paragraphs", 1000, identical_paragraphs),
    ("many-paragraphs", 2000, many_paragraphs(prose)),
]

EXE = os.path.join(ROOT, "target", "release", "copydesk")


def run(exe, args, stdin=None):
    """Run copydesk; exit codes 0-1 are results, anything else an error."""
    p = subprocess.run([exe] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=stdin)
    if p.returncode not in (0, 1):
        raise RuntimeError(f"copydesk {' '.join(args)} exited {p.returncode}: {p.stderr.decode()[:300]}")


def timed(args, folder, repeats):
    best = None
    for _ in range(repeats):
        # --fix rewrites its input: rebuild it each time from the saved copy.
        if "--fix" in args:
            src = args[-1]
            shutil.copyfile(src + ".orig", src)
        start = time.perf_counter()
        run(EXE, args)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main():
    global EXE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--exe", default=os.environ.get("COPYDESK", EXE))
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    ap.add_argument("--only", default="", help="comma-separated shape names")
    ap.add_argument("--ratio", type=float, default=2.5, help="largest time ratio per doubling")
    ap.add_argument("--floor", type=float, default=0.03, help="seconds (after start-up) below which a step is not judged")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for name, n, _ in SHAPES:
            print(f"{name}\t{n}")
        return 0
    EXE = a.exe
    if not os.access(EXE, os.X_OK):
        print(f"scaling: no copydesk at {EXE} (cargo build --release, or --exe)", file=sys.stderr)
        return 2
    only = set(filter(None, a.only.split(",")))
    unknown = only - {s[0] for s in SHAPES}
    if unknown:
        print(f"scaling: unknown shape(s): {', '.join(sorted(unknown))} (--list)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="copydesk-scaling-") as tmp:
        empty = os.path.join(tmp, "empty.txt")
        open(empty, "w").close()
        startup = timed(["check", "--no-config", empty], tmp, max(a.repeats, 5))
    print(f"start-up: {startup:.3f} s (taken off every time below)")
    failed = []
    print(f"{'shape':30} {'n':>7} {'1n s':>7} {'2n s':>7} {'4n s':>7} {'8n s':>7}  worst ratio")
    for name, base, build in SHAPES:
        if only and name not in only:
            continue
        n = max(1, int(base * a.scale))
        times = []
        with tempfile.TemporaryDirectory(prefix="copydesk-scaling-") as tmp:
            runs = []
            for k in (1, 2, 4, 8):
                folder = os.path.join(tmp, str(k))
                os.makedirs(folder)
                args = build(n * k, folder)
                if "--fix" in args:
                    shutil.copyfile(args[-1], args[-1] + ".orig")
                runs.append((args, folder))
                times.append(max(timed(args, folder, a.repeats) - startup, 0.001))
            judged = []
            for i in range(3):
                if times[i] < a.floor:
                    continue
                if times[i + 1] / times[i] > a.ratio:
                    # Once more for both sizes, keeping the faster times.
                    for j in (i, i + 1):
                        again = max(timed(*runs[j], a.repeats) - startup, 0.001)
                        times[j] = min(times[j], again)
                judged.append(times[i + 1] / times[i])
        worst = max(judged) if judged else None
        bad = worst is not None and worst > a.ratio
        shown = " ".join(f"{t:7.3f}" for t in times)
        verdict = "-" if worst is None else f"{worst:.2f}x"
        print(f"{name:30} {n:7} {shown}  {verdict}{'  GROWS FASTER THAN THE INPUT' if bad else ''}", flush=True)
        if bad:
            failed.append(name)
    if failed:
        print(f"scaling: {len(failed)} shape(s) grow faster than their input: {', '.join(failed)}", file=sys.stderr)
        return 1
    print("scaling: every shape grows in proportion to its input")
    return 0


if __name__ == "__main__":
    sys.exit(main())
