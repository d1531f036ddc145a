"""Guardrails at both ends of JD generation, in Korean and English.

In (`check_request`): hiring criteria that discriminate are refused, each with the reason and a lawful rewording;
attempts to override the assistant's instructions and requests outside hiring are declined.

Out (`check_draft` / `enforce`): a company's sensitive entities and personal data never reach a draft (they are
removed, or replaced by the entity's generic name); gender- and age-coded wording is flagged with a suggestion; every
skill and claim must trace to the company's material, its past postings or the user's request, and anything that
does not is flagged for the reviewer.

Decisions worth knowing:
* A protected *value* as a criterion ("20대", "여성만", "미혼", "under 30", "native speaker") is refused; naming a
  *category* is not ("나이, 성별 무관", "regardless of age or religion" are equal-opportunity statements).
* A target market is not a candidate criterion: "20대 고객 대상 마케팅 경험" and "women's apparel" pass.
* Language: a proficiency the job needs is lawful ("business-level Korean", "native-level English", "영어 회화 능통");
  "native speaker" as a kind of person is national origin and is refused, with a proficiency level as the rewording.
  The right to work in Korea is lawful; nationality itself is not.
* Benefits are not criteria: "출산휴가", "maternity leave", "장애인 고용 우대" pass.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable

from core.jd.model import LIST_SECTIONS, SECTIONS, Company, DocChunk, JdDraft, Posting, SensitiveEntity
from core.text import content_terms, tokenize_lines

# ---- categories -------------------------------------------------------------------------------------------------------

CATEGORY_TEXT = {
    "age": {
        "en": ("Age cannot be a hiring criterion (Age Discrimination in Employment Act, 고령자고용법).",
               "State the experience the job needs instead, e.g. \"3+ years of backend experience\"."),
        "ko": ("나이는 채용 기준이 될 수 없습니다(고령자고용법의 모집·채용 연령차별 금지).",
               "나이 대신 직무에 필요한 경력을 적어 주세요. 예: \"관련 경력 3년 이상\"."),
    },
    "sex": {
        "en": ("Sex or gender cannot be a hiring criterion (Equal Employment Opportunity Act, 남녀고용평등법).",
               "Describe the duties and skills instead, e.g. \"able to run client workshops\"."),
        "ko": ("성별은 채용 기준이 될 수 없습니다(남녀고용평등법).",
               "성별 대신 직무에 필요한 역량을 적어 주세요. 예: \"고객사 워크숍을 진행할 수 있는 분\"."),
    },
    "marital": {
        "en": ("Marital or family status cannot be asked about or used (Fair Hiring Procedure Act, Equal Employment "
               "Opportunity Act).",
               "If the job really needs travel or shifts, say so, e.g. \"able to travel two weeks a quarter\"."),
        "ko": ("결혼 여부나 가족 관계는 묻거나 기준으로 삼을 수 없습니다(채용절차법, 남녀고용평등법).",
               "출장·교대근무가 필요하면 그 조건을 적어 주세요. 예: \"분기별 2주 출장 가능\"."),
    },
    "pregnancy": {
        "en": ("Pregnancy or plans to have children cannot be a hiring criterion (Equal Employment Opportunity Act).",
               "State the job's real demands instead, e.g. its schedule."),
        "ko": ("임신·출산 계획은 채용 기준이 될 수 없습니다(남녀고용평등법).",
               "대신 근무 시간 등 직무의 실제 조건을 적어 주세요."),
    },
    "religion": {
        "en": ("Religion cannot be a hiring criterion (National Human Rights Commission Act).",
               "Remove it; if weekend work is needed, state the schedule."),
        "ko": ("종교는 채용 기준이 될 수 없습니다(국가인권위원회법).",
               "종교 조건은 빼 주세요. 주말 근무가 필요하면 근무 일정을 적어 주세요."),
    },
    "region": {
        "en": ("Region of origin cannot be a hiring criterion (Fair Hiring Procedure Act). Where the person will work "
               "is fine.",
               "State the work location instead, e.g. \"able to work at our Busan office\"."),
        "ko": ("출신 지역은 채용 기준이 될 수 없습니다(채용절차법). 근무지는 적어도 됩니다.",
               "출신지 대신 근무지를 적어 주세요. 예: \"부산 사무소 근무 가능\"."),
    },
    "nationality": {
        "en": ("Nationality, national origin or race cannot be a hiring criterion. A language level the job needs and "
               "the legal right to work are fine.",
               "e.g. \"business-level Korean for client meetings\", \"native-level English\" or \"eligible to work in "
               "Korea\"."),
        "ko": ("국적·출신 국가·인종은 채용 기준이 될 수 없습니다. 직무에 필요한 언어 수준과 취업 자격은 적어도 됩니다.",
               "예: \"고객 미팅이 가능한 비즈니스 영어\", \"원어민 수준의 영어\", \"국내 취업 자격 보유\"."),
    },
    "disability": {
        "en": ("Disability cannot be a hiring criterion (Disability Discrimination Act).",
               "If the job has essential physical tasks, describe the task, e.g. \"regular on-site visits to the "
               "warehouse\"."),
        "ko": ("장애는 채용 기준이 될 수 없습니다(장애인차별금지법).",
               "꼭 필요한 신체적 업무가 있다면 업무 자체를 적어 주세요. 예: \"물류센터 현장 방문 업무 포함\"."),
    },
    "appearance": {
        "en": ("Appearance, height or weight cannot be asked about or used (Fair Hiring Procedure Act).",
               "Describe the behaviour the job needs, e.g. \"friendly, clear communication with customers\"."),
        "ko": ("외모·키·체중은 묻거나 기준으로 삼을 수 없습니다(채용절차법).",
               "필요한 태도를 적어 주세요. 예: \"고객과 친절하고 명확하게 소통하는 분\"."),
    },
    "injection": {
        "en": ("This looks like an attempt to change my instructions. I only write job descriptions from your "
               "company's material, within its rules.", "Describe the role you are hiring for."),
        "ko": ("지시를 바꾸려는 요청으로 보입니다. 저는 회사 자료를 바탕으로, 정해진 규칙 안에서 채용 공고만 작성합니다.",
               "채용하려는 직무를 설명해 주세요."),
    },
    "out_of_domain": {
        "en": ("I can only help with job descriptions and hiring.",
               "Tell me the company, job family and level, e.g. \"senior backend engineer at Hanbit Pay\"."),
        "ko": ("채용 공고와 채용에 관한 요청만 도와드릴 수 있습니다.",
               "회사, 직군, 레벨을 알려 주세요. 예: \"한빛페이 시니어 백엔드 개발자\"."),
    },
}
DISCRIMINATION_CATEGORIES = ("age", "sex", "marital", "pregnancy", "religion", "region", "nationality", "disability",
                             "appearance")

_PERSON = (r"(?:여성|남성|여자|남자|지원자|인재|개발자|엔지니어|디자이너|마케터|기획자|직원|사원|신입|분|사람|만|이면|였으면|"
           r"이었으면|으로|로|정도|청년|인\s*분|인\s*사람|후보|친구|매니저|담당자|프로그래머|경력직)")
_EN_PEOPLE = (r"(?:candidates?|applicants?|people|person|persons|hires?|engineers?|developers?|designers?|marketers?|"
              r"staff|employees?|workers?|team\s+members?|talent|individuals?|professionals?|grads?|graduates?|only|"
              r"preferred|required)")

# Protected values used as criteria. Each (category, pattern) is refused unless it is part of an equal-opportunity
# statement ("regardless of ...", "... 무관").
_RULES: list[tuple[str, str]] = [
    # age
    ("age", rf"(?<!\d)[1-6]0\s*대\s*(?:초반|중반|후반|초|중|후)?\s*(?=(?:의\s*)?(?:젊은\s*)?{_PERSON})"),
    ("age", r"(?:만\s*)?(?<!\d)\d{2}\s*(?:세|살)\s*(?:이하|이상|미만|초과|까지|이내|부터|전후|안팎|정도)"),
    ("age", r"(?:나이|연령)\s*(?:제한|조건|기준|상한|:|은|는|이|가)?\s*(?:\d{2}\s*(?:세|살)|어린|젊은|많지\s*않은|적은)"),
    ("age", r"(?:나이|연령)\s*제한"),
    ("age", r"(?:19|20)\d{2}\s*년\s*생"),
    ("age", r"(?:젊은|어린|나이\s*어린|젊고|어리고|나이가\s*(?:적은|어린|많지\s*않은))\s*(?:[가-힣]+\s*)?(?:분|사람|인재|지원자|"
            r"개발자|엔지니어|직원|사원|친구|청년|여성|남성|신입|마케터|디자이너|기획자)"),
    ("age", r"(?:고령자|나이\s*많은\s*(?:분|사람))\s*(?:은|는)?\s*(?:제외|불가|안|사절)"),
    ("age", r"MZ\s*세대\s*(?:만|인|분|지원자|인재)"),
    ("age", r"\b(?:under|below|younger\s+than|no\s+older\s+than|not\s+older\s+than|over|above|older\s+than)\s+"
            r"(?:the\s+age\s+of\s+)?\d{2}\b(?!\s*(?:%|percent|\+|years?\s+(?:of|in)|yrs?\s+(?:of|in)|years?'|"
            r"(?:people|employees|engineers|members|hires|countries|markets|languages|million|billion|thousand|k\b|"
            r"hours|minutes|days|weeks|months|ms|projects|clients|customers|services|teams|offices|cities|stores)))"),
    ("age", r"\b(?:aged?|ages)\s+(?:between\s+)?\d{2}\s*(?:-|–|to|and)\s*\d{2}\b"),
    ("age", r"\bage\s*(?:limit|cap|range|requirement|restriction)s?\b"),
    ("age", r"\b\d{2}\s*(?:-|–|to)\s*\d{2}\s*(?:years?\s*old|y/?o)\b"),
    ("age", r"\b\d{2}\s*(?:years?\s*old|y/?o)\b"),
    ("age", r"\b(?:young|youthful|younger)\b(?!\s+(?:users?|customers?|audiences?|consumers?|players?|"
            r"adults?|children|people's|market|segment|brands?|company|companies|startups?|team's|product))"),
    ("age", r"\bdigital\s+natives?\b"),
    ("age", r"\bin\s+(?:their|his|her)\s+(?:twenties|thirties|forties|fifties|[2-6]0s)\b"),
    ("age", rf"\b(?:millennials?|gen\s*z|generation\s+z)\s+{_EN_PEOPLE}"),
    ("age", r"\b(?:recent|fresh)\s+(?:college\s+)?graduates?\s+only\b"),
    # sex
    ("sex", r"(?:여성|남성|여자|남자|여직원|남직원)\s*(?:만|분|이면|이었으면|였으면|지원자|우대|선호|우선|채용|을\s*뽑|를\s*뽑|"
            r"으로\s*뽑|로\s*뽑|인재|직원|사원|개발자|엔지니어|디자이너|마케터|기획자|프로그래머|매니저|담당자|이어야|일\s*것|"
            r"한정|위주|이\s*좋|가\s*좋|으로|로\s)"),
    ("sex", r"(?:(?<=[1-6]0대)|(?<=[1-6]0대\s)|(?<=젊은\s)|(?<=미혼\s)|(?<=기혼\s))(?:여성|남성|여자|남자)"),
    ("sex", r"(?:군필|병역필|군\s*필)\s*(?:자만|자\s*한정|남성|남자|필수|자\s*우대|우대)"),
    ("sex", r"(?:군필|병역필|군\s*필|병역\s*필)자"),       # "군필자 백엔드 개발자": military service stands in for sex
    # "male engineer": only "male" is the criterion, so the lawful rewording keeps the role; "women only" goes whole.
    ("sex", r"\b(?:female|male|women|men|woman|man|girls?|boys?|guys|ladies|gentlemen)\s+(?:only|preferred|required)\b"),
    ("sex", rf"\b(?:female|male|women|men|woman|man|girls?|boys?|guys|ladies|gentlemen)(?=\s+{_EN_PEOPLE})"),
    ("sex", r"\b(?:only|preferably|prefer(?:red)?|must\s+be(?:\s+a)?|should\s+be(?:\s+a)?|looking\s+for\s+(?:a\s+)?|"
            r"hire\s+(?:a\s+)?|want\s+(?:a\s+)?)\s*(?:female|male|women|men|woman|man|girl|boy|guy|lady)\b"),
    # marital / family status
    ("marital", r"미혼|기혼|돌싱"),
    ("marital", r"(?:결혼|혼인)\s*(?:여부|유무|계획|예정|안\s*한|안한|하지\s*않은|안\s*하신|하신\s*분|한\s*분|상태)"),
    ("marital", r"싱글\s*(?:인|이신)?\s*(?:분|사람|여성|남성|지원자)"),
    ("marital", r"(?<![가-힣])(?:자녀|아이|애)\s*(?:가|는)?\s*(?:없는|없으신|있는|있으신|유무|여부|계획)"),
    ("marital", r"(?:부양\s*가족|딸린\s*(?:식구|자식))\s*(?:이|가)?\s*(?:없|있)"),
    ("marital", r"육아\s*(?:중이?\s*아닌|부담\s*(?:이\s*)?없|하지\s*않|안\s*하|중인\s*분\s*(?:제외|불가))"),
    ("marital", r"가족\s*(?:관계|사항|배경)|부모님?\s*(?:직업|학력|재산)"),
    ("marital", r"\b(?:unmarried|married|single|divorced)\s+(?:only|candidates?|applicants?|people|person|men|women|"
                r"man|woman|preferred)\b"),
    ("marital", r"\b(?:must|should)\s+be\s+(?:single|unmarried|married)\b"),
    ("marital", r"\bmarital\s+status\s*(?::|must|should|required)"),
    ("marital", r"\b(?:no|without)\s+(?:kids|children)\b|\bchildless\b"),
    ("marital", r"\bfamily\s+(?:status|plans)\s*(?::|must|should|required)"),
    # pregnancy
    ("pregnancy", r"임신\s*(?:계획|예정|여부|중|하지|안\s*한|안한|하신|가능성|할\s*계획|이\s*아닌|아닌)"),
    ("pregnancy", r"(?:출산|임신)\s*(?:계획|예정)\s*(?:이|은|는)?\s*(?:없|있)"),
    ("pregnancy", r"임산부\s*(?:는|은)?\s*(?:제외|불가|안|사절)"),
    ("pregnancy", r"(?:육아|출산)\s*휴직\s*(?:을|를)?\s*(?:쓸|사용할|쓰지\s*않을)\s*(?:계획|생각)?\s*(?:이)?\s*(?:없|않)"),
    ("pregnancy", r"\b(?:not|no|non-?)\s*(?:be\s+|being\s+)?pregnan\w*|\bpregnan\w*\s+(?:status|plans?|test)\b"),
    ("pregnancy", r"\bplans?\s+to\s+(?:have|start)\s+(?:a\s+)?(?:family|kids|children|baby)\b|\bget(?:ting)?\s+pregnant\b"),
    ("pregnancy", r"\bwon'?t\s+(?:take|need)\s+(?:maternity|parental)\s+leave\b"),
    # religion
    ("religion", r"(?:기독교|개신교|천주교|가톨릭|카톨릭|불교|원불교|이슬람|무슬림|힌두교?|유대교|교회\s*다니|절에\s*다니|무교|"
                 r"신앙\s*(?:이|을|심)|크리스천|교인|불자)"),
    ("religion", r"종교\s*(?:는|은|가|이)?\s*(?::|제한|필수|있는|없는|가지신|이\s*있|가\s*있|기독|불교|천주|무교)"),
    ("religion", r"\b(?:christians?|muslims?|buddhists?|catholics?|jewish|jews|hindus?|atheists?|protestants?|"
                 r"church-?goers?)\b"),
    ("religion", r"\breligio(?:n|us)\s*(?::|must|should|required|preference|affiliation)"),
    # region of origin
    ("region", r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청|충북|충남|전라|전북|전남|경상|경북|경남|제주|호남|영남|"
               r"수도권|지방|강남|이북|북한)\s*(?:도|권)?\s*(?:출신|사람|토박이|태생)"),
    ("region", r"지방대|지잡대|출신\s*(?:지역|지|고향)\s*(?::|은|는|이|가|제한|우대|필수)?|고향\s*(?:이|은|는)?\s*[가-힣]+\s*(?:인|이신)\s*분"),
    ("region", r"\b(?:born|raised|grew\s+up)\s+in\s+[A-Z][\w\-]+(?:\s+province)?\s*(?:only|preferred|required)?\b"),
    ("region", r"\bhometown\b|\b(?:gyeongsang|jeolla|chungcheong|honam|yeongnam)\s*(?:-do)?\s+(?:natives?|origin|born|"
               r"people|candidates?)\b"),
    # nationality / national origin / race
    ("nationality", r"(?:한국인|내국인|외국인|교포|조선족|중국인|일본인|동남아(?:인)?|백인|흑인|원어민|혼혈)\s*(?:만|한정|불가|"
                    r"제외|우대|선호|이어야|일\s*것|분|지원자|채용|은\s*안|는\s*안|사절|강사|직원|우선)"),
    ("nationality", r"(?:한국|대한민국)\s*국적\s*(?:자|필수|만|소지자|보유자|이어야|인\s*분)?|국적\s*(?::|제한|필수|은|는|이|가)\s*"),
    ("nationality", r"\b(?:korean|japanese|chinese|american|us|foreign)\s+(?:nationals?|citizens?|passport\s+holders?)\b"),
    ("nationality", r"\b(?:citizens?|nationals?)\s+only\b|\bno\s+foreigners\b|\bforeigners?\s+(?:not|need\s+not|excluded)\b"),
    ("nationality", r"\bnative(?:\s+(?:english|korean|japanese|chinese|german|french|spanish))?\s+speakers?\b"),
    ("nationality", r"\bnationality\s*(?::|requirement|must|should|required)"),
    ("nationality", r"\b(?:white|black|asian|caucasian|hispanic|latino)\s+(?:candidates?|applicants?|people|only|"
                    r"preferred|men|women|males?|females?)\b"),
    # disability
    ("disability", r"장애\s*(?:인|가|를)?\s*(?:은|는)?\s*(?:불가|제외|없는|없으신|사절|안\s*됨|안됨)|장애\s*(?:여부|유무)"),
    ("disability", r"신체\s*(?:건강|건장)|건장한|건강한\s*(?:신체|몸|남성|여성|분|사람)|사지\s*멀쩡|몸이\s*건강한"),
    ("disability", r"\b(?:no|without\s+(?:a\s+|any\s+)?)\s*disabilit(?:y|ies)\b|\bable-?bodied\b"),
    ("disability", r"\bphysically\s+(?:fit|healthy|strong|able)\b|\bhealthy\s+(?:body|men|males?|candidates?|person)\b"),
    ("disability", r"\bdisability\s+status\s*(?::|must|required)|\b(?:disabled|handicapped)\s+(?:people|persons|applicants|"
                   r"candidates)\s+(?:not|can'?t|cannot|need\s+not)\b"),
    # appearance
    ("appearance", r"용모\s*단정|외모|(?:키|신장)\s*\d{3}\s*(?:cm|센티)?|(?:체중|몸무게)\s*\d|날씬|예쁜|잘생긴|미인|미모|훈남|"
                   r"훈녀|호감형|인상이?\s*좋은|동안\s*(?:인|이신|외모)|몸매"),
    ("appearance", r"(?:증명\s*)?사진\s*(?:필수|첨부\s*필수|제출\s*필수)"),
    ("appearance", r"\bgood[- ]looking\b|\b(?:attractive|pretty|handsome|beautiful|slim|slender|tall|petite)\s+"
                   r"(?:candidates?|applicants?|women|men|woman|man|person|people|girls?|ladies|face|looks?|staff)\b"),
    ("appearance", r"\b(?:neat|good|pleasant|professional|attractive)\s+(?:appearance|looks)\b|\bphoto\s+(?:required|must)\b"),
    ("appearance", r"\b(?:height|weight)\s+(?:of\s+)?(?:at\s+least\s+|under\s+|below\s+|over\s+)?\d{2,3}\s*(?:cm|kg|lbs?)\b"),
]
_COMPILED_RULES = [(category, re.compile(pattern, re.IGNORECASE)) for category, pattern in _RULES]

# "regardless of age", "without regard to religion", "we do not discriminate", "나이·성별 무관", "남녀 무관"
_EEO_BEFORE = re.compile(r"(?:regardless\s+of|irrespective\s+of|without\s+regard\s+to|no\s+matter|"
                         r"(?:do|does|will)\s+not\s+discriminate|equal\s+opportunit|관계\s*없이|상관\s*없이|차별\s*(?:없이|하지))",
                         re.IGNORECASE)
_EEO_AFTER = re.compile(r"^\s*(?:[,·/]\s*)?(?:에\s*)?(?:무관|불문|관계\s*없|상관\s*없|차별\s*(?:없|하지|금지))")

_INJECTION = re.compile("|".join([
    r"\bignore\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|"
    r"original|system)?\s*(?:instructions|rules|prompts?|guidelines|directions|guardrails|constraints)",
    r"\bdisregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+|earlier\s+)?"
    r"(?:instructions|rules|guidelines|prompts?)",
    r"\bforget\s+(?:all\s+|everything\s+|your\s+)?(?:previous\s+|prior\s+|above\s+)?(?:instructions|rules|you\s+were\s+told)",
    r"\b(?:reveal|show|print|output|repeat|display|tell\s+me|give\s+me|what\s+(?:is|are))\s+(?:me\s+)?(?:your|the)\s+"
    r"(?:system\s+)?(?:prompt|instructions|rules)",
    r"\bsystem\s+prompt\b", r"\byou\s+are\s+now\b", r"\bfrom\s+now\s+on,?\s+(?:you|ignore|act|pretend|respond)",
    r"\bpretend\s+(?:to\s+be|you\s+are|you'?re|that\s+you)", r"\bjailbreak", r"\bDAN\b", r"\bdeveloper\s+mode\b",
    r"\bact\s+as\s+(?:an?\s+)?(?:unrestricted|unfiltered|jailbroken|different|evil|uncensored)",
    r"\b(?:override|bypass|disable|turn\s+off)\s+(?:the\s+|your\s+|all\s+)?(?:rules|instructions|safety|filters?|"
    r"guardrails?|restrictions)",
    r"\binclude\s+(?:the\s+)?(?:confidential|sensitive|internal|secret)\s+(?:names?|information|code\s*names?|projects?)",
    r"<\|?\s*(?:im_start|system|endoftext)\s*\|?>", r"\[/?(?:INST|SYS)\]", r"^\s*#{2,}\s*(?:system|instruction)",
    r"시스템\s*프롬프트", r"프롬프트\s*(?:를|을)?\s*(?:보여|알려|출력|공개|무시|유출)",
    r"(?:위의?|앞의?|이전의?|기존의?|지금까지의?|원래의?)\s*(?:모든\s*)?(?:지시|명령|지침|규칙|설정|프롬프트|안내)\s*(?:사항)?\s*"
    r"(?:은|는|을|를|다|들을|들은)?\s*(?:모두\s*|전부\s*|다\s*)?(?:무시|잊|따르지|버려|취소)",
    r"(?:지시|명령|지침|규칙)\s*(?:을|를|은|는)?\s*(?:모두\s*|전부\s*)?(?:무시하고|무시해|잊어)",
    r"너는\s*이제|넌\s*이제|이제부터\s*(?:너는|넌|당신은)|당신은\s*이제", r"역할\s*극|탈옥|개발자\s*모드|관리자\s*모드",
    r"(?:가드레일|필터|검열|제한|안전\s*장치)\s*(?:을|를)?\s*(?:우회|무시|해제|끄|꺼)",
    r"(?:민감\s*정보|기밀|내부\s*(?:코드명|프로젝트명|시스템\s*이름))\s*(?:을|를|도)?\s*(?:포함|넣어|알려|공개|써)",
]), re.IGNORECASE | re.MULTILINE)

_OUT_OF_DOMAIN = re.compile("|".join([
    r"\b(?:write|compose|tell|give|make)\s+(?:me\s+)?(?:a\s+|an\s+|some\s+)?(?:poem|song|joke|story|recipe|haiku|"
    r"limerick|rap|love\s+letter|essay)", r"\bwhat(?:'s|\s+is)\s+the\s+weather\b", r"\bweather\s+(?:today|tomorrow|"
    r"forecast|like)\b", r"\b(?:stock|share)\s+price", r"\blottery\b", r"\brecommend\s+(?:a|some|me)\s+(?:movie|"
    r"restaurant|book|song)s?\b", r"\bhoroscope\b", r"\bhomework\b", r"\bsolve\s+(?:this|my)\s+(?:math|equation)",
    r"오늘\s*날씨", r"날씨\s*(?:어때|알려|좋|는)", r"(?:^|\s)시\s*(?:한\s*편)?\s*(?:을|를)?\s*(?:써|지어)", r"노래\s*(?:가사|불러|만들어)",
    r"농담\s*(?:해|좀|하나)", r"(?:레시피|요리법)\s*(?:알려|추천)?", r"주가|주식\s*(?:추천|전망|종목)|코인\s*(?:추천|시세)", r"로또",
    r"맛집", r"(?:영화|드라마|책)\s*추천", r"숙제", r"운세", r"연애\s*(?:상담|고민)", r"소설\s*(?:써|을\s*써|한\s*편)",
]), re.IGNORECASE)

_HIRING = re.compile("|".join([
    r"채용|공고|구인|모집|직무|포지션|잡\s*디스크립션|직무\s*기술서|자격\s*요건|요건|우대|경력|신입|연차|레벨|직군|담당자|개발자|엔지니어|"
    r"디자이너|기획자|기획|마케터|매니저|분석가|리드|팀장|인재|지원자|후보|면접|연봉|복지|근무|업무|역할|스킬|기술\s*스택|역량|"
    r"프로그래머|초안|섹션|요약|문구|인재상|주니어|시니어|미들|수석|담당|뽑|구해|찾아|팀원|직원|사원|인사|재무|회계|마케팅|"
    r"백엔드|프론트|데브옵스|보안|영업|운영",
    r"\b(?:hire|hiring|job|jobs|posting|position|role|roles|candidate|applicant|requirements?|qualifications?|"
    r"responsibilit\w*|experience|years|engineer|developer|designer|manager|analyst|marketer|recruit\w*|interview|"
    r"salary|benefits?|skills?|senior|junior|lead|team|opening|vacanc\w*|JD|description|draft|section|summary|"
    r"programmer|staff|headcount|backend|frontend|devops|marketing|finance|sales|product|data|ml|ai)\b",
]), re.IGNORECASE)


# ---- the input check -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issue:
    category: str            # one of DISCRIMINATION_CATEGORIES, or injection / out_of_domain
    matched: str             # the words that triggered it
    start: int = 0
    end: int = 0

    def explanation(self, lang: str = "en") -> str:
        return CATEGORY_TEXT[self.category]["ko" if lang == "ko" else "en"][0]

    def alternative(self, lang: str = "en") -> str:
        return CATEGORY_TEXT[self.category]["ko" if lang == "ko" else "en"][1]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    kind: str                                # ok / discriminatory / injection / out_of_domain / empty
    issues: tuple[Issue, ...] = ()
    rewrite: str = ""                        # the request without its discriminatory criteria (only for those)
    lang: str = "en"

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(i.category for i in self.issues))

    def message(self, lang: str | None = None) -> str:
        """Why it was declined and what to write instead, one category per line, in the user's language."""
        lang = lang or self.lang
        if self.ok:
            return ""
        lines = []
        for category in self.categories:
            quoted = ", ".join(f"\"{i.matched}\"" for i in self.issues if i.category == category)
            text = CATEGORY_TEXT[category]["ko" if lang == "ko" else "en"]
            prefix = f"{quoted}: " if category in DISCRIMINATION_CATEGORIES else ""
            lines.append(f"{prefix}{text[0]} {text[1]}")
        if self.rewrite:
            lines.append(("이렇게 요청해 보세요: " if lang == "ko" else "You could ask: ") + f"\"{self.rewrite}\"")
        return "\n".join(lines)


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _sentence_before(text: str, start: int) -> str:
    cut = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", "\n", "。"))
    return text[cut + 1:start]


def discriminatory_spans(text: str) -> list[Issue]:
    """Protected values used as hiring criteria, each with its category; equal-opportunity statements excluded."""
    text = _normal(text)
    issues: list[Issue] = []
    taken: list[tuple[str, int, int]] = []
    for category, pattern in _COMPILED_RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not match.group(0).strip():
                continue
            if _EEO_BEFORE.search(_sentence_before(text, start)) or _EEO_AFTER.match(text[end:end + 12]):
                continue
            if any(c == category and (s <= start < e or s < end <= e) for c, s, e in taken):
                continue          # the same words found twice for one ground count once
            taken.append((category, start, end))
            issues.append(Issue(category, match.group(0).strip(), start, end))
    issues.sort(key=lambda i: i.start)
    return issues


def _remove_spans(text: str, issues: list[Issue]) -> str:
    out, last = [], 0
    for issue in sorted(issues, key=lambda i: i.start):
        out.append(text[last:issue.start])
        last = max(last, issue.end)
    out.append(text[last:])
    cleaned = "".join(out)
    cleaned = re.sub(r"\s*[,·/]\s*(?=[,·/.]|$)", "", cleaned)
    cleaned = re.sub(r"^[\s,·/]+|(?<=\s)[,·/]+(?=\s)", "", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned).strip()
    return re.sub(r"\b([Aa])(?= [aeiouAEIOU])", r"\1n", cleaned)     # "a young male engineer" -> "an engineer"


def check_request(text: str, context: str = "request", lang: str | None = None) -> Verdict:
    """Decide whether a hiring request may go ahead. `context`: "request" (a free-text custom JD request: must be
    about hiring), "notes" or "instruction" (text inside the JD flow, such as notes on an instant draft or a
    rewrite instruction: only an explicit off-topic task is declined)."""
    from core.text import detect_language

    raw = _normal(text).strip()
    lang = lang or detect_language(raw)
    if not raw:
        return Verdict(ok=context != "request", kind="empty" if context == "request" else "ok", lang=lang)
    injection = _INJECTION.search(raw)
    if injection:
        return Verdict(False, "injection", (Issue("injection", injection.group(0).strip(), *injection.span()),),
                       lang=lang)
    issues = discriminatory_spans(raw)
    if issues:
        return Verdict(False, "discriminatory", tuple(issues), rewrite=_remove_spans(raw, issues), lang=lang)
    off_topic = _OUT_OF_DOMAIN.search(raw)
    if off_topic or (context == "request" and not _HIRING.search(raw) and not _mentions_family(raw)):
        matched = off_topic.group(0).strip() if off_topic else raw[:40]
        return Verdict(False, "out_of_domain", (Issue("out_of_domain", matched),), lang=lang)
    return Verdict(True, "ok", lang=lang)


def _mentions_family(text: str) -> bool:
    from core.jd.model import JOB_FAMILIES

    lowered = text.lower()
    return any(name.lower() in lowered for f in JOB_FAMILIES.values()
               for name in (f.en, f.ko, f.title_en, f.title_ko, *f.aliases) if len(name) >= 3)


# ---- the output check ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    kind: str            # sensitive_entity / personal_data / coded_wording / untraced_skill / untraced_claim /
                         # catalog_skill
    section: str
    text: str            # the words found
    action: str          # removed / replaced / flagged
    suggestion: str = ""
    detail: str = ""     # entity kind, coded category, or the line a claim sits on

    @property
    def blocking(self) -> bool:
        """Blocked content is already gone from the draft enforce() returns; flags are for the reviewer."""
        return self.action in ("removed", "replaced")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "section": self.section, "text": self.text, "action": self.action,
                "suggestion": self.suggestion, "detail": self.detail}

    @classmethod
    def from_dict(cls, data: dict) -> "Finding":
        return cls(**{k: data.get(k, "") for k in ("kind", "section", "text", "action", "suggestion", "detail")})


_SEPARATORS = r"[\s\-_.·・/]*"


@lru_cache(maxsize=512)
def _entity_pattern(name: str) -> re.Pattern:
    """Case-, width- and spacing-insensitive; ASCII ends must be word ends (ATLAS never matches Atlassian), while a
    Korean end may carry a particle (프로젝트X를, 오로라의)."""
    core = _normal(name).strip()
    chars = [re.escape(c) for c in core if not c.isspace() and c not in "-_.·・/"]
    body = _SEPARATORS.join(chars)
    left = r"(?<![A-Za-z0-9])" if re.match(r"[A-Za-z0-9]", core) else r"(?<![가-힣])"
    right = r"(?![A-Za-z0-9])" if re.search(r"[A-Za-z0-9]$", core) else ""
    return re.compile(left + body + right, re.IGNORECASE)


def find_sensitive(text: str, entities: Iterable[SensitiveEntity]) -> list[tuple[SensitiveEntity, int, int]]:
    text = _normal(text)
    found = []
    for entity in sorted(entities, key=lambda e: -len(e.name)):
        if len(entity.name.strip()) < 2:
            continue
        for match in _entity_pattern(entity.name).finditer(text):
            if not any(s <= match.start() < e for _, s, e in found):
                found.append((entity, match.start(), match.end()))
    return sorted(found, key=lambda f: f[1])


def _personal_data(text: str) -> tuple[str, list[str]]:
    """(text without e-mails, phone numbers and resident registration numbers, the kinds found)."""
    from core.resume.redaction import redact_contact_details

    redacted, counts = redact_contact_details(text)
    kinds = [kind for kind in ("email", "phone", "rrn") if counts.get(kind)]
    if not kinds:
        return text, []
    for placeholder in ("[email]", "[phone]", "[rrn]"):
        redacted = redacted.replace(placeholder, "")
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\(\s*\)|:\s*(?=$|\n)", "", redacted)).strip(), kinds


# Gender- and age-coded words: flagged with a neutral alternative. (Discriminatory criteria are refused at input;
# these are softer signals a reviewer should see.)
CODED_WORDING: list[tuple[str, str, str, str]] = [
    # (pattern, category, suggestion en, suggestion ko)
    (r"\brock\s?stars?\b", "gender-coded", "skilled / outstanding", "뛰어난"),
    (r"\bninjas?\b", "gender-coded", "expert", "전문가"),
    (r"\bgurus?\b", "gender-coded", "expert", "전문가"),
    (r"\bwizards?\b", "gender-coded", "specialist", "전문가"),
    (r"\bsuperheroe?s?\b", "gender-coded", "expert", "전문가"),
    (r"\baggressive(?:ly)?\b", "gender-coded", "ambitious / proactive", "적극적인"),
    (r"\bdominant\b|\bdominate\b", "gender-coded", "lead", "주도하는"),
    (r"\bfearless\b", "gender-coded", "confident", "자신감 있는"),
    (r"\bmanpower\b", "gender-coded", "staff / workforce", "인력"),
    (r"\bsales\s?m[ae]n\b", "gender-coded", "salesperson", "영업 담당자"),
    (r"\bchairman\b", "gender-coded", "chair", "의장"),
    (r"\bguys\b", "gender-coded", "team / everyone", "여러분"),
    (r"\bbrotherhood\b", "gender-coded", "team", "팀"),
    (r"\b(?:he|she)\s+(?:will|must|should|is|has)\b", "gender-coded", "you will / they will", "—"),
    (r"남성적|남자다운|사나이", "gender-coded", "decisive", "주도적인 / 책임감 있는"),
    (r"여성스러운|여성\s*특유의|여자다운", "gender-coded", "attentive", "세심한"),
    (r"싹싹한", "gender-coded", "friendly and proactive", "친절하고 적극적인"),
    (r"\byoung\b|\byouthful\b", "age-coded", "motivated", "의욕적인"),
    (r"\bdigital\s+natives?\b", "age-coded", "comfortable with digital tools", "디지털 도구에 익숙한"),
    (r"\b(?:high-)?energetic\b", "age-coded", "motivated", "의욕적인"),
    (r"\b(?:recent|fresh)\s+(?:college\s+)?graduates?\b", "age-coded", "entry-level", "신입"),
    (r"젊은|어린", "age-coded", "motivated", "열정적인 / 유연한"),
    (r"패기\s*(?:넘치는|있는|가\s*넘치는)?|혈기\s*왕성", "age-coded", "bold", "도전적인"),
    (r"디지털\s*네이티브", "age-coded", "comfortable with digital tools", "디지털 도구에 익숙한"),
    (r"막내", "age-coded", "team member", "팀원"),
    (r"MZ\s*세대|MZ\s*감성", "age-coded", "trend-aware", "트렌드에 밝은"),
    (r"신체\s*건강한|건장한", "disability-coded", "describe the task", "필요한 업무 조건을 구체적으로"),
    (r"\bnative\s+(?:english\s+|korean\s+)?speakers?\b|원어민", "origin-coded", "native-level proficiency",
     "원어민 수준의 언어 능력"),
]
_CODED = [(re.compile(p, re.IGNORECASE), category, en, ko) for p, category, en, ko in CODED_WORDING]


def coded_wording(text: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """(words, category, suggestion) for every coded word in a text."""
    found = []
    for pattern, category, en, ko in _CODED:
        for match in pattern.finditer(_normal(text)):
            if category == "origin-coded" and re.search(r"수준|level", text[match.end():match.end() + 6], re.I):
                continue              # "원어민 수준의 영어", "native-level": a proficiency, not an origin
            found.append((match.group(0), category, ko if lang == "ko" else en))
    return found


# ---- traceability ---------------------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d[\d,.]*")


@dataclass
class Sources:
    """What a draft may draw on: the company's material, its past postings and documents, and the user's request."""

    company: Company | None = None
    postings: list[Posting] = field(default_factory=list)
    chunks: list[DocChunk] = field(default_factory=list)
    request: str = ""                       # the user's request, notes or instruction (and the chosen level)
    extra: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        out = []
        if self.company is not None:
            c = self.company
            out.extend([c.name, c.description, c.ideal_candidate, c.culture, c.industry, *c.benefits, *c.locations])
        out.extend(p.text() for p in self.postings)
        out.extend(f"{ch.heading}\n{ch.text}" for ch in self.chunks)
        out.append(self.request)
        out.extend(self.extra)
        return [t for t in out if t]


@dataclass
class SourceIndex:
    """The vocabulary, skills and numbers of the sources, computed once per company and reused for every draft."""

    terms: frozenset[str]
    skills: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def build(cls, sources: "Sources | Iterable[str]", extractor=None) -> "SourceIndex":
        from core.jd.templates import SCAFFOLD_TEXT

        texts = sources.texts() if isinstance(sources, Sources) else [t for t in sources if t]
        lines = [line for text in texts for line in text.splitlines() if line.strip()]
        tokens = tokenize_lines(lines + SCAFFOLD_TEXT.splitlines())
        terms = frozenset(t for toks in tokens for t in content_terms(toks))
        skills: set[str] = set()
        if extractor is not None:
            for line, toks in zip(lines, tokens):
                skills.update(extractor._match_tokens(toks))
        numbers = frozenset(n.strip(",.") for text in texts for n in _NUMBER.findall(text))
        return cls(terms, frozenset(skills), numbers)

    def extended(self, text: str, extractor=None) -> "SourceIndex":
        """This index plus one more text (the user's notes at request time)."""
        extra = SourceIndex.build([text], extractor)
        return SourceIndex(self.terms | extra.terms, self.skills | extra.skills, self.numbers | extra.numbers)


@lru_cache(maxsize=1)
def _default_extractor():
    from core.skills import SkillExtractor, load_taxonomy

    return SkillExtractor(load_taxonomy())


_CLAIM_SECTIONS = ("summary", "responsibilities", "requirements", "preferred", "benefits", "ideal_candidate")


def trace(draft: JdDraft, index: SourceIndex, extractor=None, min_coverage: float = 0.6) -> list[Finding]:
    """Skills and claims of a draft that its sources do not support, flagged for the reviewer."""
    lang = draft.lang
    findings: list[Finding] = []
    pairs = [(section, line) for section, line in draft.lines() if section in _CLAIM_SECTIONS]
    if not pairs:
        return findings
    tokens = tokenize_lines([line for _, line in pairs])
    seen_skills: set[str] = set()
    for (section, line), toks in zip(pairs, tokens):
        if extractor is not None and section in ("requirements", "preferred", "responsibilities"):
            for skill_id in extractor._match_tokens(toks):
                if skill_id not in index.skills and skill_id not in seen_skills:
                    seen_skills.add(skill_id)
                    name = extractor.taxonomy.name(skill_id, lang)
                    findings.append(Finding(
                        "untraced_skill", section, name, "flagged", detail=line,
                        suggestion=("회사 자료·과거 공고·요청 어디에도 없는 기술입니다. 필요한지 확인해 주세요." if lang == "ko" else
                                    "Not in the company's material, past postings or the request; confirm it is needed.")))
        terms = content_terms(toks)
        novel = [t for t in terms if t not in index.terms]
        numbers = [n.strip(",.") for n in _NUMBER.findall(line)]
        new_numbers = [n for n in numbers if n and n not in index.numbers]
        if new_numbers or (len(novel) >= 2 and (1 - len(novel) / max(len(terms), 1)) < min_coverage):
            findings.append(Finding(
                "untraced_claim", section, line, "flagged", detail=", ".join(new_numbers or novel[:6]),
                suggestion=("근거 자료에서 찾을 수 없는 내용입니다. 사실인지 확인해 주세요." if lang == "ko" else
                            "Could not be traced to the sources; check that it is true.")))
    return findings


def _scrub_text(text: str, entities: list[SensitiveEntity], section: str, lang: str,
                findings: list[Finding]) -> str:
    """Replace entities that have a generic name; report the rest so the caller drops their sentence or item."""
    hits = find_sensitive(text, entities)
    if not hits:
        return text
    out, last, dropped = [], 0, False
    normal = _normal(text)
    for entity, start, end in hits:
        generic = entity.generic_for(lang)
        if generic:
            particle = _PARTICLE_AFTER.match(normal, end)
            rest = normal[:start] + normal[end:]
            following = normal[particle.end() if particle else end:].split()[:1]
            echoes = bool(following) and len(following[0]) >= 2 and following[0].lower() in _normal(generic).lower().split()
            if _normal(generic).lower() in rest.lower() or echoes:
                # "대한글로벌은행 등 제휴 금융기관" -> "제휴 금융기관", "FDS-Sentinel 이상거래탐지 모델" -> "이상거래탐지 모델":
                # the sentence already says it generically
                out.append(normal[last:start])
                last = particle.end() if particle else end
            else:
                out.append(normal[last:start] + (_josa_for(generic, particle.group(1)) if particle and
                                                 particle.group(1) else generic))
                last = particle.start(1) + len(particle.group(1)) if particle and particle.group(1) else end
            findings.append(Finding("sensitive_entity", section, normal[start:end], "replaced", generic, entity.kind))
        else:
            dropped = True
            findings.append(Finding("sensitive_entity", section, normal[start:end], "removed", "", entity.kind))
    if dropped:
        return ""
    out.append(normal[last:])
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


# A Korean particle right after an entity (re-chosen for its generic name), or a joining word to drop with it.
_PARTICLE_AFTER = re.compile(r"(으로|로|을|를|이|가|은|는|과|와)?(?:\s*(?:등|및|,|and|or)?\s*)", re.IGNORECASE)
_PAIRS = {"으로": "으로/로", "로": "으로/로", "을": "을/를", "를": "을/를", "이": "이/가", "가": "이/가", "은": "은/는",
          "는": "은/는", "과": "과/와", "와": "과/와"}


def _josa_for(word: str, particle: str) -> str:
    from core.jd.templates import josa

    return josa(word, _PAIRS[particle])


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。])\s+|\n+", text or "") if s.strip()]


def enforce(draft: JdDraft, company: Company | None, sources: "Sources | SourceIndex | None" = None,
            extractor=None, trace_claims: bool = True) -> tuple[JdDraft, list[Finding]]:
    """The draft with sensitive entities and personal data gone (replaced by the entity's generic name, or the
    item / sentence dropped), and every finding: what was removed, and what is flagged for the reviewer."""
    entities = list(company.sensitive_entities) if company else []
    findings: list[Finding] = []
    values: dict[str, object] = {}
    for section in SECTIONS:
        value = getattr(draft, section)
        items = list(value) if section in LIST_SECTIONS else ([value] if section == "title" else _sentences(value))
        kept = []
        for item in items:
            clean = _scrub_text(item, entities, section, draft.lang, findings)
            if clean:
                clean, kinds = _personal_data(clean)
                for kind in kinds:
                    findings.append(Finding("personal_data", section, kind, "removed", "", item))
            if clean.strip():
                kept.append(clean.strip())
        if section in LIST_SECTIONS:
            values[section] = kept
        elif section == "title":
            values[section] = kept[0] if kept else ""
        else:
            values[section] = " ".join(kept)
    clean_draft = replace(draft, **values)
    for section, line in clean_draft.lines():
        for words, category, suggestion in coded_wording(line, draft.lang):
            findings.append(Finding("coded_wording", section, words, "flagged", suggestion, category))
    if trace_claims and sources is not None:
        extractor = extractor or _default_extractor()
        index = sources if isinstance(sources, SourceIndex) else SourceIndex.build(sources, extractor)
        findings.extend(trace(clean_draft, index, extractor))
    return clean_draft, findings


def check_draft(draft: JdDraft, company: Company | None, sources: "Sources | SourceIndex | Iterable[str] | None" = None,
                extractor=None) -> list[Finding]:
    """Every finding for a draft as it stands: sensitive entities and personal data (which enforce() removes),
    coded wording, and skills or claims the sources do not support."""
    if sources is not None and not isinstance(sources, (Sources, SourceIndex)):
        sources = Sources(extra=list(sources))
    return enforce(draft, company, sources, extractor)[1]


def leaks(draft: JdDraft, company: Company | None) -> list[str]:
    """Sensitive entities or personal data still present in a draft (empty for anything enforce() returned)."""
    text = draft.render()
    out = [text[s:e] for _, s, e in find_sensitive(text, company.sensitive_entities if company else [])]
    out.extend(_personal_data(text)[1])
    return out
