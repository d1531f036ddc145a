"""Compare 2-4 candidates side by side for a role (managers and HR only, people they could find in a search)."""
from __future__ import annotations

from dataclasses import replace

from cards.model import Card, Context, Divider, Header, Text
from core.compare import MAX_PEOPLE, MIN_PEOPLE, Cell, Comparison, compare
from core.domain import WorkRole
from core.gaps import GapAnalyzer, MISSING, PARTIAL, PRESENT
from core.skills.taxonomy import Taxonomy
from core.text import request_language
from handlers.find_candidates import notice, saved_search_for
from core import audit
from core.access import can_search_people, can_view
from handlers.gap_analysis import proficiency_label, short
from handlers.guardrails import screen
from handlers.messages import t
from handlers.requests import Reply, Request

MARKS = {PRESENT: "✓", PARTIAL: "½", MISSING: "✗"}


class CompareHandler:
    ACTIONS = ("compare_page",)    # "Compare these" on a results card; otherwise a command or a chat question

    def __init__(self, gaps: GapAnalyzer, store, taxonomy: Taxonomy):
        self.gaps = gaps
        self.store = store
        self.taxonomy = taxonomy

    def compare(self, request: Request, ids_or_names: list[str], role_text: str) -> Reply:
        """Compare the people named by id, e-mail or name (2-4 of them) for the role described by `role_text`
        (may be empty: then only the skills they have are compared)."""
        actor = request.actor
        role_text = (role_text or "").strip()
        keys = list(dict.fromkeys(k.strip() for k in ids_or_names if k and k.strip()))
        lang = request.lang or request_language(role_text or " ".join(keys))
        if not can_search_people(actor):
            return notice(lang, "compare_not_allowed")
        if role_text:
            stopped = screen(self.store, request, role_text, "compare", lang, getattr(self.gaps, "extractor", None),
                             target=",".join(keys))
            if stopped is not None:
                return stopped
        if not request.private:
            return notice(lang, "private_only")
        if not MIN_PEOPLE <= len(keys) <= MAX_PEOPLE:
            return notice(lang, "compare_count", count=len(keys))
        people, not_found = [], []
        for key in keys:
            employee = self.store.get_employee(key) or self.store.find_employee(key)
            # Unknown and hidden get the same answer, so a manager cannot learn that a hidden person exists.
            if employee is None or not can_view(actor, employee):
                not_found.append(key)
            elif all(p.id != employee.id for p in people):
                people.append(employee)
        if not_found:
            return notice(lang, "compare_not_found", names=", ".join(not_found))
        if len(people) < MIN_PEOPLE:
            return notice(lang, "compare_count", count=len(people))
        requirements = self.gaps.requirements_from_text(role_text)
        role_skills = list(requirements.required) + list(requirements.preferred)
        comparison = compare(people, role_skills, self.taxonomy)
        audit.record(self.store, actor, "compare", role_text, [p.id for p in people], skills=role_skills)
        return Reply([self.card(comparison, role_text, lang)], lang=lang, ephemeral=True)

    def handle_action(self, request: Request, lang: str) -> Reply:
        """The results card's compare button: value `search_id:id1,id2,...`, compared for that search's query."""
        search_id, _, ids = (request.action_value or "").partition(":")
        saved, lang, refusal = saved_search_for(self.store, request, search_id)
        if refusal is not None:
            return refusal
        return self.compare(replace(request, lang=lang), ids.split(","), saved[1])

    # ---- card --------------------------------------------------------------------------------------------------------
    def card(self, comparison: Comparison, role_text: str, lang: str) -> Card:
        count = len(comparison.people)
        title = t("compare_title", lang, count=count, role=short(role_text)) if role_text else \
            t("compare_title_no_role", lang, count=count)
        card = Card(fallback=title)
        card.add(Header(title))
        if comparison.required:
            names = ", ".join(self.taxonomy.name(s, lang) for s in comparison.required)
            card.add(Context(t("compare_skills", lang, skills=names)))
        elif role_text:
            card.add(Context(t("compare_no_role_skills", lang)))
        card.add(Text("\n".join(self._person_lines(number, person, lang)
                                for number, person in enumerate(comparison.people, start=1))))
        card.add(Divider())
        role_rows = [r for r in comparison.rows if r.required]
        other_rows = [r for r in comparison.rows if not r.required]
        for key, rows in (("compare_required", role_rows), ("compare_other", other_rows)):
            if rows:
                lines = [f"**{self.taxonomy.name(r.skill_id, lang)}**: " +
                         " · ".join(f"{n} {self._cell(c, lang)}" for n, c in enumerate(r.cells, start=1))
                         for r in rows]
                card.add(Text(f"**{t(key, lang)}**\n" + "\n".join(lines)))
        card.add(Context(t("compare_legend", lang)))
        return card

    def _person_lines(self, number: int, person, lang: str) -> str:
        facts = [person.title or "—", person.department or "—", person.level or "—"]
        if person.years_experience is not None:
            years = person.years_experience
            facts.append(t("compare_years", lang, years=int(years) if float(years).is_integer() else years))
        facts.append(t("open_yes" if person.open_to_moves else "open_no", lang))
        if person.coverage is not None:
            facts.append(t("compare_coverage", lang, coverage=person.coverage))
        line = f"**{number}. {person.display_name}** — " + " · ".join(facts)
        if person.top_roles:
            line += f"\n    {t('compare_roles', lang)}: " + "; ".join(_role(r) for r in person.top_roles)
        return line

    def _cell(self, cell: Cell, lang: str) -> str:
        mark = MARKS[cell.status]
        if cell.status == PARTIAL and cell.via:
            return f"{mark} {self.taxonomy.name(cell.via, lang)}"
        level = proficiency_label(cell.proficiency, lang) if cell.status == PRESENT else ""
        return f"{mark} {level}" if level else mark


def _role(role: WorkRole) -> str:
    text = role.title + (f", {role.organisation}" if role.organisation else "")
    if role.start:
        text += f" ({role.start}–{role.end})"
    return text
