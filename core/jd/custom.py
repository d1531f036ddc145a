"""Custom JD requests, offline: the brief a free-text request is rewritten into (for the user to confirm), and the
template-built handler of "custom_jd" jobs in the background queue.

The model-backed handler (core.jd.generation.model_custom_jd_handler) takes the same payload and stores the same
result shape; this one is what runs with no model configured (and what the model handler falls back to past the
daily token budget), and it labels its result `source: "template"`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.jd.guardrails import Verdict, _default_extractor, check_request, enforce
from core.jd.model import JOB_FAMILIES, SECTIONS, JdDraft, find_family
from core.jd.prepare import STYLES, _level_in, instant_drafts, source_index
from core.jd.queue import JobContext
from core.jd.templates import years_in
from core.text import request_language

CUSTOM_JD_KIND = "custom_jd"


@dataclass
class Brief:
    """What a free-text request asks for, as the user will confirm it before the job is queued."""

    text: str                                   # the request as typed
    lang: str
    verdict: Verdict
    company_id: str = ""
    family: str = ""
    level: str = ""
    skills: list[str] = field(default_factory=list)
    years: int | None = None
    missing: list[str] = field(default_factory=list)     # company / family / level the user still has to choose
    # Filled when a model read the request (JdService.brief with Gemini); empty from the offline rules.
    rewritten: str = ""                         # the request rewritten as one clear brief, for the user to confirm
    team: str = ""
    product_area: str = ""
    source: str = "offline"                     # who extracted the entities: offline (rules) or gemini
    fallback: object = None                     # core.ai.provider.FallbackReason when the model was asked and failed

    @property
    def ready(self) -> bool:
        return self.verdict.ok and not self.missing

    def payload(self) -> dict:
        """The job payload for JobQueue.submit(CUSTOM_JD_KIND, ...)."""
        return {"company_id": self.company_id, "family": self.family, "level": self.level, "brief": self.text,
                "lang": self.lang, "skills": self.skills, "years": self.years, "rewritten": self.rewritten}


def _find_company(store, text: str) -> str:
    return find_company(store.list_companies(), text)


def company_name_forms(company, shortest_prefix: int = 2) -> set[str]:
    """The ways a text may name a company: its id, its name, each part of a "마켓온 (Marketon)" name, and the name's
    leading words ("Pixel Forge" names "Pixel Forge Studio"), from `shortest_prefix` words on."""
    words = company.name.split()
    return {company.id, company.name, *re.split(r"\s*[()/]\s*", company.name),
            *(" ".join(words[:k]) for k in range(shortest_prefix, len(words)))}


def find_company(companies, text: str) -> str:
    """The id of the company a text names (its id, name, or a part of its name), or ""."""
    lowered = (text or "").lower()
    for company in companies:
        names = company_name_forms(company)
        if any(n and len(n) >= 2 and n.lower() in lowered for n in names):
            return company.id
    return ""


def find_family_in(text: str) -> str:
    """The job family a request names; the longest name wins ("backend engineer" over "engineer"). Two-letter
    aliases count only in capitals ("BE", "QA"), so the English word "be" is not the backend family."""
    best = ("", 0)
    for family in JOB_FAMILIES.values():
        for name in (family.title_ko, family.title_en, family.ko, family.en, *family.aliases):
            if len(name) < 2:
                continue
            short = len(name) <= 2
            pattern = r"(?<![A-Za-z])" + re.escape(name.upper() if short else name) + r"(?![A-Za-z])"
            if re.search(pattern, text, 0 if short else re.IGNORECASE) and len(name) > best[1]:
                best = (family.code, len(name))
    if best[0]:
        return best[0]
    found = find_family(text)
    return found.code if found else ""


def extract_brief(store, text: str, company_id: str = "", family: str = "", level: str = "",
                  extractor=None, lang: str | None = None) -> Brief:
    """Check a free-text request and pull out company, job family, level, skills and years. Fields the caller
    already knows (from the form) win; what is still unknown is listed in `missing`. `lang`: the request's language
    as the chat decided it (the JD is written in it); decided from the text when None."""
    lang = lang or request_language(text)
    verdict = check_request(text, context="request", lang=lang)
    brief = Brief(text=text.strip(), lang=lang, verdict=verdict)
    if not verdict.ok:
        return brief
    extractor = extractor or _default_extractor()
    brief.company_id = company_id or _find_company(store, text)
    brief.family = family or find_family_in(text)
    found_level = _level_in(text)
    brief.level = level or (found_level.code if found_level else "")
    brief.skills = extractor.extract_query(text)
    brief.years = years_in(text)
    brief.missing = [name for name, value in (("company", brief.company_id), ("family", brief.family),
                                              ("level", brief.level)) if not value]
    return brief


def offline_custom_jd_handler(store, extractor=None):
    """A "custom_jd" job handler built from templates: the prepared detailed draft with the brief applied, every
    section reported as it completes, then the full output guardrails (with the brief as a source)."""

    def handle(payload: dict, ctx: JobContext) -> dict:
        ex = extractor or _default_extractor()
        verdict = check_request(payload.get("brief", ""), context="notes")
        if not verdict.ok:
            return {"declined": verdict.kind, "message": verdict.message()}
        instant = instant_drafts(store, payload["company_id"], payload["family"], payload["level"],
                                 notes=payload.get("brief", ""), lang=payload.get("lang") or None, extractor=ex)
        if not instant.ok:
            return {"error": instant.error or "no_drafts"}
        base: JdDraft = instant.drafts[STYLES.index("detailed")]
        draft = JdDraft.from_dict({**base.to_dict(), "style": "custom", "source": "template"})
        partial: dict = {}
        for section in SECTIONS:
            partial[section] = draft.to_dict()[section]
            ctx.progress({"sections": list(partial), "draft": partial})
            ctx.check()
        company = store.get_company(payload["company_id"])
        index = source_index(company, store.list_postings(company.id), store.list_doc_chunks(company.id), ex)
        index = index.extended(payload.get("brief", ""), ex)
        clean, findings = enforce(draft, company, index, ex)
        return {"draft": clean.to_dict(), "findings": [f.to_dict() for f in findings], "source": "template",
                "fallback": instant.fallback, "unapplied": instant.unapplied_notes}

    return handle


__all__ = ["Brief", "CUSTOM_JD_KIND", "extract_brief", "find_company", "find_family_in", "offline_custom_jd_handler"]
