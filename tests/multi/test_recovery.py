"""After the database comes back (issue 16 item 7): the next request works without a restart, and background work
(scheduled jobs, "your JD is ready" notifications) resumes without running or telling anything twice."""
from __future__ import annotations

import asyncio
import json

import pymysql
import pytest

from bot.adapters.storage import connection as cx
from bot.background import deliver_finished_jobs
from core.errors import StoreError
from scheduler.jobs import LeasedJobs
from tests.multi.conftest import slack_env, start_server, stop_server
from tests.platform.fakes import sign, slash_command


class Outage:
    """A store whose database can be switched off: every call raises StoreError while it is down."""

    def __init__(self, store):
        self.store, self.down = store, False

    def __getattr__(self, name):
        attr = getattr(self.store, name)
        if not callable(attr):
            return attr

        def call(*args, **kwargs):
            if self.down:
                raise StoreError("Lost the connection to the database server (test outage)")
            return attr(*args, **kwargs)
        return call


def kill_connections(store) -> int:
    """What a database restart does to a server's clients: every connection to this database is cut."""
    cfg = store.config
    admin = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password, autocommit=True,
                            ssl=cx.ssl_context(cfg))
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
                        (store.database,))
            ids = [row[0] for row in cur.fetchall()]
            for connection_id in ids:
                cur.execute(f"KILL CONNECTION {int(connection_id)}")
        return len(ids)
    finally:
        admin.close()


async def search(server, fake, user: str, hook: str) -> dict:
    body = slash_command("backend engineer who knows Kafka", user, f"{fake.base}/hooks/{hook}")
    async with server.http.post(server.url("/slack/events"), data=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded", **sign(body)}) as r:
        assert r.status == 200
    await server.wait_for(lambda: fake.posts("response_url", hook), timeout=60)
    return fake.posts("response_url", hook)[0]


async def test_after_every_database_connection_was_cut_the_next_search_works_without_a_restart(shared_db, fake_slack):
    if shared_db.kind != "mariadb":
        pytest.skip("connections are cut on a database server")
    app = shared_db.instance()
    server = await start_server(app, **slack_env(fake_slack))
    try:
        user = app.store.find_employee("E0002").slack_user_id
        assert "Internal candidates" in json.dumps(await search(server, fake_slack, user, "before"))
        assert await asyncio.to_thread(kill_connections, app.store) >= 1
        assert "Internal candidates" in json.dumps(await search(server, fake_slack, user, "after"))
        async with server.http.get(server.url("/healthz")) as r:
            assert r.status == 200
    finally:
        await stop_server(server)


def test_scheduled_slots_missed_during_an_outage_run_once_when_the_database_returns(shared_db):
    from datetime import datetime, timezone

    from scheduler.jobs import cron_trigger

    a_store, b_store = Outage(shared_db.instance().store), Outage(shared_db.instance().store)
    trigger = cron_trigger("* * * * *")
    t0 = datetime(2026, 12, 7, 4, 0, tzinfo=timezone.utc).timestamp()
    now = {"t": t0}
    a, b = LeasedJobs(a_store, "node-a", clock=lambda: now["t"]), LeasedJobs(b_store, "node-b", clock=lambda: now["t"])
    ran = []
    a_store.down = b_store.down = True
    for jobs in (a, b):                       # 04:00: the database is down for both
        with pytest.raises(StoreError):
            jobs.fire("nightly-jd-prepare", trigger, lambda renew: ran.append(now["t"]))
    a_store.down = b_store.down = False
    now["t"] = t0 + 30                        # a late fire of 04:00 after the database came back: runs it, once
    assert a.fire("nightly-jd-prepare", trigger, lambda renew: ran.append(now["t"]))
    assert not b.fire("nightly-jd-prepare", trigger, lambda renew: ran.append(now["t"]))
    for minute in (1, 2):                     # and the next slots run once each, as before the outage
        now["t"] = t0 + 60 * minute + 0.01
        assert [a.fire("nightly-jd-prepare", trigger, lambda renew: ran.append(now["t"])),
                b.fire("nightly-jd-prepare", trigger, lambda renew: ran.append(now["t"]))].count(True) == 1
    assert len(ran) == 3


async def test_ready_notifications_resume_after_an_outage_and_nobody_is_told_twice(shared_db):
    first, second = shared_db.instance(), shared_db.instance()
    requester = first.store.find_employee("E0002").id
    queue = first.jd_service.queue
    queue.submit("custom_jd", {"title": "t"}, requester)
    job = first.store.claim_job("w", 60)
    assert first.store.complete_job(job.id, "w", {"ok": True})

    told: list[str] = []

    class Notifier:
        async def send(self, employee_id, cards):
            told.append(employee_id)
            return {"platform": "test"}

    outage = [Outage(first.store), Outage(second.store)]
    queues = [type(queue)(outage[0]), type(queue)(outage[1])]
    for o in outage:
        o.down = True
    for q in queues:
        with pytest.raises(StoreError):
            await deliver_finished_jobs(q, Notifier(), lambda job: ["ready"])
    assert told == []
    for o in outage:
        o.down = False
    results = await asyncio.gather(*(deliver_finished_jobs(q, Notifier(), lambda job: ["ready"]) for q in queues))
    assert sorted(results) == [0, 1] and told == [requester]
    assert await deliver_finished_jobs(queues[0], Notifier(), lambda job: ["ready"]) == 0
