"""SearchIndex.score scores only the rows that can reach the top (core/matching/index.py): it must show the same
people with the same scores as the plain reference, scoring.fuse over every row's signals(), best first and ties by
employee id, on random organisations and on the demo organisation."""
import json
import random
from pathlib import Path

import numpy as np
import pytest

from core.domain import SearchFilters
from core.matching import index as index_module
from core.matching import scoring
from core.matching.index import SearchIndex
from core.matching.lexical import encode_document
from core.matching.seniority import SeniorityAsk, read_request
from core.ports import IndexRow

WORDS = ["kafka", "python", "engineer", "backend", "sales", "tax", "nurse", "design", "teacher", "chef", "audit",
         "cloud", "mobile", "law", "contract", "patient", "menu", "budget", "payroll", "react"]
SKILLS = [f"s{i}" for i in range(12)]
DEPARTMENTS = ["Payments", "Design", "Data", "Sales", "Legal"]


def reference(ix: SearchIndex, query, terms, skills, related, filters, limit, offset=0, ask=SeniorityAsk(),
              summary_vector=None) -> list[tuple[str, float]]:
    """(employee id, score) of the page as fuse() over every row ranks it."""
    sig = ix.signals(query, terms, skills, related, filters, offset + limit, ask=ask, summary_vector=summary_vector)
    final = scoring.fuse(sig, ix.completeness, ix.thin).final
    rows = np.flatnonzero(sig.eligible)
    ranked = sorted(rows.tolist(), key=lambda r: (-final[r], ix.ids[r]))[offset:offset + limit]
    return [(ix.ids[r], float(final[r])) for r in ranked]


def fast(ix: SearchIndex, *args, **kwargs) -> list[tuple[str, float]]:
    scored = ix.score(*args, **kwargs)
    return [(ix.ids[r], float(s)) for r, s in zip(scored.rows, scored.scores)]


def same_page(got, want) -> None:
    assert [eid for eid, _ in got] == [eid for eid, _ in want]
    # summary similarities of the few rows scored are one matrix product over those rows instead of every row:
    # the same floats up to the last bit of a float32 dot product
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=0, atol=1e-4)


def random_org(seed: int, n: int, dim: int = 32):
    rng, nprng = random.Random(seed), np.random.default_rng(seed)
    centres = nprng.normal(size=(6, dim)).astype(np.float32)

    def unit(v):
        return (v / np.linalg.norm(v)).astype(np.float32)

    rows = []
    for i in range(n):
        c = centres[rng.randrange(6)]
        vector = unit(c + nprng.normal(0, 1.2, dim)) if rng.random() > 0.02 else None
        summary = unit(c + nprng.normal(0, 0.8, dim)) if rng.random() > 0.1 else None
        words = rng.sample(WORDS, rng.randint(0, 6)) * rng.randint(1, 3)
        title = rng.sample(WORDS, rng.randint(0, 2))
        years = rng.choice([None, rng.uniform(0, 15)])
        held = tuple(rng.sample(SKILLS, rng.randint(0, 3)))
        rows.append(IndexRow(f"E{i:05d}", rng.choice(DEPARTMENTS), f"L{rng.randint(1, 6)}" if rng.random() > 0.1 else "",
                             rng.random() < 0.5, held, encode_document(title, words, years),
                             rng.choice([5, 20, 40, 80]), vector, rng.choice(["seoul", "busan"]), summary))
    return SearchIndex(rows, dim), centres, rng, nprng


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_search_shows_the_reference_top_on_random_organisations(seed, monkeypatch):
    if seed % 2:    # few seed rows: the rows the cosine bound lets in must be found and scored too
        monkeypatch.setattr(index_module, "SEED_ROWS", 4)
    ix, centres, rng, nprng = random_org(seed, 3000)
    scored_rows = []
    real_compact = SearchIndex._compact

    def counting(self, rows, *args, **kwargs):
        scored_rows.append(len(rows))
        return real_compact(self, rows, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "_compact", counting)
    related = {s: (SKILLS[(i + 1) % len(SKILLS)],) for i, s in enumerate(SKILLS)}
    asks = [SeniorityAsk(), SeniorityAsk(min_rank=4), SeniorityAsk(min_rank=3, min_years=5.0)]
    filters = [SearchFilters(), SearchFilters(open_only=True), SearchFilters(departments=("data", "legal")),
               SearchFilters(min_level=4, locations=("busan",)), SearchFilters(departments=("nowhere",))]
    for q in range(24):
        c = centres[q % len(centres)]
        query = (c + nprng.normal(0, 0.6, len(c))).astype(np.float32)
        query /= np.linalg.norm(query)
        summary = query if q % 3 else None
        terms = rng.sample(WORDS, rng.randint(0, 3)) + ([tuple(rng.sample(WORDS, 2))] if q % 2 else [])
        skills = rng.sample(SKILLS, rng.randint(0, 2))
        flt = filters[q % len(filters)]
        limit, offset = rng.choice([(5, 0), (10, 0), (10, 10), (3, 7)])
        kwargs = dict(limit=limit, offset=offset, ask=asks[q % 3], summary_vector=summary)
        same_page(fast(ix, query, terms, skills, related, flt, **kwargs),
                  reference(ix, query, terms, skills, related, flt, **kwargs))
    # an empty request (no vector, no words) ranks everyone alike: ties by employee id
    same_page(fast(ix, None, [], [], {}, SearchFilters(), limit=10), reference(ix, None, [], [], {}, SearchFilters(), 10))
    # words and skills without a vector (the embedder had nothing to embed)
    same_page(fast(ix, None, ["kafka", ("tax", "audit")], ["s1"], related, SearchFilters(open_only=True), limit=10),
              reference(ix, None, ["kafka", ("tax", "audit")], ["s1"], related, SearchFilters(open_only=True), 10))
    assert min(scored_rows) < ix.n // 4      # the point: most requests scored a small part of the organisation


def test_ties_are_broken_by_employee_id_across_the_cut():
    """Profiles with identical text and vectors score the same: the page takes the lowest ids, in order."""
    v = np.ones(8, dtype=np.float32) / np.sqrt(8)
    rows = [IndexRow(f"E{i:03d}", "Data", "L3", True, ("s1",), encode_document(["engineer"], ["kafka"], 4.0), 40, v,
                     "seoul", v) for i in (7, 3, 9, 1, 5, 8, 2)]
    ix = SearchIndex(rows, 8)
    got = fast(ix, v, ["kafka"], ["s1"], {}, SearchFilters(), limit=3, summary_vector=v)
    assert [eid for eid, _ in got] == ["E001", "E002", "E003"]
    assert len({s for _, s in got}) == 1
    assert [eid for eid, _ in fast(ix, v, ["kafka"], ["s1"], {}, SearchFilters(), limit=3, offset=3,
                                   summary_vector=v)] == ["E005", "E007", "E008"]


def test_the_fast_search_shows_the_reference_top_on_the_demo(demo_app):
    """Every evaluation request of the demo, unfiltered and filtered, with the service's own query signals."""
    matching = demo_app.matching
    ix = matching.index()
    queries = json.loads((Path(__file__).parents[2] / "bench" / "eval" / "queries.json").read_text("utf-8"))["queries"]
    filters = [SearchFilters(), SearchFilters(open_only=True), SearchFilters(departments=("Data & AI", "Payments"))]
    for i, q in enumerate(queries):
        text = q["text"]
        query_skills = matching.extractor.extract_query(text)
        from core.text import request_language
        terms = matching._lexical_terms(text, request_language(text), query_skills)
        vector = matching.embedder.embed_query(text)
        summary = matching._canonical_vector(matching.bridge_request(text, query_skills).canonical)
        related = {sid: matching.taxonomy.related(sid) for sid in query_skills}
        flt = filters[i % len(filters)]
        kwargs = dict(limit=10, ask=read_request(text), summary_vector=summary)
        want = reference(ix, vector, terms, query_skills, related, flt, **kwargs)
        same_page(fast(ix, vector, terms, query_skills, related, flt, **kwargs), want)
        # and what a manager sees: the service's page is that ranking
        page = matching.search(text, flt, limit=10)
        assert [c.employee_id for c in page.candidates] == [eid for eid, _ in want]
        assert [c.score for c in page.candidates] == [int(round(s)) for _, s in want]


def test_bm25_scores_are_the_same_floats_as_bm25s_sums():
    """The per-posting BM25 sum gives every row the float bm25s's full-length sum gives (groups as their best word,
    groups in order, single words added last), and the rows it reports are exactly those scoring above 0."""
    ix, _, rng, _ = random_org(7, 2000)
    lexical = ix.lexical
    for _ in range(30):
        terms = rng.sample(WORDS, rng.randint(0, 4)) + [tuple(rng.sample(WORDS, rng.randint(2, 4)))
                                                        for _ in range(rng.randint(0, 3))]
        want = np.zeros(lexical.n, dtype=np.float32)
        singles, seen = [], set()
        for term in dict.fromkeys(terms):
            ids = [i for i in lexical._ids(term) if i not in seen]
            seen.update(ids)
            if len(ids) == 1:
                singles.append(ids[0])
            elif ids:
                best = np.zeros(lexical.n, dtype=np.float32)
                for i in ids:
                    np.maximum(best, np.asarray(lexical.bm25.get_scores_from_ids([i]), dtype=np.float32), out=best)
                want += best
        if singles:
            want += np.asarray(lexical.bm25.get_scores_from_ids(singles), dtype=np.float32)
        got, rows = lexical.scores_and_rows(terms)
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(rows, np.flatnonzero(want > 0))


def test_a_filtered_search_sees_a_profile_moved_into_the_department_right_after():
    """The filters' rows are kept per index: a profile update makes a new index, whose filtered searches see it."""
    ix, centres, _, _ = random_org(11, 500)
    payments = SearchFilters(departments=("payments",))
    row = next(r for r in range(ix.n) if ix.dept_display[ix.dept_code[r]] != "Payments")
    eid = ix.ids[row]
    query = centres[0]
    before = ix.score(query, [], [], {}, payments, limit=500)
    assert eid not in {ix.ids[r] for r in before.rows}
    moved = IndexRow(eid, "Payments", "L3", True, ("s1",), encode_document(["engineer"], ["kafka"], 4.0), 40,
                     query, "seoul", None)
    after_ix = ix.with_changes([moved])
    after = after_ix.score(query, [], [], {}, payments, limit=500)
    assert after.total_eligible == before.total_eligible + 1
    assert after_ix.ids[after.rows[0]] == eid           # its vector is the request's: the best match
    assert ix.score(query, [], [], {}, payments, limit=500).total_eligible == before.total_eligible  # old index as it was


def test_a_saved_index_mapped_in_at_warm_up_ranks_as_before(tmp_path):
    """A server maps the saved index's pages as it warms up (SearchIndex.fault_in): the same page, read or not."""
    ix, centres, _, _ = random_org(5, 800)
    ix.save(tmp_path / "saved", {"seq": 1})
    loaded = SearchIndex.load(tmp_path / "saved")
    assert isinstance(loaded.vectors, np.memmap) and isinstance(loaded.summaries, np.memmap)
    query = centres[2]
    args = (query, ["kafka", ("tax", "audit")], ["s2"], {}, SearchFilters(open_only=True))
    before = fast(loaded, *args, limit=10, summary_vector=query)
    loaded.fault_in()
    assert fast(loaded, *args, limit=10, summary_vector=query) == before == fast(ix, *args, limit=10,
                                                                                 summary_vector=query)
