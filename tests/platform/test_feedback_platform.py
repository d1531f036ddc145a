"""The feedback loop over real HTTP into our server with the fake Slack and Teams: 👍/👎 pressed on a results card and
on an opening card is stored, audited and acknowledged in the presser's language; HR records a move by command or
with the "filled internally by …" choice; a manager is refused. Every card is checked against Slack's block models and
the Adaptive Cards 1.5 schema."""
import json

from slack_sdk.models.blocks import Block as SlackBlock

from tests.openings_helpers import hr_admins, publish_opening
from tests.platform.fakes import sign, slash_command
from tests.platform.schemas import validate_adaptive_card
from tests.platform.test_issue5_slack import FORM, deliver, dm, flat, manager, press
from tests.platform.test_issue5_teams import activity, click, send
from tests.platform.test_openings_slack import BACKEND, backend_person


def valid_blocks(message: dict) -> dict:
    assert len(message["blocks"]) <= 50
    for block in message["blocks"]:
        SlackBlock.parse(block).validate_json()
    return message


def slack_buttons(message: dict, name: str) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
            if e["action_id"].split(":")[0] == name]


def teams_actions(card: dict, verb: str) -> list[dict]:
    return [a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]
            if a["verb"] == verb]


async def test_a_thumbs_up_on_a_slack_result_is_stored_audited_and_acknowledged_in_korean(slack_server, fake_slack,
                                                                                           org):
    asker = manager(org)
    body = slash_command("카프카 다룰 줄 아는 백엔드 개발자 3", asker.slack_user_id, fake_slack.base + "/hooks/r")
    async with slack_server.http.post(slack_server.url("/slack/events"), data=body, headers={**FORM, **sign(body)}) as r:
        assert r.status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "r"))
    results = valid_blocks(fake_slack.posts("response_url", "r")[0])
    ups, downs = slack_buttons(results, "feedback_up"), slack_buttons(results, "feedback_down")
    assert len(ups) == len(downs) == 3 and {b["text"]["text"] for b in ups} == {"👍"}   # one pair per person
    _, search_id, person_id, _ = ups[0]["value"].split("|")

    ack = valid_blocks(await press(slack_server, fake_slack, asker.slack_user_id, ups[0], "up1"))
    assert ack["replace_original"] is False and ack["response_type"] == "ephemeral"
    name = org.store.get_employee(person_id).display_name
    assert "👍 기록했어요" in flat(ack) and name in flat(ack)
    [vote] = org.store.votes()
    assert (vote.presser_id, vote.item_id, vote.search_id, vote.vote, vote.platform) == (
        asker.id, person_id, search_id, "up", "slack")
    assert "카프카" in vote.query
    audited = [e for e in org.store.list_audit() if e.action == "feedback_vote"]
    assert [(e.actor_id, e.shown_ids, e.details["vote"]) for e in audited] == [(asker.id, (person_id,), "up")]

    changed = await press(slack_server, fake_slack, asker.slack_user_id, downs[0], "down1")
    assert "👎로 바꿨어요" in flat(changed)
    assert [v.vote for v in org.store.votes()] == ["down"]          # the same vote, changed


async def test_an_employee_rates_an_opening_on_slack(slack_server, fake_slack, org):
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    me = backend_person(org)
    await deliver(slack_server, dm("what internal openings fit me?", me.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    listing = valid_blocks(fake_slack.posts("api", "chat.update")[-1])
    [down] = [b for b in slack_buttons(listing, "feedback_down") if b["value"].split("|")[1] == opening.id]
    ack = await press(slack_server, fake_slack, me.slack_user_id, down, "od")
    assert "👎 Noted" in flat(ack) and opening.id in flat(ack)
    assert org.store.vote_of(me.id, "opening", opening.id, "") == "down"


async def test_teams_thumbs_up_on_a_result_and_hr_records_the_move_with_the_filled_button(teams_server, connector,
                                                                                          org):
    asker = manager(org)
    status, _ = await send(teams_server, activity(connector, asker, type="message",
                                                  text="find-candidates backend engineer Kafka 3"))
    assert status == 202
    results = connector.cards()[-1]
    validate_adaptive_card(results)
    up = teams_actions(results, "feedback_up")[0]
    status, body = await send(teams_server, click(connector, asker, up))
    assert status == 200 and "👍 Noted" in body["value"]        # the clicked card stays; the note is a new message
    acknowledged = connector.cards()[-1]
    validate_adaptive_card(acknowledged)
    assert "👍 Noted" in flat(acknowledged)
    person_id = up["data"]["value"].split("|")[2]
    assert org.store.vote_of(asker.id, "person", person_id, up["data"]["value"].split("|")[1]) == "up"

    # The opening's HR admin: the JD card carries "Filled internally by…", offering the interested people.
    author, approver = hr_admins(org)[:2]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    mover = backend_person(org)
    org.router.openings.openings.express_interest(mover, opening.id)
    from handlers.feedback_buttons import filled_button
    press_filled = {"verb": "opening_filled", "data": {"action_id": "opening_filled",
                                                       "value": filled_button(opening.id, "en").value}}
    refused_status, refused = await send(teams_server, click(connector, asker, press_filled))
    assert refused_status == 200 and "Only HR admins" in refused["value"]
    status, body = await send(teams_server, click(connector, approver, press_filled))
    choice = connector.cards()[-1]
    validate_adaptive_card(choice)
    assert mover.display_name in flat(choice)
    [confirm] = teams_actions(choice, "opening_filled_confirm")
    status, body = await send(teams_server, click(connector, approver, confirm, filled_by=mover.id))
    validate_adaptive_card(body["value"])                        # the choice card is replaced by the record
    assert "moved into" in flat(body["value"])
    [outcome] = org.store.outcomes()
    assert (outcome.employee_id, outcome.opening_id, outcome.kind, outcome.via) == (mover.id, opening.id, "moved",
                                                                                    "button")


async def test_the_move_command_over_slack_for_hr_and_the_refusal_for_a_manager(slack_server, fake_slack, org):
    admin = hr_admins(org)[0]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND)
    mover = backend_person(org)
    await deliver(slack_server, dm(f"{mover.id} {opening.id} 이동 완료", manager(org).slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    assert "HR 관리자만" in flat(fake_slack.posts("api", "chat.update")[-1])
    assert org.store.outcomes() == []
    await deliver(slack_server, dm(f"moved {mover.id} {opening.id}", admin.slack_user_id))
    await slack_server.wait_for(lambda: len(fake_slack.posts("api", "chat.update")) >= 2)
    done = valid_blocks(fake_slack.posts("api", "chat.update")[-1])
    assert f"Recorded: {mover.display_name} ({mover.id}) moved into" in flat(done)
    assert [(o.employee_id, o.kind, o.recorded_by) for o in org.store.outcomes()] == [(mover.id, "moved", admin.id)]
    assert any(e.action == "mobility_moved" and e.actor_id == admin.id for e in org.store.list_audit())
    assert json.loads(json.dumps([o.__dict__ for o in org.store.outcomes()]))     # plain data, exportable


async def test_filled_internally_by_on_slack_is_a_select_whose_choice_is_recorded(slack_server, fake_slack, org):
    from tests.platform.fakes import block_action, message_state

    author, approver = hr_admins(org)[:2]
    opening = publish_opening(org, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    mover = backend_person(org)
    org.router.openings.openings.express_interest(mover, opening.id)
    await deliver(slack_server, dm(f"jd {opening.jd_id}", approver.slack_user_id))
    await slack_server.wait_for(lambda: fake_slack.posts("api", "chat.update"))
    jd_card = valid_blocks(fake_slack.posts("api", "chat.update")[-1])
    [filled] = slack_buttons(jd_card, "opening_filled")
    choice = valid_blocks(await press(slack_server, fake_slack, approver.slack_user_id, filled, "fill"))
    [confirm] = slack_buttons(choice, "opening_filled_confirm")
    body = block_action(confirm["action_id"], confirm["value"], approver.slack_user_id, fake_slack.base + "/hooks/rec",
                        state=message_state(choice["blocks"], filled_by=mover.id))
    async with slack_server.http.post(slack_server.url("/slack/events"), data=body, headers={**FORM, **sign(body)}) as r:
        assert r.status == 200
    await slack_server.wait_for(lambda: fake_slack.posts("response_url", "rec"))
    recorded = fake_slack.posts("response_url", "rec")[0]
    assert recorded["replace_original"] is True and "moved into" in flat(recorded)
    assert [(o.employee_id, o.via) for o in org.store.outcomes()] == [(mover.id, "button")]
