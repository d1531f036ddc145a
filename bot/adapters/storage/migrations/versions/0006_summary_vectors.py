"""Schema 6: each profile's language-neutral summary (roles, canonical skills, work words, years) is embedded and
stored beside the raw-text vector, so a Korean and an English request find the same people.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: profiles stored before this version have none until their next import or `internal-hire reindex`.
    h.add_column("embeddings", sa.Column("summary_vector", t.blob(), nullable=True))


def downgrade() -> None:
    op.drop_column("embeddings", "summary_vector")
