"""A burst of concurrent /find-candidates (default 200, from every manager and HR admin of the demo organisation)
with button presses (Details) sent meanwhile by another person, over real HTTP into our server; results and answers
land on a fake, local Slack. Prints acknowledgement and answer latencies, what each search got (results, "you already
have N requests running", "did not finish"), and how long the buttons waited: they run in their own lane and must
not queue behind the searches (issue 13.13).

    python -m bench.slack_burst [--searches 200] [--buttons 20] [--data-dir DIR]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time

from aiohttp import ClientSession, TCPConnector
from aiohttp.test_utils import TestServer

from bench.common import scratch_app, summary_ms
from bot.server import create_web_app
from bot.settings import load_settings
from core.domain import Role
from tests.platform.fakes import SIGNING_SECRET, FakeSlack, block_action, sign, slash_command

QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def outcome(posted: dict) -> str:
    text = json.dumps(posted, ensure_ascii=False)
    if "already have" in text or "이미 요청" in text:
        return "busy"
    if "did not finish" in text or "끝나지 않아" in text:
        return "deadline"
    if "reference" in text or "참조 번호" in text:
        return "error"
    return "answered"


async def run(searches: int, buttons: int, data_dir: str | None) -> None:
    app = scratch_app(data_dir, autoload=True)
    fake = await FakeSlack().start()
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=app.settings.data_dir, SLACK_BOT_TOKEN="xoxb-bench",
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.base + "/api/")
    server = TestServer(create_web_app(app, settings), host="127.0.0.1")
    await server.start_server()
    askers = [e.slack_user_id for e in app.store.list_employees()
              if e.slack_user_id and e.role in (Role.MANAGER, Role.HR_ADMIN)]
    presser = app.store.find_employee("E0002").slack_user_id
    askers = [a for a in askers if a != presser] or [presser]
    url = f"http://127.0.0.1:{server.port}/slack/events"
    acks: list[float] = []
    sent_at: dict[str, float] = {}

    # no connection limit: with aiohttp's default (100), half of a burst of 200 waited inside this client
    async with ClientSession(connector=TCPConnector(limit=0)) as http:
        async def post(hook: str, body: str) -> None:
            sent_at[hook] = time.perf_counter()
            async with http.post(url, data=body, headers={**FORM, **sign(body)}) as resp:
                await resp.read()
                assert resp.status == 200, resp.status
            acks.append(time.perf_counter() - sent_at[hook])

        async def search(i: int) -> None:
            hook = f"s{i}"
            await post(hook, slash_command(QUERIES[i % len(QUERIES)], askers[i % len(askers)],
                                           fake.base + f"/hooks/{hook}"))

        async def press(i: int) -> None:
            await asyncio.sleep(0.5 + i * 0.25)         # while the searches are being computed
            hook = f"b{i}"
            await post(hook, block_action("details:0", f"E{3 + i % 50:04d}|en", presser, fake.base + f"/hooks/{hook}"))

        await search(-1)                                  # warm-up
        while "s-1" not in fake.arrived:
            await asyncio.sleep(0.01)
        acks.clear()
        started = time.perf_counter()
        await asyncio.gather(*(search(i) for i in range(searches)), *(press(i) for i in range(buttons)))
        expected = [f"s{i}" for i in range(searches)] + [f"b{i}" for i in range(buttons)]
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline and not all(h in fake.arrived for h in expected):
            await asyncio.sleep(0.01)
        wall = time.perf_counter() - started
    latency = {h: fake.arrived[h] - sent_at[h] for h in expected if h in fake.arrived}
    kinds: dict[str, list[float]] = {}
    for i in range(searches):
        hook = f"s{i}"
        if hook in latency:
            kinds.setdefault(outcome(fake.posts("response_url", hook)[0]), []).append(latency[hook])
    print(f"{searches} concurrent /find-candidates from {min(searches, len(askers))} people + {buttons} Details presses "
          f"meanwhile, demo organisation ({app.store.count_employees()} employees), deadline "
          f"{settings.request_deadline:g} s, wall {wall:.1f} s")
    print(f"  acknowledgement (all):   {summary_ms(acks)}")
    for kind, values in sorted(kinds.items()):
        print(f"  searches {kind:>9}:      {summary_ms(values)}")
    print(f"  searches unanswered:     {sum(1 for i in range(searches) if f's{i}' not in latency)}")
    pressed = [latency[f"b{i}"] for i in range(buttons) if f"b{i}" in latency]
    if pressed:
        print(f"  button presses answered: {summary_ms(pressed)}, max {max(pressed) * 1000:.1f} ms "
              f"(unanswered: {buttons - len(pressed)})")
    await server.close()
    await fake.server.close()
    app.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--buttons", type=int, default=20)
    parser.add_argument("--data-dir", default=None, help="an existing demo data folder (skips building one)")
    args = parser.parse_args(argv)
    asyncio.run(run(args.searches, args.buttons, args.data_dir))


if __name__ == "__main__":
    main()
