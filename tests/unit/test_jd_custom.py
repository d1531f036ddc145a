"""Custom JD requests offline: the brief the user confirms, then a queued job completed from templates."""
from __future__ import annotations

import pytest

from core.jd.guardrails import leaks
from core.jd.model import SECTIONS, JdDraft
from core.jd.service import JdService, UnknownPosting
from bot.adapters.storage import SqlStore


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    store = SqlStore.sqlite(tmp_path_factory.mktemp("custom") / "db.sqlite3")
    store.migrate()
    jd = JdService(store)
    imported, prepared = jd.load_demo()
    assert imported.companies_added == 3 and prepared.built == 20
    yield jd
    store.close()


def test_a_free_text_request_becomes_a_brief_to_confirm(service):
    brief = service.brief("한빛페이 시니어 백엔드 개발자, Kafka와 Kubernetes 경험 필수, 경력 7년 이상")
    assert brief.ready and (brief.company_id, brief.family, brief.level, brief.years) == ("hanbit-pay", "1000229",
                                                                                          "L4", 7)
    assert {"kafka", "kubernetes"} <= set(brief.skills) and brief.lang == "ko"
    english = service.brief("Pixel Forge junior QA engineer who can automate tests with Playwright")
    assert (english.company_id, english.family, english.level) == ("pixel-forge", "9000009", "L2")
    partial = service.brief("백엔드 개발자 공고 부탁해요")
    assert not partial.ready and partial.missing == ["company", "level"]
    chosen = service.brief("백엔드 개발자 공고 부탁해요", company_id="marketon", level="L3")
    assert chosen.ready and chosen.family == "1000229"
    refused = service.brief("한빛페이 20대 남자 백엔드 개발자")
    assert not refused.ready and refused.verdict.kind == "discriminatory" and refused.company_id == ""
    with pytest.raises(ValueError, match="discriminatory"):
        service.submit_custom(refused, "E0001")
    with pytest.raises(ValueError, match="missing company, level"):
        service.submit_custom(partial, "E0001")


def test_a_queued_custom_request_is_completed_offline_section_by_section(service):
    brief = service.brief("한빛페이 시니어 백엔드 개발자, Rust 경험 우대, 경력 7년 이상")
    job_id, position, eta = service.submit_custom(brief, "E0001")
    assert position == 1 and eta > 0
    job = service.offline_worker().run_once()
    assert job.id == job_id and job.status == "done" and job.requester == "E0001"
    assert list(job.progress["sections"]) == list(SECTIONS)             # reported as each section completed
    draft = JdDraft.from_dict(job.result["draft"])
    assert job.result["source"] == "template" and draft.style == "custom"
    assert "러스트 경험" in draft.preferred and any("7년 이상" in line for line in draft.requirements)
    assert leaks(draft, service.store.get_company("hanbit-pay")) == []
    untraced = [f for f in job.result["findings"] if f["kind"] == "untraced_skill"]
    assert untraced == []                                                # Rust came from the request itself
    assert service.queue.pending_notifications()[0].id == job_id


def test_offline_edits_through_the_service(service):
    change = service.update_posting("marketon-fe-2023-l2", "시니어로 바꾸고 TypeScript 필수")
    assert change.after.title == "프론트엔드 개발자 (시니어)" and change.after.level == "L4"
    assert change.after.summary.endswith("시니어 프론트엔드 개발자를 찾습니다.")
    assert "TypeScript 사용 경험" in change.after.requirements                    # was a nice-to-have: moved up
    assert "TypeScript 사용 경험" not in change.after.preferred
    assert {"op": "move", "value": "typescript", "section": "requirements"} in change.applied
    with pytest.raises(UnknownPosting):
        service.update_posting("nope", "L5")
    instant = service.instant_drafts("marketon", "1000187", "L3")
    rewrite = service.rewrite_section(instant.drafts[0], "preferred", "SQL 빼줘", material=instant.material)
    assert rewrite.understood and all("SQL" not in line for line in rewrite.after.preferred)
