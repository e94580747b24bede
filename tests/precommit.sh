#!/usr/bin/env bash
# Prove the pre-commit hook with the real pre-commit framework: install it in a
# throwaway virtualenv, make a scratch git repository, and check that the
# `copydesk` hook fails on a draft with a defect and passes on a clean one.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
export PRE_COMMIT_HOME="$tmp/pre-commit-cache"
pc="$tmp/venv/bin/pre-commit"

mkdir "$tmp/newsroom"
cd "$tmp/newsroom"
git init --quiet
git config user.email "desk@example.org"
git config user.name "Copy Desk"
cp "$repo/examples/draft.txt" defect.txt
cp "$repo/tests/fixtures/basic/clean.txt" clean.txt
git add defect.txt clean.txt

echo "pre-commit: the hook must fail on a draft with a repeated paragraph"
if "$pc" try-repo "$repo" copydesk --files defect.txt >"$tmp/defect.log" 2>&1; then
  cat "$tmp/defect.log"
  echo "FAIL: the copydesk hook passed on a draft with defects" >&2
  exit 1
fi
grep -q "repeated-paragraph" "$tmp/defect.log" || {
  cat "$tmp/defect.log"
  echo "FAIL: the hook failed, but not with copydesk's findings" >&2
  exit 1
}

echo "pre-commit: the hook must pass on a clean draft"
if ! "$pc" try-repo "$repo" copydesk --files clean.txt >"$tmp/clean.log" 2>&1; then
  cat "$tmp/clean.log"
  echo "FAIL: the copydesk hook failed on a clean draft" >&2
  exit 1
fi
echo "pre-commit hook: 2 passed, 0 failed"
