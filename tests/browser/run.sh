#!/usr/bin/env bash
# The browser tests: Debian's chromium, driven headless by playwright-core,
# opens what copydesk makes (tests/browser/*.test.mjs) and checks it.
# Screenshots go to target/screenshots/; with UPDATE_SCREENSHOTS=1 the ones
# the README shows are also written to docs/images/.
#
# usage: tests/browser/run.sh [TEST_FILE ...]   (default: every *.test.mjs)
#        COPYDESK=path/to/copydesk    (default: target/release/copydesk, built here)
#        CHROMIUM=path/to/chromium    (default: /usr/bin/chromium, installed here when missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tests/browser"
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ -z "${COPYDESK:-}" ]; then
  (cd "$root" && cargo build --release --quiet)
  export COPYDESK="$root/target/release/copydesk"
fi
[ -x "$COPYDESK" ] || { echo "no copydesk binary at $COPYDESK" >&2; exit 2; }
mkdir -p "$root/target/screenshots"
cd "$here"
npm ci --no-audit --no-fund --silent
if [ $# -eq 0 ]; then
  set -- ./*.test.mjs
fi
# node --test exits non-zero when any test fails.
node --test --test-reporter=spec "$@"
