"""The weekly digest over real HTTP with the real clients: Slack (AsyncWebClient) posts Block Kit text into the
person's DM and uploads each chart with files_upload_v2 (alt text on every image), honouring 429 Retry-After; Teams
sends an Adaptive Card 1.5 with the charts through the stored conversation reference (a person the bot never talked
with is not reachable), either inline or as signed, expiring links served by our own server."""
import asyncio

from bot.digests import DigestSender, make_builder
from bot.server import CHART_LINKS_KEY, PLATFORMS_KEY
from core.digest import run_weekly
from core.domain import Role
from tests.openings_helpers import publish_opening
from tests.platform.schemas import validate_adaptive_card
from tests.platform.test_issue5_teams import activity, send
from tests.platform.test_openings_slack import BACKEND, backend_person, valid_blocks


def _people(org):
    people = org.store.list_employees()
    hr = next(e for e in people if e.role == Role.HR_ADMIN and e.slack_user_id and e.teams_user_id)
    manager = next(e for e in people if e.role == Role.MANAGER and e.slack_user_id and e.teams_user_id)
    return hr, manager


async def _run(org, sender, only):
    loop = asyncio.get_running_loop()

    def deliver(person, digest):
        return asyncio.run_coroutine_threadsafe(sender.deliver(person, digest), loop).result(60)
    return await asyncio.to_thread(run_weekly, org.store, make_builder(org), deliver, only=set(only))


async def test_slack_digest_is_block_kit_text_plus_chart_uploads_with_alt_text(slack_server, fake_slack, org):
    hr, manager = _people(org)
    publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    employee = backend_person(org)
    org.router.openings.openings.set_alerts(employee, True)
    org.store.add_to_shortlist(manager.id, employee.id)
    fake_slack.rate_limit_next["chat.postMessage"] = 1          # Slack says 429 once: the client waits and retries
    fake_slack.rate_limit_next["files.getUploadURLExternal"] = 1
    sender = DigestSender(org.store, slack_server.web_app[PLATFORMS_KEY])
    report = await _run(org, sender, {hr.id, manager.id, employee.id})
    assert sorted(report.sent) == sorted({hr.id, manager.id, employee.id}), report.summary()
    assert report.by_channel == {"slack": 3}
    assert ("429", "chat.postMessage", None) in fake_slack.calls
    assert ("429", "files.getUploadURLExternal", None) in fake_slack.calls
    posts = fake_slack.posts("api", "chat.postMessage")
    assert len(posts) == 3
    for post in posts:
        valid_blocks(post)
    by_channel = {p["channel"]: p for p in posts}
    hr_post = by_channel["D" + hr.slack_user_id.lstrip("U")]
    text = str(hr_post["blocks"])
    assert "talent digest" in text or "인재 다이제스트" in text
    assert "stop digests" in text or "다이제스트 그만" in text
    # HR's charts: uploaded into the same DM, PNG bytes, each with alt text describing the numbers
    asked = fake_slack.posts("api", "files.getUploadURLExternal")
    from handlers.digest import render_charts

    charts = render_charts(make_builder(org).build(org.store.get_employee(hr.id)))
    assert len(asked) == len(charts) >= 1 and all(a["alt_txt"] and len(a["alt_txt"]) <= 1000 for a in asked)
    assert {a["alt_txt"] for a in asked} == {c.alt for c in charts}
    assert all(data[:4] == b"\x89PNG" for data in fake_slack.uploads.values()) and len(fake_slack.uploads) == len(charts)
    [done] = fake_slack.posts("api", "files.completeUploadExternal")
    assert done["channel_id"] == "D" + hr.slack_user_id.lstrip("U")
    employee_post = str(by_channel["D" + employee.slack_user_id.lstrip("U")]["blocks"])
    assert "op-" in employee_post and ("openings that fit you" in employee_post or "나에게 맞는 사내 공고" in employee_post)
    # again this week: nobody twice
    again = await _run(org, sender, {hr.id, manager.id, employee.id})
    assert again.sent == [] and again.already == 3 and len(fake_slack.posts("api", "chat.postMessage")) == 3


async def test_slack_failure_for_one_person_does_not_block_the_others_and_is_retried(slack_server, fake_slack, org):
    hr, manager = _people(org)
    org.store.add_to_shortlist(manager.id, "E0001")
    fake_slack.api_errors["conversations.open"] = "user_not_found"
    sender = DigestSender(org.store, slack_server.web_app[PLATFORMS_KEY])
    first = await _run(org, sender, {hr.id, manager.id})
    assert sorted(first.failed) == sorted([hr.id, manager.id]) and "user_not_found" in first.failed[hr.id]
    del fake_slack.api_errors["conversations.open"]
    second = await _run(org, sender, {hr.id, manager.id})
    assert sorted(second.sent) == sorted([hr.id, manager.id])


async def test_teams_digest_card_with_inline_charts_and_the_unreachable_counted(teams_server, connector, org):
    hr, manager = _people(org)
    org.store.add_to_shortlist(manager.id, "E0001")
    status, _ = await send(teams_server, activity(connector, hr, type="message", text="help"))
    assert status == 202
    before = len(connector.cards())
    sender = DigestSender(org.store, teams_server.web_app[PLATFORMS_KEY])
    report = await _run(org, sender, {hr.id, manager.id})
    assert report.sent == [hr.id] and report.not_reachable == [manager.id]     # the bot never talked with them
    cards = connector.cards()[before:]
    images = [b for card in cards for b in card["body"] if b.get("type") == "Image"]
    for card in cards:
        validate_adaptive_card(card)
        assert card["version"] == "1.5"
    assert len(images) >= 1 and all(i["url"].startswith("data:image/png;base64,") and i["altText"] for i in images)
    assert org.store.digest_attempts(report.week)[manager.id]["status"] == "unreachable"


async def test_teams_digest_charts_as_signed_expiring_links_to_our_server(serve, connector, org):
    server = await serve(TEAMS_ALLOW_ANONYMOUS=True, HOST="127.0.0.1", INTERNAL_HIRE_PUBLIC_URL="http://127.0.0.1:1")
    try:
        links = server.web_app[CHART_LINKS_KEY]
        links.public_url = server.url("").rstrip("/")            # the port is known once the server runs
        hr, _ = _people(org)
        status, _ = await send(server, activity(connector, hr, type="message", text="help"))
        assert status == 202
        before = len(connector.cards())
        report = await _run(org, DigestSender(org.store, server.web_app[PLATFORMS_KEY], links), {hr.id})
        assert report.sent == [hr.id]
        [card] = connector.cards()[before:]
        validate_adaptive_card(card)
        urls = [b["url"] for b in card["body"] if b.get("type") == "Image"]
        assert len(urls) >= 1 and all(u.startswith(server.url("/digest/charts/")) for u in urls)
        async with server.http.get(urls[0]) as r:
            assert r.status == 200 and r.content_type == "image/png" and (await r.read())[:4] == b"\x89PNG"
        async with server.http.get(urls[0][:-3] + "abc") as r:
            assert r.status == 404                                # a tampered link shows nothing
    finally:
        await server.http.close()
        await server.server.close()
