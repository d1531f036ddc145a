"""A private MariaDB server, started by the test on its own port in a temporary data directory, killed or frozen
(SIGSTOP) under a running server: every Slack request still gets an answer with a reference within the request's
deadline, and after the database returns the next request works without a restart (issue 16.1, 16.2)."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import threading
import time

import pytest

from bot.bootstrap import build_app
from bot.settings import load_settings
from core.domain import Role
from core.importer import ImportReport
from tests import private_mariadb as private
from tests.conftest import person
from tests.platform.fakes import SIGNING_SECRET, block_action, sign, slash_command

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def private_mariadb(tmp_path):
    try:
        process, port = private.start(tmp_path / "mariadb")
    except private.Unavailable as exc:
        pytest.skip(str(exc))
    yield process, port
    private.stop(process)


def _small_org(port: int, tmp_path, read_timeout: float):
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=tmp_path / "org", INTERNAL_HIRE_DEMO_AUTOLOAD=False,
                             DATABASE_URL=f"mysql://root@127.0.0.1:{port}/ih_down", INTERNAL_HIRE_EMBEDDER="hashing-256",
                             DATABASE_CONNECT_TIMEOUT=1, DATABASE_READ_TIMEOUT=read_timeout,
                             DATABASE_WRITE_TIMEOUT=read_timeout)
    app = build_app(settings)
    _, boss = person("E1", "Engineering manager, backend teams", title="Engineering Manager", role=Role.MANAGER)
    app.importer.upsert([("test E1", dataclasses.replace(boss, slack_user_id="UBOSS")),
                         person("E2", "Backend engineer, Kafka, Kubernetes, Go", title="Backend Engineer"),
                         person("E3", "Recruiter for engineering roles", title="Recruiter", dept="People")],
                        ImportReport())
    return app


@pytest.fixture
def small_org_on_private_mariadb(private_mariadb, tmp_path, request):
    """Database reads time out after 2 s, or (parametrized indirectly with 30) may wait far past the request's
    deadline, so that only the deadline bounds a request."""
    process, port = private_mariadb
    app = _small_org(port, tmp_path, read_timeout=getattr(request, "param", 2))
    yield app, process
    app.close()


async def _command(server, fake_slack, text: str, hook: str):
    body = slash_command(text, "UBOSS", fake_slack.base + f"/hooks/{hook}")
    async with server.http.post(server.url("/slack/events"), data=body, headers={**FORM, **sign(body)}) as r:
        assert r.status == 200


DEADLINE_S = 7.0     # INTERNAL_HIRE_CHAT_DEADLINE 2 s + 5 s


async def _serve_searching(serve, fake_slack, app):
    """Our server on `app` with a 7 s request deadline, once a first search has its results."""
    server = await serve(app, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                         SLACK_API_URL=fake_slack.base + "/api/", INTERNAL_HIRE_CHAT_DEADLINE="2",
                         DATABASE_URL=app.settings.database_url.get_secret_value(),
                         INTERNAL_HIRE_EMBEDDER="hashing-256")
    await _command(server, fake_slack, "backend engineer kafka", "up")
    await server.wait_for(lambda: fake_slack.posts("response_url", "up"))
    assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "up")[-1])
    return server


@pytest.mark.parametrize("failure", ["killed", "frozen"])
async def test_a_database_that_dies_under_the_server_still_gets_every_request_answered(
        serve, fake_slack, small_org_on_private_mariadb, failure):
    app, mariadbd = small_org_on_private_mariadb
    server = await _serve_searching(serve, fake_slack, app)
    deadline = DEADLINE_S
    try:

        os.kill(mariadbd.pid, signal.SIGKILL if failure == "killed" else signal.SIGSTOP)
        started = time.perf_counter()
        for n in range(3):
            await _command(server, fake_slack, "backend engineer kafka", f"down{n}")
        for n in range(3):
            await server.wait_for(lambda: fake_slack.posts("response_url", f"down{n}"), timeout=deadline + 5)
            answer = fake_slack.posts("response_url", f"down{n}")[-1]
            assert answer["replace_original"] is True and "reference" in answer["text"], answer
        assert time.perf_counter() - started < deadline + 1.5
        async with server.http.get(server.url("/healthz")) as r:
            assert r.status == 503 and (await r.json()) == {"status": "degraded"}
        async with server.http.get(server.url("/livez")) as r:     # a restart would not bring the database back
            assert r.status == 200
        if failure == "frozen":
            os.kill(mariadbd.pid, signal.SIGCONT)        # the database is back: no restart needed
            await _command(server, fake_slack, "recruiter", "back")
            await server.wait_for(lambda: fake_slack.posts("response_url", "back"), timeout=deadline + 5)
            assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "back")[-1])
    finally:
        await server.http.close()
        await server.server.close()


@pytest.mark.parametrize("small_org_on_private_mariadb", [30], indirect=True)
async def test_with_the_database_frozen_every_request_is_acknowledged_within_3_s_and_answered_within_the_deadline(
        serve, fake_slack, small_org_on_private_mariadb):
    """The delivery's claim in the database never comes back (the server is frozen and reads may wait 30 s): the
    acknowledgement must not wait for it (Slack gives up after 3 s), and the answer (here the deadline's notice, in
    the language of the request, with a reference) is posted within the deadline counted from the request's arrival.
    A button press goes through Bolt's own acknowledgement; a repeat of a command to the same instance is dropped."""
    app, mariadbd = small_org_on_private_mariadb
    server = await _serve_searching(serve, fake_slack, app)
    deadline = DEADLINE_S
    try:

        os.kill(mariadbd.pid, signal.SIGSTOP)
        sent: dict[str, float] = {}
        acks: dict[str, tuple[float, str]] = {}

        async def post(hook: str, body: str, retry: bool = False) -> None:
            headers = {**FORM, **sign(body), **({"X-Slack-Retry-Num": "1"} if retry else {})}
            sent.setdefault(hook, time.perf_counter())
            async with server.http.post(server.url("/slack/events"), data=body, headers=headers) as r:
                acks[hook + ("-retry" if retry else "")] = (time.perf_counter() - sent[hook], await r.text())
                assert r.status == 200

        english = slash_command("backend engineer kafka", "UBOSS", fake_slack.base + "/hooks/en")
        korean = slash_command("카프카 백엔드 개발자", "UBOSS", fake_slack.base + "/hooks/ko")
        press = block_action("more", "p:1", "UBOSS", fake_slack.base + "/hooks/press")
        await asyncio.gather(post("en", english), post("ko", korean), post("press", press))
        await post("en", english, retry=True)          # the same delivery again: dropped, not answered twice
        assert all(seconds < 3.0 for seconds, _ in acks.values()), acks
        assert "Searching" in acks["en"][1] and "찾고 있어요" in acks["ko"][1]

        for hook in ("en", "ko", "press"):
            await server.wait_for(lambda: fake_slack.posts("response_url", hook), timeout=deadline + 5)
            assert fake_slack.arrived[hook] - sent[hook] < deadline, (hook, fake_slack.arrived[hook] - sent[hook])
        assert "did not finish within 7 s" in fake_slack.posts("response_url", "en")[-1]["text"]
        assert "reference" in fake_slack.posts("response_url", "en")[-1]["text"]
        assert "7초 안에 끝나지 않아" in fake_slack.posts("response_url", "ko")[-1]["text"]
        assert "참조 번호" in fake_slack.posts("response_url", "ko")[-1]["text"]
        assert "reference" in json.dumps(fake_slack.posts("response_url", "press")[-1])
        await asyncio.sleep(1.0)
        assert len(fake_slack.posts("response_url", "en")) == 1       # the repeat was not handled

        os.kill(mariadbd.pid, signal.SIGCONT)            # back: the next search has results again
        await _command(server, fake_slack, "recruiter", "back")
        await server.wait_for(lambda: fake_slack.posts("response_url", "back"), timeout=40)
        assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "back")[-1])
    finally:
        os.kill(mariadbd.pid, signal.SIGCONT)
        await server.http.close()
        await server.server.close()


async def test_healthz_says_starting_until_the_index_and_models_are_loaded(org, monkeypatch):
    """A load balancer sends nothing to an instance still warming up, so no one's first search pays for the index and
    the models within its deadline (`serve` loads them at start, bot.server.attach_warm_up)."""
    from aiohttp import ClientSession
    from aiohttp.test_utils import TestServer

    from bot.server import attach_warm_up, create_web_app

    loaded = threading.Event()
    monkeypatch.setattr(org.matching, "warm_up", lambda: loaded.wait(30))
    web_app = create_web_app(org, org.settings)
    attach_warm_up(web_app, org)
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    try:
        async with ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{server.port}/healthz") as r:
                assert r.status == 503 and await r.json() == {"status": "starting"}
            async with http.get(f"http://127.0.0.1:{server.port}/livez") as r:    # alive: not to be restarted
                assert r.status == 200 and await r.json() == {"status": "alive"}
            loaded.set()
            await asyncio.sleep(0.5)
            async with http.get(f"http://127.0.0.1:{server.port}/healthz") as r:
                assert r.status == 200 and await r.json() == {"status": "ok"}
    finally:
        loaded.set()
        await server.close()


@pytest.mark.parametrize("small_org_on_private_mariadb", [30], indirect=True)
async def test_teams_with_the_database_frozen_is_answered_within_the_deadline(serve, connector,
                                                                               small_org_on_private_mariadb):
    """Teams answers a message in its turn: with the claim and every read hanging, the turn still ends within the
    deadline with a notice in the message's language and a reference."""
    from tests.platform.test_teams_http import send

    app, mariadbd = small_org_on_private_mariadb
    server = await serve(app, TEAMS_ALLOW_ANONYMOUS=True, HOST="127.0.0.1", INTERNAL_HIRE_CHAT_DEADLINE="2",
                         DATABASE_URL=app.settings.database_url.get_secret_value(), INTERNAL_HIRE_EMBEDDER="hashing-256")

    def message(id_: str, text: str) -> dict:
        return {"type": "message", "id": id_, "text": text, "channelId": "msteams", "serviceUrl": connector.service_url,
                "from": {"id": "29:someone", "name": "Someone"}, "recipient": {"id": "28:bot", "name": "Internal Hire"},
                "conversation": {"id": "a:conv-1", "conversationType": "personal", "tenantId": "tid"}}
    try:
        assert (await send(server, message("act-up", "backend engineer kafka")))[0] in (200, 202)
        answered = len(connector.received)
        assert answered and "참조 번호" not in json.dumps(connector.received, ensure_ascii=False)
        os.kill(mariadbd.pid, signal.SIGSTOP)
        started = time.perf_counter()
        status, _ = await send(server, message("act-frozen", "카프카 백엔드 개발자 찾아줘"))
        assert status in (200, 202) and time.perf_counter() - started < DEADLINE_S
        told = json.dumps([r["body"] for r in connector.received[answered:]], ensure_ascii=False)
        assert "7초 안에 끝나지 않아" in told and "참조 번호" in told
    finally:
        os.kill(mariadbd.pid, signal.SIGCONT)
        await server.http.close()
        await server.server.close()
