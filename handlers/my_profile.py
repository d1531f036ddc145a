"""An employee's own profile: see exactly what managers and HR can see, and choose whether to be visible to other
teams (open to internal moves). Nobody else's profile is ever shown here."""
from __future__ import annotations

from cards.model import Actions, Button, Card, Context, Fields, Header, Text
from core.domain import Employee
from core.skills.taxonomy import Taxonomy
from handlers.find_candidates import notice, skills_with_evidence
from handlers.messages import t
from handlers.requests import Reply, Request


class MyProfile:
    def __init__(self, store, taxonomy: Taxonomy):
        self.store = store
        self.taxonomy = taxonomy

    def show(self, request: Request, lang: str, notice_text: str | None = None, replace: bool = False) -> Reply:
        me = self.store.get_employee(request.actor.id)
        if me is None:
            return notice(lang, "employee_gone")
        return Reply([self.card(me, lang, notice_text)], lang=lang, ephemeral=True, replace_original=replace)

    def card(self, me: Employee, lang: str, notice_text: str | None) -> Card:
        card = Card(fallback=t("my_profile_title", lang))
        card.add(Header(t("my_profile_title", lang)))
        if notice_text:
            card.add(Text(f"**{notice_text}**"))
        availability = t("open_yes" if me.open_to_moves else "my_profile_hidden", lang)
        card.add(Fields(((t("field_title", lang), me.title or "—"), (t("field_department", lang), me.department or "—"),
                         (t("field_level", lang), me.level or "—"), (t("field_availability", lang), availability))))
        card.add(*skills_with_evidence(me, self.taxonomy, lang, most=20))
        card.add(Context(t("my_profile_explain", lang)))
        toggle = ("my_profile_hide", t("btn_hide_me", lang)) if me.open_to_moves else \
            ("my_profile_show", t("btn_show_me", lang))
        card.add(Actions((Button(toggle[1], toggle[0], me.id, style=None if me.open_to_moves else "primary"),)))
        return card

    def set_open(self, request: Request, open_to_moves: bool, lang: str) -> Reply:
        me = self.store.get_employee(request.actor.id)
        if me is None or request.action_value != me.id:
            return notice(lang, "profile_not_visible")
        if me.open_to_moves != open_to_moves:
            me.open_to_moves = open_to_moves
            self.store.update_fields(me)
            self.store.add_audit(me.id, "self_open_to_moves" if open_to_moves else "self_hidden", "", [],
                                 {"open_to_moves": open_to_moves})
        done = t("my_profile_now_open" if open_to_moves else "my_profile_now_hidden", lang)
        return self.show(request, lang, notice_text=done, replace=True)
