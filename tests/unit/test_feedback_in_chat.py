"""The feedback loop through the router, as every platform calls it (the demo organisation, a real store): 👍 on a
Korean results card is acknowledged in Korean; the opening's JD card carries "Filled internally by…" for its HR admin,
whose choice is recorded once; the commands never swallow a search."""
from __future__ import annotations

from handlers.requests import Request
from tests.openings_helpers import hr_admins, publish_opening

BACKEND = ["5+ years building APIs with Java and Spring Boot", "Kafka and event streaming", "MySQL and Redis"]


def say(app, actor, text):
    return app.router.handle(Request(actor=actor, platform="local", text=text))


def press(app, actor, button, form=None):
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value, form=form or {}))


def test_a_korean_results_card_acknowledges_a_vote_in_korean_and_a_second_press_changes_it(demo_app):
    manager = demo_app.store.find_employee("E0002")
    card = say(demo_app, manager, "find-candidates 카프카 백엔드 개발자 3").cards[0]
    ups = [b for b in card.buttons if b.action_id == "feedback_up"]
    downs = [b for b in card.buttons if b.action_id == "feedback_down"]
    assert len(ups) == len(downs) == 3
    assert "기록했어요" in press(demo_app, manager, ups[1]).text
    assert "바꿨어요" in press(demo_app, manager, downs[1]).text
    [vote] = demo_app.store.votes()
    assert vote.vote == "down" and vote.platform == "local" and "카프카" in vote.query
    # someone else's card: refused, nothing stored
    other = demo_app.store.find_employee("E0001")
    assert "다른 사람의 검색" in press(demo_app, other, ups[0]).text          # the card's language
    assert len(demo_app.store.votes()) == 1


def test_the_jd_card_offers_filled_internally_by_to_hr_and_records_the_choice_once(demo_app):
    author, approver = hr_admins(demo_app)[:2]
    opening = publish_opening(demo_app, "Senior Backend Engineer (Payments)", BACKEND, author=author, approver=approver)
    mover = demo_app.store.find_employee("E0097")
    demo_app.router.openings.openings.express_interest(mover, opening.id)
    [approval] = demo_app.router.jd.approval_cards(opening.jd_id, "en")
    [filled] = [b for b in approval.buttons if b.action_id == "opening_filled"]
    assert filled.label == "Filled internally by…"
    manager = demo_app.store.find_employee("E0002")
    assert "Only HR admins" in press(demo_app, manager, filled).text
    choice = press(demo_app, approver, filled).cards[0]
    [field] = choice.inputs
    assert mover.id in dict(field.options)
    [confirm] = choice.buttons
    done = press(demo_app, approver, confirm, {field.id: mover.id})
    assert done.replace_original and f"{mover.display_name} ({mover.id}) moved into" in done.text
    again = say(demo_app, approver, f"{mover.id} {opening.id} 이동 완료")
    assert again.text.startswith("이미 기록되어 있어요")
    assert len(demo_app.store.outcomes()) == 1
    assert [e.action for e in demo_app.store.list_audit()].count("mobility_moved") == 1


def test_outcome_words_inside_a_search_are_still_a_search(demo_app):
    manager = demo_app.store.find_employee("E0002")
    reply = say(demo_app, manager, "find-candidates backend engineer who moved teams recently")
    assert any(b.action_id == "feedback_up" for c in reply.cards for b in c.buttons)
