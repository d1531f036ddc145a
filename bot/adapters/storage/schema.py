"""Every table, once, as SQLAlchemy Core metadata: what the queries in store.py are written against. The migrations
(migrations/versions) create and change the real tables; tests/contract/test_migrations.py checks that a migrated
database has exactly these tables and columns, on SQLite and on a MySQL-protocol server.

Ids compare exactly; e-mail and display name without regard to case (utf8mb4_general_ci on servers, NOCASE in
SQLite queries). Times are ISO-8601 text, except the job queue's epoch seconds.
"""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, MetaData, Table, UniqueConstraint
from sqlalchemy import text as sql

from bot.adapters.storage.coltypes import (MYSQL_TABLE, blob, counter, flag, integer, key, key_ci, long_text,
                                           row_id, seconds, text, text_ci)

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", key(191), primary_key=True),
    Column("value", text(), nullable=False),
    **MYSQL_TABLE)

employees = Table(
    "employees", metadata,
    Column("id", key(), primary_key=True),
    Column("display_name", text_ci(), nullable=False),
    Column("email", key_ci()),
    Column("slack_user_id", key()),
    Column("teams_user_id", key()),
    Column("department", text()),
    Column("title", text()),
    Column("level", text()),
    Column("location", text()),
    Column("role", key(64), nullable=False),
    Column("open_to_moves", flag(), nullable=False),
    Column("languages", text()),
    Column("resume_text", long_text()),
    Column("skills", long_text()),
    Column("updated_at", key()),
    Column("resume_hash", key()),
    Column("terms", long_text()),
    Column("profile_words", integer(), nullable=False, server_default=sql("0")),
    Column("details", long_text()),
    Column("mentor", flag(), nullable=False, server_default=sql("0")),
    Index("employees_slack", "slack_user_id"),
    Index("employees_teams", "teams_user_id"),
    **MYSQL_TABLE)
# employees_email: on (email) on servers, on (email COLLATE NOCASE) in SQLite; made by the migrations.

embeddings = Table(
    "embeddings", metadata,
    Column("employee_id", key(), ForeignKey("employees.id", ondelete="CASCADE", name="embeddings_employee"),
           primary_key=True),
    Column("model", key(), nullable=False),
    Column("dim", integer(), nullable=False),
    Column("vector", blob(), nullable=False),
    # The profile's language-neutral summary, embedded by the same model (core/matching/bridge.py); schema 6.
    Column("summary_vector", blob()),
    # TiDB only: `embedding VECTOR(D)` mirrors the blobs of one dimension D for the HNSW index (native_vectors.py).
    **MYSQL_TABLE)

audit_log = Table(
    "audit_log", metadata,
    Column("id", row_id(), primary_key=True, autoincrement=True),
    Column("at", key(64), nullable=False),
    Column("actor_id", key(), nullable=False),
    Column("action", key(), nullable=False),
    Column("query", long_text(), nullable=False),
    Column("shown_ids", long_text(), nullable=False),
    Column("details", long_text(), nullable=False),
    Index("audit_log_at", "at"),
    sqlite_autoincrement=True, info={"tidb_auto_id_cache": 1}, **MYSQL_TABLE)

shortlists = Table(
    "shortlists", metadata,
    Column("owner_id", key(), primary_key=True),
    Column("employee_id", key(), primary_key=True),
    Column("note", text()),
    Column("at", key(64), nullable=False),
    Index("shortlists_at", "at"),
    **MYSQL_TABLE)

searches = Table(
    "searches", metadata,
    Column("id", key(), primary_key=True),
    Column("actor_id", key(), nullable=False),
    Column("query", long_text(), nullable=False),
    Column("filters", long_text(), nullable=False),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

conversation_refs = Table(
    "conversation_refs", metadata,
    Column("platform", key(32), primary_key=True),
    Column("user_key", key(), primary_key=True),
    Column("reference", long_text(), nullable=False),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

leases = Table(
    "leases", metadata,
    Column("name", key(191), primary_key=True),
    Column("holder", key(), nullable=False),
    Column("expires_at", seconds(), nullable=False),
    **MYSQL_TABLE)

digest_sends = Table(
    "digest_sends", metadata,
    Column("person_id", key(), primary_key=True),
    Column("week", key(16), primary_key=True),
    Column("at", key(64), nullable=False),
    # schema 12: claimed -> sent (or failed / unreachable, retried later); a claim expires at claimed_until
    Column("status", key(16), nullable=False, server_default="sent"),
    Column("holder", key(), nullable=True),
    Column("claimed_until", seconds(), nullable=True),
    Column("attempts", integer(), nullable=False, server_default="0"),
    Column("error", key(), nullable=True),
    **MYSQL_TABLE)

digest_opt_outs = Table(
    "digest_opt_outs", metadata,
    Column("person_id", key(), primary_key=True),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

deliveries = Table(
    "deliveries", metadata,
    Column("key", key(191), primary_key=True),
    Column("holder", key(), nullable=False),
    Column("expires_at", seconds(), nullable=False),
    Index("deliveries_expires_at", "expires_at"),
    **MYSQL_TABLE)

schedule_runs = Table(
    "schedule_runs", metadata,
    Column("job", key(128), primary_key=True),
    Column("slot", key(32), primary_key=True),
    Column("holder", key(), nullable=False),
    Column("status", key(16), nullable=False),
    Column("started_at", seconds(), nullable=False),
    Column("finished_at", seconds()),
    Index("schedule_runs_started_at", "started_at"),
    **MYSQL_TABLE)

drafts = Table(
    "drafts", metadata,
    Column("id", key(191), primary_key=True),
    Column("owner_id", key(), nullable=False),
    Column("kind", key(64), nullable=False),
    Column("payload", long_text(), nullable=False),
    Column("at", key(64), nullable=False),
    Index("drafts_owner", "owner_id"),
    **MYSQL_TABLE)

ai_usage = Table(
    "ai_usage", metadata,
    Column("day", key(10), primary_key=True),
    Column("model", key(128), primary_key=True),
    Column("task", key(64), primary_key=True),
    Column("calls", counter(), nullable=False),
    Column("cache_hits", counter(), nullable=False),
    Column("prompt_tokens", counter(), nullable=False),
    Column("output_tokens", counter(), nullable=False),
    **MYSQL_TABLE)

companies = Table(
    "companies", metadata,
    Column("id", key(191), primary_key=True),
    Column("name", text(), nullable=False),
    Column("data", long_text(), nullable=False),
    Column("updated_at", key(64), nullable=False),
    **MYSQL_TABLE)

postings = Table(
    "postings", metadata,
    Column("id", key(191), primary_key=True),
    Column("company_id", key(191), nullable=False),
    Column("family", key(32), nullable=False),
    Column("level", key(16), nullable=False),
    Column("posted_at", key(32), nullable=False),
    Column("data", long_text(), nullable=False),
    Column("content_hash", key(64), nullable=False),
    Column("updated_at", key(64), nullable=False),
    Index("postings_company", "company_id", "family", "level"),
    **MYSQL_TABLE)

company_docs = Table(
    "company_docs", metadata,
    Column("company_id", key(191), primary_key=True),
    Column("doc_id", key(191), primary_key=True),
    Column("chunk_no", integer(), primary_key=True, autoincrement=False),
    Column("title", text(), nullable=False),
    Column("heading", text(), nullable=False),
    Column("text", long_text(), nullable=False),
    Column("updated_at", key(64), nullable=False),
    **MYSQL_TABLE)

prepared = Table(
    "prepared", metadata,
    Column("company_id", key(191), primary_key=True),
    Column("family", key(32), primary_key=True),
    Column("level", key(16), primary_key=True),
    Column("payload", long_text(), nullable=False),
    Column("source_hash", key(64), nullable=False),
    Column("built_at", key(64), nullable=False),
    **MYSQL_TABLE)

jds = Table(
    "jds", metadata,
    Column("id", key(191), primary_key=True),
    Column("company_id", key(191), nullable=False),
    Column("family", key(32), nullable=False),
    Column("level", key(16), nullable=False),
    Column("title", text(), nullable=False),
    Column("status", key(32), nullable=False),
    Column("version", integer(), nullable=False),
    Column("draft", long_text(), nullable=False),
    Column("owner_id", key(), nullable=False),
    Column("origin", long_text(), nullable=False),
    Column("created_at", key(64), nullable=False),
    Column("updated_at", key(64), nullable=False),
    Index("jds_status", "status", "updated_at"),
    Index("jds_owner", "owner_id"),
    **MYSQL_TABLE)

jd_versions = Table(
    "jd_versions", metadata,
    Column("jd_id", key(191), primary_key=True),
    Column("version", integer(), primary_key=True, autoincrement=False),
    Column("draft", long_text(), nullable=False),
    Column("editor_id", key(), nullable=False),
    Column("note", text(), nullable=False),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

jd_decisions = Table(
    "jd_decisions", metadata,
    Column("id", row_id(), primary_key=True, autoincrement=True),
    Column("jd_id", key(191), nullable=False),
    Column("version", integer(), nullable=False),
    Column("actor_id", key(), nullable=False),
    Column("action", key(32), nullable=False),
    Column("from_status", key(32), nullable=False),
    Column("to_status", key(32), nullable=False),
    Column("reason", text(), nullable=False),
    Column("at", key(64), nullable=False),
    Index("jd_decisions_jd", "jd_id"),
    sqlite_autoincrement=True, info={"tidb_auto_id_cache": 1}, **MYSQL_TABLE)

openings = Table(
    "openings", metadata,
    Column("id", key(191), primary_key=True),
    Column("jd_id", key(191), nullable=False),
    Column("company_id", key(191), nullable=False),
    Column("family", key(32), nullable=False),
    Column("level", key(16), nullable=False),
    Column("title", text(), nullable=False),
    Column("status", key(16), nullable=False),
    Column("opened_by", key(), nullable=False),
    Column("opened_at", key(64), nullable=False),
    Column("closed_at", key(64), nullable=False),
    UniqueConstraint("jd_id", name="openings_jd"),
    **MYSQL_TABLE)

jobs = Table(
    "jobs", metadata,
    Column("id", key(191), primary_key=True),
    Column("kind", key(64), nullable=False),
    Column("payload", long_text(), nullable=False),
    Column("requester", key(), nullable=False),
    Column("status", key(16), nullable=False),
    Column("attempts", integer(), nullable=False, server_default=sql("0")),
    Column("max_attempts", integer(), nullable=False),
    Column("lease_owner", key(), nullable=False, server_default=""),
    Column("lease_until", seconds(), nullable=False, server_default=sql("0")),
    Column("available_at", seconds(), nullable=False),
    Column("created_at", seconds(), nullable=False),
    Column("started_at", seconds()),
    Column("finished_at", seconds()),
    Column("result", long_text()),
    Column("error", text()),           # NOT NULL DEFAULT '' in SQLite; servers cannot default TEXT everywhere
    Column("progress", long_text()),
    Column("notified", flag(), nullable=False, server_default=sql("0")),
    Index("jobs_status", "status", "created_at"),
    Index("jobs_notify", "notified", "status"),
    **MYSQL_TABLE)

# HR's self-reported demographics for the impact-ratio report (schema 5): apart from profiles, never read by matching.
demographics = Table(
    "demographics", metadata,
    Column("employee_id", key(), primary_key=True),
    Column("category", key(64), primary_key=True),
    Column("value", key(), nullable=False),
    Column("imported_at", key(64), nullable=False),
    Column("imported_by", key(), nullable=False),
    **MYSQL_TABLE)

# Employees and internal openings (schema 7): interest with consent, "not for me", alert opt-ins and the alert job's
# once-only markers (core/openings.py).
opening_interests = Table(
    "opening_interests", metadata,
    Column("opening_id", key(191), primary_key=True),
    Column("employee_id", key(), primary_key=True),
    Column("state", key(16), nullable=False),          # interested / withdrawn / dismissed
    Column("at", key(64), nullable=False),
    Column("updated_at", key(64), nullable=False),
    Column("closed_told", flag(), nullable=False, server_default=sql("0")),
    Index("opening_interests_employee", "employee_id"),
    **MYSQL_TABLE)

alert_subscriptions = Table(
    "alert_subscriptions", metadata,
    Column("employee_id", key(), primary_key=True),
    Column("enabled", flag(), nullable=False),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

opening_alerts = Table(
    "opening_alerts", metadata,
    Column("opening_id", key(191), primary_key=True),
    Column("employee_id", key(), primary_key=True),
    Column("day", key(10), nullable=False),
    Column("at", key(64), nullable=False),
    Index("opening_alerts_employee", "employee_id"),
    **MYSQL_TABLE)

alert_days = Table(
    "alert_days", metadata,
    Column("employee_id", key(), primary_key=True),
    Column("day", key(10), primary_key=True),
    Column("openings", long_text(), nullable=False),
    Column("at", key(64), nullable=False),
    **MYSQL_TABLE)

# The people-search index's change feed (schema 9): one row per profile write, read by running indexes to apply just
# the changed profiles (core/matching/refresh.py); "*" stands for every profile.
index_changes = Table(
    "index_changes", metadata,
    Column("seq", row_id(), primary_key=True, autoincrement=True),
    Column("employee_id", key(), nullable=False),
    **MYSQL_TABLE)

# The feedback loop (schema 11): 👍/👎 per presser, item ("person" / "opening") and search (a people search's id; ""
# for an opening, judged against the presser's own profile), and the outcomes HR records (core/feedback.py).
feedback_votes = Table(
    "feedback_votes", metadata,
    Column("presser_id", key(191), primary_key=True),
    Column("item_kind", key(16), primary_key=True),
    Column("item_id", key(191), primary_key=True),
    Column("search_id", key(64), primary_key=True),
    Column("query", long_text(), nullable=False),
    Column("vote", key(8), nullable=False),               # up / down
    Column("platform", key(32), nullable=False),
    Column("at", key(64), nullable=False),                # the first press
    Column("updated_at", key(64), nullable=False),        # the latest change
    Index("feedback_votes_updated", "updated_at"),
    **MYSQL_TABLE)

mobility_outcomes = Table(
    "mobility_outcomes", metadata,
    Column("employee_id", key(191), primary_key=True),
    Column("opening_id", key(191), primary_key=True),
    Column("kind", key(16), primary_key=True),            # approved / moved
    Column("recorded_by", key(), nullable=False),
    Column("via", key(32), nullable=False),               # command / button / cli
    Column("at", key(64), nullable=False),
    Index("mobility_outcomes_at", "at"),
    **MYSQL_TABLE)
