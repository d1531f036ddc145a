"""Words of the openings, interest, alerts and home features, in English and Korean (merged into handlers.messages)."""
from __future__ import annotations

OPENINGS_MESSAGES: dict[str, dict[str, str]] = {
    "openings_title": {"en": "Internal openings for you", "ko": "나에게 맞는 사내 공고"},
    "openings_no_profile": {
        "en": ("You have no profile yet, so these openings are not ranked for you (newest first). Send me your "
               "resume in a direct message (`/upload FILE` in the local chat) or type `my profile` to add your "
               "skills; then each opening shows how well it fits you."),
        "ko": ("아직 프로필이 없어서 공고를 나에게 맞춰 정렬하지 못했어요(최신순). 1:1 메시지로 이력서를 보내거나"
               "(로컬 채팅은 `/upload 파일`) `내 프로필`에서 스킬을 추가하면 공고마다 얼마나 맞는지 보여드려요."),
    },
    "openings_thin_profile": {
        "en": "Your profile lists no skills yet, so these fits are rough. Add skills in `my profile`.",
        "ko": "프로필에 스킬이 아직 없어서 적합도가 대략적이에요. `내 프로필`에서 스킬을 추가해 주세요.",
    },
    "openings_none": {"en": "There are no open internal openings right now.",
                      "ko": "지금 모집 중인 사내 공고가 없어요."},
    "openings_none_match": {"en": "No open opening matches these filters. Type `openings` to see them all.",
                            "ko": "조건에 맞는 모집 중인 공고가 없어요. `사내 공고`를 입력하면 전체를 볼 수 있어요."},
    "openings_no_more": {"en": "No more openings.", "ko": "더 이상 공고가 없어요."},
    "openings_ranked": {"en": "ranked against your profile", "ko": "내 프로필 기준 정렬"},
    "openings_unranked": {"en": "newest first", "ko": "최신순"},
    "openings_summary": {"en": "{start}–{end} of {total} open openings · {how}",
                         "ko": "모집 중인 공고 {total}건 중 {start}–{end} · {how}"},
    "openings_hidden_count": {"en": "{count} marked “not for me” hidden", "ko": "“관심 없음” {count}건 숨김"},
    "openings_bad_option": {
        "en": "I could not use `{option}`: {why}. Try `openings`, `openings level:L4+ dept:\"Hanbit Pay\" 10`.",
        "ko": "`{option}` 옵션을 쓸 수 없어요: {why}. 예: `사내 공고`, `openings level:L4+ dept:\"Hanbit Pay\" 10`.",
    },
    "openings_you_are_interested": {"en": "You told the owner you are interested.",
                                    "ko": "담당자에게 관심을 표시했어요."},
    "btn_openings_interested": {"en": "I'm interested", "ko": "관심 있어요"},
    "btn_openings_withdraw": {"en": "Withdraw interest", "ko": "관심 철회"},
    "btn_openings_not_for_me": {"en": "Not for me", "ko": "관심 없음"},
    "btn_openings_first": {"en": "First page", "ko": "처음으로"},
    "btn_openings_all": {"en": "All openings", "ko": "전체 공고"},
    "btn_openings_alerts_on": {"en": "Tell me about openings that fit me", "ko": "맞는 공고 알림 받기"},
    "btn_openings_alerts_off": {"en": "Stop opening alerts", "ko": "공고 알림 끄기"},
    "btn_openings_confirm_interest": {"en": "Yes, tell them", "ko": "네, 알려 주세요"},
    "openings_alerts_state_on": {
        "en": "Alerts on: a direct message when a new opening fits you (fit {fit}+), at most once a day.",
        "ko": "알림 켜짐: 나에게 맞는 새 공고(적합도 {fit} 이상)가 열리면 하루 한 번까지 1:1 메시지로 알려드려요.",
    },
    "openings_alerts_state_off": {
        "en": "Alerts are off. Turn them on to hear about new openings that fit you (at most one message a day).",
        "ko": "알림이 꺼져 있어요. 켜면 나에게 맞는 새 공고를 알려드려요(하루 한 번까지).",
    },
    "openings_alerts_now_on": {
        "en": "Alerts on: I'll message you when a new opening fits you (fit {fit}+), at most once a day.",
        "ko": "알림을 켰어요. 나에게 맞는 새 공고(적합도 {fit} 이상)가 열리면 하루 한 번까지 알려드릴게요.",
    },
    "openings_alerts_now_off": {"en": "Opening alerts are off.", "ko": "공고 알림을 껐어요."},
    "openings_consent_title": {"en": "Tell the opening's owner you're interested?",
                               "ko": "공고 담당자에게 관심을 알릴까요?"},
    "openings_consent_body": {
        "en": "**{title}** (`{id}`, {company}). If you confirm, {owners} will get a direct message from me.",
        "ko": "**{title}** (`{id}`, {company}). 확인하면 {owners}에게 1:1 메시지로 알려드려요.",
    },
    "openings_consent_what": {
        "en": ("They will see your name and the profile below: title, department, level, location, your skills "
               "with the lines from your resume that show them, and your experience, education, certifications "
               "and languages. They can add you to their shortlist. You can withdraw with one button at any time; "
               "they will be told."),
        "ko": ("담당자는 이름과 아래 프로필을 보게 돼요: 직함, 부서, 레벨, 근무지, 이력서 근거 문장이 있는 스킬, 경력·학력·"
               "자격증·언어. 담당자는 나를 관심 후보에 추가할 수 있어요. 언제든 버튼 하나로 철회할 수 있고, "
               "철회하면 담당자에게도 알려요."),
    },
    "openings_consent_preview": {"en": "What they will see:", "ko": "담당자에게 보이는 내용:"},
    "openings_consent_not_shown": {
        "en": ("Not shared: your other interests, openings you marked “not for me”, your alert setting, and "
               "whether you are open to other moves."),
        "ko": "공유되지 않는 것: 다른 공고에 대한 관심, “관심 없음” 표시한 공고, 알림 설정, 다른 이동 희망 여부.",
    },
    "openings_interest_cancelled": {"en": "Nothing was sent.", "ko": "아무것도 보내지 않았어요."},
    "openings_interest_recorded": {
        "en": "You're marked as interested in **{title}** (`{id}`). I told {owners}.",
        "ko": "**{title}** (`{id}`)에 관심을 표시했어요. {owners}에게 알렸어요.",
    },
    "openings_already_interested": {
        "en": "You already told {owners} that you're interested in **{title}** (`{id}`).",
        "ko": "이미 {owners}에게 **{title}** (`{id}`)에 관심 있다고 알렸어요.",
    },
    "openings_withdraw_hint": {"en": "Changed your mind? Withdraw with one button; the owner will be told.",
                               "ko": "마음이 바뀌면 버튼 하나로 철회할 수 있어요. 담당자에게도 알려요."},
    "openings_withdrawn": {"en": "Withdrawn: you're no longer listed as interested in **{title}**. I told {owners}.",
                           "ko": "**{title}**에 대한 관심을 철회했어요. {owners}에게 알렸어요."},
    "openings_not_interested": {"en": "You are not marked as interested in **{title}**.",
                                "ko": "**{title}**에 관심 표시가 되어 있지 않아요."},
    "openings_dismissed": {"en": "Hidden: {title}. It won't appear in your list or alerts.",
                           "ko": "숨겼어요: {title}. 목록과 알림에 다시 나오지 않아요."},
    "opening_gone": {"en": "That opening no longer exists.", "ko": "그 공고는 더 이상 없어요."},
    "opening_closed": {"en": "**{title}** has closed, so interest can no longer be sent.",
                       "ko": "**{title}** 공고는 마감되어 더 이상 관심을 보낼 수 없어요."},
    "not_owner": {"en": "Only the opening's owners can do this.", "ko": "공고 담당자만 할 수 있어요."},
    "interest_withdrawn": {"en": "This person has withdrawn their interest, so they can't be added from here.",
                           "ko": "이 분이 관심을 철회해서 여기서는 추가할 수 없어요."},
    "openings_role_hr": {"en": "HR", "ko": "HR"},
    "openings_role_manager": {"en": "hiring manager", "ko": "채용 매니저"},
    "openings_owner_hr_team": {"en": "the HR team", "ko": "HR 팀"},
    "openings_owner_title": {"en": "{name} is interested in {title}", "ko": "{name} 님이 {title} 공고에 관심을 보였어요"},
    "openings_owner_context": {
        "en": "Opening `{id}` · {company} · they agreed to share this profile with you for this opening.",
        "ko": "공고 `{id}` · {company} · 이 공고를 위해 본인이 프로필 공유에 동의했어요.",
    },
    "openings_owner_fit": {"en": "Fit with the opening: **{score}** ({band}) · has: {have} · missing: {missing}",
                           "ko": "공고 적합도: **{score}** ({band}) · 보유: {have} · 부족: {missing}"},
    "openings_owner_withdrawn": {"en": "{name} withdrew their interest in **{title}** (`{id}`).",
                                 "ko": "{name} 님이 **{title}** (`{id}`) 공고에 대한 관심을 철회했어요."},
    "openings_alert_title": {"en": "New openings that fit you ({count})", "ko": "나에게 맞는 새 공고 ({count}건)"},
    "openings_alert_more": {"en": "… and {count} more: type `openings`.", "ko": "… 외 {count}건: `사내 공고`를 입력하세요."},
    "openings_alert_why": {
        "en": "You get this because you asked for alerts about openings that fit you (fit {fit}+), at most once a day.",
        "ko": "맞는 공고 알림(적합도 {fit} 이상)을 신청하셔서 보내드려요. 하루 한 번까지만 보내요.",
    },
    "openings_closed_told": {
        "en": "The opening **{title}** (`{id}`) has closed. Your interest stays on record; nothing else changes.",
        "ko": "**{title}** (`{id}`) 공고가 마감되었어요. 관심 표시는 기록으로 남고, 다른 변화는 없어요.",
    },
    # ---- home and role-aware help -------------------------------------------------------------------------------
    "home_title": {"en": "Internal Hire — home", "ko": "Internal Hire — 홈"},
    "home_greeting": {"en": "Hi {name}.", "ko": "{name} 님, 안녕하세요."},
    "home_profile_none": {
        "en": "**Your profile:** not added yet. Send your resume in a direct message or type `my profile`.",
        "ko": "**내 프로필:** 아직 없어요. 1:1 메시지로 이력서를 보내거나 `내 프로필`을 입력하세요.",
    },
    "home_profile_status": {
        "en": "**Your profile:** {skills} skills · {visibility} · mentor: {mentor}",
        "ko": "**내 프로필:** 스킬 {skills}개 · {visibility} · 멘토: {mentor}",
    },
    "home_openings": {"en": "**Openings that fit you**", "ko": "**나에게 맞는 공고**"},
    "home_openings_none": {"en": "No open internal openings right now.", "ko": "지금 모집 중인 사내 공고가 없어요."},
    "home_interests": {"en": "**Your interests**", "ko": "**내 관심 공고**"},
    "home_interests_none": {"en": "You haven't told anyone you're interested in an opening yet.",
                            "ko": "아직 관심을 표시한 공고가 없어요."},
    "home_interest_line": {"en": "• {title} (`{id}`) — {state}", "ko": "• {title} (`{id}`) — {state}"},
    "home_state_interested": {"en": "interested", "ko": "관심 표시"},
    "home_state_withdrawn": {"en": "withdrawn", "ko": "철회함"},
    "home_state_closed": {"en": "closed (kept on record)", "ko": "마감 (기록 보관)"},
    "home_shortlist": {"en": "**Your shortlist** ({count})", "ko": "**관심 후보** ({count}명)"},
    "home_shortlist_none": {"en": "Your shortlist is empty.", "ko": "관심 후보가 없어요."},
    "home_searches": {"en": "**Recent searches**", "ko": "**최근 검색**"},
    "home_searches_none": {"en": "No searches yet. Try `/find-candidates backend engineer who knows Kafka`.",
                           "ko": "아직 검색 기록이 없어요. `/find-candidates 카프카 다루는 백엔드 개발자`를 입력해 보세요."},
    "home_pending": {"en": "**JDs waiting for your approval** ({count})", "ko": "**승인 대기 JD** ({count}건)"},
    "home_pending_none": {"en": "No JD is waiting for approval.", "ko": "승인 대기 중인 JD가 없어요."},
    "home_open_openings": {"en": "**Open openings** ({count})", "ko": "**모집 중인 공고** ({count}건)"},
    "home_opening_interest": {"en": "• {title} (`{id}`) — {count} interested", "ko": "• {title} (`{id}`) — 관심 {count}명"},
    "home_queue": {"en": "**JD queue:** {queued} queued · {running} running · {failed} failed",
                   "ko": "**JD 대기열:** 대기 {queued} · 진행 {running} · 실패 {failed}"},
    "btn_home_profile": {"en": "My profile", "ko": "내 프로필"},
    "help_title_employee": {"en": "Internal Hire — your internal moves", "ko": "Internal Hire — 사내 이동"},
    "help_employee": {
        "en": ("What you can do here:\n"
               "• `openings` (or “what openings fit me?”): internal openings ranked against your profile, with the "
               "skills you have and the ones missing; `level:L4+`, `dept:NAME` and a number narrow it\n"
               "• on each opening: **Skill gap** (what to learn, with courses and mentors), **I'm interested** (you "
               "see exactly what the owner will see before anything is sent), **Not for me**\n"
               "• “Tell me about openings that fit me”: one direct message when a new opening fits, at most once a day\n"
               "• `my profile`: what managers see about you; edit it, hide yourself, offer to mentor, delete it\n"
               "• send your resume in a direct message (`/upload FILE` in the local chat)\n"
               "• `gap op-…` or `gap <role>`: your skill gap for an opening or a role\n"
               "• `home`: your profile, openings, interests and alerts at a glance\n"
               "Searching for people is for managers and HR, to protect everyone's privacy."),
        "ko": ("여기서 할 수 있는 일:\n"
               "• `사내 공고` (또는 “나한테 맞는 공고 있어?”): 내 프로필 기준으로 정렬한 사내 공고, 보유 스킬과 부족한 스킬; "
               "`level:L4+`, `dept:이름`, 숫자로 좁히기\n"
               "• 공고마다: **역량 갭**(배울 것, 강의와 멘토), **관심 있어요**(보내기 전에 담당자에게 보일 내용을 먼저 "
               "보여드려요), **관심 없음**\n"
               "• “맞는 공고 알림 받기”: 맞는 새 공고가 열리면 하루 한 번까지 1:1 메시지로 알려드려요\n"
               "• `내 프로필`: 관리자에게 보이는 내 정보 확인, 수정, 비공개, 멘토 신청, 삭제\n"
               "• 1:1 메시지로 이력서 보내기 (로컬 채팅은 `/upload 파일`)\n"
               "• `gap op-…` 또는 `gap 역할`: 공고나 역할에 대한 내 역량 갭\n"
               "• `홈`: 프로필, 공고, 관심, 알림을 한눈에\n"
               "인재 검색은 동료들의 개인정보 보호를 위해 관리자와 HR만 쓸 수 있어요."),
    },
    "help_more_manager": {
        "en": ("Also: `shortlist`, `compare E0012, E0044 for <role>`, `gap for E0123: <role>`, `home`, and "
               "`openings` for your own next move. People who tell an opening's owner they're interested reach you "
               "by direct message."),
        "ko": ("그 밖에: `관심 후보`, `비교 E0012, E0044: 역할`, `gap for E0123: 역할`, `홈`, 내 다음 이동을 위한 "
               "`사내 공고`. 공고에 관심을 보인 직원은 1:1 메시지로 알려드려요."),
    },
    "help_more_hr": {
        "en": ("HR: `new jd`, `custom jd: <request>`, `jd pending`, `jd status`, `fairness report`; published "
               "openings and their interest counts are on `home`."),
        "ko": ("HR: `new jd`, `맞춤 공고: 요청`, `jd 승인 대기`, `jd 상태`, `공정성 리포트`; 게시한 공고와 관심 인원은 "
               "`홈`에서 볼 수 있어요."),
    },
    "shortlist_interested_in": {"en": "_Interested in your opening {title} ({id}): shown to you for it only._",
                                "ko": "_내 공고 {title} ({id})에 관심을 보였어요. 이 공고 때문에만 보여요._"},
    # ---- the hiring manager on the JD edit card (handlers/hiring_manager.py) --------------------------------------
    "jd_field_hiring_manager": {"en": "Hiring manager (optional)", "ko": "채용 매니저 (선택)"},
    "jd_hiring_manager_placeholder": {
        "en": "Employee id, Slack user, e-mail or name: told when someone is interested in the opening",
        "ko": "사번, 슬랙 사용자, 이메일 또는 이름: 공고에 관심을 보인 직원을 알려드려요"},
    "jd_hiring_manager_unknown": {
        "en": "Nothing was saved: I could not find “{who}” in the directory as the hiring manager. Use an employee id "
              "(E0123), a Slack user, an e-mail or a full name, or leave the field empty.",
        "ko": "저장하지 않았어요: 채용 매니저 “{who}”을(를) 직원 목록에서 찾지 못했어요. 사번(E0123), 슬랙 사용자, 이메일 "
              "또는 이름을 쓰거나 비워 두세요."},
    "jd_hiring_manager_not_manager": {
        "en": "Nothing was saved: {name} is not a manager or HR admin, so cannot be the hiring manager.",
        "ko": "저장하지 않았어요: {name}님은 매니저나 HR 관리자가 아니어서 채용 매니저로 지정할 수 없어요."},
}
