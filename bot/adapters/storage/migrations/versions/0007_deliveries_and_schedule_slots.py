"""Schema 7: deliveries already handled (Slack retries, Teams activities, button payloads), kept until they expire,
and scheduled runs by job and scheduled time, so several server instances on one database handle each delivery and
each schedule slot once.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "deliveries",
        sa.Column("key", t.key(191), primary_key=True),
        sa.Column("holder", t.key(), nullable=False),
        sa.Column("expires_at", t.seconds(), nullable=False),
        indexes=(("deliveries_expires_at", ["expires_at"]),))
    h.create_table(
        "schedule_runs",
        sa.Column("job", t.key(128), primary_key=True),
        sa.Column("slot", t.key(32), primary_key=True),
        sa.Column("holder", t.key(), nullable=False),
        sa.Column("status", t.key(16), nullable=False),
        sa.Column("started_at", t.seconds(), nullable=False),
        sa.Column("finished_at", t.seconds()),
        indexes=(("schedule_runs_started_at", ["started_at"]),))


def downgrade() -> None:
    op.drop_index("schedule_runs_started_at", "schedule_runs")
    h.drop_table("schedule_runs")
    op.drop_index("deliveries_expires_at", "deliveries")
    h.drop_table("deliveries")
