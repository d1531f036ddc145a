"""Counterfactual invariance: a resume and the same resume with a protected-attribute statement inserted must give the
same matching text, the same score parts and the same rank in real searches.

The pairs (tests/fairness_pairs.py) come in two halves: the phrasings the redaction was developed against and the
held-out ones written before it. Each half is one test, so a run reports both; the numbers are printed (pytest -s).
The searches run on a small organisation built in a temporary folder through the product's own import path, one
profile at a time (so every embedding is computed alone, and identical text gives identical vectors), and compare the
full ranked lists of several queries in both languages.
"""
from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pytest

from core.domain import Employee, Role
from core.fairness import matching_text
from core.importer import ImportReport
from tests.conftest import make_app
from tests.fairness_pairs import bases, make_pairs

QUERIES = ("backend engineer who knows Kafka and Kubernetes", "data analyst with SQL and Tableau",
           "product designer Figma user research", "HR business partner for engineering",
           "카프카 다룰 줄 아는 백엔드 개발자", "퍼포먼스 마케터 GA4 광고 운영", "Airflow dbt 데이터 엔지니어",
           "K-IFRS 결산 가능한 재무 담당자", "machine learning engineer PyTorch recommendation")


class _OneAtATime:
    """The configured embedder, asked for one text at a time and remembering its answers: identical text gets the
    identical vector (as it would alone), and the suite does not pay twice for the texts that are meant to be equal."""

    _memo: dict[tuple[str, str], np.ndarray] = {}

    def __init__(self, inner):
        self.inner, self.model_id, self.dim = inner, inner.model_id, inner.dim

    def embed_documents(self, texts):
        return np.vstack([self._one("d", t, self.inner.embed_documents) for t in texts]) if texts else \
            np.zeros((0, self.dim), np.float32)

    def embed_query(self, text):
        return self._one("q", text, lambda ts: [self.inner.embed_query(ts[0])])

    def _one(self, kind, text, embed):
        key = (kind, text)
        if key not in self._memo:
            self._memo[key] = np.asarray(embed([text])[0], dtype=np.float32)
        return self._memo[key]


def _employee(base, resume: str) -> Employee:
    return Employee(id=base.key, display_name=base.name, title=base.title, department="Engineering", level="L3",
                    open_to_moves=True, role=Role.EMPLOYEE, resume_text=resume)


def _snapshot(app) -> dict[str, list[tuple]]:
    """Every query's full ranked list: who, score, band, every score part, the quoted evidence, what is missing."""
    everyone = app.store.count_employees()
    out = {}
    for query in QUERIES:
        page = app.matching.search(query, limit=everyone)
        out[query] = [(c.employee_id, c.score, c.band, tuple(sorted(asdict(c.parts).items())),
                       tuple((m.skill_id, m.evidence, m.via) for m in c.matched), c.missing, c.thin_profile)
                      for c in page.candidates]
    return out


def _changed_people(before: dict, after: dict) -> set[str]:
    changed = set()
    for query, ranked in before.items():
        other = after[query]
        for rank, row in enumerate(ranked):
            if rank >= len(other) or other[rank] != row:
                changed.add(row[0])
                if rank < len(other):
                    changed.add(other[rank][0])
    return changed


def _run_half(half: str, tmp_path) -> tuple[int, list[str], list[str]]:
    pairs = make_pairs(half)
    # 1. the text that is embedded and scored is the same, byte for byte
    text_changed = [p.id for p in pairs
                    if matching_text(p.base.title, p.base.resume, [p.base.name])
                    != matching_text(p.base.title, p.variant, [p.base.name])]
    # 2. real searches on an organisation built through the import path
    app = make_app(tmp_path / half)
    app.embedder = app.importer.embedder = app.matching.embedder = _OneAtATime(app.embedder)
    try:
        report = ImportReport()
        people = bases()
        for base in people:
            app.importer.upsert([(base.key, _employee(base, base.resume))], report)
        baseline = _snapshot(app)
        assert len(baseline[QUERIES[0]]) == len(people)
        # Pairs whose matching text already differs are changed, and their scores will differ as a consequence (and,
        # through word statistics, other people's too); the searches check the others, so that anything reaching the
        # scores by another way than the matching text shows up, attributed to its own pair.
        same_text = [p for p in pairs if p.id not in set(text_changed)]
        queue = {b.key: [p for p in same_text if p.base.key == b.key] for b in people}
        search_changed: list[str] = []
        while any(queue.values()):
            # one round: every resume that still has a pair gets its next one; the others are back to their base
            round_pairs = {key: items.pop(0) for key, items in queue.items() if items}
            for base in people:
                pair = round_pairs.get(base.key)
                app.importer.upsert([(base.key, _employee(base, pair.variant if pair else base.resume))], report)
            changed = _changed_people(baseline, _snapshot(app))
            search_changed.extend(p.id for key, p in round_pairs.items() if key in changed)
        assert not report.rejected
    finally:
        app.close()
    return len(pairs), text_changed, search_changed


# Held out, first (blind) run: 19 of 232 pairs changed, all in the matching text. After that run the failures were
# read and fixed where the fix is general; what remains is one phrasing whose second half is not a protected
# attribute by our definition ("Latina, first in my family to attend college": the ethnicity goes, being the first
# in one's family to attend college stays). It is counted as changed, not removed from the set.
KNOWN_HELDOUT_CHANGES = {"h-en-nat-2/header", "h-en-nat-2/bullet", "h-en-nat-2/sentence"}


@pytest.mark.parametrize("half", ["dev", "heldout"])
def test_protected_statements_change_nothing_in_matching(half, tmp_path):
    tested, text_changed, search_changed = _run_half(half, tmp_path)
    changed = sorted(set(text_changed) | set(search_changed))
    print(f"\ninvariance [{half}]: {tested} pairs tested, {len(changed)} with any change "
          f"({len(text_changed)} in the matching text, {len(search_changed)} in a score part or rank)")
    assert tested >= 100
    allowed = KNOWN_HELDOUT_CHANGES if half == "heldout" else set()
    assert set(changed) <= allowed, f"{len(changed)} of {tested} {half} pairs changed: {changed[:20]}"


def test_at_least_200_pairs_in_both_languages_and_every_category():
    pairs = make_pairs("dev") + make_pairs("heldout")
    assert len(pairs) >= 200
    categories = {p.category for p in pairs}
    assert {"age", "sex", "marital", "family", "pregnancy", "religion", "disability", "nationality", "ethnicity",
            "region", "military", "appearance"} <= categories
    assert {p.position for p in pairs} == {"header", "own_line", "bullet", "sentence", "inline"}
    assert {p.base.lang for p in pairs} == {"en", "ko", "mixed"}


@pytest.mark.parametrize("line, kept", [
    ("Built Spark and Django apps as a 45-year-old mother of two", "Built Spark and Django apps"),
    ("두 아이의 엄마로서 Kafka 기반 결제 시스템을 개발했습니다.", "Kafka 기반 결제 시스템을 개발했습니다"),
    ("Ran PostgreSQL on Kubernetes (female, 34 years old)", "Ran PostgreSQL on Kubernetes"),
    ("30대 초반 남성 개발자로 Spring Boot API 개발", "개발자로 Spring Boot API 개발"),
    ("Led the SAP migration while pregnant with my second child.", "Led the SAP migration"),
    ("Shipped the Kafka migration at the age of 26", "Shipped the Kafka migration"),
    ("Automated weekly dashboards in SQL (b. 1969)", "Automated weekly dashboards in SQL"),
])
def test_a_line_keeps_its_work_and_loses_the_personal_phrase(line, kept):
    assert matching_text("", line) == kept


@pytest.mark.parametrize("line", [
    "1998년생 여성, 미혼", "30대 초반 남성, 기혼, 두 아이의 아빠", "I am a 45-year-old woman, mother of two",
    "전라도 출신입니다.", "군필", "병역 면제", "Devout Christian.", "Height 178 cm, weight 70 kg.",
])
def test_the_issues_examples_leave_nothing(line):
    assert matching_text("", line) == ""


@pytest.mark.parametrize("line", [
    "Ran the maternity-leave and disability-insurance claims process for 3,000 employees",
    "Taught children aged 5 to 10 in an after-school coding club",
    "여성 의류 브랜드의 퍼포먼스 마케팅 담당",
    "장애인 고용 지원 업무와 육아휴직 제도 운영",
    "Native Korean speaker, business English, JLPT N2",
    "Languages: Korean (native), English (fluent)",
    "서버 30대를 쿠버네티스로 운영",
    "Managed single sign-on (SSO) for 40 apps",
])
def test_work_about_protected_topics_stays(line):
    """A topic is the work when the line describes work: these keep every word that matters."""
    out = matching_text("", line)
    for word in ("maternity", "disability", "children", "여성 의류", "장애인", "육아휴직", "Korean", "English",
                 "30대", "single sign-on"):
        if word in line:
            assert word in out, (line, out)
