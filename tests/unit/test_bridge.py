"""One request, the same people, in either language: the occupation lexicon, the request bridge, the
language-neutral profile summary, and what search does with them."""
import json
import time

import pytest

from core.matching.bridge import RequestBridge, years_of_experience
from core.skills import SkillExtractor, load_taxonomy
from core.skills.occupations import DEFAULT_OCCUPATIONS_PATH, load_occupations
from core.text import squash
from tests.conftest import person

# Every job family of the real dev set (livecareer's 24 categories) and of the demo organisation.
FAMILIES = {"legal", "healthcare", "education", "sales", "hospitality", "construction", "aviation", "finance",
            "banking", "design", "arts", "agriculture", "apparel", "automotive", "customer_service", "consulting",
            "engineering", "fitness", "hr", "it", "marketing", "media", "operations", "product", "management"}


@pytest.fixture(scope="module")
def bridge():
    taxonomy = load_taxonomy()
    SkillExtractor(taxonomy)      # teaches the analyser the skills' Korean compounds, as the product does
    return RequestBridge(taxonomy, load_occupations())


def test_the_lexicon_covers_every_job_family_in_both_languages_without_ambiguous_forms():
    data = json.loads(DEFAULT_OCCUPATIONS_PATH.read_text(encoding="utf-8"))
    occupations = data["occupations"]
    assert {o["family"] for o in occupations} >= FAMILIES
    assert len({o["id"] for o in occupations}) == len(occupations) >= 100
    owner = {}
    for o in occupations:
        assert o["en"] and o["ko"] and o["terms_en"] and o["terms_ko"], o["id"]
        for form in (o["en"], o["ko"], *o["aliases"]):
            assert owner.setdefault(squash(form), o["id"]) == o["id"], f"{form} names two occupations"
    assert len(data["vocabulary"]) >= 150 and all(g["en"] and g["ko"] for g in data["vocabulary"])


@pytest.mark.parametrize("en, ko, role", [
    ("construction site superintendent for commercial projects", "상업 건축 현장을 책임질 현장 소장", "site_superintendent"),
    ("nurse with patient care experience in a hospital", "병원에서 환자 간호 경험이 있는 간호사", "nurse"),
    ("aircraft mechanic who knows FAA inspections", "FAA 점검을 아는 항공기 정비사", "aircraft_mechanic"),
    ("head chef to run our kitchen", "주방을 맡을 주방장", "chef"),
    ("litigation attorneys", "소송 담당 변호사", "lawyer"),
    ("farmers who grow crops", "작물을 재배하는 농부", "farm_manager"),
    ("senior backend developer who knows Kafka", "카프카 다룰 줄 아는 시니어 백엔드 개발자", "backend_engineer"),
    ("teachers for our elementary classrooms", "초등학교 교사", "teacher"),
])
def test_a_request_and_its_translation_name_the_same_role_and_share_their_words(bridge, en, ko, role):
    a, b = bridge.bridge(en), bridge.bridge(ko)
    assert role in a.roles and role in b.roles
    assert set(a.terms()) & set(b.terms()), "no word in common across the languages"
    # the Korean request reaches English resumes' words and the English one Korean resumes' words
    assert any(t.isascii() for t in b.terms()) and any(not t.isascii() for t in a.terms())


def test_the_same_intent_gives_the_same_language_neutral_text(bridge):
    assert (bridge.bridge("senior backend engineer who knows Kafka").canonical
            == bridge.bridge("카프카 다룰 줄 아는 시니어 백엔드 개발자").canonical)
    assert bridge.bridge("병원 간호사").canonical == bridge.bridge("hospital nurse").canonical


def test_hostile_requests_are_bridged_quickly_and_safely(bridge):
    bridge.bridge("회계")     # loads the Korean analyser (2-3 CPU-s, once per process), which is not what is timed here
    for text in ("", "   ", "🙂🙂🙂", "'; DROP TABLE employees; --", "=cmd|' /C calc'!A0", "\x00\x01binary\xff",
                 "a" * 5000, "회계 " * 2000):
        started = time.perf_counter()
        result = bridge.bridge(text)
        assert time.perf_counter() - started < 5
        assert len(result.term_groups) <= 2000
    assert bridge.bridge("").canonical == "" and bridge.bridge("").term_groups == ()


def test_years_of_experience_are_read_in_both_languages_but_not_from_ages():
    assert years_of_experience("Accountant with 12 years of experience in audit") == 12
    assert years_of_experience("경력 7년의 백엔드 개발자") == 7
    assert years_of_experience("5년 이상 경력") == 5
    assert years_of_experience("a 45-year-old engineer") is None
    assert years_of_experience("Class of 1994") is None


def test_the_summary_is_language_neutral(bridge):
    from core.text import tokenize_lines

    def summary(text, title):
        lines = [title] + text.splitlines()
        return bridge.profile_summary(lines, tokenize_lines(lines), ["kafka"], title)

    en = summary("Backend engineer with 7 years of experience\nBuilt the payment server", "Backend Engineer")
    ko = summary("경력 7년 백엔드 개발자\n결제 서버 개발", "백엔드 개발자")
    assert en.isascii() and ko.isascii()
    assert "backend engineer" in en and "backend engineer" in ko and "Apache Kafka" in en and "7 years" in ko


def test_a_korean_request_finds_english_resumes_of_that_occupation_and_the_same_people_as_english(empty_app):
    people = [
        person("N1", "Registered nurse. Patient care on a busy hospital ward, medication and charting.", title="Nurse"),
        person("N2", "Charge nurse: triage, patient education and care plans at a county hospital.", title="RN"),
        person("C1", "Line cook and sous chef. Ran the kitchen, menu planning and food safety.", title="Chef"),
        person("A1", "Aircraft mechanic: airframe inspections and engine repair to FAA standards.", title="A&P"),
        person("K1", "병원 병동에서 환자 간호와 투약 관리를 맡은 간호사입니다.", title="간호사"),
        person("L1", "Attorney handling litigation and court hearings for corporate clients.", title="Lawyer"),
    ]
    from core.importer import ImportReport

    empty_app.importer.upsert(people, ImportReport())
    ko = [c.employee_id for c in empty_app.matching.search("병원에서 환자를 돌볼 간호사", limit=3).candidates]
    en = [c.employee_id for c in empty_app.matching.search("hospital nurse for patient care", limit=3).candidates]
    assert set(ko) == set(en) == {"N1", "N2", "K1"}
    chef = empty_app.matching.search("주방을 맡을 셰프", limit=1).candidates[0]
    assert chef.employee_id == "C1"


def test_a_role_named_only_in_several_words_is_searched_by_its_main_activity_in_both_languages(bridge):
    # "HR Generalist"/"인사 담당자" have no one-word name: the role's lexical group is its main activity, and it must
    # hold the English words too, or an English request would look for the Korean word alone.
    en, ko = bridge.bridge("an HR generalist to handle recruiting"), bridge.bridge("채용을 맡을 인사 담당자")
    group = next(g for g in en.term_groups if "인사" in g)
    assert "resources" in group and group in ko.term_groups


def test_a_korean_compound_the_analyser_keeps_whole_in_a_sentence_is_still_found(bridge):
    # alone 헬프데스크 splits into 헬프 데스크; inside a sentence (헬프데스크를) it stays one token
    assert "it_support" in bridge.bridge("서버와 헬프데스크를 관리할 사람").roles


def test_an_english_and_a_korean_hr_request_find_the_same_people(empty_app):
    people = [
        person("H1", "Human resources generalist: recruiting, onboarding and employee relations for 300 staff.",
               title="HR Generalist"),
        person("H2", "Human resources coordinator. Benefits enrollment, new hire onboarding, HR policies.",
               title="HR Coordinator"),
        person("S1", "Sales representative closing deals with enterprise customers and growing accounts.",
               title="Account Executive"),
        person("T1", "Elementary teacher planning lessons and managing a classroom of 25 students.", title="Teacher"),
        person("F1", "Financial analyst: budgeting, forecasting and variance analysis.", title="Analyst"),
    ]
    from core.importer import ImportReport

    empty_app.importer.upsert(people, ImportReport())
    en = [c.employee_id for c in empty_app.matching.search("an HR generalist for our people team", limit=2).candidates]
    ko = [c.employee_id for c in empty_app.matching.search("인사 담당자를 찾습니다", limit=2).candidates]
    assert set(en) == set(ko) == {"H1", "H2"}


def test_the_lexical_query_keeps_what_both_languages_share(bridge):
    en = bridge.bridge("an aircraft maintenance technician familiar with FAA regulations and hangar paperwork")
    ko = bridge.bridge("FAA 규정을 잘 아는 항공기 정비사")
    # a word of one language only would find resumes of that language only; a name or acronym is the same in both
    assert ("faa",) in en.shared_groups() and ("faa",) in ko.shared_groups()
    assert ("paperwork",) in en.term_groups and ("paperwork",) not in en.shared_groups()
    assert all(len(g) > 1 or g == ("faa",) for g in ko.shared_groups())
    # nothing bridged: the request's own words are all there is
    odd = bridge.bridge("zorblax quuxification")
    assert odd.shared_groups() == list(odd.term_groups) and odd.term_groups


def test_close_deals_is_sales_work_not_the_accounting_close(bridge):
    en, ko = bridge.bridge("a salesperson who can close deals"), bridge.bridge("계약을 성사시킬 영업 사원")
    assert "close deals" in en.words and "close deals" in ko.words and "close" not in en.words


def test_no_lexicon_term_is_a_one_syllable_fragment_of_a_longer_korean_word(bridge):
    # 손님 splits into 손 (hand) + 님 (any honorific); a customer request must not look for every "님" in a resume
    lexicon = bridge.lexicon
    written = {k: {w for w in (*g.en, *g.ko)} for k, g in ((f"w{g.index}", g) for g in lexicon.groups)}
    for key, forms in written.items():
        for term in lexicon.terms(key):
            if len(term) == 1 and "\uac00" <= term <= "\ud7a3":
                assert term in forms, f"{lexicon.canonical(key)}: fragment {term!r}"
    customer = next(g for g in bridge.bridge("손님 응대를 잘하는 매장 직원").term_groups if "고객" in g)
    assert not {"손", "님"} & set(customer)
    # 보고 (report) analysed alone is the verb stem 보: "써 본 사람" (has used) is not a request for reports
    assert "report" not in bridge.bridge("젠데스크 써 본 사람").words


def test_a_phrase_in_a_word_group_does_not_bring_in_another_groups_word(bridge):
    # "물 관리" (water management) is irrigation; 관리 alone is managing anything. "pest management" is pests.
    irrigation = next(g for g in bridge.bridge("관개 설비를 관리할 농장 관리자").term_groups if "irrigation" in g)
    assert "관리" not in irrigation
    pest = next(g for g in bridge.bridge("pest control for our orchards").term_groups if "pest" in g)
    assert "management" not in pest
    # and a Korean request to manage something says "manage", as the English one does
    assert "manage" in bridge.bridge("농장 운영과 관개를 관리할 사람").words


@pytest.mark.parametrize("en, ko, role", [
    ("someone to grow new partnerships and open new markets for us",
     "신규 파트너십을 만들고 새로운 시장을 개척할 사업개발 담당자", "business_development"),
    ("someone who can write press releases and handle the media", "보도자료를 쓰고 언론 대응을 할 홍보 담당자",
     "pr_specialist"),
])
def test_a_request_that_describes_the_work_without_naming_the_role_reads_as_that_role(bridge, en, ko, role):
    # a manager writes "someone who ..." in one language and names the role in the other: both look for the role
    b_en, b_ko = bridge.bridge(en), bridge.bridge(ko)
    assert role in b_en.roles and role in b_ko.roles
    role_group = bridge.lexicon.terms(role)
    assert role_group in b_en.shared_groups() and role_group in b_ko.shared_groups()


def test_a_role_is_not_guessed_from_too_little(bridge):
    # one work word, or words two roles share equally, name no role
    assert bridge.bridge("someone good with customers").roles == ()
    assert bridge.bridge("zorblax quuxification").roles == ()


def demo_request_pairs() -> list[dict[str, str]]:
    """The demo's labelled requests that come in both languages: [{"en": text, "ko": text}] (bench/eval/queries.json)."""
    from pathlib import Path

    queries = json.loads((Path(__file__).parents[2] / "bench" / "eval" / "queries.json").read_text(encoding="utf-8"))
    pairs: dict[str, dict[str, str]] = {}
    for q in queries["queries"]:
        pairs.setdefault(q["pair"], {})[q["lang"]] = q["text"]
    return [texts for texts in pairs.values() if len(texts) == 2]


def test_korean_and_english_versions_of_the_demo_requests_show_mostly_the_same_people(demo_app):
    # the demo's labelled requests come in EN/KO pairs that ask for the same thing; a manager asking in Korean should
    # see mostly the people an English-speaking colleague sees (issue 10's target: 7 of the top 10 on average)
    shared = []
    for texts in demo_request_pairs():
        tops = {lang: {c.employee_id for c in demo_app.matching.search(text, limit=10, lang=lang).candidates}
                for lang, text in texts.items()}
        shared.append(len(tops["en"] & tops["ko"]) / 10)
    # 0.72 before the request bridge and the summaries, 0.81 before role inference and the lexicon clean-up
    assert len(shared) >= 30 and sum(shared) / len(shared) >= 0.78


def test_a_korean_request_rates_the_people_it_shares_with_its_english_version_about_as_high(demo_app):
    # issue 10: the same person should not look like a weaker match only because the manager asked in Korean. On the
    # demo's EN/KO request pairs, the meaning part of a person both versions show differs by little on average
    # (measured: the Korean version rates them 0.018 higher, 1.4 points of score, over 307 shared people). What parts
    # the two top 10s is which people each version's cosine favours, not a lower cosine for Korean requests: a
    # per-request calibration of the cosine was tried on that premise and bought no overlap (core/matching/scoring.py).
    gaps, scores = [], []
    for texts in demo_request_pairs():
        found = {lang: {c.employee_id: c for c in demo_app.matching.search(text, limit=10, lang=lang).candidates}
                 for lang, text in texts.items()}
        for eid in found["en"].keys() & found["ko"].keys():
            gaps.append(found["en"][eid].parts.semantic - found["ko"][eid].parts.semantic)
            scores.append(found["en"][eid].score - found["ko"][eid].score)
    assert len(gaps) >= 200
    assert abs(sum(gaps) / len(gaps)) <= 0.05
    assert abs(sum(scores) / len(scores)) <= 5


def test_servers_in_an_it_request_are_machines_and_a_restaurant_server_is_a_role(bridge):
    it_en = bridge.bridge("an IT specialist who can manage our network, servers and help desk")
    it_ko = bridge.bridge("네트워크와 서버, 헬프데스크를 관리할 IT 전문가")
    machines = bridge.lexicon.terms(bridge.lexicon.word_sense["server"])
    assert "waiter" not in it_en.roles and machines in it_en.shared_groups() and machines in it_ko.shared_groups()
    assert not any("restaurant" in g for g in it_en.term_groups)
    assert "waiter" in bridge.bridge("a server for our restaurant").roles


def test_roles_whose_id_starts_with_w_are_roles_not_work_words(bridge):
    # word groups are keyed w0, w1, ...: waiter, writer and web_designer were read as work words
    for text, role in (("a writer for our blog", "writer"), ("a web designer who builds websites", "web_designer"),
                       ("서빙 직원을 찾습니다", "waiter")):
        assert role in bridge.bridge(text).roles, text


def test_a_skill_name_is_not_searched_by_a_one_syllable_piece(bridge):
    # 웹 성능 최적화 -> 최적 + 화: "화" alone is in every 자동화, 표준화 and 최적화 of a Korean resume
    terms = {t for g in bridge.bridge("웹 성능 최적화 해본 프론트엔드 개발자").term_groups for t in g}
    assert "최적" in terms and "화" not in terms
    assert ("git", "깃") in bridge.bridge("깃 잘 쓰는 사람").term_groups      # a name of one syllable stays
