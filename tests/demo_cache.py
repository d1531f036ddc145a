"""The demo database for the tests, built once per content stamp and copied.

The stamp covers everything the build reads: the product's code and data (bot/, core/, handlers/, cards/, scheduler/),
pyproject.toml and the installed packages' versions; any change builds it again. Several pytest processes (the
xdist workers, or runs side by side) wait on one lock so that only the first builds; the rest copy its files.

The cache lives in $INTERNAL_HIRE_TEST_CACHE (default ~/.cache/internal-hire/tests); delete it to force a build.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
import uuid
from importlib import metadata
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("bot", "core", "handlers", "cards", "scheduler")
KEEP = 10         # stamps kept (about 4 MB each; other worktrees and branches share the cache)


def cache_root() -> Path:
    return Path(os.environ.get("INTERNAL_HIRE_TEST_CACHE") or Path.home() / ".cache" / "internal-hire" / "tests")


def content_stamp() -> str:
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    digest.update((ROOT / "pyproject.toml").read_bytes())
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions() if d.metadata['Name'])
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()[:20]


def cached_demo_db(build: Callable[[Path], None], target: Path) -> Path:
    """Fill `target` with the demo database: a copy of the cached build for this stamp, built first if missing."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = content_stamp()
    ready = root / f"demo-{stamp}"
    with open(root / f"demo-{stamp}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)          # the first process builds; the others wait here, then copy
        try:
            if not ready.is_dir():
                building = root / f"building-{uuid.uuid4().hex[:8]}"
                build(building)
                building.rename(ready)            # complete or absent: a build cut short is never used
                _forget_old(root, keep=ready)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    shutil.copytree(ready, target, dirs_exist_ok=True)
    return target


def _forget_old(root: Path, keep: Path) -> None:
    builds = sorted((p for p in root.glob("demo-*") if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime)
    for old in builds[:max(0, len(builds) - (KEEP - 1))]:
        shutil.rmtree(old, ignore_errors=True)
        (root / f"{old.name}.lock").unlink(missing_ok=True)
    for stale in root.glob("building-*"):           # a build killed part way (an hour old: not one in progress)
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
