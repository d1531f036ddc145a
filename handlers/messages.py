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
               "Type `openings` to see internal openings that fit you, or `my profile` to see what managers see "
               "about you and choose whether they can find you."),
        "ko": ("동료들의 개인정보 보호를 위해 인재 검색은 관리자와 HR 담당자만 이용할 수 있어요. "
               "`사내 공고`를 입력하면 나에게 맞는 사내 공고를, `내 프로필`을 입력하면 관리자에게 보이는 내 정보와 "
               "공개 여부를 확인할 수 있어요."),
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
    "years_short": {"en": "{n} yrs", "ko": "경력 {n}년"},
    "below_asked_level": {"en": "below the asked level ({level})", "ko": "요청한 수준({level})보다 낮음"},
    "seniority_rank_3": {"en": "mid-level", "ko": "중급"},
    "seniority_rank_4": {"en": "senior", "ko": "시니어"},
    "seniority_rank_5": {"en": "lead", "ko": "리드"},
    "seniority_rank_6": {"en": "principal", "ko": "수석"},
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
    "evidence_title_only": {"en": "named only in the job title", "ko": "직함에만 나옴"},
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
    "error_timeout": {
        "en": "This did not finish within {seconds} s, so I stopped waiting. Please try again in a minute; if it keeps "
              "happening, tell your Internal Hire admin (reference {ref}).",
        "ko": "{seconds}초 안에 끝나지 않아 기다리기를 멈췄어요. 잠시 후 다시 시도해 주시고, 반복되면 관리자에게 "
              "알려 주세요 (참조 번호 {ref}).",
    },
    "error_store": {
        "en": "The database did not answer, so nothing was changed. Please try again in a minute; if it keeps "
              "happening, tell your Internal Hire admin (reference {ref}).",
        "ko": "데이터베이스가 응답하지 않아 아무것도 바뀌지 않았어요. 잠시 후 다시 시도해 주시고, 반복되면 관리자에게 "
              "알려 주세요 (참조 번호 {ref}).",
    },
    "busy_user": {
        "en": "You already have {count} requests running. Wait for one of them to finish, then try again.",
        "ko": "이미 요청 {count}개를 처리하고 있어요. 하나가 끝난 뒤 다시 시도해 주세요.",
    },
    "bad_option": {"en": "I did not understand `{option}`: {why}", "ko": "`{option}` 옵션을 이해하지 못했어요: {why}"},
    "unknown_action": {"en": "That button is not supported any more.", "ko": "더 이상 지원하지 않는 버튼이에요."},
    # ---- skill-gap analysis and candidate comparison -------------------------------------------------------------
    "btn_gap": {"en": "Skill gap", "ko": "역량 갭"},
    "gap_title_self": {"en": "Your skill gap for “{role}”", "ko": "“{role}” 대비 내 역량 갭"},
    "gap_title_other": {"en": "Skill gap: {name} for “{role}”", "ko": "{name}님의 “{role}” 대비 역량 갭"},
    "gap_summary": {
        "en": "Covers **{coverage}%** of the required skills: {present} present, {partial} partly (through a related "
              "skill), {missing} missing.",
        "ko": "필수 스킬 충족률 **{coverage}%**: 보유 {present}개, 관련 스킬로 부분 충족 {partial}개, 부족 {missing}개.",
    },
    "gap_summary_preferred_only": {"en": "The role text names only preferred skills.",
                                   "ko": "역할 설명에 우대 스킬만 있어요."},
    "gap_present": {"en": "Has", "ko": "보유"},
    "gap_partial": {"en": "Partly, through a related skill", "ko": "관련 스킬로 부분 충족"},
    "gap_missing": {"en": "Missing", "ko": "부족"},
    "gap_preferred": {"en": "Preferred", "ko": "우대"},
    "gap_related": {"en": "related: {via}", "ko": "관련 스킬: {via}"},
    "gap_learn": {"en": "Learn", "ko": "학습 자료"},
    "gap_learn_via": {"en": "(nothing curated for {skill} yet; these cover the related skill {via})",
                      "ko": "({skill} 전용 자료가 아직 없어 관련 스킬 {via} 자료를 추천해요)"},
    "gap_no_resources": {"en": "Learn: nothing curated yet; ask your learning and development team.",
                         "ko": "학습 자료: 아직 추천 자료가 없어요. 인재개발 담당자에게 문의해 주세요."},
    "gap_hours": {"en": "~{hours} h", "ko": "약 {hours}시간"},
    "gap_mentor": {"en": "Mentor", "ko": "멘토"},
    "gap_no_mentors": {"en": "Mentors: no colleague has offered to mentor this yet.",
                       "ko": "멘토: 이 스킬의 멘토로 등록한 동료가 아직 없어요."},
    "gap_more": {"en": "… and {count} more gaps: {names}", "ko": "… 그 밖의 부족 스킬 {count}개: {names}"},
    "gap_explain": {
        "en": "Coverage counts a skill shown in the profile as 1 and a related skill as ½. Mentors are colleagues who "
              "offered to help with a skill; only their name, team and evidence line are shown.",
        "ko": "충족률은 프로필에 있는 스킬을 1, 관련 스킬을 ½로 계산해요. 멘토는 해당 스킬을 돕겠다고 등록한 동료이며, "
              "이름·부서·근거 문장만 보여드려요.",
    },
    "gap_no_skills": {
        "en": "I could not find any skills in “{role}”. Name the role with its skills, for example "
              "`gap backend engineer with Kafka and Kubernetes`.",
        "ko": "“{role}”에서 스킬을 찾지 못했어요. 역할과 필요한 스킬을 함께 적어 주세요. "
              "예: `내 역량 갭 카프카와 쿠버네티스를 다루는 백엔드 개발자`",
    },
    "gap_no_role": {
        "en": "Tell me the role to compare against, for example `gap data engineer with Airflow and Spark`.",
        "ko": "비교할 역할을 알려 주세요. 예: `내 역량 갭 Airflow와 Spark를 다루는 데이터 엔지니어`",
    },
    "gap_private_only": {
        "en": "A skill-gap analysis names colleagues who offered to mentor, so I only answer it in a direct, "
              "one-to-one chat. Message me directly.",
        "ko": "역량 갭 분석에는 멘토로 등록한 동료의 이름이 나오므로 1:1 대화에서만 알려드려요. 저에게 직접 메시지를 보내 주세요.",
    },
    "gap_only_self": {
        "en": "You can run a skill-gap analysis only for yourself. Type `gap <role>` to see yours.",
        "ko": "역량 갭 분석은 본인에 대해서만 할 수 있어요. `내 역량 갭 <역할>`을 입력해 보세요.",
    },
    "proficiency_beginner": {"en": "beginner", "ko": "초급"},
    "proficiency_intermediate": {"en": "intermediate", "ko": "중급"},
    "proficiency_advanced": {"en": "advanced", "ko": "고급"},
    "proficiency_expert": {"en": "expert", "ko": "전문가"},
    "kind_course": {"en": "course", "ko": "강좌"},
    "kind_book": {"en": "book", "ko": "도서"},
    "kind_docs": {"en": "docs", "ko": "문서"},
    "kind_internal": {"en": "internal", "ko": "사내 과정"},
    "compare_title": {"en": "Comparing {count} people for “{role}”", "ko": "“{role}” 후보 {count}명 비교"},
    "compare_title_no_role": {"en": "Comparing {count} people", "ko": "후보 {count}명 비교"},
    "compare_not_allowed": {
        "en": "Comparing candidates is open to managers and HR only, to protect everyone's privacy.",
        "ko": "동료들의 개인정보 보호를 위해 후보 비교는 관리자와 HR 담당자만 이용할 수 있어요.",
    },
    "compare_count": {
        "en": "Compare 2 to 4 different people at a time (you named {count}), for example "
              "`compare E0012, E0040 for backend engineer with Kafka`.",
        "ko": "한 번에 서로 다른 2~4명을 비교할 수 있어요 (입력 {count}명). 예: `비교 E0012, E0040 카프카 백엔드 개발자`",
    },
    "compare_not_found": {
        "en": "I cannot show {names}: nobody by that name or id is visible to you.",
        "ko": "{names}: 열람 가능한 사람 중에서 찾지 못했어요.",
    },
    "compare_skills": {"en": "Role skills: {skills}", "ko": "역할 스킬: {skills}"},
    "compare_no_role_skills": {"en": "No skills recognised in the role text; comparing the skills they have.",
                               "ko": "역할 설명에서 스킬을 찾지 못해 보유 스킬만 비교해요."},
    "compare_required": {"en": "Role skills", "ko": "역할 스킬"},
    "compare_other": {"en": "Other notable skills", "ko": "그 밖의 주요 스킬"},
    "compare_years": {"en": "{years} yrs", "ko": "경력 {years}년"},
    "compare_coverage": {"en": "covers {coverage}%", "ko": "충족률 {coverage}%"},
    "compare_roles": {"en": "Roles", "ko": "경력"},
    "compare_legend": {
        "en": "✓ shown in the profile · ½ through a related skill · ✗ not shown. Numbers are the people above.",
        "ko": "✓ 프로필에 있음 · ½ 관련 스킬로 부분 충족 · ✗ 없음. 번호는 위 사람 순서예요.",
    },
}


def t(key: str, lang: str, **kwargs) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


def quoted(evidence: str, lang: str) -> str:
    """An evidence line in quotes; a skill that only a job title names has none (core/skills/extractor.py)."""
    return f"“{evidence}”" if evidence else f"({t('evidence_title_only', lang)})"


# ---- own profile: edit, delete, mentor, resume upload ------------------------------------------------------------------
MESSAGES.update({
    "btn_edit_profile": {"en": "Edit", "ko": "수정"},
    "btn_delete_profile": {"en": "Delete my profile", "ko": "내 프로필 삭제"},
    "btn_mentor_on": {"en": "Offer to mentor", "ko": "멘토로 나서기"},
    "btn_mentor_off": {"en": "Stop mentoring", "ko": "멘토 그만하기"},
    "btn_save": {"en": "Save", "ko": "저장"},
    "btn_cancel": {"en": "Cancel", "ko": "취소"},
    "field_mentor": {"en": "Mentor", "ko": "멘토"},
    "mentor_yes": {"en": "yes — suggested to colleagues learning your skills", "ko": "예 — 내 스킬을 배우려는 동료에게 추천돼요"},
    "mentor_no": {"en": "no", "ko": "아니요"},
    "my_profile_mentor_on": {"en": "Colleagues who want to learn your skills may now see your name as a mentor.",
                             "ko": "이제 내 스킬을 배우려는 동료에게 멘토로 이름이 안내돼요."},
    "my_profile_mentor_off": {"en": "You are no longer suggested as a mentor.", "ko": "이제 멘토로 추천되지 않아요."},
    "field_experience": {"en": "Experience", "ko": "경력"},
    "years_value": {"en": "{years} years", "ko": "{years}년"},
    "field_education": {"en": "Education", "ko": "학력"},
    "field_certifications": {"en": "Certifications", "ko": "자격증"},
    "field_languages": {"en": "Languages", "ko": "언어"},
    "field_summary": {"en": "Summary", "ko": "요약"},
    "field_roles": {"en": "Roles", "ko": "경력 사항"},
    "edit_profile_title": {"en": "Edit your profile", "ko": "내 프로필 수정"},
    "edit_skills_label": {"en": "Skills (one per line; optionally “— beginner/intermediate/advanced/expert”)",
                          "ko": "스킬 (한 줄에 하나, 숙련도는 “— beginner/intermediate/advanced/expert”로 덧붙일 수 있어요)"},
    "edit_lines_hint": {"en": "One per line.", "ko": "한 줄에 하나씩."},
    "edit_explain": {"en": "Delete a line to remove a skill, add a line to add one. Nothing changes until you press Save.",
                     "ko": "줄을 지우면 스킬이 빠지고, 줄을 추가하면 스킬이 더해져요. 저장을 눌러야 반영됩니다."},
    "profile_saved": {"en": "Saved. Your profile is updated and searchable as shown.",
                      "ko": "저장했어요. 프로필이 아래 내용으로 갱신되어 검색에 반영됩니다."},
    "skills_not_recognised": {"en": "Not recognised as skills (not saved): {names}.",
                              "ko": "스킬로 인식되지 않아 저장하지 않은 항목: {names}."},
    "added_by_employee": {"en": "added by the employee", "ko": "본인이 직접 추가"},
    "delete_confirm_title": {"en": "Delete your profile?", "ko": "프로필을 삭제할까요?"},
    "delete_confirm_body": {
        "en": ("This deletes your resume, skills, experience details and everything derived from them (the search "
               "index entry, shortlists that include you, drafts). Managers will no longer find you. Your directory "
               "entry (name, team, chat account) stays so you can keep using Internal Hire. The audit log keeps only "
               "that a deletion happened. This cannot be undone — you can upload a resume again at any time."),
        "ko": ("이력서, 스킬, 경력 정보와 그로부터 만들어진 모든 데이터(검색 색인, 나를 포함한 관심 후보 목록, 임시 저장본)를 "
               "삭제합니다. 관리자 검색에 더 이상 나타나지 않아요. 사원 명부 정보(이름, 팀, 메신저 계정)는 남아 Internal Hire를 "
               "계속 쓸 수 있어요. 감사 로그에는 삭제했다는 사실만 남습니다. 되돌릴 수 없지만 언제든 이력서를 다시 올릴 수 있어요."),
    },
    "btn_delete_confirm": {"en": "Yes, delete everything", "ko": "네, 모두 삭제"},
    "btn_keep_profile": {"en": "Keep my profile", "ko": "유지하기"},
    "profile_deleted": {"en": "Your profile is deleted. Send me a resume file whenever you want to create it again.",
                        "ko": "프로필을 삭제했어요. 다시 만들려면 언제든 이력서 파일을 보내 주세요."},
    "profile_already_empty": {"en": "There is no profile to delete.", "ko": "삭제할 프로필이 없어요."},
    "resume_hint": {"en": "Send me your resume (.pdf, .docx, .txt or .md) in this chat to fill in your profile.",
                    "ko": "이 대화창에 이력서(.pdf, .docx, .txt, .md)를 보내 주시면 프로필을 채워 드려요."},
    "resume_working": {"en": "Reading your resume…", "ko": "이력서를 읽고 있어요…"},
    "resume_unreadable": {"en": "I could not read {file}: {why}. Nothing was saved.",
                          "ko": "{file} 파일을 읽지 못했어요: {why}. 아무것도 저장하지 않았어요."},
    "resume_review_title": {"en": "Check what I found in {file}", "ko": "{file}에서 찾은 내용을 확인해 주세요"},
    "resume_review_explain": {
        "en": "Nothing is saved until you confirm. Edit the skills below if something is wrong or missing.",
        "ko": "확인을 누르기 전에는 아무것도 저장되지 않아요. 틀리거나 빠진 스킬은 아래에서 고쳐 주세요."},
    "resume_source_gemini": {"en": "Analysed with Gemini ({model}).", "ko": "Gemini({model})로 분석했어요."},
    "resume_source_offline": {"en": "Analysed offline (rules and the skills dictionary): check it carefully.",
                              "ko": "오프라인(규칙과 스킬 사전)으로 분석했어요: 꼼꼼히 확인해 주세요."},
    "resume_redacted": {"en": "Removed before analysis: {what}.", "ko": "분석 전에 지운 개인정보: {what}."},
    "resume_unmapped": {"en": "Also mentioned (not in the skills dictionary, not used for matching): {names}.",
                        "ko": "그 밖에 언급된 항목 (스킬 사전에 없어 매칭에는 쓰지 않음): {names}."},
    "resume_dropped": {"en": "{count} suggested skills were left out because the resume does not show them.",
                       "ko": "이력서에 근거가 없는 스킬 {count}개는 제외했어요."},
    "resume_no_skills": {"en": "I found no skills I recognise. Add them below, one per line.",
                         "ko": "인식한 스킬이 없어요. 아래에 한 줄에 하나씩 적어 주세요."},
    "btn_confirm_resume": {"en": "Confirm and save", "ko": "확인하고 저장"},
    "btn_discard": {"en": "Discard", "ko": "버리기"},
    "resume_discarded": {"en": "Discarded; nothing was saved.", "ko": "버렸어요. 아무것도 저장하지 않았어요."},
    "draft_gone": {"en": "This draft is no longer available (already saved or discarded).",
                   "ko": "이 임시본은 더 이상 없어요 (이미 저장했거나 버렸어요)."},
    "resume_in_channel": {"en": "Please send your resume to me in a direct message, not in a channel.",
                          "ko": "이력서는 채널이 아닌 저와의 1:1 대화로 보내 주세요."},
})


# ---- locations, talent chat ----------------------------------------------------------------------------------------------
MESSAGES.update({
    "unknown_location": {"en": "There is no work location called {names}. Locations: {known}.",
                         "ko": "{names} 근무지를 찾을 수 없어요. 근무지: {known}."},
    "chat_declined_injection": {
        "en": "I can't change how I work or reveal my instructions. Ask me about skills, people or internal roles.",
        "ko": "제 작동 방식을 바꾸거나 지시문을 보여드릴 수는 없어요. 스킬, 사내 인재, 사내 포지션에 대해 물어봐 주세요."},
    "chat_declined_out_of_domain": {
        "en": "I only help with internal hiring: finding and comparing colleagues by skills, skill gaps and internal "
              "roles. Try “who knows Kafka in Seoul?”.",
        "ko": "저는 사내 채용만 도와드려요: 스킬로 동료 찾기·비교, 역량 갭, 사내 포지션. 예: “서울에서 카프카 아는 사람?”"},
    "chat_count": {"en": "{count} people match “{query}”{scope}.", "ko": "“{query}”에 맞는 사람은 {count}명이에요{scope}."},
    "chat_count_scope": {"en": " among those visible to you", "ko": " (열람 가능한 범위 기준)"},
    "chat_answer_title": {"en": "Answer", "ko": "답변"},
    "chat_sources": {"en": "Profiles used: {refs}", "ko": "참고한 프로필: {refs}"},
    "chat_offline_label": {"en": "Answered offline from the directory (templates, no AI).",
                           "ko": "AI 없이 사원 정보에서 템플릿으로 답했어요."},
    "chat_ai_label": {"en": "Written by {model} from the profiles cited; check the cards below.",
                      "ko": "{model}이(가) 인용한 프로필만으로 작성했어요. 아래 카드로 확인하세요."},
    "chat_thinking": {"en": "Looking it up…", "ko": "찾아보는 중이에요…"},
    "chat_no_people": {"en": "Name two to four people to compare (names or ids such as E0012).",
                       "ko": "비교할 사람을 2~4명 알려 주세요 (이름 또는 E0012 같은 사번)."},
})


# ---- the weekly talent digest -------------------------------------------------------------------------------------
MESSAGES.update({
    "digests_off": {"en": "Done: no more weekly digests for you. Say \"start digests\" to get them again.",
                    "ko": "주간 다이제스트를 더 보내지 않을게요. 다시 받으시려면 \"다이제스트 다시 받기\"라고 해 주세요."},
    "digests_on": {"en": "Done: you will get the weekly digest again (Mondays), when there is something to tell.",
                   "ko": "주간 다이제스트를 다시 보내 드릴게요 (매주 월요일, 알려 드릴 내용이 있을 때)."},
})


# ---- result-card buttons and commands for gap analysis and compare ----------------------------------------------------
MESSAGES.update({
    "btn_compare_page": {"en": "Compare top {count}", "ko": "상위 {count}명 비교"},
    "gap_usage": {"en": "Tell me the role: `gap <role or JD>` (yourself) or `gap for <id, e-mail or name>: <role>`.",
                  "ko": "역할을 알려 주세요: `역량 갭 <역할 또는 JD>` (본인) 또는 `역량 갭 대상 <사번/이메일/이름>: <역할>`."},
})


# ---- why a resume file could not be read, in Korean (the English wording comes with core.documents.DocumentError) --------
MESSAGES.update({
    "doc_encoding": {"ko": "텍스트 인코딩이 UTF-8이나 CP949/EUC-KR이 아니에요. UTF-8로 저장해 주세요"},
    "doc_damaged": {"ko": "{kind} 파일이 손상되었거나 형식이 맞지 않아요. 다시 내보내 주세요"},
    "doc_encrypted_pdf": {"ko": "PDF에 암호가 걸려 있어요. 암호를 해제(새 PDF로 인쇄)한 뒤 다시 올려 주세요"},
    "doc_too_many_pages": {"ko": "PDF가 {pages}쪽이에요. 이력서는 {limit}쪽까지 읽어요"},
    "doc_no_text_layer": {"ko": "PDF에 텍스트가 없어요 (스캔 이미지로 보여요). 원본에서 PDF로 내보내거나 .docx로 보내 주세요"},
    "doc_encrypted_docx": {"ko": "Word 문서에 암호가 걸려 있어요. 암호를 해제한 뒤 다시 올려 주세요"},
    "doc_no_text": {"ko": "Word 문서에 텍스트가 없어요"},
    "doc_legacy_format": {"ko": "{suffix} 형식은 읽을 수 없어요. .pdf, .docx, .txt, .md로 저장해서 보내 주세요"},
    "doc_image": {"ko": "이미지({suffix})에는 읽을 텍스트가 없어요. .pdf, .docx, .txt, .md로 보내 주세요"},
    "doc_unsupported": {"ko": "지원하지 않는 파일 형식({suffix})이에요. .pdf, .docx, .txt, .md를 사용해 주세요"},
    "doc_too_large": {"ko": "파일 크기가 {size_mb} MB예요. {limit_mb} MB까지 올릴 수 있어요"},
    "doc_empty": {"ko": "빈 파일이에요"},
    "doc_unreadable": {"ko": "파일을 열 수 없어요 ({reason})"},
})


# ---- job descriptions (HR): new JD form, instant drafts, edit, rewrite, approval, custom generation, status ----------
MESSAGES.update({
    "jd_hr_only": {
        "en": "Writing and approving job descriptions is for HR only. If you need a new role opened, ask your HR partner.",
        "ko": "채용공고 작성과 승인은 HR 담당자만 할 수 있어요. 새 포지션이 필요하면 HR 담당자에게 요청해 주세요."},
    "jd_form_title": {"en": "New job description", "ko": "새 채용공고 작성"},
    "jd_form_explain": {
        "en": "Choose the company, job family and level: three ready drafts come back at once (no waiting, no AI cost).",
        "ko": "회사, 직군, 레벨을 고르면 준비된 초안 세 개를 바로 보여드려요 (대기 없음, AI 비용 없음)."},
    "jd_field_company": {"en": "Company", "ko": "회사"},
    "jd_field_family": {"en": "Job family", "ko": "직군"},
    "jd_field_level": {"en": "Level", "ko": "레벨"},
    "jd_field_notes": {"en": "Notes (optional)", "ko": "추가 요청 (선택)"},
    "jd_notes_placeholder": {"en": "e.g. Kafka required, 7+ years, remove Redis",
                             "ko": "예: Kafka 필수, 경력 7년 이상, Redis 빼 주세요"},
    "btn_jd_show_drafts": {"en": "Show drafts", "ko": "초안 보기"},
    "jd_form_missing": {"en": "Please choose {what}.", "ko": "{what}을(를) 선택해 주세요."},
    "jd_form_not_understood": {
        "en": "I could not tell the {what} from “{text}”. Choose it below.",
        "ko": "“{text}”에서 {what}을(를) 알아보지 못했어요. 아래에서 선택해 주세요."},
    "jd_unknown_choice": {"en": "There is no such {what}: {value}.", "ko": "{what} “{value}”을(를) 찾을 수 없어요."},
    "jd_no_companies": {
        "en": "No company knowledge is loaded yet. Import it with `internal-hire import <folder>` (or load the demo).",
        "ko": "아직 회사 자료가 없어요. `internal-hire import <폴더>`로 가져오거나 데모 데이터를 불러와 주세요."},
    "jd_drafts_title": {"en": "Three drafts: {title}", "ko": "초안 세 가지: {title}"},
    "jd_drafts_context": {"en": "{company} · {family} · {level}", "ko": "{company} · {family} · {level}"},
    "jd_template_label": {
        "en": "Built in advance from templates and the company's own material and past postings (no AI, zero tokens).",
        "ko": "템플릿과 회사 자료·과거 공고로 미리 만들어 둔 초안이에요 (AI 미사용, 토큰 0)."},
    "jd_lang_unavailable": {"en": "This company's drafts are prepared in {language} only.",
                            "ko": "이 회사의 초안은 {language}로만 준비되어 있어요."},
    "jd_language_ko": {"en": "Korean", "ko": "한국어"},
    "jd_language_en": {"en": "English", "ko": "영어"},
    "jd_notes_applied": {"en": "Your notes were applied: {what}.", "ko": "요청을 반영했어요: {what}."},
    "jd_notes_unapplied": {
        "en": "Not applied to the instant drafts: “{what}”. Use Custom to have it written in.",
        "ko": "즉시 초안에는 반영하지 못했어요: “{what}”. 반영하려면 맞춤 생성을 이용해 주세요."},
    "jd_op_level": {"en": "level {what}", "ko": "레벨 {what}"},
    "jd_op_years": {"en": "{what}+ years", "ko": "경력 {what}년 이상"},
    "jd_op_swap": {"en": "{what}", "ko": "{what}"},
    "jd_op_remove": {"en": "{what} removed", "ko": "{what} 삭제"},
    "jd_op_move": {"en": "{what} moved to the requirements", "ko": "{what} 자격 요건으로 이동"},
    "jd_op_already_present": {"en": "{what} is already asked for", "ko": "{what}은(는) 이미 포함"},
    "jd_op_add": {"en": "{what} added", "ko": "{what} 추가"},
    "jd_op_remove_text": {"en": "lines about “{what}” removed", "ko": "“{what}” 관련 문장 삭제"},
    "jd_op_shorter": {"en": "shorter", "ko": "더 짧게"},
    "jd_op_longer": {"en": "longer", "ko": "더 자세히"},
    "jd_style_concise": {"en": "Concise", "ko": "간결형"},
    "jd_style_detailed": {"en": "Detailed", "ko": "상세형"},
    "jd_style_past_style": {"en": "In the style of past postings", "ko": "과거 공고 스타일"},
    "jd_style_custom": {"en": "Custom", "ko": "맞춤 생성"},
    "jd_style_updated": {"en": "Updated past posting", "ko": "과거 공고 수정본"},
    "btn_jd_use": {"en": "Use this", "ko": "이걸로 작성"},
    "btn_jd_past": {"en": "Start from a past posting", "ko": "과거 공고에서 시작"},
    "btn_jd_custom": {"en": "Custom (slower, runs in the background)", "ko": "맞춤 생성 (느림, 백그라운드 처리)"},
    "jd_findings_title": {"en": "Check before submitting", "ko": "제출 전 확인할 점"},
    "jd_findings_more": {"en": "… and {count} more", "ko": "… 외 {count}건"},
    # The confidential name itself is never repeated: approval cards may be seen in channels.
    "jd_finding_replaced": {"en": "a confidential name was replaced with “{generic}”",
                            "ko": "대외비 이름을 “{generic}”(으)로 바꿨어요"},
    "jd_finding_removed": {"en": "a line naming something confidential was removed",
                           "ko": "대외비 이름이 들어간 문장을 삭제했어요"},
    "jd_finding_personal": {"en": "personal data ({text}) removed", "ko": "개인정보({text})를 삭제했어요"},
    "jd_finding_coded": {"en": "“{text}” is {category} wording; consider “{suggestion}”",
                         "ko": "“{text}”: {category} 표현이에요. “{suggestion}”(으)로 바꿔 보세요"},
    "jd_finding_untraced_skill": {
        "en": "“{text}” is not in the company's material, past postings or the request: confirm it is needed",
        "ko": "“{text}”: 회사 자료·과거 공고·요청 어디에도 없는 기술이에요. 필요한지 확인해 주세요"},
    "jd_finding_untraced_claim": {
        "en": "“{text}” could not be traced to the company's material: check that it is true",
        "ko": "“{text}”: 회사 자료에서 근거를 찾지 못했어요. 사실인지 확인해 주세요"},
    "jd_finding_catalog_skill": {
        "en": "“{text}” is a typical skill of the job family, not from this company's postings: confirm it",
        "ko": "“{text}”: 이 회사 공고가 아닌 직군 카탈로그의 기본 기술이에요. 필요한지 확인해 주세요"},
    "jd_coded_gender-coded": {"en": "gender-coded", "ko": "성별 편향"},
    "jd_coded_age-coded": {"en": "age-coded", "ko": "연령 편향"},
    "jd_coded_disability-coded": {"en": "disability-coded", "ko": "장애 관련"},
    "jd_coded_origin-coded": {"en": "origin-coded", "ko": "출신 관련"},
    "jd_no_drafts": {"en": "There are no drafts for this choice ({why}).", "ko": "이 조합의 초안이 없어요 ({why})."},
    "jd_set_gone": {"en": "These drafts are no longer available. Type `new jd` to start again.",
                    "ko": "이 초안은 더 이상 없어요. `JD 작성`으로 다시 시작해 주세요."},
    # edit card
    "jd_edit_title": {"en": "Edit: {title}", "ko": "편집: {title}"},
    "jd_edit_context": {"en": "{company} · {family} · {level} · version {version} · {status} · owner {owner}",
                        "ko": "{company} · {family} · {level} · 버전 {version} · {status} · 작성자 {owner}"},
    "jd_edit_explain": {
        "en": "Edit any section and press Save: every save is kept as a version. Lists: one item per line.",
        "ko": "섹션을 고친 뒤 저장을 누르세요. 저장할 때마다 버전이 남아요. 목록은 한 줄에 한 항목씩 적어 주세요."},
    "btn_jd_save": {"en": "Save", "ko": "저장"},
    "btn_jd_rewrite": {"en": "Rewrite a section", "ko": "섹션 다시 쓰기"},
    "btn_jd_submit": {"en": "Submit for approval", "ko": "승인 요청"},
    "btn_jd_history": {"en": "History", "ko": "이력"},
    "btn_jd_edit": {"en": "Edit", "ko": "편집"},
    "jd_created": {"en": "Created {id} from the {style} draft (version 1).",
                   "ko": "{style} 초안으로 {id}을(를) 만들었어요 (버전 1)."},
    "jd_already_created": {"en": "You already started {id} from this draft; here it is.",
                           "ko": "이 초안으로 이미 {id}을(를) 만들었어요. 이어서 편집하세요."},
    "jd_saved": {"en": "Saved as version {version}.", "ko": "버전 {version}(으)로 저장했어요."},
    "jd_nothing_changed": {"en": "Nothing changed, so no new version was saved.",
                           "ko": "바뀐 내용이 없어 새 버전을 만들지 않았어요."},
    "jd_stale_edit": {
        "en": "Someone else changed this JD in the meantime ({who} saved version {version}). Your edits were not "
              "saved; this is the current text.",
        "ko": "그사이 다른 사람이 이 JD를 수정했어요 ({who}, 버전 {version}). 편집 내용은 저장되지 않았고, 아래는 현재 내용이에요."},
    "jd_not_editable": {"en": "This JD is {status} and can no longer be edited.",
                        "ko": "이 JD는 {status} 상태라 더 이상 수정할 수 없어요."},
    "jd_not_found": {"en": "There is no job description {id}.", "ko": "{id} 채용공고를 찾을 수 없어요."},
    "jd_not_allowed": {"en": "Only the author or HR can do that.", "ko": "작성자나 HR 담당자만 할 수 있어요."},
    "jd_section_too_long": {
        "en": "“{section}” is {length} characters long; keep each section under {limit}. Nothing was saved.",
        "ko": "“{section}” 섹션이 {length}자예요. 섹션마다 {limit}자 이내로 줄여 주세요. 저장하지 않았어요."},
    "jd_title_required": {"en": "The title cannot be empty. Nothing was saved.",
                          "ko": "제목(포지션)은 비워 둘 수 없어요. 저장하지 않았어요."},
    # rewrite a section
    "jd_rewrite_title": {"en": "Rewrite a section", "ko": "섹션 다시 쓰기"},
    "jd_rewrite_explain": {
        "en": "Only the section you choose changes, and you see the change before it is applied.",
        "ko": "고른 섹션만 바뀌고, 적용하기 전에 바뀐 부분을 먼저 보여드려요."},
    "jd_field_section": {"en": "Section", "ko": "섹션"},
    "jd_field_instruction": {"en": "What should change?", "ko": "어떻게 바꿀까요?"},
    "jd_instruction_placeholder": {
        "en": "e.g. shorter · add Kafka · remove Redis · 7+ years · remove the line about on-call",
        "ko": "예: 더 짧게 · Kafka 추가 · Redis 빼줘 · 경력 7년 이상 · 당직 관련 문장 삭제"},
    "btn_jd_preview": {"en": "Show the change", "ko": "바뀐 부분 보기"},
    "btn_jd_back": {"en": "Back", "ko": "돌아가기"},
    "jd_instruction_missing": {"en": "Tell me what should change.", "ko": "어떻게 바꿀지 적어 주세요."},
    "jd_unknown_section": {"en": "Choose one of the sections.", "ko": "섹션을 하나 골라 주세요."},
    "jd_rewrite_not_understood": {
        "en": "I could not apply “{what}” offline. Try: shorter, longer, add or remove a skill, N years, remove the "
              "line about X — or use Custom for free-form rewriting.",
        "ko": "“{what}”은(는) 오프라인으로 반영하지 못했어요. 예: 더 짧게, 더 자세히, 기술 추가·삭제, 경력 N년, OO 관련 문장 삭제. "
              "자유로운 재작성은 맞춤 생성을 이용해 주세요."},
    "jd_diff_title": {"en": "Proposed change: {section}", "ko": "변경 제안: {section}"},
    "jd_diff_none": {"en": "(no change)", "ko": "(변경 없음)"},
    "jd_diff_unapplied": {"en": "Not applied: {what}", "ko": "반영하지 못한 부분: {what}"},
    "btn_jd_accept": {"en": "Accept", "ko": "적용"},
    "btn_jd_discard": {"en": "Discard", "ko": "버리기"},
    "jd_rewrite_applied": {"en": "Applied the change to {section}; saved as version {version}.",
                           "ko": "{section}에 변경을 적용해 버전 {version}(으)로 저장했어요."},
    "jd_rewrite_discarded": {"en": "Discarded the change. Your unsaved edits are kept below; press Save to keep them.",
                             "ko": "변경 제안을 버렸어요. 저장하지 않은 편집 내용은 아래에 그대로 있어요. 남기려면 저장을 누르세요."},
    "jd_work_gone": {"en": "This change was already applied or discarded.",
                     "ko": "이 변경은 이미 적용했거나 버렸어요."},
    # past postings
    "jd_past_title": {"en": "Past postings: {company}", "ko": "과거 공고: {company}"},
    "jd_past_none_family": {"en": "No past {family} postings; these are the company's other postings.",
                            "ko": "{family} 과거 공고가 없어 회사의 다른 공고를 보여드려요."},
    "jd_past_none": {"en": "This company has no past postings.", "ko": "이 회사에는 과거 공고가 없어요."},
    "btn_jd_update_this": {"en": "Update this", "ko": "이 공고 수정"},
    "jd_update_title": {"en": "Update: {title}", "ko": "수정: {title}"},
    "jd_update_explain": {"en": "Only what you name changes (level, years, skills, a line); you'll see a diff.",
                          "ko": "말씀하신 부분(레벨, 경력, 기술, 문장)만 바꾸고, 바뀐 부분을 보여드려요."},
    "jd_update_placeholder": {"en": "e.g. make it L5, Kafka required, remove Redis",
                              "ko": "예: L5로 올려줘, Kafka 필수, Redis 빼줘"},
    "btn_jd_update": {"en": "Show the update", "ko": "수정본 보기"},
    "jd_updated_title": {"en": "Updated: {title}", "ko": "수정본: {title}"},
    "jd_posting_gone": {"en": "That past posting is no longer available.", "ko": "그 과거 공고는 더 이상 없어요."},
    # approval
    "jd_approval_title": {"en": "Approval: {title}", "ko": "승인: {title}"},
    "jd_field_status": {"en": "Status", "ko": "상태"},
    "jd_field_version": {"en": "Version", "ko": "버전"},
    "jd_field_owner": {"en": "Written by", "ko": "작성자"},
    "jd_field_updated": {"en": "Last change", "ko": "최근 변경"},
    "jd_field_decision": {"en": "Decision", "ko": "결정"},
    "jd_field_opening": {"en": "Internal opening", "ko": "사내 공고"},
    "jd_who_when": {"en": "{who}, {when}", "ko": "{who}, {when}"},
    "jd_field_reason": {"en": "Reason (required to reject or request changes)",
                        "ko": "사유 (반려·수정 요청 시 필수)"},
    "btn_jd_approve": {"en": "Approve and publish", "ko": "승인하고 게시"},
    "btn_jd_reject": {"en": "Reject", "ko": "반려"},
    "btn_jd_request_changes": {"en": "Request changes", "ko": "수정 요청"},
    "btn_jd_close_opening": {"en": "Close the opening", "ko": "공고 마감"},
    "jd_submitted": {"en": "Sent for approval (version {version}). HR approvers decide on this card.",
                     "ko": "승인을 요청했어요 (버전 {version}). HR 승인자가 이 카드에서 결정해요."},
    "jd_approved": {"en": "Approved and published as internal opening {opening} ({status}).",
                    "ko": "승인하고 사내 공고 {opening}(으)로 게시했어요 ({status})."},
    "jd_rejected": {"en": "Rejected.", "ko": "반려했어요."},
    "jd_changes_requested": {"en": "Changes requested; the author can edit and submit again.",
                             "ko": "수정을 요청했어요. 작성자가 고쳐서 다시 승인 요청할 수 있어요."},
    "jd_opening_closed": {"en": "The opening is closed.", "ko": "공고를 마감했어요."},
    "jd_reason_required": {"en": "A reason is required to {action}. Write it below.",
                           "ko": "{action}하려면 사유가 필요해요. 아래에 적어 주세요."},
    "jd_reason_title": {"en": "{action}: {title}", "ko": "{action}: {title}"},
    "jd_stale_decision": {
        "en": "Nothing changed: this card was out of date. The JD is now {status} (version {version}){by}.",
        "ko": "변경하지 않았어요: 오래된 카드예요. 현재 이 JD는 {status} 상태예요 (버전 {version}){by}."},
    "jd_stale_by": {"en": ", last decided by {who} at {when}", "ko": ", 최근 결정: {who}, {when}"},
    "jd_hr_decides": {"en": "Only HR can approve, reject or request changes.",
                      "ko": "승인, 반려, 수정 요청은 HR 담당자만 할 수 있어요."},
    "jd_status_draft": {"en": "draft", "ko": "초안"},
    "jd_status_pending_approval": {"en": "waiting for approval", "ko": "승인 대기"},
    "jd_status_changes_requested": {"en": "changes requested", "ko": "수정 요청됨"},
    "jd_status_approved": {"en": "approved", "ko": "승인됨"},
    "jd_status_rejected": {"en": "rejected", "ko": "반려됨"},
    "jd_status_published": {"en": "published", "ko": "게시됨"},
    "jd_opening_open": {"en": "open", "ko": "모집 중"},
    "jd_opening_closed_status": {"en": "closed", "ko": "마감"},
    "jd_action_submit": {"en": "submitted for approval", "ko": "승인 요청"},
    "jd_action_approve": {"en": "approved", "ko": "승인"},
    "jd_action_reject": {"en": "rejected", "ko": "반려"},
    "jd_action_request_changes": {"en": "requested changes", "ko": "수정 요청"},
    "jd_action_publish": {"en": "published", "ko": "게시"},
    "jd_action_withdraw": {"en": "withdrew", "ko": "철회"},
    "jd_action_close": {"en": "closed the opening", "ko": "공고 마감"},
    "jd_verb_reject": {"en": "reject", "ko": "반려"},
    "jd_verb_request_changes": {"en": "request changes", "ko": "수정 요청"},
    # history and pending
    "jd_history_title": {"en": "History: {title} ({id})", "ko": "이력: {title} ({id})"},
    "jd_history_versions": {"en": "Versions", "ko": "버전"},
    "jd_history_decisions": {"en": "Decisions", "ko": "결정"},
    "jd_history_none": {"en": "No decisions yet.", "ko": "아직 결정 이력이 없어요."},
    "jd_history_version_line": {"en": "v{version} — {who}, {when}{note}", "ko": "v{version} — {who}, {when}{note}"},
    "jd_history_decision_line": {"en": "{who} {action} v{version}, {when}{reason}",
                                 "ko": "{who}: {action} (v{version}), {when}{reason}"},
    "jd_history_usage": {"en": "Which JD? `jd history <id>`, e.g. `jd history jd-1a2b3c4d5e6f`.",
                         "ko": "어느 JD인가요? `JD 이력 <id>` 형식으로 적어 주세요. 예: `JD 이력 jd-1a2b3c4d5e6f`."},
    "jd_pending_title": {"en": "Waiting for approval ({count})", "ko": "승인 대기 ({count}건)"},
    "jd_pending_none": {"en": "No job descriptions are waiting for approval.", "ko": "승인 대기 중인 채용공고가 없어요."},
    "btn_jd_open": {"en": "Open", "ko": "열기"},
    # custom generation
    "jd_custom_title": {"en": "Custom job description", "ko": "맞춤 채용공고 생성"},
    "jd_custom_explain": {
        "en": "Describe the role in your own words. I check the request, show you the brief to confirm, then write it "
              "in the background and message you when it's ready.",
        "ko": "원하는 포지션을 자유롭게 적어 주세요. 요청을 확인하고 요약(브리프)을 보여드린 뒤, 백그라운드에서 작성해 완료되면 알려드려요."},
    "jd_field_request": {"en": "Your request", "ko": "요청 내용"},
    "jd_request_placeholder": {"en": "e.g. Senior backend engineer at Hanbit Pay, Kafka required, 7+ years",
                               "ko": "예: 한빛페이 시니어 백엔드 개발자, Kafka 필수, 경력 7년 이상"},
    "btn_jd_check": {"en": "Check my request", "ko": "요청 확인"},
    "jd_request_missing": {"en": "Write what the role should be about.", "ko": "어떤 포지션인지 적어 주세요."},
    "jd_refused_title": {"en": "I can't write that request as it is", "ko": "이 요청은 그대로 작성할 수 없어요"},
    "jd_declined_title": {"en": "Request declined", "ko": "요청을 처리할 수 없어요"},
    "jd_refused_edit": {"en": "Edit the request below (the lawful wording is filled in) and check it again.",
                        "ko": "아래 요청을 고쳐서(법에 맞는 표현으로 바꿔 두었어요) 다시 확인해 주세요."},
    "jd_brief_title": {"en": "Check the brief", "ko": "브리프 확인"},
    "jd_brief_explain": {"en": "This is what I understood. Fix anything below, then press Generate.",
                         "ko": "이렇게 이해했어요. 아래에서 고칠 부분을 고친 뒤 생성을 눌러 주세요."},
    "jd_field_skills": {"en": "Skills", "ko": "기술"},
    "jd_field_years": {"en": "Experience", "ko": "경력"},
    "jd_years_value": {"en": "{years}+ years", "ko": "{years}년 이상"},
    "jd_brief_missing": {"en": "Still to choose: {what}.", "ko": "아직 선택이 필요해요: {what}."},
    "btn_jd_generate": {"en": "Generate", "ko": "생성"},
    "jd_brief_gone": {"en": "This request was already submitted (or has expired).",
                      "ko": "이 요청은 이미 제출했거나 만료되었어요."},
    "jd_queued_title": {"en": "Custom JD queued", "ko": "맞춤 JD 생성 대기 중"},
    "jd_queued_body": {
        "en": "You are number {position} in the queue; expected wait about {eta}. I'll send you the draft to review "
              "when it's ready.",
        "ko": "대기 순서 {position}번째예요. 예상 대기 시간: 약 {eta}. 완료되면 검토할 초안을 보내드릴게요."},
    "jd_running_body": {"en": "Being written now; about {eta} to go.", "ko": "지금 작성 중이에요. 약 {eta} 남았어요."},
    "jd_offline_custom": {
        "en": "No AI model is configured, so the custom draft is built from templates and the company's material.",
        "ko": "AI 모델이 설정되어 있지 않아 맞춤 초안도 템플릿과 회사 자료로 만들어요."},
    "jd_budget_exceeded": {
        "en": "Today's AI token budget is used up ({used} of {budget} tokens), so this custom draft is built from "
              "templates and the company's material instead of the AI model.",
        "ko": "오늘의 AI 토큰 예산을 모두 썼어요 ({budget} 중 {used} 사용). 그래서 이 맞춤 초안은 AI 대신 템플릿과 회사 자료로 만들어요."},
    "btn_jd_check_progress": {"en": "Check progress", "ko": "진행 상황 보기"},
    "jd_job_gone": {"en": "That request is no longer known.", "ko": "그 요청을 찾을 수 없어요."},
    "jd_ready_title": {"en": "Your custom JD is ready: {title}", "ko": "맞춤 JD 완성: {title}"},
    "jd_ready_explain": {"en": "Review it, then press Edit and submit to make it a JD you can change and send for "
                               "approval.",
                         "ko": "검토한 뒤 편집하고 제출을 누르면 수정하고 승인 요청할 수 있는 JD가 돼요."},
    "btn_jd_use_job": {"en": "Edit and submit", "ko": "편집하고 제출"},
    "jd_source_template": {"en": "Built from templates and the company's material (no AI).",
                           "ko": "템플릿과 회사 자료로 만들었어요 (AI 미사용)."},
    "jd_source_model": {"en": "Written by {model} from the company's material and your request.",
                        "ko": "{model}이(가) 회사 자료와 요청을 바탕으로 작성했어요."},
    "jd_degraded_budget": {"en": "Today's AI token budget was used up, so this draft was built from templates.",
                           "ko": "오늘의 AI 토큰 예산을 모두 써서 이 초안은 템플릿으로 만들었어요."},
    "jd_field_rewritten": {"en": "Rewritten request", "ko": "정리한 요청"},
    "jd_job_failed": {
        "en": "Sorry, your custom JD could not be written ({why}). The instant drafts are still available: type "
              "`new jd`.",
        "ko": "죄송해요, 맞춤 JD를 만들지 못했어요 ({why}). 즉시 초안은 그대로 쓸 수 있어요: `JD 작성`을 입력해 주세요."},
    "jd_progress_title": {"en": "Writing your JD… {done}/{total} sections", "ko": "JD 작성 중… {done}/{total} 섹션"},
    # status
    "jd_status_title": {"en": "JD generation status", "ko": "JD 생성 현황"},
    "jd_status_queue": {"en": "Queue", "ko": "대기열"},
    "jd_status_queue_value": {"en": "{queued} waiting, {running} running", "ko": "대기 {queued}건, 진행 {running}건"},
    "jd_status_wait": {"en": "Expected wait for a new request", "ko": "새 요청 예상 대기"},
    "jd_status_tokens": {"en": "Tokens today", "ko": "오늘 사용한 토큰"},
    "jd_status_budget": {"en": "{used} of {budget} ({share})", "ko": "{budget} 중 {used} ({share})"},
    "jd_status_unlimited": {"en": "{used} (no daily budget)", "ko": "{used} (일일 예산 없음)"},
    "jd_status_cache": {"en": "Cache hit rate", "ko": "캐시 적중률"},
    "jd_status_cache_value": {"en": "{rate} ({hits} of {calls} calls)", "ko": "{rate} ({calls}회 중 {hits}회)"},
    "jd_status_pending": {"en": "Waiting for approval", "ko": "승인 대기"},
    "jd_status_model_line": {
        "en": "• **{model}** — {tokens} tokens ({prompt} prompt + {output} output), {calls} calls, {hits} from cache",
        "ko": "• **{model}** — 토큰 {tokens} (입력 {prompt} + 출력 {output}), 호출 {calls}회, 캐시 {hits}회"},
    "jd_status_no_usage": {"en": "No AI calls today: everything ran from templates.",
                           "ko": "오늘은 AI 호출이 없었어요. 모두 템플릿으로 처리했어요."},
    "jd_status_degraded": {"en": "The daily budget is used up: custom generation runs from templates until tomorrow "
                                 "(UTC).",
                           "ko": "일일 예산을 모두 써서 내일(UTC)까지 맞춤 생성은 템플릿으로 처리해요."},
    "jd_seconds": {"en": "{n} seconds", "ko": "{n}초"},
    "jd_minutes": {"en": "{n} minutes", "ko": "{n}분"},
    "jd_minute": {"en": "1 minute", "ko": "1분"},
})


MESSAGES.update({
    "jd_error_no_drafts": {"en": "there is no material for this company, family and level yet",
                           "ko": "이 회사·직군·레벨에 대한 자료가 아직 없어요"},
    "jd_error_internal": {"en": "an internal error (reference {ref}); nothing was published",
                          "ko": "내부 오류가 발생했어요 (참조 {ref}). 게시된 내용은 없습니다"},
})


# ---- fairness report (HR) -----------------------------------------------------------------------------------------------
MESSAGES.update({
    "fairness_hr_only": {
        "en": "The fairness report and the demographics behind it are for HR admins only.",
        "ko": "공정성 리포트와 그 근거가 되는 인구통계 자료는 HR 관리자만 볼 수 있어요.",
    },
    "fairness_bad_dates": {
        "en": "I could not read those dates: {why}. Write them as YYYY-MM-DD, e.g. `fairness report 2026-01-01 "
              "2026-06-30`.",
        "ko": "날짜를 읽지 못했어요: {why}. YYYY-MM-DD 형식으로 적어 주세요. 예: `공정성 리포트 2026-01-01 2026-06-30`.",
    },
    "fairness_chart_alt": {
        "en": "Chart: impact ratio per group and stage, with the four-fifths (0.8) line.",
        "ko": "차트: 집단·단계별 영향 비율과 4/5(0.8) 기준선.",
    },
    "fairness_chart_elsewhere": {
        "en": "Chart: impact ratio per group and stage. Slack cannot show it inline here; run `internal-hire fairness "
              "report --chart DIR`, or open this report in Teams or the local chat.",
        "ko": "차트: 집단·단계별 영향 비율. Slack에서는 바로 보여드릴 수 없어요. `internal-hire fairness report --chart "
              "DIR`로 만들거나 Teams·로컬 채팅에서 열어 보세요.",
    },
    "fairness_flags": {"en": "{n} group(s) below four-fifths.", "ko": "4/5 기준 미만 집단 {n}개."},
    "fairness_no_flags": {"en": "No group below four-fifths.", "ko": "4/5 기준 미만 집단 없음."},
})


# ---- the shared request check: refusals with the rule and a lawful rewording, and help for small talk ----------------
MESSAGES.update({
    "guard_refused_title": {"en": "I can't use that as a hiring criterion", "ko": "그 조건은 채용 기준으로 쓸 수 없어요"},
    "guard_rewording": {"en": "Without it, your request reads: “{text}”", "ko": "그 조건을 빼면 이렇게 요청할 수 있어요: “{text}”"},
    "guard_no_rewording": {"en": "Nothing else was asked for: describe the role and the skills it needs instead.",
                           "ko": "그 조건 말고는 요청 내용이 없어요. 대신 역할과 필요한 역량을 적어 주세요."},
    "btn_reword_search": {"en": "Search for: {text}", "ko": "검색: {text}"},
    "btn_reword_gap": {"en": "Gap analysis for: {text}", "ko": "역량 갭 분석: {text}"},
    "btn_reword_compare": {"en": "Compare for: {text}", "ko": "비교: {text}"},
    "offtopic_lead": {
        "en": "I only help with internal hiring, so I can't answer that one. Here is what you can ask:",
        "ko": "저는 사내 채용만 도와드려서 그 질문에는 답할 수 없어요. 이런 걸 물어보실 수 있어요:"},
    "offtopic_examples_manager": {
        "en": "• “who knows Kafka in Seoul?” — find internal candidates, with the evidence\n"
              "• “compare E0012 and E0044 for the data platform role”\n"
              "• “gap for E0012: senior backend engineer” — what someone is missing for a role\n"
              "• `shortlist` — the people you kept",
        "ko": "• “서울에서 카프카 아는 사람?” — 근거와 함께 사내 후보자 찾기\n"
              "• “비교 E0012, E0044: 데이터 플랫폼”\n"
              "• “역량 갭 대상 E0012: 시니어 백엔드 개발자” — 역할에 부족한 역량\n"
              "• `숏리스트` — 관심 후보 목록"},
    "offtopic_examples_hr": {
        "en": "• “who knows Kafka in Seoul?” — find internal candidates, with the evidence\n"
              "• “compare E0012 and E0044 for the data platform role” · “gap for E0012: senior backend engineer”\n"
              "• `new jd` — a job description from your company's material · `jd pending` — drafts waiting for "
              "approval",
        "ko": "• “서울에서 카프카 아는 사람?” — 근거와 함께 사내 후보자 찾기\n"
              "• “비교 E0012, E0044: 데이터 플랫폼” · “역량 갭 대상 E0012: 시니어 백엔드 개발자”\n"
              "• `JD 작성` — 회사 자료로 채용 공고 만들기 · `JD 승인 대기` — 승인을 기다리는 초안"},
    "offtopic_examples_employee": {
        "en": "• `my profile` — what managers see about you, and whether they can find you\n"
              "• “gap senior backend engineer” — what you would need for a role, and where to learn it\n"
              "• send me your resume as a file to fill in your profile",
        "ko": "• `내 프로필` — 관리자에게 보이는 내 정보와 공개 여부\n"
              "• “역량 갭 시니어 백엔드 개발자” — 그 역할에 필요한 역량과 배울 곳\n"
              "• 이력서 파일을 보내면 프로필을 채워 드려요"},
})


# ---- four eyes: who may approve a JD ----------------------------------------------------------------------------------
MESSAGES.update({
    "jd_own_work": {"en": "You wrote or edited this JD, so another HR admin must approve it (four-eyes rule).",
                    "ko": "이 JD를 작성하거나 수정하셨기 때문에 다른 HR 담당자가 승인해야 해요 (4-eyes 원칙)."},
    "jd_approvers_are": {"en": "It waits for: {names}.", "ko": "승인할 수 있는 담당자: {names}."},
    "jd_no_other_approver": {
        "en": "No other HR admin can approve it: add a second HR admin, or, in an organisation with a single HR "
              "admin, allow self-approval with INTERNAL_HIRE_ALLOW_SELF_APPROVAL=true.",
        "ko": "승인할 수 있는 다른 HR 담당자가 없어요. HR 담당자를 한 명 더 지정하거나, HR 담당자가 한 명뿐인 조직이라면 "
              "INTERNAL_HIRE_ALLOW_SELF_APPROVAL=true 설정으로 본인 승인을 허용해 주세요."},
    "jd_four_eyes_rule": {"en": "Approval needs an HR admin other than its authors ({authors}).",
                          "ko": "작성자({authors})가 아닌 다른 HR 담당자가 승인해야 해요."},
    "jd_self_approval_allowed": {
        "en": "Self-approval is allowed by setting: its authors ({authors}) may approve it, and the approval is marked "
              "as theirs.",
        "ko": "설정으로 본인 승인이 허용되어 있어요: 작성자({authors})도 승인할 수 있고, 본인 승인으로 표시돼요."},
    "jd_self_approved_mark": {"en": " — approved by the author (self-approval allowed by setting)",
                              "ko": " — 작성자 본인 승인 (설정으로 허용된 본인 승인)"},
})


# ---- destructive actions are confirmed first; a stale card changes nothing ---------------------------------------------
MESSAGES.update({
    "jd_confirm_close_title": {"en": "Close this opening?", "ko": "이 공고를 마감할까요?"},
    "jd_confirm_close_body": {
        "en": "Internal opening {opening} (“{title}”, open since {since}) will stop taking applicants. It cannot be "
              "reopened from here.",
        "ko": "사내 공고 {opening}(“{title}”, {since}부터 모집 중)의 지원 접수가 끝나요. 여기서 다시 열 수는 없어요."},
    "btn_jd_confirm_close": {"en": "Yes, close it", "ko": "네, 마감할게요"},
    "btn_jd_keep_open": {"en": "Keep it open", "ko": "계속 모집"},
    "jd_confirm_reject_title": {"en": "Reject “{title}”?", "ko": "“{title}”을(를) 반려할까요?"},
    "jd_confirm_reject_body": {
        "en": "Version {version} will be rejected with the reason below, and it can no longer be edited.",
        "ko": "버전 {version}을(를) 아래 사유로 반려해요. 반려한 JD는 더 이상 수정할 수 없어요."},
    "btn_jd_confirm_reject": {"en": "Yes, reject it", "ko": "네, 반려할게요"},
    "delete_confirm_dialog": {"en": "Your resume, skills, details and drafts are deleted for good.",
                              "ko": "이력서, 스킬, 상세 정보, 임시본이 영구히 삭제돼요."},
    "profile_changed_since": {
        "en": "Your profile changed after this confirmation was shown, so nothing was deleted. Here it is now; press "
              "Delete again if you still want to.",
        "ko": "확인 화면을 연 뒤 프로필이 바뀌어서 아무것도 삭제하지 않았어요. 현재 프로필이에요. 그래도 삭제하려면 다시 "
              "삭제를 눌러 주세요."},
})


# ---- the AI service: the real wait, and why an answer came from the offline path ---------------------------------------
MESSAGES.update({
    "searching_wait": {"en": "Searching internal candidates… (at most {seconds} s)",
                       "ko": "사내 후보자를 찾고 있어요… (최대 {seconds}초)"},
    "resume_working_wait": {"en": "Reading your resume… (at most {seconds} s)",
                            "ko": "이력서를 읽고 있어요… (최대 {seconds}초)"},
    "chat_thinking_wait": {"en": "Looking it up… (at most {seconds} s)", "ko": "찾아보는 중이에요… (최대 {seconds}초)"},
    "ai_reason_timeout": {"en": "the AI service did not answer within {seconds} s",
                          "ko": "AI 서비스가 {seconds}초 안에 응답하지 않았어요"},
    "ai_reason_no_time": {"en": "the AI service did not answer within this request's {seconds} s",
                          "ko": "AI 서비스가 이 요청의 제한 시간({seconds}초) 안에 응답하지 않았어요"},
    "ai_reason_model_unavailable": {"en": "model {model} is not available",
                                    "ko": "{model} 모델을 쓸 수 없어요"},
    "ai_reason_quota": {"en": "the AI service's usage limit was reached", "ko": "AI 서비스 사용 한도에 도달했어요"},
    "ai_reason_bad_output": {"en": "the AI service's answer could not be used",
                             "ko": "AI 서비스의 답변을 사용할 수 없었어요"},
    "ai_reason_unavailable": {"en": "the AI service is not available right now", "ko": "지금은 AI 서비스를 쓸 수 없어요"},
    "resume_offline_because": {"en": "Analysed offline: {why}.", "ko": "오프라인으로 분석했어요: {why}."},
    "chat_offline_because": {"en": "Answered offline: {why}.", "ko": "오프라인으로 답했어요: {why}."},
    "jd_template_because": {"en": "Built from templates: {why}.", "ko": "템플릿으로 만들었어요: {why}."},
    "jd_brief_offline_because": {"en": "Read without the AI model: {why}.", "ko": "AI 모델 없이 읽었어요: {why}."},
    "jd_rewrite_offline_because": {"en": "Rewritten offline: {why}.", "ko": "오프라인으로 고쳤어요: {why}."},
    "jd_status_models": {"en": "AI models", "ko": "AI 모델"},
    "jd_status_model_ok": {"en": "{model} ({roles}): available", "ko": "{model} ({roles}): 사용 가능"},
    "jd_status_model_unchecked": {"en": "{model} ({roles}): not checked yet", "ko": "{model} ({roles}): 아직 확인 전"},
    "jd_status_model_unknown": {"en": "{model} ({roles}): could not be checked", "ko": "{model} ({roles}): 확인하지 못함"},
    "jd_status_model_down": {"en": "⚠ {model} ({roles}) is not available: {detail}. Calls that need it answer offline.",
                             "ko": "⚠ {model} ({roles}) 모델을 쓸 수 없어요: {detail}. 이 모델이 필요한 작업은 오프라인으로 "
                                   "처리해요."},
    "jd_status_model_rerouted": {"en": "{model} is answered by {answered} (rerouted by the API)",
                                 "ko": "{model} 요청에 {answered} 모델이 답하고 있어요 (API가 전환)"},
})


def ai_reason(reason, lang: str) -> str:
    """Why the offline path answered (core.ai.provider.FallbackReason), in plain words: never an exception's text.
    The seconds are the wait the person actually had."""
    kind = getattr(reason, "kind", "") or "unavailable"
    seconds = getattr(reason, "seconds", None)
    if kind in ("timeout", "no_time") and not seconds:
        kind = "unavailable"
    key = f"ai_reason_{kind}" if f"ai_reason_{kind}" in MESSAGES else "ai_reason_unavailable"
    shown = (f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.1f}".rstrip("0").rstrip(".")) if seconds else ""
    return t(key, lang, seconds=shown, model=getattr(reason, "model", "") or "—")


# ---- input limits -------------------------------------------------------------------------------------------------
MESSAGES.update({
    "request_too_long": {
        "en": "That message is {chars} characters long; I read requests of up to {limit}. Send the role and the "
              "skills that matter (a job description's requirements are enough), or upload a long document as a file.",
        "ko": "메시지가 {chars}자예요. 요청은 {limit}자까지 읽어요. 역할과 중요한 기술만 보내 주세요 (채용공고라면 자격 요건이면 "
              "충분해요). 긴 문서는 파일로 올려 주세요."},
    "doc_too_much_text": {"ko": "파일의 텍스트가 {chars}자예요. {limit}자까지 읽어요 (긴 이력서도 2만 자 정도예요). 올바른 파일인지 "
                                "확인하거나 줄여서 보내 주세요"},
    "doc_too_complex": {"ko": "파일을 읽는 데 너무 오래 걸리거나 메모리가 너무 많이 필요해서 중단했어요. PDF나 .docx로 다시 "
                              "내보내 주세요"},
    "doc_unpacks_too_large": {"ko": "Word 문서의 압축을 풀면 {size_mb} MB예요 (한도 {limit_mb} MB). 포함된 파일 없이 다시 저장하거나 "
                                    "PDF로 보내 주세요"},
    "doc_not_a_file": {"ko": "일반 파일이 아니에요 (폴더, 장치나 파이프). 이력서 파일의 경로를 알려 주세요"},
})


# ---- openings, interest, alerts, home (handlers/openings_messages.py) ------------------------------------------------
from handlers.openings_messages import OPENINGS_MESSAGES  # noqa: E402  (kept in its own file: one feature's words)

MESSAGES.update(OPENINGS_MESSAGES)


# ---- the weekly talent digest: its sections, charts and alt text (handlers/digest.py) ------------------------------------
MESSAGES.update({
    "digest_title": {"en": "Weekly talent digest", "ko": "주간 인재 다이제스트"},
    "digest_supply_demand": {"en": "Skills: openings ask vs people show", "ko": "스킬: 채용 수요 대 보유 인원"},
    "digest_asked": {"en": "open openings asking", "ko": "요구하는 채용 공고"},
    "digest_people": {"en": "people showing it", "ko": "보유 인원"},
    "digest_optin": {"en": "Open to internal moves by department", "ko": "부서별 사내 이동 희망 비율"},
    "digest_optin_axis": {"en": "share open to moves (%)", "ko": "이동 희망 비율 (%)"},
    "digest_pending": {"en": "JDs waiting for approval", "ko": "승인 대기 중인 JD"},
    "digest_waiting": {"en": "waiting {days} days", "ko": "{days}일째 대기"},
    "digest_ai": {"en": "AI usage", "ko": "AI 사용량"},
    "digest_ai_line": {"en": "{week:,} tokens this week; today {today:,} of the daily budget {budget}",
                       "ko": "이번 주 {week:,} 토큰, 오늘 {today:,} / 일일 한도 {budget}"},
    "digest_no_budget": {"en": "none", "ko": "없음"},
    "digest_feedback": {"en": "Feedback and the mobility funnel", "ko": "피드백과 사내 이동 현황"},
    "digest_feedback_ratio": {"en": "👍 {up} · 👎 {down} on results and openings this week ({share}% positive)",
                              "ko": "이번 주 결과·공고 평가 👍 {up} · 👎 {down} (긍정 {share}%)"},
    "digest_feedback_no_votes": {"en": "No 👍/👎 on results or openings this week.",
                                 "ko": "이번 주에는 결과·공고 평가(👍/👎)가 없어요."},
    "digest_funnel_line": {"en": "{stage}: {now} this week (last week {before})",
                           "ko": "{stage}: 이번 주 {now}건 (지난주 {before}건)"},
    "digest_stage_interested": {"en": "interested", "ko": "관심 표시"},
    "digest_stage_shortlisted": {"en": "shortlisted", "ko": "후보 등록"},
    "digest_stage_approved": {"en": "approved", "ko": "승인"},
    "digest_stage_moved": {"en": "moved", "ko": "이동 완료"},
    "digest_newly_open": {"en": "Open to moves, profile updated this week", "ko": "이번 주 프로필을 갱신한 이동 희망자"},
    "digest_interest": {"en": "Interest in your openings this week", "ko": "이번 주 내 공고에 관심을 표시한 사람"},
    "digest_newly_strong": {"en": "Newly strong for your searches", "ko": "내 검색에 새로 강하게 맞는 사람"},
    "digest_strong_line": {"en": "{name} ({id}) · {title} · {dept} — fit {score} for \"{query}\"",
                           "ko": "{name} ({id}) · {title} · {dept} — \"{query}\" 적합도 {score}"},
    "digest_shortlist_changes": {"en": "Your shortlist: {now} now (a week ago {before})",
                                 "ko": "내 후보 목록: 현재 {now}명 (일주일 전 {before}명)"},
    "digest_shortlist_added": {"en": "added this week: {name} ({id}) · {title}",
                               "ko": "이번 주 추가: {name} ({id}) · {title}"},
    "digest_shortlist_left": {"en": "{n} left this week (no longer open to moves)",
                              "ko": "이번 주 {n}명 빠짐 (더 이상 이동 희망 아님)"},
    "digest_openings": {"en": "Internal openings that fit you", "ko": "나에게 맞는 사내 공고"},
    "digest_opening_fit": {"en": "fit {score} ({band})", "ko": "적합도 {score} ({band})"},
    "digest_opening_skills": {"en": "your skills it asks for: {skills}", "ko": "요구 스킬 중 보유: {skills}"},
    "digest_opening_missing": {"en": "new to you: {skills}", "ko": "새로 익힐 스킬: {skills}"},
    "digest_openings_more": {"en": "Type `openings` to see them all and say you are interested.",
                             "ko": "`사내 공고`를 입력하면 전체 목록을 보고 관심을 표시할 수 있어요."},
    "digest_alt_supply": {"en": "Bar chart: for each skill, open openings asking for it and people showing it. {rows}",
                          "ko": "막대 차트: 스킬별 요구 공고 수와 보유 인원. {rows}"},
    "digest_alt_optin": {"en": "Bar chart: share of people open to moves per department. {rows}",
                         "ko": "막대 차트: 부서별 이동 희망 비율. {rows}"},
    "digest_charts_attached": {"en": "Charts: {names} (attached below).", "ko": "차트: {names} (아래 첨부)."},
    "digest_footer": {"en": "Sent every week when there is something to tell. Say \"stop digests\" to stop them.",
                      "ko": "알려 드릴 내용이 있을 때 매주 보내 드려요. 그만 받으시려면 \"다이제스트 그만\"이라고 해 주세요."},
})


# ---- the feedback loop: 👍/👎 and mobility outcomes (handlers/feedback_messages.py) -----------------------------------
from handlers.feedback_messages import FEEDBACK_MESSAGES  # noqa: E402  (kept in its own file: one feature's words)

MESSAGES.update(FEEDBACK_MESSAGES)
