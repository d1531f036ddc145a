"""Offline skill extraction from resumes and queries, in Korean and English, onto canonical skills."""
from __future__ import annotations

import re
from functools import lru_cache

from core.domain import SkillEvidence
from core.skills.taxonomy import Taxonomy
from core.text import add_korean_user_words, join_key, normalize, tokenize_line, tokenize_lines

_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s*")
_LIST_HEADER = re.compile(r"^\s*(skills?|tech(nical)?\s*stack|기술\s*스택|보유\s*기술|기술|스킬|core competencies)\s*[:：]",
                          re.IGNORECASE)
MAX_EVIDENCE_CHARS = 180
# A job-entry header or title line: a date range ("2019 – Present", "2021.03 ~ 현재", "July 2011 to November 2012").
_DATE_RANGE = re.compile(
    r"(?:19|20)\d\d(?:[./-]\d{1,2})?\s*(?:[-–—~]|to|부터)\s*(?:[A-Za-z]{3,9}\.?\s+|\d{1,2}[./-])?(?:(?:19|20)\d\d|present|current|now|today|현재|재직\s*중)"
    r"|(?:present|current|현재|재직\s*중)\s*\)?\s*$", re.IGNORECASE)
# A short line ending in a role noun is a title ("Senior Backend Engineer", "Software Engineer, Backend").
_ROLE_TAIL = re.compile(
    r"(?:\b(?:engineer|developer|programmer|architect|manager|lead|director|designer|analyst|scientist|specialist|"
    r"consultant|accountant|officer|administrator|associate|assistant|coordinator|representative|recruiter|"
    r"marketer|planner|partner|head|intern|tester|technician|executive|advisor|owner|president|vp)s?"
    r"(?:\s*,\s*[\w&/ .+-]{1,30})?"
    r"|(?:개발자|엔지니어|매니저|디자이너|분석가|팀장|파트장|실장|리드|담당자|마케터|리크루터|기획자|컨설턴트|"
    r"사이언티스트|아키텍트|연구원|변호사|회계사|인턴))\s*[)\]]?\s*$", re.IGNORECASE)
_ROLE_NOUN = re.compile(
    r"\b(?:ENGINEER|DEVELOPER|PROGRAMMER|ARCHITECT|MANAGER|LEAD|DIRECTOR|DESIGNER|ANALYST|SCIENTIST|SPECIALIST|"
    r"CONSULTANT|ACCOUNTANT|OFFICER|ADMINISTRATOR|ASSOCIATE|ASSISTANT|COORDINATOR|REPRESENTATIVE|RECRUITER|CLERK|"
    r"MARKETER|PLANNER|PARTNER|HEAD|INTERN|TESTER|TECHNICIAN|EXECUTIVE|ADVISOR|OWNER|PRESIDENT|SUPERVISOR|TEACHER|"
    r"NURSE|CHEF|COOK|AGENT|AUDITOR|BANKER|TELLER|MECHANIC|PILOT|TRAINER|INSTRUCTOR|ATTORNEY|ADVOCATE)S?\b")
# A job header in Title Case ("Events & Public Relations Leader Company Name City, State"): nearly every word
# capitalised, a role noun among them, not a list. "Lead" is left out: "Lead Generation" is a skill.
_TITLE_CASE_ROLE = re.compile(_ROLE_NOUN.pattern.replace("LEAD|", "LEADER|"), re.IGNORECASE)
_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "at", "to", "a", "an", "on", "with", "&"})
_CAPS_RUN = re.compile(r"^(?:[A-Z][A-Z&/.'-]*[,]?\s+){1,7}[A-Z][A-Z&/.'-]*\b")
_HEADING = re.compile(
    r"^\W*(?:summary|profile|about(?: me)?|experience|work experience|professional experience|work history|"
    r"employment|skills?|core skills|technical skills|tools(?: & skills)?|education|certifications?|languages?|"
    r"projects?|highlights|accomplishments|interests|activities|references|"
    r"경력|경력\s*사항|경력기술서|이력서|학력|자격증|자격\s*사항|보유\s*기술|기술\s*스택|핵심\s*역량|보유\s*역량|"
    r"어학|외국어|프로젝트|자기소개|요약)\W*$", re.IGNORECASE)
# English aliases that are also everyday words ("large containers of lubrication", "provided back-up for other
# representatives", "purchasing card", "quality documentation"). In a sentence they are not evidence of the skill;
# in a skills list (or when the skill is also named another way) they are. Found by reading 100 sampled
# (skill, line) pairs of real resumes (bench/evidence_precision.py).
WEAK_FORMS = frozenset({
    "container", "containers", "backup", "back-up", "presentation", "interpreting", "firmware", "embedded",
    "purchasing", "documentation", "consulting", "cassandra", "p&l", "compensation", "hiring", "recruitment",
    "compliance", "sales force", "teamwork", "team-work", "fundraising", "configuration management", "audit",
    "audits", "statistics", "ga", "po",
})
_OWN_LEADERSHIP = re.compile(
    r"leadership\s+(?:skill|experience|abilit|role|qualit|style|position)|"
    r"(?:provid|show|demonstrat|strong|proven|military|team|servant|exceptional|excellent)\w*\s+leadership",
    re.IGNORECASE)
# Acronyms that are also syllables ("Bi-annually", "pr" in a URL): evidence only written in capitals.
UPPER_FORMS = frozenset({"bi", "pr", "qa", "hr", "ux", "ui", "cs", "ml", "ai", "bd"})
# A line about someone's schooling ("B.A. in Leadership Studies", "coursework in Web Design") shows what they studied,
# not that they have the skill: such mentions count like everyday words.
_EDUCATION = re.compile(r"\b(?:degree|coursework|course work|courses|b\.?a\.?|b\.?s\.?|bba|mba|m\.?s\.?|master(?:'s)?|"
                        r"bachelor(?:'s)?|masters|bachelors|graduate school|(?<!the )course(?! of)|learning cent(?:er|re)|training cent(?:er|re)|major|minor|gpa|diploma|"
                        r"university|college)\b|학사|석사|전공|졸업",
                        re.IGNORECASE)
# Product names that are also words: evidence when written as a name (capitalised: "Excel", "Oracle"), not as a
# word ("excel at", "an oracle").
NAME_FORMS = frozenset({"excel", "oracle", "swift", "rust", "ruby", "unity", "spring", "word", "access"})
# Words at the edge of a run of several tokens that make it prose, not a name ("I am" is not IAM).
_EDGE_WORDS = frozenset({"i", "a", "am", "is", "an", "the", "in", "on", "at", "to", "of", "as", "be", "or", "and",
                         "me", "my", "we", "by", "for", "with"})
# Aliases with a second meaning: evidence of the skill only when the line also says which meaning, even in a list
# ("SAP" alone is not SAP FI/CO; "Oracle" beside PeopleSoft is the ERP; "DSA" is also a student-affairs division;
# "PPM" a pre-production meeting). Found by reading sampled (skill, line) pairs of real resumes.
CONTEXT_ALWAYS = {
    "sap": r"\b(?:fi|co|fico|fi/co|finance|financial|accounting|ledger|controlling|costing)\b",
    "oracle": r"\b(?:database|databases|db|dba|sql|pl/sql|\d+[icg]|rac|exadata|schema|rman|data ?guard)\b",
    "dsa": r"\b(?:data structures?|algorithms?|leetcode|competitive programming)\b",
    "apm": r"\b(?:monitor\w*|application performance|new relic|dynatrace|appdynamics|datadog|observability)\b",
    "ppm": r"\b(?:portfolio|project portfolio)\b",
    "rfp": r"\b(?:proposals?|bids?|tenders?|respon\w+|rfi|rfq|vendors?|procurement)\b",
    "accountability": r"\b(?:ownership|owner|personal|sense of)\b",
    "ar": r"\b(?:vr|xr|augmented|virtual|mixed reality|arkit|arcore|unity|unreal|3d|headsets?|hololens)\b",
    "documentation": r"\b(?:technical (?:writing|documentation)|api|user (?:guides?|manuals?)|manuals?|writ\w*|"
                     r"sops?|procedures|release notes|help)\b",
    "forensics": r"\b(?:digital|computer|mobile|encase|ftk|cellebrite|malware|incident|cyber\w*|disk|memory)\b",
}
# Aliases that in a sentence need the line to show the meaning ("testing ... on Windows, Android, iOS" is not
# Android development; "safety and risk management" while driving is not enterprise risk management); in a skills
# list they stand as written.
CONTEXT_IN_SENTENCE = {
    "android": r"\b(?:develop\w*|apps?|applications?|kotlin|java|sdk|studio|jetpack|gradle|engineer\w*|programm\w*|"
               r"cod(?:e|ed|ing)|built|build\w*)\b",
    "qa": r"\b(?:software|test\w*|bugs?|defects?|automat\w*|selenium|regression|releases?|builds?|jira|cases?)\b",
    "quality assurance": r"\b(?:software|test\w*|bugs?|defects?|automat\w*|selenium|regression|releases?|"
                         r"builds?|jira|applications?|systems?)\b",
    "knowledge base": r"\b(?:articles?|faqs?|zendesk|confluence|wiki|self-service|help (?:center|desk)|"
                      r"support|documentation|kb)\b",
    "front-end": r"\b(?:develop\w*|cod(?:e|ed|ing)|javascript|typescript|html|css|react|angular|vue|ui|engineer\w*|"
                 r"programm\w*)\b",
    "roadmap": r"\b(?:product|products|features?|releases?|launch\w*|backlog|prioriti\w*)\b",
    "sustainability": r"\b(?:esg|environment\w*|carbon|emissions?|csr|green|climate|energy|reporting)\b",
    "risk management": r"\b(?:enterprise|erm|credit|market|operational|financial|compliance|audit\w*|controls?|"
                       r"framework|mitigat\w*|risk assessments?|regulat\w*|portfolio|insurance|underwrit\w*)\b",
    "decision making": r"(?:decision[- ]making\W+(?:skills?|abilit\w*|authority|process\w*)|"
                       r"(?:strong|sound|quick|effective|independent|strategic|data[- ]driven|informed)\W+decision)",
    "decision-making": r"(?:decision[- ]making\W+(?:skills?|abilit\w*|authority|process\w*)|"
                       r"(?:strong|sound|quick|effective|independent|strategic|data[- ]driven|informed)\W+decision)",
    "communication": r"(?:communication\W+skills?|(?:verbal|written|oral|clear|effective|excellent|strong|exceptional|"
                     r"interpersonal|open|client|customer|internal|external|cross-functional|team|corporate|crisis|"
                     r"marketing|strategic|public)\W+communications?|communicat\w*\W+(?:with|between|across|to)\b)",
}
# A wish, not experience ("looking to build a new career in the web development field").
_ASPIRATION = re.compile(r"\b(?:looking to|seeking|aspir\w*|hoping to|hope to|wish to|eager to learn|"
                         r"interested in (?:learning|a career)|new career)\b", re.IGNORECASE)
# A line about the employer, not the person ("IVT is a provider of … software for corporate communications",
# "Primavera Capital provides consulting services … requiring corporate finance advisory").
_EMPLOYER_BLURB = re.compile(r"^(?:[A-Z][\w&.'-]*\s+){1,4}(?:is (?:a|an|the)|provides|offers|speciali[sz]es|manufactures)\b"
                             r"|\bis an? (?:\w+\s+){0,2}(?:provider|manufacturer|supplier) of\b")
# Someone else's skill the person fosters ("promote critical thinking" in a class): not evidence of their own.
_FOSTERED = re.compile(r"\b(?:promot|encourag|foster|teach|taught|develop|build|nurtur|instill|model)\w*\W+"
                       r"(?:\w+\W+){0,4}(?:critical thinking|problem[- ]solving|teamwork|communication)", re.IGNORECASE)
REUSE_PENALTY = 12     # quoting a line already quoted for another skill costs this much quality
TITLE_LIKE = -100      # below this a line is never quoted


def is_title_like(line: str, title: str = "") -> bool:
    """A job title, section heading or job-entry header: it names a role, it does not show a skill."""
    text = _BULLET.sub("", line).strip()
    if title and text.lower() == title.strip().lower():
        return True
    words = text.split()
    caps = _CAPS_RUN.match(text)
    if caps and _ROLE_NOUN.search(caps.group(0)):
        return True    # "ACCOUNTS PAYABLE REPRESENTATIVE Company Name, City": a job header in capitals
    if len(words) <= 6 and _ROLE_TAIL.search(text):
        return True    # "Senior Backend Engineer", "Software Engineer, Backend", "시니어 백엔드 개발자"
    if len(words) <= 3 and _HEADING.match(text):
        return True    # "SKILLS", "Work Experience", "[보유 역량]"
    if len(words) <= 12 and text.count(",") <= 2 and _title_case(words) and _TITLE_CASE_ROLE.search(text):
        return True    # "Events & Public Relations Leader Company Name City , State"
    return len(words) <= 14 and bool(_DATE_RANGE.search(text))


@lru_cache(maxsize=8192)
def _compiled(pattern: str, flags: int) -> re.Pattern:
    return re.compile(pattern, flags)


def _search(pattern: str, text: str, flags: int = 0):
    """re.search with the pattern compiled once: the per-key patterns below outnumber what re's own cache keeps
    beside an import's other patterns, and recompiling them was ~6 % of its analysis (bench/import_throughput.py)."""
    return _compiled(pattern, flags).search(text)


def _in_context(key: str, line: str, listed: bool) -> bool:
    """False when an alias with a second meaning is used without the words that say which (CONTEXT_ALWAYS, and in a
    sentence CONTEXT_IN_SENTENCE), or names a skill the person fosters in others."""
    pattern = CONTEXT_ALWAYS.get(key) or (None if listed else CONTEXT_IN_SENTENCE.get(key))
    if pattern and not _search(pattern, line, re.IGNORECASE):
        return False
    if listed:
        return True
    if _FOSTERED.search(line) or _ASPIRATION.search(line) or _EMPLOYER_BLURB.search(line):
        return False
    # "the Payroll Department": the people who do it, not this person; "payroll costs": money spent on it
    return not _search(re.escape(key) + r"\s+(?:department|dept\b|division|costs?\b|expenses?\b)", line,
                         re.IGNORECASE)


def _title_case(words: list[str]) -> bool:
    content = [w for w in words if w[:1].isascii() and w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return len(content) >= 3 and sum(w[0].isupper() for w in content) >= 0.85 * len(content)


def _strong_form(key: str, line: str) -> bool:
    if key in WEAK_FORMS:
        return False
    if key in UPPER_FORMS:
        return bool(_search(r"(?<![A-Za-z])" + re.escape(key.upper()) + r"(?![a-z])", line))
    if key in NAME_FORMS:
        return bool(_search(r"(?<![A-Za-z])(?:" + re.escape(key[0].upper() + key[1:]) + r"|" + re.escape(key.upper())
                              + r")(?![a-z])", line))
    if key == "leadership":
        # "leadership" is as often the managers ("reported to leadership", "AF leadership", "Leadership Program")
        return bool(_OWN_LEADERSHIP.search(line))
    return True


def _is_list(line: str) -> bool:
    """A skills list: a list header, or three or more separators between short items ("Word, Excel, Access, SQL");
    a sentence with commas and a "TCP/IP" in it is not one."""
    if _LIST_HEADER.match(line):
        return True
    items = [item for item in re.split(r"[,、;]|\s/\s|(?<=[a-z])/(?=[A-Za-z])", line) if item.strip()]
    return len(items) >= 4 and sum(len(item.split()) for item in items) / len(items) <= 4


def _evidence_quality(line: str, skills_in_line: int = 1, title: str = "") -> float:
    """Prefer a sentence describing work with this skill over a bare skills list, a line that lists many skills,
    or a title or heading (which is never quoted: TITLE_LIKE)."""
    if is_title_like(line, title):
        return TITLE_LIKE - 1
    commas = line.count(",") + line.count("、") + line.count("/")
    words = len(line.split())
    score = min(words, 25)
    if _LIST_HEADER.match(line) or commas >= 3:
        score -= 20
    score -= 4 * min(4, max(0, skills_in_line - 1))
    return score


def clean_evidence(line: str) -> str:
    text = _BULLET.sub("", line).strip()
    if len(text) > MAX_EVIDENCE_CHARS:
        text = text[: MAX_EVIDENCE_CHARS - 1].rstrip() + "…"
    return text


class SkillExtractor:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        add_korean_user_words(form for skill in taxonomy.skills.values() for form in (skill.ko, *skill.aliases))

    def _match_tokens(self, tokens: list[str]) -> list[str]:
        """Greedy longest match of token n-grams against the taxonomy's surface forms."""
        return [skill_id for skill_id, _ in self._match_forms(tokens)]

    def _match_forms(self, tokens: list[str], line: str | None = None) -> list[tuple[str, str]]:
        """(skill id, matched key) pairs. With the `line`, a run of several English tokens must be written together
        in it ("management reporting", not "management, reporting") and must not start or end in a small word."""
        found = []
        i, n = 0, len(tokens)
        max_n = self.taxonomy.max_tokens
        text = normalize(line) if line is not None else None
        while i < n:
            for width in range(min(max_n, n - i), 0, -1):
                window = tokens[i:i + width]
                key = join_key(window)
                skill_id = self.taxonomy.by_surface.get(key)
                if skill_id and width > 1 and text is not None and all(t.isascii() for t in window):
                    if window[0] in _EDGE_WORDS or window[-1] in _EDGE_WORDS or not _search(
                            r"[\s\-_]*".join(re.escape(t) for t in window), text):
                        skill_id = None
                if skill_id:
                    found.append((skill_id, " ".join(window)))
                    i += width
                    break
            else:
                i += 1
        return found

    def skills_in_line(self, line: str) -> list[str]:
        return self._match_tokens(tokenize_line(line))

    def extract(self, text: str) -> list[SkillEvidence]:
        """Canonical skills of a resume, each with the line that best evidences it, in order of first mention."""
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        return self.extract_tokenized(lines, tokenize_lines(lines))

    def extract_tokenized(self, lines: list[str], line_tokens: list[list[str]],
                          title: str = "") -> list[SkillEvidence]:
        """As extract(), for lines the caller already tokenized (the import path tokenizes once for everything).

        Each skill is quoted with the line that shows it best: a sentence about work with that skill rather than a
        skills list, and a different line for each skill where one exists. A title, heading or job-entry header is
        never quoted (`title`: the person's job title, when the first line is it): a skill only such lines name is
        kept with an empty evidence line, which the cards show as "named in the job title"."""
        candidates: dict[str, list[tuple[float, int]]] = {}
        weak: dict[str, list[tuple[float, int]]] = {}      # mentions only through an everyday word, in a sentence
        order: list[str] = []
        for index, (line, tokens) in enumerate(zip(lines, line_tokens)):
            if not line:
                continue
            forms = self._match_forms(tokens, line)
            found = list(dict.fromkeys(s for s, _ in forms))
            if not found:
                continue
            quality = _evidence_quality(line, len(found), title)
            listed = _is_list(line)
            schooling = bool(_EDUCATION.search(line))
            for skill_id in found:
                keys = [k for s, k in forms if s == skill_id]
                strong = (not schooling and any(_in_context(k, line, listed) for k in keys)
                          and (listed or any(_strong_form(k, line) for k in keys)))
                if skill_id not in candidates and skill_id not in weak:
                    order.append(skill_id)
                (candidates if strong else weak).setdefault(skill_id, []).append((quality, index))
        # A skill only everyday words point to, in sentences, is not a skill of this person.
        order = [s for s in order if s in candidates]
        # Skills with the fewest usable lines choose first, so that one summary sentence is not quoted for all.
        chosen: dict[str, int | None] = {}
        used: dict[int, int] = {}
        for skill_id in sorted(order, key=lambda s: (sum(q > TITLE_LIKE for q, _ in candidates[s]), order.index(s))):
            best, best_value = None, float("-inf")
            for quality, index in candidates[skill_id]:
                value = quality - REUSE_PENALTY * used.get(index, 0)
                if quality > TITLE_LIKE and value > best_value:
                    best, best_value = index, value
            chosen[skill_id] = best
            if best is not None:
                used[best] = used.get(best, 0) + 1
        return [SkillEvidence(sid, clean_evidence(lines[chosen[sid]]) if chosen[sid] is not None else "")
                for sid in order]

    def extract_query(self, text: str) -> list[str]:
        seen: list[str] = []
        for line in (text or "").splitlines():
            for skill_id in self.skills_in_line(line):
                if skill_id not in seen:
                    seen.append(skill_id)
        return seen
