"""Home: what matters to the person now, by role (Slack App Home, the Teams welcome card, `home` in any chat), and
help that speaks to the asker's role.

Employees: their profile status, openings that fit, their interests and the alert switch. Managers: their shortlist
and recent searches (and their own openings' interest). HR admins: JDs waiting for approval, open openings with
interest counts, and the JD queue. Nobody sees another employee's profile here.
"""
from __future__ import annotations

import re

from cards.model import Actions, Button, Card, Context, Divider, Header, Text
from core.domain import Employee, Role
from core.openings import INTERESTED, WITHDRAWN, OpeningsList, OpeningsRefusal, has_profile
from handlers.find_candidates import help_card, notice
from handlers.messages import t
from handlers.openings import ACTION_ALERTS_OFF, ACTION_ALERTS_ON, ACTION_PAGE, OpeningsHandler
from handlers.requests import Reply, Request

HOME_OPENINGS = 3
HOME_LIST = 8
HOME_TEXT = re.compile(r"^\s*/?(home|start|welcome|홈|시작|처음)\s*$", re.IGNORECASE)


class HomeHandler:
    def __init__(self, openings: OpeningsHandler, default_limit: int = 5):
        self.openings = openings
        self.store = openings.store
        self.default_limit = default_limit

    # ---- entry points ----------------------------------------------------------------------------------------------
    def handle_text(self, request: Request, text: str, lang: str) -> Reply | None:
        if not HOME_TEXT.match(text or ""):
            return None
        if not request.private:
            return notice(lang, "private_only")
        return Reply([self.card(request.actor, lang)], lang=lang, ephemeral=True)

    def help(self, request: Request, lang: str, lead: str | None = None) -> Reply:
        actor = request.actor
        if actor.role == Role.EMPLOYEE:
            card = Card(fallback=t("help_title_employee", lang))
            card.add(Header(t("help_title_employee", lang)))
            if lead:
                card.add(Text(lead))
            card.add(Text(t("help_employee", lang)))
            return Reply([card], lang=lang, ephemeral=True)
        card = help_card(lang, self.default_limit, lead)
        card.add(Context(t("help_more_manager", lang)))
        if actor.role == Role.HR_ADMIN:
            card.add(Context(t("help_more_hr", lang)))
        return Reply([card], lang=lang, ephemeral=True)

    # ---- the card --------------------------------------------------------------------------------------------------
    def card(self, actor: Employee, lang: str) -> Card:
        me = self.store.get_employee(actor.id) or actor
        card = Card(fallback=t("home_title", lang))
        card.add(Header(t("home_title", lang)), Text(t("home_greeting", lang, name=me.display_name)))
        if me.role == Role.HR_ADMIN:
            self._hr(card, me, lang)
        elif me.role == Role.MANAGER:
            self._manager(card, me, lang)
        self._employee(card, me, lang, compact=me.role != Role.EMPLOYEE)
        return card

    def _employee(self, card: Card, me: Employee, lang: str, compact: bool) -> None:
        card.add(Divider())
        if not has_profile(me):
            card.add(Text(t("home_profile_none", lang)))
        else:
            visibility = t("open_yes" if me.open_to_moves else "my_profile_hidden", lang)
            card.add(Text(t("home_profile_status", lang, skills=len(me.skills), visibility=visibility,
                            mentor=t("mentor_yes" if me.mentor else "mentor_no", lang))))
        page = self.openings.openings.list_for(me, limit=1 if compact else HOME_OPENINGS, query="home")
        card.add(Text(t("home_openings", lang)))
        if isinstance(page, OpeningsList) and page.items:
            for fit in page.items:
                card.add(*self.openings.item_blocks(None, fit, lang))
            if page.total > len(page.items):
                card.add(Context(t("openings_summary", lang, start=1, end=len(page.items), total=page.total,
                                   how=t("openings_ranked" if page.ranked else "openings_unranked", lang))))
        elif not isinstance(page, OpeningsRefusal):
            card.add(Context(t("home_openings_none", lang)))
        interests = self.openings.openings.interests_of(me)
        if interests or not compact:
            lines = [t("home_interest_line", lang, title=info.title, id=info.id,
                       state=t("home_state_closed" if info.status != "open" else
                               ("home_state_interested" if state == INTERESTED else "home_state_withdrawn"), lang))
                     for info, state in interests[:HOME_LIST] if state in (INTERESTED, WITHDRAWN)]
            card.add(Text(t("home_interests", lang) + "\n" + ("\n".join(lines) or t("home_interests_none", lang))))
        alerts_on = self.store.alerts_enabled(me.id)
        card.add(Context(t("openings_alerts_state_on" if alerts_on else "openings_alerts_state_off", lang,
                           fit=self.openings.openings.alert_min_fit)))
        alerts = (ACTION_ALERTS_OFF, t("btn_openings_alerts_off", lang)) if alerts_on else \
            (ACTION_ALERTS_ON, t("btn_openings_alerts_on", lang))
        card.add(Actions((Button(t("btn_openings_all", lang), ACTION_PAGE, f"{me.id}|{lang}|0|"),
                          Button(alerts[1], alerts[0], f"{me.id}|{lang}|0|"),
                          Button(t("btn_home_profile", lang), "my_profile_cancel", f"{me.id}|{lang}"))))

    def _manager(self, card: Card, me: Employee, lang: str) -> None:
        ids = self.store.shortlist(me.id)
        people = self.store.get_employees(ids[-HOME_LIST:]) if ids else {}
        lines = [f"• {p.display_name} · {p.title or '—'} · {p.department or '—'}" for p in people.values()]
        card.add(Divider(), Text(t("home_shortlist", lang, count=len(ids)) + "\n" +
                                 ("\n".join(lines) or t("home_shortlist_none", lang))))
        searches = self.store.recent_searches(me.id, 5)
        card.add(Text(t("home_searches", lang) + "\n" +
                      ("\n".join(f"• {q[:100]}" for q in searches) or t("home_searches_none", lang))))
        self._owned_openings(card, me, lang, only_mine=True)

    def _hr(self, card: Card, me: Employee, lang: str) -> None:
        pending = self.store.list_jds(status="pending_approval", limit=HOME_LIST) \
            if hasattr(self.store, "list_jds") else []
        lines = [f"• {r.title} (`{r.id}`, v{r.version})" for r in pending]
        card.add(Divider(), Text(t("home_pending", lang, count=len(pending)) + "\n" +
                                 ("\n".join(lines) or t("home_pending_none", lang))))
        self._owned_openings(card, me, lang, only_mine=False)
        counts = self.store.job_counts() if hasattr(self.store, "job_counts") else {}
        card.add(Context(t("home_queue", lang, queued=counts.get("queued", 0), running=counts.get("running", 0),
                           failed=counts.get("failed", 0))))

    def _owned_openings(self, card: Card, me: Employee, lang: str, only_mine: bool) -> None:
        infos = self.openings.openings.catalogue.open_openings()
        if only_mine:
            infos = [i for i in infos if me.id in i.owners]
            if not infos:
                return
        counts = self.store.interest_counts()
        lines = [t("home_opening_interest", lang, title=i.title, id=i.id, count=counts.get(i.id, 0))
                 for i in infos[:HOME_LIST]]
        more = f"\n… +{len(infos) - HOME_LIST}" if len(infos) > HOME_LIST else ""
        card.add(Text(t("home_open_openings", lang, count=len(infos)) + "\n" +
                      ("\n".join(lines) or t("home_openings_none", lang)) + more))
