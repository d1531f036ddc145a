"""The platform-neutral handlers on the demo organisation: roles, privacy, language, buttons, audit."""
from cards.text import render_text
from core.domain import Role
from handlers.requests import Request


def users(app):
    people = app.store.list_employees()
    return (next(e for e in people if e.role == Role.HR_ADMIN),
            next(e for e in people if e.role == Role.MANAGER),
            next(e for e in people if e.role == Role.EMPLOYEE))


def ask(app, actor, text, **kw):
    return app.router.handle(Request(actor=actor, platform="local", text=text, **kw))


def press(app, actor, button):
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value))


def card_text(reply):
    return render_text(reply.cards)[0]


def test_employee_gets_a_polite_refusal_in_their_language(demo_app):
    _, _, employee = users(demo_app)
    reply = ask(demo_app, employee, "find-candidates backend engineer Kafka")
    assert "managers and HR only" in card_text(reply) and reply.ephemeral
    reply = ask(demo_app, employee, "후보 찾기 카프카 백엔드 개발자")
    assert "관리자와 HR 담당자만" in card_text(reply)
    assert not demo_app.store.list_audit()       # nothing was searched, nothing shown


def test_manager_sees_only_people_open_to_moves_and_hr_sees_everyone(demo_app):
    hr, manager, _ = users(demo_app)
    query = "find-candidates backend engineer who knows Kafka 20"
    ask(demo_app, manager, query)
    ask(demo_app, hr, query)
    mgr_entry, hr_entry = demo_app.store.list_audit()[-2:]
    shown_to_manager = demo_app.store.get_employees(list(mgr_entry.shown_ids))
    assert len(shown_to_manager) == 20 and all(e.open_to_moves for e in shown_to_manager.values())
    assert manager.id not in shown_to_manager
    shown_to_hr = demo_app.store.get_employees(list(hr_entry.shown_ids))
    assert any(not e.open_to_moves for e in shown_to_hr.values())
    assert mgr_entry.actor_id == manager.id and mgr_entry.query == "backend engineer who knows Kafka"


def test_results_card_explains_each_candidate_and_answers_in_korean(demo_app):
    _, manager, _ = users(demo_app)
    reply = ask(demo_app, manager, "find-candidates 카프카 다룰 줄 아는 시니어 백엔드 개발자")
    text = card_text(reply)
    assert "사내 후보자" in text and "요청 스킬: 카프카" in text
    assert "✓ 카프카" in text or "✓ **카프카" in text or "카프카" in text
    assert "상세 보기" in text and "관심 후보 추가" in text and "다음 페이지" in text
    first = reply.cards[0]
    assert len([b for b in first.buttons if b.action_id == "details"]) == 5


def test_details_shortlist_and_next_page_update_the_card_in_place(demo_app):
    _, manager, _ = users(demo_app)
    reply = ask(demo_app, manager, "find-candidates performance marketing GA4 3")
    buttons = reply.cards[0].buttons
    first_ids = [b.value.split(":")[1] for b in buttons if b.action_id == "details"]
    assert len(first_ids) == 3
    details = press(demo_app, manager, buttons[0])
    assert details.replace_original
    text = card_text(details)
    assert "Skills with evidence" in text and "“" in text and "Hide details" in text
    assert text.count("Skills with evidence") == 1                  # only the pressed candidate is expanded
    hidden = press(demo_app, manager, next(b for b in details.cards[0].buttons if b.action_id == "hide_details"))
    assert "Skills with evidence" not in card_text(hidden)
    shortlist_button = next(b for b in buttons if b.action_id == "shortlist")
    shortlisted = press(demo_app, manager, shortlist_button)
    assert shortlisted.replace_original and "(1 on it now)" in card_text(shortlisted)
    assert "✓ Shortlisted" in card_text(shortlisted)
    again = press(demo_app, manager, shortlist_button)
    assert "already" in card_text(again)
    page2 = press(demo_app, manager, next(b for b in buttons if b.action_id == "next_page"))
    assert page2.replace_original
    second_ids = [b.value.split(":")[1] for b in page2.cards[0].buttons if b.action_id == "details"]
    assert len(second_ids) == 3 and not set(first_ids) & set(second_ids)
    assert "Showing 4–6" in card_text(page2)
    actions = [e.action for e in demo_app.store.list_audit() if e.action != "redraw"]
    assert actions == ["search", "details", "shortlist", "next_page"]
    details_entry = next(e for e in demo_app.store.list_audit() if e.action == "details")
    assert details_entry.shown_ids == (first_ids[0],)                 # the details entry names the person
    assert "your shortlist" in card_text(ask(demo_app, manager, "shortlist")).lower()


def test_someone_elses_buttons_do_nothing(demo_app):
    hr, manager, _ = users(demo_app)
    reply = ask(demo_app, manager, "find-candidates data engineer Airflow")
    stolen = press(demo_app, hr, reply.cards[0].buttons[0])
    assert "someone else's search" in card_text(stolen)


def test_manager_cannot_open_a_profile_that_is_not_open_to_moves(demo_app):
    hr, manager, _ = users(demo_app)
    closed = next(e for e in demo_app.store.list_employees() if not e.open_to_moves)
    reply = ask(demo_app, manager, "find-candidates engineer")
    button = reply.cards[0].buttons[0]
    search_id = button.value.split(":")[0]
    forged = type(button)(button.label, "details", f"{search_id}:{closed.id}:0")
    assert "not available" in card_text(press(demo_app, manager, forged))


def test_empty_or_unclear_input_gets_help_with_examples(demo_app):
    _, manager, _ = users(demo_app)
    for text in ("find-candidates", "", "help"):
        reply = ask(demo_app, manager, text)
        assert "Examples" in card_text(reply)
    reply = ask(demo_app, manager, "hmm?")
    assert "could not tell" in card_text(reply)
    assert "예시" in card_text(ask(demo_app, manager, "도움말"))
    bad = ask(demo_app, manager, "find-candidates designer level:senior")
    assert "level:senior" in card_text(bad) and "Examples" in card_text(bad)


def test_free_text_role_request_is_a_search(demo_app):
    _, manager, _ = users(demo_app)
    reply = ask(demo_app, manager, "쿠버네티스 운영 경험 있는 데브옵스 엔지니어 찾아줘")
    assert "사내 후보자" in card_text(reply)


def test_unknown_user_gets_a_clear_message(demo_app):
    reply = demo_app.router.handle(Request(actor=None, platform="slack", text="find-candidates kafka"))
    assert "could not find you in the employee directory" in card_text(reply)


def test_internal_errors_never_reach_the_user(demo_app, monkeypatch):
    _, manager, _ = users(demo_app)

    def boom(*a, **k):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(demo_app.matching, "search", boom)
    reply = ask(demo_app, manager, "find-candidates kafka engineer")
    text = card_text(reply)
    assert "Something went wrong" in text and "database on fire" not in text and "Traceback" not in text


def test_filters_reach_the_search(demo_app):
    hr, _, _ = users(demo_app)
    reply = ask(demo_app, hr, 'find-candidates engineer dept:"Data & AI" 8')
    shown = demo_app.store.list_audit()[-1].shown_ids
    people = demo_app.store.get_employees(list(shown))
    assert len(people) == 8 and {e.department for e in people.values()} == {"Data & AI"}
    assert "Showing 1–8" in card_text(reply)


def test_an_unknown_department_is_named_with_suggestions(demo_app):
    hr, _, _ = users(demo_app)
    text = card_text(ask(demo_app, hr, "find-candidates engineer dept:Narnia"))
    assert "no department called Narnia" in text and "Data & AI" in text
