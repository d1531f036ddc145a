"""An employee's own profile: see exactly what managers and HR can see, edit it, choose whether to be visible to
other teams (open to internal moves) and whether to be suggested as a mentor, or delete it. Nobody else's profile is
ever shown here, and every action checks that the button belongs to the person pressing it."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from cards.model import Actions, Button, Card, Confirm, Context, Fields, Header, Input, Text
from core import audit
from core.domain import Employee, ProfileDetails, SkillEvidence
from core.skills.taxonomy import Taxonomy
from handlers.find_candidates import notice, notice_card, skills_with_evidence
from handlers.messages import t
from handlers.requests import Reply, Request

PROFICIENCIES = ("beginner", "intermediate", "advanced", "expert")
_PROFICIENCY_WORDS = {"beginner": "beginner", "초급": "beginner", "intermediate": "intermediate", "중급": "intermediate",
                      "advanced": "advanced", "고급": "advanced", "expert": "expert", "전문가": "expert"}
_SKILL_LINE = re.compile(r"^\s*[-•*]?\s*(?P<name>.+?)(?:\s*[—–:-]+\s*(?P<level>[^\s—–:-]+))?\s*$")


def details_fields(d: ProfileDetails, languages: list[str], lang: str) -> list:
    """Experience, education, certifications, languages and roles, when a profile (or a resume draft) has them."""
    pairs = []
    if d.years_experience:
        pairs.append((t("field_experience", lang), t("years_value", lang, years=f"{d.years_experience:g}")))
    if d.education:
        pairs.append((t("field_education", lang), "\n".join(d.education[:4])))
    if d.certifications:
        pairs.append((t("field_certifications", lang), ", ".join(d.certifications[:8])))
    if languages:
        pairs.append((t("field_languages", lang), ", ".join(languages)))
    blocks: list = [Fields(tuple(pairs))] if pairs else []
    if d.roles:
        lines = [f"• {r.title}" + (f", {r.organisation}" if r.organisation else "") +
                 (f" ({r.start}–{r.end or '…'})" if r.start else "") for r in d.roles[:6]]
        blocks.append(Text(f"**{t('field_roles', lang)}**\n" + "\n".join(lines)))
    if d.summary:
        blocks.append(Context(d.summary))
    return blocks


def skill_lines(skills: list[SkillEvidence], taxonomy: Taxonomy) -> str:
    return "\n".join(taxonomy.name(s.skill_id) + (f" — {s.proficiency}" if s.proficiency else "") for s in skills)


def parse_skill_lines(text: str, current: list[SkillEvidence], taxonomy: Taxonomy, extractor,
                      added_evidence: str) -> tuple[list[SkillEvidence], list[str]]:
    """Skills typed one per line -> canonical skills (evidence kept for skills already on the profile) and the lines
    that name no known skill."""
    known = {s.skill_id: s for s in current}
    out: list[SkillEvidence] = []
    unknown: list[str] = []
    for raw in (text or "").splitlines():
        match = _SKILL_LINE.match(raw)
        if not match or not match.group("name").strip():
            continue
        name, level = match.group("name").strip(), (match.group("level") or "").strip().lower()
        proficiency = _PROFICIENCY_WORDS.get(level, "")
        if level and not proficiency:       # "CI/CD" or "Node-RED": the dash was part of the name
            name, proficiency = raw.strip(" -•*"), ""
        skill_id = taxonomy.lookup_name(name) or next(iter(extractor.extract_query(name)), None)
        if skill_id is None:
            unknown.append(name)
            continue
        if any(s.skill_id == skill_id for s in out):
            continue
        previous = known.get(skill_id)
        out.append(SkillEvidence(skill_id, previous.evidence if previous else added_evidence,
                                 proficiency or (previous.proficiency if previous else "")))
    return out, unknown


def profile_stamp(me: Employee) -> str:
    """A short digest of what a deletion would remove, as a card showed it: a confirmation pressed after the profile
    changed (a new resume, an edit, in another window) deletes nothing."""
    seen = (me.resume_text, tuple(me.skill_ids), repr(me.details), tuple(me.languages), me.open_to_moves, me.mentor,
            me.updated_at)
    return hashlib.sha256(repr(seen).encode("utf-8")).hexdigest()[:12]


def _lines(text: str) -> list[str]:
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


class MyProfile:
    def __init__(self, store, taxonomy: Taxonomy, extractor=None, importer=None):
        self.store = store
        self.taxonomy = taxonomy
        self.extractor = extractor
        self.importer = importer
        self.alerts_enabled = None      # employee id -> bool: adds the openings alert switch (handlers/openings.py)

    ACTIONS = ("my_profile_show", "my_profile_hide", "my_profile_mentor_on", "my_profile_mentor_off",
               "my_profile_edit", "my_profile_save", "my_profile_cancel", "my_profile_delete",
               "my_profile_delete_confirm")

    def handle_action(self, request: Request, lang: str) -> Reply:
        # "E0001|ko" or, on the delete confirmation, "E0001|ko|<profile_stamp as the card showed it>"
        owner, _, rest = request.action_value.partition("|")
        card_lang, _, seen = rest.partition("|")
        lang = request.lang or card_lang or lang     # a press answers in the language of the card it was on
        if not request.private:
            return notice(lang, "private_only")
        me = self.store.get_employee(request.actor.id)
        if me is None:
            return notice(lang, "employee_gone")
        if owner != me.id:     # a button from someone else's card
            return notice(lang, "profile_not_visible")
        action = request.action_id
        if action in ("my_profile_show", "my_profile_hide"):
            return self._set_open(me, action == "my_profile_show", lang)
        if action in ("my_profile_mentor_on", "my_profile_mentor_off"):
            return self._set_mentor(me, action == "my_profile_mentor_on", lang)
        if action == "my_profile_edit":
            return Reply([self.edit_card(me, lang)], lang=lang, ephemeral=True, replace_original=True)
        if action == "my_profile_save":
            return self._save(me, request.form, lang)
        if action == "my_profile_delete":
            return Reply([self.delete_card(me, lang)], lang=lang, ephemeral=True, replace_original=True)
        if action == "my_profile_delete_confirm":
            if seen and seen != profile_stamp(me):      # a stale confirmation never deletes what it did not show
                return Reply([self.card(me, lang, t("profile_changed_since", lang))], lang=lang, ephemeral=True,
                             replace_original=True)
            return self._delete(me, lang)
        return self.show(request, lang, replace=True)       # my_profile_cancel

    # ---- cards ---------------------------------------------------------------------------------------------------
    def show(self, request: Request, lang: str, notice_text: str | None = None, replace: bool = False) -> Reply:
        if not request.private:          # a Teams channel reply is seen by the whole team
            return notice(lang, "private_only")
        me = self.store.get_employee(request.actor.id)
        if me is None:
            return notice(lang, "employee_gone")
        return Reply([self.card(me, lang, notice_text)], lang=lang, ephemeral=True, replace_original=replace)

    def card(self, me: Employee, lang: str, notice_text: str | None = None) -> Card:
        card = Card(fallback=t("my_profile_title", lang))
        card.add(Header(t("my_profile_title", lang)))
        if notice_text:
            card.add(Text(f"**{notice_text}**"))
        availability = t("open_yes" if me.open_to_moves else "my_profile_hidden", lang)
        card.add(Fields(((t("field_title", lang), me.title or "—"), (t("field_department", lang), me.department or "—"),
                         (t("field_level", lang), me.level or "—"), (t("field_availability", lang), availability),
                         (t("field_mentor", lang), t("mentor_yes" if me.mentor else "mentor_no", lang)))))
        card.add(*skills_with_evidence(me, self.taxonomy, lang, most=20))
        card.add(*details_fields(me.details, me.languages, lang))
        card.add(Context(t("my_profile_explain", lang) + " " + t("resume_hint", lang)))
        toggle = ("my_profile_hide", t("btn_hide_me", lang)) if me.open_to_moves else \
            ("my_profile_show", t("btn_show_me", lang))
        mentor = ("my_profile_mentor_off", t("btn_mentor_off", lang)) if me.mentor else \
            ("my_profile_mentor_on", t("btn_mentor_on", lang))
        value = f"{me.id}|{lang}"
        buttons = [Button(toggle[1], toggle[0], value, style=None if me.open_to_moves else "primary"),
                   Button(mentor[1], mentor[0], value)]
        if self.importer is not None:
            buttons.append(Button(t("btn_edit_profile", lang), "my_profile_edit", value))
        if self.alerts_enabled is not None:
            on = self.alerts_enabled(me.id)
            buttons.append(Button(t("btn_openings_alerts_off" if on else "btn_openings_alerts_on", lang),
                                  "openings_alerts_off" if on else "openings_alerts_on", f"{value}|profile"))
        buttons.append(Button(t("btn_delete_profile", lang), "my_profile_delete", value, style="danger"))
        card.add(Actions(tuple(buttons)))
        return card

    def edit_card(self, me: Employee, lang: str) -> Card:
        d = me.details
        card = Card(fallback=t("edit_profile_title", lang))
        card.add(Header(t("edit_profile_title", lang)), Context(t("edit_explain", lang)))
        card.add(Input("skills", t("edit_skills_label", lang), skill_lines(me.skills, self.taxonomy), multiline=True),
                 Input("summary", t("field_summary", lang), d.summary, multiline=True),
                 Input("education", t("field_education", lang), "\n".join(d.education), multiline=True,
                       placeholder=t("edit_lines_hint", lang)),
                 Input("certifications", t("field_certifications", lang), "\n".join(d.certifications),
                       multiline=True, placeholder=t("edit_lines_hint", lang)),
                 Input("languages", t("field_languages", lang), ", ".join(me.languages)))
        value = f"{me.id}|{lang}"
        card.add(Actions((Button(t("btn_save", lang), "my_profile_save", value, style="primary"),
                          Button(t("btn_cancel", lang), "my_profile_cancel", value))))
        return card

    def delete_card(self, me: Employee, lang: str) -> Card:
        card = Card(fallback=t("delete_confirm_title", lang))
        card.add(Header(t("delete_confirm_title", lang)), Text(t("delete_confirm_body", lang)))
        value = f"{me.id}|{lang}"
        # The second step (Teams and the terminal have no dialogs); Slack also asks in a dialog before sending it.
        dialog = Confirm(t("delete_confirm_title", lang), t("delete_confirm_dialog", lang),
                         t("btn_delete_confirm", lang), t("btn_keep_profile", lang))
        card.add(Actions((Button(t("btn_delete_confirm", lang), "my_profile_delete_confirm",
                                 f"{value}|{profile_stamp(me)}", style="danger", confirm=dialog),
                          Button(t("btn_keep_profile", lang), "my_profile_cancel", value))))
        return card

    # ---- changes -------------------------------------------------------------------------------------------------
    def _set_open(self, me: Employee, open_to_moves: bool, lang: str) -> Reply:
        if me.open_to_moves != open_to_moves:
            me.open_to_moves = open_to_moves
            self.store.update_fields(me)
            audit.own_profile(self.store, me, "self_open_to_moves" if open_to_moves else "self_hidden",
                              open_to_moves=open_to_moves)
        done = t("my_profile_now_open" if open_to_moves else "my_profile_now_hidden", lang)
        return Reply([self.card(me, lang, done)], lang=lang, ephemeral=True, replace_original=True)

    def _set_mentor(self, me: Employee, mentor: bool, lang: str) -> Reply:
        if me.mentor != mentor:
            me.mentor = mentor
            self.store.update_fields(me)
            audit.own_profile(self.store, me, "self_mentor_on" if mentor else "self_mentor_off", mentor=mentor)
        done = t("my_profile_mentor_on" if mentor else "my_profile_mentor_off", lang)
        return Reply([self.card(me, lang, done)], lang=lang, ephemeral=True, replace_original=True)

    def _save(self, me: Employee, form: dict, lang: str) -> Reply:
        if self.importer is None:
            return notice(lang, "unknown_action")
        skills, unknown = parse_skill_lines(form.get("skills", skill_lines(me.skills, self.taxonomy)), me.skills,
                                            self.taxonomy, self.extractor, t("added_by_employee", lang))
        details = replace(me.details,
                          summary=form.get("summary", me.details.summary).strip(),
                          education=_lines(form["education"]) if "education" in form else me.details.education,
                          certifications=(_lines(form["certifications"]) if "certifications" in form
                                          else me.details.certifications))
        languages = ([x.strip() for x in form["languages"].split(",") if x.strip()] if "languages" in form
                     else me.languages)
        before = (set(me.skill_ids), me.details, me.languages)
        me = replace(me, skills=skills, details=details, languages=languages, updated_at="")
        self.importer.save_confirmed(me)
        after_skills = set(me.skill_ids)
        audit.own_profile(self.store, me, "profile_edited", skills_added=sorted(after_skills - before[0]),
                          skills_removed=sorted(before[0] - after_skills),
                          details_changed=details != before[1] or languages != before[2])
        message = t("profile_saved", lang)
        if unknown:
            message += " " + t("skills_not_recognised", lang, names=", ".join(unknown[:10]))
        return Reply([self.card(self.store.get_employee(me.id), lang, message)], lang=lang, ephemeral=True,
                     replace_original=True)

    def _delete(self, me: Employee, lang: str) -> Reply:
        if not self.store.clear_profile(me.id):
            return notice(lang, "profile_already_empty")
        audit.own_profile(self.store, me, "profile_deleted")
        return Reply([notice_card(t("profile_deleted", lang))], lang=lang, ephemeral=True, replace_original=True)
