"""Profile writes reach a running search index without a rebuild (a changed, added or deleted profile is searched
at once), a large catch-up rebuilds in the background while searches continue on the previous index, and the
change feed survives a restart (a second process sees the first one's writes)."""
import threading

import pytest

from core.domain import SearchFilters
from core.importer import ImportReport
from tests.conftest import make_app, person

KAFKA = """Backend engineer
- Built Kafka event pipelines and Spring Boot services on Kubernetes
- Tuned PostgreSQL queries and led the on-call rotation for payments"""
DESIGN = """Product designer
- Figma design systems, user research interviews and usability tests
- Prototyped the onboarding flow and ran A/B tests with product managers"""


@pytest.fixture
def org(empty_app):
    people = [person(f"E{i}", DESIGN, title="Product Designer", dept="Design") for i in range(1, 9)]
    people.append(person("K1", KAFKA, title="Backend Engineer", dept="Payments"))
    empty_app.importer.upsert(people, ImportReport())
    empty_app.matching.search("warm up")
    return empty_app


def ids(page):
    return [c.employee_id for c in page.candidates]


def test_an_edited_profile_is_found_by_its_new_skills_without_a_rebuild(org):
    holder = org.matching.indexes
    builds = holder.stats["builds"]
    assert ids(org.matching.search("Kafka backend engineer", limit=1)) == ["K1"]
    org.importer.upsert([person("E3", KAFKA + "\n- Kafka Streams and Kafka Connect for payment events",
                                title="Backend Engineer", dept="Payments")], ImportReport())
    page = org.matching.search("Kafka backend engineer", limit=2)
    assert set(ids(page)) == {"K1", "E3"}
    assert holder.stats["builds"] == builds and holder.stats["incremental"] >= 1
    # the designer profile E3 had is gone from its old postings: a design search no longer ranks it first
    design = org.matching.search("Figma design systems", limit=8)
    assert "E3" not in ids(design)[:7]


def test_new_and_deleted_profiles_and_a_new_department(org):
    org.importer.upsert([person("N1", KAFKA, title="Data Engineer", dept="Data Platform")], ImportReport())
    assert "Data Platform" in org.matching.departments()
    page = org.matching.search("Kafka engineer", SearchFilters(departments=("data platform",)), limit=3)
    assert ids(page) == ["N1"]
    org.store.delete_employee("K1")
    page = org.matching.search("Kafka backend engineer", limit=3)
    assert "K1" not in ids(page) and ids(page)[0] == "N1"
    assert org.matching.index().live == 9


def test_another_process_writes_are_seen(org, tmp_path):
    other = make_app(org.settings.data_dir)      # e.g. `internal-hire import` while the server runs
    try:
        other.importer.upsert([person("N2", KAFKA, title="Backend Engineer", dept="Payments")], ImportReport())
        other.store.update_fields(org.store.get_employee("K1").__class__(
            **{**org.store.get_employee("K1").__dict__, "open_to_moves": False}))
    finally:
        other.close()
    page = org.matching.search("Kafka backend engineer", SearchFilters(open_only=True), limit=3)
    assert ids(page)[0] == "N2" and "K1" not in ids(page)


def test_a_large_catch_up_rebuilds_in_the_background_while_searches_continue(org, monkeypatch):
    holder = org.matching.indexes
    holder.sync_rebuild_rows = 0          # as if the organisation were large
    holder.incremental_most = 1           # and the change too big to apply in place
    release = threading.Event()
    build = holder.build

    def slow_build(rows):
        release.wait(10)
        return build(rows)
    monkeypatch.setattr(holder, "build", slow_build)
    org.importer.upsert([person(f"N{i}", KAFKA, title="Backend Engineer", dept="Payments") for i in range(3)],
                        ImportReport())
    before = org.matching.search("Kafka backend engineer", limit=5)      # answered now, from the previous index
    assert ids(before) == ["K1"] or ids(before)[0] == "K1"
    release.set()
    assert holder.wait_idle(30)
    after = org.matching.search("Kafka backend engineer", limit=5)
    assert {"N0", "N1", "N2", "K1"} <= set(ids(after))
    assert holder.stats["background_builds"] == 1
