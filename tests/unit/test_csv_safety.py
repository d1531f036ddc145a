"""CSV in and out: what we write never runs as a spreadsheet formula; what we read reports a row an open quote broke
with its line (never storing it as garbage) and keeps the rest; levels and counts are checked, not guessed."""
from __future__ import annotations

import csv
import io

import pytest

from core.csv_files import csv_rows, csv_writer, looks_like_formula, safe_cell
from handlers.parsing import OptionError, parse_search

HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@HYPERLINK(\"http://x\")",
           "\t=1+1", "\r=1+1"]


def test_every_formula_start_is_written_as_text_and_numbers_stay_numbers():
    out = io.StringIO()
    csv_writer(out).writerow([*HOSTILE, "-1", "0.25", "+82", "plain", 7, None])
    cells = next(csv.reader(io.StringIO(out.getvalue())))
    assert cells[:len(HOSTILE)] == ["'" + h for h in HOSTILE]
    assert cells[len(HOSTILE):] == ["-1", "0.25", "+82", "plain", "7", ""]
    assert safe_cell("=1") == "'=1" and safe_cell(3) == 3


def test_no_csv_writer_in_the_project_bypasses_the_safe_one():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for folder in ("core", "handlers", "bot", "scheduler", "cards", "bench")
                 for p in (root / folder).rglob("*.py")
                 if ("csv.writer(" in p.read_text(encoding="utf-8") or "csv.DictWriter(" in p.read_text(encoding="utf-8"))
                 and p.name != "csv_files.py"]
    assert offenders == []


def test_a_hostile_search_lands_in_the_audit_csv_as_text(org_dir, tmp_path):
    from bot.cli import main

    main(["search", "=cmd|' /C calc'!A0 kafka", "--data-dir", str(org_dir), "--quiet"])
    out_file = tmp_path / "audit.csv"
    assert main(["audit", "--format", "csv", "--output", str(out_file), "--data-dir", str(org_dir), "--quiet"]) == 0
    rows = list(csv.DictReader(io.StringIO(out_file.read_text(encoding="utf-8"))))
    queries = [r["query"] for r in rows if "calc" in r["query"]]
    assert queries and all(q.startswith("'=") for q in queries)
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values())


def test_the_fairness_csv_neutralises_group_names_from_imported_data(tmp_path):
    from datetime import date

    from bot.adapters.storage import SqlStore
    from core.impact_report import compute_report, to_csv
    from tests.unit.test_fairness_report import _store

    store = _store(tmp_path)
    store.replace_demographics([(f"E{i:03d}", "team", "=HYPERLINK(\"http://evil\")" if i % 2 else "@SUM(1)")
                                for i in range(100)], "H1")
    rows = list(csv.reader(io.StringIO(to_csv(compute_report(store, date(2000, 1, 1), date(2099, 1, 1))))))
    groups = {r[2] for r in rows[1:] if r[1] == "team"}
    assert groups == {"'=HYPERLINK(\"http://evil\")", "'@SUM(1)"}
    assert isinstance(store, SqlStore)


@pytest.fixture
def org_dir(demo_db, tmp_path):
    import shutil

    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    return target


# ---- reading --------------------------------------------------------------------------------------------------------
BROKEN = """id,display_name,email,title,level,resume_text
E1,"Ann Lee,ann@corp.example,Engineer,L4,Kafka
E2,Bob,bob@corp.example,Engineer,L3,"Go and
Kubernetes, on two lines"
E3,Cho "the" Kim,cho@corp.example,Engineer,L2,Java
E4,Dae,dae@corp.example,Engineer,L9,Rust
E5,=HYPERLINK(""http://evil""),e5@corp.example,Engineer,L1,Python
E6,"Eun"x,eun@corp.example,Engineer,L1,Python
E7,Fay,fay@corp.example,+SUM(A1),L1,Python
E8,Gil,gil@corp.example,Engineer,5,Python
"""


def test_a_row_broken_by_an_open_quote_is_reported_with_its_line_and_the_rest_is_imported(empty_app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(BROKEN, encoding="utf-8")
    report = empty_app.importer.import_path(path)
    reasons = dict(report.rejected)
    assert "a quote is not closed" in reasons["people.csv line 2"]
    assert "level 'L9' is not one of L1, L2, L3, L4, L5, L6" in reasons["people.csv line 6"]
    assert "looks like a spreadsheet formula" in reasons["people.csv line 7"]
    assert "malformed CSV" in reasons["people.csv line 8"]
    assert "looks like a spreadsheet formula" in reasons["people.csv line 9"]
    stored = {e.id: e for e in empty_app.store.list_employees()}
    assert set(stored) == {"E2", "E3", "E8"}
    assert stored["E2"].display_name == "Bob" and "Kubernetes" in stored["E2"].resume_text
    assert stored["E3"].display_name == 'Cho "the" Kim'
    assert stored["E8"].level == "L5"
    assert not any("@" in e.display_name for e in stored.values())


def test_an_open_quote_at_the_end_of_the_file_is_reported_and_earlier_rows_kept():
    header, rows = csv_rows('id,name\nE1,Ann\nE2,"Bob\nE3,Cho\n')
    assert header == ["id", "name"]
    assert [(line, cells, bool(error)) for line, cells, error in rows] == [
        (2, ["E1", "Ann"], False), (3, None, True), (4, ["E3", "Cho"], False)]


def test_a_broken_quote_in_the_demographics_file_is_reported_too():
    from core.impact_report import parse_demographics

    rows, report = parse_demographics(b'employee_id,sex\nE1,"f\nE2,m\n', "d.csv", {"E1", "E2"}, {})
    assert rows == [("E2", "sex", "m")] and "quote" in dict(report.rejected)["d.csv line 2"]


def test_formula_detection_leaves_ordinary_names_alone():
    assert all(looks_like_formula(v) for v in ("=1+1", "+SUM(A1)", "@HYPERLINK(x)", "-cmd(x)"))
    assert not any(looks_like_formula(v) for v in ("Ann Lee", "-", "+82 10", "@ann", "C++ engineer", "김지우"))


@pytest.mark.parametrize("count", ["999999", "-1", "1e9", "0", "21", "30명", "-1.5"])
def test_out_of_range_counts_are_refused_as_counts(count):
    with pytest.raises(OptionError, match="between 1 and 20"):
        parse_search(f"backend kafka {count}")


@pytest.mark.parametrize("query, words, limit", [("backend kafka 5", "backend kafka", 5),
                                                 ("백엔드 개발자 5명", "백엔드 개발자", 5),
                                                 ("ISO 27001 auditor", "ISO 27001 auditor", None),
                                                 ("security ISO 27001", "security ISO 27001", None),
                                                 ("python 2.7", "python 2.7", None)])
def test_counts_and_numbers_that_are_words(query, words, limit):
    parsed = parse_search(query)
    assert (parsed.text, parsed.limit) == (words, limit)


def test_a_cell_beyond_the_size_limit_is_named_as_such_and_the_next_rows_are_read():
    header, rows = csv_rows("id,name,resume_text\nE1,Ann," + "x" * 200_000 + "\nE2,Bob,ok\n")
    rows = list(rows)
    assert rows[0][0] == 2 and "longer than the 131,072 characters" in rows[0][2] and "quote" not in rows[0][2]
    assert rows[1] == (3, ["E2", "Bob", "ok"], None)
