"""Openings for one employee: people search run in reverse (core/openings.py) over 1,000 open openings, in an
organisation of 100k profiles.

The people are the synthetic organisation of bench/search_latency.py (demo resumes analysed and embedded once, then
cloned with jittered vectors). The openings are published JDs written from the job families' typical skills, varied
per opening (titles, levels, companies, 3-8 requirement lines). Three numbers:

- cold: the first request after start, which embeds every opening once (a published JD never changes, so its vector
  is kept);
- rank: ranking the 1,000 openings against one person's profile (the use case's core, target p50 <= 50 ms);
- list: the whole `openings` request without the card (list of open openings, the person's interests, ranking, the
  audit entry).

    python -m bench.openings_latency                         # 100k people, 1,000 openings
    python -m bench.openings_latency --people 10000 --openings 300
    python -m bench.openings_latency --keep /tmp/org-openings        # built once, measured again on later runs

Quoted with CPU time beside wall time and the load average (the machine is shared).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import uuid

from bench.common import peak_rss_mb, scratch_app, summary_ms
from bench.search_latency import POOL, build_pool, fill

COMPANIES = ("hanbit-pay", "marketon", "pixel-forge")
LEVELS = ("L2", "L3", "L4", "L5")


def publish_openings(app, count: int, seed: int = 11) -> None:
    """`count` approved JDs published as openings, written straight to the store (the workflow's end state)."""
    from core.jd.model import JOB_FAMILIES, JdDraft, JdRecord, JdStatus, Opening, OpeningStatus

    rng = random.Random(seed)
    families = [f for f in JOB_FAMILIES.values() if f.seed_skills]
    taxonomy = app.taxonomy
    for n in range(count):
        family = rng.choice(families)
        level = rng.choice(LEVELS)
        skills = list(family.seed_skills)
        rng.shuffle(skills)
        picked = skills[:rng.randint(3, min(8, len(skills)))]
        lang = rng.choice(("en", "ko"))
        lines = [f"{taxonomy.name(s, lang)} experience" if lang == "en" else f"{taxonomy.name(s, lang)} 경험"
                 for s in picked]
        draft = JdDraft(title=f"{family.title(lang)} {level} #{n}", summary=f"{family.area_name(lang)} ({n})",
                        requirements=lines, company_id=rng.choice(COMPANIES), family=family.code, level=level,
                        lang=lang, required_skills=picked)
        jd_id = f"jd-{uuid.uuid4().hex[:12]}"
        record = JdRecord(id=jd_id, company_id=draft.company_id, family=family.code, level=level, title=draft.title,
                          status=JdStatus.APPROVED, version=1, draft=draft, owner_id="E0001")
        app.store.create_jd(record, "E0001", "bench")
        opening = Opening(id=f"op-{uuid.uuid4().hex[:12]}", jd_id=jd_id, company_id=draft.company_id,
                          family=family.code, level=level, title=draft.title, status=OpeningStatus.OPEN,
                          opened_by="E0045", opened_at=f"2026-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}+00:00")
        assert app.store.publish_jd(jd_id, 1, opening, "E0045")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--openings", type=int, default=1000)
    parser.add_argument("--people-measured", type=int, default=30, help="different employees ranked")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pool", type=int, default=POOL, help="analysed and embedded profiles the people are cloned from")
    parser.add_argument("--keep", default=None, help="a folder to build the organisation in once and measure again")
    args = parser.parse_args(argv)

    app = scratch_app(args.keep)
    have_people = app.store.count_employees()
    if have_people < args.people:
        print(f"building a pool of {args.pool} analysed and embedded profiles…", flush=True)
        profiles, vectors = build_pool(app, args.pool)
        started = time.perf_counter()
        fill(app, profiles, vectors, have_people, args.people)
        print(f"{args.people} people in {time.perf_counter() - started:.0f} s", flush=True)
    have_openings = len(app.store.list_openings(status="open"))
    if have_openings < args.openings:
        started = time.perf_counter()
        publish_openings(app, args.openings - have_openings, seed=11 + have_openings)
        print(f"{args.openings - have_openings} openings published in {time.perf_counter() - started:.0f} s",
              flush=True)
    started = time.perf_counter()
    app.matching.index()
    print(f"people index built or loaded in {time.perf_counter() - started:.1f} s", flush=True)

    from core.openings import Openings, has_profile

    openings = Openings(app.store, app.matching)
    rng = random.Random(3)
    people = []          # people with a profile (a clone of a demo person without one is listed unranked)
    while len(people) < args.people_measured:
        person = app.store.get_employee(f"S{rng.randrange(args.people):06d}")
        if has_profile(person):
            people.append(person)
    started = time.perf_counter()
    infos = openings.catalogue.open_openings()
    openings.rank(people[0], infos)
    cold = time.perf_counter() - started
    assert len(infos) == args.openings

    rank_t, rank_cpu, list_t = [], [], []
    for _ in range(args.repeats):
        for person in people:
            t0, c0 = time.perf_counter(), time.thread_time()
            infos = openings.catalogue.open_openings()
            fits = openings.rank(person, infos)
            rank_t.append(time.perf_counter() - t0)
            rank_cpu.append(time.thread_time() - c0)
            assert len(fits) == args.openings and fits[0].score >= fits[-1].score
            t0 = time.perf_counter()
            page = openings.list_for(person, limit=10)
            list_t.append(time.perf_counter() - t0)
            assert len(page.items) == 10
    print(f"{args.people} people, {args.openings} open openings, {len(people)} employees x {args.repeats}:")
    print(f"  cold first request (embeds every opening once): {cold * 1000:.0f} ms")
    print(f"  rank (read the open openings + rank them for one person): {summary_ms(rank_t)}; "
          f"CPU p50 {statistics.median(rank_cpu) * 1000:.1f} ms")
    print(f"  list (the whole `openings` request, without the card): {summary_ms(list_t)}")
    print(f"  peak RSS {peak_rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} cores",
          flush=True)
    app.close()


if __name__ == "__main__":
    main()
