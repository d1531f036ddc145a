"""Schema 9: the people-search index's change feed. Every write that changes what the in-process index holds adds
the employee id here (ALL_PROFILES for "every profile", e.g. embeddings cleared), so a running index applies just
those profiles instead of re-reading every row (core/matching/refresh.py).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "index_changes",
        sa.Column("seq", t.row_id(), primary_key=True, autoincrement=True),
        sa.Column("employee_id", t.key(), nullable=False))


def downgrade() -> None:
    h.drop_table("index_changes")
