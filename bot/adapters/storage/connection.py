"""Connections: the embedded SQLite file and MySQL-protocol servers (TiDB, MySQL, MariaDB over pymysql) as SQLAlchemy
engines, with the settings parsed once and every configuration problem turned into one StoreError that names the
setting to fix (a bad URL, an unreachable server, refused credentials, missing privileges, TLS).

SQLite: WAL (readers never wait for the writer), foreign keys on, a busy timeout for other processes on the same file,
and one writer at a time per file in this process (writers queue on a lock instead of polling SQLite's busy handler;
write transactions start with BEGIN IMMEDIATE so they never deadlock on a lock upgrade). Readers take pooled
connections of their own, so they are not serialised behind writes.

Servers: a pooled engine with pre-ping (a connection that died while idle is replaced before use), matched-row counts
(so a conditional UPDATE that leaves a row as it was still reports it, as SQLite does), READ COMMITTED on MySQL and
MariaDB (fewer gap locks) and TiDB's default elsewhere; connect/read/write timeouts from the URL or the settings.
"""
from __future__ import annotations

import contextlib
import random
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

import logging

import pymysql
from pymysql.constants import CLIENT
from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from core.ai import deadline as request_deadline
from core.errors import StoreError

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 5.0

# Error codes worth another attempt: lost connection, deadlock, lock wait timeout, TiDB write conflicts/retryable KV
# errors and "schema changed during the transaction".
CONNECTION_LOST = {2003, 2006, 2013, 2055, 4031}
TRANSIENT = CONNECTION_LOST | {1205, 1213, 8002, 8022, 8028, 9007}
NO_PRIVILEGE = {1044, 1142, 1227, 1216, 1217, 1215}
# What a failed statement raises: SQLAlchemy's wrapper, or the driver's own error from a statement run on its cursor.
DATABASE_ERRORS = (sa_exc.DBAPIError, pymysql.MySQLError)
_SCHEMES = {"mysql", "mysql+pymysql", "mariadb", "mariadb+pymysql", "tidb", "tidb+pymysql"}
_TLS_OPTIONS = ("ssl_ca", "ssl_cert", "ssl_key", "ssl_verify_identity", "ssl_verify_cert", "ssl_mode", "ssl")
TIMEOUT_OPTIONS = ("connect_timeout", "read_timeout", "write_timeout")
# A server that stops answering (frozen, overloaded, a network that drops packets) costs at most these per statement,
# and is not retried: a retry would only multiply the wait (it once took 120 s x 6 attempts).
DEFAULT_TIMEOUTS = {"connect_timeout": 5.0, "read_timeout": 15.0, "write_timeout": 15.0}
_OPTIONS = set(_TLS_OPTIONS) | set(TIMEOUT_OPTIONS) | {"pool_size", "charset"}
_DB_NAME = re.compile(r"^[A-Za-z0-9_$-]{1,64}$")
_URL_FORM = "mysql://user:password@host:3306/database (or tidb://user:password@host:4000/database)"


# ---- error helpers ------------------------------------------------------------------------------------------------
def driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind a SQLAlchemy wrapper (or the exception itself)."""
    return getattr(exc, "orig", None) or exc


def error_code(exc: BaseException) -> int | None:
    args = getattr(driver_error(exc), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def short_reason(exc: BaseException) -> str:
    """The server's one-line reason, without codes, tracebacks or newlines."""
    exc = driver_error(exc)
    args = getattr(exc, "args", ())
    text = args[1] if len(args) > 1 and isinstance(args[1], str) else str(exc)
    text = (text or type(exc).__name__).strip().splitlines()[0] if (text or "").strip() else type(exc).__name__
    return text[:300]


def is_connection_error(exc: BaseException) -> bool:
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = driver_error(exc)
    return isinstance(orig, pymysql.err.InterfaceError) or error_code(exc) in CONNECTION_LOST


def timed_out(exc: BaseException) -> bool:
    """The server did not answer within a read/write/connect timeout (pymysql reports a lost connection)."""
    orig = driver_error(exc)
    return isinstance(orig, TimeoutError) or "timed out" in short_reason(exc).lower()


def is_transient(exc: BaseException) -> bool:
    return isinstance(driver_error(exc), pymysql.MySQLError) and (is_connection_error(exc)
                                                                  or error_code(exc) in TRANSIENT)


def _parse_bool(name: str, value: Any, setting: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "required"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise StoreError(f"{setting}: option {name}={value!r} must be true or false.")


# ---- server configuration -----------------------------------------------------------------------------------------
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

    def number(self, name: str, default: float) -> float:
        value = self.options.get(name, default)
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise StoreError(f"{self.setting}: option {name}={value!r} must be a number.") from None
        if number <= 0:
            raise StoreError(f"{self.setting}: option {name} must be positive.")
        return number

    def timeouts(self) -> dict[str, float]:
        """connect/read/write timeouts in seconds (pymysql's own options), validated."""
        return {name: self.number(name, default) for name, default in DEFAULT_TIMEOUTS.items()}


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


def ssl_context(cfg: MySqlConfig) -> ssl.SSLContext | None:
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
        raise StoreError(f"{s}: cannot read the TLS file(s) given by {which} ({short_reason(exc)}). "
                         "Check the paths in the URL options.") from None
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)   # self-signed server certificates made by MySQL
    ctx.check_hostname = bool(identity and verify)
    ctx.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
    return ctx


def connect_error(cfg: MySqlConfig, exc: BaseException) -> StoreError:
    """One clear message, naming the setting, for a failure to connect."""
    if timed_out(exc):
        return no_answer_error(cfg)
    exc = driver_error(exc)
    code, reason, s = error_code(exc), short_reason(exc), cfg.setting
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


def no_answer_error(cfg: MySqlConfig) -> StoreError:
    timeouts = cfg.timeouts()
    return StoreError(f"The database server at {cfg.where} did not answer in {timeouts['read_timeout']:g} seconds "
                      f"(connect {timeouts['connect_timeout']:g} s). Check that it is running and not overloaded or "
                      f"paused; the timeouts are DATABASE_CONNECT_TIMEOUT / DATABASE_READ_TIMEOUT / "
                      f"DATABASE_WRITE_TIMEOUT (or the URL's connect_timeout / read_timeout / write_timeout).")


def privileges_error(cfg: MySqlConfig, exc: BaseException) -> StoreError:
    return StoreError(
        f"User {cfg.user!r} lacks the privileges to create the tables in {cfg.database!r} at {cfg.where} "
        f"({short_reason(exc)}). Grant CREATE, ALTER, INDEX, REFERENCES, SELECT, INSERT, UPDATE, DELETE on "
        f"`{cfg.database}`.* to the user, or use another user in {cfg.setting}.")


# ---- server engines -----------------------------------------------------------------------------------------------
@dataclass
class ServerInfo:
    version: str
    is_tidb: bool
    native_vector: bool


class MySqlConnector:
    """pymysql connections with our options (TLS, timeouts, matched-row counts), and the first connection that
    creates the database when it is missing and finds out what kind of server answers."""

    def __init__(self, cfg: MySqlConfig):
        self.cfg = cfg
        self.ssl = ssl_context(cfg)
        self.timeouts = cfg.timeouts()

    def connect(self, database: str | None = "", autocommit: bool = False) -> pymysql.connections.Connection:
        cfg = self.cfg
        return pymysql.connect(
            host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password,
            database=cfg.database if database == "" else database, charset="utf8mb4", autocommit=autocommit,
            client_flag=CLIENT.FOUND_ROWS, ssl=self.ssl, **self.timeouts)

    def probe(self) -> ServerInfo:
        """Connect once (creating the database when it does not exist and the user may), and tell the server kind."""
        conn = self._open_first_connection()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT VERSION()")
                version = str(cur.fetchone()[0])
                try:
                    cur.execute("SELECT VEC_COSINE_DISTANCE('[1,2]', '[1,2]')")
                    cur.fetchall()
                    native = True
                except pymysql.MySQLError:
                    native = False
            return ServerInfo(version, "tidb" in version.lower(), native)
        except pymysql.MySQLError as exc:
            raise connect_error(self.cfg, exc) from None
        finally:
            _close_quietly(conn)

    def _open_first_connection(self) -> pymysql.connections.Connection:
        cfg = self.cfg
        try:
            return self.connect(autocommit=True)
        except pymysql.MySQLError as exc:
            if error_code(exc) != 1049:
                raise connect_error(cfg, exc) from None
        except (OSError, ssl.SSLError) as exc:
            raise connect_error(cfg, exc) from None
        try:
            conn = self.connect(database=None, autocommit=True)
        except (pymysql.MySQLError, OSError) as exc:
            raise connect_error(cfg, exc) from None
        try:
            with conn.cursor() as cur:
                cur.execute(f"CREATE DATABASE IF NOT EXISTS `{cfg.database}` CHARACTER SET utf8mb4")
            conn.select_db(cfg.database)
            return conn
        except pymysql.MySQLError as exc:
            _close_quietly(conn)
            raise StoreError(
                f"The database {cfg.database!r} does not exist on {cfg.where} and user {cfg.user!r} may not create "
                f"it ({short_reason(exc)}). Create it (CREATE DATABASE `{cfg.database}` CHARACTER SET utf8mb4), grant "
                f"CREATE to the user, or name an existing database in {cfg.setting}.") from None

    def engine(self, server: ServerInfo, pool_size: int, pool_timeout: float) -> Engine:
        return create_engine(
            "mysql+pymysql://", creator=self.connect, pool_size=pool_size, max_overflow=0, pool_timeout=pool_timeout,
            pool_pre_ping=True, pool_recycle=3600,
            # fewer gap locks, so concurrent upserts rarely deadlock (retried when they do); TiDB keeps its default
            isolation_level=None if server.is_tidb else "READ COMMITTED")


MIGRATION_TIMEOUT_S = 600.0


@contextlib.contextmanager
def long_statements(conn, seconds: float = MIGRATION_TIMEOUT_S):
    """Longer read/write timeouts on this one pooled connection (a migration: ALTER TABLE on a big table, waiting
    for another instance's migration lock), restored before it goes back to the pool."""
    raw = conn.connection.driver_connection
    before = (raw._read_timeout, raw._write_timeout)
    raw._read_timeout = raw._write_timeout = max(seconds, before[0] or 0, before[1] or 0)
    try:
        yield conn
    finally:
        raw._read_timeout, raw._write_timeout = before


def _close_quietly(conn) -> None:
    if conn is None:
        return
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - already broken
        pass


# ---- SQLite engines -----------------------------------------------------------------------------------------------
_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def sqlite_writer_lock(path: Path) -> threading.Lock:
    """One lock per database file in this process: every store object on the file writes through it."""
    key = str(path.resolve())
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.Lock())


WRITE = "ih_write"     # execution option: this connection's transaction writes (BEGIN IMMEDIATE on SQLite)


def sqlite_engine(path: Path, busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    engine = create_engine(f"sqlite+pysqlite:///{path}", pool_size=8, max_overflow=24, pool_timeout=busy_timeout,
                           connect_args={"check_same_thread": False, "timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None       # the driver issues no BEGIN of its own: _begin below does
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       f"busy_timeout={int(busy_timeout * 1000)}"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE)
                                                  else "BEGIN")

    return engine


def sqlite_open_error(path: Path, exc: BaseException) -> StoreError:
    return StoreError(f"Cannot open the database file {path}: {short_reason(exc)}. "
                      "Check INTERNAL_HIRE_DATA_DIR / --data-dir.")


# ---- retries ------------------------------------------------------------------------------------------------------
def retrying(operation: Callable[[], Any], retries: int, on_give_up: Callable[[BaseException], StoreError],
             pool_busy: Callable[[], StoreError],
             on_timeout: Callable[[BaseException], StoreError] | None = None) -> Any:
    """operation() again after a lost connection, deadlock or write conflict, with bounded exponential back-off;
    a connection that cannot be had back becomes one StoreError. operation must be a whole transaction.
    Not retried: a server that did not answer within its timeout (`on_timeout`), a SQLite file that stayed locked,
    and anything once the chat request's deadline (core.ai.deadline) has no time left for another attempt."""
    attempt = 0
    while True:
        try:
            return operation()
        except sa_exc.TimeoutError:
            raise pool_busy() from None
        except DATABASE_ERRORS as exc:
            if "database is locked" in short_reason(exc):      # SQLite: another process held the file past busy_timeout
                raise pool_busy() from None
            if on_timeout is not None and timed_out(exc):
                raise on_timeout(exc) from None
            budget = request_deadline.current()
            if budget is not None and budget.remaining() < 0.5:
                retries = attempt           # no time left in this request for another attempt
            if is_transient(exc) and attempt < retries:
                attempt += 1
                delay = min(2.0, 0.05 * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                log.info("database: %s; retry %d/%d in %.2f s", short_reason(exc), attempt, retries, delay)
                time.sleep(delay)
                continue
            if is_transient(exc) and is_connection_error(exc):
                raise on_give_up(exc) from None
            raise
