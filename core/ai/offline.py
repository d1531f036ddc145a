"""The offline AI provider: the AI port's tasks done with local rules, the skill taxonomy and templates.

Deterministic and instant. It is the whole AI layer when no Gemini key is set, and the fallback behind Gemini
(core.ai.provider.ResilientProvider). Every rule here reads Korean and English.
"""
from __future__ import annotations

import re
from datetime import date
from typing import AsyncIterator, Iterable, get_args

from core.ai.provider import (ExtractedRole, ExtractedSkill, Fact, Generated, Proficiency, RequestBrief,
                              ResumeExtraction, TalentQuestion, TextStream)
from core.guardrails import discriminatory_spans, has_search_content
from core.resume.redaction import KOREAN_SURNAMES
from core.skills.extractor import SkillExtractor
from core.skills.taxonomy import Taxonomy, load_taxonomy
from core.text import detect_language, tokenize_lines

SOURCE = "offline"
PROFICIENCY_LEVELS = get_args(Proficiency)   # beginner, intermediate, advanced, expert

# ---- resume sections ----------------------------------------------------------------------------------------------
_SECTION_WORDS = {
    "experience": ("경력", "경력사항", "경력 사항", "경력기술서", "경력 기술", "근무 경력", "직장 경력", "work experience",
                   "experience", "professional experience", "work history", "employment", "employment history",
                   "career", "career history", "프로젝트", "프로젝트 경험", "projects"),
    "education": ("학력", "학력사항", "학력 사항", "교육", "education", "academic background"),
    "certifications": ("자격증", "자격 사항", "자격사항", "자격", "면허", "자격증 및 면허", "certifications", "certificates",
                       "certification", "licenses", "licences", "licenses & certifications",
                       "licenses and certifications"),
    "languages": ("어학", "외국어", "어학 능력", "언어", "languages", "language skills", "language"),
    "skills": ("보유 기술", "기술 스택", "기술", "스킬", "핵심 역량", "보유 역량", "skills", "technical skills", "core skills",
               "tools & skills", "tech stack"),
    "summary": ("자기소개", "요약", "경력 요약", "summary", "profile", "about me", "about", "objective"),
}
_SECTION_BY_WORD = {w: section for section, words in _SECTION_WORDS.items() for w in words}
_HEADER_DECOR = re.compile(r"^[\s\[\]■□▶▪●◆#*=:·\-]+|[\s\[\]■□▶▪●◆#*=:·\-]+$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦■□▶]|\d+[.)])\s*")

# ---- dates and roles ----------------------------------------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_YEAR = r"(?:19[5-9]\d|20\d{2})"
_DATE = (rf"(?:{_YEAR}\s*(?:[./\-]\s*|년\s*)\d{{1,2}}(?:\s*월)?(?!\d)"
         rf"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+{_YEAR}"
         rf"|\d{{1,2}}\s*/\s*{_YEAR}"
         rf"|{_YEAR}(?:\s*년)?(?![\d.])(?!\s*[./]\s*\d))")
_CURRENT = r"(?:현재|재직\s*중|재직중|진행\s*중|present|current(?:ly)?|now|today|ongoing)"
_RANGE = re.compile(rf"(?<![\d.])({_DATE})\s*(?:~|–|—|-|to|until|부터|→)\s*({_DATE}|{_CURRENT})", re.IGNORECASE)
_TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|manager|designer|analyst|scientist|lead|director|head|architect|consultant|specialist|"
    r"officer|intern|associate|administrator|coordinator|planner|marketer|accountant|recruiter|partner|researcher|"
    r"owner|writer|representative|executive|sre|devops|programmer|strategist|counsel|attorney|lawyer|auditor|"
    r"controller|agent|technician|assistant|vp|cto|ceo|cfo|coo|principal|staff|senior|junior|pm|po|generalist|"
    r"professional|advisor|paralegal|bookkeeper)\b"
    r"|개발자|엔지니어|매니저|디자이너|분석가|연구원|팀장|파트장|리드|담당자|담당|기획자|마케터|회계사|전문가|책임|선임|수석|"
    r"주임|사원|대리|과장|차장|부장|이사|인턴|컨설턴트|변호사|노무사|사이언티스트|아키텍트|세무사|리크루터|운영자|상담사",
    re.IGNORECASE)
_ORG_WORDS = re.compile(
    r"\(주\)|㈜|주식회사|\b(?:inc|corp|corporation|co|ltd|llc|gmbh|company|group|labs?|bank|holdings|technologies|"
    r"systems|solutions|studio|studios|games|university)\b\.?|은행|증권|보험|텔레콤|커머스|그룹|전자|랩|컴퍼니|테크|소프트",
    re.IGNORECASE)
_EDUCATION_LINE = re.compile(
    r"\b(?:[BM]\.[SA]\.|B\.?Sc|M\.?Sc|MBA|Ph\.?\s?D|J\.D\.|Bachelor(?:'s)?(?:\s+(?:of|in|degree))|"
    r"Master(?:'s)?\s+(?:of|in|degree)|Doctor(?:ate)?\s+(?:of|in)|Associate\s+degree|Diploma\s+in)\b"
    r"|학사|석사|박사|전문학사|졸업|대학교|대학원|고등학교|\b(?:University|College|Institute of Technology|KAIST|POSTECH|UNIST|"
    r"DGIST|GIST)\b")
_DEGREE_TOKEN = re.compile(r"\b(?:[BM]\.[SA]\.|B\.?Sc|M\.?Sc|MBA|Ph\.?\s?D|J\.D\.|Bachelor|"
                           r"Master(?:'s)?\s+(?:of|in|degree)|"
                           r"Doctor(?:ate)?\s+of)\b|학사|석사|박사|졸업")

# ---- certifications and languages ---------------------------------------------------------------------------------
_CERTIFICATIONS = re.compile("|".join([
    r"정보처리(?:산업)?기사", r"정보보안(?:산업)?기사", r"빅데이터\s*분석\s*기사", r"네트워크\s*관리사\s*\d?\s*급?",
    r"리눅스\s*마스터\s*\d?\s*급?", r"전산\s*회계\s*\d\s*급", r"컴퓨터\s*활용\s*능력\s*\d\s*급", r"공인\s*회계사", r"세무사",
    r"공인\s*노무사", r"변호사", r"데이터\s*분석\s*준전문가", r"\bSQLD\b", r"\bSQLP\b", r"\bADsP\b", r"\bADP\b",
    r"AWS\s+Certified(?:\s+[A-Z][\w-]*)+(?:\s*[–-]\s*(?:Associate|Professional|Specialty))?",
    r"\bCKA\b", r"\bCKAD\b", r"\bCKS\b", r"\bPMP\b", r"\b(?:AI|KI)?CPA\b", r"\bCFA(?:\s+Level\s+I{1,3})?\b",
    r"\bFRM\b", r"\bCISSP\b", r"\bCISA\b", r"\bCISM\b", r"\bCIPP(?:/[EUSA])?\b", r"\bSHRM-(?:CP|SCP)\b", r"\bCSPO\b",
    r"\bPSM\s*I{0,3}\b", r"\bITIL(?:\s+v?\d)?\b", r"Six\s+Sigma\s+\w+\s+Belt", r"6\s*시그마\s*\S+벨트",
    r"Oracle\s+Certified\s+[\w :.-]+?(?=,|;|$)", r"Microsoft\s+Certified:?\s+[\w :-]+?(?=,|;|$)",
    r"Google\s+Cloud\s+(?:Certified\s+)?(?:Professional|Associate)\s+[\w ]+?(?=,|;|$)",
    r"(?:Google|TensorFlow|Databricks|Salesforce|Zendesk|Azure|Kubernetes)[\w ]*?\s+(?:Certified|Certificate|"
    r"Certification)\b[\w :-]*?(?=,|;|$)",
]), re.IGNORECASE | re.MULTILINE)
_LANGUAGE_NAMES = {
    "en": ("english", "영어", "toeic", "toefl", "ielts", "teps", "opic", "토익", "토플", "오픽"),
    "ko": ("korean", "한국어", "topik"),
    "ja": ("japanese", "일본어", "jlpt", "jpt"),
    "zh": ("chinese", "mandarin", "cantonese", "중국어", "hsk"),
    "es": ("spanish", "스페인어", "dele"),
    "fr": ("french", "프랑스어", "불어", "delf", "dalf"),
    "de": ("german", "독일어", "testdaf"),
    "vi": ("vietnamese", "베트남어"),
    "ru": ("russian", "러시아어"),
}
_LANGUAGE_CONTEXT = re.compile(
    r"\b(?:languages?|native|fluent|fluency|bilingual|business|conversational|proficient|proficiency|"
    r"professional working|toeic|toefl|ielts|teps|opic|jlpt|jpt|hsk|topik)\b|어학|외국어|원어민|모국어|유창|회화|업무\s*가능|"
    r"비즈니스|능통|토익|토플|오픽", re.IGNORECASE)

# ---- proficiency signals -----------------------------------------------------------------------------------------
_EXPERT_WORDS = re.compile(r"\b(?:expert|expertise|subject matter expert|guru|authority|principal)\b|전문가|최고\s*수준",
                           re.IGNORECASE)
_STRONG_WORDS = re.compile(
    r"\b(?:led|lead|leading|architected|architect|designed|design(?:ing)? the|owned|own(?:ing)? the|drove|"
    r"spearheaded|mentored|mentoring|advanced|extensive|deep|in-depth|senior|headed|built the|introduced)\b"
    r"|주도|리드|리딩|설계|총괄|책임|아키텍처|고도화|멘토링|도입|심화|전담", re.IGNORECASE)
_WEAK_WORDS = re.compile(
    r"\b(?:basic|basics|familiar|familiarity|beginner|(?:currently|still|now) learning|learning the basics|exposure|"
    r"coursework|studied|introductory|some experience|bootcamp|tutorials?|hobby)\b"
    r"|기초|학습\s*중|공부\s*중|공부하며|입문|수강|기본\s*지식|교육\s*이수|스터디|독학|접해",
    re.IGNORECASE)
_SKILL_YEARS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)\b|(?<![\d.])(\d{1,2})\s*년(?![생도월])",
                          re.IGNORECASE)
_TOTAL_YEARS = re.compile(
    r"(?<![\d.])(\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+[\w-]+){0,3}?\s+"
    r"(?:experience|in the industry)"
    r"|(?:experience|career)\s*(?:of|:)\s*(\d{1,2})\+?\s*years?"
    r"|(?<![\d.])(\d{1,2})\s*년\s*차|경력\s*(\d{1,2})\s*년|(?<![\d.])(\d{1,2})\s*년\s*(?:간|이상)?\s*(?:의\s*)?(?:경력|실무)",
    re.IGNORECASE)

# ---- questions ---------------------------------------------------------------------------------------------------
_INJECTION = re.compile("|".join([
    r"\b(?:ignore|disregard|forget|override|bypass|skip)\b[\w\s,'’]{0,40}?\b(?:previous|prior|above|earlier|all|your|"
    r"the|system|original)\b[\w\s,'’]{0,20}?\b(?:instructions?|prompts?|rules?|messages?|directives?|guidelines?|"
    r"restrictions?|filters?|context)\b",
    r"\bsystem\s*prompt\b", r"\b(?:reveal|show|print|repeat|output|display|tell me|what (?:is|are|were))\b[\w\s]{0,20}?"
    r"\b(?:your|the)\s+(?:initial\s+|original\s+|hidden\s+|secret\s+)?(?:instructions|prompt|rules|system message)\b",
    r"\byou are now\b", r"\bfrom now on,? you\b", r"^\s*(?:please\s+)?(?:act|behave)\s+as\b",
    r"\bpretend (?:to be|you(?:'re| are))\b",
    r"\brole-?\s?play\b", r"\bjailbreak\b", r"\bdeveloper mode\b", r"\bDAN\b", r"\bdo anything now\b",
    r"\bnew instructions?\s*:", r"\brepeat (?:the|everything) (?:text )?above\b", r"\bwhat were you told\b",
    r"\bno (?:restrictions|rules|filters)\b", r"</?\s*(?:system|instructions?|request|resume|facts|question)\s*>",
    r"(?:이전|위|앞|기존|모든|원래)\s*(?:의\s*)?(?:지시|지침|명령|규칙|프롬프트|설정|내용)\S*\s*(?:은|는|을|를|다|모두|전부)?\s*(?:다\s*)?(?:무시|잊어)",
    r"(?:지시|지침|규칙|명령|제한|필터)\S*\s*(?:을|를)?\s*(?:무시|해제|우회)", r"시스템\s*프롬프트",
    r"프롬프트\S*\s*(?:을|를)?\s*(?:보여|알려|출력|공개|말해)", r"(?:너는|넌|당신은)\s*이제", r"지금부터\s*(?:너는|넌|당신은)",
    r"역할\s*극", r"인\s*척\s*(?:해|하)", r"탈옥", r"개발자\s*모드", r"제약\s*없이",
]), re.IGNORECASE)
_COMPARE = re.compile(r"\bcompar(?:e|ing|ison)\b|\bvs\.?(?!\w)|\bversus\b|\bdifference between\b|\bwho is better\b|"
                      r"\bwhich (?:one|of (?:them|the two)) is (?:better|stronger)\b|\bside by side\b|"
                      r"비교|누가\s*더|차이(?:점)?|대비해", re.IGNORECASE)
_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b|\bheadcount\b|몇\s*(?:명|분|사람)|인원\s*수|몇이나|얼마나\s*(?:많|있)",
                    re.IGNORECASE)
_SKILLS_OF = re.compile(
    r"\bwhat (?:skills|technologies|tech|tools|experience)\b|\bskills? (?:of|for)\b|\bskill ?set\b|'s skills\b|"
    r"\bwhat (?:does|can|did) [\w ]{2,30}? (?:know|do)\b|\bwhat is [\w ]{2,30}? good at\b|\bprofile of\b|"
    r"\btell me about\b|(?:의|는|은)?\s*(?:보유\s*)?(?:기술|스킬|역량|기술\s*스택|프로필|경력)\s*(?:이|은|는|을|를|좀)?\s*"
    r"(?:뭐|무엇|어때|알려|보여|말해)|뭘\s*할\s*줄|무엇을\s*할\s*줄|뭐\s*할\s*줄|잘\s*하는\s*(?:게|것)|무슨\s*(?:기술|스킬)",
    re.IGNORECASE)
_HELP = re.compile(r"^\s*(?:help|\?+|도움말|도움|사용법|명령어)\s*[?!.]*\s*$|\bwhat can (?:you|i) (?:do|ask)\b|"
                   r"\bhow (?:do|can|should) i use\b|\bhow does this (?:bot |assistant )?work\b|"
                   r"\bwhat are the commands\b|"
                   r"뭘\s*할\s*수\s*있|무엇을\s*할\s*수\s*있|뭐\s*할\s*수\s*있|어떻게\s*(?:써|사용|쓰)|어떤\s*걸\s*물어",
                   re.IGNORECASE)
# Always out of domain: pay, a person's age or birthday, and tasks this assistant does not do. (Protected attributes
# used as criteria are refused before this, with the rule and a lawful rewording, by core.guardrails; naming a category
# or a domain - "gender pay gap reporting", "pregnancy app" - is not a criterion and is not declined here.)
_OUT_HARD = re.compile(
    r"\bsalar(?:y|ies)\b|\bcompensation\b|\bhow much (?:does|do|is) [\w ]+ (?:earn|make|paid|get paid)\b|"
    r"\bbonus(?:es)?\b|\bpaycheck\b|\bhow old\b|\bbirthday\b|\bsexual\b|"
    r"^\s*(?:please\s+|can you\s+|could you\s+)?(?:write|code|implement|debug|fix|generate|refactor|optimi[sz]e)\b"
    r".*\b(?:code|function|script|program|query|regex|class|bug|error|method|algorithm|loop)\b|\bstack ?trace\b|"
    r"\bsyntax error\b|\bcompile error\b|\bleetcode\b|"
    r"^\s*how (?:do|can|should) i (?:use|install|configure|set up|write|implement|learn|fix)\s+"
    r"(?!this\b|you\b|the bot\b|"
    r"the assistant\b|internal hire\b)|"
    r"연봉|급여|월급|보너스|성과급|얼마\s*(?:받|벌)|나이\s*(?:가|는|를)?\s*(?:몇|어떻게|알려)|몇\s*살|생일|"
    r"(?:코드|함수|스크립트|쿼리|정규식|알고리즘)\S*\s*(?:좀\s*)?(?:짜|작성|만들어|고쳐|짜줘)|디버깅\s*해|"
    r"(?:버그|에러|오류)\S*\s*(?:좀\s*)?(?:고쳐|수정해|해결해)", re.IGNORECASE)
# About a named person these are private too (but "health insurance claims" or "건강보험" is a domain).
_PERSONAL_OF_PERSON = re.compile(r"\b(?:age|health|healthy|sick|disabilit\w*|race|family|kids|children|married|marital|"
                                 r"single|pregnan\w*|religio\w*|nationality|ethnic\w*|gender)\b|건강|장애|가족|아이|결혼|"
                                 r"임신|종교|국적|성별", re.IGNORECASE)
# Small talk: out of domain unless the question names skills.
_OUT_CHAT = re.compile(
    r"\bweather\b|\bforecast\b|\bjokes?\b|\bfunny\b|\brecipes?\b|\blottery\b|\bhoroscope\b|\bpoem\b|\blyrics\b|"
    r"\bmeaning of life\b|\bwho (?:won|is the president)\b|\bhow are you\b|\bsing\b|"
    r"날씨|기온|미세먼지|농담|유머|웃긴|재밌는\s*(?:얘기|이야기)|레시피|맛집|로또|운세|시\s*(?:한\s*편|써)|가사|심심해", re.IGNORECASE)
# Other topics: out of domain unless the question also names skills, people or hiring words.
_OUT_TOPICAL = re.compile(
    r"\bcook(?:ing)?\b|\bstocks?\b|\bbitcoin\b|\bcrypto\b|\bmovies?\b|\bsports?\b|\bfootball\b|\bsoccer\b|"
    r"\bbaseball\b|\bnews\b|\bsong\b|\btranslate\b|\bcapital of\b|\brestaurants?\b|\blunch\b|\bdinner\b|"
    r"\bpresident\b|\belection\b|\bvacation\b|\btravel\b|\bhomework\b|"
    r"요리|점심|저녁\s*메뉴|주식|주가|코인|비트코인|영화|축구|야구|뉴스|노래|번역해|수도가|대통령|선거|여행|숙제", re.IGNORECASE)
# A general-knowledge question ("what is Kafka?", "카프카가 뭐야?"): about a skill, not about people.
_KNOWLEDGE = re.compile(r"^\s*(?:what(?:'s| is| are)|explain|define|describe|tell me about)\b|"
                        r"(?:이|가|란|은|는)?\s*(?:뭐야|뭔가요|무엇인가요|뭐지|뭐예요|설명해\s*(?:줘|주세요)?)\s*[?？.!]*\s*$",
                        re.IGNORECASE)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|안녕(?:하세요)?|반가워(?:요)?|하이)\s*[?!.~]*\s*$",
                       re.IGNORECASE)
_FIND = re.compile(
    r"\bwho\b|\bwhom\b|\banyone\b|\banybody\b|\bsomeone\b|\bsomebody\b|\bfind\b|\bsearch\b|\blook(?:ing)? for\b|"
    r"\bneed\b|\brecommend\b|\bsuggest\b|\bcandidates?\b|\bpeople\b|\bpersons?\b|\bengineers?\b|\bdevelopers?\b|"
    r"\bdesigners?\b|\bmanagers?\b|\banalysts?\b|\bscientists?\b|\bmarketers?\b|\brecruiters?\b|\bhire\b|\bhiring\b|"
    r"\bopenings?\b|\broles?\b|\bpositions?\b|\bvacanc\w+\b|\bexperts?\b|\bspecialists?\b|\bexperienced\b|\bknows?\b|"
    r"\bfamiliar with\b|\bworked (?:on|with)\b|\bexperience (?:with|in)\b|\bskilled\b|\bgood at\b|\bshow me\b|"
    r"\btalent\b|\bteam members?\b|\bleads?\b|\bsenior\b|\bjunior\b|\b(?:built|developed|created|designed|worked|"
    r"maintains?|owns?|owned|wrote|shipped|ran|runs)\b|"
    r"누구|누가|사람|찾아|찾기|찾고|찾는|추천|후보|인재|개발자|엔지니어|디자이너|매니저|담당자|전문가|분석가|마케터|경험|경력|"
    r"할\s*줄|아는|다룰|다루는|가능한|채용|포지션|직무|공고|자리|팀원|인원|있어|있나|있을까|있는지|보여줘|목록|리스트|"
    r"시니어|주니어|리드|해\s*본|개발해|개발한|구축해|구축한|설계해|설계한|만들어\s*본|다뤄\s*본|써\s*본|운영해", re.IGNORECASE)

# Asking words that are not about hiring by themselves ("who won...", "is there...").
_GENERIC_ASK = re.compile(r"^(?:who|whom|anyone|anybody|someone|somebody|누구|누가|있어|있나|있을까|있는지|보여줘|목록|리스트|"
                          r"show me|need|people|persons?|person|사람)$", re.IGNORECASE)


def _hiring_words(text: str) -> bool:
    return any(not _GENERIC_ASK.match(m.group(0)) for m in _FIND.finditer(text))


# The demo organisation's offices and departments (bot/demo/generator.py), with their Korean names; an
# organisation's own are added through OfflineProvider(locations=..., departments=...).
LOCATION_ALIASES = {
    "Seoul": ("seoul", "서울"), "Pangyo": ("pangyo", "판교"), "Busan": ("busan", "부산"),
    "Tokyo": ("tokyo", "도쿄", "동경"), "Singapore": ("singapore", "싱가포르", "싱가폴"),
    "Remote": ("remote", "원격", "재택"),
}
DEPARTMENT_ALIASES = {
    "Platform Engineering": ("platform engineering", "플랫폼 엔지니어링", "플랫폼엔지니어링", "플랫폼"),
    "Payments": ("payments", "결제", "페이먼츠"),
    "Data & AI": ("data & ai", "data and ai", "data&ai", "데이터 & ai", "데이터&ai", "데이터 ai", "데이터/ai"),
    "Mobile": ("mobile", "모바일"),
    "Operations": ("operations", "운영"),
    "Growth Marketing": ("growth marketing", "그로스 마케팅", "그로스마케팅", "그로스"),
    "Web Frontend": ("web frontend", "웹 프론트엔드", "웹프론트엔드", "프론트엔드"),
    "Product": ("product", "프로덕트", "제품"),
    "People (HR)": ("people (hr)", "people", "hr", "인사"),
    "Talent Acquisition": ("talent acquisition", "탤런트 애퀴지션", "채용"),
    "Brand Marketing": ("brand marketing", "브랜드 마케팅", "브랜드마케팅", "브랜드"),
    "Sales": ("sales", "영업"),
    "Accounting": ("accounting", "회계"),
    "Finance": ("finance", "재무"),
    "Infrastructure": ("infrastructure", "infra", "인프라"),
    "Security": ("security", "보안"),
    "Design": ("design", "디자인"),
    "Legal": ("legal", "법무"),
    "Customer Support": ("customer support", "고객 지원", "고객지원", "cs"),
}
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "한": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9, "열": 10}
_LIMITS = [
    re.compile(r"\btop\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE),
    re.compile(r"\b(?:best|first|show(?: me)?|give me|list)\s+(\d{1,2})\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[a-z]+\s+){0,2}?(?:people|persons|"
               r"candidates|names|results|profiles|engineers|developers|designers|analysts|managers|marketers|"
               r"options)\b",
               re.IGNORECASE),
    re.compile(r"상위\s*(\d{1,2})\s*(?:명|분|위|개)?"),
    re.compile(r"(?<![\d.])(\d{1,2})\s*(?:명|분|사람)(?!\s*이상)"),
    re.compile(r"(?<![가-힣])(한|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s*(?:명|분|사람)"),
]
_EMPLOYEE_ID = re.compile(r"(?<![A-Za-z0-9])[Ee]\d{3,6}(?!\d)")   # E0012, also in E0012이랑
_QUOTED = re.compile(r"[\"“”']([^\"“”'\n]{2,40})[\"“”']|‘([^’\n]{2,40})’")
_KOREAN_NAME = re.compile(
    rf"(?<![가-힣])((?:남궁|황보|제갈|선우|독고|[{KOREAN_SURNAMES}])[가-힣]{{2}})"
    rf"(?=님|씨|랑|이랑|하고|와\b|과\b|와\s|과\s|의\s|는\s|은\s|이\s|가\s|,|\s*vs|\s+(?:and|비교|스킬|기술|역량|프로필|경력)|\s*$|\s)")
_PERSON_PARTICLE_AFTER = re.compile(r"^(?:님|씨|랑|이랑|하고|와|과)")
_LATIN_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b")
_NAME_STOPWORDS = frozenset("""
compare who what which how find show tell give list the and vs versus for with in of on at to me please can could
would should is are does do did about between data platform role team office engineer developer senior junior
skills skill profile lead manager backend frontend
""".split())
_KOREAN_NOT_NAMES = frozenset("""
이상 이하 정도 전문가 기술 기술은 기술이 기획자 조직 전체 전부 한국어 사람 정보 경험 보유 우리 누구 사내 성과 최근 최고 최소 최대
이번 이름 유사 장애 고객 구조 구성 구축 운영 관리 지원 지원자 채용 후보 후보자 추천 비교 차이 문서 배포 백엔드 성능 설계 분석 인프라
인사 안드로이드 하는 한다 아는 알려 보여 누가 서울 부산 판교 도쿄 원격 재택 개발 개발자 데이터 주니어 시니어 리드 전략 제품 프로덕트
모바일 결제 보안 영업 회계 재무 법무 디자인 마케팅 마케터 신입 경력 경력자 경력직 한명 두명 세명 한분 이분 저분 그분 엔지니어 기획 프론트
도움말 사용법 명령어 안녕 하이 반가워 고마워 고맙다 고마워요 고맙습니다 감사해 수고해 수고했어 조심해
""".split())
_ROLE_FILLER = [
    re.compile(p, re.IGNORECASE) for p in (
        r"\b(?:who|whom|anyone|anybody|someone|somebody|people|persons?|are there|is there|do we have|can you|"
        r"could you|"
        r"please|find(?: me)?|search(?: for)?|show(?: me)?|look(?:ing)? for|i need|we need|need|recommend|suggest|"
        r"how many|number of|count|candidates?|that|which|list|give me|is|are|has|have|had|done|can|does|do|best|"
        r"top|any)\b",
        r"\b(?:knows?|knowing|familiar with|experienced (?:in|with)|experience (?:in|with)|with experience in|"
        r"worked (?:on|with)|who can|good at|skilled in)\b",
        r"찾아\s*줘|찾아\s*주세요|찾아봐|찾고\s*있어요?|찾기|찾는|추천해\s*줘|추천|보여\s*줘|알려\s*줘|사람|누구|누가|있어요?|있나요?|"
        r"있을까요?|있는지|몇\s*명|몇\s*분|인원\s*수|할\s*줄\s*아는|할\s*줄|다룰\s*줄\s*아는|다룰\s*수\s*있는|다루는|아는|"
        r"가능한|좀|혹시|우리\s*회사에|사내에|경험\s*(?:이\s*)?있는|경험자|있는",
        r"[?？!.,]+",
    )
]


def _lang_or_detect(text: str, lang: str) -> str:
    return lang if lang in ("ko", "en") else detect_language(text)


def _section_of(line: str) -> str | None:
    """The section a header line opens ("[경력]", "■ 학력", "EXPERIENCE", "Certifications:"), else None."""
    bare = _HEADER_DECOR.sub("", line).strip().lower()
    if not bare or len(bare) > 40:
        return None
    return _SECTION_BY_WORD.get(re.sub(r"\s+", " ", bare))


def _inline_section(line: str) -> str | None:
    """The section a labelled line speaks for ("외국어: 영어", "Skills: Java, Kafka"), for that line only."""
    label = re.match(r"^\s*[\[■\-*•·]*\s*([^:：\]]{2,30}?)\s*\]?\s*[:：]\s*\S", line)
    return _SECTION_BY_WORD.get(re.sub(r"\s+", " ", label.group(1).lower())) if label else None


def _parse_date(text: str) -> tuple[int, int | None] | None:
    """(year, month or None) of one side of a date range; None when it says 'present'."""
    text = text.strip().lower()
    if re.fullmatch(_CURRENT, text, re.IGNORECASE):
        return None
    m = re.match(rf"({_YEAR})\s*(?:[./\-]\s*|년\s*)(\d{{1,2}})", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2))
    m = re.match(rf"([a-z]{{3}})[a-z]*\.?,?\s+({_YEAR})", text)
    if m and m.group(1) in _MONTHS:
        return int(m.group(2)), _MONTHS[m.group(1)]
    m = re.match(rf"(\d{{1,2}})\s*/\s*({_YEAR})", text)
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(2)), int(m.group(1))
    m = re.match(rf"({_YEAR})", text)
    return (int(m.group(1)), None) if m else None


def _format_date(value: tuple[int, int | None] | None) -> str:
    if value is None:
        return ""
    year, month = value
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _is_plain(line: str) -> bool:
    """A short line that can hold a company or a title: not a bullet, a header, or a sentence."""
    return bool(line) and not _BULLET.match(line) and _section_of(line) is None and len(line.split()) <= 8 \
        and not _RANGE.search(line) and len(line) <= 60


def _clean_part(part: str) -> str:
    return _BULLET.sub("", part).strip(" \t-–—|·,/■()[]")


def _clean_item(line: str) -> str:
    """A list item without its bullet or label; balanced parentheses stay (학사 (2011년 졸업))."""
    text = _BULLET.sub("", line).strip(" \t-–—|·,/■[]")
    return text[:-1].rstrip() if text.endswith(")") and text.count("(") < text.count(")") else text


def _split_parts(text: str) -> list[str]:
    pieces = re.split(r"\s+[|/·—–-]\s+|\s*\|\s*|,\s+|\s*[()（）]\s*|\s+@\s+|\s+at\s+", text)
    return [p for p in (_clean_part(p) for p in pieces) if p and not re.fullmatch(r"[\W\d_]+", p)]


def _months(start: tuple[int, int | None], end: tuple[int, int | None] | None, today: date) -> tuple[int, int]:
    """An inclusive month interval: a year alone starts in January and ends in December."""
    first = start[0] * 12 + (start[1] or 1) - 1
    if end is None:
        last = today.year * 12 + today.month - 1
    else:
        last = end[0] * 12 + (end[1] or 12) - 1
    return first, max(first, last)


def _merged_years(intervals: list[tuple[int, int]]) -> float:
    total, current = 0, None
    for first, last in sorted(intervals):
        if current and first <= current[1] + 1:
            current = (current[0], max(current[1], last))
            continue
        if current:
            total += current[1] - current[0] + 1
        current = (first, last)
    if current:
        total += current[1] - current[0] + 1
    return round(total / 12, 1)


def _first_number(match: re.Match) -> float | None:
    for group in match.groups():
        if group:
            return float(group)
    return None


class OfflineProvider:
    name = "offline"

    def __init__(self, extractor: SkillExtractor | None = None, taxonomy: Taxonomy | None = None,
                 today: date | None = None, locations: Iterable[str] = (), departments: Iterable[str] = ()):
        """`today` fixes the end of a current role (tests); `locations`/`departments` add the organisation's own
        names to the built-in ones."""
        if taxonomy is None:
            taxonomy = extractor.taxonomy if extractor is not None else load_taxonomy()
        self.taxonomy = taxonomy
        self.extractor = extractor or SkillExtractor(taxonomy)
        self.today = today
        self.locations = {name: aliases for name, aliases in LOCATION_ALIASES.items()}
        for name in locations:
            if name and name not in self.locations:
                self.locations[name] = (name.lower(),)
        self.departments = {name: aliases for name, aliases in DEPARTMENT_ALIASES.items()}
        for name in departments:
            if name and name not in self.departments:
                self.departments[name] = (name.lower(),)

    # ---- resumes -----------------------------------------------------------------------------------------------
    async def extract_resume(self, text: str, lang: str) -> Generated[ResumeExtraction]:
        return Generated(self.extract_resume_now(text, lang), source=SOURCE)

    def extract_resume_now(self, text: str, lang: str) -> ResumeExtraction:
        """The synchronous core of extract_resume (benchmarks and tests call it without an event loop)."""
        lang = _lang_or_detect(text, lang)
        lines = [line.strip() for line in (text or "").splitlines()]
        sections = self._sections(lines)
        content = [(i, line) for i, line in enumerate(lines) if line]
        line_tokens = tokenize_lines([line for _, line in content])
        skills = self._skills(content, line_tokens, sections)
        roles, role_lines = self._roles(lines, sections)
        years = self._years(roles, text)
        education = self._education(lines, sections, role_lines)
        certifications = self._certifications(lines, sections)
        languages = self._languages(lines, sections)
        extraction = ResumeExtraction(skills=skills, roles=[r for r, _ in roles], years_experience=years,
                                      education=education, certifications=certifications, languages=languages)
        extraction.summary = self._summary(extraction, lang)
        return extraction

    @staticmethod
    def _sections(lines: list[str]) -> list[str | None]:
        """The section each line belongs to (None before the first header)."""
        out, current = [], None
        for line in lines:
            section = _section_of(line) if line else None
            if section:
                current = section
                out.append(None)   # the header itself belongs to no section
                continue
            inline = _inline_section(line)
            if inline:
                current = None   # "외국어: 영어" closes the block above it
            out.append(inline or current)
        return out

    def _skills(self, content: list[tuple[int, str]], line_tokens: list[list[str]],
                sections: list[str | None]) -> list[ExtractedSkill]:
        texts = [line for _, line in content]
        best = self.extractor.extract_tokenized(texts, line_tokens)
        mentions: dict[str, list[str]] = {}
        for (index, line), tokens in zip(content, line_tokens):
            if sections[index] in ("education",):
                continue
            in_line = self.extractor.extract_tokenized([line], [tokens])
            for found in in_line:
                mentions.setdefault(found.skill_id, []).append((line, len(in_line)))
        out = []
        for evidence in best:
            if not evidence.evidence:
                continue     # named only in a title or heading: nothing to show the employee as evidence
            level, years = self._proficiency(mentions.get(evidence.skill_id, [(evidence.evidence, 1)]))
            out.append(ExtractedSkill(name=self.taxonomy.name(evidence.skill_id, "en"), evidence=evidence.evidence,
                                      proficiency=level, years=years))
        return out

    @staticmethod
    def _proficiency(lines: list[tuple[str, int]]) -> tuple[str, float | None]:
        """beginner..expert from the lines that mention a skill (with how many skills each line names): stated
        years, then wording, then how often."""
        sentences = [line for line, _ in lines if not _is_list_line(line)]
        years = None
        # Years count for a skill only on a line about that skill alone: in "ML engineer (3 years): PyTorch, MLOps"
        # they are the career, not each skill.
        for line in (line for line, skills_in_line in lines if skills_in_line == 1 and not _is_list_line(line)):
            # "12 years of experience" / "12년차" is the whole career, not this skill
            for match in _SKILL_YEARS.finditer(_TOTAL_YEARS.sub(" ", line)):
                value = _first_number(match)
                if value is not None and value <= 40:
                    years = max(years or 0.0, value)
        rank = 1   # intermediate
        joined = "\n".join(sentences)
        if _EXPERT_WORDS.search(joined):
            rank = 3
        elif _STRONG_WORDS.search(joined):
            rank = 2
        elif _WEAK_WORDS.search(joined):
            rank = 0
        if rank == 1 and len(sentences) >= 3:
            rank = 2   # used in several roles or projects
        if years is not None:
            by_years = 3 if years >= 8 else 2 if years >= 5 else 1 if years >= 2 else 0
            rank = max(rank, by_years) if rank > 0 else by_years
        return PROFICIENCY_LEVELS[rank], years

    def _roles(self, lines: list[str],
               sections: list[str | None]) -> tuple[list[tuple[ExtractedRole, tuple]], set[int]]:
        roles, used = [], set()
        today = self.today or date.today()
        for i, line in enumerate(lines):
            if not line or sections[i] == "education":
                continue
            match = _RANGE.search(line)
            if not match or _EDUCATION_LINE.search(line):
                continue
            start, end = _parse_date(match.group(1)), _parse_date(match.group(2))
            if start is None or (end is not None and end[0] < start[0]):
                continue
            rest = (line[:match.start()] + " " + line[match.end():]).strip()
            parts = _split_parts(rest)
            title, organisation = self._title_and_org(parts, lines, i)
            if not title and not organisation:
                continue
            role = ExtractedRole(title=title, organisation=organisation, start=_format_date(start),
                                 end=_format_date(end))
            roles.append((role, _months(start, end, today)))
            used.add(i)
        roles.sort(key=lambda r: (r[1][1], r[1][0]), reverse=True)   # newest first
        return roles, used

    @staticmethod
    def _title_and_org(parts: list[str], lines: list[str], i: int) -> tuple[str, str]:
        previous = lines[i - 1] if i > 0 and _is_plain(lines[i - 1]) else ""
        following = lines[i + 1] if i + 1 < len(lines) and _is_plain(lines[i + 1]) else ""
        if len(parts) >= 2:
            titled = [p for p in parts if _TITLE_WORDS.search(p) and not _ORG_WORDS.search(p)]
            title = titled[0] if titled else parts[1]
            organisation = next(p for p in parts if p != title)
            return title, organisation
        if len(parts) == 1:
            part = parts[0]
            if _TITLE_WORDS.search(part) and not _ORG_WORDS.search(part):
                return part, _clean_part(previous)
            return _clean_part(following), part
        return _clean_part(following), _clean_part(previous)

    def _years(self, roles: list[tuple[ExtractedRole, tuple]], text: str) -> float | None:
        if roles:
            return _merged_years([interval for _, interval in roles])
        for match in _TOTAL_YEARS.finditer(text or ""):
            value = _first_number(match)
            if value is not None and value <= 50:
                return value
        return None

    @staticmethod
    def _education(lines: list[str], sections: list[str | None], role_lines: set[int]) -> list[str]:
        found: list[str] = []
        for i, line in enumerate(lines):
            if not line or i in role_lines:
                continue
            text = _clean_item(line)
            if sections[i] == "education":
                keep = bool(text) and len(text.split()) <= 20
            else:
                keep = bool(_DEGREE_TOKEN.search(line)) and len(line.split()) <= 16 and sections[i] != "experience"
            if keep and text not in found:
                found.append(text)
        return found[:6]

    @staticmethod
    def _certifications(lines: list[str], sections: list[str | None]) -> list[str]:
        found: list[str] = []
        for i, line in enumerate(lines):
            if not line:
                continue
            if sections[i] == "certifications":
                if _inline_section(line):   # "자격증: 정보처리기사, SQLD" lists several
                    body = re.sub(r"^[^:：]{2,30}[:：]\s*", "", _BULLET.sub("", line))
                    items = [_clean_item(p) for p in re.split(r"\s*[,;]\s*", body)]
                elif len(_BULLET.sub("", line).split()) > 7 and _CERTIFICATIONS.search(line):
                    # a sentence ("Passed the CKA exam and hold a PMP."): the certifications it names
                    items = [m.group(0).strip() for m in _CERTIFICATIONS.finditer(line)]
                else:                         # a bullet is one certification, commas and all
                    items = [_clean_item(p) for p in re.split(r"\s*;\s*", line)]
            else:
                items = [m.group(0).strip() for m in _CERTIFICATIONS.finditer(line)]
            for item in items:
                if item and len(item) <= 80 and item.lower() not in {f.lower() for f in found}:
                    found.append(item)
        return found[:10]

    @staticmethod
    def _languages(lines: list[str], sections: list[str | None]) -> list[str]:
        found: list[str] = []
        for i, line in enumerate(lines):
            if not line or not (sections[i] == "languages" or _LANGUAGE_CONTEXT.search(line)):
                continue
            lowered = line.lower()
            for code, words in _LANGUAGE_NAMES.items():
                if code not in found and any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", lowered) for w in words):
                    found.append(code)
        return found

    def _summary(self, extraction: ResumeExtraction, lang: str) -> str:
        title = next((r.title for r in extraction.roles if r.title), "")
        ranked = sorted(extraction.skills, key=lambda s: -PROFICIENCY_LEVELS.index(s.proficiency))
        names = []
        for skill in ranked[:3]:
            skill_id = self.taxonomy.lookup(skill.name)
            names.append(self.taxonomy.name(skill_id, lang) if skill_id else skill.name)
        years = extraction.years_experience
        if lang == "ko":
            parts = [title] if title else []
            if years:
                parts.append(f"경력 {years:g}년")
            if names:
                parts.append("주요 기술: " + ", ".join(names))
            return " · ".join(parts)
        text = title or "Professional"
        if years:
            text += f" with {years:g} years of experience"
        if names:
            text += "; main skills: " + ", ".join(names)
        return text + "." if (title or years or names) else ""

    # ---- questions ---------------------------------------------------------------------------------------------
    async def interpret_question(self, text: str, lang: str) -> Generated[TalentQuestion]:
        return Generated(self.interpret_question_now(text, lang), source=SOURCE)

    def interpret_question_now(self, text: str, lang: str) -> TalentQuestion:
        text = (text or "").strip()
        if _INJECTION.search(text):
            return TalentQuestion(intent="injection")
        skills = self.extractor.extract_query(text)
        location, text_wo_location = self._location(text)
        department, rest = self._department(text_wo_location)
        limit, rest = self._limit(rest)
        compare = bool(_COMPARE.search(text))
        skills_of = bool(_SKILLS_OF.search(text))
        people = self._people(text, person_context=compare or skills_of)
        role_text = self._role_text(rest, people)
        if compare:   # "compare A and B for the data platform role": the role is what follows "for"
            wanted = re.search(r"\bfor\s+(?:the\s+|a\s+|an\s+)?(.+?)[?.!]*$|(\S+(?:\s+\S+)?)\s*(?:포지션|역할|직무|자리)",
                               rest, re.IGNORECASE)
            role_text = (wanted.group(1) or wanted.group(2)).strip() if wanted else ""

        def question(intent: str) -> TalentQuestion:
            return TalentQuestion(intent=intent, role_text=role_text if intent in ("find", "count", "compare") else "",
                                  skills=skills, location=location, department=department, people=people,
                                  limit=limit)

        hiring = _hiring_words(text)
        if _OUT_HARD.search(text) or (people and _PERSONAL_OF_PERSON.search(text)) or discriminatory_spans(text):
            return TalentQuestion(intent="out_of_domain", people=people)
        if compare and (len(people) >= 2 or skills or hiring):
            return question("compare")
        if _COUNT.search(text):
            return question("count")
        if skills_of and people:
            return question("skills_of")
        if (_HELP.search(text) or _GREETING.match(text)) and not skills and not people:
            return TalentQuestion(intent="help")
        if _OUT_CHAT.search(text) and not skills:
            return TalentQuestion(intent="out_of_domain")
        if (_OUT_TOPICAL.search(text) or _KNOWLEDGE.search(text)) and not (people or hiring or location or department):
            return TalentQuestion(intent="out_of_domain")
        if skills or _FIND.search(text) or department or location or has_search_content(text, self.extractor):
            return question("find")
        if people and len(people) == 1 and len(text.split()) <= 3:
            return question("skills_of")   # a bare name or id: show that person
        return TalentQuestion(intent="out_of_domain")

    def _location(self, text: str) -> tuple[str, str]:
        lowered = text.lower()
        for name, aliases in self.locations.items():
            for alias in sorted(aliases, key=len, reverse=True):
                if alias.isascii():
                    pattern = (rf"(?:\b(?:in|at|from|based in|near)\s+(?:the\s+)?)?\b{re.escape(alias)}\b"
                               rf"(?:\s+(?:office|site|hq|team|campus))?")
                else:
                    pattern = rf"{re.escape(alias)}(?:\s*(?:사무실|오피스|지사|본사|캠퍼스))?(?:에서|에|의|쪽)?(?:\s*(?:근무하는|있는|일하는))?"
                match = re.search(pattern, lowered)
                if match:
                    return name, (text[:match.start()] + " " + text[match.end():]).strip()
        return "", text

    def _department(self, text: str) -> tuple[str, str]:
        lowered = text.lower()
        for name, aliases in sorted(self.departments.items(), key=lambda kv: -max(len(a) for a in kv[1])):
            for alias in sorted(aliases, key=len, reverse=True):
                esc = re.escape(alias)
                if alias.isascii():
                    multiword = " " in alias or "&" in alias or "(" in alias
                    unit = r"(?:team|department|dept|org|organi[sz]ation|group)"
                    pattern = (rf"\b(?:in|from|of|on)\s+(?:the\s+)?{esc}(?:\s+{unit})?\b"
                               if multiword else
                               rf"\b(?:in|from|of|on)\s+(?:the\s+)?{esc}\s+{unit}\b"
                               rf"|\bdept:\s*{esc}\b")
                else:
                    pattern = rf"(?<![가-힣]){esc}\s*(?:팀|부서|본부|조직|실)(?![장원])(?:에서|에|의|소속)?"
                match = re.search(pattern, lowered)
                if match:
                    return name, (text[:match.start()] + " " + text[match.end():]).strip()
        # A department the organisation names but the list does not know: "in Data Platform", "데이터플랫폼팀".
        match = re.search(r"\b(?:in|from)\s+(?:the\s+)?((?:[A-Z][\w&]*\s?){1,3}?)"
                          r"(?:\s+(?:team|department|dept|org|group))?"
                          r"(?=\s|$|[,.?!])", text)
        if match:
            candidate = match.group(1).strip()
            words = candidate.lower().split()
            if candidate and not self.extractor.extract_query(candidate) and not (set(words) & _NAME_STOPWORDS - {
                    "data", "platform"}) and not _EMPLOYEE_ID.fullmatch(candidate):
                return candidate, (text[:match.start()] + " " + text[match.end():]).strip()
        match = re.search(r"([가-힣A-Za-z&]{2,12})\s?(?:팀|부서|본부)(?![장원])(?:에서|에|의|소속)?", text)
        if match and match.group(1) not in ("우리", "저희", "다른", "같은", "어느", "무슨", "해당"):
            return match.group(1), (text[:match.start()] + " " + text[match.end():]).strip()
        return "", text

    @staticmethod
    def _limit(text: str) -> tuple[int | None, str]:
        for pattern in _LIMITS:
            match = pattern.search(text)
            if match:
                raw = match.group(1).lower()
                value = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
                if value and value >= 1:
                    # "3 senior backend engineers" keeps the role words; "top 3" and "3명" go entirely
                    start, end = match.span(1) if pattern is _LIMITS[2] else match.span()
                    return value, (text[:start] + " " + text[end:]).strip()
        return None, text

    def _people(self, text: str, person_context: bool) -> list[str]:
        found: list[str] = [m.group(0).upper() for m in _EMPLOYEE_ID.finditer(text)]
        for match in _QUOTED.finditer(text):
            name = (match.group(1) or match.group(2)).strip()
            if name and not self.extractor.extract_query(name):
                found.append(name)
        # a message that is only a name asks about that person
        alone = len(text.split()) <= 2 and not _HELP.search(text) and not _GREETING.match(text)
        for match in _KOREAN_NAME.finditer(text):
            name = match.group(1)
            after = text[match.end():]
            if name in _KOREAN_NOT_NAMES or self.taxonomy.lookup(name) or self._is_place(name):
                continue
            if person_context or alone or _PERSON_PARTICLE_AFTER.match(after):
                found.append(name)
        if person_context or alone or "'s " in text:
            for match in _LATIN_NAME.finditer(text):
                words = match.group(1).split()
                while words and words[0].lower() in _NAME_STOPWORDS:
                    words = words[1:]
                if len(words) < 2 or any(w.lower() in _NAME_STOPWORDS for w in words):
                    continue
                name = " ".join(words)
                if self.extractor.extract_query(name) or self._is_place(name):
                    continue
                found.append(name)
        return list(dict.fromkeys(found))

    def _is_place(self, word: str) -> bool:
        lowered = word.lower()
        return any(lowered.startswith(a) for aliases in (*self.locations.values(), *self.departments.values())
                   for a in aliases if len(a) >= 2)

    @staticmethod
    def _role_text(text: str, people: list[str]) -> str:
        for person in people:
            text = re.sub(re.escape(person), " ", text, flags=re.IGNORECASE)
        for pattern in _ROLE_FILLER:
            text = pattern.sub(" ", text)
        text = re.sub(r"\b(?:compare|and|vs|versus|for the|for a|for an|a|an|the|in|at|with|of|to)\b\s*$", " ", text,
                      flags=re.IGNORECASE)
        text = re.sub(r"^\s*(?:a|an|the|for|with|in)\b", " ", text, flags=re.IGNORECASE)
        return re.sub(r"\s{2,}", " ", text).strip(" ,.-")

    # ---- answers -----------------------------------------------------------------------------------------------
    async def answer(self, question: str, facts: list[Fact], lang: str) -> TextStream:
        lang = _lang_or_detect(question, lang)
        return TextStream(_answer_chunks(facts, lang), source=SOURCE)

    # ---- job descriptions: the template code of core.jd, so offline behaves as the JD flow always has -------------
    async def generate_jd(self, brief_payload: dict, context: dict, lang: str) -> TextStream:
        """The template draft the context carries (or one built from the context), streamed section by section in
        the format a model streams."""
        from core.jd.generation import format_jd_text, template_from_context

        draft = template_from_context(context, lang)
        return TextStream(_section_chunks(format_jd_text(draft)), source=SOURCE)

    async def rewrite_section(self, section_name: str, current_text: str, instruction: str, context: dict,
                              lang: str) -> Generated[str]:
        """The offline rewrite (core.jd.prepare.rewrite_section): shorter, longer, add / drop / swap a skill, years,
        drop a line. An instruction it does not understand leaves the section as it was."""
        from core.jd.model import JdDraft
        from core.jd.prepare import rewrite_section

        draft = JdDraft(lang=lang if lang in ("ko", "en") else detect_language(current_text)).with_section(
            section_name, current_text)
        change = rewrite_section(draft, section_name, instruction, None, context.get("material"), self.extractor)
        return Generated(change.after.section_text(section_name), source=SOURCE)

    async def rewrite_request(self, text: str, lang: str, companies: list | None = None) -> Generated[RequestBrief]:
        """The rules of JdService.brief: company, job family, level, skills and years, found in the text."""
        from core.jd.custom import find_company, find_family_in
        from core.jd.prepare import _level_in
        from core.jd.templates import years_in

        level = _level_in(text)
        lang = _lang_or_detect(text, lang)
        return Generated(RequestBrief(
            company=find_company(companies or [], text), family=find_family_in(text), level=level.code if level else "",
            skills=[self.taxonomy.name(s, lang) for s in self.extractor.extract_query(text)], years=years_in(text),
            rewritten=" ".join((text or "").split())), source=SOURCE)


def _is_list_line(line: str) -> bool:
    """A bare list of skills ("Skills: Java, Kafka, Docker"), which says nothing about depth."""
    body = line.split(":", 1)[1] if ":" in line[:25] else line
    return body.count(",") + body.count("/") + body.count("、") >= 2 and len(body.split()) <= 3 * (body.count(",") + 2)


async def _section_chunks(text: str) -> AsyncIterator[str]:
    for block in re.split(r"(?=^## )", text, flags=re.MULTILINE):
        if block:
            yield block


async def _answer_chunks(facts: list[Fact], lang: str) -> AsyncIterator[str]:
    if not facts:
        yield ("프로필에서 이 질문에 답할 내용을 찾지 못했습니다." if lang == "ko"
               else "I found nothing in the profiles that answers this.")
        return
    refs = list(dict.fromkeys(f.ref for f in facts))
    if lang == "ko":
        yield f"프로필 {len(refs)}건에서 확인한 내용입니다:\n"
    else:
        yield f"Here is what {len(refs)} profile{'s' if len(refs) != 1 else ''} show:\n"
    for fact in facts:
        text = " ".join(fact.text.split())
        citation = f"[{fact.ref}]"
        yield f"- {text}" + ("" if citation in text else f" {citation}") + "\n"
