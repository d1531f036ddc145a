"""Presenter of the feedback loop (core/feedback.py): the 👍/👎 buttons other cards carry, their acknowledgement in the
presser's language, HR's outcome command (`moved E0123 op-…`, "E0123 op-… 이동 완료") and the "filled internally by …"
button on an opening with its choice of people. Cards only; the rules are in the use case."""
from __future__ import annotations

import re

from cards.model import Actions, Button, Card, Context, Header, Input, Text
from core.feedback import APPROVED, DOWN, MOVED, UP, Feedback, FeedbackRefusal, FillChoices
from handlers.feedback_buttons import ACTION_DOWN, ACTION_FILLED, ACTION_FILLED_CONFIRM, ACTION_UP, FILLED_FIELD
from handlers.find_candidates import notice
from handlers.messages import t
from handlers.requests import Reply, Request

MAX_CHOICES = 100          # a Slack select holds at most 100 options
_VOTE_OF = {ACTION_UP: UP, ACTION_DOWN: DOWN}
_EMOJI = {UP: "👍", DOWN: "👎"}

_OPENING_ID = r"(?P<op>op-[0-9A-Za-z_-]+)"
_WHO = r"(?P<who>\"[^\"]+\"|“[^”]+”|[^\s\"“]+)"
# "moved E0123 op-…", "moved E0123 to op-…", "approved E0123 for op-…", "move approved: E0123 op-…", "filled op-… by E0123"
_OUTCOME_EN = re.compile(
    rf"^\s*/?(?P<kind>moved|move\s+approved|approved|transfer(?:red)?|approve\s+move)\s*:?\s+{_WHO}\s+"
    rf"(?:(?:to|into|for|->|→)\s+)?{_OPENING_ID}\s*[.!]*\s*$", re.IGNORECASE)
_FILLED_EN = re.compile(rf"^\s*/?(?:filled|filled\s+internally)\s+{_OPENING_ID}\s+(?:by|with)\s+{_WHO}\s*[.!]*\s*$",
                        re.IGNORECASE)
# "E0123 op-… 이동 완료", "E0123을 op-…로 이동 완료", "E0123 op-… 이동 승인", "이동 완료 E0123 op-…"
_KIND_KO = r"(?P<kind>이동\s*(?:완료|했(?:어요|습니다|음)?|함|됨|확정)|이동\s*승인(?:\s*완료)?|발령\s*완료|전보\s*완료)"
_OUTCOME_KO = re.compile(
    rf"^\s*{_WHO}\s*(?:님)?(?:을|를|이|가|은|는)?\s+{_OPENING_ID}\s*(?:으로|로|에|에서)?\s*{_KIND_KO}\s*[.!요]*\s*$")
_OUTCOME_KO_FIRST = re.compile(rf"^\s*{_KIND_KO}\s*:?\s+{_WHO}\s+{_OPENING_ID}\s*[.!]*\s*$")
# An outcome command that is missing its parts: answered with the usage, never taken for a search.
_OUTCOME_WORD = re.compile(r"^\s*/?(?:moved|move\s+approved)\b|이동\s*(?:완료|승인)\s*$", re.IGNORECASE)


def parse_outcome(text: str) -> tuple[str, str, str] | None:
    """(kind, person, opening id) of an outcome command, or None when the text is not one."""
    for pattern in (_OUTCOME_EN, _FILLED_EN, _OUTCOME_KO, _OUTCOME_KO_FIRST):
        found = pattern.match(text or "")
        if found:
            kind = found.groupdict().get("kind") or "moved"
            approved = "approv" in kind.lower() or "승인" in kind
            who = found.group("who").strip("\"“”")
            who = re.sub(r"(?:님)?(?:을|를|이|가|은|는)$", "", who) if re.match(r"^E\d+", who) else who
            return (APPROVED if approved else MOVED), who, found.group("op")
    return None


class FeedbackHandler:
    ACTIONS = (ACTION_UP, ACTION_DOWN, ACTION_FILLED, ACTION_FILLED_CONFIRM)

    def __init__(self, feedback: Feedback):
        self.feedback = feedback
        self.store = feedback.store

    # ---- text ------------------------------------------------------------------------------------------------------
    def handle_text(self, request: Request, text: str, lang: str) -> Reply | None:
        parsed = parse_outcome(text)
        if parsed is None:
            return notice(lang, "feedback_outcome_usage") if _OUTCOME_WORD.search(text or "") else None
        kind, who, opening_id = parsed
        return self._outcome(request, who, opening_id, kind, "command", lang)

    # ---- buttons ---------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request, lang: str) -> Reply:
        if request.action_id in _VOTE_OF:
            return self._vote(request, _VOTE_OF[request.action_id], lang)
        opening_id, _, card_lang = (request.action_value or "").partition("|")
        lang = request.lang or (card_lang if card_lang in ("ko", "en") else lang)
        if request.action_id == ACTION_FILLED:
            return self._fill_card(request, opening_id, lang)
        if request.action_id == ACTION_FILLED_CONFIRM:
            chosen = str((request.form or {}).get(FILLED_FIELD) or "").strip()
            if not chosen:
                return notice(lang, "feedback_fill_choose")
            return self._outcome(request, chosen, opening_id, MOVED, "button", lang, replace_original=True)
        return notice(lang, "unknown_action")

    def _vote(self, request: Request, vote: str, lang: str) -> Reply:
        parts = (request.action_value or "").split("|")
        kind = parts[0] if parts else ""
        card_lang = parts[3] if kind == "p" and len(parts) > 3 else (parts[2] if len(parts) > 2 else "")
        lang = request.lang or (card_lang if card_lang in ("ko", "en") else lang)
        if kind == "p" and len(parts) >= 3:
            result = self.feedback.vote_on_result(request.actor, parts[1], parts[2], vote, request.platform)
        elif kind == "o" and len(parts) >= 2:
            context = "|".join(parts[3:]) if len(parts) > 3 else ""
            result = self.feedback.vote_on_opening(request.actor, parts[1], vote, context, request.platform)
        else:
            return notice(lang, "unknown_action")
        if isinstance(result, FeedbackRefusal):
            return notice(lang, result.reason, title=result.detail, detail=result.detail)
        what = "person" if result.item_kind == "person" else "opening"
        if result.before == result.vote:
            key = f"feedback_same_{what}"
        elif result.before is None:
            key = f"feedback_{what}_{result.vote}"
        else:
            key = f"feedback_{what}_{result.vote}_changed"
        other = DOWN if result.vote == UP else UP
        text = t(key, lang, name=result.name, id=result.item_id, mark=_EMOJI[result.vote], other=_EMOJI[other])
        return Reply([Card([Text(text)], fallback=text)], lang=lang, ephemeral=True)

    def _outcome(self, request: Request, who: str, opening_id: str, kind: str, via: str, lang: str,
                 replace_original: bool = False) -> Reply:
        result = self.feedback.record_outcome(request.actor, who, opening_id, kind, via)
        if isinstance(result, FeedbackRefusal):
            return notice(lang, result.reason, detail=result.detail)
        key = f"feedback_outcome_{kind}" if result.added else f"feedback_outcome_{kind}_already"
        text = t(key, lang, name=result.employee.display_name, id=result.employee.id, title=result.opening_title,
                 opening=result.opening_id)
        return Reply([Card([Text(text)], fallback=text)], lang=lang, ephemeral=True, replace_original=replace_original)

    def _fill_card(self, request: Request, opening_id: str, lang: str) -> Reply:
        choices = self.feedback.fill_choices(request.actor, opening_id)
        if isinstance(choices, FeedbackRefusal):
            return notice(lang, choices.reason, detail=choices.detail)
        return Reply([fill_card(choices, lang)], lang=lang, ephemeral=True)


def fill_card(choices: FillChoices, lang: str) -> Card:
    """Who filled the opening: a choice among the people interested in it or shortlisted for it."""
    title = t("feedback_fill_title", lang, title=choices.opening_title)
    card = Card(fallback=title)
    card.add(Header(title))
    if not choices.people:
        card.add(Text(t("feedback_fill_nobody", lang, title=choices.opening_title, opening=choices.opening_id)))
        return card
    card.add(Text(t("feedback_fill_body", lang, title=choices.opening_title, opening=choices.opening_id)))
    options = tuple((e.id, f"{e.display_name} ({e.id}) · {e.title or '—'} · {e.department or '—'}")
                    for e in choices.people[:MAX_CHOICES])
    card.add(Input(FILLED_FIELD, t("feedback_fill_field", lang), options=options))
    card.add(Context(t("feedback_fill_other", lang, opening=choices.opening_id)))
    card.add(Actions((Button(t("btn_feedback_record_move", lang), ACTION_FILLED_CONFIRM,
                             f"{choices.opening_id}|{lang}", style="primary"),)))
    return card
