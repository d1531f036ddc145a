"""The feedback loop's buttons, which the results card, the openings cards and the JD approval card carry (their
presses are handled by handlers/feedback.py). Kept apart so those presenters need nothing else of the feedback handler."""
from __future__ import annotations

from cards.model import Button
from handlers.messages import t

ACTION_UP = "feedback_up"
ACTION_DOWN = "feedback_down"
ACTION_FILLED = "opening_filled"
ACTION_FILLED_CONFIRM = "opening_filled_confirm"
FILLED_FIELD = "filled_by"
MAX_CONTEXT_IN_VALUE = 200


# ---- the buttons other presenters put on their cards ---------------------------------------------------------------
def result_vote_buttons(search_id: str, employee_id: str, lang: str) -> tuple[Button, Button]:
    """👍/👎 on one person of a search's results card."""
    value = f"p|{search_id}|{employee_id}|{lang}"
    return Button("👍", ACTION_UP, value), Button("👎", ACTION_DOWN, value)


def opening_vote_buttons(opening_id: str, lang: str, context: str = "") -> tuple[Button, Button]:
    """👍/👎 on one opening of an openings list or alert (judged against the presser's own profile)."""
    value = f"o|{opening_id}|{lang}|{context[:MAX_CONTEXT_IN_VALUE]}"
    return Button("👍", ACTION_UP, value), Button("👎", ACTION_DOWN, value)


def filled_button(opening_id: str, lang: str) -> Button:
    """"Filled internally by …" on an opening its HR admin sees (the JD approval card)."""
    return Button(t("btn_feedback_filled", lang), ACTION_FILLED, f"{opening_id}|{lang}")
