"""/find-candidates over real HTTP, end to end: acknowledgement latency and the time until results are posted to the
(fake, local) response_url, with N concurrent signed slash commands, and button presses ("Details") answered
meanwhile.

Three processes, so that nothing the bench does shares the server's GIL or event loop:
- the server is `internal-hire serve` itself (a subprocess: the same wiring, JD worker, notifier, scheduler, alerts,
  warm-up), pointed at the fake Slack;
- the fake Slack (Web API and response_url hooks) runs in a process of its own and stamps each post's arrival;
- this process is the client: a minimal HTTP/1.1 client on connections opened before each burst (as a load balancer
  keeps them), which stamps the moment each request is written and the moment its whole response has arrived.
Times are `time.perf_counter()` (CLOCK_MONOTONIC, one clock for every process on the machine).

By default it measures a data folder in steady use, not a freshly loaded one: the demo organisation is loaded, a
first server serves a burst of commands and button presses and stops, and a second server on the same folder is
measured (what a restart sees). --fresh measures the freshly loaded folder instead.

    python -m bench.slack_ack_latency                                  # 3 rounds of 50, then 2 rounds of 200
    python -m bench.slack_ack_latency --concurrency 50 --rounds 3      # one burst size only
    python -m bench.slack_ack_latency --database-url mysql://root@127.0.0.1:3306/ih_bench_slack   # MariaDB
    python -m bench.slack_ack_latency --env PYTHONASYNCIODEBUG=1 ...   # extra environment for the server

The commands come from different managers and HR admins, as in an organisation (one person may have only
INTERNAL_HIRE_USER_CONCURRENCY searches in flight): when the demo organisation has too few of them for the burst,
employees of the bench's own folder are made managers first. Every reply is checked (results card, "busy", other).
Printed beside the latencies: the load average before and after, the server's CPU time per command, and its event
loop thread's time on a CPU and waiting for a core (/proc/<pid>/task/<pid>/schedstat).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.common import summary_ms

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]
USER_LIMIT = int(os.environ.get("INTERNAL_HIRE_USER_CONCURRENCY", "3"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f}/{five:.2f}"


# ---- preparing the folder (a process of its own: this one stays a small client) -----------------------------------
def prepare(data_dir: str, database_url: str | None, needed: int) -> tuple[list[str], int, str]:
    """Load the demo organisation when missing; (Slack ids of `needed` people who may search, employees, backend).
    Employees are made managers when the organisation has fewer managers and HR admins than needed."""
    import dataclasses

    from bench.common import scratch_app
    from core.domain import Role

    extra = {"DATABASE_URL": database_url} if database_url else {}
    app = scratch_app(data_dir, autoload=not database_url, settings_overrides=extra)
    try:
        if database_url and app.store.count_employees() == 0:
            app.load_demo()
        people = [e for e in app.store.list_employees() if e.slack_user_id]
        searchers = [e for e in people if e.role in (Role.MANAGER, Role.HR_ADMIN)]
        for e in people:
            if len(searchers) >= needed:
                break
            if e.role == Role.EMPLOYEE:
                manager = dataclasses.replace(e, role=Role.MANAGER)
                app.store.update_fields(manager)
                searchers.append(manager)
        return [e.slack_user_id for e in searchers], app.store.count_employees(), app.store.backend_name
    finally:
        app.close()


# ---- the fake Slack, in its own process ------------------------------------------------------------------------------
def reply_kind(body: dict) -> str:
    text = json.dumps(body, ensure_ascii=False)
    if '"details' in text:
        return "results"
    if "already have" in text or "이미 요청" in text:
        return "busy"
    if "did not finish" in text or "끝나지 않아" in text:
        return "deadline"
    return "other"


def fake_slack_main(port: int, ready) -> None:
    """FakeSlack on `port`, plus two routes for the bench: /bench/count (how many response_url hooks have had a post)
    and /bench/state (each hook's first post: arrival time and kind; the Details button values seen)."""
    from aiohttp import web

    from tests.platform.fakes import FakeSlack

    fake = FakeSlack()

    async def count(_request):
        return web.Response(text=str(len(fake.arrived)))

    async def state(_request):
        first, buttons = {}, []
        for kind, hook, body in fake.calls:
            if kind != "response_url":
                continue
            if hook not in first:
                first[hook] = [fake.arrived[hook], reply_kind(body)]
            for block in body.get("blocks") or []:
                for element in block.get("elements") or []:
                    if element.get("action_id", "").startswith("details"):
                        buttons.append(element["value"])
        return web.json_response({"hooks": first, "buttons": buttons})

    async def serve():
        app = fake.app()
        app.router.add_get("/bench/count", count)
        app.router.add_get("/bench/state", state)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
        ready.set()
        await asyncio.Event().wait()
    asyncio.run(serve())


# ---- a minimal client: stamps the write and the complete response -----------------------------------------------------
class Exchange(asyncio.Protocol):
    """One kept-open connection that carries one request at a time."""

    def __init__(self):
        self.transport = None
        self.buffer = b""
        self.waiter: asyncio.Future | None = None
        self.sent = 0.0

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data: bytes):
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        if not sep:
            return
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(rest) >= length and self.waiter is not None and not self.waiter.done():
            status = int(head.split(b" ", 2)[1])
            self.waiter.set_result((time.perf_counter(), status))
            self.buffer = b""

    def connection_lost(self, exc):
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError(f"the server closed the connection ({exc})"))

    async def request(self, raw: bytes) -> tuple[float, float]:
        """(written at, answered at) of one request."""
        self.waiter = asyncio.get_running_loop().create_future()
        self.sent = time.perf_counter()
        self.transport.write(raw)
        answered, status = await self.waiter
        if status != 200:
            raise RuntimeError(f"the server answered {status}")
        return self.sent, answered


def signed_post(port: int, body: str) -> bytes:
    from tests.platform.fakes import sign

    data = body.encode()
    headers = {"Host": f"127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded",
               "Content-Length": str(len(data)), **sign(body)}
    return ("POST /slack/events HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode() \
        + data


async def open_connections(port: int, n: int) -> list[Exchange]:
    loop = asyncio.get_running_loop()
    out = []
    for start in range(0, n, 50):          # not all at once: the server's accept backlog is 128
        made = await asyncio.gather(*(loop.create_connection(Exchange, "127.0.0.1", port)
                                      for _ in range(min(50, n - start))))
        out += [protocol for _transport, protocol in made]
    return out


async def http_get(port: int, path: str) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if int(head.split(b" ", 2)[1]) != 200:
        raise OSError(head.split(b"\r\n")[0].decode())
    return body


# ---- the server under test ----------------------------------------------------------------------------------------
class Server:
    """`internal-hire serve` on the folder (or database), against the fake Slack."""

    def __init__(self, data_dir: str, database_url: str | None, fake_port: int, env: dict[str, str]):
        self.data_dir, self.database_url, self.fake_port, self.env = data_dir, database_url, fake_port, env

    async def start(self) -> "Server":
        from tests.platform.fakes import SIGNING_SECRET

        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "TIDB_", "GEMINI_"))}
        env.update({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": f"http://127.0.0.1:{self.fake_port}/api/",
                    "INTERNAL_HIRE_DATA_DIR": self.data_dir, "PYTHONPATH": str(ROOT), **self.env})
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        self.log = open(Path(self.data_dir) / "bench-server.log", "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1",
                                         "--port", str(self.port)], env=env, cwd=self.data_dir,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(3000):         # /healthz answers 200 once the index and models are warm
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped at start (exit {self.process.returncode}); see {self.log.name}")
            try:
                await http_get(self.port, "/healthz")
                return self
            except OSError:
                await asyncio.sleep(0.1)
        raise SystemExit("the server did not become healthy in 5 minutes")

    def cpu(self) -> float:
        """CPU seconds (user + system) of the server process so far."""
        fields = open(f"/proc/{self.process.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def loop_thread(self) -> tuple[float, float]:
        """The event loop thread (the process's main thread): (seconds on a CPU, seconds runnable but waiting)."""
        on_cpu, waiting, _ = open(f"/proc/{self.process.pid}/task/{self.process.pid}/schedstat").read().split()
        return int(on_cpu) / 1e9, int(waiting) / 1e9

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


async def fake_state(fake_port: int) -> dict:
    return json.loads(await http_get(fake_port, "/bench/state"))


async def wave(server: Server, fake_port: int, users: list[str], prefix: str, concurrency: int,
               buttons: list[str], press_every: float = 0.05) -> dict:
    """`concurrency` slash commands written back to back, and meanwhile one button press every `press_every` s."""
    from tests.platform.fakes import block_action, slash_command

    hooks = f"http://127.0.0.1:{fake_port}/hooks/"
    commands = [(f"{prefix}{i}", signed_post(server.port, slash_command(
        QUERIES[i % len(QUERIES)], users[i % len(users)], hooks + f"{prefix}{i}"))) for i in range(concurrency)]
    presses = [(f"{prefix}press{j}", signed_post(server.port, block_action(
        "details", value, users[0], hooks + f"{prefix}press{j}"))) for j, value in enumerate(buttons)]
    connections = await open_connections(server.port, len(commands) + len(presses))
    sent, acks = {}, {}

    async def one(connection: Exchange, hook: str, raw: bytes, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)
        written, answered = await connection.request(raw)
        sent[hook], acks[hook] = written, answered - written

    load_before, cpu0, loop0, wall0 = load(), server.cpu(), server.loop_thread(), time.perf_counter()
    await asyncio.gather(*(one(c, h, raw) for c, (h, raw) in zip(connections, commands)),
                         *(one(c, h, raw, j * press_every)
                           for j, (c, (h, raw)) in enumerate(zip(connections[len(commands):], presses))))
    expected = [h for h, _ in commands + presses]
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline and int(await http_get(fake_port, "/bench/count")) < len(expected) + \
            wave.before.get(fake_port, 0):
        await asyncio.sleep(0.05)
    state = (await fake_state(fake_port))["hooks"]
    # the last post's arrival, not the moment polling noticed it
    finished = max([state[h][0] for h in expected if h in state] or [time.perf_counter()])
    cpu, loop1 = server.cpu() - cpu0, server.loop_thread()
    wave.before[fake_port] = len(state)
    for c in connections:
        c.transport.close()
    command_hooks = [h for h, _ in commands]
    press_hooks = [h for h, _ in presses]
    return {"acks": [acks[h] for h in command_hooks if h in acks],
            "press_acks": [acks[h] for h in press_hooks if h in acks],
            "kinds": [state[h][1] for h in command_hooks if h in state],
            "results": [state[h][0] - sent[h] for h in command_hooks if h in state],
            "presses": [state[h][0] - sent[h] for h in press_hooks if h in state],
            "missing": [h for h in expected if h not in state],
            "server_cpu": cpu, "wall": finished - wall0,
            "loop_cpu": loop1[0] - loop0[0], "loop_waiting": loop1[1] - loop0[1],
            "load": f"{load_before} -> {load()}"}


wave.before = {}      # fake Slack port -> hooks answered before this wave (the count only grows)


def report(title: str, rounds: list[dict]) -> None:
    merged = {k: sum((r[k] for r in rounds), []) for k in ("acks", "press_acks", "kinds", "results", "presses",
                                                             "missing")}
    commands = len(merged["acks"])
    kinds = {k: merged["kinds"].count(k) for k in ("results", "busy", "deadline", "other")}
    print(title, flush=True)
    print(f"  replies: {kinds['results']} results cards, {kinds['busy']} busy, {kinds['deadline']} past the deadline, "
          f"{kinds['other']} other; missing {len(merged['missing'])}")
    print(f"  acknowledgement (commands): {summary_ms(merged['acks'])}, max {max(merged['acks']) * 1000:.1f} ms")
    if merged["press_acks"]:
        print(f"  acknowledgement (buttons):  {summary_ms(merged['press_acks'])}")
    print(f"  results posted:             {summary_ms(merged['results'])}")
    if merged["presses"]:
        print(f"  button answered:            {summary_ms(merged['presses'])}")
    for i, r in enumerate(rounds):
        print(f"  round {i + 1}: load {r['load']}; ack p99 {sorted(r['acks'])[max(0, math.ceil(len(r['acks']) * .99) - 1)] * 1000:.0f} ms;"
              f" last post {r['wall']:.2f} s after the burst; server CPU {r['server_cpu']:.2f} s "
              f"({r['server_cpu'] / max(1, len(r['acks'])) * 1000:.1f} ms per command); event loop thread "
              f"{r['loop_cpu']:.2f} s on a CPU, {r['loop_waiting']:.2f} s waiting for a core")
    print(f"  ({commands} commands)", flush=True)


async def run(args) -> None:
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="ih-bench-slack-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)     # with --database-url it holds only the server's log
    sizes = [(args.concurrency, args.rounds)] if args.concurrency else [(50, 3), (200, 2)]
    biggest = max(n for n, _ in sizes)
    started = time.perf_counter()
    print(f"preparing {data_dir} (load {load()}) ...", flush=True)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        users, employees, backend = pool.submit(prepare, data_dir, args.database_url,
                                                math.ceil(biggest / USER_LIMIT) + 1).result()
    fake_port = free_port()
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    fake = ctx.Process(target=fake_slack_main, args=(fake_port, ready), daemon=True)
    fake.start()
    ready.wait(60)
    env = dict(kv.split("=", 1) for kv in args.env)
    try:
        server = await Server(data_dir, args.database_url, fake_port, env).start()
        state = "fresh"
        if not args.fresh:
            # Steady use: a server serves commands and button presses, stops; the measured one is a restart.
            print(f"priming: a first server serves {biggest} commands and button presses, then stops ...", flush=True)
            await wave(server, fake_port, users, "prime", biggest, [])
            await wave(server, fake_port, users, "prime-b", 5, (await fake_state(fake_port))["buttons"][:10])
            server.stop()
            server = await Server(data_dir, args.database_url, fake_port, env).start()
            state = "in steady use (served before, restarted)"
        await wave(server, fake_port, users, "warm", 3, [])
        buttons = (await fake_state(fake_port))["buttons"]
        random.Random(1).shuffle(buttons)
        print(f"{backend}, demo organisation ({employees} employees), folder {state}; {len(users)} people ask; "
              f"{args.buttons} Details presses during each round; server env {env or '-'}", flush=True)
        spy = None
        if args.py_spy:
            # py-spy samples the server without stopping it (--nonblocking); the raw format keeps each thread apart
            spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.process.pid), "--format", "raw",
                                    "--threads", "--nonblocking", "--gil", "--rate", "250", "--output", args.py_spy],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            await asyncio.sleep(1.0)
        for concurrency, rounds in sizes:
            measured = []
            for r in range(rounds):
                measured.append(await wave(server, fake_port, users, f"c{concurrency}r{r}-", concurrency,
                                           buttons[:args.buttons]))
                await asyncio.sleep(1.0)
            report(f"{rounds} rounds of {concurrency} concurrent /find-candidates:", measured)
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
        server.stop()
    finally:
        fake.terminate()
    print(f"(bench wall {time.perf_counter() - started:.0f} s; server log {data_dir}/bench-server.log)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=0, help="one burst size (default: 3 × 50, then 2 × 200)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--buttons", type=int, default=10, help="button presses sent during each round")
    parser.add_argument("--data-dir", default=None, help="measure this data folder (default: a new scratch folder)")
    parser.add_argument("--database-url", default=None, help="a MySQL/MariaDB/TiDB database instead of SQLite")
    parser.add_argument("--fresh", action="store_true", help="measure the freshly loaded folder (no priming)")
    parser.add_argument("--py-spy", metavar="FILE", default=None,
                        help="record the server's stacks while they hold the GIL (py-spy, raw format, per thread) during the measured rounds")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the server (repeatable)")
    args = parser.parse_args(argv)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
