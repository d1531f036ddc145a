"""Bad MySQL/TiDB configuration gives one clear StoreError naming the setting to fix, never a traceback."""
from __future__ import annotations

import socket
import uuid

import pymysql
import pytest

from bot.adapters.storage import SqlStore
from bot.adapters.storage import connection as cx
from core.errors import StoreError
from tests.contract.test_store_contract import MARIADB_URL, server_unreachable, with_database


def assert_clear(exc: StoreError, *words: str) -> str:
    message = str(exc)
    assert "DATABASE_URL" in message or "TIDB_DSN" in message
    for word in words:
        assert word in message, message
    assert "Traceback" not in message and 'File "' not in message and "\n" not in message
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)   # no chained traceback
    return message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mariadb():
    why = server_unreachable(MARIADB_URL)
    if why:
        pytest.skip(f"MariaDB unreachable at {MARIADB_URL} ({why})")
    cfg = cx.parse_url(MARIADB_URL)
    return cfg


def admin(cfg, *statements):
    conn = pymysql.connect(host=cfg.host, port=cfg.port, user=cfg.user, password=cfg.password, autocommit=True)
    try:
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
    finally:
        conn.close()


# ---- URLs that cannot be right ------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, words", [
    ("", ("empty",)),
    ("postgres://user@db.example/hr", ("not a MySQL", "postgres")),
    ("127.0.0.1:3306/db", ("not a MySQL",)),
    ("mysql://root@127.0.0.1:port/db", ("port",)),
    ("mysql://root@/db", ("host",)),
    ("mysql://root@127.0.0.1:3306/bad`name", ("database",)),
    ("mysql://root@127.0.0.1:3306/db?sslca=/x.pem", ("unknown option", "sslca")),
    ("mysql://root@127.0.0.1:3306/db?ssl_ca=/no/such/ca.pem", ("ssl_ca",)),
    ("mysql://root@127.0.0.1:3306/db?ssl_verify_identity=maybe", ("ssl_verify_identity",)),
    ("mysql://root@127.0.0.1:3306/db?connect_timeout=soon", ("connect_timeout",)),
    ("mysql://root@127.0.0.1:3306/db?charset=latin1", ("utf8mb4",)),
])
def test_bad_url_names_database_url(url, words):
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(url)
    assert_clear(exc.value, "DATABASE_URL", *words)


def test_unreachable_port():
    port = free_port()
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(f"mysql://root:secret-pw@127.0.0.1:{port}/ih", connect_timeout=2)
    message = assert_clear(exc.value, "DATABASE_URL", f"127.0.0.1:{port}", "Cannot reach")
    assert "secret-pw" not in message


def test_tidb_urls_name_tidb_dsn_and_the_setting_can_be_named():
    port = free_port()
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(f"tidb://root@127.0.0.1:{port}/ih")
    assert_clear(exc.value, "TIDB_DSN")
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(f"mysql://root@127.0.0.1:{port}/ih", setting="TIDB_DSN")
    assert_clear(exc.value, "TIDB_DSN")


def test_tls_options_from_url_or_keywords():
    cfg = cx.parse_url("mysql://u:p@h:4000/db?ssl_verify_identity=true&ssl_ca=/a.pem", ssl_ca=None)
    assert cfg.options["ssl_ca"] == "/a.pem" and cfg.options["ssl_verify_identity"] == "true"
    cfg = cx.parse_url("mysql+pymysql://u:p%40ss@h/db", ssl_verify_identity=True)
    assert (cfg.password, cfg.port, cfg.options["ssl_verify_identity"]) == ("p@ss", 3306, True)
    ctx = cx.ssl_context(cfg)
    assert ctx is not None and ctx.check_hostname
    assert cx.ssl_context(cx.parse_url("mysql://u@h/db")) is None
    assert cx.ssl_context(cx.parse_url("tidb://u@gw.us-east-1.prod.aws.tidbcloud.com/db")) \
        .check_hostname                                           # TiDB Cloud needs TLS: on by default
    assert cx.parse_url("tidb://u@h/db").port == 4000


# ---- a real server refusing ---------------------------------------------------------------------------------------
def test_wrong_password(mariadb):
    url = f"mysql://{mariadb.user}:definitely-wrong@{mariadb.host}:{mariadb.port}/ih_never"
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(url)
    message = assert_clear(exc.value, "DATABASE_URL", "password")
    assert "definitely-wrong" not in message


@pytest.fixture
def low_user(mariadb):
    user, password = f"ih_low_{uuid.uuid4().hex[:8]}", "pw-" + uuid.uuid4().hex[:8]
    database = f"ih_test_{uuid.uuid4().hex[:12]}"
    admin(mariadb, f"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'",
          f"CREATE USER '{user}'@'localhost' IDENTIFIED BY '{password}'",
          f"CREATE DATABASE `{database}`")
    yield user, password, database
    admin(mariadb, f"DROP USER IF EXISTS '{user}'@'%'", f"DROP USER IF EXISTS '{user}'@'localhost'",
          f"DROP DATABASE IF EXISTS `{database}`")


def test_user_who_may_not_create_the_database(mariadb, low_user):
    user, password, _ = low_user
    with pytest.raises(StoreError) as exc:
        SqlStore.from_url(f"mysql://{user}:{password}@{mariadb.host}:{mariadb.port}/ih_not_there_{user}")
    assert_clear(exc.value, "DATABASE_URL", "CREATE DATABASE")


def test_user_without_table_privileges(mariadb, low_user):
    user, password, database = low_user
    admin(mariadb, f"GRANT SELECT ON `{database}`.* TO '{user}'@'%'",
          f"GRANT SELECT ON `{database}`.* TO '{user}'@'localhost'")
    store = SqlStore.from_url(f"mysql://{user}:{password}@{mariadb.host}:{mariadb.port}/{database}")
    try:
        with pytest.raises(StoreError) as exc:
            store.migrate()
        assert_clear(exc.value, "DATABASE_URL", "privileges", "Grant")
    finally:
        store.close()


def test_the_database_is_created_when_missing_and_lost_connections_are_retried(mariadb):
    database = f"ih_test_{uuid.uuid4().hex[:12]}"
    store = SqlStore.from_url(with_database(MARIADB_URL, database))
    try:
        store.migrate()
        assert store.schema_version() == SqlStore.target_schema_version and store.count_employees() == 0
        # Kill every session of the store behind its back: the next calls reconnect and succeed.
        conn = pymysql.connect(host=mariadb.host, port=mariadb.port, user=mariadb.user, password=mariadb.password,
                               autocommit=True)
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
                        (database,))
            ids = [r[0] for r in cur.fetchall()]
            assert ids
            for pid in ids:
                cur.execute(f"KILL {int(pid)}")
        conn.close()
        assert store.count_employees() == 0
        store.add_audit("M1", "search", "q", [])
        with store.transaction():
            store.set_meta("k", "v")
        assert store.get_meta("k") == "v" and len(store.list_audit()) == 1
    finally:
        store.drop_database()
