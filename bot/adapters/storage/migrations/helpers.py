"""Steps the revisions share. MySQL DDL is not transactional, so a revision that failed half-way on a server is run
again from the start: every step here does nothing when its table, column or index is already there."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.adapters.storage.coltypes import MYSQL_TABLE


def dialect() -> str:
    return op.get_bind().dialect.name


def is_sqlite() -> bool:
    return dialect() == "sqlite"


def _inspector() -> sa.Inspector:
    return sa.inspect(op.get_bind())


def create_table(name: str, *columns, indexes: tuple[tuple[str, list], ...] = (), **kw) -> None:
    """CREATE TABLE with the server table options, then its indexes; skipped when the table exists."""
    if _inspector().has_table(name):
        return
    keys = [c for c in columns if isinstance(c, sa.Column) and c.primary_key]
    if is_sqlite() and len(keys) == 1:
        keys[0].nullable = True     # as the hand-written SQLite schema declared it (`id TEXT PRIMARY KEY`)
    op.create_table(name, *columns, **MYSQL_TABLE, **kw)
    for index_name, columns_or_expressions in indexes:
        op.create_index(index_name, name, columns_or_expressions)


def add_column(table: str, column: sa.Column) -> None:
    if column.name not in {c["name"] for c in _inspector().get_columns(table)}:
        op.add_column(table, column)


def create_index(name: str, table: str, columns: list) -> None:
    if name not in {i["name"] for i in _inspector().get_indexes(table)}:
        op.create_index(name, table, columns)


def drop_table(name: str) -> None:
    if _inspector().has_table(name):
        op.drop_table(name)
