"""Issue 11 over real Slack HTTP: the hiring manager named on the JD's edit card is an owner of the opening (told about
interest by direct message, allowed its "add to shortlist" button), and a person who expressed interest stays visible
on that owner's shortlist in the opening's context even when they are not open to moves, without being opened to
anyone else's search."""
from core.domain import Role
from tests.platform.test_jd_slack import (approver, buttons, dms_to, drafts_in_dm, flat, hr_admin, inputs, press,
                                          quick_updates)  # noqa: F401 - quick_updates is an autouse fixture
from tests.platform.test_openings_slack import valid_blocks
from tests.platform.test_issue5_slack import deliver, dm
from tests.platform.test_issue5_slack import press as press_once

KAFKA = "Kafka event streaming and Spring Boot APIs"


def a_manager(org, but_not=()):
    return next(e for e in org.store.list_employees()
                if e.role == Role.MANAGER and e.slack_user_id and e.id not in but_not)


def closed_backend_person(org):
    """An employee with a profile who is NOT open to moves: managers' searches never show them."""
    return next(e for e in org.store.list_employees() if e.role == Role.EMPLOYEE and e.slack_user_id
                and not e.open_to_moves and e.skills)


def button_for(message: dict, action: str, opening_id: str) -> dict:
    return next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"].split(":")[0] == action and e.get("value", "").startswith(opening_id))


async def published_with_hiring_manager(server, fake_slack, org, hiring_manager) -> tuple[str, str]:
    """An HR admin names the hiring manager on the edit card (as a pasted Slack mention), submits, another approves."""
    me = hr_admin(org)
    drafts = await drafts_in_dm(server, fake_slack, me, company="hanbit-pay", family="1000229", level="L4")
    edit = await press(server, fake_slack, me, buttons(drafts)["jd_use"][0], "use")
    assert inputs(edit)["hiring_manager"] == ""
    assert "Hiring manager (optional)" in flat(edit)

    refused = await press(server, fake_slack, me, buttons(edit)["jd_save"][0], "bad", edit,
                          hiring_manager="Nobody Atall", requirements=KAFKA)
    assert "could not find “Nobody Atall”" in flat(refused)
    jd_id = buttons(edit)["jd_history"][0]["value"].split("|")[0]
    assert org.store.get_jd(jd_id).version == 1                   # nothing saved
    employee = next(e for e in org.store.list_employees() if e.role == Role.EMPLOYEE)
    refused = await press(server, fake_slack, me, buttons(edit)["jd_save"][0], "bad2", edit,
                          hiring_manager=employee.id)
    assert "not a manager or HR admin" in flat(refused)

    saved = await press(server, fake_slack, me, buttons(edit)["jd_save"][0], "save", edit,
                        hiring_manager=f"<@{hiring_manager.slack_user_id}>", requirements=KAFKA)
    assert "Saved" in flat(saved) and inputs(saved)["hiring_manager"] == hiring_manager.id
    record = org.store.get_jd(jd_id)
    assert record.draft.basis["hiring_manager"] == hiring_manager.id

    submitted = await press(server, fake_slack, me, buttons(saved)["jd_submit"][0], "submit", saved)
    assert "Sent for approval" in flat(submitted)
    record = org.store.get_jd(jd_id)
    assert record.draft.basis["hiring_manager"] == hiring_manager.id
    published = org.jd_service.workflow.approve_and_publish(record.id, record.version, approver(org))
    assert published.ok
    return jd_id, published.opening.id


async def test_the_hiring_manager_named_on_the_jd_is_told_of_interest_and_keeps_the_person_on_their_shortlist(
        slack_server, fake_slack, org):
    boss = a_manager(org)
    other_manager = a_manager(org, but_not={boss.id})
    _, opening_id = await published_with_hiring_manager(slack_server, fake_slack, org, boss)
    me = closed_backend_person(org)

    # The employee asks for openings and expresses interest in this one; the consent names the hiring manager.
    await deliver(slack_server, dm("openings 20", me.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    listing = fake_slack.posts("api", "chat.update")[-1]
    consent = await press_once(slack_server, fake_slack, me.slack_user_id,
                               button_for(listing, "opening_interest", opening_id), "i1")
    assert boss.display_name in flat(consent) and "hiring manager" in flat(consent)
    confirm = next(e for b in consent["blocks"] if b["type"] == "actions" for e in b["elements"]
                   if e["action_id"].startswith("opening_interest_confirm"))
    recorded = await press_once(slack_server, fake_slack, me.slack_user_id, confirm, "i2")
    assert "You're marked as interested" in flat(recorded)

    # The hiring manager gets the direct message with the profile and the shortlist button.
    await slack_server.wait_for(lambda: dms_to(fake_slack, boss))
    [told] = dms_to(fake_slack, boss)
    valid_blocks(told)
    assert me.display_name in flat(told) and opening_id in flat(told)
    added = await press_once(slack_server, fake_slack, boss.slack_user_id,
                             button_for(told, "opening_shortlist", opening_id), "i3")
    assert "Added" in flat(added) and me.id in org.store.shortlist(boss.id)
    # ... a manager who is not an owner cannot use that button
    refused = await press_once(slack_server, fake_slack, other_manager.slack_user_id,
                               button_for(told, "opening_shortlist", opening_id), "i4")
    assert me.id not in org.store.shortlist(other_manager.id) and "Added" not in flat(refused)

    # The shortlist shows them, in the opening's context, though they are not open to moves.
    await deliver(slack_server, dm("shortlist", boss.slack_user_id))
    await slack_server.wait_for(lambda: [p for p in fake_slack.posts("api", "chat.update")
                                         if "Your shortlist" in flat(p)])
    shortlist = [p for p in fake_slack.posts("api", "chat.update") if "Your shortlist" in flat(p)][-1]
    assert me.display_name in flat(shortlist) and "Interested in your opening" in flat(shortlist)
    assert opening_id in flat(shortlist)

    # Not opened to everyone: the hiring manager's own search still does not show them.
    page = org.router.find_candidates.use_case.search(boss, f"{me.title} 20")
    assert me.id not in [c.employee_id for c in page.page.candidates]

    # Withdrawn consent ends it: gone from the shortlist.
    await press_once(slack_server, fake_slack, me.slack_user_id,
                     button_for(recorded, "opening_withdraw", opening_id), "i5")
    assert org.store.interest(opening_id, me.id) == "withdrawn"
    shown = org.router.find_candidates.use_case.shortlist(boss, "en")
    assert me.id not in [e.id for e in shown]
