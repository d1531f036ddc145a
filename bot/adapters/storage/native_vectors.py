"""TiDB's native vectors, kept in step with the blobs: an extra `embedding VECTOR(D)` column on `embeddings`, with an
HNSW index, that `ann_search` queries as `ORDER BY VEC_COSINE_DISTANCE(embedding, ?) LIMIT k` (no WHERE, so the
index serves it).

D is fixed by the stored vectors (the first embedding write, or once no vector of the old D is left) and recorded as
meta `vector_dim`; it is data, not schema, so this column is managed here rather than by a migration. The index is
added best-effort (TiFlash replica first, as TiDB requires). Native search is an accelerator: the blobs stay the
source of truth, and nothing here ever fails a write.
"""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from bot.adapters.storage import connection as cx
from bot.adapters.storage import schema as s
from bot.adapters.storage.dialects import VectorType, cosine_distance, upsert
from bot.adapters.storage.records import vector_from_blob, vector_to_blob
from core.errors import StoreError

if TYPE_CHECKING:
    from bot.adapters.storage.store import SqlStore

log = logging.getLogger(__name__)

INDEX_NAME = "idx_emb"
RETRY_AFTER_FAILURE_S = 60.0


def vector_table(dim: int | None) -> sa.TableClause:
    """The embeddings table with its VECTOR(D) column, for the statements that touch it."""
    return sa.table("embeddings", sa.column("employee_id"), sa.column("model"), sa.column("dim"),
                    sa.column("vector", sa.LargeBinary()), sa.column("embedding", VectorType(dim)))


class NativeVectors:
    def __init__(self, store: "SqlStore"):
        self.store = store
        self.dim: int | None = None
        self.index_state = "none"
        self._lock = threading.RLock()
        self._pending = False
        self._failed_at = -1e9
        self._upserts: dict[int, object] = {}

    # ---- the column, in step with the blobs -------------------------------------------------------------------
    def load(self) -> None:
        """After migrations: read D and bring the column up to date."""
        stored = self.store.get_meta("vector_dim")
        self.dim = int(stored) if stored else None
        self.sync()

    def put(self, conn: sa.Connection, employee_id: str, vector: np.ndarray, embedder_id: str) -> bool:
        """Write the blob and, when the vector has dimension D, the VECTOR column too. False: D is not known yet
        (the caller writes the blob alone; the column is filled after commit)."""
        dim = int(len(vector))
        if self.dim is None:
            self._pending = True              # the first vector fixes the VECTOR(D) column after commit
            return False
        if dim != self.dim:
            self._pending = True
        statement = self._upserts.get(self.dim)
        if statement is None:
            statement = self._upserts[self.dim] = upsert(
                "mysql", vector_table(self.dim), ("employee_id",), update=("model", "dim", "vector", "embedding"))
        conn.execute(statement, {"employee_id": employee_id, "model": embedder_id, "dim": dim,
                                 "vector": vector_to_blob(vector), "embedding": vector if dim == self.dim else None})
        return True

    def ready(self, dim: int) -> bool:
        return self.dim == dim and not self._pending

    def after_commit(self) -> None:
        if self._pending and time.monotonic() - self._failed_at > RETRY_AFTER_FAILURE_S:
            self.sync()

    def sync(self) -> None:
        """Fix D from the stored vectors, add the index, fill rows written before D was known. Never raises."""
        with self._lock:
            self._pending = False
            try:
                self._sync_now()
            except (sa_exc.DBAPIError, StoreError) as exc:
                self._pending = True
                self._failed_at = time.monotonic()
                self.index_state = f"unavailable: {cx.short_reason(exc)}"
                log.warning("native vector column not ready (%s); search uses the in-process index",
                            cx.short_reason(exc))

    def _sync_now(self) -> None:
        store = self.store
        stored = store.get_meta("vector_dim")
        dim = int(stored) if stored else None
        has_column = bool(store._first(sa.text(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = :db AND table_name = 'embeddings' "
            "AND column_name = 'embedding'"), {"db": store.database})[0])
        if dim is not None and not has_column:
            dim = None
        e = s.embeddings
        counts = store._rows(select(e.c.dim, sa.func.count().label("n")).group_by(e.c.dim)
                             .order_by(sa.desc("n"), e.c.dim))
        present = {int(d) for d, _ in counts}
        if counts and (dim is None or dim not in present):
            dim = self._fix_dim(int(counts[0][0]), has_column)
        self.dim = dim
        if has_column or dim is not None:
            self.index_state = self._index_state()
        if dim is None:
            return
        v = vector_table(dim)
        missing = store._rows(select(v.c.employee_id, v.c.vector).where(v.c.dim == dim, v.c.embedding.is_(None)))
        fill = sa.update(v).where(v.c.employee_id == sa.bindparam("eid"), v.c.dim == dim) \
            .values(embedding=sa.bindparam("vec", type_=VectorType(dim)))
        for start in range(0, len(missing), 200):
            batch = [{"eid": eid, "vec": vector_from_blob(blob)} for eid, blob in missing[start:start + 200]]
            store._write(lambda conn, batch=batch: conn.execute(fill, batch))   # not a data change: no bump

    def _fix_dim(self, dim: int, has_column: bool) -> int:
        """DDL on a connection of its own (DDL commits implicitly): (re)create `embedding VECTOR(dim)`, its index."""
        store = self.store
        lock = "ih_vector_" + hashlib.sha1(store.database.encode()).hexdigest()[:20]
        with store.engine.connect() as conn:
            try:
                conn.execute(sa.text("SELECT GET_LOCK(:n, 60)"), {"n": lock})
            except sa_exc.DBAPIError:
                conn.rollback()                              # best effort, as in migrate()
            try:
                row = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "vector_dim")).first()
                if row and int(row[0]) == dim and has_column:
                    return dim                               # another process did it meanwhile
                if has_column:
                    for sql in (f"ALTER TABLE embeddings DROP INDEX {INDEX_NAME}",
                                "ALTER TABLE embeddings DROP COLUMN embedding"):
                        try:
                            conn.exec_driver_sql(sql)
                        except sa_exc.DBAPIError as exc:
                            if cx.error_code(exc) != 1091:   # no such index/column
                                raise
                conn.exec_driver_sql(f"ALTER TABLE embeddings ADD COLUMN `embedding` {VectorType(dim).get_col_spec()} "
                                     "NULL")
                conn.execute(upsert("mysql", s.meta, ("key",)), {"key": "vector_dim", "value": str(dim)})
                conn.commit()
                log.info("native vector column fixed at VECTOR(%d)", dim)
                try:
                    conn.exec_driver_sql("ALTER TABLE embeddings SET TIFLASH REPLICA 1")
                except sa_exc.DBAPIError as exc:
                    log.warning("TiFlash replica for embeddings not set (%s); ann_search scans without the index",
                                cx.short_reason(exc))
                try:
                    conn.exec_driver_sql(f"ALTER TABLE embeddings ADD VECTOR INDEX {INDEX_NAME} "
                                         "((VEC_COSINE_DISTANCE(`embedding`))) USING HNSW")
                except sa_exc.DBAPIError as exc:
                    log.warning("HNSW vector index not created (%s); ann_search scans without the index",
                                cx.short_reason(exc))
                    self.index_state = f"unavailable: {cx.short_reason(exc)}"
                return dim
            finally:
                conn.invalidate()                            # closing the session frees the GET_LOCK

    def _index_state(self) -> str:
        try:
            row = self.store._first(sa.text(
                "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = :db "
                "AND table_name = 'embeddings' AND index_name = :idx"), {"db": self.store.database, "idx": INDEX_NAME})
            if row and row[0]:
                return "hnsw"
        except sa_exc.DBAPIError:
            pass
        return self.index_state if self.index_state.startswith("unavailable") else "none"

    # ---- queries ----------------------------------------------------------------------------------------------
    def _nearest(self, query: np.ndarray, limit: int):
        v = vector_table(self.dim)
        distance = cosine_distance(v.c.embedding, query)
        return select(v.c.employee_id, distance).order_by(distance).limit(int(limit))

    def search(self, query: np.ndarray, limit: int) -> list[tuple[str, float]]:
        rows = self.store._rows(self._nearest(query, limit))
        return [(eid, 1.0 - float(dist)) for eid, dist in rows if dist is not None]

    def explain(self, query: np.ndarray, k: int) -> tuple[bool, str]:
        sql = self._nearest(query, k).compile(dialect=self.store.engine.dialect,
                                              compile_kwargs={"literal_binds": True})
        rows = self.store._read(lambda conn: conn.exec_driver_sql(f"EXPLAIN {sql}").all())
        plan = "\n".join(" | ".join(str(c) for c in row) for row in rows)
        uses_index = "annindex" in plan.lower().replace(" ", "").replace("_", "") or "vector index" in plan.lower()
        return uses_index, plan

    def capabilities(self) -> dict:
        caps = {"vector_dim": self.dim, "ann_index": self.index_state}
        try:
            row = self.store._first(sa.text(
                "SELECT AVAILABLE, PROGRESS FROM information_schema.tiflash_replica WHERE TABLE_SCHEMA = :db "
                "AND TABLE_NAME = 'embeddings'"), {"db": self.store.database})
            caps["tiflash_replica"] = {"available": bool(row[0]), "progress": float(row[1])} if row else None
        except sa_exc.DBAPIError:
            caps["tiflash_replica"] = None
        return caps
