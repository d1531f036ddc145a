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
from bot.adapters.storage import SqlStore
from bot.adapters.storage import connection as cx
from core.errors import SchemaTooNewError, StoreError

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
            cfg = cx.parse_url(url)
            conn = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password,
                                   connect_timeout=2, ssl=cx.ssl_context(cfg))
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
        return SqlStore.target_schema_version

    def fresh(self):
        """A new, not yet migrated store on an empty database."""
        if self.name == "sqlite":
            return SqlStore.sqlite(self.tmp / f"fresh-{uuid.uuid4().hex[:8]}.sqlite3")
        store = SqlStore.from_url(with_database(self.url, f"ih_test_{uuid.uuid4().hex[:12]}"))
        self.extra.append(store)
        return store

    def reopen(self, store):
        if self.name == "sqlite":
            return SqlStore.sqlite(store.path)
        other = SqlStore.from_url(with_database(self.url, store.database))
        return other

    def claim_newer_schema(self, store) -> None:
        """Make the database look as if a newer Internal Hire had migrated it (a revision this code does not know)."""
        newer = f"{self.schema_version + 1:04d}"
        if self.name == "sqlite":
            conn = sqlite3.connect(store.path)
            conn.execute("UPDATE alembic_version SET version_num = ?", (newer,))
            conn.commit()
            conn.close()
        else:
            raw_sql(store, "UPDATE alembic_version SET version_num = %s", (newer,))


def raw_sql(store: SqlStore, *statements_and_params) -> None:
    cfg = store.config
    conn = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password, database=store.database,
                           autocommit=True, ssl=cx.ssl_context(cfg))
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
    shared = SqlStore.from_url(with_database(url, f"ih_test_{uuid.uuid4().hex[:12]}"))
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
        s = SqlStore.sqlite(tmp_path / "db.sqlite3")
        s.migrate()
        yield s
        s.close()
        return
    raw_sql(backend.shared, "DELETE FROM embeddings", "DELETE FROM employees", "DELETE FROM audit_log",
            "DELETE FROM shortlists", "DELETE FROM searches", "DELETE FROM leases", "DELETE FROM conversation_refs",
            "DELETE FROM drafts", "DELETE FROM ai_usage",
            "DELETE FROM companies", "DELETE FROM postings", "DELETE FROM company_docs", "DELETE FROM prepared",
            "DELETE FROM jds", "DELETE FROM jd_versions", "DELETE FROM jd_decisions", "DELETE FROM openings",
            "DELETE FROM jobs", "DELETE FROM demographics", "DELETE FROM deliveries", "DELETE FROM schedule_runs",
            "DELETE FROM index_changes",
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


def test_a_closed_store_refuses_work_instead_of_reconnecting(backend):
    """A watcher left behind by a stopped server must not keep acting on the database through a closed store."""
    store = backend.fresh()
    store.migrate()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count_employees()
    with pytest.raises(StoreError, match="closed"):
        store.set_meta("k", "v")


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


def test_mentors_and_people_by_role(store):
    put(store, emp("E1", mentor=True, role=Role.HR_ADMIN))
    put(store, emp("E2", mentor=False, role=Role.EMPLOYEE))
    put(store, emp("E3", mentor=True, role=Role.HR_ADMIN))
    assert [e.id for e in store.list_mentors()] == ["E1", "E3"]
    assert [e.id for e in store.employees_with_role("hr_admin")] == ["E1", "E3"]
    assert store.employees_with_role("manager") == []


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


def test_old_unconfirmed_resume_drafts_are_purged(store):
    from datetime import datetime, timedelta, timezone

    from scheduler.jobs import purge_unconfirmed_resumes

    store.save_draft("r1", "E1", "resume", {"text": "redacted resume"})
    store.save_draft("j1", "E1", "jd_set", {"x": 1})
    assert purge_unconfirmed_resumes(store) == 0                          # a fresh one stays
    later = datetime.now(timezone.utc) + timedelta(days=8)
    assert purge_unconfirmed_resumes(store, now=later) == 1
    assert store.load_draft("r1") is None and store.load_draft("j1") is not None


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


def test_summary_vectors_are_stored_beside_the_text_vector_and_never_outlive_it(store):
    store.upsert_profile(emp("E1"), "h1", ["kafka"], 12, vec(1, 0, 0, 0), "m", summary_vector=vec(0, 1, 0, 0))
    put(store, emp("E2"), vector=vec(0, 0, 1, 0))                        # nothing to summarise
    rows = {r.id: r for r in store.index_rows()}
    assert np.array_equal(rows["E1"].summary_vector, vec(0, 1, 0, 0)) and rows["E2"].summary_vector is None
    assert store.ids_missing_embedding("m") == []
    store.set_embedding("E1", vec(0, 0, 0, 1), "m")                      # re-embedded without a summary
    assert {r.id: r for r in store.index_rows()}["E1"].summary_vector is None
    store.set_embedding("E1", vec(0, 0, 0, 1), "m", summary_vector=vec(1, 1, 0, 0))
    assert np.array_equal({r.id: r for r in store.index_rows()}["E1"].summary_vector, vec(1, 1, 0, 0))
    # a vector stored before schema 6 has no summary yet: the nightly re-embedding picks it up
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE embeddings SET summary_vector = NULL WHERE employee_id = 'E2'")
    assert store.ids_missing_embedding("m") == ["E2"]


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


# ---- server-only extras ------------------------------------------------------------------------------------------
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


def test_a_weekly_digest_is_marked_sent_once_and_opt_outs_toggle(store):
    results = []
    barrier = threading.Barrier(4)

    def attempt():
        barrier.wait()
        results.append(store.mark_digest_sent("E0001", "2026-12-07"))

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert store.mark_digest_sent("E0001", "2026-12-14") and store.mark_digest_sent("E0002", "2026-12-07")
    assert store.digest_sent_ids("2026-12-07") == {"E0001", "E0002"}
    store.set_digests_off("E0001", True)
    store.set_digests_off("E0001", True)                      # saying it twice changes nothing
    assert store.digests_off_ids() == {"E0001"}
    store.set_digests_off("E0001", False)
    assert store.digests_off_ids() == set()


def test_a_digest_claim_is_held_once_expires_and_never_outlives_the_sent_marker(store):
    results = []
    barrier = threading.Barrier(4)

    def attempt(n):
        barrier.wait()
        results.append(store.claim_digest("E0042", "2027-01-04", f"node-{n}", 60, now=1000.0))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]                   # a live claim: one sender
    assert not store.claim_digest("E0042", "2027-01-04", "node-x", 60, now=1059.0)
    assert store.claim_digest("E0042", "2027-01-04", "node-x", 60, now=1061.0)   # expired: taken over
    assert store.digest_attempts("2027-01-04")["E0042"]["attempts"] == 2
    store.release_digest("E0042", "2027-01-04", "node-x", "failed", "Slack answered 500")
    assert store.digest_attempts("2027-01-04")["E0042"]["status"] == "failed"
    assert store.claim_digest("E0042", "2027-01-04", "node-y", 60, now=1062.0)   # a failure is retried at once
    assert store.mark_digest_sent("E0042", "2027-01-04") and not store.mark_digest_sent("E0042", "2027-01-04")
    assert store.digest_sent_ids("2027-01-04") == {"E0042"} and store.digest_attempts("2027-01-04") == {}
    assert not store.claim_digest("E0042", "2027-01-04", "node-z", 60, now=9999.0)   # sent: never again


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


# ---- job descriptions (schema 4): company knowledge, JD records and decisions, openings, the job queue -----------
from core.jd.model import (Company, DocChunk, JdDraft, JdRecord, JdStatus, Opening, OpeningStatus, Posting,  # noqa: E402
                           SensitiveEntity)


def company(cid: str = "hanbit", **kw) -> Company:
    base = dict(id=cid, name="한빛페이", description="간편결제 핀테크", ideal_candidate="고객 문제를 끝까지 파고드는 사람",
                sensitive_entities=[SensitiveEntity("Project Aurora", "product", "차세대 결제 플랫폼"),
                                    SensitiveEntity("오로라")], lang="ko", benefits=["유연 근무", "교육비 지원"])
    base.update(kw)
    return Company(**base)


def posting(pid: str = "P1", family: str = "1000229", level: str = "L4", posted_at: str = "2025-03-01",
            **kw) -> Posting:
    base = dict(id=pid, company_id="hanbit", family=family, level=level, title="시니어 백엔드 개발자",
                sections={"responsibilities": ["결제 API 설계와 운영"], "requirements": ["Kotlin, Spring Boot 5년 이상"]},
                posted_at=posted_at, lang="ko")
    base.update(kw)
    return Posting(**base)


def jd_record(jd_id: str = "JD1", status: JdStatus = JdStatus.DRAFT, version: int = 1) -> JdRecord:
    draft = JdDraft(title="시니어 백엔드 개발자", summary="결제 플랫폼을 함께 만듭니다.", responsibilities=["결제 API 설계"],
                    requirements=["Kotlin 5년 이상"], company_id="hanbit", family="1000229", level="L4")
    return JdRecord(id=jd_id, company_id="hanbit", family="1000229", level="L4", title=draft.title, status=status,
                    version=version, draft=draft, owner_id="E0001", origin={"style": "concise"})


def test_companies_postings_documents_and_prepared_drafts_round_trip(store):
    assert store.get_company("hanbit") is None and store.list_companies() == []
    assert store.upsert_company(company()) is True
    assert store.upsert_company(company(description="간편결제와 송금")) is False
    got = store.get_company("hanbit")
    assert got == company(description="간편결제와 송금")
    assert got.sensitive_entities[0] == SensitiveEntity("Project Aurora", "product", "차세대 결제 플랫폼")
    store.upsert_company(company("acme", name="Acme Games", lang="en"))
    assert [c.id for c in store.list_companies()] == ["acme", "hanbit"]          # by name

    assert store.upsert_posting(posting("P1", posted_at="2024-01-01")) == "added"
    assert store.upsert_posting(posting("P1", posted_at="2024-01-01")) == "unchanged"
    assert store.upsert_posting(posting("P1", posted_at="2025-05-01", title="백엔드 개발자")) == "updated"
    store.upsert_posting(posting("P2", level="L2", posted_at="2025-01-01"))
    store.upsert_posting(posting("P3", family="1000230", posted_at="2023-01-01"))
    assert store.get_posting("P1").title == "백엔드 개발자" and store.get_posting("nope") is None
    assert store.get_posting("P1").items("requirements") == ["Kotlin, Spring Boot 5년 이상"]
    assert [p.id for p in store.list_postings("hanbit")] == ["P1", "P2", "P3"]        # newest first
    assert [p.id for p in store.list_postings("hanbit", family="1000229")] == ["P1", "P2"]
    assert [p.id for p in store.list_postings("hanbit", family="1000229", level="L2")] == ["P2"]
    assert store.list_postings("acme") == []

    chunks = [DocChunk("hanbit", "handbook.md", n, f"핸드북 > {n}장", f"본문 {n}") for n in range(3)]
    store.replace_document("hanbit", "handbook.md", "핸드북", chunks)
    store.replace_document("hanbit", "culture.md", "Culture", [DocChunk("hanbit", "culture.md", 0, "Culture", "x")])
    assert store.list_doc_chunks("hanbit", "handbook.md") == chunks
    store.replace_document("hanbit", "handbook.md", "핸드북", chunks[:1])              # re-import replaces
    assert [c.doc_id for c in store.list_doc_chunks("hanbit")] == ["culture.md", "handbook.md"]
    assert store.list_doc_chunks("acme") == []

    payload = {"drafts": {"ko": {"concise": {"title": "시니어 백엔드 개발자"}}}, "skills": [["kotlin", 2, 1.0]]}
    assert store.load_prepared("hanbit", "1000229", "L4") is None
    store.save_prepared("hanbit", "1000229", "L4", payload, "hash-1")
    store.save_prepared("hanbit", "1000229", "L4", payload, "hash-2")
    store.save_prepared("hanbit", "1000229", "L2", {"x": 1}, "hash-3")
    assert store.load_prepared("hanbit", "1000229", "L4") == payload
    assert store.prepared_keys("hanbit") == [("1000229", "L2", "hash-3"), ("1000229", "L4", "hash-2")]
    assert store.delete_prepared("hanbit", "1000229", "L2") is True
    assert store.delete_prepared("hanbit", "1000229", "L2") is False
    assert store.prepared_keys("acme") == []


def test_jd_data_does_not_invalidate_the_search_index(store):
    before = store.data_version()
    store.upsert_company(company())
    store.upsert_posting(posting())
    store.save_prepared("hanbit", "1000229", "L4", {}, "h")
    store.create_jd(jd_record(), "E0001")
    store.enqueue_job("J1", "custom_jd", {}, "E0001")
    assert store.data_version() == before


def test_every_edit_is_a_version_and_a_stale_edit_changes_nothing(store):
    store.create_jd(jd_record(), "E0001", "created from the concise draft")
    edited = jd_record().draft.with_section("summary", "결제 플랫폼의 안정성을 책임집니다.")
    assert store.update_jd_draft("JD1", 1, edited, "E0001", "summary rewritten") == 2
    assert store.update_jd_draft("JD1", 1, jd_record().draft, "E0009", "from an old card") is None     # stale
    got = store.get_jd("JD1")
    assert got.version == 2 and got.draft.summary == "결제 플랫폼의 안정성을 책임집니다." and got.status == JdStatus.DRAFT
    versions = store.jd_versions("JD1")
    assert [(v.version, v.editor_id, v.note) for v in versions] == [(1, "E0001", "created from the concise draft"),
                                                                     (2, "E0001", "summary rewritten")]
    assert versions[0].draft.summary == "결제 플랫폼을 함께 만듭니다." and versions[1].at
    assert store.get_jd("missing") is None and store.update_jd_draft("missing", 1, edited, "E1") is None


def test_decisions_are_conditional_on_status_and_version_and_are_recorded(store):
    store.create_jd(jd_record(), "E0001")
    assert store.decide_jd("JD1", 1, "submit", ("draft", "changes_requested"), "pending_approval", "E0001")
    assert not store.decide_jd("JD1", 1, "submit", ("draft", "changes_requested"), "pending_approval", "E0001")
    assert not store.decide_jd("JD1", 7, "approve", ("pending_approval",), "approved", "HR1")     # wrong version
    assert store.decide_jd("JD1", 1, "request_changes", ("pending_approval",), "changes_requested", "HR1",
                           "연봉 범위를 빼 주세요")
    assert store.update_jd_draft("JD1", 1, jd_record().draft, "E0001", "fixed") == 2
    assert store.decide_jd("JD1", 2, "submit", ("draft", "changes_requested"), "pending_approval", "E0001")
    assert store.update_jd_draft("JD1", 2, jd_record().draft, "E0001", "typo while pending") == 3
    assert not store.decide_jd("JD1", 2, "approve", ("pending_approval",), "approved", "HR1")     # card was stale
    assert store.decide_jd("JD1", 3, "approve", ("pending_approval",), "approved", "HR1")
    assert not store.decide_jd("JD1", 3, "approve", ("pending_approval",), "approved", "HR2")     # second click
    assert store.update_jd_draft("JD1", 3, jd_record().draft, "E0001") is None                  # approved: frozen
    decisions = store.jd_decisions("JD1")
    assert [(d.action, d.from_status, d.to_status, d.actor_id, d.version) for d in decisions] == [
        ("submit", "draft", "pending_approval", "E0001", 1),
        ("request_changes", "pending_approval", "changes_requested", "HR1", 1),
        ("submit", "changes_requested", "pending_approval", "E0001", 2),
        ("approve", "pending_approval", "approved", "HR1", 3)]
    assert decisions[1].reason == "연봉 범위를 빼 주세요" and all(d.at for d in decisions)
    assert store.get_jd("JD1").status == JdStatus.APPROVED
    assert not store.decide_jd("missing", 1, "approve", ("pending_approval",), "approved", "HR1")


def test_publishing_creates_one_opening_and_a_retry_does_nothing(store):
    store.create_jd(jd_record(status=JdStatus.APPROVED), "E0001")
    opening = Opening("OP1", "JD1", "hanbit", "1000229", "L4", "시니어 백엔드 개발자", OpeningStatus.OPEN, "HR1",
                      "2025-06-01T00:00:00+00:00")
    assert store.publish_jd("JD1", 1, opening, "HR1") is True
    assert store.publish_jd("JD1", 1, Opening(**{**opening.__dict__, "id": "OP2"}), "HR1") is False    # retry
    assert store.get_jd("JD1").status == JdStatus.PUBLISHED
    assert store.opening_for_jd("JD1") == opening == store.get_opening("OP1")
    assert store.get_opening("OP2") is None and [o.id for o in store.list_openings()] == ["OP1"]
    assert [o.id for o in store.list_openings(status="open", company_id="hanbit")] == ["OP1"]
    assert store.set_opening_status("OP1", OpeningStatus.CLOSED, "HR1") is True
    assert store.set_opening_status("OP1", "closed", "HR1") is False
    closed = store.get_opening("OP1")
    assert closed.status == OpeningStatus.CLOSED and closed.closed_at
    assert store.list_openings(status="open") == []
    assert [d.action for d in store.jd_decisions("JD1")] == ["publish", "close"]
    store.create_jd(jd_record("JD2", status=JdStatus.PENDING_APPROVAL), "E0001")
    assert store.publish_jd("JD2", 1, Opening(**{**opening.__dict__, "id": "OP3", "jd_id": "JD2"}), "HR1") is False
    assert store.opening_for_jd("JD2") is None


def test_list_jds_filters_and_orders(store):
    store.create_jd(jd_record("JD1"), "E0001")
    store.create_jd(jd_record("JD2", status=JdStatus.PENDING_APPROVAL), "E0001")
    assert [j.id for j in store.list_jds(status="pending_approval")] == ["JD2"]
    assert {j.id for j in store.list_jds(owner_id="E0001", company_id="hanbit")} == {"JD1", "JD2"}
    assert store.list_jds(owner_id="nobody") == []


def _race(n: int, attempt) -> list:
    results, errors = [], []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results.append(attempt(i))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_double_approve_race_has_exactly_one_winner(backend, store):
    """Two HR people (and a Slack retry) press Approve at the same moment, through two store instances."""
    other = backend.reopen(store)
    try:
        for round_no in range(3):
            jd_id = f"RACE{round_no}"
            store.create_jd(jd_record(jd_id, status=JdStatus.PENDING_APPROVAL), "E0001")
            stores = [store, other]
            results = _race(6, lambda i: stores[i % 2].decide_jd(
                jd_id, 1, "approve" if i % 3 else "reject", ("pending_approval",),
                "approved" if i % 3 else "rejected", f"HR{i}", "" if i % 3 else "no budget"))
            assert sorted(results) == [False] * 5 + [True]
            decisions = store.jd_decisions(jd_id)
            assert len(decisions) == 1 and store.get_jd(jd_id).status.value == decisions[0].to_status
    finally:
        other.close()


def test_concurrent_publish_creates_one_opening(backend, store):
    other = backend.reopen(store)
    try:
        store.create_jd(jd_record(status=JdStatus.APPROVED), "E0001")
        stores = [store, other]
        results = _race(4, lambda i: stores[i % 2].publish_jd(
            "JD1", 1, Opening(f"OP{i}", "JD1", "hanbit", "1000229", "L4", "t", OpeningStatus.OPEN, "HR1", "now"), "HR1"))
        assert sorted(results) == [False, False, False, True]
        assert len(store.list_openings()) == 1
    finally:
        other.close()


def test_job_queue_claims_in_order_with_a_lease_and_completes_once(store):
    for n, at in ((1, 100.0), (2, 101.0), (3, 102.0)):
        store.enqueue_job(f"J{n}", "custom_jd", {"n": n, "요청": "백엔드"}, "E0001", now=at)
    store.enqueue_job("K1", "other", {}, "E0002", now=99.0)
    assert store.job_counts(now=103.0) == {"queued": 4, "running": 0, "done": 0, "failed": 0}
    assert store.job_queue_position("J3", now=103.0) == (3, 0)                 # K1, J1, J2 are ahead
    job = store.claim_job("w1", 30, kinds=("custom_jd",), now=103.0)
    assert (job.id, job.status, job.lease_owner, job.attempts, job.started_at) == ("J1", "running", "w1", 1, 103.0)
    assert job.payload == {"n": 1, "요청": "백엔드"} and job.lease_until == 133.0 and job.requester == "E0001"
    assert store.job_queue_position("J1", now=104.0) == (0, 1)
    assert store.job_queue_position("J3", now=104.0) == (2, 1)
    assert store.job_queue_position("nope") is None
    assert store.renew_job_lease("J1", "w1", 30, now=110.0) is True
    assert store.renew_job_lease("J1", "w1", 30, now=110.0) is True            # the same lease end again
    assert store.renew_job_lease("J1", "w2", 30, now=110.0) is False
    assert store.set_job_progress("J1", "w1", {"sections": ["title"]}) is True
    assert store.set_job_progress("J1", "w2", {"sections": []}) is False
    assert store.get_job("J1").progress == {"sections": ["title"]}
    assert store.complete_job("J1", "w2", {"x": 1}, now=111.0) is False         # not the holder
    assert store.complete_job("J1", "w1", {"draft": "초안"}, now=113.0) is True
    assert store.complete_job("J1", "w1", {"draft": "again"}, now=114.0) is False
    done = store.get_job("J1")
    assert (done.status, done.result, done.finished_at, done.notified) == ("done", {"draft": "초안"}, 113.0, False)
    assert store.recent_job_durations("custom_jd") == [10.0] and store.recent_job_durations("other") == []
    assert store.claim_job("w1", 30, now=115.0).id == "K1"                     # any kind when none is named
    assert store.get_job("missing") is None


def test_a_job_whose_worker_died_is_claimed_again_and_gives_up_after_max_attempts(store):
    store.enqueue_job("J1", "custom_jd", {}, "E0001", max_attempts=2, now=100.0)
    assert store.claim_job("dead-1", 10, now=100.0).attempts == 1
    assert store.claim_job("w2", 10, now=105.0) is None                        # lease still live
    assert store.job_counts(now=105.0)["running"] == 1
    assert store.job_counts(now=111.0)["queued"] == 1                           # expired: counted as waiting again
    again = store.claim_job("dead-2", 10, now=111.0)
    assert (again.id, again.attempts, again.lease_owner) == ("J1", 2, "dead-2")
    assert store.complete_job("J1", "dead-1", {}, now=112.0) is False          # the first worker lost it
    assert store.claim_job("w3", 10, now=130.0) is None                        # no attempts left: failed, not run
    failed = store.get_job("J1")
    assert failed.status == "failed" and "gave up after 2" in failed.error and failed.finished_at == 130.0


def test_failed_attempts_are_retried_with_back_off_then_fail(store):
    store.enqueue_job("J1", "custom_jd", {}, "E0001", max_attempts=2, now=100.0)
    store.claim_job("w1", 30, now=100.0)
    assert store.fail_job("J1", "w2", "not mine", now=101.0) is None
    assert store.fail_job("J1", "w1", "Gemini timed out", retry_delay=5, now=101.0) == "queued"
    assert store.claim_job("w1", 30, now=103.0) is None                        # backing off
    assert store.claim_job("w1", 30, now=106.0).attempts == 2
    assert store.fail_job("J1", "w1", "Gemini timed out again", now=107.0) == "failed"
    job = store.get_job("J1")
    assert (job.status, job.error, job.finished_at) == ("failed", "Gemini timed out again", 107.0)
    assert [j.id for j in store.pending_notifications()] == ["J1"]           # failures are reported too


def test_notifications_are_marked_exactly_once(backend, store):
    store.enqueue_job("J1", "custom_jd", {}, "E0001", now=100.0)
    store.enqueue_job("J2", "custom_jd", {}, "E0001", now=101.0)
    assert store.pending_notifications() == []
    store.claim_job("w", 30, now=102.0)
    assert store.mark_job_notified("J1") is False                              # not finished yet
    store.complete_job("J1", "w", {}, now=103.0)
    assert [j.id for j in store.pending_notifications()] == ["J1"]
    other = backend.reopen(store)
    try:
        stores = [store, other]
        assert sorted(_race(6, lambda i: stores[i % 2].mark_job_notified("J1"))) == [False] * 5 + [True]
    finally:
        other.close()
    assert store.pending_notifications() == [] and store.get_job("J1").notified


def test_job_claim_race_gives_each_job_to_exactly_one_worker(backend, store):
    for n in range(12):
        store.enqueue_job(f"J{n:02d}", "custom_jd", {"n": n}, "E0001", now=100.0 + n)
    other = backend.reopen(store)
    try:
        stores = [store, other]
        claimed: list[str] = []
        lock = threading.Lock()

        def worker(i: int) -> int:
            got = 0
            while True:
                job = stores[i % 2].claim_job(f"w{i}", 60, now=200.0)
                if job is None:
                    return got
                with lock:
                    claimed.append(job.id)
                got += 1

        counts = _race(6, worker)
    finally:
        other.close()
    assert sorted(claimed) == [f"J{n:02d}" for n in range(12)]                 # each job once, none lost
    assert sum(counts) == 12
    assert all(store.get_job(f"J{n:02d}").attempts == 1 for n in range(12))


def test_shortlist_entries_carry_when_each_was_added(store):
    """The weekly digest's shortlist changes: each entry with its time, oldest first, per owner."""
    store.add_to_shortlist("M1", "E2")
    store.add_to_shortlist("M1", "E1")
    store.add_to_shortlist("M2", "E1")
    entries = store.shortlist_entries("M1")
    assert sorted(i for i, _at in entries) == ["E1", "E2"] and [i for i, _ in entries] == store.shortlist("M1")
    from datetime import datetime

    assert all(datetime.fromisoformat(at.replace("Z", "+00:00")) for _i, at in entries)
    assert store.shortlist_entries("M3") == []
