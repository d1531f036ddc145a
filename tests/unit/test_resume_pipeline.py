"""Resume upload -> redaction -> extraction -> draft -> confirm, with real PDF and DOCX files."""
import json
from datetime import date

import pytest

from core.ai.offline import OfflineProvider
from core.ai.provider import AIError, ExtractedRole, ExtractedSkill, Generated, ResilientProvider, ResumeExtraction
from bot.adapters.documents import document_reader
from core.documents import DocumentError
from core.domain import Employee, SkillEvidence
from core.resume.pipeline import ADDED_BY_EMPLOYEE, DraftEditError, ResumePipeline, language_codes
from core.resume.redaction import redact_contact_details, redact_for_model
from core.skills import SkillExtractor, load_taxonomy
from tests import resume_files as files


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def extractor(taxonomy):
    return SkillExtractor(taxonomy)


@pytest.fixture(scope="module")
def offline(taxonomy, extractor):
    return OfflineProvider(extractor, taxonomy, today=date(2026, 11, 25))


class RecordingProvider:
    """Answers like the offline provider (or with a canned extraction) and keeps every text it was sent."""

    name = "recording"

    def __init__(self, inner=None, canned: ResumeExtraction | None = None, source: str = "offline"):
        self.inner, self.canned, self.source = inner, canned, source
        self.received: list[str] = []

    async def extract_resume(self, text, lang):
        self.received.append(text)
        if self.canned is not None:
            return Generated(self.canned, source=self.source, model="fake-model")
        return await self.inner.extract_resume(text, lang)


class FailingProvider:
    name = "gemini"

    async def extract_resume(self, text, lang):
        raise AIError("quota exceeded")


def run_now(awaitable):
    import asyncio

    return asyncio.run(awaitable)


def pipeline(provider, taxonomy, extractor):
    return ResumePipeline(provider, taxonomy, extractor, run=run_now, documents=document_reader())


def korean_employee():
    return Employee(id="E0100", display_name=files.KOREAN_NAME, email="jiwoo.kim@demo-corp.example", languages=["ko"])


def english_employee():
    return Employee(id="E0200", display_name=files.ENGLISH_NAME, languages=["en"])


# ---- contact redaction -----------------------------------------------------------------------------------------
def test_contact_details_become_placeholders_with_counts():
    text = """Email: jiwoo.kim88@mail.example, backup j.kim@corp.co.kr
휴대폰 010-4821-7730 / 010 4821 7730 / +82 10-4821-7730 / +82-(0)2-555-0134 / 02-555-0134 / (031) 712-3456
Tel: +1 (415) 555-0100, +65 9123 4567, +81 90-1234-5678
주민등록번호 880314-2345678, 마스킹 880314-2******
서울특별시 강남구 테헤란로 152, 101동 1203호
경기도 성남시 분당구 판교역로 235
221 Baker Street, London NW1 6XE
12 Teheran-ro, Gangnam-gu, Seoul"""
    redacted, counts = redact_contact_details(text)
    assert counts == {"email": 2, "phone": 9, "rrn": 2, "address": 4}
    for secret in ("jiwoo", "corp.co.kr", "4821", "555-0134", "712-3456", "415", "9123", "1234-5678", "880314",
                   "테헤란로", "1203호", "판교역로", "Baker", "Teheran"):
        assert secret not in redacted
    assert "[email]" in redacted and "[phone]" in redacted and "[rrn]" in redacted and "[address]" in redacted


def test_years_versions_amounts_and_skills_survive_redaction():
    text = ("Acme | Engineer | 2019-2021, 2018.01-2021.12, 2019.03 ~ 현재, Mar 2019 – Present, 2020-03-15\n"
            "Migrated Java 8 to Java 17; Python 3.11; Kafka 2.8; Spring Boot 3.2.1; v1.2.3; 192.168.0.1\n"
            "매출 1,200,000,000원 달성, 10,000 TPS, 99.99% 가용성, p99 120ms, 3.5억 원 절감\n"
            "도구 개발로 3배 개선, 크래시 프리 99.8% 유지, 연구 결과로 5건 특허\n"
            "Built 3 REST APIs for 12 Main services; ISO 27001; 1588 customers")
    redacted, counts = redact_contact_details(text)
    assert redacted == text and sum(counts.values()) == 0
    full, _ = redact_for_model(text, ["김지우"])
    for kept in ("2019-2021", "2018.01-2021.12", "2019.03 ~ 현재", "Java 17", "3.11", "Kafka 2.8", "1,200,000,000",
                 "99.8%", "3배", "12 Main services"):
        assert kept in full


def test_full_redaction_removes_names_and_protected_attributes_too():
    text = "\n".join(line for page in files.ENGLISH_RESUME for line in page)
    redacted, counts = redact_for_model(text, ["Someone Else"])   # the header name is found without being told
    assert "Emily" not in redacted and "Carter" not in redacted
    assert "British" not in redacted and "1990" not in redacted
    assert counts["personal_lines"] >= 2 and counts["email"] == 1 and counts["phone"] == 1
    assert "Apache Spark on Databricks" in redacted


# ---- analysis ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("filename, make", [
    ("이력서.pdf", lambda: files.pdf_bytes(files.KOREAN_RESUME)),
    ("이력서.docx", lambda: files.resume_docx_bytes(files.KOREAN_RESUME)),
])
def test_the_model_never_sees_contact_or_personal_details(filename, make, offline, taxonomy, extractor):
    provider = RecordingProvider(offline)
    draft = pipeline(provider, taxonomy, extractor).analyse(filename, make(), korean_employee(), "ko")
    [sent] = provider.received
    for secret in (*files.KOREAN_CONTACT.values(), "테헤란로", "4821", "880314", files.KOREAN_NAME, "1988", "성별"):
        assert secret not in sent
    assert draft.text == sent                          # what is stored is what the model saw
    assert draft.redactions["email"] == 1 and draft.redactions["phone"] == 1 and draft.redactions["rrn"] == 1
    assert draft.redactions["address"] == 1


def test_english_pdf_redacted_before_the_model(offline, taxonomy, extractor):
    provider = RecordingProvider(offline)
    pipeline(provider, taxonomy, extractor).analyse("cv.pdf", files.pdf_bytes(files.ENGLISH_RESUME),
                                                    english_employee(), "en")
    [sent] = provider.received
    for secret in (*files.ENGLISH_CONTACT.values(), "Emily", "Carter", "British", "1990-07-02", "5512"):
        assert secret not in sent
    assert "Databricks Certified Data Engineer Associate" in sent      # page 3 arrived


def test_korean_pdf_draft_has_skills_from_every_page_and_details(offline, taxonomy, extractor):
    draft = pipeline(offline, taxonomy, extractor).analyse("이력서.pdf", files.pdf_bytes(files.KOREAN_RESUME),
                                                           korean_employee(), "ko")
    skills = {s.skill_id: s for s in draft.skills}
    assert {"kafka", "kubernetes", "java", "spring_boot", "postgresql", "redis", "terraform"} <= set(skills)
    assert skills["kafka"].evidence == "카프카 기반 결제 이벤트 파이프라인 설계 및 구축, 일 2억 건 처리"
    assert skills["kafka"].proficiency == "advanced" and skills["terraform"].proficiency == "beginner"
    assert [(r.title, r.organisation, r.start, r.end) for r in draft.details.roles] == [
        ("시니어 백엔드 개발자", "데모코프", "2019-03", ""), ("백엔드 개발자", "블루웨이브핀테크", "2016-01", "2019-02")]
    assert draft.details.years_experience == 10.9
    # the graduation year is an age proxy: it never reaches the model or the profile (core/protected.py)
    assert draft.details.education == ["한양대학교 컴퓨터공학과 학사 졸업"]
    assert draft.details.certifications == ["정보처리기사", "AWS Certified Solutions Architect – Associate"]
    assert draft.languages == ["en", "ko"]              # stated English, and the resume is written in Korean
    assert (draft.source, draft.dropped, draft.unmapped) == ("offline", 0, [])


def test_english_docx_draft(offline, taxonomy, extractor):
    draft = pipeline(offline, taxonomy, extractor).analyse("cv.docx", files.resume_docx_bytes(files.ENGLISH_RESUME),
                                                           english_employee(), "en")
    skills = {s.skill_id: s for s in draft.skills}
    assert {"spark", "airflow", "dbt", "sql", "scala", "python"} <= set(skills)
    assert skills["airflow"].proficiency == "advanced" and skills["scala"].proficiency == "beginner"
    assert draft.details.roles[0].title == "Senior Data Engineer" and draft.details.roles[0].end == ""
    assert draft.details.certifications == ["Databricks Certified Data Engineer Associate"]
    assert draft.languages == ["en", "ko"]
    assert draft.details.summary.startswith("Senior Data Engineer with")


def test_hallucinated_evidence_is_dropped_and_unknown_skills_kept_apart(taxonomy, extractor):
    canned = ResumeExtraction(
        skills=[
            ExtractedSkill(name="Kafka", evidence="카프카 기반 결제 이벤트 파이프라인 설계 및 구축, 일 2억 건 처리",
                           proficiency="intermediate"),
            ExtractedSkill(name="카프카", evidence="- 카프카 기반 결제 이벤트 파이프라인 설계 및 구축,   일 2억 건 처리",
                           proficiency="expert"),                       # the same skill again: higher level kept
            ExtractedSkill(name="k8s", evidence="쿠버네티스 클러스터 운영 및 배포 자동화…", proficiency="advanced"),
            ExtractedSkill(name="Rust", evidence="Rust로 초고속 결제 엔진을 개발", proficiency="expert"),  # not in the resume
            ExtractedSkill(name="Go", evidence="", proficiency="expert"),                           # no evidence
            ExtractedSkill(name="Hyperledger Fabric", evidence="Redis 캐시 도입"),
        ],
        roles=[ExtractedRole(title="시니어 백엔드 개발자", organisation="데모코프", start="2019-03")],
        years_experience=10.5, education=["한양대학교 컴퓨터공학과 학사"], certifications=["정보처리기사", "정보처리기사"],
        languages=["English (TOEIC 905)", "한국어"], summary=f"{files.KOREAN_NAME}: 결제 백엔드 개발자")
    provider = RecordingProvider(canned=canned, source="gemini")
    draft = pipeline(provider, taxonomy, extractor).analyse("cv.pdf", files.pdf_bytes(files.KOREAN_RESUME),
                                                            korean_employee(), "ko")
    assert [(s.skill_id, s.proficiency) for s in draft.skills] == [("kafka", "expert"), ("kubernetes", "advanced")]
    assert draft.skills[0].evidence == "카프카 기반 결제 이벤트 파이프라인 설계 및 구축, 일 2억 건 처리"
    assert draft.dropped == 2
    assert draft.unmapped == ["Hyperledger Fabric"]
    assert draft.details.certifications == ["정보처리기사"]
    assert draft.languages == ["en", "ko"]
    assert files.KOREAN_NAME not in draft.details.summary            # a model-written summary is scrubbed too
    assert (draft.source, draft.model) == ("gemini", "fake-model")


def test_a_failing_model_falls_back_to_offline_and_says_why(offline, taxonomy, extractor):
    resilient = ResilientProvider(FailingProvider(), offline)
    draft = pipeline(resilient, taxonomy, extractor).analyse("cv.pdf", files.pdf_bytes(files.ENGLISH_RESUME),
                                                             english_employee(), "en")
    assert draft.source == "offline" and draft.note == "AIError: quota exceeded"
    assert "spark" in draft.skill_ids


@pytest.mark.parametrize("filename, make, message", [
    ("locked.pdf", lambda: files.encrypted_pdf_bytes(files.KOREAN_RESUME), "password-protected"),
    ("scan.pdf", files.image_only_pdf_bytes, "no text layer"),
    ("locked.docx", files.encrypted_docx_bytes, "password-protected"),
    ("old.hwp", lambda: b"HWP", "Hancom Office"),
    ("big.pdf", files.too_large_bytes, "the limit is 10 MB"),
    ("empty.txt", lambda: b"", "the file is empty"),
    ("contact.txt", lambda: "이름: 김지우\n010-4821-7730\njiwoo@mail.example".encode(), "no resume text"),
])
def test_unusable_files_raise_their_message_and_reach_no_model(filename, make, message, offline, taxonomy, extractor):
    provider = RecordingProvider(offline)
    with pytest.raises(DocumentError, match=message):
        pipeline(provider, taxonomy, extractor).analyse(filename, make(), korean_employee(), "ko")
    assert provider.received == []


def test_draft_survives_json_round_trip(offline, taxonomy, extractor):
    draft = pipeline(offline, taxonomy, extractor).analyse("cv.pdf", files.pdf_bytes(files.KOREAN_RESUME),
                                                           korean_employee(), "ko")
    stored = json.loads(json.dumps(draft.to_dict(), ensure_ascii=False))
    again = ResumePipeline.draft_from_dict(stored)
    assert again == draft
    assert again.details.roles[0].organisation == "데모코프"


# ---- editing and applying ------------------------------------------------------------------------------------------
@pytest.fixture
def draft(offline, taxonomy, extractor):
    return pipeline(offline, taxonomy, extractor).analyse("cv.pdf", files.pdf_bytes(files.KOREAN_RESUME),
                                                          korean_employee(), "ko")


def test_edits_return_a_new_draft(draft, offline, taxonomy, extractor):
    edit = pipeline(offline, taxonomy, extractor)
    fewer = edit.remove_skill(draft, "terraform")
    assert "terraform" not in fewer.skill_ids and "terraform" in draft.skill_ids
    more = edit.add_skill(fewer, "GraphQL, 도커")
    assert more.skill_ids[-2:] == ["graphql", "docker"]
    assert {s.evidence for s in more.skills[-2:]} == {ADDED_BY_EMPLOYEE}
    assert edit.add_skill(more, "kafka").skill_ids == more.skill_ids     # already there: unchanged
    levelled = edit.set_proficiency(more, "kafka", "Expert")
    assert next(s for s in levelled.skills if s.skill_id == "kafka").proficiency == "expert"


def test_edit_errors_name_the_problem(draft, offline, taxonomy, extractor):
    edit = pipeline(offline, taxonomy, extractor)
    with pytest.raises(DraftEditError) as caught:
        edit.add_skill(draft, "underwater basket weaving")
    assert caught.value.code == "unknown_skill" and "underwater basket weaving" in str(caught.value)
    with pytest.raises(DraftEditError) as caught:
        edit.set_proficiency(draft, "kafka", "godlike")
    assert caught.value.code == "bad_level" and "beginner, intermediate, advanced, expert" in str(caught.value)
    with pytest.raises(DraftEditError) as caught:
        edit.remove_skill(draft, "cobol")
    assert caught.value.code == "no_such_skill"


def test_apply_copies_the_draft_onto_a_copy_of_the_employee(draft, offline, taxonomy, extractor):
    employee = korean_employee()
    employee.skills = [SkillEvidence("excel", "old resume line")]
    updated = pipeline(offline, taxonomy, extractor).apply(employee, draft)
    assert employee.skill_ids == ["excel"] and employee.resume_text == ""       # the original is untouched
    assert updated.resume_text == draft.text and files.KOREAN_CONTACT["phone"] not in updated.resume_text
    assert [(s.skill_id, s.proficiency) for s in updated.skills] == [(s.skill_id, s.proficiency) for s in draft.skills]
    assert updated.details == draft.details and updated.details is not draft.details
    assert updated.languages == ["ko", "en"]
    with pytest.raises(ValueError):
        pipeline(offline, taxonomy, extractor).apply(english_employee(), draft)


def test_analyse_writes_nothing_and_confirm_saves_the_confirmed_profile(empty_app, offline):
    from tests.conftest import person
    from core.importer import ImportReport

    empty_app.importer.upsert([person("E0100", "", title="Backend Engineer", name=files.KOREAN_NAME)], ImportReport())
    me = empty_app.store.get_employee("E0100")
    before = (empty_app.store.data_version(), me)
    edit = ResumePipeline(offline, empty_app.taxonomy, empty_app.extractor, run=run_now,
                          documents=document_reader())
    draft = edit.analyse("이력서.pdf", files.pdf_bytes(files.KOREAN_RESUME), me, "ko")
    assert (empty_app.store.data_version(), empty_app.store.get_employee("E0100")) == before
    draft = edit.set_proficiency(edit.add_skill(draft, "GraphQL"), "kafka", "expert")
    empty_app.importer.save_confirmed(edit.apply(me, draft))
    saved = empty_app.store.get_employee("E0100")
    assert ("kafka", "expert") in [(s.skill_id, s.proficiency) for s in saved.skills]
    assert ("graphql", ADDED_BY_EMPLOYEE) in [(s.skill_id, s.evidence) for s in saved.skills]
    assert saved.details.certifications == draft.details.certifications
    assert files.KOREAN_CONTACT["email"] not in saved.resume_text
    top = empty_app.matching.search("카프카 쿠버네티스 백엔드 개발자", limit=1).candidates[0]
    assert top.employee_id == "E0100"


def test_language_codes_from_names_and_codes():
    assert language_codes(["English (TOEIC 900)", "한국어 (원어민)", "ja", "JLPT N1", "Klingon"]) == ["en", "ko", "ja"]
