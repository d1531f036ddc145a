"""Schema 1: employees, embeddings, audit log, shortlists, saved searches.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table("meta",
                   sa.Column("key", t.key(191), primary_key=True),
                   sa.Column("value", t.text(), nullable=False))
    h.create_table(
        "employees",
        sa.Column("id", t.key(), primary_key=True),
        sa.Column("display_name", t.text_ci(), nullable=False),
        sa.Column("email", t.key_ci()),
        sa.Column("slack_user_id", t.key()),
        sa.Column("teams_user_id", t.key()),
        sa.Column("department", t.text()),
        sa.Column("title", t.text()),
        sa.Column("level", t.text()),
        sa.Column("location", t.text()),
        sa.Column("role", t.key(64), nullable=False),
        sa.Column("open_to_moves", t.flag(), nullable=False),
        sa.Column("languages", t.text()),
        sa.Column("resume_text", t.long_text()),
        sa.Column("skills", t.long_text()),
        sa.Column("updated_at", t.key()),
        sa.Column("resume_hash", t.key()),
        sa.Column("terms", t.long_text()),
        sa.Column("profile_words", t.integer(), nullable=False, server_default=sa.text("0")),
        # e-mail is looked up without regard to case: the server column is case-insensitive, SQLite needs NOCASE
        indexes=(("employees_email", [sa.text("email COLLATE NOCASE")] if h.is_sqlite() else ["email"]),
                 ("employees_slack", ["slack_user_id"]), ("employees_teams", ["teams_user_id"])))
    h.create_table(
        "embeddings",
        sa.Column("employee_id", t.key(), sa.ForeignKey("employees.id", ondelete="CASCADE",
                                                        name="embeddings_employee"), primary_key=True),
        sa.Column("model", t.key(), nullable=False),
        sa.Column("dim", t.integer(), nullable=False),
        sa.Column("vector", t.blob(), nullable=False))
    h.create_table(
        "audit_log",
        sa.Column("id", t.row_id(), primary_key=True, autoincrement=True),
        sa.Column("at", t.key(64), nullable=False),
        sa.Column("actor_id", t.key(), nullable=False),
        sa.Column("action", t.key(), nullable=False),
        sa.Column("query", t.long_text(), nullable=False),
        sa.Column("shown_ids", t.long_text(), nullable=False),
        sa.Column("details", t.long_text(), nullable=False),
        sqlite_autoincrement=True, info={"tidb_auto_id_cache": 1})   # ids keep increasing across TiDB nodes
    h.create_table(
        "shortlists",
        sa.Column("owner_id", t.key(), primary_key=True),
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("note", t.text()),
        sa.Column("at", t.key(64), nullable=False))
    h.create_table(
        "searches",
        sa.Column("id", t.key(), primary_key=True),
        sa.Column("actor_id", t.key(), nullable=False),
        sa.Column("query", t.long_text(), nullable=False),
        sa.Column("filters", t.long_text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False))
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    if op.get_bind().execute(sa.select(meta.c.key).where(meta.c.key == "data_version")).first() is None:
        op.execute(meta.insert().values(key="data_version", value="0"))


def downgrade() -> None:
    for name in ("searches", "shortlists", "audit_log", "embeddings", "employees", "meta"):
        h.drop_table(name)
