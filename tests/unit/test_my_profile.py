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
