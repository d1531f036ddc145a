#!/usr/bin/env bash
# Install Internal Hire into .venv and open the local chat on the demo organisation (no credentials needed).
# The install runs only when the project's dependencies changed (pyproject.toml) or the environment is missing:
# the package is installed in editable mode, so code changes need no reinstall and a second start opens at once.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
stamp=.venv/.internal-hire-installed
wanted="$(.venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest())')"
if [ ! -x .venv/bin/internal-hire ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
    echo "$wanted" > "$stamp"
fi
exec .venv/bin/internal-hire chat "$@"
