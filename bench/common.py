"""Helpers shared by the benchmarks: timing summaries, peak memory, building an app in a scratch folder."""
from __future__ import annotations

import resource
import statistics
import tempfile
from pathlib import Path


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"p50 {statistics.median(ms):.1f} ms, p99 {percentile(ms, 99):.1f} ms (n={len(ms)})"


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children: a benchmark's subprocesses."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scratch_app(data_dir: str | None = None, autoload: bool = False, settings_overrides: dict | None = None,
                **kwargs):
    from bot.bootstrap import build_app, ensure_demo_data
    from bot.settings import load_settings

    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="ih-bench-"))
    app = build_app(load_settings(INTERNAL_HIRE_DATA_DIR=folder, INTERNAL_HIRE_DEMO_AUTOLOAD=autoload,
                                  **(settings_overrides or {})), **kwargs)
    if autoload:
        ensure_demo_data(app)
    return app
