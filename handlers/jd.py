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

from cards.model import Card, Text
from core.ai.provider import FallbackReason
from core.jd.custom import company_name_forms
from core.jd.flows import (BriefChecked, ConfirmClose, ConfirmReject, Decided, Decision, DraftsOffered,
                           GenerationMode, Gone, InvalidForm, JdChanged, JdCreated, JobQueued, JdFlows, JdSubmitted,
                           NoDrafts, NotAllowed, NotEditable, NotUnderstood, OutOfDate, PastPostings, PendingSaved,
                           PostingUpdated, ReasonRequired, Refused, RewriteDiscarded, RewriteInput, RewriteOpened,
                           RewriteProposed, Unchanged)
from core.jd.guardrails import Finding
from core.jd.model import (EDITABLE_STATUSES, JOB_FAMILIES, JOB_LEVELS, SECTIONS, JdDraft, JdRecord, find_family,
                           find_level)
from core.jd.prepare import InstantDrafts
from core.jd.service import WATCH_SECONDS, JdService, JobFinished, JobGone, JobWaiting
from core.jd.workflow import Outcome, WorkflowResult
from handlers import jd_cards as cards
from handlers.find_candidates import notice, notice_card
from handlers.hiring_manager import apply_hiring_manager
from handlers.messages import MESSAGES, ai_reason, t
from handlers.requests import Reply, Request

log = logging.getLogger(__name__)


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
    """Presents the JD use cases (core.jd.flows.JdFlows): reads the command or the button and the card's inputs,
    calls one use case and turns its typed outcome into cards. Storage, access, audit and the rules live there."""

    def __init__(self, service: JdService):
        self.service = service
        self.flows = JdFlows(service)
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
        if not self.flows.permits(request.actor):
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
        record = self.flows.get(jd_id)
        if record is None:
            return notice(lang, "jd_not_found", id=jd_id)
        if history:
            return self._history(record, lang)
        return Reply(self.approval_cards(record.id, lang), lang=lang)

    # ---- buttons ----------------------------------------------------------------------------------------------------
    def handle_action(self, request: Request, lang: str) -> Reply:
        parts, card_lang = cards.parse_value(request.action_value)
        lang = request.lang or card_lang or lang
        if not self.flows.permits(request.actor):
            return notice(lang, "jd_hr_only")
        action = request.action_id
        first = parts[0] if parts else ""
        if action in self.PLAIN_ACTIONS:
            return self.PLAIN_ACTIONS[action](self, request, parts, lang)
        if action not in self.RECORD_ACTIONS:
            return notice(lang, "unknown_action")
        record = self.flows.get(first)
        if record is None:
            return notice(lang, "jd_not_found", id=first or "—")
        version = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else record.version
        return self.RECORD_ACTIONS[action](self, request, record, version, parts, lang)

    # Outcomes every use case may return, worded once.
    _GONE = {"set": "jd_set_gone", "posting": "jd_posting_gone", "brief": "jd_brief_gone", "work": "jd_work_gone",
             "job": "jd_job_gone"}

    def _common(self, outcome, lang: str) -> Reply | None:
        if isinstance(outcome, NotAllowed):
            return notice(lang, outcome.reason)
        if isinstance(outcome, Gone):
            if outcome.what == "jd":
                return notice(lang, "jd_not_found", id=outcome.id or "—")
            return notice(lang, self._GONE[outcome.what])
        return None

    # ---- the form and the instant drafts ------------------------------------------------------------------------------
    def new_jd(self, request: Request, rest: str, lang: str) -> Reply:
        companies = self.flows.companies()
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
        companies = self.flows.companies()
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
        outcome = self.flows.offer_drafts(request.actor, company_id, family, level, notes, lang)
        if isinstance(outcome, Refused):          # the notes asked for something unlawful or off-topic
            chosen = {"company": company_id, "family": family, "level": level, "notes": outcome.verdict.rewrite}
            return Reply([cards.new_jd_form(self.flows.companies(), lang, chosen, outcome.verdict.message(lang))],
                         lang=lang, ephemeral=True, replace_original=replace, modal=True)
        if isinstance(outcome, NoDrafts):
            return notice(lang, "jd_no_drafts", why=outcome.error)
        if not isinstance(outcome, DraftsOffered):
            return self._common(outcome, lang)
        instant = outcome.instant
        card = cards.drafts_card(instant, outcome.set_id, outcome.company, lang, self._skill_name(lang),
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

    def _created(self, outcome, lang: str) -> Reply:
        """The edit card of a JD just made from a draft (or, on a second press, of the one the first press made)."""
        if not isinstance(outcome, JdCreated):
            return self._common(outcome, lang)
        if outcome.already:
            return Reply([self._edit_card(outcome.record, lang, message=t("jd_already_created", lang,
                                                                          id=outcome.record.id))],
                         lang=lang, ephemeral=True)
        message = t("jd_created", lang, id=outcome.record.id, style=cards.style_label(outcome.style, lang))
        return Reply([self._edit_card(outcome.record, lang, outcome.findings, message)], lang=lang, ephemeral=True)

    def _use(self, request: Request, set_id: str, index: str, lang: str) -> Reply:
        return self._created(self.flows.use_draft(request.actor, set_id, index), lang)

    # ---- past postings ----------------------------------------------------------------------------------------------
    def _past_list(self, request: Request, set_id: str, lang: str) -> Reply:
        outcome = self.flows.past_postings(request.actor, set_id)
        if not isinstance(outcome, PastPostings):
            return self._common(outcome, lang)
        note = t("jd_past_none_family", lang, family=cards.family_label(outcome.family, lang)) \
            if outcome.other_families else ""
        return Reply([cards.postings_card(outcome.company, outcome.postings, lang, note)], lang=lang, ephemeral=True)

    def _past_pick(self, posting_id: str, lang: str) -> Reply:
        posting = self.flows.posting(posting_id)
        if posting is None:
            return notice(lang, "jd_posting_gone")
        return Reply([cards.update_form(posting, lang)], lang=lang, ephemeral=True)

    def _past_update(self, request: Request, posting_id: str, lang: str) -> Reply:
        posting = self.flows.posting(posting_id)
        if posting is None:
            return notice(lang, "jd_posting_gone")
        instruction = (request.form.get("instruction") or "").strip()

        def again(message: str, filled: str | None = None) -> Reply:
            return Reply([cards.update_form(posting, lang, instruction if filled is None else filled, message)],
                         lang=lang, ephemeral=True, replace_original=True)

        if not instruction:
            return again(t("jd_instruction_missing", lang))
        outcome = self.flows.update_posting(request.actor, posting, instruction, lang)
        if isinstance(outcome, Refused):
            return again(outcome.verdict.message(lang), outcome.lawful_fill)
        if isinstance(outcome, NotUnderstood):
            return again(t("jd_rewrite_not_understood", lang,
                           what="; ".join(outcome.change.unapplied) or instruction))
        if not isinstance(outcome, PostingUpdated):
            return self._common(outcome, lang)
        return Reply([cards.update_diff_card(posting, outcome.change, outcome.set_id, lang)], lang=lang,
                     ephemeral=True, replace_original=True)

    # ---- the edit card ------------------------------------------------------------------------------------------------
    def review_findings(self, record: JdRecord, draft: JdDraft | None = None,
                        earlier: list[Finding] = ()) -> list[Finding]:
        return self.flows.review_findings(record, draft, earlier)

    def _edit_card(self, record: JdRecord, lang: str, earlier: list[Finding] = (), message: str = "",
                   draft: JdDraft | None = None) -> Card:
        view = self.flows.edit_view(record, earlier, draft)
        return cards.edit_card(view.record, view.draft, view.company, view.findings, lang, view.owner_name, message)

    def _edit_reply(self, record: JdRecord, lang: str, message: str = "", earlier: list[Finding] = (),
                    draft: JdDraft | None = None) -> Reply:
        return Reply([self._edit_card(record, lang, earlier, message, draft)], lang=lang, ephemeral=True,
                     replace_original=True)

    def _open_edit(self, record: JdRecord, lang: str) -> Reply:
        if record.status not in EDITABLE_STATUSES:
            return self._not_editable(record, lang)
        return Reply([self._edit_card(record, lang)], lang=lang, ephemeral=True)

    def _not_editable(self, record: JdRecord, lang: str) -> Reply:
        return self._approval_reply(record, lang, t("jd_not_editable", lang,
                                                    status=cards.status_label(record.status, lang)))

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
            return self._edit_reply(current, lang, t("jd_stale_edit", lang, who=self.flows.last_editor(current.id),
                                                     version=current.version))
        if result.outcome == Outcome.NOT_EDITABLE:
            return self._not_editable(result.record, lang)
        if result.outcome == Outcome.NOT_FOUND:
            return notice(lang, "jd_not_found", id=record.id)
        return notice(lang, "jd_not_allowed")

    def _save(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        draft, problem = self._draft_from_form(record.draft, request.form, lang)
        draft, problem = apply_hiring_manager(self.service.store, draft, request.form, lang) if not problem else (draft, problem)
        if problem:
            return self._edit_reply(record, lang, problem)
        outcome = self.flows.save(request.actor, record, version, draft)
        if isinstance(outcome, Unchanged):
            return self._edit_reply(record, lang, t("jd_nothing_changed", lang))
        if not isinstance(outcome, JdChanged):
            return self._common(outcome, lang)
        result = outcome.result
        if outcome.retry:
            # the same Save delivered twice (a retry): the first one saved exactly this
            return self._edit_reply(result.record, lang, t("jd_saved", lang, version=result.record.version))
        message = t("jd_saved", lang, version=result.record.version) if result.ok else ""
        return self._edit_outcome(result, record, lang, message)

    # ---- rewrite one section ----------------------------------------------------------------------------------------
    def _rewrite(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        base, problem = self._draft_from_form(record.draft, request.form, lang)
        outcome = self.flows.start_rewrite(request.actor, record, version, None if problem else base)
        if isinstance(outcome, NotEditable):
            return self._not_editable(record, lang)
        if isinstance(outcome, InvalidForm):
            return self._edit_reply(record, lang, problem)
        if not isinstance(outcome, RewriteOpened):
            return self._common(outcome, lang)
        return Reply([cards.rewrite_form(outcome.work_id, lang)], lang=lang, ephemeral=True, replace_original=True)

    def _work_action(self, request: Request, action: str, work_id: str, lang: str) -> Reply:
        section = request.form.get("section") or ""
        instruction = (request.form.get("instruction") or "").strip()
        outcome = self.flows.rewrite(request.actor, action.removeprefix("jd_rewrite_"), work_id, section, instruction)

        def again(message: str, section: str, filled: str | None = None) -> Reply:
            return Reply([cards.rewrite_form(work_id, lang, section if section in SECTIONS else "requirements",
                                             instruction if filled is None else filled, message)],
                         lang=lang, ephemeral=True, replace_original=True)

        if isinstance(outcome, RewriteDiscarded):
            if outcome.stale:
                return self._edit_reply(outcome.record, lang, t("jd_stale_edit", lang,
                                                                who=self.flows.last_editor(outcome.record.id),
                                                                version=outcome.record.version))
            return self._edit_reply(outcome.record, lang, t("jd_rewrite_discarded", lang), draft=outcome.base)
        if isinstance(outcome, RewriteInput):
            return again(t(outcome.problem, lang), outcome.section)
        if isinstance(outcome, Refused):
            return again(outcome.verdict.message(lang), outcome.section, outcome.lawful_fill)
        if isinstance(outcome, NotUnderstood):
            change = outcome.change
            offline_note = (t("jd_rewrite_offline_because", lang, why=ai_reason(change.fallback, lang))
                            if change.fallback is not None else "")
            return again(" ".join(m for m in (t("jd_rewrite_not_understood", lang,
                                                what="; ".join(change.unapplied) or instruction), offline_note)
                                  if m), outcome.section)
        if isinstance(outcome, RewriteProposed):
            change = outcome.change
            offline_note = (t("jd_rewrite_offline_because", lang, why=ai_reason(change.fallback, lang))
                            if change.fallback is not None else "")
            return Reply([cards.rewrite_diff_card(work_id, outcome.section, change, lang, note=offline_note)],
                         lang=lang, ephemeral=True, replace_original=True)
        if isinstance(outcome, RewriteOpened):
            return Reply([cards.rewrite_form(work_id, lang)], lang=lang, ephemeral=True, replace_original=True)
        if isinstance(outcome, JdChanged):
            result = outcome.result
            message = (t("jd_rewrite_applied", lang, section=cards.heading(outcome.section, lang),
                         version=result.record.version) if result.ok else "")
            return self._edit_outcome(result, outcome.record, lang, message)
        return self._common(outcome, lang)

    # ---- approval ---------------------------------------------------------------------------------------------------
    def approval_cards(self, jd_id: str, lang: str | None = None, message: str = "") -> list[Card]:
        """The approval card of a JD as it is now (for HR approvers; the notifier may send it to them)."""
        view = self.flows.approval_view(jd_id)
        if view is None:
            return [notice_card(t("jd_not_found", lang or "en", id=jd_id))]
        lang = lang or view.record.draft.lang or "en"
        return [cards.approval_card(view.record, view.company, view.findings, view.opening, view.decisions,
                                    view.names, lang, message, authors=view.authors,
                                    self_approval=view.self_approval)]

    def _approval_reply(self, record: JdRecord, lang: str, message: str = "") -> Reply:
        # Not ephemeral: everyone who sees an approval card sees it change in place.
        return Reply(self.approval_cards(record.id, lang, message), lang=lang, replace_original=True)

    def _submit(self, request: Request, record: JdRecord, version: int, lang: str) -> Reply:
        draft, problem = self._draft_from_form(record.draft, request.form, lang)
        draft, problem = apply_hiring_manager(self.service.store, draft, request.form, lang) if not problem else (draft, problem)
        if problem:
            return self._edit_reply(record, lang, problem)
        outcome = self.flows.submit(request.actor, record, version, draft)
        if isinstance(outcome, JdChanged):
            return self._edit_outcome(outcome.result, record, lang, "")
        if isinstance(outcome, PendingSaved):
            return self._approval_reply(outcome.record, lang, t("jd_saved", lang, version=outcome.version))
        if isinstance(outcome, Decision):
            return self._decision_outcome(outcome.result, record, lang)
        if not isinstance(outcome, JdSubmitted):
            return self._common(outcome, lang)
        # Every HR admin who may approve it (four eyes: not its authors) gets the approval card by direct message.
        message = t("jd_submitted", lang, version=outcome.version)
        if outcome.no_other_approver:
            message += " " + t("jd_no_other_approver", lang)
        reply = self._approval_reply(outcome.record, lang, message)
        shared = self.approval_cards(outcome.record.id, lang)
        reply.notify = [(approver, shared) for approver in outcome.approvers]
        reply.shared_key = approval_key(record.id)
        return reply

    def approvers(self, record: JdRecord) -> list:
        """The HR admins who may approve this JD now (four eyes: not its authors, unless self-approval is allowed)."""
        return self.flows.approvers(record)

    def _decide(self, request: Request, record: JdRecord, version: int, action: str, lang: str) -> Reply:
        outcome = self.flows.decide(request.actor, record, version, action, request.form.get("reason") or "")
        if isinstance(outcome, ConfirmReject):
            return Reply([cards.confirm_reject_card(record, outcome.reason, lang)], lang=lang, replace_original=True)
        if isinstance(outcome, OutOfDate):
            return self._out_of_date(outcome.record, lang)
        if isinstance(outcome, ReasonRequired):
            message = t("jd_reason_required", lang, action=t(f"jd_verb_{outcome.action}", lang))
            return Reply([cards.reason_card(record, outcome.action, lang, message)], lang=lang, replace_original=True)
        if isinstance(outcome, Decision):
            return self._decision_outcome(outcome.result, record, lang)
        if not isinstance(outcome, Decided):
            return self._common(outcome, lang)
        if outcome.action == "approve":
            message = t("jd_approved", lang, opening=outcome.opening.id if outcome.opening else "—",
                        status=t("jd_opening_open", lang))
        else:
            message = t("jd_rejected" if outcome.action == "reject" else "jd_changes_requested", lang)
        reply = self._approval_reply(outcome.record, lang, message)
        # Every copy of the approval card (the other approvers', the author's) shows the decision too.
        reply.refresh = (approval_key(record.id), reply.cards)
        return reply

    def _decision_outcome(self, result: WorkflowResult, record: JdRecord, lang: str) -> Reply:
        if result.outcome == Outcome.STALE:
            return self._out_of_date(result.record or record, lang)
        if result.outcome == Outcome.NOT_FOUND:
            return notice(lang, "jd_not_found", id=record.id)
        if result.outcome == Outcome.OWN_WORK:
            current = result.record or record
            names = ", ".join(e.display_name for e in self.flows.approvers(current)[:5])
            message = t("jd_own_work", lang) + " " + (t("jd_approvers_are", lang, names=names) if names
                                                      else t("jd_no_other_approver", lang))
            return Reply([notice_card(message)], lang=lang, ephemeral=True)     # the shared card stays as it is
        return notice(lang, "jd_not_allowed")

    def _out_of_date(self, record: JdRecord, lang: str) -> Reply:
        """A press from a card whose state has changed since it was drawn: nothing happens; the current card, and
        who changed it."""
        view = self.flows.stale_view(record)
        last = view.last_decision
        by = t("jd_stale_by", lang, who=view.names(last.actor_id), when=cards.when(last.at)) if last else ""
        current = view.record
        return self._approval_reply(current, lang, t("jd_stale_decision", lang,
                                                     status=cards.status_label(current.status, lang),
                                                     version=current.version, by=by))

    def _close_opening(self, request: Request, record: JdRecord, seen: list[str], confirmed: bool,
                       lang: str) -> Reply:
        outcome = self.flows.close_opening(request.actor, record, seen, confirmed)
        if isinstance(outcome, OutOfDate):
            return self._out_of_date(outcome.record, lang)
        if isinstance(outcome, ConfirmClose):
            return Reply([cards.confirm_close_card(record, outcome.opening, lang)], lang=lang, replace_original=True)
        if isinstance(outcome, Decision):
            return self._decision_outcome(outcome.result, record, lang)
        if not isinstance(outcome, Decided):
            return self._common(outcome, lang)
        reply = self._approval_reply(outcome.record, lang, t("jd_opening_closed", lang))
        reply.refresh = (approval_key(record.id), reply.cards)      # every copy of the card shows it closed
        return reply

    def _history(self, record: JdRecord, lang: str) -> Reply:
        view = self.flows.history(record)
        return Reply([cards.history_card(view.record, view.versions, view.decisions, view.names, lang, view.authors)],
                     lang=lang, ephemeral=True)

    def pending(self, lang: str) -> Reply:
        view = self.flows.pending()
        return Reply([cards.pending_card(view.records, view.companies, view.names, lang)], lang=lang, ephemeral=True)

    # ---- custom generation ------------------------------------------------------------------------------------------
    @property
    def daily_token_budget(self) -> int:
        """The service's budget (tokens per UTC day, all models); 0 = unlimited."""
        return max(0, int(self.service.daily_token_budget or 0))

    @daily_token_budget.setter
    def daily_token_budget(self, tokens: int) -> None:
        self.service.daily_token_budget = tokens

    @staticmethod
    def _mode_notes(mode: GenerationMode, lang: str) -> list[str]:
        """What to tell the user: past the daily token budget custom generation degrades to the template path; with
        no model configured it is the template path anyway."""
        if mode.over_budget:
            return [t("jd_budget_exceeded", lang, used=cards.number(mode.used), budget=cards.number(mode.budget))]
        return [t("jd_offline_custom", lang)] if mode.offline else []

    def _custom_form(self, request: Request, set_id: str, lang: str) -> Reply:
        payload = self.flows.draft_set(set_id) or {}
        chosen = {"company": payload.get("company_id", ""), "family": payload.get("family", ""),
                  "level": payload.get("level", ""), "request": payload.get("notes", "")}
        return Reply([cards.custom_form(self.flows.companies(), lang, chosen)], lang=lang, ephemeral=True)

    def _custom_brief(self, request: Request, lang: str) -> Reply:
        form = request.form
        return self.custom_request(request, (form.get("request") or "").strip(), form.get("company", ""),
                                   form.get("family", ""), form.get("level", ""), lang, replace=True)

    def custom_request(self, request: Request, text: str, company: str, family: str, level: str, lang: str,
                       replace: bool = False) -> Reply:
        """Check a free-text request and show the brief to confirm (or the refusal, with a lawful rewording)."""
        chosen = {"company": company, "family": family, "level": level, "request": text}
        if not text:
            return Reply([cards.custom_form(self.flows.companies(), lang, chosen, t("jd_request_missing", lang))],
                         lang=lang, ephemeral=True, replace_original=replace)
        outcome = self.flows.check_custom(request.actor, text, company, family, level, lang)
        return self._brief_reply(outcome, chosen, lang, replace)

    def _brief_reply(self, outcome, chosen: dict, lang: str, replace: bool) -> Reply:
        if isinstance(outcome, Refused):
            return self._refusal(outcome.verdict, chosen, lang, replace)
        if not isinstance(outcome, BriefChecked):
            return self._common(outcome, lang)
        brief = outcome.brief
        notes = self._mode_notes(outcome.mode, lang)
        if brief.fallback is not None:          # the model was asked to read it and could not: say why
            notes.append(t("jd_brief_offline_because", lang, why=ai_reason(brief.fallback, lang)))
        card = cards.brief_card(brief, outcome.brief_id, self.flows.companies(), self.flows.company(brief.company_id),
                                lang, self.service.extractor.taxonomy, notes=notes)
        return Reply([card], lang=lang, ephemeral=True, replace_original=replace)

    def _refusal(self, verdict, chosen: dict, lang: str, replace: bool) -> Reply:
        companies = self.flows.companies()
        if verdict.kind == "discriminatory":
            card = cards.custom_form(companies, lang, {**chosen, "request": verdict.rewrite}, verdict.message(lang),
                                     explain=t("jd_refused_edit", lang), title=t("jd_refused_title", lang))
        else:                       # injection, off-topic, empty: nothing of it is worth keeping
            card = cards.custom_form(companies, lang, {**chosen, "request": ""}, verdict.message(lang),
                                     title=t("jd_declined_title", lang))
        return Reply([card], lang=lang, ephemeral=True, replace_original=replace)

    def _generate(self, request: Request, brief_id: str, lang: str) -> Reply:
        form = request.form
        company, family, level = form.get("company") or "", form.get("family") or "", form.get("level") or ""
        outcome = self.flows.generate(request.actor, brief_id, form.get("request") or "", company, family, level,
                                      lang)
        if isinstance(outcome, (Refused, BriefChecked)):
            # refused: the form again with what was asked (the kept brief's fields where the form left them out)
            chosen = {"company": company, "family": family, "level": level,
                      **(outcome.fields if isinstance(outcome, Refused) else {})}
            return self._brief_reply(outcome, chosen, lang, True)
        if not isinstance(outcome, JobQueued):
            return self._common(outcome, lang)
        submitted = outcome.submitted
        return Reply([cards.queued_card(submitted.job_id, submitted.position, submitted.eta_seconds, lang,
                                        self._mode_notes(outcome.mode, lang))],
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
        return self._created(self.flows.use_job(request.actor, job_id), lang)

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
        return [cards.ready_card(job.id, draft, self.flows.company(draft.company_id), findings, lang, notes)]

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
