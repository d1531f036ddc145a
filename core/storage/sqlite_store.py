"""The embedded default: one SQLite file in the data directory, no server. Vectors are searched in-process."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from core.domain import Employee
from core.ports import SELF_PROFILE_ACTIONS, AuditEntry, IndexRow
from core.storage.errors import SchemaTooNewError, StoreError
from core.storage.records import (EMPLOYEE_COLUMNS, employee_from_row, employee_values, index_row,
                                  vector_to_blob)

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

    def count_employees(self) -> int:
        return self._read("SELECT COUNT(*) FROM employees")[0][0]

    def delete_employee(self, employee_id: str) -> bool:
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
            self._conn.execute("DELETE FROM drafts WHERE owner_id = ?", (employee_id,))
            self._conn.execute(f"DELETE FROM audit_log WHERE actor_id = ? AND action IN "
                               f"({', '.join('?' * len(SELF_PROFILE_ACTIONS))})", (employee_id, *SELF_PROFILE_ACTIONS))
            return True

    def index_rows(self) -> Iterator[IndexRow]:
        """Streams what the search index needs, in id order, a few thousand rows at a time."""
        sql = ("SELECT e.id, e.department, e.level, e.open_to_moves, e.skills, e.terms, e.profile_words, v.vector "
               "FROM employees e LEFT JOIN embeddings v ON v.employee_id = e.id WHERE e.id > ? ORDER BY e.id LIMIT ?")
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
