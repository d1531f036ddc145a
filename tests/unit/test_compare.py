"""Comparing 2-4 candidates: the skills matrix, experience, availability and coverage; only for managers and HR,
only people they could find in a search; 1 or 5 people is a clear error; both languages render."""
import pytest

from cards.slack import render_blocks
from cards.teams import render_adaptive_card
from cards.text import render_text
from core.compare import compare
from core.domain import Employee, ProfileDetails, Role, SkillEvidence, WorkRole
from core.gaps import MISSING, PARTIAL, PRESENT, GapAnalyzer
from handlers.compare import CompareHandler
from handlers.requests import Request

ROLE = "engineer with Kafka, Kubernetes and Terraform"


def put(app, eid, name, skills, *, open_to_moves=True, role=Role.EMPLOYEE, level="L4", details=None):
    employee = Employee(id=eid, display_name=name, department="Platform Engineering", title="Backend Engineer",
                        level=level, location="Seoul", role=role, open_to_moves=open_to_moves,
                        skills=[SkillEvidence(sid, ev, prof) for sid, (ev, prof) in skills.items()],
                        details=details or ProfileDetails())
    app.store.upsert_profile(employee, f"hash-{eid}", (), 40, None, app.embedder.model_id)
    return app.store.get_employee(eid)


@pytest.fixture
def org(empty_app):
    app = empty_app
    app.people = [
        put(app, "E1", "Kim Minji", {"kafka": ("Built Kafka pipelines", "expert"), "docker": ("Docker images", ""),
                                     "python": ("Python tooling", "")},
            details=ProfileDetails(roles=[WorkRole("Backend Engineer", "Demo Corp", "2021", ""),
                                          WorkRole("Server Developer", "Acme", "2017", "2021")],
                                   years_experience=8)),
        put(app, "E2", "Lee Jun", {"kubernetes": ("Ran Kubernetes clusters", "advanced"),
                                   "terraform": ("Terraform modules", ""), "python": ("Python automation", "")}),
        put(app, "E3", "Park Sora", {"rabbitmq": ("RabbitMQ queues", ""), "helm": ("Helm charts", "")}, level="L3"),
        put(app, "E4", "Choi Hana", {"python": ("Python services", "intermediate")}, open_to_moves=False),
        put(app, "E5", "Jung Ara", {}),
    ]
    app.manager = put(app, "M1", "Manager Kang", {}, role=Role.MANAGER)
    app.hr = put(app, "H1", "HR Song", {}, role=Role.HR_ADMIN)
    app.employee = put(app, "U1", "Employee Oh", {})
    app.handler = CompareHandler(GapAnalyzer(app.taxonomy, app.extractor, app.store), app.store, app.taxonomy)
    return app


def text_of(reply):
    return render_text(reply.cards, width=10_000)[0]


def run(app, actor, keys, role_text=ROLE, **kw):
    return app.handler.compare(Request(actor=actor, platform="local", **kw), keys, role_text)


def test_matrix_for_two_people_has_required_rows_then_notable_ones(org):
    kim, lee = org.people[:2]
    result = compare([kim, lee], ["kafka", "kubernetes", "terraform"], org.taxonomy)
    assert [r.skill_id for r in result.rows[:3]] == ["kafka", "kubernetes", "terraform"]
    assert all(r.required for r in result.rows[:3]) and not any(r.required for r in result.rows[3:])
    kafka, kubernetes, terraform = result.rows[:3]
    assert [c.status for c in kafka.cells] == [PRESENT, MISSING]
    assert kafka.cells[0].proficiency == "expert" and kafka.cells[0].evidence == "Built Kafka pipelines"
    assert [c.status for c in kubernetes.cells] == [PARTIAL, PRESENT]
    assert kubernetes.cells[0].via == "docker" and kubernetes.cells[1].proficiency == "advanced"
    assert [c.status for c in terraform.cells] == [MISSING, PRESENT]
    assert result.rows[3].skill_id == "python"          # held by both: the most notable other skill
    assert [p.coverage for p in result.people] == [50, 67]   # (1 + .5 + 0)/3, (0 + 1 + 1)/3
    first = result.people[0]
    assert first.years_experience == 8 and first.top_roles[0].title == "Backend Engineer"
    assert first.level == "L4" and first.open_to_moves


def test_matrix_for_four_people(org):
    result = compare(org.people[:4], ["kafka", "kubernetes"], org.taxonomy)
    assert all(len(row.cells) == 4 for row in result.rows)
    assert [c.status for c in result.rows[0].cells] == [PRESENT, MISSING, PARTIAL, MISSING]   # RabbitMQ ~ Kafka
    assert result.rows[0].cells[2].via == "rabbitmq"
    assert [p.open_to_moves for p in result.people] == [True, True, True, False]


@pytest.mark.parametrize("count", [0, 1, 5])
def test_fewer_than_two_or_more_than_four_is_a_clear_error(org, count):
    people = (org.people + [org.manager])[:count]
    with pytest.raises(ValueError, match="2 to 4 people"):
        compare(people, ["kafka"], org.taxonomy)


def test_the_same_person_twice_is_an_error(org):
    with pytest.raises(ValueError, match="same person"):
        compare([org.people[0], org.people[0]], ["kafka"], org.taxonomy)


def test_a_manager_compares_visible_people_by_id_or_name(org):
    reply = run(org, org.manager, ["E1", "Lee Jun", "E3"])
    text = text_of(reply)
    assert "Comparing 3 people" in text and "Role skills: Apache Kafka, Kubernetes, Terraform" in text
    assert "1. Kim Minji — Backend Engineer · Platform Engineering · L4 · 8 yrs · open to internal moves · covers 50%" in text
    assert "Roles: Backend Engineer, Demo Corp (2021–); Server Developer, Acme (2017–2021)" in text
    assert "Apache Kafka: 1 ✓ expert · 2 ✗ · 3 ½ RabbitMQ" in text
    assert "Other notable skills" in text and "Python: 1 ✓ · 2 ✓ · 3 ✗" in text
    entry = org.store.list_audit()[-1]
    assert (entry.actor_id, entry.action, entry.shown_ids) == ("M1", "compare", ("E1", "E2", "E3"))


def test_a_manager_cannot_compare_hidden_people_and_cannot_tell_they_exist(org):
    hidden = text_of(run(org, org.manager, ["E1", "E4"]))
    unknown = text_of(run(org, org.manager, ["E1", "E999"]))
    assert "cannot show E4" in hidden and "cannot show E999" in unknown
    assert hidden.replace("E4", "X") == unknown.replace("E999", "X")
    assert not org.store.list_audit()
    assert "Choi Hana" in text_of(run(org, org.hr, ["E1", "E4"]))           # HR sees everyone


def test_employees_and_channels_are_refused(org):
    assert "managers and HR only" in text_of(run(org, org.employee, ["E1", "E2"]))
    assert "관리자와 HR 담당자만" in text_of(run(org, org.employee, ["E1", "E2"], "카프카 개발자"))
    assert "one-to-one chat" in text_of(run(org, org.manager, ["E1", "E2"], private=False))
    assert not org.store.list_audit()


def test_wrong_number_of_people_gets_a_clear_message(org):
    assert "(you named 1)" in text_of(run(org, org.manager, ["E1"]))
    assert "(you named 5)" in text_of(run(org, org.manager, ["E1", "E2", "E3", "E5", "M1"]))
    assert "(you named 1)" in text_of(run(org, org.manager, ["E1", "Kim Minji"]))    # one person, two ways
    assert "(입력 1명)" in text_of(run(org, org.manager, ["E1"], "카프카 개발자"))


def test_korean_role_text_and_no_role_text(org):
    reply = run(org, org.manager, ["E1", "E2", "E3", "E5"], "카프카, 쿠버네티스, 테라폼 다루는 엔지니어")
    text = text_of(reply)
    assert "후보 4명 비교" in text and "역할 스킬: 카프카, 쿠버네티스, 테라폼" in text
    assert "카프카: 1 ✓ 전문가 · 2 ✗ · 3 ½ 래빗MQ · 4 ✗" in text and "충족률 50%" in text
    assert "사내 이동 희망" in text and "경력 8년" in text
    assert len(render_blocks(reply.cards)) <= 12
    assert render_adaptive_card(reply.cards)["body"]
    no_role = run(org, org.manager, ["E1", "E2"], "")
    plain = text_of(no_role)
    assert no_role.text == "Comparing 2 people" and "Role skills" not in plain and "Python: 1 ✓ · 2 ✓" in plain
