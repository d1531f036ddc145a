import json

from tests.unit.test_documents import make_docx, make_pdf

CSV = """id,display_name,email,department,title,level,role,open_to_moves,languages,resume_text
E1,Ann Lee,ann@corp.example,Payments,Backend Engineer,L4,employee,yes,"ko,en","Built Kafka pipelines in Java"
E2,,bob@corp.example,Payments,Engineer,L3,employee,yes,en,missing name
E3,Cho,cho@corp.example,Finance,Accountant,L2,wizard,no,ko,K-IFRS 결산
E4,Dae,dae@corp.example,Finance,Accountant,L2,manager,maybe,ko,K-IFRS 결산
E5,Eun,eun@corp.example,Finance,Accountant,L2,hr_admin,no,ko,K-IFRS 결산 및 재무제표 작성
"""


def test_csv_bad_rows_are_reported_with_line_and_the_rest_kept(empty_app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    report = empty_app.importer.import_path(path)
    assert (report.added, report.updated, report.unchanged) == (2, 0, 0)
    reasons = dict(report.rejected)
    assert "missing display_name" in reasons["people.csv line 3"]
    assert "unknown role 'wizard'" in reasons["people.csv line 4"]
    assert "open_to_moves" in reasons["people.csv line 5"]
    assert {e.id for e in empty_app.store.list_employees()} == {"E1", "E5"}
    ann = empty_app.store.get_employee("E1")
    assert ann.open_to_moves and ann.languages == ["ko", "en"] and {"kafka", "java"} <= set(ann.skill_ids)


def test_reimport_is_idempotent_and_only_changed_resumes_are_reembedded(empty_app, tmp_path):
    path = tmp_path / "people.jsonl"
    rows = [{"id": f"E{i}", "display_name": f"P{i}", "title": "Engineer", "resume_text": f"Python and Kafka {i}"}
            for i in range(5)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    first = empty_app.importer.import_path(path)
    assert (first.added, first.reembedded) == (5, 5)
    again = empty_app.importer.import_path(path)
    assert (again.added, again.updated, again.unchanged, again.reembedded) == (0, 0, 5, 0)
    rows[1]["resume_text"] = "Now a Terraform and AWS engineer"
    rows[2]["department"] = "Infrastructure"          # a field change: updated, but not re-embedded
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    third = empty_app.importer.import_path(path)
    assert (third.added, third.updated, third.unchanged, third.reembedded) == (0, 2, 3, 1)
    assert "terraform" in empty_app.store.get_employee("E1").skill_ids
    assert empty_app.store.get_employee("E2").department == "Infrastructure"
    assert empty_app.store.count_employees() == 5


def test_jsonl_and_json_errors_name_the_line(empty_app, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "E1", "display_name": "A"}\n{"id": "E2", "display_name": \n{"id": "E3", "display_name": "C"}\n')
    report = empty_app.importer.import_path(bad)
    assert report.added == 2 and report.rejected[0][0] == "bad.jsonl line 2"
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "X1", "display_name": "A"},\n {"id": }]')
    report = empty_app.importer.import_path(broken)
    assert report.added == 0 and report.rejected[0][0] == "broken.json line 2"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"employees": [{"id": "W1", "display_name": "W"}, "nonsense"]}))
    report = empty_app.importer.import_path(wrapped)
    assert report.added == 1 and report.rejected == [("wrapped.json record 2", "expected an object with employee fields")]


def test_folder_of_records_and_resume_files(empty_app, tmp_path):
    folder = tmp_path / "hr-export"
    (folder / "resumes").mkdir(parents=True)
    (folder / "people.csv").write_text("id,display_name,email,title\nE10,Kim,kim@corp.example,Engineer\n"
                                       "E11,Park,park@corp.example,Accountant\nE12,Lim,lim@corp.example,Designer\n")
    make_pdf(folder / "resumes" / "E10.pdf", [["Backend engineer"], ["쿠버네티스 클러스터 운영"], ["Terraform on AWS"]])
    make_docx(folder / "resumes" / "park@corp.example.docx", ["K-IFRS 연결 결산", "SAP FI 운영"])
    (folder / "resumes" / "E12.md").write_text("# Designer\n- Figma design systems\n", encoding="utf-8")
    (folder / "resumes" / "E99.txt").write_text("Somebody unknown")
    (folder / "resumes" / "photo.png").write_bytes(b"\x89PNG")
    (folder / "resumes" / "E13.pdf").write_bytes(b"%PDF-1.4 garbage")
    report = empty_app.importer.import_path(folder)
    assert report.added == 3
    rejected = dict(report.rejected)
    assert "no employee with id or e-mail 'E99'" in rejected[str(folder.joinpath("resumes/E99.txt").relative_to(folder))]
    assert "unsupported file type '.png'" in rejected["resumes/photo.png"]
    assert "resumes/E13.pdf" in rejected
    assert {"kubernetes", "terraform"} <= set(empty_app.store.get_employee("E10").skill_ids)   # page 2 and 3 read
    assert "k_ifrs" in " ".join(empty_app.store.get_employee("E11").skill_ids) or \
        any("ifrs" in s for s in empty_app.store.get_employee("E11").skill_ids)
    assert "figma" in empty_app.store.get_employee("E12").skill_ids


def test_resume_file_for_an_existing_employee_updates_only_them(empty_app, tmp_path):
    (tmp_path / "p.csv").write_text("id,display_name,title,resume_text\nE1,A,Engineer,Java\nE2,B,Engineer,Go\n")
    empty_app.importer.import_path(tmp_path / "p.csv")
    (tmp_path / "E1.txt").write_text("Rust and WebAssembly engineer")
    report = empty_app.importer.import_path(tmp_path / "E1.txt")
    assert (report.updated, report.reembedded) == (1, 1)
    assert "rust" in empty_app.store.get_employee("E1").skill_ids


def test_missing_path_and_unknown_type(empty_app, tmp_path):
    assert "no such file" in empty_app.importer.import_path(tmp_path / "nope.csv").rejected[0][1]
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    assert "unsupported file type '.xlsx'" in empty_app.importer.import_path(tmp_path / "x.xlsx").rejected[0][1]


def test_an_export_without_chat_ids_keeps_the_ids_the_bot_learned(empty_app, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,display_name,title,resume_text\nE1,Ann,Engineer,Java and Kafka\n")
    empty_app.importer.import_path(path)
    ann = empty_app.store.get_employee("E1")
    ann.slack_user_id = "U123"
    empty_app.store.update_fields(ann)
    path.write_text("id,display_name,title,resume_text,department\nE1,Ann,Engineer,Java and Kafka,Payments\n")
    empty_app.importer.import_path(path)
    again = empty_app.store.get_employee("E1")
    assert again.slack_user_id == "U123" and again.department == "Payments"


def test_imported_resumes_never_keep_contact_details(empty_app, tmp_path):
    (tmp_path / "p.csv").write_text("id,display_name,title,resume_text\nE1,A,Engineer,Java\n")
    empty_app.importer.import_path(tmp_path / "p.csv")
    (tmp_path / "E1.txt").write_text("Phone 010-4821-7730, jane@mail.example\n주민등록번호 880314-2345678\n"
                                     "서울특별시 강남구 테헤란로 152\nBuilt Kafka 2.8 pipelines 2019-2021 in Java 17\n")
    empty_app.importer.import_path(tmp_path / "E1.txt")
    stored = empty_app.store.get_employee("E1").resume_text
    for secret in ("010-4821-7730", "jane@mail.example", "880314-2345678", "테헤란로 152"):
        assert secret not in stored
    assert "Built Kafka 2.8 pipelines 2019-2021 in Java 17" in stored
    again = empty_app.importer.import_path(tmp_path / "E1.txt")
    assert again.reembedded == 0                      # redacted the same way twice: recognised as unchanged


def test_a_person_who_comes_twice_is_stored_as_the_later_record_and_counted_once(empty_app, tmp_path):
    from core.importer import BATCH_SIZE

    rows = [{"id": f"E{i}", "display_name": f"P{i}", "title": "Engineer", "resume_text": f"Python {i}"}
            for i in range(BATCH_SIZE + 10)]
    # E1 again in a later batch with another resume; E2 again in the same batch, first changed then as it was
    rows.append({"id": "E1", "display_name": "P1", "title": "Engineer", "resume_text": "Terraform and AWS"})
    rows.append({"id": "E4", "display_name": "P4", "role": "wizard", "resume_text": "Go"})   # invalid: E4 kept
    rows.insert(3, {"id": "E2", "display_name": "P2", "title": "Engineer", "resume_text": "Kubernetes operator",
                    "department": "Platform"})
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    report = empty_app.importer.import_path(path)
    assert (report.added, report.updated, report.unchanged) == (BATCH_SIZE + 10, 0, 0)
    reasons = dict(report.rejected)
    assert "appears again at people.jsonl line 4" in reasons["people.jsonl line 3"]
    assert f"appears again at people.jsonl line {len(rows) - 1}" in reasons["people.jsonl line 2"]
    assert "unknown role 'wizard'" in reasons[f"people.jsonl line {len(rows)}"]
    assert "python" in empty_app.store.get_employee("E4").skill_ids
    e1, e2 = empty_app.store.get_employee("E1"), empty_app.store.get_employee("E2")
    assert "terraform" in e1.skill_ids and "python" not in e1.skill_ids
    assert e2.department == "Platform" and "kubernetes" in e2.skill_ids
    assert empty_app.store.count_employees() == BATCH_SIZE + 10
    # the same file again: nothing changed, each person counted once
    again = empty_app.importer.import_path(path)
    assert (again.added, again.updated, again.unchanged, again.reembedded) == (0, 0, BATCH_SIZE + 10, 0)


def test_a_large_records_file_is_streamed_not_held(empty_app, tmp_path):
    """An import holds one record at a time, never the file (which it would otherwise hold several times over)."""
    import tracemalloc

    from core.importer import iter_records

    resume = "Built Kafka pipelines in Java and Python for payments. " * 180       # ~10 KB per resume
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,display_name,title,resume_text\n")
        for i in range(1200):
            out.write(f'E{i},Person {i},Engineer,"{resume}\n(line two of resume {i})"\n')
    size = path.stat().st_size
    tracemalloc.start()
    try:
        records = sum(1 for _ in iter_records(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert records == 1200 and peak < size / 4, (peak, size)


def test_the_progress_bar_knows_its_end_from_the_start_and_reaches_it(empty_app, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")          # five records, three of them invalid
    calls = []
    empty_app.importer.import_path(path, lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 5) and calls[-1] == (2, 2)


def test_resume_files_named_by_id_and_by_email_go_to_the_imported_record_not_the_stored_one(empty_app, tmp_path):
    base = tmp_path / "base.jsonl"
    base.write_text("\n".join(json.dumps(r) for r in [
        {"id": "E6", "display_name": "Jane", "email": "jane@corp.example", "department": "Payments",
         "title": "Engineer", "resume_text": "Java"},
        {"id": "E5", "display_name": "Eun", "email": "old@corp.example", "department": "Payments",
         "resume_text": "Java"}]), encoding="utf-8")
    empty_app.importer.import_path(base)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "people.csv").write_text("id,display_name,email,department,title\n"
                                       "E6,Jane,jane@corp.example,Risk,Staff Engineer\n"
                                       "E5,Eun,new@corp.example,Risk,\n", encoding="utf-8")
    (folder / "E6.txt").write_text("Terraform on AWS", encoding="utf-8")
    (folder / "jane@corp.example.txt").write_text("Figma design systems", encoding="utf-8")     # sorts last: wins
    (folder / "old@corp.example.txt").write_text("Kotlin", encoding="utf-8")     # E5's e-mail before this import
    report = empty_app.importer.import_path(folder)
    jane, eun = empty_app.store.get_employee("E6"), empty_app.store.get_employee("E5")
    assert (jane.department, jane.title, jane.resume_text) == ("Risk", "Staff Engineer", "Figma design systems")
    assert (eun.email, eun.department) == ("new@corp.example", "Risk")     # the new record is not undone
    assert dict(report.rejected) == {"old@corp.example.txt": "'old@corp.example' is no longer the e-mail of "
                                                             "employee E5 in this import; name the file E5.txt to "
                                                             "attach it to them"}
    assert (report.updated, report.added) == (2, 0)
