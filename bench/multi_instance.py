"""Two `internal-hire serve` processes on one MariaDB database behind a tiny round-robin proxy (issue 16): N
concurrent /find-candidates commands through the proxy, and each command's retry (X-Slack-Retry-Num: 1) sent straight
to the *other* instance. Counts duplicates (more than one result posted for a command), unanswered commands, search
audit rows, and the results' latency from sending to the post at the (fake, local) response_url.

    python -m bench.multi_instance [--commands 200] [--mariadb mysql://root@127.0.0.1:3306/] [--data-dir DIR]

--data-dir: a folder holding the demo organisation on SQLite (made and embedded once if missing), copied into a
throwaway MariaDB database `ih_bench_<random>` that is dropped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout, web

from bench.common import percentile, scratch_app, summary_ms
from tests.contract.test_store_contract import with_database
from tests.multi.conftest import copy_people
from tests.platform.fakes import SIGNING_SECRET, FakeSlack, sign, slash_command

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def start_instance(url: str, fake: FakeSlack, data_dir: Path) -> tuple[asyncio.subprocess.Process, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "TIDB_"))}
    env.update({"DATABASE_URL": url, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_API_URL": fake.base + "/api/", "INTERNAL_HIRE_DATA_DIR": str(data_dir),
                "INTERNAL_HIRE_REINDEX_CRON": "", "INTERNAL_HIRE_JD_PREPARE_CRON": "", "PYTHONPATH": str(ROOT)})
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1",
                                                   "--port", str(port), env=env, cwd=str(data_dir),
                                                   stdout=asyncio.subprocess.DEVNULL)
    return process, port


async def wait_healthy(http: ClientSession, port: int, process) -> None:
    for _ in range(1500):
        if process.returncode is not None:
            raise SystemExit(f"an instance stopped at start (exit {process.returncode})")
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("an instance did not become healthy in 5 minutes")


async def start_proxy(ports: list[int]) -> tuple[web.AppRunner, int]:
    """Round robin: request n goes to ports[n % len(ports)]."""
    counter = {"n": 0}
    session = ClientSession(timeout=ClientTimeout(total=30))

    async def forward(request: web.Request) -> web.Response:
        port = ports[counter["n"] % len(ports)]
        counter["n"] += 1
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        async with session.post(f"http://127.0.0.1:{port}{request.path}", data=body, headers=headers) as r:
            return web.Response(status=r.status, body=await r.read(), content_type=r.content_type)

    app = web.Application()
    app.router.add_post("/{tail:.*}", forward)
    app.on_cleanup.append(lambda _app: session.close())
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


async def run(commands: int, mariadb: str, data_dir: Path | None) -> None:
    source = scratch_app(str(data_dir) if data_dir else None, autoload=True)
    database = f"ih_bench_{uuid.uuid4().hex[:10]}"
    url = with_database(mariadb, database)
    from bot.adapters.storage import SqlStore

    target = SqlStore.from_url(url)
    target.migrate()
    copied = copy_people(source.store, target)
    source.close()
    fake = await FakeSlack().start()
    work = Path(tempfile.mkdtemp(prefix="ih-multi-"))
    instances = [await start_instance(url, fake, work) for _ in range(2)]
    proxy = None
    try:
        async with ClientSession(timeout=ClientTimeout(total=60)) as http:
            for process, port in instances:
                await wait_healthy(http, port, process)
            proxy, proxy_port = await start_proxy([port for _, port in instances])
            # many askers, as in a real organisation: one person's commands would mostly meet the per-person cap
            users = [e.slack_user_id for e in target.list_employees()
                     if e.slack_user_id and e.role.value in ("manager", "hr_admin")]
            print(f"{copied} people in MariaDB {database}; {len(users)} managers and HR admins asking; two instances on ports "
                  f"{', '.join(str(p) for _, p in instances)}; proxy on {proxy_port}", flush=True)
            sent: dict[str, float] = {}
            ack_failures = []

            async def one(i: int) -> None:
                hook = f"m{i}"
                body = slash_command(QUERIES[i % len(QUERIES)], users[i % len(users)], fake.base + f"/hooks/{hook}")
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
                sent[hook] = time.perf_counter()
                async with http.post(f"http://127.0.0.1:{proxy_port}/slack/events", data=body, headers=headers) as r:
                    if r.status != 200:
                        ack_failures.append(r.status)
                # The proxy sent command i to instance i % 2: the retry goes to the other one.
                other = instances[(i + 1) % 2][1]
                async with http.post(f"http://127.0.0.1:{other}/slack/events", data=body,
                                     headers={**headers, "X-Slack-Retry-Num": "1",
                                              "X-Slack-Retry-Reason": "http_timeout"}) as r:
                    if r.status != 200:
                        ack_failures.append(r.status)

            started = time.perf_counter()
            await asyncio.gather(*(one(i) for i in range(commands)))
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and any(not fake.posts("response_url", h) for h in sent):
                await asyncio.sleep(0.1)
            await asyncio.sleep(2.0)      # room for any duplicate still on its way
            elapsed = time.perf_counter() - started
            posts = {h: fake.posts("response_url", h) for h in sent}
            duplicates = sum(1 for p in posts.values() if len(p) > 1)
            unanswered = sum(1 for p in posts.values() if not p)
            latency = [fake.arrived[h] - sent[h] for h in sent if h in fake.arrived]
            audits = sum(1 for e in target.list_audit() if e.action == "search")
            print(f"commands {commands} (+{commands} retries to the other instance) in {elapsed:.1f} s; "
                  f"ack failures {len(ack_failures)}; duplicates {duplicates}; unanswered {unanswered}; "
                  f"search audit rows {audits}")
            if latency:
                print(f"results after sending: {summary_ms(latency)}; max {max(latency) * 1000:.0f} ms; "
                      f"p90 {percentile([x * 1000 for x in latency], 90):.0f} ms")
            print(f"machine load: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")
    finally:
        if proxy is not None:
            await proxy.cleanup()
        for process, _ in instances:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process, _ in instances:
            try:
                await asyncio.wait_for(process.wait(), 60)
            except asyncio.TimeoutError:
                process.kill()
        await fake.server.close()
        target.drop_database()
        target.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--mariadb", default=os.environ.get("MARIADB_TEST_URL", "mysql://root@127.0.0.1:3306/"))
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    asyncio.run(run(args.commands, args.mariadb, args.data_dir))


if __name__ == "__main__":
    main()
