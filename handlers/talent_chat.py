"""Talent chat: plain-language questions in a direct message ("who knows Kafka in the Seoul office?", "how many people
know React?", "compare E0012 and E0044 for the data platform role"), answered from the directory under the same role
checks as search.

The AI provider only interprets the question and words the answer; the people come from the search index, so an
answer can never name someone the asker may not see. The model is given profile facts keyed by employee id (no
names, no resume text beyond the evidence lines) and must cite them as [E0123]; the result cards below the answer show
who those ids are. Offline, intent routing and templates answer the same questions.
"""
from __future__ import annotations

from typing import Iterator

from cards.model import Card, Context, Header, Text
from core.ai import deadline as request_deadline
from core.ai.provider import Fact
from core.ai.runner import iterate_sync, run_sync
from core.access import can_search_people, sees_everyone
from core.domain import SearchFilters
from core.guardrails import check_request
from handlers.find_candidates import help_card, notice
from handlers.guardrails import audit_refusal, off_topic_reply, refusal_reply, screen
from handlers.messages import ai_reason, t
from handlers.requests import Reply, Request

CHAT_RESULTS = 5
MAX_FACT_SKILLS = 6


def candidate_fact(candidate) -> Fact:
    skills = "; ".join(f"{m.name} (“{m.evidence}”)" if m.evidence else f"{m.name} (job title only)"
                       for m in candidate.matched[:MAX_FACT_SKILLS])
    missing = ", ".join(candidate.missing[:6])
    text = (f"{candidate.title or 'no title'}, {candidate.department or 'no department'}, "
            f"{candidate.location or 'no location'}, level {candidate.level or '?'}, match {candidate.score}/100, "
            f"{'open to moves' if candidate.open_to_moves else 'not open to moves'}. Skills shown: {skills or 'none'}."
            + (f" Missing: {missing}." if missing else ""))
    return Fact(ref=candidate.employee_id, text=text)


class TalentChat:
    def __init__(self, ai, find_candidates, compare=None):
        self.ai = ai
        self.find_candidates = find_candidates
        self.matching = find_candidates.matching
        self.compare = compare

    def handle(self, request: Request, text: str, lang: str) -> Reply:
        # The shared check runs before any model sees the question: a discriminatory request never reaches Gemini.
        stopped = screen(self.find_candidates.store, request, text, "chat", lang, self.matching.extractor)
        if stopped is not None:
            return stopped
        interpreted = run_sync(self.ai.interpret_question(text, lang))
        question = interpreted.value
        # ... and the model's reading is checked again: a criterion it read into the question is refused the same way.
        stopped = self._check_interpretation(request, text, question, lang)
        if stopped is not None:
            return stopped
        intent = question.intent
        if intent == "injection":
            return notice(lang, "chat_declined_injection")
        if intent == "out_of_domain" and len(text.split()) <= 2 and not question.skills:
            intent = "help"          # "hmm?" is unclear, not off-topic
        if intent == "out_of_domain":
            return off_topic_reply(request, lang)
        if intent == "help":
            return Reply([help_card(lang, self.find_candidates.default_limit, t("help_unclear", lang))], lang=lang,
                         ephemeral=True)
        if not can_search_people(request.actor):
            return notice(lang, "not_allowed_search")
        if not request.private:
            return notice(lang, "private_only")
        if intent == "compare":
            if len(question.people) < 2 or self.compare is None:
                return notice(lang, "chat_no_people")
            return self.compare.compare(request, question.people, question.role_text or text)
        filters = self._filters(question)
        if isinstance(filters, Reply):
            return filters
        query = question.role_text or " ".join(question.skills) or text
        if intent == "count":
            skill_ids = self._skill_ids(question, query)
            if skill_ids:
                count = self.matching.count_with_skills(request.actor, skill_ids, filters, query=text)
                scope = "" if sees_everyone(request.actor) else t("chat_count_scope", lang)
                return notice(lang, "chat_count", count=count, query=query, scope=scope)
        limit = min(question.limit or CHAT_RESULTS, request.page_cap or CHAT_RESULTS, 10)
        page, results = self.find_candidates.search_page(request, query, filters, limit, lang)
        page_card = results.cards[0]
        facts = [candidate_fact(c) for c in page.candidates]
        if not facts:
            return results
        # The answer is streamed after this returns: it is asked within what is left of this request's budget.
        budget = request_deadline.current()
        thinking = self._answer_card("", lang, facts, None, done=False, budget=budget)
        return Reply([thinking, page_card], lang=lang,
                     updates=self._stream_answer(text, facts, lang, page_card, budget, interpreted.reason))

    # ---- pieces --------------------------------------------------------------------------------------------------
    def _check_interpretation(self, request: Request, text: str, question, lang: str) -> Reply | None:
        """The interpretation's search terms through the same check (only discrimination: a short role phrase is not
        small talk). The refusal offers the interpretation's lawful wording."""
        read = " ".join(part for part in (question.role_text, " ".join(question.skills), question.location,
                                          question.department) if part)
        if not read.strip():
            return None
        verdict = check_request(read, "chat", lang, self.matching.extractor)
        if verdict.kind != "discriminatory":
            return None
        audit_refusal(self.find_candidates.store, request.actor, verdict, text, found_by="interpretation")
        return refusal_reply(verdict, lang)

    def _filters(self, question) -> SearchFilters | Reply:
        if not (question.location or question.department):
            return SearchFilters()
        locations: tuple[str, ...] = ()
        if question.location:
            locations, unknown = self.matching.resolve_locations([question.location])
            if unknown:
                locations = ()       # a place we do not know ("the office") is not a reason to refuse
        departments = (question.department,) if question.department and not \
            self.matching.unknown_departments([question.department]) else ()
        return SearchFilters(locations=locations, departments=departments)

    def _skill_ids(self, question, query: str) -> list[str]:
        extractor = self.matching.extractor
        ids = []
        for name in question.skills or [query]:
            for skill_id in extractor.extract_query(name):
                if skill_id not in ids:
                    ids.append(skill_id)
        return ids

    def _answer_card(self, text: str, lang: str, facts: list[Fact], stream, done: bool, budget=None,
                     earlier_reason=None) -> Card:
        waiting = t("chat_thinking_wait", lang, seconds=f"{budget.seconds:g}") if budget else t("chat_thinking", lang)
        card = Card(fallback=text[:150] or waiting)
        card.add(Header(t("chat_answer_title", lang)), Text(text or waiting))
        if done:
            label = t("chat_ai_label", lang, model=stream.model or "Gemini") if stream.source == "gemini" \
                else t("chat_offline_label", lang)
            # The first failure is the cause (a later call may only have found the budget spent).
            reason = (earlier_reason or stream.reason) if stream.source != "gemini" else None
            if reason is not None:             # the model was asked and fell short: say why, in plain words
                label = t("chat_offline_because", lang, why=ai_reason(reason, lang))
            card.add(Context(label + " " + t("chat_sources", lang, refs=", ".join(f.ref for f in facts))))
        return card

    def _stream_answer(self, question: str, facts: list[Fact], lang: str, page_card: Card, budget=None,
                       earlier_reason=None) -> Iterator[list[Card]]:
        with request_deadline.using(budget):
            stream = run_sync(self.ai.answer(question, facts, lang))
        text = ""
        for chunk in iterate_sync(stream):
            text += chunk
            yield [self._answer_card(text, lang, facts, stream, done=False), page_card]
        yield [self._answer_card(text.strip(), lang, facts, stream, done=True, earlier_reason=earlier_reason),
               page_card]
