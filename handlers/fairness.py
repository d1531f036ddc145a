"""`fairness report` / `공정성 리포트` (HR only): the impact-ratio report as a card, with its chart."""
from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

from cards.model import Card, Context, Divider, Header, Image, Text
from core.domain import Role
from core.impact_report import TEXT, FairnessReports, ImpactReport, row_line
from handlers.find_candidates import notice
from handlers.requests import Reply, Request

_REPORT = re.compile(r"^\s*/?(?:fairness[\s-]+report|bias[\s-]+audit|impact[\s-]+ratios?|공정성\s*(?:리포트|보고서)"
                     r"|영향\s*비율\s*(?:리포트|보고서)?)(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FairnessReportHandler:
    def __init__(self, service: FairnessReports, chart_dir: Path):
        self.service = service
        self.chart_dir = Path(chart_dir)

    def handle_text(self, request: Request, text: str, lang: str) -> Reply | None:
        match = _REPORT.match(text or "")
        if not match:
            return None
        if request.actor.role != Role.HR_ADMIN:
            return notice(lang, "fairness_hr_only")
        if not request.private:
            return notice(lang, "private_only")
        try:
            days = [date.fromisoformat(d) for d in _DATE.findall(match.group("rest"))]
            since, until = (days + [None, None])[:2] if len(days) != 1 else (days[0], None)
            report = self.service.report(request.actor, since, until, channel=request.platform)
        except ValueError as exc:
            return notice(lang, "fairness_bad_dates", why=str(exc))
        return Reply([self.card(report, lang, request.platform)], lang=lang)

    def card(self, report: ImpactReport, lang: str, platform: str = "local") -> Card:
        from core.impact_chart import render_chart
        from handlers.messages import t

        title = TEXT["title"][lang]
        card = Card(fallback=title)
        card.add(Header(title), Context(TEXT["period"][lang].format(
            since=report.since, until=report.until, people=report.people,
            population=TEXT[f"population_{report.population}"][lang], with_demo=report.people_with_demographics,
            min=report.min_group_size)))
        if not report.categories:
            return card.add(Text(TEXT["none"][lang]))
        flags = len(report.flagged)
        card.add(Text("**" + (t("fairness_flags", lang, n=flags) if flags else t("fairness_no_flags", lang)) + "**"))
        for stage in report.stages:
            lines = [f"**{stage.label[lang]}**", TEXT["header"][lang]]
            for category in report.categories:
                lines.append(f"_{category}_")
                for row in (r for r in stage.rows if r.category == category):
                    line = "• " + row_line(row, lang)
                    lines.append(f"**{line}**" if row.below_four_fifths else line)
            card.add(Divider(), Text("\n".join(lines)))
        png = render_chart(report, lang, small=True)
        self.chart_dir.mkdir(parents=True, exist_ok=True)
        path = self.chart_dir / f"fairness-impact-ratios-{report.since}-{report.until}-{lang}.png"
        path.write_bytes(png)
        alt = t("fairness_chart_elsewhere" if platform == "slack" else "fairness_chart_alt", lang)
        card.add(Divider(), Image(alt=alt, url="data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                                  path=str(path)))
        return card.add(Context(TEXT["caveat"][lang]))
