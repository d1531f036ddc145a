"""The hiring manager named on a JD (issue 11): an optional field on the JD edit card, kept with the draft
(`basis["hiring_manager"]`, an employee id) and so with the opening it is published as. core/openings.py makes that
person an owner of the opening: told by direct message about interest and withdrawals, allowed its "add to shortlist"
button, shown the interested people on their shortlist."""
from __future__ import annotations

import re
from dataclasses import replace

from core.domain import Role
from handlers.messages import t

FIELD = "hiring_manager"
# "<@U0123ABC>" or "<@U0123ABC|name>" (a Slack mention pasted into the field), "@name"
_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")


def hiring_manager_of(draft) -> str:
    return str((draft.basis or {}).get(FIELD) or "")


def apply_hiring_manager(store, draft, form: dict, lang: str):
    """The draft with the card's hiring-manager field applied (an employee id, Slack user, e-mail or name; empty
    removes it), or the draft unchanged and the reason the value cannot be used."""
    if FIELD not in form:
        return draft, ""
    typed = " ".join((form.get(FIELD) or "").split())
    mention = _MENTION.match(typed)
    key = mention.group(1) if mention else typed.lstrip("@").strip()
    basis = {k: v for k, v in (draft.basis or {}).items() if k != FIELD}
    if not key:
        return (replace(draft, basis=basis) if FIELD in (draft.basis or {}) else draft), ""
    if len(key) > 200:
        return draft, t("jd_hiring_manager_unknown", lang, who=key[:40] + "…")
    person = store.find_employee(key)
    if person is None:
        return draft, t("jd_hiring_manager_unknown", lang, who=typed)
    if person.role not in (Role.MANAGER, Role.HR_ADMIN):
        return draft, t("jd_hiring_manager_not_manager", lang, name=person.display_name)
    return replace(draft, basis={**basis, FIELD: person.id}), ""
