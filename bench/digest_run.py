"""The weekly digest for 5,000 people against a fake Slack (issue 12): the whole run (build each digest, render HR's
charts, post Block Kit text into each DM, upload the charts with files_upload_v2, mark sent) while searches run
concurrently in the same process, as they would in the server. Prints the run's wall and CPU time, how many were
sent, the searches' p50/p99 during the run, the chart rendering median per chart, and the machine load.

The fake Slack (tests/platform/fakes.py) runs in a process of its own, as Slack is another machine; the Slack client
is the real AsyncWebClient with the product's 429 retry handlers.

    python -m bench.digest_run                       # 5,000 people, 60 open openings
    python -m bench.digest_run --people 1000 --search-interval 0.1
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from types import SimpleNamespace

from bench.common import percentile, scratch_app

QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어",
           "data engineer with Airflow", "product designer Figma"]


def serve_fake_slack() -> None:
    """Child process: the fake Slack Web API on a free port, printed on stdout, until stdin closes."""
    from tests.platform.fakes import FakeSlack

    async def main() -> None:
        fake = await FakeSlack().start()
        print(fake.base, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        print(f"calls {len(fake.calls)} uploads {len(fake.uploads)}", file=sys.stderr, flush=True)
        await fake.server.close()
    asyncio.run(main())


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def build_org(app, people: int, openings: int, pool: int, subscribed: float, seed: int = 5) -> None:
    from bench.openings_latency import publish_openings
    from bench.search_latency import build_pool, fill
    from core.domain import Role

    print(f"building a pool of {pool} analysed and embedded profiles…", flush=True)
    profiles, vectors = build_pool(app, pool)
    fill(app, profiles, vectors, 0, people)
    publish_openings(app, openings)
    rng = random.Random(seed)
    everyone = app.store.list_employees()
    from dataclasses import replace

    with app.store.transaction():
        for n, e in enumerate(everyone):                # everyone reachable on Slack
            app.store.update_fields(replace(e, slack_user_id=f"U{n:07d}"))
    everyone = app.store.list_employees()
    staff = [e for e in everyone if e.role == Role.EMPLOYEE]
    for e in rng.sample(staff, int(len(staff) * subscribed)):
        app.store.set_alerts(e.id, True)
    managers = [e for e in everyone if e.role == Role.MANAGER]
    for n, m in enumerate(managers):
        for other in rng.sample(staff, 3):
            app.store.add_to_shortlist(m.id, other.id)
        for k, query in enumerate(rng.sample(QUERIES, 2)):    # saved searches: "newly strong" for each
            app.store.save_search(f"bench-{n}-{k}", m.id, query, {"filters": {}, "limit": 5})
    roles = {r: sum(1 for e in everyone if e.role == r) for r in Role}
    print(f"{len(everyone)} people ({', '.join(f'{n} {r.value}' for r, n in roles.items())}), {openings} open "
          f"openings, {int(len(staff) * subscribed)} employees with openings alerts on", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--openings", type=int, default=60)
    parser.add_argument("--pool", type=int, default=300, help="analysed and embedded profiles the people are cloned from")
    parser.add_argument("--subscribed", type=float, default=0.3, help="share of employees with openings alerts on")
    parser.add_argument("--search-interval", type=float, default=0.2, help="seconds between concurrent searches")
    parser.add_argument("--charts", type=int, default=10, help="renders per chart for the chart median")
    parser.add_argument("--baseline", type=float, default=30.0, help="seconds of searches alone, before the run")
    parser.add_argument("--pacing", type=float, default=None, help="the run's pause per build time (bot.digests.PACING)")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="the lock hand-over interval during the run (bot.digests.RUN_SWITCH_INTERVAL_S)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the run's thread on CPU time and print the top N functions (cumulative)")
    parser.add_argument("--fake-slack-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fake_slack_server:
        return serve_fake_slack()

    from slack_sdk.web.async_client import AsyncWebClient

    from bot.digests import DigestJob, DigestSender, LoopThread, make_builder
    from bot.slack.client import retry_handlers
    from core.domain import Role
    from scheduler.jobs import DIGEST_JOB, LeasedJobs

    app = scratch_app()
    build_org(app, args.people, args.openings, args.pool, args.subscribed)
    app.matching.index()
    for q in QUERIES:                                 # warm: the first search of each query builds caches
        app.matching.search(q, limit=10)

    child = subprocess.Popen([sys.executable, "-m", "bench.digest_run", "--fake-slack-server"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    base = child.stdout.readline().strip()
    loop = LoopThread()
    client = loop.run(_client(AsyncWebClient, base, retry_handlers))
    platforms = SimpleNamespace(slack=SimpleNamespace(client=client), teams=None)
    progress_at = [0.0]

    def progress(done, total):
        if time.monotonic() - progress_at[0] > 15:
            progress_at[0] = time.monotonic()
            print(f"  {done}/{total} people", flush=True)
    from bot.digests import PACING, RUN_SWITCH_INTERVAL_S

    pacing = PACING if args.pacing is None else args.pacing
    sender = DigestSender(app.store, platforms)
    sections: Counter = Counter()            # what the sent digests said, by section
    deliver = sender.deliver

    async def counting(person, digest):
        for name in ("skills", "newly_strong", "newly_open", "interest", "shortlist_added", "shortlist_left",
                     "openings"):
            sections[name] += bool(getattr(digest, name))
        return await deliver(person, digest)
    sender.deliver = counting
    switch = RUN_SWITCH_INTERVAL_S if args.switch_interval is None else args.switch_interval
    job = DigestJob(app, sender, "Asia/Seoul", loop=loop.loop, progress=progress, pacing=pacing,
                    switch_interval=switch)

    def searches(stop, latencies) -> None:
        rng = random.Random(1)
        while not stop.is_set():
            started = time.perf_counter()
            app.matching.search(rng.choice(QUERIES), limit=10)
            latencies.append(time.perf_counter() - started)
            stop.wait(args.search_interval)

    alone_stop, alone = threading.Event(), []
    timer = threading.Timer(args.baseline, alone_stop.set)
    timer.start()
    load_alone = os.getloadavg()
    searches(alone_stop, alone)
    stop, latencies = threading.Event(), []
    searcher = threading.Thread(target=searches, args=(stop, latencies), name="searches")
    load_before = os.getloadavg()
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    searcher.start()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.thread_time)     # this thread's CPU time: the machine is shared
        profiler.enable()
    ran = LeasedJobs(app.store).run_once(DIGEST_JOB, job.run)
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    stop.set()
    searcher.join()
    load_after = os.getloadavg()
    assert ran
    report = job.reports[0]
    child.stdin.close()
    child.wait(30)
    loop.close()

    # the chart median, per chart, on an HR admin's digest of this organisation
    hr = next(e for e in app.store.list_employees() if e.role == Role.HR_ADMIN)
    digest = make_builder(app).build(hr)
    from handlers.digest import _draw

    per_chart: dict[str, list[tuple[float, float]]] = {}
    for _ in range(args.charts):
        for small in (False, True):
            started, cpu_started = time.perf_counter(), time.process_time()
            charts = _draw(digest, small)          # uncached: what one chart costs
            n = max(1, len(charts))
            per_chart.setdefault("small (Teams inline)" if small else "full (Slack upload, preview)", []).append(
                ((time.perf_counter() - started) / n, (time.process_time() - cpu_started) / n))

    print(f"\n{args.people} people: {report.summary()}")
    print("  digests sent with each part: " + ", ".join(f"{name} {n}" for name, n in sections.items()))
    print(f"  digest run: {wall:.1f} s wall, {cpu:.1f} s CPU (this process; the fake Slack runs in another) — "
          f"{1000 * wall / max(1, len(report.sent)):.1f} ms wall per digest sent")
    print(f"  searches alone, before the run ({args.baseline:.0f} s, load {load_alone[0]:.2f}): {len(alone)}, "
          f"p50 {1000 * percentile(alone, 50):.1f} ms, p99 {1000 * percentile(alone, 99):.1f} ms")
    print(f"  searches during the run (pacing {pacing:g}, switch interval {1000 * switch:g} ms): {len(latencies)}, p50 {1000 * percentile(latencies, 50):.1f} ms, "
          f"p99 {1000 * percentile(latencies, 99):.1f} ms")
    for kind, times in per_chart.items():
        print(f"  chart rendering, median per chart, {kind}: {1000 * percentile([w for w, _ in times], 50):.0f} ms "
              f"wall, {1000 * percentile([c for _, c in times], 50):.0f} ms CPU")
    if profiler is not None:
        import pstats

        print(f"\nthe run's thread, CPU time (delivery runs on the event loop thread, not in this profile):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min); {os.cpu_count()} CPUs")
    app.close()


async def _client(cls, base: str, handlers):
    return cls(token="xoxb-bench", base_url=base + "/api/", retry_handlers=handlers())


if __name__ == "__main__":
    main()
