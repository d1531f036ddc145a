import json
from collections import Counter

import pytest

from core.skills import SkillExtractor, load_taxonomy
from core.skills.taxonomy import DEFAULT_TAXONOMY_PATH
from core.text import squash

CATEGORIES = {"engineering", "data_ai", "devops_cloud", "security", "design", "product", "marketing", "finance", "hr",
              "sales", "operations", "legal", "customer_support", "management", "languages", "general"}


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def extractor(taxonomy):
    return SkillExtractor(taxonomy)


def test_taxonomy_is_large_bilingual_and_consistent():
    data = json.loads(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))["skills"]
    assert len(data) >= 500
    ids = [s["id"] for s in data]
    assert len(ids) == len(set(ids))
    per_category = Counter(s["category"] for s in data)
    assert set(per_category) <= CATEGORIES
    for needed in ("engineering", "data_ai", "design", "product", "marketing", "finance", "hr", "sales", "operations",
                   "legal"):
        assert per_category[needed] >= 15, needed
    for s in data:
        assert s["en"] and s["ko"], s["id"]
        assert all(r in ids and r != s["id"] for r in s["related"]), s["id"]
    owners: dict[str, str] = {}
    for s in data:
        for form in (s["en"], s["ko"], *s["aliases"]):
            key = squash(form)
            assert owners.setdefault(key, s["id"]) == s["id"], f"{form!r} belongs to {owners[key]} and {s['id']}"


@pytest.mark.parametrize("surface,skill", [
    ("쿠버네티스", "kubernetes"), ("k8s", "kubernetes"), ("Kubernetes", "kubernetes"), ("카프카", "kafka"),
    ("스프링 부트", "spring_boot"), ("스프링부트", "spring_boot"), ("Node.js", "nodejs"), ("퍼포먼스 마케팅", "performance_marketing"),
    ("K-IFRS", "k_ifrs"), ("채용", "recruiting"), ("Go-to-Market", "go_to_market"), ("C++", "cpp"),
])
def test_variants_in_both_languages_map_to_one_canonical_skill(taxonomy, surface, skill):
    assert taxonomy.lookup(surface) == skill


def test_korean_particles_and_inflections_do_not_hide_skills(extractor):
    found = extractor.extract_query("쿠버네티스를 운영했고 카프카와 스프링부트로 데이터를 분석하는 서비스를 만들었습니다")
    assert {"kubernetes", "kafka", "spring_boot", "data_analysis"} <= set(found)


def test_short_and_ambiguous_words_are_not_skills(extractor):
    assert extractor.extract_query("we go to the office and want to go home") == []
    assert "golang" in extractor.extract_query("backend in Golang")


def test_evidence_prefers_a_sentence_over_a_skills_list(extractor):
    resume = "Skills: Python, Kafka, Docker, Redis\n- Built Kafka consumers that process 2M payment events a day"
    kafka = next(s for s in extractor.extract(resume) if s.skill_id == "kafka")
    assert kafka.evidence == "Built Kafka consumers that process 2M payment events a day"


def test_related_links_exist(taxonomy):
    assert "docker" in taxonomy.related("kubernetes") or "helm" in taxonomy.related("kubernetes")
    assert taxonomy.name("kubernetes", "ko") == "쿠버네티스"


def test_job_headers_with_numeric_month_ranges_are_title_like():
    from core.skills.extractor import is_title_like

    # The livecareer format: "<title> 03/2002 to 12/2004 Company Name City, State" is a job header, not evidence.
    assert is_title_like("US Business Development Manager 03/2002 to 12/2004 Company Name City , State")
    assert is_title_like("Accountant 2019-03 to 2021-5")
    assert not is_title_like("Filed corporate tax returns for 40 clients from 2002 to 2004 across three states "
                             "and reconciled the ledgers every month")


def _evidence(extractor, resume: str) -> dict[str, str]:
    return {s.skill_id: s.evidence for s in extractor.extract(resume)}


def test_an_alias_with_a_second_meaning_needs_the_words_that_say_which(extractor):
    # "AR" next to AP is accounts receivable, not augmented reality; "SAP" alone is not the SAP FI/CO module;
    # "Oracle" beside other ERPs is not the database
    found = _evidence(extractor, "Handled the AP and AR ledgers for two plants\n"
                                 "Tools: Lotus, SAP, Access\nUsed PeopleSoft, Oracle and JD Edwards daily")
    assert "ar_vr" not in found and "erp_sap_fi" not in found and "oracle_db" not in found
    found = _evidence(extractor, "Built an AR try-on feature in Unity for the iOS app\n"
                                 "Closed the books in SAP FI and reported from SAP CO\n"
                                 "Tuned Oracle 12c database queries and PL/SQL packages")
    assert {"ar_vr", "erp_sap_fi", "oracle_db"} <= set(found)


def test_lines_about_other_people_or_wishes_are_not_evidence(extractor):
    found = _evidence(extractor, "Worked with the Payroll Department and the controllers on month-end\n"
                                 "Looking to start a new career in web development\n"
                                 "Acme Corp is a provider of software for corporate communications\n"
                                 "Encouraged students to use critical thinking in class discussions")
    assert not {"payroll", "web_development", "corporate_communications", "critical_thinking"} & set(found)
    found = _evidence(extractor, "Processed weekly payroll for 40 staff\nBuilt web development projects in React")
    assert {"payroll", "web_development"} <= set(found)


def test_a_network_error_is_not_communication_and_a_title_case_job_header_is_not_evidence(extractor):
    from core.skills.extractor import is_title_like

    found = _evidence(extractor, "Troubleshoot network port communication errors, replace cables, utilize TCP/IP tools")
    assert "communication" not in found
    assert _evidence(extractor, "Excellent written and verbal communication skills")["communication"]
    assert is_title_like("Events & Public Relations Leader Acme Group Springfield , State")
    assert not is_title_like("Lead Generation And Prospecting")


def test_a_korean_loanword_cut_short_by_the_analyser_does_not_index_an_everyday_word(extractor):
    # "채널톡" and "고언어" are cut to 채널 / 언어 by the analyser before it knows them: those words are not skills
    assert extractor.extract_query("디지털 채널용 영상 콘텐츠를 만들 사람, 프로그래밍 언어 두 개 이상") == []
    assert set(extractor.extract_query("채널톡 상담 운영, 고언어와 도커 경험")) >= {"helpdesk_software", "golang", "docker"}
