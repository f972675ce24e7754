#!/usr/bin/env bash
# Creates (or updates) the project's virtual environment in .venv with the given extras.
# Usage: scripts/venv.sh [EXTRA]   e.g. scripts/venv.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
# Reinstall only when the project's requirements changed since the last install.
stamp=.venv/.mailwizard-installed
want="$(sha256sum pyproject.toml | cut -c1-64) $spec"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! .venv/bin/python -c "import wizard" 2>/dev/null; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
  echo "$want" > "$stamp"
fi
