"""Every entry shares the one request check: /find-candidates, free text and talent chat (offline and with Gemini),
gap analysis, compare and JD requests. A discriminatory request is refused with the rule, written to the audit log as
a refusal (never as a search), and offered its lawful rewording as a one-tap button; small talk gets role-aware help
and nothing is searched or audited; casual real requests still search."""
from __future__ import annotations

import shutil

import pytest

from cards.slack import render_blocks
from cards.teams import render_adaptive_card
from cards.text import render_text
from core.domain import Role
from handlers.guardrails import REWORD_ACTION
from handlers.requests import Request
from tests.conftest import make_app
from tests.gemini_fake import answer
from tests.unit.test_card_renderers import action_name, all_actions, all_executes, assert_valid_adaptive_card
from tests.unit.test_talent_chat import gemini_app  # noqa: F401  (the talent-chat app with a fake Gemini server)


def ask(app, actor, text, private=True):
    return app.router.handle(Request(actor=actor, platform="local", text=text, private=private))


def press(app, actor, button):
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value))


def flat(reply) -> str:
    cards = reply.cards
    for cards in reply.updates or ():
        pass
    return " ".join(" ".join(render_text(cards)[0].split()).split())


def reword_buttons(reply):
    return [b for card in reply.cards for b in card.buttons if b.action_id == REWORD_ACTION]


def audit_actions(app) -> list[str]:
    return [entry.action for entry in app.store.list_audit()]


@pytest.fixture
def people(demo_app):
    store = demo_app.store
    manager, hr_admin, employee = (store.find_employee(i) for i in ("E0002", "E0001", "E0003"))
    visible = [e for e in store.list_employees() if e.open_to_moves and e.id != manager.id and e.role == Role.EMPLOYEE]
    return manager, hr_admin, employee, visible


def test_a_discriminatory_search_is_refused_audited_as_a_refusal_and_the_rewording_searches(demo_app, people):
    manager = people[0]
    before = audit_actions(demo_app)
    reply = ask(demo_app, manager, "/find-candidates find candidates without any disabilities for the warehouse lead")
    text = flat(reply)
    assert "can't use that as a hiring criterion" in text.lower()
    assert "Disability or health cannot be a hiring criterion" in text and "Disability Discrimination Act" in text
    assert "describe the task" in text                                        # what to ask instead
    [button] = reword_buttons(reply)
    assert button.label.startswith("Search for: ") and "warehouse lead" in button.label
    after = demo_app.store.list_audit()
    assert audit_actions(demo_app) == before + ["refused"]                    # nothing was searched
    refusal = after[-1]
    assert refusal.details["category"] == "disability" and refusal.details["entry"] == "search"
    assert refusal.shown_ids == () and "disabilities" in refusal.query
    # one tap: the lawful wording runs as a search
    results = press(demo_app, manager, button)
    search = demo_app.store.list_audit()[-1]
    assert search.action == "search" and "disabilit" not in search.query and "warehouse lead" in search.query
    assert "Internal candidates for" in flat(results)


def test_a_korean_request_in_chat_is_refused_in_korean_with_the_law_and_a_korean_button(demo_app, people):
    manager = people[0]
    reply = ask(demo_app, manager, "30세 이하 백엔드 개발자만 찾아줘")
    text = flat(reply)
    assert "나이는 채용 기준이 될 수 없습니다" in text and "연령차별금지법" in text
    [button] = reword_buttons(reply)
    assert button.label.startswith("검색: ") and "백엔드 개발자" in button.label and "30" not in button.label
    entry = demo_app.store.list_audit()[-1]
    assert entry.action == "refused" and entry.details["entry"] == "chat" and entry.details["category"] == "age"


def test_a_request_with_nothing_lawful_left_explains_the_rule_without_a_button(demo_app, people):
    reply = ask(demo_app, people[0], "특정 지역 출신은 빼고 찾아줘")
    text = flat(reply)
    assert "출신 지역은 채용 기준이 될 수 없습니다" in text and "채용절차법" in text
    assert "역할과 필요한 역량" in text and reword_buttons(reply) == []
    assert "사내 채용만" not in text                                          # refused for its reason, not "off-topic"
    assert demo_app.store.list_audit()[-1].action == "refused"


def test_an_edited_button_value_is_checked_again(demo_app, people):
    manager = people[0]
    reply = ask(demo_app, manager, "young backend engineers")
    [button] = reword_buttons(reply)
    forged = type(button)(button.label, button.action_id, "search\t\tyoung backend engineers")
    text = flat(press(demo_app, manager, forged))
    assert "Age cannot be a hiring criterion" in text
    assert audit_actions(demo_app)[-2:] == ["refused", "refused"]


def test_gap_analysis_and_compare_share_the_check_and_their_buttons_run_the_same_entry(demo_app, people):
    manager, _, _, visible = people
    target = visible[0]
    reply = ask(demo_app, manager, f"gap for {target.id}: young backend lead")
    [button] = reword_buttons(reply)
    assert button.label.startswith("Gap analysis for: ") and "young" not in button.label
    assert demo_app.store.list_audit()[-1].details["entry"] == "gap"
    press(demo_app, manager, button)
    gap = demo_app.store.list_audit()[-1]
    assert gap.action == "gap_analysis" and gap.details["target"] == target.id and "young" not in gap.query

    reply = ask(demo_app, manager, f"compare {visible[0].id} and {visible[1].id} for team lead, the man preferred")
    assert "Sex or gender cannot be a hiring criterion" in flat(reply)
    [button] = reword_buttons(reply)
    assert demo_app.store.list_audit()[-1].details["entry"] == "compare"
    press(demo_app, manager, button)
    compared = demo_app.store.list_audit()[-1]
    assert compared.action == "compare" and set(compared.shown_ids) == {visible[0].id, visible[1].id}


def test_jd_requests_are_refused_the_same_way_and_audited(demo_app, people):
    hr_admin = people[1]
    reply = ask(demo_app, hr_admin, "custom jd: 한빛페이 20대 남자 백엔드 개발자, Kafka 필수")
    text = flat(reply)
    assert "나이는 채용 기준이 될 수 없습니다" in text and "한빛페이 백엔드 개발자, Kafka 필수" in text
    refusal = demo_app.store.list_audit()[-1]
    assert refusal.action == "refused" and refusal.details["entry"] == "jd_request"
    assert set(refusal.details["categories"]) == {"age", "sex"}


@pytest.mark.parametrize("text", ["오늘 점심 메뉴 추천해줘", "날씨 어때?", "주식 추천해줘", "/find-candidates 오늘 점심 메뉴 추천해줘",
                                  "how's the weather?", "thanks!", "let's grab lunch after the hiring sync"])
def test_small_talk_gets_role_aware_help_and_is_never_searched_or_audited(demo_app, people, text):
    manager, hr_admin, employee, _ = people
    before = audit_actions(demo_app)
    korean = any("가" <= c <= "힣" for c in text)
    manager_reply = flat(ask(demo_app, manager, text))
    assert ("사내 채용만 도와드려서" if korean else "only help with internal hiring") in manager_reply
    assert ("카프카" if korean else "Kafka") in manager_reply                 # what a manager can ask
    if not text.startswith("/"):
        assert ("JD 작성" if korean else "new jd") in flat(ask(demo_app, hr_admin, text))
        assert ("내 프로필" if korean else "my profile") in flat(ask(demo_app, employee, text))
    assert audit_actions(demo_app) == before


@pytest.mark.parametrize("text", ["카프카 하는 사람 있어?", "anyone good at excel?", "점심 먹고 백엔드 개발자 좀 찾아줘",
                                  "any SREs around?"])
def test_casual_real_requests_still_search(demo_app, people, text):
    ask(demo_app, people[0], text)
    assert demo_app.store.list_audit()[-1].action in ("search", "count")


def test_refusal_and_help_cards_render_on_slack_and_teams(demo_app, people):
    manager = people[0]
    refusal = ask(demo_app, manager, "30세 이하 백엔드 개발자만 찾아줘")
    help_reply = ask(demo_app, manager, "날씨 어때?")
    assert [action_name(a["action_id"]) for a in all_actions(render_blocks(refusal.cards))] == [REWORD_ACTION]
    adaptive = render_adaptive_card(refusal.cards)
    assert_valid_adaptive_card(adaptive)
    assert [a["verb"] for a in all_executes(adaptive)] == [REWORD_ACTION]
    assert render_blocks(help_reply.cards) and all_actions(render_blocks(help_reply.cards)) == []
    assert_valid_adaptive_card(render_adaptive_card(help_reply.cards))


# ---- with Gemini: the check runs before the model, and on the model's reading -----------------------------------------
def test_with_gemini_a_discriminatory_question_never_reaches_the_model(gemini_app, gemini_fake):
    manager = gemini_app.store.find_employee("E0002")
    gemini_fake.reset()
    for text in ("who are the young designers in Seoul?", "여자 개발자 중에 스프링 잘하는 사람 있어?", "오늘 점심 메뉴 추천해줘"):
        ask(gemini_app, manager, text)
    assert [r.action for r in gemini_fake.requests] == []                       # nothing was sent to Gemini
    assert audit_actions(gemini_app)[-2:] == ["refused", "refused"]


def test_with_gemini_a_criterion_the_model_reads_into_a_question_is_refused(gemini_app, gemini_fake):
    manager = gemini_app.store.find_employee("E0002")
    gemini_fake.enqueue(answer({"intent": "find", "role_text": "young backend engineer", "skills": ["Kotlin"]}))
    reply = ask(gemini_app, manager, "who would suit the backend squad's vibe?")
    text = flat(reply)
    assert "Age cannot be a hiring criterion" in text
    [button] = reword_buttons(reply)
    assert "young" not in button.value and "backend engineer" in button.value
    refusal = gemini_app.store.list_audit()[-1]
    assert refusal.action == "refused" and refusal.details["found_by"] == "interpretation"
    assert "search" not in audit_actions(gemini_app)[-1:]


def test_the_terminal_search_shares_the_check(demo_db, tmp_path, capsys):
    from bot.cli import main

    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    assert main(["search", "backend engineers under 30", "--data-dir", str(target), "--quiet"]) == 4
    err = capsys.readouterr().err
    assert "Age cannot be a hiring criterion" in err and "backend engineers" in err
    app = make_app(target)
    try:
        assert [e.action for e in app.store.list_audit()][-1:] == ["refused"]
    finally:
        app.close()
