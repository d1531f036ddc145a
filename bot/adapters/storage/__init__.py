"""Storage adapter: one SQLAlchemy Core store for SQLite and the MySQL protocol (TiDB, MySQL, MariaDB), with Alembic
migrations. Build it with SqlStore.sqlite(path) or SqlStore.from_url(url); bot.bootstrap.make_store does, from
settings."""
from bot.adapters.storage.store import SqlStore

__all__ = ["SqlStore"]
