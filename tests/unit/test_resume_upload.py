"""An employee sends a resume: a review card comes back, nothing is saved until they confirm, and what they confirm
(with their edits) is what managers can find."""
from cards.text import render_text
from handlers.requests import Request, Upload
from tests.resume_files import (ENGLISH_RESUME, KOREAN_CONTACT, KOREAN_RESUME, encrypted_pdf_bytes,
                                image_only_pdf_bytes, pdf_bytes, resume_docx_bytes)


def upload(app, actor, name, data, private=True, error=""):
    return app.router.handle(Request(actor=actor, platform="local", upload=Upload(name, data, error), private=private))


def press(app, actor, card, action_id, form=None):
    button = next(b for b in card.buttons if b.action_id == action_id)
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value, form=form or {}))


def flat(reply) -> str:
    return " ".join(render_text(reply.cards)[0].split())


def test_korean_pdf_resume_is_reviewed_then_saved_with_the_employees_edits(demo_app):
    me = demo_app.store.find_employee("E0003")
    before = demo_app.store.get_employee(me.id)
    review = upload(demo_app, me, "이력서.pdf", pdf_bytes(KOREAN_RESUME))
    text = flat(review)
    assert "확인해 주세요" in text and "오프라인" in text          # Korean resume -> Korean card, honest source
    assert "카프카" in text or "Kafka" in text                     # page 2 was read
    assert "정보처리기사" in text                                  # page 3 too
    assert KOREAN_CONTACT["phone"] not in text and KOREAN_CONTACT["rrn"] not in text
    assert demo_app.store.get_employee(me.id) == before           # nothing saved before confirming
    skills_field = next(f for f in review.cards[0].inputs if f.id == "skills")
    lines = [line for line in skills_field.value.splitlines() if not line.startswith("Redis")] + ["Go — beginner"]
    saved = press(demo_app, me, review.cards[0], "resume_confirm", {"skills": "\n".join(lines)})
    assert "저장했어요" in flat(saved)
    stored = demo_app.store.get_employee(me.id)
    assert {"kafka", "kubernetes", "golang"} <= set(stored.skill_ids) and "redis" not in stored.skill_ids
    assert KOREAN_CONTACT["email"] not in stored.resume_text and KOREAN_CONTACT["rrn"] not in stored.resume_text
    assert "정보처리기사" in stored.details.certifications
    assert demo_app.store.embedding_model() is not None
    again = press(demo_app, me, review.cards[0], "resume_confirm")    # the draft is gone after saving
    assert "no longer available" in flat(again) or "더 이상" in flat(again)
    actions = [a.action for a in demo_app.store.list_audit() if a.actor_id == me.id]
    assert actions[-2:] == ["resume_uploaded", "resume_confirmed"]


def test_discarding_leaves_the_profile_untouched(demo_app):
    me = demo_app.store.find_employee("E0003")
    before = demo_app.store.get_employee(me.id)
    review = upload(demo_app, me, "resume.docx", resume_docx_bytes(ENGLISH_RESUME))
    assert "CHECK WHAT I FOUND" in flat(review)
    done = press(demo_app, me, review.cards[0], "resume_discard")
    assert "nothing was saved" in flat(done)
    assert demo_app.store.get_employee(me.id) == before


def test_someone_else_cannot_confirm_my_draft(demo_app):
    me = demo_app.store.find_employee("E0003")
    hr = demo_app.store.find_employee("E0001")
    review = upload(demo_app, me, "resume.docx", resume_docx_bytes(ENGLISH_RESUME))
    refused = press(demo_app, hr, review.cards[0], "resume_confirm")
    assert "not available" in flat(refused)
    assert demo_app.store.get_employee(me.id).resume_text != demo_app.store.get_employee(hr.id).resume_text


def test_unreadable_files_get_a_specific_message_and_nothing_is_saved(demo_app):
    me = demo_app.store.find_employee("E0003")
    before = demo_app.store.get_employee(me.id)
    cases = {"locked.pdf": (encrypted_pdf_bytes(ENGLISH_RESUME), "password"),
             "scan.pdf": (image_only_pdf_bytes(), "text layer"),
             "photo.png": (b"\x89PNG\r\n", ".pdf"),
             "empty.txt": (b"", "empty")}
    for name, (data, why) in cases.items():
        text = flat(upload(demo_app, me, name, data))
        assert name in text and why in text and "Nothing was saved" in text, (name, text)
    too_big = flat(upload(demo_app, me, "huge.pdf", b"", error="the file is 14.2 MB; the limit is 10 MB"))
    assert "14.2 MB" in too_big
    assert "direct message" in flat(upload(demo_app, me, "cv.pdf", pdf_bytes(ENGLISH_RESUME), private=False))
    assert demo_app.store.get_employee(me.id) == before
    assert not [a for a in demo_app.store.list_audit() if a.actor_id == me.id]


def test_a_korean_file_name_gets_korean_reasons(demo_app):
    me = demo_app.store.find_employee("E0003")
    text = flat(upload(demo_app, me, "이력서_스캔.pdf", image_only_pdf_bytes()))
    assert "텍스트가 없어요" in text and "저장하지 않았어요" in text


def test_with_gemini_the_model_never_sees_contact_details_and_invented_skills_are_dropped(demo_db, tmp_path,
                                                                                       gemini_fake, monkeypatch):
    import shutil

    from tests.conftest import make_app
    from tests.gemini_fake import answer
    from tests.resume_files import KOREAN_NAME

    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_fake.base_url)
    shutil.copytree(demo_db, tmp_path / "org")
    app = make_app(tmp_path / "org")
    me = app.store.find_employee("E0003")
    gemini_fake.enqueue(answer({
        "skills": [{"name": "Kafka", "evidence": "카프카 기반 결제 이벤트 파이프라인 설계 및 구축, 일 2억 건 처리",
                    "proficiency": "expert", "years": 5},
                   {"name": "Rust", "evidence": "Rust로 결제 엔진을 재작성", "proficiency": "advanced"}],
        "roles": [{"title": "시니어 백엔드 개발자", "organisation": "데모코프", "start": "2019-03", "end": ""}],
        "years_experience": 9, "education": ["한양대학교 컴퓨터공학과 학사"], "certifications": ["정보처리기사"],
        "languages": ["Korean", "English"], "summary": "결제 백엔드 개발자"}))
    review = upload(app, me, "이력서.pdf", pdf_bytes(KOREAN_RESUME))
    text = flat(review)
    assert "Gemini" in text and "카프카" in text
    assert "Rust" not in text, [l for l in text.split("•") if "Rust" in l]
    assert "근거가 없는 스킬 1개" in text     # the invented skill is left out, and said so
    prompt = gemini_fake.requests_for("generateContent")[0].prompt_text
    for secret in (*KOREAN_CONTACT.values(), KOREAN_NAME, "1988"):
        assert secret not in prompt, secret
    saved = press(app, me, review.cards[0], "resume_confirm")
    stored = app.store.get_employee(me.id)
    assert "저장했어요" in flat(saved) and "kafka" in stored.skill_ids and "rust" not in stored.skill_ids
    assert next(s for s in stored.skills if s.skill_id == "kafka").proficiency == "expert"
    assert stored.details.years_experience == 9
    app.close()
