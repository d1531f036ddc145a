"""Hostile and malformed requests to every endpoint: 400/401/413, never 500, and no traceback logged at ERROR."""
import base64
import json
import logging
import time

import pytest

from tests.platform.fakes import sign, slash_command

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _no_error_logs(caplog):
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not bad, [r.getMessage() for r in bad]


def _jwt(header: dict, claims: dict, signature: bytes = b"") -> str:
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
    return f"{enc(header)}.{enc(claims)}." + base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


async def _post(server, path, data=b"", headers=None):
    async with server.http.post(server.url(path), data=data, headers=headers or {}) as r:
        return r.status, await r.text()


async def test_malformed_slack_requests_get_4xx(slack_server, fake_slack, org, caplog):
    caplog.set_level(logging.WARNING)
    user = org.store.find_employee("E0002").slack_user_id
    body = slash_command("kafka", user, fake_slack.base + "/hooks/x")
    signed = sign(body)
    cases = [
        ({**FORM, **signed, "X-Slack-Request-Timestamp": "abc"}, body),
        ({**FORM, **signed, "X-Slack-Request-Timestamp": ""}, body),
        ({**FORM, **signed, "X-Slack-Request-Timestamp": "1e30"}, body),
        ({**FORM, **signed, "X-Slack-Request-Timestamp": "99999999999999999999999"}, body),
        ({**FORM, "X-Slack-Signature": signed["X-Slack-Signature"]}, body),        # no timestamp
        ({**FORM, "X-Slack-Request-Timestamp": signed["X-Slack-Request-Timestamp"]}, body),   # no signature
        ({**FORM, **signed, "X-Slack-Signature": "v0=zz"}, body),
        ({**FORM}, "payload=%7Bnot-json"),
        ({**FORM}, "%%%&&&==="),
        ({"Content-Type": "application/json"}, "{not json"),
        ({"Content-Type": "application/json"}, "[]"),
        ({"Content-Type": "text/plain"}, "\x00\xff garbage"),
        ({}, b"\xff\xfe\x00binary"),
    ]
    for headers, data in cases:
        status, _ = await _post(slack_server, "/slack/events", data, headers)
        assert status in (400, 401), (headers, data, status)
    # signed but malformed bodies: the signature holds, the content does not
    for data, ctype in [("payload=%7Bnot-json", FORM["Content-Type"]), ("payload=%5B%5D", FORM["Content-Type"]),
                        ("%ff%fe=%ff", FORM["Content-Type"]), ("{not json", "application/json"),
                        ("[1,2]", "application/json"), ("command=%2Ffind-candidates", FORM["Content-Type"]),
                        ("", FORM["Content-Type"])]:
        status, _ = await _post(slack_server, "/slack/events", data, {"Content-Type": ctype, **sign(data)})
        assert status < 500, (data, status)
    huge = "command=%2Ffind-candidates&text=" + "a" * (3 * 1024 * 1024)
    status, _ = await _post(slack_server, "/slack/events", huge, {**FORM, **sign(huge)})
    assert status == 413
    _no_error_logs(caplog)


async def test_malformed_teams_requests_get_4xx_anonymous(teams_server, caplog):
    caplog.set_level(logging.WARNING)
    for data, ctype in [("{}", "application/json"), ("[]", "application/json"), ("null", "application/json"),
                        ("{not json", "application/json"), ('{"type": "message"}', "application/json"),
                        ('{"type": 5, "text": []}', "application/json"),
                        ('{"type": "message", "serviceUrl": "x", "conversation": 3}', "application/json"),
                        ("a=b", "application/x-www-form-urlencoded"), ("", "application/json"),
                        ("\xff", "text/plain")]:
        status, _ = await _post(teams_server, "/api/messages", data, {"Content-Type": ctype})
        assert 400 <= status < 500, (data, status)
    huge = json.dumps({"type": "message", "text": "a" * (3 * 1024 * 1024)})
    status, _ = await _post(teams_server, "/api/messages", huge, {"Content-Type": "application/json"})
    assert status == 413
    _no_error_logs(caplog)


async def test_forged_teams_tokens_get_401(serve, connector, org, caplog):
    caplog.set_level(logging.WARNING)
    app_id = "00000000-0000-0000-0000-000000000001"
    server = await serve(TEAMS_APP_ID=app_id, TEAMS_TENANT_ID="00000000-0000-0000-0000-000000000002",
                         TEAMS_APP_PASSWORD="secret")
    claims = {"aud": app_id, "iss": "https://api.botframework.com", "exp": int(time.time()) + 600,
              "serviceurl": connector.service_url}
    try:
        tokens = [_jwt({"alg": "none", "typ": "JWT"}, claims), _jwt({"alg": "HS256", "typ": "JWT"}, claims, b"x"),
                  _jwt({"alg": "RS256", "kid": "nope"}, claims, b"x"), "a.b.c", "...", "Bearer", ""]
        for token in tokens:
            for body in ("{}", json.dumps({"type": "message", "text": "hi"})):
                status, _ = await _post(server, "/api/messages", body,
                                        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
                assert status == 401, (token, body, status)
        for auth in ("Basic abc", "Bearer", "bearer  x y z", "\u00e9"):
            status, _ = await _post(server, "/api/messages", "{}", {"Content-Type": "application/json",
                                                                     "Authorization": auth})
            assert status == 401, (auth, status)
        assert connector.received == []
    finally:
        await server.http.close()
        await server.server.close()
    _no_error_logs(caplog)


async def test_healthz_tells_strangers_the_status_only(serve, caplog):
    server = await serve(INTERNAL_HIRE_API_TOKEN="health-token")
    try:
        async with server.http.get(server.url("/healthz")) as r:
            assert r.status == 200 and await r.json() == {"status": "ok"}
            assert "aiohttp" not in r.headers.get("Server", "") and "Python" not in r.headers.get("Server", "")
        # through a proxy (not this machine): details only with the token
        proxied = {"X-Forwarded-For": "203.0.113.7"}
        async with server.http.get(server.url("/healthz?verbose"), headers=proxied) as r:
            assert await r.json() == {"status": "ok"}
        async with server.http.get(server.url("/healthz?verbose"),
                                   headers={**proxied, "Authorization": "Bearer wrong"}) as r:
            assert await r.json() == {"status": "ok"}
        async with server.http.get(server.url("/healthz?verbose"),
                                   headers={**proxied, "Authorization": "Bearer health-token"}) as r:
            body = await r.json()
            assert body["store"]["employees"] == 360 and "schema_version" in body["store"]
        async with server.http.get(server.url("/healthz?verbose")) as r:       # loopback
            assert (await r.json())["store"]["employees"] == 360
    finally:
        await server.http.close()
        await server.server.close()


async def test_healthz_answers_503_within_two_seconds_when_the_database_hangs(serve, org, monkeypatch):
    server = await serve()
    release = __import__("threading").Event()
    monkeypatch.setattr(org.store, "count_employees", lambda: release.wait(30) or 0)
    try:
        started = time.perf_counter()
        async with server.http.get(server.url("/healthz?verbose")) as r:
            body = await r.json()
        assert r.status == 503 and time.perf_counter() - started < 2.5
        assert body["status"] == "degraded" and "did not answer" in body["store"]["error"]
    finally:
        release.set()
        await server.http.close()
        await server.server.close()


def _texts(node):
    """Every text a Teams client renders as markdown: TextBlocks and FactSet facts, anywhere in a card."""
    if isinstance(node, dict):
        if node.get("type") == "TextBlock":
            yield node["text"]
        if node.get("type") == "FactSet":
            for fact in node["facts"]:
                yield fact["title"]
                yield fact["value"]
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


async def test_teams_cards_never_turn_request_text_into_links(teams_server, connector, org):
    from tests.platform.test_teams_http import activity, send

    import re
    for text in ("find candidates [click me](https://evil.example) backend engineer",
                 "[click me](https://evil.example) 백엔드 개발자 찾아줘",
                 "gap ![x](https://evil.example/a.png) <https://evil.example> data engineer"):
        before = len(connector.cards())
        status, _ = await send(teams_server, activity(connector, org, type="message", id=f"act-{hash(text)}",
                                                      text=text))
        assert status in (200, 202)
        cards = connector.cards()[before:]
        assert cards, text
        rendered = list(_texts(cards))
        assert any("click me" in t or "evil.example" in t or "role" in t for t in rendered), (text, rendered[:5])
        for shown in rendered:
            assert not re.search(r"\]\s*\(", shown) and not re.search(r"<[a-z]+:", shown), (text, shown)
