"""The one store: every port of core/ports.py (EmployeeStore, KnowledgeStore, JdStore, JobStore) on SQLAlchemy Core,
for the embedded SQLite file and for MySQL-protocol servers (TiDB, MySQL, MariaDB). Queries are written once;
dialect differences live in dialects.py, connections and configuration errors in connection.py, TiDB's native vector
column in native_vectors.py, the schema in schema.py and its migrations in migrate.py. tests/contract holds every
backend to the same behaviour.

Vectors are always kept as float32 little-endian blobs, so `index_rows()` streams them to the in-process index on every
backend and embeddings of several models/dimensions can coexist; on TiDB a `VECTOR(D)` column mirrors them for
`ann_search()`.

Writes: a method is one transaction of its own (retried after a lost connection, deadlock or write conflict on a
server), or joins the transaction this thread opened with `transaction()`. Writes that change what the people search
index holds bump the `data_version` counter in the same transaction; a `transaction()` block always does at commit.
"""
from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import sqlalchemy as sa
from sqlalchemy import and_, bindparam, case, delete, event, func, insert, or_, select, update
from sqlalchemy import exc as sa_exc

from bot.adapters.storage import connection as cx
from bot.adapters.storage import jd_records as jr
from bot.adapters.storage import migrate as mg
from bot.adapters.storage import schema as s
from bot.adapters.storage.dialects import exactly, insert_ignore, same_text_ignoring_case, upsert
from bot.adapters.storage.records import (EMPLOYEE_COLUMNS, counts_by_category, employee_from_row, employee_values,
                                          index_row, union_of_json_lists, vector_from_blob, vector_to_blob)
from core.domain import Employee
from core.errors import SchemaTooNewError, StoreError
from core.ports import (ALL_PROFILES, SELF_PROFILE_ACTIONS, AuditEntry, FeedbackVote, IndexChanges, IndexRow,
                        MobilityOutcome)

log = logging.getLogger(__name__)

INDEX_PAGE = 5000          # index_rows reads this many rows per query (keyset pages: no long-held snapshot)
ID_CHUNK = 500             # ids per IN (...) list
CHANGES_KEPT = 200_000     # entries of the index change feed kept (an index further behind than this rebuilds)
CHANGES_PRUNED_KEY = "index_changes_pruned_below"
SERVER_CHANGE_LOOKBACK = 200   # feed entries re-read on servers, where commits may land out of sequence order


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _value(v):
    return getattr(v, "value", v)


class Compiled:
    """A Core statement compiled once for the store's dialect and run on the driver's own cursor, inside the same
    connection and transaction. For the few statements an import runs per profile and a request runs per call,
    where SQLAlchemy's per-execution bookkeeping costs more than the statement; the SQL is still Core's, for either
    dialect. Only for statements whose values need no type conversion (text, numbers, bytes)."""

    def __init__(self, statement, dialect: sa.Dialect, keys: tuple[str, ...] | None = None):
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys else None)
        self.sql = str(compiled)
        self.positional = compiled.positional             # SQLite: ?; pymysql: %(name)s
        self.names = tuple(compiled.positiontup or ())
        self.defaults = dict(compiled.params)

    def run(self, conn: sa.Connection, params: dict | None = None):
        if self.positional:
            values = tuple([params[n] if params and n in params else self.defaults[n] for n in self.names])
        else:
            values = self.defaults | params if params else self.defaults
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute(self.sql, values)
        return cursor


class _AlreadyAlerted(Exception):
    """Rolls back an alert claim that overlaps one made elsewhere."""


class SqlStore:
    """Build with SqlStore.sqlite(path) or SqlStore.from_url(url); bot/bootstrap.make_store picks from settings."""

    DESCRIPTIVE_COLUMNS = ("email", "slack_user_id", "teams_user_id", "department", "level", "location", "role",
                           "open_to_moves", "languages", "mentor")
    _CASE_INSENSITIVE = ("email",)      # compared exactly in update_fields, so a change of case is a change
    _PROFILE_COLUMNS = EMPLOYEE_COLUMNS + ("resume_hash", "terms", "profile_words")

    target_schema_version = mg.head_version()

    def __init__(self, engine: sa.Engine, *, backend_name: str, retries: int = 0,
                 writer_lock: threading.Lock | None = None, path: Path | None = None,
                 config: cx.MySqlConfig | None = None, connector: cx.MySqlConnector | None = None,
                 server: cx.ServerInfo | None = None, pool_size: int = 0):
        self.engine = engine
        self.dialect = engine.dialect.name            # "sqlite" or "mysql"
        self.backend_name = backend_name
        self.retries = retries
        self.path = path
        self.config = config
        self.database = config.database if config else None
        self._connector = connector
        self._server = server
        self._pool_size = pool_size
        self._writer_lock = writer_lock
        self._local = threading.local()
        self._upserts: dict = {}
        self._compiled: dict[str, Compiled] = {}
        self.native = None
        self._instance_id: str | None = None
        self._closed = False
        # A closed store opens no new connection (the engine's pool would otherwise reopen one on the next call):
        # a watcher left behind by a stopped server must fail, not act for it.
        event.listen(engine, "engine_connect", self._refuse_when_closed)
        if server is not None and server.native_vector:
            from bot.adapters.storage.native_vectors import NativeVectors

            self.native = NativeVectors(self)

    # ---- construction -----------------------------------------------------------------------------------------
    @classmethod
    def sqlite(cls, path: Path | str, busy_timeout: float = cx.SQLITE_BUSY_TIMEOUT_S) -> "SqlStore":
        """The embedded default: one SQLite file, no server. Vectors are searched in-process."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = cx.sqlite_engine(path, busy_timeout)
            with engine.connect() as conn:        # opens the file now, so a bad path fails here, clearly
                conn.exec_driver_sql("SELECT 1")
        except (OSError, sa_exc.DBAPIError) as exc:
            raise cx.sqlite_open_error(path, exc) from None
        return cls(engine, backend_name="sqlite", writer_lock=cx.sqlite_writer_lock(path), path=path)

    @classmethod
    def from_url(cls, url: str | cx.MySqlConfig, *, setting: str | None = None, pool_size: int | None = None,
                 pool_timeout: float = 30.0, retries: int = 5, **options: Any) -> "SqlStore":
        """mysql://user:pass@host:3306/db?ssl_ca=/path/ca.pem (also mysql+pymysql://, mariadb://, tidb://).
        Keyword options (ssl_ca, ssl_cert, ssl_key, ssl_verify_identity, ssl_verify_cert, ssl_mode, connect_timeout,
        read_timeout, write_timeout, ...) override the query string. `setting` names the variable in error messages
        (DATABASE_URL by default, TIDB_DSN for tidb:// URLs)."""
        cfg = url if isinstance(url, cx.MySqlConfig) else cx.parse_url(url, setting, **options)
        connector = cx.MySqlConnector(cfg)
        size = int(pool_size or cfg.number("pool_size", 8))
        server = connector.probe()
        engine = connector.engine(server, size, pool_timeout)
        return cls(engine, backend_name="tidb" if server.is_tidb else "mysql", retries=retries, config=cfg,
                   connector=connector, server=server, pool_size=size)

    # ---- connections and transactions -------------------------------------------------------------------------
    def _tx(self) -> sa.Connection | None:
        return getattr(self._local, "conn", None)

    def _lost(self, exc: BaseException) -> StoreError:
        cfg = self.config
        return StoreError(f"Lost the connection to the database server at {cfg.where} and could not get it back "
                          f"after {self.retries + 1} attempts ({cx.short_reason(exc)}). Check that the server is up, "
                          f"and {cfg.setting}.")

    def _pool_busy(self) -> StoreError:
        if self.config is None:
            return StoreError(f"The database file {self.path} stayed busy; try again.")
        return StoreError(f"All {self._pool_size} database connections stayed busy. Raise pool_size in "
                          f"{self.config.setting}, or lower the load.")

    def _retrying(self, operation: Callable[[], Any]) -> Any:
        return cx.retrying(operation, self.retries, self._lost, self._pool_busy,
                           (lambda exc: cx.no_answer_error(self.config)) if self.config is not None else None)

    def _read(self, fn: Callable[[sa.Connection], Any]) -> Any:
        """fn(connection) in this thread's open transaction, or on a pooled connection of its own."""
        tx = self._tx()
        if tx is not None:
            return fn(tx)

        def attempt():
            with self.engine.connect() as conn:
                return fn(conn)
        return self._retrying(attempt)

    def _fast(self, name: str, build: Callable[[], Any], keys: tuple[str, ...] | None = None) -> Compiled:
        """The named statement, compiled once for this store (see Compiled)."""
        compiled = self._compiled.get(name)
        if compiled is None:
            compiled = self._compiled[name] = Compiled(build(), self.engine.dialect, keys)
        return compiled

    def _fast_rows(self, compiled: Compiled, params: dict | None = None) -> list:
        return self._read(lambda conn: compiled.run(conn, params).fetchall())

    def _lookup(self, name: str, build: Callable[[], Any], **params):
        """The first row of a named request-path query (compiled once), or None."""
        rows = self._fast_rows(self._fast(name, build), params)
        return rows[0] if rows else None

    def _put(self, name: str, build: Callable[[], Any], params: dict) -> int:
        """A named single-statement write (compiled once for these parameter names); the rows it matched."""
        statement = self._fast(name, build, tuple(params))
        if self._writer_lock is not None and self._tx() is None:
            # SQLite: one statement is its own transaction. Without BEGIN/COMMIT the writer lock is held across a
            # single call into SQLite, so under many threads the holder has one GIL hand-off to wait for, not three.
            with self.engine.connect() as conn, self._writer():
                return statement.run(conn, params).rowcount
        return self._write(lambda conn: statement.run(conn, params).rowcount)

    def _rows(self, statement, params: dict | None = None) -> list:
        return self._read(lambda conn: conn.execute(statement, params or {}).all())

    def _first(self, statement, params: dict | None = None):
        return self._read(lambda conn: conn.execute(statement, params or {}).first())

    @contextmanager
    def _writer(self):
        """SQLite: one writer at a time per file in this process (readers go on meanwhile)."""
        if self._writer_lock is None:
            yield
            return
        with self._writer_lock:
            yield

    def _write(self, fn: Callable[[sa.Connection], Any], bump: bool | Callable[[Any], bool] = False) -> Any:
        """fn(connection) as one transaction of its own — bumping data_version when `bump` says so — or in this
        thread's open transaction (which bumps at commit)."""
        tx = self._tx()
        if tx is not None:
            return fn(tx)

        def attempt():
            with self.engine.connect() as conn:
                conn.execution_options(**{cx.WRITE: True})
                with self._writer(), conn.begin():          # the writer lock is held from BEGIN to COMMIT only
                    result = fn(conn)
                    if bump is True or (callable(bump) and bump(result)):
                        self._bump.run(conn)
            return result
        result = self._retrying(attempt)
        self._after_commit()
        return result

    def _count(self, statement, params: dict | None = None, bump: bool = False) -> int:
        """Rows a single write statement matched."""
        return self._write(lambda conn: conn.execute(statement, params or {}).rowcount,
                           bump=(lambda n: n > 0) if bump else False)

    @contextmanager
    def transaction(self):
        """Everything this thread does with the store inside the block commits together (bumping data_version), or
        not at all when the block raises. Nested blocks join the outer one."""
        local = self._local
        if self._tx() is not None:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        conn = self._retrying(self.engine.connect)
        try:
            conn.execution_options(**{cx.WRITE: True})
            with self._writer():                               # from BEGIN (IMMEDIATE, on SQLite) to COMMIT
                conn.begin()
                local.conn, local.depth = conn, 1
                try:
                    yield
                    self._bump.run(conn)
                    conn.commit()
                except cx.DATABASE_ERRORS as exc:
                    if self.config is not None and cx.is_connection_error(exc):
                        raise self._lost(exc) from None
                    raise
                finally:
                    local.conn, local.depth = None, 0
                    if conn.in_transaction():              # still under the lock: the next writer finds it free
                        with contextlib.suppress(*cx.DATABASE_ERRORS):
                            conn.rollback()
        finally:
            conn.close()
        self._after_commit()

    @cached_property
    def _bump(self) -> Compiled:
        value = s.meta.c.value
        return Compiled(update(s.meta).where(s.meta.c.key == "data_version")
                        .values(value=sa.cast(sa.cast(value, sa.Integer) + 1, sa.String)), self.engine.dialect)

    def _after_commit(self) -> None:
        if self.native is not None:
            self.native.after_commit()

    def data_version(self) -> int:
        statement = self._fast("data_version", lambda: select(s.meta.c.value).where(s.meta.c.key == "data_version"))
        return int(self._fast_rows(statement)[0][0])

    def _refuse_when_closed(self, *_args) -> None:
        if self._closed:
            raise StoreError("The database connection was closed; this store can no longer be used.")

    def close(self) -> None:
        self._closed = True
        self.engine.dispose()

    # ---- schema -----------------------------------------------------------------------------------------------
    def _too_new(self, state: mg.SchemaState) -> SchemaTooNewError:
        target = self.target_schema_version
        if self.config is None:
            return SchemaTooNewError(
                f"The database {self.path} has schema version {state.version}, newer than this version of Internal "
                f"Hire understands ({target}). Upgrade Internal Hire, or point --data-dir elsewhere.")
        cfg = self.config
        return SchemaTooNewError(
            f"The database {cfg.database!r} at {cfg.where} has schema version {state.version}, newer than this "
            f"version of Internal Hire understands ({target}). Upgrade Internal Hire, or point {cfg.setting} "
            f"elsewhere.")

    def schema_state(self) -> mg.SchemaState:
        return self._read(mg.read_state)

    def schema_version(self) -> int:
        return self.schema_state().version

    def check_schema(self) -> int:
        """The current schema version; refuses one newer than this code understands."""
        state = self.schema_state()
        if not state.known:
            raise self._too_new(state)
        return state.version

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision (a database from before Alembic is stamped at its
        hand-migrated version first). Refuses a schema newer than this code."""
        if self.config is None:
            with self._writer(), self.engine.connect() as conn:
                conn.execution_options(**{cx.WRITE: True})
                with conn.begin():                 # SQLite: the whole upgrade commits together, or not at all
                    state = mg.read_state(conn)
                    if not state.known:
                        raise self._too_new(state)
                    if state.version < self.target_schema_version or state.legacy:
                        mg.upgrade(conn)
            return
        self._migrate_server()
        if self.native is not None:
            self.native.load()

    def _migrate_server(self) -> None:
        cfg = self.config
        lock = mg.server_lock_name(cfg.database)
        try:
            with self.engine.connect() as conn, cx.long_statements(conn):
                locked = False
                try:
                    try:
                        locked = conn.execute(sa.text("SELECT GET_LOCK(:n, 60)"), {"n": lock}).scalar() == 1
                    except sa_exc.DBAPIError:
                        conn.rollback()                       # best effort (very old TiDB)
                    state = mg.read_state(conn)
                    if not state.known:
                        raise self._too_new(state)
                    if state.version < self.target_schema_version or state.legacy:
                        try:
                            mg.upgrade(conn)
                        except sa_exc.DBAPIError as exc:
                            if cx.error_code(exc) in cx.NO_PRIVILEGE:
                                raise cx.privileges_error(cfg, exc) from None
                            raise
                    conn.commit()
                finally:
                    if locked:
                        with contextlib.suppress(sa_exc.DBAPIError):
                            conn.execute(sa.text("SELECT RELEASE_LOCK(:n)"), {"n": lock})
                            conn.commit()
        except sa_exc.DBAPIError as exc:
            if cx.is_connection_error(exc):
                raise self._lost(exc) from None
            raise

    # ---- about the backend ------------------------------------------------------------------------------------
    def capabilities(self) -> dict:
        if self.config is None:
            return {"backend": "sqlite", "server": f"SQLite {sqlite3.sqlite_version}", "path": str(self.path),
                    "native_vector": False, "ann_index": "none (exact in-process search)",
                    "sql": f"SQLAlchemy {sa.__version__}"}
        version = self._server.version
        if self._server.is_tidb:
            import re

            match = re.search(r"TiDB-(v[\w.\-]+)", version, re.I)
            server = f"TiDB {match.group(1) if match else version}"
        elif "mariadb" in version.lower():
            server = f"MariaDB {version.split('-', 1)[0]}"
        else:
            server = f"MySQL {version.split('-', 1)[0]}"
        caps = {"backend": self.backend_name, "server": server, "server_version": version,
                "native_vector": self.native is not None, "vector_dim": None, "ann_index": "none",
                "tls": self._connector.ssl is not None, "pool_size": self._pool_size,
                "timeouts": dict(self._connector.timeouts), "sql": f"SQLAlchemy {sa.__version__}"}
        if self.native is not None:
            caps.update(self.native.capabilities())
        return caps

    @property
    def native_vector(self) -> bool:
        return self.native is not None

    @property
    def server_version(self) -> str:
        return self._server.version if self._server else sqlite3.sqlite_version

    @property
    def is_tidb(self) -> bool:
        return bool(self._server and self._server.is_tidb)

    def drop_database(self) -> None:
        """Drop this store's whole database and close the store (for tests and throwaway setups)."""
        self.close()
        if self.config is None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return
        conn = self._connector.connect(database=None, autocommit=True)
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{self.database}`")
        finally:
            conn.close()

    # ---- meta -------------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self._lookup("get_meta", lambda: select(s.meta.c.value).where(s.meta.c.key == bindparam("key")), key=key)
        return row[0] if row else None

    def _upsert(self, table: sa.Table, *conflict: str):
        """The upsert of every other column of `table`, built once per store."""
        statement = self._upserts.get((table.name, conflict))
        if statement is None:
            statement = self._upserts[(table.name, conflict)] = upsert(self.dialect, table, conflict)
        return statement

    def instance_id(self) -> str:
        """A random id given to this database the first time it is asked: what a cache outside the database (the
        saved search index) checks it was made from."""
        if self._instance_id is None:
            value = self.get_meta("instance_id")
            if value is None:
                import uuid

                self._write(lambda conn: conn.execute(insert_ignore(self.dialect, s.meta),
                                                      {"key": "instance_id", "value": uuid.uuid4().hex}))
                value = self.get_meta("instance_id")
            self._instance_id = value
        return self._instance_id

    def set_meta(self, key: str, value: str) -> None:
        self._write(lambda conn: conn.execute(self._upsert(s.meta, "key"), {"key": key, "value": value}))

    # ---- employees --------------------------------------------------------------------------------------------
    @cached_property
    def _employee_upsert(self) -> Compiled:
        return Compiled(upsert(self.dialect, s.employees, ("id",), update=self._PROFILE_COLUMNS[1:]),
                        self.engine.dialect, self._PROFILE_COLUMNS)

    @cached_property
    def _embedding_upsert(self) -> Compiled:
        return Compiled(upsert(self.dialect, s.embeddings, ("employee_id",), update=("model", "dim", "vector")),
                        self.engine.dialect, ("employee_id", "model", "dim", "vector"))

    @cached_property
    def _employee_select(self):
        return select(*(s.employees.c[c] for c in EMPLOYEE_COLUMNS))

    def upsert_profile(self, employee: Employee, resume_hash: str, terms: Iterable[str], profile_words: int,
                       vector: np.ndarray | None, embedder_id: str, summary_vector: np.ndarray | None = None) -> None:
        employee.updated_at = employee.updated_at or now_iso()
        values = employee_values(employee) + (resume_hash, " ".join(terms), profile_words)
        params = dict(zip(self._PROFILE_COLUMNS, values))

        def body(conn: sa.Connection) -> None:
            self._employee_upsert.run(conn, params)
            if vector is not None:
                self._put_embedding(conn, employee.id, vector, embedder_id, summary_vector)
            self._changed(conn, employee.id)
        self._write(body, bump=True)

    def update_fields(self, employee: Employee) -> bool:
        """Update the descriptive fields (not resume, skills or embedding); True when something changed."""
        values = dict(zip(EMPLOYEE_COLUMNS, employee_values(employee)))
        new = {c: values[c] for c in self.DESCRIPTIVE_COLUMNS}
        t = s.employees
        changed = or_(*(
            (exactly(self.dialect, t.c[c]) if c in self._CASE_INSENSITIVE else t.c[c]).is_distinct_from(v)
            for c, v in new.items()))
        statement = update(t).where(t.c.id == employee.id, changed).values(**new, updated_at=now_iso())

        def body(conn: sa.Connection) -> int:
            count = conn.execute(statement).rowcount
            if count:
                self._changed(conn, employee.id)
            return count
        return self._write(body, bump=lambda n: n > 0) > 0

    def _put_embedding(self, conn: sa.Connection, employee_id: str, vector: np.ndarray, embedder_id: str,
                       summary_vector: np.ndarray | None = None) -> None:
        if self.native is None or not self.native.put(conn, employee_id, vector, embedder_id):
            self._embedding_upsert.run(conn, {"employee_id": employee_id, "model": embedder_id,
                                              "dim": int(len(vector)), "vector": vector_to_blob(vector)})
        # Written with every raw vector, so a summary never outlives the text it was made from. An empty value
        # means "no summary" (nothing to summarise); NULL means "not made yet" (stored before schema 6), which
        # ids_missing_embedding reports so that the nightly re-embedding fills it in.
        conn.execute(update(s.embeddings).where(s.embeddings.c.employee_id == employee_id).values(
            summary_vector=vector_to_blob(summary_vector) if summary_vector is not None else b""))

    def set_embedding(self, employee_id: str, vector: np.ndarray, embedder_id: str,
                      summary_vector: np.ndarray | None = None) -> None:
        def body(conn: sa.Connection) -> None:
            self._put_embedding(conn, employee_id, vector, embedder_id, summary_vector)
            self._changed(conn, employee_id)
        self._write(body, bump=True)

    def clear_embeddings(self) -> None:
        def body(conn: sa.Connection) -> None:
            conn.execute(delete(s.embeddings))
            self._changed(conn, ALL_PROFILES)
        self._write(body, bump=True)

    def embedding_models(self) -> list[tuple[str, int, int]]:
        e = s.embeddings
        return [(r[0], int(r[1]), int(r[2])) for r in self._rows(
            select(e.c.model, e.c.dim, func.count()).group_by(e.c.model, e.c.dim))]

    def embedding_model(self) -> tuple[str, int] | None:
        models = sorted(self.embedding_models(), key=lambda m: (-m[2], m[0], m[1]))
        return (models[0][0], models[0][1]) if models else None

    def ids_missing_embedding(self, embedder_id: str) -> list[str]:
        e, v = s.employees, s.embeddings
        return [r[0] for r in self._rows(
            select(e.c.id).select_from(e.outerjoin(v, v.c.employee_id == e.c.id))
            .where(or_(v.c.employee_id.is_(None), v.c.model != embedder_id, v.c.summary_vector.is_(None)))
            .order_by(e.c.id))]

    def get_employee(self, employee_id: str) -> Employee | None:
        rows = self._fast_rows(self._fast("employee", lambda: self._employee_select.where(
            s.employees.c.id == bindparam("key"))), {"key": employee_id})
        return employee_from_row(rows[0]) if rows else None

    def get_employees(self, employee_ids: list[str]) -> dict[str, Employee]:
        out: dict[str, Employee] = {}
        for start in range(0, len(employee_ids), ID_CHUNK):
            chunk = employee_ids[start:start + ID_CHUNK]
            statement = self._fast(f"employees_{len(chunk)}", lambda n=len(chunk): self._employee_select.where(
                s.employees.c.id.in_([bindparam(f"id{i}") for i in range(n)])))
            rows = self._fast_rows(statement, {f"id{i}": eid for i, eid in enumerate(chunk)})
            out.update((row[0], employee_from_row(row)) for row in rows)
        return out

    def get_resume_hash(self, employee_id: str) -> str | None:
        row = self._lookup("resume_hash", lambda: select(s.employees.c.resume_hash).where(
            s.employees.c.id == bindparam("id")), id=employee_id)
        return row[0] if row else None

    def resume_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._rows(select(s.employees.c.id, s.employees.c.resume_hash))}

    def find_employee(self, key: str) -> Employee | None:
        """By id, e-mail (any case), Slack id, Teams id, then display name (any case); ids are exact."""
        key = (key or "").strip()
        if not key:
            return None
        for name in ("id", "email", "slack_user_id", "teams_user_id", "display_name"):
            rows = self._fast_rows(self._fast(f"find_by_{name}", lambda name=name: self._find_by(name)), {"key": key})
            if rows:
                return employee_from_row(rows[0])
        return None

    def _find_by(self, column: str):
        t = s.employees
        condition = (same_text_ignoring_case(self.dialect, t.c[column], bindparam("key"))
                     if column in ("email", "display_name") else t.c[column] == bindparam("key"))
        return self._employee_select.where(condition).order_by(t.c.id).limit(1)

    def _employees_where(self, *conditions) -> list[Employee]:
        return [employee_from_row(r) for r in self._rows(
            self._employee_select.where(*conditions).order_by(s.employees.c.id))]

    def list_employees(self) -> list[Employee]:
        return self._employees_where()

    def list_mentors(self) -> list[Employee]:
        return self._employees_where(s.employees.c.mentor == 1)

    def employees_with_role(self, role: str) -> list[Employee]:
        return self._employees_where(s.employees.c.role == _value(role))

    def count_employees(self) -> int:
        return int(self._first(select(func.count()).select_from(s.employees))[0])

    def delete_employee(self, employee_id: str) -> bool:
        def body(conn: sa.Connection) -> int:
            # Explicit, for TiDB versions that do not enforce the foreign key's ON DELETE CASCADE.
            conn.execute(delete(s.embeddings).where(s.embeddings.c.employee_id == employee_id))
            conn.execute(delete(s.demographics).where(s.demographics.c.employee_id == employee_id))  # leave with them
            deleted = conn.execute(delete(s.employees).where(s.employees.c.id == employee_id)).rowcount
            if deleted:
                self._changed(conn, employee_id)
            return deleted
        return self._write(body, bump=lambda deleted: deleted > 0) > 0

    def clear_profile(self, employee_id: str) -> bool:
        """Forget a profile: resume, skills, details, embedding, shortlist entries and drafts; the directory entry
        (name, e-mail, chat ids, department, role) stays so the person can still use the bot."""
        def body(conn: sa.Connection) -> bool:
            cleared = conn.execute(
                update(s.employees).where(s.employees.c.id == employee_id)
                .values(resume_text="", skills="[]", details="", terms="", profile_words=0, resume_hash="",
                        languages="[]", open_to_moves=0, mentor=0, updated_at=now_iso())).rowcount
            if not cleared:
                return False
            self._changed(conn, employee_id)
            conn.execute(delete(s.embeddings).where(s.embeddings.c.employee_id == employee_id))
            conn.execute(delete(s.shortlists).where(s.shortlists.c.employee_id == employee_id))
            conn.execute(delete(s.drafts).where(s.drafts.c.owner_id == employee_id, s.drafts.c.kind == "resume"))
            conn.execute(delete(s.audit_log).where(s.audit_log.c.actor_id == employee_id,
                                                   s.audit_log.c.action.in_(SELF_PROFILE_ACTIONS)))
            return True
        return self._write(body, bump=lambda cleared: cleared)

    @cached_property
    def _index_select(self):
        e, v = s.employees, s.embeddings
        return (select(e.c.id, e.c.department, e.c.level, e.c.open_to_moves, e.c.skills, e.c.terms,
                       e.c.profile_words, v.c.vector, e.c.location, v.c.summary_vector)
                .select_from(e.outerjoin(v, v.c.employee_id == e.c.id)))

    @cached_property
    def _index_page(self) -> Compiled:
        return Compiled(self._index_select.where(s.employees.c.id > bindparam("after")).order_by(s.employees.c.id)
                        .limit(INDEX_PAGE), self.engine.dialect)

    # ---- the index's change feed (see core.ports.IndexChanges) -------------------------------------------------
    @cached_property
    def _change_insert(self) -> Compiled:
        return Compiled(insert(s.index_changes), self.engine.dialect, ("employee_id",))

    def _changed(self, conn: sa.Connection, employee_id: str) -> None:
        """Record, in the writing transaction, that this profile's index row changed."""
        self._change_insert.run(conn, {"employee_id": employee_id})

    def index_change_seq(self) -> int:
        """The newest entry of the change feed (0 when empty): an index built now includes everything up to it."""
        statement = self._fast("change_seq", lambda: select(func.max(s.index_changes.c.seq)))
        value = self._fast_rows(statement)[0][0]
        return int(value or 0)

    def index_changes_since(self, seq: int, most: int) -> IndexChanges:
        """Profiles changed after entry `seq` of the change feed. `ids` is None when only a rebuild can catch up:
        more than `most` profiles, every profile changed, or the feed was pruned past `seq`. On servers the feed is
        read from a little before `seq`: an earlier-numbered transaction may commit after a later one (applying a
        profile twice is harmless)."""
        c = s.index_changes.c
        pruned = int(self.get_meta(CHANGES_PRUNED_KEY) or 0)
        if seq < pruned:
            return IndexChanges(self.index_change_seq(), None)
        start = seq if self.dialect == "sqlite" else max(0, seq - SERVER_CHANGE_LOOKBACK)
        limit = most + 1 + SERVER_CHANGE_LOOKBACK
        statement = self._fast(f"changes_since_{limit}", lambda: select(c.seq, c.employee_id).where(
            c.seq > bindparam("seq")).order_by(c.seq).limit(limit))
        rows = self._fast_rows(statement, {"seq": start})
        newest = max([seq] + [int(r[0]) for r in rows])
        ids = list(dict.fromkeys(r[1] for r in rows))
        if len(rows) > most + SERVER_CHANGE_LOOKBACK or ALL_PROFILES in ids or len(ids) > most:
            return IndexChanges(max(newest, self.index_change_seq()), None)
        return IndexChanges(newest, tuple(ids))

    def prune_index_changes(self, keep: int = CHANGES_KEPT) -> None:
        """Forget all but the newest `keep` entries of the change feed (an index further behind rebuilds)."""
        below = self.index_change_seq() - keep
        if below <= 0:
            return

        def body(conn: sa.Connection) -> None:
            conn.execute(delete(s.index_changes).where(s.index_changes.c.seq <= below))
            conn.execute(self._upsert(s.meta, "key"), {"key": CHANGES_PRUNED_KEY, "value": str(below)})
        self._write(body)

    def index_rows_for(self, employee_ids: Iterable[str]) -> list[IndexRow]:
        """The index rows of these employees (those that no longer exist are simply absent)."""
        ids = list(dict.fromkeys(employee_ids))
        out: list[IndexRow] = []
        for start in range(0, len(ids), ID_CHUNK):
            chunk = ids[start:start + ID_CHUNK]
            statement = self._fast(f"index_rows_{len(chunk)}", lambda n=len(chunk): self._index_select.where(
                s.employees.c.id.in_([bindparam(f"id{i}") for i in range(n)])))
            out.extend(index_row(*row) for row in self._fast_rows(statement, {f"id{i}": e for i, e in enumerate(chunk)}))
        return out

    def index_rows(self) -> Iterator[IndexRow]:
        """Streams what the search index needs, in id order, a few thousand rows per query."""
        last = ""
        while True:
            rows = self._fast_rows(self._index_page, {"after": last})
            if not rows:
                return
            for row in rows:
                yield index_row(*row)
            last = rows[-1][0]

    # ---- vector search on the server --------------------------------------------------------------------------
    def ann_ready(self, dim: int) -> bool:
        """True when the server's vector index can answer queries of this dimension (TiDB, column in sync). While it
        cannot, callers search in-process instead of pulling every stored vector over the network."""
        return self.native is not None and self.native.ready(dim)

    def ann_search(self, query_vector: np.ndarray, k: int, fetch_more: int = 0) -> list[tuple[str, float]]:
        """The k + fetch_more stored vectors nearest the query by cosine, best first, as (employee_id, cosine
        similarity). Filters are left to the caller (fetch_more leaves room for them): on TiDB the query has no WHERE
        so the HNSW index serves it (approximate); elsewhere it is an exact scan of the stored vectors of the same
        dimension."""
        query = np.asarray(query_vector, dtype=np.float32).ravel()
        limit = int(k) + max(0, int(fetch_more))
        if limit <= 0 or not query.size:
            return []
        if self.native is not None and self.native.dim == query.size:
            return self.native.search(query, limit)
        e = s.embeddings
        rows = self._rows(select(e.c.employee_id, e.c.vector).where(e.c.dim == int(query.size)))
        if not rows:
            return []
        ids = [r[0] for r in rows]
        matrix = np.stack([vector_from_blob(r[1]) for r in rows]).astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        sims = (matrix @ query) / np.where(norms == 0, 1.0, norms)
        order = sorted(range(len(ids)), key=lambda i: (-sims[i], ids[i]))[:limit]
        return [(ids[i], float(sims[i])) for i in order]

    def explain_ann(self, query_vector: np.ndarray, k: int = 10) -> tuple[bool, str]:
        """(does the plan use the vector index?, the plan as text) for the query ann_search sends on TiDB."""
        if self.native is None:
            return False, "no native vector support on this backend"
        return self.native.explain(np.asarray(query_vector, dtype=np.float32).ravel(), k)

    # ---- audit, shortlists, searches, conversations, leases ---------------------------------------------------
    def add_audit(self, actor_id: str, action: str, query: str, shown_ids: list[str], details: dict | None = None) -> None:
        params = {"at": now_iso(), "actor_id": actor_id, "action": action, "query": query,
                  "shown_ids": json.dumps(list(shown_ids)), "details": json.dumps(details or {}, ensure_ascii=False)}
        self._put("add_audit", lambda: insert(s.audit_log), params)

    def list_audit(self, limit: int | None = None) -> list[AuditEntry]:
        a = s.audit_log
        statement = select(a.c.id, a.c.at, a.c.actor_id, a.c.action, a.c.query, a.c.shown_ids, a.c.details)
        if limit:
            rows = list(reversed(self._rows(statement.order_by(a.c.id.desc()).limit(int(limit)))))
        else:
            rows = self._rows(statement.order_by(a.c.id))
        return [AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), json.loads(r[6])) for r in rows]

    def add_to_shortlist(self, owner_id: str, employee_id: str, note: str = "") -> bool:
        return self._put("shortlist_add", lambda: insert_ignore(self.dialect, s.shortlists),
                         {"owner_id": owner_id, "employee_id": employee_id, "note": note, "at": now_iso()}) > 0

    def shortlist(self, owner_id: str) -> list[str]:
        t = s.shortlists
        return [r[0] for r in self._rows(select(t.c.employee_id).where(t.c.owner_id == owner_id)
                                         .order_by(t.c.at, t.c.employee_id))]

    def save_conversation_ref(self, platform: str, user_key: str, reference: dict) -> None:
        params = {"platform": platform, "user_key": user_key, "reference": json.dumps(reference, ensure_ascii=False),
                  "at": now_iso()}
        self._write(lambda conn: conn.execute(self._upsert(s.conversation_refs, "platform", "user_key"),
                                              params))

    def load_conversation_ref(self, platform: str, user_key: str) -> dict | None:
        t = s.conversation_refs
        row = self._lookup("conversation_ref", lambda: select(t.c.reference).where(
            t.c.platform == bindparam("platform"), t.c.user_key == bindparam("user_key")),
            platform=platform, user_key=user_key)
        return json.loads(row[0]) if row else None

    def try_acquire_lease(self, name: str, holder: str, ttl_seconds: float, now: float | None = None) -> bool:
        """Take (or renew) a named lease until now + ttl. Held by someone else and not expired: False."""
        now = time.time() if now is None else now
        t = s.leases

        def body(conn: sa.Connection) -> bool:
            row = conn.execute(select(t.c.holder, t.c.expires_at).where(t.c.name == name).with_for_update()).first()
            if row is None:
                conn.execute(insert(t), {"name": name, "holder": holder, "expires_at": now + ttl_seconds})
                return True
            if row[0] != holder and row[1] > now:
                return False
            conn.execute(update(t).where(t.c.name == name).values(holder=holder, expires_at=now + ttl_seconds))
            return True
        try:
            return bool(self._write(body))
        except sa_exc.IntegrityError:          # another holder inserted the row first
            return False

    def release_lease(self, name: str, holder: str) -> None:
        self._write(lambda conn: conn.execute(delete(s.leases).where(s.leases.c.name == name,
                                                                     s.leases.c.holder == holder)))

    # ---- weekly digests: a sent marker per person and week, and opt-outs ----------------------------------------
    def digest_sent_ids(self, week: str) -> set[str]:
        t = s.digest_sends
        return {r[0] for r in self._rows(select(t.c.person_id).where(t.c.week == week, t.c.status == "sent"))}

    def claim_digest(self, person_id: str, week: str, holder: str, ttl_seconds: float,
                     now: float | None = None) -> bool:
        """True for exactly one caller per person and week while the claim lives: the one that sends this digest.
        A digest already sent is never claimed again; a claim that expired (its holder died between sending and
        marking) or a failed attempt is taken over by the next caller."""
        now = time.time() if now is None else now
        t = s.digest_sends
        row = {"person_id": person_id, "week": week, "at": now_iso(), "status": "claimed", "holder": holder,
               "claimed_until": now + ttl_seconds, "attempts": 1, "error": None}

        def body(conn: sa.Connection) -> bool:
            if conn.execute(insert_ignore(self.dialect, t), row).rowcount == 1:
                return True
            return conn.execute(update(t).where(
                t.c.person_id == person_id, t.c.week == week, t.c.status != "sent",
                sa.or_(t.c.claimed_until.is_(None), t.c.claimed_until < now))
                .values(status="claimed", holder=holder, claimed_until=now + ttl_seconds, at=now_iso(),
                        attempts=t.c.attempts + 1)).rowcount == 1
        return bool(self._write(body))

    def mark_digest_sent(self, person_id: str, week: str) -> bool:
        """False when this person's digest for the week was already marked (another run got there first)."""
        t = s.digest_sends

        def body(conn: sa.Connection) -> bool:
            if conn.execute(update(t).where(t.c.person_id == person_id, t.c.week == week, t.c.status != "sent")
                            .values(status="sent", at=now_iso(), claimed_until=None, error=None)).rowcount == 1:
                return True
            return conn.execute(insert_ignore(self.dialect, t), {
                "person_id": person_id, "week": week, "at": now_iso(), "status": "sent", "holder": None,
                "claimed_until": None, "attempts": 1, "error": None}).rowcount == 1
        return bool(self._write(body))

    def release_digest(self, person_id: str, week: str, holder: str, status: str, error: str = "") -> None:
        """An attempt that did not deliver (status "failed" or "unreachable"): the claim ends now, so the next run
        retries it."""
        t = s.digest_sends
        self._count(update(t).where(t.c.person_id == person_id, t.c.week == week, t.c.holder == holder,
                                    t.c.status == "claimed")
                    .values(status=status, claimed_until=None, error=(error or None) and error[:250]))

    def digest_attempts(self, week: str) -> dict[str, dict]:
        """This week's digests that were tried and not (yet) sent: person id -> status, attempts, error, claimed
        until. The retry run sends to these people only."""
        t = s.digest_sends
        rows = self._rows(select(t.c.person_id, t.c.status, t.c.attempts, t.c.error, t.c.claimed_until)
                          .where(t.c.week == week, t.c.status != "sent"))
        return {r[0]: {"status": r[1], "attempts": int(r[2] or 0), "error": r[3], "claimed_until": r[4]}
                for r in rows}

    def set_digests_off(self, person_id: str, off: bool) -> None:
        t = s.digest_opt_outs

        def body(conn: sa.Connection) -> None:
            conn.execute(delete(t).where(t.c.person_id == person_id))
            if off:
                conn.execute(insert(t), {"person_id": person_id, "at": now_iso()})
        self._write(body)

    def digests_off_ids(self) -> set[str]:
        return {r[0] for r in self._rows(select(s.digest_opt_outs.c.person_id))}
    # ---- exactly once across instances: deliveries and schedule slots (schema 7) ------------------------------
    def claim_delivery(self, key: str, holder: str, ttl_seconds: float, now: float | None = None) -> bool:
        """True for exactly one caller per delivery key until it expires (`ttl_seconds` after the first claim): the
        one that should handle it. Every instance on this database sees the claim, also after a restart."""
        now = time.time() if now is None else now
        d = s.deliveries
        row = {"key": key, "holder": holder, "expires_at": now + ttl_seconds}

        def body(conn: sa.Connection) -> bool:
            if conn.execute(insert_ignore(self.dialect, d), row).rowcount == 1:
                return True
            # Known but expired: taken over by one caller (a conditional UPDATE, so of two racing, one wins).
            return conn.execute(update(d).where(d.c.key == key, d.c.expires_at < now)
                                .values(holder=holder, expires_at=now + ttl_seconds)).rowcount == 1
        return bool(self._write(body))

    def purge_deliveries(self, now: float | None = None) -> int:
        """Forget deliveries whose memory has expired; how many went."""
        now = time.time() if now is None else now
        return self._count(delete(s.deliveries).where(s.deliveries.c.expires_at < now))

    def claim_schedule_slot(self, job: str, slot: str, holder: str, now: float | None = None) -> bool:
        """True for exactly one caller per (job, scheduled time): the instance that runs that slot. A slot once
        claimed stays claimed, so an instance whose timer fires later finds it taken."""
        now = time.time() if now is None else now
        row = {"job": job, "slot": slot, "holder": holder, "status": "running", "started_at": now,
               "finished_at": None}
        return self._write(lambda conn: conn.execute(insert_ignore(self.dialect, s.schedule_runs), row).rowcount) == 1

    def finish_schedule_slot(self, job: str, slot: str, holder: str, status: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        r = s.schedule_runs
        self._count(update(r).where(r.c.job == job, r.c.slot == slot, r.c.holder == holder)
                    .values(status=status, finished_at=now))

    def schedule_runs(self, job: str | None = None, limit: int = 100) -> list[dict]:
        """The latest runs (newest first): job, slot, holder, status, started_at, finished_at."""
        r = s.schedule_runs
        statement = select(r.c.job, r.c.slot, r.c.holder, r.c.status, r.c.started_at, r.c.finished_at)
        if job:
            statement = statement.where(r.c.job == job)
        keys = ("job", "slot", "holder", "status", "started_at", "finished_at")
        return [dict(zip(keys, row)) for row in self._rows(statement.order_by(r.c.slot.desc(), r.c.job)
                                                           .limit(int(limit)))]

    def purge_schedule_runs(self, older_than: float) -> int:
        """Forget runs started before `older_than` (epoch seconds); how many went."""
        return self._count(delete(s.schedule_runs).where(s.schedule_runs.c.started_at < older_than))

    def save_search(self, search_id: str, actor_id: str, query: str, filters: dict) -> None:
        params = {"id": search_id, "actor_id": actor_id, "query": query,
                  "filters": json.dumps(filters, ensure_ascii=False), "at": now_iso()}
        self._put("save_search", lambda: self._upsert(s.searches, "id"), params)

    def load_search(self, search_id: str) -> tuple[str, str, dict] | None:
        t = s.searches
        row = self._lookup("load_search", lambda: select(t.c.actor_id, t.c.query, t.c.filters).where(
            t.c.id == bindparam("id")), id=search_id)
        return (row[0], row[1], json.loads(row[2])) if row else None

    def recent_searches(self, actor_id: str, limit: int = 5) -> list[str]:
        """The actor's latest distinct search queries, newest first."""
        t = s.searches
        rows = self._rows(select(t.c.query).where(t.c.actor_id == actor_id).order_by(t.c.at.desc()).limit(limit * 4))
        return list(dict.fromkeys(r[0] for r in rows))[:limit]

    # ---- drafts and AI usage -----------------------------------------------------------------------------------
    def save_draft(self, draft_id: str, owner_id: str, kind: str, payload: dict) -> None:
        params = {"id": draft_id, "owner_id": owner_id, "kind": kind,
                  "payload": json.dumps(payload, ensure_ascii=False), "at": now_iso()}
        self._put("save_draft", lambda: self._upsert(s.drafts, "id"), params)

    def load_draft(self, draft_id: str) -> tuple[str, str, dict] | None:
        t = s.drafts
        row = self._lookup("load_draft", lambda: select(t.c.owner_id, t.c.kind, t.c.payload).where(
            t.c.id == bindparam("id")), id=draft_id)
        return (row[0], row[1], json.loads(row[2])) if row else None

    def delete_draft(self, draft_id: str) -> bool:
        return self._count(delete(s.drafts).where(s.drafts.c.id == draft_id)) > 0

    def purge_drafts(self, kind: str, older_than: str) -> int:
        """Delete drafts of this kind saved before `older_than` (ISO time); how many went."""
        return self._count(delete(s.drafts).where(s.drafts.c.kind == kind, s.drafts.c.at < older_than))

    @cached_property
    def _ai_usage_add(self):
        t = s.ai_usage
        return upsert(self.dialect, t, ("day", "model", "task"), update=(), set_=lambda new: {
            "calls": t.c.calls + 1, "cache_hits": t.c.cache_hits + new.cache_hits,
            "prompt_tokens": t.c.prompt_tokens + new.prompt_tokens,
            "output_tokens": t.c.output_tokens + new.output_tokens})

    def add_ai_usage(self, day: str, model: str, task: str, prompt_tokens: int, output_tokens: int,
                     cached: bool) -> None:
        params = {"day": day, "model": model, "task": task, "calls": 1, "cache_hits": 1 if cached else 0,
                  "prompt_tokens": int(prompt_tokens), "output_tokens": int(output_tokens)}
        self._write(lambda conn: conn.execute(self._ai_usage_add, params))

    def ai_usage(self, day: str) -> list[dict]:
        t = s.ai_usage
        keys = ("model", "task", "calls", "cache_hits", "prompt_tokens", "output_tokens")
        rows = self._rows(select(*(t.c[k] for k in keys)).where(t.c.day == day).order_by(t.c.model, t.c.task))
        return [{k: (v if k in ("model", "task") else int(v)) for k, v in zip(keys, r)} for r in rows]

    # ---- job descriptions: companies, postings, documents, prepared drafts -------------------------------------
    # None of this bumps data_version: it never changes what the people search index holds.
    def upsert_company(self, company) -> bool:
        """True when the company was new."""
        cid, name, data = jr.company_values(company)

        def body(conn: sa.Connection) -> bool:
            existed = conn.execute(select(s.companies.c.id).where(s.companies.c.id == cid).with_for_update()).first()
            conn.execute(self._upsert(s.companies, "id"),
                         {"id": cid, "name": name, "data": data, "updated_at": now_iso()})
            return existed is None
        return self._write(body)

    def get_company(self, company_id: str):
        t = s.companies
        row = self._first(select(t.c.id, t.c.name, t.c.data).where(t.c.id == company_id))
        return jr.company_from_row(row) if row else None

    def list_companies(self) -> list:
        t = s.companies
        return [jr.company_from_row(r) for r in self._rows(select(t.c.id, t.c.name, t.c.data)
                                                            .order_by(t.c.name, t.c.id))]

    def _select(self, table: sa.Table, columns: tuple[str, ...]):
        return select(*(table.c[c] for c in columns))

    def upsert_posting(self, posting) -> str:
        """"added", "updated" or "unchanged" (same content hash)."""
        values = jr.posting_values(posting)
        t = s.postings

        def body(conn: sa.Connection) -> str:
            row = conn.execute(select(t.c.content_hash).where(t.c.id == posting.id).with_for_update()).first()
            if row is not None and row[0] == values[-1]:
                return "unchanged"
            conn.execute(self._upsert(t, "id"),
                         dict(zip(jr.POSTING_COLUMNS, values)) | {"updated_at": now_iso()})
            return "added" if row is None else "updated"
        return self._write(body)

    def get_posting(self, posting_id: str):
        row = self._first(self._select(s.postings, jr.POSTING_COLUMNS).where(s.postings.c.id == posting_id))
        return jr.posting_from_row(row) if row else None

    def list_postings(self, company_id: str, family: str | None = None, level: str | None = None) -> list:
        t = s.postings
        statement = self._select(t, jr.POSTING_COLUMNS).where(t.c.company_id == company_id)
        if family is not None:
            statement = statement.where(t.c.family == family)
        if level is not None:
            statement = statement.where(t.c.level == level)
        return [jr.posting_from_row(r) for r in self._rows(statement.order_by(t.c.posted_at.desc(), t.c.id))]

    def replace_document(self, company_id: str, doc_id: str, title: str, chunks: list) -> None:
        at = now_iso()
        t = s.company_docs
        rows = [{"company_id": company_id, "doc_id": doc_id, "chunk_no": c.chunk_no, "title": title,
                 "heading": c.heading, "text": c.text, "updated_at": at} for c in chunks]

        def body(conn: sa.Connection) -> None:
            conn.execute(delete(t).where(t.c.company_id == company_id, t.c.doc_id == doc_id))
            if rows:
                conn.execute(insert(t), rows)
        self._write(body)

    def list_doc_chunks(self, company_id: str, doc_id: str | None = None) -> list:
        t = s.company_docs
        statement = self._select(t, jr.DOC_COLUMNS).where(t.c.company_id == company_id)
        if doc_id is not None:
            statement = statement.where(t.c.doc_id == doc_id)
        return [jr.chunk_from_row(r) for r in self._rows(statement.order_by(t.c.doc_id, t.c.chunk_no))]

    def save_prepared(self, company_id: str, family: str, level: str, payload: dict, source_hash: str) -> None:
        params = {"company_id": company_id, "family": family, "level": level, "payload": jr.dumps(payload),
                  "source_hash": source_hash, "built_at": now_iso()}
        self._write(lambda conn: conn.execute(self._upsert(s.prepared, "company_id", "family", "level"),
                                              params))

    def _prepared_key(self, company_id: str, family: str, level: str):
        t = s.prepared
        return and_(t.c.company_id == company_id, t.c.family == family, t.c.level == level)

    def load_prepared(self, company_id: str, family: str, level: str) -> dict | None:
        row = self._first(select(s.prepared.c.payload).where(self._prepared_key(company_id, family, level)))
        return json.loads(row[0]) if row else None

    def prepared_keys(self, company_id: str) -> list[tuple[str, str, str]]:
        t = s.prepared
        return [tuple(r) for r in self._rows(select(t.c.family, t.c.level, t.c.source_hash)
                                             .where(t.c.company_id == company_id).order_by(t.c.family, t.c.level))]

    def delete_prepared(self, company_id: str, family: str, level: str) -> bool:
        return self._count(delete(s.prepared).where(self._prepared_key(company_id, family, level))) > 0

    # ---- JD records, versions, decisions, openings ----------------------------------------------------------------
    def _add_version(self, conn: sa.Connection, jd_id: str, version: int, draft: str, editor_id: str, note: str,
                     at: str) -> None:
        conn.execute(insert(s.jd_versions), {"jd_id": jd_id, "version": int(version), "draft": draft,
                                             "editor_id": editor_id, "note": note, "at": at})

    def _add_decision(self, conn: sa.Connection, jd_id: str, version: int, actor_id: str, action: str,
                      from_status: str, to_status: str, reason: str, at: str) -> None:
        conn.execute(insert(s.jd_decisions), {"jd_id": jd_id, "version": int(version), "actor_id": actor_id,
                                              "action": action, "from_status": from_status, "to_status": to_status,
                                              "reason": reason or "", "at": at})

    def create_jd(self, record, editor_id: str, note: str = "") -> None:
        at = now_iso()
        record.created_at = record.created_at or at
        record.updated_at = record.updated_at or at

        def body(conn: sa.Connection) -> None:
            conn.execute(insert(s.jds), dict(zip(jr.JD_COLUMNS, jr.jd_values(record))))
            self._add_version(conn, record.id, record.version, jr.dumps(record.draft.to_dict()), editor_id, note, at)
        self._write(body)

    def get_jd(self, jd_id: str):
        row = self._lookup("get_jd", lambda: self._select(s.jds, jr.JD_COLUMNS).where(s.jds.c.id == bindparam("id")),
                           id=jd_id)
        return jr.jd_from_row(row) if row else None

    def list_jds(self, status: str | None = None, owner_id: str | None = None, company_id: str | None = None,
                 limit: int = 100) -> list:
        t = s.jds
        statement = self._select(t, jr.JD_COLUMNS)
        for column, value in (("status", status), ("owner_id", owner_id), ("company_id", company_id)):
            if value is not None:
                statement = statement.where(t.c[column] == _value(value))
        return [jr.jd_from_row(r) for r in self._rows(statement.order_by(t.c.updated_at.desc(), t.c.id)
                                                      .limit(int(limit)))]

    def update_jd_draft(self, jd_id: str, expected_version: int, draft, editor_id: str, note: str = "") -> int | None:
        """The new version, or None when the JD is not at `expected_version` or no longer editable."""
        from core.jd.model import EDITABLE_STATUSES

        editable = tuple(st.value for st in EDITABLE_STATUSES)
        at = now_iso()
        data = jr.dumps(draft.to_dict())
        t = s.jds

        def body(conn: sa.Connection) -> int | None:
            changed = conn.execute(
                update(t).where(t.c.id == jd_id, t.c.version == int(expected_version), t.c.status.in_(editable))
                .values(draft=data, title=draft.title, version=t.c.version + 1, updated_at=at)).rowcount
            if changed != 1:
                return None
            self._add_version(conn, jd_id, int(expected_version) + 1, data, editor_id, note, at)
            return int(expected_version) + 1
        return self._write(body)

    def decide_jd(self, jd_id: str, expected_version: int, action: str, from_statuses: tuple[str, ...],
                  to_status: str, actor_id: str, reason: str = "") -> bool:
        """Move a JD from one of `from_statuses` to `to_status` only while it is still at `expected_version`; the
        decision is recorded in the same transaction. False (and nothing written) when someone got there first."""
        return self._decide(jd_id, expected_version, _value(action), tuple(_value(x) for x in from_statuses),
                            _value(to_status), actor_id, reason)

    def _decide(self, jd_id, expected_version, action, from_statuses, to_status, actor_id, reason, then=None) -> bool:
        at = now_iso()
        t = s.jds

        def body(conn: sa.Connection) -> bool:
            row = conn.execute(select(t.c.status).where(t.c.id == jd_id).with_for_update()).first()
            if row is None:
                return False
            moved = conn.execute(
                update(t).where(t.c.id == jd_id, t.c.version == int(expected_version), t.c.status.in_(from_statuses))
                .values(status=to_status, updated_at=at)).rowcount
            if moved != 1:
                return False
            self._add_decision(conn, jd_id, expected_version, actor_id, action, row[0], to_status, reason, at)
            if then is not None:
                then(conn)
            return True
        return bool(self._write(body))

    def publish_jd(self, jd_id: str, expected_version: int, opening, actor_id: str) -> bool:
        """approved -> published and the internal opening, together; a retry finds it published and does nothing."""
        values = dict(zip(jr.OPENING_COLUMNS, jr.opening_values(opening)))
        return self._decide(jd_id, expected_version, "publish", ("approved",), "published", actor_id, "",
                            then=lambda conn: conn.execute(insert(s.openings), values))

    def jd_versions(self, jd_id: str) -> list:
        t = s.jd_versions
        return [jr.version_from_row(r) for r in self._rows(self._select(t, jr.VERSION_COLUMNS)
                                                           .where(t.c.jd_id == jd_id).order_by(t.c.version))]

    def jd_decisions(self, jd_id: str) -> list:
        t = s.jd_decisions
        return [jr.decision_from_row(r) for r in self._rows(self._select(t, jr.DECISION_COLUMNS)
                                                            .where(t.c.jd_id == jd_id).order_by(t.c.id))]

    def _opening(self, condition):
        row = self._first(self._select(s.openings, jr.OPENING_COLUMNS).where(condition))
        return jr.opening_from_row(row) if row else None

    def get_opening(self, opening_id: str):
        return self._opening(s.openings.c.id == opening_id)

    def opening_for_jd(self, jd_id: str):
        return self._opening(s.openings.c.jd_id == jd_id)

    def list_openings(self, status: str | None = None, company_id: str | None = None) -> list:
        t = s.openings
        statement = self._select(t, jr.OPENING_COLUMNS)
        for column, value in (("status", status), ("company_id", company_id)):
            if value is not None:
                statement = statement.where(t.c[column] == _value(value))
        return [jr.opening_from_row(r) for r in self._rows(statement.order_by(t.c.opened_at.desc(), t.c.id))]

    def open_opening_ids(self) -> list[str]:
        """The ids of the open openings in list_openings' order (newest first): what the openings list reads per
        request, the openings themselves being cached (a published JD never changes)."""
        t = s.openings
        return [r[0] for r in self._rows(select(t.c.id).where(t.c.status == "open")
                                         .order_by(t.c.opened_at.desc(), t.c.id))]

    def set_opening_status(self, opening_id: str, status, actor_id: str) -> bool:
        """open <-> closed; the change is recorded as a decision on the JD. False when it already had that status."""
        status = _value(status)
        at = now_iso()
        t = s.openings

        def body(conn: sa.Connection) -> bool:
            row = conn.execute(select(t.c.jd_id, t.c.status).where(t.c.id == opening_id).with_for_update()).first()
            if row is None or row[1] == status:
                return False
            moved = conn.execute(update(t).where(t.c.id == opening_id, t.c.status == row[1])
                                 .values(status=status, closed_at=at if status == "closed" else "")).rowcount
            if moved != 1:
                return False
            version = conn.execute(select(s.jds.c.version).where(s.jds.c.id == row[0])).first()
            self._add_decision(conn, row[0], int(version[0]) if version else 0, actor_id,
                               "close" if status == "closed" else "reopen", row[1], status, "", at)
            return True
        return bool(self._write(body))

    # ---- employees and openings: interest, alerts (schema 7) ------------------------------------------------------
    def set_interest(self, opening_id: str, employee_id: str, state: str) -> str | None:
        """Record an employee's interested / withdrawn / dismissed for an opening; the state it had before (None when
        there was none). Setting the state it already has changes nothing."""
        t = s.opening_interests
        at = now_iso()

        def body(conn: sa.Connection) -> str | None:
            row = conn.execute(select(t.c.state).where(t.c.opening_id == opening_id, t.c.employee_id == employee_id)
                               .with_for_update()).first()
            if row is None:
                conn.execute(insert(t), {"opening_id": opening_id, "employee_id": employee_id, "state": state,
                                         "at": at, "updated_at": at, "closed_told": 0})
                return None
            if row[0] != state:
                conn.execute(update(t).where(t.c.opening_id == opening_id, t.c.employee_id == employee_id)
                             .values(state=state, updated_at=at))
            return row[0]
        try:
            return self._write(body)
        except sa_exc.IntegrityError:          # the same press twice at once: the other one inserted it
            return self.interest(opening_id, employee_id)

    def interest(self, opening_id: str, employee_id: str) -> str | None:
        t = s.opening_interests
        row = self._first(select(t.c.state).where(t.c.opening_id == opening_id, t.c.employee_id == employee_id))
        return row[0] if row else None

    def interests_of(self, employee_id: str) -> dict[str, tuple[str, str]]:
        """opening id -> (state, when it last changed) for one employee."""
        t = s.opening_interests
        rows = self._rows(select(t.c.opening_id, t.c.state, t.c.updated_at).where(t.c.employee_id == employee_id)
                          .order_by(t.c.updated_at.desc()))
        return {r[0]: (r[1], r[2]) for r in rows}

    def interests_in(self, opening_id: str, state: str | None = "interested") -> list[tuple[str, str, str]]:
        """(employee id, state, when) for an opening, oldest first."""
        t = s.opening_interests
        statement = select(t.c.employee_id, t.c.state, t.c.updated_at).where(t.c.opening_id == opening_id)
        if state is not None:
            statement = statement.where(t.c.state == state)
        return [(r[0], r[1], r[2]) for r in self._rows(statement.order_by(t.c.updated_at, t.c.employee_id))]

    def interest_counts(self) -> dict[str, int]:
        """opening id -> how many people are interested now."""
        t = s.opening_interests
        rows = self._rows(select(t.c.opening_id, func.count()).where(t.c.state == "interested")
                          .group_by(t.c.opening_id))
        return {r[0]: int(r[1]) for r in rows}

    def closed_interests_untold(self, limit: int = 200) -> list[tuple[str, str]]:
        """(opening id, employee id) of active interests in openings that have closed, not yet told."""
        t, o = s.opening_interests, s.openings
        rows = self._rows(select(t.c.opening_id, t.c.employee_id).join(o, o.c.id == t.c.opening_id)
                          .where(t.c.state == "interested", t.c.closed_told == 0, o.c.status == "closed")
                          .order_by(t.c.opening_id, t.c.employee_id).limit(int(limit)))
        return [(r[0], r[1]) for r in rows]

    def mark_closed_told(self, opening_id: str, employee_id: str) -> bool:
        """True for exactly one caller: the one who may tell this person that the opening closed."""
        t = s.opening_interests
        return self._count(update(t).where(t.c.opening_id == opening_id, t.c.employee_id == employee_id,
                                           t.c.closed_told == 0).values(closed_told=1)) == 1

    def set_alerts(self, employee_id: str, enabled: bool) -> None:
        params = {"employee_id": employee_id, "enabled": 1 if enabled else 0, "at": now_iso()}
        self._write(lambda conn: conn.execute(self._upsert(s.alert_subscriptions, "employee_id"), params))

    def alerts_enabled(self, employee_id: str) -> bool:
        t = s.alert_subscriptions
        row = self._first(select(t.c.enabled).where(t.c.employee_id == employee_id))
        return bool(row and row[0])

    def alert_subscribers(self) -> list[str]:
        t = s.alert_subscriptions
        return [r[0] for r in self._rows(select(t.c.employee_id).where(t.c.enabled == 1).order_by(t.c.employee_id))]

    def alerted_openings(self, employee_id: str) -> set[str]:
        t = s.opening_alerts
        return {r[0] for r in self._rows(select(t.c.opening_id).where(t.c.employee_id == employee_id))}

    def alerted_on(self, day: str) -> set[str]:
        """Employees who already got their one alert message of `day`."""
        t = s.alert_days
        return {r[0] for r in self._rows(select(t.c.employee_id).where(t.c.day == day))}

    def claim_alert(self, employee_id: str, day: str, opening_ids: list[str]) -> bool:
        """The once-only marker of an alert message, taken before it is sent: one message per person per day, and
        each opening alerted once per person. False (and nothing written) when another instance, an earlier run or
        an earlier day got there first."""
        at = now_iso()
        days, alerts = s.alert_days, s.opening_alerts

        def body(conn: sa.Connection) -> bool:
            if conn.execute(insert_ignore(self.dialect, days), {"employee_id": employee_id, "day": day,
                                                                "openings": json.dumps(list(opening_ids)),
                                                                "at": at}).rowcount != 1:
                return False
            for opening_id in opening_ids:
                if conn.execute(insert_ignore(self.dialect, alerts), {"opening_id": opening_id,
                                                                      "employee_id": employee_id, "day": day,
                                                                      "at": at}).rowcount != 1:
                    raise _AlreadyAlerted()
            return True
        try:
            return bool(self._write(body))
        except (_AlreadyAlerted, sa_exc.IntegrityError):
            return False

    # ---- the durable background job queue -------------------------------------------------------------------------
    @staticmethod
    def _claimable(now: float):
        """A job a worker may take: queued and due, or running under a lease nobody renewed (its worker died)."""
        j = s.jobs
        return or_(and_(j.c.status == "queued", j.c.available_at <= now),
                   and_(j.c.status == "running", j.c.lease_until < now))

    def _owned(self, job_id: str, worker_id: str):
        j = s.jobs
        return and_(j.c.id == job_id, j.c.status == "running", j.c.lease_owner == worker_id)

    def enqueue_job(self, job_id: str, kind: str, payload: dict, requester: str, max_attempts: int = 3,
                    now: float | None = None) -> None:
        now = time.time() if now is None else now
        params = {"id": job_id, "kind": kind, "payload": jr.dumps(payload), "requester": requester, "status": "queued",
                  "attempts": 0, "max_attempts": int(max_attempts), "lease_owner": "", "lease_until": 0,
                  "available_at": now, "created_at": now, "error": "", "notified": 0}
        self._write(lambda conn: conn.execute(insert(s.jobs), params))

    def get_job(self, job_id: str):
        row = self._lookup("get_job", lambda: self._select(s.jobs, jr.JOB_COLUMNS).where(
            s.jobs.c.id == bindparam("id")), id=job_id)
        return jr.job_from_row(row) if row else None

    def claim_job(self, worker_id: str, lease_seconds: float, kinds: tuple[str, ...] | None = None,
                  now: float | None = None):
        """The oldest claimable job, now running under `worker_id`'s lease; None when there is none. Each take is a
        conditional UPDATE, so of several workers racing for a job exactly one gets it (the others try the next).
        A job whose worker died past its last attempt is marked failed instead of being run again."""
        now = time.time() if now is None else now
        j = s.jobs
        candidates = select(j.c.id, j.c.status, j.c.attempts, j.c.max_attempts).where(self._claimable(now))
        if kinds:
            candidates = candidates.where(j.c.kind.in_(kinds))
        candidates = candidates.order_by(j.c.created_at, j.c.id).limit(8)

        def body(conn: sa.Connection) -> str | None:
            for _ in range(5):
                rows = conn.execute(candidates).all()
                if not rows:
                    return None
                for job_id, status, attempts, max_attempts in rows:
                    if status == "running" and attempts >= max_attempts:
                        conn.execute(update(j).where(j.c.id == job_id, j.c.status == "running", j.c.lease_until < now)
                                     .values(status="failed", error=jr.lease_expired_error(attempts), finished_at=now,
                                             lease_until=0))
                        continue
                    taken = conn.execute(
                        update(j).where(j.c.id == job_id, self._claimable(now))
                        .values(status="running", lease_owner=worker_id, lease_until=now + lease_seconds,
                                attempts=j.c.attempts + 1, started_at=now, finished_at=None)).rowcount
                    if taken == 1:
                        return job_id
            return None
        claimed = self._write(body)
        return self.get_job(claimed) if claimed else None

    def renew_job_lease(self, job_id: str, worker_id: str, lease_seconds: float, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self._count(update(s.jobs).where(self._owned(job_id, worker_id))
                           .values(lease_until=now + lease_seconds)) == 1

    def set_job_progress(self, job_id: str, worker_id: str, progress: dict) -> bool:
        return self._count(update(s.jobs).where(self._owned(job_id, worker_id))
                           .values(progress=jr.dumps(progress))) == 1

    def complete_job(self, job_id: str, worker_id: str, result: dict, now: float | None = None) -> bool:
        """Done, once: only the worker holding the job can complete it (one that lost its lease cannot)."""
        now = time.time() if now is None else now
        return self._count(update(s.jobs).where(self._owned(job_id, worker_id))
                           .values(status="done", result=jr.dumps(result), finished_at=now, lease_until=0,
                                   error="")) == 1

    def fail_job(self, job_id: str, worker_id: str, error: str, retry_delay: float = 0.0,
                 now: float | None = None) -> str | None:
        """"queued" again (attempts left, after `retry_delay`), "failed", or None when this worker does not hold it."""
        now = time.time() if now is None else now
        j = s.jobs

        def body(conn: sa.Connection) -> str | None:
            row = conn.execute(select(j.c.attempts, j.c.max_attempts).where(self._owned(job_id, worker_id))
                               .with_for_update()).first()
            if row is None:
                return None
            retry = int(row[0]) < int(row[1])
            conn.execute(update(j).where(j.c.id == job_id).values(
                status="queued" if retry else "failed", available_at=now + retry_delay,
                finished_at=None if retry else now, lease_until=0, error=error[:2000]))
            return "queued" if retry else "failed"
        return self._write(body)

    def job_queue_position(self, job_id: str, now: float | None = None) -> tuple[int, int] | None:
        """(waiting jobs ahead of this one, jobs running now); None for an unknown job. Ahead is 0 once it runs."""
        now = time.time() if now is None else now
        j = s.jobs

        def body(conn: sa.Connection):
            job = conn.execute(select(j.c.status, j.c.lease_until, j.c.created_at, j.c.id)
                               .where(j.c.id == job_id)).first()
            if job is None:
                return None
            count = select(func.count()).select_from(j)
            running = int(conn.execute(count.where(j.c.status == "running", j.c.lease_until >= now)).scalar())
            if not (job[0] == "queued" or (job[0] == "running" and float(job[1]) < now)):
                return 0, running
            waiting = or_(j.c.status == "queued", and_(j.c.status == "running", j.c.lease_until < now))
            earlier = or_(j.c.created_at < job[2], and_(j.c.created_at == job[2], j.c.id < job[3]))
            return int(conn.execute(count.where(waiting, earlier)).scalar()), running
        return self._read(body)

    def job_counts(self, now: float | None = None) -> dict[str, int]:
        """queued (including jobs whose worker died), running (under a live lease), done, failed."""
        now = time.time() if now is None else now
        j = s.jobs
        expired = func.sum(case((and_(j.c.status == "running", j.c.lease_until < now), 1), else_=0))
        counts = {status: 0 for status in ("queued", "running", "done", "failed")}
        for status, n, dead in self._rows(select(j.c.status, func.count(), expired).group_by(j.c.status)):
            counts[status] = counts.get(status, 0) + int(n) - int(dead or 0)
            counts["queued"] += int(dead or 0)
        return counts

    def recent_job_durations(self, kind: str, limit: int = 20) -> list[float]:
        j = s.jobs
        return [float(r[0]) for r in self._rows(
            select(j.c.finished_at - j.c.started_at)
            .where(j.c.kind == kind, j.c.status == "done", j.c.started_at.is_not(None))
            .order_by(j.c.finished_at.desc()).limit(int(limit)))]

    def pending_notifications(self, limit: int = 50) -> list:
        j = s.jobs
        return [jr.job_from_row(r) for r in self._rows(
            self._select(j, jr.JOB_COLUMNS).where(j.c.notified == 0, j.c.status.in_(("done", "failed")))
            .order_by(j.c.finished_at, j.c.id).limit(int(limit)))]

    def mark_job_notified(self, job_id: str) -> bool:
        """True for exactly one caller per finished job: the one that should deliver the notification."""
        j = s.jobs
        return self._count(update(j).where(j.c.id == job_id, j.c.notified == 0, j.c.status.in_(("done", "failed")))
                           .values(notified=1)) == 1

    # ---- HR's self-reported demographics and what the impact-ratio report reads (schema 5) --------------------------
    # Kept apart from profiles: matching never reads these tables (tests/unit/test_fairness_report.py holds it so).
    def replace_demographics(self, rows: list[tuple[str, str, str]], imported_by: str, replace_all: bool = False) -> int:
        """Store (employee id, category, value) rows: every category of the employees named is replaced (all of
        everyone's with `replace_all`). One transaction; how many rows were written."""
        at = now_iso()
        d = s.demographics
        values = [{"employee_id": e, "category": c, "value": v, "imported_at": at, "imported_by": imported_by}
                  for e, c, v in rows]

        def body(conn: sa.Connection) -> int:
            if replace_all:
                conn.execute(delete(d))
            else:
                ids = list(dict.fromkeys(r[0] for r in rows))
                for start in range(0, len(ids), ID_CHUNK):
                    conn.execute(delete(d).where(d.c.employee_id.in_(ids[start:start + ID_CHUNK])))
            for start in range(0, len(values), 1000):
                conn.execute(self._upsert(d, "employee_id", "category"), values[start:start + 1000])
            return len(rows)
        return self._write(body)

    def demographic_rows(self) -> Iterator[tuple[str, str, str]]:
        """(employee id, category, value), streamed in employee order."""
        d = s.demographics
        page = (select(d.c.employee_id, d.c.category, d.c.value)
                .where(or_(d.c.employee_id > bindparam("eid"),
                           and_(d.c.employee_id == bindparam("eid"), d.c.category > bindparam("cat"))))
                .order_by(d.c.employee_id, d.c.category).limit(20000))
        last = ("", "")
        while True:
            rows = self._rows(page, {"eid": last[0], "cat": last[1]})
            if not rows:
                return
            yield from (tuple(r) for r in rows)
            last = (rows[-1][0], rows[-1][1])

    def demographics_summary(self) -> dict[str, dict[str, int]]:
        d = s.demographics
        return counts_by_category(self._rows(select(d.c.category, d.c.value, func.count())
                                             .group_by(d.c.category, d.c.value).order_by(d.c.category, d.c.value)))

    def delete_demographics(self) -> int:
        return self._count(delete(s.demographics))

    def fairness_population(self) -> list[tuple[str, bool, bool]]:
        """(employee id, open to internal moves, has a searchable profile) for everyone in the directory."""
        e = s.employees
        return [(r[0], bool(r[1]), bool(r[2])) for r in self._rows(
            select(e.c.id, e.c.open_to_moves, e.c.profile_words > 0).order_by(e.c.id))]

    def shown_between(self, since: str, until: str, actions: tuple[str, ...]) -> set[str]:
        """Everyone in the shown_ids of audit entries with these actions at or after `since` and before `until`: the
        JSON lists are read a page at a time and parsed here, on every backend."""
        a = s.audit_log
        page = (select(a.c.id, a.c.shown_ids)
                .where(a.c.at >= since, a.c.at < until, a.c.action.in_(actions), a.c.id > bindparam("after"))
                .order_by(a.c.id).limit(50000))

        def pages():
            last = 0
            while rows := self._rows(page, {"after": last}):
                yield [r[1] for r in rows]
                last = int(rows[-1][0])
        return union_of_json_lists(pages())

    def shortlist_entries(self, owner_id: str) -> list[tuple[str, str]]:
        """The owner's shortlist as (employee id, when added), oldest first (the weekly digest's changes)."""
        t = s.shortlists
        return [(r[0], r[1]) for r in self._rows(select(t.c.employee_id, t.c.at).where(t.c.owner_id == owner_id)
                                                 .order_by(t.c.at, t.c.employee_id))]

    def shortlisted_between(self, since: str, until: str) -> list[str]:
        """Employee ids put on anyone's shortlist at or after `since` and before `until` (once per shortlist)."""
        t = s.shortlists
        return [r[0] for r in self._rows(select(t.c.employee_id).where(t.c.at >= since, t.c.at < until))]

    # ---- the feedback loop: 👍/👎 and mobility outcomes (schema 11) ---------------------------------------------
    def record_vote(self, presser_id: str, item_kind: str, item_id: str, search_id: str, query: str, vote: str,
                    platform: str) -> str | None:
        """One vote per presser, item and search: the first press inserts it, a later press changes it (pressing the
        same again changes nothing). The vote it had before; None when this is the first."""
        t = s.feedback_votes
        at = now_iso()
        where = and_(t.c.presser_id == presser_id, t.c.item_kind == item_kind, t.c.item_id == item_id,
                     t.c.search_id == search_id)

        def body(conn: sa.Connection) -> str | None:
            row = conn.execute(select(t.c.vote).where(where).with_for_update()).first()
            if row is None:
                conn.execute(insert(t), {"presser_id": presser_id, "item_kind": item_kind, "item_id": item_id,
                                         "search_id": search_id, "query": query, "vote": vote, "platform": platform,
                                         "at": at, "updated_at": at})
                return None
            if row[0] != vote:
                conn.execute(update(t).where(where).values(vote=vote, platform=platform, updated_at=at))
            return row[0]
        try:
            return self._write(body)
        except sa_exc.IntegrityError:          # the same press twice at once: the other one inserted it
            before = self.vote_of(presser_id, item_kind, item_id, search_id)
            if before != vote:
                self._count(update(t).where(where).values(vote=vote, platform=platform, updated_at=at))
            return before

    def vote_of(self, presser_id: str, item_kind: str, item_id: str, search_id: str) -> str | None:
        t = s.feedback_votes
        row = self._first(select(t.c.vote).where(t.c.presser_id == presser_id, t.c.item_kind == item_kind,
                                                  t.c.item_id == item_id, t.c.search_id == search_id))
        return row[0] if row else None

    def votes(self, since: str | None = None, until: str | None = None) -> list[FeedbackVote]:
        """Every vote (last changed at or after `since` and before `until` when given), oldest change first."""
        t = s.feedback_votes
        statement = select(t.c.presser_id, t.c.item_kind, t.c.item_id, t.c.search_id, t.c.query, t.c.vote,
                           t.c.platform, t.c.at, t.c.updated_at)
        if since:
            statement = statement.where(t.c.updated_at >= since)
        if until:
            statement = statement.where(t.c.updated_at < until)
        rows = self._rows(statement.order_by(t.c.updated_at, t.c.presser_id, t.c.item_kind, t.c.item_id,
                                             t.c.search_id))
        return [FeedbackVote(*r) for r in rows]

    def add_outcome(self, employee_id: str, opening_id: str, kind: str, recorded_by: str, via: str) -> bool:
        """Record that `employee_id` was approved for / moved into `opening_id`; False when it was recorded before."""
        row = {"employee_id": employee_id, "opening_id": opening_id, "kind": kind, "recorded_by": recorded_by,
               "via": via, "at": now_iso()}
        return self._write(lambda conn: conn.execute(insert_ignore(self.dialect, s.mobility_outcomes), row).rowcount) == 1

    def outcomes(self, since: str | None = None, until: str | None = None) -> list[MobilityOutcome]:
        t = s.mobility_outcomes
        statement = select(t.c.employee_id, t.c.opening_id, t.c.kind, t.c.recorded_by, t.c.via, t.c.at)
        if since:
            statement = statement.where(t.c.at >= since)
        if until:
            statement = statement.where(t.c.at < until)
        rows = self._rows(statement.order_by(t.c.at, t.c.employee_id, t.c.opening_id, t.c.kind))
        return [MobilityOutcome(*r) for r in rows]

    def audit_counts(self, since: str, until: str, actions: tuple[str, ...]) -> dict[str, int]:
        """How many audit rows of each of `actions` were written at or after `since` and before `until`."""
        a = s.audit_log
        rows = self._rows(select(a.c.action, func.count()).where(a.c.at >= since, a.c.at < until,
                                                                   a.c.action.in_(actions)).group_by(a.c.action))
        counts = dict.fromkeys(actions, 0)
        counts.update({r[0]: int(r[1]) for r in rows})
        return counts
