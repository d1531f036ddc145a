"""Profile writes reach a running search index without a rebuild (a changed, added or deleted profile is searched
at once), a large catch-up rebuilds in the background while searches continue on the previous index, and the
change feed survives a restart (a second process sees the first one's writes)."""
import threading

import pytest

from core.domain import SearchFilters
from core.importer import ImportReport
from tests.conftest import make_app, person

KAFKA = """Backend engineer
- Built Kafka event pipelines and Spring Boot services on Kubernetes
- Tuned PostgreSQL queries and led the on-call rotation for payments"""
DESIGN = """Product designer
- Figma design systems, user research interviews and usability tests
- Prototyped the onboarding flow and ran A/B tests with product managers"""


@pytest.fixture
def org(empty_app):
    people = [person(f"E{i}", DESIGN, title="Product Designer", dept="Design") for i in range(1, 9)]
    people.append(person("K1", KAFKA, title="Backend Engineer", dept="Payments"))
    empty_app.importer.upsert(people, ImportReport())
    empty_app.matching.search("warm up")
    return empty_app


def ids(page):
    return [c.employee_id for c in page.candidates]


def test_an_edited_profile_is_found_by_its_new_skills_without_a_rebuild(org):
    holder = org.matching.indexes
    builds = holder.stats["builds"]
    assert ids(org.matching.search("Kafka backend engineer", limit=1)) == ["K1"]
    org.importer.upsert([person("E3", KAFKA + "\n- Kafka Streams and Kafka Connect for payment events",
                                title="Backend Engineer", dept="Payments")], ImportReport())
    page = org.matching.search("Kafka backend engineer", limit=2)
    assert set(ids(page)) == {"K1", "E3"}
    assert holder.stats["builds"] == builds and holder.stats["incremental"] >= 1
    # the designer profile E3 had is gone from its old postings: a design search no longer ranks it first
    design = org.matching.search("Figma design systems", limit=8)
    assert "E3" not in ids(design)[:7]


def test_new_and_deleted_profiles_and_a_new_department(org):
    org.importer.upsert([person("N1", KAFKA, title="Data Engineer", dept="Data Platform")], ImportReport())
    assert "Data Platform" in org.matching.departments()
    page = org.matching.search("Kafka engineer", SearchFilters(departments=("data platform",)), limit=3)
    assert ids(page) == ["N1"]
    org.store.delete_employee("K1")
    page = org.matching.search("Kafka backend engineer", limit=3)
    assert "K1" not in ids(page) and ids(page)[0] == "N1"
    assert org.matching.index().live == 9


def test_another_process_writes_are_seen(org, tmp_path):
    other = make_app(org.settings.data_dir)      # e.g. `internal-hire import` while the server runs
    try:
        other.importer.upsert([person("N2", KAFKA, title="Backend Engineer", dept="Payments")], ImportReport())
        other.store.update_fields(org.store.get_employee("K1").__class__(
            **{**org.store.get_employee("K1").__dict__, "open_to_moves": False}))
    finally:
        other.close()
    page = org.matching.search("Kafka backend engineer", SearchFilters(open_only=True), limit=3)
    assert ids(page)[0] == "N2" and "K1" not in ids(page)


def test_a_large_catch_up_rebuilds_in_the_background_while_searches_continue(org, monkeypatch):
    holder = org.matching.indexes
    holder.sync_rebuild_rows = 0          # as if the organisation were large
    holder.incremental_most = 1           # and the change too big to apply in place
    release = threading.Event()
    build = holder.build

    def slow_build(rows):
        release.wait(10)
        return build(rows)
    monkeypatch.setattr(holder, "build", slow_build)
    org.importer.upsert([person(f"N{i}", KAFKA, title="Backend Engineer", dept="Payments") for i in range(3)],
                        ImportReport())
    before = org.matching.search("Kafka backend engineer", limit=5)      # answered now, from the previous index
    assert ids(before) == ["K1"] or ids(before)[0] == "K1"
    release.set()
    assert holder.wait_idle(30)
    after = org.matching.search("Kafka backend engineer", limit=5)
    assert {"N0", "N1", "N2", "K1"} <= set(ids(after))
    assert holder.stats["background_builds"] == 1


def test_a_cold_start_maps_the_saved_index_and_applies_what_changed_since(org, monkeypatch):
    from core.matching import refresh

    monkeypatch.setattr(refresh, "SNAPSHOT_MIN_ROWS", 0)
    org.matching.indexes._full_build()               # as after a first start: built and saved
    assert org.matching.indexes.wait_idle(30)
    assert (org.settings.data_dir / "search-index" / "vectors.npy").exists()
    org.importer.upsert([person("N7", KAFKA, title="Backend Engineer", dept="Payments")], ImportReport())
    restarted = make_app(org.settings.data_dir)
    try:
        page = restarted.matching.search("Kafka backend engineer", limit=2)
        assert set(ids(page)) == {"K1", "N7"}
        assert restarted.matching.indexes.stats == {"builds": 0, "incremental": 1, "background_builds": 0,
                                                    "loaded": 1}
    finally:
        restarted.close()


def test_a_saved_index_from_another_database_is_not_used(org, monkeypatch, tmp_path):
    import shutil

    from core.matching import refresh

    monkeypatch.setattr(refresh, "SNAPSHOT_MIN_ROWS", 0)
    org.matching.indexes._full_build()
    assert org.matching.indexes.wait_idle(30)
    other = make_app(tmp_path / "other")             # a different organisation, given the first one's saved index
    try:
        shutil.copytree(org.settings.data_dir / "search-index", other.settings.data_dir / "search-index")
        other.importer.upsert([person("Z1", DESIGN, title="Designer", dept="Design")], ImportReport())
        page = other.matching.search("Kafka backend engineer", limit=3)
        assert ids(page) == ["Z1"] and other.matching.indexes.stats["loaded"] == 0
    finally:
        other.close()


def test_an_index_patched_many_times_scores_exactly_like_a_fresh_build():
    """Random edits, additions, deletions and re-additions applied one batch at a time give the same results as
    building the final organisation from scratch: vectors, summary vectors, filters, skill postings, seniority and
    BM25 (title / skills / resume fields, word groups). BM25 keeps the build's statistics (idf, average length) until
    the next rebuild, so its values are compared exactly with a fresh build that uses those statistics, and with a
    truly fresh build for which rows match at all and how close the scores are."""
    import math
    import random

    import numpy as np

    from core.matching.index import SearchIndex
    from core.matching import lexical as lexical_module
    from core.matching.lexical import LexicalIndex, LexicalIndexBuilder, encode_document
    from core.matching.seniority import SeniorityAsk
    from core.ports import IndexRow

    rng = random.Random(5)
    nprng = np.random.default_rng(5)
    skills, words = [f"s{i}" for i in range(12)], [f"w{i}" for i in range(30)] + ["manager", "lead", "senior"]
    depts = ["Payments", "Design", "Data", "Legal"]

    def unit(size=16):
        vector = nprng.normal(size=size).astype(np.float32)
        return vector / np.linalg.norm(vector)

    unseen = ["quantum", "zephyr", "ledgerx"]          # words the build never saw, written after it

    def row(eid: str, later: bool = False) -> IndexRow:
        vocabulary = words + unseen if later else words
        title = rng.sample(vocabulary, rng.randint(0, 3))
        resume = [rng.choice(vocabulary) for _ in range(rng.randint(3, 20))]
        years = rng.choice([None, 1.0, 4.0, 9.0, 15.0])
        return IndexRow(eid, rng.choice(depts), rng.choice(["", f"L{rng.randint(1, 6)}"]), rng.random() < 0.6,
                        tuple(rng.sample(skills, rng.randint(0, 4))), encode_document(title, resume, years),
                        rng.randint(0, 60), unit(), rng.choice(["seoul", "busan"]),
                        unit() if rng.random() < 0.7 else None)

    current = {f"E{i:03d}": row(f"E{i:03d}") for i in range(60)}
    index = SearchIndex(list(current.values()), 16)
    built_lexical = index.lexical
    gone: list[str] = []
    weighed = []
    real_weigh = lexical_module.weigh_document

    def counting_weigh(*args):
        weighed.append(1)
        return real_weigh(*args)
    lexical_module.weigh_document = counting_weigh
    try:
        for step in range(25):
            changed = [row(eid, later=True) for eid in rng.sample(sorted(current), 3)] + [row(f"N{step}", True)]
            if step % 3 == 1:
                changed.append(row(rng.choice(sorted(current)[:5])))    # the same few profiles edited again and again
            changed = list({r.id: r for r in changed}.values())
            if gone and step % 5 == 4:
                changed.append(row(gone.pop(0)))          # a deleted profile comes back
            changed_ids = {r.id for r in changed}
            deleted = [d for d in rng.sample(sorted(current), 2) if d not in changed_ids]
            for r in changed:
                current[r.id] = r
            for eid in deleted:
                current.pop(eid)
                gone.append(eid)
            weighed.clear()
            index = index.with_changes(changed, deleted)
            # a step costs what it changed: only its own rows are analysed again, not every row since the build
            assert len(weighed) == len(changed), step
    finally:
        lexical_module.weigh_document = real_weigh
    assert index.lexical._extra_vocab                  # the unseen words are searchable
    fresh = SearchIndex([current[k] for k in sorted(current)], 16)
    assert len(index) == len(fresh) == len(current)
    assert index.lexical.n == built_lexical.n         # BM25 was patched, not rebuilt

    # The reference with the build's BM25 statistics: a fresh lexical index over the current rows, same idf and length
    # (words the build never saw keep the ids and the idf the overlay gave them).
    patched = index.lexical
    assert patched.overlay_rows() <= len(current)
    builder = LexicalIndexBuilder(None)
    builder.vocab = {**patched.vocab, **patched._extra_vocab}
    for i, eid in enumerate(fresh.ids):
        builder.add(i, current[eid].terms, current[eid].skill_ids)
    frozen = SearchIndex([current[k] for k in sorted(current)], 16)
    idf = np.concatenate([patched.idf, np.full(len(patched._extra_vocab), patched._new_word_idf(), np.float32)])
    frozen.lexical = LexicalIndex(builder, frozen.n, idf=idf, avg_length=built_lexical.avg_length)

    def by_id(ix, array):
        return np.array([array[ix.row_of[eid]] for eid in sorted(current)])

    np.testing.assert_array_equal(by_id(index, index.rank), by_id(fresh, fresh.rank))
    np.testing.assert_array_equal(by_id(index, index.years), by_id(fresh, fresh.years))
    np.testing.assert_array_equal(by_id(index, index.has_summary), by_id(fresh, fresh.has_summary))
    asks = [SeniorityAsk(), SeniorityAsk(min_rank=4), SeniorityAsk(min_rank=3, min_years=5.0)]
    for q in range(10):
        query, summary = unit(), unit()
        asked_skills = rng.sample(skills, 2)
        asked_words = rng.sample(words, 2) + [tuple(rng.sample(words, 3))]      # two words and a group
        if q % 2:      # and words only profiles written after the build have, alone and in a group
            asked_words += [rng.choice(unseen), (rng.choice(words), rng.choice(unseen))]
        ask = asks[q % len(asks)]
        for filters in (SearchFilters(), SearchFilters(open_only=True, departments=("payments", "data")),
                        SearchFilters(min_level=3, locations=("busan",))):
            sa = index.signals(query, asked_words, asked_skills, {}, filters, 10, ask=ask, summary_vector=summary)
            sf = fresh.signals(query, asked_words, asked_skills, {}, filters, 10, ask=ask, summary_vector=summary)
            sz = frozen.signals(query, asked_words, asked_skills, {}, filters, 10, ask=ask, summary_vector=summary)
            for name in ("cosine", "skills", "seniority", "eligible"):
                np.testing.assert_allclose(by_id(index, getattr(sa, name)), by_id(fresh, getattr(sf, name)),
                                           atol=1e-6, err_msg=name)
            np.testing.assert_allclose(by_id(index, sa.summary), by_id(fresh, sf.summary), atol=1e-6)  # nan = none
            assert sa.total_eligible == sf.total_eligible
            np.testing.assert_allclose(by_id(index, sa.bm25), by_id(frozen, sz.bm25), rtol=1e-5, atol=1e-5)
            assert math.isclose(sa.coverage, sz.coverage, abs_tol=1e-6)
            assert (by_id(index, sa.bm25) > 0).tolist() == (by_id(fresh, sf.bm25) > 0).tolist()
            true_bm25 = by_id(fresh, sf.bm25)
            if not q % 2:     # (a word the build never saw counts as the rarest until the next rebuild)
                assert np.abs(by_id(index, sa.bm25) - true_bm25).max() <= 0.35 * max(true_bm25.max(), 1e-6)
            a = index.score(query, asked_words, asked_skills, {}, filters, limit=10, ask=ask, summary_vector=summary)
            b = frozen.score(query, asked_words, asked_skills, {}, filters, limit=10, ask=ask, summary_vector=summary)
            assert np.allclose(a.scores, b.scores, atol=1e-4) and a.total_eligible == b.total_eligible
            # the same people, except among those tied at the cut (the top k takes any of them)
            cut = a.scores.min() + 1e-4 if len(a.scores) else 0
            assert [index.ids[r] for r, v in zip(a.rows, a.scores) if v > cut] == \
                [frozen.ids[r] for r, v in zip(b.rows, b.scores) if v > cut]


def test_a_saved_index_built_with_another_skills_dictionary_is_rebuilt(org, monkeypatch):
    """The skill names are part of every profile's BM25 document: a new taxonomy version invalidates the saved index."""
    from core.matching import refresh
    from core.skills.taxonomy import Taxonomy

    monkeypatch.setattr(refresh, "SNAPSHOT_MIN_ROWS", 0)
    org.matching.indexes._full_build()
    assert org.matching.indexes.wait_idle(30)
    stamp = org.matching.indexes.loader.saved_stamp(org.settings.data_dir / "search-index")
    assert stamp["identity"]["taxonomy"] == org.matching.taxonomy.version
    monkeypatch.setattr(Taxonomy, "version", property(lambda self: "a-newer-dictionary"))
    restarted = make_app(org.settings.data_dir)
    try:
        assert ids(restarted.matching.search("Kafka backend engineer", limit=1)) == ["K1"]
        assert restarted.matching.indexes.stats["loaded"] == 0 and restarted.matching.indexes.stats["builds"] == 1
    finally:
        restarted.close()


def test_the_in_process_vector_graph_follows_patches_and_a_restart(tmp_path, monkeypatch):
    """Above INTERNAL_HIRE_ANN_MIN_PROFILES the semantic candidates come from an HNSW graph: it is kept in step with
    added, replaced and deleted profiles, is saved with the index, and the ranking over its candidates is the exact
    ranking (filtered requests over-fetch)."""
    import random

    import numpy as np

    from core.matching import ann
    from core.matching.index import SearchIndex
    from core.matching.lexical import encode_document
    from core.ports import IndexRow

    monkeypatch.setattr(ann, "EXACT_ELIGIBLE_ROWS", 0)     # always through the graph, however few pass the filters
    rng, nprng = random.Random(3), np.random.default_rng(3)
    centres = nprng.normal(size=(8, 32)).astype(np.float32)

    def row(eid: str) -> IndexRow:
        v = centres[rng.randrange(8)] + nprng.normal(0, 1.5, 32).astype(np.float32)   # cosines mostly < 0.5
        return IndexRow(eid, rng.choice(["Payments", "Design", "Data"]), f"L{rng.randint(1, 6)}", rng.random() < 0.5,
                        ("python",), encode_document(["engineer"], ["kafka", "python"], 5.0), 40, v / np.linalg.norm(v),
                        "seoul", None)

    current = {f"E{i:03d}": row(f"E{i:03d}") for i in range(400)}
    index = SearchIndex(list(current.values()), 32, ann_min_rows=100, expected_rows=400)
    assert index.graph is not None and index.vectors.dtype == np.int8 and index.summaries.dtype == np.int8
    for step in range(6):
        changed = [row(eid) for eid in rng.sample(sorted(current), 10)] + [row(f"N{step}{j}") for j in range(5)]
        deleted = [d for d in rng.sample(sorted(current), 5) if d not in {r.id for r in changed}]
        current.update({r.id: r for r in changed})
        for eid in deleted:
            current.pop(eid)
        index = index.with_changes(changed, deleted)
    assert len(index.graph) == len(current)
    index.save(tmp_path / "saved", {"seq": 1})
    restored = SearchIndex.load(tmp_path / "saved")
    exact = SearchIndex([current[k] for k in sorted(current)], 32)       # no graph: every row scored
    assert exact.graph is None
    hits = total = 0
    for q in range(20):
        query = centres[q % 8] + nprng.normal(0, 1.5, 32).astype(np.float32)
        query /= np.linalg.norm(query)
        for filters in (SearchFilters(), SearchFilters(departments=("data",), open_only=True)):
            want = {exact.ids[r] for r in exact.score(query, [], [], {}, filters, limit=10).rows}
            for ix in (index, restored):
                got = [ix.ids[r] for r in ix.score(query, [], [], {}, filters, limit=10).rows]
                assert set(got) <= set(current)                       # never a deleted profile
                assert all(current[e].department == "Data" and current[e].open_to_moves for e in got) or \
                    not filters.departments
                hits += len(want & set(got))
                total += len(want)
    assert hits / total >= 0.95


def test_int8_vectors_rank_like_float32_and_survive_a_save(tmp_path):
    """The ANN path keeps vectors as int8 with a per-row scale (Int8Rows, a quarter of float32): the exact top 10 over
    them must be the float32 top 10, and a saved index must give back the same codes and scales."""
    import numpy as np
    from core.matching.index import Int8Rows, SearchIndex
    from core.matching.lexical import encode_document
    from core.ports import IndexRow

    rng = np.random.default_rng(8)
    centres = rng.normal(size=(20, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 20, 3000)] + rng.normal(0, 1.2, (3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    stored = Int8Rows.from_array(vectors)
    assert stored.nbytes < vectors.nbytes / 3
    overlap = []
    for q in range(50):
        query = centres[q % 20] + rng.normal(0, 1.2, 64).astype(np.float32)
        query /= np.linalg.norm(query)
        assert np.abs(stored @ query - vectors @ query).max() < 5e-3     # 64 dimensions; 512: about 1e-3
        overlap.append(len(set(np.argsort(-(stored @ query))[:10]) & set(np.argsort(-(vectors @ query))[:10])))
    assert np.mean(overlap) >= 9.5

    rows = [IndexRow(f"E{i:04d}", "Data", "L3", True, ("python",), encode_document(["engineer"], ["python"], 3.0), 40,
                     vectors[i], "seoul", vectors[-1 - i]) for i in range(300)]
    index = SearchIndex(rows, 64, ann_min_rows=100, expected_rows=300)
    index.save(tmp_path / "saved", {"seq": 1})
    restored = SearchIndex.load(tmp_path / "saved")
    for ours, theirs in ((index.vectors, restored.vectors), (index.summaries, restored.summaries)):
        assert isinstance(theirs, Int8Rows)
        np.testing.assert_array_equal(ours.codes, theirs.codes)
        np.testing.assert_array_equal(ours.scale, theirs.scale)
    np.testing.assert_allclose(np.asarray(restored.summaries), vectors[::-1][:300], atol=5e-3)
