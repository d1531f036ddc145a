"""The feedback loop's words (handlers/feedback.py), in English and Korean; merged into handlers.messages."""
from __future__ import annotations

FEEDBACK_MESSAGES: dict[str, dict[str, str]] = {
    "btn_feedback_filled": {"en": "Filled internally by…", "ko": "사내 이동으로 충원…"},
    "btn_feedback_record_move": {"en": "Record the move", "ko": "이동 기록"},
    "feedback_person_up": {
        "en": "👍 Noted: {name} is a good match for this search. Your votes become evaluation data for the ranking; "
              "press {other} to change it.",
        "ko": "👍 기록했어요: {name} 님이 이 검색에 잘 맞는다고요. 의견은 순위 평가 데이터로 쓰여요. 바꾸려면 {other}를 누르세요."},
    "feedback_person_down": {
        "en": "👎 Noted: {name} is not a match for this search. Your votes become evaluation data for the ranking; "
              "press {other} to change it.",
        "ko": "👎 기록했어요: {name} 님은 이 검색에 맞지 않는다고요. 의견은 순위 평가 데이터로 쓰여요. 바꾸려면 {other}를 "
              "누르세요."},
    "feedback_person_up_changed": {"en": "Changed to 👍: {name} is a good match for this search.",
                                   "ko": "👍로 바꿨어요: {name} 님이 이 검색에 잘 맞는다고요."},
    "feedback_person_down_changed": {"en": "Changed to 👎: {name} is not a match for this search.",
                                     "ko": "👎로 바꿨어요: {name} 님은 이 검색에 맞지 않는다고요."},
    "feedback_same_person": {"en": "You already gave {name} {mark} for this search; nothing changed.",
                             "ko": "이 검색에서 {name} 님에게 이미 {mark}를 눌렀어요. 바뀐 것은 없어요."},
    "feedback_opening_up": {
        "en": "👍 Noted: “{name}” ({id}) looks right for you. This tunes which openings we suggest; press {other} "
              "to change it.",
        "ko": "👍 기록했어요: “{name}”({id}) 공고가 잘 맞는다고요. 추천 공고를 개선하는 데 쓰여요. 바꾸려면 {other}를 누르세요."},
    "feedback_opening_down": {
        "en": "👎 Noted: “{name}” ({id}) does not look right for you. This tunes which openings we suggest; press "
              "{other} to change it.",
        "ko": "👎 기록했어요: “{name}”({id}) 공고는 맞지 않는다고요. 추천 공고를 개선하는 데 쓰여요. 바꾸려면 {other}를 "
              "누르세요."},
    "feedback_opening_up_changed": {"en": "Changed to 👍: “{name}” ({id}) looks right for you.",
                                    "ko": "👍로 바꿨어요: “{name}”({id}) 공고가 잘 맞는다고요."},
    "feedback_opening_down_changed": {"en": "Changed to 👎: “{name}” ({id}) does not look right for you.",
                                      "ko": "👎로 바꿨어요: “{name}”({id}) 공고는 맞지 않는다고요."},
    "feedback_same_opening": {"en": "You already gave “{name}” {mark}; nothing changed.",
                              "ko": "“{name}” 공고에 이미 {mark}를 눌렀어요. 바뀐 것은 없어요."},
    "feedback_outcome_moved": {
        "en": "Recorded: {name} ({id}) moved into “{title}” ({opening}). It counts in the mobility funnel and as a "
              "highly relevant match in the quality evaluation.",
        "ko": "기록했어요: {name}({id}) 님이 “{title}”({opening})(으)로 이동했어요. 이동 퍼널과 품질 평가(매우 적합)에 "
              "반영돼요."},
    "feedback_outcome_moved_already": {"en": "Already recorded: {name} ({id}) moved into “{title}” ({opening}).",
                                       "ko": "이미 기록되어 있어요: {name}({id}) 님은 “{title}”({opening})(으)로 이동했어요."},
    "feedback_outcome_approved": {"en": "Recorded: {name}'s ({id}) move into “{title}” ({opening}) is approved.",
                                  "ko": "기록했어요: {name}({id}) 님의 “{title}”({opening}) 이동이 승인됐어요."},
    "feedback_outcome_approved_already": {
        "en": "Already recorded: {name}'s ({id}) move into “{title}” ({opening}) is approved.",
        "ko": "이미 기록되어 있어요: {name}({id}) 님의 “{title}”({opening}) 이동 승인."},
    "feedback_hr_only": {
        "en": "Only HR admins record internal moves and approvals. Ask your HR partner to record it.",
        "ko": "사내 이동과 이동 승인은 HR 관리자만 기록할 수 있어요. 담당 HR에게 요청해 주세요."},
    "feedback_unknown_person": {
        "en": "I can't find “{detail}” in the directory. Use an employee id such as E0123, an e-mail or a full name "
              "in quotes.",
        "ko": "“{detail}”을(를) 직원 목록에서 찾을 수 없어요. E0123 같은 사번, 이메일, 또는 따옴표로 감싼 이름을 써 주세요."},
    "feedback_unknown_opening": {
        "en": "There is no opening “{detail}”. Opening ids look like op-1a2b3c4d5e6f (shown on the JD's card).",
        "ko": "“{detail}” 공고가 없어요. 공고 번호는 op-1a2b3c4d5e6f 형식이에요 (JD 카드에 있어요)."},
    "feedback_outcome_usage": {
        "en": "To record an internal move write `moved E0123 op-…` (or `approved E0123 op-…` for an approved move): "
              "the employee id and the opening id.",
        "ko": "사내 이동은 `E0123 op-… 이동 완료`(승인은 `E0123 op-… 이동 승인`)처럼 사번과 공고 번호를 함께 써 주세요."},
    "feedback_fill_title": {"en": "Filled internally: “{title}”", "ko": "사내 이동으로 충원: “{title}”"},
    "feedback_fill_body": {"en": "Who moved into “{title}” ({opening})? People interested in it or shortlisted for it:",
                           "ko": "“{title}”({opening})에 누가 이동했나요? 관심을 표시했거나 후보 목록에 있는 사람:"},
    "feedback_fill_field": {"en": "Person", "ko": "이동한 사람"},
    "feedback_fill_other": {"en": "Someone else? Write `moved E0123 {opening}`.",
                            "ko": "다른 사람이라면 `E0123 {opening} 이동 완료`라고 써 주세요."},
    "feedback_fill_nobody": {
        "en": "Nobody is interested in “{title}” or shortlisted for it yet. If someone moved in, write `moved E0123 "
              "{opening}`.",
        "ko": "“{title}”에 관심을 표시했거나 후보 목록에 있는 사람이 아직 없어요. 이동한 사람이 있다면 `E0123 {opening} 이동 "
              "완료`라고 써 주세요."},
    "feedback_fill_choose": {"en": "Choose the person who moved in first.", "ko": "먼저 이동한 사람을 골라 주세요."},
}
