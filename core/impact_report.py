"""The impact-ratio report for HR: does the tool show and shortlist people of every group at similar rates?

It follows the bias audit New York City's Local Law 144 asks of automated employment decision tools (selection rates
and impact ratios per category) and what the EU AI Act asks high-risk systems to monitor.

Definitions (what a works council will ask):
* **People counted** (the population): everyone in the directory with a searchable profile on the day the report runs
  (`--population open`: only those open to internal moves, the people managers' searches rank). The directory has no
  history, so someone who left is not counted and someone who joined late is.
* **Groups**: the self-reported categories HR imported (`internal-hire fairness demographics import`); people without
  a value are "not reported". A group of fewer than MIN_GROUP_SIZE people is never reported alone: such groups are
  merged into "other / too small", which is itself withheld when still below the minimum.
* **Stages**, in order (pluggable: `register_stage`): *shown* — appeared at least once in a search's results in the
  period (the audit log's shown_ids of searches, page redraws and CLI searches); the denominator is the population.
  *shortlisted* — put on a manager's shortlist in the period; the denominator is the people shown in the period (plus
  anyone shortlisted), so this stage measures the managers' choice among what the tool showed. Later stages
  (expressed interest, moved into an opening) plug in the same way once the product records them.
* **Selection rate** = selected / eligible for a group. **Impact ratio** = a group's rate / the highest rate among
  the reported groups ("not reported" and withheld groups are never the reference). **Four-fifths flag**: impact
  ratio below 0.8.
* **Small samples**: every rate has a Wilson 95% interval, and each group is compared with the reference group by
  Fisher's exact test (two-sided). A flag whose p-value is 0.05 or more says the difference may be chance at this
  size; a significant difference above 0.8 is noted too.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from core import audit
from core.domain import Employee, Role
from core.csv_files import csv_rows, csv_writer

MIN_GROUP_SIZE = 10         # smaller groups are merged into OTHER_GROUP, never reported alone
FOUR_FIFTHS = 0.8
SIGNIFICANCE = 0.05
NOT_REPORTED = "not reported"
OTHER_GROUP = "other / too small"
SHOWN_ACTIONS = ("search", "cli_search", "redraw")   # audit actions whose shown_ids are search results
MAX_CATEGORY_VALUES = 30    # a column with more distinct values is not a category (exact ages, names, free text)
ID_COLUMNS = ("employee_id", "id", "employee", "emp_id", "사번", "직원번호", "email", "e-mail", "이메일")
# Columns that identify or describe a person rather than group them: never stored as categories.
IGNORED_COLUMNS = frozenset({"name", "display_name", "full_name", "first_name", "last_name", "이름", "성명", "phone",
                             "mobile", "address", "주소", "전화", "notes", "note", "comment", "comments", "resume",
                             "birth_date", "date_of_birth", "dob", "birthday", "생년월일"})


class NotAllowed(Exception):
    """Only HR admins may import, read or delete demographics and run the report."""


def require_hr(actor: Employee) -> None:
    if actor.role != Role.HR_ADMIN:
        raise NotAllowed("only HR admins can see demographics and the fairness report")


# ---- demographics import ------------------------------------------------------------------------------------------
@dataclass
class DemographicsImport:
    people: int = 0
    rows: int = 0
    categories: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)      # (where, why)
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Demographics imported: {self.people} people, {self.rows} values in "
                 f"{len(self.categories)} categories ({', '.join(self.categories) or 'none'}); "
                 f"{len(self.rejected)} rejected."]
        if self.ignored_columns:
            lines.append("Ignored columns (identifying, not categories; never stored): "
                         + ", ".join(self.ignored_columns))
        lines.extend(f"  rejected {where}: {why}" for where, why in self.rejected)
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"people": self.people, "rows": self.rows, "categories": self.categories,
                "rejected": [{"where": w, "reason": r} for w, r in self.rejected],
                "ignored_columns": self.ignored_columns}


def _column_key(name: str) -> str:
    return "_".join((name or "").strip().lower().replace("-", " ").split())


def parse_demographics(data: bytes, filename: str, known_ids: set[str],
                       id_by_email: dict[str, str]) -> tuple[list[tuple[str, str, str]], DemographicsImport]:
    """Rows (employee id, category, value) from HR's CSV; every bad row or column is reported, the rest kept."""
    from core.importer import decode_text

    report = DemographicsImport()
    text = decode_text(data)
    if text is None:
        report.rejected.append((filename, "the file is not UTF-8 or CP949 text"))
        return [], report
    header, rows_in = csv_rows(text)     # strict about quotes: a row an open quote broke is reported, not stored
    if header is None:
        report.rejected.append((filename, "the file has no header row"))
        return [], report
    keys = [_column_key(h) for h in header]
    id_col = next((i for i, k in enumerate(keys) if k in ID_COLUMNS), None)
    if id_col is None:
        report.rejected.append((filename, "no employee id column (name one column employee_id, id or email)"))
        return [], report
    by_email = keys[id_col] in ("email", "e-mail", "이메일")
    categories = {i: k for i, k in enumerate(keys) if i != id_col and k}
    for i, k in list(categories.items()):
        if k in IGNORED_COLUMNS or k in ID_COLUMNS:
            report.ignored_columns.append(header[i].strip())
            del categories[i]
    values: dict[str, dict[str, str]] = {}
    where_of: dict[str, str] = {}
    for line, row, error in rows_in:
        where = f"{filename} line {line}"
        if error:
            report.rejected.append((where, error))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            report.rejected.append((where, "more values than header columns"))
            continue
        key = row[id_col].strip() if id_col < len(row) else ""
        eid = id_by_email.get(key.lower()) if by_email else key
        if not key:
            report.rejected.append((where, "no employee id"))
            continue
        if eid is None or eid not in known_ids:
            report.rejected.append((where, f"no employee {key!r} in the directory"))
            continue
        if eid in values:
            report.rejected.append((where_of[eid], f"employee {eid} appears again at {where}; the later row was used"))
        values[eid] = {categories[i]: " ".join(row[i].split())[:100] for i in categories
                       if i < len(row) and row[i].strip()}
        where_of[eid] = where
    distinct: dict[str, set[str]] = {}
    for cats in values.values():
        for k, v in cats.items():
            distinct.setdefault(k, set()).add(v)
    too_many = {k for k, vs in distinct.items() if len(vs) > MAX_CATEGORY_VALUES}
    for k in sorted(too_many):
        report.rejected.append((f"{filename} column {k}",
                                f"{len(distinct[k])} different values: not a category. Use bands (e.g. age_band "
                                "20-29, 30-39) or fewer groups; the column was not stored"))
    rows = [(eid, k, v) for eid, cats in values.items() for k, v in sorted(cats.items()) if k not in too_many]
    report.people = len(values)
    report.rows = len(rows)
    report.categories = sorted({k for _, k, _ in rows})
    return rows, report


# ---- statistics ---------------------------------------------------------------------------------------------------
def wilson_interval(selected: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default); (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    p = selected / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test for the table [[a, b], [c, d]] (rows: two groups; columns: selected,
    not selected). Sums the hypergeometric probabilities no larger than the observed one; O(n) with numpy."""
    r1, r2, c1 = a + b, c + d, a + c
    n = r1 + r2
    if n == 0 or r1 == 0 or r2 == 0 or c1 == 0 or c1 == n:
        return 1.0
    lo, hi = max(0, c1 - r2), min(r1, c1)
    x = np.arange(lo, hi, dtype=np.float64)
    # log P(x + 1) - log P(x) for the hypergeometric distribution of a
    steps = np.log((r1 - x) * (c1 - x)) - np.log((x + 1) * (r2 - c1 + x + 1))
    logp = np.concatenate(([0.0], np.cumsum(steps)))
    logp -= logp.max()
    p = np.exp(logp)
    p /= p.sum()
    observed = p[a - lo]
    return float(min(1.0, p[p <= observed * (1 + 1e-7)].sum()))


# ---- stages -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """A step people pass through. `selected(store, since, until)` gives who passed it in the period; `base` names
    the stage whose people are the denominator (None: the whole population); `available(store)` says whether the
    product records this stage at all (a stage without data is left out of the report)."""

    key: str
    label: dict[str, str]
    selected: Callable[[object, str, str], set[str]]
    base: str | None = None
    available: Callable[[object], bool] = lambda store: True


def _shown(store, since: str, until: str) -> set[str]:
    return store.shown_between(since, until, SHOWN_ACTIONS)


def _shortlisted(store, since: str, until: str) -> set[str]:
    return set(store.shortlisted_between(since, until))


STAGES: list[Stage] = [
    Stage("shown", {"en": "Shown in search results", "ko": "검색 결과 노출"}, _shown),
    Stage("shortlisted", {"en": "Shortlisted (of those shown)", "ko": "관심 후보 선정 (노출된 사람 중)"}, _shortlisted,
          base="shown"),
]


def register_stage(stage: Stage, after: str | None = None) -> None:
    """Add a stage (expressed interest, moved into an opening) to every report, after the stage named `after`."""
    STAGES[:] = [s for s in STAGES if s.key != stage.key]
    index = next((i + 1 for i, s in enumerate(STAGES) if s.key == after), len(STAGES))
    STAGES.insert(index, stage)


# ---- the report ---------------------------------------------------------------------------------------------------
@dataclass
class GroupRow:
    category: str
    group: str
    eligible: int
    selected: int
    rate: float | None            # None when withheld (too small)
    ci_low: float | None
    ci_high: float | None
    impact_ratio: float | None
    below_four_fifths: bool
    p_value: float | None
    reference: bool = False
    note: str = ""


@dataclass
class StageResult:
    key: str
    label: dict[str, str]
    rows: list[GroupRow]


@dataclass
class ImpactReport:
    since: str
    until: str
    population: str
    generated_at: str
    people: int                     # the population
    people_with_demographics: int
    categories: list[str]
    stages: list[StageResult]
    min_group_size: int = MIN_GROUP_SIZE

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def flagged(self) -> list[tuple[str, GroupRow]]:
        return [(s.key, r) for s in self.stages for r in s.rows if r.below_four_fifths]


def period(since: date | None, until: date | None, today: date | None = None) -> tuple[date, date]:
    """[since, until] inclusive; by default the twelve months up to today (a bias audit covers a year)."""
    today = today or datetime.now(timezone.utc).date()
    until = until or today
    since = since or (until - timedelta(days=364))
    if since > until:
        raise ValueError(f"--from {since} is after --to {until}")
    return since, until


def compute_report(store, since: date, until: date, population: str = "all",
                   intersect: tuple[str, str] | None = None, min_group: int = MIN_GROUP_SIZE,
                   stages: Iterable[Stage] | None = None) -> ImpactReport:
    lo, hi = since.isoformat(), (until + timedelta(days=1)).isoformat()
    people = [eid for eid, open_flag, searchable in store.fairness_population()
              if searchable and (population == "all" or open_flag)]
    in_population = set(people)
    demographics: dict[str, dict[str, str]] = {}
    for eid, category, value in store.demographic_rows():
        if eid in in_population:
            demographics.setdefault(category, {})[eid] = value
    categories = sorted(demographics)
    if intersect:
        a, b = intersect
        if a in demographics and b in demographics:
            name = f"{a} × {b}"
            demographics[name] = {eid: f"{demographics[a][eid]} × {demographics[b][eid]}"
                                  for eid in people if eid in demographics[a] and eid in demographics[b]}
            categories.append(name)
    with_any = len({eid for values in demographics.values() for eid in values})
    results: list[StageResult] = []
    selected_by_stage: dict[str, set[str]] = {}
    for stage in (list(stages) if stages is not None else STAGES):
        if not stage.available(store):
            continue
        chosen = stage.selected(store, lo, hi) & in_population
        selected_by_stage[stage.key] = chosen
        eligible = in_population if stage.base is None else (selected_by_stage.get(stage.base, set()) | chosen)
        rows: list[GroupRow] = []
        for category in categories:
            rows.extend(_category_rows(category, demographics[category], eligible, chosen, min_group))
        results.append(StageResult(stage.key, stage.label, rows))
    return ImpactReport(since.isoformat(), until.isoformat(), population,
                        datetime.now(timezone.utc).isoformat(timespec="seconds"), len(people), with_any, categories,
                        results, min_group)


def _category_rows(category: str, values: dict[str, str], eligible: set[str], chosen: set[str],
                   min_group: int) -> list[GroupRow]:
    counts: dict[str, list[int]] = {}
    for eid in eligible:
        group = values.get(eid, NOT_REPORTED)
        cell = counts.setdefault(group, [0, 0])
        cell[0] += 1
        cell[1] += eid in chosen
    merged = [0, 0]
    kept: dict[str, list[int]] = {}
    for group, (n, s) in counts.items():
        if n < min_group and group != NOT_REPORTED:     # "not reported" discloses nobody's category: kept apart
            merged[0] += n
            merged[1] += s
        else:
            kept[group] = [n, s]
    rows = []
    reportable = {g: v for g, v in kept.items() if g != NOT_REPORTED}
    if merged[0] >= min_group:
        reportable[OTHER_GROUP] = merged
    reference = max(reportable, key=lambda g: (reportable[g][1] / reportable[g][0], reportable[g][0]), default=None)
    ref_n, ref_s = reportable[reference] if reference else (0, 0)
    ref_rate = ref_s / ref_n if ref_n else 0.0
    ordered = sorted(reportable, key=lambda g: (g == OTHER_GROUP, g))
    if NOT_REPORTED in kept:
        ordered.append(NOT_REPORTED)
    for group in ordered:
        n, s = reportable.get(group) or kept[group]
        rate = s / n
        low, high = wilson_interval(s, n)
        is_ref = group == reference
        ratio = (rate / ref_rate) if ref_rate > 0 and group != NOT_REPORTED else None
        p = fisher_exact(s, n - s, ref_s, ref_n - ref_s) if not is_ref and group != NOT_REPORTED and reference else None
        below = ratio is not None and ratio < FOUR_FIFTHS - 1e-9     # 12/15 is exactly 0.8: not below
        rows.append(GroupRow(category, group, n, s, rate, low, high, ratio, below, p, is_ref,
                             _note(below, p, is_ref, group)))
    if 0 < merged[0] < min_group:
        rows.append(GroupRow(category, OTHER_GROUP, merged[0], merged[1], None, None, None, None, False, None, False,
                             f"withheld: fewer than {min_group} people"))
    return rows


def _note(below: bool, p: float | None, is_ref: bool, group: str) -> str:
    if is_ref:
        return "reference (highest rate)"
    if group == NOT_REPORTED:
        return "no self-reported value; not compared"
    if below and p is not None and p >= SIGNIFICANCE:
        return f"below four-fifths, but may be chance at this size (p={p:.2f})"
    if below:
        return f"below four-fifths (p={p:.3f})" if p is not None else "below four-fifths"
    if p is not None and p < SIGNIFICANCE:
        return f"above four-fifths, yet a significant difference (p={p:.3f})"
    return ""


# ---- presenting ---------------------------------------------------------------------------------------------------
CSV_COLUMNS = ("stage", "category", "group", "eligible", "selected", "selection_rate", "rate_ci_low", "rate_ci_high",
               "impact_ratio", "below_four_fifths", "p_value", "reference", "note")

TEXT = {
    "title": {"en": "Fairness report: selection rates and impact ratios",
              "ko": "공정성 리포트: 선정률과 영향 비율(impact ratio)"},
    "period": {"en": "Period {since} to {until}; {people} people counted ({population}), {with_demo} with "
                     "self-reported categories. Groups under {min} people are merged.",
               "ko": "기간 {since} ~ {until}; 집계 대상 {people}명({population}), 자기 보고 범주가 있는 사람 {with_demo}명. "
                     "{min}명 미만 집단은 합쳐서 보고합니다."},
    "population_all": {"en": "everyone with a searchable profile", "ko": "검색 가능한 프로필 보유자 전원"},
    "population_open": {"en": "people open to internal moves", "ko": "사내 이동 희망자"},
    "header": {"en": "group: selected / eligible = rate (95% CI), impact ratio", "ko": "집단: 선정 / 대상 = 선정률 (95% 신뢰구간), 영향 비율"},
    "flag": {"en": "⚠ below 0.8", "ko": "⚠ 0.8 미만"},
    "none": {"en": "No self-reported demographics yet: HR imports them with `internal-hire fairness demographics "
                   "import FILE`.",
             "ko": "자기 보고 인구통계 자료가 아직 없습니다. HR이 `internal-hire fairness demographics import FILE`로 "
                   "가져올 수 있어요."},
    "caveat": {"en": "Impact ratio = the group's rate / the highest group's rate. The four-fifths rule is a screen, "
                     "not a verdict: read the p-value (Fisher's exact test) and the interval with it.",
               "ko": "영향 비율 = 해당 집단의 선정률 / 가장 높은 집단의 선정률. 4/5 규칙은 판정이 아니라 선별 기준입니다. "
                     "p값(피셔의 정확 검정)과 신뢰구간을 함께 보세요."},
    "ratio_axis": {"en": "Impact ratio", "ko": "영향 비율"},
    "four_fifths": {"en": "four-fifths (0.8)", "ko": "4/5 기준 (0.8)"},
}

GROUP_TEXT = {NOT_REPORTED: {"en": NOT_REPORTED, "ko": "응답 없음"},
              OTHER_GROUP: {"en": OTHER_GROUP, "ko": "기타 / 소규모"}}


def group_label(group: str, lang: str) -> str:
    return GROUP_TEXT.get(group, {}).get(lang, group)


def row_line(row: GroupRow, lang: str) -> str:
    name = group_label(row.group, lang)
    if row.rate is None:
        return f"{name}: {row.note if lang == 'en' else f'{MIN_GROUP_SIZE}명 미만이라 공개하지 않음'}"
    ratio = f", {row.impact_ratio:.2f}" if row.impact_ratio is not None else ""
    flag = f"  {TEXT['flag'][lang]}" if row.below_four_fifths else ""
    note = f" — {row.note}" if row.note and lang == "en" else ""
    return (f"{name}: {row.selected} / {row.eligible} = {100 * row.rate:.1f}% "
            f"({100 * row.ci_low:.1f}–{100 * row.ci_high:.1f}%){ratio}{flag}{note}")


def to_text(report: ImpactReport, lang: str = "en") -> str:
    lines = [TEXT["title"][lang], TEXT["period"][lang].format(
        since=report.since, until=report.until, people=report.people,
        population=TEXT[f"population_{report.population}"][lang], with_demo=report.people_with_demographics,
        min=report.min_group_size)]
    if not report.categories:
        return "\n".join(lines + [TEXT["none"][lang]])
    for stage in report.stages:
        lines += ["", f"## {stage.label[lang]}", TEXT["header"][lang]]
        for category in report.categories:
            lines.append(f"[{category}]")
            lines.extend("  " + row_line(r, lang) for r in stage.rows if r.category == category)
    lines += ["", TEXT["caveat"][lang]]
    return "\n".join(lines)


def to_csv(report: ImpactReport) -> str:
    out = io.StringIO()
    writer = csv_writer(out)      # group names come from imported data: never a formula in a spreadsheet
    writer.writerow(CSV_COLUMNS)
    for stage in report.stages:
        for r in stage.rows:
            writer.writerow([stage.key, r.category, r.group, r.eligible, r.selected,
                             "" if r.rate is None else f"{r.rate:.4f}", "" if r.ci_low is None else f"{r.ci_low:.4f}",
                             "" if r.ci_high is None else f"{r.ci_high:.4f}",
                             "" if r.impact_ratio is None else f"{r.impact_ratio:.4f}", r.below_four_fifths,
                             "" if r.p_value is None else f"{r.p_value:.4g}", r.reference, r.note])
    return out.getvalue()


def to_json(report: ImpactReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


# ---- the service: access, audit ----------------------------------------------------------------------------------
class FairnessReports:
    """HR-only use cases: import, inspect and delete demographics, and run the report. Every one is audited (the
    audit entry holds counts, never anyone's categories)."""

    def __init__(self, store):
        self.store = store

    def import_demographics(self, actor: Employee, path: Path, replace_all: bool = False) -> DemographicsImport:
        require_hr(actor)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            report = DemographicsImport()
            report.rejected.append((str(path), f"cannot read the file ({exc.strerror})"))
            return report
        directory = self.store.list_employees()
        rows, report = parse_demographics(data, Path(path).name, {e.id for e in directory},
                                          {e.email.lower(): e.id for e in directory if e.email})
        if rows or replace_all:
            self.store.replace_demographics(rows, actor.id, replace_all=replace_all)
        audit.record(self.store, actor, "demographics_import", Path(path).name, people=report.people,
                     rows=report.rows, categories=report.categories, rejected=len(report.rejected),
                     replace_all=replace_all)
        return report

    def delete_demographics(self, actor: Employee) -> int:
        require_hr(actor)
        deleted = self.store.delete_demographics()
        audit.record(self.store, actor, "demographics_delete", rows=deleted)
        return deleted

    def demographics_status(self, actor: Employee) -> dict[str, dict[str, int]]:
        require_hr(actor)
        summary = self.store.demographics_summary()
        audit.record(self.store, actor, "demographics_status", categories=sorted(summary))
        return summary

    def report(self, actor: Employee, since: date | None = None, until: date | None = None,
               population: str = "all", intersect: tuple[str, str] | None = None,
               channel: str = "cli") -> ImpactReport:
        require_hr(actor)
        since, until = period(since, until)
        report = compute_report(self.store, since, until, population=population, intersect=intersect)
        audit.record(self.store, actor, "fairness_report", **{
            "from": report.since, "to": report.until, "population": population, "categories": report.categories,
            "stages": [s.key for s in report.stages], "people": report.people, "flags": len(report.flagged),
            "channel": channel})
        return report
