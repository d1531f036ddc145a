"""Schema 11: the feedback loop — 👍/👎 on search results and openings (one vote per presser, item and search; a new
press changes it) and the mobility outcomes HR records (a move approved, a person moved into an opening).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "feedback_votes",
        sa.Column("presser_id", t.key(191), primary_key=True),
        sa.Column("item_kind", t.key(16), primary_key=True),
        sa.Column("item_id", t.key(191), primary_key=True),
        sa.Column("search_id", t.key(64), primary_key=True),
        sa.Column("query", t.long_text(), nullable=False),
        sa.Column("vote", t.key(8), nullable=False),
        sa.Column("platform", t.key(32), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False),
        indexes=(("feedback_votes_updated", ["updated_at"]),))
    h.create_table(
        "mobility_outcomes",
        sa.Column("employee_id", t.key(191), primary_key=True),
        sa.Column("opening_id", t.key(191), primary_key=True),
        sa.Column("kind", t.key(16), primary_key=True),
        sa.Column("recorded_by", t.key(), nullable=False),
        sa.Column("via", t.key(32), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        indexes=(("mobility_outcomes_at", ["at"]),))


def downgrade() -> None:
    h.drop_table("mobility_outcomes")
    h.drop_table("feedback_votes")
