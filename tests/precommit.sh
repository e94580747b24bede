#!/usr/bin/env bash
# Prove the pre-commit hook with the real pre-commit framework: install it in a
# throwaway virtualenv, make a scratch newsroom repository that uses this
# repository's `copydesk` hook, and check that a commit of a draft with a
# defect is refused while a commit of a clean draft goes through.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
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
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: copydesk
YAML
git add .pre-commit-config.yaml
git commit --quiet --no-verify -m "use copydesk"
"$pc" install >/dev/null

passed=0
echo "pre-commit: a commit of a draft with a repeated paragraph must be refused"
cp "$repo/examples/draft.txt" defect.txt
git add defect.txt
if git commit -m "add draft" >"$tmp/defect.log" 2>&1; then
  cat "$tmp/defect.log"
  echo "FAIL: the copydesk hook let a draft with defects through" >&2
  exit 1
fi
grep -q "repeated-paragraph" "$tmp/defect.log" || {
  cat "$tmp/defect.log"
  echo "FAIL: the commit failed, but not with copydesk's findings" >&2
  exit 1
}
passed=$((passed + 1))
git rm --cached --quiet defect.txt

echo "pre-commit: a commit of a clean draft must go through"
cp "$repo/tests/fixtures/basic/clean.txt" clean.txt
git add clean.txt
if ! git commit -m "add clean draft" >"$tmp/clean.log" 2>&1; then
  cat "$tmp/clean.log"
  echo "FAIL: the copydesk hook refused a clean draft" >&2
  exit 1
fi
passed=$((passed + 1))

echo "pre-commit: copydesk-fix must fix a pasted paragraph and stop the commit once"
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: copydesk-fix
YAML
git add .pre-commit-config.yaml
printf 'Ferry Fares Rise\n\nThe operator said fares would rise in the spring.\n\nThe operator said fares would rise in the spring.\n' > fares.txt
git add fares.txt
if git commit -m "add fares" >"$tmp/fix.log" 2>&1; then
  cat "$tmp/fix.log"
  echo "FAIL: copydesk-fix changed nothing, or pre-commit did not stop the commit" >&2
  exit 1
fi
expected=$(printf 'Ferry Fares Rise\n\nThe operator said fares would rise in the spring.\n')
if [ "$(cat fares.txt)" != "$expected" ]; then
  cat fares.txt
  echo "FAIL: copydesk-fix did not delete the repeated paragraph" >&2
  exit 1
fi
git add fares.txt
if ! git commit -m "add fares" >"$tmp/fix2.log" 2>&1; then
  cat "$tmp/fix2.log"
  echo "FAIL: the fixed draft was not accepted on the second commit" >&2
  exit 1
fi
passed=$((passed + 1))
echo "pre-commit hook: $passed passed, 0 failed"
