"""Issue 11 over real Slack HTTP: an employee's openings, interest with consent and its withdrawal, the App Home tab,
and the openings alerts (once per person per opening, even with two notifiers). Everything we send lands on the local
fake Slack."""
import asyncio
import json
import time

from slack_sdk.models.blocks import Block as SlackBlock

from bot.alerts import send_alerts, tell_closed
from bot.background import Notifier
from bot.server import build_platforms
from bot.settings import load_settings
from tests.openings_helpers import hr_admins, publish_opening
from tests.platform.fakes import SIGNING_SECRET, sign, slash_command
from tests.platform.test_issue5_slack import FORM, JSON, buttons, deliver, dm, flat, press

BACKEND = ["5+ years building APIs with Java and Spring Boot", "Kafka and event streaming", "MySQL and Redis"]
MARKETING = ["구글 애널리틱스 활용 경험", "퍼포먼스 마케팅 캠페인 운영"]


def backend_person(org):
    """A backend engineer with Kafka on their profile (a plain employee)."""
    page = org.matching.search("backend engineer Kafka Spring Boot Java", limit=10)
    return next(e for e in (org.store.get_employee(c.employee_id) for c in page.candidates)
                if e.role.value == "employee" and e.slack_user_id)


def valid_blocks(message: dict) -> None:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        SlackBlock.parse(block).validate_json()


async def home_opened(server, user: str) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": f"Ev{time.time_ns()}",
                       "event": {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}})
    async with server.http.post(server.url("/slack/events"), data=body, headers={**JSON, **sign(body)}) as r:
        assert r.status == 200


async def test_an_employee_asks_for_openings_in_a_dm_and_gets_them_ranked_against_their_profile(
        slack_server, fake_slack, org):
    backend = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    marketing = publish_opening(org, "퍼포먼스 마케터", MARKETING, company="marketon", family="1000187", lang="ko",
                                level="L3")
    me = backend_person(org)
    await deliver(slack_server, dm("what internal openings fit me?", me.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    [card] = fake_slack.posts("api", "chat.update")
    text = flat(card)
    valid_blocks(card)
    assert "Searching for people is open to managers" not in text
    assert text.index(backend.id) < text.index(marketing.id)          # the backend opening first, for a backend person
    assert "Apache Kafka" in text and "✓" in text                       # a skill they have, with their own line
    assert {"opening_gap", "opening_interest", "opening_dismiss", "openings_alerts_on"} <= set(buttons(card))


async def test_slash_openings_with_filters_answers_through_the_response_url(slack_server, fake_slack, org):
    publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, level="L4")
    junior = publish_opening(org, "Backend Engineer", BACKEND, level="L2")
    me = backend_person(org)
    body = slash_command("level:L3- 5", me.slack_user_id, fake_slack.base + "/hooks/op1", command="/openings")
    async with slack_server.http.post(slack_server.url("/slack/events"), data=body,
                                      headers={**FORM, **sign(body)}) as r:
        assert r.status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "op1"))
    [posted] = fake_slack.posts("response_url", "op1")
    text = flat(posted)
    assert junior.id in text and "Senior Backend Engineer" not in text
    assert posted["response_type"] == "ephemeral"


async def test_interest_asks_consent_first_then_tells_the_owner_and_withdrawal_tells_them_too(
        slack_server, fake_slack, org):
    author, approver = hr_admins(org)[:2]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    me = backend_person(org)
    await deliver(slack_server, dm("openings", me.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    listing = fake_slack.posts("api", "chat.update")[0]

    consent = await press(slack_server, fake_slack, me.slack_user_id, buttons(listing)["opening_interest"], "c1")
    text = flat(consent)
    assert "Tell the opening's owner you're interested?" in text and approver.display_name in text
    assert "What they will see" in text and me.title in text
    owner = org.store.get_employee(approver.id)
    assert not [p for p in fake_slack.posts("api", "chat.postMessage") if p["channel"] == owner.slack_user_id]
    assert org.store.interest(opening.id, me.id) is None                      # nothing recorded before consent

    recorded = await press(slack_server, fake_slack, me.slack_user_id, buttons(consent)["opening_interest_confirm"],
                           "c2")
    assert "You're marked as interested" in flat(recorded)
    await slack_server.wait_for(lambda: [p for p in fake_slack.posts("api", "chat.postMessage")
                                         if p["channel"] == owner.slack_user_id])
    [told] = [p for p in fake_slack.posts("api", "chat.postMessage") if p["channel"] == owner.slack_user_id]
    told_text = flat(told)
    assert me.display_name in told_text and opening.id in told_text and "opening_shortlist" in told_text
    valid_blocks(told)
    assert org.store.interest(opening.id, me.id) == "interested"
    assert any(a.action == "opening_interest" and a.actor_id == me.id for a in org.store.list_audit())

    # The owner adds them to the shortlist from the message.
    added = await press(slack_server, fake_slack, owner.slack_user_id, buttons(told)["opening_shortlist"], "c3")
    assert "Added" in flat(added) and me.id in org.store.shortlist(owner.id)

    # Withdrawing is one button, and the owner is told.
    withdrawn = await press(slack_server, fake_slack, me.slack_user_id, buttons(recorded)["opening_withdraw"], "c4")
    assert "Withdrawn" in flat(withdrawn)
    await slack_server.wait_for(lambda: len([p for p in fake_slack.posts("api", "chat.postMessage")
                                             if p["channel"] == owner.slack_user_id]) == 2)
    last = [p for p in fake_slack.posts("api", "chat.postMessage") if p["channel"] == owner.slack_user_id][-1]
    assert "withdrew" in flat(last)
    assert any(a.action == "opening_interest_withdrawn" for a in org.store.list_audit())
    # ... and the owner's old "add to shortlist" button no longer works.
    again = await press(slack_server, fake_slack, owner.slack_user_id, buttons(told)["opening_shortlist"], "c5")
    assert "withdrawn their interest" in flat(again)


async def test_app_home_is_published_per_role(slack_server, fake_slack, org):
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    me = backend_person(org)
    await home_opened(slack_server, me.slack_user_id)
    await slack_server.wait_for(lambda: fake_slack.posts("api", "views.publish"))
    [published] = fake_slack.posts("api", "views.publish")
    view = json.loads(published["view"]) if isinstance(published["view"], str) else published["view"]
    assert published["user_id"] == me.slack_user_id and view["type"] == "home"
    valid_blocks(view)
    text = flat(view)
    # In the person's own language (the first on their profile): this one writes Korean first.
    assert me.languages[0] == "ko"
    assert "나에게 맞는 공고" in text and opening.id in text and "내 관심 공고" in text
    assert "승인 대기" not in text

    hr = hr_admins(org)[0]
    await home_opened(slack_server, org.store.get_employee(hr.id).slack_user_id)
    await slack_server.wait_for(lambda: len(fake_slack.posts("api", "views.publish")) == 2)
    hr_view = fake_slack.posts("api", "views.publish")[1]["view"]
    hr_text = flat(json.loads(hr_view) if isinstance(hr_view, str) else hr_view)
    assert "승인 대기 JD" in hr_text or "JDs waiting for your approval" in hr_text
    assert opening.id in hr_text and ("관심 0명" in hr_text or "0 interested" in hr_text)

    # A press on the home tab has no response_url: answered by direct message, and the home is published again.
    toggle = buttons(view)["openings_alerts_on"]
    payload = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": me.slack_user_id},
               "container": {"type": "view", "view_id": "VH1"}, "view": {"id": "VH1", "type": "home"},
               "trigger_id": "t1", "actions": [{"type": "button", "action_id": toggle["action_id"], "block_id": "b",
                                                "value": toggle["value"]}]}
    from urllib.parse import urlencode
    body = urlencode({"payload": json.dumps(payload)})
    async with slack_server.http.post(slack_server.url("/slack/events"), data=body,
                                      headers={**FORM, **sign(body)}) as r:
        assert r.status == 200
    await slack_server.wait_for(lambda: len(fake_slack.posts("api", "views.publish")) == 3)
    assert org.store.alerts_enabled(me.id)
    assert any("알림을 켰어요" in flat(p) for p in fake_slack.posts("api", "chat.postMessage"))


async def test_alerts_reach_each_person_once_per_opening_across_two_notifiers_and_honour_429(org, fake_slack):
    settings = load_settings(INTERNAL_HIRE_DATA_DIR=org.settings.data_dir, SLACK_BOT_TOKEN="xoxb-test",
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.base + "/api/")
    handler = org.router.openings
    fan = backend_person(org)
    marketer = org.store.get_employee(org.matching.search("performance marketing Google Analytics", limit=1)
                                      .candidates[0].employee_id)
    nobody = org.store.find_employee("E0003")
    for person in (fan, marketer, nobody):
        handler.openings.set_alerts(person, True)
    backend = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    second = publish_opening(org, "Backend Engineer, Settlement", BACKEND, level="L3")
    publish_opening(org, "퍼포먼스 마케터", MARKETING, company="marketon", family="1000187", lang="ko", level="L3")
    fake_slack.rate_limit_next["chat.postMessage"] = 1          # Slack says 429 once: retried after Retry-After

    notifiers = [Notifier(org.store, build_platforms(org, settings)) for _ in range(2)]
    runs = await asyncio.gather(*(send_alerts(handler, n) for n in notifiers))
    posts = fake_slack.posts("api", "chat.postMessage")
    by_channel = {}
    for p in posts:
        by_channel.setdefault(p["channel"], []).append(p)
    assert len(by_channel[fan.slack_user_id]) == 1                      # one message, both backend openings in it
    fan_text = flat(by_channel[fan.slack_user_id][0])
    assert backend.id in fan_text and second.id in fan_text and "나에게 맞는 새 공고 (2건)" in fan_text
    assert all(len(v) == 1 for v in by_channel.values())
    assert sum(r.sent for r in runs) == len(by_channel)
    assert ("429", "chat.postMessage", None) in fake_slack.calls

    # A later pass, a restart (a fresh notifier and handler state) or a new opening today: nothing more today.
    publish_opening(org, "Staff Backend Engineer", BACKEND, level="L5")
    again = await send_alerts(handler, Notifier(org.store, build_platforms(org, settings)))
    assert again.sent == 0 and len(fake_slack.posts("api", "chat.postMessage")) == len(posts)
    # Tomorrow the new opening comes, alone: the earlier ones are never alerted twice.
    tomorrow = await send_alerts(handler, notifiers[0], day="2099-01-01")
    fan_posts = [p for p in fake_slack.posts("api", "chat.postMessage") if p["channel"] == fan.slack_user_id]
    assert tomorrow.sent >= 1 and len(fan_posts) == 2
    assert "Staff Backend Engineer" in flat(fan_posts[1]) and backend.id not in flat(fan_posts[1])


async def test_a_closed_opening_disappears_and_interested_people_are_told_once(slack_server, fake_slack, org):
    author, approver = hr_admins(org)[:2]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    me = backend_person(org)
    handler = org.router.openings
    assert handler.openings.express_interest(me, opening.id).changed
    assert org.jd_service.workflow.set_opening_status(opening.id, "closed", approver).ok

    await deliver(slack_server, dm("openings", me.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    assert opening.id not in flat(fake_slack.posts("api", "chat.update")[0])

    notifier = Notifier(org.store, build_platforms(org, org.settings))
    told = await asyncio.gather(tell_closed(handler, notifier), tell_closed(handler, notifier))
    assert sum(told) == 1
    [closed] = [p for p in fake_slack.posts("api", "chat.postMessage") if p["channel"] == me.slack_user_id]
    assert "마감되었어요" in flat(closed) and opening.id in flat(closed)
    assert org.store.interest(opening.id, me.id) == "interested"              # kept for the record
    assert handler.openings.express_interest(me, opening.id).reason == "opening_closed"
