"""Databases left by the hand-migrated releases (schema versions 1-5, built from a frozen copy of its DDL in
tests/legacy_schema.py) are detected, stamped at their version and upgraded by Alembic: every row of every table
survives byte for byte, the store reads and writes them, and the upgraded schema is the one a fresh database gets.
On SQLite and MariaDB (and TiDB with TIDB_DSN)."""
from __future__ import annotations

import sqlite3
import uuid

import numpy as np
import pymysql
import pytest

from bot.adapters.storage import SqlStore
from bot.adapters.storage import connection as cx
from bot.adapters.storage import jd_records as jr
from bot.adapters.storage import schema
from bot.adapters.storage.records import employee_values, vector_to_blob
from core.domain import Employee, ProfileDetails, Role, SkillEvidence, WorkRole
from core.errors import SchemaTooNewError
from tests import legacy_schema as legacy
from tests.contract.test_store_contract import company, jd_record, posting, server_url, with_database

HEAD = SqlStore.target_schema_version
TABLES_AT = {1: ("meta", "employees", "embeddings", "audit_log", "shortlists", "searches"),
             2: ("conversation_refs", "leases"), 3: ("drafts", "ai_usage"),
             4: ("companies", "postings", "company_docs", "prepared", "jds", "jd_versions", "jd_decisions", "openings",
                 "jobs"),
             5: ("demographics",)}
K1_VECTOR = np.array([0.1, -0.25, 1e-7, 3.3333333], dtype=np.float32)


def korean() -> Employee:
    return Employee(id="K1", display_name="김민지", email="Minji@X.example", slack_user_id="UK1", teams_user_id="29:k1",
                    department="결제팀", title="백엔드 엔지니어", level="L4", location="서울", role=Role.HR_ADMIN,
                    open_to_moves=True, languages=["ko", "en"], resume_text="카프카 파이프라인을 구축했습니다.\nLine two",
                    skills=[SkillEvidence("kafka", "카프카 파이프라인 구축", "advanced"), SkillEvidence("go", "Go")],
                    updated_at="2026-11-01T09:00:00+00:00",
                    details=ProfileDetails(roles=[WorkRole("Backend Engineer", "토스", "2019-03", "")],
                                           years_experience=6.5, summary="Payments backend"), mentor=True)


def legacy_rows(version: int) -> dict[str, list[dict]]:
    """A row or more for every table that exists at `version`, as the old stores wrote them."""
    employee = dict(zip(("id", "display_name", "email", "slack_user_id", "teams_user_id", "department", "title",
                         "level", "location", "role", "open_to_moves", "languages", "resume_text", "skills",
                         "updated_at", "details", "mentor"), employee_values(korean())))
    employee |= {"resume_hash": "hash-k1", "terms": "kafka 카프카", "profile_words": 42}
    plain = {"id": "E1", "display_name": "Ann Lee", "email": None, "slack_user_id": None, "teams_user_id": None,
             "department": None, "title": None, "level": None, "location": None, "role": "employee",
             "open_to_moves": 0, "languages": None, "resume_text": None, "skills": None, "updated_at": None,
             "resume_hash": None, "terms": None, "profile_words": 0}
    if version < 3:
        employee = {k: v for k, v in employee.items() if k not in ("details", "mentor")}
    rows = {
        "meta": [{"key": "data_version", "value": "7"}, {"key": "custom", "value": "값"}],
        "employees": [employee, plain],
        "embeddings": [{"employee_id": "K1", "model": "use-multilingual-v3", "dim": 4,
                        "vector": vector_to_blob(K1_VECTOR)}],
        "audit_log": [{"at": f"2026-11-0{n}T00:00:00+00:00", "actor_id": "M1", "action": "search",
                       "query": f"카프카 {n}", "shown_ids": '["K1"]', "details": '{"n": %d}' % n} for n in (1, 2, 3)],
        "shortlists": [{"owner_id": "M1", "employee_id": "K1", "note": "좋아요", "at": "2026-11-02T00:00:00+00:00"}],
        "searches": [{"id": "s1", "actor_id": "M1", "query": "kafka", "filters": '{"open_only": true}',
                      "at": "2026-11-02T00:00:00+00:00"}],
    }
    if version >= 2:
        rows["conversation_refs"] = [{"platform": "teams", "user_key": "K1", "reference": '{"conversation": {"id": "a"}}',
                                      "at": "2026-11-03T00:00:00+00:00"}]
        rows["leases"] = [{"name": "nightly-reindex", "holder": "node-a", "expires_at": 4102444800.5}]
    if version >= 3:
        rows["drafts"] = [{"id": "d1", "owner_id": "K1", "kind": "resume", "payload": '{"skills": ["kafka"]}',
                           "at": "2026-11-04T00:00:00+00:00"}]
        rows["ai_usage"] = [{"day": "2026-11-25", "model": "gemini-2.5-flash", "task": "extract_resume", "calls": 2,
                             "cache_hits": 1, "prompt_tokens": 900, "output_tokens": 300}]
    if version >= 4:
        record = jd_record("JD1")
        rows["companies"] = [dict(zip(("id", "name", "data"), jr.company_values(company())),
                                  updated_at="2026-11-05T00:00:00+00:00")]
        rows["postings"] = [dict(zip(jr.POSTING_COLUMNS, jr.posting_values(posting())),
                                 updated_at="2026-11-05T00:00:00+00:00")]
        rows["company_docs"] = [{"company_id": "hanbit", "doc_id": "handbook.md", "chunk_no": n, "title": "핸드북",
                                 "heading": f"핸드북 > {n}장", "text": f"본문 {n}", "updated_at": "2026-11-05"}
                                for n in range(2)]
        rows["prepared"] = [{"company_id": "hanbit", "family": "1000229", "level": "L4",
                             "payload": jr.dumps({"drafts": {"ko": {}}}), "source_hash": "h1", "built_at": "2026-11-05"}]
        rows["jds"] = [dict(zip(jr.JD_COLUMNS, jr.jd_values(record)), created_at="2026-11-06", updated_at="2026-11-06")]
        rows["jd_versions"] = [{"jd_id": "JD1", "version": 1, "draft": jr.dumps(record.draft.to_dict()),
                                "editor_id": "E0001", "note": "created", "at": "2026-11-06"}]
        rows["jd_decisions"] = [{"jd_id": "JD1", "version": 1, "actor_id": "E0001", "action": "submit",
                                 "from_status": "draft", "to_status": "draft", "reason": "", "at": "2026-11-06"}]
        rows["openings"] = [{"id": "OP9", "jd_id": "JD9", "company_id": "hanbit", "family": "1000229", "level": "L4",
                             "title": "시니어", "status": "open", "opened_by": "HR1", "opened_at": "2026-11-06",
                             "closed_at": ""}]
        job = {"kind": "custom_jd", "requester": "E0001", "attempts": 0, "max_attempts": 3, "lease_owner": "",
               "lease_until": 0.0, "started_at": None, "finished_at": None, "result": None, "error": "",
               "progress": None, "notified": 0}
        rows["jobs"] = [job | {"id": "J1", "payload": jr.dumps({"요청": "백엔드"}), "status": "queued",
                               "available_at": 100.0, "created_at": 100.0},
                        job | {"id": "J2", "payload": "{}", "status": "done", "attempts": 1, "available_at": 50.0,
                               "created_at": 50.0, "started_at": 51.0, "finished_at": 61.25,
                               "result": '{"draft": "초안"}', "notified": 1}]
    if version >= 5:
        rows["demographics"] = [{"employee_id": "K1", "category": "sex", "value": "female",
                                 "imported_at": "2026-11-07", "imported_by": "HR1"}]
    return rows


class Legacy:
    """A database of the hand-migrated release, reached with the driver alone (no SQLAlchemy)."""

    def __init__(self, backend: str, tmp_path):
        self.backend = backend
        if backend == "sqlite":
            self.path = tmp_path / "legacy.sqlite3"
        else:
            self.url = with_database(server_url(backend), f"ih_test_{uuid.uuid4().hex[:12]}")
            self.cfg = cx.parse_url(self.url)

    def _connect(self):
        if self.backend == "sqlite":
            return sqlite3.connect(str(self.path))
        cfg = self.cfg
        return pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password,
                               database=cfg.database, autocommit=True, ssl=cx.ssl_context(cfg), charset="utf8mb4")

    def build(self, version: int) -> None:
        if self.backend == "sqlite":
            legacy.build_sqlite(self.path, version)
            return
        cfg = self.cfg
        admin = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password, autocommit=True,
                                ssl=cx.ssl_context(cfg))
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{cfg.database}` CHARACTER SET utf8mb4")
        admin.close()
        conn = self._connect()
        legacy.build_mysql(conn, version)
        conn.close()

    def execute(self, sql: str, params: tuple = ()) -> list:
        conn = self._connect()
        try:
            if self.backend == "sqlite":
                rows = conn.execute(sql, params).fetchall()
                conn.commit()
                return rows
            with conn.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def fill(self, rows: dict[str, list[dict]]) -> None:
        q = '"' if self.backend == "sqlite" else "`"
        for table, items in rows.items():
            if table == "meta":
                self.execute(f"DELETE FROM meta WHERE {q}key{q} = 'data_version'")
            for row in items:
                cols = ", ".join(f"{q}{c}{q}" for c in row)
                self.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))

    def dump(self, tables) -> dict[str, list[tuple]]:
        """Every row of every table, sorted, with its column names: to compare before and after."""
        out = {}
        conn = self._connect()
        try:
            for table in tables:
                cur = conn.cursor()
                cur.execute(f"SELECT * FROM {table}")
                names = [d[0] for d in cur.description]
                out[table] = sorted((tuple(zip(names, row)) for row in cur.fetchall()), key=repr)
        finally:
            conn.close()
        return out

    def schema(self) -> dict:
        if self.backend == "sqlite":
            return legacy.sqlite_schema(self.path)
        conn = self._connect()
        try:
            return legacy.mysql_schema(conn, self.cfg.database)
        finally:
            conn.close()

    def open(self) -> SqlStore:
        return SqlStore.sqlite(self.path) if self.backend == "sqlite" else SqlStore.from_url(self.url)

    def markers(self) -> tuple[int, list]:
        """(the legacy version marker, the Alembic revision rows)."""
        if self.backend == "sqlite":
            marker = self.execute("PRAGMA user_version")[0][0]
        else:
            marker = self.execute("SELECT MAX(version) FROM schema_migrations")[0][0]
        return int(marker), [r[0] for r in self.execute("SELECT version_num FROM alembic_version")]

    def drop(self) -> None:
        if self.backend != "sqlite":
            SqlStore.from_url(self.url).drop_database()


@pytest.fixture(params=["sqlite", "mariadb", "tidb"])
def old_db(request, tmp_path):
    db = Legacy(request.param, tmp_path)
    yield db
    db.drop()


@pytest.mark.parametrize("version", [5, 4, 3, 2, 1])
def test_a_hand_migrated_database_is_stamped_upgraded_and_keeps_every_row(old_db, version):
    old_db.build(version)
    rows = legacy_rows(version)
    old_db.fill(rows)
    tables = [t for v in range(1, version + 1) for t in TABLES_AT[v]]
    assert set(rows) == set(tables)                     # a row in every table of that version
    before = old_db.dump(tables)

    store = old_db.open()
    try:
        assert store.schema_version() == version        # read from the legacy marker
        store.migrate()
        assert store.schema_version() == HEAD and store.check_schema() == HEAD
        assert old_db.markers() == (HEAD, [f"{HEAD:04d}"])
        after = old_db.dump(tables)
        for table in tables:
            # every value the old release wrote is kept; columns added since (schema 3's details and mentor, later
            # ones such as embeddings.summary_vector) arrive empty or with their defaults, so compare the old columns
            old_columns = {k for row in before[table] for k, _ in row}
            after[table] = [tuple((k, v) for k, v in row if k in old_columns) for row in after[table]]
            assert after[table] == before[table], table

        # the store reads what the old release wrote
        assert store.data_version() == 7 and store.get_meta("custom") == "값"
        expected = korean() if version >= 3 else Employee(**{**korean().__dict__, "details": ProfileDetails(),
                                                               "mentor": False})
        assert store.get_employee("K1") == expected
        assert store.find_employee("minji@x.example").id == "K1"
        assert store.get_employee("E1").display_name == "Ann Lee" and store.get_resume_hash("K1") == "hash-k1"
        index = {r.id: r for r in store.index_rows()}
        assert np.array_equal(index["K1"].vector, K1_VECTOR) and index["K1"].terms == ("kafka", "카프카")
        assert index["E1"].vector is None and store.embedding_model() == ("use-multilingual-v3", 4)
        audit = store.list_audit()
        assert [a.query for a in audit] == ["카프카 1", "카프카 2", "카프카 3"] and audit[0].details == {"n": 1}
        assert store.shortlist("M1") == ["K1"] and store.load_search("s1") == ("M1", "kafka", {"open_only": True})
        if version >= 2:
            assert store.load_conversation_ref("teams", "K1") == {"conversation": {"id": "a"}}
            assert not store.try_acquire_lease("nightly-reindex", "node-b", 60)        # node-a still holds it
        if version >= 3:
            assert store.load_draft("d1") == ("K1", "resume", {"skills": ["kafka"]})
            assert store.ai_usage("2026-11-25")[0]["calls"] == 2
        if version >= 4:
            assert store.get_company("hanbit") == company() and store.get_posting("P1") == posting()
            assert [c.heading for c in store.list_doc_chunks("hanbit")] == ["핸드북 > 0장", "핸드북 > 1장"]
            assert store.load_prepared("hanbit", "1000229", "L4") == {"drafts": {"ko": {}}}
            assert store.get_jd("JD1").draft == jd_record().draft and len(store.jd_versions("JD1")) == 1
            assert store.jd_decisions("JD1")[0].action == "submit" and store.get_opening("OP9").title == "시니어"
            done = store.get_job("J2")
            assert (done.status, done.result, done.finished_at, done.notified) == ("done", {"draft": "초안"}, 61.25,
                                                                                   True)
            claimed = store.claim_job("w1", 30, now=200.0)
            assert claimed.id == "J1" and claimed.payload == {"요청": "백엔드"} and claimed.attempts == 1
        if version >= 5:
            assert store.demographics_summary() == {"sex": {"female": 1}}

        # ... and writes on top of it: ids and counters continue where they were
        store.add_audit("M2", "view", "", [])
        assert store.list_audit()[-1].id > max(a.id for a in audit)
        store.upsert_profile(Employee(id="N1", display_name="New"), "h", ["go"], 1, K1_VECTOR, "use-multilingual-v3")
        assert store.data_version() == 8 and store.count_employees() == 3
        store.create_jd(jd_record("JD5"), "E0001")                  # tables of schema 4 work on an upgraded file
        assert store.decide_jd("JD5", 1, "submit", ("draft",), "pending_approval", "E0001")
        store.migrate()                                             # again: nothing to do
        assert old_db.markers() == (HEAD, [f"{HEAD:04d}"])
    finally:
        store.close()


def test_the_upgraded_schema_is_the_fresh_schema_and_the_table_metadata(old_db, tmp_path):
    """Stamping is only safe if the revisions build exactly what the hand-written migrations built."""
    old_db.build(len(legacy.SQLITE_MIGRATIONS))
    legacy_schema = old_db.schema()
    store = old_db.open()
    try:
        store.migrate()
        migrated = old_db.schema()
        # stamping changed nothing the old release made: every old table keeps its columns, in order (revisions
        # after the baseline may add tables and columns) ...
        for name, table in legacy_schema.items():
            assert migrated[name]["columns"][:len(table["columns"])] == table["columns"], name
        legacy_schema = migrated                                    # ... and they build what a fresh database gets
    finally:
        store.close()
    fresh = Legacy(old_db.backend, tmp_path / "fresh") if old_db.backend == "sqlite" else Legacy(old_db.backend, None)
    if old_db.backend == "sqlite":
        fresh.path.parent.mkdir()
    store = fresh.open()
    try:
        store.migrate()
        fresh_schema = fresh.schema()
    finally:
        store.close()
        fresh.drop()
    assert set(fresh_schema) == set(legacy_schema)
    for table in legacy_schema:
        assert fresh_schema[table] == legacy_schema[table], table
    # the metadata the queries are written against names exactly these tables and columns
    assert set(schema.metadata.tables) == set(legacy_schema)
    for name, table in schema.metadata.tables.items():
        columns = [c[0] for c in legacy_schema[name]["columns"]]
        assert [c.name for c in table.columns] == columns, name


def test_a_legacy_database_newer_than_this_code_is_refused(old_db):
    old_db.build(4)
    if old_db.backend == "sqlite":
        old_db.execute(f"PRAGMA user_version = {HEAD + 1}")
    else:
        old_db.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'later', 'x')",
                       (HEAD + 1,))
    store = old_db.open()
    try:
        with pytest.raises(SchemaTooNewError, match=f"schema version {HEAD + 1}, newer than this version"):
            store.migrate()
        assert old_db.execute("SELECT COUNT(*) FROM employees")[0][0] == 0          # nothing touched
    finally:
        store.close()


def test_db_status_and_migrate_commands_on_a_hand_migrated_file(tmp_path, capsys):
    from bot.cli import main

    legacy.build_sqlite(tmp_path / "internal-hire.sqlite3", 4)
    assert main(["db", "status", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"schema: version 4 of {HEAD} (migrations pending" in out and "hand-migrated schema" in out
    assert main(["db", "migrate", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Schema at version {HEAD}" in out and "now managed by Alembic (revision" in out
    assert main(["db", "status", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"schema: version {HEAD} of {HEAD} (up to date)" in out and f"Alembic revision {HEAD:04d}" in out
    conn = sqlite3.connect(tmp_path / "internal-hire.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    assert main(["db", "status", "--data-dir", str(tmp_path)]) == 0
    assert "newer than this version understands" in capsys.readouterr().out
    assert main(["db", "migrate", "--data-dir", str(tmp_path)]) != 0
    captured = capsys.readouterr()
    assert "newer than this version of Internal Hire understands" in captured.err + captured.out
    assert "Traceback" not in captured.err
