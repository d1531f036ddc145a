"""Skill-gap analysis: evidence for what a person has, partial credit through related skills, learning resources,
mentors (opted in, never the person themself, same location first), who may analyse whom, audit, both languages."""
import json
import time

import pytest

from cards.slack import render_blocks
from cards.teams import render_adaptive_card
from cards.text import render_text
from bot.demo.generator import FAMILIES, SKILLS
from core.domain import Employee, Role, SkillEvidence
from core.gaps import MISSING, PARTIAL, PRESENT, GapAnalyzer, MentorIndex
from core.importer import ImportReport, RecordError, record_to_employee
from core.skills.learning import DEFAULT_LEARNING_PATH, KINDS, LearningCatalogue, LearningResource
from handlers.gap_analysis import GapAnalysisHandler
from handlers.requests import Request

ROLE = "engineer with Kafka, Kubernetes and Terraform"


def put(app, eid, name, skills, *, location="Seoul", dept="Platform Engineering", mentor=False, open_to_moves=True,
        role=Role.EMPLOYEE, level="L3"):
    """An employee stored through the public store API, with exactly these skills: {id: (evidence, proficiency)}."""
    employee = Employee(id=eid, display_name=name, department=dept, title="Engineer", level=level, location=location,
                        role=role, open_to_moves=open_to_moves, mentor=mentor,
                        skills=[SkillEvidence(sid, ev, prof) for sid, (ev, prof) in skills.items()])
    app.store.upsert_profile(employee, f"hash-{eid}", (), 40, None, app.embedder.model_id)
    return app.store.get_employee(eid)


@pytest.fixture
def org(empty_app):
    app = empty_app
    people = {
        "me": put(app, "E100", "Kim Minji", {"kafka": ("Built Kafka pipelines for 2M payment events a day", "expert"),
                                             "docker": ("Containerised 12 services with Docker", "")},
                  mentor=True),
        "seoul": put(app, "E101", "Lee Seoul", {"terraform": ("Wrote Terraform modules for 40 AWS accounts", ""),
                                                "kubernetes": ("Ran 30 Kubernetes clusters", "advanced")},
                     mentor=True, dept="Infrastructure"),
        "busan_expert": put(app, "E102", "Park Jiho", {"terraform": ("Led Terraform migration", "expert")},
                            location="Busan", mentor=True, level="L5"),
        "busan_a": put(app, "E103", "Choi Yuna", {"terraform": ("Terraform for staging", "")}, location="Busan",
                       mentor=True),
        "busan_b": put(app, "E104", "Jung Minsu", {"terraform": ("Terraform on GCP", "")}, location="Busan",
                       mentor=True, level="L4"),
        "not_mentor": put(app, "E105", "Han Quiet", {"terraform": ("Terraform everywhere", "expert"),
                                                     "kubernetes": ("Kubernetes operator", "expert")},
                          mentor=False),
        "hidden": put(app, "E106", "Yoon Hidden", {"kafka": ("Kafka streams", "")}, open_to_moves=False),
        "manager": put(app, "E900", "Manager Kang", {}, role=Role.MANAGER),
        "hr": put(app, "E901", "HR Song", {}, role=Role.HR_ADMIN),
        "employee": put(app, "E902", "Employee Oh", {"python": ("Python tooling", "")}),
    }
    app.gaps = GapAnalyzer(app.taxonomy, app.extractor, app.store)
    app.gap_handler = GapAnalysisHandler(app.gaps, app.store, app.taxonomy)
    app.people = people
    return app


def text_of(reply):
    return render_text(reply.cards, width=10_000)[0]


def ask(app, actor, target, role_text, **kw):
    return app.gap_handler.for_text(Request(actor=actor, platform="local", **kw), target, role_text)


# ---- the catalogue --------------------------------------------------------------------------------------------------
def test_catalogue_ids_exist_in_the_taxonomy_and_every_resource_is_well_formed(empty_app):
    data = json.loads(DEFAULT_LEARNING_PATH.read_text(encoding="utf-8"))["skills"]
    unknown = [sid for sid in data if sid not in empty_app.taxonomy]
    assert not unknown
    for sid, resources in data.items():
        assert 1 <= len(resources) <= 3, sid
        for r in resources:
            assert r["url"].startswith("https://") and " " not in r["url"], (sid, r["url"])
            assert r["kind"] in KINDS and r["title_en"].strip() and r["title_ko"].strip() and r["provider"].strip()
            assert r["hours"] > 0


def test_catalogue_covers_every_skill_the_demo_job_families_ask_for(empty_app):
    taxonomy = empty_app.taxonomy
    catalogue = LearningCatalogue.from_file(DEFAULT_LEARNING_PATH)
    family_skills = {name for family in FAMILIES.values() for _, pool in family["tracks"] for name in pool}
    ids = set()
    for name in family_skills:
        forms = (name, *(SKILLS[name]["en"] or ()), *SKILLS[name]["ko"])
        ids.add(next(sid for sid in map(taxonomy.lookup, forms) if sid))
    assert len(ids) >= 100
    assert sorted(sid for sid in ids if sid not in catalogue) == []
    assert len(catalogue) >= 150


def test_a_skill_without_resources_borrows_a_related_skills_and_says_so(empty_app):
    taxonomy = empty_app.taxonomy
    shipped = LearningCatalogue.from_file(DEFAULT_LEARNING_PATH)
    assert "industrial_design" not in shipped
    suggestion = shipped.suggest("industrial_design", taxonomy)
    assert suggestion.via == "three_d_modeling" and suggestion.resources
    own = shipped.suggest("kafka", taxonomy)
    assert own.via is None and any("kafka.apache.org" in r.url for r in own.resources)


# ---- the analysis ---------------------------------------------------------------------------------------------------
def test_present_partial_and_missing_with_evidence_and_coverage(org):
    me = org.people["me"]
    report = org.gaps.analyse(me, ["kafka", "kubernetes", "terraform"])
    kafka, kubernetes, terraform = report.required
    assert (kafka.status, kafka.credit, kafka.proficiency) == (PRESENT, 1.0, "expert")
    assert kafka.evidence == "Built Kafka pipelines for 2M payment events a day"
    assert (kubernetes.status, kubernetes.credit, kubernetes.via) == (PARTIAL, 0.5, "docker")
    assert kubernetes.evidence == "Containerised 12 services with Docker"      # the related skill's own line
    assert (terraform.status, terraform.credit, terraform.evidence) == (MISSING, 0.0, "")
    assert report.coverage == 50                                                # (1 + 0.5 + 0) / 3
    assert kafka.learning is None and kafka.mentors == ()                       # nothing to close
    assert terraform.learning.resources and kubernetes.learning.resources


def test_role_text_splits_required_and_preferred_in_both_languages(org):
    me = org.people["me"]
    report = org.gaps.analyse(me, "Kafka required, Terraform is a plus")
    assert [g.skill_id for g in report.required] == ["kafka"] and report.coverage == 100
    assert [g.skill_id for g in report.preferred] == ["terraform"] and report.preferred_coverage == 0
    posting = "[자격 요건]\n- 카프카 운영 경험\n- 쿠버네티스\n[우대 사항]\n- 테라폼, 헬름 경험자"
    parsed = org.gaps.requirements_from_text(posting)
    assert parsed.required == ("kafka", "kubernetes") and parsed.preferred == ("terraform", "helm")
    assert org.gaps.required_from_text("카프카와 쿠버네티스를 다루는 개발자, 테라폼 경험자 우대") == ["kafka", "kubernetes"]
    bullets = org.gaps.requirements_from_text("- Python\n- Kafka, Spark 경험자 우대")     # a Korean bullet is one item
    assert bullets.required == ("python",) and bullets.preferred == ("kafka", "spark")


def test_mentors_are_opted_in_colleagues_same_location_first_never_the_person(org):
    me = org.people["me"]
    terraform = org.gaps.analyse(me, ["terraform"]).required[0]
    names = [m.display_name for m in terraform.mentors]
    # Seoul first; then Busan by stated proficiency and seniority; at most three; the one who did not opt in never.
    assert names == ["Lee Seoul", "Park Jiho", "Jung Minsu"]
    assert "Han Quiet" not in names
    mentor = terraform.mentors[0]
    assert (mentor.department, mentor.evidence) == ("Infrastructure", "Wrote Terraform modules for 40 AWS accounts")
    assert set(vars(mentor)) == {"employee_id", "display_name", "department", "evidence"}   # nothing else exposed
    assert me.mentor and "E100" not in [m.employee_id for m in org.gaps.mentors("kafka", me)]
    busan_view = org.gaps.mentors("terraform", org.people["busan_a"])
    assert [m.display_name for m in busan_view] == ["Park Jiho", "Jung Minsu", "Lee Seoul"]


def test_mentor_opt_out_takes_effect_at_once(org):
    seoul = org.people["seoul"]
    assert "Lee Seoul" in [m.display_name for m in org.gaps.mentors("terraform", org.people["me"])]
    seoul.mentor = False
    org.store.update_fields(seoul)
    assert "Lee Seoul" not in [m.display_name for m in org.gaps.mentors("terraform", org.people["me"])]


class CountingStore:
    """A store of 12,000 employees that counts how often the mentors are read."""

    def __init__(self, employees):
        self.employees = employees
        self.version = 1
        self.scans = 0

    def data_version(self):
        return self.version

    def list_mentors(self):
        self.scans += 1
        return [e for e in self.employees if e.mentor]


def test_mentor_lookup_scans_the_store_once_per_data_version_at_10k(empty_app):
    skills = ["kafka", "kubernetes", "terraform", "python", "react", "spark", "sql", "figma"]
    employees = [Employee(id=f"E{i:05d}", display_name=f"P{i}", location=("Seoul", "Busan", "Remote")[i % 3], mentor=i % 7 == 0,
                          skills=[SkillEvidence(skills[i % 8], "line"), SkillEvidence(skills[(i * 3) % 8], "line")])
                 for i in range(12_000)]
    store = CountingStore(employees)
    gaps = GapAnalyzer(empty_app.taxonomy, empty_app.extractor, store)
    me = Employee(id="E99999", display_name="Me", location="Busan", skills=[SkillEvidence("java", "Java")])
    started = time.perf_counter()
    for _ in range(200):
        report = gaps.analyse(me, ["kafka", "kubernetes", "terraform", "spark", "figma"])
    elapsed = time.perf_counter() - started
    assert store.scans == 1
    assert all(len(g.mentors) == 3 for g in report.required)
    assert all(m.employee_id in {e.id for e in employees if e.mentor and e.location == "Busan"}
               for g in report.required for m in g.mentors)
    assert elapsed < 2.0, f"200 analyses took {elapsed:.2f}s"
    store.version = 2                 # any write to the store
    gaps.analyse(me, ["kafka"])
    assert store.scans == 2


def test_mentor_index_ignores_people_who_did_not_opt_in():
    index = MentorIndex([Employee(id="A", display_name="A", skills=[SkillEvidence("kafka", "x")], mentor=False)])
    assert index.for_skill("kafka", exclude_id="B") == []


def test_learning_falls_back_to_a_related_skill_in_the_analysis(org):
    resource = LearningResource("Docker docs", "도커 문서", "docs", "Docker", "https://docs.docker.com/", 3)
    gaps = GapAnalyzer(org.taxonomy, org.extractor, org.store, catalogue=LearningCatalogue({"docker": (resource,)}))
    kubernetes = gaps.analyse(org.people["employee"], ["kubernetes"]).required[0]
    assert kubernetes.status == MISSING
    assert kubernetes.learning.via == "docker" and kubernetes.learning.resources == (resource,)


# ---- the handler: who may analyse whom ----------------------------------------------------------------------------
def test_an_employee_analyses_themselves_and_sees_mentor_names_only(org):
    employee = org.people["me"]
    reply = ask(org, employee, None, ROLE)
    text = text_of(reply)
    assert "Your skill gap" in text and "Covers 50% of the required skills" in text
    assert "Built Kafka pipelines" in text and "related: Docker" in text
    assert "Lee Seoul (Infrastructure)" in text and "Wrote Terraform modules" in text
    assert "Han Quiet" not in text and "Yoon Hidden" not in text
    assert "Busan" not in text                               # mentors' locations are not shown
    assert "https://developer.hashicorp.com/terraform/tutorials" in text
    assert reply.ephemeral
    entry = org.store.list_audit()[-1]
    assert (entry.actor_id, entry.action, entry.query) == ("E100", "gap_analysis", ROLE)
    assert entry.shown_ids[0] == "E100" and "E101" in entry.shown_ids and entry.details["self"] is True


def test_an_employee_cannot_analyse_someone_else(org):
    employee = org.people["employee"]
    for target in ("E100", "Kim Minji", "E106", "E0000-nobody"):
        reply = ask(org, employee, target, ROLE)
        assert "only for yourself" in text_of(reply)
    assert "본인에 대해서만" in text_of(ask(org, employee, "E100", "카프카 개발자"))
    assert not org.store.list_audit()
    assert "Your skill gap" in text_of(ask(org, employee, "E902", ROLE))    # naming yourself is fine


def test_a_manager_cannot_analyse_hidden_people_but_hr_can(org):
    manager, hr = org.people["manager"], org.people["hr"]
    hidden = ask(org, manager, "E106", ROLE)
    assert "not available" in text_of(hidden)
    assert "not available" in text_of(ask(org, manager, "Yoon Hidden", ROLE))
    assert "not available" in text_of(ask(org, manager, "E0000-nobody", ROLE))   # same answer as for hidden
    assert not org.store.list_audit()
    visible = text_of(ask(org, manager, "E100", ROLE))
    assert "Skill gap: Kim Minji" in visible
    hr_view = text_of(ask(org, hr, "E106", ROLE))
    assert "Skill gap: Yoon Hidden" in hr_view
    assert [e.actor_id for e in org.store.list_audit()] == ["E900", "E901"]


def test_the_search_button_uses_the_saved_query_and_the_same_rules(org):
    manager, hr = org.people["manager"], org.people["hr"]
    org.store.save_search("s1", manager.id, "Kafka Terraform 엔지니어", {"lang": "ko", "filters": {}, "limit": 5})

    def press(actor, value):
        search_id, employee_id = value.split(":")
        button = GapAnalysisHandler.button(search_id, employee_id, "ko")
        assert button.label == "역량 갭" and button.action_id in GapAnalysisHandler.ACTIONS
        return org.gap_handler.handle_action(Request(actor=actor, platform="local", action_id=button.action_id,
                                                     action_value=button.value), "ko")

    text = text_of(press(manager, "s1:E100"))
    assert "Kim Minji님의" in text and "카프카" in text and "테라폼" in text
    assert org.store.list_audit()[-1].query == "Kafka Terraform 엔지니어"
    assert "열람할 수 없어요" in text_of(press(manager, "s1:E106"))               # hidden: refused, like Details
    assert "다른 사람의 검색" in text_of(press(hr, "s1:E100"))                  # someone else's search
    assert "no longer available" in text_of(press(manager, "gone:E100"))
    assert "관리자와 HR" in text_of(press(org.people["employee"], "s1:E100"))


def test_channels_and_unclear_role_texts_get_clear_messages(org):
    me = org.people["me"]
    assert "direct, one-to-one chat" in text_of(ask(org, me, None, ROLE, private=False))
    assert "Tell me the role" in text_of(ask(org, me, None, "  "))
    assert "could not find any skills" in text_of(ask(org, me, None, "something great"))
    assert "스킬을 찾지 못했어요" in text_of(ask(org, me, None, "멋진 일을 하는 사람"))
    assert not org.store.list_audit()


def test_korean_role_text_renders_in_korean_within_platform_limits(org):
    reply = ask(org, org.people["me"], None, "카프카, 쿠버네티스, 테라폼 다루는 엔지니어, 헬름 경험자 우대")
    text = text_of(reply)
    assert "내 역량 갭" in text and "필수 스킬 충족률 50%" in text
    assert "관련 스킬: 도커" in text and "멘토: Lee Seoul" in text and "우대: ✗ 헬름" in text
    assert "Terraform 튜토리얼" in text and "약 8시간" in text
    assert len(render_blocks(reply.cards)) <= 20
    assert render_adaptive_card(reply.cards)["body"]


# ---- where mentors come from ------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [("yes", True), ("예", True), ("1", True), (True, True), ("no", False),
                                             ("", False), (None, False)])
def test_an_import_reads_the_mentor_column(value, expected):
    record = {"id": "E1", "display_name": "Kim", "Mentor": value}
    assert record_to_employee(record, None, ImportReport()).mentor is expected


def test_a_bad_mentor_value_is_rejected_with_its_name():
    with pytest.raises(RecordError, match="mentor must be yes/no"):
        record_to_employee({"id": "E1", "display_name": "Kim", "mentor": "maybe"}, None, ImportReport())


def test_the_demo_organisation_has_mentors_to_suggest(demo_app):
    people = demo_app.store.list_employees()
    share = sum(e.mentor for e in people) / len(people)
    assert 0.10 <= share <= 0.20
    gaps = GapAnalyzer(demo_app.taxonomy, demo_app.extractor, demo_app.store)
    me = demo_app.store.find_employee("E0003")
    report = gaps.analyse(me, "backend engineer with Kafka, Spring Boot and Kubernetes")
    mentors = [m for g in report.gaps for m in g.mentors]
    assert mentors and all(demo_app.store.get_employee(m.employee_id).mentor for m in mentors)
    assert me.id not in {m.employee_id for m in mentors}
