"""How long the impact-ratio report takes for 100,000 people and a year of audit log.

Rows are inserted directly (no embeddings: the report reads the directory, the demographics, the audit log and the
shortlists, never a profile's text or vector), into a throwaway SQLite file or, with --mysql URL, a throwaway
database on that server.

    python -m bench.fairness_report [--people 100000] [--searches-per-day 1500] [--runs 3] [--mysql URL]

Prints the rows generated and the median report time (text and chart).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path


def populate(store, people: int, searches_per_day: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    ids = [f"E{i:06d}" for i in range(people)]
    started = time.perf_counter()
    employees = [(eid, f"Person {eid}", f"{eid.lower()}@corp.example", "Engineering", "Engineer", "L3", "Seoul",
                  "employee", int(rng.random() < 0.7), "[]", "", "[]", "2026-01-01T00:00:00+00:00", "h", "", 40)
                 for eid in ids]
    demographics = []
    for eid in ids:
        demographics.append((eid, "sex", rng.choice(("female", "male", "male", "nonbinary")) if rng.random() < 0.95
                             else "prefer not to say"))
        demographics.append((eid, "age_band", rng.choice(("20-29", "30-39", "40-49", "50-59", "60+"))))
        if rng.random() < 0.8:
            demographics.append((eid, "ethnicity", rng.choice(("A", "B", "C", "D", "E", "F"))))
    end = datetime(2026, 12, 31, tzinfo=timezone.utc)
    audit = []
    for day in range(365):
        when = end - timedelta(days=day)
        for k in range(searches_per_day):
            at = (when - timedelta(seconds=rng.randrange(86400))).isoformat(timespec="seconds")
            shown = rng.sample(ids, 10)
            audit.append((at, f"M{rng.randrange(2000)}", "search" if k % 5 else "redraw", "q", json.dumps(shown), "{}"))
    shortlists = {(f"M{rng.randrange(2000)}", rng.choice(ids)) for _ in range(searches_per_day * 365 // 20)}
    generated = time.perf_counter() - started
    started = time.perf_counter()
    _insert(store, employees, demographics, audit, shortlists, end)
    return {"people": people, "demographic_rows": len(demographics), "audit_rows": len(audit),
            "shortlist_rows": len(shortlists), "generate_s": generated, "insert_s": time.perf_counter() - started}


def _insert(store, employees, demographics, audit, shortlists, end) -> None:
    cols = ("id, display_name, email, department, title, level, location, role, open_to_moves, languages, "
            "resume_text, skills, updated_at, resume_hash, terms, profile_words")
    shortlist_rows = [(o, e, "", (end - timedelta(days=i % 365)).isoformat(timespec="seconds"))
                      for i, (o, e) in enumerate(sorted(shortlists))]
    if hasattr(store, "_conn"):                 # SQLite
        conn = store._conn
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO employees ({cols}) VALUES ({', '.join('?' * 16)})", employees)
        conn.executemany("INSERT INTO demographics VALUES (?, ?, ?, '2026-01-01', 'bench')", demographics)
        conn.executemany("INSERT INTO audit_log(at, actor_id, action, query, shown_ids, details) VALUES "
                         "(?, ?, ?, ?, ?, ?)", audit)
        conn.executemany("INSERT OR IGNORE INTO shortlists(owner_id, employee_id, note, at) VALUES (?, ?, ?, ?)",
                         shortlist_rows)
        conn.execute("COMMIT")
        return

    def body(cur) -> None:
        for sql, rows in ((f"INSERT INTO employees ({cols}) VALUES ({', '.join(['%s'] * 16)})", employees),
                          ("INSERT INTO demographics VALUES (%s, %s, %s, '2026-01-01', 'bench')", demographics),
                          ("INSERT INTO audit_log(at, actor_id, action, query, shown_ids, details) VALUES "
                           "(%s, %s, %s, %s, %s, %s)", audit),
                          ("INSERT IGNORE INTO shortlists(owner_id, employee_id, note, at) VALUES (%s, %s, %s, %s)",
                           shortlist_rows)):
            for start in range(0, len(rows), 5000):
                cur.executemany(sql, rows[start:start + 5000])
    store._tx(body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--searches-per-day", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mysql", default=None, help="mysql://root@127.0.0.1:3306/ (a throwaway database is made)")
    args = parser.parse_args(argv)

    from core.domain import Employee, Role
    from core.impact_chart import render_chart
    from core.impact_report import FairnessReports, to_text

    if args.mysql:
        from core.storage.mysql_store import MySqlStore

        store = MySqlStore.from_url(args.mysql.rstrip("/") + f"/ih_bench_{uuid.uuid4().hex[:10]}")
    else:
        from core.storage.sqlite_store import SqliteStore

        store = SqliteStore(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    try:
        store.migrate()
        sizes = populate(store, args.people, args.searches_per_day)
        print(f"backend: {store.backend_name}; people {sizes['people']:,}; demographic rows "
              f"{sizes['demographic_rows']:,}; audit rows {sizes['audit_rows']:,} (a year, 10 shown each); "
              f"shortlist rows {sizes['shortlist_rows']:,}; inserted in {sizes['insert_s']:.1f} s")
        service = FairnessReports(store)
        hr = Employee(id="bench-hr", display_name="bench", role=Role.HR_ADMIN)
        times, cpu_times, chart_times = [], [], []
        for _ in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            report = service.report(hr, date(2026, 1, 1), date(2026, 12, 31))
            to_text(report)
            times.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
            started = time.perf_counter()
            render_chart(report, "ko")
            chart_times.append(time.perf_counter() - started)
        print(f"report (compute + text): median {statistics.median(times):.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f}); CPU time median {statistics.median(cpu_times):.2f} s; "
              f"target <= 10 s")
        print(f"load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
              f"{os.cpu_count()} cores")
        print(f"chart: median {statistics.median(chart_times):.2f} s; flagged groups: {len(report.flagged)}")
    finally:
        if args.mysql:
            store.drop_database()
        else:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
