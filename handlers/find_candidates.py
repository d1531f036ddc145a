"""Find internal candidates: search, details, next page and shortlist, as neutral cards."""
from __future__ import annotations

import uuid
from dataclasses import replace

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Text
from core.domain import Candidate, Employee, Role, SearchFilters, SearchPage
from core.matching.service import MatchingService
from core.skills.taxonomy import Taxonomy
from core.text import request_language
from handlers.guardrails import screen
from handlers.messages import quoted, t
from handlers.parsing import OptionError, filters_from_dict, filters_to_dict, parse_search
from handlers.requests import Reply, Request

DEFAULT_LIMIT = 5
MAX_MATCHED_SHOWN = 4


def help_card(lang: str, limit: int = DEFAULT_LIMIT, lead: str | None = None) -> Card:
    card = Card(fallback=t("help_title", lang))
    card.add(Header(t("help_title", lang)))
    if lead:
        card.add(Text(lead))
    card.add(Text(t("help_body", lang, limit=limit)), Text(t("help_examples", lang)))
    return card


def notice_card(text: str) -> Card:
    return Card([Text(text)], fallback=text)


def notice(lang: str, key: str, **kwargs) -> Reply:
    """A one-line answer only the asker sees."""
    return Reply([notice_card(t(key, lang, **kwargs))], lang=lang, ephemeral=True)


def skills_with_evidence(employee: Employee, taxonomy: Taxonomy, lang: str, most: int = 15) -> list:
    """A profile's skills, each with the resume line that shows it (or a thin-profile notice)."""
    if not employee.skills:
        return [Context(t("thin_profile", lang))]
    lines = [f"• **{taxonomy.name(s.skill_id, lang)}** — {quoted(s.evidence, lang)}" for s in employee.skills[:most]]
    return [Text(f"**{t('details_skills', lang)}**\n" + "\n".join(lines))]


def saved_search_for(store, request: Request, search_id: str) -> tuple[tuple | None, str, Reply | None]:
    """The asker's saved search behind a results-card button, the card's language, and the refusal when the button
    may not be used (not a searcher, not a private chat, expired, or someone else's search)."""
    saved = store.load_search(search_id) if search_id else None
    lang = (saved[2].get("lang") if saved else None) or request.lang or "en"
    if not request.actor.role.can_search_people:
        return saved, lang, notice(lang, "not_allowed_search")
    if not request.private:
        return saved, lang, notice(lang, "private_only")
    if saved is None:
        return saved, lang, notice(lang, "search_expired")
    if saved[0] != request.actor.id:
        return saved, lang, notice(lang, "not_your_search")
    return saved, lang, None


class FindCandidates:
    def __init__(self, matching: MatchingService, taxonomy: Taxonomy, default_limit: int = DEFAULT_LIMIT):
        self.matching = matching
        self.store = matching.store
        self.taxonomy = taxonomy
        self.default_limit = default_limit

    # ---- the command ---------------------------------------------------------------------------------------------
    def search(self, request: Request, text: str) -> Reply:
        lang = request.lang or request_language(text)     # options and ids do not count
        actor = request.actor
        if not actor.role.can_search_people:
            return notice(lang, "not_allowed_search")
        # The shared request check, before anything is looked up: discriminatory criteria are refused (and audited
        # as refusals), small talk gets help.
        stopped = screen(self.store, request, text, "search", lang, self.matching.extractor)
        if stopped is not None:
            return stopped
        if not request.private:
            return notice(lang, "private_only")
        try:
            parsed = parse_search(text)
        except OptionError as exc:
            return Reply([help_card(lang, self.default_limit, t("bad_option", lang, option=exc.option, why=exc.why))],
                         lang=lang, ephemeral=True)
        if len(parsed.text) < 2:
            lead = t("help_unclear", lang) if text.strip() else None
            return Reply([help_card(lang, self.default_limit, lead)], lang=lang, ephemeral=True)
        limit = parsed.limit or self.default_limit
        if request.page_cap:
            limit = min(limit, request.page_cap)   # the rest is one "Next page" away, never silently dropped
        unknown = self.matching.unknown_departments(parsed.filters.departments + parsed.filters.exclude_departments)
        if unknown:
            known = ", ".join(self.matching.departments()[:12])
            return Reply([help_card(lang, self.default_limit,
                                    t("unknown_department", lang, names=", ".join(unknown), known=known))],
                         lang=lang, ephemeral=True)
        locations, unknown = self.matching.resolve_locations(parsed.filters.locations)
        if unknown:
            return Reply([help_card(lang, self.default_limit, t("unknown_location", lang, names=", ".join(unknown),
                                                              known=", ".join(self.matching.locations())))],
                         lang=lang, ephemeral=True)
        return self.run_search(request, parsed.text, replace(parsed.filters, locations=locations), limit, lang)

    def run_search(self, request: Request, text: str, filters: SearchFilters, limit: int, lang: str,
                   lead: str | None = None) -> Reply:
        return self.search_page(request, text, filters, limit, lang, lead)[1]

    def search_page(self, request: Request, text: str, filters: SearchFilters, limit: int, lang: str,
                    lead: str | None = None) -> tuple[SearchPage, Reply]:
        """A new search (saved, so its buttons can page and expand it): the page and its results card."""
        actor = request.actor
        search_id = uuid.uuid4().hex[:12]
        self.store.save_search(search_id, actor.id, text, {"filters": filters_to_dict(filters), "limit": limit,
                                                            "lang": lang})
        page = self.matching.search_as(actor, text, filters, limit=limit, lang=lang)
        card = self.results_card(page, search_id, actor, lang, limit, notice=lead,
                                 shortlisted=frozenset(self.store.shortlist(actor.id)))
        return page, Reply([card], lang=lang)

    def run_page(self, request: Request, search_id: str, saved: tuple[str, str, dict], offset: int,
                 expanded: Employee | None = None, notice_text: str | None = None, action: str = "next_page") -> Reply:
        """Re-runs the asker's saved search at `offset`; the card replaces the one the button was on."""
        _, query, data = saved
        lang = data.get("lang", request.lang or "en")
        limit = int(data.get("limit", self.default_limit))
        page = self.matching.search_as(request.actor, query, filters_from_dict(data.get("filters", {})), limit=limit,
                                       offset=offset, lang=lang, action=action)
        if not page.candidates:
            return notice(lang, "no_more_results")
        card = self.results_card(page, search_id, request.actor, lang, limit, expanded=expanded, notice=notice_text,
                                 shortlisted=frozenset(self.store.shortlist(request.actor.id)))
        return Reply([card], lang=lang, replace_original=True)

    # ---- buttons ------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request) -> Reply:
        search_id, _, arg = request.action_value.partition(":")
        saved, lang, refusal = saved_search_for(self.store, request, search_id)
        if refusal is not None:
            return refusal
        target, _, offset_text = arg.partition(":")
        if request.action_id == "next_page":
            return self.run_page(request, search_id, saved, int(target or 0))
        offset = int(offset_text or 0)
        if request.action_id == "hide_details":
            return self.run_page(request, search_id, saved, int(target or 0), action="redraw")
        if request.action_id == "details":
            return self.details(request, search_id, saved, target, offset, lang)
        if request.action_id == "shortlist":
            return self.shortlist_add(request, search_id, saved, target, offset, lang)
        return notice(lang, "unknown_action")

    def _visible(self, actor: Employee, employee: Employee | None) -> bool:
        if employee is None:
            return False
        if actor.role == Role.HR_ADMIN:
            return True
        return actor.role == Role.MANAGER and employee.open_to_moves and employee.id != actor.id

    def details(self, request: Request, search_id: str, saved: tuple[str, str, dict], employee_id: str, offset: int,
                lang: str) -> Reply:
        """Expands one candidate on the results card itself: every skill with its evidence line."""
        employee = self.store.get_employee(employee_id)
        if employee is None:
            return notice(lang, "employee_gone")
        if not self._visible(request.actor, employee):
            return notice(lang, "profile_not_visible")
        self.store.add_audit(request.actor.id, "details", saved[1], [employee.id], {"role": request.actor.role.value})
        return self.run_page(request, search_id, saved, offset, expanded=employee, action="redraw")

    def shortlist_add(self, request: Request, search_id: str, saved: tuple[str, str, dict], employee_id: str,
                      offset: int, lang: str) -> Reply:
        actor, query = request.actor, saved[1]
        employee = self.store.get_employee(employee_id)
        if not self._visible(actor, employee):
            return notice(lang, "profile_not_visible")
        added = self.store.add_to_shortlist(actor.id, employee.id, query)
        count = len(self.store.shortlist(actor.id))
        key = "shortlisted" if added else "already_shortlisted"
        if added:
            self.store.add_audit(actor.id, "shortlist", query, [employee.id], {"role": actor.role.value})
        # The card is redrawn in place, its button now showing the new state.
        return self.run_page(request, search_id, saved, offset,
                             notice_text=t(key, lang, name=employee.display_name, count=count), action="redraw")

    def show_shortlist(self, request: Request, lang: str) -> Reply:
        actor = request.actor
        if not actor.role.can_search_people:
            return notice(lang, "not_allowed_search")
        ids = self.store.shortlist(actor.id)
        people = self.store.get_employees(ids)
        visible = [people[i] for i in ids if self._visible(actor, people.get(i))]
        if not visible:
            return notice(lang, "shortlist_empty")
        card = Card(fallback=t("shortlist_title", lang))
        card.add(Header(t("shortlist_title", lang)))
        for e in visible:
            card.add(Text(f"**{e.display_name}** · {e.title} · {e.department} · {e.level}"))
        return Reply([card], lang=lang, ephemeral=True)

    # ---- cards ---------------------------------------------------------------------------------------------------
    def _fields(self, e: Employee, lang: str) -> tuple[tuple[str, str], ...]:
        return ((t("field_title", lang), e.title or "—"), (t("field_department", lang), e.department or "—"),
                (t("field_level", lang), e.level or "—"), (t("field_location", lang), e.location or "—"),
                (t("field_availability", lang), t("open_yes" if e.open_to_moves else "open_no", lang)))

    def results_card(self, page: SearchPage, search_id: str, actor: Employee, lang: str, limit: int,
                     expanded: Employee | None = None, notice: str | None = None,
                     shortlisted: frozenset[str] = frozenset()) -> Card:
        query = page.query if len(page.query) <= 80 else page.query[:79] + "…"
        card = Card(fallback=notice or t("results_title", lang, query=query))
        card.add(Header(t("results_title", lang, query=query)))
        if notice:
            card.add(Text(f"**{notice}**"))
        if not page.candidates:
            card.add(Text(t("no_results", lang)))
            return card
        scope = t("scope_open_only", lang) if page.filters.open_only or actor.role == Role.MANAGER else ""
        skills = ", ".join(page.query_skills) if page.query_skills else t("no_skills_detected", lang)
        card.add(Context(t("results_summary", lang, start=page.offset + 1, end=page.offset + len(page.candidates),
                           total=page.total_eligible, scope=scope, skills=skills)))
        for rank, c in enumerate(page.candidates, start=page.offset + 1):
            card.add(Divider(), *self.candidate_blocks(rank, c, search_id, lang, page.offset,
                                                       shortlisted=c.employee_id in shortlisted,
                                                       expanded=expanded if expanded is not None
                                                       and expanded.id == c.employee_id else None))
        closing = []
        if len(page.candidates) >= 2:     # the first few of this page side by side (compare takes 2-4 people)
            ids = ",".join(c.employee_id for c in page.candidates[:4])
            closing.append(Button(t("btn_compare_page", lang, count=min(4, len(page.candidates))), "compare_page",
                                  f"{search_id}:{ids}"))
        if page.offset + len(page.candidates) < page.total_eligible:
            closing.append(Button(t("btn_next", lang), "next_page", f"{search_id}:{page.offset + limit}"))
        if closing:
            card.add(Divider(), Actions(tuple(closing)))
        return card

    def candidate_blocks(self, rank: int, c: Candidate, search_id: str, lang: str, offset: int = 0,
                         shortlisted: bool = False, expanded: Employee | None = None) -> list:
        availability = t("open_yes" if c.open_to_moves else "open_no", lang)
        head = (f"**{rank}. {c.display_name}** — {c.title or '—'}\n"
                f"{t('score_line', lang, score=c.score, band=t('band_' + c.band, lang))} · {c.department or '—'} · "
                f"{c.level or '—'} · {c.location or '—'} · {availability}")
        lines = [head]
        for m in c.matched[:MAX_MATCHED_SHOWN]:
            via = f" ({t('via_related', lang, via=m.via)})" if m.via else ""
            lines.append(f"✓ **{m.name}**{via}: {quoted(m.evidence, lang)}")
        if c.missing:
            lines.append(f"✗ {t('missing', lang)}: " + ", ".join(c.missing))
        blocks = [Text("\n".join(lines))]
        if c.thin_profile:
            blocks.append(Context(t("thin_profile", lang)))
        if expanded is not None:
            blocks.append(Fields(self._fields(expanded, lang)))
            blocks.extend(skills_with_evidence(expanded, self.taxonomy, lang))
            details = Button(t("btn_hide_details", lang), "hide_details", f"{search_id}:{offset}")
        else:
            details = Button(t("btn_details", lang), "details", f"{search_id}:{c.employee_id}:{offset}")
        if shortlisted:
            keep = Button(t("btn_shortlisted", lang), "shortlist", f"{search_id}:{c.employee_id}:{offset}")
        else:
            keep = Button(t("btn_shortlist", lang), "shortlist", f"{search_id}:{c.employee_id}:{offset}",
                          style="primary")
        gap = Button(t("btn_gap", lang), "gap_analysis", f"{search_id}:{c.employee_id}")
        blocks.append(Actions((details, keep, gap)))
        return blocks
