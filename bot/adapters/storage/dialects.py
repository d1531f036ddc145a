"""Everything that differs between SQLite and the MySQL protocol, as small functions; store.py writes every query
once and calls these where the dialects part ways.

- upsert / insert_ignore: `INSERT … ON CONFLICT` (SQLite) vs `INSERT … ON DUPLICATE KEY UPDATE` / `INSERT IGNORE`;
- same_text_ignoring_case / exactly: SQLite compares with NOCASE where the server column is case-insensitive, and the
  server compares in utf8mb4_bin where a change of case must count;
- VectorType and cosine_distance: TiDB's `VECTOR(D)` column and `VEC_COSINE_DISTANCE`, the way TiDB's own
  SQLAlchemy integration (the tidb-vector package) declares them, without depending on it;
- TiDB's AUTO_ID_CACHE=1 table option, in the comment form other servers ignore.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from sqlalchemy import Float, Table, func, types
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.expression import ColumnElement


def upsert(dialect: str, table: Table, conflict: tuple[str, ...], update: tuple[str, ...] | None = None,
           set_: Callable[[object], dict] | None = None):
    """INSERT that updates the row with the same key instead. `update` columns take the new values; `set_(new)`
    gives other assignments, with `new` the row that was to be inserted (e.g. {"calls": table.c.calls + 1})."""
    columns = update if update is not None else tuple(c.name for c in table.columns if c.name not in conflict)
    if dialect == "sqlite":
        stmt = sqlite.insert(table)
        new = stmt.excluded
        values = {c: new[c] for c in columns} | (set_(new) if set_ else {})
        return stmt.on_conflict_do_update(index_elements=list(conflict), set_=values)
    stmt = mysql.insert(table)
    new = stmt.inserted
    values = {c: new[c] for c in columns} | (set_(new) if set_ else {})
    return stmt.on_duplicate_key_update(values)


def insert_ignore(dialect: str, table: Table):
    """INSERT that does nothing (rowcount 0) when a row with the same key exists."""
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return table.insert().prefix_with("IGNORE")


def same_text_ignoring_case(dialect: str, column, value) -> ColumnElement:
    """column = value without regard to case (the server column's collation already ignores it)."""
    if dialect == "sqlite":
        return column.collate("nocase") == value
    return column == value


def exactly(dialect: str, column):
    """The column compared byte for byte, even where its collation ignores case."""
    return column if dialect == "sqlite" else column.collate("utf8mb4_bin")


# ---- TiDB vectors -------------------------------------------------------------------------------------------------
def vector_text(vector: np.ndarray) -> str:
    """TiDB's vector literal, '[0.1,0.2,…]', in the shortest float32 form."""
    return "[" + ",".join(str(x) for x in np.asarray(vector, dtype=np.float32).ravel()) + "]"


class VectorType(types.UserDefinedType):
    """TiDB's VECTOR(D) column: bound as its text literal, read back as float32."""

    cache_ok = True

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def get_col_spec(self, **kw) -> str:
        return "VECTOR" if self.dim is None else f"VECTOR({int(self.dim)})"

    def bind_processor(self, dialect):
        def process(value):
            return None if value is None else vector_text(value)
        return process

    def literal_processor(self, dialect):
        def process(value):
            return f"'{vector_text(value)}'"
        return process

    def result_processor(self, dialect, coltype):
        def process(value):
            if value is None:
                return None
            text = value.decode() if isinstance(value, bytes) else str(value)
            return np.array([float(x) for x in text.strip("[]").split(",") if x.strip()], dtype=np.float32)
        return process


def cosine_distance(column, query: np.ndarray) -> ColumnElement:
    """VEC_COSINE_DISTANCE(column, '[…]'): the form TiDB's HNSW index serves in ORDER BY … LIMIT k."""
    from sqlalchemy import literal

    return func.VEC_COSINE_DISTANCE(column, literal(np.asarray(query, dtype=np.float32), VectorType()),
                                    type_=Float())


# ---- TiDB table option --------------------------------------------------------------------------------------------
@compiles(CreateTable, "mysql")
def _create_table_with_tidb_options(element, compiler, **kw) -> str:
    """Tables marked info={"tidb_auto_id_cache": 1} keep their ids increasing across TiDB nodes (list_audit orders by
    id); MySQL and MariaDB read the /*T! */ comment as a comment."""
    sql = compiler.visit_create_table(element, **kw)
    if element.element.info.get("tidb_auto_id_cache"):
        sql = sql.rstrip() + " /*T![auto_id_cache] AUTO_ID_CACHE=1 */"
    return sql
