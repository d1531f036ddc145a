#!/usr/bin/env bash
# Install Internal Hire with its test dependencies into .venv and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
# One worker per core (PYTEST_WORKERS=0 runs in this process); whole files per worker, so a module's fixtures are
# built once. The demo database is built once for all workers (tests/demo_cache.py).
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" --dist loadfile "$@"
