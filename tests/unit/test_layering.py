"""The architecture, enforced: the import-linter contracts in pyproject.toml (core imports no outer layer and no
driver or SDK, handlers no chat SDK, cards render only) must all hold."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_every_import_contract_holds():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail("import-linter is missing: `pip install -e '.[dev]'` installs it")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout and "Contracts: 4 kept, 0 broken" in proc.stdout


def test_a_forbidden_import_is_caught(tmp_path):
    """The check can fail: a core module importing a driver breaks a contract."""
    import shutil

    copy = tmp_path / "repo"
    for name in ("bot", "handlers", "core", "cards", "scheduler"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "data"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    (copy / "core" / "leak.py").write_text("import sqlalchemy\nfrom handlers import router\n", encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=copy, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0
    assert "core.leak -> sqlalchemy" in proc.stdout and "core.leak -> handlers.router" in proc.stdout


def test_audit_rows_are_written_in_one_place():
    """core/audit.py is the only caller of the store's add_audit (the stores implement it)."""
    callers = sorted(str(path.relative_to(ROOT)) for package in ("bot", "handlers", "core", "cards", "scheduler")
                     for path in (ROOT / package).rglob("*.py")
                     if ".add_audit(" in path.read_text(encoding="utf-8"))
    assert callers == ["core/audit.py"]
