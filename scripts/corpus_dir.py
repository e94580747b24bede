"""Where the measuring scripts find their corpus of published stories.

The corpus is a folder of news stories, one per .txt file: headline, a blank
line, then paragraphs separated by blank lines (UTF-8). copydesk's figures
are measured on 232 published articles (Wikinews via the GUM corpus, CC BY
2.5, and OneStopEnglish, CC BY-SA 4.0) kept outside the repository, in
../shared/corpus/news beside it; they are not distributed with copydesk. Any
folder of edited news stories serves: name it as the scripts' CORPUS_DIR
argument or in COPYDESK_CORPUS.
"""
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "corpus" / "news"


def corpus_dir(given, script):
    """The corpus folder: `given` (the command line's), else COPYDESK_CORPUS,
    else the default; exits with a message saying how to give one when it
    holds no stories."""
    path = pathlib.Path(given or os.environ.get("COPYDESK_CORPUS") or DEFAULT)
    if not path.is_dir() or not any(path.glob("*.txt")):
        sys.exit(
            f"{script}: no stories (*.txt) in {path}\n"
            f"Give a folder of news stories, one per .txt file: {script} CORPUS_DIR,\n"
            "or COPYDESK_CORPUS=CORPUS_DIR. The published figures use ../shared/corpus/news\n"
            "beside the repository, which is not part of it (see scripts/corpus_dir.py)."
        )
    return path
