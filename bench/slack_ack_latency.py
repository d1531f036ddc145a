"""/find-candidates over real HTTP: acknowledgement latency with 50 concurrent signed slash commands against the demo
organisation, and the time until results are posted to the (fake, local) response_url.

    python -m bench.slack_ack_latency [--concurrency 50] [--rounds 3]
"""
from __future__ import annotations

import argparse
import asyncio
import time

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from bench.common import scratch_app, summary_ms
from bot.server import create_web_app
from bot.settings import load_settings
from tests.platform.fakes import SIGNING_SECRET, FakeSlack, sign, slash_command

QUERIES = ["senior backend engineer who knows Kafka", "카프카 다룰 줄 아는 백엔드 개발자", "performance marketing GA4",
           "K-IFRS 결산 가능한 재무 담당자", "recruiter", "쿠버네티스 운영 경험 있는 데브옵스 엔지니어"]


async def run(concurrency: int, rounds: int) -> None:
    app = scratch_app(autoload=True)
    fake = await FakeSlack().start()
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=app.settings.data_dir, SLACK_BOT_TOKEN="xoxb-bench",
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.base + "/api/")
    server = TestServer(create_web_app(app, settings), host="127.0.0.1")
    await server.start_server()
    user = app.store.find_employee("E0002").slack_user_id
    url = f"http://127.0.0.1:{server.port}/slack/events"
    acks = []
    sent_at: dict[str, float] = {}

    async with ClientSession() as http:
        async def one(i: int) -> None:
            hook = f"b{i}"
            body = slash_command(QUERIES[i % len(QUERIES)], user, fake.base + f"/hooks/{hook}")
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            sent_at[hook] = time.perf_counter()
            async with http.post(url, data=body, headers=headers) as resp:
                await resp.read()
                assert resp.status == 200
            acks.append(time.perf_counter() - sent_at[hook])

        await one(-1)   # warm-up
        for r in range(rounds):
            start_index = r * concurrency
            await asyncio.gather(*(one(start_index + i) for i in range(concurrency)))
        expected = [f"b{i}" for i in range(rounds * concurrency)]
        deadline = time.perf_counter() + 300
        while time.perf_counter() < deadline and not all(h in fake.arrived for h in expected):
            await asyncio.sleep(0.005)
    completions = [fake.arrived[h] - sent_at[h] for h in expected if h in fake.arrived]
    print(f"{rounds} rounds of {concurrency} concurrent /find-candidates over HTTP, demo organisation "
          f"({app.store.count_employees()} employees)")
    print(f"  acknowledgement: {summary_ms(acks[1:])}")
    print(f"  results posted:  {summary_ms(completions)} (missing: {len(expected) - len(completions)})")
    await server.close()
    await fake.server.close()
    app.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    asyncio.run(run(args.concurrency, args.rounds))


if __name__ == "__main__":
    main()
