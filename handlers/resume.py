"""A resume sent to the bot becomes a profile the employee confirms: read every page, redact contact and personal
details before any model sees the text, extract skills with evidence, then show a review card. Nothing is saved until
the employee presses Confirm; Discard (or a file we cannot read) leaves the profile exactly as it was."""
from __future__ import annotations

import uuid

from cards.model import Actions, Button, Card, Context, Header, Input, Text
from core import audit
from core.ai.provider import FallbackReason
from core.documents import DocumentError
from core.resume.pipeline import DraftSkill
from core.text import request_language
from handlers.find_candidates import notice, notice_card
from handlers.gap_analysis import proficiency_label
from handlers.messages import MESSAGES, ai_reason, t
from handlers.my_profile import details_fields, parse_skill_lines, skill_lines
from handlers.requests import Reply, Request

DRAFT_KIND = "resume"
MOST_SKILLS_SHOWN = 25


def document_problem(exc: DocumentError, lang: str) -> str:
    """Why a file could not be read, in the user's language (the exception carries the English wording)."""
    key = f"doc_{getattr(exc, 'code', '')}"
    if lang != "en" and key in MESSAGES:
        try:
            return t(key, lang, **getattr(exc, "params", {}))
        except (KeyError, IndexError):      # a message needing a detail this error did not carry
            pass
    return str(exc)


class ResumeUpload:
    ACTIONS = ("resume_confirm", "resume_discard")

    def __init__(self, store, pipeline, importer, taxonomy, extractor, my_profile):
        self.store = store
        self.pipeline = pipeline
        self.importer = importer
        self.taxonomy = taxonomy
        self.extractor = extractor
        self.my_profile = my_profile

    def receive(self, request: Request, lang: str) -> Reply:
        upload = request.upload
        # The router decided from the words, or from a Korean file name ("이력서.pdf"); a file alone with neither is
        # answered in the language of the resume itself, decided once below.
        if not request.private:
            return notice(lang, "resume_in_channel")
        if upload.error:
            return notice(lang, "resume_unreadable", file=upload.filename, why=upload.error)
        actor = self.store.get_employee(request.actor.id)
        if actor is None:
            return notice(lang, "employee_gone")
        try:
            draft = self.pipeline.analyse(upload.filename, upload.data, actor, lang)
        except DocumentError as exc:
            return notice(lang, "resume_unreadable", file=upload.filename, why=document_problem(exc, lang))
        lang = request.lang or request_language(draft.text[:2000], fallback=lang)
        draft_id = uuid.uuid4().hex[:16]
        self.store.save_draft(draft_id, actor.id, DRAFT_KIND, {"file": upload.filename, "lang": lang,
                                                                "draft": draft.to_dict()})
        audit.own_profile(self.store, actor, "resume_uploaded", file_type=upload.filename.rsplit(".", 1)[-1].lower(),
                          source=draft.source, skills_found=len(draft.skills), redacted=draft.redactions)
        return Reply([self.review_card(draft_id, upload.filename, draft, lang)], lang=lang, ephemeral=True)

    def review_card(self, draft_id: str, filename: str, draft, lang: str) -> Card:
        card = Card(fallback=t("resume_review_title", lang, file=filename))
        card.add(Header(t("resume_review_title", lang, file=filename)))
        source = t("resume_source_gemini", lang, model=draft.model or "Gemini") if draft.source == "gemini" \
            else t("resume_source_offline", lang)
        if draft.fallback or draft.note:       # the model was asked and did not answer usefully: say why, plainly
            source += " " + t("resume_offline_because", lang,
                              why=ai_reason(FallbackReason(**draft.fallback) if draft.fallback else None, lang))
        card.add(Context(source + " " + t("resume_review_explain", lang)))
        removed = {kind: n for kind, n in draft.redactions.items() if n}
        if removed:
            card.add(Context(t("resume_redacted", lang, what=", ".join(f"{kind} ×{n}" for kind, n in removed.items()))))
        if draft.skills:
            lines = [f"• **{self.taxonomy.name(s.skill_id, lang)}**" + (f" ({proficiency_label(s.proficiency, lang)})" if s.proficiency else "")
                     + f" — “{s.evidence}”" for s in draft.skills[:MOST_SKILLS_SHOWN]]
            card.add(Text(f"**{t('details_skills', lang)}**\n" + "\n".join(lines)))
        else:
            card.add(Text(t("resume_no_skills", lang)))
        card.add(*details_fields(draft.details, draft.languages, lang))
        if draft.unmapped:
            card.add(Context(t("resume_unmapped", lang, names=", ".join(draft.unmapped[:12]))))
        if draft.dropped:
            card.add(Context(t("resume_dropped", lang, count=draft.dropped)))
        card.add(Input("skills", t("edit_skills_label", lang), skill_lines(draft.skills, self.taxonomy),
                       multiline=True))
        card.add(Actions((Button(t("btn_confirm_resume", lang), "resume_confirm", draft_id, style="primary"),
                          Button(t("btn_discard", lang), "resume_discard", draft_id))))
        return card

    def handle_action(self, request: Request, lang: str) -> Reply:
        stored = self.store.load_draft(request.action_value)
        if stored is None or stored[1] != DRAFT_KIND:
            return notice(lang, "draft_gone")
        owner, _, payload = stored
        lang = request.lang or payload.get("lang") or lang     # the language of the review card
        if owner != request.actor.id:        # only the person whose resume it is can save or discard it
            return notice(lang, "profile_not_visible")
        if request.action_id == "resume_discard":
            self.store.delete_draft(request.action_value)
            return Reply([notice_card(t("resume_discarded", lang))], lang=lang, ephemeral=True, replace_original=True)
        me = self.store.get_employee(owner)
        if me is None:
            return notice(lang, "employee_gone")
        draft = self.pipeline.draft_from_dict(payload["draft"])
        if "skills" in request.form:
            skills, unknown = parse_skill_lines(request.form["skills"], draft.skills, self.taxonomy, self.extractor,
                                                t("added_by_employee", lang))
            draft.skills = [DraftSkill(s.skill_id, s.evidence, s.proficiency) for s in skills]
        else:
            unknown = []
        updated = self.pipeline.apply(me, draft)
        self.importer.save_confirmed(updated)
        # Deleted only after the save: a failure above keeps the draft, so pressing Confirm again retries.
        self.store.delete_draft(request.action_value)
        audit.own_profile(self.store, request.actor, "resume_confirmed", skills=len(updated.skills),
                          source=draft.source)
        message = t("profile_saved", lang)
        if unknown:
            message += " " + t("skills_not_recognised", lang, names=", ".join(unknown[:10]))
        return Reply([self.my_profile.card(self.store.get_employee(owner), lang, message)], lang=lang, ephemeral=True,
                     replace_original=True)
