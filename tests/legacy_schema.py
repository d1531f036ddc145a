"""A frozen copy of the hand-written schema (versions 1-5) of Internal Hire before SQLAlchemy and Alembic, exactly as
core/storage/sqlite_store.py and core/storage/mysql_store.py declared and applied it (versions 1-4 at commit
2711edc, version 5 — the fairness work's demographics — at 8999bb1), so tests can
build the databases that release left behind: tests/contract/test_legacy_upgrade.py upgrades them and checks that
every row survives. Never edit the DDL here: it is a record of what is out there. A later hand-migrated version (a
branch that still used the old stores) is appended as its own entry.

No project imports, so the same module can build databases with the old release's code on the path.
"""
from __future__ import annotations

import sqlite3

SQLITE_MIGRATIONS: list[str] = [
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

_TABLE = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"

# Each migration is a list of idempotent statements (MySQL DDL is not transactional, so a half-applied step must be
# safe to run again). Ids compare exactly (utf8mb4_bin); email and display name case-insensitively, like SQLite's
# NOCASE lookups.
MYSQL_MIGRATIONS: list[tuple[str, list[str]]] = [
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
MYSQL_MIGRATIONS_TABLE = f"""CREATE TABLE IF NOT EXISTS schema_migrations (
    `version` INT NOT NULL PRIMARY KEY, `description` VARCHAR(255) NOT NULL, `applied_at` VARCHAR(64) NOT NULL
) {_TABLE}"""


def build_sqlite(path, version: int = 4) -> None:
    """A SQLite file at `version`, migrated the way SqliteStore.migrate() did: one transaction per step, then
    PRAGMA user_version."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    for number in range(1, version + 1):
        conn.execute("BEGIN IMMEDIATE")
        for statement in SQLITE_MIGRATIONS[number - 1].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    conn.close()


def build_mysql(conn, version: int = 4) -> None:
    """A MySQL/MariaDB/TiDB database at `version` (on an autocommit pymysql connection to it), migrated the way
    MySqlStore.migrate() did: the schema_migrations table, each step's statements, then its row."""
    with conn.cursor() as cur:
        cur.execute(MYSQL_MIGRATIONS_TABLE)
        for number in range(1, version + 1):
            description, statements = MYSQL_MIGRATIONS[number - 1]
            for statement in statements:
                cur.execute(statement)
            cur.execute("INSERT INTO schema_migrations (`version`, `description`, `applied_at`) VALUES (%s, %s, %s)",
                        (number, description, "2026-11-30T00:00:00+00:00"))


def sqlite_schema(path) -> dict:
    """Every table's columns, indexes and foreign keys as SQLite reports them (PRAGMA), to compare two files."""
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
                                             "('sqlite_sequence', 'alembic_version') ORDER BY name")]
        out = {}
        for table in tables:
            indexes = {}
            for _, name, unique, origin, _partial in conn.execute(f"PRAGMA index_list('{table}')"):
                key = name if not name.startswith("sqlite_autoindex") else f"auto:{origin}"
                cols = [(r[2], r[4]) for r in conn.execute(f"PRAGMA index_xinfo('{name}')") if r[5]]
                indexes[key] = (unique, tuple(cols))
            out[table] = {
                "columns": [(r[1], r[2].upper(), r[3], None if r[4] is None else str(r[4]).strip("'"), r[5])
                            for r in conn.execute(f"PRAGMA table_info('{table}')")],
                "indexes": indexes,
                "foreign_keys": [r[2:] for r in conn.execute(f"PRAGMA foreign_key_list('{table}')")],
                "autoincrement": "AUTOINCREMENT" in (conn.execute(
                    "SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or "").upper(),
            }
        return out
    finally:
        conn.close()


def mysql_schema(conn, database: str) -> dict:
    """Every table's columns (type, nullability, default, collation), indexes, foreign keys and table collation as
    information_schema reports them, to compare two databases."""
    out: dict = {}
    with conn.cursor() as cur:
        cur.execute("SELECT table_name, table_collation, engine FROM information_schema.tables WHERE table_schema = %s "
                    "AND table_name NOT IN ('alembic_version', 'schema_migrations')", (database,))
        for name, collation, engine in cur.fetchall():
            out[name] = {"table": (collation, engine), "columns": [], "indexes": [], "foreign_keys": []}
        cur.execute("SELECT table_name, column_name, column_type, is_nullable, column_default, collation_name, extra "
                    "FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, ordinal_position",
                    (database,))
        for table, *column in cur.fetchall():
            if table in out:
                out[table]["columns"].append(tuple(column))
        cur.execute("SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part "
                    "FROM information_schema.statistics WHERE table_schema = %s "
                    "ORDER BY table_name, index_name, seq_in_index", (database,))
        for table, *index in cur.fetchall():
            if table in out:
                out[table]["indexes"].append(tuple(index))
        cur.execute("SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, "
                    "k.referenced_column_name, r.delete_rule FROM information_schema.key_column_usage k JOIN "
                    "information_schema.referential_constraints r ON r.constraint_schema = k.table_schema AND "
                    "r.constraint_name = k.constraint_name WHERE k.table_schema = %s", (database,))
        for table, *fk in cur.fetchall():
            if table in out:
                out[table]["foreign_keys"].append(tuple(fk))
    return out
