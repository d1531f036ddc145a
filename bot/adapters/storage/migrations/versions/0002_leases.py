"""Schema 2: conversation references (proactive messages) and leases (one scheduler runs each job).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "conversation_refs",
        sa.Column("platform", t.key(32), primary_key=True),
        sa.Column("user_key", t.key(), primary_key=True),
        sa.Column("reference", t.long_text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False))
    h.create_table(
        "leases",
        sa.Column("name", t.key(191), primary_key=True),
        sa.Column("holder", t.key(), nullable=False),
        sa.Column("expires_at", t.seconds(), nullable=False))


def downgrade() -> None:
    h.drop_table("leases")
    h.drop_table("conversation_refs")
