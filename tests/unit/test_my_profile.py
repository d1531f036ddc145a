"""Employees see their own profile (never anyone else's) and decide whether managers can find them."""
from cards.text import render_text
from handlers.requests import Request


def ask(app, actor, text=None, button=None):
    if button is not None:
        return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                         action_value=button.value))
    return app.router.handle(Request(actor=actor, platform="local", text=text))


def test_an_employee_sees_their_own_profile_with_evidence(demo_app):
    me = demo_app.store.find_employee("E0003")
    reply = ask(demo_app, me, "내 프로필")
    text = render_text(reply.cards)[0]
    assert "내 프로필" in text and "스킬과 근거" in text and reply.ephemeral
    other_names = [e.display_name for e in demo_app.store.list_employees() if e.id != me.id][:50]
    assert not any(name in text for name in other_names)


def test_hiding_from_managers_takes_effect_in_their_searches(demo_app):
    me = demo_app.store.find_employee("E0003")          # a frontend developer, open to moves in the demo
    manager = demo_app.store.find_employee("E0002")

    def shown_to_manager():
        demo_app.router.handle(Request(actor=manager, platform="local", text="find-candidates frontend developer React 20"))
        return set(demo_app.store.list_audit()[-1].shown_ids)

    assert me.open_to_moves
    reply = ask(demo_app, me, "my profile")
    hide = next(b for b in reply.cards[0].buttons if b.action_id == "my_profile_hide")
    hidden = ask(demo_app, me, button=hide)
    assert hidden.replace_original and "hidden from managers" in render_text(hidden.cards)[0]
    assert not demo_app.store.get_employee(me.id).open_to_moves
    assert me.id not in shown_to_manager()
    show = next(b for b in hidden.cards[0].buttons if b.action_id == "my_profile_show")
    ask(demo_app, me, button=show)
    assert demo_app.store.get_employee(me.id).open_to_moves
    assert [e.action for e in demo_app.store.list_audit() if e.actor_id == me.id] == ["self_hidden", "self_open_to_moves"]


def test_nobody_can_flip_someone_elses_visibility(demo_app):
    me = demo_app.store.find_employee("E0003")
    intruder = demo_app.store.find_employee("E0002")
    button = next(b for b in ask(demo_app, me, "my profile").cards[0].buttons)
    forged = Request(actor=intruder, platform="local", action_id=button.action_id, action_value=button.value)
    reply = demo_app.router.handle(forged)
    assert "not available" in render_text(reply.cards)[0]
    assert demo_app.store.get_employee(me.id).open_to_moves


def press(app, actor, card, action_id, form=None):
    button = next(b for b in card.buttons if b.action_id == action_id)
    return app.router.handle(Request(actor=actor, platform="local", action_id=button.action_id,
                                     action_value=button.value, form=form or {}))


def test_editing_skills_changes_what_managers_find(demo_app):
    me = demo_app.store.find_employee("E0003")
    manager = demo_app.store.find_employee("E0002")
    profile = ask(demo_app, me, "my profile").cards[0]
    edit = press(demo_app, me, profile, "my_profile_edit")
    fields = {f.id: f for f in edit.cards[0].inputs}
    assert "React" in fields["skills"].value and edit.replace_original
    lines = [line for line in fields["skills"].value.splitlines() if not line.startswith("React")]
    saved = press(demo_app, me, edit.cards[0], "my_profile_save",
                  {"skills": "\n".join(lines + ["Rust — advanced", "Basket weaving"]),
                   "certifications": "정보처리기사\nCKA", "summary": "Frontend, moving to systems work"})
    text = " ".join(render_text(saved.cards)[0].split())
    assert "Saved" in text and "Basket weaving" in text           # unknown lines are reported, not saved
    stored = demo_app.store.get_employee(me.id)
    assert "rust" in stored.skill_ids and "react" not in stored.skill_ids
    rust = next(s for s in stored.skills if s.skill_id == "rust")
    assert rust.proficiency == "advanced" and rust.evidence == "added by the employee"
    assert stored.details.certifications == ["정보처리기사", "CKA"]
    demo_app.router.handle(Request(actor=manager, platform="local", text="find-candidates Rust systems engineer 20"))
    assert me.id in demo_app.store.list_audit()[-1].shown_ids
    edited = [a for a in demo_app.store.list_audit() if a.action == "profile_edited"][-1]
    assert "rust" in edited.details["skills_added"] and "react" in edited.details["skills_removed"]


def test_cancel_changes_nothing_and_buttons_of_someone_else_are_refused(demo_app):
    me = demo_app.store.find_employee("E0003")
    other = demo_app.store.find_employee("E0002")
    before = demo_app.store.get_employee(me.id)
    profile = ask(demo_app, me, "my profile").cards[0]
    edit = press(demo_app, me, profile, "my_profile_edit")
    press(demo_app, me, edit.cards[0], "my_profile_cancel")
    assert demo_app.store.get_employee(me.id) == before
    refused = press(demo_app, other, edit.cards[0], "my_profile_save", {"skills": "COBOL"})
    assert "not available" in render_text(refused.cards)[0]
    assert demo_app.store.get_employee(me.id) == before


def test_mentor_opt_in_is_the_employees_choice_and_audited(demo_app):
    me = demo_app.store.find_employee("E0003")
    me.mentor = False
    demo_app.store.update_fields(me)
    profile = ask(demo_app, me, "내 프로필").cards[0]
    on = press(demo_app, me, profile, "my_profile_mentor_on")
    assert demo_app.store.get_employee(me.id).mentor and "멘토" in render_text(on.cards)[0]
    press(demo_app, me, on.cards[0], "my_profile_mentor_off")
    assert not demo_app.store.get_employee(me.id).mentor
    assert [a.action for a in demo_app.store.list_audit() if a.actor_id == me.id][-2:] == \
        ["self_mentor_on", "self_mentor_off"]


def test_deleting_a_profile_forgets_everything_but_that_it_happened(demo_app):
    me = demo_app.store.find_employee("E0003")
    hr = demo_app.store.find_employee("E0001")
    demo_app.store.add_to_shortlist(hr.id, me.id)
    profile = ask(demo_app, me, "my profile").cards[0]
    hide = press(demo_app, me, profile, "my_profile_hide")
    confirm = press(demo_app, me, hide.cards[0], "my_profile_delete")
    assert "cannot be undone" in render_text(confirm.cards)[0]
    assert demo_app.store.get_employee(me.id).resume_text         # asking is not deleting
    done = press(demo_app, me, confirm.cards[0], "my_profile_delete_confirm")
    assert "deleted" in render_text(done.cards)[0]
    gone = demo_app.store.get_employee(me.id)
    assert gone.display_name and not gone.resume_text and not gone.skills and not gone.open_to_moves
    assert me.id not in [r.id for r in demo_app.store.index_rows() if r.vector is not None]
    assert demo_app.store.shortlist(hr.id) == []
    mine = [a for a in demo_app.store.list_audit() if a.actor_id == me.id]
    assert [(a.action, a.query, a.details) for a in mine] == [("profile_deleted", "", {})]
    demo_app.router.handle(Request(actor=hr, platform="local", text="find-candidates frontend developer React 20"))
    assert me.id not in demo_app.store.list_audit()[-1].shown_ids


def test_a_stale_delete_confirmation_deletes_nothing(demo_app):
    me = demo_app.store.find_employee("E0003")
    confirm = press(demo_app, me, ask(demo_app, me, "my profile").cards[0], "my_profile_delete")
    [yes] = [b for b in confirm.cards[0].buttons if b.action_id == "my_profile_delete_confirm"]
    assert yes.style == "danger" and yes.confirm is not None          # Slack asks once more in a dialog
    press(demo_app, me, ask(demo_app, me, "my profile").cards[0], "my_profile_hide")   # changed meanwhile
    stale = press(demo_app, me, confirm.cards[0], "my_profile_delete_confirm")
    assert "changed after this confirmation was shown, so nothing was deleted" in render_text(stale.cards)[0]
    assert demo_app.store.get_employee(me.id).resume_text
    fresh = press(demo_app, me, stale.cards[0], "my_profile_delete")
    done = press(demo_app, me, fresh.cards[0], "my_profile_delete_confirm")
    assert "deleted" in render_text(done.cards)[0] and not demo_app.store.get_employee(me.id).resume_text
