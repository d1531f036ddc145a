"""Schema 8: employees and internal openings — interest expressed (with consent) or "not for me", who asked for
alerts, and the once-only markers of the alert job (one alert per person per opening, one message per person per day).

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa

from bot.adapters.storage import coltypes as t
from bot.adapters.storage.migrations import helpers as h

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    h.create_table(
        "opening_interests",
        sa.Column("opening_id", t.key(191), primary_key=True),
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("state", t.key(16), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        sa.Column("updated_at", t.key(64), nullable=False),
        sa.Column("closed_told", t.flag(), nullable=False, server_default=sa.text("0")),
        indexes=(("opening_interests_employee", ["employee_id"]),))
    h.create_table(
        "alert_subscriptions",
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("enabled", t.flag(), nullable=False),
        sa.Column("at", t.key(64), nullable=False))
    h.create_table(
        "opening_alerts",
        sa.Column("opening_id", t.key(191), primary_key=True),
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("day", t.key(10), nullable=False),
        sa.Column("at", t.key(64), nullable=False),
        indexes=(("opening_alerts_employee", ["employee_id"]),))
    h.create_table(
        "alert_days",
        sa.Column("employee_id", t.key(), primary_key=True),
        sa.Column("day", t.key(10), primary_key=True),
        sa.Column("openings", t.long_text(), nullable=False),
        sa.Column("at", t.key(64), nullable=False))


def downgrade() -> None:
    for name in ("alert_days", "opening_alerts", "alert_subscriptions", "opening_interests"):
        h.drop_table(name)
