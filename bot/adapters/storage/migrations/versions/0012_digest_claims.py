"""Schema 12: a weekly digest is claimed before it is sent and marked sent after. The digest_sends row gains its state
(claimed / failed / unreachable / sent), who claimed it and until when, how many attempts and the last error, so a
crash between the send and the marker leaves a claim that expires and is retried, and a failure is retried later.
Rows written by schema 10 were markers of sent digests: they default to "sent".

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.add_column("digest_sends", sa.Column("status", t.key(16), nullable=False, server_default="sent"))
    h.add_column("digest_sends", sa.Column("holder", t.key(), nullable=True))
    h.add_column("digest_sends", sa.Column("claimed_until", t.seconds(), nullable=True))
    h.add_column("digest_sends", sa.Column("attempts", t.integer(), nullable=False, server_default="0"))
    h.add_column("digest_sends", sa.Column("error", t.key(), nullable=True))


def downgrade() -> None:
    from alembic import op

    for column in ("error", "attempts", "claimed_until", "holder", "status"):
        op.drop_column("digest_sends", column)
