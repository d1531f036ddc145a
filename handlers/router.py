"""One entry point for every platform: commands and button presses in, cards out; no error ever reaches a user."""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace

from core.ai import deadline as request_deadline
from core.errors import StoreError
from core.text import request_language
from handlers.find_candidates import FindCandidates, help_card, notice
from handlers.guardrails import REWORD_ACTION, parse_rewording
from handlers.messages import t
from handlers.parsing import strip_command
from handlers.requests import Reply, Request, value_language

log = logging.getLogger(__name__)

# Words that make a free-text message a candidate search when no command was typed.
_ROLE_WORDS = re.compile(
    r"\b(engineer|developer|designer|analyst|scientist|manager|marketer|planner|recruiter|accountant|lawyer|"
    r"counsel|specialist|lead|architect|administrator|consultant|researcher|someone|candidates?|who knows)\b|"
    r"(개발자|엔지니어|디자이너|분석가|기획자|마케터|담당자|매니저|리더|전문가|경험자|후보|인재|사람)",
    re.IGNORECASE)
_SHORTLIST = re.compile(r"^\s*/?(shortlist|my shortlist|관심\s*후보|숏리스트)\s*$", re.IGNORECASE)
_MY_PROFILE = re.compile(r"^\s*/?(my profile|profile|me|내\s*프로필|프로필)\s*$", re.IGNORECASE)
# "gap <role>" (yourself) or "gap for <who>: <role>"; Korean "역량 갭 …" / "갭 분석 …".
_GAP = re.compile(r"^\s*/?(?:skill[-\s]?gap\b|gap(?:\s+analysis)?\b|(?:내\s*)?역량\s*갭(?:\s*분석)?|갭\s*분석)"
                  r"(?:\s+(?:for|대상)\s+(?P<who>[^:：]+?)\s*[:：])?\s*(?P<role>.*)$", re.IGNORECASE | re.DOTALL)
# "compare A, B and C for <role>" / "비교 A, B: <role>"
_COMPARE = re.compile(r"^\s*/?(?:compare|비교)\s+(?P<people>.+?)(?:\s+(?:for|as)\s+|\s*[:：]\s*|$)(?P<role>.*)$",
                      re.IGNORECASE | re.DOTALL)
_PEOPLE_SEPARATORS = re.compile(r"\s*(?:,|、|&|/|\band\b|\bvs\.?|와|과|랑|하고)\s*", re.IGNORECASE)
# "stop digests" / "다이제스트 그만" and "start digests again" / "다이제스트 다시 받기": the weekly digest, per person.
_DIGESTS_OFF = re.compile(
    r"^\s*/?(?:(?:please\s+)?(?:stop|pause|mute|unsubscribe(?:\s+from)?|turn\s+off|no\s+more)\s+(?:the\s+|my\s+)?"
    r"(?:weekly\s+)?digests?|(?:weekly\s+)?digests?\s+off|(?:주간\s*)?다이제스트\s*(?:그만|끄|꺼|중지|멈|해지|안\s*받|사절)"
    r"[가-힣\s]*)[.!。]*\s*$", re.IGNORECASE)
_DIGESTS_ON = re.compile(
    r"^\s*/?(?:(?:please\s+)?(?:start|resume|restart|turn\s+on|send\s+me)\s+(?:the\s+|my\s+)?(?:weekly\s+)?"
    r"digests?(?:\s+again)?|(?:weekly\s+)?digests?\s+on|(?:주간\s*)?다이제스트\s*(?:다시|켜|재개|받기|받을래|시작)"
    r"[가-힣\s]*)[.!。]*\s*$", re.IGNORECASE)
_HELP = re.compile(r"^\s*/?(help|\?|도움말|사용법|도움)\s*$", re.IGNORECASE)


DEFAULT_MAX_REQUEST_CHARS = 8000
FORM_FIELD_FACTOR = 4       # a form field (a JD being edited) may hold this many times the request limit


def too_long(request: Request, limit: int = DEFAULT_MAX_REQUEST_CHARS) -> Reply | None:
    """The refusal of a request whose text (or a form field) is over the limit, in the language of its first lines;
    None when it is within. Checked before anything else reads the text."""
    text = request.text or ""
    longest_field = max((len(str(v)) for v in (request.form or {}).values()), default=0)
    if len(text) <= limit and longest_field <= limit * FORM_FIELD_FACTOR:
        return None
    lang = request.lang or request_language(text[:2000] or " ".join(str(v)[:500] for v in request.form.values()))
    size, allowed = (len(text), limit) if len(text) > limit else (longest_field, limit * FORM_FIELD_FACTOR)
    return notice(lang, "request_too_long", chars=f"{size:,}", limit=f"{allowed:,}")


class Router:
    def __init__(self, find_candidates: FindCandidates, extractor=None, my_profile=None, resume=None,
                 talent_chat=None, gap_analysis=None, compare=None, jd=None, fairness=None,
                 chat_deadline_s: float | None = None, max_request_chars: int = DEFAULT_MAX_REQUEST_CHARS,
                 openings=None, home=None, feedback=None):
        self.find_candidates = find_candidates
        self.max_request_chars = max_request_chars      # INTERNAL_HIRE_MAX_REQUEST_CHARS
        self.extractor = extractor
        self.my_profile = my_profile
        self.resume = resume
        self.talent_chat = talent_chat
        self.gap_analysis = gap_analysis
        self.compare = compare
        self.jd = jd                # job descriptions (HR): handlers.jd.JobDescriptions
        self.fairness = fairness    # the impact-ratio report (HR): handlers.fairness.FairnessReportHandler
        self.openings = openings    # internal openings for the asker: handlers.openings.OpeningsHandler
        self.home = home            # home card and role-aware help: handlers.home.HomeHandler
        self.feedback = feedback    # 👍/👎 and the outcomes HR records: handlers.feedback.FeedbackHandler
        # One budget for all the AI calls of a request (INTERNAL_HIRE_CHAT_DEADLINE); None without a model.
        self.chat_deadline_s = chat_deadline_s or None
        # Which handler owns which button: each declares its ACTIONS; the rest are search-result buttons.
        self._actions = {action: handler for handler in (my_profile, resume, gap_analysis, compare, jd, openings, feedback)
                         if handler
                         for action in getattr(handler, "ACTIONS", ())}

    def handle(self, request: Request) -> Reply:
        refusal = too_long(request, self.max_request_chars)    # first: a 90,000-character message costs nothing
        if refusal is not None:
            return refusal
        decided = request_lang(request)
        if decided is not None and request.lang != decided:
            request = replace(request, lang=decided)
        lang = decided or "en"
        try:
            with request_deadline.within(self.chat_deadline_s):
                return self._dispatch(request, lang)
        except StoreError as exc:   # the database failed or did not answer: its reason, no trace
            ref = uuid.uuid4().hex[:8]
            log.error("request failed (ref %s, platform %s, action %s): %s", ref, request.platform, request.action_id,
                      exc)
            return notice(lang, "error_store", ref=ref)
        except Exception:  # the user gets a reference, the log gets the trace
            ref = uuid.uuid4().hex[:8]
            log.exception("request failed (ref %s, platform %s, action %s)", ref, request.platform, request.action_id)
            return notice(lang, "error_generic", ref=ref)

    def _dispatch(self, request: Request, lang: str) -> Reply:
        if request.actor is None:
            return notice(lang, "unknown_user", platform=request.platform.title())
        if request.upload is not None and self.resume:
            return self.resume.receive(request, lang)
        if request.action_id == REWORD_ACTION:
            return self._rewording(request, lang)
        if request.action_id in self._actions:
            return self._actions[request.action_id].handle_action(request, lang)
        if request.action_id:
            return self.find_candidates.handle_action(request)
        text = (request.text or "").strip()
        is_command, rest = strip_command(text)
        if is_command:
            return self.find_candidates.search(request, rest)
        if self.feedback:           # `moved E0123 op-…` / "E0123 op-… 이동 완료": strict, so it goes first
            outcome_reply = self.feedback.handle_text(request, text, lang)
            if outcome_reply is not None:
                return outcome_reply
        if self.openings:           # before JD commands: "사내 공고" lists openings, "채용 공고 작성" writes one
            openings_reply = self.openings.handle_text(request, text, lang)
            if openings_reply is not None:
                return openings_reply
        if self.home:
            home_reply = self.home.handle_text(request, text, lang)
            if home_reply is not None:
                return home_reply
        if self.fairness:
            fairness_reply = self.fairness.handle_text(request, text, lang)
            if fairness_reply is not None:
                return fairness_reply
        if self.jd:
            jd_reply = self.jd.handle_text(request, text, lang)
            if jd_reply is not None:
                return jd_reply
        if _DIGESTS_OFF.match(text) or _DIGESTS_ON.match(text):
            # "다이제스트 받기 싫어" (do not want to get them) reads like "get digests": a refusal word turns it off.
            off = bool(_DIGESTS_OFF.match(text) or re.search(r"싫|말아|말고|않|원하지", text))
            self.find_candidates.store.set_digests_off(request.actor.id, off)
            return notice(lang, "digests_off" if off else "digests_on")
        if (_HELP.match(text) or not text) and self.home:
            return self.home.help(request, lang)
        if _HELP.match(text) or not text:
            return Reply([help_card(lang, self.find_candidates.default_limit)], lang=lang, ephemeral=True)
        if _MY_PROFILE.match(text) and self.my_profile:
            return self.my_profile.show(request, lang)
        if _SHORTLIST.match(text):
            return self.find_candidates.show_shortlist(request, lang)
        gap = _GAP.match(text)
        if gap and self.gap_analysis:
            if not gap.group("role").strip():
                return notice(lang, "gap_usage")
            return self.gap_analysis.for_text(request, (gap.group("who") or "").strip() or None,
                                              gap.group("role").strip())
        compare = _COMPARE.match(text)
        if compare and self.compare:
            people = [p for p in _PEOPLE_SEPARATORS.split(compare.group("people")) if p.strip()]
            # "compare Kafka and Pulsar experience" names no people: a question for talent chat, not a command.
            if sum(1 for p in people if self.find_candidates.store.find_employee(p.strip())) >= 2:
                return self.compare.compare(request, people, compare.group("role").strip())
        if self.talent_chat:
            return self.talent_chat.handle(request, text, lang)
        if self._looks_like_search(text):
            return self.find_candidates.search(request, text)
        return Reply([help_card(lang, self.find_candidates.default_limit, t("help_unclear", lang))], lang=lang,
                     ephemeral=True)

    def _rewording(self, request: Request, lang: str) -> Reply:
        """The one-tap lawful rewording on a refusal card: the same entry runs with the rewording, which every entry
        checks again before it runs."""
        entry, target, rewording = parse_rewording(request.action_value)
        lang = request.lang or request_language(rewording)
        if not rewording.strip():
            return notice(lang, "unknown_action")
        if entry == "gap" and self.gap_analysis:
            return self.gap_analysis.for_text(request, target or None, rewording)
        if entry == "compare" and self.compare:
            return self.compare.compare(request, [p for p in target.split(",") if p.strip()], rewording)
        return self.find_candidates.search(request, rewording)

    def waiting_text(self, key: str, lang: str) -> str:
        """A "working…" message ("searching", "resume_working", "chat_thinking") that names the longest wait when a
        model may be asked: the request's budget, after which the offline answer comes."""
        if self.chat_deadline_s:
            return t(f"{key}_wait", lang, seconds=f"{self.chat_deadline_s:g}")
        return t(key, lang)

    def _looks_like_search(self, text: str) -> bool:
        if _ROLE_WORDS.search(text):
            return True
        return bool(self.extractor and self.extractor.extract_query(text))


def request_lang(request: Request) -> str | None:
    """The one language decision of a request (handlers then use `request.lang`): given by the platform adapter, else
    the words typed (ids, links and options ignored), else for a button press the language of its card. None when
    only the handler can tell: a press whose value names no language (the saved search or draft knows), or a file
    sent without words and with no Korean in its name (the resume's own text decides)."""
    if request.lang in ("ko", "en"):
        return request.lang
    text = (request.text or "").strip()
    if request.action_id and not text:
        return value_language(request.action_value)
    if request.upload is not None and not text:
        return "ko" if request_language(request.upload.filename) == "ko" else None
    return request_language(text)
