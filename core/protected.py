"""Protected attributes in free text, in Korean and English: what they look like, and their removal from profiles.

The lexicon (`TERMS`, `LABELS`) is plain data that any check of protected attributes can use: profile redaction here,
and the request guardrails may import it too. `remove_protected(text)` is what `core.fairness.matching_text` runs on
every resume before anything is embedded, tokenised or scanned for skills.

How removal works, one line at a time (each step is linear in the line's length):
1. A line whose label names a protected attribute ("성별: 여", "Religion - Buddhist") is dropped whole.
2. The rest is cut into segments at sentence ends, commas, semicolons, bars, slashes and brackets. A segment with a
   protected term and no job content (no skill from the taxonomy, no work word) is a personal statement: it goes,
   together with the separator that joined it ("Built Kafka pipelines, newly married." -> "Built Kafka pipelines.").
3. A segment with both is cut again at connectives ("as", "while", "with", "despite"; Korean particles and endings
   such as 로서, 으로, 이며, 면서): the pieces that are personal go and the job content stays ("Built Spark and Django
   apps as a 45-year-old mother of two" -> "Built Spark and Django apps").
4. What is left of a protected phrase inside job content (an age, "my husband", 30대 남성 before 개발자) is removed
   as a phrase; words that are protected only in a personal sense ("taught children", "여성 의류 MD", "church
   website") stay, because there they describe the work.
Third-person pronouns are neutralised (she/he -> they), so a biography in the third person reads the same for everyone.

Korean is analysed with Kiwi, but only the segments that a fast scan finds a protected stem in; a document whose
flagged text exceeds KIWI_BUDGET_CHARS (never a real resume) has its remaining flagged segments dropped instead of
analysed, which keeps the worst case linear and bounded.

Decisions: years of experience, seniority, work locations ("based in Seoul", "Busan office"), languages and their
level ("native Korean speaker", "TOPIK 6"), and employers or schools are job-related and stay. Age, birth year, the
year of high-school graduation or university entry (학번, "class of '94": age proxies in NYC and EU guidance), sex and
gender, marital and family status, pregnancy and parental leave, religion, disability and health, nationality,
ethnicity, region of origin, military-service *status* (군필, 병역 면제: a sex proxy in Korea), appearance, height,
weight, blood type, photos and sexual orientation go. Military *work* ("logistics officer in the US Army, managed a
200-person supply chain") is work history and stays.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from core.text import split_long_line

CATEGORIES = ("age", "sex", "marital", "family", "pregnancy", "religion", "disability", "nationality", "ethnicity",
              "region", "military", "appearance", "orientation")

# ---- lexicon ------------------------------------------------------------------------------------------------------
# English terms (lower case, space-separated words) that state a protected attribute of a person. Ages, birth years and
# decades are patterns (below), not words.
TERMS_EN: dict[str, tuple[str, ...]] = {
    "age": ("date of birth", "birth date", "birthdate", "birthday", "year of birth", "dob", "d.o.b", "born",
            "twenty-something", "thirty-something",
            "forty-something", "fifty-something", "baby boomer", "millennial", "gen z", "generation z", "gen x",
            "generation x", "retiree", "retired"),
    "sex": ("female", "male", "woman", "man", "girl", "boy", "lady", "gentleman", "transgender", "trans woman",
            "trans man", "non-binary", "nonbinary", "cisgender", "genderqueer", "gender-fluid", "intersex", "gender",
            "sex", "pronouns", "she/her", "he/him", "they/them", "she/they", "he/they"),
    "marital": ("married", "single", "engaged", "partner", "my partner", "marriage", "unmarried", "divorced", "divorce", "divorcee", "separated from", "widowed",
                "widow", "widower", "spouse", "husband", "wife", "fiance", "fiancee", "fiancé", "fiancée",
                "newlywed", "newlyweds", "wedding", "honeymoon", "marital status", "civil status", "engaged to",
                "girlfriend", "boyfriend", "domestic partner"),
    "family": ("mother", "mom", "mum", "mommy", "father", "dad", "daddy", "stepmother", "stepfather", "single parent",
               "single mom", "single mum", "single dad", "working mom", "working mother", "stay-at-home",
               "grandmother", "grandfather", "grandma", "grandpa", "grandparent", "grandchildren", "grandkids",
               "kids", "kid", "children", "child", "son", "sons", "daughter", "daughters", "toddler", "toddlers",
               "twins", "triplets", "newborn", "dependents", "dependants", "number of dependents", "motherhood",
               "fatherhood", "parenthood", "parenting", "family status", "raising", "elderly father",
               "elderly mother", "elderly parents", "aging parents", "caregiver for", "mom of", "mother of",
               "father of", "dad of", "parent of", "parents of", "mum of"),
    "pregnancy": ("pregnant", "pregnancy", "expecting a baby", "expecting my", "expecting our", "baby on the way",
                  "maternity leave", "paternity leave", "parental leave", "maternity", "paternity", "due date",
                  "due in", "prenatal", "postpartum", "ivf", "fertility treatment"),
    "religion": ("religion", "religious", "faith", "christian", "christianity", "catholic", "protestant",
                 "methodist", "baptist", "presbyterian", "lutheran", "anglican", "evangelical", "mormon", "orthodox",
                 "muslim", "islam", "islamic", "buddhist", "buddhism", "hindu", "hinduism", "jewish", "judaism",
                 "sikh", "sikhism", "jain", "atheist", "agnostic", "church", "mosque", "synagogue", "temple",
                 "parish", "congregation", "church choir", "bible study", "observant", "observant jew", "devout", "practicing",
                 "practising", "worship", "prayer", "deacon", "elder of", "baptized", "baptised"),
    "disability": ("disability", "disabilities", "disabled", "handicap", "handicapped", "wheelchair", "impairment",
                   "impaired", "visually impaired", "hearing impaired", "partially sighted", "blind", "deaf",
                   "hard of hearing", "hearing aid", "hearing aids", "autistic", "autism", "asperger", "adhd",
                   "dyslexia", "dyslexic", "dyspraxia", "epilepsy", "epileptic", "chronic illness", "chronic pain",
                   "cancer survivor", "diagnosed", "diagnosis", "mental health condition", "depression", "anxiety disorder",
                   "bipolar", "ptsd", "neurodivergent", "neurodiverse", "amputee", "prosthetic", "screen reader user",
                   "use a screen reader", "uses a screen reader", "sign language user", "registered disabled",
                   "medical condition", "health condition"),
    "nationality": ("nationality", "citizenship", "citizen", "national", "passport", "visa status", "immigrant",
                    "immigrated", "naturalized", "naturalised", "expat", "expatriate", "refugee", "asylum",
                    "north korean defector", "defector", "green card"),
    "ethnicity": ("ethnicity", "ethnic", "ethnically", "race", "racial", "descent", "heritage", "ancestry",
                  "hispanic", "latino", "latina", "latinx", "african american", "african-american",
                  "asian american", "asian-american", "caucasian", "pacific islander", "native american",
                  "indigenous", "aboriginal", "first nations", "biracial", "mixed race", "mixed-race", "multiracial",
                  "of color", "korean-american", "chinese-american", "japanese-american", "korean american"),
    "region": ("hometown", "home town", "born and raised", "grew up in", "grew up on", "originally from",
               "a native of", "native of", "raised in", "hailing from", "hails from"),
    "military": ("military service", "military status", "mandatory service", "compulsory service", "national service",
                 "military exemption", "exempt from military", "exempted from military", "discharged",
                 "honorably discharged", "honourably discharged", "veteran", "veteran status", "draft", "conscription",
                 "conscripted", "reservist", "served in the army", "served in the military", "rok army"),
    "appearance": ("height", "weight", "blood type", "photo", "photograph", "headshot", "picture attached",
                   "photo attached", "passport photo", "athletic build", "slim build", "medium build", "slim", "slender", "tall", "short", "petite",
                   "overweight", "athletic build", "good-looking", "attractive", "handsome", "pretty", "beautiful",
                   "complexion", "skin color", "skin colour", "hair color", "eye color", "tattoo", "tattoos"),
    "orientation": ("gay", "lesbian", "bisexual", "pansexual", "asexual", "queer", "heterosexual", "homosexual",
                    "straight ally", "lgbt", "lgbtq", "lgbtq+", "lgbtqia", "lgbtqia+", "sexual orientation",
                    "coming out", "came out"),
}

# Everyday words that are personal only in a statement with nothing else in it ("Single.", "Tall and slim."), never
# beside other content ("single sign-on", "engaged stakeholders", "Financial Management Partner").
WEAK_EN = frozenset({
    "single", "engaged", "partner", "slim", "tall", "short", "petite", "practicing", "practising", "national",
    "citizen", "draft", "raising", "man", "boy", "girl", "lady", "retired", "retiree", "millennial", "pretty",
    "beautiful", "attractive", "complexion", "tattoo", "tattoos", "due in", "expecting my", "expecting our", "sex",
    "gender", "elder of", "straight ally", "observant", "discharged", "veteran",
})
# Words that name a topic as well as a trait: on a line that describes work ("disability insurance claims", "ran the
# maternity-leave policy", "church website", "taught children") they are the work and stay; they go in a statement
# about the person ("my children", "I have a disability", "on maternity leave until March").
TOPIC_EN = frozenset({
    "disability", "disabilities", "impairment", "handicap", "pregnancy", "maternity", "paternity", "maternity leave",
    "paternity leave", "parental leave", "religion", "religious", "faith", "worship", "prayer", "church", "mosque",
    "synagogue", "temple", "parish", "congregation", "marriage", "divorce", "wedding", "honeymoon", "ethnicity",
    "ethnic", "race", "racial", "heritage", "nationality", "citizenship", "immigrant", "immigrated", "refugee",
    "asylum", "passport", "visa status", "expat", "expatriate", "gender", "sex", "children", "child", "kids", "kid",
    "son", "sons", "daughter", "daughters", "parenting", "parenthood", "motherhood", "fatherhood", "newborn", "twins",
    "toddler", "toddlers", "photo", "photograph", "picture", "headshot", "height", "weight", "veteran", "veterans",
    "military service", "diagnosis", "diagnosed", "depression", "autism", "adhd", "dyslexia", "epilepsy",
    "wheelchair", "hearing aid", "hearing aids", "lgbt", "lgbtq", "lgbtq+", "lgbtqia", "lgbtqia+",
    "sexual orientation", "indigenous", "aboriginal", "dependents", "dependants", "chronic illness", "chronic pain",
    "mental health condition", "medical condition", "health condition", "due date", "prenatal", "postpartum", "ivf",
    "fertility treatment", "caregiver for", "stay-at-home", "retiree", "baby boomer", "millennial", "gen z",
    "generation z", "gen x", "generation x", "birthday", "prosthetic", "amputee",
})
# Words that mark a statement about oneself: a topic word after one of these is about the person.
_PERSONAL_MARKERS_EN = frozenset({"i", "i'm", "im", "am", "my", "our", "me", "myself", "we", "as", "being", "while",
                                  "whilst", "mine", "i've", "i'd"})

# Korean stems (Kiwi forms, compounds joined) that state a protected attribute of a person.
TERMS_KO: dict[str, tuple[str, ...]] = {
    "age": ("나이", "연령", "생년월일", "생년", "출생", "출생년도", "년생", "학번", "불혹", "지천명", "이립", "약관",
            "이순", "만나이", "동안"),
    "sex": ("성별", "남성", "여성", "남자", "여자", "남", "여", "트랜스젠더", "여초", "남초", "여성분", "남성분",
            "그녀"),
    "marital": ("결혼", "기혼", "미혼", "혼인", "이혼", "신혼", "돌싱", "재혼", "배우자", "남편", "아내", "와이프",
                "부인", "약혼", "예비신부", "예비신랑", "사별", "결혼식", "혼인신고", "유부남", "유부녀", "싱글"),
    "family": ("엄마", "아빠", "어머니", "아버지", "부모", "부모님", "아이", "아이들", "자녀", "아들", "딸", "쌍둥이",
               "워킹맘", "워킹대디", "육아", "부양가족", "부양", "외동", "외동딸", "외아들", "장남", "장녀", "차남",
               "차녀", "막내", "맏이", "손주", "맞벌이", "가족관계", "가족사항", "육아휴직", "애", "애들", "전업주부",
               "주부", "경단녀", "경력단절", "양육", "돌봄", "출가"),
    "pregnancy": ("임신", "임산부", "출산", "출산휴가", "산후", "산전", "태교", "만삭", "난임", "유산", "입덧",
                  "출산예정", "임신중"),
    "religion": ("종교", "기독교", "개신교", "천주교", "가톨릭", "카톨릭", "불교", "원불교", "이슬람", "무슬림",
                 "이슬람교", "힌두교", "유대교", "신자", "신도", "교인", "교회", "성당", "사찰", "모스크", "목사",
                 "집사", "권사", "장로", "세례", "신앙", "예배", "기도", "찬양대", "성가대", "불자", "신부님",
                 "천도교", "대종교", "무교"),
    "disability": ("장애", "장애인", "장애등급", "지체장애", "시각장애", "청각장애", "발달장애", "지적장애",
                   "뇌병변", "휠체어", "보청기", "자폐", "난청", "장애우", "ADHD", "우울증", "공황장애", "투병",
                   "병력", "지병", "질환", "수술", "건강상태", "시각", "청각"),
    "nationality": ("국적", "귀화", "외국인", "재외동포", "교포", "동포", "조선족", "고려인", "새터민", "탈북",
                    "탈북민", "북한이탈주민", "이민자", "이민", "영주권", "시민권", "외국국적", "난민"),
    "ethnicity": ("다문화", "혼혈", "인종", "민족", "다문화가정", "흑인", "백인", "동남아"),
    "region": ("출신", "고향", "토박이", "태생", "출신지", "본적", "원적", "본관"),
    "military": ("병역", "군필", "미필", "병역필", "군미필", "군복무", "전역", "제대", "만기전역", "소집해제",
                 "사회복무요원", "공익근무", "공익", "카투사", "해병대", "육군", "해군", "공군", "병장", "상병",
                 "일병", "이병", "예비역", "현역", "보충역", "면제", "군면제", "병역면제", "의무경찰", "의경",
                 "국가유공자", "보훈", "보훈대상"),
    "appearance": ("키", "신장", "체중", "몸무게", "혈액형", "사진", "증명사진", "외모", "체격", "인상", "얼굴",
                   "용모", "시력", "혈액"),
    "orientation": ("성소수자", "동성애자", "동성애", "게이", "레즈비언", "양성애자", "퀴어", "성적지향", "커밍아웃"),
}

# Korean stems that are protected only next to a cue (a number, a unit, a particular neighbour), or only in a personal
# statement. Each maps to the check that must hold; see _ko_cue_ok.
KO_CONTEXT = {
    "남": "label", "여": "label", "키": "measure", "신장": "measure", "체중": "measure", "몸무게": "measure",
    "사진": "photo", "인상": "weak", "얼굴": "weak", "시각": "disability", "청각": "disability", "기도": "weak",
    "수술": "weak", "질환": "weak", "병력": "weak", "면제": "military", "공익": "military", "현역": "weak",
    "육군": "weak", "해군": "weak", "공군": "weak", "이민": "weak", "부양": "weak", "돌봄": "weak", "양육": "weak",
    "아이": "market", "아이들": "market", "애": "market", "애들": "market", "딸": "market", "아들": "market", "동안": "never",
    "혈액": "blood", "유산": "weak", "민족": "weak", "인종": "weak", "싱글": "weak", "주부": "weak", "출가": "weak",
    "예배": "weak", "신앙": "weak", "막내": "weak", "약관": "never",
    "이순": "never", "이립": "never", "부모": "market", "엄마": "market", "아빠": "market", "어머니": "market",
    "아버지": "market", "남성": "market", "여성": "market", "남자": "market", "여자": "market", "백인": "weak",
    "흑인": "weak", "동남아": "weak", "출신": "origin", "투병": "weak", "지병": "weak", "우울증": "weak",
}

# Labels of lines or fields that hold a protected attribute ("Religion: ...", "종교 - ...", "Pronouns: ...").
LABELS = (
    r"date\s*of\s*birth", r"d\.?o\.?b\.?", r"birth\s*date", r"birthday", r"year\s*of\s*birth", r"born", r"age",
    r"gender", r"sex", r"pronouns?", r"marital\s*status", r"civil\s*status", r"married", r"family(?:\s*status)?",
    r"children", r"(?:number\s*of\s*)?dependents?", r"spouse", r"nationality", r"citizenship", r"passport",
    r"ethnicity", r"ethnic\s*origin", r"race", r"religion", r"faith", r"disability", r"health(?:\s*status)?",
    r"military(?:\s*(?:service|status))?", r"veteran\s*status", r"height", r"weight", r"blood\s*type", r"photo", r"picture",
    r"headshot", r"hometown", r"place\s*of\s*birth", r"birth\s*place", r"sexual\s*orientation",
    r"생년월일", r"출생(?:지|년도)?", r"생일", r"나이", r"연령", r"성별", r"결혼\s*여부", r"결혼", r"혼인(?:\s*(?:여부|상태))?",
    r"가족\s*(?:관계|사항)", r"부양\s*가족", r"자녀", r"배우자", r"국적", r"인종", r"민족", r"종교", r"장애(?:\s*(?:여부|등급|사항))?",
    r"건강(?:\s*상태)?", r"병역(?:\s*(?:사항|구분|여부))?", r"군\s*복무", r"보훈(?:\s*(?:대상|여부))?", r"신장", r"키", r"체중",
    r"몸무게", r"혈액형", r"사진", r"고향", r"본적", r"출신\s*지(?:역)?", r"종교\s*/\s*취미",
)

# Words that make a segment job content even when it names no skill from the taxonomy.
WORK_WORDS_EN = frozenset("""
built build building developed develop developing designed design designing implemented implement engineered
architected coded programmed debugged refactored migrated automated deployed deploy shipped launched released
maintained operated administered configured integrated tested optimised optimized scaled monitored analysed analyzed
researched modelled modeled forecast forecasted audited reconciled budgeted negotiated sold marketed managed manage
managing led lead leading mentored coached trained hired recruited onboarded supervised coordinated organised
organized delivered owned drove drive improved increased reduced cut saved grew expanded wrote authored
published presented drafted documented reviewed prepared processed handled resolved supported served assisted taught
teaching instructed advised consulted directed oversaw produced created established streamlined executed
project projects product products system systems service services platform platforms pipeline pipelines application
applications app apps api apis software data database databases server servers infrastructure network networks code
feature features customer customers client clients user users stakeholder stakeholders team teams department
revenue sales budget budgets cost costs campaign campaigns brand brands report reports reporting dashboard
dashboards analysis analytics model models process processes operations operation workflow workflows policy
policies contract contracts account accounts portfolio audit audits tax compliance regulatory legal patients
patient students curriculum lessons classes inventory supply logistics procurement vendor vendors suppliers
engineer engineers developer developers manager managers analyst analysts designer designers scientist consultant
specialist architect administrator officer director coordinator assistant associate intern accountant recruiter
nurse teacher lawyer attorney paralegal chef technician mechanic pilot representative agent supervisor lead
experience experienced years responsible responsibilities duties role roles position job jobs career employer
company companies organisation organization firm startup industry business market markets
certified certification certificate degree bachelor master masters mba phd bsc msc diploma university college
analyze analyse analyzing analysing analyzed report reported reporting documented document documentation assess
assessed assessment assessments evaluate evaluated evaluation provide provided providing assist assisting care
caring treatment treatments therapy therapies clinical clinic medical nursing health healthcare hospital patients
caseload case cases advocate advocacy welfare counseling counselling counselor counsellor social program programs
programme services support supported facilitate facilitated conduct conducted monitor monitored monitoring observe
observed engage engaged instruct instruction tutoring tutor tutored school classroom education educational training
trained train volunteer volunteered coordinate coordinated director manager management administration administrative
office staff shift shifts unit units ward laboratory lab screening screenings measurement measurements procedures
procedure records record files filing billing payroll accounting finance financial insurance claims benefits
operations retail store stores restaurant kitchen production manufacturing warehouse equipment tools machine machines
vehicle vehicles drivers construction site safety quality inspection maintenance repair installed installation
sales marketing advertising media content social editorial writer writing editor research researcher study studies
""".split())

WORK_WORDS_KO = frozenset("""
개발 구축 설계 운영 관리 담당 기획 분석 개선 도입 리드 주도 수행 구현 배포 유지보수 자동화 최적화 모니터링 테스트 연구
프로젝트 팀 팀장 서비스 시스템 플랫폼 파이프라인 애플리케이션 앱 서버 인프라 데이터 고객 고객사 매출 예산 캠페인 보고서
업무 경력 직무 회사 부서 제품 출시 런칭 마케팅 영업 재무 회계 인사 채용 교육 강의 컨설팅 협업 협상 계약 감사 결산 세무
엔지니어 개발자 매니저 디자이너 분석가 기획자 마케터 담당자 팀원 리더 연구원 컨설턴트 회계사 변호사 간호사 교사
사원 대리 과장 차장 부장 책임 선임 수석 년차 경험 성과 달성 향상 절감 증가 감소 전환 이관 마이그레이션 통합 연동
학사 석사 박사 자격증 학위 전공 졸업 수료
""".split())

# Segment separators: sentence ends, commas, semicolons, bars, slashes with spaces, dashes with spaces, middle dots and
# brackets. Kept as separate pieces so that removing a segment can remove the separator that joined it.
# (a full stop after a single letter is an initial or an abbreviation, "b. 1969", "J. Smith": no sentence end)
_SEPARATOR = re.compile(r"(?:(?<![\s(\[][A-Za-z])(?<!^[A-Za-z])[.](?=\s|$)|[!?。](?=\s|$)|,(?!\d)|[;，；、|·•]|\s[/–—-]\s|[()\[\]（）［］])\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d{1,2}[.)])\s+")
_OPEN = "([（［"
_CLOSE = ")]）］"
_HANGUL = re.compile(r"[가-힣]")
_EN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.]*(?:[-/][A-Za-z0-9'’]+)*|[가-힣]+|\S")
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_NUMBER_WORDS.update({w: 10 * (i + 2) for i, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split())})
_DECADE_WORDS = {"twenties", "thirties", "forties", "fifties", "sixties", "seventies"}
_AGE_TOKEN = re.compile(r"^(?:\d{1,2}|[a-z]+(?:-[a-z]+)?)-(?:years?|yrs?)-old$")
_DECADE_TOKEN = re.compile(r"^(?:(?:early|mid|late)-)?(?:[1-9]0'?s|twenties|thirties|forties|fifties|sixties|seventies)$")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_SHORT_YEAR = re.compile(r"^'\d{2}\.?$")
_HEIGHT = re.compile(r"^\d'\d{1,2}\"?$|^\d{3}(?:cm|kg)$|^\d{2,3}(?:kg|lbs?)$")
# Personal pronouns of a third-person biography, made neutral so that "she led" and "he led" read the same.
_PRONOUNS = {"she": "they", "he": "they", "her": "their", "him": "them", "his": "their", "hers": "theirs",
             "herself": "themselves", "himself": "themselves"}
_PRONOUN = re.compile(r"\b(?:[Ss]he|[Hh]e|[Hh]ers?|[Hh]im|[Hh]is|[Hh]erself|[Hh]imself)\b")
_HONORIFIC = re.compile(r"(?<![\w.])(?:(?:Mr|Mrs|Ms|Mx)\.|Mrs?\b|Miss\b)(?=\s+[A-Z][a-z])(?!\s+(?:Office|Excel|Word|Access|"
                        r"PowerPoint|Outlook|Project|Dynamics|Teams|SQL|Visio)\b)\s*")
# English words that cut a segment into a job part and a personal part.
_CONNECTIVES_EN = frozenset({"as", "while", "being", "despite", "during", "with", "since", "after", "before", "when",
                             "although", "though", "because", "at", "who", "whilst", "and", "but"})
# Market words: "women's apparel", "female customers", "여성 의류" describe the work, not the person.
# (plural: "a wheelchair user" is a person, "wheelchair users" are a market)
_MARKET_EN = frozenset("""customers consumers clients users shoppers audience audiences segment segments market markets
apparel clothing fashion wear shoes footwear cosmetics beauty health products product brand brands patients players
members athletes students employees staff workers team teams leadership network networks""".split())
_MARKET_KO = frozenset("""고객 고객층 의류 패션 브랜드 소비자 타깃 타겟 대상 시장 사용자 유저 회원 용품 전용 복 화장품 뷰티
환자 선수 학생 직원 인력 커뮤니티 쇼핑몰 잡지 제품 상품 층""".split())
# Region names that, before 출신/native/from, state where someone comes from.
_LANGUAGE_CONTEXT_EN = frozenset({"speaker", "speakers", "language", "languages", "fluent", "fluency", "native-level",
                                  "proficiency", "proficient", "bilingual", "business-level", "conversational",
                                  "topik", "jlpt", "hsk", "toeic", "toefl", "ielts", "translation", "translator",
                                  "interpreter", "interpretation", "writing", "speaking", "reading"})
DEMONYMS_EN = frozenset("""korean chinese japanese vietnamese filipino filipina thai indonesian malaysian singaporean
indian pakistani bangladeshi nepali mongolian russian ukrainian uzbek kazakh american canadian mexican brazilian
british english irish scottish french german italian spanish portuguese dutch polish turkish iranian iraqi syrian
egyptian nigerian kenyan ethiopian australian taiwanese cambodian burmese laotian sri lankan""".split())
PLACES_EN = frozenset("""seoul busan daegu incheon gwangju daejeon ulsan sejong gyeonggi gangwon chungcheong
chungbuk chungnam jeolla jeonbuk jeonnam gyeongsang gyeongbuk gyeongnam jeju honam yeongnam chuncheon jeonju
pohang changwon suwon korea china japan vietnam philippines thailand india indonesia mongolia russia uzbekistan
taiwan usa america canada mexico brazil uk england france germany""".split())

# A line about education: a graduation or entry year on it is an age proxy and goes (the degree and school stay).
_EDUCATION = re.compile(r"\b(?:B\.?S\.?c?|B\.?A|M\.?S\.?c?|M\.?A|MBA|Ph\.?D|BEng|MEng|Bachelor|Master|Doctorate|Diploma|"
                        r"University|College|Institute|High\s+School|Academy|Graduated|Graduation|Alumni|GPA)\b|"
                        r"대학교|대학원|고등학교|대학|학사|석사|박사|졸업|입학|학번|전공", re.IGNORECASE)
_EDUCATION_YEAR = re.compile(r"(?:\(?\s*(?:19|20)\d{2}(?:[./-]\d{1,2})?\s*(?:년(?:\s*\d{1,2}\s*월)?)?\s*"
                             r"(?:[~–—-]|to)\s*(?:(?:19|20)\d{2}(?:[./-]\d{1,2})?(?:\s*년(?:\s*\d{1,2}\s*월)?)?|present|"
                             r"현재)\s*\)?)"
                             r"|(?:(?:,|\bin|\bclass\s+of)?\s*\(?(?<![\d.])(?:19|20)\d{2}(?:[./-]\d{1,2})?(?![\d.])\)?"
                             r"(?:\s*년(?:\s*\d{1,2}\s*월)?)?)", re.IGNORECASE)
_EDUCATION_WORDS = frozenset("""bs bsc ba ma ms msc mba bba phd beng meng bachelor bachelors master masters doctorate
diploma university college institute academy graduated graduation alumni gpa""".split())
_EDUCATION_KO = ("대학교", "대학원", "고등학교", "학사", "석사", "박사", "졸업", "입학", "학번", "전공")


_DIGIT = re.compile(r"\d")
_HONORIFIC_WORDS = frozenset({"mr", "mrs", "ms", "miss", "mx"})


def _is_education(text: str) -> bool:
    if not _DIGIT.search(text):
        return False
    low = text.lower()
    return (any(w in _EDUCATION_WORDS for w in _EN_WORD.findall(low.replace(".", "")))
            or any(k in text for k in _EDUCATION_KO))


# A period of employment makes a segment job content: 2019.03 ~ 현재, 2018-2021, Jan 2020 – Present.
_DATE_RANGE = re.compile(r"(?:19|20)\d{2}(?:[./-]\d{1,2})?\s*(?:[~–—-]|to)\s*(?:(?:19|20)\d{2}|present|now|current|현재)"
                         r"|(?:19|20)\d{2}[./]\d{1,2}"
                         r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d{2}",
                         re.IGNORECASE)
# Numbers with a unit of work ("saving 10 hours a week", "35% 개선", "2M events") and company names are job content.
_METRIC = re.compile(r"\d[\d,.]*\s*(?:%|퍼센트|배|억|만\s*원|원|건|명의?|[kmb]\b|million|billion|hours?|days?|weeks?|"
                     r"users?|customers?|clients?|people|employees|engineers|events|requests|transactions|projects|"
                     r"stores|countries|languages|usd|krw|dollars?)", re.IGNORECASE)
_COMPANY = re.compile(r"(?:주식회사|㈜|\(주\)|[가-힣](?:코프|전자|은행|증권|보험|카드|캐피탈|건설|화학|제약|통신|그룹|테크|랩스|"
                      r"소프트|시스템즈|컴퍼니|스튜디오|게임즈|페이|마켓))|\b(?:Inc|Corp|Corporation|Ltd|LLC|GmbH|Co|"
                      r"Company|Group|Labs|Bank|Securities|Insurance|Technologies|Systems|Studios?|Partners)\b\.?")
_FINAL_STOP = re.compile(r"(?<=[^\s.])[.。]\s*$")

KIWI_BUDGET_CHARS = 8_000      # flagged Korean text analysed per document; the rest of a pathological input is dropped
DETAIL_BUDGET_CHARS = 30_000   # flagged text analysed closely per document (a resume has a few hundred characters)
_MAX_SEGMENT = 400             # longer stretches without punctuation are cut at spaces into pieces of about this size


@dataclass(frozen=True)
class Found:
    """A protected statement found in a line: its category, where it is, and whether it was removed whole."""

    category: str
    start: int
    end: int


# ---- lexicon lookups ----------------------------------------------------------------------------------------------
def _phrase_index(terms: dict[str, tuple[str, ...]]) -> tuple[dict[tuple[str, ...], str], int]:
    index: dict[tuple[str, ...], str] = {}
    longest = 1
    for category, words in terms.items():
        for phrase in words:
            key = tuple(phrase.split())
            index.setdefault(key, category)
            longest = max(longest, len(key))
    return index, longest


_EN_INDEX, _EN_LONGEST = _phrase_index(TERMS_EN)
_EN_INDEX_WORDS = frozenset(w for key in _EN_INDEX for w in key)
_EN_FLAG_WORDS = (frozenset(key[0] for key in _EN_INDEX) | DEMONYMS_EN | PLACES_EN
                  | {"aged", "age", "born", "class", "turned", "b", "years", "year", "yrs", "yr", "old", "s", "cm",
                     "kg", "lbs", "lb", "early", "mid", "late", "twenties", "thirties", "forties", "fifties",
                     "sixties", "seventies", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                     "ninety", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "she", "he",
                     "her", "him", "his", "hers", "mr", "mrs", "ms", "miss", "my", "pronouns"})
_KO_INDEX: dict[str, str] = {}
for _category, _words in TERMS_KO.items():
    for _word in _words:
        _KO_INDEX.setdefault(_word, _category)
_KO_LONGEST = max(len(w) for w in _KO_INDEX)
# The stems a fast scan looks for before Kiwi is asked (plus digits followed by 대/세/살/년, handled in _ko_flagged).
PLACES_KO = frozenset("""서울 부산 대구 인천 광주 대전 울산 세종 경기 경기도 강원 강원도 충청 충청도 충북 충남 충청북도 충청남도
전라 전라도 전북 전남 전라북도 전라남도 경상 경상도 경북 경남 경상북도 경상남도 제주 제주도 호남 영남 영동 영서 관동 관서
기호 춘천 전주 포항 창원 수원 청주 천안 목포 여수 순천 안동 경주 진주 마산 군산 익산 강릉 원주 김해 구미 제천 충주
서산 당진 평택 의정부 고양 성남 용인 부천 안산 북한 평양 중국 베트남 필리핀 일본 몽골 태국 캄보디아 우즈베키스탄 러시아
미국 캐나다 인도 네팔 인도네시아 미얀마 스리랑카 방글라데시 파키스탄 대만 말레이시아 라오스 카자흐스탄""".split())
_KO_STEMS = sorted(_KO_INDEX, key=len, reverse=True)
# A fast scan decides which lines are looked at closely: set lookups, no regex alternation over hundreds of words
# (which is slow on long input). Korean stems of one syllable (남, 여, 키, 딸) count only in the patterns below.
_KO_PREFIX: dict[str, tuple[str, ...]] = {}
for _stem in sorted(set(_KO_STEMS) | PLACES_KO, key=len, reverse=True):
    if len(_stem) >= 2:
        _KO_PREFIX[_stem[:2]] = _KO_PREFIX.get(_stem[:2], ()) + (_stem,)
_KO_FLAG = re.compile(r"\d\s*(?:대|세|살|년\s*생|년생|학번)|(?:스물|서른|마흔|쉰|예순|일흔|[이삼사오육칠]십)\s*(?:대|살|세|[가-힣]{0,3}\s*살)"
                      r"|[(（\[]\s*[남여]\s*[)）\]]|(?:^|[\s:：-])[남여](?:\s*[)/,]|$)|키\s*(?:가|는)?\s*\d")
# Each alternative starts with a literal, so the scan skips ahead quickly: '94 and 5'11", she/her, at 45.
_EN_FLAG = re.compile(r"['’]\d|/\s*(?:her|him|them|their|hers|they|she|he)\b|at\s+\d\d")
_EN_WORD = re.compile(r"[a-z]+(?:[-'’][a-z]+)*")


def _flagged(text: str, low: str | None = None, words: set | None = None) -> bool:
    """Whether a line may hold a protected statement (linear: one pass of set lookups and two small patterns)."""
    low = text.lower() if low is None else low
    words = set(_EN_WORD.findall(low)) if words is None else words
    if _EN_FLAG.search(low) or not words.isdisjoint(_EN_FLAG_WORDS):
        return True
    if any(w.split("-", 1)[0] in _EN_FLAG_WORDS for w in words if "-" in w):
        return True
    if not _HANGUL.search(text):
        return False
    if _KO_FLAG.search(text):
        return True
    return _ko_stem_in(text)


def _ko_stem_in(text: str) -> bool:
    for m in _HANGUL_RUN.finditer(text):
        run = m.group(0)
        for k in range(len(run) - 1):
            stems = _KO_PREFIX.get(run[k:k + 2])
            if stems and any(run.startswith(stem, k) for stem in stems):
                return True
    return False


_HANGUL_RUN = re.compile(r"[가-힣]+")
_LABEL_LINE = re.compile(r"^\s*(?:[-*•·]\s*)?(?:" + "|".join(LABELS) + r")\s*(?:[:：\-–|=]|\s{2,}|\t)", re.IGNORECASE)


# ---- one line -----------------------------------------------------------------------------------------------------
@dataclass
class _Piece:
    text: str
    is_sep: bool
    depth: int = 0        # inside how many brackets
    drop: bool = False


def _pieces(line: str) -> list[_Piece]:
    out: list[_Piece] = []
    pos = 0
    depth = 0
    for m in _SEPARATOR.finditer(line):
        if m.start() > pos:
            out.extend(_Piece(t, False, depth) for t in _cut_long(line[pos:m.start()]))
        sep = m.group(0)
        core = sep.strip()
        if core and core in _OPEN:
            depth += 1
            out.append(_Piece(sep, True, depth))
        elif core and core in _CLOSE:
            out.append(_Piece(sep, True, depth))
            depth = max(0, depth - 1)
        else:
            out.append(_Piece(sep, True, depth))
        pos = m.end()
    if pos < len(line):
        out.extend(_Piece(t, False, depth) for t in _cut_long(line[pos:]))
    return out


def _cut_long(text: str) -> list[str]:
    """A stretch without punctuation longer than _MAX_SEGMENT is cut at spaces, so no analysis sees an unbounded one."""
    return split_long_line(text, _MAX_SEGMENT)


class _Budget:
    """Per document: what is left of the Korean analysis budget, and the topic words the document is about."""

    def __init__(self, chars: int, topics: frozenset = frozenset()):
        self.left = chars                       # Korean text Kiwi may still analyse
        self.detail_left = DETAIL_BUDGET_CHARS  # flagged text that may still be analysed closely
        self.topics = topics


_TOPIC_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|[가-힣]+")
TOPIC_SCAN_CHARS = 100_000  # the start of a document is enough to tell its field (and bounds the work on huge input)
DOCUMENT_TOPIC_MIN = 3      # a topic word used this often in one resume is the person's field of work (childcare)


def document_topics(text: str) -> frozenset:
    """Topic words (children, disability, 장애인, 육아) that a document uses at least DOCUMENT_TOPIC_MIN times: in a
    childcare worker's or a disability-services lawyer's resume they are the work, on every line."""
    from collections import Counter

    text = (text or "")[:TOPIC_SCAN_CHARS]
    counts: Counter = Counter()
    for word, n in Counter(_EN_WORD.findall(text.lower())).items():
        if word in TOPIC_EN:
            counts[word] += n
    for run, n in Counter(_HANGUL_RUN.findall(text)).items():
        for stem in _KO_TOPIC_PREFIXES.get(run[:2], ()):
            if run.startswith(stem):
                counts[stem] += n
                break
    return frozenset(w for w, n in counts.items() if n >= DOCUMENT_TOPIC_MIN)


class ProtectedRedactor:
    """Removes protected statements from text (see the module's docstring). `skills_in` tells whether a piece of text
    names a skill from the taxonomy: that is job content, which is never removed."""

    def __init__(self, skills_in: Callable[[str], list] | None = None):
        self._skills_in = skills_in or (lambda text: [])

    # ---- public ----------------------------------------------------------------------------------------------------
    @staticmethod
    def budget(text: str = "") -> "_Budget":
        """One document's context (the Korean analysis budget and the topics it is about): pass the same one to
        redact_line for each of its lines."""
        return _Budget(KIWI_BUDGET_CHARS, document_topics(text))

    def remove(self, text: str) -> str:
        budget = self.budget(text)
        kept = []
        for line in (text or "").splitlines():
            line = self.redact_line(line, budget)
            if line:
                kept.append(line)
        return "\n".join(kept)

    def redact_line(self, line: str, budget: "_Budget | None" = None) -> str:
        """One line without its protected statements; "" when nothing of it stays. A final full stop is dropped from
        every line, so that a line and the same line followed by a removed sentence read the same."""
        budget = budget or self.budget()
        if _LABEL_LINE.match(line):
            return ""
        bullet = _BULLET.match(line)
        prefix = bullet.group(0) if bullet else ""
        body = line[len(prefix):]
        low = body.lower()
        words = set(_EN_WORD.findall(low))      # one pass; the checks below are set lookups
        if not words.isdisjoint(_HONORIFIC_WORDS):
            body = _HONORIFIC.sub("", body)
        if not words.isdisjoint(_PRONOUNS):
            body = _PRONOUN.sub(lambda m: _match_case(_PRONOUNS[m.group(0).lower()], m.group(0)), body)
        if _DIGIT.search(body) and (not words.isdisjoint(_EDUCATION_WORDS) or "." in body and _is_education(body)
                                    or _HANGUL.search(body) and any(k in body for k in _EDUCATION_KO)):
            body = _EDUCATION_YEAR.sub("", body)     # a graduation or entry year is an age proxy
        if not _flagged(body, low, words):
            if "  " in body or "\t" in body:
                body = re.sub(r"[ \t]{2,}", " ", body)
            return _final(prefix, body.strip())
        if budget.detail_left < len(body):
            return ""       # a flagged line past the close-analysis budget: only pathological input gets here
        budget.detail_left -= len(body)
        pieces = _pieces(body)
        analyses = {k: self._analyse(p.text, budget) for k, p in enumerate(pieces)
                    if not p.is_sep and p.text.strip()}
        if all(a is not None and not a[2] for a in analyses.values()):
            analyses = {}           # nothing protected on this line (most lines): no further work
        context_job = self._context_job(pieces, analyses) if analyses else {}
        changed = False
        for k, analysis in analyses.items():
            piece = pieces[k]
            new = self._decide(piece.text, analysis, context_job[k], budget.topics)
            if new is not None and new != piece.text:     # keep the spacing around it (" | " stays " | ")
                lead = piece.text[:len(piece.text) - len(piece.text.lstrip())]
                trail = piece.text[len(piece.text.rstrip()):]
                new = lead + new.strip() + trail
            if new is None:
                piece.drop = True
                changed = True
            elif new != piece.text:
                piece.text = new
                changed = True
        if changed:
            self._drop_attached_brackets(pieces)
            _drop_orphan_copulas(pieces)
        result = _rebuild(pieces) if changed else re.sub(r"[ \t]{2,}", " ", body).strip()
        return _final(prefix, result)

    def _drop_attached_brackets(self, pieces: list[_Piece]) -> None:
        """A bracket right after a removed statement elaborates it ("군필 (Army, 2010-2012)"): it goes too, unless it
        names a skill."""
        partner: dict[int, int] = {}
        stack: list[int] = []
        for i, piece in enumerate(pieces):
            core = piece.text.strip() if piece.is_sep else ""
            if core and core in _OPEN:
                stack.append(i)
            elif core and core in _CLOSE and stack:
                partner[stack.pop()] = i
        marks = [0] * (len(pieces) + 1)
        for i, piece in enumerate(pieces):
            j = i + 1
            if piece.is_sep or not piece.drop or j not in partner:
                continue
            k = partner[j]
            inside = " ".join(p.text for p in pieces[j + 1:k] if not p.is_sep)
            if len(inside) <= _MAX_SEGMENT and not self._skills_in(inside):
                marks[j] += 1
                marks[k + 1] -= 1
        running = 0
        for i in range(len(pieces)):
            running += marks[i]
            if running > 0:
                pieces[i].drop = True

    def has_job_content(self, text: str) -> bool:
        """A skill from the taxonomy, a work word, or a period of employment (2019.03 ~ 현재, Jan 2020 - Present)."""
        if not re.search(r"[^\W_]", text):
            return False
        if self._skills_in(text) or _DATE_RANGE.search(text) or _METRIC.search(text) or _COMPANY.search(text):
            return True
        if any(t.lower().strip(".") in WORK_WORDS_EN for t in _EN_TOKEN.findall(text)):
            return True
        return bool(_HANGUL.search(text)) and any(w in text for w in _ko_work_hits(text))

    # ---- segments --------------------------------------------------------------------------------------------------
    def _analyse(self, text: str, budget: "_Budget"):
        """(Korean units, English units, protected spans) of one segment; None when past the analysis budget."""
        ko_units: list[_Unit] = []
        spans: list[_Span] = []
        if _HANGUL.search(text) and (_KO_FLAG.search(text) or _ko_stem_in(text)):
            if budget.left < len(text):
                return None
            budget.left -= len(text)
            ko_units = _ko_units(text)
            spans = _find_ko(ko_units, text)
        en_units = _en_units(text)
        spans += _find_en(en_units)
        return ko_units, en_units, spans

    def _context_job(self, pieces: list[_Piece], analyses: dict) -> dict[int, bool]:
        """Whether the sentence (or bracket) each segment belongs to describes work, judged without its protected
        words: on such a sentence a topic word ("disability insurance") is the work."""
        context: dict[int, int] = {}
        group, last, stack = 0, 0, []
        for k, piece in enumerate(pieces):
            core = piece.text.strip() if piece.is_sep else ""
            if piece.is_sep and core and core in _OPEN:
                stack.append(group)
                last += 1
                group = last
            elif piece.is_sep and core and core in _CLOSE and stack:
                group = stack.pop()
            elif piece.is_sep and core[:1] in ".!?。" and core:
                last += 1
                group = last
            elif not piece.is_sep:
                context[k] = group
        texts: dict[int, list[str]] = {}
        for k, g in context.items():
            analysis = analyses.get(k)
            text = pieces[k].text
            if analysis is not None:
                ko_units, en_units, spans = analysis
                text = _blank(text, [_extend(sp, ko_units if sp.kind == "ko" else en_units, text) for sp in spans])
            texts.setdefault(g, []).append(text)
        job = {g: self.has_job_content(joined) or len(_content_words(joined, [])) > _STATEMENT_WORDS + 1
               for g, parts in texts.items() for joined in [" , ".join(parts)]}
        return {k: job[g] for k, g in context.items()}

    def _decide(self, text: str, analysis, line_job: bool, topics: frozenset = frozenset()) -> str | None:
        """The segment as it should stay; None when it goes whole."""
        if analysis is None:
            # Past the analysis budget (a pathological input): a flagged segment without a skill goes whole.
            return text if self._skills_in(text) else None
        ko_units, en_units, spans = analysis
        if line_job or topics:
            # on a line that describes work, or in a resume whose field it is, a topic word is the work unless it is
            # said about oneself
            spans = [sp for sp in spans if not sp.topic or sp.personal
                     or (not line_job and text[sp.start:sp.end].lower() not in topics)]
        if not spans:
            return text
        spans = _merge_spans(spans)
        units = ko_units or en_units
        strong = [sp for sp in spans if not sp.weak]
        extended = [_extend(sp, ko_units if sp.kind == "ko" else en_units, text) for sp in spans]
        rest = _blank(text, extended)
        content = _content_words(rest, units)
        if not strong:
            # "Single.", "Tall and slim.": only when nothing else is said
            return None if not content else text
        if not (self.has_job_content(rest) or len(content) > _STATEMENT_WORDS):
            return None         # a personal statement ("Happily married with three kids", "저는 여성입니다")
        # Job content and a personal statement: cut at connectives and drop the personal pieces; inside job content,
        # remove the phrases that describe the person (an age, "my husband", 30대 남성 before 개발자).
        out = []
        for a, b in _pieces_at_connectives(text, units):
            part = [k for k, sp in enumerate(spans) if a <= sp.start < b]
            if all(spans[k].weak for k in part):
                out.append(text[a:b])
                continue
            part_rest = _blank(text, [extended[k] for k in part], a, b)
            if not _content_words(part_rest, [u for u in units if a <= u.start < b]):
                continue
            if a > 0 and any(spans[k].personal and not spans[k].weak for k in part) \
                    and not self._skills_in(text[a:b]):
                continue        # "... while my wife finished her studies": a clause about the person's life
            cut = [extended[k] for k in part if not spans[k].weak and (spans[k].personal or not spans[k].topic)
                   and (spans[k].personal or spans[k].category != "sex" or not line_job or True)]
            out.append(_cut(text, [c for c, k in zip(cut, part) if _describes_person(spans[k])], a, b))
        result = _tidy("".join(out))
        return result if re.search(r"[^\W_]", result) else None


_STATEMENT_WORDS = 3     # a segment with a protected term and at most this many other words is a statement about a person


def _describes_person(sp: "_Span") -> bool:
    """Inside job content only what is said about the person goes: ages and other patterns, words after "I am",
    "my", "as a", and the words that only ever describe a person (married, pregnant, 30대 남성)."""
    return sp.personal or not sp.topic


_WORD_CHAR = re.compile(r"[^\W_]")


_COPULA_ONLY = re.compile(r"^\s*(?:입니다|이다|이에요|예요|에요|이며|이고|임|인|이었습니다|였습니다)\s*[.!?]?\s*$")


def _drop_orphan_copulas(pieces: list[_Piece]) -> None:
    """"북한이탈주민(새터민)입니다": when what came before went, the copula left after the bracket goes too."""
    previous_dropped = False
    for piece in pieces:
        if piece.is_sep:
            continue
        if not piece.drop and previous_dropped and _COPULA_ONLY.match(piece.text):
            piece.drop = True
        previous_dropped = piece.drop


def _final(prefix: str, result: str) -> str:
    result = result.rstrip()
    if result[-1:] in (".", "。") and len(result) > 1 and not result[-2].isspace() and result[-2] != ".":
        result = result[:-1]
    if not _WORD_CHAR.search(result):
        return ""
    return (prefix + result).strip()


def _match_case(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    return re.sub(r"[ \t]+([,.;:!?)\]])", r"\1", text).strip()


def _rebuild(pieces: list[_Piece]) -> str:
    """Join what is kept. A dropped segment takes the separator that joined it with it (the one before it, else the
    one after it, and any after the last one); brackets left holding nothing go, with the space before them."""
    n = len(pieces)
    texts = [k for k, p in enumerate(pieces) if not p.is_sep]
    last_text = max((k for k in texts if not pieces[k].drop), default=-1)
    for i in texts:
        if not pieces[i].drop:
            continue
        j = i - 1
        if j >= 0 and pieces[j].is_sep and pieces[j].text.strip() not in _OPEN + _CLOSE and j > 0:
            pieces[j].drop = True
        elif i + 1 < n and pieces[i + 1].is_sep and pieces[i + 1].text.strip() not in _OPEN + _CLOSE:
            pieces[i + 1].drop = True
    if any(not p.is_sep and p.drop for p in pieces[last_text + 1:]):
        for k in range(last_text + 1, n):   # nothing kept after the last segment: its closing punctuation goes too
            if pieces[k].is_sep and pieces[k].text.strip() not in _OPEN + _CLOSE:
                pieces[k].drop = True
    # brackets left holding nothing go, with the space before them (one pass; nested brackets add up)
    marks = [0] * (n + 1)
    stack: list[list[int]] = []        # [index of the opening bracket, kept segments inside]
    for i, piece in enumerate(pieces):
        core = piece.text.strip() if piece.is_sep else ""
        if core and core in _OPEN:
            stack.append([i, 0])
        elif core and core in _CLOSE and stack:
            opened, inside = stack.pop()
            if inside == 0:
                marks[opened] += 1
                marks[i + 1] -= 1
                if opened > 0:
                    pieces[opened - 1].text = pieces[opened - 1].text.rstrip()
            elif stack:
                stack[-1][1] += inside
        elif not piece.is_sep and not piece.drop and piece.text.strip() and stack:
            stack[-1][1] += 1
    running = 0
    for i in range(n):
        running += marks[i]
        if running > 0:
            pieces[i].drop = True
    kept = [p for p in pieces if not p.drop]
    out: list[_Piece] = []
    for piece in kept:
        core = piece.text.strip()
        if piece.is_sep and core not in _OPEN + _CLOSE and core:
            if not out or (out[-1].is_sep and out[-1].text.strip() not in _CLOSE):
                continue
        out.append(piece)
    while out and out[-1].is_sep and out[-1].text.strip() in (",", ";", "|", "/", "-", "–", "—", "·", "、", "，", "；", ""):
        out.pop()
    return _tidy("".join(p.text for p in out))


# ---- units, spans and what is left around them -------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    form: str       # lower-cased word (English) or Kiwi form (Korean)
    tag: str        # Kiwi tag, or "W" (word) / "N" (number) / "P" (punctuation) for English
    start: int
    end: int
    cap: bool = False   # written with a capital letter (English)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    category: str
    weak: bool
    kind: str               # "en" / "ko": which units to extend it over
    topic: bool = False     # a word that also names a topic of work (disability, 육아휴직)
    personal: bool = False  # said about oneself ("my children", "I am 45", "엄마로서", "육아휴직 중입니다")


def _en_units(text: str) -> list[_Unit]:
    out = []
    for m in _EN_TOKEN.finditer(text):
        word = m.group(0)
        if _HANGUL.search(word):
            out.append(_Unit(word, "H", m.start(), m.end()))
            continue
        low = word.lower()
        if len(low) > 1 and low.endswith(".") and not re.match(r"^(?:[a-z]\.)+$", low):
            low = low.rstrip(".")
        tag = "N" if low[:1].isdigit() else "W" if low[:1].isalpha() else "P"
        out.append(_Unit(low, tag, m.start(), m.end(), word[:1].isupper()))
    return out


def _ko_units(text: str) -> list[_Unit]:
    from core.text import _KiwiHolder

    return [_Unit(t.form if not t.form.isascii() else t.form.lower(), t.tag, t.start, t.start + t.len)
            for t in _KiwiHolder.get().tokenize(text)]


def _merge_spans(spans: list[_Span]) -> list[_Span]:
    spans = sorted(spans, key=lambda sp: (sp.start, -sp.end))
    out: list[_Span] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            last = out[-1]
            out[-1] = _Span(last.start, max(last.end, sp.end), last.category if not last.weak else sp.category,
                            last.weak and sp.weak, last.kind, last.topic and sp.topic, last.personal or sp.personal)
        else:
            out.append(sp)
    return out


def _blank(text: str, spans, a: int = 0, b: int | None = None) -> str:
    """The text with the spans, and everything outside [a, b), replaced by spaces (positions stay where they were)."""
    b = len(text) if b is None else b
    chars = [" "] * a + list(text[a:b]) + [" "] * (len(text) - b)
    for sp in spans:
        for k in range(max(a, sp.start), min(b, sp.end)):
            chars[k] = " "
    return "".join(chars)


def _cut(text: str, spans, a: int, b: int) -> str:
    out, pos = [], a
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.end <= a or sp.start >= b:
            continue
        if sp.start > pos:
            out.append(text[pos:sp.start])
        pos = max(pos, sp.end)
    out.append(text[pos:b])
    return "".join(out)


# Words that carry nothing once the personal statement around them is gone ("I am", "as a proud", "현재", "저는").
FILLER_EN = frozenset("""
a an the i i'm im me my mine our we us you your am is are was were be been being as while whilst with who whom that
which this these those of in on at to for from by and or but also just still now currently recently newly proudly
proud happily happy young old this year years year age aged since when during after before despite though although
because so very really quite new first second third one two three four five six seven eight nine ten no none yes
n/a na not have has had having living life home personal status here there myself both either its it's it
""".split())
FILLER_KO_TAGS = ("J", "E", "VCP", "VCN", "VX", "XS", "SF", "SP", "SS", "SE", "SO", "SW", "NP", "MM", "MAJ", "NNB", "IC")
FILLER_KO = frozenset("""
저 제 나 내 현재 지금 올해 요즘 최근 이제 아직 그리고 또한 및 또 현 있 없 하 되 살 세 명 개월 년 둘 하나 셋 넷 중 차
이 그 저희 본인
""".split())


def _content_words(rest: str, units: list[_Unit]) -> list[str]:
    """The words of `rest` (a blanked copy of the text the units index) that are not filler."""
    if not _HANGUL.search(rest):
        return [w for w in _EN_TOKEN.findall(rest)
                if re.search(r"[^\W_]", w) and w.lower().strip(".'’") not in FILLER_EN]
    out = []
    for u in units:
        if u.end > len(rest) or not rest[u.start:u.end].strip():
            continue
        if u.tag.startswith(FILLER_KO_TAGS) or u.form in FILLER_KO or u.form.lower() in FILLER_EN:
            continue
        if u.tag in ("SN", "SW", "SH") and len(u.form) <= 2 or not re.search(r"[^\W_]", u.form):
            continue
        out.append(u.form)
    return out


def _filler_only(rest: str, units: list[_Unit]) -> bool:
    """True when nothing but filler words is left in `rest` (a blanked copy of the text the units index)."""
    words = _EN_TOKEN.findall(rest) if not _HANGUL.search(rest) else None
    if words is not None:
        return all(w.lower().strip(".'’") in FILLER_EN or not re.search(r"[^\W_]", w) for w in words)
    # Korean: judge the units that fall on text still present
    for u in units:
        if not rest[u.start:u.end].strip() if u.end <= len(rest) else True:
            continue
        if u.tag.startswith(FILLER_KO_TAGS) or u.form in FILLER_KO or u.form.lower() in FILLER_EN:
            continue
        if u.tag == "SN" and len(u.form) <= 2:
            continue
        return False
    return True


_EN_CUT_BEFORE = _CONNECTIVES_EN


def _pieces_at_connectives(text: str, units: list[_Unit]) -> list[tuple[int, int]]:
    """Ranges of the text cut before English connectives and after Korean adverbial particles and connective endings
    (로서, 으로, 이며, 면서, 고)."""
    cuts = {0, len(text)}
    for index, u in enumerate(units):
        if u.form in _EN_CUT_BEFORE and u.tag in ("W", "SL"):
            cuts.add(u.start)
        elif u.tag in ("JKB", "EC"):
            end = u.end
            k = index + 1
            while k < len(units) and units[k].tag.startswith("JX") and units[k].start == end:
                end = units[k].end       # 임신 중에도: the particle after the cut belongs to the part before
                k += 1
            cuts.add(end)
    cuts = sorted(cuts)
    return list(zip(cuts, cuts[1:]))


_LEFT_EN = frozenset("""a an the as i i'm im am was is being my our proud proudly happily young now currently still
recently newly also who and with while first second third fourth eldest oldest youngest only little two three four
five six seven eight nine ten early mid late in""".split())
_LABEL_WORDS_EN = frozenset({"nationality", "citizenship", "religion", "gender", "sex", "age", "height", "weight",
                             "ethnicity", "race", "faith", "pronouns", "dob", "hometown", "passport", "blood type"})
_PLACE_TAIL_EN = frozenset({"province", "island", "city", "county", "state", "region", "area", "village", "town",
                            "countryside", "do", "si", "gun"})
_LEFT_KO_TAGS = ("MM", "SN", "NR", "JKG", "ETM", "XSA", "VA", "XR", "NP", "JX", "NNB")
_RIGHT_KO_TAGS = ("NNB", "VCP", "EF", "EC", "ETM", "JKB", "JKS", "JKO", "JX", "JKG", "JC", "XSN", "SN", "EP")


def _extend(sp: _Span, units: list[_Unit], text: str) -> _Span:
    """A protected phrase with the words that belong to it: "as a proud" before "mother", "of two" after it, the
    place after "originally from", the value after a label; Korean modifiers before (두 아이의) and the particle or
    copula after (로서, 입니다)."""
    idx = [k for k, u in enumerate(units) if u.start >= sp.start and u.end <= sp.end]
    if not idx:
        return sp
    a, b = idx[0], idx[-1] + 1
    if sp.kind == "ko" and units and units[0].tag not in ("W", "N", "P", "H"):
        while a > 0 and units[a - 1].tag.startswith(_LEFT_KO_TAGS):
            a -= 1
        while b < len(units) and units[b].tag.startswith(_RIGHT_KO_TAGS):
            b += 1
    else:
        while a > 0 and units[a - 1].form in _LEFT_EN:
            a -= 1
        head = " ".join(u.form for u in units[idx[0]:idx[-1] + 1])
        if b < len(units) and units[b].form == "of" and b + 1 < len(units) and _number(units[b + 1].form) is not None:
            b += 2
        if head in _LABEL_WORDS_EN:
            if b < len(units) and units[b].form in (":", "-", "="):
                b += 1
            stop = min(len(units), b + 3)
            while b < stop and units[b].tag != "P":
                b += 1
        if sp.category == "region" or head in ("born", "from"):
            while b < len(units) and (units[b].form in _PLACE_TAIL_EN or units[b].form in PLACES_EN
                                      or (units[b].tag == "W" and text[units[b].start:units[b].start + 1].isupper())
                                      or units[b].form in ("in", "on", "the", "of", "a", "small", "rural")):
                b += 1
        while b < len(units) and units[b].tag == "N" and _number(units[b].form) is not None:
            b += 1
        if sp.category == "disability" and b < len(units) and units[b].form in ("user", "users", "survivor"):
            b += 1
    return _Span(units[a].start, units[b - 1].end, sp.category, sp.weak, sp.kind, sp.topic, sp.personal)


# ---- English matching ---------------------------------------------------------------------------------------------
def _number(word: str) -> int | None:
    word = word.lower()
    if word.isascii() and word.isdigit():
        return int(word) if len(word) <= 4 else None
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in _NUMBER_WORDS and ones in _NUMBER_WORDS and _NUMBER_WORDS[tens] >= 20 and _NUMBER_WORDS[ones] < 10:
            return _NUMBER_WORDS[tens] + _NUMBER_WORDS[ones]
    return None


_POSSESSIVE = frozenset({"my", "our", "her", "his", "their"})
_PRONOUN_PAIR = re.compile(r"^(?:she|he|they)/(?:her|him|his|hers|them|their|theirs|they|she|he)(?:/\w+)?$")
_FAMILY_NOUNS = frozenset({"kids", "kid", "children", "child", "son", "sons", "daughter", "daughters", "twins",
                           "triplets", "toddler", "toddlers", "baby", "babies", "newborn"})


def _find_en(units: list[_Unit]) -> list[_Span]:
    """The protected phrases among these English units."""
    words = [u.form for u in units]
    found: list[_Span] = []
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        prev = words[i - 1] if i else ""
        hit = None
        if units[i].tag == "H":
            i += 1
            continue
        # ages, birth years, decades of life
        if _AGE_TOKEN.match(w) or (_DECADE_TOKEN.match(w) and (prev in _POSSESSIVE | {"early", "mid", "late", "in"}
                                                                or w.startswith(("early-", "mid-", "late-"))
                                                                or w in _DECADE_WORDS)):
            hit = (i, i + 1, "age")
        elif w in ("aged", "age") and i + 1 < n and (_number(words[i + 1]) is not None or words[i + 1] == ":"
                                                      or (words[i + 1] == "of" and i + 2 < n
                                                          and _number(words[i + 2]) is not None)):
            end = i + 2
            if words[i + 1] in (":", "of") and i + 2 < n and _number(words[i + 2]) is not None:
                end = i + 3
            start = i - 1 if prev == "the" else i
            hit = (start - 1 if start > 0 and words[start - 1] == "at" else start, end, "age")
        elif _number(w) is not None and 0 < (_number(w) or 0) < 110 and i + 2 < n \
                and words[i + 1] in ("years", "year", "yrs", "yr") and words[i + 2] in ("old", "young"):
            hit = (i, i + 3, "age")
        elif _number(w) is not None and i + 3 < n and words[i + 1] in ("years", "year") and words[i + 2] == "of" \
                and words[i + 3] == "age":
            hit = (i, i + 4, "age")
        elif w == "turned" and i + 1 < n and _number(words[i + 1]) is not None:
            hit = (i, i + 2, "age")
        elif w in ("b", "b.") and i + 1 < n and (_YEAR.match(words[i + 1]) or words[i + 1] == "." and i + 2 < n
                                                  and _YEAR.match(words[i + 2])):
            hit = (i, i + 2 if _YEAR.match(words[i + 1]) else i + 3, "age")
        elif w == "class" and i + 2 < n and words[i + 1] == "of" and (
                _YEAR.match(words[i + 2]) or _SHORT_YEAR.match(words[i + 2]) or words[i + 2] in ("'", "’")):
            end = i + 3 + (1 if words[i + 2] in ("'", "’") and i + 3 < n and units[i + 3].tag == "N" else 0)
            hit = (i, end, "age")
        elif w == "at" and i + 1 < n and _number(words[i + 1]) is not None and 14 <= (_number(words[i + 1]) or 0) < 100 \
                and (i + 2 >= n or units[i + 2].tag == "P"):
            hit = (i, i + 2, "age")
        elif _HEIGHT.match(w):
            hit = (i, i + 1, "appearance")
        elif w in DEMONYMS_EN and not _language_context(words, i):
            nxt = words[i + 1] if i + 1 < n else ""
            if nxt in ("national", "citizen", "citizens", "nationals", "nationality", "descent", "origin",
                       "heritage", "passport", "-american"):
                hit = (i, i + 2, "nationality")
            elif prev in ("am", "i'm", "nationality", "citizenship") or (prev == "of" and i >= 2
                                                                           and words[i - 2] in ("citizen", "national")):
                hit = (i, i + 1, "nationality")
        elif w in PLACES_EN and i >= 2 and words[i - 1] in ("from", "in", "on") and words[i - 2] in (
                "originally", "raised", "up", "born", "native", "hailing", "hails"):
            hit = (i, i + 1, "region")
        elif w in PLACES_EN and i + 1 < n and words[i + 1] in ("native", "born", "native."):
            hit = (i, i + 2, "region")
        elif w in ("she", "he", "they") and i + 2 < n and words[i + 1] == "/" and words[i + 2] in (
                "her", "him", "them", "hers", "they", "she", "he", "their", "theirs"):
            hit = (i, i + 3, "sex")
        elif _PRONOUN_PAIR.match(w):
            hit = (i, i + 1, "sex")
        if hit is not None:
            hit = (*hit, "pattern")   # an age, a birth year, pronouns: about the person unless it describes others
        if hit is None:
            for width in range(min(_EN_LONGEST, n - i), 0, -1):
                key = tuple(words[i:i + width])
                category = _EN_INDEX.get(key)
                if category is None:
                    continue
                if _market_context(words, i + width):
                    break       # others, or the work: "female customers", "Latino voters", "child welfare"
                if key in (("mother",), ("native",)) and i + 1 < n and words[i + 1] in ("tongue", "language"):
                    break
                if key == ("born",) and i + 1 < n and words[i + 1] == "and":
                    category = "region"
                hit = (i, i + width, category)
                break
        if hit is not None and len(hit) == 3 and _proper_noun(units, hit[0], hit[1]):
            hit = None          # part of a name: Houston Baptist University, Boy Scouts of America, Child Support Office
        if hit is not None:
            a, b, category = hit[:3]
            phrase = " ".join(words[a:b])
            weak = phrase in WEAK_EN
            pattern = len(hit) > 3
            # "N years old" inside job content may be someone else's ("children 5 to 10 years old"): a topic there;
            # "aged 45", "at the age of 26", "b. 1969", she/her, places of origin are always about the person
            someone_elses = pattern and category == "age" and words[a] not in ("aged", "age", "the", "b", "b.",
                                                                                "turned", "class", "at")
            topic = phrase in TOPIC_EN or someone_elses
            personal = (pattern and not someone_elses) or any(w in _PERSONAL_MARKERS_EN for w in words[max(0, a - 4):a]) \
                or (a > 0 and (words[a - 1] in _POSSESSIVE or _number(words[a - 1]) is not None)) \
                or (b + 1 < n and words[b] == "at" and words[b + 1] == "home")
            found.append(_Span(units[a].start, units[b - 1].end, category, weak, "en", topic, personal))
            i = max(i + 1, a + 1 if b - a > 1 else b)   # phrases may overlap ("exempt from military service")
            continue
        i += 1
    return found


_ORG_WORDS = frozenset("""university college school academy institute hospital church charities charity foundation
association society center centre council office department bureau services service program programme agency bank
fund trust club league scouts troop ministries ministry federation union guard corps""".split())


def _proper_noun(units: list[_Unit], a: int, b: int) -> bool:
    """The matched words are capitalised and belong to a name: a capitalised word before them (other than the
    first word), or a capitalised organisation word after them."""
    if not all(u.tag == "W" and u.cap for u in units[a:b]):
        return False
    before = a > 1 and units[a - 1].tag == "W" and units[a - 1].cap and units[a - 1].form not in _EN_INDEX_WORDS
    after = b < len(units) and units[b].tag == "W" and units[b].cap and units[b].form not in _EN_INDEX_WORDS \
        and units[b].form not in _PERSONAL_MARKERS_EN
    return before or after


def _language_context(words: list[str], i: int) -> bool:
    window = words[max(0, i - 2):i] + words[i + 1:i + 3]
    return any(w in _LANGUAGE_CONTEXT_EN for w in window)


# Words after a protected term that make it describe other people or the work itself.
_OTHERS_EN = _MARKET_EN | frozenset("""community communities voters parents families youth kids students population
populations individuals people women men girls boys campers residents adults seniors elderly veterans children child
infants adolescents teens learners participants attendees survivors victims care services service support welfare
development protection advocate advocates advocacy abuse rights education program programs programme policy policies
center centre centers clinic unit ward health nutrition psychology psychologist safety insurance claims benefits law
laws accommodation accommodations access accessibility performers labor labour studies issues organizations
organization groups group ministry outreach affairs history literature culture cultural""".split())


def _market_context(words: list[str], after: int) -> bool:
    return after < len(words) and (words[after] in _OTHERS_EN or words[after] in ("'s", "’s"))


# ---- Korean matching ----------------------------------------------------------------------------------------------
_KO_NOUNISH = ("NNG", "NNP", "NNB", "NR", "XR", "SN", "SL", "XSN", "MM", "NP")
_ORIGIN_NOUNS = ("출신", "토박이", "태생", "사람", "내기", "사투리", "국적", "인", "계", "교포", "동포", "이민자")


def _find_ko(units: list[_Unit], text: str) -> list[_Span]:
    found: list[_Span] = []
    n = len(units)
    i = 0
    while i < n:
        u = units[i]
        form, tag = u.form, u.tag
        hit = None
        # ages: 30대 (초반), 만 34세, 45살, 1998년생, 86년 출생, 01학번, 마흔다섯 살, 사십 대
        if tag == "SN" and i + 1 < n:
            nxt = units[i + 1].form
            value = int(form) if form.isascii() and form.isdigit() and len(form) <= 4 else -1
            if nxt == "대" and value in (10, 20, 30, 40, 50, 60, 70) and not _ko_counted_machine(units, i):
                j = i + 2
                if j < n and units[j].form in ("초반", "중반", "후반", "초", "중", "말"):
                    j += 1
                hit = (i, j, "age")
            elif nxt in ("세", "살") and 0 < value < 110:
                hit = (i - 1 if i > 0 and units[i - 1].form == "만" else i, i + 2, "age")
            elif nxt == "년" and i + 2 < n and units[i + 2].form in ("생", "출생", "생이"):
                hit = (i, i + 3, "age")
            elif nxt in ("년생", "학번"):
                hit = (i, i + 2, "age")
        elif tag == "NR" and form in ("스물", "서른", "마흔", "쉰", "예순", "일흔", "이십", "삼십", "사십", "오십", "육십",
                                      "칠십"):
            j = i + 1
            while j < n and units[j].tag == "NR":
                j += 1
            if j < n and units[j].form in ("살", "대", "세"):
                j += 1
                if j < n and units[j].form in ("초반", "중반", "후반"):
                    j += 1
                hit = (i, j, "age")
        elif tag.startswith("NNP") or form in PLACES_KO:
            # where someone comes from: 전라도 출신, 경상도 사람, 베트남 국적, 중국인, 광주 토박이
            if form in PLACES_KO and i + 1 < n and units[i + 1].form in _ORIGIN_NOUNS and not (
                    i + 2 < n and units[i + 2].form in ("학교", "대학", "대학교", "고교", "회사", "기업")):
                hit = (i, i + 2, "nationality" if units[i + 1].form in ("국적", "인", "계", "교포", "동포") else "region")
        if hit is None:
            # the longest run of noun-like morphemes (joined) that is a protected stem: 혈액+형, 육아+휴직
            for width in (3, 2, 1):
                if i + width > n:
                    continue
                run = units[i:i + width]
                if width > 1 and any(not m.tag.startswith(("NN", "XS", "XR", "SL")) for m in run):
                    continue
                key = "".join(m.form for m in run)
                category = _KO_INDEX.get(key)
                if category is None:
                    continue
                verdict = _ko_cue(KO_CONTEXT.get(key), units, i, i + width)
                if verdict is None:
                    continue
                hit = (i, i + width, category, verdict)
                break
        if hit is not None:
            a, b, category = hit[:3]
            lexical = len(hit) > 3
            weak = hit[3] if lexical else False
            key = "".join(m.form for m in units[a:b])
            topic = lexical and key in TOPIC_KO
            personal = not lexical or _ko_personal(units, a, b)
            found.append(_Span(units[a].start, units[b - 1].end, category, weak, "ko", topic, personal))
            i = b
            continue
        i += 1
    return found


_KO_TOPIC_PREFIXES: dict[str, tuple[str, ...]] = {}


# Korean stems that also name a topic of work (장애인 고용 지원, 육아휴직 제도 운영, 다문화 가정 지원 사업, 교회 홈페이지).
TOPIC_KO = frozenset("""장애 장애인 장애등급 임신 임산부 출산 출산휴가 육아 육아휴직 종교 결혼 혼인 이혼 가족관계 아이 아이들 자녀
부모 다문화 다문화가정 외국인 이민 이민자 난민 교회 성당 사찰 사진 보훈 국가유공자 병역 군복무 휠체어 보청기 자폐 발달장애
지적장애 시각장애 청각장애 양육 돌봄 부양 성별 연령 나이 탈북 탈북민 북한이탈주민 새터민 고령자 경력단절 경단녀 주부 인종
민족 신앙 예배 기도 세례 키 신장 체중 혈액형""".split())
for _stem in sorted(TOPIC_KO, key=len, reverse=True):
    _KO_TOPIC_PREFIXES.setdefault(_stem[:2], ())
    _KO_TOPIC_PREFIXES[_stem[:2]] += (_stem,)
_KO_JOB_TITLES = frozenset("""개발자 엔지니어 디자이너 마케터 기획자 분석가 연구원 매니저 리더 팀장 담당자 사원 직원 컨설턴트 회계사 변호사
간호사 교사 강사 전문가 경력자 인재 지원자 프로그래머 데이터사이언티스트 과학자""".split())


def _ko_personal(units: list[_Unit], a: int, b: int) -> bool:
    """Said about oneself: followed by a copula or 로서 (엄마로서, 여성입니다, 기혼이며), by 중/차 (육아휴직 중),
    by a job title (30대 남성 개발자); after 저/제/본인; a family word with a number (두 아이, 아들 둘)."""
    nxt = units[b] if b < len(units) else None
    prev = [u for u in units[max(0, a - 3):a]]
    if nxt is not None and (nxt.tag == "VCP" or nxt.form in ("로서", "으로서", "중", "차", "인", "이며", "이고")
                            or nxt.form in _KO_JOB_TITLES or (nxt.tag in ("SN", "NR") and b + 1 < len(units)
                                                              and units[b + 1].form in ("명", "살", "세", "개월"))):
        return True
    if any(u.tag == "NP" and u.form in ("저", "제", "나", "내", "본인") for u in prev):
        return True
    if prev and prev[-1].tag in ("MM", "SN", "NR") or (len(prev) >= 2 and prev[-1].form == "의"
                                                       and prev[-2].tag in ("NNG", "NNP")):
        return True
    return nxt is None or nxt.tag.startswith("S")


def _ko_counted_machine(units, i: int) -> bool:
    """30대 as a count of machines or vehicles (서버 30대, 30대의 차량), not an age."""
    machines = ("서버", "장비", "차량", "대수", "노트북", "컴퓨터", "pc", "머신", "노드", "인스턴스", "gpu", "트럭", "로봇",
                "기기", "단말", "프린터", "카메라", "드론", "버스", "택시", "라우터", "스위치", "모니터")
    before = units[i - 1].form if i > 0 else ""
    after = [m.form for m in units[i + 2:i + 5]]
    return before in machines or any(a in machines for a in after)


def _ko_cue(cue: str | None, units, a: int, b: int) -> bool | None:
    """None: not protected here; False: a protected statement (strong); True: personal only without job content."""
    if cue is None:
        return False
    nxt = units[b].form if b < len(units) else ""
    nxt_tag = units[b].tag if b < len(units) else ""
    prev = units[a - 1].form if a > 0 else ""
    if cue == "never":
        return None
    if cue == "weak":
        return True
    if cue == "label":        # 남 / 여 alone, in a label or brackets: "성별 - 남", "(여)"
        alone = (a == 0 or units[a - 1].tag.startswith("S")) and (b >= len(units) or nxt_tag.startswith("S"))
        return False if alone else None
    if cue == "measure":      # 키 180cm, 신장 175, 체중 72kg
        return False if nxt_tag == "SN" or (nxt in ("가", "는", "은") and b + 1 < len(units)
                                            and units[b + 1].tag == "SN") else None
    if cue == "photo":        # 사진 첨부, 증명사진, 프로필 사진 (not 상품 사진 촬영)
        return False if nxt in ("첨부", "부착", "별첨", "참조", "동봉") or prev in ("증명", "프로필", "본인") else True
    if cue == "disability":   # 시각/청각 + 장애
        return False if nxt in ("장애", "장애인", "에") else None
    if cue == "military":     # 병역 면제, 군 면제, 공익 근무 (not 세금 면제)
        window = [m.form for m in units[max(0, a - 2):a]] + [nxt]
        return False if any(w in ("병역", "군", "군대", "복무", "근무", "요원") for w in window) else None
    if cue == "blood":
        return False if nxt == "형" else None
    if cue == "market":       # 여성 의류, 남성 고객, 아이 용품 describe the work
        return None if nxt in _MARKET_KO or nxt.endswith("복") else False
    if cue == "origin":       # 베트남 출신, 전라도 출신 (출신 학교 / 출신 대학 are education)
        return None if nxt in ("학교", "대학", "대학교", "고교", "학과", "회사", "기업") else False
    return False


def _ko_work_hits(text: str) -> list[str]:
    return [w for w in WORK_WORDS_KO if w in text]


_FUNCTION_WORDS = re.compile(r"\b(?:i|i'm|am|a|an|the|is|was|my|our|me|we)\b", re.IGNORECASE)


# ---- module-level default -----------------------------------------------------------------------------------------
_default_lock = threading.Lock()
_default: ProtectedRedactor | None = None


def default_redactor() -> ProtectedRedactor:
    """A redactor that knows the shipped skills taxonomy (skills are job content and are never removed)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                from core.skills import SkillExtractor, load_taxonomy

                extractor = SkillExtractor(load_taxonomy())
                _default = ProtectedRedactor(_cached_skills(extractor))
    return _default


def _cached_skills(extractor) -> Callable[[str], list]:
    @lru_cache(maxsize=8192)
    def skills_in(text: str) -> tuple:
        # "I am a" must not read as the skill IAM: the words of a personal statement are no part of a skill name
        return tuple(extractor.skills_in_line(_FUNCTION_WORDS.sub(" ", text)))
    return skills_in


def remove_protected(text: str) -> str:
    """Text without its protected statements (see the module's docstring)."""
    return default_redactor().remove(text)
