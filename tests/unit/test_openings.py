"""Openings for employees through the router (the local chat's path): people search run in reverse, filters and
paging, "not for me", interest rules, closed openings, and access (an employee never sees another's profile)."""
import json
from dataclasses import replace

import pytest

from cards.slack import render_blocks
from cards.teams import render_adaptive_card
from cards.text import render_text
from core.domain import Employee, Role
from handlers.openings import openings_request
from handlers.requests import Request
from tests.openings_helpers import hr_admins, publish_opening
from tests.platform.schemas import validate_adaptive_card

BACKEND = ["5+ years building APIs with Java and Spring Boot", "Kafka and event streaming", "MySQL and Redis"]
DATA = ["Airflow and dbt pipelines", "Python and SQL", "Spark"]
MARKETING = ["Google Analytics", "Performance marketing campaigns", "SEO"]


def ask(app, actor, text="", **kw):
    reply = app.router.handle(Request(actor=actor, platform="local", text=text, **kw))
    return reply, render_text(reply.cards)[0]


def press(app, actor, button, **kw):
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value, **kw))


def first_person(app, query, role="employee"):
    page = app.matching.search(query, limit=20)
    return next(e for e in (app.store.get_employee(c.employee_id) for c in page.candidates) if e.role.value == role)


def button(reply, action_id, n=0):
    return [b for c in reply.cards for b in c.buttons if b.action_id == action_id][n]


@pytest.fixture
def org(demo_app):
    demo_app.backend = publish_opening(demo_app, "Senior Backend Engineer (Payments)", BACKEND)
    demo_app.data = publish_opening(demo_app, "Data Engineer", DATA, level="L3", family="9000001")
    demo_app.marketing = publish_opening(demo_app, "Performance Marketer", MARKETING, level="L3",
                                         company="marketon", family="1000187")
    return demo_app


def test_the_ranker_runs_in_reverse_each_person_sees_the_openings_that_fit_them_first(org):
    backend = first_person(org, "backend engineer Kafka Spring Boot Java")
    marketer = first_person(org, "performance marketing Google Analytics SEO")
    _, text = ask(org, backend, "what openings fit me?")
    assert text.index(org.backend.id) < text.index(org.data.id) and text.index(org.backend.id) < text.index(org.marketing.id)
    assert "✓ Apache Kafka" in text and "“" in text                 # their own evidence line
    _, text = ask(org, marketer, "나한테 맞는 공고 있어?")
    assert text.index(org.marketing.id) < text.index(org.backend.id)
    assert "나에게 맞는 사내 공고" in text

    # The fit is the search score: the opening's best candidates in people search fit it better than the others do.
    fits = {e: org.router.openings.openings.fit_of(org.store.get_employee(e), org.backend.id).score
            for e in (backend.id, marketer.id)}
    assert fits[backend.id] >= 55 and fits[backend.id] >= fits[marketer.id] + 10


def test_someone_without_a_profile_is_told_how_to_add_one_and_still_sees_every_opening_newest_first(org):
    me = org.store.get_employee(first_person(org, "backend engineer Kafka").id)
    assert org.store.clear_profile(me.id)
    _, text = ask(org, org.store.get_employee(me.id), "openings")
    assert "You have no profile yet" in text and "/upload" in text and "my profile" in text
    assert "newest first" in text and "/100" not in text
    assert all(o.id in text for o in (org.backend, org.data, org.marketing))


def test_filters_count_and_paging(org):
    for n in range(5):
        publish_opening(org, f"Backend Engineer {n}", BACKEND, level="L3")
    me = first_person(org, "backend engineer Kafka")
    reply, text = ask(org, me, "openings 3")
    assert "1–3 of 8 open openings" in text
    page2 = press(org, me, button(reply, "openings_page"))
    assert page2.replace_original and "4–6 of 8" in render_text(page2.cards)[0]
    _, text = ask(org, me, "openings level:L4+")
    assert org.backend.id in text and org.data.id not in text
    _, text = ask(org, me, "openings dept:marketon")
    assert org.marketing.id in text and org.backend.id not in text
    _, text = ask(org, me, 'openings dept:"Data engineer"')            # a job family's name
    assert org.data.id in text and org.backend.id not in text
    _, text = ask(org, me, "openings dept:Nowhere")
    assert "No open opening matches these filters" in text
    _, text = ask(org, me, "openings level:X9")
    assert "I could not use `level:X9`" in text


def test_not_for_me_hides_an_opening_from_the_list_and_from_alerts(org):
    me = first_person(org, "backend engineer Kafka")
    reply, _ = ask(org, me, "openings")
    dismiss = next(b for b in reply.cards[0].buttons if b.action_id == "opening_dismiss" and org.backend.id in b.value)
    after = press(org, me, dismiss)
    text = render_text(after.cards)[0]
    assert "Hidden: Senior Backend Engineer" in text and f"`{org.backend.id}`" not in text
    assert "1 marked “not for me” hidden" in text
    org.router.openings.openings.set_alerts(me, True)
    plans = {p.employee_id: p for p in org.router.openings.openings.alert_plans()}
    assert me.id not in plans or org.backend.id not in {f.opening.id for f in plans[me.id].fits}


def test_interest_needs_consent_and_a_closed_opening_takes_none(org):
    me = first_person(org, "backend engineer Kafka")
    reply, _ = ask(org, me, "openings")
    interest = next(b for b in reply.cards[0].buttons if b.action_id == "opening_interest" and org.backend.id in b.value)
    consent = press(org, me, interest)
    assert consent.notify == [] and org.store.interest(org.backend.id, me.id) is None
    confirm = button(consent, "opening_interest_confirm")
    recorded = press(org, me, confirm)
    assert [owner for owner, _ in recorded.notify] == [org.backend.opened_by]
    again = press(org, me, confirm)                                      # a second press tells nobody again
    assert again.notify == [] and "already told" in render_text(again.cards)[0]

    assert org.jd_service.workflow.set_opening_status(org.data.id, "closed", hr_admins(org)[1]).ok
    _, text = ask(org, me, "openings")
    assert org.data.id not in text
    closed = press(org, me, replace(interest, value=interest.value.replace(org.backend.id, org.data.id)))
    assert "has closed" in render_text(closed.cards)[0]


def test_an_employee_never_sees_another_employees_profile_and_only_owners_shortlist_from_interest(org):
    me = first_person(org, "backend engineer Kafka")
    others = {e.display_name for e in org.store.list_employees() if e.id != me.id}
    owners = {org.store.get_employee(o).display_name for o in (org.backend.opened_by,)}
    seen = []
    reply, text = ask(org, me, "openings 20")
    seen.append(text)
    seen.append(ask(org, me, "home")[1])
    seen.append(ask(org, me, "help")[1])
    consent = press(org, me, button(reply, "opening_interest"))
    seen.append(render_text(consent.cards)[0])
    shown = {name for name in others for page in seen if name and len(name) > 2 and name in page}
    assert shown <= owners                                          # only the owners' names, on the consent card

    recorded = press(org, me, button(consent, "opening_interest_confirm"))
    owner_card = recorded.notify[0][1][0]
    add = next(b for b in owner_card.buttons if b.action_id == "opening_shortlist")
    # Not the owner: another employee, or a manager who does not own the opening, is refused.
    stranger = first_person(org, "frontend React TypeScript")
    manager = next(e for e in org.store.list_employees() if e.role == Role.MANAGER)
    for who in (stranger, manager):
        refused = press(org, who, add)
        assert "Only the opening's owners" in render_text(refused.cards)[0]
        assert me.id not in org.store.shortlist(who.id)
    # Someone else's alert switch does nothing.
    toggle = button(reply, "openings_alerts_on")
    assert "not visible" in render_text(press(org, stranger, toggle).cards)[0].lower() or \
        "can't" in render_text(press(org, stranger, toggle).cards)[0].lower() or \
        not org.store.alerts_enabled(stranger.id)
    assert not org.store.alerts_enabled(me.id)


def test_openings_are_shown_only_in_a_private_chat(org):
    me = first_person(org, "backend engineer Kafka")
    _, text = ask(org, me, "openings", private=False)
    assert "direct, one-to-one chat" in text


@pytest.mark.parametrize("text", ["openings", "/openings", "what openings fit me?", "what internal openings fit me?",
                                  "사내 공고", "나한테 맞는 공고 있어?", "내게 맞는 사내 공고 있어?",
                                  "any roles matching my skills?", "I'm looking for a new role, anything open?",
                                  "저한테 어울리는 자리 있을까요?", "다른 팀으로 옮기고 싶은데 열린 포지션 있어?"])
def test_requests_for_openings_in_many_words(text):
    assert openings_request(text) is not None


@pytest.mark.parametrize("text", ["senior backend engineer who knows Kafka", "I need a Kafka engineer for my open role",
                                  "카프카 다룰 줄 아는 시니어 백엔드 개발자 찾아줘", "채용 공고 작성해줘", "공고 마감",
                                  "who knows Kafka in the Seoul office?", "backend role for my team"])
def test_searches_and_jd_requests_are_not_taken_for_openings(text):
    assert openings_request(text) is None


def test_help_speaks_to_the_role(org):
    employee = first_person(org, "backend engineer Kafka")
    manager = next(e for e in org.store.list_employees() if e.role == Role.MANAGER)
    hr = hr_admins(org)[0]
    assert "`openings`" in ask(org, employee, "help")[1] and "find-candidates" not in ask(org, employee, "help")[1]
    assert "find-candidates" in ask(org, manager, "help")[1] and "new jd" not in ask(org, manager, "help")[1]
    assert "new jd" in ask(org, hr, "help")[1]
    assert "사내 공고" in ask(org, employee, "도움말")[1]


def test_a_full_page_of_openings_fits_slack_and_teams(org):
    for n in range(20):
        publish_opening(org, f"Backend Engineer {n} " + "with a long title " * 5, BACKEND * 3, level="L3")
    me = first_person(org, "backend engineer Kafka")
    for lang_text in ("openings 20", "사내 공고 20"):
        reply, text = ask(org, me, lang_text)
        assert "1–10 of 23" in text or "23건 중 1–10" in text           # ten to a card, the rest a page away
        assert len(render_blocks(reply.cards)) <= 50
        card = render_adaptive_card(reply.cards)
        validate_adaptive_card(card)
        assert len(json.dumps(card, ensure_ascii=False).encode()) < 28 * 1024
    home = ask(org, hr_admins(org)[0], "home")[0]
    assert len(render_blocks(home.cards)) <= 50
    validate_adaptive_card(render_adaptive_card(home.cards))


def test_the_vectorised_ranker_scores_every_opening_as_the_plain_formula_does(org):
    """The ranker's arrays (one row per opening) give each opening the score of the formula written out opening by
    opening (IDF-weighted words of the opening found in the profile, required skills' credit, cosine), with the
    skills had and missing, best first and ties by id."""
    import numpy as np

    from core.gaps import held_skills, match_skill

    use_case = org.router.openings.openings
    publish_opening(org, "Backend Engineer", BACKEND[:2], level="L2")
    publish_opening(org, "Platform Engineer", ["Kubernetes and Terraform", "Go"], level="L4")
    infos = use_case.catalogue.open_openings()
    index = org.matching.index()
    for query in ("backend engineer Kafka Spring Boot Java", "performance marketing Google Analytics SEO"):
        person = org.store.get_employee(first_person(org, query).id)
        words, held, row = use_case._profile_terms(person), held_skills(person), index.row_of[person.id]
        lexical, skills = [], []
        for info in infos:
            weighted, total = use_case._weighted_terms(index, info)
            lexical.append(sum(w for t, w in weighted if t in words) / total if total > 0 else 0.0)
            credits = [match_skill(s, held, org.taxonomy).credit for s in info.required]
            skills.append(sum(credits) / len(credits) if credits else 0.0)
        cosine = use_case.catalogue.vectors(infos) @ index.vectors[row]
        parts = (cosine.astype(np.float32), np.array(lexical, np.float32), np.array(skills, np.float32),
                 float(index.completeness[row]), bool(index.thin[row]))
        final = np.where([bool(i.required) for i in infos], use_case._fuse(*parts, True), use_case._fuse(*parts, False))
        expected = {info.id: int(round(float(x))) for info, x in zip(infos, final)}

        ranked = use_case.rank(person, infos)
        assert {f.opening.id: f.score for f in ranked} == expected
        assert [(-f.score, f.opening.id) for f in ranked] == sorted((-f.score, f.opening.id) for f in ranked)
        assert len(set(expected.values())) > 1
        for fit in ranked:
            statuses = {s: match_skill(s, held, org.taxonomy).status for s in fit.opening.required}
            assert [h.skill_id for h in fit.have] == [s for s, st in statuses.items() if st != "missing"]
            assert list(fit.missing) == [s for s, st in statuses.items() if st == "missing"]


def test_the_alert_job_embeds_new_openings_before_anyone_asks(org):
    use_case = org.router.openings.openings
    assert use_case.warm() == 3                      # the three published by the fixture
    assert use_case.warm() == 0                      # once
    later = publish_opening(org, "Data Analyst", DATA, level="L2", family="9000001")
    assert use_case.warm() == 1
    assert later.id in use_case.catalogue._vectors
