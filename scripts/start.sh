#!/usr/bin/env bash
# Install Internal Hire into .venv and open the local chat on the demo organisation (no credentials needed).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/internal-hire chat "$@"
