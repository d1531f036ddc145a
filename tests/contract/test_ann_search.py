"""The widening ANN path (used when the database has a vector index, i.e. TiDB) against a real MySQL-protocol
server. On MariaDB, `ann_search` is an exact scan, so the path is forced on and checked against in-process search."""
import uuid

import pytest

from core.domain import SearchFilters
from core.importer import ImportReport
from core.matching import ann
from bot.adapters.storage import SqlStore
from tests.contract.test_store_contract import MARIADB_URL, server_unreachable, with_database
from tests.conftest import person


@pytest.fixture
def mariadb_app(tmp_path, monkeypatch):
    why = server_unreachable(MARIADB_URL)
    if why:
        pytest.skip(f"MariaDB unreachable at {MARIADB_URL} ({why})")
    url = with_database(MARIADB_URL, f"ih_test_{uuid.uuid4().hex[:12]}")
    monkeypatch.setenv("DATABASE_URL", url)
    from tests.conftest import make_app

    app = make_app(tmp_path)
    assert isinstance(app.store, SqlStore) and app.store.backend_name == "mysql"
    yield app
    app.store.drop_database()


def test_filters_with_ann_widening_never_return_fewer_than_k(mariadb_app, monkeypatch):
    people = [person(f"E{i:03d}", "Backend engineer building Kafka pipelines and Spring Boot services",
                     dept="Payments" if i % 20 == 0 else "Platform", title="Backend Engineer") for i in range(120)]
    people += [person(f"M{i:03d}", "Brand marketing planner, campaigns and GA4 reports", dept="Marketing",
                      title="Marketer") for i in range(30)]
    mariadb_app.importer.upsert(people, ImportReport())
    exact = mariadb_app.matching.search("backend engineer Kafka", SearchFilters(departments=("Payments",)), limit=5)

    calls = []
    real = mariadb_app.store.ann_search

    def counting(vector, n):
        calls.append(n)
        return real(vector, n)

    monkeypatch.setattr(ann, "MIN_FETCH", 10)
    assert mariadb_app.matching._ann() is None          # MariaDB has no vector index: in-process search
    monkeypatch.setattr(mariadb_app.store, "ann_ready", lambda dim: True)
    monkeypatch.setattr(mariadb_app.store, "ann_search", counting)
    widened = mariadb_app.matching.search("marketing campaign GA4", SearchFilters(departments=("Payments",)), limit=5)
    # Payments people are far from a marketing query: the first fetches hold none of them, so the search widens.
    assert len(widened.candidates) == 5 and {c.department for c in widened.candidates} == {"Payments"}
    assert len(calls) >= 2 and calls == sorted(calls)
    same = mariadb_app.matching.search("backend engineer Kafka", SearchFilters(departments=("Payments",)), limit=5)
    assert [c.employee_id for c in same.candidates] == [c.employee_id for c in exact.candidates]
    assert [c.score for c in same.candidates] == [c.score for c in exact.candidates]


def test_tidb_plan_uses_the_hnsw_index():
    """Only with a real TiDB (TIDB_DSN): the query ann_search sends is served by the vector index."""
    import os

    import numpy as np

    dsn = os.environ.get("TIDB_DSN", "").strip()
    if not dsn:
        pytest.skip("TIDB_DSN not set: no TiDB to EXPLAIN against")
    store = SqlStore.from_url(with_database(dsn, f"ih_test_{uuid.uuid4().hex[:12]}"), setting="TIDB_DSN")
    try:
        store.migrate()
        from core.domain import Employee

        rng = np.random.default_rng(0)
        for i in range(50):
            v = rng.normal(size=8).astype(np.float32)
            store.upsert_profile(Employee(id=f"E{i}", display_name=f"P{i}"), "h", [], 1, v / np.linalg.norm(v), "m")
        assert store.native_vector, store.capabilities()
        uses_index, plan = store.explain_ann(np.ones(8, dtype=np.float32), 5)
        assert uses_index, plan
    finally:
        store.drop_database()
