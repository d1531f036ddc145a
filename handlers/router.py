"""One entry point for every platform: commands and button presses in, cards out; no error ever reaches a user."""
from __future__ import annotations

import logging
import re
import uuid

from core.text import detect_language
from handlers.find_candidates import FindCandidates, help_card, notice
from handlers.messages import t
from handlers.parsing import strip_command
from handlers.requests import Reply, Request

log = logging.getLogger(__name__)

# Words that make a free-text message a candidate search when no command was typed.
_ROLE_WORDS = re.compile(
    r"\b(engineer|developer|designer|analyst|scientist|manager|marketer|planner|recruiter|accountant|lawyer|"
    r"counsel|specialist|lead|architect|administrator|consultant|researcher|someone|candidates?|who knows)\b|"
    r"(개발자|엔지니어|디자이너|분석가|기획자|마케터|담당자|매니저|리더|전문가|경험자|후보|인재|사람)",
    re.IGNORECASE)
_SHORTLIST = re.compile(r"^\s*/?(shortlist|my shortlist|관심\s*후보|숏리스트)\s*$", re.IGNORECASE)
_MY_PROFILE = re.compile(r"^\s*/?(my profile|profile|me|내\s*프로필|프로필)\s*$", re.IGNORECASE)
_HELP = re.compile(r"^\s*/?(help|\?|도움말|사용법|도움)\s*$", re.IGNORECASE)


class Router:
    def __init__(self, find_candidates: FindCandidates, extractor=None, my_profile=None):
        self.find_candidates = find_candidates
        self.extractor = extractor
        self.my_profile = my_profile

    def handle(self, request: Request) -> Reply:
        lang = request.lang or detect_language(request.text)
        try:
            return self._dispatch(request, lang)
        except Exception:  # the user gets a reference, the log gets the trace
            ref = uuid.uuid4().hex[:8]
            log.exception("request failed (ref %s, platform %s, action %s)", ref, request.platform, request.action_id)
            return notice(lang, "error_generic", ref=ref)

    def _dispatch(self, request: Request, lang: str) -> Reply:
        if request.actor is None:
            return notice(lang, "unknown_user", platform=request.platform.title())
        if request.action_id in ("my_profile_show", "my_profile_hide") and self.my_profile:
            return self.my_profile.set_open(request, request.action_id == "my_profile_show", lang)
        if request.action_id:
            return self.find_candidates.handle_action(request)
        text = (request.text or "").strip()
        is_command, rest = strip_command(text)
        if is_command:
            return self.find_candidates.search(request, rest)
        if _HELP.match(text) or not text:
            return Reply([help_card(lang, self.find_candidates.default_limit)], lang=lang, ephemeral=True)
        if _MY_PROFILE.match(text) and self.my_profile:
            return self.my_profile.show(request, lang)
        if _SHORTLIST.match(text):
            return self.find_candidates.show_shortlist(request, lang)
        if self._looks_like_search(text):
            return self.find_candidates.search(request, text)
        return Reply([help_card(lang, self.find_candidates.default_limit, t("help_unclear", lang))], lang=lang,
                     ephemeral=True)

    def _looks_like_search(self, text: str) -> bool:
        if _ROLE_WORDS.search(text):
            return True
        return bool(self.extractor and self.extractor.extract_query(text))
