"""A deterministic demo organisation for Internal Hire.

`generate_demo_org()` builds a fictional company ("Demo Corp") of Korean- and English-writing employees in the
product's import format, together with the ground truth (job family, specialties, years of experience) that the
labelled evaluation set in bench/eval/queries.json is graded against.

Standard library only; the same arguments always give the same organisation. Each record also carries protected
attributes (gender, birth date, marital status, nationality, address, photo) and most resumes open with personal
details, as real HRIS exports and resumes do: the product must ignore them, and they are here to prove it does.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

__all__ = ["DemoOrg", "generate_demo_org", "SKILLS", "FAMILIES", "MISSION_CODES"]

NOW_YEAR = 2026
NOW_MONTH = 11
EMAIL_DOMAIN = "demo-corp.example"
COMPANY_EN = "Demo Corp"
COMPANY_KO = "데모코프"


@dataclass(frozen=True)
class DemoOrg:
    employees: list[dict]          # import records
    truth: dict[str, dict]         # employee id -> {"family": str, "specialties": [str, ...], "years": int}


# --------------------------------------------------------------------------------------------------------------
# Skills. Each canonical (English) skill name has the surface forms used in English resumes ("en"), the forms used
# in Korean resumes ("ko": Hangul terms and the English brand names Korean resumes keep), and evidence lines in
# both languages. In a line, {k} is the skill's surface form; {k을} {k이} {k은} {k으로} {k과} add the Korean
# particle that fits the form's last syllable. {n} {N} {pct} {ms} {vol} {acc} {m} are numbers.
# --------------------------------------------------------------------------------------------------------------

def _s(en=None, ko=(), el=(), kl=()):
    return {"en": tuple(en) if en else None, "ko": tuple(ko), "en_lines": tuple(el), "ko_lines": tuple(kl)}


SKILLS: dict[str, dict] = {
    # ---- backend ----
    "Java": _s(ko=("자바", "Java"), el=(
        "Built order and settlement services in {k} serving {vol} requests a day",
        "Migrated a legacy {k} 8 monolith to {k} 17 and cut GC pauses by {pct}%",
        "Wrote the core ledger service in {k}, with {pct}% fewer production incidents after the rewrite",
    ), kl=(
        "{k} 기반 주문·정산 서비스 개발, 일 {vol} 건 요청 처리",
        "레거시 {k} 8 모놀리스를 {k} 17로 전환, GC 지연 {pct}% 감소",
        "{k으로} 원장(ledger) 서비스 재작성 후 운영 장애 {pct}% 감소",
    )),
    "Spring Boot": _s(ko=("스프링 부트", "스프링부트", "Spring Boot"), el=(
        "Developed REST APIs with {k} for the checkout flow",
        "Split a monolith into {n} {k} services with shared tracing and config",
        "Upgraded {N} {k} services to version 3 with zero downtime",
    ), kl=(
        "{k} 기반 결제 API 설계 및 개발",
        "{k으로} 모놀리식 서비스를 {n}개 서비스로 분리",
        "{k} 3.x 버전 업그레이드 ({N}개 서비스, 무중단)",
    )),
    "Kotlin": _s(ko=("코틀린", "Kotlin"), el=(
        "Rewrote the coupon service in {k} with coroutines, reducing p99 latency to {ms}ms",
        "Introduced {k} for new services and wrote the team's {k} style guide",
    ), kl=(
        "{k} 코루틴 기반으로 쿠폰 서비스 재작성, p99 응답시간 {ms}ms로 단축",
        "신규 개발 언어로 {k} 도입 및 코딩 컨벤션 정리",
    )),
    "Go": _s(en=("Go", "Golang"), ko=("Go", "Golang"), el=(
        "Wrote high-throughput {k} services for real-time notification delivery",
        "Built an internal API gateway in {k} handling {vol} calls a day",
    ), kl=(
        "{k으로} 실시간 알림 발송 서버 개발",
        "{k} 기반 사내 API 게이트웨이 구축, 일 {vol} 건 호출 처리",
    )),
    "Python": _s(ko=("파이썬", "Python"), el=(
        "Wrote {k} tooling for data validation and automation used by {n} teams",
        "Maintained a shared {k} library used across internal services",
        "Automated weekly manual work with {k} scripts, saving about {n} hours a week",
    ), kl=(
        "{k으로} 데이터 검증·자동화 도구 개발, {n}개 팀에서 사용",
        "사내 공용 {k} 라이브러리 개발 및 유지보수",
        "{k} 스크립트로 반복 업무 자동화, 주당 약 {n}시간 절감",
    )),
    "Django": _s(ko=("장고", "Django"), el=(
        "Built the back-office admin on {k} for {n} operations teams",
    ), kl=(
        "{k} 기반 백오피스 개발, 운영팀 {n}곳에서 사용",
    )),
    "Node.js": _s(ko=("Node.js", "노드JS"), el=(
        "Built backend-for-frontend services in {k} for the mobile apps",
        "Ran {N} {k} services in production with structured logging and tracing",
    ), kl=(
        "{k} 기반 BFF 서버 개발 및 운영",
        "{k} 서비스 {N}개 운영, 구조화 로깅·트레이싱 적용",
    )),
    "Kafka": _s(ko=("카프카", "Kafka"), el=(
        "Built {k}-based event pipelines processing {vol} payment events a day",
        "Designed {k} topic and partitioning strategy for order events; consumer lag kept under {n} seconds",
        "Introduced {k} for asynchronous messaging between {n} backend services",
        "Operated a {n}-broker {k} cluster and handled rebalancing incidents",
    ), kl=(
        "{k} 기반 결제 이벤트 파이프라인 구축, 일 {vol} 건 처리",
        "주문 이벤트용 {k} 토픽·파티션 설계, 컨슈머 랙 {n}초 이내 유지",
        "서비스 {n}개 간 비동기 메시징에 {k} 도입",
        "브로커 {n}대 규모 {k} 클러스터 운영 및 리밸런싱 장애 대응",
    )),
    "PostgreSQL": _s(ko=("PostgreSQL", "포스트그레스"), el=(
        "Tuned {k} queries and indexes, cutting p95 latency by {pct}%",
        "Led a zero-downtime {k} major version upgrade",
    ), kl=(
        "{k} 쿼리·인덱스 튜닝으로 p95 지연 {pct}% 개선",
        "{k} 메이저 버전 무중단 업그레이드 주도",
    )),
    "MySQL": _s(ko=("MySQL",), el=(
        "Sharded a {k} cluster to support {vol} daily orders",
        "Designed {k} schemas for the settlement domain",
    ), kl=(
        "{k} 샤딩 적용으로 일 {vol} 건 주문 처리",
        "정산 도메인 {k} 스키마 설계",
    )),
    "Redis": _s(ko=("레디스", "Redis"), el=(
        "Added a {k} caching layer that cut database load by {pct}%",
        "Implemented distributed locks and rate limiting with {k}",
    ), kl=(
        "{k} 캐시 레이어 도입으로 DB 부하 {pct}% 감소",
        "{k} 기반 분산 락 및 요청 제한 구현",
    )),
    "gRPC": _s(ko=("gRPC",), el=(
        "Replaced internal REST calls with {k}, reducing payload size by {pct}%",
        "Defined {k} service contracts and code generation for {n} teams",
    ), kl=(
        "서비스 간 통신을 {k으로} 전환해 페이로드 {pct}% 감소",
        "{n}개 팀 공용 {k} 인터페이스 정의 및 코드 생성 체계 구축",
    )),
    "Microservices": _s(en=("microservices",), ko=("마이크로서비스", "MSA"), el=(
        "Led the migration from a monolith to {k} (about {N} services)",
        "Defined service boundaries and API contracts for {k} in the commerce domain",
    ), kl=(
        "모놀리스에서 {k} 구조로 전환 주도 (서비스 약 {N}개)",
        "{k} 전환 과정에서 도메인 경계 정의 및 API 계약 정리",
    )),
    "RabbitMQ": _s(ko=("RabbitMQ", "래빗MQ"), el=(
        "Ran {k} queues for order notifications and retry handling",
        "Replaced cron-based batch jobs with {k} workers",
    ), kl=(
        "{k} 기반 주문 알림 큐 및 재처리 로직 운영",
        "크론 배치 작업을 {k} 워커 구조로 전환",
    )),
    # ---- ai / ml ----
    "PyTorch": _s(ko=("파이토치", "PyTorch"), el=(
        "Trained and deployed {k} models for fraud detection on {vol} transactions a day",
        "Fine-tuned transformer models in {k} on {n} GPUs",
        "Rewrote the training loop in {k} with mixed precision, halving training time",
    ), kl=(
        "{k으로} 이상거래 탐지 모델 학습 및 배포 (일 {vol} 건 거래)",
        "{k} 기반 트랜스포머 모델 파인튜닝 (GPU {n}장)",
        "{k} 혼합 정밀도 학습 적용으로 학습 시간 절반 단축",
    )),
    "TensorFlow": _s(ko=("텐서플로", "TensorFlow"), el=(
        "Served {k} models with TF Serving for real-time scoring",
        "Built image classification models in {k}",
    ), kl=(
        "{k} 모델 TF Serving 기반 실시간 서빙",
        "{k} 기반 이미지 분류 모델 개발",
    )),
    "LLM": _s(en=("LLM", "large language model"), ko=("LLM", "대규모 언어 모델", "거대 언어 모델"), el=(
        "Built an {k}-powered assistant for internal support, deflecting {pct}% of tickets",
        "Evaluated and fine-tuned open {k}s for Korean-language tasks",
        "Designed prompt and evaluation harnesses for {k} features shipped to {vol} users",
    ), kl=(
        "{k} 기반 사내 상담 어시스턴트 개발, 문의 {pct}% 자동 응대",
        "한국어 태스크용 오픈소스 {k} 평가 및 파인튜닝",
        "{k} 기능 프롬프트 설계 및 평가 체계 구축 (사용자 {vol} 명)",
    )),
    "NLP": _s(en=("NLP", "natural language processing"), ko=("자연어 처리", "자연어처리", "NLP"), el=(
        "Built {k} models for Korean text classification and entity extraction",
        "Led an {k} project that auto-routes customer inquiries to {n} queues",
    ), kl=(
        "{k} 기반 한국어 문서 분류·개체명 인식 모델 개발",
        "고객 문의 자동 분류 {k} 프로젝트 리드 ({n}개 큐 자동 배정)",
    )),
    "Computer Vision": _s(en=("computer vision",), ko=("컴퓨터 비전", "컴퓨터비전"), el=(
        "Developed {k} models for document OCR and ID verification",
        "Built a {k} pipeline for product image tagging",
    ), kl=(
        "신분증 인식 및 OCR용 {k} 모델 개발",
        "상품 이미지 자동 태깅 {k} 파이프라인 구축",
    )),
    "MLOps": _s(ko=("MLOps",), el=(
        "Set up {k} tooling: model registry, feature store and CI for models",
        "Built {k} pipelines that cut model release time from weeks to {n} days",
    ), kl=(
        "모델 레지스트리·피처 스토어 등 {k} 환경 구축",
        "{k} 파이프라인 구축으로 모델 배포 주기를 {n}일로 단축",
    )),
    "Recommender Systems": _s(en=("recommender systems", "recommendation systems"),
                              ko=("추천 시스템", "추천시스템"), el=(
        "Built {k} for the home feed, lifting click-through rate by {pct}%",
        "Designed candidate generation and ranking stages for our {k}",
    ), kl=(
        "홈 피드 {k} 개발로 클릭률 {pct}% 향상",
        "{k} 후보 생성·랭킹 단계 설계",
    )),
    "RAG": _s(en=("RAG", "retrieval-augmented generation"), ko=("RAG", "검색 증강 생성"), el=(
        "Designed a {k} pipeline over {N}k internal documents",
        "Improved {k} answer accuracy with hybrid search and reranking",
    ), kl=(
        "사내 문서 {N}만 건 대상 {k} 파이프라인 설계",
        "하이브리드 검색·리랭킹 적용으로 {k} 답변 정확도 개선",
    )),
    # ---- frontend ----
    "React": _s(ko=("리액트", "React"), el=(
        "Built the checkout UI in {k}, used by {vol} monthly users",
        "Migrated class components to {k} hooks across {N} screens",
        "Led the {k} 18 upgrade and concurrent rendering rollout",
    ), kl=(
        "{k으로} 결제 화면 개발, 월 {vol} 명 사용",
        "{N}개 화면을 {k} Hooks 기반으로 마이그레이션",
        "{k} 18 업그레이드 및 동시성 렌더링 적용 리드",
    )),
    "TypeScript": _s(ko=("타입스크립트", "TypeScript"), el=(
        "Moved the legacy web codebase to {k} strict mode",
        "Introduced {k} types for API contracts, catching bugs at build time",
    ), kl=(
        "레거시 웹 코드베이스를 {k} strict 모드로 전환",
        "{k} 타입으로 API 계약을 정의해 빌드 단계 버그 감소",
    )),
    "Next.js": _s(ko=("Next.js",), el=(
        "Built server-rendered landing pages with {k}, improving LCP by {pct}%",
        "Moved the marketing site to {k} with incremental static regeneration",
    ), kl=(
        "{k} SSR 기반 랜딩 페이지 구축, LCP {pct}% 개선",
        "마케팅 사이트 {k} 전환 및 ISR 적용",
    )),
    "Vue.js": _s(en=("Vue.js", "Vue"), ko=("Vue.js", "Vue"), el=(
        "Maintained the admin console in {k} 3 with Pinia",
    ), kl=(
        "{k} 3 기반 관리자 콘솔 개발 및 유지보수",
    )),
    "JavaScript": _s(ko=("자바스크립트", "JavaScript"), el=(
        "Wrote framework-free {k} widgets embedded in partner websites",
        "Cut the {k} bundle by {pct}% by removing dead code and polyfills",
    ), kl=(
        "외부 사이트 삽입용 순수 {k} 위젯 개발",
        "불필요한 코드·폴리필 제거로 {k} 번들 {pct}% 감소",
    )),
    "Web Performance": _s(en=("web performance",), ko=("웹 성능 최적화", "웹 성능"), el=(
        "Led {k} work: code splitting and image optimization cut LCP by {pct}%",
        "Set {k} budgets in CI and kept Core Web Vitals green",
    ), kl=(
        "코드 스플리팅·이미지 최적화 등 {k} 작업으로 LCP {pct}% 단축",
        "CI에 {k} 예산 기준 도입, Core Web Vitals 양호 유지",
    )),
    "Accessibility": _s(en=("accessibility",), ko=("웹 접근성", "접근성"), el=(
        "Audited and fixed {k} issues to meet WCAG 2.1 AA",
        "Added {k} checks to the component library and trained the team on screen readers",
    ), kl=(
        "WCAG 2.1 AA 기준 {k} 점검 및 개선",
        "컴포넌트 라이브러리에 {k} 검사 추가, 스크린리더 테스트 가이드 작성",
    )),
    "GraphQL": _s(ko=("GraphQL",), el=(
        "Introduced {k} with Apollo Client for the seller dashboard",
    ), kl=(
        "판매자 대시보드에 Apollo Client 기반 {k} 도입",
    )),
    "CSS": _s(ko=("CSS",), el=(
        "Built a responsive layout system in modern {k} (grid, container queries)",
    ), kl=(
        "{k} Grid 기반 반응형 레이아웃 시스템 구축",
    )),
    "Design Systems": _s(en=("design system",), ko=("디자인 시스템",), el=(
        "Built and maintained the company {k} with {N} components",
        "Co-led the {k} with designers, syncing design tokens with code",
    ), kl=(
        "{N}개 컴포넌트 규모의 사내 {k} 구축 및 운영",
        "디자이너와 협업해 {k} 토큰을 코드와 동기화",
    )),
    # ---- marketing ----
    "Performance Marketing": _s(en=("performance marketing",), ko=("퍼포먼스 마케팅",), el=(
        "Ran {k} across Meta and Google with a monthly budget of KRW {N}0M; ROAS up {pct}%",
        "Owned {k} for app installs, lowering cost per install by {pct}%",
        "Rebuilt the {k} reporting and bidding rules across {n} ad channels",
    ), kl=(
        "월 {n}천만 원 규모 {k} 운영 (Meta·구글), ROAS {pct}% 개선",
        "앱 설치 중심 {k} 담당, CPI {pct}% 절감",
        "매체 {n}곳 {k} 입찰 전략 및 성과 리포트 재정비",
    )),
    "GA4": _s(ko=("GA4",), el=(
        "Set up {k} event tracking and conversion reporting for web and app",
        "Migrated analytics from Universal Analytics to {k}",
    ), kl=(
        "웹·앱 {k} 이벤트 트래킹 및 전환 리포트 구축",
        "UA에서 {k으로} 전환 작업 주도",
    )),
    "SEO": _s(ko=("SEO", "검색엔진 최적화"), el=(
        "Grew organic traffic {pct}% through technical {k} and content fixes",
    ), kl=(
        "기술 {k} 개선으로 자연 유입 {pct}% 증가",
    )),
    "CRM Marketing": _s(en=("CRM marketing",), ko=("CRM 마케팅",), el=(
        "Built {k} journeys (push, email, KakaoTalk) that raised retention by {pct}%",
        "Segmented {vol} users for lifecycle {k} campaigns",
    ), kl=(
        "푸시·이메일·카카오 알림톡 {k} 시나리오 설계, 리텐션 {pct}% 개선",
        "고객 {vol} 명 세그먼트 기반 {k} 진행",
    )),
    "Brand Strategy": _s(en=("brand strategy",), ko=("브랜드 전략",), el=(
        "Defined {k} and positioning for a product relaunch",
        "Wrote the {k} guide used by every campaign team",
    ), kl=(
        "리브랜딩 프로젝트 {k} 및 포지셔닝 수립",
        "전사 {k} 가이드 작성",
    )),
    "Content Marketing": _s(en=("content marketing",), ko=("콘텐츠 마케팅",), el=(
        "Ran the {k} program (blog, newsletter) reaching {N}k subscribers",
    ), kl=(
        "블로그·뉴스레터 {k} 운영, 구독자 {N}천 명 확보",
    )),
    "Campaign Management": _s(en=("campaign management",), ko=("캠페인 운영", "캠페인 기획"), el=(
        "Handled end-to-end {k} for {n} seasonal promotions",
        "Owned {k} for the year-end sale, from brief to post-campaign review",
    ), kl=(
        "시즌 프로모션 {n}건 {k} 총괄",
        "연말 세일 {k}: 브리프 작성부터 결과 리뷰까지 담당",
    )),
    "Market Research": _s(en=("market research",), ko=("시장 조사", "시장조사"), el=(
        "Led {k} and customer surveys ahead of a new market entry",
    ), kl=(
        "신규 시장 진출을 위한 {k} 및 고객 설문 진행",
    )),
    "Google Ads": _s(ko=("구글 애즈", "Google Ads"), el=(
        "Managed {k} search campaigns, cutting cost per acquisition by {pct}%",
    ), kl=(
        "{k} 검색 광고 운영으로 CPA {pct}% 절감",
    )),
    "A/B Testing": _s(en=("A/B testing",), ko=("A/B 테스트", "AB 테스트"), el=(
        "Ran {k} on pricing pages; winning variants lifted conversion {pct}%",
        "Designed {k} for landing pages and sign-up flows",
    ), kl=(
        "가격 페이지 {k으로} 전환율 {pct}% 개선",
        "랜딩·가입 플로우 {k} 설계 및 결과 분석",
    )),
    # ---- finance ----
    "K-IFRS": _s(ko=("K-IFRS",), el=(
        "Led {k} 1116 lease accounting adoption",
        "Handled consolidation entries and disclosures under {k}",
    ), kl=(
        "{k} 1116호(리스) 도입 영향 분석 및 회계 처리",
        "{k} 기준 연결 회계 처리 및 주석 작성",
    )),
    "Financial Reporting": _s(en=("financial reporting", "financial statements"), ko=("재무제표", "재무 보고"), el=(
        "Owned monthly and quarterly {k} for the board and lenders",
    ), kl=(
        "월·분기 {k} 작성 및 이사회 보고",
    )),
    "Financial Closing": _s(en=("month-end close", "financial closing"), ko=("결산", "월 결산"), el=(
        "Cut the {k} from 10 to {n} working days",
        "Ran the monthly, quarterly and annual {k} for {n} entities",
    ), kl=(
        "{k} 기간을 10일에서 {n}일로 단축",
        "법인 {n}곳 월·분기·연간 {k} 담당",
    )),
    "FP&A": _s(ko=("FP&A", "재무 계획 및 분석"), el=(
        "Built the {k} model for the annual plan and rolling forecasts",
        "Partnered with business units as {k} lead on monthly variance reviews",
    ), kl=(
        "{k} 업무 담당: 연간 사업계획·롤링 포캐스트 수립",
        "사업부 대상 월간 실적 차이 분석 등 {k} 리드",
    )),
    "Budgeting": _s(en=("budgeting",), ko=("예산 편성", "예산 관리"), el=(
        "Ran company-wide {k} across {N} cost centers",
    ), kl=(
        "{N}개 코스트센터 대상 전사 {k} 및 집행 점검",
    )),
    "Tax": _s(en=("tax",), ko=("세무",), el=(
        "Handled corporate {k} filings and VAT returns",
        "Managed {k} audits and transfer-pricing documentation",
    ), kl=(
        "법인세·부가세 신고 등 {k} 업무 수행",
        "{k} 조사 대응 및 이전가격 문서 관리",
    )),
    "SAP": _s(ko=("SAP",), el=(
        "Led the {k} FI/CO rollout for {n} entities",
    ), kl=(
        "{k} FI/CO 구축 참여 ({n}개 법인)",
    )),
    "Treasury": _s(en=("treasury",), ko=("자금 관리",), el=(
        "Managed {k}: daily cash positions, FX hedging and bank relations",
    ), kl=(
        "일일 자금 수지·환헤지 등 {k} 담당",
    )),
    "Cost Accounting": _s(en=("cost accounting",), ko=("원가 회계", "원가 계산"), el=(
        "Built a {k} model for {n} product lines",
    ), kl=(
        "{n}개 제품군 {k} 체계 수립",
    )),
    "Financial Modeling": _s(en=("financial modeling", "financial models"), ko=("재무 모델링",), el=(
        "Built {k} for M&A and fundraising scenarios",
    ), kl=(
        "M&A·투자 유치 시나리오 {k} 수행",
    )),
    "Audit": _s(en=("audit",), ko=("외부 감사", "회계 감사"), el=(
        "Coordinated the annual external {k} with a Big Four firm",
    ), kl=(
        "Big4 회계법인 {k} 대응",
    )),
    # ---- hr ----
    "Recruiting": _s(en=("recruiting",), ko=("채용",), el=(
        "Led {k} for {N} engineering hires in a year",
        "Built the campus {k} program and interviewer training",
        "Cut time-to-hire by {pct}% by redesigning the {k} funnel",
    ), kl=(
        "연간 개발 직군 {N}명 {k} 리드",
        "신입 공채 {k} 프로세스 설계 및 면접관 교육",
        "{k} 퍼널 재설계로 채용 소요 기간 {pct}% 단축",
    )),
    "Performance Management": _s(en=("performance management",), ko=("성과관리", "성과 관리"), el=(
        "Redesigned the {k} cycle, moving to quarterly check-ins",
        "Ran calibration sessions as part of {k} for {N}0 employees",
    ), kl=(
        "{k} 제도 개편, 분기 체크인 방식 도입",
        "{N}0명 규모 {k} 캘리브레이션 세션 운영",
    )),
    "Compensation & Benefits": _s(en=("compensation & benefits", "compensation and benefits"),
                                  ko=("보상·복리후생", "C&B"), el=(
        "Ran the annual {k} review and salary banding",
        "Benchmarked {k} against {n} peer companies",
    ), kl=(
        "연간 {k} 제도 운영 및 연봉 밴드 설계",
        "동종업계 {n}개사 대상 {k} 벤치마킹",
    )),
    "Labor Law": _s(en=("labor law",), ko=("노무", "근로기준법"), el=(
        "Advised managers on {k} issues such as working hours and dismissals",
        "Updated work rules to comply with recent {k} amendments",
    ), kl=(
        "근로시간·징계 등 {k} 이슈 자문 및 대응",
        "{k} 개정 사항 반영해 취업규칙 개정",
    )),
    "HR Analytics": _s(en=("HR analytics",), ko=("HR 데이터 분석", "인사 데이터 분석"), el=(
        "Built {k} dashboards for attrition and engagement",
    ), kl=(
        "퇴사율·몰입도 {k} 대시보드 구축",
    )),
    "Onboarding": _s(en=("onboarding",), ko=("온보딩",), el=(
        "Redesigned {k} for new hires, cutting time to productivity by {pct}%",
    ), kl=(
        "신규 입사자 {k} 프로그램 개편, 적응 기간 {pct}% 단축",
    )),
    "Employee Relations": _s(en=("employee relations",), ko=("노사관계", "직원 관계"), el=(
        "Handled {k} cases and workplace investigations",
    ), kl=(
        "직장 내 괴롭힘 조사 등 {k} 이슈 처리",
    )),
    "Organizational Development": _s(en=("organizational development",), ko=("조직문화", "조직개발"), el=(
        "Led {k} programs: engagement survey and team health checks",
    ), kl=(
        "{k} 프로그램 운영: 몰입도 서베이 및 팀 헬스체크",
    )),
    "Learning & Development": _s(en=("learning & development", "L&D"), ko=("HRD", "교육 체계"), el=(
        "Built the {k} curriculum for first-time managers",
    ), kl=(
        "신임 리더 대상 {k} 수립 및 운영",
    )),
    "Workday": _s(ko=("Workday",), el=(
        "Implemented {k} HCM as the core HRIS",
    ), kl=(
        "{k} HCM 도입 및 인사 시스템 전환",
    )),
    # ---- data engineering ----
    "Spark": _s(en=("Spark", "Apache Spark"), ko=("스파크", "Spark"), el=(
        "Wrote {k} jobs processing {N} TB of logs daily",
        "Tuned {k} shuffle and partitioning, cutting batch time by {pct}%",
    ), kl=(
        "일 {N}TB 로그 처리 {k} 배치 개발",
        "{k} 셔플·파티셔닝 튜닝으로 배치 시간 {pct}% 단축",
    )),
    "Airflow": _s(ko=("에어플로우", "Airflow"), el=(
        "Orchestrated {n}0+ pipelines with {k} DAGs",
        "Migrated cron jobs to {k} with retries, SLAs and alerting",
    ), kl=(
        "{k} DAG {n}0여 개 설계·운영",
        "크론 작업을 {k으로} 이전하고 재시도·SLA 설정",
    )),
    "dbt": _s(ko=("dbt",), el=(
        "Modeled the analytics layer in {k} with tests and docs",
    ), kl=(
        "{k으로} 분석용 데이터 마트 모델링 및 테스트 작성",
    )),
    "BigQuery": _s(ko=("빅쿼리", "BigQuery"), el=(
        "Cut {k} costs by {pct}% through partitioning and clustering",
    ), kl=(
        "파티셔닝·클러스터링 적용으로 {k} 비용 {pct}% 절감",
    )),
    "Snowflake": _s(ko=("Snowflake", "스노우플레이크"), el=(
        "Migrated the warehouse from Redshift to {k}",
    ), kl=(
        "Redshift에서 {k으로} DW 마이그레이션",
    )),
    "Data Modeling": _s(en=("data modeling",), ko=("데이터 모델링",), el=(
        "Owned {k} for the core commerce domain (star schema)",
    ), kl=(
        "커머스 핵심 도메인 {k} (스타 스키마) 담당",
    )),
    "ETL": _s(ko=("ETL",), el=(
        "Built {k} pipelines from {n} source systems into the data lake",
    ), kl=(
        "{n}개 소스 시스템 대상 {k} 파이프라인 구축",
    )),
    "Flink": _s(ko=("Flink", "플링크"), el=(
        "Built real-time aggregations with {k}",
    ), kl=(
        "{k} 기반 실시간 집계 파이프라인 개발",
    )),
    # ---- data analytics ----
    "SQL": _s(ko=("SQL",), el=(
        "Wrote complex {k} (window functions, CTEs) for weekly business reviews",
        "Built a shared {k} query library for the growth team",
    ), kl=(
        "윈도우 함수·CTE 활용 {k} 분석으로 주간 비즈니스 리뷰 지원",
        "그로스 팀 공용 {k} 쿼리 라이브러리 구축",
    )),
    "Tableau": _s(ko=("태블로", "Tableau"), el=(
        "Built {N} {k} dashboards used by leadership",
    ), kl=(
        "경영진용 {k} 대시보드 {N}종 구축",
    )),
    "Looker": _s(ko=("Looker",), el=(
        "Modeled LookML and rolled out {k} self-serve analytics",
    ), kl=(
        "{k} 셀프서비스 분석 환경 구축 (LookML 모델링)",
    )),
    "Statistics": _s(en=("statistics",), ko=("통계 분석", "통계"), el=(
        "Applied {k} (regression, causal inference) to pricing questions",
    ), kl=(
        "회귀·인과추론 등 {k} 기법으로 가격 정책 분석",
    )),
    "Product Analytics": _s(en=("product analytics",), ko=("프로덕트 분석", "제품 데이터 분석"), el=(
        "Defined funnels and retention metrics as {k} owner for the app",
    ), kl=(
        "앱 퍼널·리텐션 지표 정의 등 {k} 담당",
    )),
    "Excel": _s(ko=("엑셀", "Excel"), el=(
        "Built {k} models for pricing and unit economics",
    ), kl=(
        "{k} 기반 가격·유닛 이코노믹스 분석 모델 작성",
    )),
    # ---- devops ----
    "Kubernetes": _s(en=("Kubernetes", "k8s"), ko=("쿠버네티스", "Kubernetes", "k8s"), el=(
        "Operated {k} clusters (EKS) running {n}0+ services",
        "Migrated workloads from VMs to {k}, cutting infrastructure cost by {pct}%",
        "Upgraded {n} production {k} clusters with zero downtime",
    ), kl=(
        "EKS 기반 {k} 클러스터 운영 (서비스 {n}0여 개)",
        "VM 워크로드를 {k으로} 이전해 인프라 비용 {pct}% 절감",
        "운영 {k} 클러스터 {n}개 무중단 업그레이드",
    )),
    "Docker": _s(ko=("도커", "Docker"), el=(
        "Standardized {k} images and build caching across teams",
    ), kl=(
        "팀 공통 {k} 이미지 표준화 및 빌드 캐시 적용",
    )),
    "Terraform": _s(ko=("테라폼", "Terraform"), el=(
        "Managed cloud infrastructure as code with {k} ({n}0+ modules)",
        "Wrote reusable {k} modules for networking and databases",
    ), kl=(
        "{k} 기반 IaC 도입, 모듈 {n}0여 개 관리",
        "네트워크·DB용 {k} 공통 모듈 작성",
    )),
    "AWS": _s(ko=("AWS",), el=(
        "Designed a multi-account {k} landing zone and VPC networking",
        "Cut the monthly {k} bill by {pct}% with rightsizing and savings plans",
    ), kl=(
        "{k} 멀티 어카운트 구조 및 VPC 네트워크 설계",
        "리소스 최적화·Savings Plans 적용으로 월 {k} 비용 {pct}% 절감",
    )),
    "GCP": _s(ko=("GCP",), el=(
        "Ran production workloads on {k} (GKE, Cloud Run)",
    ), kl=(
        "{k} (GKE, Cloud Run) 기반 운영 환경 구축",
    )),
    "CI/CD": _s(ko=("CI/CD",), el=(
        "Built {k} pipelines with GitHub Actions and Argo CD, deploying {n}0 times a day",
    ), kl=(
        "GitHub Actions·Argo CD 기반 {k} 파이프라인 구축, 일 {n}0회 배포",
    )),
    "Prometheus": _s(ko=("Prometheus", "프로메테우스"), el=(
        "Set up {k} and Grafana alerting, reducing mean time to recovery by {pct}%",
    ), kl=(
        "{k}·Grafana 기반 알림 체계 구축, MTTR {pct}% 단축",
    )),
    "Linux": _s(ko=("리눅스", "Linux"), el=(
        "Tuned {k} kernel parameters for high-throughput network services",
    ), kl=(
        "고성능 네트워크 서버용 {k} 커널 파라미터 튜닝",
    )),
    "Ansible": _s(ko=("Ansible", "앤서블"), el=(
        "Automated server provisioning with {k} playbooks",
    ), kl=(
        "{k} 플레이북으로 서버 프로비저닝 자동화",
    )),
    "Helm": _s(ko=("Helm", "헬름"), el=(
        "Packaged {N} services as {k} charts with shared defaults",
    ), kl=(
        "서비스 {N}개 {k} 차트 패키징 및 배포 표준화",
    )),
    # ---- security ----
    "Penetration Testing": _s(en=("penetration testing",), ko=("모의해킹", "침투 테스트"), el=(
        "Performed {k} on web and mobile apps before each major release",
        "Ran black-box {k} engagements and tracked fixes with developers",
    ), kl=(
        "주요 릴리스 전 웹·모바일 앱 {k} 수행",
        "블랙박스 {k} 수행 및 개발팀 조치 결과 추적",
    )),
    "ISMS-P": _s(ko=("ISMS-P",), el=(
        "Led the company's {k} certification, from gap analysis to the final review",
        "Maintained {k} controls and evidence across {n} departments",
    ), kl=(
        "{k} 인증 심사 대응 총괄",
        "{n}개 부서 {k} 통제 항목 및 증적 관리",
    )),
    "Cloud Security": _s(en=("cloud security",), ko=("클라우드 보안",), el=(
        "Owned {k} posture: least-privilege IAM and account guardrails",
    ), kl=(
        "IAM 최소 권한 등 {k} 정책 수립",
    )),
    "SIEM": _s(ko=("SIEM",), el=(
        "Built {k} detection rules and alert triage runbooks",
    ), kl=(
        "{k} 탐지 룰 및 관제 대응 런북 작성",
    )),
    "Incident Response": _s(en=("incident response",), ko=("침해사고 대응", "보안 사고 대응"), el=(
        "Led {k} for {n} security incidents, including a credential-stuffing attack",
    ), kl=(
        "크리덴셜 스터핑 공격 등 {n}건 {k} 주도",
    )),
    "Vulnerability Management": _s(en=("vulnerability management",), ko=("취약점 관리", "취약점 진단"), el=(
        "Ran the {k} program, cutting the time critical findings stay open by {pct}%",
    ), kl=(
        "{k} 프로세스 운영으로 고위험 취약점 조치 기간 {pct}% 단축",
    )),
    "Zero Trust": _s(en=("zero trust",), ko=("제로 트러스트", "제로트러스트"), el=(
        "Rolled out {k} network access for remote employees",
    ), kl=(
        "재택 근무자 대상 {k} 네트워크 접근 체계 도입",
    )),
    "ISO 27001": _s(ko=("ISO 27001",), el=(
        "Maintained {k} certification and control evidence",
    ), kl=(
        "{k} 인증 유지 및 통제 항목 관리",
    )),
    "Secure Coding": _s(en=("secure coding",), ko=("시큐어 코딩",), el=(
        "Ran {k} training and code review checklists for developers",
    ), kl=(
        "개발자 대상 {k} 교육 및 점검",
    )),
    # ---- mobile ----
    "Swift": _s(ko=("스위프트", "Swift"), el=(
        "Rewrote the payment module in {k} with async/await",
        "Modularized a large {k} codebase into {n} frameworks, cutting build time by {pct}%",
    ), kl=(
        "{k} async/await 기반 결제 모듈 재작성",
        "{k} 코드베이스를 {n}개 프레임워크로 모듈화, 빌드 시간 {pct}% 단축",
    )),
    "iOS": _s(ko=("iOS",), el=(
        "Shipped {n} major {k} app releases with a crash-free rate above 99.8%",
        "Built {k} widgets and push notification flows",
    ), kl=(
        "{k} 앱 메이저 릴리스 {n}회, 크래시 프리 99.8% 유지",
        "{k} 위젯 및 푸시 알림 기능 개발",
    )),
    "Android": _s(ko=("안드로이드", "Android"), el=(
        "Led the {k} app architecture migration to MVVM",
        "Cut {k} app ANRs by {pct}% through background-work fixes",
    ), kl=(
        "{k} 앱 MVVM 아키텍처 전환 리드",
        "백그라운드 작업 개선으로 {k} 앱 ANR {pct}% 감소",
    )),
    "Flutter": _s(ko=("플러터", "Flutter"), el=(
        "Built a cross-platform app in {k} from a single codebase",
    ), kl=(
        "{k으로} 크로스플랫폼 앱 개발, 단일 코드베이스 유지",
    )),
    "React Native": _s(ko=("리액트 네이티브", "React Native"), el=(
        "Built the rewards app in {k} and shared {pct}% of code between platforms",
    ), kl=(
        "{k으로} 리워드 앱 개발, 플랫폼 간 코드 {pct}% 공유",
    )),
    "SwiftUI": _s(ko=("SwiftUI",), el=(
        "Built new screens in {k} with a shared component library",
    ), kl=(
        "{k} 기반 신규 화면 개발 및 공통 컴포넌트 정리",
    )),
    "Jetpack Compose": _s(ko=("Jetpack Compose", "컴포즈"), el=(
        "Migrated XML layouts to {k}",
    ), kl=(
        "XML 레이아웃을 {k으로} 전환",
    )),
    # ---- product ----
    "Product Strategy": _s(en=("product strategy",), ko=("제품 전략", "프로덕트 전략"), el=(
        "Set {k} for the payments product line and secured buy-in from leadership",
    ), kl=(
        "결제 제품군 {k} 수립 및 경영진 합의 도출",
    )),
    "Roadmapping": _s(en=("roadmap",), ko=("로드맵",), el=(
        "Owned the quarterly {k} for {n} squads",
    ), kl=(
        "{n}개 스쿼드 분기 {k} 수립 및 우선순위 조율",
    )),
    "User Research": _s(en=("user research",), ko=("사용자 리서치", "유저 리서치", "사용자 조사"), el=(
        "Ran {k} with {N} customers to validate a new sign-up flow",
        "Set up a continuous {k} cadence with weekly customer interviews",
    ), kl=(
        "고객 {N}명 대상 {k} 진행, 신규 가입 플로우 검증",
        "주간 고객 인터뷰 등 상시 {k} 체계 구축",
    )),
    "Agile": _s(ko=("애자일",), el=(
        "Introduced {k} rituals (sprints, retros) to a {n}-person team",
    ), kl=(
        "{n}인 팀에 {k} 스프린트·회고 도입",
    )),
    "Jira": _s(ko=("Jira", "지라"), el=(
        "Set up {k} workflows and dashboards for delivery tracking",
    ), kl=(
        "{k} 워크플로 설계로 개발 일정 가시화",
    )),
    "PRD Writing": _s(en=("PRDs",), ko=("PRD", "서비스 기획서"), el=(
        "Wrote {k} for {N} features from discovery to launch",
    ), kl=(
        "{N}개 기능 {k} 작성 및 출시까지 리딩",
    )),
    "Stakeholder Management": _s(en=("stakeholder management",), ko=("이해관계자 관리",), el=(
        "Led {k} across sales, legal and engineering for an enterprise launch",
    ), kl=(
        "영업·법무·개발 간 {k} 및 의사결정 조율",
    )),
    "Go-to-Market": _s(en=("go-to-market",), ko=("GTM", "시장 출시 전략"), el=(
        "Planned the {k} for a new B2B product with sales and marketing",
    ), kl=(
        "신규 B2B 제품 {k} 수립",
    )),
    # ---- design ----
    "Figma": _s(ko=("피그마", "Figma"), el=(
        "Designed end-to-end flows in {k} with auto layout and variables",
        "Set up shared {k} libraries for {n} product teams",
    ), kl=(
        "{k} 오토레이아웃·변수 활용 화면 설계",
        "{n}개 제품팀 공용 {k} 라이브러리 구축",
    )),
    "UI Design": _s(en=("UI design",), ko=("UI 디자인",), el=(
        "Led {k} for the new merchant dashboard",
    ), kl=(
        "가맹점 대시보드 {k} 리드",
    )),
    "Prototyping": _s(en=("prototyping",), ko=("프로토타이핑",), el=(
        "Used rapid {k} to validate ideas with users every week",
    ), kl=(
        "빠른 {k으로} 매주 사용자 검증 진행",
    )),
    "Interaction Design": _s(en=("interaction design",), ko=("인터랙션 디자인",), el=(
        "Defined {k} patterns and micro-animations for the app",
    ), kl=(
        "앱 {k} 패턴 및 마이크로 애니메이션 정의",
    )),
    "Brand Design": _s(en=("brand design",), ko=("브랜드 디자인", "BX 디자인"), el=(
        "Led {k} for the company rebrand: logo, type and color",
    ), kl=(
        "리브랜딩 {k} 리드: 로고·서체·컬러",
    )),
    "Motion Design": _s(en=("motion design",), ko=("모션 디자인",), el=(
        "Produced {k} assets in After Effects for launches",
    ), kl=(
        "After Effects 활용 런칭용 {k} 작업",
    )),
    # ---- sales ----
    "B2B Sales": _s(en=("B2B sales",), ko=("B2B 영업", "기업 영업"), el=(
        "Closed KRW {N}00M in new {k} revenue in a year",
        "Built a {k} pipeline in the fintech vertical from scratch",
    ), kl=(
        "연 {N}억 원 규모 신규 {k} 매출 달성",
        "핀테크 업종 {k} 파이프라인 신규 구축",
    )),
    "Salesforce": _s(ko=("세일즈포스", "Salesforce"), el=(
        "Cleaned up {k} pipeline stages and forecast hygiene",
    ), kl=(
        "{k} 파이프라인 단계 및 데이터 관리 체계 정비",
    )),
    "Account Management": _s(en=("account management",), ko=("고객사 관리", "어카운트 관리"), el=(
        "Ran {k} for {N} key accounts with net revenue retention above 110%",
    ), kl=(
        "주요 고객사 {N}곳 {k} 담당, 순매출 유지율 110% 이상",
    )),
    "Negotiation": _s(en=("negotiation",), ko=("협상",), el=(
        "Led contract {k} on multi-year enterprise deals",
    ), kl=(
        "다년 계약 {k} 리드",
    )),
    "Lead Generation": _s(en=("lead generation",), ko=("리드 발굴", "리드 제너레이션"), el=(
        "Built outbound {k} that added {N}0 qualified leads per quarter",
    ), kl=(
        "아웃바운드 {k으로} 분기 {N}0건 유효 리드 확보",
    )),
    "Enterprise Sales": _s(en=("enterprise sales",), ko=("엔터프라이즈 영업",), el=(
        "Owned {k} cycles of 6-12 months with C-level buyers",
    ), kl=(
        "C레벨 대상 6~12개월 {k} 사이클 리드",
    )),
    "Sales Forecasting": _s(en=("sales forecasting",), ko=("매출 예측", "세일즈 포캐스트"), el=(
        "Ran weekly {k} with {acc}% accuracy",
    ), kl=(
        "주간 {k} 정확도 {acc}% 달성",
    )),
    "Partnerships": _s(en=("partnerships",), ko=("파트너십", "제휴 영업"), el=(
        "Signed {n} channel {k} with resellers",
    ), kl=(
        "리셀러 대상 채널 {k} {n}건 체결",
    )),
    # ---- legal ----
    "Contract Review": _s(en=("contract review",), ko=("계약 검토", "계약서 검토"), el=(
        "Handled {k} for {N}+ commercial agreements a quarter",
        "Built {k} templates and playbooks for the sales team",
    ), kl=(
        "분기 {N}건 이상 상거래 {k}",
        "영업팀용 {k} 가이드 및 표준 템플릿 작성",
    )),
    "Data Privacy": _s(en=("data privacy",), ko=("개인정보보호", "개인정보 보호"), el=(
        "Advised on {k} under PIPA and GDPR for new features",
        "Ran {k} impact assessments for {n} products",
    ), kl=(
        "개인정보보호법·GDPR 기준 신규 기능 {k} 검토",
        "{n}개 서비스 {k} 영향평가 수행",
    )),
    "Corporate Law": _s(en=("corporate law",), ko=("회사법", "상법"), el=(
        "Supported board and shareholder meetings as {k} counsel",
    ), kl=(
        "이사회·주주총회 운영 등 {k} 자문",
    )),
    "Compliance": _s(en=("compliance",), ko=("컴플라이언스", "준법"), el=(
        "Built the {k} program, including anti-bribery training",
    ), kl=(
        "반부패 교육 포함 {k} 프로그램 수립",
    )),
    "Intellectual Property": _s(en=("intellectual property",), ko=("지식재산권", "지식재산"), el=(
        "Managed the {k} portfolio of {N} patents and trademarks",
    ), kl=(
        "특허·상표 {N}건 {k} 포트폴리오 관리",
    )),
    "Litigation": _s(en=("litigation",), ko=("소송",), el=(
        "Managed {n} {k} matters with outside counsel",
    ), kl=(
        "외부 로펌과 {n}건 {k} 대응",
    )),
    "Fair Trade Law": _s(en=("Fair Trade Law", "antitrust"), ko=("공정거래법",), el=(
        "Reviewed promotions and platform terms under the {k}",
    ), kl=(
        "프로모션·플랫폼 약관 {k} 검토",
    )),
    # ---- operations ----
    "Process Improvement": _s(en=("process improvement",), ko=("프로세스 개선", "업무 프로세스 개선"), el=(
        "Led {k} for order fulfilment, cutting lead time by {pct}%",
        "Ran {k} workshops that removed {n} manual hand-offs",
    ), kl=(
        "주문 처리 {k으로} 리드타임 {pct}% 단축",
        "{k} 워크숍 운영, 수작업 인계 {n}단계 제거",
    )),
    "Supply Chain": _s(en=("supply chain",), ko=("공급망 관리", "SCM"), el=(
        "Managed {k} planning for {N}0 SKUs",
    ), kl=(
        "{N}0개 SKU 대상 {k} 계획 수립",
    )),
    "Vendor Management": _s(en=("vendor management",), ko=("협력사 관리", "벤더 관리"), el=(
        "Ran {k} for {N} suppliers, including quarterly reviews",
    ), kl=(
        "공급사 {N}곳 {k} 및 분기 평가",
    )),
    "Logistics": _s(en=("logistics",), ko=("물류",), el=(
        "Redesigned {k} routing with 3PL providers, saving {pct}% on delivery cost",
    ), kl=(
        "3PL 협업 {k} 경로 재설계로 배송비 {pct}% 절감",
    )),
    "Project Management": _s(en=("project management",), ko=("프로젝트 관리",), el=(
        "Ran {k} for a {n}-country expansion",
        "Owned {k} for the warehouse system cutover",
    ), kl=(
        "{n}개국 진출 {k} 총괄",
        "창고 시스템 전환 {k} 담당",
    )),
    "Six Sigma": _s(ko=("식스 시그마", "6시그마"), el=(
        "Ran {k} DMAIC projects on returns handling",
    ), kl=(
        "반품 처리 {k} DMAIC 과제 수행",
    )),
    "Procurement": _s(en=("procurement",), ko=("구매 업무", "조달"), el=(
        "Ran {k} for IT and office spend, saving KRW {N}0M a year",
    ), kl=(
        "IT·사무 비용 {k} 총괄, 연 {N}억 원 절감",
    )),
    # ---- customer support ----
    "Zendesk": _s(ko=("Zendesk", "젠데스크"), el=(
        "Configured {k} triggers, macros and SLAs for {N} agents",
        "Migrated the help desk to {k} and rebuilt ticket routing",
    ), kl=(
        "상담원 {N}명 대상 {k} 트리거·매크로·SLA 설정",
        "헬프데스크를 {k으로} 이전하고 티켓 라우팅 재설계",
    )),
    "Customer Success": _s(en=("customer success",), ko=("고객 성공", "커스터머 석세스"), el=(
        "Ran {k} programs for top accounts, cutting churn by {pct}%",
    ), kl=(
        "주요 고객 대상 {k} 프로그램 운영, 이탈률 {pct}% 감소",
    )),
    "VOC Analysis": _s(en=("VOC analysis",), ko=("VOC 분석",), el=(
        "Ran monthly {k} and fed insights to the product team",
    ), kl=(
        "월간 {k} 리포트로 제품 개선 과제 도출",
    )),
    "Technical Support": _s(en=("technical support",), ko=("기술 지원",), el=(
        "Provided tier-2 {k} for API integrations",
    ), kl=(
        "API 연동 관련 2차 {k} 담당",
    )),
    "CS Operations": _s(en=("CS operations",), ko=("CS 운영",), el=(
        "Led {k}: staffing, QA and workforce planning",
    ), kl=(
        "{k} 총괄: 인력 계획·상담 품질 관리",
    )),
    "Knowledge Base": _s(en=("knowledge base",), ko=("헬프센터", "지식 베이스"), el=(
        "Rebuilt the {k}, raising self-service resolution by {pct}%",
    ), kl=(
        "{k} 개편으로 셀프 해결률 {pct}% 향상",
    )),
    "Escalation Management": _s(en=("escalation management",), ko=("에스컬레이션 관리",), el=(
        "Owned {k} for VIP and outage cases",
    ), kl=(
        "VIP·장애 {k} 프로세스 담당",
    )),
}
for _name, _sk in SKILLS.items():
    if _sk["en"] is None:
        _sk["en"] = (_name,)
    if not _sk["ko"]:
        _sk["ko"] = _sk["en"][:1]


# --------------------------------------------------------------------------------------------------------------
# Job families.
# --------------------------------------------------------------------------------------------------------------

MISSION_CODES = {"hr": "1000201", "ai_ml": "1000242", "backend": "1000229", "frontend": "1000230",
                 "marketing_planning": "1000187", "finance": "1000210"}

_TECH_FILLER_EN = (
    "Mentored {n} junior engineers and ran weekly code reviews",
    "Took part in the on-call rotation and wrote postmortems for major incidents",
    "Interviewed {N}+ candidates for engineering roles",
    "Presented at the internal tech talk series {n} times",
    "Cleaned up legacy modules, reducing build time by {pct}%",
    "Wrote design docs and ran architecture reviews with neighbouring teams",
    "Raised test coverage of the team's main service from {pct}% to 80%",
    "Automated release notes and changelog generation",
    "Paired with new joiners during their first weeks on the team",
    "Cut alert noise by {pct}% by tuning thresholds with the team",
)
_TECH_FILLER_KO = (
    "주니어 개발자 {n}명 멘토링 및 코드 리뷰",
    "온콜 로테이션 참여 및 장애 회고 문서 작성",
    "개발 직군 면접관으로 {N}명 이상 면접 참여",
    "사내 기술 세미나 {n}회 발표",
    "레거시 모듈 정리로 빌드 시간 {pct}% 단축",
    "설계 문서 작성 및 유관 팀과 아키텍처 리뷰 진행",
    "핵심 서비스 테스트 커버리지 {pct}%에서 80%로 향상",
    "릴리스 노트 자동 생성 도구 개발",
    "신규 입사자 페어 프로그래밍 지원",
    "알림 임계치 조정으로 불필요한 알림 {pct}% 감소",
)
_BIZ_FILLER_EN = (
    "Coached {n} junior team members",
    "Presented quarterly results to the leadership team",
    "Coordinated company-wide initiatives with {n} teams",
    "Streamlined weekly reporting, saving about {n} hours a week",
    "Wrote team playbooks and templates adopted by {n} other teams",
    "Ran monthly business reviews with {n} stakeholders",
    "Documented team workflows so handovers take days, not weeks",
    "Managed the team's annual spend of KRW {N}0M",
    "Acted as the team's point of contact for {n} cross-functional projects",
)
_BIZ_FILLER_KO = (
    "주니어 팀원 {n}명 코칭",
    "경영진 대상 분기 성과 보고",
    "{n}개 팀과 전사 과제 협업",
    "주간 보고 양식 정비로 주당 {n}시간 절감",
    "팀 업무 가이드 작성, 타 팀 {n}곳에서 활용",
    "월간 사업 리뷰 운영 (유관자 {n}명)",
    "업무 인수인계 문서 체계화",
    "팀 연간 운영비 {N}억 원 집행 관리",
    "유관 부서 프로젝트 {n}건 창구 역할",
)
# a second evidence line for a specialty, usable with any skill
_TECH_EXTRA_EN = (
    "Championed {k} within the team and wrote internal how-to guides",
    "Ran an internal workshop on {k} for {N} colleagues",
    "Reviewed {k} designs and code for {n} teams",
)
_TECH_EXTRA_KO = (
    "{k} 도입을 주도하고 사내 가이드 문서 작성",
    "사내 {k} 스터디 운영 ({N}명 참여)",
    "{n}개 팀의 {k} 관련 설계·코드 리뷰 담당",
)
_BIZ_EXTRA_EN = (
    "Built the team playbook for {k}",
    "Trained {N} colleagues on {k} practices",
    "Recognized internally for {k} results",
)
_BIZ_EXTRA_KO = (
    "{k} 관련 팀 플레이북 작성",
    "사내 {N}명 대상 {k} 실무 교육 진행",
    "{k} 성과로 사내 우수사원 선정",
)


def _fam(**kw):
    return kw


FAMILIES: dict[str, dict] = {
    "backend": _fam(
        cat="tech", weight=40,
        tracks=[(5, {"Java": 3, "Spring Boot": 3, "Kotlin": 2, "Kafka": 3, "MySQL": 1.5, "Redis": 1.5,
                     "Microservices": 1.5}),
                (2, {"Go": 3, "gRPC": 2, "Kafka": 2.5, "PostgreSQL": 2, "Redis": 1.5, "Microservices": 1.5}),
                (2.5, {"Python": 4, "Django": 2.5, "PostgreSQL": 2, "RabbitMQ": 1.5, "Redis": 1, "Kafka": 1}),
                (1, {"Node.js": 3, "PostgreSQL": 2, "Redis": 1.5, "Kafka": 1.5, "RabbitMQ": 1})],
        depts=["Platform Engineering", "Platform Engineering", "Payments"],
        alt_depts=["Data & AI", "Mobile", "Operations", "Growth Marketing"],
        titles_en=["Backend Engineer", "Software Engineer, Backend", "Server Engineer", "Backend Developer"],
        titles_ko=["백엔드 개발자", "서버 개발자", "백엔드 엔지니어"],
        mgr_en=["Engineering Manager", "Backend Team Lead"], mgr_ko=["백엔드 팀장", "서버개발팀장"],
        role_en="backend engineer", role_ko="백엔드 개발자",
        domain_en=["building payment and commerce backends", "running high-traffic transactional services",
                   "designing APIs and data models for consumer products"],
        domain_ko=["대용량 결제·커머스 백엔드 개발", "고트래픽 트랜잭션 서비스 운영", "서비스 API·데이터 모델 설계"],
        bullets_en=["Owned the order service end to end, from API design to on-call",
                    "Designed idempotent payment APIs used by {n} partner integrations",
                    "Cut p99 latency of core APIs by {pct}% through profiling"],
        bullets_ko=["주문 서비스 API 설계부터 운영까지 전담", "멱등성을 보장하는 결제 API 설계, 외부 연동 {n}건",
                    "프로파일링 기반 핵심 API p99 지연 {pct}% 개선"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Software Engineering", "소프트웨어학과"),
                ("Electrical Engineering", "전자공학과")],
        certs=[("Oracle Certified Professional: Java SE 11 Developer", "Oracle Certified Professional: Java SE 11 Developer", "Java"),
               ("Engineer Information Processing (정보처리기사)", "정보처리기사", None)],
    ),
    "frontend": _fam(
        cat="tech", weight=24,
        tracks=[(6, {"React": 4.5, "TypeScript": 3, "Next.js": 2, "JavaScript": 1, "Web Performance": 1.5,
                     "Accessibility": 1, "GraphQL": 1, "Design Systems": 1, "CSS": 0.7}),
                (3, {"Vue.js": 5, "TypeScript": 2, "JavaScript": 2, "CSS": 1.5, "Web Performance": 1,
                     "Accessibility": 1})],
        depts=["Web Frontend"], alt_depts=["Payments", "Product", "Growth Marketing"],
        titles_en=["Frontend Engineer", "Frontend Developer", "Web Engineer", "Software Engineer, Web"],
        titles_ko=["프론트엔드 개발자", "웹 프론트엔드 개발자", "프론트엔드 엔지니어"],
        mgr_en=["Frontend Engineering Manager", "Web Team Lead"], mgr_ko=["프론트엔드 팀장", "웹개발팀장"],
        role_en="frontend engineer", role_ko="프론트엔드 개발자",
        domain_en=["building user-facing web applications", "shipping fast, polished web experiences",
                   "building commerce and back-office web apps"],
        domain_ko=["사용자 대상 웹 서비스 개발", "커머스·백오피스 웹 개발", "웹 화면 개발 및 사용자 경험 개선"],
        bullets_en=["Shipped the redesigned sign-up flow, raising completion by {pct}%",
                    "Built shared UI components reused across {n} products",
                    "Set up frontend error tracking and cut client errors by {pct}%"],
        bullets_ko=["가입 플로우 개편으로 완료율 {pct}% 향상", "{n}개 서비스에서 재사용하는 공통 UI 컴포넌트 개발",
                    "프론트엔드 에러 트래킹 구축으로 클라이언트 에러 {pct}% 감소"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Software Engineering", "소프트웨어학과"),
                ("Industrial Design", "산업디자인학과")],
        certs=[("Engineer Information Processing (정보처리기사)", "정보처리기사", None)],
    ),
    "ai_ml": _fam(
        cat="tech", weight=24,
        tracks=[(3, {"LLM": 3, "RAG": 2.5, "NLP": 2.5, "PyTorch": 2.5, "Python": 1.5, "MLOps": 1}),
                (3, {"Recommender Systems": 3.5, "PyTorch": 3, "MLOps": 2, "Python": 2, "TensorFlow": 1.5}),
                (2.5, {"Computer Vision": 4, "PyTorch": 3, "TensorFlow": 2, "MLOps": 1, "Python": 1})],
        depts=["Data & AI"], alt_depts=["Payments", "Product", "Platform Engineering"],
        titles_en=["Machine Learning Engineer", "ML Engineer", "AI Engineer", "Applied Scientist"],
        titles_ko=["머신러닝 엔지니어", "AI 엔지니어", "ML 엔지니어", "AI 연구원"],
        mgr_en=["ML Engineering Manager", "Head of AI"], mgr_ko=["AI팀장", "머신러닝 팀장"],
        role_en="machine learning engineer", role_ko="머신러닝 엔지니어",
        domain_en=["shipping machine learning models to production", "building AI features for consumer products",
                   "applied machine learning for fintech"],
        domain_ko=["머신러닝 모델 개발 및 서비스 적용", "AI 기능 기획·개발", "핀테크 분야 응용 머신러닝"],
        bullets_en=["Shipped {n} models to production with offline and online evaluation",
                    "Worked with product managers to turn model outputs into user-facing features",
                    "Built labeling guidelines and evaluation sets for Korean text"],
        bullets_ko=["오프라인·온라인 평가를 거쳐 모델 {n}개 프로덕션 배포", "모델 결과를 실제 서비스 기능으로 연결하는 작업 주도",
                    "한국어 데이터 라벨링 가이드 및 평가셋 구축"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Mathematics", "수학과"),
                ("Electrical Engineering", "전기전자공학부")],
        certs=[("TensorFlow Developer Certificate", "TensorFlow Developer Certificate", "TensorFlow"),
               ("Engineer Information Processing (정보처리기사)", "정보처리기사", None)],
        masters=0.45,
    ),
    "hr": _fam(
        cat="biz", weight=24,
        tracks=[(1, {"Recruiting": 3, "Performance Management": 2.5, "Compensation & Benefits": 2, "Labor Law": 2,
                     "Onboarding": 1.5, "Employee Relations": 1.5, "Organizational Development": 1.5,
                     "HR Analytics": 1, "Learning & Development": 1, "Workday": 0.8})],
        depts=["People (HR)"], alt_depts=["Operations"],
        skill_depts={"Recruiting": "Talent Acquisition"},
        titles_en=["HR Generalist", "HR Business Partner", "People Partner", "HR Specialist"],
        titles_ko=["인사 담당자", "HRBP", "인사 매니저", "HR 매니저"],
        mgr_en=["People Team Lead", "HR Manager"], mgr_ko=["인사팀장", "피플팀 리드"],
        role_en="HR professional", role_ko="HR 담당자",
        domain_en=["running people programs in fast-growing tech companies", "people operations and HR policy",
                   "supporting managers on people matters"],
        domain_ko=["성장 단계 IT 기업 인사 제도 운영", "인사 운영 및 제도 기획", "현업 리더 대상 인사 파트너링"],
        bullets_en=["Partnered with {n} business leaders on org design and headcount planning",
                    "Ran the annual engagement survey and follow-up action planning",
                    "Handled {N}0+ employee inquiries a month on HR policies"],
        bullets_ko=["사업부 리더 {n}명과 조직 설계·인력 계획 협업", "연간 직원 몰입도 조사 및 후속 과제 운영",
                    "월 {N}0건 이상 인사 제도 문의 대응"],
        majors=[("Business Administration", "경영학과"), ("Psychology", "심리학과"), ("Sociology", "사회학과")],
        certs=[("Certified Labor Attorney (공인노무사)", "공인노무사", "Labor Law"), ("SHRM-CP", "SHRM-CP", None)],
    ),
    "marketing_planning": _fam(
        cat="biz", weight=24,
        tracks=[(3, {"Performance Marketing": 3, "GA4": 2.5, "Google Ads": 1.5, "CRM Marketing": 2,
                     "A/B Testing": 1.2, "SEO": 1.2}),
                (2, {"Brand Strategy": 3, "Campaign Management": 2.5, "Content Marketing": 2, "Market Research": 1.5,
                     "Performance Marketing": 1, "GA4": 0.8})],
        depts=["Growth Marketing"], alt_depts=["Product", "Sales"],
        skill_depts={"Brand Strategy": "Brand Marketing", "Campaign Management": "Brand Marketing",
                     "Content Marketing": "Brand Marketing", "Market Research": "Brand Marketing"},
        titles_en=["Marketing Specialist", "Marketing Manager", "Growth Marketer", "Marketing Planner"],
        titles_ko=["마케터", "마케팅 매니저", "그로스 마케터", "마케팅 담당자"],
        mgr_en=["Marketing Team Lead", "Head of Marketing"], mgr_ko=["마케팅 팀장", "그로스마케팅 팀장"],
        role_en="marketer", role_ko="마케터",
        domain_en=["growing consumer brands through digital channels", "planning and running marketing programs",
                   "growth marketing for apps and fintech"],
        domain_ko=["디지털 채널 기반 브랜드 성장", "마케팅 전략 수립 및 실행", "앱·핀테크 그로스 마케팅"],
        bullets_en=["Planned the annual marketing calendar and channel spend allocation",
                    "Launched {n} new products with sales and product teams",
                    "Reported weekly channel results to leadership"],
        bullets_ko=["연간 마케팅 캘린더 및 채널별 비용 배분 계획 수립", "영업·제품팀과 신제품 론칭 {n}건 진행",
                    "채널별 성과 주간 보고"],
        majors=[("Business Administration", "경영학과"), ("Media & Communication", "미디어커뮤니케이션학과"),
                ("Economics", "경제학과")],
        certs=[("Google Ads Search Certification", "Google Ads 검색 인증", "Google Ads"),
               ("Google Analytics Certification (GA4)", "Google Analytics 자격증 (GA4)", "GA4")],
    ),
    "finance": _fam(
        cat="biz", weight=24,
        tracks=[(3, {"K-IFRS": 3, "Financial Closing": 2.5, "Financial Reporting": 2, "Tax": 3, "Audit": 1.5,
                     "Cost Accounting": 1, "SAP": 1}),
                (2, {"FP&A": 3, "Budgeting": 2.5, "Financial Modeling": 2, "Treasury": 1.5, "K-IFRS": 1,
                     "SAP": 0.8})],
        depts=["Accounting"], alt_depts=["Operations", "Sales"],
        skill_depts={"FP&A": "Finance", "Budgeting": "Finance", "Financial Modeling": "Finance", "Treasury": "Finance"},
        titles_en=["Financial Analyst", "Accountant", "Finance Specialist", "Corporate Finance Analyst"],
        titles_ko=["재무 담당자", "회계 담당자", "재무회계 매니저", "재무팀 매니저"],
        mgr_en=["Finance Team Lead", "Controller"], mgr_ko=["재무팀장", "회계팀장"],
        role_en="finance professional", role_ko="재무·회계 담당자",
        domain_en=["corporate finance and accounting", "accounting operations in tech companies",
                   "finance for venture-backed startups"],
        domain_ko=["기업 재무·회계", "IT 기업 회계 운영", "투자 유치 단계 스타트업 재무"],
        bullets_en=["Supported the fundraising data room and investor due diligence",
                    "Built monthly management reports for the CFO",
                    "Improved expense policy and approval workflows"],
        bullets_ko=["투자 유치 데이터룸 및 실사 대응", "CFO 대상 월간 관리 보고서 작성", "경비 규정 및 결재 절차 정비"],
        majors=[("Accounting", "회계학과"), ("Business Administration", "경영학과"), ("Economics", "경제학과")],
        certs=[("Korean CPA (KICPA)", "공인회계사 (KICPA)", None), ("Certified Tax Accountant (세무사)", "세무사", "Tax"),
               ("Certified Accounting Manager (재경관리사)", "재경관리사", None)],
    ),
    "data_engineering": _fam(
        cat="tech", weight=18,
        tracks=[(1, {"Spark": 3, "Airflow": 3, "Kafka": 2, "dbt": 1.5, "BigQuery": 1.5, "Snowflake": 1,
                     "Data Modeling": 1.5, "ETL": 1.5, "Flink": 1, "Python": 1.5, "SQL": 1})],
        depts=["Data & AI"], alt_depts=["Platform Engineering", "Payments", "Infrastructure"],
        titles_en=["Data Engineer", "Data Platform Engineer", "Analytics Engineer"],
        titles_ko=["데이터 엔지니어", "데이터 플랫폼 엔지니어"],
        mgr_en=["Data Engineering Manager"], mgr_ko=["데이터엔지니어링 팀장"],
        role_en="data engineer", role_ko="데이터 엔지니어",
        domain_en=["building data platforms and pipelines", "making data reliable for analysts and ML teams"],
        domain_ko=["데이터 플랫폼·파이프라인 구축", "분석·ML 조직을 위한 데이터 인프라 운영"],
        bullets_en=["Ran the data platform serving {N} analysts and {n} ML teams",
                    "Introduced data quality checks that caught broken loads before reports did",
                    "Built backfill tooling for reprocessing historical data"],
        bullets_ko=["분석가 {N}명·ML팀 {n}곳이 쓰는 데이터 플랫폼 운영", "데이터 품질 검증 도입으로 리포트 오류 사전 차단",
                    "과거 데이터 재처리용 백필 도구 개발"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Industrial Engineering", "산업공학과")],
        certs=[("Databricks Certified Data Engineer Associate", "Databricks Certified Data Engineer Associate", "Spark"),
               ("Big Data Analysis Engineer (빅데이터분석기사)", "빅데이터분석기사", None)],
    ),
    "data_analytics": _fam(
        cat="tech", weight=18,
        tracks=[(1, {"SQL": 3, "Tableau": 2, "Python": 2, "A/B Testing": 2, "Statistics": 1.5,
                     "Product Analytics": 1.5, "Looker": 1, "Excel": 1, "GA4": 1})],
        depts=["Data & AI"], alt_depts=["Growth Marketing", "Product", "Finance", "Operations"],
        titles_en=["Data Analyst", "Business Analyst", "Product Analyst", "Data Scientist"],
        titles_ko=["데이터 분석가", "비즈니스 분석가", "데이터 사이언티스트"],
        mgr_en=["Analytics Manager", "Head of Analytics"], mgr_ko=["데이터분석 팀장"],
        role_en="data analyst", role_ko="데이터 분석가",
        domain_en=["turning product and business data into decisions", "analytics for consumer apps"],
        domain_ko=["데이터 기반 의사결정 지원", "앱 서비스 데이터 분석"],
        bullets_en=["Partnered with marketing and product on weekly metric reviews",
                    "Defined the company North Star metric and its input metrics",
                    "Sized a new market opportunity that informed a major investment decision"],
        bullets_ko=["마케팅·제품 조직과 주간 지표 리뷰 운영", "전사 북극성 지표 및 하위 지표 정의",
                    "신규 사업 시장 규모 추정으로 투자 의사결정 지원"],
        majors=[("Industrial Engineering", "산업공학과"), ("Economics", "경제학과"), ("Mathematics", "수학과")],
        certs=[("SQLD (SQL Developer)", "SQLD", "SQL"), ("ADsP (Advanced Data Analytics Semi-Professional)", "ADsP (데이터분석 준전문가)", None),
               ("Tableau Desktop Specialist", "Tableau Desktop Specialist", "Tableau")],
    ),
    "devops": _fam(
        cat="tech", weight=18,
        tracks=[(1, {"Kubernetes": 3, "Terraform": 2.5, "AWS": 2.5, "Docker": 2, "CI/CD": 2, "Prometheus": 1.5,
                     "Linux": 1.5, "GCP": 1, "Ansible": 1, "Helm": 1})],
        depts=["Infrastructure"], alt_depts=["Platform Engineering", "Security"],
        titles_en=["DevOps Engineer", "Site Reliability Engineer", "Infrastructure Engineer", "Cloud Engineer"],
        titles_ko=["데브옵스 엔지니어", "인프라 엔지니어", "SRE", "클라우드 엔지니어"],
        mgr_en=["Infrastructure Manager", "SRE Manager"], mgr_ko=["인프라 팀장"],
        role_en="DevOps engineer", role_ko="데브옵스 엔지니어",
        domain_en=["running reliable cloud infrastructure", "platform and reliability engineering"],
        domain_ko=["클라우드 인프라 운영", "플랫폼·신뢰성 엔지니어링"],
        bullets_en=["Maintained 99.9{n}% availability for core services",
                    "Built self-service infrastructure templates for product teams",
                    "Ran game days and disaster recovery drills"],
        bullets_ko=["핵심 서비스 가용성 99.9{n}% 유지", "개발팀 셀프서비스 인프라 템플릿 구축", "재해 복구 훈련 및 게임데이 운영"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Information & Communication Engineering", "정보통신공학과")],
        certs=[("CKA (Certified Kubernetes Administrator)", "CKA (Certified Kubernetes Administrator)", "Kubernetes"),
               ("AWS Certified Solutions Architect – Associate", "AWS Certified Solutions Architect – Associate", "AWS"),
               ("HashiCorp Certified: Terraform Associate", "HashiCorp Certified: Terraform Associate", "Terraform"),
               ("Linux Master Level 1 (리눅스마스터 1급)", "리눅스마스터 1급", "Linux")],
    ),
    "security": _fam(
        cat="tech", weight=14,
        tracks=[(1, {"Penetration Testing": 2.5, "ISMS-P": 3.5, "Cloud Security": 2, "SIEM": 1.5,
                     "Incident Response": 2, "Vulnerability Management": 2, "Zero Trust": 1, "ISO 27001": 1,
                     "Secure Coding": 1})],
        depts=["Security"], alt_depts=["Infrastructure", "Legal"],
        titles_en=["Security Engineer", "Information Security Specialist", "Security Analyst"],
        titles_ko=["보안 엔지니어", "정보보안 담당자", "정보보호 매니저"],
        mgr_en=["Security Manager", "Head of Information Security"], mgr_ko=["보안팀장", "정보보호 팀장"],
        role_en="security engineer", role_ko="보안 엔지니어",
        domain_en=["protecting fintech platforms and customer data", "information security in regulated industries"],
        domain_ko=["핀테크 플랫폼 정보보호", "규제 산업 정보보안"],
        bullets_en=["Wrote security policies and ran awareness training for all staff",
                    "Reviewed {N}0+ architecture designs for security risks",
                    "Managed the bug bounty program"],
        bullets_ko=["전사 보안 정책 수립 및 보안 인식 교육 운영", "아키텍처 설계 {N}0여 건 보안 리뷰", "버그 바운티 프로그램 운영"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Information Security", "정보보호학과")],
        certs=[("Information Security Engineer (정보보안기사)", "정보보안기사", None), ("CISSP", "CISSP", None),
               ("OSCP", "OSCP", "Penetration Testing"), ("ISMS-P Certification Auditor", "ISMS-P 인증심사원", "ISMS-P")],
    ),
    "mobile": _fam(
        cat="tech", weight=18,
        tracks=[(4, {"iOS": 3, "Swift": 3, "SwiftUI": 1.5}),
                (4, {"Android": 3, "Kotlin": 3, "Jetpack Compose": 1.5}),
                (1.5, {"Flutter": 3, "React Native": 2.5, "iOS": 1, "Android": 1})],
        depts=["Mobile"], alt_depts=["Payments", "Web Frontend"],
        titles_en=["Mobile Engineer", "Mobile Developer", "App Developer"],
        titles_ko=["모바일 개발자", "앱 개발자", "모바일 엔지니어"],
        mgr_en=["Mobile Engineering Manager"], mgr_ko=["모바일개발 팀장"],
        role_en="mobile engineer", role_ko="모바일 개발자",
        domain_en=["building consumer mobile apps", "shipping high-quality fintech apps"],
        domain_ko=["모바일 앱 개발", "금융 앱 개발 및 운영"],
        bullets_en=["Reduced app size by {pct}% and cold start time by {ms}ms",
                    "Owned the app release process and store review communications",
                    "Built in-app payment flows with the platform billing APIs"],
        bullets_ko=["앱 용량 {pct}% 감소 및 콜드 스타트 {ms}ms 단축", "앱 릴리스 및 스토어 심사 대응 담당", "인앱 결제 플로우 개발"],
        majors=[("Computer Science", "컴퓨터공학과"), ("Software Engineering", "소프트웨어학과")],
        certs=[("Engineer Information Processing (정보처리기사)", "정보처리기사", None)],
    ),
    "product": _fam(
        cat="biz", weight=20,
        tracks=[(1, {"Product Strategy": 2, "Roadmapping": 2, "User Research": 2, "Product Analytics": 1.5,
                     "Agile": 1.5, "Jira": 1, "PRD Writing": 2, "A/B Testing": 1.5, "Stakeholder Management": 1.5,
                     "Go-to-Market": 1})],
        depts=["Product"], alt_depts=["Payments", "Growth Marketing", "Data & AI"],
        titles_en=["Product Manager", "Product Owner", "Service Planner"],
        titles_ko=["PM", "서비스 기획자", "프로덕트 매니저", "PO"],
        mgr_en=["Group Product Manager", "Head of Product"], mgr_ko=["프로덕트 리드", "서비스기획 팀장"],
        role_en="product manager", role_ko="프로덕트 매니저",
        domain_en=["building consumer fintech products", "taking B2B products from discovery to launch"],
        domain_ko=["핀테크 서비스 기획", "B2B 제품 기획 및 출시"],
        bullets_en=["Launched {n} features that grew weekly active users by {pct}%",
                    "Defined success metrics and ran post-launch reviews",
                    "Led a {n}-person squad with engineering and design"],
        bullets_ko=["신규 기능 {n}개 출시로 WAU {pct}% 성장", "성공 지표 정의 및 출시 후 회고 진행", "개발·디자인 {n}인 스쿼드 리딩"],
        majors=[("Business Administration", "경영학과"), ("Industrial Engineering", "산업공학과"),
                ("Computer Science", "컴퓨터공학과")],
        certs=[("Certified Scrum Product Owner (CSPO)", "CSPO (Certified Scrum Product Owner)", None)],
    ),
    "design": _fam(
        cat="biz", weight=16,
        tracks=[(3, {"Figma": 3, "UI Design": 2.5, "Design Systems": 2, "Prototyping": 1.5,
                     "Interaction Design": 1.5, "User Research": 1.5}),
                (1, {"Brand Design": 3, "Motion Design": 2, "Figma": 2, "UI Design": 1})],
        depts=["Design"], alt_depts=["Brand Marketing", "Product"],
        skill_depts={"Brand Design": "Brand Marketing"},
        titles_en=["Product Designer", "UX Designer", "UI/UX Designer", "Visual Designer"],
        titles_ko=["프로덕트 디자이너", "UX 디자이너", "UI/UX 디자이너"],
        mgr_en=["Design Manager", "Head of Design"], mgr_ko=["디자인 팀장"],
        role_en="product designer", role_ko="프로덕트 디자이너",
        domain_en=["designing simple financial products", "designing mobile and web experiences"],
        domain_ko=["모바일·웹 서비스 디자인", "금융 서비스 사용자 경험 설계"],
        bullets_en=["Redesigned the checkout, lifting conversion by {pct}%",
                    "Ran design critiques and set visual quality bars for the team",
                    "Worked with engineers on implementation QA"],
        bullets_ko=["결제 화면 리디자인으로 전환율 {pct}% 상승", "디자인 크리틱 운영 및 품질 기준 수립", "개발자와 구현 QA 협업"],
        majors=[("Visual Design", "시각디자인학과"), ("Industrial Design", "산업디자인학과"), ("HCI", "인터랙션디자인 전공")],
        certs=[("Google UX Design Certificate", "Google UX Design Certificate", None)],
    ),
    "sales": _fam(
        cat="biz", weight=18,
        tracks=[(1, {"B2B Sales": 3, "Salesforce": 2, "Account Management": 2, "Negotiation": 1.5,
                     "Lead Generation": 1.5, "Enterprise Sales": 1.5, "Sales Forecasting": 1, "Partnerships": 1.5})],
        depts=["Sales"], alt_depts=["Customer Support", "Brand Marketing"],
        titles_en=["Account Executive", "Sales Manager", "Business Development Manager", "Sales Representative"],
        titles_ko=["영업 담당자", "영업 매니저", "사업개발 매니저", "세일즈 매니저"],
        mgr_en=["Sales Team Lead", "Head of Sales"], mgr_ko=["영업팀장", "세일즈 팀장"],
        role_en="sales professional", role_ko="영업 담당자",
        domain_en=["selling SaaS and payment products to businesses", "growing revenue with mid-market customers"],
        domain_ko=["기업 대상 SaaS·결제 솔루션 영업", "중견기업 고객 매출 확대"],
        bullets_en=["Exceeded the annual quota by {pct}% two years in a row",
                    "Managed a territory of {N} mid-market customers",
                    "Ran product demos and proofs of concept with prospects"],
        bullets_ko=["2년 연속 연간 목표 {pct}% 초과 달성", "중견기업 고객 {N}곳 담당", "잠재 고객 대상 제품 데모 및 PoC 진행"],
        majors=[("Business Administration", "경영학과"), ("International Trade", "국제통상학과")],
        certs=[("Salesforce Certified Administrator", "Salesforce Certified Administrator", "Salesforce")],
    ),
    "legal": _fam(
        cat="biz", weight=12,
        tracks=[(1, {"Contract Review": 3, "Data Privacy": 2.5, "Corporate Law": 1.5, "Compliance": 2,
                     "Intellectual Property": 1, "Labor Law": 1.5, "Litigation": 1, "Fair Trade Law": 1})],
        depts=["Legal"], alt_depts=["People (HR)", "Finance"],
        titles_en=["Legal Counsel", "Corporate Counsel", "Legal Specialist", "Attorney"],
        titles_ko=["법무 담당자", "사내 변호사", "법무팀 변호사"],
        mgr_en=["Head of Legal", "Legal Team Lead"], mgr_ko=["법무팀장"],
        role_en="in-house lawyer", role_ko="사내 변호사",
        domain_en=["advising technology companies", "in-house legal work for platform businesses"],
        domain_ko=["IT 기업 법률 자문", "플랫폼 기업 사내 법무"],
        bullets_en=["Drafted internal policies and terms of service",
                    "Advised business teams on new product launches",
                    "Managed outside counsel matters and budget"],
        bullets_ko=["사내 규정 및 이용약관 작성", "신규 서비스 출시 법률 자문", "외부 로펌 사건 및 비용 관리"],
        majors=[("Law", "법학과"), ("Law (J.D.)", "법학전문대학원")],
        certs=[("Attorney at Law, Korea", "변호사 (대한민국)", None), ("CIPP/E", "CIPP/E", "Data Privacy")],
    ),
    "operations": _fam(
        cat="biz", weight=14,
        tracks=[(1, {"Process Improvement": 3, "Project Management": 2.5, "Vendor Management": 2,
                     "Supply Chain": 1.5, "Logistics": 1.5, "Procurement": 1.5, "Six Sigma": 1})],
        depts=["Operations"], alt_depts=["Customer Support", "Finance", "Sales"],
        titles_en=["Operations Manager", "Operations Specialist", "Business Operations Analyst"],
        titles_ko=["운영 매니저", "운영 담당자", "사업운영 담당자"],
        mgr_en=["Operations Team Lead"], mgr_ko=["운영팀장"],
        role_en="operations professional", role_ko="운영 담당자",
        domain_en=["running operations for commerce and delivery businesses", "scaling business operations"],
        domain_ko=["커머스·배송 사업 운영", "사업 운영 체계 구축"],
        bullets_en=["Built weekly operating reviews and KPI reporting",
                    "Opened a new fulfilment site in {m} months",
                    "Coordinated cross-team launches with {n} departments"],
        bullets_ko=["주간 운영 리뷰 및 KPI 리포팅 체계 구축", "{m}개월 만에 신규 풀필먼트 센터 오픈", "{n}개 부서 협업 런칭 조율"],
        majors=[("Industrial Engineering", "산업공학과"), ("Business Administration", "경영학과")],
        certs=[("PMP", "PMP", "Project Management"), ("Six Sigma Green Belt", "6시그마 그린벨트", "Six Sigma"),
               ("Certified Logistics Manager (물류관리사)", "물류관리사", "Logistics")],
    ),
    "customer_support": _fam(
        cat="biz", weight=16,
        tracks=[(1, {"Zendesk": 3, "Customer Success": 2, "VOC Analysis": 2, "CS Operations": 2,
                     "Technical Support": 1.5, "Knowledge Base": 1.5, "Escalation Management": 1.5})],
        depts=["Customer Support"], alt_depts=["Operations", "Sales"],
        titles_en=["Customer Support Specialist", "Support Engineer", "Customer Experience Associate"],
        titles_ko=["CS 담당자", "고객지원 매니저", "CX 매니저"],
        mgr_en=["Customer Support Manager", "CS Team Lead"], mgr_ko=["CS 팀장", "고객지원 팀장"],
        role_en="customer support specialist", role_ko="고객지원 담당자",
        domain_en=["supporting customers of fintech and commerce apps", "customer experience at scale"],
        domain_ko=["핀테크·커머스 고객 지원", "대규모 고객 경험 관리"],
        bullets_en=["Handled {N}0+ inquiries a day across chat, email and phone",
                    "Raised CSAT from 4.{n} to 4.8",
                    "Trained new agents and wrote response guidelines"],
        bullets_ko=["채팅·이메일·전화 일 {N}0건 이상 문의 응대", "CSAT 4.{n}에서 4.8로 개선", "신규 상담원 교육 및 응대 가이드 작성"],
        majors=[("Business Administration", "경영학과"), ("English Literature", "영어영문학과"), ("Psychology", "심리학과")],
        certs=[("Zendesk Support Administrator", "Zendesk Support Administrator", "Zendesk")],
    ),
}

# Titles used only when the person has the named specialty, so a title never claims a skill the truth lacks.
_SKILL_TITLES = {
    "Recruiting": (["Recruiter", "Talent Acquisition Partner", "Technical Recruiter"], ["채용 담당자", "리크루터", "채용 매니저"]),
    "Performance Marketing": (["Performance Marketer"], ["퍼포먼스 마케터"]),
    "CRM Marketing": (["CRM Marketer"], ["CRM 마케터"]),
    "Tax": (["Tax Accountant"], ["세무 담당자"]),
    "FP&A": (["FP&A Analyst"], ["FP&A 담당자"]),
    "iOS": (["iOS Engineer", "iOS Developer"], ["iOS 개발자"]),
    "Android": (["Android Engineer", "Android Developer"], ["안드로이드 개발자"]),
    "Flutter": (["Flutter Developer"], ["플러터 개발자"]),
    "Brand Design": (["Brand Designer"], ["BX 디자이너"]),
    "Customer Success": (["Customer Success Manager"], ["고객 성공 매니저"]),
    "Technical Support": (["Technical Support Engineer"], ["기술 지원 엔지니어"]),
    "Procurement": (["Procurement Specialist"], ["구매 업무 담당자"]),
    "Penetration Testing": (["Offensive Security Engineer"], ["모의해킹 담당자"]),
}

# (primary family, secondary family, English title, Korean title) for the few generalists.
_GENERALISTS = [
    ("backend", "frontend", "Full-stack Engineer", "풀스택 개발자"),
    ("backend", "devops", "Platform Engineer", "플랫폼 엔지니어"),
    ("data_analytics", "product", "Product Analyst", "프로덕트 분석가"),
    ("marketing_planning", "sales", "Growth Manager", "그로스 매니저"),
    ("operations", "finance", "Business Operations Manager", "사업운영 매니저"),
    ("design", "frontend", "Design Technologist", "디자인 엔지니어"),
]

# --------------------------------------------------------------------------------------------------------------
# People.
# --------------------------------------------------------------------------------------------------------------

_KO_SURNAMES = [  # (hangul, romanised, weight)
    ("김", "kim", 20), ("이", "lee", 15), ("박", "park", 9), ("최", "choi", 5), ("정", "jung", 5), ("강", "kang", 3),
    ("조", "cho", 3), ("윤", "yoon", 3), ("장", "jang", 3), ("임", "lim", 3), ("한", "han", 2), ("오", "oh", 2),
    ("서", "seo", 2), ("신", "shin", 2), ("권", "kwon", 2), ("황", "hwang", 2), ("안", "ahn", 2), ("송", "song", 2),
    ("류", "ryu", 1), ("전", "jeon", 1), ("홍", "hong", 1), ("고", "ko", 1), ("문", "moon", 1), ("양", "yang", 1),
    ("손", "son", 1), ("배", "bae", 1), ("백", "baek", 1), ("허", "heo", 1), ("남", "nam", 1), ("노", "noh", 1),
]
_KO_GIVEN_F = [
    ("서연", "seoyeon"), ("지우", "jiwoo"), ("하은", "haeun"), ("수아", "sua"), ("지민", "jimin"), ("유진", "yujin"),
    ("은지", "eunji"), ("혜진", "hyejin"), ("수빈", "subin"), ("미영", "miyoung"), ("소영", "soyoung"),
    ("나연", "nayeon"), ("다은", "daeun"), ("가영", "gayoung"), ("채원", "chaewon"), ("하린", "harin"),
    ("윤서", "yoonseo"), ("민서", "minseo"), ("예린", "yerin"), ("보라", "bora"), ("지현", "jihyun"),
    ("수진", "sujin"), ("은비", "eunbi"), ("선영", "sunyoung"), ("지은", "jieun"), ("민지", "minji"),
    ("서윤", "seoyun"), ("아름", "areum"),
]
_KO_GIVEN_M = [
    ("민준", "minjun"), ("서준", "seojun"), ("도윤", "doyun"), ("지호", "jiho"), ("예준", "yejun"),
    ("현우", "hyunwoo"), ("성민", "sungmin"), ("동현", "donghyun"), ("재원", "jaewon"), ("영호", "youngho"),
    ("준혁", "junhyuk"), ("태민", "taemin"), ("승우", "seungwoo"), ("정훈", "junghoon"), ("우진", "woojin"),
    ("건우", "gunwoo"), ("시우", "siwoo"), ("주원", "juwon"), ("상훈", "sanghoon"), ("경민", "kyungmin"),
    ("민호", "minho"), ("성현", "sunghyun"), ("재현", "jaehyun"), ("동욱", "donguk"), ("진우", "jinwoo"),
    ("형준", "hyungjun"), ("태윤", "taeyoon"), ("현석", "hyunseok"),
]
_EN_FIRST_F = ["Emily", "Sarah", "Jessica", "Olivia", "Hannah", "Grace", "Rachel", "Sophie", "Chloe", "Megan",
               "Priya", "Natalie", "Laura", "Amelia", "Zoe", "Claire", "Rebecca", "Aisha"]
_EN_FIRST_M = ["James", "Daniel", "Michael", "David", "Ryan", "Andrew", "Kevin", "Thomas", "Ethan", "Lucas",
               "Nathan", "Brian", "Samuel", "Arjun", "Oliver", "Marcus", "Henry", "Patrick"]
_EN_FIRST_X = ["Alex", "Jordan", "Taylor", "Morgan"]
_EN_LAST = ["Carter", "Smith", "Johnson", "Brown", "Miller", "Wilson", "Anderson", "Thompson", "Walker", "Harris",
            "Clark", "Lewis", "Young", "Hall", "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams",
            "Nelson", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards",
            "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Patel", "Tan", "Lim", "Wong", "Nakamura",
            "Sato", "Kim", "Lee", "Park"]
_SG_LAST = {"Tan", "Lim", "Wong"}
_JP_LAST = {"Nakamura", "Sato"}
_KR_LAST = {"Kim", "Lee", "Park"}
_WESTERN_NATIONALITIES = ["American", "British", "Canadian", "Australian", "New Zealander", "Irish"]
_NATIONALITY_KO = {"Korean": "대한민국", "American": "미국", "British": "영국", "Canadian": "캐나다",
                   "Australian": "호주", "New Zealander": "뉴질랜드", "Irish": "아일랜드", "Singaporean": "싱가포르",
                   "Japanese": "일본", "Indian": "인도"}

_KO_ADDR = {  # location -> [(Korean road, English road)]
    "Seoul": [("서울특별시 강남구 테헤란로", "Teheran-ro, Gangnam-gu, Seoul"),
              ("서울특별시 서초구 서초대로", "Seocho-daero, Seocho-gu, Seoul"),
              ("서울특별시 마포구 월드컵북로", "World Cup buk-ro, Mapo-gu, Seoul"),
              ("서울특별시 송파구 올림픽로", "Olympic-ro, Songpa-gu, Seoul"),
              ("서울특별시 성동구 왕십리로", "Wangsimni-ro, Seongdong-gu, Seoul"),
              ("서울특별시 영등포구 여의대로", "Yeoui-daero, Yeongdeungpo-gu, Seoul"),
              ("서울특별시 용산구 한강대로", "Hangang-daero, Yongsan-gu, Seoul"),
              ("서울특별시 관악구 관악로", "Gwanak-ro, Gwanak-gu, Seoul")],
    "Pangyo": [("경기도 성남시 분당구 판교역로", "Pangyoyeok-ro, Bundang-gu, Seongnam-si, Gyeonggi-do"),
               ("경기도 성남시 분당구 정자일로", "Jeongjail-ro, Bundang-gu, Seongnam-si, Gyeonggi-do"),
               ("경기도 용인시 수지구 포은대로", "Poeun-daero, Suji-gu, Yongin-si, Gyeonggi-do")],
    "Busan": [("부산광역시 해운대구 센텀중앙로", "Centum jungang-ro, Haeundae-gu, Busan"),
              ("부산광역시 부산진구 중앙대로", "Jungang-daero, Busanjin-gu, Busan")],
    "Remote": [("제주특별자치도 제주시 첨단로", "Cheomdan-ro, Jeju-si, Jeju"),
               ("강원특별자치도 춘천시 중앙로", "Jungang-ro, Chuncheon-si, Gangwon-do"),
               ("대전광역시 유성구 대학로", "Daehak-ro, Yuseong-gu, Daejeon")],
}

_COMPANIES = [  # (English, Korean) - fictional
    ("Hanbit Commerce", "(주)한빛커머스"), ("Bluewave Fintech", "블루웨이브핀테크"), ("Nuri Express", "누리익스프레스"),
    ("Kite Mobility", "카이트모빌리티"), ("Seoul Data Labs", "서울데이터랩"), ("Orbit Games", "오르빗게임즈"),
    ("Mirae Insurance", "미래손해보험"), ("Haneul Telecom", "하늘텔레콤"), ("Greenleaf Retail", "그린리프리테일"),
    ("Pinecone Media", "파인콘미디어"), ("Dasol Bank", "다솔은행"), ("Saebom Healthcare", "새봄헬스케어"),
    ("Jarvis Soft", "자비스소프트"), ("Moa Travel", "모아트래블"), ("Gaon Securities", "가온증권"),
]
_GLOBAL_COMPANIES = ["Northwind Analytics", "Contoso Pay", "Fabrikam Cloud", "Tailspin Travel", "Litware",
                     "Adventure Works", "Wingtip Systems", "Proseware"]
_KO_UNIS = [("Seoul National University", "서울대학교"), ("Yonsei University", "연세대학교"),
            ("Korea University", "고려대학교"), ("KAIST", "KAIST"), ("POSTECH", "포항공과대학교"),
            ("Sungkyunkwan University", "성균관대학교"), ("Hanyang University", "한양대학교"),
            ("Pusan National University", "부산대학교"), ("Kyungpook National University", "경북대학교"),
            ("Ewha Womans University", "이화여자대학교"), ("Sogang University", "서강대학교"),
            ("Chung-Ang University", "중앙대학교"), ("Konkuk University", "건국대학교"), ("Inha University", "인하대학교")]
_EN_UNIS = ["University of Washington", "UC San Diego", "University of Toronto", "National University of Singapore",
            "University of Melbourne", "University of Michigan", "Georgia Tech", "University of Texas at Austin",
            "King's College London", "Waseda University", "University of British Columbia"]

_LEVEL_WEIGHTS = [("L1", 12), ("L2", 22), ("L3", 26), ("L4", 22), ("L5", 12), ("L6", 6)]
_LEVEL_YEARS = {"L1": (0, 2), "L2": (2, 5), "L3": (4, 8), "L4": (7, 12), "L5": (10, 16), "L6": (14, 22)}

_FIXED = [
    dict(id="E0001", ko_name=("박", "park", "서연", "seoyeon"), gender="Female", family="hr", role="hr_admin",
         department="People (HR)", title="HR Business Partner", level="L5", years=12, lang="ko", location="Seoul",
         specialties=["Performance Management", "Organizational Development", "Employee Relations"],
         open_to_moves=False, languages=["ko", "en"], nationality="Korean"),
    dict(id="E0002", en_name=("James", "Lee"), gender="Male", family="backend", role="manager",
         department="Platform Engineering", title="Engineering Manager", level="L5", years=13, lang="en",
         location="Seoul", specialties=["Java", "Spring Boot", "Kafka", "Microservices"], open_to_moves=False,
         languages=["en", "ko"], nationality="American", track=0),
    dict(id="E0003", ko_name=("최", "choi", "민준", "minjun"), gender="Male", family="frontend", role="employee",
         department="Web Frontend", title="프론트엔드 개발자", level="L3", years=5, lang="ko", location="Seoul",
         specialties=["React", "TypeScript", "Next.js"], open_to_moves=True, languages=["ko", "en"],
         nationality="Korean", track=0),
]

# --------------------------------------------------------------------------------------------------------------
# Text helpers.
# --------------------------------------------------------------------------------------------------------------

_JOSA = {"을": ("을", "를"), "이": ("이", "가"), "은": ("은", "는"), "과": ("과", "와")}
_FORCED_FINAL = {"ansible": (True, True), "sap": (True, False), "golang": (True, False)}


def _final_sound(word: str) -> tuple[bool, bool]:
    """(ends in a consonant, that consonant is ㄹ) for the last syllable of a word as a Korean reader says it."""
    word = word.rstrip(" .)")
    if not word:
        return False, False
    last = word[-1]
    if "가" <= last <= "힣":
        jong = (ord(last) - 0xAC00) % 28
        return jong != 0, jong == 8
    if last.isdigit():
        return last in "0136781", last in "178"
    token = re.split(r"[\s\-./&]", word)[-1]
    forced = _FORCED_FINAL.get(token.lower())
    if forced:
        return forced
    if token.isupper():
        return token[-1] in "LMNR", token[-1] in "LR"
    if token.lower().endswith("ng"):
        return True, False
    return token[-1].lower() in "lmn", token[-1].lower() == "l"


def _josa(word: str, particle: str) -> str:
    batchim, rieul = _final_sound(word)
    if particle == "으로":
        return "로" if (not batchim or rieul) else "으로"
    return _JOSA[particle][0] if batchim else _JOSA[particle][1]


_K_RE = re.compile(r"\{k(을|이|은|으로|과)?\}")
_NUM_RE = re.compile(r"\{(n|N|pct|ms|vol|acc|m)\}")
_VOL = {"en": ("800K", "1.2M", "2M", "5M", "12M"), "ko": ("80만", "120만", "200만", "500만", "1,200만")}


def _fill(template: str, rng: random.Random, lang: str, k: str = "") -> str:
    text = _K_RE.sub(lambda m: k + (_josa(k, m.group(1)) if m.group(1) else ""), template)

    def num(m):
        kind = m.group(1)
        if kind == "n":
            return str(rng.randint(2, 9))
        if kind == "N":
            return str(rng.randint(10, 60))
        if kind == "pct":
            return str(rng.randint(12, 65))
        if kind == "ms":
            return str(rng.randrange(40, 400, 10))
        if kind == "acc":
            return str(rng.randint(85, 97))
        if kind == "m":
            return str(rng.randint(3, 9))
        return rng.choice(_VOL[lang])

    return _NUM_RE.sub(num, text)


def _weighted(rng: random.Random, items):
    """Pick from [(item, weight), ...]."""
    total = sum(w for _, w in items)
    x = rng.random() * total
    for item, w in items:
        x -= w
        if x < 0:
            return item
    return items[-1][0]


def _sample_weighted(rng: random.Random, pool: dict[str, float], k: int) -> list[str]:
    items = list(pool.items())
    out = []
    for _ in range(min(k, len(items))):
        pick = _weighted(rng, items)
        out.append(pick)
        items = [(s, w) for s, w in items if s != pick]
    return out


def _skill_form(skill: str, lang: str, rng: random.Random) -> str:
    forms = SKILLS[skill]["ko" if lang == "ko" else "en"]
    if lang == "en":
        return forms[0] if rng.random() < 0.8 else rng.choice(forms)
    return rng.choice(forms)


def _ym(year: int, month: int, lang: str, style: int) -> str:
    if lang == "ko":
        return f"{year}.{month:02d}" if style == 0 else f"{year}년 {month}월"
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[month - 1]} {year}" if style == 0 else f"{month:02d}/{year}"


# --------------------------------------------------------------------------------------------------------------
# The generator.
# --------------------------------------------------------------------------------------------------------------

def _quotas(size: int, n_fixed_by_family: dict[str, int]) -> dict[str, int]:
    """Employees per family, proportional to the family weights; never fewer than the fixed users of a family."""
    total_w = sum(f["weight"] for f in FAMILIES.values())
    raw = {name: size * f["weight"] / total_w for name, f in FAMILIES.items()}
    floor = {name: n_fixed_by_family.get(name, 0) for name in FAMILIES}
    quotas = {name: max(floor[name], int(v), 1 if size >= len(FAMILIES) else 0) for name, v in raw.items()}
    order = sorted(FAMILIES, key=lambda n: raw[n] - int(raw[n]), reverse=True)
    i = 0
    while sum(quotas.values()) < size:
        quotas[order[i % len(order)]] += 1
        i += 1
    for name in sorted(FAMILIES, key=lambda n: raw[n]):  # too many (tiny sizes): take from the smallest families
        while sum(quotas.values()) > size and quotas[name] > max(floor[name], 1 if size >= len(FAMILIES) else 0):
            quotas[name] -= 1
    return quotas


class _Builder:
    def __init__(self, size: int, seed: int):
        self.size = size
        self.seed = seed
        self.rng = random.Random(f"{seed}:people")
        self.ids_rng = random.Random(f"{seed}:ids")
        self.used_names: set[str] = set()
        self.used_emails: set[str] = set()
        self.email_counters: dict[str, int] = {}
        self.used_slack: set[str] = set()
        self.used_teams: set[str] = set()

    # ---- identity ----
    def _korean_name(self):
        rng = self.rng
        for _ in range(200 if len(self.used_names) < 3000 else 3):
            sur, sur_r = _weighted(rng, [((h, r), w) for h, r, w in _KO_SURNAMES])
            female = rng.random() < 0.5
            given, given_r = rng.choice(_KO_GIVEN_F if female else _KO_GIVEN_M)
            if sur + given not in self.used_names:
                return (sur, sur_r, given, given_r), ("Female" if female else "Male")
        # Large synthetic organisations (benchmarks) exhaust unique names; namesakes are realistic there.
        return (sur, sur_r, given, given_r), ("Female" if female else "Male")

    def _english_name(self):
        rng = self.rng
        for _ in range(200 if len(self.used_names) < 3000 else 3):
            r = rng.random()
            if r < 0.46:
                first, gender = rng.choice(_EN_FIRST_F), "Female"
            elif r < 0.92:
                first, gender = rng.choice(_EN_FIRST_M), "Male"
            else:
                first = rng.choice(_EN_FIRST_X)
                gender = rng.choice(["Female", "Male", "Non-binary"])
            last = rng.choice(_EN_LAST)
            if f"{first} {last}" not in self.used_names:
                return (first, last), gender
        return (first, last), gender

    def _email(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
        local, n = base, self.email_counters.get(base, 2)
        while local in self.used_emails:   # counters keep this linear for 100k-person benchmark organisations
            local, n = f"{base}{n}", n + 1
        self.email_counters[base] = n
        self.used_emails.add(local)
        return f"{local}@{EMAIL_DOMAIN}"

    def _ids(self):
        rng = self.ids_rng
        alnum_u = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        while True:
            slack = "U" + "".join(rng.choice(alnum_u) for _ in range(10))
            if slack not in self.used_slack:
                self.used_slack.add(slack)
                break
        while True:
            teams = "29:" + "".join(rng.choice(alnum) for _ in range(20))
            if teams not in self.used_teams:
                self.used_teams.add(teams)
                break
        return slack, teams

    # ---- people ----
    def person(self, number: int, family: str, fixed: dict | None = None) -> dict:
        rng = self.rng
        fam = FAMILIES[family]
        p = {"id": f"E{number:04d}", "family": family, "secondary": None, "near_empty": None}
        fixed = fixed or {}
        if "ko_name" in fixed or ("en_name" not in fixed and not fixed and rng.random() < 0.72):
            if "ko_name" in fixed:
                sur, sur_r, given, given_r = fixed["ko_name"]
                gender = fixed["gender"]
            else:
                (sur, sur_r, given, given_r), gender = self._korean_name()
            p.update(korean=True, display_name=sur + given, roman=f"{given_r.capitalize()} {sur_r.capitalize()}",
                     first=given_r, last=sur_r, gender=gender)
        else:
            if "en_name" in fixed:
                (first, last), gender = fixed["en_name"], fixed["gender"]
            else:
                (first, last), gender = self._english_name()
            p.update(korean=False, display_name=f"{first} {last}", roman=f"{first} {last}", first=first, last=last,
                     gender=gender)
        self.used_names.add(p["display_name"])
        p["email"] = self._email(p["first"], p["last"])
        p["slack_user_id"], p["teams_user_id"] = self._ids()

        # language, location, nationality
        if p["korean"]:
            p["lang"] = fixed.get("lang") or ("en" if rng.random() < 0.15 else "ko")
            p["nationality"] = fixed.get("nationality") or ("Korean" if rng.random() < 0.97 else "American")
            p["location"] = fixed.get("location") or _weighted(
                rng, [("Seoul", 58), ("Pangyo", 28), ("Busan", 7), ("Remote", 5), ("Tokyo", 1), ("Singapore", 1)])
            if fixed.get("languages"):
                p["languages"] = list(fixed["languages"])
            elif p["lang"] == "en":
                p["languages"] = ["ko", "en"]
            else:
                p["languages"] = _weighted(rng, [(["ko", "en"], 70), (["ko"], 20), (["ko", "en", "ja"], 7),
                                                 (["ko", "en", "zh"], 3)])
        else:
            p["lang"] = "en"
            last = p["last"]
            if last in _SG_LAST:
                nat, loc = "Singaporean", _weighted(rng, [("Singapore", 7), ("Seoul", 3)])
            elif last in _JP_LAST:
                nat, loc = "Japanese", _weighted(rng, [("Tokyo", 7), ("Seoul", 3)])
            elif last in _KR_LAST:
                nat = rng.choice(["Korean", "American", "Canadian", "Australian"])
                loc = _weighted(rng, [("Seoul", 7), ("Pangyo", 2), ("Remote", 1)])
            else:
                nat = "Indian" if last == "Patel" and rng.random() < 0.6 else rng.choice(_WESTERN_NATIONALITIES)
                loc = _weighted(rng, [("Seoul", 50), ("Pangyo", 15), ("Remote", 15), ("Singapore", 10),
                                      ("Tokyo", 10)])
            p["nationality"] = fixed.get("nationality") or nat
            p["location"] = fixed.get("location") or loc
            if fixed.get("languages"):
                p["languages"] = list(fixed["languages"])
            else:
                langs = ["en"]
                if nat == "Japanese" or (p["location"] == "Tokyo" and rng.random() < 0.5):
                    langs.append("ja")
                if nat == "Singaporean" and rng.random() < 0.6:
                    langs.append("zh")
                if nat == "Korean" or last in _KR_LAST or rng.random() < 0.3:
                    langs.append("ko")
                p["languages"] = langs

        # level, years, specialties
        p["level"] = fixed.get("level") or _weighted(rng, _LEVEL_WEIGHTS)
        lo, hi = _LEVEL_YEARS[p["level"]]
        p["years"] = fixed["years"] if "years" in fixed else rng.randint(lo, hi)
        tracks = fam["tracks"]
        if "track" in fixed:
            p["track"] = fixed["track"]
        else:
            p["track"] = _weighted(rng, [(i, w) for i, (w, _) in enumerate(tracks)])
        pool = tracks[p["track"]][1]
        if fixed.get("specialties"):
            p["specialties"] = list(fixed["specialties"])
        else:
            k = _weighted(rng, [(2, 35), (3, 45), (4, 20)])
            p["specialties"] = _sample_weighted(rng, pool, k)
        p["open_to_moves"] = fixed["open_to_moves"] if "open_to_moves" in fixed else rng.random() < 0.55
        p["role"] = fixed.get("role", "employee")
        p["fixed_title"] = fixed.get("title")
        p["fixed_department"] = fixed.get("department")

        # protected attributes
        age = p["years"] + rng.randint(23, 29)
        birth_year = NOW_YEAR - age
        p["birth"] = (birth_year, rng.randint(1, 12), rng.randint(1, 28))
        p["marital_status"] = _weighted(rng, [("Married", 48 if age > 32 else 18), ("Single", 50), ("Divorced", 3)])
        return p

    def light_pool(self, p: dict) -> list[str]:
        """Other skills of the person's family (all tracks), for light mentions only."""
        seen = []
        for _, pool in FAMILIES[p["family"]]["tracks"]:
            for s in pool:
                if s not in seen and s not in p["specialties"]:
                    seen.append(s)
        return seen

    def department(self, p: dict) -> str:
        if p["fixed_department"]:
            return p["fixed_department"]
        rng = self.rng
        fam = FAMILIES[p["family"]]
        if p["role"] != "manager" and rng.random() < 0.13:
            return rng.choice(fam["alt_depts"])
        skill_depts = fam.get("skill_depts", {})
        for s in p["specialties"]:
            if s in skill_depts:
                return skill_depts[s] if rng.random() < 0.85 else fam["depts"][0]
        return rng.choice(fam["depts"])

    def title(self, p: dict, lang: str) -> str:
        """Current title. Korean-resume people write Korean or English titles; English resumes use English."""
        rng = self.rng
        fam = FAMILIES[p["family"]]
        ko = lang == "ko" and rng.random() < 0.5
        if p["role"] == "manager":
            return rng.choice(fam["mgr_ko"] if ko else fam["mgr_en"])
        if p["secondary"]:
            g = next(g for g in _GENERALISTS if g[0] == p["family"] and g[1] == p["secondary"])
            base = g[3] if ko else g[2]
        else:
            special = [s for s in p["specialties"] if s in _SKILL_TITLES]
            force = p["family"] == "hr" and "Recruiting" in p["specialties"]
            if special and (force or rng.random() < 0.4):
                en_t, ko_t = _SKILL_TITLES[special[0]]
                base = rng.choice(ko_t if ko else en_t)
            else:
                base = rng.choice(fam["titles_ko"] if ko else fam["titles_en"])
        return _level_title(base, p["level"], ko, fam["cat"], rng)


def _level_title(base: str, level: str, ko: bool, cat: str, rng: random.Random) -> str:
    if ko:
        if level == "L1" and rng.random() < 0.3:
            return "주니어 " + base
        if level in ("L4", "L5") and rng.random() < 0.7:
            return "시니어 " + base
        if level == "L6":
            return "수석 " + base
        return base
    if level == "L1" and rng.random() < 0.5:
        return "Junior " + base
    if level == "L4":
        return "Senior " + base
    if level == "L5":
        return rng.choice(["Staff ", "Lead "] if cat == "tech" else ["Lead ", "Senior "]) + base
    if level == "L6":
        return "Principal " + base
    return base


# --------------------------------------------------------------------------------------------------------------
# Resumes.
# --------------------------------------------------------------------------------------------------------------

def _phone(rng: random.Random, location: str, lang: str) -> str:
    if location == "Singapore":
        return f"+65 9{rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if location == "Tokyo":
        return f"+81 90-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    body = f"{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"
    if lang == "en" and rng.random() < 0.4:
        return f"+82 10-{body}"
    return f"010-{body}"


def _address(rng: random.Random, location: str, lang: str) -> str:
    if location == "Singapore":
        return f"{rng.randint(1, 300)} {rng.choice(['Tanjong Pagar Road', 'Orchard Road', 'Holland Avenue', 'Tiong Bahru Road'])}, Singapore {rng.randint(100000, 829999)}"
    if location == "Tokyo":
        return f"{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)} {rng.choice(['Shibuya, Shibuya-ku', 'Ebisu, Shibuya-ku', 'Roppongi, Minato-ku', 'Marunouchi, Chiyoda-ku'])}, Tokyo"
    road_ko, road_en = rng.choice(_KO_ADDR[location])
    num = rng.randint(1, 420)
    return f"{road_ko} {num}" if lang == "ko" else f"{num} {road_en}"


def _timeline(rng: random.Random, years: int) -> list[tuple[int, int, int | None, int | None]]:
    """[(start_year, start_month, end_year, end_month)] newest first; the first entry is the current job."""
    start_month = rng.randint(1, 12)
    if years <= 1:
        start_year = NOW_YEAR - years
        if start_year == NOW_YEAR:
            start_month = rng.randint(1, NOW_MONTH - 1)
        return [(start_year, start_month, None, None)]
    if years <= 3:
        k = rng.choice([1, 2])
    elif years <= 8:
        k = rng.choice([2, 2, 3])
    elif years <= 14:
        k = rng.choice([2, 3, 3, 4])
    else:
        k = rng.choice([3, 4, 4])
    k = min(k, years)
    current = rng.randint(1, max(1, min(years - (k - 1), 7)))
    rest = years - current
    spans = [current]
    for i in range(k - 1):
        left = k - 1 - i
        if left == 1:
            spans.append(rest)
        else:
            s = rng.randint(1, rest - (left - 1))
            spans.append(s)
            rest -= s
    out = []
    end_y, end_m = None, None
    y, m = NOW_YEAR - current, start_month
    out.append((y, m, None, None))
    for span in spans[1:]:
        end_y, end_m = (y, m - 1) if m > 1 else (y - 1, 12)
        y, m = end_y - span, rng.randint(1, 12)
        out.append((y, m, end_y, end_m))
    return out


def _resume(p: dict, rng: random.Random) -> str:
    lang = p["resume_lang"]
    if p["near_empty"] is not None:
        return p["near_empty"]
    fam = FAMILIES[p["family"]]
    sec = FAMILIES[p["secondary"]] if p["secondary"] else None
    ko = lang == "ko"
    lines: list[str] = []

    # header with personal details the product must ignore
    by, bm, bd = p["birth"]
    if ko:
        if rng.random() < 0.5:
            lines.append(rng.choice(["이력서", "[이력서]", "경력기술서"]))
        lines.append(f"{rng.choice(['이름', '성명'])}: {p['display_name']}")
        if rng.random() < 0.55:
            lines.append("생년월일: " + (f"{by}년 {bm}월 {bd}일" if rng.random() < 0.6 else f"{by}.{bm:02d}.{bd:02d}"))
        if rng.random() < 0.4:
            g = {"Female": ("여", "여성"), "Male": ("남", "남성")}.get(p["gender"], ("기타", "기타"))
            lines.append(f"성별: {rng.choice(g)}")
        if rng.random() < 0.3:
            m = {"Married": "기혼", "Single": "미혼", "Divorced": "이혼"}[p["marital_status"]]
            lines.append(f"{rng.choice(['결혼 여부', '혼인 여부'])}: {m}")
        if rng.random() < 0.35:
            lines.append(f"국적: {_NATIONALITY_KO[p['nationality']]}")
        if rng.random() < 0.5:
            lines.append(f"주소: {p['address']}")
        if rng.random() < 0.75:
            lines.append(f"{rng.choice(['연락처', '휴대폰', '전화'])}: {p['phone']}")
        if rng.random() < 0.6:
            lines.append(f"이메일: {p['personal_email']}")
    else:
        name = p["roman"] if not p["korean"] else (
            f"{p['roman']} ({p['display_name']})" if rng.random() < 0.5 else p["roman"])
        lines.append(name if rng.random() < 0.6 else f"Name: {name}")
        if rng.random() < 0.5:
            months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December"]
            lines.append(rng.choice([f"Date of birth: {by}-{bm:02d}-{bd:02d}", f"DOB: {bd} {months[bm - 1]} {by}",
                                     f"Born: {months[bm - 1]} {bd}, {by}"]))
        if rng.random() < 0.35:
            lines.append(f"Gender: {p['gender']}")
        if rng.random() < 0.25:
            lines.append(f"Marital status: {p['marital_status']}")
        if rng.random() < 0.35:
            lines.append(f"Nationality: {p['nationality']}")
        if rng.random() < 0.45:
            lines.append(f"Address: {p['address']}")
        contact = []
        if rng.random() < 0.7:
            contact.append(f"Phone: {p['phone']}")
        if rng.random() < 0.6:
            contact.append(f"Email: {p['personal_email']}")
        if contact:
            if rng.random() < 0.5:
                lines.extend(contact)
            else:
                lines.append(" | ".join(contact))
    lines.append("")

    # summary
    specs = p["specialties"]
    forms = {s: _skill_form(s, lang, rng) for s in specs}
    years = p["years"]
    team_size = rng.randint(4, 14)
    domain_en = rng.choice(fam["domain_en"])
    domain_ko = rng.choice(fam["domain_ko"])
    role_en, role_ko = fam["role_en"], fam["role_ko"]
    if p["secondary"]:
        role_en = "generalist " + role_en
        domain_en = f"{domain_en}, and also {rng.choice(sec['domain_en'])}"
        domain_ko = f"{domain_ko} 및 {rng.choice(sec['domain_ko'])}"
    if ko:
        yrs = f"{years}년차" if years else "신입"
        yrs2 = f"{years}년간" if years else "1년 미만"
        summary = rng.choice([
            f"{yrs} {role_ko}. {domain_ko} 경험 보유.",
            f"{domain_ko} 분야에서 {yrs2} 일해 온 {role_ko}입니다.",
            f"{role_ko}{_josa(role_ko, '으로')} {yrs2} {domain_ko} 업무를 해왔습니다.",
            f"{domain_ko}에 강점이 있는 {yrs} {role_ko}.",
        ])
        if p["role"] == "manager":
            summary += f" 현재 {team_size}명 규모 팀을 이끌고 있습니다."
        if rng.random() < 0.55:
            a, b = rng.sample(specs, 2)
            summary += rng.choice([f" 주력 분야: {forms[a]}, {forms[b]}.", f" {forms[a]}, {forms[b]} 실무 경험이 많습니다."])
        heading = rng.choice(["[자기소개]", "■ 요약", "경력 요약", "[요약]"])
    else:
        yrs = f"{years} year{'s' if years != 1 else ''}" if years else "under a year"
        r_en = role_en
        summary = rng.choice([
            f"{r_en[0].upper() + r_en[1:]} with {yrs} of experience {domain_en}.",
            f"{yrs[0].upper() + yrs[1:]} as {'an' if r_en[0] in 'aeiouAEIOU' else 'a'} {r_en}, most recently {domain_en}.",
            f"{r_en[0].upper() + r_en[1:]} who enjoys {domain_en}; {yrs} in the industry.",
            f"Pragmatic {r_en} ({yrs}) focused on {domain_en}.",
        ])
        if p["role"] == "manager":
            summary += f" Currently leading a team of {team_size}."
        if rng.random() < 0.55:
            a, b = rng.sample(specs, 2)
            summary += rng.choice([f" Strongest in {forms[a]} and {forms[b]}.", f" Core strengths: {forms[a]}, {forms[b]}."])
        heading = rng.choice(["SUMMARY", "Profile", "About me", "Summary"])
    lines += [heading, summary, ""]

    # experience
    timeline = _timeline(rng, years)
    n_entries = len(timeline)
    bullets: list[list[str]] = [[] for _ in range(n_entries)]
    used_templates: set[str] = set()

    def evidence(skill: str, generic: bool = False) -> str:
        sk = SKILLS[skill]
        own = list(sk["ko_lines" if ko else "en_lines"])
        cat = FAMILIES[p["family"]]["cat"]
        extra = (_TECH_EXTRA_KO if ko else _TECH_EXTRA_EN) if cat == "tech" else (_BIZ_EXTRA_KO if ko else _BIZ_EXTRA_EN)
        cands = [t for t in (list(extra) if generic else own) if t not in used_templates]
        if not cands:
            cands = [t for t in own + list(extra) if t not in used_templates] or own
        t = rng.choice(cands)
        used_templates.add(t)
        form = forms[skill] if rng.random() < 0.7 else _skill_form(skill, lang, rng)
        return _fill(t, rng, lang, form)

    for i, skill in enumerate(specs):
        where = 0 if i == 0 or n_entries == 1 else _weighted(rng, [(j, 3 if j == 0 else 2) for j in range(n_entries)])
        bullets[where].append(evidence(skill))
        if rng.random() < 0.45:
            where2 = rng.randrange(n_entries)
            bullets[where2].append(evidence(skill, generic=rng.random() < 0.4))
    if p["role"] == "manager":
        n = team_size
        bullets[0].insert(0, f"{n}명 팀 리딩 (1:1 면담, 팀 목표 수립, 인력 운영)" if ko
                          else f"Lead a team of {n}: hiring, 1:1s, goal setting and career growth")
    fam_bullets = list(fam["bullets_ko" if ko else "bullets_en"])
    if sec:
        fam_bullets += list(sec["bullets_ko" if ko else "bullets_en"])
    base_filler = list(
        (_TECH_FILLER_KO if ko else _TECH_FILLER_EN) if fam["cat"] == "tech" else (_BIZ_FILLER_KO if ko else _BIZ_FILLER_EN))
    filler = list(base_filler)
    rng.shuffle(fam_bullets)
    rng.shuffle(filler)
    for j in range(n_entries):
        target = max(len(bullets[j]), rng.randint(3, 6 if j == 0 else 5))
        while len(bullets[j]) < target:
            if not fam_bullets and not filler:  # a long career: reuse generic lines, not within one job
                filler = [t for t in base_filler if not any(t[:12] in x for x in bullets[j])]
                rng.shuffle(filler)
                if not filler:
                    break
            src = fam_bullets if fam_bullets and (not filler or rng.random() < 0.6) else filler
            bullets[j].append(_fill(src.pop(), rng, lang))
        head = bullets[j][:1] if (j == 0 and p["role"] == "manager") else []
        body = bullets[j][len(head):]
        rng.shuffle(body)
        bullets[j] = head + body

    companies = rng.sample(_COMPANIES, k=min(len(_COMPANIES), n_entries))
    globals_ = rng.sample(_GLOBAL_COMPANIES, k=min(len(_GLOBAL_COMPANIES), n_entries))
    date_style = rng.randint(0, 1)
    entry_style = rng.randint(0, 2)
    bullet_char = rng.choice(["-", "•", "*"] if not ko else ["-", "•", "·", "-"])
    lines.append(rng.choice(["[경력]", "■ 경력사항", "경력 사항", "[경력 사항]"]) if ko else
                 rng.choice(["EXPERIENCE", "Work Experience", "Professional Experience", "Work History"]))
    base_titles = fam["titles_ko"] if (ko and not p["title"].isascii()) else fam["titles_en"]
    for j, (sy, sm, ey, em) in enumerate(timeline):
        if j == 0:
            company = COMPANY_KO if ko else COMPANY_EN
            title = p["title"]
        else:
            if ko:
                company = companies[j][1]
            else:
                company = companies[j][0] if (p["korean"] or rng.random() < 0.5) else globals_[j]
            title = rng.choice(base_titles)
            if j == n_entries - 1 and ey - sy <= 2 and not ko and rng.random() < 0.5:
                title = "Junior " + title
        start = _ym(sy, sm, lang, date_style)
        end = (rng.choice(["현재", "재직 중"]) if ko else "Present") if ey is None else _ym(ey, em, lang, date_style)
        if ko:
            header = [f"{company} | {title} | {start} ~ {end}", f"■ {company} ({start} ~ {end})\n  {title}",
                      f"{company} / {title} / {start} - {end}"][entry_style]
        else:
            header = [f"{company} — {title} ({start} – {end})", f"{title}, {company} | {start} - {end}",
                      f"{company}\n{title} · {start} – {end}"][entry_style]
        lines.append(header)
        lines += [f"{bullet_char} {b}" for b in bullets[j]]
        lines.append("")

    # skills line: specialties plus a few other skills of the family, lightly
    light = [s for s in p["light"] if s not in specs]
    extra = rng.sample(light, k=min(len(light), rng.randint(1, 3))) if light else []
    listed = list(specs) + extra
    rng.shuffle(listed)
    shown = [forms[s] if s in forms and rng.random() < 0.6 else _skill_form(s, lang, rng) for s in listed]
    if ko:
        lines.append(f"{rng.choice(['보유 기술', '기술 스택', '핵심 역량', '[보유 역량]'])}: {', '.join(shown)}")
    else:
        lines.append(f"{rng.choice(['Skills', 'SKILLS', 'Core skills', 'Tools & skills'])}: {', '.join(shown)}")
    lines.append("")

    # education
    career_start = NOW_YEAR - years
    grad = min(p["birth"][0] + rng.randint(22, 26), career_start)
    major_en, major_ko = rng.choice(fam["majors"])
    if p["korean"] or p["nationality"] == "Korean":
        unis = [u for u in _KO_UNIS if fam["cat"] == "tech" or u[0] not in ("KAIST", "POSTECH")]
        uni_en, uni_ko = rng.choice(unis)
    else:
        uni_en = uni_ko = rng.choice(_EN_UNIS)
    masters = (rng.random() < fam.get("masters", 0.12) and major_en != "Law (J.D.)"
               and grad - 2 >= p["birth"][0] + 22)
    if ko:
        lines.append(rng.choice(["[학력]", "■ 학력", "학력"]))
        if masters:
            lines.append(f"{uni_ko} 대학원 {major_ko} 석사 ({grad}년 졸업)")
        lines.append(f"{uni_ko} {major_ko} 학사 ({grad - 2 if masters else grad}년 졸업)")
    else:
        lines.append(rng.choice(["EDUCATION", "Education"]))
        degree = "B.A." if major_en in ("Business Administration", "Economics", "Psychology", "Sociology",
                                        "Media & Communication", "English Literature", "Law",
                                        "International Trade", "Visual Design") else "B.S."
        if major_en == "Law (J.D.)":
            lines.append(f"J.D., {uni_en}, {grad}")
        else:
            if masters:
                lines.append(f"M.S. in {major_en}, {uni_en}, {grad}")
            lines.append(f"{degree} in {major_en}, {uni_en}, {grad - 2 if masters else grad}")

    # certifications for some
    certs = [c for c in fam["certs"] if c[2] is None or c[2] in specs]
    if certs and rng.random() < 0.45:
        chosen = rng.sample(certs, k=min(len(certs), rng.randint(1, 2)))
        lines.append("")
        lines.append(rng.choice(["[자격증]", "■ 자격증", "자격 사항"]) if ko else rng.choice(["CERTIFICATIONS", "Certifications"]))
        lines += [f"{bullet_char} {c[1] if ko else c[0]}" for c in chosen]

    # spoken languages for some
    if rng.random() < 0.35:
        lines.append("")
        if ko:
            toeic = rng.randrange(750, 990, 5)
            lines.append(rng.choice([f"어학: TOEIC {toeic}", f"외국어: 영어 (비즈니스 회화), TOEIC {toeic}", "외국어: 영어 (업무 가능)"]))
        else:
            names = {"ko": "Korean", "en": "English", "ja": "Japanese", "zh": "Mandarin"}
            spoken = ", ".join(names[l] for l in p["languages"])
            lines.append(f"Languages: {spoken}")
    return "\n".join(lines).strip() + "\n"


def _near_empty_text(p: dict, rng: random.Random, empty: bool) -> str:
    if empty:
        return ""
    a, b = p["specialties"][:2]
    fa, fb = _skill_form(a, p["resume_lang"], rng), _skill_form(b, p["resume_lang"], rng)
    if p["resume_lang"] == "ko":
        return rng.choice([f"{p['title']}. {fa}, {fb} 업무 담당.", f"{fa} / {fb}", f"주로 {fa}, {fb} 관련 업무를 합니다."])
    return rng.choice([f"{p['title']}. {fa}, {fb}.", f"Working on {fa} and {fb}.", f"{fa}, {fb}"])


# --------------------------------------------------------------------------------------------------------------
# Messiness. Real resumes are not written from our skills dictionary: people paraphrase, misspell, mix languages,
# add sections nobody asked for and structure things their own way. After a resume is written, `_roughen` applies
# some of that with its own random stream per person (the organisation, the ground truth and every other field stay
# exactly as they were), so the demo evaluation stops rewarding exact dictionary hits.
# --------------------------------------------------------------------------------------------------------------

# Ways people describe a skill without naming it as the dictionary does: none of these is a surface form of the
# skill itself in core/skills/data/taxonomy.json (some name a related skill, as people do; tests/unit/test_demo.py).
_PARAPHRASES = {
    "Kafka": (["our event streaming backbone", "the company-wide event log"], ["사내 이벤트 스트리밍 플랫폼", "메시지 스트리밍 인프라"]),
    "Kubernetes": (["the container scheduling platform", "our container cluster"], ["컨테이너 오케스트레이션 환경", "사내 컨테이너 클러스터"]),
    "React": (["a component-based UI library", "the SPA front end"], ["컴포넌트 기반 UI 라이브러리", "SPA 프론트 화면"]),
    "Spring Boot": (["a JVM web framework", "the JVM service framework"], ["JVM 웹 프레임워크", "자바 진영 서버 프레임워크"]),
    "Java": (["JVM services", "the JVM stack"], ["JVM 기반 서버", "JVM 스택"]),
    "Python": (["scripting", "our data scripts"], ["자동화 스크립트 작성", "자동화 스크립트"]),
    "Terraform": (["declarative infra templates", "infra definitions in code"], ["선언형 인프라 템플릿", "코드로 정의한 인프라"]),
    "Airflow": (["the batch workflow scheduler", "DAG-based job orchestration"], ["배치 워크플로 스케줄러", "DAG 기반 작업 스케줄링"]),
    "Spark": (["distributed batch processing", "cluster-scale data jobs"], ["분산 배치 처리", "클러스터 규모 데이터 작업"]),
    "PyTorch": (["a deep-learning framework", "GPU model training code"], ["딥러닝 프레임워크", "GPU 모델 학습 코드"]),
    "Figma": (["our shared design tool", "collaborative design files"], ["협업 디자인 툴", "공유 디자인 파일"]),
    "Performance Marketing": (["paid social and search spend", "ROAS-driven paid channels"], ["유료 광고 집행", "ROAS 기반 광고 운영"]),
    "Recruiting": (["bringing people on board", "filling open headcount"], ["인재 영입", "오픈 포지션 충원"]),
    "Tax": (["the yearly corporate filings", "the yearly filings with the authorities"], ["연간 법인 신고", "세무서 대응"]),
    "Zendesk": (["our ticketing tool", "our ticket queue tool"], ["티켓 관리 도구", "헬프데스크 소프트웨어"]),
    "Salesforce": (["the sales CRM", "our pipeline tool"], ["영업 관리 시스템", "파이프라인 관리 도구"]),
    "Docker": (["container images", "containerised builds"], ["컨테이너 이미지", "컨테이너화된 빌드"]),
    "TypeScript": (["typed JS", "statically typed front-end code"], ["타입 있는 JS", "정적 타입 프론트 코드"]),
    "Tableau": (["the BI dashboard tool", "self-serve dashboards"], ["BI 대시보드 툴", "셀프서비스 대시보드"]),
    "Go": (["a compiled systems language", "small static binaries"], ["정적 바이너리 서버", "정적 바이너리 서비스"]),
    "Contract Review": (["reading and marking up agreements", "redlining counterparties' drafts"], ["계약 문구 검토 및 수정", "상대방 초안 레드라인"]),
    "Labor Law": (["employment rules and union questions", "working-hours disputes"], ["근로 기준 문의 대응", "근로시간 분쟁 대응"]),
}
_INTERESTS = {
    "en": ["Interests\nHiking, film photography, board games", "Volunteering\nWeekend volunteer at an animal shelter",
           "References available upon request", "Hobbies: marathon running, home cooking, chess",
           "Other\nDriver's licence; happy to travel", "Fun fact: I have visited 30 countries"],
    "ko": ["[취미]\n등산, 필름 카메라, 보드게임", "봉사활동: 유기견 보호소 주말 봉사", "추천인: 요청 시 제공",
           "취미: 마라톤, 요리, 바둑", "기타: 운전면허 1종 보통", "자기소개: 꼼꼼하고 책임감이 강한 편입니다"],
}
_HEADING_SWAPS = {"EXPERIENCE": "Where I've worked", "Work Experience": "Career", "Professional Experience": "Jobs",
                  "Work History": "Employment", "[경력]": "■ 이력", "■ 경력사항": "[이력 사항]", "경력 사항": "주요 경력",
                  "[경력 사항]": "경력 요약", "EDUCATION": "Schooling", "Education": "Studies"}
_SKILL_LINE = re.compile(r"^(?:Skills|SKILLS|Core skills|Tools & skills|보유 기술|기술 스택|핵심 역량|\[보유 역량\])\s*:")
_BULLETED = re.compile(r"^\s*[-•*·]\s+")


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isascii() or not word.isalpha():
        return word
    i = rng.randint(1, len(word) - 3)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _roughen(resume: str, p: dict, seed: int) -> str:
    rng = random.Random(f"{seed}:mess:{p['id']}")
    ko = p["resume_lang"] == "ko"
    lines = resume.rstrip("\n").split("\n")
    # out-of-dictionary synonyms: some evidence lines say what the skill does instead of its name
    for i, line in enumerate(lines):
        if _SKILL_LINE.match(line) or not _BULLETED.match(line):
            continue
        for skill in p["specialties"]:
            options = _PARAPHRASES.get(skill)
            if not options or rng.random() >= 0.35:
                continue
            for form in sorted(set(SKILLS[skill]["ko" if ko else "en"]) | set(SKILLS[skill]["en"]), key=len, reverse=True):
                if form in line:
                    line = line.replace(form, rng.choice(options[1 if ko else 0]), 1)
                    break
        lines[i] = line
    # typos: a few swapped letters (English) or lost spaces (Korean), sometimes in a skill's name
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            words = lines[i].split(" ")
            if len(words) < 3:
                continue
            j = rng.randrange(len(words))
            if ko and not words[j].isascii() and j + 1 < len(words):
                words[j:j + 2] = [words[j] + words[j + 1]]
            else:
                words[j] = _typo(words[j], rng)
            lines[i] = " ".join(words)
    # mixed-language lines: a Korean resume with an English bullet, an English one (of a Korean speaker) with Korean
    if p["specialties"] and (ko or p["korean"]) and rng.random() < 0.35:
        skill = rng.choice(p["specialties"])
        other = "en" if ko else "ko"
        templates = SKILLS[skill]["en_lines" if other == "en" else "ko_lines"]
        if templates:
            line = _fill(rng.choice(templates), rng, other, SKILLS[skill][other][0])
            spots = [i for i, line_ in enumerate(lines) if _BULLETED.match(line_)]
            if spots:
                at = rng.choice(spots)
                lines.insert(at + 1, lines[at][:_BULLETED.match(lines[at]).end()] + line)
    # varied structure: no bullets, bullets run together, no skills line, other headings
    style = rng.random()
    if style < 0.15:
        lines = [_BULLETED.sub("", line) for line in lines]
    elif style < 0.3:
        merged: list[str] = []
        for line in lines:
            if _BULLETED.match(line) and merged and _BULLETED.match(merged[-1]) and rng.random() < 0.6:
                merged[-1] = merged[-1].rstrip(".") + ("; " if not ko else ", ") + _BULLETED.sub("", line)
            else:
                merged.append(line)
        lines = merged
    if rng.random() < 0.25:
        lines = [line for line in lines if not _SKILL_LINE.match(line)]
    if rng.random() < 0.3:
        lines = [_HEADING_SWAPS.get(line, line) for line in lines]
    # sections nobody asked for
    if rng.random() < 0.45:
        lines += ["", rng.choice(_INTERESTS["ko" if ko else "en"])]
    return "\n".join(lines).strip() + "\n"


MENTOR_SHARE = 0.15


def _is_mentor(employee_id: str) -> bool:
    """About MENTOR_SHARE of employees opted in as mentors, decided by a hash of the id so that adding the field
    draws nothing from the generator's random streams (every other field stays as it was)."""
    digest = hashlib.sha256(f"mentor:{employee_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") < MENTOR_SHARE * 2 ** 32


def generate_demo_org(size: int = 360, seed: int = 20261125, messy: bool = True) -> DemoOrg:
    """The demo organisation: `size` employees (at least the three fixed demo users), always the same for a seed.
    `messy=False` leaves out the roughening (_roughen): the same people, truth and fields, with tidy resumes."""
    size = max(size, len(_FIXED))
    b = _Builder(size, seed)
    rng = b.rng

    fixed_by_family: dict[str, int] = {}
    for f in _FIXED:
        fixed_by_family[f["family"]] = fixed_by_family.get(f["family"], 0) + 1
    quotas = _quotas(size, fixed_by_family)
    families: list[str] = []
    for name, q in quotas.items():
        families += [name] * (q - fixed_by_family.get(name, 0))
    rng.shuffle(families)

    # the fixed demo users come first, so their names and emails are taken before any generated ones
    for f in _FIXED:
        b.used_names.add(f["ko_name"][0] + f["ko_name"][2] if "ko_name" in f else " ".join(f["en_name"]))
    people = [b.person(int(f["id"][1:]), f["family"], f) for f in _FIXED]
    for i, family in enumerate(families):
        people.append(b.person(len(_FIXED) + i + 1, family))

    free = [p for p in people[len(_FIXED):]]

    # generalists: a person of the primary family who also carries skills of the secondary family
    for prim, sec_name, _, _ in _GENERALISTS:
        cand = [p for p in free if p["family"] == prim and not p["secondary"] and p["level"] in ("L3", "L4", "L5")]
        if not cand:
            continue
        p = rng.choice(cand)
        p["secondary"] = sec_name
        sec_pool = FAMILIES[sec_name]["tracks"][0][1]
        own = p["specialties"][:2]
        more = _sample_weighted(rng, {s: w for s, w in sec_pool.items() if s not in own}, rng.choice([1, 2]))
        p["specialties"] = own + more
        free.remove(p)

    # near-empty profiles: a title and one line, or nothing at all (those have no specialties in the truth)
    near_empty = rng.sample(free, k=min(round(size / 45), len(free)))  # 8 in the default organisation
    for i, p in enumerate(near_empty):
        p["near_empty"] = "empty" if i < 3 else "one_line"
        if p["near_empty"] == "one_line":
            p["specialties"] = p["specialties"][:2] if len(p["specialties"]) >= 2 else p["specialties"]
        else:
            p["specialties"] = []
        free.remove(p)

    # roles: exactly five hr_admins (all in People (HR)), about 8% managers
    hr_admins = [p for p in people if p["role"] == "hr_admin"]
    hr_cand = [p for p in free if p["family"] == "hr" and "Recruiting" not in p["specialties"]
               and p["level"] in ("L3", "L4", "L5", "L6")]
    if len(hr_cand) < 5 - len(hr_admins):
        hr_cand += [p for p in free if p["family"] == "hr" and p not in hr_cand]
    for p in rng.sample(hr_cand, k=min(len(hr_cand), 5 - len(hr_admins))):
        p["role"] = "hr_admin"
        p["fixed_department"] = "People (HR)"
        free.remove(p)
    n_managers = max(1, round(size * 0.08)) - sum(1 for p in people if p["role"] == "manager")
    mgr_cand = [(p, {"L4": 1, "L5": 3, "L6": 4}[p["level"]]) for p in free
                if p["level"] in ("L4", "L5", "L6") and not p["secondary"]]
    if len(mgr_cand) > 2000:
        # Benchmark-sized organisations: weighted sampling without replacement in one pass (Efraimidis-Spirakis);
        # the loop below is quadratic. Small organisations keep the loop so the shipped demo stays as it is.
        keyed = sorted(mgr_cand, key=lambda pw: rng.random() ** (1.0 / pw[1]), reverse=True)
        for p, _ in keyed[:max(0, n_managers)]:
            p["role"] = "manager"
        mgr_cand = []
    for _ in range(max(0, n_managers)):
        if not mgr_cand:
            break
        p = _weighted(rng, mgr_cand)
        p["role"] = "manager"
        mgr_cand = [(q, w) for q, w in mgr_cand if q is not p]

    # departments, titles, protected attributes, resumes (the fixed demo users keep tidy ones)
    fixed_ids = {f["id"] for f in _FIXED}
    text_rng = random.Random(f"{seed}:text")
    employees, truth = [], {}
    for p in people:
        p["resume_lang"] = p["lang"]
        p["department"] = b.department(p)
        p["title"] = p["fixed_title"] or b.title(p, p["resume_lang"])
        p["light"] = b.light_pool(p)
        p["address"] = _address(rng, p["location"], p["resume_lang"])
        p["phone"] = _phone(rng, p["location"], p["resume_lang"])
        local = f"{p['first']}{p['last'][0]}" if rng.random() < 0.5 else f"{p['first']}.{p['last']}"
        p["personal_email"] = (f"{local.lower()}{rng.randint(1, 99)}@"
                               f"{rng.choice(['mail.example', 'inbox.example', 'post.example'])}")
        if p["near_empty"] is not None:
            p["near_empty"] = _near_empty_text(p, text_rng, p["near_empty"] == "empty")
        resume = _resume(p, text_rng)
        if messy and p["near_empty"] is None and p["id"] not in fixed_ids:
            resume = _roughen(resume, p, seed)
        by, bm, bd = p["birth"]
        record = {
            "id": p["id"],
            "display_name": p["display_name"],
            "email": p["email"],
            "slack_user_id": p["slack_user_id"],
            "teams_user_id": p["teams_user_id"],
            "department": p["department"],
            "title": p["title"],
            "level": p["level"],
            "location": p["location"],
            "role": p["role"],
            "open_to_moves": bool(p["open_to_moves"]),
            "mentor": _is_mentor(p["id"]),
            "languages": list(p["languages"]),
            "resume_text": resume,
            "gender": p["gender"],
            "birth_date": f"{by:04d}-{bm:02d}-{bd:02d}",
            "marital_status": p["marital_status"],
            "nationality": p["nationality"],
            "address": p["address"],
            "photo_url": f"https://hris.{EMAIL_DOMAIN}/photos/{p['id']}.jpg",
        }
        employees.append(record)
        truth[p["id"]] = {"family": p["family"], "specialties": list(p["specialties"]), "years": p["years"]}
    return DemoOrg(employees=employees, truth=truth)
