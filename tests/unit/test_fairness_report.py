"""The impact-ratio report: statistics, definitions, access, audit, the CLI, the chat card, and that matching never
reads the demographics."""
from __future__ import annotations

import ast
import base64
import csv
import io
import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from cards.model import Image
from cards.slack import render_blocks
from cards.teams import render_adaptive_card
from cards.text import render_text
from core.domain import Employee, Role
from core.impact_report import (MIN_GROUP_SIZE, NOT_REPORTED, OTHER_GROUP, FairnessReports, NotAllowed, compute_report,
                                fisher_exact, parse_demographics, to_csv, wilson_interval)
from core.importer import ImportReport
from bot.adapters.storage import SqlStore
from sqlalchemy import event
from handlers.requests import Request
from tests.conftest import hr, make_app, person

ROOT = Path(__file__).resolve().parents[2]
HR = Employee(id="H1", display_name="Hana HR", role=Role.HR_ADMIN)
ALL = (date(2000, 1, 1), date(2099, 12, 31))


# ---- statistics ---------------------------------------------------------------------------------------------------
def test_fisher_exact_matches_published_values():
    assert fisher_exact(1, 9, 11, 3) == pytest.approx(0.002759, abs=1e-6)     # the classic tea-tasting layout
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.485714, abs=1e-6)
    assert fisher_exact(5, 5, 5, 5) == pytest.approx(1.0)
    assert fisher_exact(0, 10, 0, 10) == 1.0
    # large tables stay fast and sane: 40% vs 50% of 50,000 each is a certain difference
    assert fisher_exact(20000, 30000, 25000, 25000) < 1e-100


def test_wilson_interval():
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    assert wilson_interval(0, 0) == (0.0, 1.0)


# ---- the report on a store ----------------------------------------------------------------------------------------
def _store(tmp_path, n=100) -> SqlStore:
    store = SqlStore.sqlite(tmp_path / "db.sqlite3")
    store.migrate()
    with store.transaction():
        for i in range(n):
            store.upsert_profile(Employee(id=f"E{i:03d}", display_name=f"P{i}", open_to_moves=i % 4 != 0,
                                          email=f"p{i}@corp.example"), "h", ["x"], 20, None, "m")
    return store


def _audit_at(store, at: str, action: str, shown: list[str]) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO audit_log(at, actor_id, action, query, shown_ids, details) VALUES "
                             "(?, 'M1', ?, 'q', ?, '{}')", (at, action, json.dumps(shown)))


def test_rates_impact_ratios_flags_and_small_groups(tmp_path):
    store = _store(tmp_path)
    # 40 women, 40 men, 12 "x", 3 "y" (too small alone: merged, then withheld), 5 without a value
    sexes = ["female"] * 40 + ["male"] * 40 + ["x"] * 12 + ["y"] * 3 + [""] * 5
    store.replace_demographics([(f"E{i:03d}", "sex", s) for i, s in enumerate(sexes) if s], "H1")
    women = [f"E{i:03d}" for i in range(0, 40)]
    men = [f"E{i:03d}" for i in range(40, 80)]
    # shown: 16 of 40 women, 32 of 40 men, all 12 x; one search outside the period and one non-search action
    _audit_at(store, "2026-03-01T10:00:00+00:00", "search", women[:16] + men[:32])
    _audit_at(store, "2026-03-02T10:00:00+00:00", "redraw", [f"E{i:03d}" for i in range(80, 92)])
    _audit_at(store, "2025-01-01T10:00:00+00:00", "search", women)
    _audit_at(store, "2026-03-03T10:00:00+00:00", "details", women)
    report = compute_report(store, date(2026, 1, 1), date(2026, 12, 31))
    shown = {r.group: r for r in report.stages[0].rows}
    assert (shown["female"].selected, shown["female"].eligible) == (16, 40)
    assert shown["x"].reference and shown["x"].rate == 1.0
    assert shown["male"].impact_ratio == pytest.approx(0.8) and not shown["male"].below_four_fifths
    assert shown["female"].impact_ratio == pytest.approx(0.4) and shown["female"].below_four_fifths
    assert shown["female"].p_value < 0.001
    assert shown[OTHER_GROUP].rate is None and shown[OTHER_GROUP].eligible == 3      # "y" never reported alone
    assert "y" not in shown
    assert shown[NOT_REPORTED].impact_ratio is None and shown[NOT_REPORTED].eligible == 5
    # shortlisted: of those shown
    store.add_to_shortlist("M1", women[0])
    store.add_to_shortlist("M1", men[0])
    store.add_to_shortlist("M2", men[1])
    report = compute_report(store, date(2026, 1, 1), date(2099, 12, 31))
    short = {r.group: r for r in report.stages[1].rows}
    assert (short["female"].selected, short["female"].eligible) == (1, 16)
    assert (short["male"].selected, short["male"].eligible) == (2, 32)
    assert "may be chance" in short["female"].note or not short["female"].below_four_fifths


def test_population_open_counts_only_people_open_to_moves(tmp_path):
    store = _store(tmp_path)
    store.replace_demographics([(f"E{i:03d}", "sex", "f" if i % 2 else "m") for i in range(100)], "H1")
    report = compute_report(store, *ALL, population="open")
    assert report.people == 75
    assert sum(r.eligible for r in report.stages[0].rows) == 75


def test_intersections_and_csv(tmp_path):
    store = _store(tmp_path)
    store.replace_demographics([row for i in range(100) for row in (
        (f"E{i:03d}", "sex", "f" if i % 2 else "m"), (f"E{i:03d}", "age_band", "20-39" if i < 50 else "40+"))], "H1")
    report = compute_report(store, *ALL, intersect=("sex", "age_band"))
    assert "sex × age_band" in report.categories
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert {r["group"] for r in rows if r["category"] == "sex × age_band"} == {
        "f × 20-39", "f × 40+", "m × 20-39", "m × 40+"}
    assert all(r["stage"] in ("shown", "shortlisted") for r in rows)


def test_minimum_group_size_is_documented_and_sane():
    assert 5 <= MIN_GROUP_SIZE <= 10


# ---- demographics import ------------------------------------------------------------------------------------------
def test_import_reports_bad_rows_and_columns_and_keeps_the_rest():
    data = ("employee_id,name,sex,age_band,exact_age\n"
            "E1,Ann,female,30-39,31\n"
            "E2,Bob,male,40-49,45\n"
            "E404,Nobody,male,20-29,22\n"
            ",Nameless,male,20-29,22\n"
            "E1,Ann,female,40-49,41\n" + "".join(f"E{i},X,male,20-29,{i}\n" for i in range(3, 40))).encode()
    known = {f"E{i}" for i in range(1, 40)}
    rows, report = parse_demographics(data, "people.csv", known, {})
    assert ("E1", "age_band", "40-49") in rows and ("E1", "sex", "female") in rows    # the later row won
    assert not any(cat in ("name", "exact_age") for _, cat, _ in rows)
    assert report.ignored_columns == ["name"]
    reasons = dict(report.rejected)
    assert "no employee 'E404'" in reasons["people.csv line 4"]
    assert reasons["people.csv line 5"] == "no employee id"
    assert "appears again" in reasons["people.csv line 2"]
    assert "not a category" in reasons["people.csv column exact_age"]
    assert report.people == 39


def test_import_by_email_and_korean_cp949():
    data = "이메일,성별\nann@corp.example,여성\n".encode("cp949")
    rows, report = parse_demographics(data, "hr.csv", {"E1"}, {"ann@corp.example": "E1"})
    assert rows == [("E1", "성별", "여성")] and not report.rejected


# ---- access and audit ---------------------------------------------------------------------------------------------
def test_only_hr_admins_and_every_run_is_audited_without_values(tmp_path):
    store = _store(tmp_path, n=20)
    service = FairnessReports(store)
    path = tmp_path / "d.csv"
    path.write_text("employee_id,sex\n" + "".join(f"E{i:03d},{'f' if i % 2 else 'm'}\n" for i in range(20)))
    manager = Employee(id="M1", display_name="M", role=Role.MANAGER)
    for call in (lambda a: service.report(a), lambda a: service.import_demographics(a, path),
                 lambda a: service.delete_demographics(a), lambda a: service.demographics_status(a)):
        with pytest.raises(NotAllowed):
            call(manager)
    assert service.import_demographics(HR, path).rows == 20
    service.report(HR)
    assert service.delete_demographics(HR) == 20
    audit = store.list_audit()
    assert [e.action for e in audit] == ["demographics_import", "fairness_report", "demographics_delete"]
    assert "'f'" not in repr(audit) and '"f"' not in json.dumps([e.details for e in audit])


# ---- matching never reads the demographics ------------------------------------------------------------------------
MATCHING_MODULES = ["core/matching", "core/profiles.py", "core/importer.py", "core/fairness.py", "core/protected.py",
                    "core/resume", "core/gaps.py", "core/compare.py", "core/skills", "core/text.py", "core/reindex.py",
                    "core/ai", "bot/adapters/ai", "core/search.py", "core/access.py", "handlers/find_candidates.py", "handlers/talent_chat.py", "handlers/compare.py",
                    "handlers/gap_analysis.py", "handlers/my_profile.py", "handlers/resume.py"]


def test_no_matching_module_names_the_demographics():
    """By structure: the demographics are reached only through core/impact_report.py and the stores."""
    offenders = []
    for entry in MATCHING_MODULES:
        path = ROOT / entry
        for file in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
            tree = ast.parse(file.read_text(encoding="utf-8"))
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
                n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)} | {
                n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)} | {
                a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names} | {
                n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            if any("demographic" in name.lower() or "impact_report" in name for name in names):
                offenders.append(str(file.relative_to(ROOT)))
    assert offenders == []


def test_searches_never_touch_the_demographics_table_and_rank_the_same(empty_app, tmp_path):
    app = empty_app
    report = ImportReport()
    app.importer.upsert([person("E1", "Built Kafka pipelines on Kubernetes for payments, 2M events a day, 6 years",
                                title="Backend Engineer"),
                         person("E2", "Ran PostgreSQL and Redis on Kubernetes with Terraform for 5 years",
                                title="Platform Engineer"),
                         person("H1", "HR", role=Role.HR_ADMIN)], report)
    before = app.matching.search("backend engineer Kafka Kubernetes", limit=5)
    statements: list[str] = []

    def trace(dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(statements.append)
    app.store.engine.dispose()                       # every connection from here on traces what it runs
    event.listen(app.store.engine, "connect", trace)
    try:
        path = tmp_path / "d.csv"
        path.write_text("employee_id,sex\nE1,female\nE2,male\n")
        FairnessReports(app.store).import_demographics(app.store.get_employee("H1"), path)
        statements.clear()
        after = app.matching.search("backend engineer Kafka Kubernetes", limit=5)
        app.matching.search("카프카 백엔드 개발자", limit=5)
        app.importer.upsert([person("E3", "Kafka Streams and Flink for fraud detection, 4 years")], report)
        app.matching.search_as(app.store.get_employee("H1"), "Flink engineer")
    finally:
        event.remove(app.store.engine, "connect", trace)
        app.store.engine.dispose()
    assert statements and not [s for s in statements if "demographic" in s.lower()]
    assert [(c.employee_id, c.score, c.parts) for c in before.candidates] == \
        [(c.employee_id, c.score, c.parts) for c in after.candidates]


# ---- chat ---------------------------------------------------------------------------------------------------------
def test_chat_report_is_for_hr_only_with_a_table_and_a_chart(demo_app):
    app = demo_app
    admin = hr(app)
    manager = next(e for e in app.store.list_employees() if e.role == Role.MANAGER)
    path = app.settings.data_dir / "d.csv"
    people = app.store.list_employees()
    path.write_text("employee_id,sex\n" + "".join(f"{e.id},{'female' if i % 2 else 'male'}\n"
                                                  for i, e in enumerate(people)), encoding="utf-8")
    FairnessReports(app.store).import_demographics(admin, path)
    app.router.handle(Request(actor=manager, platform="local", text="find-candidates backend engineer Kafka"))
    refused = app.router.handle(Request(actor=manager, platform="local", text="fairness report"))
    assert "HR admins only" in refused.text and refused.ephemeral
    reply = app.router.handle(Request(actor=admin, platform="local", text="공정성 리포트"))
    card = reply.cards[0]
    text, _ = render_text(reply.cards)
    assert "선정률" in text and "female" in text
    image = next(b for b in card.blocks if isinstance(b, Image))
    assert Path(image.path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert base64.b64decode(image.url.split(",", 1)[1])[:4] == b"\x89PNG"
    schema = json.loads((ROOT / "tests" / "schemas" / "adaptive-card-1.5.schema.json").read_text())
    teams = render_adaptive_card(reply.cards)
    jsonschema.validate(teams, schema)
    assert any(el.get("type") == "Image" and el["url"].startswith("data:image/png") for el in teams["body"])
    assert len(json.dumps(teams)) < 40_000
    slack = render_blocks(app.router.handle(Request(actor=admin, platform="slack", text="fairness report")).cards)
    assert not any(b["type"] == "image" for b in slack) and "Slack cannot show it" in json.dumps(slack)
    assert [e.action for e in app.store.list_audit()].count("fairness_report") == 2


# ---- the command line ---------------------------------------------------------------------------------------------
def test_cli_import_report_chart_and_delete(tmp_path, capsys):
    data = tmp_path / "org"
    app = make_app(data)
    report = ImportReport()
    app.importer.upsert([person(f"E{i:02d}", f"Kafka and Kubernetes engineer number {i}", title="Engineer")
                         for i in range(30)], report)
    app.store.add_audit("M1", "search", "kafka", [f"E{i:02d}" for i in range(0, 30, 2)], {})
    app.close()
    csv_path = tmp_path / "hr.csv"
    csv_path.write_text("employee_id,성별\n" + "".join(f"E{i:02d},{'여성' if i % 2 else '남성'}\n" for i in range(30)),
                        encoding="utf-8")
    common = ["--data-dir", str(data), "--quiet"]
    assert main(["fairness", "demographics", "import", str(csv_path), *common]) == 0
    assert "30 people" in capsys.readouterr().out
    assert main(["fairness", "report", "--format", "csv", "--chart", str(tmp_path / "charts"), "--lang", "ko",
                 *common]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    women = next(r for r in rows if r["stage"] == "shown" and r["group"] == "여성")
    assert (women["selected"], women["eligible"], women["below_four_fifths"]) == ("0", "15", "True")
    chart = next((tmp_path / "charts").glob("*.png"))
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert main(["fairness", "report", "--format", "json", "--from", "2030-01-01", *common]) == 2   # from after to
    capsys.readouterr()
    assert main(["fairness", "demographics", "delete", *common]) == 2        # not a terminal: needs --yes
    assert main(["fairness", "demographics", "delete", "--yes", *common]) == 0
    assert "Deleted 30" in capsys.readouterr().out
    assert main(["fairness", "report", "--as", "E01", *common]) == 3          # not an HR admin


def test_korean_chart_labels_have_a_hangul_font():
    from matplotlib.font_manager import FontProperties, get_font

    from core.impact_chart import korean_font_path

    path = korean_font_path()
    assert path is not None, "koreanize-matplotlib (NanumGothic, OFL) is a dependency"
    font = get_font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "영향비율선정률여성남성응답없음")
    assert FontProperties(fname=path).get_name() == "NanumGothic"
