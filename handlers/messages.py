"""Every user-facing sentence, in English and Korean. Replies use the language of the request."""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "help_title": {"en": "Internal Hire — find internal candidates", "ko": "Internal Hire — 사내 후보자 찾기"},
    "help_body": {
        "en": ("Describe the role in plain words, in English or Korean. Options: `dept:NAME` (only that department), "
               "`-dept:NAME` (exclude it), `--open-only` (only people open to moves), `level:L4+`, "
               "`exclude:E0012`, and a number for how many results (default {limit})."),
        "ko": ("역할을 한국어나 영어로 자유롭게 적어 주세요. 옵션: `dept:부서명`(해당 부서만), `-dept:부서명`(제외), "
               "`--open-only`(이동 희망자만), `level:L4+`, `exclude:E0012`, 결과 수는 숫자로(기본 {limit}명)."),
    },
    "help_examples": {
        "en": "Examples:\n• find-candidates senior backend engineer who knows Kafka\n"
              "• find-candidates 퍼포먼스 마케팅 경험자 --open-only 10\n"
              "• find-candidates data engineer with Airflow dept:\"Data & AI\" level:L3+",
        "ko": "예시:\n• find-candidates 카프카 다룰 줄 아는 시니어 백엔드 개발자\n"
              "• find-candidates K-IFRS 결산 가능한 재무 담당자 --open-only 10\n"
              "• find-candidates 쿠버네티스 운영 경험 있는 데브옵스 엔지니어 -dept:Infrastructure",
    },
    "private_only": {
        "en": "To protect people's privacy I only show candidates in a direct, one-to-one chat. Message me directly.",
        "ko": "개인정보 보호를 위해 후보자 정보는 1:1 대화에서만 보여드려요. 저에게 직접 메시지를 보내 주세요.",
    },
    "unknown_department": {
        "en": "There is no department called {names}. Departments include: {known}.",
        "ko": "{names} 부서를 찾을 수 없어요. 부서 예: {known}.",
    },
    "my_profile_title": {"en": "Your profile", "ko": "내 프로필"},
    "my_profile_hidden": {"en": "hidden from managers (HR only)", "ko": "관리자에게 비공개 (HR만 열람)"},
    "my_profile_explain": {
        "en": "This is what managers see when you are open to internal moves (HR always sees it). "
              "Your name, age, gender and other personal details are never used for matching.",
        "ko": "사내 이동을 희망하면 관리자에게 이 내용이 보입니다 (HR은 항상 열람 가능). "
              "이름, 나이, 성별 등 개인정보는 매칭에 사용되지 않아요.",
    },
    "btn_hide_me": {"en": "Hide me from managers", "ko": "관리자에게 숨기기"},
    "btn_show_me": {"en": "I'm open to internal moves", "ko": "사내 이동 희망하기"},
    "my_profile_now_open": {"en": "Managers can now find you for internal openings.",
                            "ko": "이제 관리자가 사내 기회에 회원님을 찾을 수 있어요."},
    "my_profile_now_hidden": {"en": "You are now hidden from managers' searches.",
                              "ko": "이제 관리자 검색에 표시되지 않아요."},
    "searching": {"en": "Searching internal candidates…", "ko": "사내 후보자를 찾고 있어요…"},
    "help_unclear": {"en": "I could not tell what role you are looking for.",
                     "ko": "어떤 역할의 후보자를 찾으시는지 알기 어려웠어요."},
    "not_allowed_search": {
        "en": ("Searching for people is open to managers and HR only, to protect everyone's privacy. "
               "Type `my profile` to see what managers see about you and choose whether they can find you."),
        "ko": ("동료들의 개인정보 보호를 위해 인재 검색은 관리자와 HR 담당자만 이용할 수 있어요. "
               "`내 프로필`을 입력하면 관리자에게 보이는 내 정보를 확인하고 공개 여부를 정할 수 있어요."),
    },
    "unknown_user": {
        "en": ("I could not find you in the employee directory, so I cannot tell what you may see. "
               "Ask HR to add your {platform} account to your employee record."),
        "ko": ("사원 명부에서 회원님을 찾지 못해 권한을 확인할 수 없어요. "
               "HR 담당자에게 {platform} 계정을 사원 정보에 연결해 달라고 요청해 주세요."),
    },
    "results_title": {"en": "Internal candidates for “{query}”", "ko": "“{query}” 사내 후보자"},
    "results_summary": {
        "en": "Showing {start}–{end} of {total} eligible people{scope}. Asked-for skills: {skills}.",
        "ko": "검색 대상 {total}명 중 {start}–{end}위{scope}. 요청 스킬: {skills}.",
    },
    "scope_open_only": {"en": " (only people open to internal moves)", "ko": " (사내 이동 희망자만)"},
    "no_skills_detected": {"en": "none recognised — ranked by meaning and wording",
                           "ko": "인식된 스킬 없음 — 의미와 표현 유사도로 순위"},
    "no_results": {
        "en": "Nobody matched these filters. Try removing a department or level filter.",
        "ko": "조건에 맞는 사람이 없어요. 부서나 레벨 조건을 줄여 보세요.",
    },
    "score_line": {"en": "**{score}/100** · {band}", "ko": "**{score}/100** · {band}"},
    "band_strong": {"en": "strong match", "ko": "매우 적합"},
    "band_good": {"en": "good match", "ko": "적합"},
    "band_partial": {"en": "partial match", "ko": "부분 적합"},
    "band_weak": {"en": "weak match", "ko": "낮은 적합도"},
    "thin_profile": {"en": "thin profile — little to go on, score capped",
                     "ko": "프로필 정보 부족 — 근거가 적어 점수 상한 적용"},
    "open_yes": {"en": "open to internal moves", "ko": "사내 이동 희망"},
    "open_no": {"en": "not open to moves (visible to HR only)", "ko": "이동 비희망 (HR에게만 표시)"},
    "matched": {"en": "Matches", "ko": "일치"},
    "via_related": {"en": "related: {via}", "ko": "관련 스킬: {via}"},
    "missing": {"en": "Missing", "ko": "부족"},
    "nothing_missing": {"en": "nothing notable", "ko": "특별히 없음"},
    "btn_details": {"en": "Details", "ko": "상세 보기"},
    "btn_shortlist": {"en": "Shortlist", "ko": "관심 후보 추가"},
    "btn_shortlisted": {"en": "✓ Shortlisted", "ko": "✓ 관심 후보"},
    "btn_hide_details": {"en": "Hide details", "ko": "상세 닫기"},
    "btn_next": {"en": "Next page", "ko": "다음 페이지"},
    "search_expired": {"en": "That search is no longer available; please search again.",
                       "ko": "해당 검색 결과가 만료되었어요. 다시 검색해 주세요."},
    "not_your_search": {"en": "Those buttons belong to someone else's search.",
                        "ko": "다른 사람의 검색 결과에 있는 버튼이에요."},
    "shortlisted": {"en": "Added {name} to your shortlist ({count} on it now).",
                    "ko": "{name}님을 관심 후보에 추가했어요 (총 {count}명)."},
    "already_shortlisted": {"en": "{name} is already on your shortlist ({count} on it).",
                            "ko": "{name}님은 이미 관심 후보에 있어요 (총 {count}명)."},
    "shortlist_title": {"en": "Your shortlist", "ko": "내 관심 후보"},
    "shortlist_empty": {"en": "Your shortlist is empty. Use “Shortlist” on a search result.",
                        "ko": "관심 후보가 없어요. 검색 결과에서 ‘관심 후보 추가’를 눌러 주세요."},
    "details_title": {"en": "{name} — {title}", "ko": "{name} — {title}"},
    "details_skills": {"en": "Skills with evidence", "ko": "스킬과 근거"},
    "profile_not_visible": {"en": "This profile is not available to you.",
                            "ko": "이 프로필은 열람할 수 없어요."},
    "employee_gone": {"en": "That person is no longer in the directory.", "ko": "해당 직원 정보가 더 이상 없어요."},
    "no_more_results": {"en": "There are no more results.", "ko": "더 이상 결과가 없어요."},
    "field_department": {"en": "Department", "ko": "부서"},
    "field_level": {"en": "Level", "ko": "레벨"},
    "field_location": {"en": "Location", "ko": "근무지"},
    "field_availability": {"en": "Availability", "ko": "이동 의향"},
    "field_title": {"en": "Title", "ko": "직무"},
    "error_generic": {
        "en": "Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, "
              "tell your Internal Hire admin (reference {ref}).",
        "ko": "내부 오류가 발생했어요. 변경된 내용은 없습니다. 다시 시도해 주시고, 반복되면 관리자에게 알려 주세요 "
              "(참조 번호 {ref}).",
    },
    "bad_option": {"en": "I did not understand `{option}`: {why}", "ko": "`{option}` 옵션을 이해하지 못했어요: {why}"},
    "unknown_action": {"en": "That button is not supported any more.", "ko": "더 이상 지원하지 않는 버튼이에요."},
}


def t(key: str, lang: str, **kwargs) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text
