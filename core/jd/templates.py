"""The fixed wording of template-built drafts, in Korean and English.

Kept in one place because the guardrails need it too: words that come from these templates are scaffolding, not
claims about the company, so the traceability check does not flag them.
"""
from __future__ import annotations

import re

_HANGUL_START, _HANGUL_END = 0xAC00, 0xD7A3


def has_batchim(word: str) -> bool:
    """Whether the last syllable of a Korean word ends in a consonant (decides 을/를, 이/가, 은/는, 과/와)."""
    for char in reversed((word or "").strip()):
        code = ord(char)
        if _HANGUL_START <= code <= _HANGUL_END:
            return (code - _HANGUL_START) % 28 != 0
        if char.isdigit():
            return char in "013678"          # 영, 일, 삼, 육, 칠, 팔
        if char.isalpha():
            return char.lower() in "lmn"     # read aloud: ...l, ...m, ...n (Designer -> 디자이너: none)
        if char in ")]}\"'":
            continue
        return False
    return False


def josa(word: str, pair: str) -> str:
    """word + the right particle: josa("개발자", "을/를") -> "개발자를"."""
    with_batchim, without = pair.split("/")
    if pair == "으로/로":
        last = (word or " ").strip()[-1:]
        rieul = bool(last) and _HANGUL_START <= ord(last) <= _HANGUL_END and (ord(last) - _HANGUL_START) % 28 == 8
        return word + (without if not has_batchim(word) or rieul else with_batchim)
    return word + (with_batchim if has_batchim(word) else without)


def join_names(names: list[str], lang: str) -> str:
    if not names:
        return ""
    if lang == "ko":
        return ", ".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# ---- sentences ------------------------------------------------------------------------------------------------------
def summary_sentence(company: str, title: str, lang: str) -> str:
    if lang == "ko":
        return f"{company}에서 함께할 {josa(title, '을/를')} 찾습니다."
    return f"{company} is looking for a {title} to join the team."


def skills_requirement(names: list[str], lang: str) -> str:
    if lang == "ko":
        return f"{join_names(names, lang)} 활용 경험"
    return f"Hands-on experience with {join_names(names, lang)}"


def skills_preferred(names: list[str], lang: str) -> str:
    if lang == "ko":
        return f"{join_names(names, lang)} 경험"
    return f"Experience with {join_names(names, lang)}"


GENERIC_RESPONSIBILITIES = {
    "engineering": {
        "en": ["Design, build and operate {area} features", "Write tests and take part in code reviews",
               "Improve the reliability and performance of the services you own",
               "Work with product managers and designers to ship improvements"],
        "ko": ["{area} 기능의 설계, 개발 및 운영", "테스트 코드 작성과 코드 리뷰 참여", "담당 서비스의 안정성과 성능 개선",
               "기획자, 디자이너와 협업하여 기능 개선"],
    },
    "data": {
        "en": ["Build {area} solutions from problem framing to production", "Build and maintain the data they need",
               "Share findings with product and business teams", "Monitor and improve what you ship"],
        "ko": ["문제 정의부터 운영까지 {area} 과제 수행", "필요한 데이터 구축과 관리", "분석 결과를 제품·사업 조직과 공유",
               "배포한 결과물의 모니터링과 개선"],
    },
    "product": {
        "en": ["Define problems and requirements for {area} work", "Work with engineers and designers from discovery "
               "to launch", "Measure results and decide next steps from data", "Keep stakeholders aligned with clear "
               "documents"],
        "ko": ["{area} 과제의 문제 정의와 요구사항 정리", "개발자, 디자이너와 발견부터 출시까지 협업", "데이터로 성과를 측정하고 다음 단계 결정",
               "명확한 문서로 이해관계자와 방향 공유"],
    },
    "business": {
        "en": ["Plan and run {area} work", "Analyse results and report them to stakeholders",
               "Improve the team's processes and tools", "Work closely with other teams towards shared goals"],
        "ko": ["{area} 업무 기획과 운영", "성과 분석과 이해관계자 보고", "팀의 업무 프로세스와 도구 개선", "유관 부서와 협업하여 공동 목표 달성"],
    },
    "game": {
        "en": ["Build {area} features for our games", "Polish features through playtests and feedback",
               "Work with designers, artists and programmers", "Improve quality and performance before launch"],
        "ko": ["{area} 기능 개발", "플레이테스트와 피드백으로 완성도 개선", "기획자, 아티스트, 프로그래머와 협업", "출시 전 품질과 성능 개선"],
    },
}


def generic_responsibilities(group: str, area: str, lang: str) -> list[str]:
    lines = GENERIC_RESPONSIBILITIES.get(group, GENERIC_RESPONSIBILITIES["business"])[lang if lang == "ko" else "en"]
    return [line.format(area=area) for line in lines]


# Every fixed word the templates above can put in a draft (their content words are scaffolding, not claims).
SCAFFOLD_TEXT = "\n".join([
    summary_sentence("", "", "ko"), summary_sentence("", "", "en"), skills_requirement(["x"], "ko"),
    skills_requirement(["x"], "en"), skills_preferred(["x"], "ko"), skills_preferred(["x"], "en"),
    *(line.format(area="") for group in GENERIC_RESPONSIBILITIES.values() for lines in group.values() for line in lines),
    "관련 경력 년 이상 신입 또는 경력 1년 미만 years of relevant experience new graduates or under a year of experience",
])

_YEARS = re.compile(r"(\d{1,2})\s*(?:\+\s*)?(?:년|years?|yrs?)")


def years_in(text: str) -> int | None:
    match = _YEARS.search(text or "")
    return int(match.group(1)) if match else None
