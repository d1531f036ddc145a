"""Slack over real HTTP into our server; our outgoing calls land on a local fake Slack."""
import asyncio
import json
import time

from tests.platform.fakes import block_action, sign, slash_command

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def manager(org):
    return org.store.find_employee("E0002")


async def post(server, body: str, headers: dict):
    async with server.http.post(server.url("/slack/events"), data=body, headers={**FORM, **headers}) as resp:
        return resp.status, await resp.text()


async def test_slash_command_is_acknowledged_at_once_and_results_replace_the_searching_message(slack_server, fake_slack, org):
    body = slash_command("senior backend engineer who knows Kafka", manager(org).slack_user_id,
                         fake_slack.base + "/hooks/cmd1")
    started = time.perf_counter()
    status, text = await post(slack_server, body, sign(body))
    ack_seconds = time.perf_counter() - started
    assert status == 200 and "Searching" in text
    assert ack_seconds < 1.0
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "cmd1"))
    result = fake_slack.posts("response_url", "cmd1")[0]
    assert result["replace_original"] is True
    blocks = json.dumps(result["blocks"], ensure_ascii=False)
    assert "Kafka" in blocks and "Internal candidates" in blocks
    action_ids = [e["action_id"] for b in result["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert len(action_ids) == len(set(action_ids)) and any(a.startswith("details") for a in action_ids)
    # the search was audited as the manager behind the Slack user
    assert org.store.list_audit()[-1].actor_id == "E0002"


async def test_a_command_whose_text_says_payload_is_still_searched(slack_server, fake_slack, org):
    """Bolt reads any form body containing the word "payload" as an interactive payload (and finds none): a request
    like this one must still reach the search."""
    body = slash_command("backend engineer for our payload processing", manager(org).slack_user_id,
                         fake_slack.base + "/hooks/payload")
    status, text = await post(slack_server, body, sign(body))
    assert status == 200 and "Searching" in text
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "payload"), timeout=30)
    assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "payload")[0])


async def test_korean_command_gets_a_korean_answer(slack_server, fake_slack, org):
    body = slash_command("카프카 다룰 줄 아는 백엔드 개발자", manager(org).slack_user_id, fake_slack.base + "/hooks/ko")
    status, text = await post(slack_server, body, sign(body))
    assert status == 200 and "찾고 있어요" in text
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "ko"))
    assert "사내 후보자" in json.dumps(fake_slack.posts("response_url", "ko")[0], ensure_ascii=False)


async def test_bad_or_stale_signatures_get_401_and_do_nothing(slack_server, fake_slack, org):
    body = slash_command("kafka", manager(org).slack_user_id, fake_slack.base + "/hooks/bad")
    assert (await post(slack_server, body, sign(body, secret="wrong")))[0] == 401
    assert (await post(slack_server, body, sign(body, ts=int(time.time()) - 600)))[0] == 401
    assert (await post(slack_server, body, {}))[0] == 401
    await asyncio.sleep(0.3)
    assert fake_slack.calls == [("api", "auth.test", {})]      # only the server's own check at start


async def press(slack_server, fake_slack, org, button, hook):
    body = block_action(button["action_id"], button["value"], manager(org).slack_user_id, fake_slack.base + f"/hooks/{hook}")
    status, _ = await post(slack_server, body, sign(body))
    assert status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", hook))
    return fake_slack.posts("response_url", hook)[0]


async def test_buttons_details_shortlist_and_next_page(slack_server, fake_slack, org):
    body = slash_command("performance marketing GA4 3", manager(org).slack_user_id, fake_slack.base + "/hooks/r")
    await post(slack_server, body, sign(body))
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "r"))
    buttons = [e for b in fake_slack.posts("response_url", "r")[0]["blocks"] if b["type"] == "actions"
               for e in b["elements"]]
    by_kind = {}
    for button in buttons:
        by_kind.setdefault(button["action_id"].split(":")[0], button)
    details = await press(slack_server, fake_slack, org, by_kind["details"], "d")
    assert details["replace_original"] is True and "Skills with evidence" in json.dumps(details)
    shortlist = await press(slack_server, fake_slack, org, by_kind["shortlist"], "s")
    assert shortlist["replace_original"] is True and "shortlist" in shortlist["text"]
    assert "Shortlisted" in json.dumps(shortlist, ensure_ascii=False)
    page = await press(slack_server, fake_slack, org, by_kind["next_page"], "n")
    assert page["replace_original"] is True and "Showing 4–6" in json.dumps(page, ensure_ascii=False)


async def test_a_retried_event_delivery_runs_once(slack_server, fake_slack, org):
    event = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "Ev123",
                        "event": {"type": "message", "channel_type": "im", "channel": "D1", "ts": "1.1",
                                  "user": manager(org).slack_user_id, "text": "find-candidates data engineer Airflow"}})
    headers = {"Content-Type": "application/json"}
    async with slack_server.http.post(slack_server.url("/slack/events"), data=event, headers={**headers, **sign(event)}) as r:
        assert r.status == 200
    for retry in ("1", "2"):
        retried = {**headers, **sign(event), "X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        async with slack_server.http.post(slack_server.url("/slack/events"), data=event, headers=retried) as r:
            assert r.status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    await asyncio.sleep(0.3)
    assert len(fake_slack.posts("api", "chat.postMessage")) == 1
    assert len(fake_slack.posts("api", "chat.update")) == 1
    assert "Internal candidates" in json.dumps(fake_slack.posts("api", "chat.update")[0])


async def test_rate_limited_response_url_is_retried(slack_server, fake_slack, org):
    fake_slack.rate_limit_next["hook:rl"] = 1
    body = slash_command("recruiter", manager(org).slack_user_id, fake_slack.base + "/hooks/rl")
    await post(slack_server, body, sign(body))
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "rl"), timeout=30)
    assert ("429", "hook:rl", None) in fake_slack.calls


async def test_unmapped_user_is_found_by_email_once_and_unknown_users_get_a_clear_message(slack_server, fake_slack, org):
    hr = org.store.find_employee("E0001")
    fake_slack.emails["UNEWID0001"] = hr.email
    fake_slack.rate_limit_next["users.info"] = 1          # Slack rate-limits the first lookup: retried
    for hook in ("e1", "e2"):
        body = slash_command("recruiter", "UNEWID0001", fake_slack.base + f"/hooks/{hook}")
        await post(slack_server, body, sign(body))
        await slack_server.wait_for(lambda: fake_slack.posts("response_url", hook), timeout=30)
    assert len(fake_slack.posts("api", "users.info")) == 1       # cached after the first lookup
    assert org.store.find_employee("UNEWID0001").id == "E0001"   # and remembered on the record
    assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "e2")[0])

    body = slash_command("recruiter", "UNKNOWN999", fake_slack.base + "/hooks/unknown")
    await post(slack_server, body, sign(body))
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "unknown"))
    assert "could not find you in the employee directory" in json.dumps(fake_slack.posts("response_url", "unknown")[0])


async def test_healthz_reports_store_embedder_and_platforms(slack_server):
    async with slack_server.http.get(slack_server.url("/healthz?verbose")) as r:
        body = await r.json()
    assert r.status == 200
    assert body["store"]["backend"] == "sqlite" and body["store"]["employees"] == 360
    assert body["embedder"]["model"] == "use-multilingual-v3"
    assert body["platforms"] == {"slack": "http", "teams": "not configured"}


async def test_socket_mode_needs_no_public_url(serve, fake_slack, org):
    fake_slack.socket_envelopes.append({
        "envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
        "payload": {"command": "/find-candidates", "text": "recruiter", "team_id": "T1", "channel_id": "C1",
                    "user_id": manager(org).slack_user_id, "trigger_id": "sock-1",
                    "response_url": fake_slack.base + "/hooks/socket"}})
    server = await serve(SLACK_BOT_TOKEN="xoxb-test", SLACK_APP_TOKEN="xapp-test", SLACK_API_URL=fake_slack.base + "/api/")
    try:
        await server.wait_for(lambda: fake_slack.posts("response_url", "socket"))
        assert fake_slack.socket_acks[0]["envelope_id"] == "env-1"
        assert "Searching" in json.dumps(fake_slack.socket_acks[0])
        assert "Internal candidates" in json.dumps(fake_slack.posts("response_url", "socket")[0])
        async with server.http.post(server.url("/slack/events"), data="x") as r:
            assert r.status == 404          # no HTTP endpoint in Socket Mode
    finally:
        await server.http.close()
        await server.server.close()


async def test_a_mention_in_a_channel_is_answered_only_to_the_asker(slack_server, fake_slack, org):
    event = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": "EvMention",
                        "event": {"type": "app_mention", "channel": "C42", "ts": "5.5", "user": manager(org).slack_user_id,
                                  "text": "<@UBOT> find-candidates recruiter"}})
    headers = {"Content-Type": "application/json", **sign(event)}
    async with slack_server.http.post(slack_server.url("/slack/events"), data=event, headers=headers) as r:
        assert r.status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.postEphemeral"))
    ephemeral = fake_slack.posts("api", "chat.postEphemeral")[0]
    assert ephemeral["channel"] == "C42" and ephemeral["user"] == manager(org).slack_user_id
    assert "Internal candidates" in json.dumps(ephemeral)
    assert fake_slack.posts("api", "chat.postMessage") == []       # nothing visible to the channel


async def test_slack_escaping_is_undone_and_long_pages_are_split_not_cut(slack_server, fake_slack, org):
    body = slash_command('engineer dept:"Data &amp; AI" 20', manager(org).slack_user_id, fake_slack.base + "/hooks/amp")
    await post(slack_server, body, sign(body))
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "amp"))
    result = json.dumps(fake_slack.posts("response_url", "amp")[0], ensure_ascii=False)
    assert "Showing 1–12 of" in result                                # capped to what one Slack message holds
    assert "next_page" in result and ":12" in result                  # and the next page starts at 13
    assert "Nobody matched" not in result and "no department" not in result


async def test_a_burst_after_a_start_asks_slack_who_we_are_once_and_every_command_is_answered(slack_server, fake_slack,
                                                                                              org):
    org.matching.warm_up()       # the index and models loaded outside the burst: only Slack's side is under test
    askers = [e for e in org.store.list_employees() if e.role.value in ("manager", "hr_admin") and e.slack_user_id][:6]
    bodies = [slash_command("backend engineer who knows Kafka", who.slack_user_id, fake_slack.base + f"/hooks/b{i}")
              for i, who in enumerate(askers)]
    answers = await asyncio.gather(*(post(slack_server, body, sign(body)) for body in bodies))
    assert all(status == 200 for status, _ in answers)
    await slack_server.wait_for(lambda: all(fake_slack.posts("response_url", f"b{i}") for i in range(len(bodies))))
    assert all("Internal candidates" in json.dumps(fake_slack.posts("response_url", f"b{i}")[0], ensure_ascii=False)
               for i in range(len(bodies)))
    assert len([c for c in fake_slack.calls if c[:2] == ("api", "auth.test")]) == 1     # before: one per command
