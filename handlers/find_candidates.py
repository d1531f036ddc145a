"""Find internal candidates: search, details, next page and shortlist, as neutral cards."""
from __future__ import annotations

from cards.model import Actions, Button, Card, Context, Divider, Fields, Header, Text
from core.domain import Candidate, Employee, Role, SearchFilters, SearchPage
from core.matching.query import filters_to_dict
from core.matching.service import MatchingService
from core.search import (DEFAULT_LIMIT, BadOption, Blocked, NeedsDescription, Refusal, SearchCandidates,
                         SearchOutcome, SearchResult, UnknownDepartment, UnknownLocation)
from core.skills.taxonomy import Taxonomy
from handlers.feedback_buttons import result_vote_buttons
from handlers.guardrails import off_topic_card, off_topic_reply, refusal_reply
from handlers.messages import quoted, t
from handlers.requests import Reply, Request
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
    may not be used (the rule is SearchCandidates.open_saved)."""
    opened = SearchCandidates(_StoreOnly(store)).open_saved(request.actor, search_id, request.private, request.lang)
    if isinstance(opened, Refusal):
        return None, opened.lang, notice(opened.lang, opened.reason)
    return (opened.owner_id, opened.query, {"filters": filters_to_dict(opened.filters), "limit": opened.limit,
                                            "lang": opened.lang}), opened.lang, None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


class _StoreOnly:
    """Enough of a matching service for the saved-search rule, which needs only the store."""

    def __init__(self, store):
        self.store = store


class FindCandidates:
    """The presenter of the search use case (core.search.SearchCandidates): outcomes in, neutral cards out."""

    def __init__(self, matching: MatchingService, taxonomy: Taxonomy, default_limit: int = DEFAULT_LIMIT):
        self.matching = matching
        self.store = matching.store
        self.taxonomy = taxonomy
        self.default_limit = default_limit
        self.use_case = SearchCandidates(matching, default_limit)

    # ---- the command ---------------------------------------------------------------------------------------------
    def search(self, request: Request, text: str) -> Reply:
        outcome = self.use_case.search(request.actor, text, lang=request.lang, private=request.private,
                                       page_cap=request.page_cap)
        return self.present(outcome, request)

    def present(self, outcome: SearchOutcome, request: Request | None = None, lead: str | None = None) -> Reply:
        """The reply for any search outcome (the CLI prints the same cards as text)."""
        lang = outcome.lang
        if isinstance(outcome, SearchResult):
            card = self.results_card(outcome.page, outcome.search_id, request.actor if request else None, lang,
                                     outcome.limit, notice=lead, shortlisted=outcome.shortlisted)
            return Reply([card], lang=lang)
        if isinstance(outcome, Refusal):
            return notice(lang, outcome.reason)
        if isinstance(outcome, Blocked):
            verdict = outcome.verdict
            if verdict.kind == "discriminatory":
                return refusal_reply(verdict, lang)
            if verdict.kind == "injection":
                return Reply([notice_card(t("chat_declined_injection", lang))], lang=lang, ephemeral=True)
            return off_topic_reply(request, lang) if request is not None else \
                Reply([off_topic_card(None, lang)], lang=lang, ephemeral=True)
        if isinstance(outcome, BadOption):
            lead = t("bad_option", lang, option=outcome.option, why=outcome.why)
        elif isinstance(outcome, NeedsDescription):
            lead = t("help_unclear", lang) if outcome.unclear else None
        elif isinstance(outcome, UnknownDepartment):
            lead = t("unknown_department", lang, names=", ".join(outcome.names), known=", ".join(outcome.known))
        elif isinstance(outcome, UnknownLocation):
            lead = t("unknown_location", lang, names=", ".join(outcome.names), known=", ".join(outcome.known))
        return Reply([help_card(lang, self.default_limit, lead)], lang=lang, ephemeral=True)

    def search_page(self, request: Request, text: str, filters: SearchFilters, limit: int, lang: str,
                    lead: str | None = None) -> tuple[SearchPage, Reply]:
        """A checked search (talent chat's interpreted question): the page and its results card."""
        result = self.use_case.run(request.actor, text, filters, limit, lang)
        return result.page, self.present(result, request, lead)

    # ---- buttons ------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request) -> Reply:
        search_id, _, arg = request.action_value.partition(":")
        saved = self.use_case.open_saved(request.actor, search_id, request.private, request.lang)
        if isinstance(saved, Refusal):
            return self.present(saved, request)
        target, _, offset_text = arg.partition(":")
        offset = _number(offset_text)
        if request.action_id in ("next_page", "hide_details"):
            action = "next_page" if request.action_id == "next_page" else "redraw"
            return self._redraw(request, self.use_case.page(request.actor, saved, _number(target), action))
        if request.action_id == "details":
            employee = self.use_case.details(request.actor, saved, target)
            if isinstance(employee, Refusal):
                return self.present(employee, request)
            return self._redraw(request, self.use_case.page(request.actor, saved, offset, "redraw"),
                                expanded=employee)
        if request.action_id == "shortlist":
            kept = self.use_case.add_to_shortlist(request.actor, saved, target, offset)
            if isinstance(kept, Refusal):
                return self.present(kept, request)
            key = "shortlisted" if kept.added else "already_shortlisted"
            # The card is redrawn in place, its button now showing the new state.
            return self._redraw(request, kept.result,
                                notice_text=t(key, saved.lang, name=kept.employee.display_name, count=kept.count))
        return notice(saved.lang, "unknown_action")

    def _redraw(self, request: Request, outcome: SearchResult | Refusal, expanded: Employee | None = None,
                notice_text: str | None = None) -> Reply:
        """The card a button was on, redrawn (a new page, a candidate expanded, a shortlist button's new state)."""
        if isinstance(outcome, Refusal):
            return self.present(outcome, request)
        card = self.results_card(outcome.page, outcome.search_id, request.actor, outcome.lang, outcome.limit,
                                 expanded=expanded, notice=notice_text, shortlisted=outcome.shortlisted)
        return Reply([card], lang=outcome.lang, replace_original=True)

    def show_shortlist(self, request: Request, lang: str) -> Reply:
        interested = self.use_case.interest_context(request.actor) if request.actor.role.can_search_people else {}
        visible = self.use_case.shortlist(request.actor, lang, interested)
        if isinstance(visible, Refusal):
            return self.present(visible, request)
        if not visible:
            return notice(lang, "shortlist_empty")
        card = Card(fallback=t("shortlist_title", lang))
        card.add(Header(t("shortlist_title", lang)))
        for e in visible:
            line = f"**{e.display_name}** · {e.title} · {e.department} · {e.level}"
            if e.id in interested:        # shown for this opening only: they asked for it
                opening = interested[e.id]
                line += "\n" + t("shortlist_interested_in", lang, title=opening.title, id=opening.id)
            card.add(Text(line))
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
        # page.filters are the filters the search ran with: a manager's always say "open to moves only".
        scope = t("scope_open_only", lang) if page.filters.open_only or (actor and actor.role == Role.MANAGER) else ""
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
                f"{c.level or '—'}{seniority_text(c, lang)} · {c.location or '—'} · {availability}")
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
        blocks.append(Actions((details, keep, gap, *result_vote_buttons(search_id, c.employee_id, lang))))
        return blocks


def seniority_text(c: Candidate, lang: str) -> str:
    """" · 7 yrs", and when the request asked a higher level, that this person is below it."""
    out = ""
    if c.years is not None:
        out += " · " + t("years_short", lang, n=int(round(c.years)))
    if c.below_asked:
        out += " · " + t("below_asked_level", lang, level=t(f"seniority_rank_{c.below_asked}", lang))
    return out
