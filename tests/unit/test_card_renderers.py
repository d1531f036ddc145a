"""Slack Block Kit and Teams Adaptive Card rendering of the neutral cards."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
from slack_sdk.models.blocks import Block as SlackBlock

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Text
from cards.slack import action_name, render_blocks, render_message
from cards.teams import invoke_response, render_adaptive_card, render_attachment

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ADAPTIVE_SCHEMA = json.loads((SCHEMAS / "adaptive-card-1.5.schema.json").read_text(encoding="utf-8"))
ADAPTIVE_CT = "application/vnd.microsoft.card.adaptive"
# The same listener pattern the Slack adapter registers (see the cards.slack docstring).
SLACK_ACTION_PATTERN = re.compile(r"^(details|shortlist|next_page)(:.*)?$")


# ---- neutral cards --------------------------------------------------------------------------------------------------
def candidate(rank: int, text: str | None = None, label_size: int = 0) -> list:
    sid = "abc123"
    head = text or (f"**{rank}. Person {rank}** — Senior Engineer\nScore 8{rank}/100 (strong) · Payments · L4 · Seoul\n"
                    f"✓ **Kafka**: “ran Kafka & <Flink> pipelines”")
    return [Divider(), Text(head),
            Actions((Button("Details" + "x" * label_size, "details", f"{sid}:E{rank:04d}"),
                     Button("Shortlist" + "y" * label_size, "shortlist", f"{sid}:E{rank:04d}", style="primary")))]


def results_card(n: int = 5, **kwargs) -> Card:
    card = Card(fallback="Internal candidates for “backend & Kafka”")
    card.add(Header("Internal candidates for “backend & Kafka”"),
             Context("Showing 1–5 of 23 · skills: **Kafka**, Python"))
    for rank in range(1, n + 1):
        card.add(*candidate(rank, **kwargs))
    card.add(Divider(), Actions((Button("Next page", "next_page", "abc123:5"),)))
    return card


def huge_card() -> Card:
    """Everything too big at once: 40 candidates of 4000-character texts, 15 fields, a 300-character header and
    labels far over 75 characters."""
    long_text = "\n".join(f"**line {i}** " + "evidence & <detail> " * 9 for i in range(22))   # ≈ 4000 chars, bold
    assert len(long_text) >= 4000
    card = Card(fallback="huge")
    card.add(Header("H" * 300), Fields(tuple((f"Field {i}", "v" * 2500 if i == 0 else f"value {i}") for i in range(15))))
    card.add(Text("x" * 3500 + " **bold across the cut** " + "y" * 3500))   # one line far over 3000 characters
    for rank in range(1, 41):
        card.add(*candidate(rank, text=long_text, label_size=100))
    card.add(Divider(), Actions((Button("Next page " + "z" * 100, "next_page", "abc123:40"),)))
    return card


def details_card() -> Card:
    card = Card(fallback="Person 1 — Senior Engineer")
    card.add(Header("**Person 1** — Senior Engineer"),
             Fields((("Title", "Senior Engineer"), ("Department", "R&D"), ("Level", "L4"), ("Location", "Seoul"),
                     ("Open to moves", "yes"))),
             Text("**Skills**\n• **Kafka** — “built <streaming> & batch jobs”\n• **Python** — “10 years”"),
             Context("Profile is thin"))
    return card


def all_actions(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


# ---- Slack ----------------------------------------------------------------------------------------------------------
def test_slack_results_card():
    message = render_message([results_card()])
    blocks = message["blocks"]
    assert message["text"] == "Internal candidates for “backend &amp; Kafka”"
    assert [b["type"] for b in blocks[:4]] == ["header", "context", "divider", "section"]
    assert blocks[0]["text"] == {"type": "plain_text", "text": "Internal candidates for “backend & Kafka”", "emoji": True}
    first = blocks[3]["text"]
    assert first["type"] == "mrkdwn"
    assert first["text"].startswith("*1. Person 1* — Senior Engineer\n")
    assert "“ran Kafka &amp; &lt;Flink&gt; pipelines”" in first["text"] and "**" not in first["text"]
    assert "*Kafka*" in blocks[1]["elements"][0]["text"]

    actions = all_actions(blocks)
    ids = [a["action_id"] for a in actions]
    assert len(ids) == 11 and len(set(ids)) == 11
    assert ids[:3] == ["details:1", "shortlist:2", "details:3"]
    assert [action_name(i) for i in ids] == ["details", "shortlist"] * 5 + ["next_page"]
    assert all(SLACK_ACTION_PATTERN.match(i) for i in ids)
    assert actions[0]["value"] == "abc123:E0001" and "style" not in actions[0]
    assert actions[1]["style"] == "primary"
    assert actions[-1]["value"] == "abc123:5"
    json.dumps(message)   # plain JSON, ready for chat.postMessage


def test_slack_huge_card_stays_within_limits():
    blocks = render_blocks([huge_card()])     # would raise SlackObjectFormationError on any broken limit
    assert len(blocks) <= 50
    for block in blocks:                      # and they parse back into valid slack_sdk blocks
        SlackBlock.parse(block).to_dict()
    header = blocks[0]
    assert header["type"] == "header" and len(header["text"]["text"]) == 150 and header["text"]["text"].endswith("…")

    sections = [b for b in blocks if b["type"] == "section"]
    texts = [b["text"]["text"] for b in sections if "text" in b]
    assert texts and all(len(t) <= 3000 for t in texts)
    field_sections = [b for b in sections if "fields" in b]
    assert [len(b["fields"]) for b in field_sections] == [10, 5]
    assert all(len(f["text"]) <= 2000 for b in field_sections for f in b["fields"])
    assert field_sections[0]["fields"][0]["text"].endswith("…")
    # the 7000-character line is split into sections, with bold closed and reopened across the cut
    long_parts = [t for t in texts if t.startswith("xxx") or t.startswith("y") or "bold across" in t]
    assert len(long_parts) >= 3
    assert all(t.count("*") % 2 == 0 for t in texts)
    assert "**" not in "".join(texts)

    actions = all_actions(blocks)
    ids = [a["action_id"] for a in actions]
    assert len(ids) == len(set(ids))
    assert {action_name(i) for i in ids} == {"details", "shortlist", "next_page"}
    assert all(len(a["text"]["text"]) <= 75 for a in actions)
    # cut at a candidate boundary, said so, and the next page button kept at the very end
    assert blocks[-2]["type"] == "context" and "more results hidden; use Next page" in blocks[-2]["elements"][0]["text"]
    assert blocks[-1]["type"] == "actions" and action_name(blocks[-1]["elements"][0]["action_id"]) == "next_page"
    assert blocks[-3]["type"] == "actions"      # the last shown candidate still has its buttons


def test_slack_text_split_at_line_boundaries():
    lines = [f"**{i}** " + "a" * 90 for i in range(100)]          # ~9700 characters, every line ~97
    blocks = render_blocks([Card([Text("\n".join(lines))])])
    assert len(blocks) >= 4 and all(b["type"] == "section" for b in blocks)
    rebuilt = "\n".join(b["text"]["text"] for b in blocks)
    assert rebuilt == "\n".join(f"*{i}* " + "a" * 90 for i in range(100))   # nothing lost, cut only between lines
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)


def test_slack_bold_kept_across_a_cut():
    blocks = render_blocks([Card([Text("**" + "word & " * 1000 + "end**")])])      # one bold line, ~9000 escaped
    texts = [b["text"]["text"] for b in blocks]
    assert len(texts) >= 3 and all(len(t) <= 3000 for t in texts)
    # each piece is bold on its own: "*…*", no space inside the markers (Slack would not render it bold)
    assert all(re.fullmatch(r"\*\S.*\S\*", t) and t.count("*") == 2 for t in texts)
    assert texts[-1].endswith("end*")


def test_slack_escaping_does_not_break_limits():
    blocks = render_blocks([Card([Text("&" * 2999)])])       # 2999 raw characters, 14995 escaped
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks)
    joined = "".join(b["text"]["text"] for b in blocks)
    assert joined == "&amp;" * 2999                           # never cut inside an entity


def test_slack_many_buttons_split_into_actions_blocks():
    buttons = tuple(Button(f"B{i}", "details", f"v{i}", style="blue") for i in range(30))
    blocks = render_blocks([Card([Actions(buttons)])])
    assert [len(b["elements"]) for b in blocks] == [25, 5]
    ids = [e["action_id"] for e in all_actions(blocks)]
    assert len(set(ids)) == 30 and all("style" not in e for e in all_actions(blocks))


def test_slack_button_value_limit():
    blocks = render_blocks([Card([Actions((Button("Go", "details", "v" * 2500, style="danger"),))])])
    button = blocks[0]["elements"][0]
    assert len(button["value"]) == 2000 and button["style"] == "danger"


def test_slack_details_and_notice_cards():
    blocks = render_blocks([details_card(), Card([Text("Added to your shortlist")], fallback="ok")])
    kinds = [b["type"] for b in blocks]
    assert kinds == ["header", "section", "section", "context", "divider", "section"]
    assert blocks[0]["text"]["text"] == "Person 1 — Senior Engineer"          # plain text: no markers
    assert blocks[1]["fields"][0]["text"] == "*Title*\nSenior Engineer"
    assert blocks[1]["fields"][1]["text"] == "*Department*\nR&amp;D"
    assert "&lt;streaming&gt; &amp; batch" in blocks[2]["text"]["text"]


@pytest.mark.parametrize("action_id, name", [("details:1", "details"), ("next_page:12", "next_page"),
                                              ("shortlist", "shortlist"), ("a:b:3", "a:b"), ("", "")])
def test_action_name(action_id, name):
    assert action_name(action_id) == name


def test_slack_real_results_card_from_the_handler():
    """The card the product builds today (FindCandidates.results_card) renders within limits."""
    from core.domain import Candidate, Employee, MatchedSkill, Role, ScoreParts, SearchFilters, SearchPage
    from handlers.find_candidates import FindCandidates

    parts = ScoreParts(0.5, 0.5, 0.5, 1.0)
    people = tuple(Candidate(f"E{i:04d}", f"Person {i}", "R&D", "Engineer", "L4", "Seoul", True, 80 - i, "strong", parts,
                             (MatchedSkill("kafka", "Kafka", "built <streaming> jobs"),), ("Go",), i == 2)
                   for i in range(1, 6))
    page = SearchPage("backend & kafka", SearchFilters(), people, 0, 23, ("Kafka",))
    actor = Employee(id="M1", display_name="Manager", role=Role.MANAGER)
    handler = FindCandidates.__new__(FindCandidates)          # results_card needs no services
    card = handler.results_card(page, "abc123", actor, "en", 5)
    blocks = render_blocks([card])
    ids = [a["action_id"] for a in all_actions(blocks)]
    # details, shortlist, skill gap, 👍 and 👎 per person, then "compare top 4" and "next page"
    assert len(ids) == len(set(ids)) == 27
    assert [action_name(i) for i in ids][:5] == ["details", "shortlist", "gap_analysis", "feedback_up", "feedback_down"]
    assert [action_name(i) for i in ids][-2:] == ["compare_page", "next_page"]
    adaptive = render_adaptive_card([card])
    assert_valid_adaptive_card(adaptive)
    assert [a["verb"] for a in all_executes(adaptive)][-1] == "next_page"


# ---- Adaptive Cards -------------------------------------------------------------------------------------------------
def adaptive_validator() -> jsonschema.Draft6Validator:
    jsonschema.Draft6Validator.check_schema(ADAPTIVE_SCHEMA)
    # All $refs in the schema are local ("#/definitions/…"), resolved against its draft-06 "id"; nothing is fetched.
    return jsonschema.Draft6Validator(ADAPTIVE_SCHEMA)


def adaptive_errors(card: dict) -> list[str]:
    errors = []
    for error in adaptive_validator().iter_errors(card):
        best = jsonschema.exceptions.best_match(error.context) if error.context else error
        errors.append(f"{'/'.join(map(str, best.absolute_path))}: {best.message[:200]}")
    return errors


def assert_valid_adaptive_card(card: dict) -> None:
    assert adaptive_errors(card) == []
    # The schema requires neither "type" nor "version" at the top level (AdaptiveCard has no "required"), so check them.
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"


def all_executes(card: dict) -> list[dict]:
    return [a for e in card["body"] if e["type"] == "ActionSet" for a in e["actions"]]


def test_adaptive_results_card():
    card = render_adaptive_card([results_card()])
    assert_valid_adaptive_card(card)
    assert card["fallbackText"] == "Internal candidates for “backend & Kafka”"
    header = card["body"][0]
    assert header == {"type": "TextBlock", "text": "Internal candidates for “backend & Kafka”", "wrap": True,
                      "size": "Large", "weight": "Bolder", "style": "heading"}
    context = card["body"][1]
    assert context["isSubtle"] is True and context["size"] == "Small" and "**Kafka**" in context["text"]
    # a divider becomes a separator on the next element; each line of a Text is its own TextBlock
    first = card["body"][2]
    assert first["separator"] is True and first["text"] == "**1. Person 1** — Senior Engineer" and first["wrap"]
    assert card["body"][3]["spacing"] == "none"
    assert "“ran Kafka & <Flink> pipelines”" in card["body"][4]["text"]       # no HTML escaping in Adaptive Cards

    executes = all_executes(card)
    assert len(executes) == 11 and all(a["type"] == "Action.Execute" for a in executes)
    assert executes[0] == {"type": "Action.Execute", "title": "Details", "verb": "details",
                           "data": {"action_id": "details", "value": "abc123:E0001"}}
    assert executes[1]["style"] == "positive"
    assert executes[-1]["verb"] == "next_page" and executes[-1]["data"]["value"] == "abc123:5"
    assert "actions" not in card                           # buttons stay next to their candidate


def test_adaptive_details_card_and_styles():
    card = render_adaptive_card([details_card(),
                                 Card([Actions((Button("Remove", "shortlist_remove", "x", style="danger"),))])])
    assert_valid_adaptive_card(card)
    factset = next(e for e in card["body"] if e["type"] == "FactSet")
    assert factset["facts"][1] == {"title": "Department", "value": "R&D"}
    assert card["body"][0]["text"] == "Person 1 — Senior Engineer"
    action_set = card["body"][-1]
    assert action_set["separator"] is True                 # between two cards
    assert action_set["actions"][0]["style"] == "destructive"


def test_adaptive_huge_card_is_valid_and_fits():
    card = render_adaptive_card([huge_card()])
    assert_valid_adaptive_card(card)
    assert len(json.dumps(card, ensure_ascii=False).encode()) <= 40_000
    assert card["body"][-2]["text"] == "… more results hidden; use Next page"
    assert all_executes(card)[-1]["verb"] == "next_page"
    assert all(len(e["actions"]) <= 6 for e in card["body"] if e["type"] == "ActionSet")


def test_adaptive_attachment_and_invoke_response():
    attachment = render_attachment([results_card()])
    assert attachment["contentType"] == ADAPTIVE_CT
    assert_valid_adaptive_card(attachment["content"])
    response = invoke_response([details_card()])
    assert set(response) == {"statusCode", "type", "value"}
    assert response["statusCode"] == 200 and response["type"] == ADAPTIVE_CT
    assert_valid_adaptive_card(response["value"])
    json.dumps(response)


def _broken(mutate) -> dict:
    card = copy.deepcopy(render_adaptive_card([results_card()]))
    mutate(card)
    return card


@pytest.mark.parametrize("why, mutate", [
    ("unknown element type", lambda c: c["body"][0].update(type="TextBlox")),
    ("TextBlock without text", lambda c: c["body"][0].pop("text")),
    ("unknown property", lambda c: c["body"][0].update(colour="red")),
    ("Slack button style", lambda c: c["body"][-1]["actions"][0].update(style="primary")),
    ("verb not a string", lambda c: c["body"][-1]["actions"][0].update(verb=7)),
    ("separator not a boolean", lambda c: c["body"][2].update(separator="yes")),
    ("fact without value", lambda c: c["body"].append({"type": "FactSet", "facts": [{"title": "x"}]})),
    ("wrong card type", lambda c: c.update(type="HeroCard")),
    ("card-level unknown property", lambda c: c.update(msteams={"width": "Full"})),
])
def test_adaptive_schema_rejects_broken_cards(why, mutate):
    assert adaptive_errors(_broken(mutate)), why


def test_adaptive_schema_quirks():
    """What the 1.5 schema does not catch, hence the explicit checks in assert_valid_adaptive_card."""
    no_version = _broken(lambda c: (c.pop("version"), c.pop("type")))
    assert adaptive_errors(no_version) == []
    # enum values are also accepted case-insensitively through an unanchored pattern ("Large" as well as "large")
    assert adaptive_errors(_broken(lambda c: c["body"][0].update(size="large", weight="bolder"))) == []
