"""Presenter for internal openings (core/openings.py): the list that fits the asker, interest with consent and its
withdrawal, "not for me", the alert switch, the owner's message with its "add to shortlist" button, and the alert and
"it closed" messages the background job sends. Cards only; the rules are in the use case."""
from __future__ import annotations

import re
from dataclasses import replace

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Text
from core import audit
from core.domain import Employee, Role
from core.openings import (DISMISSED, INTERESTED, AlertPlan, OpeningFit, OpeningInfo,
                           Openings, OpeningsList, OpeningsRefusal)
from core.text import person_language
from handlers.feedback_buttons import opening_vote_buttons
from handlers.find_candidates import notice, skills_with_evidence
from handlers.messages import t
from handlers.my_profile import details_fields
from handlers.parsing import OptionError, parse_search
from handlers.requests import Reply, Request

MAX_SKILLS_SHOWN = 4
PAGE_MAX = 10              # openings per card: keeps a Teams card under its 28 KB and a Slack message under 50 blocks
MAX_EVIDENCE = 140
MAX_QUERY_IN_VALUE = 200
MAX_ALERT_ITEMS = 10

# "openings", "/openings level:L4 3", "사내 공고", "공고 목록": the command, options after it.
_COMMAND = re.compile(r"^\s*/?(?:openings?|internal[-\s]+openings?|job[-\s]+openings?|open[-\s]+positions?|"
                      r"사내\s*공고(?:\s*목록)?|공고\s*목록|채용\s*공고\s*목록|사내\s*채용|오픈\s*포지션)"
                      r"(?=$|\s|[?!.])(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# Free text that asks for openings for oneself: a word for an opening and a word that makes it about "me".
_NOUN_EN = re.compile(r"\b(openings?|positions?|roles?|jobs?|vacanc(?:y|ies)|postings?|opportunit(?:y|ies)|reqs?)\b",
                      re.IGNORECASE)
_ME_EN = re.compile(r"\b(me|myself)\b|\bfor\s+my\s+(profile|skills|background|experience|career)\b|"
                    r"\b(match(es|ing)?|fits?|suits?)\s+my\b|\b(can|could|should|may)\s+i\s+(apply|move|transfer)\b|"
                    r"\bi\s*(?:'m|am)\s+(looking|interested|open)\b|"
                    r"\bi(?:\s+want|\s+would\s+like|'d\s+like)\s+(?:a\s+|to\s+)?(?:new\s+|different\s+)?"
                    r"(?:role|job|move|position|transfer|change)", re.IGNORECASE)
_PEOPLE_EN = re.compile(r"\b(engineer|developer|designer|analyst|scientist|marketer|planner|recruiter|accountant|"
                        r"lawyer|specialist|architect|administrator|consultant|researcher)s?\b", re.IGNORECASE)
_INTERNAL_EN = re.compile(r"\b(internal|open|available|current)\s+(openings?|positions?|roles?|jobs?|vacanc(?:y|ies)|"
                          r"postings?|opportunit(?:y|ies))\b|\b(openings|vacancies)\b", re.IGNORECASE)
_NOUN_KO = re.compile(r"(공고|포지션|자리|일자리|오프닝|채용|모집|직무)")
_ME_KO = re.compile(r"(나한테|나에게|내게|내가|나\s|저한테|저에게|제게|제가|저\s|나랑|저랑|맞는|어울리는|지원\s*할|지원\s*가능|"
                    r"사내|열린|진행\s*중|있어|있나|있을까|있나요|있어요|보여|알려)")
# Not a request for openings: searching people, or HR writing / closing a posting.
_NOT_OPENINGS = re.compile(r"\b(candidates?|someone|somebody|people|who|hire|hiring\s+for|find-candidates|write|draft|"
                           r"create|close)\b|(후보|인재|사람|누가|찾아\s*줘|작성|써\s*줘|만들어|마감|맞춤)", re.IGNORECASE)

ACTION_PAGE = "openings_page"
ACTION_GAP = "opening_gap"
ACTION_INTEREST = "opening_interest"
ACTION_CONFIRM = "opening_interest_confirm"
ACTION_CANCEL = "opening_interest_cancel"
ACTION_WITHDRAW = "opening_withdraw"
ACTION_DISMISS = "opening_dismiss"
ACTION_ALERTS_ON = "openings_alerts_on"
ACTION_ALERTS_OFF = "openings_alerts_off"
ACTION_SHORTLIST = "opening_shortlist"


def openings_request(text: str) -> str | None:
    """The options of a request for openings ("" when none), or None when the text is not one."""
    text = (text or "").strip()
    command = _COMMAND.match(text)
    if command:
        return command.group("rest").strip(" ?!.")
    if len(text) > 200 or _NOT_OPENINGS.search(text):
        return None
    if _NOUN_EN.search(text) and (_ME_EN.search(text) or (_INTERNAL_EN.search(text) and not _PEOPLE_EN.search(text))):
        return ""
    if _NOUN_KO.search(text) and _ME_KO.search(text):
        return ""
    return None


def _short(text: str, most: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= most else text[:most - 1] + "…"


class OpeningsHandler:
    ACTIONS = (ACTION_PAGE, ACTION_GAP, ACTION_INTEREST, ACTION_CONFIRM, ACTION_CANCEL, ACTION_WITHDRAW,
               ACTION_DISMISS, ACTION_ALERTS_ON, ACTION_ALERTS_OFF, ACTION_SHORTLIST)

    def __init__(self, openings: Openings, taxonomy, gap_analysis=None, my_profile=None, default_limit: int = 5):
        self.openings = openings
        self.store = openings.store
        self.taxonomy = taxonomy
        self.gap_analysis = gap_analysis
        self.my_profile = my_profile
        self.default_limit = default_limit

    # ---- text ------------------------------------------------------------------------------------------------------
    def handle_text(self, request: Request, text: str, lang: str) -> Reply | None:
        options = openings_request(text)
        if options is None:
            return None
        return self.show(request, options, lang)

    def show(self, request: Request, options: str, lang: str, offset: int = 0, notice_text: str | None = None,
             replace_original: bool = False) -> Reply:
        try:
            parsed = parse_search(options)
        except OptionError as exc:
            return notice(lang, "openings_bad_option", option=exc.option, why=exc.why)
        limit = min(parsed.limit or self.default_limit, PAGE_MAX, request.page_cap or PAGE_MAX)
        outcome = self.openings.list_for(request.actor, parsed.filters, limit, offset,
                                         query=options[:MAX_QUERY_IN_VALUE], private=request.private)
        if isinstance(outcome, OpeningsRefusal):
            return notice(lang, outcome.reason)
        return Reply([self.list_card(request.actor, outcome, lang, notice_text)], lang=lang, ephemeral=True,
                     replace_original=replace_original)

    # ---- buttons ---------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request, lang: str) -> Reply:
        parts = (request.action_value or "").split("|")
        key, card_lang = parts[0], (parts[1] if len(parts) > 1 else "")
        lang = request.lang or (card_lang if card_lang in ("ko", "en") else lang)
        rest = parts[2:]
        offset = int(rest[0]) if rest and rest[0].isdigit() else 0
        query = "|".join(rest[1:]) if len(rest) > 1 else ""
        action = request.action_id
        if not request.private:
            return notice(lang, "private_only")
        actor = request.actor
        if action == ACTION_PAGE:
            return self.show(request, query, lang, offset, replace_original=True)
        if action in (ACTION_ALERTS_ON, ACTION_ALERTS_OFF):
            if key != actor.id:
                return notice(lang, "profile_not_visible")
            enabled = action == ACTION_ALERTS_ON
            self.openings.set_alerts(actor, enabled)
            done = t("openings_alerts_now_on" if enabled else "openings_alerts_now_off", lang,
                     fit=self.openings.alert_min_fit)
            if rest and rest[0] == "profile" and self.my_profile is not None:
                return self.my_profile.show(request, lang, done, replace=True)
            if rest and rest[0] == "alert":
                return notice(lang, "openings_alerts_now_off" if not enabled else "openings_alerts_now_on",
                              fit=self.openings.alert_min_fit)
            return self.show(request, query, lang, offset, done, replace_original=True)
        if action == ACTION_GAP:
            if self.gap_analysis is None:
                return notice(lang, "unknown_action")
            return self.gap_analysis.for_text(replace(request, lang=lang), None, key)
        if action == ACTION_INTEREST:
            return self._consent(request, key, lang, offset, query)
        if action == ACTION_CONFIRM:
            return self._confirm(request, key, lang)
        if action == ACTION_CANCEL:
            return self.show(request, query, lang, offset, t("openings_interest_cancelled", lang),
                             replace_original=True)
        if action == ACTION_WITHDRAW:
            return self._withdraw(request, key, lang)
        if action == ACTION_DISMISS:
            return self._dismiss(request, key, lang, offset, query)
        if action == ACTION_SHORTLIST:
            employee_id = rest[0] if rest else ""
            return self._shortlist(request, key, employee_id, lang)
        return notice(lang, "unknown_action")

    def _consent(self, request: Request, opening_id: str, lang: str, offset: int, query: str) -> Reply:
        info = self.openings.opening_for_interest(opening_id)
        if isinstance(info, OpeningsRefusal):
            return notice(lang, info.reason, title=info.detail)
        me = self.store.get_employee(request.actor.id)
        if me is None:
            return notice(lang, "employee_gone")
        owners = [o for o in info.owners if o != me.id]
        if self.store.interest(info.id, me.id) == INTERESTED:
            return Reply([self.interest_recorded_card(info, owners, lang, already=True)], lang=lang, ephemeral=True)
        card = Card(fallback=t("openings_consent_title", lang))
        card.add(Header(t("openings_consent_title", lang)))
        card.add(Text(t("openings_consent_body", lang, title=info.title, id=info.id, company=info.company_name,
                        owners=self._owner_names(info, owners, lang))))
        card.add(Text(t("openings_consent_what", lang)))
        card.add(Divider(), Context(t("openings_consent_preview", lang)))
        card.add(*self.profile_blocks(me, lang))
        card.add(Divider(), Context(t("openings_consent_not_shown", lang)))
        value = f"{info.id}|{lang}|{offset}|{query}"
        card.add(Actions((Button(t("btn_openings_confirm_interest", lang), ACTION_CONFIRM, value, style="primary"),
                          Button(t("btn_cancel", lang), ACTION_CANCEL, value))))
        return Reply([card], lang=lang, ephemeral=True, replace_original=True)

    def _confirm(self, request: Request, opening_id: str, lang: str) -> Reply:
        result = self.openings.express_interest(request.actor, opening_id)
        if isinstance(result, OpeningsRefusal):
            return notice(lang, result.reason, title=result.detail)
        me = self.store.get_employee(request.actor.id) or request.actor
        reply = Reply([self.interest_recorded_card(result.opening, list(result.owners), lang,
                                                   already=not result.changed)],
                      lang=lang, ephemeral=True, replace_original=True)
        if result.changed:
            fit = self.openings.fit_of(me, result.opening.id)
            reply.notify = [(owner, [self.owner_interest_card(me, result.opening, fit, self._lang_of(owner, lang))])
                            for owner in result.owners]
        return reply

    def _withdraw(self, request: Request, opening_id: str, lang: str) -> Reply:
        result = self.openings.withdraw_interest(request.actor, opening_id)
        if isinstance(result, OpeningsRefusal):
            return notice(lang, result.reason, title=result.detail)
        if not result.changed or result.before != INTERESTED:
            return notice(lang, "openings_not_interested", title=result.opening.title)
        text = t("openings_withdrawn", lang, title=result.opening.title,
                 owners=self._owner_names(result.opening, list(result.owners), lang))
        me = self.store.get_employee(request.actor.id) or request.actor
        reply = Reply([Card([Text(text)], fallback=text)], lang=lang, ephemeral=True, replace_original=True)
        reply.notify = [(owner, [self.owner_withdrawn_card(me, result.opening, self._lang_of(owner, lang))])
                        for owner in result.owners]
        return reply

    def _dismiss(self, request: Request, opening_id: str, lang: str, offset: int, query: str) -> Reply:
        result = self.openings.dismiss(request.actor, opening_id)
        if isinstance(result, OpeningsRefusal):
            return notice(lang, result.reason, title=result.detail)
        reply = self.show(request, query, lang, offset, t("openings_dismissed", lang, title=result.opening.title),
                          replace_original=True)
        if result.owners:        # "not for me" after "I'm interested": the owners learn it was withdrawn
            me = self.store.get_employee(request.actor.id) or request.actor
            reply.notify = [(owner, [self.owner_withdrawn_card(me, result.opening, self._lang_of(owner, lang))])
                            for owner in result.owners]
        return reply

    def _shortlist(self, request: Request, opening_id: str, employee_id: str, lang: str) -> Reply:
        actor = request.actor
        allowed = self.openings.may_shortlist_from_interest(actor, opening_id, employee_id)
        if isinstance(allowed, OpeningsRefusal):
            return notice(lang, allowed.reason, title=allowed.detail)
        employee = self.store.get_employee(employee_id)
        if employee is None:
            return notice(lang, "employee_gone")
        added = self.store.add_to_shortlist(actor.id, employee.id, f"interest in {allowed.id}")
        if added:
            audit.record(self.store, actor, "shortlist", allowed.id, [employee.id], via="opening_interest",
                         opening=allowed.id)
        count = len(self.store.shortlist(actor.id))
        return notice(lang, "shortlisted" if added else "already_shortlisted", name=employee.display_name, count=count)

    # ---- cards -----------------------------------------------------------------------------------------------------
    def list_card(self, actor: Employee, page: OpeningsList, lang: str, notice_text: str | None = None) -> Card:
        title = t("openings_title", lang)
        card = Card(fallback=notice_text or title)
        card.add(Header(title))
        if notice_text:
            card.add(Text(f"**{notice_text}**"))
        if page.profile == "missing":
            card.add(Text(t("openings_no_profile", lang)))
        elif page.profile == "thin":
            card.add(Context(t("openings_thin_profile", lang)))
        if not page.items:
            key = "openings_no_more" if page.offset else ("openings_none_match" if page.filtered else "openings_none")
            card.add(Text(t(key, lang)))
        else:
            how = t("openings_ranked" if page.ranked else "openings_unranked", lang)
            summary = t("openings_summary", lang, start=page.offset + 1, end=page.offset + len(page.items),
                        total=page.total, how=how)
            if page.hidden:
                summary += " · " + t("openings_hidden_count", lang, count=page.hidden)
            card.add(Context(summary))
            for rank, fit in enumerate(page.items, start=page.offset + 1):
                card.add(Divider(), *self.item_blocks(rank, fit, lang, page.offset, page.query))
        closing = []
        if page.offset + len(page.items) < page.total:
            closing.append(Button(t("btn_next", lang), ACTION_PAGE,
                                  f"{actor.id}|{lang}|{page.offset + page.limit}|{page.query}"))
        if page.offset > 0:
            closing.append(Button(t("btn_openings_first", lang), ACTION_PAGE, f"{actor.id}|{lang}|0|{page.query}"))
        alerts = (ACTION_ALERTS_OFF, t("btn_openings_alerts_off", lang)) if page.alerts_on else \
            (ACTION_ALERTS_ON, t("btn_openings_alerts_on", lang))
        closing.append(Button(alerts[1], alerts[0], f"{actor.id}|{lang}|{page.offset}|{page.query}",
                              style=None if page.alerts_on else "primary"))
        card.add(Divider(), Actions(tuple(closing)))
        card.add(Context(t("openings_alerts_state_on" if page.alerts_on else "openings_alerts_state_off", lang,
                           fit=self.openings.alert_min_fit)))
        return card

    def item_blocks(self, rank: int | None, fit: OpeningFit, lang: str, offset: int = 0, query: str = "") -> list:
        info = fit.opening
        lines = [f"**{f'{rank}. ' if rank else ''}{_short(info.title, 120)}** · `{info.id}`",
                 " · ".join(x for x in (info.company_name, self._family(info, lang), info.level,
                                        self._fit_text(fit, lang)) if x)]
        for skill in fit.have[:MAX_SKILLS_SHOWN]:
            mark = "✓" if skill.status == "present" else "½"
            via = f" ({t('via_related', lang, via=self.taxonomy.name(skill.via, lang))})" if skill.via else ""
            lines.append(f"{mark} **{self.taxonomy.name(skill.skill_id, lang)}**{via}: “{_short(skill.evidence, MAX_EVIDENCE)}”")
        if len(fit.have) > MAX_SKILLS_SHOWN:
            lines.append(f"  … +{len(fit.have) - MAX_SKILLS_SHOWN}")
        if fit.missing:
            lines.append(f"✗ {t('missing', lang)}: " + ", ".join(self.taxonomy.name(s, lang) for s in fit.missing[:8]))
        if fit.interest == INTERESTED:
            lines.append(f"★ {t('openings_you_are_interested', lang)}")
        value = f"{info.id}|{lang}|{offset}|{query}"
        interest = Button(t("btn_openings_withdraw", lang), ACTION_WITHDRAW, value) if fit.interest == INTERESTED \
            else Button(t("btn_openings_interested", lang), ACTION_INTEREST, value, style="primary")
        buttons = [Button(t("btn_gap", lang), ACTION_GAP, value), interest]
        if fit.interest != DISMISSED:
            buttons.append(Button(t("btn_openings_not_for_me", lang), ACTION_DISMISS, value))
        buttons.extend(opening_vote_buttons(info.id, lang, query))
        return [Text("\n".join(lines)), Actions(tuple(buttons))]

    def _fit_text(self, fit: OpeningFit, lang: str) -> str:
        if fit.score is None:
            return ""
        return t("score_line", lang, score=fit.score, band=t("band_" + fit.band, lang))

    @staticmethod
    def _family(info: OpeningInfo, lang: str) -> str:
        from core.jd.model import JOB_FAMILIES

        family = JOB_FAMILIES.get(info.family)
        return family.name(lang) if family else ""

    def profile_blocks(self, employee: Employee, lang: str) -> list:
        """The employee's profile as an opening's owner sees it after consent (what `my profile` shows managers)."""
        blocks = [Fields(((t("field_title", lang), employee.title or "—"),
                          (t("field_department", lang), employee.department or "—"),
                          (t("field_level", lang), employee.level or "—"),
                          (t("field_location", lang), employee.location or "—")))]
        blocks.extend(skills_with_evidence(employee, self.taxonomy, lang, most=12))
        blocks.extend(details_fields(employee.details, employee.languages, lang))
        return blocks

    def interest_recorded_card(self, info: OpeningInfo, owners: list[str], lang: str, already: bool = False) -> Card:
        key = "openings_already_interested" if already else "openings_interest_recorded"
        text = t(key, lang, title=info.title, id=info.id, owners=self._owner_names(info, owners, lang))
        card = Card([Text(text), Context(t("openings_withdraw_hint", lang))], fallback=text)
        card.add(Actions((Button(t("btn_openings_withdraw", lang), ACTION_WITHDRAW, f"{info.id}|{lang}"),)))
        return card

    def owner_interest_card(self, employee: Employee, info: OpeningInfo, fit: OpeningFit | None, lang: str) -> Card:
        title = t("openings_owner_title", lang, name=employee.display_name, title=_short(info.title, 80))
        card = Card(fallback=title)
        card.add(Header(title))
        card.add(Context(t("openings_owner_context", lang, id=info.id, company=info.company_name)))
        if fit is not None and fit.score is not None:
            card.add(Text(t("openings_owner_fit", lang, score=fit.score, band=t("band_" + fit.band, lang),
                            have=", ".join(self.taxonomy.name(s.skill_id, lang) for s in fit.have) or "—",
                            missing=", ".join(self.taxonomy.name(s, lang) for s in fit.missing) or "—")))
        card.add(*self.profile_blocks(employee, lang))
        card.add(Actions((Button(t("btn_shortlist", lang), ACTION_SHORTLIST, f"{info.id}|{lang}|{employee.id}",
                                 style="primary"),)))
        return card

    def owner_withdrawn_card(self, employee: Employee, info: OpeningInfo, lang: str) -> Card:
        text = t("openings_owner_withdrawn", lang, name=employee.display_name, title=info.title, id=info.id)
        return Card([Text(text)], fallback=text)

    def alert_card(self, plan: AlertPlan, employee: Employee, lang: str) -> Card:
        title = t("openings_alert_title", lang, count=len(plan.fits))
        card = Card(fallback=title)
        card.add(Header(title))
        for fit in plan.fits[:MAX_ALERT_ITEMS]:
            card.add(Divider(), *self.item_blocks(None, fit, lang))
        if len(plan.fits) > MAX_ALERT_ITEMS:
            card.add(Context(t("openings_alert_more", lang, count=len(plan.fits) - MAX_ALERT_ITEMS)))
        card.add(Divider(), Context(t("openings_alert_why", lang, fit=self.openings.alert_min_fit)))
        card.add(Actions((Button(t("btn_openings_alerts_off", lang), ACTION_ALERTS_OFF, f"{employee.id}|{lang}|alert"),
                          Button(t("btn_openings_all", lang), ACTION_PAGE, f"{employee.id}|{lang}|0|"))))
        return card

    def closed_card(self, info: OpeningInfo, lang: str) -> Card:
        text = t("openings_closed_told", lang, title=info.title, id=info.id)
        return Card([Text(text)], fallback=text)

    # ---- words -----------------------------------------------------------------------------------------------------
    def _owner_names(self, info: OpeningInfo, owners: list[str], lang: str) -> str:
        people = self.store.get_employees(list(owners)) if owners else {}
        names = []
        for owner in owners:
            person = people.get(owner)
            if person is None:
                continue
            role = t("openings_role_manager" if owner == info.hiring_manager and owner != info.published_by
                     else "openings_role_hr", lang)
            names.append(f"{person.display_name} ({role})")
        return ", ".join(names) or t("openings_owner_hr_team", lang)

    def _lang_of(self, employee_id: str, fallback: str) -> str:
        """The language to write to an owner: their profile's, else the language of the request that concerns them."""
        person = self.store.get_employee(employee_id)
        return person_language(person.languages if person else (), fallback=fallback)

    def lang_for(self, employee: Employee) -> str:
        """The language to write to someone who did not ask."""
        return person_language(employee.languages, employee.display_name)

def is_hr(actor: Employee) -> bool:
    return actor.role == Role.HR_ADMIN
