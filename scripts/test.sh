#!/usr/bin/env bash
# Sets up what the tests need on a fresh machine (test extras; Debian's chromium and
# poppler-utils when missing and apt is available), then runs the whole suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k deck` or `--run-slow`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

"$PY" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "installing ${missing[*]} with apt-get" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: ${missing[*]} not installed and no apt-get: browser/PDF tests will be skipped" >&2
  fi
fi

exec "$PY" -m pytest "$@"
