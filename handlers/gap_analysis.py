"""Skill-gap analysis as a card: what a person has for a role (with evidence), what is partly covered through a
related skill, what is missing, and for each gap where to learn it and who offered to mentor it.

Who may see what: anyone may analyse themselves; managers and HR may analyse a person they could find in a search
(same rule as the search); the mentors' name, team and evidence line are all that is shown of other colleagues.
"""
from __future__ import annotations

import re
from dataclasses import replace

from cards.model import Button, Card, Context, Divider, Header, Text
from core.domain import Employee, Role
from core.jd.model import JdStatus
from core.gaps import MISSING, PARTIAL, PRESENT, GapAnalyzer, GapReport, SkillGap
from core import audit
from core.access import can_search_people, can_view
from core.skills.taxonomy import Taxonomy
from core.text import request_language
from handlers.find_candidates import notice, saved_search_for
from handlers.guardrails import screen
from handlers.messages import MESSAGES, quoted, t
from handlers.requests import Reply, Request

MAX_PRESENT_SHOWN = 8
MAX_GAP_DETAILS = 5
MAX_RESOURCES_SHOWN = 2
MAX_ROLE_IN_TITLE = 80
GAP_ACTION = "gap_analysis"
_POSTING_KEY = re.compile(r"(?:jd|op)-[0-9a-f]{6,}")


def short(text: str, most: int = MAX_ROLE_IN_TITLE) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= most else text[:most - 1] + "…"


def proficiency_label(proficiency: str, lang: str) -> str:
    key = f"proficiency_{proficiency}"
    return t(key, lang) if key in MESSAGES else ""


def hours_label(hours: float, lang: str) -> str:
    return t("gap_hours", lang, hours=int(hours) if float(hours).is_integer() else hours)


class GapAnalysisHandler:
    ACTIONS = (GAP_ACTION,)     # the router sends these buttons here

    def __init__(self, gaps: GapAnalyzer, store, taxonomy: Taxonomy):
        self.gaps = gaps
        self.store = store
        self.taxonomy = taxonomy

    # ---- entry points ----------------------------------------------------------------------------------------------
    def for_text(self, request: Request, target_employee_id: str | None, role_text: str) -> Reply:
        """`gap <role>` for the asker (target None), or for a colleague by id (or e-mail / name) when the asker is
        a manager or HR and could find that colleague in a search."""
        actor = request.actor
        role_text = (role_text or "").strip()
        lang = request.lang or request_language(role_text)
        if not request.private:
            return notice(lang, "gap_private_only")
        target = self._resolve(actor, target_employee_id)
        if target is None and target_employee_id and target_employee_id.strip() != actor.id:
            if not can_search_people(actor):
                return notice(lang, "gap_only_self")
            return notice(lang, "profile_not_visible")
        if target is None:
            target = self.store.get_employee(actor.id)
            if target is None:
                return notice(lang, "employee_gone")
        if not role_text:
            return notice(lang, "gap_no_role")
        if not _POSTING_KEY.fullmatch(role_text):
            stopped = screen(self.store, request, role_text, "gap", lang, getattr(self.gaps, "extractor", None),
                             target=target.id if target.id != actor.id else "")
            if stopped is not None:
                return stopped
        shown_role = role_text
        posting = self._posting_text(actor, role_text)
        if posting is not None:            # "gap jd-3f2a…" / "gap op-91c0…": a job description or an opening
            shown_role, role_text = f"{posting[0]} ({role_text})", posting[1]
        report = self.gaps.analyse(target, role_text)
        if not report.required and not report.preferred:
            return notice(lang, "gap_no_skills", role=short(shown_role))
        is_self = target.id == actor.id
        audit.record(self.store, actor, "gap_analysis", role_text, [target.id, *report.mentor_ids],
                     target=target.id, self=is_self, coverage=report.coverage, mentors_shown=report.mentor_ids)
        return Reply([self.card(report, target, shown_role, lang, is_self)], lang=lang, ephemeral=True)

    def from_search(self, request: Request) -> Reply:
        """The gap button on a search result: value `search_id:employee_id`, analysed against that search's query."""
        search_id, _, rest = (request.action_value or "").partition(":")
        employee_id = rest.split(":")[0]
        saved, lang, refusal = saved_search_for(self.store, request, search_id)
        if refusal is not None:
            return refusal
        if not employee_id:
            return notice(lang, "unknown_action")
        return self.for_text(replace(request, lang=lang), employee_id, saved[1])

    def handle_action(self, request: Request, lang: str | None = None) -> Reply:
        return self.from_search(request)

    @staticmethod
    def button(search_id: str, employee_id: str, lang: str) -> Button:
        """The "Skill gap" button for a search result; its press reaches from_search."""
        return Button(t("btn_gap", lang), GAP_ACTION, f"{search_id}:{employee_id}")

    def _posting_text(self, actor: Employee, key: str) -> tuple[str, str] | None:
        """A JD's title, requirements and preferred skills as a role text, when `key` names one the actor may see:
        HR sees every JD, everyone else only published ones (internal openings)."""
        key = key.strip()
        if not _POSTING_KEY.fullmatch(key) or not hasattr(self.store, "get_jd"):
            return None
        if key.startswith("op-"):
            opening = self.store.get_opening(key)
            key = opening.jd_id if opening else ""
        record = self.store.get_jd(key) if key else None
        if record is None or (actor.role != Role.HR_ADMIN and record.status != JdStatus.PUBLISHED):
            return None
        draft = record.draft
        lines = [draft.title, *draft.requirements]
        if draft.preferred:
            lines += ["Preferred:", *draft.preferred]
        return draft.title, "\n".join(line for line in lines if line)

    def _resolve(self, actor: Employee, key: str | None) -> Employee | None:
        """The colleague named by `key` when the actor may analyse them (themselves always); else None."""
        key = (key or "").strip()
        if not key:
            return None
        employee = self.store.get_employee(key) or self.store.find_employee(key)
        if employee is None:
            return None
        if employee.id == actor.id or can_view(actor, employee):
            return employee
        return None

    # ---- card --------------------------------------------------------------------------------------------------------
    def card(self, report: GapReport, target: Employee, role_text: str, lang: str, is_self: bool) -> Card:
        role = short(role_text)
        title = t("gap_title_self", lang, role=role) if is_self else \
            t("gap_title_other", lang, name=target.display_name, role=role)
        card = Card(fallback=title)
        card.add(Header(title))
        if report.coverage is None:
            card.add(Context(t("gap_summary_preferred_only", lang)))
        else:
            card.add(Context(t("gap_summary", lang, coverage=report.coverage, present=report.count(PRESENT),
                               partial=report.count(PARTIAL), missing=report.count(MISSING))))
        present = [g for g in report.required if g.status == PRESENT]
        partial = [g for g in report.required if g.status == PARTIAL]
        missing = [g for g in report.required if g.status == MISSING]
        if present:
            lines = [self._present_line(g, lang) for g in present[:MAX_PRESENT_SHOWN]]
            if len(present) > MAX_PRESENT_SHOWN:
                lines.append(f"… +{len(present) - MAX_PRESENT_SHOWN}")
            card.add(Text(f"**{t('gap_present', lang)}**\n" + "\n".join(lines)))
        if partial:
            card.add(Text(f"**{t('gap_partial', lang)}**\n" + "\n".join(self._partial_line(g, lang) for g in partial)))
        if missing:
            card.add(Text(f"**{t('gap_missing', lang)}**\n✗ " + ", ".join(self._name(g, lang) for g in missing)))
        if report.preferred:
            marks = {PRESENT: "✓", PARTIAL: "½", MISSING: "✗"}
            card.add(Context(f"{t('gap_preferred', lang)}: " +
                             " · ".join(f"{marks[g.status]} {self._name(g, lang)}" for g in report.preferred)))
        # The biggest gaps first: required missing, required partial, then the preferred ones.
        ordered = missing + partial + [g for g in report.preferred if g.status == MISSING] + \
            [g for g in report.preferred if g.status == PARTIAL]
        if ordered:
            card.add(Divider())
        for gap in ordered[:MAX_GAP_DETAILS]:
            card.add(Text(self._gap_details(gap, lang)))
        if len(ordered) > MAX_GAP_DETAILS:
            rest = ordered[MAX_GAP_DETAILS:]
            card.add(Context(t("gap_more", lang, count=len(rest), names=", ".join(self._name(g, lang) for g in rest))))
        card.add(Context(t("gap_explain", lang)))
        return card

    def _name(self, gap: SkillGap, lang: str) -> str:
        return self.taxonomy.name(gap.skill_id, lang)

    def _present_line(self, gap: SkillGap, lang: str) -> str:
        level = proficiency_label(gap.proficiency, lang)
        level = f" ({level})" if level else ""
        return f"✓ **{self._name(gap, lang)}**{level}: {quoted(gap.evidence, lang)}"

    def _partial_line(self, gap: SkillGap, lang: str) -> str:
        via = t("gap_related", lang, via=self.taxonomy.name(gap.via, lang))
        return f"½ **{self._name(gap, lang)}** ({via}): {quoted(gap.evidence, lang)}"

    def _gap_details(self, gap: SkillGap, lang: str) -> str:
        status = t("gap_missing" if gap.status == MISSING else "gap_partial", lang)
        lines = [f"**{self._name(gap, lang)}** — {status}"]
        learning = gap.learning
        if learning is None or not learning.resources:
            lines.append("• " + t("gap_no_resources", lang))
        else:
            for resource in learning.resources[:MAX_RESOURCES_SHOWN]:
                lines.append(f"• {t('gap_learn', lang)}: {resource.title(lang)} ({resource.provider} · "
                             f"{t('kind_' + resource.kind, lang)} · {hours_label(resource.hours, lang)}) {resource.url}")
            if learning.via:
                lines.append("  " + t("gap_learn_via", lang, skill=self._name(gap, lang),
                                      via=self.taxonomy.name(learning.via, lang)))
        if gap.mentors:
            for mentor in gap.mentors:
                team = f" ({mentor.department})" if mentor.department else ""
                lines.append(f"• {t('gap_mentor', lang)}: {mentor.display_name}{team}: {quoted(mentor.evidence, lang)}")
        else:
            lines.append("• " + t("gap_no_mentors", lang))
        return "\n".join(lines)
