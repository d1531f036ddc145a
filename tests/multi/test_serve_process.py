"""`internal-hire serve` as a real process (issue 16 item 6): wrong or missing chat credentials stop it at once with
one line naming the setting; SIGTERM stops taking new work, finishes what is in flight, then exits."""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.platform.fakes import SIGNING_SECRET, sign, slash_command

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(data_dir, **env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "DATABASE_URL", "TIDB_"))}
    base.update({"INTERNAL_HIRE_DATA_DIR": str(data_dir), "INTERNAL_HIRE_LOG_LEVEL": "INFO",
                 "PYTHONPATH": str(ROOT)})
    base.update(env)
    return base


async def serve(data_dir, port: int, **env):
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
        env=serve_env(data_dir, **env), cwd=str(data_dir), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)


@pytest.mark.parametrize("env, named", [
    ({"SLACK_BOT_TOKEN": "xoxb-ok"}, "SLACK_SIGNING_SECRET"),
    ({"SLACK_APP_TOKEN": "xapp-ok"}, "SLACK_BOT_TOKEN is missing"),
    ({"SLACK_BOT_TOKEN": "xapp-1-oops", "SLACK_SIGNING_SECRET": "s"}, "belongs in SLACK_APP_TOKEN"),
    ({"SLACK_BOT_TOKEN": "xoxb-ok", "SLACK_APP_TOKEN": "xoxb-oops"}, "SLACK_APP_TOKEN is not an app-level token"),
    ({"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN was refused by Slack (invalid_auth)"),
    ({"SLACK_BOT_TOKEN": "xoxb-ok", "SLACK_APP_TOKEN": "xapp-revoked"}, "SLACK_APP_TOKEN was refused by Slack (invalid_auth)"),
    ({"TEAMS_APP_ID": "11111111-2222-3333-4444-555555555555"}, "TEAMS_APP_PASSWORD is missing"),
])
async def test_bad_credentials_stop_the_server_at_start_with_one_line_naming_the_setting(env, named, fake_slack,
                                                                                       tmp_path):
    fake_slack.refused_tokens |= {"xoxb-revoked", "xapp-revoked"}
    process = await serve(tmp_path, free_port(), SLACK_API_URL=fake_slack.base + "/api/", **env)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    lines = err.decode().strip().splitlines()
    assert process.returncode == 2
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0], lines
    assert "Traceback" not in err.decode() and "xoxb-ok" not in err.decode()       # no secret echoed


async def test_sigterm_finishes_the_searches_in_flight_and_refuses_new_work(demo_db, fake_slack, tmp_path):
    data_dir = tmp_path / "org"
    shutil.copytree(demo_db, data_dir)
    port = free_port()
    process = await serve(data_dir, port, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                          SLACK_API_URL=fake_slack.base + "/api/", INTERNAL_HIRE_REINDEX_CRON="",
                          INTERNAL_HIRE_JD_PREPARE_CRON="", INTERNAL_HIRE_SHUTDOWN_GRACE="120")
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(600):                       # the model and index load first
                try:
                    async with http.get(base + "/healthz") as r:
                        if r.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    pass
                if process.returncode is not None:
                    raise AssertionError((await process.stderr.read()).decode())
                await asyncio.sleep(0.2)
            import sqlite3
            conn = sqlite3.connect(data_dir / "internal-hire.sqlite3")
            user = conn.execute("SELECT slack_user_id FROM employees WHERE id = 'E0002'").fetchone()[0]
            conn.close()
            texts = ["backend engineer kafka", "data engineer", "recruiter", "프론트엔드 개발자", "python developer",
                     "product manager", "site reliability engineer", "designer"]

            async def command(i: int, text: str):
                body = slash_command(text, user, f"{fake_slack.base}/hooks/t{i}")
                async with http.post(base + "/slack/events", data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)}) as r:
                    return r.status, await r.text()
            await command(100, "warm up the index")      # the first search builds the index: not in flight
            for _ in range(600):
                if fake_slack.posts("response_url", "t100"):
                    break
                await asyncio.sleep(0.2)
            acks = await asyncio.gather(*(command(i, text) for i, text in enumerate(texts)))
            assert all(status == 200 for status, _ in acks)
            answered_before_stop = sum(1 for i in range(len(texts)) if fake_slack.posts("response_url", f"t{i}"))
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.3)
            with pytest.raises(aiohttp.ClientConnectionError):          # no new work once stopping
                await command(99, "late")
        _, err = await asyncio.wait_for(process.communicate(), 150)
        assert process.returncode == 0, err.decode()[-3000:]
        missing = [i for i in range(len(texts)) if not fake_slack.posts("response_url", f"t{i}")]
        assert missing == [], f"{answered_before_stop} answered before SIGTERM; unanswered: {missing}; " \
                              f"{err.decode()[-3000:]}"
        # results, or (main's per-user cap on concurrent searches) a message saying so: every command has its answer
        assert all(fake_slack.posts("response_url", f"t{i}")[0].get("blocks") or
                   fake_slack.posts("response_url", f"t{i}")[0].get("text") for i in range(len(texts)))
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
