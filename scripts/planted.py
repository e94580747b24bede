#!/usr/bin/env python3
"""Recall of unsourced-figure and name-form on planted defects.

For every story of the corpus (CORPUS_DIR, or COPYDESK_CORPUS, or
../shared/corpus/news beside the repository, which is not part of it:
scripts/corpus_dir.py says what the corpus is) and every defect kind
below, writes a copy of the story with ONE planted defect, runs copydesk over
the copies of each kind (one run per kind) and over the unmutated stories, and
prints per kind: the stories it was tried on, how many plants were found, the
recall, and the noise: findings of the two rules that are not the planted one
and that the unmutated story does not have.

A plant is found when a finding of the kind's rule overlaps the planted
sentence (figure kinds) or the mention where the finding belongs (name kinds).

Figures and names are invented and put together from the templates here,
varied by a seeded random generator: the same --seed gives the same plants.

usage: scripts/planted.py [CORPUS_DIR] [--seed N] [--show KIND] [--keep DIR]
"""
import argparse
import json
import pathlib
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter

from corpus_dir import corpus_dir

ROOT = pathlib.Path(__file__).resolve().parent.parent
RULES = "unsourced-figure,name-form"
FIGURE, NAME = "unsourced-figure", "name-form"

# Invented people. Given names carry the honorific house style uses for them.
GIVEN = [
    ("Eleanor", "Ms"), ("Tomasz", "Mr"), ("Priya", "Ms"), ("Marcus", "Mr"),
    ("Ingrid", "Ms"), ("Desmond", "Mr"), ("Aoife", "Ms"), ("Rafael", "Mr"),
    ("Hester", "Ms"), ("Kwame", "Mr"), ("Lucinda", "Ms"), ("Anders", "Mr"),
    ("Margot", "Ms"), ("Bernard", "Mr"), ("Yolanda", "Ms"), ("Gideon", "Mr"),
]
SURNAMES = [
    "Delaney", "Penhallow", "Marchetti", "Oyelaran", "Brannigan", "Whitcombe",
    "Castellano", "Haverford", "Kowalczyk", "Thornbury", "Adeyemi",
    "Lindqvist", "Fairbrother", "Quennell", "Ostrowski", "Treharne",
    "Mulcahy", "Achterberg", "Rossiter",
]
ROLES = [
    "the agency's director", "a spokeswoman for the regulator",
    "the charity's chief executive", "an economist at the institute",
    "the project's lead engineer", "a former adviser to the ministry",
    "the union's regional organiser", "a lecturer in public policy",
]
# What a planted person says; no figures, so that only name-form can fire.
SAYINGS = [
    "said the review would take longer than planned",
    "said the decision had been made too quickly",
    "said the board would meet again before the summer",
    "said nobody had been told in advance",
    "said the plans were still being drawn up",
    "said residents deserved a clearer answer",
]
ADDED = [
    "added that the findings would be published in the spring",
    "added that talks with the ministry were continuing",
    "added that the timetable could still change",
    "added that the idea had support on both sides",
]

# Unsourced claims: noun subjects (never a pronoun or a likely source such as
# "the company"), no speech or reporting verb. {p} a percentage figure.
AFTER_QUOTE = [
    "Costs rose {p}% last year.",
    "Waiting times have grown by {p} per cent.",
    "Ticket prices went up {p} percent over two seasons.",
    "Fuel bills are {p}% higher than a year ago.",
    "Applications dropped {p}% after the change.",
    "Repair work has fallen behind by {p} percent.",
]
TIME_FRAME = [
    "Rents are up {p}% since March.",
    "Exports fell {p} percent in the quarter.",
    "Fares have risen {p} per cent since January.",
    "Output dropped {p}% over the year.",
    "Sales of new bicycles climbed {p}% in the first half.",
    "Grain prices slipped {p} percent during the spring.",
]
MONEY = [
    "The programme cost {m} million.",
    "The buyer paid {b}bn for the site.",
    "The rescue package is worth {m} million.",
    "The new terminal cost {b}bn to build.",
    "The refurbishment will cost {m}m.",
    "Repairs to the bridge came to {m} million.",
]
COUNT = [
    "The union now has {n} members.",
    "The petition has gathered {n} signatures.",
    "The festival drew {n} visitors.",
    "The streaming service has {n} subscribers.",
    "Some {n} households are on the waiting list.",
    "The final was watched by {v} million viewers.",
]

QUOTE_MARKS = ("\"", "\u201c", "\u201d")
SAID = re.compile(r"\b(said|says)\b")
SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019')]*\s*$")


def balanced(par):
    """Whether a paragraph closes every quotation it opens."""
    return par.count("\u201c") == par.count("\u201d") and par.count('"') % 2 == 0


def body_indices(pars):
    """Indices of body paragraphs: after the headline, sentences of 8+ words."""
    return [
        i for i, p in enumerate(pars)
        if i > 0 and len(p.split()) >= 8 and SENTENCE_END.search(p)
    ]


def fresh_surname(rng, text, taken=()):
    names = [s for s in SURNAMES if s not in text and s not in taken]
    return rng.choice(names)


def misspell(rng, name):
    """The name with one interior letter changed."""
    while True:
        i = rng.randrange(1, len(name) - 1)
        if not name[i].isalpha():
            continue
        vowels = "aeiou"
        pool = vowels if name[i] in vowels else "bcdfghklmnprstvz"
        new = rng.choice([c for c in pool if c != name[i]])
        out = name[:i] + new + name[i + 1:]
        if out != name:
            return out


def percent(rng):
    return {"p": rng.choice([3, 4, 6, 7, 9, 11, 12, 14, 17, 18, 23, 27, 31, 38])}


class Plant:
    """A mutated story: its text, the planted text's byte range, and the
    byte range where the finding belongs."""

    def __init__(self, text, planted, expect, rule, shown):
        self.text, self.planted, self.expect = text, planted, expect
        self.rule, self.shown = rule, shown


def append_sentence(pars, i, sentence):
    """Text with `sentence` appended to paragraph `i`, and the byte ranges of
    the sentence (planted and expected are the same)."""
    pars = list(pars)
    pars[i] = pars[i] + " " + sentence
    text = "\n\n".join(pars) + "\n"
    end = len("\n\n".join(pars[: i + 1]).encode())
    return text, (end - len(sentence.encode()), end)


def insert_paragraphs(pars, plan):
    """Text with new paragraphs inserted: `plan` is [(after_index, text)],
    in order. Returns the text and each new paragraph's byte offset."""
    out, offsets, pos = [], [], 0
    queue = list(plan)
    for i, p in enumerate(pars):
        out.append(p)
        while queue and queue[0][0] == i:
            out.append(queue.pop(0)[1])
    text = "\n\n".join(out) + "\n"
    # Offsets of the planted paragraphs, found in order from the start.
    for _, new in plan:
        at = text.index(new, pos)
        offsets.append(len(text[:at].encode()))
        pos = at + len(new)
    return text, offsets


def gaps(pars, rng, count):
    """`count` paragraph indices after which to insert, in order: after the
    first body paragraph, never after a paragraph that leaves a quote open."""
    body = body_indices(pars)
    if not body:
        return None
    ok = [i for i in range(body[0], len(pars)) if balanced(pars[i])]
    if not ok:
        return None
    return sorted(rng.choice(ok) for _ in range(count))


def byte_range_of(text, offset, needle):
    """Byte range of `needle` in the paragraph starting at byte `offset`."""
    head = text.encode()[offset:].decode()
    at = len(head[: head.index(needle)].encode())
    return (offset + at, offset + at + len(needle.encode()))


def plant_figure(kind, pars, rng):
    body = body_indices(pars)
    if kind == "unsourced-after-quote":
        where = [
            i for i in body
            if any(q in pars[i] for q in QUOTE_MARKS) and SAID.search(pars[i]) and balanced(pars[i])
        ]
        sentence = rng.choice(AFTER_QUOTE).format(**percent(rng))
    else:
        # Not the first body paragraph; never inside an open quotation, and
        # never in the questions and answers of an interview (an answer, and
        # the paragraphs that go on with it, are the speaker's words).
        first_label = next((i for i in body if SPEAKER_LABEL.match(pars[i])), len(pars))
        where = [
            i for i in body[1:]
            if i < first_label and balanced(pars[i]) and not pars[i].startswith(QUOTE_MARKS)
        ]
        if kind == "time-frame":
            sentence = rng.choice(TIME_FRAME).format(**percent(rng))
        elif kind == "money-no-sign":
            sentence = rng.choice(MONEY).format(
                m=rng.choice([45, 120, 270, 380, 615, 2.5]), b=rng.choice([1.2, 3, 4.5, 7])
            )
        else:
            sentence = rng.choice(COUNT).format(
                n=f"{rng.randrange(12, 99)},{rng.randrange(100, 999)}", v=rng.choice([4, 6, 11])
            )
    if not where:
        return None
    text, span = append_sentence(pars, rng.choice(where), sentence)
    return Plant(text, span, span, FIGURE, sentence)


def plant_names(kind, pars, rng):
    story = "\n".join(pars)
    (given, hon), (given2, _) = rng.sample(GIVEN, 2)
    surname = fresh_surname(rng, story)
    role, role2 = rng.sample(ROLES, 2)
    say, say2, say3 = rng.sample(SAYINGS, 3)
    add = rng.choice(ADDED)
    if kind == "first-reference-dropped":
        # Later either the full name (used before it) or the surname with an
        # honorific only (never given): either way the finding belongs on
        # the first reference.
        later = rng.choice([f"{given} {surname} {say2}.", f"{hon} {surname} {add}."])
        paragraphs = [f"{surname}, {role}, {say}.", later]
        target, needle = 0, surname
    elif kind == "surname-misspelt":
        wrong = misspell(rng, surname)
        if wrong in story:
            return None
        paragraphs = [
            f"{given} {surname}, {role}, {say}.",
            f"{surname} {add}.",
            f"{wrong} {say2}.",
        ]
        # The misspelt reference is the second or the third mention.
        if rng.random() < 0.5:
            paragraphs[1], paragraphs[2] = f"{wrong} {add}.", f"{surname} {say2}."
            target = 1
        else:
            target = 2
        needle = wrong
    elif kind == "shared-surname":
        paragraphs = [
            f"{given} {surname}, {role}, {say}.",
            f"{given2} {surname}, {role2}, {say2}.",
            f"{surname} {add}.",
        ]
        target, needle = 2, surname
    else:  # honorific-once
        later = [f"{surname} {say2}.", f"{surname} {add}.", f"{hon} {surname} {say3}."]
        rng.shuffle(later)
        paragraphs = [f"{given} {surname}, {role}, {say}."] + later
        target = 1 + next(i for i, p in enumerate(later) if p.startswith(hon + " "))
        needle = f"{hon} {surname}"
    where = gaps(pars, rng, len(paragraphs))
    if where is None:
        return None
    text, offsets = insert_paragraphs(pars, list(zip(where, paragraphs)))
    planted = (offsets[0], offsets[-1] + len(paragraphs[-1].encode()))
    expect = byte_range_of(text, offsets[target], needle)
    return Plant(text, planted, expect, NAME, paragraphs[target])


# A paragraph opening with a speaker label: "Wikinews:", "Nick Bos:", "Q:".
SPEAKER_LABEL = re.compile(r"^\s*(?:[QA]|[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})\s*:\s")

FIGURE_KINDS = ["unsourced-after-quote", "time-frame", "money-no-sign", "large-count"]
NAME_KINDS = ["first-reference-dropped", "surname-misspelt", "shared-surname", "honorific-once"]
KINDS = FIGURE_KINDS + NAME_KINDS


def run(exe, paths):
    out = subprocess.run(
        [str(exe), "check", "--no-config", "--format", "json", "--select", RULES, *map(str, paths)],
        capture_output=True, text=True,
    )
    if out.returncode == 2:
        sys.exit(out.stderr)
    by_path = {}
    for f in json.loads(out.stdout):
        by_path.setdefault(f["path"], []).append(f)
    return by_path


def overlaps(f, span):
    return f["byte_start"] < span[1] and span[0] < f["byte_end"] or (
        f["byte_start"] == f["byte_end"] and span[0] <= f["byte_start"] < span[1]
    )


def key(f, text):
    """A finding as the same in a story and its mutated copy."""
    data = text.encode()
    return (f["rule"], f["message"], data[f["byte_start"]:f["byte_end"]].decode(errors="replace"))


def line_of(text, byte):
    return text.encode()[:byte].count(b"\n") + 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", help="folder of stories, one per .txt file")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--show", choices=KINDS, help="print this kind's misses and noise")
    ap.add_argument("--keep", help="write the mutated stories here instead of a temporary folder")
    args = ap.parse_args()
    corpus = corpus_dir(args.corpus, "scripts/planted.py")

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    exe = ROOT / "target" / "release" / "copydesk"

    stories = {}
    for p in sorted(corpus.glob("*.txt")):
        text = p.read_text(encoding="utf-8").lstrip("\ufeff")
        stories[p.name] = text.rstrip("\n").split("\n\n")

    with tempfile.TemporaryDirectory() as tmp:
        out_dir = pathlib.Path(args.keep or tmp)
        orig_dir = out_dir / "original"
        orig_dir.mkdir(parents=True, exist_ok=True)
        originals = {}
        for name, pars in stories.items():
            originals[name] = "\n\n".join(pars) + "\n"
            (orig_dir / name).write_text(originals[name], encoding="utf-8")
        before = run(exe, sorted(orig_dir.glob("*.txt")))

        rows = []
        for kind in KINDS:
            kind_dir = out_dir / kind
            kind_dir.mkdir(exist_ok=True)
            plants = {}
            for name, pars in stories.items():
                rng = random.Random(f"{args.seed}:{kind}:{name}")
                plant = (plant_figure if kind in FIGURE_KINDS else plant_names)(kind, pars, rng)
                if plant is None:
                    continue
                path = kind_dir / name
                path.write_text(plant.text, encoding="utf-8")
                plants[str(path)] = (name, plant)
            after = run(exe, plants)
            found, noise, misses, noisy = 0, 0, [], []
            for path, (name, plant) in plants.items():
                findings = after.get(path, [])
                hit = [f for f in findings if f["rule"] == plant.rule and overlaps(f, plant.expect)]
                found += bool(hit)
                if not hit:
                    misses.append((name, plant, findings))
                old = Counter(key(f, originals[name]) for f in before.get(str(orig_dir / name), []))
                for f in findings:
                    if f in hit:
                        continue
                    k = key(f, plant.text)
                    if old[k] > 0:
                        old[k] -= 1
                    else:
                        noise += 1
                        noisy.append((name, f))
            rows.append((kind, len(plants), found, noise))
            if kind == args.show:
                show(kind, misses, noisy)

    print(f"planted defects, seed {args.seed}, {len(stories)} stories in {corpus}")
    print(f"{'kind':26} {'tried':>6} {'found':>6} {'recall':>7} {'noise':>6}")
    for kind, tried, found, noise in rows:
        recall = f"{found / tried:.3f}" if tried else "-"
        print(f"{kind:26} {tried:6} {found:6} {recall:>7} {noise:6}")
    print("noise: findings not at the plant that the unmutated story does not have")


def show(kind, misses, noisy):
    print(f"{kind}: {len(misses)} missed")
    for name, plant, findings in misses:
        line = line_of(plant.text, plant.expect[0])
        print(f"  {name}:{line}: planted {plant.shown!r}")
        lo, hi = line_of(plant.text, plant.planted[0]), line_of(plant.text, plant.planted[1])
        for f in findings:
            if lo - 2 <= f["line"] <= hi + 2:
                print(f'      {f["line"]}:{f["column"]}: [{f["rule"]}] {f["message"]}')
    print(f"{kind}: {len(noisy)} noise findings")
    for name, f in noisy:
        print(f'  {name}:{f["line"]}:{f["column"]}: [{f["rule"]}] {f["message"]}')
    print()


if __name__ == "__main__":
    main()
