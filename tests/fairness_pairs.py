"""Counterfactual pairs for the invariance suite: a resume, and the same resume with one protected-attribute statement
inserted (as a header line, its own line, a bullet, an extra sentence, or inside a line with skills).

The statements come from tests/data/fairness/dev_phrasings.json (what the redaction was developed against) and
heldout_phrasings.json (written first and kept out of development). The resumes are our own (below, Korean, English
and mixed) and a sample of the demo organisation's.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "fairness"

OWN_RESUMES: list[tuple[str, str, str]] = [
    ("Backend Engineer", "en", """Daniel Brooks
Backend engineer, 9 years in payments and fintech.
Experience
- Built Spark and Django apps for settlement reporting used by 40 analysts
- Designed Kafka event pipelines for card payments, 2M events a day
- Ran PostgreSQL and Redis in production on Kubernetes with Terraform
- Mentored four junior engineers and led code reviews
Skills: Python, Java, Spring Boot, Kafka, AWS"""),
    ("Data Analyst", "en", """Priya Raman
Data analyst with 6 years in e-commerce growth.
Work history
* Automated weekly revenue dashboards in Tableau and SQL, saving 10 hours a week
* Ran A/B tests on checkout flows with Python and statsmodels
* Built a churn model in scikit-learn that cut churn by 8%
Education: BSc Statistics, University of Leeds
Skills: SQL, Python, Tableau, BigQuery, Looker"""),
    ("Product Designer", "en", """Ana Souza
Product designer focused on mobile banking apps.
- Led the redesign of onboarding in Figma, lifting activation by 12%
- Ran usability tests with 30 customers a quarter and shared findings with product managers
- Built a design system with 120 components used by 5 squads
Tools: Figma, Sketch, Adobe XD, user research, prototyping"""),
    ("HR Business Partner", "en", """Michael Osei
HR business partner for engineering, 11 years.
- Ran talent reviews and succession planning for 300 engineers
- Designed the performance management process and trained 40 managers
- Negotiated with vendors for the HRIS migration to Workday
Skills: employee relations, compensation, Workday, labour law"""),
    ("백엔드 개발자", "ko", """김민준
백엔드 개발 8년차 개발자입니다.
경력
- Kafka 기반 결제 이벤트 파이프라인을 설계하고 운영했습니다.
- Spring Boot와 JPA로 정산 API를 개발했습니다.
- 쿠버네티스 위에서 Redis와 PostgreSQL을 운영했습니다.
- 주니어 개발자 3명의 코드 리뷰와 멘토링을 맡았습니다.
기술 스택: Java, Kotlin, Spring Boot, Kafka, AWS"""),
    ("퍼포먼스 마케터", "ko", """이서연
퍼포먼스 마케팅 6년 경력.
- 구글 애즈와 메타 광고 캠페인을 운영하여 ROAS를 35% 개선
- GA4와 SQL로 퍼널 분석 대시보드를 구축
- 월 3억 원 규모의 광고 예산을 관리하고 A/B 테스트를 설계
보유 기술: GA4, SQL, 구글 애즈, 메타 광고, 태블로"""),
    ("데이터 엔지니어", "ko", """박지훈
데이터 엔지니어 5년차.
- Airflow와 dbt로 데이터 파이프라인을 구축하고 운영
- BigQuery 기반 데이터 웨어하우스를 설계했습니다.
- Spark로 일 10억 건의 로그를 처리하는 배치 작업을 개발
기술: Python, SQL, Airflow, dbt, Spark, BigQuery"""),
    ("재무 담당자", "ko", """정하은
재무회계 7년 경력의 재무 담당자입니다.
- K-IFRS 기준 월 결산과 연결 재무제표 작성을 담당했습니다.
- SAP FI 모듈 도입 프로젝트에 참여했습니다.
- 법인세 신고와 세무 조정을 수행했습니다.
자격: 한국공인회계사(KICPA)"""),
    ("ML Engineer", "mixed", """Hyunwoo Cho (조현우)
ML engineer, 머신러닝 엔지니어 6년차.
- PyTorch로 추천 모델을 개발하고 A/B 테스트로 CTR 9% 개선
- Built feature pipelines on Spark and Airflow for 20M users
- MLflow와 Kubernetes로 모델 서빙 플랫폼 구축
Skills: Python, PyTorch, Spark, Airflow, MLflow, Kubernetes"""),
]


@dataclass(frozen=True)
class Base:
    key: str
    title: str
    lang: str            # "en" / "ko" / "mixed"
    name: str
    resume: str


@dataclass(frozen=True)
class Pair:
    id: str
    half: str            # "dev" / "heldout"
    phrasing: str
    category: str
    position: str
    base: Base
    variant: str         # the resume with the statement inserted


def load_phrasings(half: str) -> list[dict]:
    name = "dev_phrasings.json" if half == "dev" else "heldout_phrasings.json"
    return json.loads((DATA / name).read_text(encoding="utf-8"))["phrasings"]


@lru_cache(maxsize=1)
def bases() -> tuple[Base, ...]:
    """Our own resumes plus twelve of the demo organisation's (six Korean, six English)."""
    from bot.demo import generate_demo_org

    own = [Base(f"own{i}", title, lang, resume.splitlines()[0].split(" (")[0], resume)
           for i, (title, lang, resume) in enumerate(OWN_RESUMES)]
    demo: list[Base] = []
    counts = {"ko": 0, "en": 0}
    for record in generate_demo_org(size=120).employees:
        text = record["resume_text"]
        if len(text) < 300:
            continue
        lang = "ko" if re.search(r"[가-힣]{4}", text.split("\n\n", 1)[-1]) else "en"
        if counts[lang] >= 6:
            continue
        counts[lang] += 1
        demo.append(Base(record["id"], record["title"], lang, record["display_name"], text))
    return tuple(own + demo)


_SKILL_LINE = re.compile(r"^\s*(?:[-*•·]\s+)?(?P<core>.*?)(?P<end>[.。]?)\s*$")


@lru_cache(maxsize=256)
def _skills_line(resume: str) -> int:
    """Index of the first line past the header that describes work with a skill (a bullet or a sentence)."""
    from core.protected import default_redactor

    skills_in = default_redactor()._skills_in
    lines = resume.splitlines()
    for i, line in enumerate(lines):
        if i < 2 or ":" in line or len(line.split()) < 4:
            continue
        if skills_in(line):
            return i
    raise ValueError("no skills line in base resume")


def insert(resume: str, statement: str, position: str, template: str | None = None) -> str:
    lines = resume.splitlines()
    at = _skills_line(resume)
    line = lines[at]
    bullet = re.match(r"^\s*(?:[-*•·]\s+)?", line).group(0)
    if position == "header":
        lines.insert(1, statement)
    elif position == "own_line":
        lines.insert(at, statement)
    elif position == "bullet":
        lines.insert(at + 1, (bullet.strip() or "-") + " " + statement)
    elif position == "sentence":
        core = line.rstrip()
        joiner = " " if core.endswith((".", "!", "?", "。")) else ". "
        lines[at] = core + joiner + statement
    elif position == "inline":
        m = _SKILL_LINE.match(line[len(bullet):])
        lines[at] = bullet + template.format(line=m.group("core")) + m.group("end")
    else:
        raise ValueError(position)
    return "\n".join(lines)


_POSITIONS = ("header", "own_line", "bullet", "sentence")


def make_pairs(half: str) -> list[Pair]:
    """Every phrasing at three of the four line positions (rotating) plus each of its inline templates, each on a base
    resume of its language (every fifth English statement goes into a Korean resume: mixed-language resumes)."""
    all_bases = bases()
    by_lang = {lang: [b for b in all_bases if b.lang == lang or (lang == "ko" and b.lang == "mixed")]
               for lang in ("en", "ko")}
    by_lang["mixed"] = list(all_bases)
    pairs: list[Pair] = []
    for n, p in enumerate(load_phrasings(half)):
        lang = p["lang"]
        if lang == "en" and n % 5 == 4:
            lang = "ko"
        pool = by_lang[lang]
        positions = [_POSITIONS[(n + k) % 4] for k in range(3)]
        for k, position in enumerate(positions):
            base = pool[(n * 3 + k) % len(pool)]
            pairs.append(Pair(f"{p['id']}/{position}", half, p["id"], p["category"], position, base,
                              insert(base.resume, p["text"], position)))
        for k, template in enumerate(p.get("inline", ())):
            base = pool[(n * 5 + k + 1) % len(pool)]
            pairs.append(Pair(f"{p['id']}/inline{k}", half, p["id"], p["category"], "inline", base,
                              insert(base.resume, "", "inline", template)))
    return pairs
