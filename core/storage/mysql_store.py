"""Server store: MySQL 8, MariaDB or TiDB over pymysql, with the same public methods and semantics as SqliteStore.

Vectors are always kept as float32 little-endian blobs (like SqliteStore), so `index_rows()` streams them to the in-process
index on every server and embeddings of several models/dimensions can coexist. On a server with native vectors
(TiDB: `VEC_COSINE_DISTANCE` works) an extra `embedding VECTOR(D)` column mirrors the blobs of dimension D; D is
fixed by the first embedding write (recorded as meta `vector_dim`), an HNSW index is added best-effort, and
`ann_search()` queries it with `ORDER BY VEC_COSINE_DISTANCE(embedding, ?) LIMIT k` (no WHERE, so the index is used).

Configuration problems (bad URL, unreachable server, access denied, missing privileges, TLS) raise StoreError with
one message that names the setting to fix; a lost connection, deadlock or write conflict is retried with bounded
exponential back-off when the operation is a whole transaction of its own.
"""
from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qsl, unquote, urlsplit

import numpy as np
import pymysql
from pymysql.connections import Connection

from core.domain import Employee
from core.ports import SELF_PROFILE_ACTIONS, AuditEntry, IndexRow
from core.storage.errors import SchemaTooNewError, StoreError
from core.storage.records import (EMPLOYEE_COLUMNS, employee_from_row, employee_values, index_row,
                                  counts_by_category, union_of_json_lists, vector_from_blob, vector_to_blob)
from core.storage import jd_records as jr

log = logging.getLogger(__name__)

_TABLE = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

# Each migration is a list of idempotent statements (MySQL DDL is not transactional, so a half-applied step must be
# safe to run again). Ids compare exactly (utf8mb4_bin); email and display name case-insensitively, like SQLite's
# NOCASE lookups.
MIGRATIONS: list[tuple[str, list[str]]] = [
    ("employees, embeddings, audit, shortlists, saved searches", [
        f"""CREATE TABLE IF NOT EXISTS meta (
            `key` VARCHAR(191) NOT NULL PRIMARY KEY,
            `value` TEXT NOT NULL) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS employees (
            `id` VARCHAR(255) NOT NULL PRIMARY KEY,
            `display_name` TEXT COLLATE utf8mb4_general_ci NOT NULL,
            `email` VARCHAR(320) COLLATE utf8mb4_general_ci NULL,
            `slack_user_id` VARCHAR(255) NULL,
            `teams_user_id` VARCHAR(255) NULL,
            `department` TEXT NULL, `title` TEXT NULL, `level` TEXT NULL, `location` TEXT NULL,
            `role` VARCHAR(64) NOT NULL, `open_to_moves` TINYINT NOT NULL,
            `languages` TEXT NULL, `resume_text` MEDIUMTEXT NULL, `skills` MEDIUMTEXT NULL, `updated_at` VARCHAR(255) NULL,
            `resume_hash` VARCHAR(255) NULL, `terms` MEDIUMTEXT NULL, `profile_words` INT NOT NULL DEFAULT 0,
            KEY employees_email (`email`), KEY employees_slack (`slack_user_id`), KEY employees_teams (`teams_user_id`)
        ) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS embeddings (
            `employee_id` VARCHAR(255) NOT NULL PRIMARY KEY,
            `model` VARCHAR(255) NOT NULL, `dim` INT NOT NULL, `vector` LONGBLOB NOT NULL,
            CONSTRAINT embeddings_employee FOREIGN KEY (`employee_id`) REFERENCES employees (`id`) ON DELETE CASCADE
        ) {_TABLE}""",
        # AUTO_ID_CACHE=1 keeps TiDB's ids increasing across TiDB nodes (list_audit orders by id); other servers
        # read the /*T! */ comment as a comment.
        f"""CREATE TABLE IF NOT EXISTS audit_log (
            `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `at` VARCHAR(64) NOT NULL,
            `actor_id` VARCHAR(255) NOT NULL, `action` VARCHAR(255) NOT NULL, `query` MEDIUMTEXT NOT NULL,
            `shown_ids` MEDIUMTEXT NOT NULL, `details` MEDIUMTEXT NOT NULL
        ) {_TABLE} /*T![auto_id_cache] AUTO_ID_CACHE=1 */""",
        f"""CREATE TABLE IF NOT EXISTS shortlists (
            `owner_id` VARCHAR(255) NOT NULL, `employee_id` VARCHAR(255) NOT NULL, `note` TEXT NULL,
            `at` VARCHAR(64) NOT NULL, PRIMARY KEY (`owner_id`, `employee_id`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS searches (
            `id` VARCHAR(255) NOT NULL PRIMARY KEY, `actor_id` VARCHAR(255) NOT NULL, `query` MEDIUMTEXT NOT NULL,
            `filters` MEDIUMTEXT NOT NULL, `at` VARCHAR(64) NOT NULL) {_TABLE}""",
        "INSERT INTO meta (`key`, `value`) VALUES ('data_version', '0') ON DUPLICATE KEY UPDATE `key` = `key`",
    ]),
    ("conversation references and scheduler leases", [
        f"""CREATE TABLE IF NOT EXISTS conversation_refs (
            `platform` VARCHAR(32) NOT NULL, `user_key` VARCHAR(255) NOT NULL, `reference` MEDIUMTEXT NOT NULL,
            `at` VARCHAR(64) NOT NULL, PRIMARY KEY (`platform`, `user_key`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS leases (
            `name` VARCHAR(191) NOT NULL PRIMARY KEY, `holder` VARCHAR(255) NOT NULL,
            `expires_at` DOUBLE NOT NULL) {_TABLE}""",
    ]),
    ("resume analysis details, mentor opt-in, drafts, AI usage", [
        # A re-run after a partial failure meets "duplicate column" (1060), which migrate() treats as done.
        "ALTER TABLE employees ADD COLUMN `details` MEDIUMTEXT NULL",
        "ALTER TABLE employees ADD COLUMN `mentor` TINYINT NOT NULL DEFAULT 0",
        f"""CREATE TABLE IF NOT EXISTS drafts (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `owner_id` VARCHAR(255) NOT NULL, `kind` VARCHAR(64) NOT NULL,
            `payload` MEDIUMTEXT NOT NULL, `at` VARCHAR(64) NOT NULL, KEY drafts_owner (`owner_id`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS ai_usage (
            `day` VARCHAR(10) NOT NULL, `model` VARCHAR(128) NOT NULL, `task` VARCHAR(64) NOT NULL,
            `calls` BIGINT NOT NULL, `cache_hits` BIGINT NOT NULL, `prompt_tokens` BIGINT NOT NULL,
            `output_tokens` BIGINT NOT NULL, PRIMARY KEY (`day`, `model`, `task`)) {_TABLE}""",
    ]),
    ("job descriptions: companies, postings, document sections, prepared drafts, JDs, versions, decisions, "
     "openings, job queue", [
        f"""CREATE TABLE IF NOT EXISTS companies (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `name` TEXT NOT NULL, `data` MEDIUMTEXT NOT NULL,
            `updated_at` VARCHAR(64) NOT NULL) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS postings (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `company_id` VARCHAR(191) NOT NULL, `family` VARCHAR(32) NOT NULL,
            `level` VARCHAR(16) NOT NULL, `posted_at` VARCHAR(32) NOT NULL, `data` MEDIUMTEXT NOT NULL,
            `content_hash` VARCHAR(64) NOT NULL, `updated_at` VARCHAR(64) NOT NULL,
            KEY postings_company (`company_id`, `family`, `level`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS company_docs (
            `company_id` VARCHAR(191) NOT NULL, `doc_id` VARCHAR(191) NOT NULL, `chunk_no` INT NOT NULL,
            `title` TEXT NOT NULL, `heading` TEXT NOT NULL, `text` MEDIUMTEXT NOT NULL, `updated_at` VARCHAR(64) NOT NULL,
            PRIMARY KEY (`company_id`, `doc_id`, `chunk_no`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS prepared (
            `company_id` VARCHAR(191) NOT NULL, `family` VARCHAR(32) NOT NULL, `level` VARCHAR(16) NOT NULL,
            `payload` MEDIUMTEXT NOT NULL, `source_hash` VARCHAR(64) NOT NULL, `built_at` VARCHAR(64) NOT NULL,
            PRIMARY KEY (`company_id`, `family`, `level`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS jds (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `company_id` VARCHAR(191) NOT NULL, `family` VARCHAR(32) NOT NULL,
            `level` VARCHAR(16) NOT NULL, `title` TEXT NOT NULL, `status` VARCHAR(32) NOT NULL, `version` INT NOT NULL,
            `draft` MEDIUMTEXT NOT NULL, `owner_id` VARCHAR(255) NOT NULL, `origin` MEDIUMTEXT NOT NULL,
            `created_at` VARCHAR(64) NOT NULL, `updated_at` VARCHAR(64) NOT NULL,
            KEY jds_status (`status`, `updated_at`), KEY jds_owner (`owner_id`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS jd_versions (
            `jd_id` VARCHAR(191) NOT NULL, `version` INT NOT NULL, `draft` MEDIUMTEXT NOT NULL,
            `editor_id` VARCHAR(255) NOT NULL, `note` TEXT NOT NULL, `at` VARCHAR(64) NOT NULL,
            PRIMARY KEY (`jd_id`, `version`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS jd_decisions (
            `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `jd_id` VARCHAR(191) NOT NULL, `version` INT NOT NULL,
            `actor_id` VARCHAR(255) NOT NULL, `action` VARCHAR(32) NOT NULL, `from_status` VARCHAR(32) NOT NULL,
            `to_status` VARCHAR(32) NOT NULL, `reason` TEXT NOT NULL, `at` VARCHAR(64) NOT NULL,
            KEY jd_decisions_jd (`jd_id`)) {_TABLE} /*T![auto_id_cache] AUTO_ID_CACHE=1 */""",
        f"""CREATE TABLE IF NOT EXISTS openings (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `jd_id` VARCHAR(191) NOT NULL, `company_id` VARCHAR(191) NOT NULL,
            `family` VARCHAR(32) NOT NULL, `level` VARCHAR(16) NOT NULL, `title` TEXT NOT NULL,
            `status` VARCHAR(16) NOT NULL, `opened_by` VARCHAR(255) NOT NULL, `opened_at` VARCHAR(64) NOT NULL,
            `closed_at` VARCHAR(64) NOT NULL, UNIQUE KEY openings_jd (`jd_id`)) {_TABLE}""",
        f"""CREATE TABLE IF NOT EXISTS jobs (
            `id` VARCHAR(191) NOT NULL PRIMARY KEY, `kind` VARCHAR(64) NOT NULL, `payload` MEDIUMTEXT NOT NULL,
            `requester` VARCHAR(255) NOT NULL, `status` VARCHAR(16) NOT NULL, `attempts` INT NOT NULL DEFAULT 0,
            `max_attempts` INT NOT NULL, `lease_owner` VARCHAR(255) NOT NULL DEFAULT '',
            `lease_until` DOUBLE NOT NULL DEFAULT 0, `available_at` DOUBLE NOT NULL, `created_at` DOUBLE NOT NULL,
            `started_at` DOUBLE NULL, `finished_at` DOUBLE NULL, `result` MEDIUMTEXT NULL, `error` TEXT NULL,
            `progress` MEDIUMTEXT NULL, `notified` TINYINT NOT NULL DEFAULT 0,
            KEY jobs_status (`status`, `created_at`), KEY jobs_notify (`notified`, `status`)) {_TABLE}""",
    ]),
    ("HR's self-reported demographics (apart from profiles), audit and shortlist times indexed", [
        f"""CREATE TABLE IF NOT EXISTS demographics (
            `employee_id` VARCHAR(255) NOT NULL, `category` VARCHAR(64) NOT NULL, `value` VARCHAR(255) NOT NULL,
            `imported_at` VARCHAR(64) NOT NULL, `imported_by` VARCHAR(255) NOT NULL,
            PRIMARY KEY (`employee_id`, `category`)) {_TABLE}""",
        "CREATE INDEX audit_log_at ON audit_log (`at`)",
        "CREATE INDEX shortlists_at ON shortlists (`at`)",
    ]),
]
SCHEMA_VERSION = len(MIGRATIONS)

_MIGRATIONS_TABLE = f"""CREATE TABLE IF NOT EXISTS schema_migrations (
    `version` INT NOT NULL PRIMARY KEY, `description` VARCHAR(255) NOT NULL, `applied_at` VARCHAR(64) NOT NULL
) {_TABLE}"""
_BUMP = "UPDATE meta SET `value` = CAST(`value` AS UNSIGNED) + 1 WHERE `key` = 'data_version'"

# Error codes worth another attempt: lost connection, deadlock, lock wait timeout, TiDB write conflicts/retryable KV
# errors and "schema changed during the transaction".
_CONNECTION_LOST = {2003, 2006, 2013, 2055, 4031}
_TRANSIENT = _CONNECTION_LOST | {1205, 1213, 8002, 8022, 8028, 9007}
_SCHEMES = {"mysql", "mysql+pymysql", "mariadb", "mariadb+pymysql", "tidb", "tidb+pymysql"}
_TLS_OPTIONS = ("ssl_ca", "ssl_cert", "ssl_key", "ssl_verify_identity", "ssl_verify_cert", "ssl_mode", "ssl")
_OPTIONS = set(_TLS_OPTIONS) | {"connect_timeout", "read_timeout", "write_timeout", "pool_size", "charset"}
_DB_NAME = re.compile(r"^[A-Za-z0-9_$-]{1,64}$")
_URL_FORM = "mysql://user:password@host:3306/database (or tidb://user:password@host:4000/database)"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _code(exc: BaseException) -> int | None:
    args = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _short(exc: BaseException) -> str:
    """The server's one-line reason, without codes, tracebacks or newlines."""
    args = getattr(exc, "args", ())
    text = args[1] if len(args) > 1 and isinstance(args[1], str) else str(exc)
    text = (text or type(exc).__name__).strip().splitlines()[0] if (text or "").strip() else type(exc).__name__
    return text[:300]


def _is_connection_error(exc: BaseException) -> bool:
    return isinstance(exc, pymysql.err.InterfaceError) or _code(exc) in _CONNECTION_LOST


def _close_quietly(conn: Connection | None) -> None:
    if conn is None:
        return
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - already broken
        pass


def _vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(str(x) for x in np.asarray(vector, dtype=np.float32).ravel()) + "]"   # shortest float32 form


def _parse_bool(name: str, value: Any, setting: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "required"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise StoreError(f"{setting}: option {name}={value!r} must be true or false.")


# ---- configuration ------------------------------------------------------------------------------------------------
@dataclass
class MySqlConfig:
    host: str
    port: int
    user: str
    password: str
    database: str
    scheme: str = "mysql"
    setting: str = "DATABASE_URL"
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_url(url: str, setting: str | None = None, **overrides: Any) -> MySqlConfig:
    """mysql:// | mysql+pymysql:// | mariadb:// | tidb:// URL -> config. Keyword overrides win over the query string."""
    text = (url or "").strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    setting = setting or ("TIDB_DSN" if scheme.startswith("tidb") else "DATABASE_URL")
    if not text:
        raise StoreError(f"{setting} is empty. Set it to {_URL_FORM}.")
    if scheme not in _SCHEMES:
        shown = scheme or text.split("/", 1)[0][:20]
        raise StoreError(f"{setting} is not a MySQL/MariaDB/TiDB URL (scheme {shown!r}). Expected {_URL_FORM}.")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise StoreError(f"{setting} has an invalid host or port (the port must be a number). "
                         f"Expected {_URL_FORM}.") from None
    if not parts.hostname:
        raise StoreError(f"{setting} has no host name. Expected {_URL_FORM}.")
    database = unquote(parts.path.lstrip("/")) or "internal_hire"
    if not _DB_NAME.match(database):
        raise StoreError(f"{setting} names the database {database!r}; use letters, digits, '_', '$' or '-' "
                         "(at most 64 characters).")
    options: dict[str, Any] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        options[key.lower()] = value
    options.update({k: v for k, v in overrides.items() if v is not None})
    unknown = sorted(set(options) - _OPTIONS)
    if unknown:
        raise StoreError(f"{setting} has unknown option(s) {', '.join(unknown)}; known options are "
                         f"{', '.join(sorted(_OPTIONS))}.")
    charset = str(options.pop("charset", "utf8mb4")).lower()
    if charset != "utf8mb4":
        raise StoreError(f"{setting}: charset={charset} is not supported; Internal Hire always uses utf8mb4.")
    base = scheme.split("+", 1)[0]
    return MySqlConfig(host=parts.hostname, port=port or (4000 if base == "tidb" else 3306),
                       user=unquote(parts.username or "") or "root", password=unquote(parts.password or ""),
                       database=database, scheme=base, setting=setting, options=options)


def _number(cfg: MySqlConfig, name: str, default: float) -> float:
    value = cfg.options.get(name, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise StoreError(f"{cfg.setting}: option {name}={value!r} must be a number.") from None
    if number <= 0:
        raise StoreError(f"{cfg.setting}: option {name} must be positive.")
    return number


def _ssl_context(cfg: MySqlConfig) -> ssl.SSLContext | None:
    """TLS from ssl_* options. With no option, TLS is off except for TiDB Cloud hosts (they require it)."""
    o, s = cfg.options, cfg.setting
    mode = str(o.get("ssl_mode", "")).strip().upper().replace("-", "_")
    if mode and mode not in ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"):
        raise StoreError(f"{s}: ssl_mode={o['ssl_mode']!r} must be DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY.")
    enabled = _parse_bool("ssl", o["ssl"], s) if "ssl" in o else None
    if mode == "DISABLED" or enabled is False:
        return None
    ca, cert, key = (o.get(k) or None for k in ("ssl_ca", "ssl_cert", "ssl_key"))
    identity = _parse_bool("ssl_verify_identity", o["ssl_verify_identity"], s) if "ssl_verify_identity" in o else None
    verify = _parse_bool("ssl_verify_cert", o["ssl_verify_cert"], s) if "ssl_verify_cert" in o else None
    wanted = bool(ca or cert or key or identity or verify or enabled or mode in ("REQUIRED", "VERIFY_CA",
                                                                                 "VERIFY_IDENTITY"))
    if not wanted and cfg.host.endswith(".tidbcloud.com"):
        wanted, identity = True, True if identity is None else identity
    if not wanted:
        return None
    if identity is None:
        identity = mode == "VERIFY_IDENTITY"
    if verify is None:
        verify = bool(ca) or identity or mode in ("VERIFY_CA", "VERIFY_IDENTITY")
    try:
        ctx = ssl.create_default_context(cafile=ca)
        if cert:
            ctx.load_cert_chain(cert, keyfile=key)
    except (OSError, ssl.SSLError, ValueError) as exc:
        which = "ssl_ca" if ca and not cert else "ssl_cert/ssl_key" if not ca else "ssl_ca/ssl_cert/ssl_key"
        raise StoreError(f"{s}: cannot read the TLS file(s) given by {which} ({_short(exc)}). "
                         "Check the paths in the URL options.") from None
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)   # self-signed server certificates made by MySQL
    ctx.check_hostname = bool(identity and verify)
    ctx.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    return ctx


def _connect_error(cfg: MySqlConfig, exc: BaseException) -> StoreError:
    """One clear message, naming the setting, for a failure to connect."""
    code, reason, s = _code(exc), _short(exc), cfg.setting
    if isinstance(exc, ssl.SSLError) or code == 2026 or ("ssl" in reason.lower() and code not in (1045, 1698)):
        return StoreError(f"TLS to the database server at {cfg.where} failed ({reason}). Check the ssl_ca / "
                          f"ssl_verify_identity options in {s}.")
    if "insecure transport" in reason.lower() or code == 3159:
        return StoreError(f"The database server at {cfg.where} requires TLS ({reason}). Add ?ssl_verify_identity=true "
                          f"(and ssl_ca=/path/to/ca.pem if needed) to {s}.")
    if code in (1045, 1698):
        return StoreError(f"The database server at {cfg.where} refused user {cfg.user!r} ({reason}). Check the user "
                          f"name and password in {s}.")
    if code == 1044:
        return StoreError(f"User {cfg.user!r} may not use the database {cfg.database!r} on {cfg.where} ({reason}). "
                          f"If it does not exist, create it (CREATE DATABASE `{cfg.database}` CHARACTER SET utf8mb4); "
                          f"grant the user access to it, or change the user or database name in {s}.")
    if code == 1130:
        return StoreError(f"The database server at {cfg.where} does not accept connections from this host for user "
                          f"{cfg.user!r} ({reason}). Fix the user's allowed hosts, or the user in {s}.")
    if code == 1040:
        return StoreError(f"The database server at {cfg.where} has too many connections ({reason}). Lower pool_size "
                          f"in {s} or raise max_connections on the server.")
    if code in (2002, 2003, 2005) or isinstance(exc, OSError):
        return StoreError(f"Cannot reach the database server at {cfg.where} ({reason}). Check the host and port in "
                          f"{s} and that the server is running.")
    if code in (2006, 2013):
        return StoreError(f"The server at {cfg.where} closed the connection during the handshake ({reason}). Check "
                          f"that {s} points at a MySQL/MariaDB/TiDB port and that its TLS options are right.")
    return StoreError(f"Cannot open the database {cfg.database!r} at {cfg.where} as {cfg.user!r} ({reason}). "
                      f"Check {s}.")


# ---- connection pool ----------------------------------------------------------------------------------------------
class _Pool:
    """A small thread-safe pool: at most `size` connections, idle ones pinged before reuse after a quiet spell."""

    def __init__(self, factory: Callable[[], Connection], size: int, idle_check: float = 30.0):
        self._factory = factory
        self.size = size
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[tuple[Connection, float]] = []
        self._lock = threading.Lock()
        self._idle_check = idle_check
        self.closed = False

    def acquire(self, timeout: float) -> Connection:
        if self.closed:
            raise StoreError("The database store is closed.")
        if not self._slots.acquire(timeout=timeout):
            raise StoreError(f"All {self.size} database connections stayed busy for {timeout:.0f} s. Raise pool_size "
                             "in DATABASE_URL, or lower the load.")
        try:
            while True:
                with self._lock:
                    item = self._idle.pop() if self._idle else None
                if item is None:
                    return self._factory()
                conn, last_used = item
                if time.monotonic() - last_used < self._idle_check:
                    return conn
                try:
                    conn.ping(reconnect=False)
                    return conn
                except Exception:  # noqa: BLE001 - stale: drop it and take another
                    _close_quietly(conn)
        except BaseException:
            self._slots.release()
            raise

    def release(self, conn: Connection, discard: bool = False) -> None:
        try:
            if discard or self.closed or not conn.open:
                _close_quietly(conn)
            else:
                with self._lock:
                    self._idle.append((conn, time.monotonic()))
        finally:
            self._slots.release()

    def add_idle(self, conn: Connection) -> None:
        with self._lock:
            self._idle.append((conn, time.monotonic()))

    def close(self) -> None:
        self.closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for conn, _ in idle:
            _close_quietly(conn)


# ---- the store ----------------------------------------------------------------------------------------------------
class MySqlStore:
    backend_name = "mysql"   # "tidb" on a TiDB server (set per instance)

    DESCRIPTIVE_COLUMNS = ("email", "slack_user_id", "teams_user_id", "department", "level", "location", "role",
                           "open_to_moves", "languages", "mentor")
    _CI_COLUMNS = ("email",)     # compared exactly in update_fields, so a change of case is a change

    def __init__(self, config: MySqlConfig | str, *, pool_size: int | None = None, retries: int = 5,
                 pool_timeout: float = 30.0):
        self.config = cfg = parse_url(config) if isinstance(config, str) else config
        self.database = cfg.database
        self.retries = retries
        self.pool_timeout = pool_timeout
        self._ssl = _ssl_context(cfg)
        self._connect_timeout = _number(cfg, "connect_timeout", 5)
        self._read_timeout = _number(cfg, "read_timeout", 120)
        self._write_timeout = _number(cfg, "write_timeout", 120)
        size = int(pool_size or _number(cfg, "pool_size", 8))
        self._local = threading.local()
        self._init_sql: list[str] = []
        self._vector_lock = threading.RLock()
        self._vector_dim: int | None = None
        self._vector_sync_pending = False
        self._vector_sync_failed_at = -1e9
        self._ann_index = "none"

        first = self._open_first_connection()
        try:
            with first.cursor() as cur:
                cur.execute("SELECT VERSION()")
                self.server_version = str(cur.fetchone()[0])
                self.is_tidb = "tidb" in self.server_version.lower()
                if self.is_tidb:
                    self.backend_name = "tidb"
                else:
                    # Fewer gap locks, so concurrent upserts rarely deadlock (retried when they do).
                    self._init_sql = ["SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"]
                for sql in self._init_sql:
                    cur.execute(sql)
                try:
                    cur.execute("SELECT VEC_COSINE_DISTANCE('[1,2]', '[1,2]')")
                    cur.fetchall()
                    self.native_vector = True
                except pymysql.MySQLError:
                    self.native_vector = False
        except pymysql.MySQLError as exc:
            _close_quietly(first)
            raise _connect_error(cfg, exc) from None
        self._pool = _Pool(self._connect, size)
        self._pool.add_idle(first)

    @classmethod
    def from_url(cls, url: str, *, setting: str | None = None, pool_size: int | None = None,
                 **options: Any) -> "MySqlStore":
        """mysql://user:pass@host:3306/db?ssl_ca=/path/ca.pem (also mysql+pymysql://, mariadb://, tidb://).
        Keyword options (ssl_ca, ssl_cert, ssl_key, ssl_verify_identity, ssl_verify_cert, ssl_mode, connect_timeout,
        ...) override the query string. `setting` names the variable in error messages (DATABASE_URL by default,
        TIDB_DSN for tidb:// URLs)."""
        return cls(parse_url(url, setting, **options), pool_size=pool_size)

    # ---- connections ------------------------------------------------------------------------------------------
    def _connect(self, database: str | None = "") -> Connection:
        cfg = self.config
        conn = pymysql.connect(
            host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password,
            database=cfg.database if database == "" else database, charset="utf8mb4", autocommit=True,
            connect_timeout=self._connect_timeout, read_timeout=self._read_timeout,
            write_timeout=self._write_timeout, ssl=self._ssl)
        if self._init_sql:
            with conn.cursor() as cur:
                for sql in self._init_sql:
                    cur.execute(sql)
        return conn

    def _open_first_connection(self) -> Connection:
        """Connect, creating the database when it does not exist (and the user may create it)."""
        cfg = self.config
        try:
            return self._connect()
        except pymysql.MySQLError as exc:
            if _code(exc) != 1049:
                raise _connect_error(cfg, exc) from None
        except (OSError, ssl.SSLError) as exc:
            raise _connect_error(cfg, exc) from None
        try:
            conn = self._connect(database=None)
        except (pymysql.MySQLError, OSError) as exc:
            raise _connect_error(cfg, exc) from None
        try:
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS `{cfg.database}` CHARACTER SET utf8mb4")
            conn.select_db(cfg.database)
            return conn
        except pymysql.MySQLError as exc:
            _close_quietly(conn)
            raise StoreError(
                f"The database {cfg.database!r} does not exist on {cfg.where} and user {cfg.user!r} may not create "
                f"it ({_short(exc)}). Create it (CREATE DATABASE `{cfg.database}` CHARACTER SET utf8mb4), grant "
                f"CREATE to the user, or name an existing database in {cfg.setting}.") from None

    def _tx_conn(self) -> Connection | None:
        return getattr(self._local, "conn", None)

    def _runtime_error(self, exc: BaseException) -> StoreError:
        cfg = self.config
        return StoreError(f"Lost the connection to the database server at {cfg.where} and could not get it back "
                          f"after {self.retries + 1} attempts ({_short(exc)}). Check that the server is up, and "
                          f"{cfg.setting}.")

    def _run(self, fn: Callable[[Connection], Any]) -> Any:
        """fn(connection) on this thread's open transaction, or on a pooled connection with retries of transient
        errors (fn must then be a whole transaction, or a single statement in autocommit)."""
        tx = self._tx_conn()
        if tx is not None:
            return fn(tx)
        attempt = 0
        while True:
            conn, discard = None, False
            try:
                conn = self._pool.acquire(self.pool_timeout)
                return fn(conn)
            except pymysql.MySQLError as exc:
                discard = _is_connection_error(exc)
                if conn is not None and not discard:
                    discard = not self._rollback(conn)
                if _code(exc) in _TRANSIENT and attempt < self.retries:
                    attempt += 1
                    delay = min(2.0, 0.05 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                    log.info("database: %s; retry %d/%d in %.2f s", _short(exc), attempt, self.retries, delay)
                    time.sleep(delay)
                    continue
                if _is_connection_error(exc):
                    raise self._runtime_error(exc) from None
                raise
            except BaseException:
                if conn is not None:
                    discard = not self._rollback(conn)
                raise
            finally:
                if conn is not None:
                    self._pool.release(conn, discard)

    @staticmethod
    def _rollback(conn: Connection) -> bool:
        try:
            conn.rollback()
            return True
        except Exception:  # noqa: BLE001
            return False

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        def op(conn: Connection) -> list[tuple]:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        return self._run(op)

    def _atomic(self, body: Callable[[Any], Any], bump: bool | Callable[[Any], bool] = True) -> Any:
        """body(cursor) in a transaction of its own (bumping data_version when `bump` says so), or in this thread's
        open transaction (which bumps at commit, like SqliteStore)."""
        tx = self._tx_conn()
        if tx is not None:
            with tx.cursor() as cur:
                return body(cur)

        if bump is False:
            def op(conn: Connection) -> Any:      # a single statement: autocommit is enough
                with conn.cursor() as cur:
                    return body(cur)
        else:
            def op(conn: Connection) -> Any:
                conn.begin()
                with conn.cursor() as cur:
                    result = body(cur)
                    if bump is True or bump(result):
                        cur.execute(_BUMP)
                conn.commit()
                return result
        result = self._run(op)
        self._after_commit()
        return result

    # ---- schema -----------------------------------------------------------------------------------------------
    def schema_version(self) -> int:
        try:
            rows = self._read("SELECT MAX(`version`) FROM schema_migrations")
        except pymysql.MySQLError as exc:
            if _code(exc) == 1146:        # no such table: a fresh database
                return 0
            raise
        return int(rows[0][0] or 0)

    def migrate(self) -> None:
        cfg = self.config
        lock_name = "ih_migrate_" + hashlib.sha1(cfg.database.encode()).hexdigest()[:20]
        conn = None
        locked = False
        try:
            conn = self._pool.acquire(self.pool_timeout)
            with conn.cursor() as cur:
                try:
                    cur.execute("SELECT GET_LOCK(%s, 60)", (lock_name,))
                    locked = cur.fetchone()[0] == 1
                except pymysql.MySQLError:
                    pass                      # best effort (very old TiDB)
                current = self._schema_version_on(cur)
                if current > SCHEMA_VERSION:
                    raise SchemaTooNewError(
                        f"The database {cfg.database!r} at {cfg.where} has schema version {current}, newer than this "
                        f"version of Internal Hire understands ({SCHEMA_VERSION}). Upgrade Internal Hire, or point "
                        f"{cfg.setting} elsewhere.")
                if current < SCHEMA_VERSION:
                    try:
                        cur.execute(_MIGRATIONS_TABLE)
                        for version in range(current + 1, SCHEMA_VERSION + 1):
                            description, statements = MIGRATIONS[version - 1]
                            for statement in statements:
                                try:
                                    cur.execute(statement)
                                except pymysql.MySQLError as exc:
                                    if _code(exc) not in (1060, 1061):   # duplicate column / key: applied before
                                        raise
                            cur.execute("INSERT INTO schema_migrations (`version`, `description`, `applied_at`) "
                                        "VALUES (%s, %s, %s)", (version, description, now_iso()))
                    except pymysql.MySQLError as exc:
                        if _code(exc) in (1044, 1142, 1227, 1216, 1217, 1215):
                            raise StoreError(
                                f"User {cfg.user!r} lacks the privileges to create the tables in {cfg.database!r} at "
                                f"{cfg.where} ({_short(exc)}). Grant CREATE, ALTER, INDEX, REFERENCES, SELECT, INSERT, "
                                f"UPDATE, DELETE on `{cfg.database}`.* to the user, or use another user in "
                                f"{cfg.setting}.") from None
                        raise
                if locked:
                    cur.execute("SELECT RELEASE_LOCK(%s)", (lock_name,))
                    locked = False
        except pymysql.MySQLError as exc:
            if conn is not None:
                self._pool.release(conn, discard=True)
            conn = None
            if _is_connection_error(exc):
                raise self._runtime_error(exc) from None
            raise
        finally:
            if conn is not None:
                self._pool.release(conn, discard=locked)   # closing the session frees a lock left held
        if self.native_vector:
            stored = self.get_meta("vector_dim")
            self._vector_dim = int(stored) if stored else None
            self._sync_vector_column()

    @staticmethod
    def _schema_version_on(cur) -> int:
        try:
            cur.execute("SELECT MAX(`version`) FROM schema_migrations")
        except pymysql.MySQLError as exc:
            if _code(exc) == 1146:
                return 0
            raise
        return int(cur.fetchone()[0] or 0)

    target_schema_version = SCHEMA_VERSION

    def check_schema(self) -> int:
        """The current schema version; refuses one newer than this code understands."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"The database {self.database} has schema version {current}, newer than this version of Internal "
                f"Hire understands ({SCHEMA_VERSION}). Upgrade Internal Hire, or point DATABASE_URL elsewhere.")
        return current

    def close(self) -> None:
        self._pool.close()

    def drop_database(self) -> None:
        """Drop this store's whole database and close the store (for tests and throwaway setups)."""
        self._pool.close()
        conn = self._connect(database=None)
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{self.database}`")
        finally:
            _close_quietly(conn)

    def capabilities(self) -> dict:
        version = self.server_version
        if self.is_tidb:
            match = re.search(r"TiDB-(v[\w.\-]+)", version, re.I)
            server = f"TiDB {match.group(1) if match else version}"
        elif "mariadb" in version.lower():
            server = f"MariaDB {version.split('-', 1)[0]}"
        else:
            server = f"MySQL {version.split('-', 1)[0]}"
        caps = {"backend": self.backend_name, "server": server, "server_version": version,
                "native_vector": self.native_vector, "vector_dim": self._vector_dim if self.native_vector else None,
                "ann_index": self._ann_index if self.native_vector else "none",
                "tls": self._ssl is not None, "pool_size": self._pool.size}
        if self.native_vector:
            try:
                rows = self._read("SELECT AVAILABLE, PROGRESS FROM information_schema.tiflash_replica "
                                  "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = 'embeddings'", (self.database,))
                caps["tiflash_replica"] = ({"available": bool(rows[0][0]), "progress": float(rows[0][1])}
                                           if rows else None)
            except pymysql.MySQLError:
                caps["tiflash_replica"] = None
        return caps

    # ---- transactions -----------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self):
        """Everything this thread does with the store inside the block commits together (bumping data_version), or
        not at all when the block raises. Nested blocks join the outer one."""
        local = self._local
        if self._tx_conn() is not None:
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return

        def begin(conn: Connection) -> Connection:
            conn.begin()
            return conn

        # Borrow a connection and BEGIN with retries; the borrowed connection is then held past _run.
        conn = self._borrow_in_transaction(begin)
        local.conn, local.depth = conn, 1
        committed, discard = False, False
        try:
            yield
            with conn.cursor() as cur:
                cur.execute(_BUMP)
            conn.commit()
            committed = True
        except pymysql.MySQLError as exc:
            discard = _is_connection_error(exc) or not self._rollback(conn)
            if _is_connection_error(exc):
                raise self._runtime_error(exc) from None
            raise
        except BaseException:
            discard = not self._rollback(conn)
            raise
        finally:
            local.conn, local.depth = None, 0
            self._pool.release(conn, discard)
        if committed:
            self._after_commit()

    def _borrow_in_transaction(self, begin: Callable[[Connection], Connection]) -> Connection:
        attempt = 0
        while True:
            conn = None
            try:
                conn = self._pool.acquire(self.pool_timeout)
                return begin(conn)
            except pymysql.MySQLError as exc:
                if conn is not None:
                    self._pool.release(conn, discard=True)
                if _code(exc) in _TRANSIENT and attempt < self.retries:
                    attempt += 1
                    time.sleep(min(2.0, 0.05 * 2 ** (attempt - 1)))
                    continue
                if _is_connection_error(exc):
                    raise self._runtime_error(exc) from None
                raise

    def data_version(self) -> int:
        return int(self._read("SELECT `value` FROM meta WHERE `key` = 'data_version'")[0][0])

    # ---- meta -------------------------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT `value` FROM meta WHERE `key` = %s", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO meta (`key`, `value`) VALUES (%s, %s) ON DUPLICATE KEY UPDATE `value` = VALUES(`value`)",
            (key, value)), bump=False)

    # ---- employees --------------------------------------------------------------------------------------------
    _PROFILE_COLUMNS = EMPLOYEE_COLUMNS + ("resume_hash", "terms", "profile_words")
    _UPSERT = (f"INSERT INTO employees ({', '.join(f'`{c}`' for c in _PROFILE_COLUMNS)}) "
               f"VALUES ({', '.join(['%s'] * len(_PROFILE_COLUMNS))}) ON DUPLICATE KEY UPDATE "
               + ", ".join(f"`{c}` = VALUES(`{c}`)" for c in _PROFILE_COLUMNS[1:]))

    def upsert_profile(self, employee: Employee, resume_hash: str, terms: Iterable[str], profile_words: int,
                       vector: np.ndarray | None, embedder_id: str) -> None:
        employee.updated_at = employee.updated_at or now_iso()
        values = employee_values(employee) + (resume_hash, " ".join(terms), profile_words)

        def body(cur) -> None:
            cur.execute(self._UPSERT, values)
            if vector is not None:
                self._put_embedding(cur, employee.id, vector, embedder_id)
        self._atomic(body)

    def update_fields(self, employee: Employee) -> bool:
        """Update the descriptive fields (not resume, skills or embedding); True when something changed."""
        values = dict(zip(EMPLOYEE_COLUMNS, employee_values(employee)))
        params = tuple(values[c] for c in self.DESCRIPTIVE_COLUMNS)
        sets = ", ".join(f"`{c}` = %s" for c in self.DESCRIPTIVE_COLUMNS)
        where = " OR ".join(
            f"NOT (`{c}`{' COLLATE utf8mb4_bin' if c in self._CI_COLUMNS else ''} <=> %s)"
            for c in self.DESCRIPTIVE_COLUMNS)
        sql = f"UPDATE employees SET {sets}, `updated_at` = %s WHERE `id` = %s AND ({where})"

        def body(cur) -> int:
            cur.execute(sql, params + (now_iso(), employee.id) + params)
            return cur.rowcount
        return self._atomic(body, bump=lambda changed: changed > 0) > 0

    def _put_embedding(self, cur, employee_id: str, vector: np.ndarray, embedder_id: str) -> None:
        dim = int(len(vector))
        blob = vector_to_blob(vector)
        if self.native_vector and self._vector_dim is not None:
            ann = _vector_text(vector) if dim == self._vector_dim else None
            if ann is None:
                self._vector_sync_pending = True
            cur.execute("INSERT INTO embeddings (`employee_id`, `model`, `dim`, `vector`, `embedding`) "
                        "VALUES (%s, %s, %s, %s, %s) ON DUPLICATE KEY UPDATE `model` = VALUES(`model`), "
                        "`dim` = VALUES(`dim`), `vector` = VALUES(`vector`), `embedding` = VALUES(`embedding`)",
                        (employee_id, embedder_id, dim, blob, ann))
            return
        if self.native_vector:
            self._vector_sync_pending = True      # the first vector fixes the VECTOR(D) column after commit
        cur.execute("INSERT INTO embeddings (`employee_id`, `model`, `dim`, `vector`) VALUES (%s, %s, %s, %s) "
                    "ON DUPLICATE KEY UPDATE `model` = VALUES(`model`), `dim` = VALUES(`dim`), "
                    "`vector` = VALUES(`vector`)", (employee_id, embedder_id, dim, blob))

    def set_embedding(self, employee_id: str, vector: np.ndarray, embedder_id: str) -> None:
        self._atomic(lambda cur: self._put_embedding(cur, employee_id, vector, embedder_id))

    def clear_embeddings(self) -> None:
        self._atomic(lambda cur: cur.execute("DELETE FROM embeddings"))

    def embedding_model(self) -> tuple[str, int] | None:
        rows = self._read("SELECT `model`, `dim`, COUNT(*) AS n FROM embeddings GROUP BY `model`, `dim` "
                          "ORDER BY n DESC, `model`, `dim` LIMIT 1")
        return (rows[0][0], int(rows[0][1])) if rows else None

    def embedding_models(self) -> list[tuple[str, int, int]]:
        return [(r[0], int(r[1]), int(r[2])) for r in self._read(
            "SELECT `model`, `dim`, COUNT(*) FROM embeddings GROUP BY `model`, `dim`")]

    def ids_missing_embedding(self, embedder_id: str) -> list[str]:
        return [r[0] for r in self._read(
            "SELECT e.`id` FROM employees e LEFT JOIN embeddings v ON v.`employee_id` = e.`id` "
            "WHERE v.`employee_id` IS NULL OR v.`model` != %s ORDER BY e.`id`", (embedder_id,))]

    _SELECT = f"SELECT {', '.join(f'`{c}`' for c in EMPLOYEE_COLUMNS)} FROM employees"

    def get_employee(self, employee_id: str) -> Employee | None:
        rows = self._read(self._SELECT + " WHERE `id` = %s", (employee_id,))
        return employee_from_row(rows[0]) if rows else None

    def get_employees(self, employee_ids: list[str]) -> dict[str, Employee]:
        out: dict[str, Employee] = {}
        for start in range(0, len(employee_ids), 500):
            chunk = employee_ids[start:start + 500]
            rows = self._read(self._SELECT + f" WHERE `id` IN ({', '.join(['%s'] * len(chunk))})", tuple(chunk))
            out.update((row[0], employee_from_row(row)) for row in rows)
        return out

    def get_resume_hash(self, employee_id: str) -> str | None:
        rows = self._read("SELECT `resume_hash` FROM employees WHERE `id` = %s", (employee_id,))
        return rows[0][0] if rows else None

    def resume_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._read("SELECT `id`, `resume_hash` FROM employees")}

    def find_employee(self, key: str) -> Employee | None:
        key = (key or "").strip()
        if not key:
            return None
        # email and display_name columns are case-insensitive (utf8mb4_general_ci); the ids are exact.
        for column in ("id", "email", "slack_user_id", "teams_user_id", "display_name"):
            rows = self._read(self._SELECT + f" WHERE `{column}` = %s ORDER BY `id` LIMIT 1", (key,))
            if rows:
                return employee_from_row(rows[0])
        return None

    def list_employees(self) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._SELECT + " ORDER BY `id`")]

    def list_mentors(self) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._SELECT + " WHERE `mentor` = 1 ORDER BY `id`")]

    def employees_with_role(self, role: str) -> list[Employee]:
        return [employee_from_row(r) for r in self._read(self._SELECT + " WHERE `role` = %s ORDER BY `id`", (role,))]

    def count_employees(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM employees")[0][0])

    def delete_employee(self, employee_id: str) -> bool:
        def body(cur) -> int:
            # Explicit, for TiDB versions that do not enforce the foreign key's ON DELETE CASCADE.
            cur.execute("DELETE FROM embeddings WHERE `employee_id` = %s", (employee_id,))
            cur.execute("DELETE FROM demographics WHERE `employee_id` = %s", (employee_id,))   # leaves with them
            cur.execute("DELETE FROM employees WHERE `id` = %s", (employee_id,))
            return cur.rowcount
        return self._atomic(body, bump=lambda deleted: deleted > 0) > 0

    def clear_profile(self, employee_id: str) -> bool:
        """Forget a profile: resume, skills, details, embedding, shortlist entries and drafts; the directory entry
        (name, e-mail, chat ids, department, role) stays so the person can still use the bot."""
        actions = ", ".join(["%s"] * len(SELF_PROFILE_ACTIONS))

        def body(cur) -> int:
            cur.execute("UPDATE employees SET `resume_text` = '', `skills` = '[]', `details` = '', `terms` = '', "
                        "`profile_words` = 0, `resume_hash` = '', `languages` = '[]', `open_to_moves` = 0, "
                        "`mentor` = 0, `updated_at` = %s WHERE `id` = %s", (now_iso(), employee_id))
            if cur.rowcount == 0 and not self._exists(cur, employee_id):
                return 0
            cur.execute("DELETE FROM embeddings WHERE `employee_id` = %s", (employee_id,))
            cur.execute("DELETE FROM shortlists WHERE `employee_id` = %s", (employee_id,))
            cur.execute("DELETE FROM drafts WHERE `owner_id` = %s AND `kind` = 'resume'", (employee_id,))
            cur.execute(f"DELETE FROM audit_log WHERE `actor_id` = %s AND `action` IN ({actions})",
                        (employee_id, *SELF_PROFILE_ACTIONS))
            return 1
        return self._atomic(body, bump=lambda cleared: cleared > 0) > 0

    @staticmethod
    def _exists(cur, employee_id: str) -> bool:
        cur.execute("SELECT 1 FROM employees WHERE `id` = %s", (employee_id,))
        return cur.fetchone() is not None

    def index_rows(self) -> Iterator[IndexRow]:
        """Streams what the search index needs, in id order, a few thousand rows at a time."""
        sql = ("SELECT e.`id`, e.`department`, e.`level`, e.`open_to_moves`, e.`skills`, e.`terms`, e.`profile_words`, "
               "v.`vector`, e.`location` FROM employees e LEFT JOIN embeddings v ON v.`employee_id` = e.`id` "
               "WHERE e.`id` > %s ORDER BY e.`id` LIMIT %s")
        last = ""
        while True:
            rows = self._read(sql, (last, 5000))
            if not rows:
                return
            for row in rows:
                yield index_row(*row)
            last = rows[-1][0]

    # ---- native vectors (TiDB) --------------------------------------------------------------------------------
    def ann_ready(self, dim: int) -> bool:
        """True when the server's vector index can answer queries of this dimension (TiDB, column in sync). While it
        cannot, callers search in-process instead of pulling every stored vector over the network."""
        return bool(self.native_vector and self._vector_dim == dim and not self._vector_sync_pending)

    def ann_search(self, query_vector: np.ndarray, k: int, fetch_more: int = 0) -> list[tuple[str, float]]:
        """The k + fetch_more stored vectors nearest the query by cosine, best first, as (employee_id, cosine
        similarity). Filters are left to the caller (fetch_more leaves room for them): on TiDB the query has no WHERE
        so the HNSW index serves it (approximate); elsewhere it is an exact scan of the stored vectors of the same
        dimension."""
        query = np.asarray(query_vector, dtype=np.float32).ravel()
        limit = int(k) + max(0, int(fetch_more))
        if limit <= 0 or not query.size:
            return []
        if self.native_vector and self._vector_dim == query.size:
            text = _vector_text(query)
            rows = self._read("SELECT `employee_id`, VEC_COSINE_DISTANCE(`embedding`, %s) FROM embeddings "
                              "ORDER BY VEC_COSINE_DISTANCE(`embedding`, %s) LIMIT %s", (text, text, limit))
            return [(eid, 1.0 - float(dist)) for eid, dist in rows if dist is not None]
        rows = self._read("SELECT `employee_id`, `vector` FROM embeddings WHERE `dim` = %s", (int(query.size),))
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
        text = _vector_text(np.asarray(query_vector, dtype=np.float32).ravel())
        rows = self._read("EXPLAIN SELECT `employee_id`, VEC_COSINE_DISTANCE(`embedding`, %s) FROM embeddings "
                          "ORDER BY VEC_COSINE_DISTANCE(`embedding`, %s) LIMIT %s", (text, text, int(k)))
        plan = "\n".join(" | ".join(str(c) for c in row) for row in rows)
        uses_index = "annindex" in plan.lower().replace(" ", "").replace("_", "") or "vector index" in plan.lower()
        return uses_index, plan

    def _after_commit(self) -> None:
        if (self.native_vector and self._vector_sync_pending
                and time.monotonic() - self._vector_sync_failed_at > 60):    # after a failure, try again a minute on
            self._sync_vector_column()

    def _sync_vector_column(self) -> None:
        """Keep the VECTOR(D) column in step with the blobs: fix D from the stored vectors (first write, or once no
        vector of the old D is left), add the HNSW index best-effort, and fill rows written before D was known.
        Never raises: native search is an accelerator, the blobs stay the source of truth."""
        with self._vector_lock:
            self._vector_sync_pending = False
            try:
                self._sync_vector_column_now()
            except (pymysql.MySQLError, StoreError) as exc:
                self._vector_sync_pending = True
                self._vector_sync_failed_at = time.monotonic()
                self._ann_index = f"unavailable: {_short(exc)}"
                log.warning("native vector column not ready (%s); search uses the in-process index", _short(exc))

    def _sync_vector_column_now(self) -> None:
        stored = self.get_meta("vector_dim")
        dim = int(stored) if stored else None
        has_column = bool(self._read(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = %s AND table_name = 'embeddings' "
            "AND column_name = 'embedding'", (self.database,))[0][0])
        if dim is not None and not has_column:
            dim = None
        counts = self._read("SELECT `dim`, COUNT(*) AS n FROM embeddings GROUP BY `dim` ORDER BY n DESC, `dim`")
        present = {int(d) for d, _ in counts}
        if counts and (dim is None or dim not in present):
            dim = self._fix_vector_dim(int(counts[0][0]), has_column)
        self._vector_dim = dim
        if has_column or dim is not None:
            self._ann_index = self._ann_index_state()
        if dim is None:
            return
        missing = self._read("SELECT `employee_id`, `vector` FROM embeddings WHERE `dim` = %s AND `embedding` IS NULL",
                             (dim,))
        for start in range(0, len(missing), 200):
            batch = missing[start:start + 200]

            def fill(cur, batch=batch) -> None:
                for eid, blob in batch:
                    cur.execute("UPDATE embeddings SET `embedding` = %s WHERE `employee_id` = %s AND `dim` = %s",
                                (_vector_text(vector_from_blob(blob)), eid, dim))
            self._atomic(fill, bump=lambda _: False)      # one transaction per batch; not a data change

    def _fix_vector_dim(self, dim: int, has_column: bool) -> int:
        """DDL on its own connection (DDL commits implicitly): (re)create `embedding VECTOR(dim)` and its index."""
        conn = self._pool.acquire(self.pool_timeout)
        discard = True
        try:
            with conn.cursor() as cur:
                try:
                    cur.execute("SELECT GET_LOCK(%s, 60)",
                                ("ih_vector_" + hashlib.sha1(self.database.encode()).hexdigest()[:20],))
                    cur.fetchall()
                except pymysql.MySQLError:
                    pass                                 # best effort, as in migrate()
                cur.execute("SELECT `value` FROM meta WHERE `key` = 'vector_dim'")
                row = cur.fetchone()
                if row and int(row[0]) == dim and has_column:
                    return dim                       # another process did it meanwhile
                if has_column:
                    for sql in ("ALTER TABLE embeddings DROP INDEX idx_emb", "ALTER TABLE embeddings DROP COLUMN embedding"):
                        try:
                            cur.execute(sql)
                        except pymysql.MySQLError as exc:
                            if _code(exc) not in (1091,):        # no such index/column
                                raise
                cur.execute(f"ALTER TABLE embeddings ADD COLUMN `embedding` VECTOR({int(dim)}) NULL")
                cur.execute("INSERT INTO meta (`key`, `value`) VALUES ('vector_dim', %s) "
                            "ON DUPLICATE KEY UPDATE `value` = VALUES(`value`)", (str(dim),))
                log.info("native vector column fixed at VECTOR(%d)", dim)
                try:
                    cur.execute("ALTER TABLE embeddings SET TIFLASH REPLICA 1")
                except pymysql.MySQLError as exc:
                    log.warning("TiFlash replica for embeddings not set (%s); ann_search scans without the index",
                                _short(exc))
                try:
                    cur.execute("ALTER TABLE embeddings ADD VECTOR INDEX idx_emb "
                                "((VEC_COSINE_DISTANCE(`embedding`))) USING HNSW")
                except pymysql.MySQLError as exc:
                    log.warning("HNSW vector index not created (%s); ann_search scans without the index", _short(exc))
                    self._ann_index = f"unavailable: {_short(exc)}"
            discard = False
            return dim
        finally:
            self._pool.release(conn, discard)   # closing the session frees the GET_LOCK

    def _ann_index_state(self) -> str:
        try:
            rows = self._read("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = %s "
                              "AND table_name = 'embeddings' AND index_name = 'idx_emb'", (self.database,))
            if rows and rows[0][0]:
                return "hnsw"
        except pymysql.MySQLError:
            pass
        return self._ann_index if self._ann_index.startswith("unavailable") else "none"

    # ---- audit, shortlists, searches ---------------------------------------------------------------------------
    def add_audit(self, actor_id: str, action: str, query: str, shown_ids: list[str], details: dict | None = None) -> None:
        params = (now_iso(), actor_id, action, query, json.dumps(list(shown_ids)),
                  json.dumps(details or {}, ensure_ascii=False))
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO audit_log (`at`, `actor_id`, `action`, `query`, `shown_ids`, `details`) "
            "VALUES (%s, %s, %s, %s, %s, %s)", params), bump=False)

    def list_audit(self, limit: int | None = None) -> list[AuditEntry]:
        sql = "SELECT `id`, `at`, `actor_id`, `action`, `query`, `shown_ids`, `details` FROM audit_log ORDER BY `id`"
        rows = self._read(sql + " DESC LIMIT %s", (int(limit),)) if limit else self._read(sql)
        if limit:
            rows = list(reversed(rows))
        return [AuditEntry(int(r[0]), r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), json.loads(r[6])) for r in rows]

    def add_to_shortlist(self, owner_id: str, employee_id: str, note: str = "") -> bool:
        def body(cur) -> int:
            cur.execute("INSERT INTO shortlists (`owner_id`, `employee_id`, `note`, `at`) VALUES (%s, %s, %s, %s) "
                        "ON DUPLICATE KEY UPDATE `owner_id` = `owner_id`", (owner_id, employee_id, note, now_iso()))
            return cur.rowcount
        return self._atomic(body, bump=False) > 0

    def shortlist(self, owner_id: str) -> list[str]:
        return [r[0] for r in self._read(
            "SELECT `employee_id` FROM shortlists WHERE `owner_id` = %s ORDER BY `at`, `employee_id`", (owner_id,))]

    def save_conversation_ref(self, platform: str, user_key: str, reference: dict) -> None:
        params = (platform, user_key, json.dumps(reference, ensure_ascii=False), now_iso())
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO conversation_refs (`platform`, `user_key`, `reference`, `at`) VALUES (%s, %s, %s, %s) "
            "ON DUPLICATE KEY UPDATE `reference` = VALUES(`reference`), `at` = VALUES(`at`)", params), bump=False)

    def load_conversation_ref(self, platform: str, user_key: str) -> dict | None:
        rows = self._read("SELECT `reference` FROM conversation_refs WHERE `platform` = %s AND `user_key` = %s",
                          (platform, user_key))
        return json.loads(rows[0][0]) if rows else None

    def try_acquire_lease(self, name: str, holder: str, ttl_seconds: float, now: float | None = None) -> bool:
        """Take (or renew) a named lease until now + ttl. Held by someone else and not expired: False."""
        now = time.time() if now is None else now

        def body(cur) -> bool:
            cur.execute("SELECT `holder`, `expires_at` FROM leases WHERE `name` = %s FOR UPDATE", (name,))
            row = cur.fetchone()
            if row is None:
                cur.execute("INSERT INTO leases (`name`, `holder`, `expires_at`) VALUES (%s, %s, %s)",
                            (name, holder, now + ttl_seconds))
                return True
            if row[0] != holder and row[1] > now:
                return False
            cur.execute("UPDATE leases SET `holder` = %s, `expires_at` = %s WHERE `name` = %s",
                        (holder, now + ttl_seconds, name))
            return True
        try:
            return bool(self._atomic(body, bump=lambda _: False))
        except pymysql.err.IntegrityError:     # another holder inserted the row first
            return False

    def release_lease(self, name: str, holder: str) -> None:
        self._atomic(lambda cur: cur.execute("DELETE FROM leases WHERE `name` = %s AND `holder` = %s",
                                             (name, holder)), bump=False)

    def save_search(self, search_id: str, actor_id: str, query: str, filters: dict) -> None:
        params = (search_id, actor_id, query, json.dumps(filters, ensure_ascii=False), now_iso())
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO searches (`id`, `actor_id`, `query`, `filters`, `at`) VALUES (%s, %s, %s, %s, %s) "
            "ON DUPLICATE KEY UPDATE `actor_id` = VALUES(`actor_id`), `query` = VALUES(`query`), "
            "`filters` = VALUES(`filters`), `at` = VALUES(`at`)", params), bump=False)

    def load_search(self, search_id: str) -> tuple[str, str, dict] | None:
        rows = self._read("SELECT `actor_id`, `query`, `filters` FROM searches WHERE `id` = %s", (search_id,))
        return (rows[0][0], rows[0][1], json.loads(rows[0][2])) if rows else None

    # ---- drafts and AI usage -----------------------------------------------------------------------------------
    def save_draft(self, draft_id: str, owner_id: str, kind: str, payload: dict) -> None:
        params = (draft_id, owner_id, kind, json.dumps(payload, ensure_ascii=False), now_iso())
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO drafts (`id`, `owner_id`, `kind`, `payload`, `at`) VALUES (%s, %s, %s, %s, %s) "
            "ON DUPLICATE KEY UPDATE `owner_id` = VALUES(`owner_id`), `kind` = VALUES(`kind`), "
            "`payload` = VALUES(`payload`), `at` = VALUES(`at`)", params), bump=False)

    def load_draft(self, draft_id: str) -> tuple[str, str, dict] | None:
        rows = self._read("SELECT `owner_id`, `kind`, `payload` FROM drafts WHERE `id` = %s", (draft_id,))
        return (rows[0][0], rows[0][1], json.loads(rows[0][2])) if rows else None

    def purge_drafts(self, kind: str, older_than: str) -> int:
        """Delete drafts of this kind saved before `older_than` (ISO time); how many went."""
        def body(cur) -> int:
            cur.execute("DELETE FROM drafts WHERE `kind` = %s AND `at` < %s", (kind, older_than))
            return cur.rowcount
        return self._atomic(body, bump=False)

    def delete_draft(self, draft_id: str) -> bool:
        def body(cur) -> int:
            cur.execute("DELETE FROM drafts WHERE `id` = %s", (draft_id,))
            return cur.rowcount
        return self._atomic(body, bump=False) > 0

    def add_ai_usage(self, day: str, model: str, task: str, prompt_tokens: int, output_tokens: int,
                     cached: bool) -> None:
        params = (day, model, task, 1 if cached else 0, int(prompt_tokens), int(output_tokens))
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO ai_usage (`day`, `model`, `task`, `calls`, `cache_hits`, `prompt_tokens`, `output_tokens`) "
            "VALUES (%s, %s, %s, 1, %s, %s, %s) ON DUPLICATE KEY UPDATE `calls` = `calls` + 1, "
            "`cache_hits` = `cache_hits` + VALUES(`cache_hits`), `prompt_tokens` = `prompt_tokens` + "
            "VALUES(`prompt_tokens`), `output_tokens` = `output_tokens` + VALUES(`output_tokens`)", params),
            bump=False)

    def ai_usage(self, day: str) -> list[dict]:
        rows = self._read("SELECT `model`, `task`, `calls`, `cache_hits`, `prompt_tokens`, `output_tokens` "
                          "FROM ai_usage WHERE `day` = %s ORDER BY `model`, `task`", (day,))
        keys = ("model", "task", "calls", "cache_hits", "prompt_tokens", "output_tokens")
        return [{k: (v if k in ("model", "task") else int(v)) for k, v in zip(keys, r)} for r in rows]

    # ---- job descriptions: companies, postings, documents, prepared drafts (schema 4) ---------------------------
    # None of this bumps data_version: it never changes what the people search index holds.
    def _tx(self, body: Callable[[Any], Any]) -> Any:
        """body(cursor) as one transaction of its own (or in this thread's open transaction), no data_version bump."""
        return self._atomic(body, bump=lambda _: False)

    def upsert_company(self, company) -> bool:
        def body(cur) -> int:
            cur.execute("INSERT INTO companies (`id`, `name`, `data`, `updated_at`) VALUES (%s, %s, %s, %s) "
                        "ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `data` = VALUES(`data`), "
                        "`updated_at` = VALUES(`updated_at`)", jr.company_values(company) + (now_iso(),))
            return cur.rowcount
        return self._atomic(body, bump=False) == 1          # 1: inserted, 2: updated

    def get_company(self, company_id: str):
        rows = self._read("SELECT `id`, `name`, `data` FROM companies WHERE `id` = %s", (company_id,))
        return jr.company_from_row(rows[0]) if rows else None

    def list_companies(self) -> list:
        return [jr.company_from_row(r) for r in self._read("SELECT `id`, `name`, `data` FROM companies "
                                                           "ORDER BY `name`, `id`")]

    _POSTING_SELECT = f"SELECT {', '.join(f'`{c}`' for c in jr.POSTING_COLUMNS)} FROM postings"

    def upsert_posting(self, posting) -> str:
        values = jr.posting_values(posting)
        cols = jr.POSTING_COLUMNS + ("updated_at",)

        def body(cur) -> str:
            cur.execute("SELECT `content_hash` FROM postings WHERE `id` = %s FOR UPDATE", (posting.id,))
            row = cur.fetchone()
            if row is not None and row[0] == values[-1]:
                return "unchanged"
            cur.execute(f"INSERT INTO postings ({', '.join(f'`{c}`' for c in cols)}) VALUES "
                        f"({', '.join(['%s'] * len(cols))}) ON DUPLICATE KEY UPDATE "
                        + ", ".join(f"`{c}` = VALUES(`{c}`)" for c in cols[1:]), values + (now_iso(),))
            return "added" if row is None else "updated"
        return self._tx(body)

    def get_posting(self, posting_id: str):
        rows = self._read(self._POSTING_SELECT + " WHERE `id` = %s", (posting_id,))
        return jr.posting_from_row(rows[0]) if rows else None

    def list_postings(self, company_id: str, family: str | None = None, level: str | None = None) -> list:
        sql, params = self._POSTING_SELECT + " WHERE `company_id` = %s", [company_id]
        if family is not None:
            sql, params = sql + " AND `family` = %s", params + [family]
        if level is not None:
            sql, params = sql + " AND `level` = %s", params + [level]
        return [jr.posting_from_row(r) for r in self._read(sql + " ORDER BY `posted_at` DESC, `id`", tuple(params))]

    def replace_document(self, company_id: str, doc_id: str, title: str, chunks: list) -> None:
        at = now_iso()

        def body(cur) -> None:
            cur.execute("DELETE FROM company_docs WHERE `company_id` = %s AND `doc_id` = %s", (company_id, doc_id))
            if chunks:
                cur.executemany("INSERT INTO company_docs (`company_id`, `doc_id`, `chunk_no`, `title`, `heading`, "
                                "`text`, `updated_at`) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                                [(company_id, doc_id, c.chunk_no, title, c.heading, c.text, at) for c in chunks])
        self._tx(body)

    def list_doc_chunks(self, company_id: str, doc_id: str | None = None) -> list:
        sql = f"SELECT {', '.join(f'`{c}`' for c in jr.DOC_COLUMNS)} FROM company_docs WHERE `company_id` = %s"
        params: tuple = (company_id,)
        if doc_id is not None:
            sql, params = sql + " AND `doc_id` = %s", (company_id, doc_id)
        return [jr.chunk_from_row(r) for r in self._read(sql + " ORDER BY `doc_id`, `chunk_no`", params)]

    def save_prepared(self, company_id: str, family: str, level: str, payload: dict, source_hash: str) -> None:
        params = (company_id, family, level, jr.dumps(payload), source_hash, now_iso())
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO prepared (`company_id`, `family`, `level`, `payload`, `source_hash`, `built_at`) VALUES "
            "(%s, %s, %s, %s, %s, %s) ON DUPLICATE KEY UPDATE `payload` = VALUES(`payload`), "
            "`source_hash` = VALUES(`source_hash`), `built_at` = VALUES(`built_at`)", params), bump=False)

    def load_prepared(self, company_id: str, family: str, level: str) -> dict | None:
        rows = self._read("SELECT `payload` FROM prepared WHERE `company_id` = %s AND `family` = %s AND `level` = %s",
                          (company_id, family, level))
        return json.loads(rows[0][0]) if rows else None

    def prepared_keys(self, company_id: str) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self._read("SELECT `family`, `level`, `source_hash` FROM prepared "
                                             "WHERE `company_id` = %s ORDER BY `family`, `level`", (company_id,))]

    def delete_prepared(self, company_id: str, family: str, level: str) -> bool:
        def body(cur) -> int:
            cur.execute("DELETE FROM prepared WHERE `company_id` = %s AND `family` = %s AND `level` = %s",
                        (company_id, family, level))
            return cur.rowcount
        return self._atomic(body, bump=False) > 0

    # ---- JD records, versions, decisions, openings ----------------------------------------------------------------
    _JD_SELECT = f"SELECT {', '.join(f'`{c}`' for c in jr.JD_COLUMNS)} FROM jds"
    _OPENING_SELECT = f"SELECT {', '.join(f'`{c}`' for c in jr.OPENING_COLUMNS)} FROM openings"
    _DECISION_INSERT = ("INSERT INTO jd_decisions (`jd_id`, `version`, `actor_id`, `action`, `from_status`, "
                        "`to_status`, `reason`, `at`) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)")
    _VERSION_INSERT = ("INSERT INTO jd_versions (`jd_id`, `version`, `draft`, `editor_id`, `note`, `at`) "
                       "VALUES (%s, %s, %s, %s, %s, %s)")

    def create_jd(self, record, editor_id: str, note: str = "") -> None:
        at = now_iso()
        record.created_at = record.created_at or at
        record.updated_at = record.updated_at or at

        def body(cur) -> None:
            cur.execute(f"INSERT INTO jds ({', '.join(f'`{c}`' for c in jr.JD_COLUMNS)}) "
                        f"VALUES ({', '.join(['%s'] * len(jr.JD_COLUMNS))})", jr.jd_values(record))
            cur.execute(self._VERSION_INSERT, (record.id, record.version, jr.dumps(record.draft.to_dict()),
                                               editor_id, note, at))
        self._tx(body)

    def get_jd(self, jd_id: str):
        rows = self._read(self._JD_SELECT + " WHERE `id` = %s", (jd_id,))
        return jr.jd_from_row(rows[0]) if rows else None

    def list_jds(self, status: str | None = None, owner_id: str | None = None, company_id: str | None = None,
                 limit: int = 100) -> list:
        where, params = [], []
        for column, value in (("status", status), ("owner_id", owner_id), ("company_id", company_id)):
            if value is not None:
                where.append(f"`{column}` = %s")
                params.append(getattr(value, "value", value))
        sql = self._JD_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [jr.jd_from_row(r) for r in self._read(sql + " ORDER BY `updated_at` DESC, `id` LIMIT %s",
                                                       tuple(params) + (int(limit),))]

    def update_jd_draft(self, jd_id: str, expected_version: int, draft, editor_id: str, note: str = "") -> int | None:
        from core.jd.model import EDITABLE_STATUSES

        editable = tuple(s.value for s in EDITABLE_STATUSES)
        at = now_iso()
        data = jr.dumps(draft.to_dict())

        def body(cur) -> int | None:
            cur.execute(f"UPDATE jds SET `draft` = %s, `title` = %s, `version` = `version` + 1, `updated_at` = %s "
                        f"WHERE `id` = %s AND `version` = %s AND `status` IN ({', '.join(['%s'] * len(editable))})",
                        (data, draft.title, at, jd_id, int(expected_version), *editable))
            if cur.rowcount != 1:
                return None
            cur.execute(self._VERSION_INSERT, (jd_id, int(expected_version) + 1, data, editor_id, note, at))
            return int(expected_version) + 1
        return self._tx(body)

    def decide_jd(self, jd_id: str, expected_version: int, action: str, from_statuses: tuple[str, ...],
                  to_status: str, actor_id: str, reason: str = "") -> bool:
        """Move a JD from one of `from_statuses` to `to_status` only while it is still at `expected_version`; the
        decision is recorded in the same transaction. False (and nothing written) when someone got there first."""
        return self._decide(jd_id, expected_version, getattr(action, "value", action),
                            tuple(getattr(s, "value", s) for s in from_statuses), getattr(to_status, "value", to_status),
                            actor_id, reason)

    def _decide(self, jd_id, expected_version, action, from_statuses, to_status, actor_id, reason, then=None) -> bool:
        at = now_iso()

        def body(cur) -> bool:
            cur.execute("SELECT `status` FROM jds WHERE `id` = %s FOR UPDATE", (jd_id,))
            row = cur.fetchone()
            if row is None:
                return False
            cur.execute(f"UPDATE jds SET `status` = %s, `updated_at` = %s WHERE `id` = %s AND `version` = %s AND "
                        f"`status` IN ({', '.join(['%s'] * len(from_statuses))})",
                        (to_status, at, jd_id, int(expected_version), *from_statuses))
            if cur.rowcount != 1:
                return False
            cur.execute(self._DECISION_INSERT, (jd_id, int(expected_version), actor_id, action, row[0], to_status,
                                                reason or "", at))
            if then is not None:
                then(cur)
            return True
        return bool(self._tx(body))

    def publish_jd(self, jd_id: str, expected_version: int, opening, actor_id: str) -> bool:
        """approved -> published and the internal opening, together; a retry finds it published and does nothing."""
        values = jr.opening_values(opening)

        def insert_opening(cur) -> None:
            cur.execute(f"INSERT INTO openings ({', '.join(f'`{c}`' for c in jr.OPENING_COLUMNS)}) "
                        f"VALUES ({', '.join(['%s'] * len(jr.OPENING_COLUMNS))})", values)
        return self._decide(jd_id, expected_version, "publish", ("approved",), "published", actor_id, "",
                            then=insert_opening)

    def jd_versions(self, jd_id: str) -> list:
        return [jr.version_from_row(r) for r in self._read(
            f"SELECT {', '.join(f'`{c}`' for c in jr.VERSION_COLUMNS)} FROM jd_versions WHERE `jd_id` = %s "
            "ORDER BY `version`", (jd_id,))]

    def jd_decisions(self, jd_id: str) -> list:
        return [jr.decision_from_row(r) for r in self._read(
            f"SELECT {', '.join(f'`{c}`' for c in jr.DECISION_COLUMNS)} FROM jd_decisions WHERE `jd_id` = %s "
            "ORDER BY `id`", (jd_id,))]

    def get_opening(self, opening_id: str):
        rows = self._read(self._OPENING_SELECT + " WHERE `id` = %s", (opening_id,))
        return jr.opening_from_row(rows[0]) if rows else None

    def opening_for_jd(self, jd_id: str):
        rows = self._read(self._OPENING_SELECT + " WHERE `jd_id` = %s", (jd_id,))
        return jr.opening_from_row(rows[0]) if rows else None

    def list_openings(self, status: str | None = None, company_id: str | None = None) -> list:
        where, params = [], []
        for column, value in (("status", status), ("company_id", company_id)):
            if value is not None:
                where.append(f"`{column}` = %s")
                params.append(getattr(value, "value", value))
        sql = self._OPENING_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        return [jr.opening_from_row(r) for r in self._read(sql + " ORDER BY `opened_at` DESC, `id`", tuple(params))]

    def set_opening_status(self, opening_id: str, status, actor_id: str) -> bool:
        """open <-> closed; the change is recorded as a decision on the JD. False when it already had that status."""
        status = getattr(status, "value", status)
        at = now_iso()

        def body(cur) -> bool:
            cur.execute("SELECT `jd_id`, `status` FROM openings WHERE `id` = %s FOR UPDATE", (opening_id,))
            row = cur.fetchone()
            if row is None or row[1] == status:
                return False
            cur.execute("UPDATE openings SET `status` = %s, `closed_at` = %s WHERE `id` = %s AND `status` = %s",
                        (status, at if status == "closed" else "", opening_id, row[1]))
            if cur.rowcount != 1:
                return False
            cur.execute("SELECT `version` FROM jds WHERE `id` = %s", (row[0],))
            version = cur.fetchone()
            cur.execute(self._DECISION_INSERT, (row[0], int(version[0]) if version else 0, actor_id,
                                                "close" if status == "closed" else "reopen", row[1], status, "", at))
            return True
        return bool(self._tx(body))

    # ---- the durable background job queue -------------------------------------------------------------------------
    _JOB_SELECT = f"SELECT {', '.join(f'`{c}`' for c in jr.JOB_COLUMNS)} FROM jobs"
    # A job a worker may take: queued and due, or running under a lease nobody renewed (its worker died).
    _CLAIMABLE = "((`status` = 'queued' AND `available_at` <= %s) OR (`status` = 'running' AND `lease_until` < %s))"

    def enqueue_job(self, job_id: str, kind: str, payload: dict, requester: str, max_attempts: int = 3,
                    now: float | None = None) -> None:
        now = time.time() if now is None else now
        params = (job_id, kind, jr.dumps(payload), requester, int(max_attempts), now, now)
        self._atomic(lambda cur: cur.execute(
            "INSERT INTO jobs (`id`, `kind`, `payload`, `requester`, `status`, `attempts`, `max_attempts`, "
            "`available_at`, `created_at`, `error`) VALUES (%s, %s, %s, %s, 'queued', 0, %s, %s, %s, '')", params),
            bump=False)

    def get_job(self, job_id: str):
        rows = self._read(self._JOB_SELECT + " WHERE `id` = %s", (job_id,))
        return jr.job_from_row(rows[0]) if rows else None

    def claim_job(self, worker_id: str, lease_seconds: float, kinds: tuple[str, ...] | None = None,
                  now: float | None = None):
        """The oldest claimable job, now running under `worker_id`'s lease; None when there is none. Each take is a
        conditional UPDATE, so of several workers racing for a job exactly one gets it (the others try the next).
        A job whose worker died past its last attempt is marked failed instead of being run again."""
        now = time.time() if now is None else now
        kind_sql = f" AND `kind` IN ({', '.join(['%s'] * len(kinds))})" if kinds else ""

        def body(cur) -> str | None:
            for _ in range(5):
                cur.execute(f"SELECT `id`, `status`, `attempts`, `max_attempts` FROM jobs WHERE {self._CLAIMABLE}"
                            f"{kind_sql} ORDER BY `created_at`, `id` LIMIT 8", (now, now, *(kinds or ())))
                rows = cur.fetchall()
                if not rows:
                    return None
                for job_id, status, attempts, max_attempts in rows:
                    if status == "running" and attempts >= max_attempts:
                        cur.execute("UPDATE jobs SET `status` = 'failed', `error` = %s, `finished_at` = %s, "
                                    "`lease_until` = 0 WHERE `id` = %s AND `status` = 'running' AND `lease_until` < %s",
                                    (jr.lease_expired_error(attempts), now, job_id, now))
                        continue
                    cur.execute(f"UPDATE jobs SET `status` = 'running', `lease_owner` = %s, `lease_until` = %s, "
                                f"`attempts` = `attempts` + 1, `started_at` = %s, `finished_at` = NULL "
                                f"WHERE `id` = %s AND {self._CLAIMABLE}",
                                (worker_id, now + lease_seconds, now, job_id, now, now))
                    if cur.rowcount == 1:
                        return job_id
            return None
        claimed = self._atomic(body, bump=False)        # autocommit: each conditional UPDATE stands alone
        return self.get_job(claimed) if claimed else None

    def _owned_update(self, sql: str, params: tuple, job_id: str, worker_id: str) -> bool:
        """An UPDATE on a running job this worker holds. MySQL counts changed rows, so an update that leaves the
        values as they were (the same lease end, the same progress) is confirmed with a read."""
        def body(cur) -> bool:
            cur.execute(sql, params)
            if cur.rowcount == 1:
                return True
            cur.execute("SELECT 1 FROM jobs WHERE `id` = %s AND `status` = 'running' AND `lease_owner` = %s",
                        (job_id, worker_id))
            return cur.fetchone() is not None
        return bool(self._tx(body))

    def renew_job_lease(self, job_id: str, worker_id: str, lease_seconds: float, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self._owned_update("UPDATE jobs SET `lease_until` = %s WHERE `id` = %s AND `status` = 'running' AND "
                                  "`lease_owner` = %s", (now + lease_seconds, job_id, worker_id), job_id, worker_id)

    def set_job_progress(self, job_id: str, worker_id: str, progress: dict) -> bool:
        return self._owned_update("UPDATE jobs SET `progress` = %s WHERE `id` = %s AND `status` = 'running' AND "
                                  "`lease_owner` = %s", (jr.dumps(progress), job_id, worker_id), job_id, worker_id)

    def complete_job(self, job_id: str, worker_id: str, result: dict, now: float | None = None) -> bool:
        """Done, once: only the worker holding the job can complete it (one that lost its lease cannot)."""
        now = time.time() if now is None else now

        def body(cur) -> int:
            cur.execute("UPDATE jobs SET `status` = 'done', `result` = %s, `finished_at` = %s, `lease_until` = 0, "
                        "`error` = '' WHERE `id` = %s AND `status` = 'running' AND `lease_owner` = %s",
                        (jr.dumps(result), now, job_id, worker_id))
            return cur.rowcount
        return self._atomic(body, bump=False) == 1

    def fail_job(self, job_id: str, worker_id: str, error: str, retry_delay: float = 0.0,
                 now: float | None = None) -> str | None:
        now = time.time() if now is None else now

        def body(cur) -> str | None:
            cur.execute("SELECT `attempts`, `max_attempts` FROM jobs WHERE `id` = %s AND `status` = 'running' AND "
                        "`lease_owner` = %s FOR UPDATE", (job_id, worker_id))
            row = cur.fetchone()
            if row is None:
                return None
            retry = int(row[0]) < int(row[1])
            cur.execute("UPDATE jobs SET `status` = %s, `available_at` = %s, `finished_at` = %s, `lease_until` = 0, "
                        "`error` = %s WHERE `id` = %s", ("queued" if retry else "failed", now + retry_delay,
                                                         None if retry else now, error[:2000], job_id))
            return "queued" if retry else "failed"
        return self._tx(body)

    def job_queue_position(self, job_id: str, now: float | None = None) -> tuple[int, int] | None:
        """(waiting jobs ahead of this one, jobs running now); None for an unknown job. Ahead is 0 once it runs."""
        now = time.time() if now is None else now
        rows = self._read("SELECT `status`, `lease_until`, `created_at`, `id` FROM jobs WHERE `id` = %s", (job_id,))
        if not rows:
            return None
        status, lease_until, created_at, _ = rows[0]
        running = int(self._read("SELECT COUNT(*) FROM jobs WHERE `status` = 'running' AND `lease_until` >= %s",
                                 (now,))[0][0])
        if not (status == "queued" or (status == "running" and float(lease_until) < now)):
            return 0, running
        ahead = int(self._read(
            "SELECT COUNT(*) FROM jobs WHERE (`status` = 'queued' OR (`status` = 'running' AND `lease_until` < %s)) "
            "AND (`created_at` < %s OR (`created_at` = %s AND `id` < %s))", (now, created_at, created_at, job_id))[0][0])
        return ahead, running

    def job_counts(self, now: float | None = None) -> dict[str, int]:
        """queued (including jobs whose worker died), running (under a live lease), done, failed."""
        now = time.time() if now is None else now
        rows = self._read("SELECT CASE WHEN `status` = 'running' AND `lease_until` < %s THEN 'queued' ELSE `status` "
                          "END AS s, COUNT(*) FROM jobs GROUP BY s", (now,))
        counts = {status: 0 for status in ("queued", "running", "done", "failed")}
        for status, n in rows:
            counts[status] = counts.get(status, 0) + int(n)
        return counts

    def recent_job_durations(self, kind: str, limit: int = 20) -> list[float]:
        return [float(r[0]) for r in self._read(
            "SELECT `finished_at` - `started_at` FROM jobs WHERE `kind` = %s AND `status` = 'done' AND "
            "`started_at` IS NOT NULL ORDER BY `finished_at` DESC LIMIT %s", (kind, int(limit)))]

    def pending_notifications(self, limit: int = 50) -> list:
        return [jr.job_from_row(r) for r in self._read(
            self._JOB_SELECT + " WHERE `notified` = 0 AND `status` IN ('done', 'failed') ORDER BY `finished_at`, `id` "
            "LIMIT %s", (int(limit),))]

    def mark_job_notified(self, job_id: str) -> bool:
        """True for exactly one caller per finished job: the one that should deliver the notification."""
        def body(cur) -> int:
            cur.execute("UPDATE jobs SET `notified` = 1 WHERE `id` = %s AND `notified` = 0 AND "
                        "`status` IN ('done', 'failed')", (job_id,))
            return cur.rowcount
        return self._atomic(body, bump=False) == 1

    # ---- HR's self-reported demographics and what the impact-ratio report reads (schema 5) --------------------------
    # Kept apart from profiles: matching never reads these tables (tests/unit/test_fairness_report.py holds it so).
    def replace_demographics(self, rows: list[tuple[str, str, str]], imported_by: str, replace_all: bool = False) -> int:
        at = now_iso()

        def body(cur) -> int:
            if replace_all:
                cur.execute("DELETE FROM demographics")
            else:
                ids = list(dict.fromkeys(r[0] for r in rows))
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    cur.execute(f"DELETE FROM demographics WHERE `employee_id` IN ({', '.join(['%s'] * len(chunk))})",
                                chunk)
            for start in range(0, len(rows), 1000):
                cur.executemany("INSERT INTO demographics (`employee_id`, `category`, `value`, `imported_at`, "
                                "`imported_by`) VALUES (%s, %s, %s, %s, %s) ON DUPLICATE KEY UPDATE "
                                "`value` = VALUES(`value`), `imported_at` = VALUES(`imported_at`), "
                                "`imported_by` = VALUES(`imported_by`)",
                                [(*r, at, imported_by) for r in rows[start:start + 1000]])
            return len(rows)
        return self._tx(body)

    def demographic_rows(self) -> Iterator[tuple[str, str, str]]:
        last = ("", "")
        while True:
            rows = self._read("SELECT `employee_id`, `category`, `value` FROM demographics WHERE `employee_id` > %s OR "
                              "(`employee_id` = %s AND `category` > %s) ORDER BY `employee_id`, `category` LIMIT 20000",
                              (last[0], last[0], last[1]))
            if not rows:
                return
            yield from (tuple(r) for r in rows)
            last = (rows[-1][0], rows[-1][1])

    def demographics_summary(self) -> dict[str, dict[str, int]]:
        return counts_by_category(self._read("SELECT `category`, `value`, COUNT(*) FROM demographics "
                                                 "GROUP BY `category`, `value` ORDER BY `category`, `value`"))

    def delete_demographics(self) -> int:
        def body(cur) -> int:
            cur.execute("DELETE FROM demographics")
            return cur.rowcount
        return self._atomic(body, bump=False)

    def fairness_population(self) -> list[tuple[str, bool, bool]]:
        return [(r[0], bool(r[1]), bool(r[2])) for r in self._read(
            "SELECT `id`, `open_to_moves`, `profile_words` > 0 FROM employees ORDER BY `id`")]

    def shown_between(self, since: str, until: str, actions: tuple[str, ...]) -> set[str]:
        """As SqliteStore.shown_between: JSON_TABLE on MySQL 8 and MariaDB 10.6+; elsewhere (TiDB) the JSON lists
        are read a page at a time and parsed here."""
        marks = ", ".join(["%s"] * len(actions))
        try:
            return {r[0] for r in self._read(
                "SELECT DISTINCT jt.id FROM audit_log a, JSON_TABLE(a.`shown_ids`, '$[*]' COLUMNS (id VARCHAR(255) "
                f"PATH '$')) jt WHERE a.`at` >= %s AND a.`at` < %s AND a.`action` IN ({marks})",
                (since, until, *actions))}
        except pymysql.MySQLError:
            pass
        sql = (f"SELECT `id`, `shown_ids` FROM audit_log WHERE `at` >= %s AND `at` < %s AND `action` IN ({marks}) "
               f"AND `id` > %s ORDER BY `id` LIMIT 50000")

        def pages():
            last = 0
            while rows := self._read(sql, (since, until, *actions, last)):
                yield [r[1] for r in rows]
                last = int(rows[-1][0])
        return union_of_json_lists(pages())

    def shortlisted_between(self, since: str, until: str) -> list[str]:
        return [r[0] for r in self._read("SELECT `employee_id` FROM shortlists WHERE `at` >= %s AND `at` < %s",
                                         (since, until))]
