import io
import json
import shutil
import os
import subprocess
import sys

import pytest

from bot.cli import main
from bot.local_chat import LocalChat
from tests.conftest import make_app


@pytest.fixture
def org_dir(demo_db, tmp_path):
    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    return target


def test_search_json_prints_ranked_results_with_reasons(org_dir, capsys):
    assert main(["search", "backend engineer who knows Kafka", "--limit", "4", "--json", "--data-dir", str(org_dir),
                 "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 4
    first = out["results"][0]
    assert first["employee_id"].startswith("E") and 0 <= first["score"] <= 100
    assert any(m["skill"] for m in first["matched"]) and all(m["evidence"] for m in first["matched"])
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True)
    # HR-admin visibility by default: people not open to moves can appear, flagged
    assert "open_to_moves" in first


def test_search_as_an_employee_is_refused(org_dir, capsys):
    assert main(["search", "kafka", "--as", "E0003", "--data-dir", str(org_dir), "--quiet"]) == 3
    assert "open to managers and HR only" in capsys.readouterr().err      # the chat's own words


def test_search_as_a_manager_only_returns_people_open_to_moves(org_dir, capsys):
    main(["search", "engineer", "--as", "E0002", "--limit", "20", "--json", "--data-dir", str(org_dir), "--quiet"])
    results = json.loads(capsys.readouterr().out)["results"]
    assert len(results) == 20 and all(r["open_to_moves"] for r in results)


def test_import_prints_a_summary_and_data_dirs_are_separate(tmp_path, capsys):
    records = tmp_path / "people.csv"
    records.write_text("id,display_name,title,resume_text\nA1,Ann,Engineer,Kafka and Java\nA2,,Engineer,x\n")
    org_a, org_b = tmp_path / "org-a", tmp_path / "org-b"
    assert main(["import", str(records), "--data-dir", str(org_a), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 added, 0 updated, 0 unchanged, 1 rejected" in out and "people.csv line 3" in out
    assert main(["import", str(records), "--json", "--data-dir", str(org_b), "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 1
    assert main(["import", str(records), "--json", "--data-dir", str(org_a), "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == 1
    app = make_app(org_b)
    assert app.store.count_employees() == 1     # org B never saw the demo data nor org A's re-import
    app.close()


def test_data_dir_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("INTERNAL_HIRE_DATA_DIR", str(tmp_path / "env-org"))
    records = tmp_path / "p.jsonl"
    records.write_text('{"id": "Z1", "display_name": "Zed", "resume_text": "Figma"}\n')
    assert main(["import", str(records), "--quiet"]) == 0
    assert (tmp_path / "env-org" / "internal-hire.sqlite3").exists()


def test_audit_export_csv(org_dir, tmp_path, capsys):
    main(["search", "kafka engineer", "--data-dir", str(org_dir), "--quiet"])
    out_file = tmp_path / "audit.csv"
    assert main(["audit", "--output", str(out_file), "--data-dir", str(org_dir), "--quiet"]) == 0
    rows = out_file.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,at,actor_id,action,query,shown_ids")
    assert "kafka engineer" in rows[-1] and "cli_search" in rows[-1]


def test_local_chat_conversation_with_numbered_buttons(org_dir):
    app = make_app(org_dir)
    manager = app.store.find_employee("E0002")
    inp = io.StringIO("find-candidates backend engineer Kafka 2\n1\n12\n99\n/as E0003\n카프카 개발자 찾아줘\nquit\n")
    out = io.StringIO()
    LocalChat(app, manager, out, inp).run()
    text = out.getvalue()
    assert "You are James Lee" in text
    assert "[1] Details" in text and "[3] Skill gap" in text and "[4] 👍  [5] 👎" in text and "[11] Compare top 2" in text
    assert "[12] Next page" in text
    # pressed 1: expanded in place, and the redrawn card's buttons are numbered on from 13, so no number changes
    # meaning under the person's fingers
    assert "Skills with evidence" in text and "[13] Hide details" in text and "[24] Next page" in text
    assert "Showing 3–4" in text                      # pressed 12: the Next page the person saw first
    assert "There is no choice 99. Choose 1-" in text
    assert "관리자와 HR 담당자만" in text                 # now an employee, asking in Korean
    assert "Traceback" not in text
    app.close()


def test_bad_option_exits_with_a_message(org_dir, capsys):
    assert main(["search", "designer level:senior", "--data-dir", str(org_dir), "--quiet"]) == 2
    assert "level:senior" in capsys.readouterr().err


def test_console_script_runs_the_chat_on_a_fresh_folder_and_loads_the_demo(tmp_path):
    exe = shutil.which("internal-hire") or f"{sys.prefix}/bin/internal-hire"
    # The demo database with the real embedder is built once per session (conftest demo_db); this one checks the
    # console script and the first-start load, so it embeds with the hashing embedder (about 10x faster).
    env = {**os.environ, "INTERNAL_HIRE_EMBEDDER": "hashing-256"}
    proc = subprocess.run([exe, "chat", "--data-dir", str(tmp_path / "fresh"), "--quiet"], input="help\nquit\n",
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Loaded the demo organisation (360 employees)" in proc.stderr
    assert "Examples" in proc.stdout and "Bye." in proc.stdout


def test_local_chat_fills_a_form_by_number_or_label_and_runs_a_background_job(org_dir):
    app = make_app(org_dir)
    hr = app.store.find_employee("E0001")
    inp = io.StringIO("new jd\n1\nhanbit\n백엔드\n4\n\n"              # the form: label, part of a label, a number
                      "custom jd: Hanbit Pay backend engineer L4 who built settlement systems with Kafka\n1\n\n\n\n\n"
                      "quit\n")
    out = io.StringIO()
    LocalChat(app, hr, out, inp).run()
    text = out.getvalue()
    assert "Use this" in text and "Show drafts" in text        # the three drafts came back
    assert "YOUR CUSTOM JD IS READY" in text.upper()         # the queued message ended as the review card
    assert "Traceback" not in text
    app.close()


def test_local_chat_a_number_typed_twice_never_presses_what_took_its_place(org_dir):
    """Issue 13.15: "Approve and publish" pressed twice by number closed the opening, which had moved into its place.
    Now the second press reaches the approve button the person saw (refused: out of date), and closing an opening
    takes a confirmation."""
    app = make_app(org_dir)
    author, approver = app.store.find_employee("E0001"), app.store.find_employee("E0045")
    inp = io.StringIO("new jd hanbit-pay backend L4\n1\n8\n"             # drafts -> Use this -> Submit
                      "/as E0045\njd pending\n1\n"                        # the approver opens it
                      "2\n\n"                                             # Approve and publish (reason: Enter)
                      "2\n\n"                                             # the same number again
                      "10\n"                                              # Close the opening: asks first
                      "14\n"                                              # Keep it open
                      "15\n18\n"                                          # Close again, then Yes, close it
                      "quit\n")
    out = io.StringIO()
    LocalChat(app, author, out, inp).run()
    text = out.getvalue()
    assert "[10] Approve and publish" in text and "[2] Approve and publish" in text
    assert "Approved and published as internal opening op-" in text
    assert "Nothing changed: this card was out of date. The JD is now published" in text
    assert "CLOSE THIS OPENING?" in text and "[13] Yes, close it  [14] Keep it open" in text
    [jd] = app.store.list_jds()
    opening = app.store.opening_for_jd(jd.id)
    assert opening.status.value == "closed" and opening.opened_by == approver.id != author.id
    assert text.count("The opening is closed.") == 1
    assert [d.action for d in app.store.jd_decisions(jd.id)] == ["submit", "approve", "publish", "close"]
    assert "Traceback" not in text
    app.close()
