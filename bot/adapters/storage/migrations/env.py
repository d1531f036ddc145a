"""Alembic environment: always run programmatically (bot/adapters/storage/migrate.py) on a connection it hands in,
never from an alembic.ini."""
from alembic import context

import bot.adapters.storage.dialects  # noqa: F401 - registers the TiDB table option for CREATE TABLE

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
