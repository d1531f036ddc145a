"""Issue 11 over real Teams HTTP: openings and the home card in a personal chat (valid Adaptive Cards within Teams'
size limit), interest with consent reaching the owner proactively, and alerts through stored conversation references
(a person the bot never talked with is counted as not reachable)."""
import json

from bot.alerts import send_alerts
from bot.background import Notifier
from tests.openings_helpers import hr_admins, publish_opening
from tests.platform.schemas import validate_adaptive_card
from tests.platform.test_issue5_teams import actions, activity, click, flat, send
from tests.platform.test_openings_slack import BACKEND, MARKETING, backend_person

TEAMS_CARD_LIMIT = 28 * 1024       # bytes: Teams refuses larger messages


def checked(card: dict) -> dict:
    validate_adaptive_card(card)
    assert len(json.dumps(card, ensure_ascii=False).encode("utf-8")) < TEAMS_CARD_LIMIT
    return card


async def test_openings_home_and_interest_with_consent_in_a_personal_chat(teams_server, connector, org):
    author, approver = hr_admins(org)[:2]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    for n in range(14):                           # enough openings to page, each one a full item
        publish_opening(org, f"Backend Engineer {n}", BACKEND, level="L3")
    me = backend_person(org)
    owner = org.store.get_employee(approver.id)
    status, _ = await send(teams_server, activity(connector, owner, type="message", text="home"))
    assert status == 202
    hr_home = checked(connector.cards()[-1])
    assert "Open openings** (15)" in flat(hr_home) and "0 interested" in flat(hr_home)

    status, _ = await send(teams_server, activity(connector, me, type="message", text="나한테 맞는 공고 있어? 20"))
    assert status == 202
    listing = checked(connector.cards()[-1])
    text = flat(listing)
    assert "나에게 맞는 사내 공고" in text and "op-" in text and "관심 있어요" in text
    assert "openings_page" in actions(listing)            # 15 openings, 12 to a card at most: a next page

    chosen = actions(listing)["opening_interest"]        # (the last opening's button on the card)
    chosen_id = chosen["data"]["value"].split("|")[0]
    status, body = await send(teams_server, click(connector, me, chosen))
    assert status == 200
    consent = checked(body["value"])
    assert "담당자에게 관심을 알릴까요" in flat(consent) and owner.display_name in flat(consent)
    sent_before = len(connector.received)
    status, body = await send(teams_server, click(connector, me, actions(consent)["opening_interest_confirm"]))
    assert status == 200 and "관심을 표시했어요" in flat(body["value"])
    await teams_server.wait_for(lambda: any(me.display_name in flat(c) and "opening_shortlist" in flat(c)
                                            for c in connector.cards()))
    assert len(connector.received) > sent_before
    for card in connector.cards():
        checked(card)

    status, _ = await send(teams_server, activity(connector, me, type="message", text="home"))
    home = checked(connector.cards()[-1])
    assert f"(`{chosen_id}`) — interested" in flat(home)          # "home" typed in English: answered in English


async def test_teams_alerts_use_stored_conversation_references_and_count_the_unreachable(
        teams_server, connector, org):
    handler = org.router.openings
    talked = backend_person(org)
    silent = next(e for e in (org.store.get_employee(c.employee_id) for c in
                              org.matching.search("backend engineer Kafka Spring Boot Java", limit=20).candidates)
                  if e.id != talked.id and e.role.value == "employee")
    status, _ = await send(teams_server, activity(connector, talked, type="message", text="help"))
    assert status == 202
    for person in (talked, silent):
        handler.openings.set_alerts(person, True)
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    publish_opening(org, "퍼포먼스 마케터", MARKETING, company="marketon", family="1000187", lang="ko", level="L3")
    from bot.server import PLATFORMS_KEY
    platforms = teams_server.web_app[PLATFORMS_KEY]
    before = len(connector.cards())
    run = await send_alerts(handler, Notifier(org.store, platforms))
    assert run.sent == 1 and silent.id in run.not_reachable
    [alert] = connector.cards()[before:]
    checked(alert)
    assert opening.id in flat(alert)
    again = await send_alerts(handler, Notifier(org.store, platforms))
    assert again.sent == 0 and len(connector.cards()) == before + 1


async def test_installing_the_app_welcomes_with_the_home_card_and_makes_the_person_reachable(
        teams_server, connector, org):
    me = backend_person(org)
    publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    installed = activity(connector, me, type="conversationUpdate",
                         membersAdded=[{"id": "28:bot"}, {"id": me.teams_user_id}])
    status, _ = await send(teams_server, installed)
    assert status in (200, 202)
    welcome = checked(connector.cards()[-1])
    assert "Internal Hire — 홈" in flat(welcome) or "Internal Hire — home" in flat(welcome)
    assert org.store.load_conversation_ref("teams", me.id) is not None
