"""Custom JDs with a model: the small context a generation may draw on, the streamed `## section` format and its
parser, the model-backed "custom_jd" job handler, and the daily token budget.

    handler = model_custom_jd_handler(provider, store, extractor, daily_token_budget=200_000)
    Worker(store, {CUSTOM_JD_KIND: handler})              # JdService.worker() picks this or the offline one

The context is small by design (every token is paid for and slows the answer): the prepared set's skills with how
often past postings ask for them, its mined responsibilities, the company's description, ideal-candidate statement
and benefits, the top-k document sections for the job family (BM25, trimmed), and the user's request — never a whole
document or all postings (bench/jd_tokens.py measures the difference). Sensitive entities are replaced by their
generic names before anything is sent, the prompt names them as forbidden too, and the output guardrails
(guardrails.enforce) still run on whatever comes back.

The handler stores the same result shape as `offline_custom_jd_handler` (`draft`, `findings`, `source`,
`fallback`, `unapplied`), plus `model`, `note`, `filled_from_template` and, when it did not use the model,
`degraded`: "budget" (past the daily token budget) or "unavailable" (the model failed; `note` says how).
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import Callable

from core.ai.provider import FallbackReason, fallback_reason
from core.resume.redaction import redact_contact_details
from core.jd.custom import offline_custom_jd_handler
from core.jd.guardrails import _default_extractor, _scrub_text, _sentences, check_request, enforce
from core.jd.knowledge import family_query, retrieve_sections
from core.jd.model import (JOB_FAMILIES, JOB_LEVELS, LIST_SECTIONS, SECTIONS, Company, JdDraft, job_title,
                           section_for_heading, split_items)
from core.jd.prepare import STYLES, _sentences_in, instant_drafts, source_index
from core.jd.queue import JobContext, LeaseLost
from core.jd.templates import generic_responsibilities, skills_preferred, skills_requirement, summary_sentence

log = logging.getLogger(__name__)

# How much of the company's material one generation sends (see module docstring).
MAX_REQUIRED_SKILLS = 8
MAX_PREFERRED_SKILLS = 5
MAX_RESPONSIBILITIES = 7
MAX_BENEFITS = 6
DOC_SECTIONS_K = 2
DOC_SECTION_CHARS = 500


# ---- the streamed format ----------------------------------------------------------------------------------------------
def format_jd_text(draft: JdDraft) -> str:
    """A draft in the format the model is asked to stream: `## section` blocks in SECTIONS order."""
    blocks = []
    for section in SECTIONS:
        body = draft.section_text(section)
        if body:
            blocks.append(f"## {section}\n{body}\n")
    return "\n".join(blocks)


_HEADING_LINE = re.compile(r"^\s*(?:#{1,6}\s*(?P<hash>.+?)\s*#*|\*\*(?P<bold>[^*]{2,40})\*\*\s*:?)\s*$")


def _section_named(heading: str) -> str | None:
    key = re.sub(r"[\s\-]+", "_", heading.strip().strip("*:[]").strip().lower())
    if key in SECTIONS:
        return key
    if key in ("position", "job_title", "포지션명", "직무명", "제목"):
        return "title"
    return section_for_heading(heading)


class JdStreamParser:
    """Reads the streamed `## section` format chunk by chunk and says when each section is complete (the next
    heading started, or the stream ended). Tolerant: sections may be missing, repeated or out of order; headings may
    be `## Summary`, `## 자격 요건` or `**requirements**`; unknown headings and text before the first heading are
    ignored."""

    def __init__(self) -> None:
        self._buffer = ""
        self._current: str | None = None
        self._lines: dict[str, list[str]] = {}
        self.completed: list[str] = []

    def feed(self, chunk: str) -> list[str]:
        """The sections this chunk completed, in order."""
        self._buffer += chunk or ""
        done: list[str] = []
        while "\n" in self._buffer:
            line, self._buffer = self._buffer.split("\n", 1)
            done += self._line(line)
        return done

    def finish(self) -> list[str]:
        done = self._line(self._buffer) if self._buffer else []
        self._buffer = ""
        return done + self._close()

    def _line(self, line: str) -> list[str]:
        match = _HEADING_LINE.match(line)
        if match:
            name = _section_named(match.group("hash") or match.group("bold"))
            if name is not None:
                done = self._close()
                self._current = name
                self._lines.setdefault(name, [])
                return done
            if match.group("hash"):
                return []              # a sub-heading of its own ("### Tech stack"): the items under it still count
        if self._current is not None:
            self._lines[self._current].append(line)
        return []

    def _close(self) -> list[str]:
        name, self._current = self._current, None
        if name is None or name in self.completed or not self.value(name):
            return []
        self.completed.append(name)
        return [name]

    def value(self, section: str):
        """A section as a draft holds it: bullet items for list sections, one line for the title, else prose."""
        lines = [line.strip() for line in self._lines.get(section, []) if line.strip()]
        if section in LIST_SECTIONS:
            return split_items("\n".join(lines))
        items = split_items("\n".join(lines))
        if section == "title":
            return items[0].strip("*# ") if items else ""
        return " ".join(items)

    def values(self) -> dict:
        """Every section that has content (completed or not)."""
        return {s: self.value(s) for s in SECTIONS if self.value(s)}


def parse_jd_text(text: str) -> dict:
    """{section: value} for the sections present in a whole generated text (see JdStreamParser)."""
    parser = JdStreamParser()
    parser.feed(text)
    parser.finish()
    return parser.values()


def draft_from_sections(values: dict, base: JdDraft) -> tuple[JdDraft, list[str]]:
    """`base` with the parsed sections in place; (draft, the sections that were missing and kept from `base`)."""
    missing = [s for s in SECTIONS if not values.get(s)]
    return replace(base, **{s: values[s] for s in SECTIONS if values.get(s)}), missing


# ---- the context ----------------------------------------------------------------------------------------------------------
def _scrub_value(value, company: Company | None, lang: str):
    """A section as it may be shown before the final guardrails: no confidential names, no contact details."""
    if isinstance(value, list):
        return [_scrub_value(item, company, lang) for item in value]
    if not isinstance(value, str):
        return value
    return redact_contact_details(scrub_sensitive(value, company, lang))[0]


def scrub_sensitive(text: str, company: Company | None, lang: str) -> str:
    """Text without the company's sensitive entities (generic names instead, or the sentence dropped), so they are
    never sent to a model at all."""
    if not text or company is None or not company.sensitive_entities:
        return text or ""
    kept = [_scrub_text(s, list(company.sensitive_entities), "context", lang, []) for s in _sentences(text)]
    return " ".join(s for s in kept if s)


def _trim(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in (". ", "다. ", "요. ", "。"))
    return text[:cut + 1] if cut > limit // 2 else text[:limit].rsplit(" ", 1)[0]


def _request_text(payload: dict) -> str:
    return (payload.get("rewritten") or payload.get("brief") or "").strip()


def generation_context(store, company: Company, payload: dict, instant, extractor, lang: str,
                       k: int = DOC_SECTIONS_K, section_chars: int = DOC_SECTION_CHARS) -> dict:
    """What a custom JD may draw on (the keys core.ai.prompts.jd_material sends), plus "template": the template
    draft, used only by the offline provider and never sent."""
    family = JOB_FAMILIES[payload["family"]]
    level = JOB_LEVELS[payload["level"].upper()]
    taxonomy = extractor.taxonomy
    template: JdDraft = instant.drafts[STYLES.index("detailed")]
    years = payload.get("years")
    years_phrase = ((f"경력 {years}년 이상" if lang == "ko" else f"{years}+ years") if years
                    else level.years_phrase(lang))

    def stats(key: str, n: int) -> list[dict]:
        return [{"name": taxonomy.name(s["id"], lang), "share": s.get("share")}
                for s in (instant.skills.get(key) or [])[:n] if taxonomy.get(s["id"])]

    def clean(text: str) -> str:
        return scrub_sensitive(text, company, lang)

    def in_lang(text: str) -> str:
        """Bilingual company text ("마켓온은 ... Marketon is ...") sent once, in the language being written."""
        return " ".join(_sentences_in(text, lang)) or text or ""

    request = _request_text(payload)
    query = family_query(family, level, taxonomy) + "\n" + request
    sections = []
    for hit in retrieve_sections(store, company.id, query, k=k):
        text = clean(_trim(hit.chunk.text, section_chars))
        if text:
            sections.append({"heading": hit.chunk.heading.split(" > ")[-1], "text": text})
    responsibilities = list(instant.material.get("responsibilities") or template.responsibilities)
    benefits = [b for b in company.benefits if b] or list(template.benefits)
    return {
        "company": company.name,
        "description": clean(in_lang(company.description)),
        "ideal_candidate": clean(in_lang(company.ideal_candidate)),
        "role": f"{family.name(lang)}, {level.code} {level.name(lang)}, {years_phrase}",
        "title": job_title(family, level, lang),
        "skills_required": stats("required", MAX_REQUIRED_SKILLS),
        "skills_preferred": stats("preferred", MAX_PREFERRED_SKILLS),
        "responsibilities": [c for c in (clean(r) for r in responsibilities[:MAX_RESPONSIBILITIES]) if c],
        "benefits": [c for c in (clean(b) for b in benefits[:MAX_BENEFITS]) if c],
        "sections": sections,
        "sensitive": bool(company.sensitive_entities),    # whether to warn; the names themselves never leave
        "request": clean(request),
        "template": template.to_dict(),
    }


def section_context(store, draft: JdDraft, company: Company | None, extractor, material: dict | None = None) -> dict:
    """The little a one-section rewrite needs: the role, the skill statistics and the forbidden names."""
    lang = draft.lang
    family, level = JOB_FAMILIES.get(draft.family), JOB_LEVELS.get(draft.level)
    role = ", ".join(x for x in (family.name(lang) if family else "", f"{level.code} {level.name(lang)}" if level
                                 else "") if x)
    prepared = (store.load_prepared(draft.company_id, draft.family, draft.level)
                if draft.company_id and draft.family and draft.level else None) or {}
    taxonomy = extractor.taxonomy

    def stats(key: str, n: int) -> list[dict]:
        return [{"name": taxonomy.name(s["id"], lang), "share": s.get("share")}
                for s in (prepared.get(key) or [])[:n] if taxonomy.get(s["id"])]

    return {"role": role, "skills_required": stats("required_skills", MAX_REQUIRED_SKILLS),
            "skills_preferred": stats("preferred_skills", MAX_PREFERRED_SKILLS),
            "sensitive": bool(company and company.sensitive_entities),   # a flag: the names never leave
            "material": dict(material or {})}


def template_from_context(context: dict, lang: str) -> JdDraft:
    """The template draft in a context, or one built from the context alone (the offline provider's answer)."""
    if context.get("template"):
        return JdDraft.from_dict(context["template"])
    title = context.get("title") or ""
    required = [s["name"] for s in context.get("skills_required") or []][:4]
    preferred = [s["name"] for s in context.get("skills_preferred") or []][:3]
    return JdDraft(
        title=title, summary=summary_sentence(context.get("company") or "", title, lang),
        responsibilities=list(context.get("responsibilities") or generic_responsibilities("business", title, lang)),
        requirements=[skills_requirement(required, lang)] if required else [],
        preferred=[skills_preferred(preferred, lang)] if preferred else [],
        benefits=list(context.get("benefits") or []), ideal_candidate=context.get("ideal_candidate") or "",
        style="custom", lang=lang, source="template")


# ---- the token budget -------------------------------------------------------------------------------------------------------
def utc_day() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def tokens_used(store, day: str | None = None) -> int:
    """Prompt and output tokens of every model on a UTC day (YYYY-MM-DD; today by default), as stored."""
    return sum(int(r.get("prompt_tokens") or 0) + int(r.get("output_tokens") or 0)
               for r in store.ai_usage(day or utc_day()))


def budget_ok(store, budget: int | None, day: str | None = None) -> bool:
    """Whether model calls may go on today: no budget (None or 0) means no limit."""
    return not budget or budget <= 0 or tokens_used(store, day) < budget


# ---- the job handler ----------------------------------------------------------------------------------------------------------
def model_custom_jd_handler(provider, store, extractor=None, *, daily_token_budget: int | None = None,
                            day: Callable[[], str] = utc_day):
    """A "custom_jd" job handler that streams the JD from `provider.generate_jd`, records each section in the job as
    it completes (`progress`: {"sections": [...], "draft": {...}, "source": ...}), fills any missing section from
    the template draft, runs the output guardrails and stores the result. Past the daily token budget, or when the
    model fails, the result is the template draft (see module docstring)."""
    from core.ai.runner import iterate_sync, run_sync

    offline = offline_custom_jd_handler(store, extractor)

    def handle(payload: dict, ctx: JobContext) -> dict:
        ex = extractor or _default_extractor()
        verdict = check_request(payload.get("brief", ""), context="notes")
        if not verdict.ok:
            return {"declined": verdict.kind, "message": verdict.message()}
        if not budget_ok(store, daily_token_budget, day()):
            log.info("job %s: past the daily token budget (%s); template path", ctx.job.id, daily_token_budget)
            return {**offline(payload, ctx), "degraded": "budget"}
        instant = instant_drafts(store, payload["company_id"], payload["family"], payload["level"],
                                 notes=payload.get("brief", ""), lang=payload.get("lang") or None, extractor=ex)
        if not instant.ok:
            return {"error": instant.error or "no_drafts"}
        company = store.get_company(payload["company_id"])
        # The model writes in the language asked for, even where the company's material is in another one.
        lang = payload.get("lang") if payload.get("lang") in ("ko", "en") else instant.lang
        template = JdDraft.from_dict({**instant.drafts[STYLES.index("detailed")].to_dict(), "style": "custom",
                                      "source": "template"})
        context = generation_context(store, company, payload, instant, ex, lang)

        parser = JdStreamParser()
        source, model, note, reason = "offline", "", "", None

        def report(sections: list[str]) -> None:
            values = parser.values()
            for section in sections:
                done = parser.completed[:parser.completed.index(section) + 1]
                # Shown live in the requester's message, so scrubbed like the final draft (confidential names).
                shown = {s: _scrub_value(values[s], company, lang) for s in done}
                ctx.progress({"sections": done, "source": source, "draft": shown})
                ctx.check()

        try:
            stream = run_sync(provider.generate_jd(payload, context, lang))
            source, model = stream.source, stream.model
            for chunk in iterate_sync(stream):
                report(parser.feed(chunk))
            report(parser.finish())
            note, reason = stream.note, stream.reason
        except LeaseLost:
            raise
        except Exception as exc:   # noqa: BLE001 - a model failure degrades to the template, it never fails the job
            log.warning("job %s: generation failed (%s); keeping what came and the template", ctx.job.id, exc)
            note = f"{type(exc).__name__}: {exc}"[:200]        # for the log and the job record, never the card
            reason = fallback_reason(exc)
            report(parser.finish())

        used_model = source not in ("offline", "template") and bool(parser.values())
        if source not in ("offline", "template") and not used_model and not note:
            note = f"{source} answered without any section"
            reason = FallbackReason("bad_output", model)
        if used_model:
            draft, missing = draft_from_sections(parser.values(), template)
            draft = replace(draft, lang=lang, source=source, basis={**template.basis, "model": model})
        else:
            draft, missing = template, []
        index = source_index(company, store.list_postings(company.id), store.list_doc_chunks(company.id), ex)
        index = index.extended("\n".join(t for t in (payload.get("brief", ""), payload.get("rewritten", "")) if t), ex)
        clean, findings = enforce(draft, company, index, ex)
        result = {"draft": clean.to_dict(), "findings": [f.to_dict() for f in findings],
                  "source": source if used_model else "template", "model": model if used_model else "",
                  "note": note, "filled_from_template": missing if used_model else [],
                  "reason": asdict(reason) if reason is not None and not used_model else None,
                  "fallback": instant.fallback, "unapplied": [] if used_model else instant.unapplied_notes}
        if not used_model and note:
            result["degraded"] = "unavailable"
        return result

    return handle


__all__ = ["JdStreamParser", "budget_ok", "draft_from_sections", "format_jd_text", "generation_context",
           "model_custom_jd_handler", "parse_jd_text", "scrub_sensitive", "section_context", "template_from_context",
           "tokens_used"]
