"""The embedded default: one SQLite file in the data directory, no server. Vectors are searched in-process."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from core.domain import Employee
from core.ports import SELF_PROFILE_ACTIONS, AuditEntry, IndexRow
from core.storage.errors import SchemaTooNewError, StoreError
from core.storage.records import (EMPLOYEE_COLUMNS, employee_from_row, employee_values, index_row,
                                  counts_by_category, union_of_json_lists, vector_to_blob)
from core.storage import jd_records as jr

MIGRATIONS: list[str] = [
    # 1: employees, embeddings, audit, shortlists, saved searches
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE employees (
        id TEXT PRIMARY KEY, display_name TEXT NOT NULL, email TEXT, slack_user_id TEXT, teams_user_id TEXT,
        department TEXT, title TEXT, level TEXT, location TEXT, role TEXT NOT NULL, open_to_moves INTEGER NOT NULL,
        languages TEXT, resume_text TEXT, skills TEXT, updated_at TEXT,
        resume_hash TEXT, terms TEXT, profile_words INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX employees_email ON employees(email COLLATE NOCASE);
    CREATE INDEX employees_slack ON employees(slack_user_id);
    CREATE INDEX employees_teams ON employees(teams_user_id);
    CREATE TABLE embeddings (
        employee_id TEXT PRIMARY KEY REFERENCES employees(id) ON DELETE CASCADE,
        model TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL);
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor_id TEXT NOT NULL, action TEXT NOT NULL,
        query TEXT NOT NULL, shown_ids TEXT NOT NULL, details TEXT NOT NULL);
    CREATE TABLE shortlists (
        owner_id TEXT NOT NULL, employee_id TEXT NOT NULL, note TEXT, at TEXT NOT NULL,
        PRIMARY KEY (owner_id, employee_id));
    CREATE TABLE searches (
        id TEXT PRIMARY KEY, actor_id TEXT NOT NULL, query TEXT NOT NULL, filters TEXT NOT NULL, at TEXT NOT NULL);
    INSERT INTO meta(key, value) VALUES ('data_version', '0');
    """,
    # 2: conversation references (proactive messages) and leases (one scheduler runs each job)
    """
    CREATE TABLE conversation_refs (
        platform TEXT NOT NULL, user_key TEXT NOT NULL, reference TEXT NOT NULL, at TEXT NOT NULL,
        PRIMARY KEY (platform, user_key));
    CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL);
    """,
    # 3: resume analysis details, mentor opt-in, drafts awaiting confirmation, AI usage per day
    """
    ALTER TABLE employees ADD COLUMN details TEXT;
    ALTER TABLE employees ADD COLUMN mentor INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX drafts_owner ON drafts(owner_id);
    CREATE TABLE ai_usage (
        day TEXT NOT NULL, model TEXT NOT NULL, task TEXT NOT NULL, calls INTEGER NOT NULL, cache_hits INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, PRIMARY KEY (day, model, task));
    """,
    # 4: job descriptions: companies, past postings, document sections, prepared drafts, JD records with versions
    # and decisions, internal openings, and the durable background job queue (times in epoch seconds)
    """
    CREATE TABLE companies (id TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE TABLE postings (
        id TEXT PRIMARY KEY, company_id TEXT NOT NULL, family TEXT NOT NULL, level TEXT NOT NULL,
        posted_at TEXT NOT NULL, data TEXT NOT NULL, content_hash TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX postings_company ON postings(company_id, family, level);
    CREATE TABLE company_docs (
        company_id TEXT NOT NULL, doc_id TEXT NOT NULL, chunk_no INTEGER NOT NULL, title TEXT NOT NULL,
        heading TEXT NOT NULL, text TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (company_id, doc_id, chunk_no));
    CREATE TABLE prepared (
        company_id TEXT NOT NULL, family TEXT NOT NULL, level TEXT NOT NULL, payload TEXT NOT NULL,
        source_hash TEXT NOT NULL, built_at TEXT NOT NULL, PRIMARY KEY (company_id, family, level));
    CREATE TABLE jds (
        id TEXT PRIMARY KEY, company_id TEXT NOT NULL, family TEXT NOT NULL, level TEXT NOT NULL, title TEXT NOT NULL,
        status TEXT NOT NULL, version INTEGER NOT NULL, draft TEXT NOT NULL, owner_id TEXT NOT NULL,
        origin TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE INDEX jds_status ON jds(status, updated_at);
    CREATE INDEX jds_owner ON jds(owner_id);
    CREATE TABLE jd_versions (
        jd_id TEXT NOT NULL, version INTEGER NOT NULL, draft TEXT NOT NULL, editor_id TEXT NOT NULL,
        note TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (jd_id, version));
    CREATE TABLE jd_decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, jd_id TEXT NOT NULL, version INTEGER NOT NULL, actor_id TEXT NOT NULL,
        action TEXT NOT NULL, from_status TEXT NOT NULL, to_status TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
    CREATE INDEX jd_decisions_jd ON jd_decisions(jd_id);
    CREATE TABLE openings (
        id TEXT PRIMARY KEY, jd_id TEXT NOT NULL UNIQUE, company_id TEXT NOT NULL, family TEXT NOT NULL,
        level TEXT NOT NULL, title TEXT NOT NULL, status TEXT NOT NULL, opened_by TEXT NOT NULL, opened_at TEXT NOT NULL,
        closed_at TEXT NOT NULL);
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, requester TEXT NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, lease_owner TEXT NOT NULL DEFAULT '',
        lease_until REAL NOT NULL DEFAULT 0, available_at REAL NOT NULL, created_at REAL NOT NULL, started_at REAL,
        finished_at REAL, result TEXT, error TEXT NOT NULL DEFAULT '', progress TEXT,
        notified INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX jobs_status ON jobs(status, created_at);
    CREATE INDEX jobs_notify ON jobs(notified, status);
    """,
    # 5: HR's self-reported demographics for the impact-ratio report, in a table of their own that matching never
    # reads; audit and shortlist times indexed for the report's period queries
    """
    CREATE TABLE demographics (
        employee_id TEXT NOT NULL, category TEXT NOT NULL, value TEXT NOT NULL, imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL, PRIMARY KEY (employee_id, category));
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE INDEX shortlists_at ON shortlists(at);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class SqliteStore:
    backend_name = "sqlite"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the database file {self.path}: {exc}. "
                             "Check INTERNAL_HIRE_DATA_DIR / --data-dir.") from exc
        self._lock = threading.RLock()
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA busy_timeout=5000")

    # ---- schema -----------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    target_schema_version = SCHEMA_VERSION

    def check_schema(self) -> int:
        """The current schema version; refuses one newer than this code understands."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"The database {self.path} has schema version {current}, newer than this version of Internal "
                f"Hire understands ({SCHEMA_VERSION}). Upgrade Internal Hire, or point --data-dir elsewhere.")
        return current

    def capabilities(self) -> dict:
        return {"backend": "sqlite", "server": f"SQLite {sqlite3.sqlite_version}", "path": str(self.path),
                "native_vector": False, "ann_index": "none (exact in-process search)"}

    def migrate(self) -> None:
        with self._lock:
            current = self.check_schema()
            for version in range(current + 1, SCHEMA_VERSION + 1):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in MIGRATIONS[version - 1].split(";"):
                        if statement.strip():
                            self._conn.execute(statement)
                    self._conn.execute(f"PRAGMA user_version = {version}")
                    self._conn.execute("COMMIT")
                except Exception:
                    self._conn.execute("ROLLBACK")
                    raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # ---- transactions -----------------------------------------------------------------------------------------
    def transaction(self):
        store = self

        class _Tx:
            def __enter__(self_inner):
                store._lock.acquire()
                try:
                    store._conn.execute("BEGIN IMMEDIATE")
                except BaseException:      # e.g. database locked past busy_timeout: never keep the lock
                    store._lock.release()
                    raise
                store._in_tx = True

            def __exit__(self_inner, exc_type, exc, tb):
                try:
                    if exc_type is None:
                        store._bump_version()
                        store._conn.execute("COMMIT")
                    else:
                        store._conn.execute("ROLLBACK")
                finally:
                    store._in_tx = False
                    store._lock.release()
                return False

        return _Tx()

    _in_tx = False

    def _write(self, sql: str, params: tuple = (), bump: bool = True) -> sqlite3.Cursor:
        """One write in its own transaction (or the open one). `bump` marks a change the search index must see."""
        with self._lock:
            if self._in_tx:
                return self._conn.execute(sql, params)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                cur = self._conn.execute(sql, params)
                if bump:
                    self._bump_version()
                self._conn.execute("COMMIT")
                return cur
            except Exception:
                self._conn.execute("ROLLBACK")
                raise

    def _bump_version(self) -> None:
        self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")

    def data_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()[0])

    def _read(self, sql: str, params: tuple = ()) -> list:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # ---- meta -------------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value), bump=False)

    # ---- employees --------------------------------------------------------------------------------------------
    def upsert_profile(self, employee: Employee, resume_hash: str, terms: Iterable[str], profile_words: int,
                       vector: np.ndarray | None, embedder_id: str) -> None:
        employee.updated_at = employee.updated_at or now_iso()
        cols = EMPLOYEE_COLUMNS + ("resume_hash", "terms", "profile_words")
        values = employee_values(employee) + (resume_hash, " ".join(terms), profile_words)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols[1:])
        sql = (f"INSERT INTO employees ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
               f"ON CONFLICT(id) DO UPDATE SET {updates}")
        with self._lock:
            self._write(sql, values)
            if vector is not None:
                self.set_embedding(employee.id, vector, embedder_id)

    DESCRIPTIVE_COLUMNS = ("email", "slack_user_id", "teams_user_id", "department", "level", "location", "role",
                           "open_to_moves", "languages", "mentor")

    def update_fields(self, employee: Employee) -> bool:
        """Update the descriptive fields (not resume, skills or embedding); True when something changed."""
        values = dict(zip(EMPLOYEE_COLUMNS, employee_values(employee)))
        params = tuple(values[c] for c in self.DESCRIPTIVE_COLUMNS)
        where = " OR ".join(f"{c} IS NOT ?" for c in self.DESCRIPTIVE_COLUMNS)
        sets = ", ".join(f"{c} = ?" for c in self.DESCRIPTIVE_COLUMNS)
        cur = self._write(f"UPDATE employees SET {sets}, updated_at = ? WHERE id = ? AND ({where})",
                          params + (now_iso(), employee.id) + params)
        return cur.rowcount > 0

    def set_embedding(self, employee_id: str, vector: np.ndarray, embedder_id: str) -> None:
        self._write("INSERT INTO embeddings(employee_id, model, dim, vector) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(employee_id) DO UPDATE SET model = excluded.model, dim = excluded.dim, "
                    "vector = excluded.vector", (employee_id, embedder_id, int(len(vector)), vector_to_blob(vector)))

    def clear_embeddings(self) -> None:
        self._write("DELETE FROM embeddings")

    def embedding_model(self) -> tuple[str, int] | None:
        rows = self._read("SELECT model, dim, COUNT(*) FROM embeddings GROUP BY model, dim ORDER BY COUNT(*) DESC")
        return (rows[0][0], rows[0][1]) if rows else None

    def embedding_models(self) -> list[tuple[str, int, int]]:
        return [tuple(r) for r in self._read("SELECT model, dim, COUNT(*) FROM embeddings GROUP BY model, dim")]

    def ids_missing_embedding(self, embedder_id: str) -> list[str]:
        return [r[0] for r in self._read(
            "SELECT e.id FROM employees e LEFT JOIN embeddings v ON v.employee_id = e.id "
            "WHERE v.employee_id IS NULL OR v.model != ? ORDER BY e.id", (embedder_id,))]

    def _employee_select(self) -> str:
        return f"SELECT {', '.join(EMPLOYEE_COLUMNS)} FROM employees"

    def get_employee(self, employee_id: str) -> Employee | None:
        rows = self._read(self._employee_select() + " WHERE id = ?", (employee_id,))
        return employee_from_row(rows[0]) if rows else None

    def get_employees(self, employee_ids: list[str]) -> dict[str, Employee]:
        out: dict[str, Employee] = {}
        for start in range(0, len(employee_ids), 500):
            chunk = employee_ids[start:start + 500]
            rows = self._read(self._employee_select() + f" WHERE id IN ({', '.join('?' * len(chunk))})", tuple(chunk))
            out.update((row[0], employee_from_row(row)) for row in rows)
        return out

    def get_resume_hash(self, employee_id: str) -> str | None:
        rows = self._read("SELECT resume_hash FROM employees WHERE id = ?", (employee_id,))
        return rows[0][0] if rows else None

    def resume_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._read("SELECT id, resume_hash FROM employees")}

    def find_employee(self, key: str) -> Employee | None:
        key = (key or "").strip()
        if not key:
            return None
        for sql in ("id = ?", "email = ? COLLATE NOCASE", "slack_user_id = ?", "teams_user_id = ?",
                    "display_name = ? COLLATE NOCASE"):
            rows = self._read(self._employee_select() + f" WHERE {sql} LIMIT 1", (key,))
            if rows:
                return employee_from_row(rows[0])
        return None

    def list_employees(self) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._employee_select() + " ORDER BY id")]

    def list_mentors(self) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._employee_select() + " WHERE mentor = 1 ORDER BY id")]

    def employees_with_role(self, role: str) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._employee_select() + " WHERE role = ? ORDER BY id",
                                                         (role,))]

    def count_employees(self) -> int:
        return self._read("SELECT COUNT(*) FROM employees")[0][0]

    def delete_employee(self, employee_id: str) -> bool:
        with self._tx_no_bump() as conn:     # someone who leaves the directory leaves the demographics too
            conn.execute("DELETE FROM demographics WHERE employee_id = ?", (employee_id,))
        return self._write("DELETE FROM employees WHERE id = ?", (employee_id,)).rowcount > 0

    def clear_profile(self, employee_id: str) -> bool:
        """Forget a profile: resume, skills, details, embedding, shortlist entries and drafts; the directory entry
        (name, e-mail, chat ids, department, role) stays so the person can still use the bot."""
        with self.transaction():
            cur = self._conn.execute(
                "UPDATE employees SET resume_text = '', skills = '[]', details = '', terms = '', profile_words = 0, "
                "resume_hash = '', languages = '[]', open_to_moves = 0, mentor = 0, updated_at = ? WHERE id = ?",
                (now_iso(), employee_id))
            if cur.rowcount == 0:
                return False
            self._conn.execute("DELETE FROM embeddings WHERE employee_id = ?", (employee_id,))
            self._conn.execute("DELETE FROM shortlists WHERE employee_id = ?", (employee_id,))
            self._conn.execute("DELETE FROM drafts WHERE owner_id = ? AND kind = 'resume'", (employee_id,))
            self._conn.execute(f"DELETE FROM audit_log WHERE actor_id = ? AND action IN "
                               f"({', '.join('?' * len(SELF_PROFILE_ACTIONS))})", (employee_id, *SELF_PROFILE_ACTIONS))
            return True

    def index_rows(self) -> Iterator[IndexRow]:
        """Streams what the search index needs, in id order, a few thousand rows at a time."""
        sql = ("SELECT e.id, e.department, e.level, e.open_to_moves, e.skills, e.terms, e.profile_words, v.vector, "
               "e.location FROM employees e LEFT JOIN embeddings v ON v.employee_id = e.id WHERE e.id > ? ORDER BY e.id LIMIT ?")
        last = ""
        while True:
            rows = self._read(sql, (last, 5000))
            if not rows:
                return
            for row in rows:
                yield index_row(*row)
            last = rows[-1][0]

    # ---- audit, shortlists, searches ---------------------------------------------------------------------------
    def add_audit(self, actor_id: str, action: str, query: str, shown_ids: list[str], details: dict | None = None) -> None:
        self._write("INSERT INTO audit_log(at, actor_id, action, query, shown_ids, details) VALUES (?, ?, ?, ?, ?, ?)",
                    (now_iso(), actor_id, action, query, json.dumps(list(shown_ids)),
                     json.dumps(details or {}, ensure_ascii=False)), bump=False)

    def list_audit(self, limit: int | None = None) -> list[AuditEntry]:
        sql = "SELECT id, at, actor_id, action, query, shown_ids, details FROM audit_log ORDER BY id"
        rows = self._read(sql + (f" DESC LIMIT {int(limit)}" if limit else ""))
        if limit:
            rows = list(reversed(rows))
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), json.loads(r[6])) for r in rows]

    def add_to_shortlist(self, owner_id: str, employee_id: str, note: str = "") -> bool:
        cur = self._write("INSERT OR IGNORE INTO shortlists(owner_id, employee_id, note, at) VALUES (?, ?, ?, ?)",
                          (owner_id, employee_id, note, now_iso()), bump=False)
        return cur.rowcount > 0

    def shortlist(self, owner_id: str) -> list[str]:
        return [r[0] for r in self._read("SELECT employee_id FROM shortlists WHERE owner_id = ? ORDER BY at, employee_id",
                                         (owner_id,))]

    def save_conversation_ref(self, platform: str, user_key: str, reference: dict) -> None:
        self._write("INSERT INTO conversation_refs(platform, user_key, reference, at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(platform, user_key) DO UPDATE SET reference = excluded.reference, at = excluded.at",
                    (platform, user_key, json.dumps(reference, ensure_ascii=False), now_iso()), bump=False)

    def load_conversation_ref(self, platform: str, user_key: str) -> dict | None:
        rows = self._read("SELECT reference FROM conversation_refs WHERE platform = ? AND user_key = ?",
                          (platform, user_key))
        return json.loads(rows[0][0]) if rows else None

    def try_acquire_lease(self, name: str, holder: str, ttl_seconds: float, now: float | None = None) -> bool:
        """Take (or renew) a named lease until now + ttl. Held by someone else and not expired: False."""
        now = time.time() if now is None else now
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._conn.execute("SELECT holder, expires_at FROM leases WHERE name = ?", (name,)).fetchone()
                granted = row is None or row[0] == holder or row[1] <= now
                if granted:
                    self._conn.execute("INSERT INTO leases(name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT(name) "
                                       "DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at",
                                       (name, holder, now + ttl_seconds))
                self._conn.execute("COMMIT")
                return granted
            except Exception:
                self._conn.execute("ROLLBACK")
                raise

    def release_lease(self, name: str, holder: str) -> None:
        self._write("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder), bump=False)

    def save_search(self, search_id: str, actor_id: str, query: str, filters: dict) -> None:
        self._write("INSERT OR REPLACE INTO searches(id, actor_id, query, filters, at) VALUES (?, ?, ?, ?, ?)",
                    (search_id, actor_id, query, json.dumps(filters, ensure_ascii=False), now_iso()), bump=False)

    def load_search(self, search_id: str) -> tuple[str, str, dict] | None:
        rows = self._read("SELECT actor_id, query, filters FROM searches WHERE id = ?", (search_id,))
        return (rows[0][0], rows[0][1], json.loads(rows[0][2])) if rows else None

    # ---- drafts and AI usage -----------------------------------------------------------------------------------
    def save_draft(self, draft_id: str, owner_id: str, kind: str, payload: dict) -> None:
        self._write("INSERT OR REPLACE INTO drafts(id, owner_id, kind, payload, at) VALUES (?, ?, ?, ?, ?)",
                    (draft_id, owner_id, kind, json.dumps(payload, ensure_ascii=False), now_iso()), bump=False)

    def load_draft(self, draft_id: str) -> tuple[str, str, dict] | None:
        rows = self._read("SELECT owner_id, kind, payload FROM drafts WHERE id = ?", (draft_id,))
        return (rows[0][0], rows[0][1], json.loads(rows[0][2])) if rows else None

    def delete_draft(self, draft_id: str) -> bool:
        return self._write("DELETE FROM drafts WHERE id = ?", (draft_id,), bump=False).rowcount > 0

    def purge_drafts(self, kind: str, older_than: str) -> int:
        """Delete drafts of this kind saved before `older_than` (ISO time); how many went."""
        return self._write("DELETE FROM drafts WHERE kind = ? AND at < ?", (kind, older_than), bump=False).rowcount

    def add_ai_usage(self, day: str, model: str, task: str, prompt_tokens: int, output_tokens: int,
                     cached: bool) -> None:
        self._write("INSERT INTO ai_usage(day, model, task, calls, cache_hits, prompt_tokens, output_tokens) "
                    "VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT(day, model, task) DO UPDATE SET calls = calls + 1, "
                    "cache_hits = cache_hits + excluded.cache_hits, prompt_tokens = prompt_tokens + excluded.prompt_tokens, "
                    "output_tokens = output_tokens + excluded.output_tokens",
                    (day, model, task, 1 if cached else 0, int(prompt_tokens), int(output_tokens)), bump=False)

    def ai_usage(self, day: str) -> list[dict]:
        rows = self._read("SELECT model, task, calls, cache_hits, prompt_tokens, output_tokens FROM ai_usage "
                          "WHERE day = ? ORDER BY model, task", (day,))
        return [dict(zip(("model", "task", "calls", "cache_hits", "prompt_tokens", "output_tokens"), r)) for r in rows]

    # ---- job descriptions: companies, postings, documents, prepared drafts (schema 4) ---------------------------
    # None of this bumps data_version: it never changes what the people search index holds.
    @contextmanager
    def _tx_no_bump(self):
        """One transaction (joining an open transaction())."""
        with self._lock:
            if self._in_tx:
                yield self._conn
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def upsert_company(self, company) -> bool:
        with self._tx_no_bump() as conn:
            existed = conn.execute("SELECT 1 FROM companies WHERE id = ?", (company.id,)).fetchone() is not None
            conn.execute("INSERT INTO companies(id, name, data, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO "
                         "UPDATE SET name = excluded.name, data = excluded.data, updated_at = excluded.updated_at",
                         jr.company_values(company) + (now_iso(),))
        return not existed

    def get_company(self, company_id: str):
        rows = self._read("SELECT id, name, data FROM companies WHERE id = ?", (company_id,))
        return jr.company_from_row(rows[0]) if rows else None

    def list_companies(self) -> list:
        return [jr.company_from_row(r) for r in self._read("SELECT id, name, data FROM companies ORDER BY name, id")]

    def upsert_posting(self, posting) -> str:
        values = jr.posting_values(posting)
        with self._tx_no_bump() as conn:
            row = conn.execute("SELECT content_hash FROM postings WHERE id = ?", (posting.id,)).fetchone()
            if row is not None and row[0] == values[-1]:
                return "unchanged"
            conn.execute(f"INSERT OR REPLACE INTO postings({', '.join(jr.POSTING_COLUMNS)}, updated_at) "
                         f"VALUES ({', '.join('?' * len(jr.POSTING_COLUMNS))}, ?)", values + (now_iso(),))
        return "added" if row is None else "updated"

    def get_posting(self, posting_id: str):
        rows = self._read(f"SELECT {', '.join(jr.POSTING_COLUMNS)} FROM postings WHERE id = ?", (posting_id,))
        return jr.posting_from_row(rows[0]) if rows else None

    def list_postings(self, company_id: str, family: str | None = None, level: str | None = None) -> list:
        sql = f"SELECT {', '.join(jr.POSTING_COLUMNS)} FROM postings WHERE company_id = ?"
        params: list = [company_id]
        if family is not None:
            sql, params = sql + " AND family = ?", params + [family]
        if level is not None:
            sql, params = sql + " AND level = ?", params + [level]
        return [jr.posting_from_row(r) for r in self._read(sql + " ORDER BY posted_at DESC, id", tuple(params))]

    def replace_document(self, company_id: str, doc_id: str, title: str, chunks: list) -> None:
        at = now_iso()
        with self._tx_no_bump() as conn:
            conn.execute("DELETE FROM company_docs WHERE company_id = ? AND doc_id = ?", (company_id, doc_id))
            conn.executemany("INSERT INTO company_docs(company_id, doc_id, chunk_no, title, heading, text, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)",
                             [(company_id, doc_id, c.chunk_no, title, c.heading, c.text, at) for c in chunks])

    def list_doc_chunks(self, company_id: str, doc_id: str | None = None) -> list:
        sql = f"SELECT {', '.join(jr.DOC_COLUMNS)} FROM company_docs WHERE company_id = ?"
        params: tuple = (company_id,)
        if doc_id is not None:
            sql, params = sql + " AND doc_id = ?", (company_id, doc_id)
        return [jr.chunk_from_row(r) for r in self._read(sql + " ORDER BY doc_id, chunk_no", params)]

    def save_prepared(self, company_id: str, family: str, level: str, payload: dict, source_hash: str) -> None:
        self._write("INSERT OR REPLACE INTO prepared(company_id, family, level, payload, source_hash, built_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (company_id, family, level, jr.dumps(payload), source_hash, now_iso()),
                    bump=False)

    def load_prepared(self, company_id: str, family: str, level: str) -> dict | None:
        rows = self._read("SELECT payload FROM prepared WHERE company_id = ? AND family = ? AND level = ?",
                          (company_id, family, level))
        return json.loads(rows[0][0]) if rows else None

    def prepared_keys(self, company_id: str) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self._read("SELECT family, level, source_hash FROM prepared WHERE company_id = ? "
                                             "ORDER BY family, level", (company_id,))]

    def delete_prepared(self, company_id: str, family: str, level: str) -> bool:
        return self._write("DELETE FROM prepared WHERE company_id = ? AND family = ? AND level = ?",
                           (company_id, family, level), bump=False).rowcount > 0

    # ---- JD records, versions, decisions, openings ----------------------------------------------------------------
    _JD_SELECT = f"SELECT {', '.join(jr.JD_COLUMNS)} FROM jds"

    def create_jd(self, record, editor_id: str, note: str = "") -> None:
        at = now_iso()
        record.created_at = record.created_at or at
        record.updated_at = record.updated_at or at
        with self._tx_no_bump() as conn:
            conn.execute(f"INSERT INTO jds({', '.join(jr.JD_COLUMNS)}) VALUES ({', '.join('?' * len(jr.JD_COLUMNS))})",
                         jr.jd_values(record))
            conn.execute("INSERT INTO jd_versions(jd_id, version, draft, editor_id, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                         (record.id, record.version, jr.dumps(record.draft.to_dict()), editor_id, note, at))

    def get_jd(self, jd_id: str):
        rows = self._read(self._JD_SELECT + " WHERE id = ?", (jd_id,))
        return jr.jd_from_row(rows[0]) if rows else None

    def list_jds(self, status: str | None = None, owner_id: str | None = None, company_id: str | None = None,
                 limit: int = 100) -> list:
        where, params = [], []
        for column, value in (("status", status), ("owner_id", owner_id), ("company_id", company_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(getattr(value, "value", value))
        sql = self._JD_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [jr.jd_from_row(r) for r in self._read(sql + " ORDER BY updated_at DESC, id LIMIT ?",
                                                       tuple(params) + (int(limit),))]

    def update_jd_draft(self, jd_id: str, expected_version: int, draft, editor_id: str, note: str = "") -> int | None:
        from core.jd.model import EDITABLE_STATUSES

        editable = tuple(s.value for s in EDITABLE_STATUSES)
        at = now_iso()
        with self._tx_no_bump() as conn:
            cur = conn.execute(
                f"UPDATE jds SET draft = ?, title = ?, version = version + 1, updated_at = ? WHERE id = ? AND "
                f"version = ? AND status IN ({', '.join('?' * len(editable))})",
                (jr.dumps(draft.to_dict()), draft.title, at, jd_id, int(expected_version), *editable))
            if cur.rowcount != 1:
                return None
            new_version = int(expected_version) + 1
            conn.execute("INSERT INTO jd_versions(jd_id, version, draft, editor_id, note, at) VALUES (?, ?, ?, ?, ?, ?)",
                         (jd_id, new_version, jr.dumps(draft.to_dict()), editor_id, note, at))
            return new_version

    def decide_jd(self, jd_id: str, expected_version: int, action: str, from_statuses: tuple[str, ...],
                  to_status: str, actor_id: str, reason: str = "") -> bool:
        """Move a JD from one of `from_statuses` to `to_status` only while it is still at `expected_version`; the
        decision is recorded in the same transaction. False (and nothing written) when someone got there first."""
        return self._decide(jd_id, expected_version, action, tuple(getattr(s, "value", s) for s in from_statuses),
                            getattr(to_status, "value", to_status), actor_id, reason) is not None

    def _decide(self, jd_id, expected_version, action, from_statuses, to_status, actor_id, reason, then=None):
        at = now_iso()
        with self._tx_no_bump() as conn:
            row = conn.execute("SELECT status FROM jds WHERE id = ?", (jd_id,)).fetchone()
            cur = conn.execute(
                f"UPDATE jds SET status = ?, updated_at = ? WHERE id = ? AND version = ? AND "
                f"status IN ({', '.join('?' * len(from_statuses))})",
                (to_status, at, jd_id, int(expected_version), *from_statuses))
            if cur.rowcount != 1:
                return None
            conn.execute("INSERT INTO jd_decisions(jd_id, version, actor_id, action, from_status, to_status, reason, at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (jd_id, int(expected_version), actor_id,
                                                              getattr(action, "value", action), row[0], to_status,
                                                              reason or "", at))
            if then is not None:
                then(conn)
            return True

    def publish_jd(self, jd_id: str, expected_version: int, opening, actor_id: str) -> bool:
        """approved -> published and the internal opening, together; a retry finds it published and does nothing."""
        values = jr.opening_values(opening)

        def insert_opening(conn) -> None:
            conn.execute(f"INSERT INTO openings({', '.join(jr.OPENING_COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(jr.OPENING_COLUMNS))})", values)
        return self._decide(jd_id, expected_version, "publish", ("approved",), "published", actor_id, "",
                            then=insert_opening) is not None

    def jd_versions(self, jd_id: str) -> list:
        return [jr.version_from_row(r) for r in self._read(
            f"SELECT {', '.join(jr.VERSION_COLUMNS)} FROM jd_versions WHERE jd_id = ? ORDER BY version", (jd_id,))]

    def jd_decisions(self, jd_id: str) -> list:
        return [jr.decision_from_row(r) for r in self._read(
            f"SELECT {', '.join(jr.DECISION_COLUMNS)} FROM jd_decisions WHERE jd_id = ? ORDER BY id", (jd_id,))]

    _OPENING_SELECT = f"SELECT {', '.join(jr.OPENING_COLUMNS)} FROM openings"

    def get_opening(self, opening_id: str):
        rows = self._read(self._OPENING_SELECT + " WHERE id = ?", (opening_id,))
        return jr.opening_from_row(rows[0]) if rows else None

    def opening_for_jd(self, jd_id: str):
        rows = self._read(self._OPENING_SELECT + " WHERE jd_id = ?", (jd_id,))
        return jr.opening_from_row(rows[0]) if rows else None

    def list_openings(self, status: str | None = None, company_id: str | None = None) -> list:
        where, params = [], []
        for column, value in (("status", status), ("company_id", company_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(getattr(value, "value", value))
        sql = self._OPENING_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [jr.opening_from_row(r) for r in self._read(sql + " ORDER BY opened_at DESC, id", tuple(params))]

    def set_opening_status(self, opening_id: str, status, actor_id: str) -> bool:
        """open <-> closed; the change is recorded as a decision on the JD. False when it already had that status."""
        status = getattr(status, "value", status)
        at = now_iso()
        with self._tx_no_bump() as conn:
            row = conn.execute("SELECT jd_id, status FROM openings WHERE id = ?", (opening_id,)).fetchone()
            if row is None or row[1] == status:
                return False
            cur = conn.execute("UPDATE openings SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
                               (status, at if status == "closed" else "", opening_id, row[1]))
            if cur.rowcount != 1:
                return False
            version = conn.execute("SELECT version FROM jds WHERE id = ?", (row[0],)).fetchone()
            conn.execute("INSERT INTO jd_decisions(jd_id, version, actor_id, action, from_status, to_status, reason, at) "
                         "VALUES (?, ?, ?, ?, ?, ?, '', ?)", (row[0], int(version[0]) if version else 0, actor_id,
                                                              "close" if status == "closed" else "reopen", row[1],
                                                              status, at))
            return True

    # ---- the durable background job queue -------------------------------------------------------------------------
    _JOB_SELECT = f"SELECT {', '.join(jr.JOB_COLUMNS)} FROM jobs"
    # A job a worker may take: queued and due, or running under a lease nobody renewed (its worker died).
    _CLAIMABLE = "((status = 'queued' AND available_at <= ?) OR (status = 'running' AND lease_until < ?))"

    def enqueue_job(self, job_id: str, kind: str, payload: dict, requester: str, max_attempts: int = 3,
                    now: float | None = None) -> None:
        now = time.time() if now is None else now
        self._write("INSERT INTO jobs(id, kind, payload, requester, status, attempts, max_attempts, available_at, "
                    "created_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?)",
                    (job_id, kind, jr.dumps(payload), requester, int(max_attempts), now, now), bump=False)

    def get_job(self, job_id: str):
        rows = self._read(self._JOB_SELECT + " WHERE id = ?", (job_id,))
        return jr.job_from_row(rows[0]) if rows else None

    def claim_job(self, worker_id: str, lease_seconds: float, kinds: tuple[str, ...] | None = None,
                  now: float | None = None):
        """The oldest claimable job, now running under `worker_id`'s lease; None when there is none. A job whose
        worker died past its last attempt is marked failed instead of being run again."""
        now = time.time() if now is None else now
        kind_sql = f" AND kind IN ({', '.join('?' * len(kinds))})" if kinds else ""
        with self._tx_no_bump() as conn:
            while True:
                row = conn.execute(f"SELECT id, status, attempts, max_attempts FROM jobs WHERE {self._CLAIMABLE}"
                                   f"{kind_sql} ORDER BY created_at, id LIMIT 1", (now, now, *(kinds or ()))).fetchone()
                if row is None:
                    return None
                job_id, status, attempts, max_attempts = row
                if status == "running" and attempts >= max_attempts:
                    conn.execute("UPDATE jobs SET status = 'failed', error = ?, finished_at = ?, lease_until = 0 "
                                 "WHERE id = ?", (jr.lease_expired_error(attempts), now, job_id))
                    continue
                conn.execute("UPDATE jobs SET status = 'running', lease_owner = ?, lease_until = ?, "
                             "attempts = attempts + 1, started_at = ?, finished_at = NULL WHERE id = ?",
                             (worker_id, now + lease_seconds, now, job_id))
                return jr.job_from_row(conn.execute(self._JOB_SELECT + " WHERE id = ?", (job_id,)).fetchone())

    def renew_job_lease(self, job_id: str, worker_id: str, lease_seconds: float, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self._write("UPDATE jobs SET lease_until = ? WHERE id = ? AND status = 'running' AND lease_owner = ?",
                           (now + lease_seconds, job_id, worker_id), bump=False).rowcount == 1

    def set_job_progress(self, job_id: str, worker_id: str, progress: dict) -> bool:
        return self._write("UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running' AND lease_owner = ?",
                           (jr.dumps(progress), job_id, worker_id), bump=False).rowcount == 1

    def complete_job(self, job_id: str, worker_id: str, result: dict, now: float | None = None) -> bool:
        """Done, once: only the worker holding the job can complete it (one that lost its lease cannot)."""
        now = time.time() if now is None else now
        return self._write("UPDATE jobs SET status = 'done', result = ?, finished_at = ?, lease_until = 0, error = '' "
                           "WHERE id = ? AND status = 'running' AND lease_owner = ?",
                           (jr.dumps(result), now, job_id, worker_id), bump=False).rowcount == 1

    def fail_job(self, job_id: str, worker_id: str, error: str, retry_delay: float = 0.0,
                 now: float | None = None) -> str | None:
        now = time.time() if now is None else now
        with self._tx_no_bump() as conn:
            cur = conn.execute(
                "UPDATE jobs SET status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END, "
                "available_at = ?, finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE ? END, "
                "lease_until = 0, error = ? WHERE id = ? AND status = 'running' AND lease_owner = ?",
                (now + retry_delay, now, error[:2000], job_id, worker_id))
            if cur.rowcount != 1:
                return None
            return conn.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]

    def job_queue_position(self, job_id: str, now: float | None = None) -> tuple[int, int] | None:
        """(waiting jobs ahead of this one, jobs running now); None for an unknown job. Ahead is 0 once it runs."""
        now = time.time() if now is None else now
        with self._lock:
            job = self._conn.execute("SELECT status, lease_until, created_at, id FROM jobs WHERE id = ?",
                                     (job_id,)).fetchone()
            if job is None:
                return None
            running = self._conn.execute("SELECT COUNT(*) FROM jobs WHERE status = 'running' AND lease_until >= ?",
                                         (now,)).fetchone()[0]
            waiting = job[0] == "queued" or (job[0] == "running" and job[1] < now)
            if not waiting:
                return 0, running
            ahead = self._conn.execute(
                "SELECT COUNT(*) FROM jobs WHERE (status = 'queued' OR (status = 'running' AND lease_until < ?)) "
                "AND (created_at < ? OR (created_at = ? AND id < ?))", (now, job[2], job[2], job[3])).fetchone()[0]
            return ahead, running

    def job_counts(self, now: float | None = None) -> dict[str, int]:
        """queued (including jobs whose worker died), running (under a live lease), done, failed."""
        now = time.time() if now is None else now
        rows = self._read("SELECT CASE WHEN status = 'running' AND lease_until < ? THEN 'queued' ELSE status END, "
                          "COUNT(*) FROM jobs GROUP BY 1", (now,))
        counts = {status: 0 for status in ("queued", "running", "done", "failed")}
        for status, n in rows:
            counts[status] = counts.get(status, 0) + int(n)
        return counts

    def recent_job_durations(self, kind: str, limit: int = 20) -> list[float]:
        return [float(r[0]) for r in self._read(
            "SELECT finished_at - started_at FROM jobs WHERE kind = ? AND status = 'done' AND started_at IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT ?", (kind, int(limit)))]

    def pending_notifications(self, limit: int = 50) -> list:
        return [jr.job_from_row(r) for r in self._read(
            self._JOB_SELECT + " WHERE notified = 0 AND status IN ('done', 'failed') ORDER BY finished_at, id LIMIT ?",
            (int(limit),))]

    def mark_job_notified(self, job_id: str) -> bool:
        """True for exactly one caller per finished job: the one that should deliver the notification."""
        return self._write("UPDATE jobs SET notified = 1 WHERE id = ? AND notified = 0 AND status IN ('done', 'failed')",
                           (job_id,), bump=False).rowcount == 1

    # ---- HR's self-reported demographics and what the impact-ratio report reads (schema 5) --------------------------
    # Kept apart from profiles: matching never reads these tables (tests/unit/test_fairness_report.py holds it so).
    def replace_demographics(self, rows: list[tuple[str, str, str]], imported_by: str, replace_all: bool = False) -> int:
        """Store (employee id, category, value) rows: every category of the employees named is replaced (all of
        everyone's with `replace_all`). One transaction; how many rows were written."""
        at = now_iso()
        with self._tx_no_bump() as conn:
            if replace_all:
                conn.execute("DELETE FROM demographics")
            else:
                conn.executemany("DELETE FROM demographics WHERE employee_id = ?",
                                 [(eid,) for eid in dict.fromkeys(r[0] for r in rows)])
            conn.executemany("INSERT OR REPLACE INTO demographics(employee_id, category, value, imported_at, "
                             "imported_by) VALUES (?, ?, ?, ?, ?)", [(*r, at, imported_by) for r in rows])
        return len(rows)

    def demographic_rows(self) -> Iterator[tuple[str, str, str]]:
        """(employee id, category, value), streamed in employee order."""
        last = ("", "")
        while True:
            rows = self._read("SELECT employee_id, category, value FROM demographics WHERE (employee_id, category) > "
                              "(?, ?) ORDER BY employee_id, category LIMIT 20000", last)
            if not rows:
                return
            yield from (tuple(r) for r in rows)
            last = (rows[-1][0], rows[-1][1])

    def demographics_summary(self) -> dict[str, dict[str, int]]:
        return counts_by_category(self._read("SELECT category, value, COUNT(*) FROM demographics "
                                                 "GROUP BY category, value ORDER BY category, value"))

    def delete_demographics(self) -> int:
        return self._write("DELETE FROM demographics", bump=False).rowcount

    def fairness_population(self) -> list[tuple[str, bool, bool]]:
        """(employee id, open to internal moves, has a searchable profile) for everyone in the directory."""
        return [(r[0], bool(r[1]), bool(r[2])) for r in self._read(
            "SELECT id, open_to_moves, profile_words > 0 FROM employees ORDER BY id")]

    def shown_between(self, since: str, until: str, actions: tuple[str, ...]) -> set[str]:
        """Everyone in the shown_ids of audit entries with these actions at or after `since` and before `until`."""
        sql = (f"SELECT id, shown_ids FROM audit_log WHERE at >= ? AND at < ? AND action IN "
               f"({', '.join('?' * len(actions))}) AND id > ? ORDER BY id LIMIT 50000")

        def pages():
            last = 0
            while rows := self._read(sql, (since, until, *actions, last)):
                yield [r[1] for r in rows]
                last = rows[-1][0]
        return union_of_json_lists(pages())

    def shortlisted_between(self, since: str, until: str) -> list[str]:
        """Employee ids put on anyone's shortlist at or after `since` and before `until` (once per shortlist)."""
        return [r[0] for r in self._read("SELECT employee_id FROM shortlists WHERE at >= ? AND at < ?",
                                         (since, until))]
