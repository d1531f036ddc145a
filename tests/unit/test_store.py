import sqlite3

import numpy as np
import pytest

from core.ai.embedders import HashingEmbedder
from core.domain import Employee, Role, SkillEvidence
from core.errors import EmbedderMismatchError, SchemaTooNewError
from bot.adapters.storage import SqlStore
SCHEMA_VERSION = SqlStore.target_schema_version
from tests.conftest import make_app, person


def emp(eid="E1", **kw):
    base = dict(id=eid, display_name="Ann", email="ann@x.example", department="Payments", title="Engineer",
                role=Role.MANAGER, open_to_moves=True, languages=["ko", "en"], resume_text="Kafka",
                skills=[SkillEvidence("kafka", "Built Kafka pipelines")])
    base.update(kw)
    return Employee(**base)


def test_fresh_database_is_migrated_and_round_trips(tmp_path):
    store = SqlStore.sqlite(tmp_path / "db.sqlite3")
    store.migrate()
    assert store.schema_version() == SCHEMA_VERSION
    store.upsert_profile(emp(), "h1", ["kafka"], 12, np.ones(4, dtype=np.float32) / 2, "m")
    got = store.get_employee("E1")
    assert got.display_name == "Ann" and got.role == Role.MANAGER and got.languages == ["ko", "en"]
    assert got.skills == [SkillEvidence("kafka", "Built Kafka pipelines")]
    assert store.find_employee("ANN@x.example").id == "E1"
    assert store.embedding_model() == ("m", 4)
    row = list(store.index_rows())[0]
    assert row.terms == ("kafka",) and row.profile_words == 12 and np.allclose(row.vector, 0.5)


def test_upsert_is_idempotent_and_bumps_the_data_version_only_for_profile_changes(tmp_path):
    store = SqlStore.sqlite(tmp_path / "db.sqlite3")
    store.migrate()
    v0 = store.data_version()
    store.upsert_profile(emp(), "h1", [], 1, None, "m")
    store.upsert_profile(emp(), "h1", [], 1, None, "m")
    assert store.count_employees() == 1
    v1 = store.data_version()
    assert v1 > v0
    store.add_audit("E1", "search", "kafka", ["E1"])
    store.save_search("s1", "E1", "kafka", {})
    assert store.data_version() == v1      # audit and saved searches do not invalidate the search index


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "db.sqlite3"
    SqlStore.sqlite(path).migrate()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer than this version"):
        SqlStore.sqlite(path).migrate()


def test_audit_and_shortlist(tmp_path):
    store = SqlStore.sqlite(tmp_path / "db.sqlite3")
    store.migrate()
    store.add_audit("M1", "search", "카프카", ["E1", "E2"], {"filters": ["--open-only"]})
    entry = store.list_audit()[-1]
    assert entry.actor_id == "M1" and entry.shown_ids == ("E1", "E2") and entry.query == "카프카" and entry.at
    assert store.add_to_shortlist("M1", "E1") and not store.add_to_shortlist("M1", "E1")
    assert store.shortlist("M1") == ["E1"]


def test_changed_embedder_is_detected_at_start_and_fixed_by_reindex(tmp_path):
    app = make_app(tmp_path)
    app.importer.upsert([person("E1", "Built Kafka pipelines at scale for payments")], __import__(
        "core.importer", fromlist=["ImportReport"]).ImportReport())
    app.close()
    with pytest.raises(EmbedderMismatchError) as exc:
        make_app(tmp_path, embedder=HashingEmbedder(64))
    assert "use-multilingual-v3" in str(exc.value) and "internal-hire reindex" in str(exc.value)
    from core.reindex import reindex

    app = make_app(tmp_path, embedder=HashingEmbedder(64), check_embedder=False)
    report = reindex(app.store, app.embedder)
    assert report.embedded == 1
    app.close()
    make_app(tmp_path, embedder=HashingEmbedder(64)).close()   # starts cleanly now
