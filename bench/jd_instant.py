"""Time to the three instant JD drafts (target <= 300 ms, zero tokens).

Imports the three demo companies into a scratch database, prepares their drafts (the nightly batch step, timed
separately), then asks for the three drafts many times over every company × family × level — exact sets, nearest-
level and never-posted-family fallbacks, with and without notes — through JdService holding a counting fake
provider, and asserts that the provider saw no call at all.

    python -m bench.jd_instant --requests 600
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import percentile


class CountingProvider:
    """Stands in for the AI port: any attribute used at all is counted (a call, a stream, a property)."""

    name = "counting-fake"

    def __init__(self):
        self.calls: list[str] = []

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        self.calls.append(item)
        raise AssertionError(f"the instant path used the model ({item})")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from core.jd.model import JOB_FAMILIES, JOB_LEVELS
    from core.jd.service import JdService
    from core.skills import SkillExtractor, load_taxonomy
    from bot.adapters.storage import SqlStore

    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="ih-bench-jd-"))
    store = SqlStore.sqlite(folder / "internal_hire.sqlite3")
    store.migrate()
    provider = CountingProvider()
    extractor = SkillExtractor(load_taxonomy())
    extractor.extract_query("워밍업 Kafka")              # load the Korean analyser outside the timing, as a server has
    service = JdService(store, extractor, provider)
    started = time.perf_counter()
    imported, prepared = service.load_demo()
    batch_seconds = time.perf_counter() - started
    print(f"batch: {imported.companies_added} companies, {imported.postings_added} postings, {imported.chunks} document "
          f"sections imported; {prepared.built} prepared sets built in {batch_seconds:.1f} s (zero tokens)")

    rng = random.Random(args.seed)
    companies = [c.id for c in store.list_companies()]
    families = {c: sorted({p.family for p in store.list_postings(c)}) for c in companies}
    notes = ["", "", "", "Kafka 필수", "Rust 경험 우대, 재택 가능", "add Kubernetes as a nice to have"]
    requests = []
    for _ in range(args.requests):
        company = rng.choice(companies)
        roll = rng.random()
        family = rng.choice(families[company]) if roll < 0.9 else rng.choice(sorted(JOB_FAMILIES))
        requests.append((company, family, rng.choice(sorted(JOB_LEVELS)), rng.choice(notes)))

    service.instant_drafts(*requests[0][:3])              # one warm-up read
    timings: dict[str, list[float]] = {"exact": [], "level": [], "family": []}
    all_ms: list[float] = []
    for company, family, level, note in requests:
        t0 = time.perf_counter()
        result = service.instant_drafts(company, family, level, notes=note)
        ms = (time.perf_counter() - t0) * 1000
        assert result.ok and len(result.drafts) == 3, (company, family, level, note, result.error)
        kind = (result.fallback or {}).get("kind", "exact")
        timings[kind].append(ms)
        all_ms.append(ms)
    assert provider.calls == [], provider.calls

    def line(label: str, values: list[float]) -> str:
        if not values:
            return f"{label:>8}: n=0"
        return (f"{label:>8}: median {statistics.median(values):6.1f} ms, p95 {percentile(values, 95):6.1f} ms, "
                f"max {max(values):6.1f} ms (n={len(values)})")

    print("time to the three instant drafts (SQLite, one process):")
    print(line("all", all_ms))
    for kind, values in timings.items():
        print(line(kind, values))
    with_notes = [ms for (c, f, lv, n), ms in zip(requests, all_ms) if n]
    print(line("notes", with_notes))
    print(f"model calls during {len(requests)} requests: {len(provider.calls)} (target 0); "
          f"p95 {'within' if percentile(all_ms, 95) <= 300 else 'OVER'} the 300 ms target")
    store.close()


if __name__ == "__main__":
    main()
