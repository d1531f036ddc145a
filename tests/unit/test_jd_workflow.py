"""A JD from draft to internal opening: versions, HR-only decisions, second clicks and retries that change nothing."""
from __future__ import annotations

import threading

import pytest

from core.domain import Employee, Role
from core.jd.model import Company, JdAction, JdDraft, JdStatus, OpeningStatus, SensitiveEntity
from core.jd.workflow import JdWorkflow, Outcome
from bot.adapters.storage import SqlStore

AUTHOR = Employee("E0100", "김작성", role=Role.MANAGER)
HR = Employee("E0001", "박서연", role=Role.HR_ADMIN)
HR2 = Employee("E0002", "이인사", role=Role.HR_ADMIN)
EMPLOYEE = Employee("E0300", "최직원", role=Role.EMPLOYEE)


@pytest.fixture
def flow(tmp_path):
    store = SqlStore.sqlite(tmp_path / "wf.sqlite3")
    store.migrate()
    store.upsert_company(Company("hanbit-pay", "한빛페이", sensitive_entities=[
        SensitiveEntity("Project Aurora", "product", "차세대 결제 플랫폼"), SensitiveEntity("모네타")]))
    yield JdWorkflow(store)
    store.close()


def draft(**kw) -> JdDraft:
    base = dict(title="시니어 백엔드 개발자", summary="결제 플랫폼을 만듭니다.", responsibilities=["결제 API 설계"],
                requirements=["Kotlin 5년 이상"], company_id="hanbit-pay", family="1000229", level="L4",
                style="concise")
    base.update(kw)
    return JdDraft(**base)


def test_from_draft_to_an_open_internal_opening(flow):
    created = flow.create(draft(summary="Project Aurora의 결제 API를 만듭니다."), AUTHOR)
    jd = created.record
    assert created.ok and jd.status == JdStatus.DRAFT and jd.version == 1 and jd.owner_id == "E0100"
    assert jd.draft.summary == "차세대 결제 플랫폼의 결제 API를 만듭니다."                 # scrubbed before it is stored
    assert [f.text for f in created.findings] == ["Project Aurora"]
    edited = flow.edit(jd.id, 1, jd.draft.with_section("requirements", "- Kotlin 5년 이상\n- 모네타 운영 경험"), AUTHOR,
                       "added a requirement")
    assert edited.ok and edited.record.version == 2
    assert edited.record.draft.requirements == ["Kotlin 5년 이상"]                       # the sensitive item never lands
    assert flow.decide(jd.id, 2, "submit", AUTHOR).record.status == JdStatus.PENDING_APPROVAL
    approved = flow.decide(jd.id, 2, JdAction.APPROVE, HR)
    assert approved.ok and approved.record.status == JdStatus.APPROVED
    published = flow.publish(jd.id, 2, HR)
    assert published.ok and published.record.status == JdStatus.PUBLISHED
    opening = published.opening
    assert (opening.jd_id, opening.status, opening.opened_by, opening.title) == (jd.id, OpeningStatus.OPEN, "E0001",
                                                                                 "시니어 백엔드 개발자")
    retry = flow.publish(jd.id, 2, HR)                                                  # a Slack retry
    assert retry.outcome == Outcome.STALE and retry.opening == opening
    assert len(flow.store.list_openings()) == 1
    closed = flow.set_opening_status(opening.id, "closed", HR)
    assert closed.ok and closed.opening.status == OpeningStatus.CLOSED
    versions, decisions = flow.history(jd.id)
    assert [(v.version, v.editor_id, v.note) for v in versions] == [(1, "E0100", "created from the concise draft"),
                                                                     (2, "E0100", "added a requirement")]
    assert [(d.action, d.actor_id) for d in decisions] == [("submit", "E0100"), ("approve", "E0001"),
                                                           ("publish", "E0001"), ("close", "E0001")]
    assert all(d.at for d in decisions)


def test_only_hr_decides_and_rejections_need_a_reason(flow):
    jd = flow.create(draft(), AUTHOR).record
    flow.decide(jd.id, 1, "submit", AUTHOR)
    for who in (AUTHOR, EMPLOYEE, "E0001"):                      # a bare id carries no role: never HR
        assert flow.decide(jd.id, 1, "approve", who).outcome == Outcome.NOT_ALLOWED
    assert flow.publish(jd.id, 1, AUTHOR).outcome == Outcome.NOT_ALLOWED
    assert flow.decide(jd.id, 1, "reject", HR).outcome == Outcome.REASON_REQUIRED
    assert flow.decide(jd.id, 1, "request_changes", HR, "  ").outcome == Outcome.REASON_REQUIRED
    assert flow.decide(jd.id, 1, "submit", EMPLOYEE).outcome == Outcome.NOT_ALLOWED      # not theirs
    asked = flow.decide(jd.id, 1, "request_changes", HR, "연봉 범위를 빼 주세요")
    assert asked.ok and asked.record.status == JdStatus.CHANGES_REQUESTED
    assert flow.store.jd_decisions(jd.id)[-1].reason == "연봉 범위를 빼 주세요"
    assert flow.edit(jd.id, 1, draft(summary="수정"), EMPLOYEE).outcome == Outcome.NOT_ALLOWED
    assert flow.edit(jd.id, 1, draft(summary="수정했습니다."), AUTHOR).ok
    assert flow.decide(jd.id, 2, "submit", AUTHOR).ok
    rejected = flow.decide(jd.id, 2, "reject", HR2, "예산이 없습니다")
    assert rejected.ok and rejected.record.status == JdStatus.REJECTED
    assert flow.edit(jd.id, 2, draft(), AUTHOR).outcome == Outcome.NOT_EDITABLE
    assert flow.decide("missing", 1, "approve", HR).outcome == Outcome.NOT_FOUND
    with pytest.raises(ValueError, match="unknown action"):
        flow.decide(jd.id, 2, "bless", HR)


def test_a_card_from_before_an_edit_cannot_approve_the_new_text(flow):
    jd = flow.create(draft(), AUTHOR).record
    flow.decide(jd.id, 1, "submit", AUTHOR)
    flow.edit(jd.id, 1, draft(summary="승인 요청 뒤에 바꾼 문장입니다."), AUTHOR)           # while pending
    stale = flow.decide(jd.id, 1, "approve", HR)                                      # HR's card shows version 1
    assert stale.outcome == Outcome.STALE and stale.record.version == 2
    assert stale.record.status == JdStatus.PENDING_APPROVAL
    assert flow.decide(jd.id, 2, "approve", HR).ok


def test_simultaneous_clicks_and_retries_decide_once(flow):
    jd = flow.create(draft(), AUTHOR).record
    flow.decide(jd.id, 1, "submit", AUTHOR)
    results = []
    barrier = threading.Barrier(5)

    def click(actor, action, reason=""):
        barrier.wait()
        results.append(flow.approve_and_publish(jd.id, 1, actor) if action == "publish"
                       else flow.decide(jd.id, 1, action, actor, reason))

    threads = [threading.Thread(target=click, args=args) for args in (
        (HR, "publish"), (HR, "publish"), (HR2, "approve"), (HR2, "reject", "no"), (HR, "request_changes", "x"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.outcome == Outcome.STALE for r in results if not r.ok)
    decisions = flow.store.jd_decisions(jd.id)
    assert [d.action for d in decisions][0] == "submit"
    [decided] = [d for d in decisions if d.action in ("approve", "reject", "request_changes")]
    winners = [r for r in results if r.ok]
    # One decision wins. When it is HR2's bare approval, an "Approve and publish" that lost the race may still
    # finish the publication (as after an interrupted approval): that is the only second success allowed.
    assert len(winners) == 1 or (len(winners) == 2 and decided.action == "approve"
                                 and [d.action for d in decisions].count("publish") == 1)
    assert len(flow.store.list_openings()) <= 1


def test_an_approval_interrupted_before_publishing_is_finished_by_the_next_approve(flow):
    jd = flow.create(draft(), AUTHOR).record
    flow.decide(jd.id, 1, "submit", AUTHOR)
    assert flow.decide(jd.id, 1, JdAction.APPROVE, HR).ok            # the process stopped here, before publishing
    assert flow.store.opening_for_jd(jd.id) is None
    again = flow.approve_and_publish(jd.id, 1, HR2)
    assert again.ok and again.record.status == JdStatus.PUBLISHED and again.opening is not None
    assert flow.approve_and_publish(jd.id, 1, HR).outcome == Outcome.STALE
    assert len(flow.store.list_openings()) == 1


# ---- four eyes ---------------------------------------------------------------------------------------------------------
def test_nobody_approves_or_publishes_a_jd_they_wrote_or_edited(flow):
    jd = flow.create(draft(), HR).record                                   # written by an HR admin
    assert flow.decide(jd.id, 1, "submit", HR).ok
    assert flow.decide(jd.id, 1, "approve", HR).outcome == Outcome.OWN_WORK
    assert flow.approve_and_publish(jd.id, 1, HR).outcome == Outcome.OWN_WORK
    assert flow.store.get_jd(jd.id).status == JdStatus.PENDING_APPROVAL
    edited = flow.edit(jd.id, 1, draft(summary="HR2가 고친 문장입니다."), HR2)      # a colleague edits it while pending
    assert edited.ok and flow.authors(jd.id) == {"E0001", "E0002"}
    assert flow.approve_and_publish(jd.id, 2, HR2).outcome == Outcome.OWN_WORK  # ...and cannot approve it either
    hr3 = Employee("E0003", "정검토", role=Role.HR_ADMIN)
    published = flow.approve_and_publish(jd.id, 2, hr3)
    assert published.ok and published.opening.opened_by == "E0003"
    assert not any(flow.self_approved(d, flow.authors(jd.id)) for d in flow.store.jd_decisions(jd.id))


def test_the_author_may_withdraw_and_a_colleague_may_reject_but_the_author_never_approves(flow):
    jd = flow.create(draft(), HR).record
    flow.decide(jd.id, 1, "submit", HR)
    assert flow.decide(jd.id, 1, "withdraw", HR).ok                          # the author may take it back
    flow.decide(jd.id, 1, "submit", HR)
    assert flow.decide(jd.id, 1, "reject", HR2, "다음 분기에").ok
    assert flow.decide(jd.id, 1, "approve", HR).outcome == Outcome.OWN_WORK   # checked before the version


def test_self_approval_only_by_setting_and_then_visible(tmp_path):
    store = SqlStore.sqlite(tmp_path / "solo.sqlite3")
    store.migrate()
    store.upsert_company(Company("hanbit-pay", "한빛페이"))
    solo = JdWorkflow(store, allow_self_approval=True)
    jd = solo.create(draft(), HR).record
    solo.decide(jd.id, 1, "submit", HR)
    published = solo.approve_and_publish(jd.id, 1, HR)
    assert published.ok and published.record.status == JdStatus.PUBLISHED
    marked = [d.action for d in store.jd_decisions(jd.id) if solo.self_approved(d, solo.authors(jd.id))]
    assert marked == ["approve", "publish"]
    assert solo.approve_and_publish(jd.id, 1, EMPLOYEE).outcome == Outcome.NOT_ALLOWED    # still HR only
    store.close()
