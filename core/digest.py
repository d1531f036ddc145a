"""The weekly talent digest as typed data: what one person would read this week, in their language.

HR admins get the talent pool (skills open openings ask for vs how many people show them, opt-in rate by department,
JDs waiting for approval and for how long, AI usage against the daily token budget). Managers get people newly open
to moves and their shortlist, only people they may see (core.access). Employees get nothing yet: the openings ranking
for employees (issue 11) is not on main. A digest that would say nothing is None, so nobody gets an empty message.
Rendering (Markdown, charts) lives in render_markdown and core.impact_chart; delivery lives outside core.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from core.access import can_view
from core.domain import Employee, Role
from core.feedback import weekly_feedback
from core.jd.generation import tokens_used
from core.text import person_language

WEEK = timedelta(days=7)

TEXT = {
    "title": {"en": "Weekly talent digest", "ko": "주간 인재 다이제스트"},
    "supply_demand": {"en": "Skills: openings ask vs people show", "ko": "스킬: 채용 수요 대 보유 인원"},
    "asked": {"en": "open openings asking", "ko": "요구하는 채용 공고"},
    "people": {"en": "people showing it", "ko": "보유 인원"},
    "optin": {"en": "Open to internal moves by department", "ko": "부서별 사내 이동 희망 비율"},
    "optin_axis": {"en": "share open to moves (%)", "ko": "이동 희망 비율 (%)"},
    "pending": {"en": "JDs waiting for approval", "ko": "승인 대기 중인 JD"},
    "waiting": {"en": "waiting {days} days", "ko": "{days}일째 대기"},
    "ai": {"en": "AI usage", "ko": "AI 사용량"},
    "ai_line": {"en": "{week:,} tokens this week; today {today:,} of the daily budget {budget}",
                "ko": "이번 주 {week:,} 토큰, 오늘 {today:,} / 일일 한도 {budget}"},
    "no_budget": {"en": "none", "ko": "없음"},
    "newly_open": {"en": "Open to moves, profile updated this week", "ko": "이번 주 프로필을 갱신한 이동 희망자"},
    "shortlist": {"en": "Your shortlist", "ko": "내 후보 목록"},
    "shortlist_gone": {"en": "{n} shortlisted people are no longer open to moves",
                       "ko": "후보 목록 중 {n}명이 더 이상 이동을 희망하지 않습니다"},
    "alt_supply": {"en": "Bar chart: for each skill, open openings asking for it and people showing it. {rows}",
                   "ko": "막대 차트: 스킬별 요구 공고 수와 보유 인원. {rows}"},
    "alt_optin": {"en": "Bar chart: share of people open to moves per department. {rows}",
                  "ko": "막대 차트: 부서별 이동 희망 비율. {rows}"},
}


@dataclass(frozen=True)
class SkillDemand:
    skill_id: str
    name: str
    openings: int       # open openings whose JD asks for it
    people: int         # people (visible to the reader) whose profile shows it


@dataclass(frozen=True)
class DeptOptIn:
    department: str
    people: int
    open_to_moves: int

    @property
    def rate(self) -> float:
        return self.open_to_moves / self.people if self.people else 0.0


@dataclass(frozen=True)
class PendingJd:
    jd_id: str
    title: str
    days_waiting: int


@dataclass(frozen=True)
class PersonLine:
    employee_id: str
    display_name: str
    title: str
    department: str


@dataclass
class Digest:
    person_id: str
    role: Role
    lang: str
    week_of: str                                       # ISO date of the week's Monday
    skills: list[SkillDemand] = field(default_factory=list)
    optin: list[DeptOptIn] = field(default_factory=list)
    pending: list[PendingJd] = field(default_factory=list)
    ai_week_tokens: int = 0
    ai_today_tokens: int = 0
    ai_budget: int = 0
    newly_open: list[PersonLine] = field(default_factory=list)
    shortlist: list[PersonLine] = field(default_factory=list)
    shortlist_gone: int = 0
    feedback: object = None    # HR: core.feedback.FeedbackWeek (👍/👎 ratio, mobility funnel, week over week)

    def says_something(self) -> bool:
        return bool(self.skills or self.pending or self.ai_week_tokens or self.newly_open or self.shortlist
                    or self.shortlist_gone or any(d.open_to_moves for d in self.optin))


def week_start(now: datetime) -> str:
    return (now.date() - timedelta(days=now.weekday())).isoformat()


def _parse(at: str) -> datetime | None:
    try:
        value = datetime.fromisoformat((at or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _line(e: Employee) -> PersonLine:
    return PersonLine(e.id, e.display_name, e.title, e.department)


class DigestBuilder:
    """Builds one person's digest from the store (employees, JDs, openings, AI usage) and the skills taxonomy."""

    def __init__(self, store, taxonomy, daily_token_budget: int = 0, top_skills: int = 8):
        self.store = store
        self.taxonomy = taxonomy
        self.daily_token_budget = daily_token_budget
        self.top_skills = top_skills

    def build(self, person: Employee, now: datetime | None = None, lang: str | None = None,
              employees: list[Employee] | None = None) -> Digest | None:
        now = now or datetime.now(timezone.utc)
        lang = lang if lang in ("en", "ko") else person_language(person.languages, person.display_name)
        digest = Digest(person.id, person.role, lang, week_start(now))
        if person.role == Role.HR_ADMIN:
            self._hr(digest, employees if employees is not None else self.store.list_employees(), now)
        elif person.role == Role.MANAGER:
            self._manager(digest, person, employees if employees is not None else self.store.list_employees(), now)
        return digest if digest.says_something() else None

    # ---- HR admins ----------------------------------------------------------------------------------------------
    def _hr(self, digest: Digest, employees: list[Employee], now: datetime) -> None:
        asked: Counter[str] = Counter()
        for opening in self.store.list_openings(status="open"):
            jd = self.store.get_jd(opening.jd_id)
            if jd is not None:
                asked.update(dict.fromkeys(jd.draft.required_skills + jd.draft.preferred_skills, 1))
        shown: Counter[str] = Counter()
        for e in employees:
            shown.update(set(e.skill_ids))
        digest.skills = [SkillDemand(sid, self.taxonomy.name(sid, digest.lang), n, shown.get(sid, 0))
                         for sid, n in sorted(asked.items(), key=lambda kv: (-kv[1], kv[0]))[:self.top_skills]]
        by_dept: dict[str, list[int]] = {}
        for e in employees:
            counts = by_dept.setdefault(e.department or "—", [0, 0])
            counts[0] += 1
            counts[1] += int(e.open_to_moves)
        digest.optin = [DeptOptIn(d, n, o) for d, (n, o) in sorted(by_dept.items())]
        pending = []
        for jd in self.store.list_jds(status="pending_approval", limit=1000):
            since = _parse(jd.updated_at) or now
            pending.append(PendingJd(jd.id, jd.title, max(0, (now - since).days)))
        digest.pending = sorted(pending, key=lambda p: (-p.days_waiting, p.jd_id))
        today = now.date()
        for back in range(7):
            day = (today - timedelta(days=back)).isoformat()
            tokens = tokens_used(self.store, day)
            digest.ai_week_tokens += tokens
            if back == 0:
                digest.ai_today_tokens = tokens
        digest.ai_budget = self.daily_token_budget
        digest.feedback = weekly_feedback(self.store, now)     # the feedback loop's numbers (core/feedback.py)

    # ---- managers ----------------------------------------------------------------------------------------------
    def _manager(self, digest: Digest, manager: Employee, employees: list[Employee], now: datetime) -> None:
        since = now - WEEK
        visible = [e for e in employees if can_view(manager, e)]
        digest.newly_open = [_line(e) for e in visible
                             if (_parse(e.updated_at) or datetime.min.replace(tzinfo=timezone.utc)) >= since][:20]
        by_id = {e.id: e for e in employees}
        listed = self.store.shortlist(manager.id)
        digest.shortlist = [_line(by_id[i]) for i in listed if i in by_id and can_view(manager, by_id[i])]
        digest.shortlist_gone = sum(1 for i in listed if i not in by_id or not can_view(manager, by_id[i]))


def chart_alt_text(digest: Digest, chart: str) -> str:
    lang = digest.lang
    if chart == "supply":
        rows = "; ".join(f"{s.name}: {s.openings} / {s.people}" for s in digest.skills)
        return TEXT["alt_supply"][lang].format(rows=rows)
    rows = "; ".join(f"{d.department}: {round(100 * d.rate)}%" for d in digest.optin)
    return TEXT["alt_optin"][lang].format(rows=rows)


def render_markdown(digest: Digest, charts: dict[str, str] | None = None) -> str:
    """The message as Markdown; `charts` maps a chart name ("supply", "optin") to the image file to link."""
    lang, charts = digest.lang, charts or {}
    out = [f"# {TEXT['title'][lang]} ({digest.week_of})", ""]
    if digest.skills:
        out += [f"## {TEXT['supply_demand'][lang]}", ""]
        if "supply" in charts:
            out += [f"![{chart_alt_text(digest, 'supply')}]({charts['supply']})", ""]
        out += [f"- {s.name}: {TEXT['asked'][lang]} {s.openings} · {TEXT['people'][lang]} {s.people}"
                for s in digest.skills] + [""]
    if any(d.open_to_moves for d in digest.optin):
        out += [f"## {TEXT['optin'][lang]}", ""]
        if "optin" in charts:
            out += [f"![{chart_alt_text(digest, 'optin')}]({charts['optin']})", ""]
        out += [f"- {d.department}: {d.open_to_moves}/{d.people} ({round(100 * d.rate)}%)" for d in digest.optin]
        out += [""]
    if digest.pending:
        out += [f"## {TEXT['pending'][lang]} ({len(digest.pending)})", ""]
        out += [f"- {p.title or p.jd_id} (`{p.jd_id}`): {TEXT['waiting'][lang].format(days=p.days_waiting)}"
                for p in digest.pending[:15]] + [""]
    if digest.role == Role.HR_ADMIN and digest.ai_week_tokens:
        budget = f"{digest.ai_budget:,}" if digest.ai_budget else TEXT["no_budget"][lang]
        out += [f"## {TEXT['ai'][lang]}", "", TEXT["ai_line"][lang].format(week=digest.ai_week_tokens,
                                                                         today=digest.ai_today_tokens, budget=budget), ""]
    if digest.newly_open:
        out += [f"## {TEXT['newly_open'][lang]} ({len(digest.newly_open)})", ""]
        out += [f"- {p.display_name} ({p.employee_id}) · {p.title} · {p.department}" for p in digest.newly_open] + [""]
    if digest.shortlist or digest.shortlist_gone:
        out += [f"## {TEXT['shortlist'][lang]} ({len(digest.shortlist)})", ""]
        out += [f"- {p.display_name} ({p.employee_id}) · {p.title}" for p in digest.shortlist]
        if digest.shortlist_gone:
            out += [f"- {TEXT['shortlist_gone'][lang].format(n=digest.shortlist_gone)}"]
        out += [""]
    return "\n".join(out)


def render_charts(digest: Digest, small: bool = False) -> dict[str, bytes]:
    """PNG bytes per chart name, only for charts that have something to show."""
    from core.impact_chart import render_bars

    lang, charts = digest.lang, {}
    if digest.skills:
        charts["supply"] = render_bars(TEXT["supply_demand"][lang], [s.name for s in digest.skills],
                                       [(TEXT["asked"][lang], [s.openings for s in digest.skills]),
                                        (TEXT["people"][lang], [s.people for s in digest.skills])], small=small)
    if any(d.open_to_moves for d in digest.optin):
        charts["optin"] = render_bars(TEXT["optin"][lang], [d.department for d in digest.optin],
                                      [(TEXT["optin_axis"][lang], [round(100 * d.rate, 1) for d in digest.optin])],
                                      axis_label=TEXT["optin_axis"][lang], small=small)
    return charts


def write_preview(digest: Digest, directory) -> list:
    """Write digest.md and its PNGs into `directory`; the paths written, the Markdown first."""
    from pathlib import Path

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written, links = [], {}
    for name, png in render_charts(digest).items():
        path = directory / f"digest-{digest.person_id}-{digest.week_of}-{name}-{digest.lang}.png"
        path.write_bytes(png)
        written.append(path)
        links[name] = path.name
    md = directory / f"digest-{digest.person_id}-{digest.week_of}-{digest.lang}.md"
    md.write_text(render_markdown(digest, links), encoding="utf-8")
    return [md] + written


@dataclass
class RunReport:
    week: str
    sent: list[str] = field(default_factory=list)
    quiet: int = 0                 # nothing to say this week
    off: int = 0                   # turned digests off
    already: int = 0               # this week's digest was sent before (an earlier run, another instance)
    failed: dict[str, str] = field(default_factory=dict)     # person id -> reason; retried by the next run

    def summary(self) -> str:
        return (f"week of {self.week}: {len(self.sent)} sent, {self.already} already sent, {self.quiet} with nothing "
                f"to say, {self.off} turned off, {len(self.failed)} failed (retried next run)")


def run_weekly(store, builder: DigestBuilder, deliver, now: datetime | None = None, renew=lambda: True) -> RunReport:
    """Send this week's digest to everyone who has something to read, once per person and week.

    `deliver(person, digest)` sends one message and raises on failure; a failure is logged in the report, leaves no
    marker (the next run retries that person) and never stops the others. The marker is written right after a
    successful delivery, so a run that stops in the middle resumes where it stopped. `renew()` is the scheduler
    lease: when it returns False another instance took over, and this run stops."""
    now = now or datetime.now(timezone.utc)
    report = RunReport(week_start(now))
    done, off = store.digest_sent_ids(report.week), store.digests_off_ids()
    employees = store.list_employees()
    for person in employees:
        if person.id in done:
            report.already += 1
            continue
        if person.id in off:
            report.off += 1
            continue
        if not renew():
            break
        digest = builder.build(person, now=now, employees=employees)
        if digest is None:
            report.quiet += 1
            continue
        try:
            deliver(person, digest)
        except Exception as exc:            # one person's failure (no DM channel, 5xx) never blocks the others
            report.failed[person.id] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        if store.mark_digest_sent(person.id, report.week):
            report.sent.append(person.id)
        else:
            report.already += 1
    return report


def local_delivery(directory):
    """The local chat's delivery: write the Markdown and PNGs into `directory` and print their paths."""
    def deliver(person: Employee, digest: Digest) -> None:
        for path in write_preview(digest, directory):
            print(path)
    return deliver
