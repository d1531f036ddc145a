"""Ranking as a hiring manager sees it: BM25 over title / skills / resume (term frequency, length, stemming), seniority
and years read from requests and profiles, and a lexical index that follows profile writes."""
import numpy as np
import pytest

from core.importer import ImportReport
from core.matching.lexical import LexicalIndexBuilder, analyse, decode_document, encode_document
from core.matching.seniority import profile_rank, read_request, years_in_text
from tests.conftest import person

TAX_FOCUSED = """Corporate tax accountant
- Prepared corporate tax filings and quarterly tax provisions for 40 entities
- Ran the tax calendar and answered tax authority audits"""
TAX_ONCE = """Office administrator
- Managed the front desk, scheduling and supplies for a 60-person office
- Coordinated travel, catering and facilities requests
- Helped the finance team collect receipts for the tax season
- Organised onboarding days and the company newsletter"""
CHEF_TITLE = """Ran a 40-cover kitchen, designed seasonal menus and trained line cooks."""
CHEF_BODY = """Restaurant server
- Took orders and served guests; worked closely with the chef on the specials board"""


@pytest.fixture
def people(empty_app):
    empty_app.importer.upsert([
        person("T1", TAX_FOCUSED, title="Tax Accountant", level=""),
        person("T2", TAX_ONCE, title="Office Administrator", level=""),
        person("C1", CHEF_TITLE, title="Head Chef", level=""),
        person("C2", CHEF_BODY, title="Server", level=""),
    ], ImportReport())
    return empty_app


def test_a_resume_about_the_request_outranks_one_that_mentions_it_once(people):
    index, signals = people.matching.request_signals("someone who can run our corporate tax filings")
    bm25 = dict(zip(index.ids, signals.bm25))
    assert bm25["T1"] > 2 * bm25["T2"] > 0
    assert people.matching.search("someone who can run our corporate tax filings", limit=1).candidates[0].employee_id == "T1"


def test_the_title_counts_more_than_a_passing_mention(people):
    index, signals = people.matching.request_signals("chef")
    bm25 = dict(zip(index.ids, signals.bm25))
    assert bm25["C1"] > bm25["C2"] > 0


def test_english_words_match_in_any_inflection():
    assert analyse("filings") == analyse("filing")
    assert analyse("designing dishes") == analyse("designed dish")


def test_rows_in_the_old_format_still_search():
    builder = LexicalIndexBuilder()
    builder.add(0, ("kafka", "payments"), ())                         # stored before the lexical document format
    builder.add(1, encode_document(["chef"], ["menu", "menu"], 3), ())
    index = builder.build(2)
    assert index.scores(analyse("kafka"))[0] > 0 and index.scores(analyse("menu"))[1] > 0
    assert np.isnan(index.years[0]) and index.years[1] == 3
    assert decode_document(encode_document(["a1"], ["x", "x", "y"], None)).resume == {"x": 2, "y": 1}


@pytest.mark.parametrize("text, rank, years", [
    ("senior backend engineer who knows Kafka", 4, 0),
    ("카프카 다룰 줄 아는 시니어 백엔드 개발자", 4, 0),
    ("lead data engineer", 5, 0),
    ("리드 데이터 엔지니어", 5, 0),
    ("ML engineer with 7+ years of experience", 0, 7),
    ("경력 7년 이상 머신러닝 엔지니어", 0, 7),
    ("5년차 백엔드", 0, 5),
    ("junior or senior frontend developer", 0, 0),           # a range is not a minimum
    ("주니어 프론트엔드 개발자", 0, 0),
    ("backend developer", 0, 0),
    ("principal architect", 6, 0),
    ("a consultant who can advise clients and lead improvement projects", 0, 0),   # "lead" as a verb
    ("someone to lead our team", 0, 0),
    ("marketing lead for brand campaigns", 5, 0),
])
def test_levels_and_years_are_read_from_requests(text, rank, years):
    ask = read_request(text)
    assert (ask.min_rank, ask.min_years) == (rank, years)


def test_years_are_read_from_resume_dates_and_claims():
    assert 6 <= years_in_text("Accountant 01/2009 to 12/2012\nSenior accountant 2013 - 2016") <= 8
    assert years_in_text("Over 12 years of experience in retail banking") == 12
    assert years_in_text("백엔드 개발자, 결제 플랫폼 경력 7년") == 7
    assert years_in_text("Line cook, weekends") is None
    assert profile_rank(0, 1.0, "Senior Accountant") == 4
    assert profile_rank(0, 15.0, "Intern") == 2
    assert profile_rank(5, None, "") == 5


SENIOR = """Backend engineer, 2015 - present
- Built Kafka event pipelines and Spring Boot services for payments"""
JUNIOR = """Backend engineer (new grad), 2025 - present
- Built Kafka event pipelines and Spring Boot services for payments
- Kafka consumers, Kafka streams, Kafka connect"""


def test_a_junior_never_tops_a_senior_request_while_seniors_with_the_skills_exist(empty_app):
    empty_app.importer.upsert([person("S1", SENIOR, title="Backend Engineer", level="L5"),
                               person("J1", JUNIOR, title="Backend Engineer", level="L1")], ImportReport())
    plain = empty_app.matching.search("backend engineer who knows Kafka", limit=2).candidates
    assert plain[0].employee_id == "J1"                       # more Kafka, and no level asked: the junior is fine
    senior = empty_app.matching.search("senior backend engineer who knows Kafka", limit=2).candidates
    assert [c.employee_id for c in senior] == ["S1", "J1"]
    junior = senior[1]
    assert junior.below_asked == 4 and junior.seniority_rank == 1
    assert senior[0].years is not None and senior[0].years >= 10
    ko = empty_app.matching.search("카프카 다룰 줄 아는 시니어 백엔드 개발자", limit=2).candidates
    assert ko[0].employee_id == "S1"


def test_the_explanation_shows_years_and_a_level_below_the_ask(empty_app):
    from handlers.find_candidates import seniority_text

    empty_app.importer.upsert([person("S1", SENIOR, title="Backend Engineer", level="L5"),
                               person("J1", JUNIOR, title="Backend Engineer", level="L1")], ImportReport())
    page = empty_app.matching.search("senior backend engineer who knows Kafka", limit=2)
    by_id = {c.employee_id: c for c in page.candidates}
    assert "yrs" in seniority_text(by_id["S1"], "en") and "below" not in seniority_text(by_id["S1"], "en")
    assert "below the asked level (senior)" in seniority_text(by_id["J1"], "en")
    assert "요청한 수준(시니어)보다 낮음" in seniority_text(by_id["J1"], "ko")


def test_a_profile_written_after_the_index_was_built_is_found_by_its_words(people):
    assert people.matching.search("sommelier wine pairing", limit=1).candidates[0].employee_id != "W1"
    people.importer.upsert([person("W1", "Sommelier: built the wine list and ran wine pairing dinners", title="Sommelier",
                                   level="")], ImportReport())
    top = people.matching.search("sommelier wine pairing", limit=1).candidates[0]
    assert top.employee_id == "W1"
    assert top.parts.lexical == pytest.approx(1.0)


def test_the_lexical_index_follows_changes_without_a_rebuild():
    """What the index refresher uses after profile writes: changed rows score with their new words, deleted rows
    with none, new rows are appended; the built index itself is left as it was."""
    builder = LexicalIndexBuilder()
    builder.add(0, encode_document(["chef"], ["kitchen", "menu"], 5), ())
    builder.add(1, encode_document(["accountant"], ["tax", "ledger"], 9), ())
    builder.add(2, encode_document(["teacher"], ["classroom"], 2), ())
    built = builder.build(3)
    changed = built.with_changes(4, {0: (encode_document(["sommelier"], ["wine"], 7), ()),
                                     3: (encode_document(["pastry chef"], ["kitchen", "kitchen"], 1), ())}, dead=[2])
    assert built.scores(analyse("chef"))[0] > 0 and built.scores(analyse("wine")).sum() == 0
    chef = changed.scores(analyse("chef kitchen"))
    assert chef[0] == 0 and chef[3] > 0 and len(chef) == 4
    assert changed.scores(analyse("wine"))[0] > 0
    assert changed.scores(analyse("classroom"))[2] == 0
    assert changed.scores(analyse("tax"))[1] == built.scores(analyse("tax"))[1]
    assert list(changed.years) == [7, 9, 2, 1]


def test_experienced_in_a_skill_is_not_a_seniority_ask():
    from core.matching.seniority import read_request

    # as "웹 성능 최적화 해본" in Korean: experience of something, not a level
    assert not read_request("frontend engineer experienced in web performance optimization")
    assert not read_request("HR partner experienced with compensation")
    assert read_request("an experienced frontend engineer").min_rank == 4


def test_the_column_major_build_places_every_entry_as_a_stable_sort_would():
    """BM25's postings are built a chunk at a time (bounded temporaries at a million profiles): the result must be
    exactly the one-shot stable sort's, across chunk boundaries, empty columns and long runs of one column."""
    import numpy as np

    from core.matching.lexical import column_major

    rng = np.random.default_rng(3)
    counts = rng.integers(0, 9, size=500)
    rows = np.repeat(np.arange(500, dtype=np.int32), counts)
    cols = rng.integers(0, 40, size=len(rows)).astype(np.int32)
    cols[100:160] = 7                               # a long run of one column, across chunks
    values = rng.random(len(rows)).astype(np.float32)
    order = np.argsort(cols, kind="stable")
    for chunk in (1, 13, 64, len(rows), 1 << 22):
        data, indices, indptr = column_major(rows, cols, values, 45, chunk)
        assert np.array_equal(data, values[order]) and np.array_equal(indices, rows[order]), chunk
        assert indptr[-1] == len(rows) and np.array_equal(np.diff(indptr), np.bincount(cols, minlength=45))
