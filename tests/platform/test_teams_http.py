"""Teams over real HTTP: activities posted to /api/messages; our replies captured by a fake connector."""
import json


from tests.platform.schemas import validate_adaptive_card


def activity(connector, org, **kw):
    manager = org.store.find_employee("E0002")
    base = {"channelId": "msteams", "serviceUrl": connector.service_url, "id": "act-1",
            "from": {"id": manager.teams_user_id, "name": manager.display_name, "aadObjectId": "aad-1"},
            "recipient": {"id": "28:bot", "name": "Internal Hire"},
            "conversation": {"id": "a:conv-1", "conversationType": "personal", "tenantId": "tid"}}
    base.update(kw)
    return base


async def send(server, body, headers=None):
    async with server.http.post(server.url("/api/messages"), json=body, headers=headers or {}) as r:
        text = await r.text()
        return r.status, (json.loads(text) if text else None)


async def test_message_gets_an_adaptive_card_with_ranked_candidates(teams_server, connector, org):
    status, _ = await send(teams_server, activity(connector, org, type="message",
                                                  text="find candidates senior backend engineer who knows Kafka"))
    assert status == 202
    reply = connector.received[-1]
    assert reply["path"] == "/amer/v3/conversations/a:conv-1/activities/act-1" and reply["auth"] is None
    card = connector.cards()[-1]
    validate_adaptive_card(card)
    assert card["version"] == "1.5"
    text = json.dumps(card, ensure_ascii=False)
    assert "Internal candidates" in text and "Kafka" in text
    actions = [a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]]
    assert actions and all(a["type"] == "Action.Execute" for a in actions)
    assert {a["verb"] for a in actions} >= {"details", "shortlist", "next_page"}
    # a conversation reference is stored for proactive messages later
    assert org.store.load_conversation_ref("teams", "E0002")["conversation"]["id"] == "a:conv-1"


async def test_next_page_refreshes_the_card_in_place_and_details_arrive_as_a_new_message(teams_server, connector, org):
    await send(teams_server, activity(connector, org, type="message", text="find candidates recruiter 2"))
    card = connector.cards()[-1]
    actions = {a["verb"]: a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]}
    invoke = activity(connector, org, type="invoke", id="act-2", name="adaptiveCard/action",
                      value={"action": {"type": "Action.Execute", "verb": "next_page",
                                        "data": actions["next_page"]["data"]}, "trigger": "manual"})
    status, body = await send(teams_server, invoke)
    assert status == 200 and body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    validate_adaptive_card(body["value"])
    assert "Showing 3–4" in json.dumps(body["value"], ensure_ascii=False)

    before = len(connector.received)
    invoke["id"] = "act-3"                     # every delivery from Teams has its own id
    invoke["value"]["action"] = {"type": "Action.Execute", "verb": "details", "data": actions["details"]["data"]}
    status, body = await send(teams_server, invoke)
    assert status == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    validate_adaptive_card(body["value"])
    assert "Skills with evidence" in json.dumps(body["value"]) and len(connector.received) == before


async def test_employee_and_unknown_user_get_clear_answers(teams_server, connector, org):
    employee = org.store.find_employee("E0003")
    body = activity(connector, org, type="message", text="후보 찾기 카프카 개발자")
    body["from"] = {"id": employee.teams_user_id, "name": employee.display_name}
    await send(teams_server, body)
    assert "관리자와 HR 담당자만" in json.dumps(connector.cards()[-1], ensure_ascii=False)
    body["from"] = {"id": "29:stranger", "name": "Stranger"}
    body["text"] = "find candidates kafka"
    body["id"] = "act-stranger"
    await send(teams_server, body)
    assert "could not find you" in json.dumps(connector.cards()[-1])


async def test_single_tenant_rejects_unauthenticated_calls_but_health_stays_open(serve, connector, org):
    server = await serve(TEAMS_APP_ID="00000000-0000-0000-0000-000000000001",
                         TEAMS_TENANT_ID="00000000-0000-0000-0000-000000000002", TEAMS_APP_PASSWORD="secret")
    try:
        status, _ = await send(server, activity(connector, org, type="message", text="find candidates kafka"))
        assert status == 401
        status, _ = await send(server, activity(connector, org, type="message", text="hi"),
                               {"Authorization": "Bearer not-a-jwt"})
        assert status == 401
        assert connector.received == []
        async with server.http.get(server.url("/healthz?verbose")) as r:
            assert r.status == 200 and (await r.json())["platforms"]["teams"] == "single-tenant"
    finally:
        await server.http.close()
        await server.server.close()


async def test_no_platform_configured_still_serves_health(serve):
    server = await serve()
    try:
        async with server.http.get(server.url("/healthz?verbose")) as r:
            body = await r.json()
        assert body["platforms"] == {"slack": "not configured", "teams": "not configured"}
        async with server.http.post(server.url("/api/messages"), json={}) as r:
            assert r.status in (404, 405)
    finally:
        await server.http.close()
        await server.server.close()


async def test_a_channel_never_gets_profiles(teams_server, connector, org):
    body = activity(connector, org, type="message", text="find candidates recruiter")
    body["conversation"] = {"id": "19:channel", "conversationType": "channel", "tenantId": "tid"}
    await send(teams_server, body)
    text = json.dumps(connector.cards()[-1])
    assert "one-to-one chat" in text and "Internal candidates" not in text
    assert org.store.load_conversation_ref("teams", "E0002") is None


async def test_a_repeated_delivery_is_answered_once(teams_server, connector, org):
    body = activity(connector, org, type="message", id="act-dup", text="find candidates recruiter")
    await send(teams_server, body)
    await send(teams_server, body)
    assert len([r for r in connector.received if r["path"].endswith("/act-dup")]) == 1


async def test_anonymous_teams_is_refused_on_a_public_interface(serve):
    server = await serve(TEAMS_ALLOW_ANONYMOUS=True, HOST="0.0.0.0")
    try:
        async with server.http.get(server.url("/healthz?verbose")) as r:
            assert (await r.json())["platforms"]["teams"] == "not configured"
    finally:
        await server.http.close()
        await server.server.close()
