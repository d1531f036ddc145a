"""The shared request check (core.guardrails) at every entry, turned into replies.

* A discriminatory request gets a card that names each protected ground and its rule in plain words, says what to
  ask instead, and offers the lawful rewording as a one-tap button ("Search for: backend engineer"). It is written to
  the audit log as a refusal (action "refused", with the ground), never as a search, and nothing is looked up.
* An attempt to change the assistant's instructions is declined.
* Small talk and off-topic questions ("오늘 점심 메뉴 추천해줘", "how's the weather?") get a short, polite answer with
  what this person can ask (by role), never a people search and never an audit entry.

The button carries the rewording itself; pressing it checks the text again before anything runs, so an edited button
value cannot slip a criterion through.
"""
from __future__ import annotations

from cards.model import Actions, Button, Card, Context, Header, Text
from core import audit
from core.domain import Role
from core.guardrails import Verdict, check_request
from handlers.messages import t
from handlers.requests import Reply, Request

REWORD_ACTION = "guardrail_reword"
MAX_REWORDING_IN_BUTTON = 1500          # Slack button values hold 2,000 characters
MAX_LABEL_TEXT = 50
_SEPARATOR = "\t"


def screen(store, request: Request, text: str, entry: str, lang: str, extractor=None,
           target: str = "") -> Reply | None:
    """The reply that stops a request at `entry` ("search", "chat", "gap", "compare"), or None when it may run.
    `target`: who a gap analysis or comparison is about, kept on the rewording button."""
    verdict = check_request(text, entry, lang, extractor)
    if verdict.ok or verdict.kind == "empty":
        return None
    if verdict.kind == "discriminatory":
        audit_refusal(store, request.actor, verdict, text)
        return refusal_reply(verdict, lang, target)
    if verdict.kind == "injection":
        return Reply([Card([Text(t("chat_declined_injection", lang))], fallback=t("chat_declined_injection", lang))],
                     lang=lang, ephemeral=True)
    return off_topic_reply(request, lang)


def audit_refusal(store, actor, verdict: Verdict, text: str, found_by: str = "request") -> None:
    """A refusal in the audit log (core.audit.refusal): who asked, what, where, on which ground (never a search)."""
    audit.refusal(store, actor, verdict, text, found_by)


def refusal_card(verdict: Verdict, lang: str, target: str = "") -> Card:
    """Each ground with its rule and what to ask instead, and the lawful rewording as a button."""
    card = Card(fallback=t("guard_refused_title", lang))
    card.add(Header(t("guard_refused_title", lang)))
    for category in verdict.categories:
        words = ", ".join(dict.fromkeys(f"“{i.matched}”" for i in verdict.issues if i.category == category))
        issue = next(i for i in verdict.issues if i.category == category)
        card.add(Text(f"**{words}** — {issue.explanation(lang)}"), Context(issue.alternative(lang)))
    rewording = verdict.rewrite
    if rewording and len(rewording) <= MAX_REWORDING_IN_BUTTON:
        label_key = {"gap": "btn_reword_gap", "compare": "btn_reword_compare"}.get(verdict.entry, "btn_reword_search")
        shown = rewording if len(rewording) <= MAX_LABEL_TEXT else rewording[:MAX_LABEL_TEXT - 1] + "…"
        card.add(Text(t("guard_rewording", lang, text=rewording)),
                 Actions((Button(t(label_key, lang, text=shown), REWORD_ACTION,
                                 _SEPARATOR.join((verdict.entry, target, rewording)), style="primary"),)))
    else:
        card.add(Context(t("guard_no_rewording", lang)))
    return card


def refusal_reply(verdict: Verdict, lang: str, target: str = "") -> Reply:
    return Reply([refusal_card(verdict, lang, target)], lang=lang, ephemeral=True)


def parse_rewording(value: str) -> tuple[str, str, str]:
    """(entry, target, rewording) of a rewording button's value."""
    entry, _, rest = (value or "").partition(_SEPARATOR)
    target, _, rewording = rest.partition(_SEPARATOR)
    return entry, target, rewording


def off_topic_card(role: Role | None, lang: str) -> Card:
    """Short and polite: this assistant helps with internal hiring, and this is what this person can ask."""
    card = Card(fallback=t("offtopic_lead", lang))
    card.add(Text(t("offtopic_lead", lang)))
    examples = {Role.HR_ADMIN: "offtopic_examples_hr", Role.MANAGER: "offtopic_examples_manager"}.get(
        role, "offtopic_examples_employee")
    card.add(Text(t(examples, lang)))
    return card


def off_topic_reply(request: Request, lang: str) -> Reply:
    return Reply([off_topic_card(request.actor.role if request.actor else None, lang)], lang=lang, ephemeral=True)
