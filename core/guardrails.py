"""One check for every request a person makes of the assistant, in Korean and English.

Every entry runs `check_request` before anything else happens (and before any model sees the text): a people search
(/find-candidates and free text), a talent-chat question, a gap analysis or comparison, and every JD request (a custom
request, notes on an instant draft, a section-rewrite or past-posting update instruction). It answers with a typed
`Verdict`:

* ``ok`` — go ahead;
* ``discriminatory`` — a protected attribute is used as a criterion: each `Issue` names the protected ground and the
  words, `Verdict.rule()` explains the rule in the user's language, and `Verdict.rewrite` is the request with only
  the discriminatory part removed (role, skills, place of work and years kept; it passes this check itself, or is
  empty when nothing lawful is left to ask for);
* ``injection`` — an attempt to change the assistant's instructions;
* ``out_of_domain`` — not about hiring (small talk, lunch, the weather, stocks): answered with help, never searched;
* ``empty``.

How discrimination is found (`discriminatory_spans`), so that paraphrases are caught and look-alikes are not:

1. *Criteria that are discriminatory wherever they stand*: ages and birth years as limits ("under 30", "30세 이하",
   "born after 1995", "92년생부터"), age bands and proxies ("30대", "in their twenties", "digital native", "fresh
   blood", "MZ세대", "recent graduates only"), military service standing in for sex ("군필", "미필", "병역을 마친"),
   "native speaker", "able-bodied", "미혼", "용모 단정", protected filter keys ("-age:40", "gender:female").
2. *Kinds of people* named by a protected attribute ("women", "Christians", "foreigners", "moms", "여성", "외국인",
   "기혼자", "임산부") are criteria unless they are the market or the subject of the work: a target ("products for
   women", "aimed at young adults", "임산부 대상"), a domain noun right after them ("women's health", "여성 의류",
   "장애인 고용", "원어민 수준"), or an equal-opportunity statement ("regardless of age", "남녀 무관").
3. *Traits* ("young", "healthy", "attractive", "single", "젊은", "건강한", "예쁜", "키 큰") are criteria when they
   describe the person sought: attached to a person or a role (skipping field words: "young backend engineers",
   "젊고 열정적인 백엔드 개발자" — Korean through Kiwi morphemes, so every conjugation counts), said of them ("who is
   single", "must be healthy", "잘생겼으면"), or filtered on ("no married", "exclude older"). "Healthy snacks brand",
   "attractive compensation packages", "single sign-on", "젊은 층 타깃" describe something else and pass.
4. *Exclusions and negations of health, family and pregnancy* ("without any disabilities", "no kids", "won't get
   pregnant", "장애 없는", "애 없는", "출산 계획 없는").

Decisions worth knowing (the probe files hold a pair of examples for each):
* A level or experience is lawful ("senior", "junior", "new grad program", "신입 공채", "5+ years"); an age proxy is
  not ("recent graduates only", "digital native", "fresh blood", "young and energetic").
* A domain is not a request about the person: "disability insurance claims analyst", "women's health product
  manager", "maternity benefits specialist", "church management software", "marriage counselor" pass.
* Where someone works is lawful ("Busan office", "relocation to Busan", "서울 근무 가능"); where they come from is not
  ("경상도 출신", "서울 사람만", "grew up in Seoul").
* A language level is lawful ("fluent Korean", "Korean-speaking", "native-level English", "원어민 수준"); "native
  speaker" as a kind of person is national origin. The right to work is lawful; nationality is not.
* Benefits and accommodations are not criteria ("maternity leave", "장애인 고용 우대", "accommodations for candidates
  with disabilities").
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---- what each refusal says ------------------------------------------------------------------------------------------
# (the rule with its law, what to write instead). Laws: Korea's Age Discrimination in Employment Act (고용상 연령차별금지
# 및 고령자고용촉진에 관한 법률), Equal Employment Opportunity Act (남녀고용평등법, art. 7: recruitment, incl. appearance and
# marital status asked of women), Fair Hiring Procedure Act (채용절차법, art. 4-3: appearance, height, weight, birthplace,
# marital status, family), Disability Discrimination Act (장애인차별금지법), National Human Rights Commission Act
# (국가인권위원회법, art. 2: religion, region and country of origin, race); EU directives 2000/78/EC (age, disability,
# religion), 2000/43/EC (race, ethnic origin), 2006/54/EC (sex, incl. pregnancy).
CATEGORY_TEXT = {
    "age": {
        "en": ("Age cannot be a hiring criterion (Korea's Age Discrimination in Employment Act; EU Directive "
               "2000/78/EC).",
               "State the experience the job needs instead, e.g. \"3+ years of backend experience\"."),
        "ko": ("나이는 채용 기준이 될 수 없습니다(연령차별금지법: 모집·채용에서의 연령차별 금지).",
               "나이 대신 직무에 필요한 경력을 적어 주세요. 예: \"관련 경력 3년 이상\"."),
    },
    "sex": {
        "en": ("Sex or gender cannot be a hiring criterion, nor can military service that stands in for it (Korea's "
               "Equal Employment Opportunity Act; EU Directive 2006/54/EC).",
               "Describe the duties and skills instead, e.g. \"able to run client workshops\"."),
        "ko": ("성별은 채용 기준이 될 수 없습니다. 성별을 대신하는 병역 조건도 마찬가지입니다(남녀고용평등법).",
               "성별 대신 직무에 필요한 역량을 적어 주세요. 예: \"고객사 워크숍을 진행할 수 있는 분\"."),
    },
    "marital": {
        "en": ("Marital or family status cannot be asked about or used (Korea's Fair Hiring Procedure Act and Equal "
               "Employment Opportunity Act).",
               "If the job really needs travel or shifts, say so, e.g. \"able to travel two weeks a quarter\"."),
        "ko": ("결혼 여부나 가족 관계는 묻거나 기준으로 삼을 수 없습니다(채용절차법, 남녀고용평등법).",
               "출장·교대근무가 필요하면 그 조건을 적어 주세요. 예: \"분기별 2주 출장 가능\"."),
    },
    "pregnancy": {
        "en": ("Pregnancy or plans to have children cannot be a hiring criterion (Korea's Equal Employment "
               "Opportunity Act; EU Directive 2006/54/EC).",
               "State the job's real demands instead, e.g. its schedule."),
        "ko": ("임신·출산 계획은 채용 기준이 될 수 없습니다(남녀고용평등법).",
               "대신 근무 시간 등 직무의 실제 조건을 적어 주세요."),
    },
    "religion": {
        "en": ("Religion cannot be a hiring criterion (Korea's National Human Rights Commission Act; EU Directive "
               "2000/78/EC).",
               "Remove it; if weekend work is needed, state the schedule."),
        "ko": ("종교는 채용 기준이 될 수 없습니다(국가인권위원회법).",
               "종교 조건은 빼 주세요. 주말 근무가 필요하면 근무 일정을 적어 주세요."),
    },
    "region": {
        "en": ("Region of origin cannot be a hiring criterion (Korea's Fair Hiring Procedure Act). Where the person "
               "will work is fine.",
               "State the work location instead, e.g. \"able to work at our Busan office\"."),
        "ko": ("출신 지역은 채용 기준이 될 수 없습니다(채용절차법). 근무지는 적어도 됩니다.",
               "출신지 대신 근무지를 적어 주세요. 예: \"부산 사무소 근무 가능\"."),
    },
    "nationality": {
        "en": ("Nationality, national origin or race cannot be a hiring criterion (Korea's National Human Rights "
               "Commission Act; EU Directive 2000/43/EC). A language level the job needs and the legal right to work "
               "are fine.",
               "e.g. \"business-level Korean for client meetings\", \"native-level English\" or \"eligible to work in "
               "Korea\"."),
        "ko": ("국적·출신 국가·인종은 채용 기준이 될 수 없습니다(국가인권위원회법). 직무에 필요한 언어 수준과 취업 자격은 "
               "적어도 됩니다.",
               "예: \"고객 미팅이 가능한 비즈니스 영어\", \"원어민 수준의 영어\", \"국내 취업 자격 보유\"."),
    },
    "disability": {
        "en": ("Disability or health cannot be a hiring criterion (Korea's Disability Discrimination Act; EU Directive "
               "2000/78/EC).",
               "If the job has essential physical tasks, describe the task, e.g. \"regular on-site visits to the "
               "warehouse\"."),
        "ko": ("장애나 건강 상태는 채용 기준이 될 수 없습니다(장애인차별금지법).",
               "꼭 필요한 신체적 업무가 있다면 업무 자체를 적어 주세요. 예: \"물류센터 현장 방문 업무 포함\"."),
    },
    "appearance": {
        "en": ("Appearance, height or weight cannot be asked about or used (Korea's Fair Hiring Procedure Act).",
               "Describe the behaviour the job needs, e.g. \"friendly, clear communication with customers\"."),
        "ko": ("외모·키·체중은 묻거나 기준으로 삼을 수 없습니다(채용절차법).",
               "필요한 태도를 적어 주세요. 예: \"고객과 친절하고 명확하게 소통하는 분\"."),
    },
    "orientation": {
        "en": ("Sexual orientation or gender identity cannot be a hiring criterion (Korea's National Human Rights "
               "Commission Act, art. 2; EU Directive 2000/78/EC).",
               "Remove it and describe the duties and skills instead, e.g. \"runs client workshops, SQL\"."),
        "ko": ("성적 지향이나 성별 정체성은 채용 기준이 될 수 없습니다(국가인권위원회법 제2조).",
               "그 조건은 빼고 직무에 필요한 역량을 적어 주세요. 예: \"고객 워크숍 진행, SQL 활용\"."),
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
                             "appearance", "orientation")

# Where a text arrives. JD entries keep their older names as aliases ("request", "notes", "instruction").
SEARCH_ENTRIES = ("search", "chat", "gap", "compare")
JD_ENTRIES = ("jd_request", "jd_notes", "jd_instruction")
_ENTRY_ALIASES = {"request": "jd_request", "notes": "jd_notes", "instruction": "jd_instruction"}


# ---- the outcome -------------------------------------------------------------------------------------------------------
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
    entry: str = "search"

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(i.category for i in self.issues))

    @property
    def category(self) -> str:
        """The first protected ground (or injection / out_of_domain); empty when allowed."""
        return self.categories[0] if self.issues else ""

    def rule(self, lang: str | None = None) -> str:
        """The rule each ground breaks, in plain words with its law, one line per ground."""
        lang = lang or self.lang
        return "\n".join(CATEGORY_TEXT[c]["ko" if lang == "ko" else "en"][0] for c in self.categories)

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
    return unicodedata.normalize("NFKC", text or "").replace("’", "'").replace("‘", "'")


# ---- lexicon -----------------------------------------------------------------------------------------------------------
# People and roles a trait can describe ("young *engineers*", "attractive *women*"); Korean heads as Kiwi gives them.
_ANCHORS_EN = set("""
candidate candidates applicant applicants people person persons folk folks hire hires someone somebody anyone anybody
one ones individual individuals professional professionals talent staff employee employees worker workers member
members colleague colleagues dev devs developer developers engineer engineers designer designers marketer marketers
manager managers lead leads analyst analysts scientist scientists rep reps representative representatives tester
testers technician technicians tech techs coordinator coordinators assistant assistants receptionist receptionists
secretary secretaries hostess hostesses host hosts tutor tutors teacher teachers instructor instructors trainer trainers
consultant consultants specialist specialists administrator administrators admin admins officer officers director
directors architect architects programmer programmers accountant accountants recruiter recruiters planner planners
writer writers copywriter copywriters model models ambassador ambassadors associate associates agent agents operator
operators supervisor supervisors guard guards driver drivers intern interns grad grads graduate graduates pm pms sre
sres crew hand hands researcher researchers owner owners head heads generalist generalists partner partners controller
controllers auditor auditors clerk clerks advisor advisors adviser advisers strategist strategists executive executives
translator translators interpreter interpreters nurse nurses contractor contractors freelancer freelancers leader
leaders mentor mentors teammate teammates guy guys gal gals woman women man men lady ladies girl girls boy boys
counselor counselors counsellor counsellors therapist therapists physio physios physiotherapist doctor doctors lawyer
lawyers attorney attorneys editor editors merchandiser merchandisers chef chefs cook cooks baker bakers pilot pilots
trader traders banker bankers cleaner cleaners janitor janitors bartender bartenders waiter waiters waitress
waitresses hostess secretary coordinator photographer photographers journalist journalists producer producers md mds
gentleman gentlemen female females male males worker talent hire newcomer newcomers recruit recruits cashier cashiers
salesperson salespeople salesman salesmen saleswoman mechanic mechanics installer installers staffer staffers
""".split())
_PERSON_KO = set("""
사람 분 친구 직원 사원 인재 지원자 후보 후보자 개발자 엔지니어 디자이너 기획자 마케터 매니저 담당자 리더 리드 팀장 관리자 기사
강사 상담사 상담원 비서 인력 경력자 경력직 신입 전문가 분석가 프로그래머 연구원 멤버 팀원 인원 애 얘 알바 아르바이트 모델 요원
근로자 노동자 작업자 기술자 운영자 책임자 대리 과장 차장 부장 주임 실장 컨설턴트 아키텍트 사이언티스트 회계사 세무사 노무사 변호사 통역사
번역가 작가 에디터 크리에이터 코치 트레이너 선생님 교사 승무원 안내원 인턴 파트너 테스터 청년 여성 남성 여자 남자 여직원 남직원
직원분 사원분 이 자 놈 녀석 아가씨 아줌마 아저씨 리크루터 사무원 설치기사 기술직 사무직 현장직 동료
""".split())
# Field and level words between a trait and its person ("young *backend* engineer", "젊은 *백엔드* 개발자"); any skill
# the taxonomy knows counts as one too.
_FIELDS_EN = set("""
backend back-end frontend front-end fullstack full-stack data ml ai qa ops devops sales marketing product design ux ui
mobile ios android web cloud security platform infra infrastructure game gaming software hardware embedded network
support customer success account finance financial hr legal growth brand content social media research field site
warehouse logistics operations project program engineering test testing senior junior mid-level midlevel mid principal
entry-level new experienced talented motivated energetic dynamic passionate hungry ambitious smart bright fresh
hardworking hard-working enthusiastic eager strong skilled capable good great solid reliable friendly local in-house
internal tech technical it office front desk night day shift event events store retail client service sales-floor
floor line delivery kitchen production factory creative digital performance payments analytics machine learning
and or & / , team dev engineering-minded go-getter go-getters and/or
""".split())
_FIELDS_KO = set("""
백 엔드 백엔드 프론트 프론트엔드 풀스택 데이터 개발 영업 마케팅 디자인 인사 재무 회계 물류 현장 운영 보안 인프라 게임 모바일 웹 앱
서버 클라이언트 시니어 주니어 신입 경력 데브옵스 기획 서비스 제품 프로덕트 콘텐츠 브랜드 상담 창고 행사 안내 데스크 사무 총무 법무
구매 품질 생산 연구 교육 홍보 광고 퍼포먼스 그로스 설치 야간 주간 테스트 머신러닝 딥러닝 정보 시스템 네트워크 클라우드 플랫폼
결제 그래픽 영상 편집 마케터 프런트 사업 전략 고객지원 세일즈 현장직 사무직 팀 파트
""".split())
# Kinds of people a request may name by a protected attribute (criteria unless a target, a domain or an EEO statement).
_PERSON_TERMS_EN = {
    "sex": r"women|woman|females?|males?|girls?|gals?|ladies|lady|gentlem[ae]n|boys?|men|man|guys?",
    "age": r"millennials?|boomers?|baby\s+boomers?|gen[\s-]?z(?:-?ers?)?|generation\s+z|zoomers?|retirees?|youngsters?|"
           r"old\s+people|elderly\s+people|the\s+elderly|older\s+workers?|older\s+people",
    "marital": r"(?:working\s+|single\s+|stay-at-home\s+)?(?:moms?|mums?|mothers?|dads?|fathers?)|housewi(?:fe|ves)|"
               r"homemakers?|newlyweds?|divorcees?|widows?|widowers?",
    "pregnancy": r"pregnant\s+(?:women|woman|employees?|candidates?|people|applicants?|staff|workers?)|"
                 r"expectant\s+mothers?|mothers?-to-be|moms?-to-be",
    "religion": r"christians?|muslims?|moslems?|buddhists?|catholics?|jews|hindus?|atheists?|protestants?|mormons?|"
                r"evangelicals?|church-?goers?|(?:religious|christian|faithful)\s+believers|people\s+of\s+faith",
    "nationality": r"foreigners?|expats?|immigrants?|migrants?|native-born\s+\w+|native\s+(?:english\s+|korean\s+|"
                   r"japanese\s+|chinese\s+|german\s+|french\s+|spanish\s+)?speakers?|koreans|(?:korean|chinese|"
                   r"japanese|american|vietnamese|indian|filipino|african|european|western)\s+(?:people|nationals?|"
                   r"citizens?|faces?|guys?)|whites|blacks|asians|caucasians?|hispanics?|latinos?|latinas?",
    "orientation": r"gays?|lesbians?|bisexuals?|homosexuals?|heterosexuals?|straights|transgenders?|transsexuals?|"
                   r"trans\s+(?:people|persons?|women|men|folks?|candidates?|applicants?)|queers?|"
                   r"lgbt(?:q(?:ia)?)?\+?(?:\s+(?:people|persons?|folks?|candidates?|applicants?|employees?))?",
    "disability": r"(?:the\s+)?(?:disabled|handicapped)(?:\s+(?:people|persons?|employees?|candidates?|applicants?|"
                  r"workers?|staff))?|wheelchair\s+users?|amputees?|cripples?|the\s+deaf|the\s+blind",
}
# The Korean ones, as words (Kiwi may split them; the regex runs over the text).
_PERSON_TERMS_KO = {
    "sex": r"여성|여자|남성|남자|여직원|남직원|여사원|남사원|아가씨|아줌마|아저씨|여초|남초|군필자|미필자|병역\s*필자",
    "age": r"고령자|노인|어르신|중장년|장년층|젊은이|늙은이|MZ\s*세대|엠지\s*세대|청년층|노년층",
    "marital": r"기혼자|미혼자|유부남|유부녀|돌싱|워킹맘|애엄마|애아빠|싱글맘|주부|새댁|미혼모|미혼부|한부모|(?:애기|아기|아이|애)?\s*"
               r"(?:엄마|아빠)(?:들)?",
    "pregnancy": r"임산부|임신부|산모",
    "religion": r"기독교인|크리스천|교인|신자|불자|무슬림|천주교인|신도|개신교인|불교도|이슬람교도",
    "nationality": r"외국인|한국인|내국인|교포|조선족|중국인|일본인|흑인|백인|동남아인|동남아\s*사람|혼혈|다문화|원어민|"
                   r"한국\s*사람|외국\s*사람|외국\s*국적자",
    "disability": r"장애인|장애우|정상인|휠체어\s*사용자",
    "orientation": r"동성애자|양성애자|이성애자|성소수자|트랜스젠더|성전환자|게이|레즈비언|퀴어|엘지비티",
}
# After a person term, these make it a market or a domain, not the person sought.
_DOMAIN_AFTER_EN = set("""
health healthcare apparel clothing fashion wear products product brand brands app apps services service software
insurance claims benefits benefit leave policy policies program programs rights law laws issues inclusion
accessibility accommodation accommodations care hygiene grooming cosmetics beauty magazine connector connectors adapter
adapters plug plugs pin pins page pages hours power market markets segment segments customers consumers users audience
audiences community communities organization organizations organisation charity ministry publishing music history
studies theology football soccer basketball sports team's league leagues network networks resource resources group
groups erg ergs empowerment leadership mentoring mentorship initiative initiatives day month conference conferences
wellness fitness nutrition shoes bags bag line collection collections hospital clinic clinics shelter shelters
children kids families infants babies adolescents newborns teens youth elderly
relocation visa visas tax taxes housing assignment assignments mobility onboarding support network networks association
associations club clubs panel panels event events meetup meetups scholarship scholarships fund funds award awards
theory literature film films cinema culture art arts pride
""".split())
_DOMAIN_AFTER_KO = set("""
고객 소비자 사용자 유저 시장 타깃 타겟 대상 층 의류 패션 화장품 건강 복지 고용 보조 기기 보조기기 접근성 인권 정책 커뮤니티
전용 용 상품 제품 브랜드 서비스 앱 플랫폼 교육 응대 수준 단체 협회 병원 센터 법 리더십 프로그램 관련 이슈 지원 편의 관리 시설
화장실 수요 인구 트렌드 라인 모임 인식 차별 평등 육아 출산 휴가 휴직 뷰티 잡지 쇼핑 헬스 의학 질환 케어 채널 문화
""".split())
# Words that turn what follows into a market ("aimed at", "for") rather than the person sought.
_TARGET_BEFORE = re.compile(
    r"(?:aimed\s+at|targeting|targeted\s+at|target(?:ed)?\s+(?:to|toward)|selling\s+to|sold\s+to|marketing\s+to|"
    r"marketed\s+to|catering\s+to|serving|reaching|reach|among|popular\s+with|designed\s+for|built\s+for|made\s+for|"
    r"tailored\s+(?:to|for)|for\s+(?:the\s+)?(?:needs\s+of|use\s+by)|accessible\s+to|accessibility\s+for|"
    r"accommodations?\s+for|support(?:ing)?|helping|help|about|on|of|with|to)\s+(?:(?:the|our|their|a|an)\s+)?"
    r"(?:\w+\s+){0,2}$", re.IGNORECASE)
_JOB_NOUNS = set("role job position opening spot seat slot jd posting ad vacancy post team hire hires req requisition "
                 "shift crew desk".split())

# ---- criteria that count wherever they stand (outside an equal-opportunity statement) ------------------------------
_NUM_KO = r"(?:스물|서른|마흔|쉰|예순|스무)(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉)?"
_NUM_EN = r"(?:twenty|thirty|forty|fifty|sixty)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
_AGE_UNITS_NOT = (r"(?![',.]?\d)(?!\s*(?:%|percent|\+|x\b|k\b|m\b|years?\s+(?:of|in|at|with|experience)|yrs?\s+(?:of|in)|years?'|"
                  r"(?:years?\s+)?(?:of\s+)?experience|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|ms|seconds?|"
                  r"million|billion|thousand|hundred|(?!(?:for|and|who|with|please|pls|only|but|yet|are|is|in|at|"
                  r"on|as|to|or|so|because|since|if|ideally|preferably|max|maximum|tops|give|or\s+so)\b)[a-z]{3,}))")
_RULES: list[tuple[str, str]] = [
    # ---- age
    ("age", r"(?:(?<![\d.])[1-6]0|(?<![가-힣])(?:이십|삼십|사십|오십|육십))\s*대(?:\s*(?:초반|중반|후반|초|중|후))?(?!\s*(?:의\s*)?(?:고객|소비자|사용자|유저|타깃|타겟|대상|"
            r"시장|층|여성\s*고객|남성\s*고객|구매자|가입자|회원|인구|트렌드|인기|취향|청중|독자|시청자))"),
    ("age", r"(?:(?:나이|연령)\s*:?\s*)?(?<![\d.])\d{2}\s*(?:세|살)?\s*[~\-–]\s*\d{2}\s*(?:세|살)"),
    ("age", r"(?:만\s*)?(?<![\d.])\d{2}\s*(?:세|살)\s*(?:이하|이상|미만|초과|까지|이내|부터|전후|안팎|정도|쯤|아래|위|이전|"
            r"안\s*(?:넘|된)|넘|를?\s*넘|을\s*넘|이\s*넘|가\s*넘|전|제한|[가-힣]*\s*(?:분|사람|인재|개발자|지원자|직원))"),
    ("age", rf"{_NUM_KO}\s*(?:살|세)?\s*(?:이|을|를|가)?\s*(?:넘|안\s*넘|이하|미만|전|초반|중반|후반|안팎|아래|까지)"),
    ("age", r"(?:나이|연령)\s*(?:제한|조건|기준|상한|하한|컷|:|은|는|이|가)?\s*(?:\d{2}\s*(?:세|살)|어린|어리|젊|많지\s*않|"
            r"적은|많은|많|든|드신|제한|상관\s*있)"),
    ("age", r"(?:나이|연령)\s*(?:가|이|는)?\s*\d{2}\s*(?:세|살)?\s*(?:넘|이상|이하|미만|초과|안\s*넘|아래|위|까지|전후)|"
            r"(?:나이|연령)\s*(?:제한|상한|하한|컷|기준)|(?:나이|연령)\s*(?:가|이)?\s*(?:좀\s*)?(?:있으신|있는|많으신|드신|든|차신|찬|"
            r"먹은|지긋)"),
    ("age", r"(?:(?:19|20)?\d{2}\s*년\s*생|\d0\s*년대\s*생|[89]0\s*년대\s*(?:출생|생))(?:\s*(?:이후|이전|부터|까지|이상|이하|"
            r"미만|초과|만|이신|인))?"),
    ("age", r"(?:MZ\s*세대|엠지\s*세대)(?!\s*(?:를\s*|을\s*)?(?:대상|타깃|타겟|고객|소비자|트렌드|마케팅|겨냥|위한|취향|문화|"
            r"사용자|유저))|젊은\s*피|젊은\s*감각의?\s*(?:분|사람|인재)|정년\s*(?:이\s*)?(?:가까운|임박|앞둔)|"
            r"졸업\s*(?:후\s*)?\d\s*년\s*(?:이내|미만|이하)"),
    ("age", r"\b(?:under|below|younger\s+than|no\s+older\s+than|not\s+older\s+than|older\s+than|over|above|past|"
            r"at\s+most|max(?:imum)?\s+age(?:\s+of)?|age\s+(?:limit|cap|max)(?:\s+of)?|not\s+over|up\s+to)\s+"
            r"(?:the\s+age\s+of\s+)?(?:[1-9]\d|" + _NUM_EN + r")\b(?:\s*(?:years?\s+old|yrs?\s+old|y/?o))?" +
            _AGE_UNITS_NOT),
    ("age", r"\b(?:age\s+)?[1-9]\d\s*(?:or|and)\s+(?:under|younger|below|older|over|above|less|more)\b|"
            r"\b(?:twenty|thirty|forty|fifty|[2-6]0)[\s-]?somethings?\b|"
            r"\b(?:max(?:imum)?|at\s+most|no\s+more\s+than|within|less\s+than|under)\s+\d+\s+(?:yrs?|years?)\s+(?:out\s+of|since|"
            r"after|from)\s+(?:school|college|uni|university|graduation)\b"),
    ("age", r"\b(?:aged?|ages)\s+(?:between\s+)?\d{2}\s*(?:-|–|to|and)\s*\d{2}\b"),
    ("age", r"\b(?:max(?:imum)?|min(?:imum)?)\s+age\b|(?<!\bno\s)(?<!without\s)(?<!without\san\s)(?<!removed\s)"
            r"\bage\s*(?:limit|cap|range|requirement|restriction|bracket)s?\b(?!\s+(?:removed|dropped|lifted))"),
    ("age", r"\bthe\s+younger\s+the\s+better\b|\b(?:be|aged?|ages?|is|are)\s+between\s+\d{2}\s+and\s+\d{2}\b(?!\s*(?:years?\s+"
            r"of|%|percent|hours?|people|[a-z]{4,}))|\b(?:near|around|nearly|almost|approaching|pushing|close\s+to)\s+"
            r"(?:[3-6]0|" + _NUM_EN + r")\b(?=\s*(?:$|[,.;!?)]|years?\s+old|or\s+(?:older|younger)))|"
            r"젊을\s*수록|어릴\s*수록|(?:나이|연령)\s*대\s*(?:가|는|이)?\s*(?:비슷|맞는|같은|어린|젊은|낮은|높은)|"
            r"막내\s*(?:로|역할|급|뻘|같은|처럼)"),
    ("age", r"\b\d{2}\s*(?:-|–|to)\s*\d{2}\s*(?:years?\s*old|y/?o)\b|\b\d{2}\s*(?:years?\s*old|y/?o)\b"),
    ("age", r"\bdigital\s+natives?\b|\b(?:fresh|young|new)\s+blood\b|\bover[\s-]the[\s-]hill\b"),
    ("age", r"\bin\s+(?:their|his|her)\s+(?:early\s+|mid-?\s*|late\s+)?(?:twenties|thirties|forties|fifties|sixties|"
            r"[2-6]0'?s)\b|\b(?:mid|early|late)-?\s*(?:twenties|thirties|forties|fifties|[2-6]0'?s)\b|"
            r"\b[2-6]0'?s[\s-]+only\b|\bonly\s+[2-6]0'?s\b"),
    ("age", r"\bborn\s+(?:(?:in|after|before|since|from)\s+)?(?:the\s+)?(?:(?:19|20)\d{2}|(?:19)?[5-9]0'?s|'[5-9]0s)"
            r"(?:\s+or\s+(?:later|after|earlier|before))?\b|"
            r"\b(?:19)?[89]0s\s+(?:kids|babies|born)\b"),
    ("age", r"\b(?:recent|fresh|new)\s+(?:college\s+|university\s+|uni\s+)?(?:graduates?|grads?)\s+only\b|"
            r"\bonly\s+(?:recent|fresh|new)\s+(?:graduates?|grads?)\b|\bgraduated\s+(?:with)?in\s+the\s+(?:last|past)\s+"
            r"\w+\s+years?\b|\bfresh\s+out\s+of\s+(?:uni|university|college|school)\b"),
    ("age", r"\b(?:close|near|nearing|approaching)\s+(?:to\s+)?retirement\b|\bretirement\s+age\b"),
    ("age", r"(?<![\w-])-?(?:age|max_age|min_age|birth_?year|나이|연령)\s*(?::|<|>|=|<=|>=)\s*[<>=]?\s*\S+|"
            r"\bmax_age\b|\bmin_age\b"),
    # ---- sex (and military service standing in for it)
    ("sex", r"(?:군필|병역필|군\s*필|병역\s*필|미필)\s*(?:자|인|이신|이어야|만|우대|필수|남성|남자|한정|제외|분|개발자|여부)?|"
            r"병역\s*(?:을\s*)?(?:마친|필한|이행한|미필)|군\s*(?:대|복무)\s*(?:를\s*|을\s*)?(?:다녀온|마친|필한|갔다\s*온|"
            r"갔다온)|군\s*면제자?\s*(?:제외|불가|말고)"),
    ("sex", r"\b(?:completed|finished|done)\s+(?:(?:their|his|the)\s+)?(?:mandatory\s+)?military\s+service\b|"
            r"\bmilitary\s+service\s+(?:completed|required|done)\b"),
    ("sex", r"(?<![\w-])-?(?:gender|sex|성별)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)"),
    ("sex", r"\b(?:a|one|the|some|two|young|younger|older|strong|only|prefer(?:ably)?|want|need|hire)\s+(?:guy|man|"
            r"gentleman)\b(?!\s*(?:-|page|hours?|power|of\s+the\s+match))|\bman\s+(?:in|for)\s+(?:that|this|the)\s+"
            r"(?:seat|role|job|position|spot)\b"),
    # ---- marital / family status
    ("marital", r"미혼(?!모|부)|기혼|돌싱|유부(?:남|녀)"),
    ("marital", r"\b(?:is|are|was|were)\s+(?:[\w.'-]+\s+){1,3}(?:married|single|divorced|unmarried|a\s+(?:mom|mother|dad|"
                r"father|parent))\s*\?|(?:결혼|혼인)\s*(?:했어|했나|했는지|하셨|했어요|했을까|한\s*사람이야)"),
    ("marital", r"(?:결혼|혼인)\s*(?:여부|유무|계획|예정|안\s*(?:한|하신|했|하)|안한|하지\s*(?:않|않은|않으신)|"
                r"안\s*하|(?:을\s*)?안\s*한|하신\s*분|한\s*분|한\s*사람|상태|했는지|한\s*지|을\s*했|을\s*안)"),
    ("marital", r"싱글\s*(?:인|이신|이면|이어야|이었으면|였으면)?\s*(?:분|사람|여성|남성|지원자|개발자|직원|만|우대|위주)"),
    ("marital", r"(?<![가-힣])(?:자녀|아이|애|아기)\s*(?:가|는|도)?\s*(?:없는|없으신|없고|없으면|없었으면|있는|있으신|유무|여부|"
                r"딸린)(?!\s*계획)"),
    ("pregnancy", r"(?<![가-힣])(?:자녀|아이|애|아기|2세|둘째|출산)\s*(?:를\s*|을\s*)?(?:가질\s*|낳을\s*)?(?:계획|생각|예정)|"
                  r"(?<![가-힣])(?:자녀|아이|애|아기|2세|둘째)\s*(?:를\s*|을\s*)?(?:가질|낳을|가지려는|가지실|낳으실|가지려|낳으려)"),
    ("marital", r"(?:부양\s*가족|딸린\s*(?:식구|자식|가족)|가족\s*(?:부양|돌봄))\s*(?:이|가)?\s*(?:없|있)|(?:가정|가족|배우자|남편|아내|"
                r"와이프|처자식)\s*(?:이|가)?\s*(?:있는|있으신|없는|없으신|있으면|없으면)\s*(?:분|사람|직원|지원자)?"),
    ("marital", r"육아\s*(?:중이?\s*아닌|부담\s*(?:이\s*)?없|하지\s*않|안\s*하|중인\s*(?:분|사람)\s*(?:은|는)?\s*(?:제외|불가|빼))"),
    ("marital", r"가족\s*(?:관계|사항|배경)|부모님?\s*(?:직업|학력|재산)"),
    ("marital", r"(?<![\w-])-?(?:marital(?:[\s_-]?status)?|married|kids|children|결혼|혼인)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)|"
                r"\bmarital\s*(?:status)?\s*(?:must|should|required)|\bfamily\s+(?:status|plans)\s*(?::|must|"
                r"should|required)"),
    ("marital", r"\b(?:no|without|zero)\s+(?:a\s+|any\s+)?(?:young\s+|small\s+|little\s+)?(?:kids|children|child|babies|"
                r"toddlers|spouse|wife|husband|partner|family\s+(?:commitments|"
                r"obligations|ties|responsibilities))\b|\bchildless\b|\bunattached\b|\b(?:no|without)\s+(?:a\s+)?"
                r"(?:spouse|partner)\s+to\b|\bwithout\s+(?:any\s+)?family\s+(?:commitments|obligations|ties)\b"),
    ("marital", r"\b(?:doesn'?t|don'?t|does\s+not|do\s+not|won'?t|will\s+not)\s+have\s+(?:any\s+)?(?:kids|children|"
                r"a\s+family|a\s+spouse|family\s+commitments)\b"),
    ("marital", r"\bfamily\s+commitments\b"),
    # ---- pregnancy
    ("pregnancy", r"임신\s*(?:계획|예정|여부|중|하지|안\s*한|안한|하신|가능성|할\s*계획|이\s*아닌|아닌|했|한\s*(?:분|사람)|하면|할|"
                  r"해서|하게|하는|한\s*적|이면|이라|부|이\s*되|될)"),
    ("pregnancy", r"(?:출산|임신|아기|애기)\s*(?:계획|예정|생각)\s*(?:이|은|는)?\s*(?:없|있)"),
    ("pregnancy", r"(?:육아|출산)\s*휴직\s*(?:을|를)?\s*(?:쓸|사용할|쓰지\s*않을|안\s*쓸|쓸\s*일|갈)\s*(?:계획|생각|일)?\s*"
                  r"(?:이|은)?\s*(?:없|않)|(?:육아|출산)\s*휴직\s*(?:을|를)?\s*안\s*(?:쓸|쓰는|갈)"),
    ("pregnancy", r"\b(?:not|no|non-?|isn'?t|aren'?t|won'?t\s+be|never)\s*(?:be\s+|being\s+|currently\s+)?pregnan\w*|"
                  r"\bpregnan\w*\s+(?:status|plans?|test|check)\b|(?<!for\s)(?<!to\s)\bpregnant\b(?!\s+(?:women|"
                  r"woman|mothers?|people|users?|customers?|patients?)\s*(?:'s|market|care|health|app|products?))|\b(?:not\s+)?(?:planning|plans?|intending)\s+"
                  r"(?:a\s+|for\s+(?:a\s+)?|of\s+(?:a\s+)?|to\s+get\s+)?pregnan\w*|\bpregnancy\b(?!\s+(?:app|care|product|health|"
                  r"benefits?|leave|policy|tracking|discrimination|support))"),
    ("pregnancy", r"\b(?:plans?|planning|intend\w*|want\w*)\s+(?:to\s+(?:have|start)|on\s+having|for)\s+(?:a\s+)?"
                  r"(?:family|kids|children|baby|babies)\b|\bget(?:ting)?\s+pregnant\b|\bhave\s+a\s+baby\b|"
                  r"\bstart(?:ing)?\s+(?:a\s+family|having\s+(?:kids|children|babies))\b|\bhave\s+(?:kids|children|a\s+baby)\s+"
                  r"(?:soon|next\s+year|any\s*time\s+soon)\b|\bexpecting\s+(?:a\s+)?(?:baby|child|kid|little\s+one)\b|\b(?:aren'?t|isn'?t|not|no\s+one)\s+(?:currently\s+)?expecting\b"),
    ("pregnancy", r"\b(?:won'?t|will\s+not|not|never)\s+(?:be\s+)?(?:going\s+on|go\s+on|take|taking|need|needing)\s+"
                  r"(?:a\s+)?(?:maternity|paternity|parental)\s+leave\b|\b(?:no|without)\s+plans?\s+(?:for|of)\s+"
                  r"(?:maternity|paternity|parental)\s+leave\b|\b(?:may|might|could|will|would|likely\s+to|planning\s+to|going\s+"
                  r"to|about\s+to)\s+(?:soon\s+)?(?:go|be\s+going|take|need)\s+(?:on\s+)?(?:a\s+)?(?:maternity|paternity|"
                  r"parental)\s+leave\b"),
    # ---- religion
    ("religion", r"(?:기독교|개신교|천주교|가톨릭|카톨릭|불교|원불교|이슬람|힌두교?|유대교)\s*(?:인|신자|신도|도|이신|인\s*분|"
                 r"쪽|만|우대|선호|믿는|를\s*믿는|을\s*믿는|제외|불가|가치관|이면)|(?:교회|성당|절|사찰|예배|미사)\s*(?:에|를|을)?"
                 r"\s*(?:다니|나가|가는|출석)|(?:신천지|여호와의\s*증인|통일교|몰몬교?|이단|사이비)\s*(?:신자|신도|교인|인|"
                 r"빼|제외|말고|불가|이신|인\s*분|만|은|는|이면)?|(?:특정\s*)?(?:종교|신앙|교단)\s*(?:를|을|이|가)?\s*(?:믿는|가진|"
                 r"가지신|다니는|있는|있으신)|종교\s*(?:활동|생활)\s*(?:을|를)?\s*(?:하|안\s*하|열심)|무교|신앙\s*(?:이|을|심|생활)?\s*(?:있|없|깊|가진|좋)|크리스천|교인|불자|무슬림"),
    ("religion", r"종교\s*(?:는|은|가|이)?\s*(?::|제한|필수|있는|없는|가지신|가진|이\s*있|가\s*있|기독|불교|천주|무교|없|있)"),
    ("religion", r"\b(?:go(?:es)?|going|attends?|attending)\s+(?:to\s+)?(?:church|mass|temple|mosque|synagogue)\b|"
                 r"\bchurch-?going\b|\b(?:christian|muslim|catholic|buddhist|jewish|religious)\s+(?:values|faith|"
                 r"background)\b|\b(?:devout|religious|pious|practicing|practising)\s+(?:\w+\s+)?(?:people|candidates?|"
                 r"applicants?|person|employees?|staff|christians?|muslims?|catholics?)\b|\bmembers?\s+of\s+(?:a|our|the|"
                 r"any)\s+(?:church|mosque|temple|synagogue|congregation|parish|faith)\b"),
    ("religion", r"\bbelievers?\s+in\s+(?:christ|jesus|god|allah|buddha)\b|\b(?:god|christ)-?(?:fearing|loving)\b|"
                 r"\bfaith\s+in\s+(?:christ|jesus|god|allah)\b"),
    ("religion", r"(?<![\w-])-?(?:religion|faith|종교)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)|\breligio(?:n|us)\s*(?:must|should|required|"
                 r"preference|affiliation)"),
    # ---- region of origin
    ("region", r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청|충북|충남|전라|전북|전남|경상|경북|경남|제주|호남|영남|"
               r"수도권|지방|강남|이북|북한|시골|특정\s*지역|특정\s*지방|타\s*지역|지역)\s*(?:도|권)?\s*(?:출신|사람|토박이|"
               r"태생|놈|애들|분들|분)"),
    ("region", r"(?:경상|전라|충청|강원|제주|경상도|전라도|충청도|강원도|제주도|지방|시골)\s*(?:도\s*)?사투리|사투리\s*(?:를\s*)?"
               r"(?:쓰는|하는|심한|있는|없는)|\bfrom\s+the\s+provinces\b|\b(?:\w+\s+)?natives\b(?=\s*(?:only|$|[,.;!?]))"),
    ("region", r"(?:지방대|지잡대)(?:\s*출신)?|출신\s*(?:지역|지|고향)|고향\s*(?:이|은|는|이\s*어디)?\s*[가-힣]*\s*(?:인|이신|이어야|이면|인지)"),
    ("region", r"\b(?:born|raised|grew\s+up|brought\s+up)\s+(?:in|outside)\s+(?:the\s+)?[A-Z][\w\-]+|\bhometowns?\b|"
               r"\boriginally\s+from(?:\s+(?:the\s+)?[A-Z][\w\-]+(?:\s+province)?)?|\b(?:from|of)\s+(?:the\s+)?(?:gyeongsang|jeolla|chungcheong|gangwon|honam|"
               r"yeongnam|gyeonggi)(?:-?do)?(?:\s+province)?\b|\b(?:gyeongsang|jeolla|chungcheong|honam|yeongnam|"
               r"gangwon)(?:-?do)?\s+(?:natives?|origin|born|people|candidates?|folks?)\b|\bnot\s+the\s+countryside\b|"
               r"\bfrom\s+the\s+countryside\b|\b(?:\w+\s+)?natives?\s+only\b"),
    ("region", r"(?<![\w-])-?(?:origin|region|hometown|birthplace|출신|고향)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)"),
    ("region", r"\b(?:seoul|busan|daegu|incheon|gwangju|daejeon|ulsan|jeju|gyeonggi|gangwon|jeolla|gyeongsang|"
               r"chungcheong|honam|yeongnam|countryside|rural|provincial)[\s-]+(?:born|raised|bred|natives?)\b|"
               r"\bfrom\s+[A-Z][\w-]+\s+originally\b|\b(?:jeolla|gyeongsang|chungcheong|honam|yeongnam)\s+(?:people|"
               r"folks?|guys|ones)\b"),
    # ---- nationality / national origin / race
    ("nationality", r"\bof\s+(?:(?:pure|mixed|full)\s+)?(?:korean|japanese|chinese|asian|african|european|indian|vietnamese|"
                    r"foreign|western|eastern|caucasian|hispanic|latin|arab|jewish|\w+an)\s+(?:descent|ancestry|ethnic\s+origin|"
                    r"heritage|ethnicity|bloodline|blood)\b|"
                    r"\b(?:korean|japanese|chinese|asian|african|european|indian|vietnamese|foreign|mixed)[\s-]+(?:descent|ancestry|"
                    r"blood)\b|\b(?:no|without|not|nobody\s+with|no\s+one\s+with|free\s+of)\s+(?:a\s+|an\s+|any\s+)?(?:[\w-]+\s+)?"
                    r"accents?\b|\bnative\s+(?:english|korean|japanese|chinese|german|french|spanish)\s+only\b|\b(?:foreign|non-native|thick|heavy)\s+"
                    r"accents?\b|\baccent-free\b"),
    ("nationality", r"\bnon-?(?:foreigners?|koreans?|citizens?|nationals?|locals?)\b"),
    ("nationality", r"(?:해외|외국|타국)\s*(?:출신|태생)|탈북\s*(?:자|민|주민)|북한\s*이탈\s*주민|새터민"),
    ("nationality", r"(?:한국|대한민국)\s*국적\s*(?:자|필수|만|소지자|보유자|이어야|인\s*분)?|국적\s*(?::|제한|필수|은|는|이|가)\s*"),
    ("nationality", r"\b(?:korean|japanese|chinese|american|us|u\.s\.|foreign|vietnamese|indian)\s+(?:nationals?|"
                    r"citizens?|passport\s+holders?|citizenship)\b(?!\s+(?:visa|immigration|services?|applications?|process|law|"
                    r"support|advis\w*|requirements?\s+for))|"
                    r"\b(?:citizens?|nationals?)\s+only\b|\bno\s+foreign(?:ers)?\b|"
                    r"\bnative[\s-]born\b|\b(?:korean|japanese|chinese|american|us|foreign|vietnamese|indian)\s+"
                    r"passports?\b(?!\s+(?:services?|renewal|applications?|process))|\b(?:korean|foreign|us|american|"
                    r"chinese|japanese|overseas)[\s-]born\b|\bfrom\s+the\s+(?:us|uk|u\.s\.|u\.k\.)\s+(?:or\s+(?:the\s+)?(?:us|uk)\s+)?only\b|"
                    r"\bnative(?:\s+(?:english|korean|japanese|chinese|german|french|spanish))?\s+speakers?\b"),
    ("nationality", r"(?<![\w-])-?(?:nationality|race|ethnicity|citizenship|국적|인종)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)|"
                    r"\bnationality\s*(?:requirement|must|should|required)"),
    ("nationality", r"\b(?:white|black|asian|caucasian|hispanic|latino)(?:\s+only\b|(?=\s+(?:candidates?|applicants?|people|"
                    r"faces?|preferred|men|women|males?|females?|guys?|staff|employees?|models?|person)\b))"),
    ("nationality", r"(?:native|원어민)\s*(?:영어|english|한국어|일본어|중국어)?\s*(?:speaker|스피커)|원어민\s*(?:강사|만|이신|인|"
                    r"이어야|출신|우대|선생님|분|사람|화자)"),
    # ---- disability and health
    ("disability", r"장애\s*(?:가|를|이)?\s*(?:없는|없으신|없고|없으면|없었으면|있는\s*(?:분|사람)\s*(?:은|는)?\s*(?:빼|제외|"
                   r"불가|말고|안)|인\s*(?:은|는)?\s*(?:불가|제외|사절|안\s*됨|안됨|빼)|여부|유무|불가|제외)"),
    ("disability", r"\b(?:no|nobody|not|without|exclude|excluding|except|avoid|free\s+of|(?:can'?t|cannot|won'?t|don'?t\s+want\s+to|"
                   r"rather\s+not)\s+(?:have|hire|take|accept|employ))\s+(?:one\s+|anyone\s+|people\s+|"
                   r"someone\s+|those\s+|candidates\s+|applicants\s+)?(?:(?:with|who\s+(?:has|have)|having|in|using|on)\s+)?"
                   r"(?:a\s+|any\s+)?"
                   r"(?:history\s+of\s+)?(?:physical\s+limitations?|limitations?|medications?|meds|disabilit\w*|adhd|autism|dyslexia|epilepsy|diabetes|hiv|cancer|depression|anxiety|"
                   r"bipolar|schizophrenia|ptsd|mental\s+(?:illness|health\s+\w+|disorders?)|chronic\s+\w+|illness(?:es)?|"
                   r"injur(?:y|ies)|(?:back|knee|heart)\s+(?:problems|issues|conditions)|"
                   r"health\s+(?:issues|problems|conditions)|medical\s+conditions|hearing\s+(?:loss|impairment)|visual\s+"
                   r"impairment|impairments?|limp|stutter|wheelchairs?|crutches|prosthetics?)\b|\b(?:autistic|"
                   r"dyslexic|epileptic|diabetic|bipolar)\s+(?:people|candidates?|applicants?|employees?|persons?)\b"),
    ("disability", r"(?:장애|장애\s*등급|질환|지병|병력|정신\s*질환|정신과\s*이력|디스크|허리\s*디스크|당뇨|고혈압|우울증|공황\s*장애|"
                   r"약\s*복용|건강\s*문제)\s*(?:가|이)?\s*(?:있으면|있으신\s*분은?|있는\s*분은?|있는\s*사람은?|있는\s*분|있는\s*사람)"
                   r"\s*(?:은|는)?\s*(?:좀\s*)?(?:안|곤란|불가|제외|빼|말고|사절|어렵|어려울|어려워|힘들|힘드|부담|안\s*될)|"
                   r"(?:몸|체력|건강)\s*(?:이|가)?\s*약한|(?:몸|거동|다리|눈|귀|허리)\s*(?:이|가)?\s*(?:불편|"
                   r"안\s*좋|나쁜|아픈)|휠체어\s*(?:를\s*)?(?:타|사용|이용|쓰)\S*|(?:청각|시각|지체|지적|발달|정신)\s*장애\s*"
                   r"(?:가|이)?\s*(?:없|있는\s*(?:분|사람)\s*(?:은|는)?\s*(?:빼|제외|불가|말고))"),
    ("disability", r"신체\s*(?:건강|건장|조건|검사)|사지\s*(?:가\s*)?멀쩡|몸\s*(?:이|도)?\s*(?:건강|튼튼|멀쩡)|건강\s*(?:상태|이상)\s*"
                   r"(?:없|양호|좋)|(?:정신|정신과|정신\s*질환|정신질환|우울증|공황|병력|질병|지병|질환)\s*(?:치료\s*)?(?:이력|병력|"
                   r"경력|기록)?\s*(?:이|가)?\s*(?:없는|없으신|없고|있는\s*(?:분|사람)\s*(?:은|는)?\s*(?:빼|제외))|"
                   r"아픈\s*(?:데|곳)\s*(?:가|이)?\s*없|체력\s*(?:이|좋고|좋은|이\s*좋은|강한|튼튼)"),
    ("disability", r"\b(?:no|without(?:\s+(?:a|any))?|nobody\s+with(?:\s+(?:a|any))?|no\s+one\s+with(?:\s+(?:a|any))?|"
                   r"not|non|exclude|excluding|except)\s*(?:people\s+with\s+|those\s+with\s+|anyone\s+with\s+)?"
                   r"(?:(?:a|any)\s+)?(?:physical\s+|mental\s+)?(?:disabilit(?:y|ies)|disabled|handicap(?:ped|s)?|"
                   r"impairments?)\b|\bable[\s-]?bodied\b"),
    ("disability", r"\bphysically\s+(?:fit|healthy|strong|able|sound)\b|\bin\s+(?:good|great|perfect|excellent|top)\s+"
                   r"(?:physical\s+)?(?:health|shape|condition)\b|\b(?:good|great|perfect|excellent)\s+physical\s+"
                   r"(?:health|shape|condition)\b|\b(?:no|without(?:\s+any)?|free\s+of)\s+(?:\w+\s+)?(?:health\s+"
                   r"(?:issues|problems|conditions)|medical\s+conditions|illness(?:es)?|chronic\s+\w+)\b|"
                   r"\b(?:no|without\s+(?:a|any))\s+(?:history\s+of\s+)?(?:mental\s+illness|depression|anxiety|"
                   r"psychiatric\s+\w+|mental\s+health\s+\w+)\b|\bno\s+history\s+of\s+\w+(?:\s+\w+)?\b|"
                   r"\bdisability\s+status\s*(?::|must|required)|\b(?:disabled|handicapped)\s+(?:people|persons|"
                   r"applicants|candidates)\s+(?:not|can'?t|cannot|need\s+not)\b|\bwheelchair\s+users?\s+(?:can'?t|"
                   r"cannot|need\s+not|are\s+not|not|won'?t)\b|\bno\s+wheelchairs?\b|"
                   r"(?<![\w-])-?(?:disability|disabled|health|장애)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)"),
    # ---- sexual orientation and gender identity
    ("orientation", r"(?:성적\s*(?:지향|취향)|성\s*정체성|성별\s*정체성|성\s*지향)\s*(?:이|가|은|는|을|를)?\s*(?::\s*[가-힣A-Za-z]*|제한|조건|기준|"
                    r"확인|여부|정상|평범|필수|이성애|보고|봐서|중요)|동성애\s*(?:자)?\s*(?:는|은)?\s*(?:제외|불가|빼|말고|사절|안\s*됨)|"
                    r"(?:이성애자|비\s*성소수자)\s*(?:만|인|이신|이어야|우대|위주)|(?:성소수자|동성애자|트랜스젠더|게이|레즈비언|퀴어)\s*"
                    r"(?:가|이|는|은)?\s*(?:아닌|아니신|아니어야|아니면)"),
    ("orientation", r"\b(?:sexual\s+orientation|sexuality|gender\s+identity)\s*(?::|must|should|required|preference|check)|"
                    r"(?<![\w-])-?(?:orientation|sexuality|gender_identity|성적지향)\s*[:=](?:[^\s,;]+)|"
                    r"\b(?:straight|heterosexual|cisgender)\s+(?:only|men|women|guys?|girls?|people|candidates?|"
                    r"applicants?|folks?|persons?|employees?|staff|hires?)\b|\b(?:not|no|non-?)\s*(?:gay|queer|lgbtq?\+?|"
                    r"trans(?:gender)?)\b(?!\s+(?:rights|inclusion|health|issues|law|laws|community|customers?|market))"),
    # ---- appearance
    ("appearance", r"용모\s*(?:단정|준수|단정한|좋|가\s*좋|를\s*보)|(?:외모|용모|몸매)\s*(?:가|는|이|도|만)?\s*(?:좋|준수|단정|뛰어|"
                   r"괜찮|예쁘|예쁜|잘생|호감|중요|우선|위주|기준|심사|평가|제한|조건|요건|보고|봐서|봐야|보는|되는|받쳐|훌륭|필수|:)|"
                   r"(?:키|신장)\s*\d{3}\s*(?:cm|센티)?(?:\s*(?:이상|이하|미만|넘는|넘|정도|쯤|"
                   r"이상인|이하인|이상의))?|(?:키|신장)\s*(?:가|는)?\s*(?:큰|크고|작은|"
                   r"작지\s*않|\d)|(?:얼굴|외모|인상|사진|키|몸매|생김새|비주얼)\s*(?:을|를|만)?\s*(?:보고|봐서|봐야|보고서|보는)|"
                   r"(?:체중|몸무게)\s*(?:가|는)?\s*\d|(?:체중|몸무게)\s*(?:가|는)?\s*(?:적|가벼|많지)|날씬|"
                   r"미인|미모|훈남|훈녀|호감형|(?:인상|얼굴|몸매|비주얼|피부|체격|이미지)\s*(?:이|가)?\s*(?:좋|예쁘|예쁜|잘생|"
                   r"훌륭|괜찮|준수|하얀|뛰어난|작은|큰)|동안\s*(?:인|이신|외모)|예쁘장|이쁘장|(?:정상|표준|적정)\s*(?:체중|몸무게|체형)"),
    ("appearance", r"\b(?:normal|healthy|ideal|average|standard|proportionate)\s+(?:weight|height|bmi|build|body\s+type)\b|"
                   r"\bbmi\b|\bbody\s+mass\b|\b(?:thin|slim|fit|overweight|fat)\s+(?:build|frame|body)\b"),
    ("appearance", r"(?:증명\s*)?사진\s*(?:필수|첨부\s*필수|제출\s*필수)"),
    ("appearance", r"\bgood[\s-]?looking\b|\beasy\s+on\s+the\s+eyes?\b|\b(?:nice|good|great|slim|athletic|petite|fit)\s+"
                   r"(?:figure|body|build|physique|face|smile|looks)\b|\b(?:neat|good|pleasant|professional|attractive)\s+"
                   r"(?:appearance|looks)\b|\bphoto\s+(?:required|must)\b|\bprettiest\b|\bbest[\s-]looking\b|"
                   r"\b(?:height|weight)\s+\d{2,3}\b|\b(?:height|weight)\s*(?::|of|over|under|at\s+least|minimum|min|max|above|below|>|<)\s*"
                   r"\d[\d'\".,]*\s*(?:cm|kg|lbs?|ft|feet|inches)?|\b(?:at\s+least|over|min(?:imum)?)\s+\d[\d'\".]*\s*(?:cm|ft|feet|inches|kg|lbs?)?\s*tall\b|"
                   r"\b\d'\s?\d{1,2}\"?\s*(?:tall|or\s+taller)\b|\b(?:over|above|at\s+least|min(?:imum)?|taller\s+than|"
                   r"under|below|shorter\s+than)\s+1\d{2}\s*cm\b|(?<!lift\s)(?<!carry\s)(?<!lifting\s)(?<!move\s)"
                   r"\b(?:under|below|less\s+than|max(?:imum)?|at\s+most|not\s+over|lighter\s+than)\s+\d{2,3}\s*(?:kg|lbs?)\b|"
                   r"\b(?:nice|good|great|pleasant|pretty|beautiful|handsome|cute|attractive|lovely|friendly-looking|"
                   r"young-looking|fresh)\s+(?:face|faces|smile|complexion|skin|features|physique|figure)\b|"
                   r"(?<![\w-])-?(?:height|weight|looks|appearance|키|체중|외모)\s*[:=](?:[^\s,;]+|\s*[<>=]?\s*\d[^\s,;]*)"),
]
_COMPILED_RULES = [(category, re.compile(pattern, re.IGNORECASE)) for category, pattern in _RULES]

# Traits: criteria when they describe the person sought (attached, said of them, or filtered on).
_TRAITS_EN = {
    "age": r"young|younger|youngest|youthful|youngish|old|older|oldest|elderly|middle-aged|aged|mature",
    "appearance": r"pretty|prettier|handsome|attractive|beautiful|cute|hot|sexy|gorgeous|good-looking|slim|skinny|"
                  r"thin|fat|overweight|obese|tall|taller|short|petite|ugly|presentable|chubby|plump|stocky|lanky|bald|"
                  r"balding|well-groomed",
    "disability": r"healthy|disabled|handicapped|blind|deaf|able|fit|able-bodied",
    "marital": r"single|married|unmarried|divorced|widowed|engaged",
    "religion": r"religious|christian|muslim|buddhist|catholic|jewish|hindu|atheist|protestant|devout",
    "nationality": r"foreign|korean-born|foreign-born|white|black|asian|caucasian|hispanic|indian|chinese|japanese|"
                   r"korean|vietnamese|filipino|thai|indonesian|russian|american|african|european|arab|arabic|mexican|"
                   r"nigerian|pakistani|bangladeshi|mongolian|uzbek|nepali|nepalese",
    "sex": r"female|male|feminine|masculine",
    "orientation": r"gay|lesbian|bisexual|homosexual|heterosexual|straight|transgender|trans|nonbinary|non-binary|"
                   r"cisgender|queer|lgbt|lgbtq",
}
_TRAIT_EN = {w: c for c, words in _TRAITS_EN.items() for w in words.split("|")}
# Traits too common in other senses to count without a clear person ("able to travel", "short notice", "fit with the
# team", "hot desk", "old codebase"): only directly attached to a person or said of one.
_STRICT_TRAITS = {"able", "fit", "short", "hot", "old", "older", "aged", "black", "white", "engaged", "single", "mature",
                  "blind", "deaf", "thin", "presentable", "cute", "fat", "indian", "chinese", "japanese", "korean",
                  "vietnamese", "filipino", "thai", "indonesian", "russian", "american", "african", "european", "arab",
                  "arabic", "mexican", "nigerian", "pakistani", "bangladeshi", "mongolian", "uzbek", "nepali", "nepalese",
                  "foreign", "straight", "trans"}
_INTENSIFIERS = (r"(?:[a-z-]+\s*(?:,|and|or)\s+)?(?:(?:not|very|really|quite|fairly|relatively|reasonably|still|a\s+bit|"
                 r"somewhat|too|pretty|more|less|a|an|the|some|any|so|that|overly|super|kinda|rather)\s+){0,3}$")
# Said of the person sought ("who is young", "must be single", "candidates should be healthy").
_SAID_OF = re.compile(
    r"(?:\b(?:who|they|he|she|someone|somebody|anyone|anybody|candidates?|applicants?|people|person|hires?|one|"
    r"ones|employees?|staff|(?:someone|people|candidates?|applicants?|person|ones?)\s+that)\s+(?:is|are|was|were|be|being|'s|'re|must\s+be|should\s+be|need\s+to\s+be|needs\s+to\s+be|"
    r"has\s+to\s+be|have\s+to\s+be|would\s+be|will\s+be|isn'?t|aren'?t|can'?t\s+be|cannot\s+be|look|looks|seem|"
    r"seems|stay|stays|should\s+look|must\s+look|needs?\s+to\s+look)\s+|\b(?:he's|she's|they're|who's|that's|who're)\s+|"
    r"\b(?:must|should|has\s+to|have\s+to|needs?\s+to|ideally|preferably|would\s+rather|had\s+better|can'?t|"
    r"cannot)\s+be\s+)" + _INTENSIFIERS, re.IGNORECASE)
# Filtered on ("only young", "no married", "preferably tall").
_FILTER_BEFORE = re.compile(
    r"\b(?:preferably|ideally|only|prefer|preferring|want|wanted|need|needed|exclude|excluding|except|no|not|non-?|"
    r"nobody|none|skip|avoid|without|rather\s+not\s+have|nothing\s+but|strictly)\s+" + _INTENSIFIERS, re.IGNORECASE)
_AFTER_TRAIT_CRIT = re.compile(r"^\s*(?:-?only\b|ones?\b|-ish\b|ish\b|preferred\b|required\b|people\b|folks?\b|"
                               r"candidates?\b|blood\b|looking\b|enough\b|please\b|pls\b|[,.;!?)]|$)", re.IGNORECASE)

# Korean traits for the Kiwi pass: (lemma, tag prefix) -> category. Pairs are (noun, adjective lemma).
_TRAITS_KO = {("젊", "VA"): "age", ("어리", "VA"): "age", ("늙", "VV"): "age", ("늙", "VA"): "age",
              ("예쁘", "VA"): "appearance", ("이쁘", "VA"): "appearance", ("예쁘장", "XR"): "appearance",
              ("이쁘장", "XR"): "appearance", ("잘생기", "VA"): "appearance", ("잘생기", "VV"): "appearance",
              ("못생기", "VA"): "appearance", ("못생기", "VV"): "appearance", ("날씬", "XR"): "appearance",
              ("뚱뚱", "XR"): "appearance", ("통통", "XR"): "appearance", ("귀엽", "VA"): "appearance",
              ("아름답", "VA"): "appearance", ("섹시", "XR"): "appearance", ("섹시", "NNG"): "appearance",
              ("건장", "XR"): "disability", ("멀쩡", "XR"): "disability", ("튼튼", "XR"): "disability",
              ("건강", "NNG"): "disability"}
_PAIRS_KO = {"키": ("appearance", {"크", "작"}), "체격": ("appearance", {"좋", "크"}), "인상": ("appearance", {"좋"}),
             "얼굴": ("appearance", {"예쁘", "잘생기", "좋", "작", "하얗"}), "외모": ("appearance", None),
             "몸매": ("appearance", None), "몸": ("disability", {"건강", "튼튼", "좋", "멀쩡"}),
             "체력": ("disability", {"좋", "강하", "튼튼"}), "나이": ("age", {"어리", "젊", "적", "많", "들"})}
_KO_CONDITIONAL = {"으면", "면", "어야", "아야", "여야", "었으면", "았으면", "였으면"}


# ---- equal-opportunity statements ----------------------------------------------------------------------------------------
_EEO_BEFORE = re.compile(r"(?:regardless\s+of|irrespective\s+of|without\s+regard\s+to|no\s+matter|"
                         r"(?:do|does|will)\s+not\s+discriminate|don'?t\s+discriminate|equal\s+opportunit|"
                         r"(?:inclusion|inclusive)\s+(?:of|for)|welcome\s+(?:applicants|candidates|people|everyone)|"
                         r"all\s+(?:ages|genders|backgrounds)|관계\s*없이|상관\s*없이|차별\s*(?:없이|하지))", re.IGNORECASE)
_EEO_AFTER = re.compile(r"^(?:\s*[,·/및와과]\s*[가-힣A-Za-z ]{1,10}){0,5}\s*(?:과|와|이|가|에|은|는|를|을)?\s*"
                        r"(?:무관|불문|관계\s*없|상관\s*없|차별\s*(?:없|하지|금지)|(?:do(?:es)?\s+)?not\s+matter|없는|없이|없음|폐지|"
                        r"doesn'?t\s+matter|is\s+irrelevant|are\s+irrelevant)|^(?:\s+[\w-]+){0,2}\s+(?:are|is)\s+(?:very\s+)?"
                        r"(?:welcome|encouraged|invited)|^(?:\s+[\w-]+){0,2}\s+(?:may|can|will)\s+(?:find|contact|use|receive|"
                        r"get\s+(?:help|support))\b", re.IGNORECASE)


_WINDOW = 400      # how far back a context may reach: keeps the check linear in the length of the text


def _sentence_before(text: str, start: int) -> str:
    lo = max(0, start - _WINDOW)
    cut = max(text.rfind(mark, lo, start) for mark in (".", "!", "?", "\n", "。"))
    return text[max(cut + 1, lo):start]


def _is_eeo(text: str, start: int, end: int) -> bool:
    return bool(_EEO_BEFORE.search(_sentence_before(text, start)) or _EEO_AFTER.match(text[end:end + 40]))


# ---- skills and fields (the shipped taxonomy, loaded once) ------------------------------------------------------------
@lru_cache(maxsize=1)
def default_extractor():
    from core.skills import SkillExtractor, load_taxonomy

    return SkillExtractor(load_taxonomy())


def _is_skill_word(word: str) -> bool:
    from core.text import squash

    surfaces = default_extractor().taxonomy.by_surface
    key = squash(word)
    return len(key) >= 2 and key in surfaces


def _is_field_en(word: str) -> bool:
    w = word.lower().strip(",")
    return (w in _FIELDS_EN or _is_skill_word(w)
            or bool(re.fullmatch(r"[a-z]+(?:ive|ic|ful|ous|ent|ant|ical|ary)", w)) and w not in _DOMAIN_AFTER_EN)


_PERSON_TERM_WORD = re.compile(r"women|woman|females?|males?|men|man|girls?|boys?|ladies|lady|guys?")


# ---- English: attachment of traits and person terms ------------------------------------------------------------------
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|[가-힣]+|[,&/]")


def _words_after(text: str, end: int, most: int = 6) -> list[tuple[str, int, int]]:
    """The next words of the same clause."""
    out = []
    for m in _WORD.finditer(text, end):
        between = text[end if not out else out[-1][2]:m.start()]
        if re.search(r"[.;:!?()\n—–]", between):
            break
        out.append((m.group(0), m.start(), m.end()))
        if len(out) >= most:
            break
    return out


def _korean_person_word(word: str) -> bool:
    for noun in sorted(_PERSON_KO, key=len, reverse=True):
        if len(noun) >= 2 and word.startswith(noun) and re.fullmatch(
                r"(?:들)?(?:만|은|는|이|가|을|를|도|으로|로|과|와|이나|의|중에?서?|이면|이어야|이었으면|였으면|인|이신|"
                r"으로만|로만|분|님|들)?", word[len(noun):]):
            return True
    return False


def _is_anchor(word: str) -> bool:
    w = word.lower()
    return w in _ANCHORS_EN or _korean_person_word(word)


def _head_after(text: str, end: int, allow_fields: bool = True) -> str:
    """What a modifier at `end` describes: 'anchor' (a person or a role), 'domain' (a product, market, topic...) or ''
    (nothing: the clause ends). Joining words are skipped."""
    return _head_word_after(text, end, allow_fields)[0]


def _head_word_after(text: str, end: int, allow_fields: bool = True, skip_protected: bool = False) -> tuple[str, str]:
    """As _head_after, with the head word; `skip_protected` also skips other protected words ("male/female
    connector" describes a connector)."""
    for word, _, _ in _words_after(text, end):
        w = word.lower()
        if w.startswith("'"):
            return "domain", w
        if w in ("/", "&", ",", "and", "or") or (skip_protected and (w in _TRAIT_EN or _PERSON_TERM_WORD.fullmatch(w))):
            continue
        if _is_anchor(word):
            return "anchor", w
        if w in _TRAIT_EN or _PERSON_TERM_WORD.fullmatch(w):
            continue
        if allow_fields and (_is_field_en(w) or (re.fullmatch(r"[가-힣]+", word) and _korean_field(word))):
            continue
        return "domain", w
    return "", ""


def _korean_domain_word(word: str) -> bool:
    return any(word == d or (word.startswith(d) and re.fullmatch(
        r"(?:들)?(?:을|를|이|가|은|는|의|에|에서|으로|로|과|와|도|만)?", word[len(d):])) for d in _DOMAIN_AFTER_KO)


def _korean_field(word: str) -> bool:
    return word in _FIELDS_KO or _is_skill_word(word)


def _target_before(text: str, start: int) -> bool:
    before = _sentence_before(text, start)
    m = _TARGET_BEFORE.search(before)
    if not m:
        # "products for women": "for" after a thing is a market; "a role for women" is a criterion
        m2 = re.search(r"\b(\w+)\s+for\s+(?:(?:the|our|young|older|working|new|\w+ing)\s+)?$", before, re.IGNORECASE)
        return bool(m2) and m2.group(1).lower() not in _JOB_NOUNS and not _is_anchor(m2.group(1)) and \
            m2.group(1).lower() not in ("only", "just", "one", "someone", "looking", "search", "searching", "hire",
                                        "hiring", "jd", "ad", "posting", "prefer", "want", "need", "is", "be", "are",
                                        "reserved")
    return True


def _english_issues(text: str) -> list[Issue]:
    issues: list[Issue] = []
    # kinds of people
    for category, words in _PERSON_TERMS_EN.items():
        for m in re.finditer(rf"(?<![\w-])(?:{words})(?![\w-])", text, re.IGNORECASE):
            start, end = m.span()
            after = text[end:end + 3]
            if after.startswith("'s") or after.startswith("s'"):
                if _head_after(text, end + 2, allow_fields=False) != "anchor":
                    continue                     # women's health, men's grooming
            kind, word = _head_word_after(text, end, allow_fields=False, skip_protected=True)
            if kind == "domain" and word in _DOMAIN_AFTER_EN and not _after_crit(text, end) and \
                    _head_word_after(text, end, allow_fields=True, skip_protected=True)[0] != "anchor":
                continue         # "women apparel", "male/female connector", "Christian publishing" (not "women product
                                 # managers": a field word before a role)
            if re.match(r"[\s-]+in[\s-]+(?:tech|stem|engineering|leadership|business|science|computing)\b(?![\s-]+(?:team|"
                        r"roles?|positions?|jobs?))", text[end:], re.IGNORECASE) and \
                    not _FILTER_BEFORE.search(text[max(0, start - 40):start]):
                continue                         # "women in tech meetup organizer"
            if category == "sex" and re.fullmatch(r"guys?", m.group(0), re.IGNORECASE) and (re.search(
                    r"\b(?:you|hey|hi|thanks|thank\s+you|ok|okay|morning|all|dear)\s*,?\s*$", text[max(0, start - 40):start],
                    re.IGNORECASE) or (not text[:start].strip() and text[end:end + 20].lstrip().startswith(","))):
                continue                         # "hey guys", "you guys", "Guys, ..."
            if category == "sex" and m.group(0).lower() == "man" and not re.search(
                    r"\b(?:a|one|the|some|young|old|older|strong|prefer|want|need|hire|only)\s+$", text[max(0, start - 40):start],
                    re.IGNORECASE):
                continue                         # "man the booth", "Isle of Man"
            if _target_before(text, start):
                continue
            issues.append(Issue(category, m.group(0), start, end))
    # traits
    for m in re.finditer(r"(?<![\w-])(" + "|".join(sorted(_TRAIT_EN, key=len, reverse=True)) + r")(?![\w-])", text,
                         re.IGNORECASE):
        word = m.group(1).lower()
        category = _TRAIT_EN[word]
        start, end = m.span()
        before = text[max(0, start - 60):start]
        strict = word in _STRICT_TRAITS
        if _target_before(text, start):
            continue
        # "male/female connector": a pair of protected words describes what follows the pair
        paired = bool(re.match(r"\s*(?:/|&|and\b|or\b)\s*[A-Za-z-]+", text[end:], re.IGNORECASE)) and \
            bool(_PERSON_TERM_WORD.fullmatch(re.match(r"\s*(?:/|&|and\b|or\b)\s*([A-Za-z-]+)", text[end:],
                                                      re.IGNORECASE).group(1).lower()))
        attached = _head_word_after(text, end, allow_fields=not strict, skip_protected=paired)[0] == "anchor" \
            if not strict else \
            bool(_words_after(text, end, 1)) and _is_anchor(_words_after(text, end, 1)[0][0])
        said_of = bool(_SAID_OF.search(before)) or (bool(_FILTER_BEFORE.search(before)) and (
            _after_crit(text, end) or (not strict and _head_after(text, end) != "domain")))   # not "no young children"
        after_person = bool(re.search(r"\b(?:someone|somebody|anyone|anybody|nobody|no\s+one|people|candidates|"
                                      r"folks|ones?)\s+$", before, re.IGNORECASE)) and (
            not strict or bool(re.match(r"\s*(?:$|[,.;!?]|(?:on|in|at|for|who|with|enough|only|please|pls)\b)",
                                        text[end:], re.IGNORECASE)))
        if category == "nationality" and re.search(
                r"(?:\b(?:bilingual|fluent|fluency|speaks?|speaking|spoken|language|languages|in|native-level|business)\s+"
                r"(?:\w+\s+){0,2}|\b(?:english|korean|japanese|chinese|spanish|french|german|vietnamese|thai|russian|"
                r"arabic|mandarin)\s*(?:and|or|&|/|,)\s*)$", before, re.IGNORECASE):
            continue          # "bilingual English and Korean recruiter": a language, not a nationality
        if word in ("able", "fit") and not re.match(r"[\s-]*bodied", text[end:]):
            continue          # "able to travel", "a good fit": able-bodied is a rule of its own
        if word == "single" and re.match(r"\s*-?\s*(?:sign|page|source|point|pane|threaded|digit|tenant|use|"
                                         r"origin|file|instance|market|product|team)", text[end:], re.IGNORECASE):
            continue
        if attached and not said_of and not after_person and _anchor_modifies_domain(text, end):
            continue          # "young professionals network", "women engineers program": a programme, not a person
        if attached or said_of or after_person:
            issues.append(Issue(category, m.group(0), start, end))
    return issues


def _anchor_modifies_domain(text: str, end: int) -> bool:
    words = _words_after(text, end, 6)
    for k, (word, _, _) in enumerate(words):
        if _is_anchor(word):
            return k + 1 < len(words) and words[k + 1][0].lower() in _DOMAIN_AFTER_EN
    return False


def _after_crit(text: str, end: int) -> bool:
    return bool(_AFTER_TRAIT_CRIT.match(text[end:end + 14]))


# ---- Korean: Kiwi morphemes -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Morpheme:
    form: str
    tag: str
    start: int
    len: int


_KIWI_PIECE = 120     # Kiwi slows down on long runs without spaces; pieces keep the check linear


def _kiwi_tokens(text: str) -> list[_Morpheme]:
    """Kiwi morphemes of the text, with offsets into it; analysed in pieces cut at spaces."""
    from core.text import _KiwiHolder

    pieces, offsets, pos = [], [], 0
    while pos < len(text):
        end = min(len(text), pos + _KIWI_PIECE)
        if end < len(text):
            space = text.rfind(" ", pos + 1, end)
            end = space if space > pos else end
        if re.search(r"[가-힣]", text[pos:end]):
            pieces.append(text[pos:end])
            offsets.append(pos)
        pos = end
    if not pieces:
        return []
    analysed = _KiwiHolder.get().tokenize(pieces)
    return [_Morpheme(t.form, t.tag, t.start + offset, t.len) for toks, offset in zip(analysed, offsets) for t in toks]


def _is_person_token(tok) -> bool:
    form = tok.form
    if tok.tag.startswith("SL"):
        return _is_anchor(form)
    if tok.tag == "XSN" and form in ("자", "인", "원"):
        return True
    return form in _PERSON_KO


def _is_field_token(tok) -> bool:
    if tok.tag.startswith("SL"):
        return _is_field_en(tok.form) and not _is_anchor(tok.form)
    return tok.form in _FIELDS_KO or (tok.tag.startswith("NN") and _is_skill_word(tok.form))


def _modified_head(tokens, i: int) -> str:
    """What a Korean modifier ending at token i describes: 'person', 'thing', 'predicate' (said of someone:
    "잘생겼으면", "나이가 어렸으면") or ''."""
    j = i + 1
    n = len(tokens)
    # the modifier's own endings: 하(XSA) 시/었(EP) ㄴ/은/는(ETM), or 고/며 joining another modifier
    while j < n:
        tok = tokens[j]
        if tok.tag in ("XSA", "XSV", "EP", "VCP") or (tok.tag == "XSN" and tok.form in ("적", "스럽")):
            j += 1
            continue
        if tok.tag == "ETM":
            j += 1
            break
        if tok.tag == "EC" and tok.form == "지" and j + 1 < n and tokens[j + 1].form in ("않", "못"):
            j += 2            # "뚱뚱하지 않은": the negation still describes the person
            continue
        if tok.tag == "EC" and tok.form in ("고", "며", "면서", "이고"):
            j += 1
            # skip the next modifier (another adjective, "열정적인", "키 크고")
            while j < n and tokens[j].tag in ("VA", "XR", "NNG", "MAG", "XSA", "XSN", "VCP", "EP", "VV", "NNP",
                                               "SL") and not _is_person_token(tokens[j]):
                if tokens[j].tag in ("NNG", "NNP", "SL") and j + 1 < n and tokens[j + 1].tag.startswith("J"):
                    break
                j += 1
                if j < n and tokens[j].tag == "ETM":
                    break
            continue
        if tok.tag == "EC" and tok.form in _KO_CONDITIONAL or tok.tag == "EF" or \
                (tok.tag == "EC" and tok.form in ("어", "아", "게")) and j + 1 < n and tokens[j + 1].tag in ("VX",):
            return "predicate"
        if tok.tag in ("EC", "EF"):
            return "predicate" if tok.form in _KO_CONDITIONAL else ""
        break
    # the noun it modifies, skipping field words ("젊은 백엔드 개발자") and further modifiers
    skipped = 0
    while j < n and skipped < 6:
        tok = tokens[j]
        if _is_person_token(tok):
            return "person"
        if tok.tag in ("ETM", "XSA", "VCP", "EP", "SP", "SS") or tok.tag in ("VA", "XR") or (
                tok.tag == "XSN" and tok.form == "적"):
            j += 1
            continue
        if _is_field_token(tok):
            j += 1
            skipped += 1
            continue
        return "thing" if tok.tag.startswith(("NN", "SL", "SH")) else ""
    return ""


# Roots that mean the trait whatever tag Kiwi gives them (뚱뚱 comes back as MAG, XR or NNG).
_TRAITS_KO_ANY_TAG = {"뚱뚱": "appearance", "날씬": "appearance", "통통": "appearance", "예쁘장": "appearance",
                      "이쁘장": "appearance", "잘생기": "appearance", "못생기": "appearance", "건장": "disability",
                      "멀쩡": "disability", "튼튼": "disability", "섹시": "appearance"}


# After a kind of person: particles (the whole rest of the word) or a marker that makes it a criterion.
_KO_CRITERION_AFTER = re.compile(
    r"(?:들)?(?:만|은|는|이|가|을|를|도|으로|로|이나|이면|이어야|였으면|이었으면|인|이신|중|쪽|분|님|이랑|랑|하고|과|와|이거나|"
    r"거나|이어도|이라도|일|인지|분들|분이|분은|분만|분으로|분이었으면|분이면|으로만|로만|은\s*좀|는\s*좀)*$|"
    r"(?:우대|선호|위주|우선|한정|제외|불가|사절|채용|빼|말고|환영|금지|아닌|아니|x$|X$|NO$|직원|사원)")


def _next_is_noun(tokens, end: int) -> bool:
    """Whether the first morpheme after `end` is a noun ("여성 의류") rather than a verb or ending ("여직원 찾아줘")."""
    for tok in tokens:
        if tok.start >= end:
            return tok.tag.startswith(("NN", "SL", "SH", "XR"))
    return False


def _korean_issues(text: str) -> list[Issue]:
    if not re.search(r"[가-힣]", text):
        return []
    tokens = _kiwi_tokens(text)
    issues: list[Issue] = []
    for i, tok in enumerate(tokens):
        key = (tok.form, tok.tag[:2] if tok.tag.startswith("V") else tok.tag)
        category = _TRAITS_KO.get((tok.form, tok.tag)) or _TRAITS_KO.get(key) or _TRAITS_KO_ANY_TAG.get(tok.form)
        start = tok.start
        if category is None:
            pair = None
            for back in (1, 2, 3):          # "키 큰", "키가 큰", "키가 좀 컸으면"
                if i - back < 0:
                    break
                prev = tokens[i - back]
                if prev.form in _PAIRS_KO:
                    pair, start = _PAIRS_KO[prev.form], prev.start
                    break
                if not (prev.tag.startswith("J") or prev.tag == "MAG"):
                    break
            if pair and ((pair[1] is None and tok.tag in ("VA", "XR")) or
                         (pair[1] is not None and tok.tag in ("VA", "VV", "XR", "NNG") and tok.form in pair[1])):
                category = pair[0]
            else:
                continue
        if tok.form == "건강" and not (i + 1 < len(tokens) and tokens[i + 1].tag == "XSA"):
            continue        # 건강보험, 건강기능식품: a domain, not "healthy"
        head = _modified_head(tokens, i)
        if head in ("person", "predicate"):
            end = tok.start + tok.len
            k = i + 1
            while k < len(tokens) and tokens[k].tag in ("XSA", "EP", "ETM", "EC", "VCP") and \
                    tokens[k].start <= end + 1:
                end = tokens[k].start + tokens[k].len
                if tokens[k].tag in ("ETM", "EC"):
                    break
                k += 1
            if _is_eeo(text, start, end):
                continue
            issues.append(Issue(category, text[start:end], start, end))
    # kinds of people ("여성", "외국인", "기혼자"): criteria unless a market or domain follows
    for category, words in _PERSON_TERMS_KO.items():
        for m in re.finditer(rf"(?:{words})", text):
            start, end = m.span()
            rest = text[end:end + 12]
            nxt = re.match(r"\s*(?:의\s*)?([가-힣]+)", rest)
            following = nxt.group(1) if nxt else ""
            if re.match(r"(?:를|을)?\s*(?:위한|대상|타깃|타겟|상대|겨냥)", rest.strip()):
                continue                         # "임산부 대상", "여성을 위한": a market
            refused_outright = re.match(r"\s*(?:의\s*)?(?:지원|채용|고용|응시|입사)\s*(?:은|는)?\s*(?:불가|금지|제한|사절|불허|안\s*(?:됨|돼|함|해)|"
                                        r"받지\s*않|하지\s*않)", text[end:end + 24])
            if following and _korean_domain_word(following) and not refused_outright:
                continue                         # "여성 의류", "장애인 고용", "원어민 수준", "장애인 접근성"
            if re.match(r"\s*(?:의\s*)?(?:근로자|노동자|인력|직원|유학생)?\s*(?:채용|고용)\s*(?:제도|정책|확대|목표|비율|할당|의무|담당|업무|프로그램|지원|캠페인|"
                        r"활성화|촉진|현황|통계)", rest) or (category == "disability" and re.match(r"\s*(?:채용|고용)", rest)):
                continue                         # "장애인 채용 제도", "여성 고용 확대 정책": a programme, not a criterion
            if following and not _korean_person_word(following) and following not in _FIELDS_KO and \
                    not _is_skill_word(following) and not _KO_CRITERION_AFTER.match(following) and \
                    _next_is_noun(tokens, end) and not refused_outright:
                continue                         # "여성 의류", "장애인 고용", "원어민 수준", "외국인 고객"
            if _is_eeo(text, start, end):
                continue
            issues.append(Issue(category, m.group(0), start, end))
    return issues


# ---- all of it --------------------------------------------------------------------------------------------------------------
def discriminatory_spans(text: str) -> list[Issue]:
    """Protected attributes used as criteria, each with its category; equal-opportunity statements, targets and
    domains excluded."""
    text = _normal(text)
    found: list[Issue] = []
    for category, pattern in _COMPILED_RULES:
        for match in pattern.finditer(text):
            start, end = match.span()
            while start < end and text[start].isspace():
                start += 1
            if start >= end or _is_eeo(text, start, end):
                continue
            found.append(Issue(category, text[start:end].strip(), start, end))
    found.extend(i for i in _english_issues(text) if not _is_eeo(text, i.start, i.end))
    found.extend(_korean_issues(text))
    issues: list[Issue] = []
    for issue in sorted(found, key=lambda i: (i.start, -(i.end - i.start))):
        if any(o.category == issue.category and o.start <= issue.start and issue.end <= o.end for o in issues):
            continue          # the same words found twice for one ground count once
        issues = [o for o in issues if not (o.category == issue.category and issue.start <= o.start
                                            and o.end <= issue.end)]
        issues.append(issue)
    return sorted(issues, key=lambda i: i.start)


# ---- the lawful rewording ---------------------------------------------------------------------------------------------------
_EXCLUDE_EN = (r"(?:(?:who|that)\s+(?:won'?t|will\s+not|isn'?t|aren'?t|doesn'?t|don'?t|is\s+not|are\s+not)|won'?t|"
               r"will\s+not|exclude|excluding|except(?:\s+for)?|but\s+not|not|no|non-?|nobody|no\s+one|none\s+of|without(?:\s+any)?|"
               r"skip(?:ping)?|avoid(?:ing)?|minus|other\s+than|rather\s+not\s+have|would\s+rather\s+not\s+have|"
               r"don'?t\s+want|do\s+not\s+want|never)")
_LEFT_EN = re.compile(
    rf"(?:\b{_EXCLUDE_EN}\s+(?:(?:any(?:one|body)?|people|persons?|candidates?|applicants?|those|them|folks|someone|"
    r"employees?|staff)\s+)?(?:(?:who|that)\s+(?:is|are|'s|'re)\s+|who's\s+|who're\s+|with\s+(?:a\s+|any\s+)?|"
    r"(?:that|who)\s+(?:has|have)\s+(?:a\s+|any\s+)?)?(?:(?:a|an|the|any)\s+)?)$", re.IGNORECASE)
_PRED_EN = re.compile(r"(?:\b(?:(?:who|that)\s+(?:is|are|'s|'re)|who's|who're|(?:must|should|has\s+to|have\s+to|"
                      r"needs?\s+to|would)(?:\s+be)?|ideally|preferably|only|strictly|just|prefer(?:ably|red)?|"
                      r"i'?d\s+prefer|we'?d\s+prefer|we\s+want|i\s+want|want|be)\s+(?:(?:a|an|the|some)\s+)?)+$",
                      re.IGNORECASE)
_RIGHT_EN = re.compile(r"^(?:\s*(?:-?\s*only|preferred|required|a\s+must|needed|wanted|please|pls|first|ideally|soon|"
                       r"any\s*time\s+soon|right\s+now|currently|at\s+the\s+moment|in\s+the\s+next\s+(?:\w+\s+)?"
                       r"(?:years?|months?)|for\s+now|"
                       r"need\s+not\s+apply|(?:will\s+)?not\s+be\s+considered|(?:can'?t|cannot|won'?t)\s+be\s+"
                       r"considered|excluded|not\s+allowed|please\s+skip|ones?|or\s+younger|or\s+older|and\s+under|"
                       r"and\s+over)\b)+", re.IGNORECASE)
# Particles attached to a Korean criterion ("30대*의*", "여성*만*", "미혼*인*"), then whole words that only serve it
# ("위주로", "우대", "은 빼고", "였으면 좋겠어요").
_RIGHT_KO_ATTACHED = re.compile(
    r"^(?:(?:중반쯤|중반|쯤|정도|인|이신|의|은|는|이|가|을|를|도|만|으로|로|이면|이어야|여야|였으면|이었으면|일|"
    r"으로만|로만|이나|거나|이고|이며|이라도|이어도|들|들은|들이|분|인지|한|하신|하고|된|스러운|적인|있는|없는|좋은|고)+"
    r"(?=$|[\s,.!?~]))?")
_RIGHT_KO_WORDS = re.compile(
    r"^(?:\s*(?:되는|된|인|이신|(?:위주|우대|선호|우선|한정|제외|빼|말고|불가|사절|좋겠|좋을|좋아|원해|원함|쪽)[가-힣]*|"
    r"중에서?|(?:분|사람|인재|친구|애들|애|분들|사람들)(?:이면|이었으면|이어야|으로|로|만|이|을|를|은|는|중에|위주로?)?|"
    r"안\s*돼\S*|안\s*됨|좀|는\s*좀|은\s*좀|이었으면|였으면|됐으면|했으면|했으면\s*해요)(?=$|[\s,.!?~]))+")
_CLAUSE_SPLIT = re.compile(r"(\s*[,;:()\n—–]\s*|\s*[.!?](?:\s+|$)|\s+-\s+)")
_EMPTY_CLAUSE = re.compile(
    r"^(?:hey|hi|pls|please|and|or|but|so|also|ideally|preferably|only|just|then|that's\s+all|thanks|tbh|lol|the|a|an|"
    r"with|for|who|that|is|are|be|not|no|nobody|none|people|anyone|someone|candidates?|ones?|folks|them|those|"
    r"i'?d\s+prefer|we'?d\s+prefer|we\s+want|i\s+want|prefer|want|rather|would|i|we|you|it|to|of|in|on|at|"
    r"그리고|좀|요|은|는|이|가|을|를|만|중에|쪽|위주로|으로|로|사람|분|친구|찾아줘|보여줘|[~!?.,\s])*$", re.IGNORECASE)
_EDGE_EN = re.compile(r"(?:^(?:\s*(?:but|and|or|also|so|ideally|preferably|please|pls|who|that|with|for|of|"
                      r"is|are)\b)+|(?:\b(?:but|and|or|also|so|ideally|preferably|please|pls|who|that|which|with|"
                      r"for|of|is|are|be|the|a|an|only|just|than|like|prefer|want|rather|no|not|must|should|"
                      r"can|need|needs|has|have|applicants?|candidates?)\s*)+$)",
                      re.IGNORECASE)


def _content_words(text: str) -> list[str]:
    from core.text import content_terms, tokenize_line

    generic = {"find", "찾", "보여", "주", "추천", "사람", "분", "친구", "people", "candidates", "someone", "anyone",
               "please", "pls", "hey", "ideally", "preferably", "only", "search", "show", "찾아줘", "좋", "원하", "싶",
               "prefer", "rather", "would", "write", "jd", "draft", "make", "create", "add", "put", "give", "looking",
               "look", "pull", "get", "got", "any", "some", "folks", "쓰", "써", "작성", "만들", "넣", "추가", "좀",
               "because", "travel", "like", "tbh", "lol", "thanks", "can", "could", "should"}
    return [t for t in content_terms(tokenize_line(text)) if t not in generic and len(t) > 1 or t in ("c", "r")]


def _expand(text: str, issue: Issue, korean: bool) -> tuple[int, int, str]:
    """(start, end, replacement) of what to remove for one issue: the criterion and the words that only serve it
    ("only", "preferred", "exclude people", "은 빼고", "만")."""
    start, end = issue.start, issue.end
    lo = max(0, start - _WINDOW)
    before = text[lo:start]
    excluded = _LEFT_EN.search(before)
    if excluded and excluded.group(0).strip():
        start = lo + excluded.start()
    else:
        pred = _PRED_EN.search(before)
        if pred and pred.group(0).strip() and (_head_after(text, end, allow_fields=True) != "anchor"):
            start = lo + pred.start()
    right = _RIGHT_EN.match(text[end:])
    if right:
        end += right.end()
    if korean or re.search(r"[가-힣]", issue.matched):
        end += _RIGHT_KO_ATTACHED.match(text[end:]).end()
        words = _RIGHT_KO_WORDS.match(text[end:])
        if words:
            end += words.end()
    # "young and energetic", "젊고 열정적인": the joining word goes with it
    join = re.match(r"^\s*(?:and|or|&|,)\s+(?=\w)", text[end:], re.IGNORECASE)
    if join and issue.category in ("age", "appearance", "disability", "marital") and issue.matched.lower() in _TRAIT_EN:
        end += join.end()
    if korean:        # "더 젊은", "좀 어린": the adverb goes too
        lo = max(0, start - 40)
        adverb = re.search(r"(?:(?:좀|조금|더|가장|제일|아주|매우|너무|많이)\s*)+$", text[lo:start])
        if adverb:
            start = lo + adverb.start()
    replacement = ""
    # a kind of person as the head of the phrase ("women for the support team", "fresh blood on the team"): a neutral
    # word keeps the sentence
    nouns = _PERSON_TERMS_EN.get(issue.category, "") + r"|(?:fresh|young|new)\s+blood|digital\s+natives"
    if not korean and re.fullmatch(rf"(?:{nouns})", issue.matched, re.IGNORECASE) and \
            _head_after(text, issue.end, allow_fields=True) != "anchor" and start == issue.start:
        replacement = "people"
    return start, end, replacement


def lawful_rewording(text: str, issues: list[Issue] | None = None) -> str:
    """The request without its discriminatory criteria: the role, skills, place of work and experience kept, nothing
    added. Checked again until nothing is left to remove; empty when nothing lawful is left to ask for."""
    original = _normal(text).strip()
    current = original
    for _ in range(3):
        found = discriminatory_spans(current) if issues is None or current is not original else issues
        if not found:
            break
        current = _remove(current, found)
        issues = None
    if discriminatory_spans(current) or not [w for w in _content_words(current) if w not in _STRUCTURE_WORDS]:
        return ""
    # an emptied quote goes ("looking for a '' for the logistics lead"); what remains must still ask for something
    # ("add 'women only' to the requirements" leaves nothing)
    current = re.sub(r"\s*['\"“”‘]\s*(?:[\w-]+\s*)?['\"“”’](?=\s|$|[,.])",
                     lambda m: m.group(0) if [w for w in _content_words(m.group(0)) if w not in _STRUCTURE_WORDS] else "",
                     current)
    current = _tidy(current, original)
    if not [w for w in _content_words(current) if w not in _STRUCTURE_WORDS]:
        return ""
    return current


# Words that say where something goes in a JD, not what: a rewording made only of them asks for nothing.
_STRUCTURE_WORDS = {"요건", "자격요건", "자격", "조건", "요구", "사항", "요구사항", "우대", "우대사항", "추가", "넣", "requirement",
                    "requirements", "preferred", "qualifications", "qualification", "section", "섹션", "add", "to",
                    "applicants", "applicant", "넣어", "추가해", "해", "항목", "문구", "phrase", "line", "내용"}


def _remove(text: str, issues: list[Issue]) -> str:
    korean = bool(re.search(r"[가-힣]", text))
    spans = sorted((_expand(text, i, korean) for i in issues), key=lambda s: s[0])
    out, last = [], 0
    for start, end, replacement in spans:
        if start < last:
            start = last
        if end <= start:
            continue
        out.append(text[last:start])
        if replacement and not re.search(r"\bpeople\s*$", "".join(out)):
            out.append(replacement + (" " if end < len(text) and not text[end].isspace() else ""))
        last = end
    out.append(text[last:])
    return _tidy("".join(out), text)


def _tidy(text: str, original: str) -> str:
    parts = _CLAUSE_SPLIT.split(text)
    clauses = parts[0::2]
    seps = parts[1::2] + [""]
    kept = []
    for clause, sep in zip(clauses, seps):
        clause = re.sub(r"\s{2,}", " ", clause).strip()
        clause = _EDGE_EN.sub("", clause).strip()
        clause = re.sub(r"^(?:은|는|이|가|을|를|좀|만|중에|그리고)\s+", "", clause)
        if not clause or _EMPTY_CLAUSE.match(clause):
            continue
        kept.append((clause, sep))
    out = ""
    for k, (clause, sep) in enumerate(kept):
        out += clause
        if k < len(kept) - 1:
            sep = sep.strip() if sep.strip() and sep.strip() not in "()" else ","
            out += (" " + sep + " ") if sep in "—–-" else sep + " "
    out = re.sub(r"\s+([,.!?])", r"\1", out).strip(" ,;:-")
    out = re.sub(r"\b([Aa])n? (?=[A-Za-z])", lambda m: m.group(1) + ("n " if False else " "), out)
    out = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", out)
    out = re.sub(r"\b([Aa])n (?=[^aeiouAEIOU\W])", r"\1 ", out)
    if original[:1].isupper() and out[:1].islower():
        out = out[0].upper() + out[1:]
    return out.strip()


# ---- injection and off-topic ---------------------------------------------------------------------------------------------
_INJECTION = re.compile("|".join([
    r"\bignore\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|preceding|"
    r"original|system)?\s*(?:instructions|rules|prompts?|guidelines|directions|guardrails|constraints)",
    r"\bdisregard\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+|earlier\s+)?"
    r"(?:instructions|rules|guidelines|prompts?)",
    r"\bforget\s+(?:all\s+|everything\s+|your\s+)?(?:previous\s+|prior\s+|above\s+)?(?:instructions|rules|you\s+were\s+told)",
    r"\b(?:reveal|show|print|output|repeat|display|tell\s+me|give\s+me|what\s+(?:is|are))\s+(?:me\s+)?(?:your|the)\s+"
    r"(?:initial\s+|original\s+|hidden\s+|secret\s+)?(?:system\s+)?(?:prompt|instructions|rules|system\s+message)",
    r"\bsystem\s+prompt\b", r"\byou\s+are\s+now\b", r"\bfrom\s+now\s+on,?\s+(?:you|ignore|act|pretend|respond)",
    r"\bpretend\s+(?:to\s+be|you\s+are|you'?re|that\s+you)", r"\bjailbreak", r"\bDAN\b", r"\bdeveloper\s+mode\b",
    r"\bdo\s+anything\s+now\b", r"\bno\s+(?:restrictions|rules|filters)\b",
    r"\bact\s+as\s+(?:an?\s+)?(?:unrestricted|unfiltered|jailbroken|different|evil|uncensored)",
    r"\b(?:override|bypass|disable|turn\s+off)\s+(?:the\s+|your\s+|all\s+)?(?:rules|instructions|safety|filters?|"
    r"guardrails?|restrictions)",
    r"\binclude\s+(?:the\s+)?(?:confidential|sensitive|internal|secret)\s+(?:names?|information|code\s*names?|projects?)",
    r"<\|?\s*(?:im_start|system|endoftext)\s*\|?>", r"\[/?(?:INST|SYS)\]", r"^\s*#{2,}\s*(?:system|instruction)",
    r"</?\s*(?:system|instructions?)\s*>",
    r"시스템\s*프롬프트", r"프롬프트\s*(?:를|을)?\s*(?:보여|알려|출력|공개|무시|유출)",
    r"(?:위의?|앞의?|이전의?|기존의?|지금까지의?|원래의?)\s*(?:모든\s*)?(?:지시|명령|지침|규칙|설정|프롬프트|안내)\s*(?:사항)?\s*"
    r"(?:은|는|을|를|다|들을|들은)?\s*(?:모두\s*|전부\s*|다\s*)?(?:무시|잊|따르지|버려|취소)",
    r"(?:지시|명령|지침|규칙)\s*(?:을|를|은|는)?\s*(?:모두\s*|전부\s*)?(?:무시하고|무시해|잊어)",
    r"너는\s*이제|넌\s*이제|이제부터\s*(?:너는|넌|당신은)|당신은\s*이제|지금부터\s*(?:너는|넌|당신은)",
    r"역할\s*극|탈옥|개발자\s*모드|관리자\s*모드|제약\s*없이",
    r"(?:가드레일|필터|검열|제한|안전\s*장치)\s*(?:을|를)?\s*(?:우회|무시|해제|끄|꺼)",
    r"(?:민감\s*정보|기밀|내부\s*(?:코드명|프로젝트명|시스템\s*이름))\s*(?:을|를|도)?\s*(?:포함|넣어|알려|공개|써)",
]), re.IGNORECASE | re.MULTILINE)

# Explicit tasks outside hiring (checked for every entry, JD notes and instructions included).
_OUT_OF_DOMAIN = re.compile("|".join([
    r"\b(?:write|compose|tell|give|make)\s+(?:me\s+)?(?:a\s+|an\s+|some\s+)?(?:poem|song|joke|story|recipe|haiku|"
    r"limerick|rap|love\s+letter|essay)", r"\bwhat(?:'s|\s+is)\s+the\s+weather\b", r"\bweather\s+(?:today|tomorrow|"
    r"forecast|like)\b", r"\b(?:stock|share)\s+price", r"\blottery\b", r"\brecommend\s+(?:a|some|me)\s+(?:movie|"
    r"restaurant|book|song)s?\b", r"\bhoroscope\b", r"\bhomework\b", r"\bsolve\s+(?:this|my)\s+(?:math|equation)",
    r"오늘\s*날씨", r"날씨\s*(?:어때|알려|좋|는)", r"(?:^|\s)시\s*(?:한\s*편)?\s*(?:을|를)?\s*(?:써|지어)", r"노래\s*(?:가사|불러|만들어)",
    r"농담\s*(?:해|좀|하나)", r"(?:레시피|요리법)\s*(?:알려|추천)?", r"주가|주식\s*(?:추천|전망|종목)|코인\s*(?:추천|시세)", r"로또",
    r"맛집", r"(?:영화|드라마|책)\s*추천", r"숙제", r"운세", r"연애\s*(?:상담|고민)", r"소설\s*(?:써|을\s*써|한\s*편)",
]), re.IGNORECASE)

# Topics outside hiring. A search or chat message on one of them, naming no skill or role, is answered with help.
_OFF_TOPIC = re.compile("|".join([
    # food and drink
    r"\b(?:lunch(?:es)?|dinners?|breakfasts?|brunch|snacks?|menus?|restaurants?|pizzas?|burgers?|sushi|coffees?|cafes?|"
    r"beers?|drinks?|recipes?|cook(?:ing)?|eat|eating|food|hungry|offsite|party|parties|birthday|cake)\b",
    r"점심|저녁|아침\s*(?:뭐|메뉴|먹)|메뉴|맛집|식당|먹[을자지고었]|먹을까|배고프|배고파|커피|카페|술\s*(?:한잔|마시)|맥주|회식|"
    r"레시피|요리|간식|야식|치킨|피자",
    # weather
    r"\b(?:weather|forecast|rain(?:ing|y)?|snow(?:ing|y)?|umbrella|temperature|sunny|humid|typhoon)\b",
    r"날씨|기온|미세\s*먼지|비\s*(?:와|오|올|내리)|눈\s*(?:와|오|올|내리)|우산|태풍|덥다|춥다|더워|추워",
    # money and markets
    r"\b(?:stocks?|stock\s+picks?|shares|bitcoin|crypto(?:currency)?|ethereum|exchange\s+rate|forex|real\s+estate|"
    r"lottery|invest(?:ing|ment)?\s+(?:tips|advice))\b|\bbuy\s+(?:bitcoin|stocks?|shares)\b",
    r"주식|주가|코인|비트코인|이더리움|환율|부동산|로또|투자\s*(?:추천|조언)|(?:삼성전자|테슬라|애플|엔비디아)\s*(?:지금|사도|주가|전망)",
    # entertainment, sports, news
    r"\b(?:movies?|films?|netflix|drama|series|tv\s+show|podcasts?|songs?|music|playlist|concert|games?\s+tonight|"
    r"football|soccer|baseball|basketball|world\s+cup|olympics|match\s+(?:score|result)|news|election|president|"
    r"politics|celebrity|horoscope|joke|jokes|riddle|poem|story)\b",
    r"영화|드라마|넷플릭스|예능|노래|음악|플레이리스트|콘서트|축구|야구|농구|월드컵|올림픽|경기\s*(?:결과|누가)|누가\s*이겼|뉴스|선거|"
    r"대통령|정치|연예인|운세|농담|유머|수수께끼|(?:^|\s)시\s*(?:한\s*편|써)",
    # travel, weekend, life
    r"\b(?:vacation|holiday\s+plans?|trip|itinerary|flights?|hotel|weekend\s+plans?|travel\s+tips)\b",
    r"여행|휴양지|항공권|호텔|주말에\s*뭐|주말\s*계획|데이트|연애|소개팅",
    r"수도가|몇\s*시야",
]), re.IGNORECASE)
# Tasks this assistant does not do, whatever words they carry ("translate 'hello' into French").
_TASKS = re.compile(
    r"\b(?:any\s+good|recommend(?:\s+me)?(?:\s+(?:a|an|some))?|suggest(?:\s+(?:a|an|some))?)\s+(?:[\w-]+\s+)?(?:podcasts?|books?|"
    r"movies?|films?|shows?|songs?|music|playlists?|restaurants?|games?|series|novels?|gifts?)\b|"
    r"\b(?:capital\s+of|what\s+time\s+is\s+it|time\s+in\s+[A-Z]\w+|translate|translation\s+of|how\s+do\s+you\s+say|"
    r"calculate|what'?s\s+\d+\s*(?:%|percent|\+|-|\*|x|times|plus|minus)|meaning\s+of\s+life|book\s+(?:me\s+)?a\s+"
    r"(?:meeting\s+)?room|set\s+a\s+reminder|remind\s+me|tell\s+me\s+(?:something\s+(?:interesting|fun)|a\s+(?:joke|story))|"
    r"fun\s+fact|write\s+(?:me\s+)?(?:a|an)\s+(?:poem|song|story|essay|email|e-mail|letter)|reset\s+my\s+password|"
    r"wifi\s+password)\b|번역해|계산해|알람\s*(?:맞춰|설정)|리마인더|회의실\s*(?:예약|잡아)|재밌는\s*(?:얘기|이야기|거)|"
    r"(?:시|노래|소설|이메일|메일)\s*(?:한\s*편\s*)?(?:써|작성해)\s*줘", re.IGNORECASE)

# Small talk, recognised as the whole message (after emoji and punctuation are dropped).
_SMALL_TALK = re.compile(   # atomic groups: a long "ㅋㅋㅋ…x" must fail in linear time
    r"^(?:(?>(?:hi|hello|hey|yo|hiya|howdy|good\s+(?:morning|afternoon|evening|night)|gm|gn|bye|goodbye|see\s+ya|"
    r"thanks?(?:\s+a\s+lot)?|thank\s+you(?:\s+so\s+much)?|thx|ty|cheers|ok(?:ay)?|cool|nice|great|awesome|lol|lmao|"
    r"haha+|yes|no|yep|nope|sure|good\s+job|well\s+done|nice\s+work|how\s+are\s+you(?:\s+doing)?(?:\s+today)?|"
    r"how'?s\s+(?:it\s+going|your\s+day(?:\s+going)?|life)|what'?s\s+up|sup|who\s+are\s+you|what\s+are\s+you|"
    r"what'?s\s+your\s+name|are\s+you\s+(?:a\s+)?(?:bot|robot|human|real(?:\s+person)?|ai|there)|"
    r"i'?m\s+(?:bored|tired|hungry|sleepy|sad|happy)|ugh(?:\s+\w+)?|you'?re\s+(?:funny|smart|great|awesome|cute)|"
    r"i\s+love\s+you|that'?s\s+all(?:\s+for\s+(?:today|now))?|good\s+night|have\s+a\s+nice\s+day)"
    r"|(?:안녕(?:하세요)?|반가워요?|하이|ㅎㅇ|좋은\s*(?:아침|하루)(?:이에요|입니다|예요)?|잘\s*자|굿\s*나잇|고마워요?|"
    r"감사(?:합니다|해요)?|ㄳ|ㄱㅅ|수고(?:하셨습니다|했어요?|하세요|했어)?|ㅋ+|ㅎ+|ㅠ+|ㅜ+|ㅇㅋ|오케이|응|네|넵|아니|좋아(?:요)?|"
    r"심심해|심심하다|피곤해|피곤하다|졸려|배고파|퇴근하고\s*싶다|너\s*(?:는|이)?\s*누구(?:야|니|세요)?|"
    r"(?:너|넌)\s*(?:이름이|이름)\s*(?:뭐야|뭐니)|뭐\s*해|뭐해|사랑해|잘했어|최고야|대박|헐|아\s*피곤해|"
    r"(?:사람|로봇|봇)\s*(?:이야|이에요|이니|야)))"
    r"(?>[\s,.!?~^;:)(\-]|[\U0001F300-\U0001FAFF\u2600-\u27BF])*)+$", re.IGNORECASE)
# Requests are NFKC-normalised, which turns "ㅋ" (compatibility jamo) into a conjoining jamo: match them in that form.
_SMALL_TALK = re.compile(unicodedata.normalize("NFKC", _SMALL_TALK.pattern), re.IGNORECASE)

# A people search needs something to search for: a skill, a role or field, or a piece of work.
_ROLE_OR_FIELD = re.compile(
    r"\b(?:engineers?|developers?|devs?|designers?|analysts?|scientists?|managers?|marketers?|planners?|recruiters?|"
    r"accountants?|lawyers?|counsel|specialists?|leads?|architects?|administrators?|consultants?|researchers?|"
    r"candidates?|talent|pms?|sres?|testers?|technicians?|coordinators?|writers?|programmers?|experts?|hires?|"
    r"backend|frontend|full-?stack|devops|qa|ux|ui|data|ml|ai|sales|marketing|finance|accounting|legal|hr|"
    r"payroll|security|infra(?:structure)?|operations|logistics|design|product|mobile|ios|android|cloud|"
    r"systems?|platforms?|pipelines?|apps?|software|services?|databases?|engines?|solutions?|models?)\b|"
    r"개발자|엔지니어|디자이너|분석가|기획자|마케터|담당자|매니저|리더|전문가|경험자|경력자|후보|인재|연구원|프로그래머|"
    r"백엔드|프론트|풀스택|데브옵스|데이터|영업|마케팅|재무|회계|인사|법무|보안|인프라|운영|물류|디자인|기획|개발|"
    r"시스템|플랫폼|파이프라인|서비스|솔루션|엔진|모델", re.IGNORECASE)
_SOCIAL = re.compile(r"\blet'?s\s+(?:grab|get|have|go|eat|meet)\b|\bwanna\s+(?:grab|get|go)\b|먹자|마시자|가자|"
                     r"(?:먹|마시|놀)러\s*(?:갈|가실)\s*(?:사람|분)|할\s*사람\s*[~!?]*$", re.IGNORECASE)
_OPINION = re.compile(r"\bwhat\s+do\s+you\s+think\b|\byour\s+(?:opinion|thoughts|take|view)\s+on\b|\bhow\s+do\s+you\s+feel\b|"
                      r"\bdo\s+you\s+(?:like|love|hate|think)\b|어떻게\s*생각|네\s*생각|너는\s*어때|의견\s*(?:이|은)?\s*(?:어때|뭐)",
                      re.IGNORECASE)
_SEARCH_CUE = re.compile(
    r"\b(?:who|whom|anyone|anybody|someone|somebody|find|search|looking\s+for|need|recommend|suggest|people|person|"
    r"folks?|know|knows|good\s+at|worked|built|can\s+do|does|experience|hire|team)\b|누구|누가|사람|찾|추천|있어|있나|"
    r"있을까|분\s*(?:계|있)|할\s*줄|아는|해본|다뤄본|써본|잘하는|필요", re.IGNORECASE)
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


def _skills_in(text: str, extractor=None) -> list[str]:
    """Skills the taxonomy finds, ignoring one-syllable Korean tokens ("보" in "볼만한" is not a skill)."""
    from core.text import tokenize_line

    extractor = extractor or default_extractor()
    found: list[str] = []
    for line in (text or "").splitlines():
        tokens = [t for t in tokenize_line(line) if not (len(t) == 1 and "\uac00" <= t <= "\ud7a3")]
        found.extend(s for s in extractor._match_tokens(tokens) if s not in found)
    return found


def has_search_content(text: str, extractor=None) -> bool:
    """A skill the taxonomy knows, a role or field, or a piece of work to search for."""
    return bool(_skills_in(text, extractor)) or bool(_ROLE_OR_FIELD.search(text))


_ROLE_NOUNS = re.compile(r"개발자|엔지니어|디자이너|분석가|기획자|마케터|담당자|매니저|\b(?:engineers?|developers?|devs?|designers?|"
                         r"analysts?|managers?|marketers?|recruiters?|accountants?|specialists?|candidates?|people\s+who)\b",
                         re.IGNORECASE)


def off_topic(text: str, entry: str = "chat", extractor=None) -> str:
    """Why a search or chat message is not a hiring request ("small_talk" or "topic"), or "" when it may be one.
    Conservative: anything naming a skill, a role or a piece of work stays a search ("점심 먹고 백엔드 개발자 찾아줘",
    "anyone who knows stock trading systems?")."""
    raw = _normal(text).strip()
    if not raw:
        return ""
    if _SMALL_TALK.match(raw):
        return "small_talk"
    content = has_search_content(raw, extractor)
    if (_SOCIAL.search(raw) or _OPINION.search(raw) or _TASKS.search(raw)) and not _ROLE_NOUNS.search(raw):
        return "topic"           # "let's grab lunch after the hiring sync", "채용 공고 보고 점심 먹자", "translate ... into French"
    if (_OFF_TOPIC.search(raw) or _OUT_OF_DOMAIN.search(raw)) and not content:
        return "topic"
    if entry == "chat" and not content and not _SEARCH_CUE.search(raw) and not _HIRING.search(raw) and \
            len(raw.split()) > 2:
        return "topic"                     # "tell me something interesting", "주말에 뭐 하지" ("hmm?" is only unclear)
    return ""


def _mentions_family(text: str) -> bool:
    from core.jd.model import JOB_FAMILIES

    lowered = text.lower()
    return any(name.lower() in lowered for f in JOB_FAMILIES.values()
               for name in (f.en, f.ko, f.title_en, f.title_ko, *f.aliases) if len(name) >= 3)


# ---- the check ------------------------------------------------------------------------------------------------------------
MAX_REWORDING_INPUT = 4000      # a rewording of a longer text would not fit a button or help anyone


def check_request(text: str, entry: str = "search", lang: str | None = None, extractor=None) -> Verdict:
    """Decide whether a request may go ahead, before anything (or any model) acts on it.

    `entry`: where the text arrived — "search" (/find-candidates, free text), "chat" (talent chat), "gap",
    "compare", "jd_request" (a custom JD request: must be about hiring), "jd_notes" or "jd_instruction" (text inside
    the JD flow: only an explicit off-topic task is declined). Old names "request", "notes", "instruction" work too.
    """
    from core.text import request_language

    entry = _ENTRY_ALIASES.get(entry, entry)
    raw = _normal(text).strip()
    lang = lang or request_language(raw)
    if not raw:
        empty_ok = entry in ("jd_notes", "jd_instruction")
        return Verdict(ok=empty_ok, kind="ok" if empty_ok else "empty", lang=lang, entry=entry)
    injection = _INJECTION.search(raw)
    if injection:
        return Verdict(False, "injection", (Issue("injection", injection.group(0).strip(), *injection.span()),),
                       lang=lang, entry=entry)
    issues = discriminatory_spans(raw)
    if issues:
        rewrite = lawful_rewording(raw, issues) if len(raw) <= MAX_REWORDING_INPUT else ""
        return Verdict(False, "discriminatory", tuple(issues), rewrite=rewrite, lang=lang, entry=entry)
    if entry in SEARCH_ENTRIES:
        reason = off_topic(raw, "chat" if entry == "chat" else "search", extractor)
        if reason:
            return Verdict(False, "out_of_domain", (Issue("out_of_domain", raw[:40]),), lang=lang, entry=entry)
        return Verdict(True, "ok", lang=lang, entry=entry)
    off = _OUT_OF_DOMAIN.search(raw)
    if off or (entry == "jd_request" and (_SMALL_TALK.match(raw) or not _HIRING.search(raw) and
                                          not _mentions_family(raw))):
        matched = off.group(0).strip() if off else raw[:40]
        return Verdict(False, "out_of_domain", (Issue("out_of_domain", matched),), lang=lang, entry=entry)
    return Verdict(True, "ok", lang=lang, entry=entry)
