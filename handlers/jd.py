"""HR writes job descriptions: a form (company, job family, level, notes) -> three instant drafts -> an edit card where
every save is a version and one section at a time can be rewritten from an instruction (shown as a diff first) ->
approval by HR -> an internal opening. Custom requests are checked, turned into a brief the user confirms and
written in the background; the requester is told their place in the queue at once and gets the draft when it is done.

Only the HR role uses any of it. Every decision and edit names the version its card was built from, so a second
click, a stale card or a Slack retry changes nothing and the card is redrawn with what is true now.

Commands (English and Korean):
    new jd [<company> <family> <level> [notes]]   /new-jd   JD 작성   채용공고 작성
    custom jd: <request>                          맞춤 JD: <요청>
    write a JD for <role…>                        <역할…> JD 써줘   (plain words; "write a JD" alone opens the form)
    jd status                                     JD 상태
    jd history <id>                               JD 이력 <id>
    jd pending                                    JD 승인 대기
    jd <id>                                       (the approval card of one JD)
"""
from __future__ import annotations

import logging
import re
import uuid

from cards.model import Card, Text
from core.domain import Role
from core.ai.provider import FallbackReason
from core.jd.custom import CUSTOM_JD_KIND, company_name_forms
from core.jd.guardrails import Finding, check_draft, check_request
from core.jd.model import (EDITABLE_STATUSES, JOB_FAMILIES, JOB_LEVELS, SECTIONS, JdDraft, JdRecord, JdStatus,
                           find_family, find_level)
from core.jd.prepare import InstantDrafts
from core.jd.service import WATCH_SECONDS, JdService, JobFinished, JobGone, JobWaiting, UnknownPosting
from core.jd.workflow import Outcome, WorkflowResult
from handlers import jd_cards as cards
from handlers.find_candidates import notice, notice_card
from handlers.guardrails import audit_refusal
from handlers.hiring_manager import apply_hiring_manager
from handlers.messages import MESSAGES, ai_reason, t
from handlers.requests import Reply, Request

log = logging.getLogger(__name__)


# Kinds of rows in the store's drafts table (kept until the person confirms or moves on)
DRAFT_SET = "jd_drafts"        # instant drafts (or an updated past posting) the user may pick
WORK = "jd_work"               # unsaved edits and a proposed section rewrite, until Accept / Discard
BRIEF = "jd_brief"             # a checked custom request, until Generate
JOB_USED = "jd_job_used"       # which JD a finished custom job became (a second press opens it)

_NEW_JD = re.compile(r"^\s*/?(?:new[-_\s]?jd|jd\s*작성|채용\s*공고\s*작성)(?:[\s:：]+(?P<rest>.*))?$", re.I | re.S)
_CUSTOM_JD = re.compile(r"^\s*/?(?:custom[-_\s]?jd|맞춤\s*(?:jd|공고|채용\s*공고))(?:\s*[:：]\s*|\s+|$)(?P<request>.*)$",
                        re.I | re.S)
_STATUS = re.compile(r"^\s*/?(?:jd[-_\s]?status|jd\s*(?:상태|현황))\s*$", re.I)
_HISTORY = re.compile(r"^\s*/?(?:jd[-_\s]?history|jd\s*이력)(?:\s+(?P<id>\S+))?\s*$", re.I)
_PENDING = re.compile(r"^\s*/?(?:jd[-_\s]?(?:pending|approvals?)|jd\s*승인\s*대기|승인\s*대기\s*jd)\s*$", re.I)
_SHOW = re.compile(r"^\s*/?jd\s+(?P<id>jd-[0-9a-f]{6,})\s*$", re.I)
# A request in plain words, with no command: "20대 백엔드 개발자 JD 써줘", "write a job description for a data engineer".
_ASK_KO = re.compile(r"(?:(?<![a-z])jd(?![a-z])|채용\s*공고|공고|직무\s*기술서)\s*(?:를|을)?\s*(?:좀|하나|한\s*개)?\s*"
                     r"(?:써|작성해|만들어)\s*(?:줘|주세요|줄래요?|주실래요|주시겠어요)\s*[.!?~]*\s*$", re.I)
_ASK_EN = re.compile(r"^\s*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:write|draft|create|generate|make)\s+(?:me\s+|us\s+)?"
                     r"(?:an?\s+|the\s+)?(?:new\s+)?(?:jd|job\s+description|job\s+posting)s?\b", re.I)


def _at(parts: list[str], index: int) -> str:
    return parts[index] if len(parts) > index else ""


def _key(text: str) -> str:
    return re.sub(r"[\s\-_.·/]+", "", (text or "").lower())


def _company_keys(company) -> set[str]:
    return {_key(n) for n in company_name_forms(company, shortest_prefix=1) if n and len(_key(n)) >= 2}


def approval_key(jd_id: str) -> str:
    """Names the copies of one JD's approval card that Slack and Teams users hold."""
    return f"approval:{jd_id}"


class JobDescriptions:
    def __init__(self, service: JdService):
        self.service = service
        self.store = service.store
        self.workflow = service.workflow

    # ---- text commands --------------------------------------------------------------------------------------------
    def handle_text(self, request: Request, text: str, lang: str) -> Reply | None:
        """The reply to a JD command, or None when the text is not one."""
        new = _NEW_JD.match(text)
        custom = None if new else _CUSTOM_JD.match(text)
        status, history, pending = _STATUS.match(text), _HISTORY.match(text), _PENDING.match(text)
        show = _SHOW.match(text)
        ask = None if (new or custom or status or history or pending or show) else (_ASK_KO.search(text)
                                                                                   or _ASK_EN.match(text))
        if not (new or custom or status or history or pending or show or ask):
            return None
        if request.actor.role != Role.HR_ADMIN:
            return notice(lang, "jd_hr_only")
        if new:
            return self.new_jd(request, (new.group("rest") or "").strip(), lang)
        if ask:
            # Nothing but "write a JD": the form; anything more is a custom request, checked like one.
            rest = (text[:ask.start()] + " " + text[ask.end():]).strip(" \t\n.!?~:")
            if not re.sub(r"(?i)\b(?:for|about|on)\b", "", rest).strip():
                return self.new_jd(request, "", lang)
            return self.custom_request(request, text.strip(), "", "", "", lang)
        if custom:
            return self.custom_request(request, custom.group("request").strip(), "", "", "", lang)
        if status:
            return self.status(lang)
        if pending:
            return self.pending(lang)
        jd_id = (history or show).group("id")
        if history and not jd_id:
            return notice(lang, "jd_history_usage")
        record = self.workflow.get(jd_id)
        if record is None:
            return notice(lang, "jd_not_found", id=jd_id)
        if history:
            return self._history(record, lang)
        return Reply(self.approval_cards(record.id, lang), lang=lang)

    # ---- buttons ----------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request, lang: str) -> Reply:
        parts, card_lang = cards.parse_value(request.action_value)
        lang = request.lang or card_lang or lang
        if request.actor.role != Role.HR_ADMIN:
            return notice(lang, "jd_hr_only")
        action = request.action_id
        first = parts[0] if parts else ""
        if action in self.PLAIN_ACTIONS:
            return self.PLAIN_ACTIONS[action](self, request, parts, lang)
        if action not in self.RECORD_ACTIONS:
            return notice(lang, "unknown_action")
        record = self.workflow.get(first)
        if record is None:
            return notice(lang, "jd_not_found", id=first or "—")
        version = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else record.version
        return self.RECORD_ACTIONS[action](self, request, record, version, parts, lang)

    def _custom_brief(self, request: Request, lang: str) -> Reply:
        form = request.form
        return self.custom_request(request, (form.get("request") or "").strip(), form.get("company", ""),
                                   form.get("family", ""), form.get("level", ""), lang, replace=True)

    def _open_edit(self, record: JdRecord, lang: str) -> Reply:
        if record.status not in EDITABLE_STATUSES:
            return self._approval_reply(record, lang, t("jd_not_editable", lang,
                                                       status=cards.status_label(record.status, lang)))
        return Reply([self._edit_card(record, lang)], lang=lang, ephemeral=True)

    # ---- the form and the instant drafts ------------------------------------------------------------------------------
    def new_jd(self, request: Request, rest: str, lang: str) -> Reply:
        companies = self.service.companies()
        if not companies:
            return notice(lang, "jd_no_companies")
        if not rest:
            return Reply([cards.new_jd_form(companies, lang)], lang=lang, ephemeral=True, modal=True)
        chosen, missing = self._parse_one_line(rest, companies)
        if missing:
            what = ", ".join(t(f"jd_field_{m}", lang) for m in missing)
            what = what.lower() if lang == "en" else what
            message = t("jd_form_not_understood", lang, what=what, text=cards.shorten(rest, 80))
            return Reply([cards.new_jd_form(companies, lang, chosen, message)], lang=lang, ephemeral=True, modal=True)
        return self._drafts(request, chosen["company"], chosen["family"], chosen["level"], chosen.get("notes", ""),
                            lang)

    def _parse_one_line(self, rest: str, companies) -> tuple[dict, list[str]]:
        """`<company> <family> <level> [notes]` in any order of the first three; the rest are the notes."""
        keys = {company.id: _company_keys(company) for company in companies}
        tokens = rest.split()
        chosen: dict = {}
        i = 0
        while i < len(tokens) and len(chosen) < 3:
            step = 0
            for n in range(min(4, len(tokens) - i), 0, -1):
                phrase = " ".join(tokens[i:i + n])
                if "company" not in chosen:
                    company = next((cid for cid, names in keys.items() if _key(phrase) in names), None)
                    if company:
                        chosen["company"], step = company, n
                        break
                if "family" not in chosen and (family := find_family(phrase)) is not None:
                    chosen["family"], step = family.code, n
                    break
                if "level" not in chosen and n == 1 and (level := find_level(phrase)) is not None:
                    chosen["level"], step = level.code, 1
                    break
            if not step:
                break
            i += step
        if i < len(tokens):
            chosen["notes"] = " ".join(tokens[i:])
        return chosen, [m for m in ("company", "family", "level") if m not in chosen]

    def _show_drafts(self, request: Request, lang: str) -> Reply:
        form = request.form
        companies = self.service.companies()
        chosen = {k: (form.get(k) or "").strip() for k in ("company", "family", "level", "notes")}
        missing = [m for m in ("company", "family", "level") if not chosen[m]]
        if missing:
            what = ", ".join(t(f"jd_field_{m}", lang) for m in missing)
            message = t("jd_form_missing", lang, what=what.lower() if lang == "en" else what)
            return Reply([cards.new_jd_form(companies, lang, chosen, message)], lang=lang, ephemeral=True,
                         replace_original=True, modal=True)
        for field, known in (("company", {c.id for c in companies}), ("family", JOB_FAMILIES), ("level", JOB_LEVELS)):
            if chosen[field] not in known:
                message = t("jd_unknown_choice", lang, what=t(f"jd_field_{field}", lang), value=chosen[field])
                return Reply([cards.new_jd_form(companies, lang, chosen, message)], lang=lang, ephemeral=True,
                             replace_original=True, modal=True)
        return self._drafts(request, chosen["company"], chosen["family"], chosen["level"], chosen["notes"], lang,
                            replace=True)

    def _drafts(self, request: Request, company_id: str, family: str, level: str, notes: str, lang: str,
                replace: bool = False) -> Reply:
        instant = self.service.instant_drafts(company_id, family, level, notes, lang=lang)
        companies = self.service.companies()
        if instant.verdict is not None:          # the notes asked for something unlawful or off-topic
            self._audit_refusal(request, instant.verdict, notes)
            chosen = {"company": company_id, "family": family, "level": level, "notes": instant.verdict.rewrite}
            return Reply([cards.new_jd_form(companies, lang, chosen, instant.verdict.message(lang))], lang=lang,
                         ephemeral=True, replace_original=replace, modal=True)
        if not instant.ok:
            return notice(lang, "jd_no_drafts", why=instant.error or "—")
        set_id = uuid.uuid4().hex[:16]
        self.store.save_draft(set_id, request.actor.id, DRAFT_SET, {
            "company_id": company_id, "family": family, "level": level, "notes": notes, "lang": lang,
            "drafts": [d.to_dict() for d in instant.drafts],
            "findings": {style: [f.to_dict() for f in found] for style, found in instant.findings.items()},
            "origin": {"notes": notes} if notes else {}, "used": {}})
        card = cards.drafts_card(instant, set_id, self.store.get_company(company_id), lang, self._skill_name(lang),
                                 fallback_note=self._fallback_note(instant, lang),
                                 lang_note=self._lang_note(instant, lang))
        return Reply([card], lang=lang, ephemeral=True, replace_original=replace)

    @staticmethod
    def _fallback_note(instant: InstantDrafts, lang: str) -> str:
        # fallback may only say the language was unavailable; fallback_message needs its "kind"
        return instant.fallback_message(lang) if instant.fallback and "kind" in instant.fallback else ""

    @staticmethod
    def _lang_note(instant: InstantDrafts, lang: str) -> str:
        if instant.fallback and instant.fallback.get("lang_unavailable"):
            return t("jd_lang_unavailable", lang, language=t(f"jd_language_{instant.lang}", lang))
        return ""

    def _skill_name(self, lang: str):
        taxonomy = self.service.extractor.taxonomy
        return lambda skill_id: taxonomy.name(skill_id, lang) if taxonomy.get(skill_id) else skill_id

    def _load(self, draft_id: str, kind: str) -> tuple[str, dict] | None:
        stored = self.store.load_draft(draft_id) if draft_id else None
        if stored is None or stored[1] != kind:
            return None
        return stored[0], stored[2]

    def _use(self, request: Request, set_id: str, index: str, lang: str) -> Reply:
        loaded = self._load(set_id, DRAFT_SET)
        if loaded is None or not index.isdigit() or int(index) >= len(loaded[1]["drafts"]):
            return notice(lang, "jd_set_gone")
        owner, payload = loaded
        used = payload.get("used", {}).get(index)
        existing = self.workflow.get(used) if used else None
        if existing is not None:            # a second press opens the JD the first one made
            return Reply([self._edit_card(existing, lang, message=t("jd_already_created", lang, id=existing.id))],
                         lang=lang, ephemeral=True)
        draft = JdDraft.from_dict(payload["drafts"][int(index)])
        origin = {"style": draft.style, **payload.get("origin", {})}
        created = self.workflow.create(draft, request.actor, origin=origin)
        payload.setdefault("used", {})[index] = created.record.id
        self.store.save_draft(set_id, owner, DRAFT_SET, payload)
        prepared = [Finding.from_dict(f) for f in payload.get("findings", {}).get(draft.style, [])]
        message = t("jd_created", lang, id=created.record.id, style=cards.style_label(draft.style, lang))
        return Reply([self._edit_card(created.record, lang, prepared + created.findings, message)], lang=lang,
                     ephemeral=True)

    # ---- past postings ----------------------------------------------------------------------------------------------
    def _past_list(self, request: Request, set_id: str, lang: str) -> Reply:
        loaded = self._load(set_id, DRAFT_SET)
        if loaded is None:
            return notice(lang, "jd_set_gone")
        payload = loaded[1]
        company = self.store.get_company(payload["company_id"])
        if company is None:
            return notice(lang, "jd_set_gone")
        postings = self.service.postings(company.id, payload["family"])
        note = ""
        if not postings:
            postings = self.service.postings(company.id)
            note = t("jd_past_none_family", lang, family=cards.family_label(payload["family"], lang)) if postings else ""
        return Reply([cards.postings_card(company, postings, lang, note)], lang=lang, ephemeral=True)

    def _past_pick(self, posting_id: str, lang: str) -> Reply:
        posting = self.store.get_posting(posting_id) if posting_id else None
        if posting is None:
            return notice(lang, "jd_posting_gone")
        return Reply([cards.update_form(posting, lang)], lang=lang, ephemeral=True)

    def _past_update(self, request: Request, posting_id: str, lang: str) -> Reply:
        posting = self.store.get_posting(posting_id) if posting_id else None
        if posting is None:
            return notice(lang, "jd_posting_gone")
        instruction = (request.form.get("instruction") or "").strip()

        def again(message: str, filled: str | None = None) -> Reply:
            return Reply([cards.update_form(posting, lang, instruction if filled is None else filled, message)],
                         lang=lang, ephemeral=True, replace_original=True)

        if not instruction:
            return again(t("jd_instruction_missing", lang))
        verdict = check_request(instruction, context="instruction")
        if not verdict.ok:
            self._audit_refusal(request, verdict, instruction)
            return again(verdict.message(lang), self._lawful_fill(verdict, instruction))
        try:
            change = self.service.update_posting(posting.id, instruction)
        except UnknownPosting:
            return notice(lang, "jd_posting_gone")
        if not change.understood:
            return again(t("jd_rewrite_not_understood", lang, what="; ".join(change.unapplied) or instruction))
        set_id = uuid.uuid4().hex[:16]
        self.store.save_draft(set_id, request.actor.id, DRAFT_SET, {
            "company_id": posting.company_id, "family": posting.family, "level": change.after.level, "notes": "",
            "lang": lang, "drafts": [change.after.to_dict()],
            "findings": {change.after.style: [f.to_dict() for f in change.findings]},
            "origin": {"posting_id": posting.id, "instruction": instruction}, "used": {}})
        return Reply([cards.update_diff_card(posting, change, set_id, lang)], lang=lang, ephemeral=True,
                     replace_original=True)

    # ---- the edit card ------------------------------------------------------------------------------------------------
    def _names(self):
        seen: dict[str, str] = {}

        def name(employee_id: str) -> str:
            if employee_id not in seen:
                person = self.store.get_employee(employee_id) if employee_id else None
                seen[employee_id] = person.display_name if person else (employee_id or "—")
            return seen[employee_id]
        return name

    def review_findings(self, record: JdRecord, draft: JdDraft | None = None,
                        earlier: list[Finding] = ()) -> list[Finding]:
        """What was removed on the last save (`earlier`) plus what the reviewer should check in the text as it is:
        coded wording, and skills or claims the company's material, past postings and the request do not support."""
        draft = draft or record.draft
        company = self.store.get_company(record.company_id)
        flagged: list[Finding] = []
        if company is not None:
            origin = record.origin or {}
            request_text = " ".join(str(origin.get(k) or "") for k in ("notes", "brief", "instruction")).strip()
            index = self.service.source_index(company)
            if request_text:
                index = index.extended(request_text, self.service.extractor)
            flagged = check_draft(draft, company, index, self.service.extractor)
        return [f for f in earlier if f.blocking or f.kind == "catalog_skill"] + flagged

    def _edit_card(self, record: JdRecord, lang: str, earlier: list[Finding] = (), message: str = "",
                   draft: JdDraft | None = None) -> Card:
        draft = draft or record.draft
        return cards.edit_card(record, draft, self.store.get_company(record.company_id),
                               self.review_findings(record, draft, earlier), lang, self._names()(record.owner_id),
                               message)

    def _edit_reply(self, record: JdRecord, lang: str, message: str = "", earlier: list[Finding] = (),
                    draft: JdDraft | None = None) -> Reply:
        return Reply([self._edit_card(record, lang, earlier, message, draft)], lang=lang, ephemeral=True,
                     replace_original=True)

    @staticmethod
    def _draft_from_form(base: JdDraft, form: dict, lang: str) -> tuple[JdDraft, str]:
        """The draft with the card's section inputs applied, or the reason it cannot be saved."""
        draft = base
        for section in SECTIONS:
            if section not in form:
                continue
            text = form.get(section) or ""
            if len(text) > cards.MAX_SECTION_CHARS:
                return base, t("jd_section_too_long", lang, section=cards.heading(section, lang), length=len(text),
                               limit=cards.MAX_SECTION_CHARS)
            if section == "title" and not text.strip():
                return base, t("jd_title_required", lang)
            draft = draft.with_section(section, text)
        return draft, ""

    def _edit_outcome(self, result: WorkflowResult, record: JdRecord, lang: str, ok_message: str) -> Reply:
        """The edit card after a save: the new version, or (stale) the current one and who changed it."""
        if result.outcome == Outcome.OK:
            return self._edit_reply(result.record, lang, ok_message, result.findings)
        if result.outcome == Outcome.STALE:
            current = result.record
            last = self.store.jd_versions(current.id)[-1:]
            who = self._names()(last[0].editor_id) if last else "—"
            return self._edit_reply(current, lang, t("jd_stale_edit", lang, who=who, version=current.version))
        if result.outcome == Outcome.NOT_EDITABLE:
            return self._approval_reply(result.record, lang, t("jd_not_editable", lang,
                                                                status=cards.status_label(result.record.status, lang)))
        if result.outcome == Outcome.NOT_FOUND:
            return notice(lang, "jd_not_found", id=record.id)
        return notice(lang, "jd_not_allowed")

    def _save(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        draft, problem = self._draft_from_form(record.draft, request.form, lang)
        draft, problem = apply_hiring_manager(self.store, draft, request.form, lang) if not problem else (draft, problem)
        if problem:
            return self._edit_reply(record, lang, problem)
        if draft == record.draft and version == record.version:
            return self._edit_reply(record, lang, t("jd_nothing_changed", lang))
        result = self.workflow.edit(record.id, version, draft, request.actor, "edited on the card")
        if result.outcome == Outcome.STALE and result.record.draft == draft \
                and self.store.jd_versions(record.id)[-1].editor_id == request.actor.id:
            # the same Save delivered twice (a retry): the first one saved exactly this
            return self._edit_reply(result.record, lang, t("jd_saved", lang, version=result.record.version))
        message = t("jd_saved", lang, version=result.record.version) if result.ok else ""
        return self._edit_outcome(result, record, lang, message)

    # ---- rewrite one section ----------------------------------------------------------------------------------------
    def _rewrite(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        if record.status not in EDITABLE_STATUSES:
            return self._approval_reply(record, lang, t("jd_not_editable", lang,
                                                        status=cards.status_label(record.status, lang)))
        base, problem = self._draft_from_form(record.draft, request.form, lang)
        if problem:
            return self._edit_reply(record, lang, problem)
        work_id = uuid.uuid4().hex[:16]
        self.store.save_draft(work_id, request.actor.id, WORK, {"jd_id": record.id, "version": version,
                                                               "base": base.to_dict()})
        return Reply([cards.rewrite_form(work_id, lang)], lang=lang, ephemeral=True, replace_original=True)

    def _material(self, draft: JdDraft) -> dict:
        """The prepared lines "longer" may draw on (one read of the prepared set; none for unknown combinations)."""
        try:
            return self.service.instant_drafts(draft.company_id, draft.family, draft.level, lang=draft.lang).material
        except Exception:        # noqa: BLE001 - "longer" is a nicety; the rewrite works without it
            log.warning("no prepared material for %s/%s/%s", draft.company_id, draft.family, draft.level)
            return {}

    def _work_action(self, request: Request, action: str, work_id: str, lang: str) -> Reply:
        loaded = self._load(work_id, WORK)
        if loaded is None:
            return notice(lang, "jd_work_gone")
        owner, work = loaded
        record = self.workflow.get(work["jd_id"])
        if record is None:
            return notice(lang, "jd_not_found", id=work["jd_id"])
        base = JdDraft.from_dict(work["base"])
        if action == "jd_rewrite_discard":
            self.store.delete_draft(work_id)
            if record.version != work["version"]:
                return self._edit_reply(record, lang, t("jd_stale_edit", lang, who=self._last_editor(record),
                                                        version=record.version))
            return self._edit_reply(record, lang, t("jd_rewrite_discarded", lang), draft=base)
        if action == "jd_rewrite_preview":
            return self._preview(request, work_id, owner, work, base, lang)
        if "after" not in work:
            return Reply([cards.rewrite_form(work_id, lang)], lang=lang, ephemeral=True, replace_original=True)
        if not self.store.delete_draft(work_id):       # a second Accept: the first one applied it
            return notice(lang, "jd_work_gone")
        section = work["section"]
        note = f"rewrote {section}: {work.get('instruction', '')}"[:200]
        result = self.workflow.edit(record.id, work["version"], JdDraft.from_dict(work["after"]), request.actor, note)
        message = (t("jd_rewrite_applied", lang, section=cards.heading(section, lang), version=result.record.version)
                   if result.ok else "")
        return self._edit_outcome(result, record, lang, message)

    def _preview(self, request: Request, work_id: str, owner: str, work: dict, base: JdDraft, lang: str) -> Reply:
        section = request.form.get("section") or work.get("section") or ""
        instruction = (request.form.get("instruction") or "").strip()

        def again(message: str, filled: str | None = None) -> Reply:
            return Reply([cards.rewrite_form(work_id, lang, section if section in SECTIONS else "requirements",
                                             instruction if filled is None else filled, message)],
                         lang=lang, ephemeral=True, replace_original=True)

        if section not in SECTIONS:
            return again(t("jd_unknown_section", lang))
        if not instruction:
            return again(t("jd_instruction_missing", lang))
        verdict = check_request(instruction, context="instruction")
        if not verdict.ok:
            self._audit_refusal(request, verdict, instruction)
            return again(verdict.message(lang), self._lawful_fill(verdict, instruction))
        change = self.service.rewrite_section(base, section, instruction, material=self._material(base))
        offline_note = (t("jd_rewrite_offline_because", lang, why=ai_reason(change.fallback, lang))
                        if change.fallback is not None else "")
        if not change.understood:
            return again(" ".join(m for m in (t("jd_rewrite_not_understood", lang,
                                                what="; ".join(change.unapplied) or instruction), offline_note) if m))
        self.store.save_draft(work_id, owner, WORK, {**work, "section": section, "instruction": instruction,
                                                     "after": change.after.to_dict()})
        return Reply([cards.rewrite_diff_card(work_id, section, change, lang, note=offline_note)], lang=lang,
                     ephemeral=True, replace_original=True)

    def _last_editor(self, record: JdRecord) -> str:
        last = self.store.jd_versions(record.id)[-1:]
        return self._names()(last[0].editor_id) if last else "—"

    # ---- approval ---------------------------------------------------------------------------------------------------
    def approval_cards(self, jd_id: str, lang: str | None = None, message: str = "") -> list[Card]:
        """The approval card of a JD as it is now (for HR approvers; the notifier may send it to them)."""
        record = self.workflow.get(jd_id)
        if record is None:
            return [notice_card(t("jd_not_found", lang or "en", id=jd_id))]
        lang = lang or record.draft.lang or "en"
        opening = self.store.opening_for_jd(record.id)
        return [cards.approval_card(record, self.store.get_company(record.company_id), self.review_findings(record),
                                    opening, self.store.jd_decisions(record.id), self._names(), lang, message,
                                    authors=self.workflow.authors(record.id, record),
                                    self_approval=self.workflow.allow_self_approval)]

    def _approval_reply(self, record: JdRecord, lang: str, message: str = "") -> Reply:
        # Not ephemeral: everyone who sees an approval card sees it change in place.
        return Reply(self.approval_cards(record.id, lang, message), lang=lang, replace_original=True)

    def _submit(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        draft, problem = self._draft_from_form(record.draft, request.form, lang)
        draft, problem = apply_hiring_manager(self.store, draft, request.form, lang) if not problem else (draft, problem)
        if problem:
            return self._edit_reply(record, lang, problem)
        if draft != record.draft and record.status in EDITABLE_STATUSES:    # unsaved edits are saved first
            saved = self.workflow.edit(record.id, version, draft, request.actor, "edited before submitting")
            if not saved.ok:
                return self._edit_outcome(saved, record, lang, "")
            version = saved.record.version
            if saved.record.status == JdStatus.PENDING_APPROVAL:     # edited while waiting: it still waits
                return self._approval_reply(saved.record, lang, t("jd_saved", lang, version=version))
        result = self.workflow.decide(record.id, version, "submit", request.actor)
        if result.ok:
            # Every HR admin who may approve it (four eyes: not its authors) gets the approval card by direct message.
            approvers = [e.id for e in self.approvers(result.record) if e.id != request.actor.id]
            message = t("jd_submitted", lang, version=version)
            if not approvers and not self.workflow.may_approve(result.record, request.actor):
                message += " " + t("jd_no_other_approver", lang)
            reply = self._approval_reply(result.record, lang, message)
            shared = self.approval_cards(result.record.id, lang)
            reply.notify = [(approver, shared) for approver in approvers]
            reply.shared_key = approval_key(record.id)
            return reply
        return self._decision_outcome(result, record, lang)

    def approvers(self, record: JdRecord) -> list:
        """The HR admins who may approve this JD now (four eyes: not its authors, unless self-approval is allowed)."""
        authors = set() if self.workflow.allow_self_approval else self.workflow.authors(record.id, record)
        return [e for e in self.store.employees_with_role(Role.HR_ADMIN.value) if e.id not in authors]

    def _decide(self, request: Request, record: JdRecord, version: int, action: str, lang: str) -> Reply:
        reason = (request.form.get("reason") or "").strip()
        confirmed = action == "reject_confirm"
        action = action.removesuffix("_confirm")
        if action == "reject" and reason and not confirmed:
            # Rejecting is final: a second step shows what will be recorded (version and reason) before it happens.
            if record.status != JdStatus.PENDING_APPROVAL or record.version != version:
                return self._out_of_date(record, lang)
            return Reply([cards.confirm_reject_card(record, reason, lang)], lang=lang, replace_original=True)
        if action == "approve":
            result = self.workflow.approve_and_publish(record.id, version, request.actor)
        else:
            result = self.workflow.decide(record.id, version, action, request.actor, reason)
        if result.outcome == Outcome.REASON_REQUIRED:
            message = t("jd_reason_required", lang, action=t(f"jd_verb_{action}", lang))
            return Reply([cards.reason_card(record, action, lang, message)], lang=lang, replace_original=True)
        if result.ok:
            if action == "approve":
                opening = result.opening or self.store.opening_for_jd(record.id)
                state = t("jd_opening_open", lang)
                message = t("jd_approved", lang, opening=opening.id if opening else "—", status=state)
            else:
                message = t("jd_rejected" if action == "reject" else "jd_changes_requested", lang)
            reply = self._approval_reply(result.record, lang, message)
            # Every copy of the approval card (the other approvers', the author's) shows the decision too.
            reply.refresh = (approval_key(record.id), reply.cards)
            return reply
        return self._decision_outcome(result, record, lang)

    def _decision_outcome(self, result: WorkflowResult, record: JdRecord, lang: str) -> Reply:
        if result.outcome == Outcome.STALE:
            return self._out_of_date(result.record or record, lang)
        if result.outcome == Outcome.NOT_FOUND:
            return notice(lang, "jd_not_found", id=record.id)
        if result.outcome == Outcome.OWN_WORK:
            current = result.record or record
            names = ", ".join(e.display_name for e in self.approvers(current)[:5])
            message = t("jd_own_work", lang) + " " + (t("jd_approvers_are", lang, names=names) if names
                                                      else t("jd_no_other_approver", lang))
            return Reply([notice_card(message)], lang=lang, ephemeral=True)     # the shared card stays as it is
        return notice(lang, "jd_not_allowed")

    def _out_of_date(self, record: JdRecord, lang: str) -> Reply:
        """A press from a card whose state has changed since it was drawn: nothing happens; the current card, and
        who changed it."""
        current = self.workflow.get(record.id) or record
        decisions = [d for d in self.store.jd_decisions(current.id) if d.action != "submit"]
        by = (t("jd_stale_by", lang, who=self._names()(decisions[-1].actor_id), when=cards.when(decisions[-1].at))
              if decisions else "")
        return self._approval_reply(current, lang, t("jd_stale_decision", lang,
                                                     status=cards.status_label(current.status, lang),
                                                     version=current.version, by=by))

    def _close_opening(self, request: Request, record: JdRecord, seen: list[str], confirmed: bool,
                       lang: str) -> Reply:
        """First press: the confirmation step; the confirmation: close exactly the opening the card showed, if it is
        still open. `seen`: [opening id, its status] as the card showed them."""
        opening = self.store.opening_for_jd(record.id)
        seen_id = seen[0] if seen else (opening.id if opening else "")
        seen_status = seen[1] if len(seen) > 1 else "open"
        if opening is None or opening.id != seen_id or opening.status.value != "open" or seen_status != "open":
            return self._out_of_date(record, lang)
        if not confirmed:
            return Reply([cards.confirm_close_card(record, opening, lang)], lang=lang, replace_original=True)
        result = self.workflow.set_opening_status(opening.id, "closed", request.actor)
        if result.ok:
            reply = self._approval_reply(result.record, lang, t("jd_opening_closed", lang))
            reply.refresh = (approval_key(record.id), reply.cards)      # every copy of the card shows it closed
            return reply
        if result.outcome == Outcome.STALE:                              # closed by someone else a moment ago
            return self._out_of_date(record, lang)
        return self._decision_outcome(result, record, lang)

    def _history(self, record: JdRecord, lang: str) -> Reply:
        versions, decisions = self.workflow.history(record.id)
        authors = {record.owner_id} | {v.editor_id for v in versions}
        return Reply([cards.history_card(record, versions, decisions, self._names(), lang, authors)], lang=lang,
                     ephemeral=True)

    def pending(self, lang: str) -> Reply:
        records = self.store.list_jds(status="pending_approval")
        companies = {c.id: c for c in self.service.companies()}
        return Reply([cards.pending_card(records, companies, self._names(), lang)], lang=lang, ephemeral=True)

    # ---- custom generation ------------------------------------------------------------------------------------------
    @property
    def daily_token_budget(self) -> int:
        """The service's budget (tokens per UTC day, all models); 0 = unlimited."""
        return max(0, int(self.service.daily_token_budget or 0))

    @daily_token_budget.setter
    def daily_token_budget(self, tokens: int) -> None:
        self.service.daily_token_budget = tokens

    @property
    def offline(self) -> bool:
        """No model is configured: custom JDs are template-built."""
        return not self.service.uses_model

    def tokens_today(self) -> int:
        return self.service.budget().used

    def over_budget(self) -> tuple[bool, int]:
        budget = self.service.budget()
        return budget.exceeded, budget.used

    def _generation_mode(self, lang: str) -> tuple[bool, list[str]]:
        """(template only, what to tell the user): past the daily token budget custom generation degrades to the
        template path; with no model configured it is the template path anyway."""
        over, used = self.over_budget()
        if over:
            return True, [t("jd_budget_exceeded", lang, used=cards.number(used),
                            budget=cards.number(self.daily_token_budget))]
        return False, [t("jd_offline_custom", lang)] if self.offline else []

    def _custom_form(self, request: Request, set_id: str, lang: str) -> Reply:
        loaded = self._load(set_id, DRAFT_SET)
        payload = loaded[1] if loaded else {}
        chosen = {"company": payload.get("company_id", ""), "family": payload.get("family", ""),
                  "level": payload.get("level", ""), "request": payload.get("notes", "")}
        return Reply([cards.custom_form(self.service.companies(), lang, chosen)], lang=lang, ephemeral=True)

    def custom_request(self, request: Request, text: str, company: str, family: str, level: str, lang: str,
                       replace: bool = False, brief_id: str = "") -> Reply:
        """Check a free-text request and show the brief to confirm (or the refusal, with a lawful rewording)."""
        companies = self.service.companies()
        chosen = {"company": company, "family": family, "level": level, "request": text}
        if not text:
            return Reply([cards.custom_form(companies, lang, chosen, t("jd_request_missing", lang))], lang=lang,
                         ephemeral=True, replace_original=replace)
        brief = self.service.brief(text, company, family, level, lang=lang)
        if not brief.verdict.ok:
            self._audit_refusal(request, brief.verdict, text)
            return self._refusal(brief.verdict, chosen, companies, lang, replace)
        brief_id = brief_id or uuid.uuid4().hex[:16]
        # The checked brief is kept as it will be queued: Generate with nothing changed reuses it (no second check,
        # and no second model call when a model extracted it).
        self.store.save_draft(brief_id, request.actor.id, BRIEF, {"text": brief.text, "company_id": brief.company_id,
                                                                 "family": brief.family, "level": brief.level,
                                                                 "ready": brief.ready, "payload": brief.payload()})
        notes = list(self._generation_mode(lang)[1])
        if brief.fallback is not None:          # the model was asked to read it and could not: say why
            notes.append(t("jd_brief_offline_because", lang, why=ai_reason(brief.fallback, lang)))
        card = cards.brief_card(brief, brief_id, companies, self.store.get_company(brief.company_id), lang,
                                self.service.extractor.taxonomy, notes=notes)
        return Reply([card], lang=lang, ephemeral=True, replace_original=replace)

    def _audit_refusal(self, request: Request, verdict, text: str) -> None:
        """A discriminatory JD request is audited as a refusal, like a search (injection and off-topic are not)."""
        if verdict.kind == "discriminatory":
            audit_refusal(self.store, request.actor, verdict, text)

    @staticmethod
    def _lawful_fill(verdict, instruction: str) -> str:
        """What the instruction field shows again: the lawful rewording of a discriminatory instruction (one press
        of the button sends it), nothing for an injection, the text as typed otherwise."""
        if verdict.kind == "discriminatory":
            return verdict.rewrite
        return "" if verdict.kind == "injection" else instruction

    def _refusal(self, verdict, chosen: dict, companies, lang: str, replace: bool) -> Reply:
        if verdict.kind == "discriminatory":
            card = cards.custom_form(companies, lang, {**chosen, "request": verdict.rewrite}, verdict.message(lang),
                                     explain=t("jd_refused_edit", lang), title=t("jd_refused_title", lang))
        else:                       # injection, off-topic, empty: nothing of it is worth keeping
            card = cards.custom_form(companies, lang, {**chosen, "request": ""}, verdict.message(lang),
                                     title=t("jd_declined_title", lang))
        return Reply([card], lang=lang, ephemeral=True, replace_original=replace)

    def _generate(self, request: Request, brief_id: str, lang: str) -> Reply:
        loaded = self._load(brief_id, BRIEF)
        if loaded is None:
            return notice(lang, "jd_brief_gone")
        _, stored = loaded
        form = request.form
        text = (form.get("request") or stored["text"]).strip()
        company, family, level = (form.get("company") or stored["company_id"], form.get("family") or stored["family"],
                                  form.get("level") or stored["level"])
        unchanged = (text, company, family, level) == (stored["text"], stored["company_id"], stored["family"],
                                                       stored["level"])
        if unchanged and stored.get("ready"):
            payload = dict(stored["payload"])
        else:
            brief = self.service.brief(text, company, family, level, lang=lang)
            if not brief.verdict.ok:
                self._audit_refusal(request, brief.verdict, text)
                return self._refusal(brief.verdict, {"company": company, "family": family, "level": level},
                                     self.service.companies(), lang, True)
            if not brief.ready:
                return self.custom_request(request, text, company, family, level, lang, replace=True,
                                           brief_id=brief_id)
            payload = brief.payload()
        if not self.store.delete_draft(brief_id):      # a second press of Generate: the first one queued it
            return notice(lang, "jd_brief_gone")
        template_only, notes = self._generation_mode(lang)
        payload["reply_lang"] = lang
        if template_only:
            # Marked so the completion card can say why; the model handler re-checks the budget when the job runs.
            payload.update(template_only=True, degraded="token_budget")
        submitted = self.service.queue.submit(CUSTOM_JD_KIND, payload, request.actor.id)
        return Reply([cards.queued_card(submitted.job_id, submitted.position, submitted.eta_seconds, lang, notes)],
                     lang=lang, ephemeral=True, replace_original=True, updates=self.watch_job(submitted.job_id, lang))

    def watch_job(self, job_id: str, lang: str, give_up_after: float = WATCH_SECONDS):
        """Later versions of the "queued" message (JdService.watch polls the queue): place and wait while queued,
        sections as they complete, then the review card, delivered exactly once (this watcher or the notifier)."""
        for progress in self.service.watch(job_id, give_up_after):
            yield None if progress is None else self._progress_cards(progress, lang)

    def _progress_cards(self, progress: JobWaiting | JobFinished, lang: str) -> list[Card]:
        if isinstance(progress, JobFinished):
            return self.completion_cards(progress.job)
        return [*self.progress_cards(progress.job), cards.queued_card(progress.job.id, progress.position,
                                                                      progress.eta_seconds, lang,
                                                                      running=progress.position == 0)]

    def _job_status(self, job_id: str, lang: str) -> Reply:
        progress = self.service.job_progress(job_id)
        if isinstance(progress, JobGone):
            return notice(lang, "jd_job_gone")
        return Reply(self._progress_cards(progress, lang), lang=lang, ephemeral=True, replace_original=True)

    def _use_job(self, request: Request, job_id: str, lang: str) -> Reply:
        job = self.service.queue.get(job_id) if job_id else None
        if job is None or job.status != "done" or not (job.result or {}).get("draft"):
            return notice(lang, "jd_job_gone")
        used = self._load(f"job-{job.id}", JOB_USED)
        existing = self.workflow.get(used[1]["jd_id"]) if used else None
        if existing is not None:
            return Reply([self._edit_card(existing, lang, message=t("jd_already_created", lang, id=existing.id))],
                         lang=lang, ephemeral=True)
        draft = JdDraft.from_dict(job.result["draft"])
        created = self.workflow.create(draft, request.actor, origin={"style": "custom", "job_id": job.id,
                                                                     "brief": job.payload.get("brief", "")})
        self.store.save_draft(f"job-{job.id}", request.actor.id, JOB_USED, {"jd_id": created.record.id})
        earlier = [Finding.from_dict(f) for f in job.result.get("findings", [])] + created.findings
        message = t("jd_created", lang, id=created.record.id, style=cards.style_label("custom", lang))
        return Reply([self._edit_card(created.record, lang, earlier, message)], lang=lang, ephemeral=True)

    # ---- what the notifier sends -----------------------------------------------------------------------------------
    @staticmethod
    def _job_lang(job) -> str:
        payload = job.payload or {}
        return payload.get("reply_lang") or payload.get("lang") or "en"

    def completion_cards(self, job) -> list[Card]:
        """What the requester is sent when a custom JD job has finished: the review card of the generated JD (with
        "Edit and submit"), or why there is none."""
        lang = self._job_lang(job)
        result = job.result or {}
        if job.status == "failed" or result.get("error"):
            # Known outcomes ("no_drafts") are worded; an internal error's text stays in the log, with a reference.
            known = result.get("error")
            why = t(f"jd_error_{known}", lang) if known and f"jd_error_{known}" in MESSAGES else \
                t("jd_error_internal", lang, ref=job.id)
            log.warning("custom JD job %s failed: %s", job.id, job.error or known)
            return [notice_card(t("jd_job_failed", lang, why=why))]
        if result.get("declined"):
            return [Card([Text(f"**{t('jd_declined_title', lang)}**"), Text(result.get("message") or "")],
                         fallback=t("jd_declined_title", lang))]
        if not result.get("draft"):
            return [notice_card(t("jd_job_failed", lang, why=job.status))]
        draft = JdDraft.from_dict(result["draft"])
        notes = [t("jd_source_template", lang) if result.get("source", "template") == "template"
                 else t("jd_source_model", lang, model=result.get("model") or result.get("source"))]
        if result.get("degraded") == "budget" or (job.payload or {}).get("degraded") == "token_budget":
            notes.append(t("jd_degraded_budget", lang))
        elif result.get("degraded") == "unavailable":
            # The reason in plain words; the internal note (an exception's text) stays in the job record and log.
            notes.append(t("jd_template_because", lang,
                           why=ai_reason(FallbackReason(**result["reason"]) if result.get("reason") else None, lang)))
        fallback = result.get("fallback")
        if fallback and "kind" in fallback:
            instant = InstantDrafts(draft.company_id, draft.family, draft.level, draft.lang, fallback=fallback)
            notes.append(instant.fallback_message(lang))
        if result.get("unapplied"):
            notes.append(t("jd_notes_unapplied", lang, what="; ".join(result["unapplied"][:4])))
        findings = cards.unique_findings(Finding.from_dict(f) for f in result.get("findings", []))
        return [cards.ready_card(job.id, draft, self.store.get_company(draft.company_id), findings, lang, notes)]

    def progress_cards(self, job) -> list[Card]:
        """The sections written so far, while a job runs (empty when the job reports none)."""
        partial = (job.progress or {}).get("draft")
        if not partial or job.status in ("done", "failed"):
            return []
        return [cards.progress_card(partial, self._job_lang(job))]

    # ---- status -------------------------------------------------------------------------------------------------------
    def status(self, lang: str) -> Reply:
        state = self.service.status()
        card = cards.status_card(state.queue, state.usage, state.budget.limit, state.pending_approval, lang,
                                 state.models)
        return Reply([card], lang=lang, ephemeral=True)

    # ---- which button does what (the router sends every name in ACTIONS here) ----------------------------------------
    # Buttons that act on no stored JD: (handler, request, first value part, lang).
    PLAIN_ACTIONS = {
        "jd_show_drafts": lambda h, r, p, lang: h._show_drafts(r, lang),
        "jd_use": lambda h, r, p, lang: h._use(r, _at(p, 0), _at(p, 1), lang),
        "jd_past_list": lambda h, r, p, lang: h._past_list(r, _at(p, 0), lang),
        "jd_past_pick": lambda h, r, p, lang: h._past_pick(_at(p, 0), lang),
        "jd_past_update": lambda h, r, p, lang: h._past_update(r, _at(p, 0), lang),
        "jd_custom_form": lambda h, r, p, lang: h._custom_form(r, _at(p, 0), lang),
        "jd_custom_brief": lambda h, r, p, lang: h._custom_brief(r, lang),
        "jd_custom_generate": lambda h, r, p, lang: h._generate(r, _at(p, 0), lang),
        "jd_job_status": lambda h, r, p, lang: h._job_status(_at(p, 0), lang),
        "jd_use_job": lambda h, r, p, lang: h._use_job(r, _at(p, 0), lang),
        **{name: (lambda h, r, p, lang, name=name: h._work_action(r, name, _at(p, 0), lang))
           for name in ("jd_rewrite_preview", "jd_rewrite_accept", "jd_rewrite_discard")},
    }
    # Buttons on a stored JD (its id first, then the version the card showed): (handler, request, record, version,
    # value parts, lang).
    RECORD_ACTIONS = {
        "jd_open": lambda h, r, rec, v, parts, lang: Reply(h.approval_cards(rec.id, lang), lang=lang,
                                                            replace_original=True),
        "jd_history": lambda h, r, rec, v, parts, lang: h._history(rec, lang),
        "jd_edit": lambda h, r, rec, v, parts, lang: h._open_edit(rec, lang),
        "jd_save": lambda h, r, rec, v, parts, lang: h._save(r, rec, v, lang),
        "jd_rewrite": lambda h, r, rec, v, parts, lang: h._rewrite(r, rec, v, lang),
        "jd_submit": lambda h, r, rec, v, parts, lang: h._submit(r, rec, v, lang),
        **{name: (lambda h, r, rec, v, parts, lang, name=name: h._decide(r, rec, v, name.removeprefix("jd_"), lang))
           for name in ("jd_approve", "jd_reject", "jd_request_changes", "jd_reject_confirm")},
        **{name: (lambda h, r, rec, v, parts, lang, name=name: h._close_opening(
            r, rec, parts[2:], name == "jd_close_opening_confirm", lang))
           for name in ("jd_close_opening", "jd_close_opening_confirm")},
    }
    ACTIONS = (*PLAIN_ACTIONS, *RECORD_ACTIONS)
