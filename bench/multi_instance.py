"""Two `internal-hire serve` processes on one MariaDB database behind a tiny round-robin proxy (issue 16): N
concurrent /find-candidates commands through the proxy, and each command's retry (X-Slack-Retry-Num: 1) sent straight
to the *other* instance. Counts duplicates (more than one result posted for a command), unanswered commands, search
audit rows, and the results' latency from sending to the post at the (fake, local) response_url.

    python -m bench.multi_instance [--commands 200] [--mariadb mysql://root@127.0.0.1:3306/] [--data-dir DIR]
    python -m bench.multi_instance --freeze 30 [--commands 200] [--data-dir DIR]

--freeze S: the bench starts a MariaDB server of its own (own port, own data directory, tests/private_mariadb.py) and
sends three bursts of N commands: one, during which (when a quarter of it is answered) the server is frozen with
SIGSTOP for S seconds; one while it is frozen; one after SIGCONT. Every command must be answered (result, or an error with a
reference) within the request deadline (INTERNAL_HIRE_CHAT_DEADLINE + 5 s, 15 s by default) of being sent.

--data-dir: a folder holding the demo organisation on SQLite (made and embedded once if missing), copied into a
throwaway MariaDB database `ih_bench_<random>` that is dropped at the end.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web

from bench.common import percentile, scratch_app, summary_ms
from bench.slack_burst import outcome
from tests import private_mariadb
from tests.contract.test_store_contract import with_database
from tests.multi.conftest import copy_people
from tests.platform.fakes import SIGNING_SECRET, FakeSlack, sign, slash_command

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]


async def start_instance(url: str, fake: FakeSlack, data_dir: Path) -> tuple[asyncio.subprocess.Process, int]:
    port = private_mariadb.free_port()
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
    session = ClientSession(timeout=ClientTimeout(total=120), connector=TCPConnector(limit=0))   # no queue in here

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
    port = private_mariadb.free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


DEADLINE_S = 15.0     # INTERNAL_HIRE_CHAT_DEADLINE (10 s) + REQUEST_GRACE_S (5 s): the instances run the defaults
SLACK_ACK_LIMIT_S = 3.0


def kind_of(post: dict) -> str:
    """What a user saw at the response_url: results, "did not finish within", another error with a reference, "you
    already have 3 running" (bench/slack_burst.py's reading of an answer)."""
    kind = outcome(post)
    if kind != "answered":
        return kind
    text = json.dumps(post, ensure_ascii=False)
    return "result" if "Internal candidates" in text or "사내 후보자" in text else "other"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), 0 when it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Burst:
    """N concurrent /find-candidates through the proxy, each followed by its retry sent to the other instance."""

    def __init__(self, label: str, commands: int):
        self.label, self.commands = label, commands
        self.sent: dict[str, float] = {}
        self.acks: list[float] = []
        self.ack_failures: list[int] = []

    async def send(self, http: ClientSession, fake: FakeSlack, users: list[str], proxy_port: int,
                   instance_ports: list[int]) -> None:
        async def one(i: int) -> None:
            hook = f"{self.label}{i}"
            body = slash_command(QUERIES[i % len(QUERIES)], users[i % len(users)], fake.base + f"/hooks/{hook}")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            self.sent[hook] = time.perf_counter()
            async with http.post(f"http://127.0.0.1:{proxy_port}/slack/events", data=body, headers=headers) as r:
                self.acks.append(time.perf_counter() - self.sent[hook])
                if r.status != 200:
                    self.ack_failures.append(r.status)
            # The proxy sent command i to instance i % 2: the retry goes to the other one.
            other = instance_ports[(i + 1) % 2]
            async with http.post(f"http://127.0.0.1:{other}/slack/events", data=body,
                                 headers={**headers, "X-Slack-Retry-Num": "1",
                                          "X-Slack-Retry-Reason": "http_timeout"}) as r:
                if r.status != 200:
                    self.ack_failures.append(r.status)

        await asyncio.gather(*(one(i) for i in range(self.commands)))

    def answered(self, fake: FakeSlack) -> bool:
        return all(fake.posts("response_url", h) for h in self.sent)

    def report(self, fake: FakeSlack, deadline_s: float | None) -> dict:
        posts = {h: fake.posts("response_url", h) for h in self.sent}
        latency = [fake.arrived[h] - self.sent[h] for h in self.sent if h in fake.arrived]
        kinds: dict[str, int] = {}
        for answers in posts.values():
            if answers:
                kinds[kind_of(answers[-1])] = kinds.get(kind_of(answers[-1]), 0) + 1
        numbers = {"duplicates": sum(1 for p in posts.values() if len(p) > 1),
                   "unanswered": sum(1 for p in posts.values() if not p), "latency": latency, "kinds": kinds,
                   "late": sum(1 for x in latency if deadline_s and x > deadline_s)}
        print(f"[{self.label}] commands {self.commands} (+{self.commands} retries to the other instance): "
              f"ack failures {len(self.ack_failures)}; duplicates {numbers['duplicates']}; "
              f"unanswered {numbers['unanswered']}; answers {', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}")
        if self.acks:
            print(f"[{self.label}]   acks: {summary_ms(self.acks)}; max {max(self.acks) * 1000:.0f} ms; "
                  f"over Slack's 3 s {sum(1 for a in self.acks if a > SLACK_ACK_LIMIT_S)}")
        if latency:
            print(f"[{self.label}]   answer after sending: {summary_ms(latency)}; "
                  f"p90 {percentile([x * 1000 for x in latency], 90):.0f} ms; max {max(latency) * 1000:.0f} ms"
                  + (f"; later than the {deadline_s:g} s deadline: {numbers['late']}" if deadline_s else ""),
                  flush=True)
        return numbers


async def run(commands: int, mariadb: str, data_dir: Path | None, freeze: float = 0.0,
              freeze_after: float = 10.0) -> bool:
    source = scratch_app(str(data_dir) if data_dir else None, autoload=True)
    database = f"ih_bench_{uuid.uuid4().hex[:10]}"
    work = Path(tempfile.mkdtemp(prefix="ih-multi-"))
    server = None
    if freeze:
        try:
            server, server_port = private_mariadb.start(work / "mariadb", buffer_pool="256M")
        except private_mariadb.Unavailable as exc:
            raise SystemExit(f"--freeze {exc}") from None
        mariadb = f"mysql://root@127.0.0.1:{server_port}/"
        print(f"private MariaDB server (pid {server.pid}) on port {server_port}, data in {work / 'mariadb'}",
              flush=True)
    url = with_database(mariadb, database)
    from bot.adapters.storage import SqlStore

    target = SqlStore.from_url(url)
    target.migrate()
    copied = copy_people(source.store, target)
    source.close()
    fake = await FakeSlack().start()
    instances = [await start_instance(url, fake, work) for _ in range(2)]
    proxy = None
    ok = True
    try:
        # No connection limit: every command is on the wire at once (aiohttp's default of 100 would queue them here).
        async with ClientSession(timeout=ClientTimeout(total=120), connector=TCPConnector(limit=0)) as http:
            for process, port in instances:
                await wait_healthy(http, port, process)
            ports = [port for _, port in instances]
            proxy, proxy_port = await start_proxy(ports)
            # many askers, as in a real organisation: one person's commands would mostly meet the per-person cap
            users = [e.slack_user_id for e in target.list_employees()
                     if e.slack_user_id and e.role.value in ("manager", "hr_admin")]
            print(f"{copied} people in MariaDB {database}; {len(users)} managers and HR admins asking; two instances on "
                  f"ports {', '.join(str(p) for p in ports)}; proxy on {proxy_port}", flush=True)
            server_pids = [p.pid for p, _ in instances]
            cpu_before = os.times(), sum(cpu_seconds(p) for p in server_pids)
            started = time.perf_counter()
            if not freeze:
                bursts = [Burst("m", commands)]
                await bursts[0].send(http, fake, users, proxy_port, ports)
            else:
                bursts = [Burst("before-", commands), Burst("frozen-", commands), Burst("after-", commands)]
                first = asyncio.ensure_future(bursts[0].send(http, fake, users, proxy_port, ports))
                # In the middle of it: once a quarter of its commands have their results (or --freeze-after at most).
                until = time.perf_counter() + freeze_after
                while time.perf_counter() < until and sum(h in fake.arrived for h in bursts[0].sent) < commands / 4:
                    await asyncio.sleep(0.05)
                os.kill(server.pid, signal.SIGSTOP)
                frozen_at = time.perf_counter()
                print(f"database frozen (SIGSTOP) {frozen_at - started:.1f} s into the first burst; "
                      f"{sum(1 for h in bursts[0].sent if h in fake.arrived)} of its commands answered by then",
                      flush=True)
                await asyncio.sleep(freeze / 3)
                second = asyncio.ensure_future(bursts[1].send(http, fake, users, proxy_port, ports))
                await asyncio.sleep(max(0.0, frozen_at + freeze - time.perf_counter()))
                os.kill(server.pid, signal.SIGCONT)
                print(f"database thawed (SIGCONT) after {time.perf_counter() - frozen_at:.1f} s", flush=True)
                await asyncio.gather(first, second)
                await bursts[2].send(http, fake, users, proxy_port, ports)
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not all(b.answered(fake) for b in bursts):
                await asyncio.sleep(0.1)
            await asyncio.sleep(2.0)      # room for any duplicate still on its way
            elapsed = time.perf_counter() - started
            bench_cpu = sum(os.times()[:2]) - sum(cpu_before[0][:2])
            instances_cpu = sum(cpu_seconds(p) for p in server_pids) - cpu_before[1]
            print(f"all bursts done in {elapsed:.1f} s")
            results = [b.report(fake, DEADLINE_S if freeze else None) for b in bursts]
            audits = sum(1 for e in target.list_audit() if e.action == "search")
            print(f"search audit rows {audits}; CPU of the two instances over the run {instances_cpu:.1f} s "
                  f"(bench process {bench_cpu:.1f} s); machine load: {os.getloadavg()[0]:.1f} (1 min), "
                  f"{os.cpu_count()} cores")
            if freeze:
                ok = all(not r["unanswered"] and not r["late"] for r in results) and not any(
                    results[2]["kinds"].get(k) for k in ("error", "deadline"))
                print("every command answered (result or error) within the deadline, and results again after the "
                      "thaw" if ok else "NOT every command was answered within the deadline (see above)")
            else:
                ok = not results[0]["duplicates"] and not results[0]["unanswered"]
    finally:
        if proxy is not None:
            await proxy.cleanup()
        if server is not None and server.poll() is None:
            os.kill(server.pid, signal.SIGCONT)
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
        if server is not None:
            private_mariadb.stop(server)
            shutil.rmtree(work / "mariadb", ignore_errors=True)
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--mariadb", default=os.environ.get("MARIADB_TEST_URL", "mysql://root@127.0.0.1:3306/"))
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--freeze", type=float, default=0.0, help="freeze a private database for this many seconds")
    parser.add_argument("--freeze-after", type=float, default=10.0,
                        help="freeze when a quarter of the first burst is answered, or this many seconds into it")
    args = parser.parse_args()
    if not asyncio.run(run(args.commands, args.mariadb, args.data_dir, args.freeze, args.freeze_after)):
        sys.exit(1)


if __name__ == "__main__":
    main()
