"""The SQL each dialect gets where they differ. TiDB is not reachable here (its contract tests skip without TIDB_DSN),
so the statements only TiDB runs are checked as rendered for the MySQL dialect: the vector query must keep the shape
TiDB's HNSW index serves (ORDER BY the distance, no WHERE), and the table option must stay a comment elsewhere."""
import numpy as np
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.schema import CreateTable

from bot.adapters.storage import schema as s
from bot.adapters.storage.dialects import VectorType, insert_ignore, upsert, vector_text
from bot.adapters.storage.native_vectors import NativeVectors, vector_table


def render(statement, dialect, literal=False) -> str:
    compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True} if literal else {})
    return " ".join(str(compiled).split())


def test_upserts_and_insert_or_ignore_per_dialect():
    assert "ON CONFLICT (id) DO UPDATE SET actor_id = excluded.actor_id" in render(
        upsert("sqlite", s.searches, ("id",)), sqlite.dialect())
    assert "ON DUPLICATE KEY UPDATE actor_id = VALUES(actor_id)" in render(
        upsert("mysql", s.searches, ("id",)), mysql.dialect())
    added = render(upsert("mysql", s.ai_usage, ("day", "model", "task"), update=(), set_=lambda new: {
        "calls": s.ai_usage.c.calls + 1}), mysql.dialect())
    assert "ON DUPLICATE KEY UPDATE calls = (ai_usage.calls + %s)" in added
    assert render(insert_ignore("sqlite", s.shortlists), sqlite.dialect()).endswith("ON CONFLICT DO NOTHING")
    assert render(insert_ignore("mysql", s.shortlists), mysql.dialect()).startswith("INSERT IGNORE INTO shortlists")


def test_the_tidb_vector_query_keeps_the_shape_its_index_serves():
    native = NativeVectors.__new__(NativeVectors)
    native.dim = 3
    sql = render(native._nearest(np.array([1, 0.5, -2], dtype=np.float32), 7), mysql.dialect(), literal=True)
    assert sql == ("SELECT embeddings.employee_id, VEC_COSINE_DISTANCE(embeddings.embedding, '[1.0,0.5,-2.0]') AS "
                   "`VEC_COSINE_DISTANCE_1` FROM embeddings ORDER BY VEC_COSINE_DISTANCE(embeddings.embedding, "
                   "'[1.0,0.5,-2.0]') LIMIT 7")
    assert VectorType(768).get_col_spec() == "VECTOR(768)"
    assert vector_text(np.array([0.1, 3.3333333], dtype=np.float32)) == "[0.1,3.3333333]"
    column = vector_table(2).c.embedding
    assert column.type.bind_processor(None)(np.array([1, 2], dtype=np.float32)) == "[1.0,2.0]"
    assert np.array_equal(column.type.result_processor(None, None)("[1,2.5]"), np.array([1, 2.5], dtype=np.float32))


def test_tidb_keeps_audit_ids_increasing_and_other_servers_read_a_comment():
    on_mysql = render(CreateTable(s.audit_log), mysql.dialect())
    assert on_mysql.endswith("COLLATE utf8mb4_bin /*T![auto_id_cache] AUTO_ID_CACHE=1 */")
    assert "AUTO_ID_CACHE" not in render(CreateTable(s.audit_log), sqlite.dialect())
    assert "AUTO_ID_CACHE" not in render(CreateTable(s.searches), mysql.dialect())
