"""A delivery Slack or Teams sends again — to the other instance behind the load balancer, or after a restart — is
handled once: one reply, one audit row (issue 16 item 3). Two instances on one SQLite folder and on one MariaDB."""
from __future__ import annotations

import asyncio
import json
import time

from tests.multi.conftest import slack_env, start_server, stop_server
from tests.platform.fakes import block_action, sign, slash_command

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


async def post(server, body: str, retry: int = 0):
    headers = {**FORM, **sign(body)}
    if retry:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    async with server.http.post(server.url("/slack/events"), data=body, headers=headers) as resp:
        return resp.status, await resp.text()


async def settle(server, fake, user: str, seconds: float = 0.3):
    """Give a wrongly repeated delivery the time to show up: a new command sent after it to the same instance is
    answered after it (handlers run in one thread, in order), then a little more for its post."""
    hook = f"probe{time.time_ns()}"
    body = slash_command("python developer", user, fake.base + "/hooks/" + hook)
    await post(server, body)
    await server.wait_for(lambda: fake.posts("response_url", hook))
    await asyncio.sleep(seconds)


def audits(app, action: str = "search") -> int:
    return sum(1 for entry in app.store.list_audit() if entry.action == action)


async def test_a_slash_command_retried_to_the_other_instance_is_answered_once(shared_db, fake_slack):
    a, b = shared_db.instance(), shared_db.instance()
    server_a, server_b = await start_server(a, **slack_env(fake_slack)), await start_server(b, **slack_env(fake_slack))
    try:
        user = a.store.find_employee("E0002").slack_user_id
        searches_before = audits(a)
        body = slash_command("backend engineer who knows Kafka", user, fake_slack.base + "/hooks/once")
        assert (await post(server_a, body))[0] == 200
        assert (await post(server_b, body, retry=1))[0] == 200        # the retry, to the other instance
        await server_a.wait_for(lambda: fake_slack.posts("response_url", "once"))
        await settle(server_b, fake_slack, user)
        assert len(fake_slack.posts("response_url", "once")) == 1
        assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "once")[0])
        assert audits(b) == searches_before + 2      # the command and the probe

        # a button payload delivered twice, once to each instance: one answer
        result = fake_slack.posts("response_url", "once")[0]
        button = next(e for blk in result["blocks"] if blk["type"] == "actions" for e in blk["elements"]
                      if e["action_id"].startswith("details"))
        press = block_action(button["action_id"], button["value"], user, fake_slack.base + "/hooks/press")
        await post(server_b, press)
        await post(server_a, press)
        await server_a.wait_for(lambda: fake_slack.posts("response_url", "press"))
        await settle(server_a, fake_slack, user)
        assert len(fake_slack.posts("response_url", "press")) == 1
    finally:
        await stop_server(server_a)
        await stop_server(server_b)


async def test_an_event_retried_to_the_other_instance_and_after_a_restart_is_handled_once(shared_db, fake_slack):
    a, b = shared_db.instance(), shared_db.instance()
    server_a, server_b = await start_server(a, **slack_env(fake_slack)), await start_server(b, **slack_env(fake_slack))
    user = a.store.find_employee("E0002").slack_user_id
    event = {"type": "event_callback", "team_id": "T1", "event_id": f"Ev{time.time_ns()}", "event_time": int(time.time()),
             "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": user,
                       "text": "find candidates data engineer", "ts": "1.0"}}
    body = json.dumps(event)
    headers = {"Content-Type": "application/json", **sign(body)}

    def answers():
        return [c for c in fake_slack.calls if c[0] == "api" and c[1] == "chat.postMessage"]
    try:
        async with server_a.http.post(server_a.url("/slack/events"), data=body, headers=headers) as r:
            assert r.status == 200
        async with server_b.http.post(server_b.url("/slack/events"), data=body,
                                      headers={**headers, "X-Slack-Retry-Num": "1"}) as r:
            assert r.status == 200
        await server_a.wait_for(lambda: any(c[1] == "chat.update" for c in fake_slack.calls))
        await settle(server_b, fake_slack, user)
        assert len(answers()) == 1
    finally:
        await stop_server(server_a)
        await stop_server(server_b)

    # instance A restarts (a new process: nothing in memory) and Slack redelivers the same event to it
    restarted = shared_db.instance()
    server = await start_server(restarted, **slack_env(fake_slack))
    try:
        async with server.http.post(server.url("/slack/events"), data=body,
                                    headers={**headers, "X-Slack-Retry-Num": "2"}) as r:
            assert r.status == 200
        await settle(server, fake_slack, user)
        assert len(answers()) == 1
    finally:
        await stop_server(server)


async def test_a_teams_activity_repeated_to_the_other_instance_gets_one_reply(shared_db, connector):
    a, b = shared_db.instance(), shared_db.instance()
    env = {"TEAMS_ALLOW_ANONYMOUS": True, "HOST": "127.0.0.1"}
    server_a, server_b = await start_server(a, **env), await start_server(b, **env)
    manager = a.store.find_employee("E0002")
    activity = {"type": "message", "text": "find candidates kafka engineer", "channelId": "msteams",
                "serviceUrl": connector.service_url, "id": f"act-{time.time_ns()}",
                "from": {"id": manager.teams_user_id, "name": manager.display_name, "aadObjectId": "aad-1"},
                "recipient": {"id": "28:bot", "name": "Internal Hire"},
                "conversation": {"id": "a:conv-1", "conversationType": "personal", "tenantId": "tid"}}
    try:
        for server in (server_a, server_b):
            async with server.http.post(server.url("/api/messages"), json=activity) as r:
                assert r.status in (200, 202)
        await asyncio.sleep(1.0)     # the Teams turn is answered within its request: both requests have ended
        replies = [r for r in connector.received if r["method"] == "POST" and r["body"] and r["body"].get("attachments")]
        assert len(replies) == 1
    finally:
        await stop_server(server_a)
        await stop_server(server_b)
