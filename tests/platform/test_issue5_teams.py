"""Issue 5 over real Teams HTTP: a resume file in a personal chat, Adaptive Card inputs sent back with Action.Execute,
and talent-chat answers that replace the message they started in. Activities are posted to /api/messages; what the
bot sends goes to the fake connector, which also serves the files' download URLs."""
import json
import re
import uuid

from tests.platform.schemas import validate_adaptive_card
from tests.resume_files import KOREAN_CONTACT, KOREAN_RESUME, pdf_bytes, too_large_bytes


def employee(org):
    return org.store.find_employee("E0003")        # a frontend developer, role employee


def manager(org):
    return org.store.find_employee("E0002")


def activity(connector, person, conversation_type="personal", **kw) -> dict:
    conversation = {"id": "a:conv-1" if conversation_type == "personal" else "19:channel@thread.tacv2",
                    "conversationType": conversation_type, "tenantId": "tid"}
    base = {"channelId": "msteams", "serviceUrl": connector.service_url, "id": f"act-{uuid.uuid4().hex[:8]}",
            "from": {"id": person.teams_user_id, "name": person.display_name},
            "recipient": {"id": "28:bot", "name": "Internal Hire"}, "conversation": conversation}
    base.update(kw)
    return base


def click(connector, person, action: dict, **inputs) -> dict:
    """An Action.Execute press: Teams sends the action's data merged with the card's input values."""
    return activity(connector, person, type="invoke", name="adaptiveCard/action",
                    value={"action": {"type": "Action.Execute", "verb": action["verb"],
                                      "data": {**action["data"], **inputs}}, "trigger": "manual"})


async def send(server, body):
    async with server.http.post(server.url("/api/messages"), json=body) as r:
        text = await r.text()
        return r.status, (json.loads(text) if text else None)


def actions(card: dict) -> dict:
    return {a["verb"]: a for block in card["body"] if block.get("type") == "ActionSet" for a in block["actions"]}


def inputs(card: dict) -> dict:
    return {e["id"]: e for e in card["body"] if e["type"].startswith("Input.")}


def flat(card: dict) -> str:
    return " ".join(json.dumps(card, ensure_ascii=False).split())


async def test_a_resume_in_a_personal_chat_gets_a_review_card_and_confirm_saves_the_edited_skills(
        teams_server, connector, org):
    me = employee(org)
    before = org.store.get_employee(me.id)
    message = activity(connector, me, type="message", text="",
                       attachments=[connector.file_attachment("이력서.pdf", pdf_bytes(KOREAN_RESUME))])
    status, _ = await send(teams_server, message)
    assert status == 202
    # downloaded once, and with no token: the URL is pre-authenticated, so nothing of ours is sent to it
    assert connector.file_requests == [("이력서.pdf", None)]
    review = connector.cards()[-1]
    validate_adaptive_card(review)
    assert connector.received[-1]["path"] == f"/amer/v3/conversations/a:conv-1/activities/{message['id']}"
    text = flat(review)
    assert "찾은 내용을 확인해 주세요" in text and "Kafka" in text and "정보처리기사" in text
    assert KOREAN_CONTACT["phone"] not in text and KOREAN_CONTACT["email"] not in text
    skills = inputs(review)["skills"]
    assert skills["type"] == "Input.Text" and skills["isMultiline"] is True and "Redis" in skills["value"]
    assert org.store.get_employee(me.id) == before

    edited = [line for line in skills["value"].splitlines() if not line.startswith("Redis")] + ["Go — beginner"]
    sent_before = len(connector.received)
    status, body = await send(teams_server, click(connector, me, actions(review)["resume_confirm"],
                                                  skills="\n".join(edited)))
    assert status == 200 and body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"     # the review card is replaced in place
    validate_adaptive_card(body["value"])
    assert "저장했어요" in flat(body["value"]) and "내 프로필" in flat(body["value"])
    assert len(connector.received) == sent_before
    stored = org.store.get_employee(me.id)
    assert {"kafka", "kubernetes", "golang"} <= set(stored.skill_ids) and "redis" not in stored.skill_ids
    assert connector.file_requests == [("이력서.pdf", None)]


async def test_a_file_in_a_channel_is_not_downloaded(teams_server, connector, org):
    me = employee(org)
    message = activity(connector, me, conversation_type="channel", type="message", text="my resume",
                       attachments=[connector.file_attachment("cv.pdf", pdf_bytes(KOREAN_RESUME))])
    await send(teams_server, message)
    assert connector.file_requests == []
    answer = flat(connector.cards()[-1])
    assert "direct message" in answer and "Input.Text" not in answer


async def test_a_file_over_10_mb_is_refused_with_the_limit(teams_server, connector, org):
    me = employee(org)
    message = activity(connector, me, type="message", text="",
                       attachments=[connector.file_attachment("big.pdf", too_large_bytes())])
    await send(teams_server, message)
    answer = flat(connector.cards()[-1])
    assert "big.pdf" in answer and "larger than 10 MB" in answer and "Nothing was saved" in answer


async def test_a_resume_bigger_than_one_network_read_arrives_whole(teams_server, connector, org):
    me = employee(org)
    long_resume = pdf_bytes(KOREAN_RESUME * 30)          # 90 pages, ~90 KB: more than one network read
    message = activity(connector, me, type="message", text="",
                       attachments=[connector.file_attachment("이력서.pdf", long_resume)])
    await send(teams_server, message)
    text = flat(connector.cards()[-1])
    assert "찾은 내용을 확인해 주세요" in text and "Input.Text" in text, text


async def test_profile_edit_in_teams_saves_the_input_values(teams_server, connector, org):
    me = employee(org)
    await send(teams_server, activity(connector, me, type="message", text="my profile"))
    profile = connector.cards()[-1]
    status, body = await send(teams_server, click(connector, me, actions(profile)["my_profile_edit"]))
    assert status == 200
    edit = body["value"]
    validate_adaptive_card(edit)
    fields = inputs(edit)
    assert set(fields) == {"skills", "summary", "education", "certifications", "languages"}
    values = {k: f["value"] for k, f in fields.items()}
    values["skills"] = "\n".join([line for line in values["skills"].splitlines() if not line.startswith("React")]
                                 + ["Rust — advanced"])
    values["certifications"] = "CKA"
    status, body = await send(teams_server, click(connector, me, actions(edit)["my_profile_save"], **values))
    assert status == 200 and "Saved" in flat(body["value"])
    stored = org.store.get_employee(me.id)
    assert "rust" in stored.skill_ids and "react" not in stored.skill_ids and stored.details.certifications == ["CKA"]


async def test_talent_chat_answer_replaces_the_message_it_started_in(teams_server, connector, org, monkeypatch):
    monkeypatch.setattr("bot.teams.app.UPDATE_INTERVAL", 0)     # every version is sent: no timing in the test
    boss = manager(org)
    message = activity(connector, boss, type="message", text="who knows Kafka in Seoul?")
    status, _ = await send(teams_server, message)
    assert status == 202
    posts = [r for r in connector.received if r["method"] == "POST"]
    assert len(posts) == 1 and posts[0]["path"].endswith(f"/activities/{message['id']}")
    first = posts[0]["body"]["attachments"][0]["content"]
    assert "Looking it up" in flat(first) and "Internal candidates" in flat(first)
    updates = connector.updates()
    assert len(updates) >= 2
    sent_id = f"sent-{connector.received.index(posts[0]) + 1}"     # the id the connector gave the first message
    assert {u["path"] for u in updates} == {f"/amer/v3/conversations/a:conv-1/activities/{sent_id}"}
    assert all(u["body"]["id"] == sent_id for u in updates)
    final = updates[-1]["body"]["attachments"][0]["content"]
    validate_adaptive_card(final)
    text = flat(final)
    assert "Answered offline" in text and "Profiles used" in text and "Internal candidates" in text
    cited = set(re.findall(r"\[(E\d{4})\]", text))
    assert cited and all(org.store.get_employee(eid).location.startswith("Seoul") for eid in cited)


async def test_talent_chat_in_a_channel_shows_nobody(teams_server, connector, org):
    boss = manager(org)
    await send(teams_server, activity(connector, boss, conversation_type="channel", type="message",
                                      text="who knows Kafka in Seoul?"))
    text = flat(connector.cards()[-1])
    assert "one-to-one chat" in text and "Internal candidates" not in text
    assert connector.updates() == []
