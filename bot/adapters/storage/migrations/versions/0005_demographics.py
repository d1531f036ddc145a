"""Schema 5: HR's self-reported demographics for the impact-ratio report, in a table of their own that matching
never reads; audit and shortlist times indexed for the report's period queries.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "demographics",
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("category", t.key(64), primary_key=True),
        sa.Column("value", t.key(), nullable=False),
        sa.Column("imported_at", t.key(64), nullable=False),
        sa.Column("imported_by", t.key(), nullable=False))
    h.create_index("audit_log_at", "audit_log", ["at"])
    h.create_index("shortlists_at", "shortlists", ["at"])


def downgrade() -> None:
    op.drop_index("shortlists_at", "shortlists")
    op.drop_index("audit_log_at", "audit_log")
    h.drop_table("demographics")
