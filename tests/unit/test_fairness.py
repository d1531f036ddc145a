import pytest

from core.fairness import matching_text, redact_personal_details
from core.importer import ImportReport
from tests.conftest import person


def test_personal_detail_lines_and_identifiers_are_removed():
    resume = """김지우
생년월일: 1988년 3월 14일
성별: 여
결혼 여부: 기혼
국적: 대한민국
주소: 서울특별시 강남구 테헤란로 12
Phone: 010-1234-5678 | jiwoo.kim@corp.example
Photo: https://cdn.example/jiwoo.jpg
주민등록번호 880314-2345678
- 김지우는 Kafka 기반 결제 파이프라인 구축"""
    text = redact_personal_details(resume, ["김지우"])
    for secret in ("김지우", "1988", "성별", "기혼", "대한민국", "테헤란로", "010-1234-5678", "jiwoo", "880314",
                   "https://"):
        assert secret not in text
    assert "Kafka 기반 결제 파이프라인 구축" in text


def test_names_are_removed_as_words_without_damaging_skills():
    text = redact_personal_details("Park Seo Ng\nBuilt Spark and Django apps; SEO for Park Seo Ng's team\n"
                                   "Gender Female\nBorn 1990 in Busan, married with two kids, 34 years old\n"
                                   "고객 지원 업무 5년, 1990년생 기혼", ["Park Seo Ng"])
    assert "Spark" in text and "Django" in text and "SEO" in text       # skills that contain or equal a name part
    assert "Park Seo Ng" not in text and "Female" not in text and "1990" not in text and "married" not in text
    assert "34 years" not in text and "기혼" not in text
    assert "지원" in redact_personal_details("고객 지원 업무", ["이지원"])  # a given name that is also a word


def _profile(name, header):
    return f"""{name}
{header}
Senior backend engineer, 8 years.
- Built Kafka event pipelines for payments, 2M events a day
- Ran PostgreSQL and Redis in production on Kubernetes
Skills: Java, Spring Boot, Kafka"""


def test_changing_protected_attributes_does_not_move_the_score(empty_app):
    a_header = "Date of birth: 1979-01-02\nGender: Male\nMarital status: Married\nNationality: Korean\nAddress: 1 Main St, Busan"
    b_header = "DOB: 2001-12-30\nGender: Female\nMarital status: Single\nNationality: Vietnamese\nAddress: 99 Gangnam-daero, Seoul\nPhoto: me.jpg"
    report = ImportReport()
    empty_app.importer.upsert([person("E1", _profile("Kim Minsu", a_header), title="Backend Engineer", name="Kim Minsu"),
                               person("E2", "Marketing planner, brand campaigns and GA4 reports", title="Marketer")],
                              report)
    query = "backend engineer who knows Kafka and Kubernetes"
    before = empty_app.matching.search(query, limit=2).candidates[0]
    empty_app.importer.upsert([person("E1", _profile("Nguyen Thi Lan", b_header), title="Backend Engineer",
                                      name="Nguyen Thi Lan")], report)
    after = empty_app.matching.search(query, limit=2).candidates[0]
    assert before.employee_id == after.employee_id == "E1"
    assert after.display_name == "Nguyen Thi Lan"          # the change really happened
    assert before.score == after.score
    # Embedding one profile alone vs in a batch differs in the 7th decimal (float batching), nothing more.
    assert before.parts.semantic == pytest.approx(after.parts.semantic, abs=1e-5)
    assert (before.parts.lexical, before.parts.skills, before.parts.completeness) == \
        (after.parts.lexical, after.parts.skills, after.parts.completeness)
    # The text that is embedded and scored is byte-for-byte the same.
    assert matching_text("Backend Engineer", _profile("Kim Minsu", a_header), ["Kim Minsu"]) == \
        matching_text("Backend Engineer", _profile("Nguyen Thi Lan", b_header), ["Nguyen Thi Lan"])
    assert [m.evidence for m in before.matched] == [m.evidence for m in after.matched]


def test_protected_columns_in_an_import_are_dropped_and_reported(empty_app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,display_name,gender,birth_date,nationality,title,resume_text\n"
                    "E9,Lee,Female,1990-01-01,Korean,Analyst,SQL and Tableau dashboards\n", encoding="utf-8")
    report = empty_app.importer.import_path(path)
    assert report.added == 1
    assert {"gender", "birth_date", "nationality"} <= report.ignored_fields
    assert "1990" not in repr(empty_app.store.get_employee("E9"))
