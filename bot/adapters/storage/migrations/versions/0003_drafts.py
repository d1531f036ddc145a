"""Schema 3: resume analysis details, mentor opt-in, drafts awaiting confirmation, AI usage per day.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.add_column("employees", sa.Column("details", t.long_text()))
    h.add_column("employees", sa.Column("mentor", t.flag(), nullable=False, server_default=sa.text("0")))
    h.create_table(
        "drafts",
        sa.Column("id", t.key(191), primary_key=True),
        sa.Column("owner_id", t.key(), nullable=False),
        sa.Column("kind", t.key(64), nullable=False),
        sa.Column("payload", t.long_text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        indexes=(("drafts_owner", ["owner_id"]),))
    h.create_table(
        "ai_usage",
        sa.Column("day", t.key(10), primary_key=True),
        sa.Column("model", t.key(128), primary_key=True),
        sa.Column("task", t.key(64), primary_key=True),
        sa.Column("calls", t.counter(), nullable=False),
        sa.Column("cache_hits", t.counter(), nullable=False),
        sa.Column("prompt_tokens", t.counter(), nullable=False),
        sa.Column("output_tokens", t.counter(), nullable=False))


def downgrade() -> None:
    h.drop_table("ai_usage")
    h.drop_table("drafts")
    op.drop_column("employees", "mentor")
    op.drop_column("employees", "details")
