"""/find-candidates over real HTTP, end to end: acknowledgement latency and the time until results are posted to the
(fake, local) response_url, with N concurrent signed slash commands, and button presses ("Details") answered
meanwhile. The server is wired as `internal-hire serve` wires it (JD worker, notifier, scheduler).

By default it measures a data folder in steady use, not a freshly loaded one: the demo organisation is loaded, a
first server serves a round of commands and button presses and stops, and a second server on the same folder is
measured (what a restart sees). --fresh measures the freshly loaded folder instead.

    python -m bench.slack_ack_latency [--concurrency 50] [--rounds 3] [--buttons 10]
    python -m bench.slack_ack_latency --concurrency 200 --rounds 1
    python -m bench.slack_ack_latency --database-url mysql://root@127.0.0.1:3306/ih_bench_slack   # MariaDB

The commands come from different managers and HR admins, as in an organisation (one person may have only
INTERNAL_HIRE_USER_CONCURRENCY searches in flight; the rest get "you already have N requests running"): when the demo
organisation has too few of them for the burst, employees of the bench's own folder are made managers first. Every
reply is checked: a results card, a "busy" answer or anything else is counted. The process's CPU time is printed
beside the wall times (client, fake Slack and server share the process).
"""
from __future__ import annotations

import argparse
import json
import asyncio
import dataclasses
import math
import os
import random
import time

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bench.common import scratch_app, summary_ms
from bot.server import build_platforms, create_web_app
from bot.settings import load_settings
from bot.workers import USER_LIMIT
from core.domain import Role
from tests.platform.fakes import SIGNING_SECRET, FakeSlack, block_action, sign, slash_command

QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]


def sched_snapshot() -> dict[str, tuple[float, float]]:
    """Per thread of this process (by Python name): (seconds on a CPU, seconds runnable but waiting for a core),
    from /proc/self/task/*/schedstat. On a shared machine the second says how much of the wall time was the
    machine's load rather than a wait of our own (a lock, I/O, a sleep)."""
    import threading

    out = {}
    for thread in threading.enumerate():
        try:
            cpu, waiting, _ = open(f"/proc/self/task/{thread.native_id}/schedstat").read().split()
        except (OSError, ValueError, TypeError):
            continue
        out[thread.name] = (int(cpu) / 1e9, int(waiting) / 1e9)
    return out


def askers(store, needed: int) -> list[str]:
    """Slack ids of `needed` people who may search (managers and HR admins); employees are made managers when the
    organisation has fewer."""
    people = [e for e in store.list_employees() if e.slack_user_id]
    searchers = [e for e in people if e.role in (Role.MANAGER, Role.HR_ADMIN)]
    promoted = 0
    for e in people:
        if len(searchers) >= needed:
            break
        if e.role == Role.EMPLOYEE:
            manager = dataclasses.replace(e, role=Role.MANAGER)
            store.update_fields(manager)
            searchers.append(manager)
            promoted += 1
    if promoted:
        print(f"(made {promoted} employees managers, so that {needed} people can ask)", flush=True)
    return [e.slack_user_id for e in searchers]


def reply_kind(body: dict) -> str:
    text = json.dumps(body, ensure_ascii=False)
    if '"details' in text:
        return "results"
    if "already have" in text or "이미 요청" in text:
        return "busy"
    return "other"


def detail_buttons(fake: FakeSlack) -> list[str]:
    """Values of the "Details" buttons on the results cards posted so far."""
    values = []
    for kind, _hook, body in fake.calls:
        if kind != "response_url":
            continue
        for block in body.get("blocks") or []:
            for element in block.get("elements") or []:
                if element.get("action_id", "").startswith("details"):
                    values.append(element["value"])
    return values


class Server:
    """One `internal-hire serve` on the folder (or database), in this process, against the fake Slack."""

    def __init__(self, fake: FakeSlack, data_dir: str, database_url: str | None):
        extra = {"DATABASE_URL": database_url} if database_url else {}
        self.app = scratch_app(data_dir, autoload=not database_url, settings_overrides=extra)
        self.settings = load_settings(INTERNAL_HIRE_DATA_DIR=self.app.settings.data_dir, SLACK_BOT_TOKEN="xoxb-bench",
                                      SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.base + "/api/", **extra)
        self.fake = fake

    async def start(self) -> "Server":
        from bot.background import attach_jd_background
        from bot.server import attach_scheduler, attach_warm_up

        platforms = build_platforms(self.app, self.settings)
        web_app = create_web_app(self.app, self.settings, platforms)
        attach_scheduler(web_app, self.app, self.settings)
        attach_jd_background(web_app, self.app, platforms)
        attach_warm_up(web_app, self.app)
        self.server = TestServer(web_app, host="127.0.0.1")
        await self.server.start_server()
        self.url = f"http://127.0.0.1:{self.server.port}/slack/events"
        return self

    async def stop(self) -> None:
        await self.server.close()
        await asyncio.to_thread(self.app.close)


async def wave(server: Server, http: ClientSession, users: list[str], prefix: str, concurrency: int,
               buttons: list[str], press_every: float = 0.05) -> dict:
    """`concurrency` slash commands at once, and meanwhile one button press every `press_every` seconds."""
    fake = server.fake
    acks, sent_at, press_acks, press_sent = [], {}, [], {}

    async def post(body: str) -> float:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        t0 = time.perf_counter()
        async with http.post(server.url, data=body, headers=headers) as resp:
            await resp.read()
            assert resp.status == 200, resp.status
        return time.perf_counter() - t0

    async def command(i: int) -> None:
        hook = f"{prefix}{i}"
        body = slash_command(QUERIES[i % len(QUERIES)], users[i % len(users)], fake.base + f"/hooks/{hook}")
        sent_at[hook] = time.perf_counter()
        acks.append(await post(body))

    async def press(j: int, value: str) -> None:
        await asyncio.sleep(j * press_every)
        hook = f"{prefix}press{j}"
        press_sent[hook] = time.perf_counter()
        press_acks.append(await post(block_action("details", value, users[0], fake.base + f"/hooks/{hook}")))

    await asyncio.gather(*(command(i) for i in range(concurrency)),
                         *(press(j, v) for j, v in enumerate(buttons)))
    expected = list(sent_at) + list(press_sent)
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline and not all(h in fake.arrived for h in expected):
        await asyncio.sleep(0.005)
    kinds = {}
    for kind, hook, body in fake.calls:
        if kind == "response_url" and hook in sent_at and hook not in kinds:
            kinds[hook] = reply_kind(body)
    return {"acks": acks + press_acks,
            "kinds": list(kinds.values()),
            "results": [fake.arrived[h] - t for h, t in sent_at.items() if h in fake.arrived],
            "presses": [fake.arrived[h] - t for h, t in press_sent.items() if h in fake.arrived],
            "missing": [h for h in expected if h not in fake.arrived]}


async def run(args) -> None:
    import tempfile

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="ih-bench-slack-")
    fake = await FakeSlack().start()
    async with ClientSession() as http:
        if args.database_url:
            loader = scratch_app(data_dir, settings_overrides={"DATABASE_URL": args.database_url})
            if loader.store.count_employees() == 0:
                loader.load_demo()
            loader.close()
        server = await Server(fake, data_dir, args.database_url).start()
        users = askers(server.app.store, math.ceil(args.concurrency / USER_LIMIT) + 1)
        state = "fresh"
        if not args.fresh:
            # Steady use: a server serves commands and button presses, stops; the measured one is a restart.
            await wave(server, http, users, "prime", args.concurrency, [])
            await wave(server, http, users, "prime-b", 5, detail_buttons(fake)[:10])
            await server.stop()
            server = await Server(fake, data_dir, args.database_url).start()
            state = "in steady use (served before, restarted)"
        await wave(server, http, users, "warm", 3, [])
        buttons = detail_buttons(fake)
        random.Random(1).shuffle(buttons)
        measured = {"acks": [], "kinds": [], "results": [], "presses": [], "missing": []}
        cpu0, wall0, sched0 = time.process_time(), time.perf_counter(), sched_snapshot()
        for r in range(args.rounds):
            got = await wave(server, http, users, f"r{r}-", args.concurrency, buttons[:args.buttons])
            for key in measured:
                measured[key] += got[key]
        cpu, wall, sched1 = time.process_time() - cpu0, time.perf_counter() - wall0, sched_snapshot()
        employees = server.app.store.count_employees()
        backend = server.app.store.backend_name
        await server.stop()
    await fake.server.close()
    print(f"{args.rounds} rounds of {args.concurrency} concurrent /find-candidates over HTTP from {len(users)} "
          f"people (+{args.buttons} button presses meanwhile each), {backend}, demo organisation ({employees} "
          f"employees), folder {state}; load {os.getloadavg()[0]:.2f}")
    kinds = {k: measured["kinds"].count(k) for k in ("results", "busy", "other")}
    print(f"  replies: {kinds['results']} results cards, {kinds['busy']} busy answers, {kinds['other']} other")
    print(f"  acknowledgement: {summary_ms(measured['acks'])}")
    print(f"  results posted:  {summary_ms(measured['results'])}")
    print(f"  button answered: {summary_ms(measured['presses'])}")
    print(f"  missing: {len(measured['missing'])}")
    count = args.rounds * args.concurrency
    print(f"  process CPU {cpu:.1f} s over {wall:.1f} s wall for {count} commands ({cpu / count * 1000:.0f} ms CPU "
          f"per command, client and fake Slack included)")
    for name in sorted(sched1):
        if name in sched0 and (name == "MainThread" or name.startswith(("handler", "interactive"))):
            on_cpu, waiting = (sched1[name][k] - sched0[name][k] for k in (0, 1))
            print(f"  thread {name}: {on_cpu:.2f} s on a CPU, {waiting:.2f} s waiting for a core, "
                  f"{max(0.0, wall - on_cpu - waiting):.2f} s neither (idle, I/O, locks) of the {wall:.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--buttons", type=int, default=10, help="button presses sent during each round")
    parser.add_argument("--data-dir", default=None, help="measure this data folder (default: a new scratch folder)")
    parser.add_argument("--database-url", default=None, help="a MySQL/MariaDB/TiDB database instead of SQLite")
    parser.add_argument("--fresh", action="store_true", help="measure the freshly loaded folder (no priming)")
    args = parser.parse_args(argv)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
