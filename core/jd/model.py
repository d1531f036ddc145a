"""The job-description domain: companies and what they know, job families and levels, drafts, JD records with their
versions and decisions, and internal openings.

Everything here is plain data with `to_dict()` / `from_dict()` so stores keep it as JSON and cards can show it.
"""
from __future__ import annotations

import enum
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields, replace

# ---- job families ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobFamily:
    code: str
    en: str                              # the family, as a catalogue names it
    ko: str
    title_en: str                        # the job title a posting uses
    title_ko: str
    group: str                           # engineering / data / product / business / game: "nearest family" stays in it
    seed_skills: tuple[str, ...] = ()    # taxonomy ids typical of the family (used only when a company has no postings)
    aliases: tuple[str, ...] = ()
    area: tuple[str, str] = ("", "")     # what the work is about, (en, ko): "server and API" / "서버와 API"

    def area_name(self, lang: str = "en") -> str:
        return (self.area[1] if lang == "ko" else self.area[0]) or self.name(lang)

    def name(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def title(self, lang: str = "en") -> str:
        return self.title_ko if lang == "ko" else self.title_en


# The first six codes are the ones in the design notes (MISSION.md, source document 2). The 9xxxxxx codes are this
# project's own, in a range that cannot collide with that catalogue.
JOB_FAMILIES: dict[str, JobFamily] = {f.code: f for f in (
    JobFamily("1000201", "HR manager", "인사담당자", "HR Manager", "인사 담당자", "business",
              ("recruiting", "hr_operations", "payroll", "labor_law", "performance_management", "hris"),
              ("hr", "인사", "인사팀", "people", "people team", "human resources", "채용담당자"),
              area=("HR and recruiting", "인사와 채용")),
    JobFamily("1000242", "AI/ML engineer", "AI/ML 엔지니어", "AI/ML Engineer", "AI/ML 엔지니어", "data",
              ("machine_learning", "deep_learning", "python", "pytorch", "mlops", "llm"),
              ("ai", "ml", "machine learning engineer", "머신러닝 엔지니어", "ai 엔지니어", "ml engineer"),
              area=("machine learning", "머신러닝")),
    JobFamily("1000229", "Backend developer", "백엔드 개발자", "Backend Engineer", "백엔드 개발자", "engineering",
              ("backend_development", "java", "spring_boot", "mysql", "redis", "aws"),
              ("backend", "백엔드", "server developer", "서버 개발자", "be"),
              area=("server and API", "서버와 API")),
    JobFamily("1000230", "Frontend developer", "프론트엔드 개발자", "Frontend Engineer", "프론트엔드 개발자",
              "engineering", ("frontend_development", "javascript", "typescript", "react", "web_performance"),
              ("frontend", "프론트엔드", "프론트", "fe", "web developer", "웹 개발자"),
              area=("web frontend", "웹 프론트엔드")),
    JobFamily("1000187", "Marketing planning", "마케팅기획", "Marketing Manager", "마케팅 기획자", "business",
              ("marketing_planning", "campaign_planning", "performance_marketing", "marketing_analytics", "ga4"),
              ("marketing", "마케팅", "마케터", "marketer", "마케팅 기획"),
              area=("marketing", "마케팅")),
    JobFamily("1000210", "Finance", "재무담당자", "Finance Manager", "재무 담당자", "business",
              ("accounting", "closing", "k_ifrs", "fpa", "budgeting", "taxation"),
              ("finance", "재무", "회계", "accounting", "재무회계", "fp&a"),
              area=("finance and accounting", "재무와 회계")),
    JobFamily("9000001", "Data engineer", "데이터 엔지니어", "Data Engineer", "데이터 엔지니어", "data",
              ("data_engineering", "etl", "airflow", "spark", "kafka", "sql"), ("data engineering", "de"),
              area=("data pipeline", "데이터 파이프라인")),
    JobFamily("9000002", "Data analyst", "데이터 분석가", "Data Analyst", "데이터 분석가", "data",
              ("data_analysis", "sql", "python", "statistics", "ab_testing", "tableau"),
              ("analyst", "분석가", "데이터 분석", "business analyst"),
              area=("data analysis", "데이터 분석")),
    JobFamily("9000003", "Mobile developer", "모바일 앱 개발자", "Mobile Engineer", "모바일 앱 개발자", "engineering",
              ("mobile_development", "android", "ios", "kotlin", "swift", "flutter"),
              ("mobile", "모바일", "앱 개발자", "android developer", "ios developer", "안드로이드", "iOS 개발자"),
              area=("mobile app", "모바일 앱")),
    JobFamily("9000004", "DevOps / SRE", "데브옵스/SRE 엔지니어", "DevOps Engineer", "데브옵스 엔지니어", "engineering",
              ("devops", "sre", "kubernetes", "terraform", "ci_cd", "aws", "monitoring"),
              ("devops", "데브옵스", "sre", "infra", "인프라", "platform engineer"),
              area=("infrastructure", "인프라")),
    JobFamily("9000005", "Product manager", "프로덕트 매니저/서비스 기획", "Product Manager", "프로덕트 매니저", "product",
              ("product_management", "service_planning", "product_requirements", "data_driven_decisions"),
              ("pm", "po", "product owner", "서비스 기획자", "기획자", "프로덕트 오너"),
              area=("product", "제품")),
    JobFamily("9000006", "Product designer", "프로덕트 디자이너", "Product Designer", "프로덕트 디자이너", "product",
              ("product_design", "ui_design", "ux_design", "figma", "prototyping", "design_system"),
              ("designer", "디자이너", "ui/ux designer", "ux 디자이너"),
              area=("product design", "프로덕트 디자인")),
    JobFamily("9000007", "Game client programmer", "게임 클라이언트 프로그래머", "Game Client Programmer",
              "게임 클라이언트 프로그래머", "game", ("game_development", "unity", "unreal_engine", "cpp", "csharp"),
              ("game client", "게임 클라이언트", "client programmer", "클라이언트 프로그래머", "유니티 개발자"),
              area=("game client", "게임 클라이언트")),
    JobFamily("9000008", "Game designer", "게임 기획자", "Game Designer", "게임 기획자", "game",
              ("game_development", "data_analysis", "microsoft_excel", "communication"),
              ("game planner", "게임 기획", "레벨 디자이너", "시스템 기획자", "level designer"),
              area=("game design", "게임 기획")),
    JobFamily("9000009", "QA engineer", "QA 엔지니어", "QA Engineer", "QA 엔지니어", "engineering",
              ("qa", "test_automation", "manual_testing", "e2e_testing"), ("qa", "tester", "테스터", "품질"),
              area=("quality assurance", "품질 보증")),
    JobFamily("9000010", "Security engineer", "보안 엔지니어", "Security Engineer", "보안 엔지니어", "engineering",
              ("information_security", "application_security", "cloud_security", "security_compliance"),
              ("security", "보안", "정보보안"),
              area=("security", "보안")),
    JobFamily("9000011", "Sales / business development", "영업/사업개발", "Business Development Manager",
              "사업개발 매니저", "business", ("business_development", "b2b_sales", "partnerships", "negotiation"),
              ("sales", "영업", "bd", "사업개발", "business development"),
              area=("business development", "사업 개발")),
)}

_FAMILY_KEYS: dict[str, str] = {}
for _family in JOB_FAMILIES.values():
    for _key in (_family.code, _family.en, _family.ko, _family.title_en, _family.title_ko, *_family.aliases):
        _FAMILY_KEYS.setdefault(re.sub(r"[\s/_\-]+", "", _key.lower()), _family.code)


def find_family(text: str) -> JobFamily | None:
    """A family from its code, name or a common alias in either language ("백엔드", "Backend", "1000229")."""
    key = re.sub(r"[\s/_\-]+", "", (text or "").strip().lower())
    code = _FAMILY_KEYS.get(key)
    return JOB_FAMILIES.get(code) if code else None


# ---- levels -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobLevel:
    code: str              # L1..L6, the same levels employee profiles carry (core.domain.LEVELS)
    en: str
    ko: str
    min_years: int
    title_prefix_en: str   # "Senior" in "Senior Backend Engineer"; empty where a title carries none
    title_prefix_ko: str

    @property
    def rank(self) -> int:
        return int(self.code[1:])

    def name(self, lang: str = "en") -> str:
        return self.ko if lang == "ko" else self.en

    def years_phrase(self, lang: str = "en") -> str:
        if self.min_years <= 0:
            return "신입 또는 경력 1년 미만" if lang == "ko" else "new graduates or under a year of experience"
        return f"관련 경력 {self.min_years}년 이상" if lang == "ko" else f"{self.min_years}+ years of relevant experience"


JOB_LEVELS: dict[str, JobLevel] = {lv.code: lv for lv in (
    JobLevel("L1", "Entry", "신입", 0, "Junior", "신입"),
    JobLevel("L2", "Junior", "주니어", 1, "Junior", "주니어"),
    JobLevel("L3", "Mid-level", "미들", 3, "", ""),
    JobLevel("L4", "Senior", "시니어", 5, "Senior", "시니어"),
    JobLevel("L5", "Lead", "리드", 8, "Lead", "리드"),
    JobLevel("L6", "Principal", "수석", 12, "Principal", "수석"),
)}

_LEVEL_WORDS = {"entry": "L1", "newgrad": "L1", "신입": "L1", "junior": "L2", "주니어": "L2", "mid": "L3",
                "midlevel": "L3", "미들": "L3", "중급": "L3", "senior": "L4", "시니어": "L4", "lead": "L5", "리드": "L5",
                "staff": "L5", "테크리드": "L5", "principal": "L6", "수석": "L6", "head": "L6"}


def find_level(text: str) -> JobLevel | None:
    key = re.sub(r"[\s\-_]+", "", (text or "").strip().lower())
    if re.fullmatch(r"l[1-6]", key):
        return JOB_LEVELS[key.upper()]
    code = _LEVEL_WORDS.get(key)
    return JOB_LEVELS[code] if code else None


def job_title(family: JobFamily, level: JobLevel, lang: str) -> str:
    prefix = level.title_prefix_ko if lang == "ko" else level.title_prefix_en
    base = family.title(lang)
    return f"{prefix} {base}".strip()


# ---- sections -----------------------------------------------------------------------------------------------------------

SECTIONS = ("title", "summary", "responsibilities", "requirements", "preferred", "benefits", "ideal_candidate")
LIST_SECTIONS = frozenset({"responsibilities", "requirements", "preferred", "benefits"})

SECTION_HEADINGS = {
    "ko": {"title": "포지션", "summary": "포지션 소개", "responsibilities": "주요 업무", "requirements": "자격 요건",
           "preferred": "우대 사항", "benefits": "혜택 및 복지", "ideal_candidate": "이런 분을 찾습니다"},
    "en": {"title": "Title", "summary": "About the role", "responsibilities": "What you'll do",
           "requirements": "What you'll need", "preferred": "Nice to have", "benefits": "Benefits",
           "ideal_candidate": "Who we're looking for"},
}

# Headings found in real postings, per section (compared without spaces or punctuation, lower case).
_HEADING_ALIASES = {
    "summary": ("포지션소개", "소개", "직무소개", "팀소개", "about", "abouttherole", "overview", "summary", "roleoverview",
                "abouttheteam", "이런일을해요", "포지션개요"),
    "responsibilities": ("주요업무", "담당업무", "업무내용", "하는일", "주요역할", "whatyoulldo", "whatyouwilldo",
                         "responsibilities", "roles", "roleandresponsibilities", "keyresponsibilities", "yourrole",
                         "합류하면함께할업무예요", "이런업무를해요"),
    "requirements": ("자격요건", "지원자격", "필수요건", "필수자격", "자격조건", "requirements", "qualifications",
                     "whatyoullneed", "whatyouneed", "minimumqualifications", "musthave", "이런분과함께하고싶어요"),
    "preferred": ("우대사항", "우대조건", "우대요건", "preferred", "preferredqualifications", "nicetohave",
                  "bonuspoints", "pluses", "이런분이면더좋아요"),
    "benefits": ("혜택및복지", "복리후생", "혜택", "복지", "benefits", "perks", "perksandbenefits", "whatweoffer",
                 "근무조건"),
    "ideal_candidate": ("인재상", "이런분을찾습니다", "이런분을찾아요", "wholookingfor",
                        "whowerelookingfor", "idealcandidate", "aboutyou"),
}
_HEADING_TO_SECTION = {alias: section for section, aliases in _HEADING_ALIASES.items() for alias in aliases}


def section_for_heading(heading: str) -> str | None:
    """The draft section a posting heading introduces ("[자격 요건]", "## What you'll do:" ...), or None."""
    key = re.sub(r"[\W_]+", "", (heading or "").lower())
    return _HEADING_TO_SECTION.get(key)


DRAFT_STYLES = ("concise", "detailed", "past_style", "custom", "updated")

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s*")


def split_items(text: str) -> list[str]:
    """Bullet lines of a list section, bullets stripped ("- a\n• b" -> ["a", "b"])."""
    return [_BULLET.sub("", line).strip() for line in (text or "").splitlines() if _BULLET.sub("", line).strip()]


# ---- companies and what they know ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensitiveEntity:
    """A name that must never appear in a posting (unreleased product code names, clients, internal systems).
    `generic` is what a draft may say instead ("차세대 결제 플랫폼"); without it the sentence is dropped."""

    name: str
    kind: str = ""        # product / client / system / project / person ...
    generic: str = ""
    generic_ko: str = ""  # per-language generic names, when the company posts in both languages
    generic_en: str = ""

    def generic_for(self, lang: str) -> str:
        """The generic name in the draft's language; empty (so the sentence is dropped) when there is none."""
        own = self.generic_ko if lang == "ko" else self.generic_en
        if own:
            return own
        if not self.generic:
            return ""
        hangul = bool(re.search(r"[\uac00-\ud7a3]", self.generic))
        return self.generic if hangul == (lang == "ko") else ""


@dataclass
class Company:
    id: str
    name: str
    description: str = ""
    ideal_candidate: str = ""                      # 인재상, entered by HR (never scraped)
    sensitive_entities: list[SensitiveEntity] = field(default_factory=list)
    lang: str = "ko"                               # the language its postings are usually written in
    industry: str = ""
    benefits: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    culture: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["sensitive_entities"] = [asdict(e) for e in self.sensitive_entities]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Company":
        entities = []
        for item in data.get("sensitive_entities") or []:
            if isinstance(item, str):
                entities.append(SensitiveEntity(item))
            elif isinstance(item, dict) and str(item.get("name") or "").strip():
                generic = item.get("generic") or ""
                per_lang = generic if isinstance(generic, dict) else {}
                entities.append(SensitiveEntity(
                    str(item["name"]).strip(), str(item.get("kind") or ""), "" if per_lang else str(generic),
                    str(per_lang.get("ko") or item.get("generic_ko") or ""),
                    str(per_lang.get("en") or item.get("generic_en") or "")))
        known = {f.name for f in fields(cls)} - {"sensitive_entities"}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("benefits", "locations"):
            if key in values and not isinstance(values[key], list):
                values[key] = [str(values[key])]
        return cls(sensitive_entities=entities, **values)


@dataclass
class Posting:
    """A past job posting of a company, by section."""

    id: str
    company_id: str
    family: str                  # a JOB_FAMILIES code
    level: str                   # L1..L6
    title: str
    sections: dict[str, object] = field(default_factory=dict)   # summary/ideal_candidate: str; list sections: list[str]
    posted_at: str = ""          # YYYY-MM-DD
    lang: str = "ko"

    def items(self, section: str) -> list[str]:
        value = self.sections.get(section)
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
        return split_items(str(value or "")) if section in LIST_SECTIONS else ([str(value).strip()] if value else [])

    def text(self) -> str:
        parts = [self.title]
        for section in SECTIONS[1:]:
            parts.extend(self.items(section))
        return "\n".join(p for p in parts if p)

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Posting":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class CompanyDocument:
    """A company document (handbook, career ladder, team introduction) before chunking."""

    company_id: str
    doc_id: str                  # the file name without folder, unique per company
    title: str
    text: str


@dataclass(frozen=True)
class DocChunk:
    """One section of a company document: long documents are kept and retrieved by section."""

    company_id: str
    doc_id: str
    chunk_no: int
    heading: str                 # "Handbook > 3. Engineering > 3.2 Backend" (the heading path)
    text: str


# ---- drafts ---------------------------------------------------------------------------------------------------------


@dataclass
class JdDraft:
    """A job description by section. List sections are lists of bullet items; the rest is prose."""

    title: str = ""
    summary: str = ""
    responsibilities: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    preferred: list[str] = field(default_factory=list)
    benefits: list[str] = field(default_factory=list)
    ideal_candidate: str = ""
    style: str = "concise"                  # one of DRAFT_STYLES
    lang: str = "ko"
    company_id: str = ""
    family: str = ""
    level: str = ""
    source: str = "template"                # template (offline, zero tokens) / gemini / offline
    required_skills: list[str] = field(default_factory=list)    # taxonomy ids the requirements ask for
    preferred_skills: list[str] = field(default_factory=list)
    basis: dict = field(default_factory=dict)   # where it came from: prepared key, posting ids, fallback, notes

    def section_text(self, section: str) -> str:
        value = getattr(self, section)
        if section in LIST_SECTIONS:
            return "\n".join(f"- {item}" for item in value)
        return value

    def with_section(self, section: str, text_or_items) -> "JdDraft":
        """A copy with one section replaced (text for list sections is split into bullet items)."""
        if section not in SECTIONS:
            raise ValueError(f"unknown section {section!r}; sections are {', '.join(SECTIONS)}")
        if section in LIST_SECTIONS:
            items = list(text_or_items) if isinstance(text_or_items, (list, tuple)) else split_items(text_or_items)
            return replace(self, **{section: items})
        return replace(self, **{section: str(text_or_items or "").strip()})

    def render(self) -> str:
        """The whole draft as text with headings in its language (what guardrails scan and openings show)."""
        headings = SECTION_HEADINGS.get(self.lang, SECTION_HEADINGS["en"])
        parts = [self.title]
        for section in SECTIONS[1:]:
            body = self.section_text(section)
            if body:
                parts.append(f"[{headings[section]}]\n{body}")
        return "\n\n".join(p for p in parts if p)

    def lines(self) -> list[tuple[str, str]]:
        """(section, line) for every line of content, in order."""
        out = [("title", self.title)] if self.title else []
        for section in SECTIONS[1:]:
            value = getattr(self, section)
            items = value if section in LIST_SECTIONS else [s for s in re.split(r"(?<=[.!?。])\s+|\n", value) if s]
            out.extend((section, item) for item in items if item.strip())
        return out

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "JdDraft":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in known})


# ---- JD records, versions, decisions, openings ------------------------------------------------------------------------


class JdStatus(str, enum.Enum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PUBLISHED = "published"


# Editing is allowed while nobody has decided; an edit while pending makes earlier approval buttons stale.
EDITABLE_STATUSES = (JdStatus.DRAFT, JdStatus.CHANGES_REQUESTED, JdStatus.PENDING_APPROVAL)


class JdAction(str, enum.Enum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"

    @property
    def needs_hr(self) -> bool:
        return self in (JdAction.APPROVE, JdAction.REJECT, JdAction.REQUEST_CHANGES, JdAction.PUBLISH)

    @property
    def needs_reason(self) -> bool:
        return self in (JdAction.REJECT, JdAction.REQUEST_CHANGES)


# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[JdAction, tuple[tuple[JdStatus, ...], JdStatus]] = {
    JdAction.SUBMIT: ((JdStatus.DRAFT, JdStatus.CHANGES_REQUESTED), JdStatus.PENDING_APPROVAL),
    JdAction.APPROVE: ((JdStatus.PENDING_APPROVAL,), JdStatus.APPROVED),
    JdAction.REJECT: ((JdStatus.PENDING_APPROVAL,), JdStatus.REJECTED),
    JdAction.REQUEST_CHANGES: ((JdStatus.PENDING_APPROVAL,), JdStatus.CHANGES_REQUESTED),
    JdAction.WITHDRAW: ((JdStatus.PENDING_APPROVAL,), JdStatus.DRAFT),
    JdAction.PUBLISH: ((JdStatus.APPROVED,), JdStatus.PUBLISHED),
}


@dataclass
class JdRecord:
    id: str
    company_id: str
    family: str
    level: str
    title: str
    status: JdStatus
    version: int
    draft: JdDraft
    owner_id: str
    created_at: str = ""
    updated_at: str = ""
    origin: dict = field(default_factory=dict)      # {"style": ..., "job_id": ..., "posting_id": ...}


@dataclass(frozen=True)
class JdVersion:
    jd_id: str
    version: int
    draft: JdDraft
    editor_id: str
    note: str
    at: str


@dataclass(frozen=True)
class JdDecision:
    id: int
    jd_id: str
    version: int
    actor_id: str
    action: str
    from_status: str
    to_status: str
    reason: str
    at: str


class OpeningStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Opening:
    """An internal opening: what an approved JD becomes when it is published."""

    id: str
    jd_id: str
    company_id: str
    family: str
    level: str
    title: str
    status: OpeningStatus
    opened_by: str
    opened_at: str
    closed_at: str = ""
