"""The cards of the job-description flow, built from core.jd data; no storage or services here (handlers/jd.py decides
what to show). Every card stays within what Slack, Teams and the terminal can show: under 50 blocks, and no text or
input value over 3000 characters (the edit handler refuses longer sections rather than letting a renderer cut them).

Button values carry what the press needs and, after "|", the language of the card (a press has no text to detect it
from): "jd-1a2b3c4d5e6f:3|ko" is JD jd-1a2b3c4d5e6f as of version 3, shown in Korean.
"""
from __future__ import annotations

from typing import Callable, Iterable

from cards.model import Actions, Button, Card, Confirm, Context, Divider, Fields, Header, Input, Text
from core.jd.diff import SectionDiff
from core.jd.guardrails import Finding
from core.jd.model import (JOB_FAMILIES, JOB_LEVELS, LIST_SECTIONS, SECTION_HEADINGS, SECTIONS, Company, JdDecision,
                           JdDraft, JdRecord, JdStatus, JdVersion, Opening, Posting)
from handlers.feedback_buttons import filled_button
from handlers.hiring_manager import FIELD as HIRING_MANAGER
from handlers.hiring_manager import hiring_manager_of
from handlers.messages import MESSAGES, t

MAX_SECTION_CHARS = 3000       # Slack's limit for an input's initial value; longer sections are refused on save
MOST_FINDINGS = 8
MOST_POSTINGS = 10
MOST_HISTORY = 20
PREVIEW_CHARS = 160

Names = Callable[[str], str]   # employee id -> display name


# ---- small helpers ----------------------------------------------------------------------------------------------------
def emphasis(message: str) -> Text:
    """A message in bold; one of several lines (a guardrail explanation) stays plain, as bold cannot span lines."""
    return Text(f"**{message}**" if "\n" not in message else message)


def value(*parts: object, lang: str) -> str:
    return ":".join(str(p) for p in parts) + f"|{lang}"


def parse_value(raw: str) -> tuple[list[str], str | None]:
    """("jd-1:3|ko") -> (["jd-1", "3"], "ko"); a value without a language gives None for it."""
    head, sep, lang = (raw or "").rpartition("|")
    if not sep:
        head, lang = raw or "", None
    return head.split(":") if head else [], (lang if lang in ("ko", "en") else None)


def shorten(text: str, limit: int = PREVIEW_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def number(n: float) -> str:
    return f"{int(round(n)):,}"


def eta_text(seconds: float, lang: str) -> str:
    seconds = max(0.0, float(seconds or 0))
    if seconds < 90:
        return t("jd_seconds", lang, n=max(5, int(round(seconds / 5.0)) * 5))
    minutes = int(round(seconds / 60))
    return t("jd_minute", lang) if minutes == 1 else t("jd_minutes", lang, n=minutes)


def when(iso: str) -> str:
    """"2025-05-01T09:30:12+00:00" -> "2025-05-01 09:30 UTC"."""
    return f"{iso[:16].replace('T', ' ')} UTC" if iso and len(iso) >= 16 else (iso or "—")


def status_label(status: JdStatus | str, lang: str) -> str:
    key = f"jd_status_{getattr(status, 'value', status)}"
    return t(key, lang) if key in MESSAGES else str(getattr(status, "value", status))


def action_label(action: str, lang: str) -> str:
    key = f"jd_action_{action}"
    return t(key, lang) if key in MESSAGES else action


def style_label(style: str, lang: str) -> str:
    key = f"jd_style_{style}"
    return t(key, lang) if key in MESSAGES else style


def family_label(code: str, lang: str) -> str:
    family = JOB_FAMILIES.get(code)
    return family.name(lang) if family else code


def level_label(code: str, lang: str) -> str:
    level = JOB_LEVELS.get(code)
    return f"{code} · {level.name(lang)}" if level else code


def heading(section: str, lang: str) -> str:
    return SECTION_HEADINGS["ko" if lang == "ko" else "en"][section]


def company_options(companies: Iterable[Company]) -> tuple[tuple[str, str], ...]:
    return tuple((c.id, c.name) for c in companies)


def family_options(lang: str) -> tuple[tuple[str, str], ...]:
    other = "en" if lang == "ko" else "ko"
    return tuple((f.code, f"{f.name(lang)} · {f.name(other)}") for f in JOB_FAMILIES.values())


def level_options(lang: str) -> tuple[tuple[str, str], ...]:
    other = "en" if lang == "ko" else "ko"
    return tuple((lv.code, f"{lv.code} · {lv.name(lang)} / {lv.name(other)}") for lv in JOB_LEVELS.values())


def section_options(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((s, heading(s, lang)) for s in SECTIONS)


def context_line(company: Company | None, family: str, level: str, lang: str) -> str:
    return t("jd_drafts_context", lang, company=company.name if company else "—", family=family_label(family, lang),
             level=level_label(level, lang))


# ---- findings -----------------------------------------------------------------------------------------------------------
def finding_line(finding: Finding, lang: str) -> str:
    kind, text = finding.kind, shorten(finding.text, 90)
    if kind == "sensitive_entity":
        line = (t("jd_finding_replaced", lang, generic=finding.suggestion) if finding.action == "replaced"
                else t("jd_finding_removed", lang))
    elif kind == "personal_data":
        line = t("jd_finding_personal", lang, text=text)
    elif kind == "coded_wording":
        key = f"jd_coded_{finding.detail}"
        category = t(key, lang) if key in MESSAGES else finding.detail
        line = t("jd_finding_coded", lang, text=text, category=category, suggestion=finding.suggestion)
    elif kind in ("untraced_skill", "untraced_claim", "catalog_skill"):
        line = t(f"jd_finding_{kind}", lang, text=text)
    else:
        line = text
    return f"• **{heading(finding.section, lang)}** — {line}" if finding.section in SECTIONS else f"• {line}"


def unique_findings(findings: Iterable[Finding]) -> list[Finding]:
    """One line per thing found: an untraced skill that is also a catalogue skill is named once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for finding in findings:
        group = "skill" if finding.kind in ("untraced_skill", "catalog_skill") else finding.kind
        key = (group, finding.text.strip().lower())
        if key not in seen:
            seen.add(key)
            out.append(finding)
    return out


def findings_blocks(findings: Iterable[Finding], lang: str, most: int = MOST_FINDINGS) -> list:
    found = unique_findings(findings)
    if not found:
        return []
    lines = [finding_line(f, lang) for f in found[:most]]
    if len(found) > most:
        lines.append(t("jd_findings_more", lang, count=len(found) - most))
    return [Text(f"**{t('jd_findings_title', lang)}**\n" + "\n".join(lines))]


def findings_summary(findings: Iterable[Finding], lang: str, most: int = 3) -> str:
    found = unique_findings(findings)
    if not found:
        return ""
    lines = [finding_line(f, lang).lstrip("• ") for f in found[:most]]
    more = f" {t('jd_findings_more', lang, count=len(found) - most)}" if len(found) > most else ""
    return "⚠ " + " · ".join(lines) + more


# ---- the new-JD form and the three drafts -----------------------------------------------------------------------------------
def new_jd_form(companies: list[Company], lang: str, chosen: dict | None = None, message: str = "") -> Card:
    chosen = chosen or {}
    card = Card(fallback=t("jd_form_title", lang))
    card.add(Header(t("jd_form_title", lang)))
    if message:
        card.add(emphasis(message))
    card.add(Context(t("jd_form_explain", lang)),
             Input("company", t("jd_field_company", lang), chosen.get("company", ""), options=company_options(companies)),
             Input("family", t("jd_field_family", lang), chosen.get("family", ""), options=family_options(lang)),
             Input("level", t("jd_field_level", lang), chosen.get("level", ""), options=level_options(lang)),
             Input("notes", t("jd_field_notes", lang), chosen.get("notes", ""), multiline=True,
                   placeholder=t("jd_notes_placeholder", lang)),
             Actions((Button(t("btn_jd_show_drafts", lang), "jd_show_drafts", value(lang=lang), style="primary"),)))
    return card


def draft_preview(draft: JdDraft, lang: str) -> str:
    lines = [shorten(draft.summary)] if draft.summary else []
    lines.extend(f"• {shorten(item, 110)}" for item in draft.requirements[:3])
    return "\n".join(lines)


def applied_text(applied: list[dict], lang: str, skill_name: Callable[[str], str]) -> str:
    """What an offline edit did, in words: "Kafka added, Redis removed, 7+ years"."""
    parts = []
    for change in applied:
        op, what = change.get("op", ""), change.get("value")
        if op == "swap" and isinstance(what, list) and len(what) == 2:
            what = f"{skill_name(what[0])} → {skill_name(what[1])}"
        elif op in ("remove", "move", "already_present", "add"):
            what = skill_name(str(what))
        key = f"jd_op_{op}"
        text = t(key, lang, what=what) if key in MESSAGES else op
        if text not in parts:
            parts.append(text)
    return ", ".join(parts)


def notes_lines(applied: list[dict], unapplied: list[str], lang: str, skill_name: Callable[[str], str]) -> list[str]:
    out = []
    if applied:
        out.append(t("jd_notes_applied", lang, what=applied_text(applied[:6], lang, skill_name)))
    if unapplied:
        out.append(t("jd_notes_unapplied", lang, what="; ".join(unapplied[:4])))
    return out


def drafts_card(instant, set_id: str, company: Company | None, lang: str, skill_name: Callable[[str], str],
                fallback_note: str = "", lang_note: str = "") -> Card:
    """The three instant drafts side by side, each with "Use this", then the two other ways to start."""
    first = instant.drafts[0]
    card = Card(fallback=t("jd_drafts_title", lang, title=first.title))
    card.add(Header(t("jd_drafts_title", lang, title=first.title)),
             Context(context_line(company, instant.family, instant.level, lang)))
    notes = [n for n in (fallback_note, lang_note) if n]
    notes.extend(notes_lines(instant.applied_notes, instant.unapplied_notes, lang, skill_name))
    if notes:
        card.add(Text("\n".join(f"**{n}**" if n == fallback_note else n for n in notes)))
    card.add(Context(t("jd_template_label", lang)))
    for index, draft in enumerate(instant.drafts):
        card.add(Divider(), Text(f"**{index + 1}. {style_label(draft.style, lang)}** — {draft.title}\n"
                                 + draft_preview(draft, lang)))
        warning = findings_summary(instant.findings.get(draft.style, []), lang)
        if warning:
            card.add(Context(warning))
        card.add(Actions((Button(t("btn_jd_use", lang), "jd_use", value(set_id, index, lang=lang),
                                 style="primary" if index == 0 else None),)))
    card.add(Divider(), Actions((Button(t("btn_jd_past", lang), "jd_past_list", value(set_id, lang=lang)),
                                 Button(t("btn_jd_custom", lang), "jd_custom_form", value(set_id, lang=lang)))))
    return card


# ---- the edit card and "rewrite a section" ---------------------------------------------------------------------------------
def edit_card(record: JdRecord, draft: JdDraft, company: Company | None, findings: list[Finding], lang: str,
              owner: str, message: str = "") -> Card:
    """Every section as an input; Save makes a new version of `record` (the version the card was built from)."""
    card = Card(fallback=t("jd_edit_title", lang, title=draft.title or record.title))
    card.add(Header(t("jd_edit_title", lang, title=draft.title or record.title)),
             Context(t("jd_edit_context", lang, company=company.name if company else record.company_id,
                       family=family_label(record.family, lang), level=level_label(draft.level or record.level, lang),
                       version=record.version, status=status_label(record.status, lang), owner=owner)))
    if message:
        card.add(emphasis(message))
    card.add(*findings_blocks(findings, lang))
    for section in SECTIONS:
        card.add(Input(section, heading(section, lang), draft.section_text(section), multiline=section != "title"))
    card.add(Input(HIRING_MANAGER, t("jd_field_hiring_manager", lang), hiring_manager_of(draft),
                   placeholder=t("jd_hiring_manager_placeholder", lang)))
    card.add(Context(t("jd_edit_explain", lang)))
    at = value(record.id, record.version, lang=lang)
    card.add(Actions((Button(t("btn_jd_save", lang), "jd_save", at, style="primary"),
                      Button(t("btn_jd_rewrite", lang), "jd_rewrite", at),
                      Button(t("btn_jd_submit", lang), "jd_submit", at),
                      Button(t("btn_jd_history", lang), "jd_history", value(record.id, lang=lang)))))
    return card


def rewrite_form(work_id: str, lang: str, section: str = "requirements", instruction: str = "",
                 message: str = "") -> Card:
    card = Card(fallback=t("jd_rewrite_title", lang))
    card.add(Header(t("jd_rewrite_title", lang)))
    if message:
        card.add(emphasis(message))
    card.add(Context(t("jd_rewrite_explain", lang)),
             Input("section", t("jd_field_section", lang), section, options=section_options(lang)),
             Input("instruction", t("jd_field_instruction", lang), instruction, multiline=True,
                   placeholder=t("jd_instruction_placeholder", lang)),
             Actions((Button(t("btn_jd_preview", lang), "jd_rewrite_preview", value(work_id, lang=lang),
                             style="primary"),
                      Button(t("btn_jd_back", lang), "jd_rewrite_discard", value(work_id, lang=lang)))))
    return card


def diff_text(diff: SectionDiff, lang: str, with_heading: bool = True) -> str:
    lines = [f"{'+' if line.op == '+' else '−'} {line.text}" for line in diff.lines if line.op != " "]
    body = "\n".join(lines) or t("jd_diff_none", lang)
    return f"**{heading(diff.section, lang)}**\n{body}" if with_heading else body


def diff_blocks(diffs: list[SectionDiff], lang: str) -> list:
    return [Text(diff_text(d, lang)) for d in diffs] or [Text(t("jd_diff_none", lang))]


def rewrite_diff_card(work_id: str, section: str, change, lang: str, note: str = "") -> Card:
    card = Card(fallback=t("jd_diff_title", lang, section=heading(section, lang)))
    card.add(Header(t("jd_diff_title", lang, section=heading(section, lang))), *diff_blocks(change.diffs, lang))
    if note:
        card.add(Context(note))
    if change.unapplied:
        card.add(Context(t("jd_diff_unapplied", lang, what="; ".join(change.unapplied[:4]))))
    card.add(*findings_blocks(change.findings, lang))
    card.add(Actions((Button(t("btn_jd_accept", lang), "jd_rewrite_accept", value(work_id, lang=lang), style="primary"),
                      Button(t("btn_jd_discard", lang), "jd_rewrite_discard", value(work_id, lang=lang)))))
    return card


# ---- past postings ------------------------------------------------------------------------------------------------------
def postings_card(company: Company, postings: list[Posting], lang: str, note: str = "") -> Card:
    card = Card(fallback=t("jd_past_title", lang, company=company.name))
    card.add(Header(t("jd_past_title", lang, company=company.name)))
    if note:
        card.add(Context(note))
    if not postings:
        card.add(Text(t("jd_past_none", lang)))
    for posting in postings[:MOST_POSTINGS]:
        first = posting.items("requirements")[:1]
        card.add(Divider(), Text(f"**{posting.title}** · {level_label(posting.level, lang)} · "
                                 f"{posting.posted_at or '—'}" + (f"\n{shorten(first[0], 110)}" if first else "")),
                 Actions((Button(t("btn_jd_update_this", lang), "jd_past_pick", value(posting.id, lang=lang)),)))
    return card


def update_form(posting: Posting, lang: str, instruction: str = "", message: str = "") -> Card:
    card = Card(fallback=t("jd_update_title", lang, title=posting.title))
    card.add(Header(t("jd_update_title", lang, title=posting.title)))
    if message:
        card.add(emphasis(message))
    preview = "\n".join(f"• {shorten(item, 110)}" for item in posting.items("requirements")[:4])
    card.add(Context(t("jd_update_explain", lang)))
    if preview:
        card.add(Text(f"**{heading('requirements', lang)}**\n{preview}"))
    card.add(Input("instruction", t("jd_field_instruction", lang), instruction, multiline=True,
                   placeholder=t("jd_update_placeholder", lang)),
             Actions((Button(t("btn_jd_update", lang), "jd_past_update", value(posting.id, lang=lang),
                             style="primary"),)))
    return card


def update_diff_card(posting: Posting, change, set_id: str, lang: str) -> Card:
    card = Card(fallback=t("jd_updated_title", lang, title=change.after.title))
    card.add(Header(t("jd_updated_title", lang, title=change.after.title)),
             Context(f"{posting.title} ({posting.id}) → {level_label(change.after.level, lang)}"),
             *diff_blocks(change.diffs, lang))
    if change.unapplied:
        card.add(Context(t("jd_diff_unapplied", lang, what="; ".join(change.unapplied[:4]))))
    card.add(*findings_blocks(change.findings, lang))
    card.add(Actions((Button(t("btn_jd_use", lang), "jd_use", value(set_id, 0, lang=lang), style="primary"),
                      Button(t("btn_jd_update_this", lang), "jd_past_pick", value(posting.id, lang=lang)))))
    return card


# ---- approval, history, pending --------------------------------------------------------------------------------------
def draft_sections(draft: JdDraft, lang: str) -> list:
    blocks = []
    for section in SECTIONS[1:]:
        content = getattr(draft, section)
        body = "\n".join(f"• {item}" for item in content) if section in LIST_SECTIONS else content
        if body:
            blocks.append(Text(f"**{heading(section, lang)}**\n{body}"))
    return blocks


def decision_mark(decision: JdDecision, authors: set[str] | frozenset[str], lang: str) -> str:
    """" — approved by the author (self-approval allowed by setting)" for an approval by one of the JD's authors."""
    if decision.action in ("approve", "publish") and decision.actor_id in authors:
        return t("jd_self_approved_mark", lang)
    return ""


def approval_card(record: JdRecord, company: Company | None, findings: list[Finding], opening: Opening | None,
                  decisions: list[JdDecision], names: Names, lang: str, message: str = "",
                  authors: set[str] | frozenset[str] = frozenset(), self_approval: bool = False) -> Card:
    """What the HR approver (and the author) sees: the JD, what the guardrails found, who wrote it and decided what,
    and the decision buttons while it waits for approval. `authors` (owner and editors) may not approve it unless
    `self_approval` is allowed by setting; the card says which."""
    card = Card(fallback=t("jd_approval_title", lang, title=record.title))
    card.add(Header(t("jd_approval_title", lang, title=record.title)))
    if message:
        card.add(emphasis(message))
    pairs = [(t("jd_field_status", lang), status_label(record.status, lang)),
             (t("jd_field_version", lang), str(record.version)),
             (t("jd_field_company", lang), company.name if company else record.company_id),
             (t("jd_field_family", lang), f"{family_label(record.family, lang)} · {level_label(record.level, lang)}"),
             (t("jd_field_owner", lang), t("jd_who_when", lang, who=names(record.owner_id), when=when(record.created_at))),
             (t("jd_field_updated", lang), when(record.updated_at))]
    last = next((d for d in reversed(decisions) if d.action != "submit"), None)
    if last is not None:
        reason = f" — “{shorten(last.reason, 200)}”" if last.reason else ""
        pairs.append((t("jd_field_decision", lang),
                      f"{action_label(last.action, lang)}: {names(last.actor_id)}, {when(last.at)}{reason}"
                      f"{decision_mark(last, authors, lang)}"))
    if opening is not None:
        state = t("jd_opening_open" if opening.status.value == "open" else "jd_opening_closed_status", lang)
        pairs.append((t("jd_field_opening", lang), f"{opening.id} ({state})"))
    card.add(Fields(tuple(pairs)), Context(record.id), Divider(), Text(f"**{record.draft.title}**"),
             *draft_sections(record.draft, lang))
    card.add(*findings_blocks(findings, lang))
    at = value(record.id, record.version, lang=lang)
    buttons: list[Button] = []
    if record.status == JdStatus.PENDING_APPROVAL:
        who = ", ".join(names(a) for a in sorted(authors)) or names(record.owner_id)
        card.add(Context(t("jd_self_approval_allowed" if self_approval else "jd_four_eyes_rule", lang, authors=who)))
        card.add(Input("reason", t("jd_field_reason", lang), multiline=True))
        buttons += [Button(t("btn_jd_approve", lang), "jd_approve", at, style="primary"),
                    Button(t("btn_jd_reject", lang), "jd_reject", at, style="danger"),
                    Button(t("btn_jd_request_changes", lang), "jd_request_changes", at)]
    if record.status in (JdStatus.DRAFT, JdStatus.CHANGES_REQUESTED, JdStatus.PENDING_APPROVAL):
        buttons.append(Button(t("btn_jd_edit", lang), "jd_edit", at))
    if opening is not None and opening.status.value == "open":
        # The opening the card shows travels with the press: a stale card can never close another one.
        buttons.append(Button(t("btn_jd_close_opening", lang), "jd_close_opening",
                              value(record.id, record.version, opening.id, lang=lang), style="danger"))
    if opening is not None:      # who moved in (HR admins; the press checks): the feedback loop's outcome
        buttons.append(filled_button(opening.id, lang))
    buttons.append(Button(t("btn_jd_history", lang), "jd_history", value(record.id, lang=lang)))
    card.add(Actions(tuple(buttons)))
    return card


def confirm_close_card(record: JdRecord, opening: Opening, lang: str) -> Card:
    """The second step before an opening is closed (Teams and the terminal have no confirm dialogs; on Slack the
    final button shows one too). Its button names the opening and the state the person saw."""
    title = t("jd_confirm_close_title", lang)
    body = t("jd_confirm_close_body", lang, opening=opening.id, title=record.title, since=when(opening.opened_at))
    card = Card(fallback=title)
    card.add(Header(title), Text(body),
             Actions((Button(t("btn_jd_confirm_close", lang), "jd_close_opening_confirm",
                             value(record.id, record.version, opening.id, opening.status.value, lang=lang),
                             style="danger", confirm=Confirm(title, body, t("btn_jd_confirm_close", lang),
                                                             t("btn_jd_keep_open", lang))),
                      Button(t("btn_jd_keep_open", lang), "jd_open", value(record.id, lang=lang)))))
    return card


def confirm_reject_card(record: JdRecord, reason: str, lang: str) -> Card:
    """The second step before a JD is rejected: the version and the reason as they will be recorded (the reason can
    still be changed here)."""
    title = t("jd_confirm_reject_title", lang, title=record.title)
    body = t("jd_confirm_reject_body", lang, version=record.version)
    card = Card(fallback=title)
    card.add(Header(title), Text(body), Input("reason", t("jd_field_reason", lang), reason, multiline=True),
             Actions((Button(t("btn_jd_confirm_reject", lang), "jd_reject_confirm",
                             value(record.id, record.version, lang=lang), style="danger",
                             confirm=Confirm(title, body, t("btn_jd_confirm_reject", lang), t("btn_jd_back", lang))),
                      Button(t("btn_jd_back", lang), "jd_open", value(record.id, lang=lang)))))
    return card


def reason_card(record: JdRecord, action: str, lang: str, message: str) -> Card:
    """Reject / request changes without a reason: ask for it, with the same button to confirm."""
    verb = t(f"jd_verb_{action}", lang)
    card = Card(fallback=t("jd_reason_title", lang, action=verb, title=record.title))
    card.add(Header(t("jd_reason_title", lang, action=verb, title=record.title)), emphasis(message),
             Input("reason", t("jd_field_reason", lang), multiline=True),
             Actions((Button(t(f"btn_jd_{action}", lang), f"jd_{action}", value(record.id, record.version, lang=lang),
                             style="primary"),
                      Button(t("btn_jd_back", lang), "jd_open", value(record.id, lang=lang)))))
    return card


def history_card(record: JdRecord, versions: list[JdVersion], decisions: list[JdDecision], names: Names,
                 lang: str, authors: set[str] | frozenset[str] = frozenset()) -> Card:
    card = Card(fallback=t("jd_history_title", lang, title=record.title, id=record.id))
    card.add(Header(t("jd_history_title", lang, title=record.title, id=record.id)),
             Context(f"{status_label(record.status, lang)} · {t('jd_field_version', lang)} {record.version}"))
    lines = [t("jd_history_version_line", lang, version=v.version, who=names(v.editor_id), when=when(v.at),
               note=f" — {shorten(v.note, 120)}" if v.note else "") for v in versions[-MOST_HISTORY:]]
    card.add(Text(f"**{t('jd_history_versions', lang)}**\n" + "\n".join(f"• {line}" for line in lines)))
    if decisions:
        lines = [t("jd_history_decision_line", lang, who=names(d.actor_id), action=action_label(d.action, lang),
                   version=d.version, when=when(d.at),
                   reason=(f" — “{shorten(d.reason, 160)}”" if d.reason else "") + decision_mark(d, authors, lang))
                 for d in decisions[-MOST_HISTORY:]]
        card.add(Text(f"**{t('jd_history_decisions', lang)}**\n" + "\n".join(f"• {line}" for line in lines)))
    else:
        card.add(Text(t("jd_history_none", lang)))
    return card


def pending_card(records: list[JdRecord], companies: dict[str, Company], names: Names, lang: str) -> Card:
    if not records:
        return Card([Text(t("jd_pending_none", lang))], fallback=t("jd_pending_none", lang))
    card = Card(fallback=t("jd_pending_title", lang, count=len(records)))
    card.add(Header(t("jd_pending_title", lang, count=len(records))))
    for record in records[:MOST_POSTINGS]:
        company = companies.get(record.company_id)
        card.add(Divider(), Text(f"**{record.title}** · {company.name if company else record.company_id} · "
                                 f"v{record.version}\n{names(record.owner_id)}, {when(record.updated_at)} · {record.id}"),
                 Actions((Button(t("btn_jd_open", lang), "jd_open", value(record.id, lang=lang)),)))
    return card


# ---- custom generation ----------------------------------------------------------------------------------------------------
def custom_form(companies: list[Company], lang: str, chosen: dict | None = None, message: str = "",
                explain: str = "", title: str = "") -> Card:
    """The free-text request with company, family and level to choose (also the refusal card, with the lawful
    rewording filled in)."""
    chosen = chosen or {}
    title = title or t("jd_custom_title", lang)
    card = Card(fallback=title)
    card.add(Header(title))
    if message:
        card.add(Text(message))
    card.add(Context(explain or t("jd_custom_explain", lang)),
             Input("request", t("jd_field_request", lang), chosen.get("request", ""), multiline=True,
                   placeholder=t("jd_request_placeholder", lang)),
             Input("company", t("jd_field_company", lang), chosen.get("company", ""), options=company_options(companies)),
             Input("family", t("jd_field_family", lang), chosen.get("family", ""), options=family_options(lang)),
             Input("level", t("jd_field_level", lang), chosen.get("level", ""), options=level_options(lang)),
             Actions((Button(t("btn_jd_check", lang), "jd_custom_brief", value(lang=lang), style="primary"),)))
    return card


def brief_card(brief, brief_id: str, companies: list[Company], company: Company | None, lang: str, taxonomy,
               message: str = "", notes: list[str] = ()) -> Card:
    card = Card(fallback=t("jd_brief_title", lang))
    card.add(Header(t("jd_brief_title", lang)))
    if message:
        card.add(emphasis(message))
    pairs = [(t("jd_field_company", lang), company.name if company else "—"),
             (t("jd_field_family", lang), family_label(brief.family, lang) if brief.family else "—"),
             (t("jd_field_level", lang), level_label(brief.level, lang) if brief.level else "—")]
    if brief.skills:
        pairs.append((t("jd_field_skills", lang), ", ".join(taxonomy.name(s, lang) for s in brief.skills[:12])))
    if brief.years is not None:
        pairs.append((t("jd_field_years", lang), t("jd_years_value", lang, years=brief.years)))
    rewritten = getattr(brief, "rewritten", "")          # set when a model rewrote the request
    if rewritten:
        pairs.append((t("jd_field_rewritten", lang), rewritten))
    card.add(Context(t("jd_brief_explain", lang)), Fields(tuple(pairs)))
    if brief.missing:
        what = ", ".join(t(f"jd_field_{m}", lang) for m in brief.missing)
        card.add(Text(f"**{t('jd_brief_missing', lang, what=what)}**"))
    for note in notes:
        card.add(Context(note))
    card.add(Input("request", t("jd_field_request", lang), brief.text, multiline=True),
             Input("company", t("jd_field_company", lang), brief.company_id, options=company_options(companies)),
             Input("family", t("jd_field_family", lang), brief.family, options=family_options(lang)),
             Input("level", t("jd_field_level", lang), brief.level, options=level_options(lang)),
             Actions((Button(t("btn_jd_generate", lang), "jd_custom_generate", value(brief_id, lang=lang),
                             style="primary"),)))
    return card


def queued_card(job_id: str, position: int, eta_seconds: float, lang: str, notes: list[str] = (),
                running: bool = False) -> Card:
    body = (t("jd_running_body", lang, eta=eta_text(eta_seconds, lang)) if running else
            t("jd_queued_body", lang, position=position, eta=eta_text(eta_seconds, lang)))
    card = Card(fallback=t("jd_queued_title", lang))
    card.add(Header(t("jd_queued_title", lang)), Text(body))
    for note in notes:
        card.add(Context(note))
    card.add(Context(job_id),
             Actions((Button(t("btn_jd_check_progress", lang), "jd_job_status", value(job_id, lang=lang)),)))
    return card


def ready_card(job_id: str, draft: JdDraft, company: Company | None, findings: list[Finding], lang: str,
               notes: list[str] = ()) -> Card:
    """The custom JD as the requester reviews it; "Edit and submit" turns it into a JD record and its edit card."""
    card = Card(fallback=t("jd_ready_title", lang, title=draft.title))
    card.add(Header(t("jd_ready_title", lang, title=draft.title)),
             Context(context_line(company, draft.family, draft.level, lang)))
    for note in notes:
        card.add(Context(note))
    card.add(*draft_sections(draft, lang), *findings_blocks(findings, lang), Context(t("jd_ready_explain", lang)),
             Actions((Button(t("btn_jd_use_job", lang), "jd_use_job", value(job_id, lang=lang), style="primary"),)))
    return card


def progress_card(partial: dict, lang: str, total: int = len(SECTIONS)) -> Card:
    done = [s for s in SECTIONS if s in (partial or {})]
    card = Card(fallback=t("jd_progress_title", lang, done=len(done), total=total))
    card.add(Header(t("jd_progress_title", lang, done=len(done), total=total)))
    for section in done:
        raw = partial[section]
        body = "\n".join(f"• {shorten(str(i), 200)}" for i in raw) if isinstance(raw, list) else shorten(str(raw), 600)
        if body:
            card.add(Text(f"**{heading(section, lang)}**\n{body}"))
    return card


def model_lines(ai: dict | None, lang: str) -> list[str]:
    """One line per configured model (core.ai.models.ai_status): available, not checked, or why not, and reroutes."""
    lines = []
    for state in (ai or {}).get("models", []):
        fields = dict(model=state["model"], roles=", ".join(state.get("roles") or ()) or "—",
                      detail=state.get("detail") or "—")
        status = state.get("status")
        key = {"ok": "jd_status_model_ok", "unchecked": "jd_status_model_unchecked",
               "unknown": "jd_status_model_unknown"}.get(status, "jd_status_model_down")
        line = t(key, lang, **fields)
        if state.get("answered_by"):
            line += " · " + t("jd_status_model_rerouted", lang, model=state["model"], answered=state["answered_by"])
        lines.append(("• " if not line.startswith("⚠") else "") + line)
    return lines


def status_card(stats: dict, usage: list[dict], budget: int, pending: int, lang: str, ai: dict | None = None) -> Card:
    """Queue depth, expected wait, tokens used today per model against the daily budget, the cache hit rate, and
    whether each configured model is available (as the API said at start or since)."""
    used = sum(int(r.get("prompt_tokens") or 0) + int(r.get("output_tokens") or 0) for r in usage)
    calls = sum(int(r.get("calls") or 0) for r in usage)
    hits = sum(int(r.get("cache_hits") or 0) for r in usage)
    if budget > 0:
        tokens = t("jd_status_budget", lang, used=number(used), budget=number(budget),
                   share=f"{used / budget:.0%}")
    else:
        tokens = t("jd_status_unlimited", lang, used=number(used))
    rate = f"{hits / calls:.0%}" if calls else "—"
    card = Card(fallback=t("jd_status_title", lang))
    card.add(Header(t("jd_status_title", lang)),
             Fields(((t("jd_status_queue", lang), t("jd_status_queue_value", lang, queued=stats.get("queued", 0),
                                                     running=stats.get("running", 0))),
                     (t("jd_status_wait", lang), eta_text(stats.get("expected_wait_seconds", 0), lang)),
                     (t("jd_status_tokens", lang), tokens),
                     (t("jd_status_cache", lang), t("jd_status_cache_value", lang, rate=rate, hits=number(hits),
                                                    calls=number(calls))),
                     (t("jd_status_pending", lang), str(pending)))))
    models: dict[str, dict] = {}
    for row in usage:
        entry = models.setdefault(row["model"], {"prompt": 0, "output": 0, "calls": 0, "hits": 0})
        entry["prompt"] += int(row.get("prompt_tokens") or 0)
        entry["output"] += int(row.get("output_tokens") or 0)
        entry["calls"] += int(row.get("calls") or 0)
        entry["hits"] += int(row.get("cache_hits") or 0)
    if models:
        card.add(Text("\n".join(t("jd_status_model_line", lang, model=model, tokens=number(e["prompt"] + e["output"]),
                                  prompt=number(e["prompt"]), output=number(e["output"]), calls=number(e["calls"]),
                                  hits=number(e["hits"])) for model, e in sorted(models.items()))))
    else:
        card.add(Context(t("jd_status_no_usage", lang)))
    if budget > 0 and used >= budget:
        card.add(Text(f"**{t('jd_status_degraded', lang)}**"))
    lines = model_lines(ai, lang)
    if lines:
        card.add(Text(f"**{t('jd_status_models', lang)}**\n" + "\n".join(lines)))
    return card
