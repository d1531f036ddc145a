"""Schema 10: weekly talent digests: who was sent this week's digest (so nobody gets two) and who turned them off.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "digest_sends",
        sa.Column("person_id", t.key(), primary_key=True),
        sa.Column("week", t.key(16), primary_key=True),
        sa.Column("at", t.key(64), nullable=False))
    h.create_table(
        "digest_opt_outs",
        sa.Column("person_id", t.key(), primary_key=True),
        sa.Column("at", t.key(64), nullable=False))


def downgrade() -> None:
    h.drop_table("digest_opt_outs")
    h.drop_table("digest_sends")
