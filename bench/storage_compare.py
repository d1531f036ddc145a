"""Storage backends side by side: ingest throughput and search latency at 10k and 100k profiles, on the embedded
SQLite store and on MariaDB (vectors as bytes, searched in-process with the same code), in one run. With TIDB_DSN
set, TiDB is measured too and the script prints whether its HNSW vector index served the ANN query.

    python -m bench.storage_compare                       # sqlite and MariaDB (MARIADB_URL, default local root)
    TIDB_DSN=tidb://user:pw@host:4000/db?ssl_ca=... python -m bench.storage_compare --backends tidb

Ingest is the storage write path (profiles already analysed and embedded, 5,000 per transaction); the analysis and
embedding cost is measured separately by bench/import_throughput.py.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import peak_rss_mb, scratch_app, summary_ms
from bench.search_latency import POOL, QUERIES, build_pool, fill, measure


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def open_app(backend: str):
    """A fresh, empty app on the backend; returns (app, cleanup)."""
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("TIDB_DSN", None)
        app = scratch_app(tempfile.mkdtemp(prefix="ih-bench-sqlite-"))
        return app, app.close
    base = os.environ.get("TIDB_DSN") if backend == "tidb" else os.environ.get("MARIADB_URL", "mysql://root@127.0.0.1:3306/")
    if not base:
        raise SystemExit("set TIDB_DSN to benchmark TiDB")
    saved_tidb = os.environ.pop("TIDB_DSN", None)
    os.environ["DATABASE_URL"] = _with_database(base, f"ih_bench_{uuid.uuid4().hex[:10]}")
    app = scratch_app(tempfile.mkdtemp(prefix=f"ih-bench-{backend}-"))
    os.environ.pop("DATABASE_URL", None)
    if saved_tidb:
        os.environ["TIDB_DSN"] = saved_tidb

    def cleanup():
        app.store.drop_database()

    return app, cleanup


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,mariadb" + (",tidb" if os.environ.get("TIDB_DSN") else ""))
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    queries = [q["text"] for q in json.loads(Path(QUERIES).read_text(encoding="utf-8"))["queries"]]
    pool_app = scratch_app()
    print(f"building a pool of {POOL} analysed and embedded profiles…", flush=True)
    profiles, vectors = build_pool(pool_app, POOL)
    print(f"{'backend':<9} {'profiles':>8}  {'ingest':>14}  search", flush=True)
    for backend in args.backends.split(","):
        app, cleanup = open_app(backend)
        try:
            done = 0
            for size in sorted(int(s) for s in args.sizes.split(",")):
                seconds = fill(app, profiles, vectors, done, size)
                rate = (size - done) / seconds
                done = size
                result = measure(app, queries, args.repeats)
                print(f"{backend:<9} {size:>8}  {rate:>8.0f} rows/s  {summary_ms(result['timings'])}; "
                      f"index build {result['index_build_s']:.1f} s; peak RSS {peak_rss_mb():.0f} MB", flush=True)
            if backend == "tidb":
                uses_index, plan = app.store.explain_ann(app.embedder.embed_query(queries[0]), 10)
                print(f"tidb: ANN index used by the vector query: {'yes' if uses_index else 'NO'}\n{plan}")
        finally:
            cleanup()
    pool_app.close()


if __name__ == "__main__":
    main()
