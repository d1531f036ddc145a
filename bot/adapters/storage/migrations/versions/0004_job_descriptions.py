"""Schema 4 (the baseline: the last schema the hand-written migrations made): job descriptions. Companies, past
postings, document sections, prepared drafts, JD records with versions and decisions, internal openings, and the
durable background job queue (times in epoch seconds).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "companies",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("name", t.text(), nullable=False),
        sa.Column("data", t.long_text(), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False))
    h.create_table(
        "postings",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("company_id", t.key(191), nullable=False),
        sa.Column("family", t.key(32), nullable=False),
        sa.Column("level", t.key(16), nullable=False),
        sa.Column("posted_at", t.key(32), nullable=False),
        sa.Column("data", t.long_text(), nullable=False),
        sa.Column("content_hash", t.key(64), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False),
        indexes=(("postings_company", ["company_id", "family", "level"]),))
    h.create_table(
        "company_docs",
        sa.Column("company_id", t.key(191), primary_key=True),
        sa.Column("doc_id", t.key(191), primary_key=True),
        sa.Column("chunk_no", t.integer(), primary_key=True, autoincrement=False),
        sa.Column("title", t.text(), nullable=False),
        sa.Column("heading", t.text(), nullable=False),
        sa.Column("text", t.long_text(), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False))
    h.create_table(
        "prepared",
        sa.Column("company_id", t.key(191), primary_key=True),
        sa.Column("family", t.key(32), primary_key=True),
        sa.Column("level", t.key(16), primary_key=True),
        sa.Column("payload", t.long_text(), nullable=False),
        sa.Column("source_hash", t.key(64), nullable=False),
        sa.Column("built_at", t.key(64), nullable=False))
    h.create_table(
        "jds",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("company_id", t.key(191), nullable=False),
        sa.Column("family", t.key(32), nullable=False),
        sa.Column("level", t.key(16), nullable=False),
        sa.Column("title", t.text(), nullable=False),
        sa.Column("status", t.key(32), nullable=False),
        sa.Column("version", t.integer(), nullable=False),
        sa.Column("draft", t.long_text(), nullable=False),
        sa.Column("owner_id", t.key(), nullable=False),
        sa.Column("origin", t.long_text(), nullable=False),
        sa.Column("created_at", t.key(64), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False),
        indexes=(("jds_status", ["status", "updated_at"]), ("jds_owner", ["owner_id"])))
    h.create_table(
        "jd_versions",
        sa.Column("jd_id", t.key(191), primary_key=True),
        sa.Column("version", t.integer(), primary_key=True, autoincrement=False),
        sa.Column("draft", t.long_text(), nullable=False),
        sa.Column("editor_id", t.key(), nullable=False),
        sa.Column("note", t.text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False))
    h.create_table(
        "jd_decisions",
        sa.Column("id", t.row_id(), primary_key=True, autoincrement=True),
        sa.Column("jd_id", t.key(191), nullable=False),
        sa.Column("version", t.integer(), nullable=False),
        sa.Column("actor_id", t.key(), nullable=False),
        sa.Column("action", t.key(32), nullable=False),
        sa.Column("from_status", t.key(32), nullable=False),
        sa.Column("to_status", t.key(32), nullable=False),
        sa.Column("reason", t.text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        indexes=(("jd_decisions_jd", ["jd_id"]),),
        sqlite_autoincrement=True, info={"tidb_auto_id_cache": 1})
    h.create_table(
        "openings",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("jd_id", t.key(191), nullable=False),
        sa.Column("company_id", t.key(191), nullable=False),
        sa.Column("family", t.key(32), nullable=False),
        sa.Column("level", t.key(16), nullable=False),
        sa.Column("title", t.text(), nullable=False),
        sa.Column("status", t.key(16), nullable=False),
        sa.Column("opened_by", t.key(), nullable=False),
        sa.Column("opened_at", t.key(64), nullable=False),
        sa.Column("closed_at", t.key(64), nullable=False),
        sa.UniqueConstraint("jd_id", name="openings_jd"))
    sqlite = h.is_sqlite()
    h.create_table(
        "jobs",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("kind", t.key(64), nullable=False),
        sa.Column("payload", t.long_text(), nullable=False),
        sa.Column("requester", t.key(), nullable=False),
        sa.Column("status", t.key(16), nullable=False),
        sa.Column("attempts", t.integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("max_attempts", t.integer(), nullable=False),
        sa.Column("lease_owner", t.key(), nullable=False, server_default=""),
        sa.Column("lease_until", t.seconds(), nullable=False, server_default=sa.text("0")),
        sa.Column("available_at", t.seconds(), nullable=False),
        sa.Column("created_at", t.seconds(), nullable=False),
        sa.Column("started_at", t.seconds()),
        sa.Column("finished_at", t.seconds()),
        sa.Column("result", t.long_text()),
        # MySQL before 8.0.13 cannot default a TEXT column: there the store always writes it
        sa.Column("error", t.text(), nullable=not sqlite, server_default="" if sqlite else None),
        sa.Column("progress", t.long_text()),
        sa.Column("notified", t.flag(), nullable=False, server_default=sa.text("0")),
        indexes=(("jobs_status", ["status", "created_at"]), ("jobs_notify", ["notified", "status"])))


def downgrade() -> None:
    for name in ("jobs", "openings", "jd_decisions", "jd_versions", "jds", "prepared", "company_docs", "postings",
                 "companies"):
        h.drop_table(name)
