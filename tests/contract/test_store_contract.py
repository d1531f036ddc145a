"""One contract for every EmployeeStore backend: the embedded SQLite file, MariaDB/MySQL and (with TIDB_DSN) TiDB.

MariaDB: MARIADB_TEST_URL (default mysql://root@127.0.0.1:3306/); each test module gets a throwaway database
`ih_test_<random>`, dropped at the end. TiDB: only when TIDB_DSN is set (same throwaway-database scheme).
"""
from __future__ import annotations

import os
import sqlite3
import sys
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pymysql
import pytest

from core.domain import Employee, ProfileDetails, Role, SkillEvidence, WorkRole
from core.storage import mysql_store, sqlite_store
from core.storage.errors import SchemaTooNewError
from core.storage.mysql_store import MySqlStore
from core.storage.sqlite_store import SqliteStore

MARIADB_URL = os.environ.get("MARIADB_TEST_URL", "mysql://root@127.0.0.1:3306/")
DIM = 4


# ---- backends -----------------------------------------------------------------------------------------------------
def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


_reachability: dict[str, str | None] = {}


def server_unreachable(url: str) -> str | None:
    """None when the server answers, else why not (checked once per URL)."""
    if url not in _reachability:
        try:
            cfg = mysql_store.parse_url(url)
            conn = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password,
                                   connect_timeout=2, ssl=mysql_store._ssl_context(cfg))
            conn.close()
            _reachability[url] = None
        except Exception as exc:  # noqa: BLE001
            _reachability[url] = f"{type(exc).__name__}: {exc}"
    return _reachability[url]


def server_url(name: str) -> str:
    if name == "tidb":
        url = os.environ.get("TIDB_DSN", "").strip()
        if not url:
            pytest.skip("TIDB_DSN not set")
        return url
    why = server_unreachable(MARIADB_URL)
    if why:
        reason = f"MariaDB unreachable at {MARIADB_URL} ({why}); set MARIADB_TEST_URL or start mariadbd"
        print(f"\nSKIP mariadb contract tests: {reason}", file=sys.stderr)
        pytest.skip(reason)
    return MARIADB_URL


@dataclass
class Backend:
    name: str
    tmp: Path
    url: str = ""
    shared: object = None
    extra: list = field(default_factory=list)

    @property
    def schema_version(self) -> int:
        return sqlite_store.SCHEMA_VERSION if self.name == "sqlite" else mysql_store.SCHEMA_VERSION

    def fresh(self):
        """A new, not yet migrated store on an empty database."""
        if self.name == "sqlite":
            return SqliteStore(self.tmp / f"fresh-{uuid.uuid4().hex[:8]}.sqlite3")
        store = MySqlStore.from_url(with_database(self.url, f"ih_test_{uuid.uuid4().hex[:12]}"))
        self.extra.append(store)
        return store

    def reopen(self, store):
        if self.name == "sqlite":
            return SqliteStore(store.path)
        other = MySqlStore.from_url(with_database(self.url, store.database))
        return other

    def claim_newer_schema(self, store) -> None:
        """Make the database look as if a newer Internal Hire had migrated it."""
        if self.name == "sqlite":
            conn = sqlite3.connect(store.path)
            conn.execute(f"PRAGMA user_version = {self.schema_version + 1}")
            conn.close()
        else:
            raw_sql(store, "INSERT INTO schema_migrations (version, description, applied_at) VALUES (%s, 'future', 'x')",
                    (self.schema_version + 1,))


def raw_sql(store: MySqlStore, *statements_and_params) -> None:
    cfg = store.config
    conn = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password, database=store.database,
                           autocommit=True, ssl=mysql_store._ssl_context(cfg))
    try:
        with conn.cursor() as cur:
            items = list(statements_and_params)
            while items:
                sql = items.pop(0)
                params = items.pop(0) if items and isinstance(items[0], tuple) else ()
                cur.execute(sql, params)
    finally:
        conn.close()


@pytest.fixture(scope="module", params=["sqlite", "mariadb", "tidb"])
def backend(request, tmp_path_factory):
    name = request.param
    tmp = tmp_path_factory.mktemp(f"contract-{name}")
    if name == "sqlite":
        yield Backend(name, tmp)
        return
    url = server_url(name)
    shared = MySqlStore.from_url(with_database(url, f"ih_test_{uuid.uuid4().hex[:12]}"))
    b = Backend(name, tmp, url=url, shared=shared)
    try:
        shared.migrate()
        yield b
    finally:
        for store in [shared, *b.extra]:
            try:
                store.drop_database()
            except Exception as exc:  # noqa: BLE001
                print(f"could not drop {store.database}: {exc}", file=sys.stderr)


@pytest.fixture
def store(backend, tmp_path):
    if backend.name == "sqlite":
        s = SqliteStore(tmp_path / "db.sqlite3")
        s.migrate()
        yield s
        s.close()
        return
    raw_sql(backend.shared, "DELETE FROM embeddings", "DELETE FROM employees", "DELETE FROM audit_log",
            "DELETE FROM shortlists", "DELETE FROM searches", "DELETE FROM leases", "DELETE FROM conversation_refs",
            "DELETE FROM drafts", "DELETE FROM ai_usage",
            "DELETE FROM meta WHERE `key` NOT IN "
            "('data_version', 'vector_dim')")
    yield backend.shared


def emp(eid: str = "E1", **kw) -> Employee:
    base = dict(id=eid, display_name="Ann Lee", email="ann@x.example", slack_user_id=f"U{eid}",
                teams_user_id=f"29:{eid}-teams", department="Payments", title="Engineer", level="L4",
                location="Seoul", role=Role.MANAGER, open_to_moves=True, languages=["ko", "en"],
                resume_text="Built Kafka pipelines", skills=[SkillEvidence("kafka", "Built Kafka pipelines")],
                updated_at="2025-01-02T03:04:05+00:00")
    base.update(kw)
    return Employee(**base)


def vec(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def put(store, e: Employee, vector=None, model="m", terms=("kafka",), words=12, resume_hash="h1"):
    store.upsert_profile(e, resume_hash, list(terms), words, vector, model)


# ---- schema -------------------------------------------------------------------------------------------------------
def test_fresh_database_is_migrated_and_reports_its_schema_version(backend):
    store = backend.fresh()
    assert store.schema_version() == 0
    store.migrate()
    assert store.schema_version() == backend.schema_version
    store.migrate()                                   # idempotent
    assert store.schema_version() == backend.schema_version
    assert store.count_employees() == 0 and store.list_employees() == [] and store.embedding_model() is None
    assert isinstance(store.data_version(), int)
    store.close()


def test_newer_schema_is_refused_with_a_clear_message(backend):
    store = backend.fresh()
    store.migrate()
    backend.claim_newer_schema(store)
    store.close()
    again = backend.reopen(store)
    with pytest.raises(SchemaTooNewError, match="newer than this version") as exc:
        again.migrate()
    assert "Upgrade Internal Hire" in str(exc.value)
    again.close()


def test_meta_round_trip(store):
    assert store.get_meta("nope") is None
    store.set_meta("k", "v1")
    store.set_meta("k", "값2")
    assert store.get_meta("k") == "값2"


# ---- employees ----------------------------------------------------------------------------------------------------
def test_upsert_and_get_round_trip_every_field(store):
    korean = emp("K1", display_name="김민지", email="minji@x.example", department="결제팀", title="백엔드 엔지니어",
                 location="서울", role=Role.HR_ADMIN, open_to_moves=False, languages=["ko"],
                 resume_text="카프카 파이프라인을 구축했습니다.\nLine two",
                 skills=[SkillEvidence("kafka", "카프카 파이프라인 구축"), SkillEvidence("go", "Go services")])
    plain = emp("E1", role=Role.EMPLOYEE, email="", slack_user_id="", teams_user_id="", languages=[], skills=[])
    put(store, korean, resume_hash="hash-k")
    put(store, plain, resume_hash="hash-e")
    assert store.get_employee("K1") == korean
    assert store.get_employee("E1") == plain
    assert store.get_employee("missing") is None
    assert store.get_employees(["K1", "E1", "missing"]) == {"K1": korean, "E1": plain}
    assert store.get_employees([]) == {}
    assert store.get_resume_hash("K1") == "hash-k" and store.get_resume_hash("missing") is None
    assert store.resume_hashes() == {"K1": "hash-k", "E1": "hash-e"}
    assert [e.id for e in store.list_employees()] == ["E1", "K1"]
    assert store.count_employees() == 2


def test_upsert_sets_updated_at_when_missing(store):
    e = emp(updated_at="")
    put(store, e)
    assert e.updated_at and store.get_employee("E1").updated_at == e.updated_at


def test_upsert_is_idempotent_and_overwrites(store):
    put(store, emp())
    put(store, emp())
    assert store.count_employees() == 1
    put(store, emp(title="Staff Engineer", open_to_moves=False), resume_hash="h2", terms=("go",), words=3)
    assert store.count_employees() == 1
    got = store.get_employee("E1")
    assert got.title == "Staff Engineer" and not got.open_to_moves
    assert store.get_resume_hash("E1") == "h2"
    row = list(store.index_rows())[0]
    assert row.terms == ("go",) and row.profile_words == 3


def test_update_fields_is_true_only_when_something_changed(store):
    put(store, emp())
    assert store.update_fields(emp()) is False
    assert store.update_fields(emp(email="ANN@x.example")) is True         # a change of case is a change
    assert store.get_employee("E1").email == "ANN@x.example"
    assert store.update_fields(emp(email="ANN@x.example")) is False
    assert store.update_fields(emp(email="ANN@x.example", open_to_moves=False)) is True
    assert store.update_fields(emp(email="ANN@x.example", open_to_moves=False, languages=["en"])) is True
    # resume, skills, title and name are not descriptive fields: left alone
    assert store.update_fields(emp(email="ANN@x.example", open_to_moves=False, languages=["en"],
                                   resume_text="other", title="Other", display_name="Other")) is False
    got = store.get_employee("E1")
    assert got.resume_text == "Built Kafka pipelines" and got.title == "Engineer" and got.languages == ["en"]
    assert store.update_fields(emp("nobody")) is False


def test_data_version_bumps_on_profile_changes_only(store):
    v = store.data_version()

    def bumped() -> bool:
        nonlocal v
        now = store.data_version()
        changed, v = now > v, now
        return changed

    put(store, emp())
    assert bumped()
    assert store.update_fields(emp(level="L5")) and bumped()
    store.set_embedding("E1", vec(1, 0, 0, 0), "m")
    assert bumped()
    store.add_audit("M1", "search", "kafka", ["E1"])
    store.save_search("s1", "M1", "kafka", {})
    store.add_to_shortlist("M1", "E1")
    store.set_meta("x", "y")
    assert not bumped()                     # audit, searches, shortlists and meta do not invalidate the index
    store.clear_embeddings()
    assert bumped()
    assert store.delete_employee("E1") and bumped()


def test_find_employee_by_id_email_chat_ids_and_name(store):
    put(store, emp("E1", display_name="Ann Lee", email="ann@x.example", slack_user_id="U123", teams_user_id="29:abc"))
    put(store, emp("E2", display_name="김민지", email="minji@x.example", slack_user_id="U999", teams_user_id="29:zzz"))
    assert store.find_employee("E1").id == "E1"
    assert store.find_employee(" ANN@X.Example ").id == "E1"
    assert store.find_employee("U123").id == "E1"
    assert store.find_employee("29:abc").id == "E1"
    assert store.find_employee("ann lee").id == "E1"
    assert store.find_employee("김민지").id == "E2"
    assert store.find_employee("e1") is None            # ids are exact
    assert store.find_employee("u123") is None          # so are chat ids
    assert store.find_employee("") is None and store.find_employee("   ") is None
    assert store.find_employee("nobody@x.example") is None


def test_delete_employee(store):
    put(store, emp("E1"), vector=vec(1, 0, 0, 0))
    put(store, emp("E2"), vector=vec(0, 1, 0, 0))
    assert store.delete_employee("E1") is True
    assert store.delete_employee("E1") is False
    assert store.get_employee("E1") is None and store.count_employees() == 1
    assert [r.id for r in list(store.index_rows())] == ["E2"]
    assert store.embedding_models() == [("m", DIM, 1)]


def test_resume_analysis_details_mentor_and_proficiency_round_trip(store):
    details = ProfileDetails(roles=[WorkRole("Backend Engineer", "토스", "2019-03", ""), WorkRole("Intern", "", "2018")],
                             years_experience=6.5, education=["B.S. Computer Science, KAIST"],
                             certifications=["정보처리기사"], summary="Payments backend")
    e = emp("E1", details=details, mentor=True,
            skills=[SkillEvidence("kafka", "Built Kafka pipelines", "advanced"), SkillEvidence("go", "Go services")])
    put(store, e)
    got = store.get_employee("E1")
    assert got == e and got.details.roles[0].organisation == "토스" and got.skills[0].proficiency == "advanced"
    assert [r.skill_ids for r in store.index_rows()] == [("kafka", "go")]
    got.mentor = False
    assert store.update_fields(got) is True and store.get_employee("E1").mentor is False


def test_clear_profile_forgets_everything_derived_but_keeps_the_directory_entry(store):
    put(store, emp("E1", open_to_moves=True, mentor=True, details=ProfileDetails(summary="x")), vector=vec(1, 0, 0, 0))
    put(store, emp("E2"), vector=vec(0, 1, 0, 0))
    store.add_to_shortlist("E2", "E1")
    store.save_draft("d1", "E1", "resume", {"skills": ["kafka"]})
    store.add_audit("E1", "self_open_to_moves", "", [])
    store.add_audit("E2", "search", "kafka", ["E1"])
    before = store.data_version()
    assert store.clear_profile("E1") is True
    cleared = store.get_employee("E1")
    assert (cleared.display_name, cleared.email, cleared.slack_user_id) == ("Ann Lee", "ann@x.example", "UE1")
    assert (cleared.resume_text, cleared.skills, cleared.open_to_moves, cleared.mentor) == ("", [], False, False)
    assert cleared.details.is_empty()
    assert store.get_resume_hash("E1") == "" and store.embedding_models() == [("m", DIM, 1)]
    assert store.shortlist("E2") == [] and store.load_draft("d1") is None
    assert [(a.actor_id, a.action) for a in store.list_audit()] == [("E2", "search")]
    assert store.data_version() > before
    assert store.clear_profile("nobody") is False


def test_drafts_round_trip_and_delete(store):
    assert store.load_draft("x") is None
    store.save_draft("x", "E1", "resume", {"skills": ["카프카"], "n": 1})
    store.save_draft("x", "E1", "resume", {"skills": ["kafka"], "n": 2})
    assert store.load_draft("x") == ("E1", "resume", {"skills": ["kafka"], "n": 2})
    assert store.delete_draft("x") is True and store.delete_draft("x") is False


def test_ai_usage_adds_up_per_day_model_and_task(store):
    store.add_ai_usage("2026-11-25", "gemini-2.5-flash", "extract_resume", 900, 300, cached=False)
    store.add_ai_usage("2026-11-25", "gemini-2.5-flash", "extract_resume", 0, 0, cached=True)
    store.add_ai_usage("2026-11-24", "gemini-2.5-flash", "extract_resume", 5, 5, cached=False)
    assert store.ai_usage("2026-11-25") == [{"model": "gemini-2.5-flash", "task": "extract_resume", "calls": 2,
                                             "cache_hits": 1, "prompt_tokens": 900, "output_tokens": 300}]
    assert store.ai_usage("2026-11-23") == []


# ---- embeddings ---------------------------------------------------------------------------------------------------
def test_embeddings_round_trip_and_model_bookkeeping(store):
    exact = vec(0.1, -0.25, 1e-7, 3.3333333)
    put(store, emp("E1"), vector=exact, model="m1")
    put(store, emp("E2"), vector=vec(0, 1, 0, 0), model="m1")
    put(store, emp("E3"))
    assert store.embedding_model() == ("m1", DIM)
    rows = {r.id: r for r in list(store.index_rows())}
    assert rows["E1"].vector.dtype == np.float32 and np.array_equal(rows["E1"].vector, exact)
    assert rows["E3"].vector is None
    assert store.ids_missing_embedding("m1") == ["E3"]
    store.set_embedding("E3", vec(0, 0, 1, 0), "m2")
    assert store.ids_missing_embedding("m1") == ["E3"]
    assert store.ids_missing_embedding("m2") == ["E1", "E2"]
    assert sorted(store.embedding_models()) == [("m1", DIM, 2), ("m2", DIM, 1)]
    store.set_embedding("E3", vec(0, 0, 0, 1), "m1")                     # overwrite
    assert store.ids_missing_embedding("m1") == [] and store.embedding_models() == [("m1", DIM, 3)]
    assert np.array_equal({r.id: r for r in list(store.index_rows())}["E3"].vector, vec(0, 0, 0, 1))
    store.clear_embeddings()
    assert store.embedding_model() is None and store.embedding_models() == []
    assert all(r.vector is None for r in list(store.index_rows()))
    assert store.ids_missing_embedding("m1") == ["E1", "E2", "E3"]
    assert store.count_employees() == 3


def test_index_rows_carry_what_the_search_index_needs(store):
    put(store, emp("B2", department="Data", level="L3", open_to_moves=False,
                   skills=[SkillEvidence("python", "p"), SkillEvidence("sql", "s")]),
        vector=vec(0.5, 0.5, 0.5, 0.5), terms=("python", "데이터"), words=40)
    put(store, emp("A1", department="", level="", skills=[]), terms=(), words=0)
    rows = list(store.index_rows())
    assert [r.id for r in rows] == ["A1", "B2"]
    a, b = rows
    assert (a.department, a.level, a.open_to_moves, a.skill_ids, a.terms, a.profile_words, a.vector) == \
        ("", "", True, (), (), 0, None)
    assert (b.department, b.level, b.open_to_moves, b.skill_ids, b.terms, b.profile_words) == \
        ("Data", "L3", False, ("python", "sql"), ("python", "데이터"), 40)
    assert np.allclose(b.vector, 0.5)


# ---- audit, shortlists, searches ----------------------------------------------------------------------------------
def test_audit_log_order_limit_and_contents(store):
    for n in range(5):
        store.add_audit(f"M{n}", "search", f"카프카 {n}", [f"E{n}", "E9"], {"filters": ["--open-only"], "n": n})
    store.add_audit("M9", "view", "", [])
    entries = store.list_audit()
    assert [e.actor_id for e in entries] == ["M0", "M1", "M2", "M3", "M4", "M9"]
    first = entries[0]
    assert first.action == "search" and first.query == "카프카 0" and first.shown_ids == ("E0", "E9")
    assert first.details == {"filters": ["--open-only"], "n": 0} and first.at
    assert entries[-1].shown_ids == () and entries[-1].details == {}
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    latest = store.list_audit(limit=2)
    assert [e.actor_id for e in latest] == ["M4", "M9"]          # the newest two, oldest first


def test_shortlist_is_idempotent_and_per_owner(store):
    assert store.add_to_shortlist("M1", "E2", "good fit") is True
    assert store.add_to_shortlist("M1", "E2", "again") is False
    assert store.add_to_shortlist("M1", "E1") is True
    assert store.add_to_shortlist("M2", "E2") is True
    assert sorted(store.shortlist("M1")) == ["E1", "E2"]
    assert store.shortlist("M2") == ["E2"] and store.shortlist("M3") == []


def test_save_and_load_search(store):
    assert store.load_search("s1") is None
    store.save_search("s1", "M1", "카프카 engineer", {"departments": ["결제"], "open_only": True})
    assert store.load_search("s1") == ("M1", "카프카 engineer", {"departments": ["결제"], "open_only": True})
    store.save_search("s1", "M2", "go", {})                      # same id: replaced
    assert store.load_search("s1") == ("M2", "go", {})


# ---- transactions and concurrency ---------------------------------------------------------------------------------
def test_transaction_commits_everything_together(store):
    v = store.data_version()
    with store.transaction():
        put(store, emp("E1"))
        put(store, emp("E2"))
        store.set_embedding("E1", vec(1, 0, 0, 0), "m")
        assert store.count_employees() == 2                # the transaction sees its own writes
    assert store.count_employees() == 2 and store.embedding_model() == ("m", DIM)
    assert store.data_version() > v


def test_transaction_rolls_back_on_error(store):
    put(store, emp("E0"))
    v = store.data_version()
    with pytest.raises(RuntimeError, match="boom"):
        with store.transaction():
            put(store, emp("E1"), vector=vec(1, 0, 0, 0))
            store.set_embedding("E0", vec(0, 1, 0, 0), "m")
            store.delete_employee("E0")
            raise RuntimeError("boom")
    assert [e.id for e in store.list_employees()] == ["E0"]
    assert store.embedding_model() is None and store.data_version() == v
    put(store, emp("E3"))                                  # the store is still usable
    assert store.count_employees() == 2


def test_concurrent_writers(store):
    errors: list[BaseException] = []

    def writer(t: int) -> None:
        try:
            for n in range(50):
                put(store, emp(f"T{t}-{n:02d}", email=f"t{t}n{n}@x.example"),
                    vector=vec(t, n, 1, 0) if n % 2 else None)
                if n % 10 == 0:
                    store.add_audit(f"T{t}", "search", "q", [])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert store.count_employees() == 200
    assert len(list(store.index_rows())) == 200 and store.embedding_models() == [("m", DIM, 100)]
    assert len(store.list_audit()) == 20


# ---- server-only extras (MySqlStore) ------------------------------------------------------------------------------
def test_server_capabilities_and_ann_search(backend, store):
    if backend.name == "sqlite":
        pytest.skip("server backends only")
    caps = store.capabilities()
    assert caps["backend"] == store.backend_name == ("tidb" if backend.name == "tidb" else "mysql")
    assert isinstance(caps["native_vector"], bool) and caps["server"]
    put(store, emp("E1"), vector=vec(1, 0, 0, 0))
    put(store, emp("E2"), vector=vec(0.9, 0.1, 0, 0))
    put(store, emp("E3"), vector=vec(0, 0, 1, 0))
    put(store, emp("E4"))
    hits = store.ann_search(vec(1, 0, 0, 0), 2)
    assert [h[0] for h in hits] == ["E1", "E2"] and hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [h[0] for h in store.ann_search(vec(1, 0, 0, 0), 2, fetch_more=5)] == ["E1", "E2", "E3"]
    assert store.ann_search(vec(1, 0, 0, 0), 0) == []


def test_conversation_references_round_trip(store):
    reference = {"conversation": {"id": "a:conv-1"}, "serviceUrl": "https://smba.example/amer/", "user": {"id": "29:x"}}
    store.save_conversation_ref("teams", "E1", reference)
    store.save_conversation_ref("teams", "E1", {**reference, "activityId": "2"})
    assert store.load_conversation_ref("teams", "E1")["activityId"] == "2"
    assert store.load_conversation_ref("slack", "E1") is None


def test_a_lease_has_one_holder_until_it_expires_or_is_released(store):
    assert store.try_acquire_lease("nightly-reindex", "node-a", 60, now=1000.0)
    assert not store.try_acquire_lease("nightly-reindex", "node-b", 60, now=1010.0)
    assert store.try_acquire_lease("nightly-reindex", "node-a", 60, now=1020.0)        # the holder renews
    assert store.try_acquire_lease("nightly-reindex", "node-b", 60, now=1081.0)        # expired: taken over
    assert not store.try_acquire_lease("nightly-reindex", "node-a", 60, now=1082.0)
    store.release_lease("nightly-reindex", "node-b")
    assert store.try_acquire_lease("nightly-reindex", "node-a", 60, now=1083.0)
    assert store.try_acquire_lease("other-job", "node-b", 60, now=1083.0)             # leases are per job


def test_concurrent_lease_attempts_grant_exactly_one(store):
    results = []
    barrier = threading.Barrier(4)

    def attempt(holder):
        barrier.wait()
        results.append(store.try_acquire_lease("race", holder, 60, now=5000.0))

    threads = [threading.Thread(target=attempt, args=(f"node-{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


def test_two_schedulers_on_one_database_never_run_the_same_job_twice(backend, store):
    """Two server instances (two stores, two apscheduler schedulers) fire the same job at the same moment."""
    import datetime
    import time as clock

    from apscheduler.schedulers.background import BackgroundScheduler

    from scheduler.jobs import LeasedJobs

    other_store = backend.reopen(store)
    started = []

    def work(renew):
        started.append(clock.monotonic())
        assert renew()             # the holder may extend its own lease
        clock.sleep(0.6)           # long enough that both fire while the first still runs

    instances = [LeasedJobs(store, "node-a"), LeasedJobs(other_store, "node-b")]
    schedulers = []
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=0.5)
    for jobs in instances:
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(lambda jobs=jobs: jobs.run_once("nightly-reindex", work), "date", run_date=when)
        scheduler.start()
        schedulers.append(scheduler)
    deadline = clock.monotonic() + 10
    while clock.monotonic() < deadline and (len(started) < 1 or any(s.get_jobs() for s in schedulers)):
        clock.sleep(0.05)
    clock.sleep(0.8)
    for scheduler in schedulers:
        scheduler.shutdown(wait=True)
    assert len(started) == 1
    assert sum(len(j.runs) for j in instances) == 1
    # the lease was released: the next night either instance may run it
    assert store.try_acquire_lease("nightly-reindex", "node-b", 60)
    other_store.close()


def test_a_dead_holders_lease_expires(store):
    from scheduler.jobs import LeasedJobs

    dead = LeasedJobs(store, "node-dead", lease_seconds=0.2)
    assert store.try_acquire_lease("nightly-reindex", dead.holder, dead.lease_seconds)   # and then it crashed
    alive = LeasedJobs(store, "node-alive")
    assert not alive.run_once("nightly-reindex", lambda renew: None)
    import time as clock

    clock.sleep(0.3)
    assert alive.run_once("nightly-reindex", lambda renew: None)
