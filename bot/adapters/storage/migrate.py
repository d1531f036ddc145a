"""Schema migrations with Alembic, run programmatically (at start and by `internal-hire db migrate`).

Revision ids are the schema version numbers ("0001" … "0004", then every later revision), so `db status` keeps
speaking of schema versions. Databases from before Alembic carry their hand-migrated version instead (SQLite:
`PRAGMA user_version`; servers: the `schema_migrations` table); they are stamped at that revision — 0004, the
baseline, for the last such release — and upgraded from there. After every upgrade those legacy markers are set to the
new version too, so an older Internal Hire refuses the database ("newer than this version understands") instead of
misreading it.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SCRIPT_LOCATION = Path(__file__).parent / "migrations"

# Alembic (and Mako, which it imports) is loaded only to migrate: a start whose schema is current reads the revision
# with one query and the revision ids from the files' headers (a cold `internal-hire search` saves ~0.3 CPU-s).


def _config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = connection
    return cfg


@functools.cache
def scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


_REVISION = re.compile(r"""^revision\s*=\s*["']([^"']+)["']""", re.M)
_DOWN = re.compile(r"""^down_revision\s*=\s*(?:["']([^"']+)["']|None)\s*$""", re.M)


@functools.cache
def _revision_files() -> dict[str, str | None] | None:
    """{revision: down_revision} read from the revision files' headers, or None when a header is not the plain
    form (a merge revision, say): then Alembic itself is asked."""
    found: dict[str, str | None] = {}
    for path in (SCRIPT_LOCATION / "versions").glob("*.py"):
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            return None
        found[revision.group(1)] = down.group(1)
    return found or None


def _single_head() -> str | None:
    files = _revision_files()
    if files is None:
        return None
    heads = set(files) - {d for d in files.values() if d}
    return heads.pop() if len(heads) == 1 else None


def version_of(revision: str) -> int | None:
    head = revision.split("_", 1)[0]
    return int(head) if head.isdigit() else None


def revision_of(version: int) -> str:
    return f"{version:04d}"


def head_version() -> int:
    head = _single_head()
    version = version_of(head) if head else None
    return version if version is not None else version_of(scripts().get_current_head())


def _current_heads(conn: sa.Connection) -> list[str] | None:
    """The revisions in alembic_version, read with one query (None: ask Alembic)."""
    try:
        if conn.dialect.name == "sqlite":
            exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                          "name = 'alembic_version'").scalar() is not None
        else:
            exists = sa.inspect(conn).has_table("alembic_version")
        if not exists:
            return []
        return [str(r) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()]
    except sa.exc.SQLAlchemyError:
        return None


@dataclass(frozen=True)
class SchemaState:
    version: int                 # 0: an empty database
    revision: str | None         # the Alembic revision; None before Alembic managed it
    known: bool                  # this code can work with (and migrate) it

    @property
    def legacy(self) -> bool:
        return self.revision is None and self.version > 0


def read_state(conn: sa.Connection) -> SchemaState:
    """Where the database is. A legacy marker ahead of the Alembic revision means an older-style Internal Hire with
    a newer schema migrated it since: refused like any schema newer than this code."""
    legacy = legacy_version(conn)
    heads = _current_heads(conn)
    if heads is None:
        from alembic.runtime.migration import MigrationContext

        heads = list(MigrationContext.configure(conn).get_current_heads())
    if not heads:
        return SchemaState(legacy, None, legacy <= head_version())
    revision = heads[0]
    files = _revision_files()
    if len(heads) == 1 and files is not None and revision in files:
        known = True
    else:
        try:
            known = len(heads) == 1 and scripts().get_revision(revision) is not None
        except Exception:  # noqa: BLE001 - alembic: "Can't locate revision"
            known = False
    version = version_of(revision)
    version = head_version() + 1 if version is None or not known and version <= head_version() else version
    return SchemaState(max(version, legacy), revision, known and legacy <= head_version())


def legacy_version(conn: sa.Connection) -> int:
    if conn.dialect.name == "sqlite":
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    if not sa.inspect(conn).has_table("schema_migrations"):
        return 0
    return int(conn.exec_driver_sql("SELECT MAX(version) FROM schema_migrations").scalar() or 0)


def _mark_legacy_version(conn: sa.Connection, version: int) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
        return
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS schema_migrations (`version` INT NOT NULL PRIMARY KEY, "
                         "`description` VARCHAR(255) NOT NULL, `applied_at` VARCHAR(64) NOT NULL) "
                         "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin")
    known = {int(v) for v in conn.exec_driver_sql("SELECT version FROM schema_migrations").scalars()}
    from bot.adapters.storage.store import now_iso

    for number in range(1, version + 1):
        if number not in known:
            doc = (scripts().get_revision(revision_of(number)).doc or "").split(":", 1)[-1].split(".")[0].strip()
            conn.execute(sa.text("INSERT INTO schema_migrations (version, description, applied_at) VALUES "
                                 "(:v, :d, :at)"), {"v": number, "d": doc[:255], "at": now_iso()})


def upgrade(conn: sa.Connection) -> tuple[SchemaState, SchemaState]:
    """Bring the database to the newest revision; (state before, state after). The caller holds the connection in a
    transaction (SQLite: all of it commits together) and checks for a schema that is too new first."""
    from alembic import command

    before = read_state(conn)
    cfg = _config(conn)
    if before.legacy:
        command.stamp(cfg, revision_of(before.version))
    command.upgrade(cfg, "head")
    _mark_legacy_version(conn, head_version())
    return before, read_state(conn)


def server_lock_name(database: str) -> str:
    """A GET_LOCK name per database, so two instances starting together migrate one after the other."""
    return "ih_migrate_" + hashlib.sha1(database.encode()).hexdigest()[:20]
