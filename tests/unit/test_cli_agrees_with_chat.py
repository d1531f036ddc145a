"""The CLI runs the chat's search use case: same people, same messages, same limits (issue 14)."""
from __future__ import annotations

import json
import shutil

import pytest

from bot.cli import main
from cards.text import render_text
from handlers.requests import Request
from tests.conftest import hr, make_app


@pytest.fixture
def org_dir(demo_db, tmp_path):
    target = tmp_path / "org"
    shutil.copytree(demo_db, target)
    return target


def chat(org_dir, text: str):
    app = make_app(org_dir)
    try:
        actor = hr(app)
        reply = app.router.handle(Request(actor=actor, platform="local", text=text))
        shown = [e.shown_ids for e in app.store.list_audit() if e.action == "search"]
        return reply, shown
    finally:
        app.close()


def cli_json(org_dir, capsys, *args) -> tuple[int, dict]:
    code = main(["search", *args, "--json", "--data-dir", str(org_dir), "--quiet"])
    return code, json.loads(capsys.readouterr().out)


def test_hr_finds_the_same_people_in_the_cli_and_the_chat_with_a_korean_location(org_dir, capsys):
    code, data = cli_json(org_dir, capsys, "backend Kafka loc:서울", "--limit", "5")
    reply, shown = chat(org_dir, "find-candidates backend Kafka loc:서울 5")
    assert code == 0 and data["outcome"] == "results"
    assert data["total_eligible"] > 0 and data["results"]
    assert [r["employee_id"] for r in data["results"]] == list(shown[-1])
    assert all(r["location"].lower() == "seoul" for r in data["results"])


def test_an_unknown_department_gets_the_chats_message_in_the_cli(org_dir, capsys):
    code = main(["search", "backend dept:Paymnts", "--data-dir", str(org_dir), "--quiet"])
    err = capsys.readouterr().err
    reply, _ = chat(org_dir, "find-candidates backend dept:Paymnts")
    lead = reply.cards[0].blocks[1].text           # the card's lead line: "No department called Paymnts…"
    assert code == 2 and "Paymnts" in lead
    assert " ".join(lead.split()) in " ".join(err.split())
    code, data = cli_json(org_dir, capsys, "backend dept:Paymnts")
    assert code == 2 and data["outcome"] == "unknown_department" and data["names"] == ["Paymnts"]
    assert "Paymnts" in data["message"]


@pytest.mark.parametrize("args", [["backend engineer", "--limit", "21"], ["backend engineer 25"],
                                  ["backend engineer limit:0"]])
def test_the_1_to_20_limit_holds_the_same_way_in_the_cli(org_dir, capsys, args):
    code, data = cli_json(org_dir, capsys, *args)
    assert code == 2 and data["outcome"] == "bad_option" and "between 1 and 20" in data["why"]


def test_a_refused_search_prints_the_chats_refusal_and_exits_4(org_dir, capsys):
    assert main(["search", "backend engineer under 30", "--data-dir", str(org_dir), "--quiet"]) == 4
    err = capsys.readouterr().err
    reply, _ = chat(org_dir, "find-candidates backend engineer under 30")
    text, _ = render_text(reply.cards)
    assert text.strip().splitlines()[0] in err
