"""The weekly digest's presenter: the words, the Markdown (preview, local chat), the charts (PNG, alt text) and the
chat cards, in the reader's language. core/digest.py decides what a digest holds; this module only says it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cards.model import Card, Context, Divider, Header, Image, Text
from core.digest import Digest
from core.domain import Role
from handlers.messages import t

FUNNEL_STAGES = ("interested", "shortlisted", "approved", "moved")
PENDING_SHOWN = 15


@dataclass(frozen=True)
class Chart:
    name: str            # "supply" / "optin"
    title: str
    alt: str
    png: bytes

    def filename(self, digest: Digest) -> str:
        return f"digest-{digest.person_id}-{digest.week_of}-{self.name}-{digest.lang}.png"


def chart_alt_text(digest: Digest, chart: str) -> str:
    lang = digest.lang
    if chart == "supply":
        rows = "; ".join(f"{s.name}: {s.openings} / {s.people}" for s in digest.skills)
        return t("digest_alt_supply", lang, rows=rows)
    rows = "; ".join(f"{d.department}: {round(100 * d.rate)}%" for d in digest.optin)
    return t("digest_alt_optin", lang, rows=rows)


def has_optin_chart(digest: Digest) -> bool:
    return any(d.open_to_moves for d in digest.optin)


def render_charts(digest: Digest, small: bool = False) -> list[Chart]:
    """The charts that have something to show, as PNGs with their titles and alt text. Every HR admin reading in
    one language sees the same numbers, so the same charts are drawn once per run, not once per reader."""
    key = (digest.lang, small, tuple(digest.skills), tuple(digest.optin))
    found = _drawn.get(key)
    if found is None:
        found = _drawn[key] = _draw(digest, small)
        while len(_drawn) > 16:
            _drawn.pop(next(iter(_drawn)))
    return list(found)


_drawn: dict[tuple, list[Chart]] = {}


def _draw(digest: Digest, small: bool) -> list[Chart]:
    from core.impact_chart import render_bars

    lang, charts = digest.lang, []
    if digest.skills:
        title = t("digest_supply_demand", lang)
        png = render_bars(title, [s.name for s in digest.skills],
                          [(t("digest_asked", lang), [s.openings for s in digest.skills]),
                           (t("digest_people", lang), [s.people for s in digest.skills])], small=small)
        charts.append(Chart("supply", title, chart_alt_text(digest, "supply"), png))
    if has_optin_chart(digest):
        title, axis = t("digest_optin", lang), t("digest_optin_axis", lang)
        png = render_bars(title, [d.department for d in digest.optin],
                          [(axis, [round(100 * d.rate, 1) for d in digest.optin])], axis_label=axis, small=small)
        charts.append(Chart("optin", title, chart_alt_text(digest, "optin"), png))
    return charts


# ---- the sections, as (heading, lines) pairs: one wording for Markdown and cards ------------------------------------
def _sections(digest: Digest) -> list[tuple[str, str | None, list[str]]]:
    """(heading, chart name or None, bullet lines) in reading order; only sections with something to say."""
    lang, out = digest.lang, []
    if digest.skills:
        out.append((t("digest_supply_demand", lang), "supply",
                    [f"{s.name}: {t('digest_asked', lang)} {s.openings} · {t('digest_people', lang)} {s.people}"
                     for s in digest.skills]))
    if has_optin_chart(digest):
        out.append((t("digest_optin", lang), "optin",
                    [f"{d.department}: {d.open_to_moves}/{d.people} ({round(100 * d.rate)}%)" for d in digest.optin]))
    if digest.pending:
        out.append((f"{t('digest_pending', lang)} ({len(digest.pending)})", None,
                    [f"{p.title or p.jd_id} (`{p.jd_id}`): {t('digest_waiting', lang, days=p.days_waiting)}"
                     for p in digest.pending[:PENDING_SHOWN]]))
    if digest.role == Role.HR_ADMIN and digest.ai_week_tokens:
        budget = f"{digest.ai_budget:,}" if digest.ai_budget else t("digest_no_budget", lang)
        out.append((t("digest_ai", lang), None, [t("digest_ai_line", lang, week=digest.ai_week_tokens,
                                                   today=digest.ai_today_tokens, budget=budget)]))
    feedback = digest.feedback
    if feedback is not None and feedback.says_something():
        now, before = feedback.this_week, feedback.last_week
        ratio = now.ratio
        lines = [t("digest_feedback_ratio", lang, up=now.up, down=now.down, share=round(100 * ratio))
                 if ratio is not None else t("digest_feedback_no_votes", lang)]
        for stage in FUNNEL_STAGES:
            lines.append(t("digest_funnel_line", lang, stage=t(f"digest_stage_{stage}", lang),
                           now=getattr(now.funnel, stage), before=getattr(before.funnel, stage)))
        out.append((t("digest_feedback", lang), None, lines))
    if digest.newly_strong:
        out.append((f"{t('digest_newly_strong', lang)} ({len(digest.newly_strong)})", None,
                    [t("digest_strong_line", lang, name=s.person.display_name, id=s.person.employee_id,
                       title=s.person.title, dept=s.person.department, score=s.score, query=s.query)
                     for s in digest.newly_strong]))
    if digest.newly_open:
        out.append((f"{t('digest_newly_open', lang)} ({len(digest.newly_open)})", None,
                    [f"{p.display_name} ({p.employee_id}) · {p.title} · {p.department}" for p in digest.newly_open]))
    if digest.interest:
        out.append((f"{t('digest_interest', lang)} ({len(digest.interest)})", None,
                    [f"{i.person.display_name} ({i.person.employee_id}) · {i.person.title} → {i.opening_title} "
                     f"(`{i.opening_id}`)" for i in digest.interest]))
    if digest.shortlist_changed:            # a shortlist that stayed the same is no news
        lines = [t("digest_shortlist_added", lang, name=p.display_name, id=p.employee_id, title=p.title)
                 for p in digest.shortlist_added]
        if digest.shortlist_left:
            lines.append(t("digest_shortlist_left", lang, n=digest.shortlist_left))
        out.append((t("digest_shortlist_changes", lang, now=len(digest.shortlist), before=digest.shortlist_week_ago),
                    None, lines))
    if digest.openings:
        lines = []
        for o in digest.openings:
            parts = [f"{o.title} (`{o.opening_id}`) · {o.company} · {o.level}",
                     t("digest_opening_fit", lang, score=o.score, band=o.band)]
            if o.skills:
                parts.append(t("digest_opening_skills", lang, skills=", ".join(o.skills)))
            if o.missing:
                parts.append(t("digest_opening_missing", lang, skills=", ".join(o.missing)))
            lines.append(" · ".join(parts))
        out.append((t("digest_openings", lang), None, lines + [t("digest_openings_more", lang)]))
    return out


def render_markdown(digest: Digest, charts: dict[str, str] | None = None) -> str:
    """The message as Markdown; `charts` maps a chart name ("supply", "optin") to the image file to link."""
    charts = charts or {}
    out = [f"# {t('digest_title', digest.lang)} ({digest.week_of})", ""]
    for heading, chart, lines in _sections(digest):
        out += [f"## {heading}", ""]
        if chart in charts:
            out += [f"![{chart_alt_text(digest, chart)}]({charts[chart]})", ""]
        out += [f"- {line}" for line in lines] + [""]
    return "\n".join(out)


def render_cards(digest: Digest, images: dict[str, str] | None = None, attached: list[Chart] = ()) -> list[Card]:
    """The digest as one chat card. `images` maps a chart name to a URL the platform shows inline (Teams: a signed
    link to our server, or a data: URI); `attached` lists charts sent beside the message (Slack file uploads)."""
    lang, images = digest.lang, images or {}
    title = f"{t('digest_title', lang)} ({digest.week_of})"
    card = Card(fallback=title)
    card.add(Header(title))
    for heading, chart, lines in _sections(digest):
        card.add(Divider(), Text(f"**{heading}**\n" + "\n".join(f"• {line}" for line in lines)))
        if chart in images:
            card.add(Image(alt=chart_alt_text(digest, chart), url=images[chart]))
    if attached:
        card.add(Context(t("digest_charts_attached", lang, names=", ".join(c.title for c in attached))))
    return [card.add(Divider(), Context(t("digest_footer", lang)))]


def write_preview(digest: Digest, directory, charts: list[Chart] | None = None) -> list[Path]:
    """Write the Markdown and its PNGs into `directory`; the paths written, the Markdown first."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written, links = [], {}
    for chart in (render_charts(digest) if charts is None else charts):
        path = directory / chart.filename(digest)
        path.write_bytes(chart.png)
        written.append(path)
        links[chart.name] = path.name
    md = directory / f"digest-{digest.person_id}-{digest.week_of}-{digest.lang}.md"
    md.write_text(render_markdown(digest, links), encoding="utf-8")
    return [md] + written
