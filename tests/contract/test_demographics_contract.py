"""The demographics store and the report's reads, held to one behaviour on SQLite, MariaDB and (with TIDB_DSN) TiDB."""
from __future__ import annotations

from tests.contract.test_store_contract import backend, emp, put, store  # noqa: F401  (fixtures)

ALL_TIME = ("2000-01-01", "2100-01-01")


def test_demographics_round_trip_summary_and_per_employee_replacement(store):
    put(store, emp("E1"))
    put(store, emp("E2"))
    version = store.data_version()
    assert store.replace_demographics([("E1", "sex", "female"), ("E1", "age_band", "30-39"),
                                       ("E2", "sex", "male")], "hr1") == 3
    assert sorted(store.demographic_rows()) == [("E1", "age_band", "30-39"), ("E1", "sex", "female"),
                                                ("E2", "sex", "male")]
    assert store.demographics_summary() == {"age_band": {"30-39": 1}, "sex": {"female": 1, "male": 1}}
    # a second file about E1 replaces E1's categories and leaves E2 alone
    store.replace_demographics([("E1", "sex", "male")], "hr1")
    assert sorted(store.demographic_rows()) == [("E1", "sex", "male"), ("E2", "sex", "male")]
    # demographics never touch what the search index is built from
    assert store.data_version() == version


def test_replace_all_and_delete_in_one_command(store):
    store.replace_demographics([("E1", "sex", "female"), ("E2", "sex", "male")], "hr1")
    store.replace_demographics([("E3", "sex", "female")], "hr1", replace_all=True)
    assert list(store.demographic_rows()) == [("E3", "sex", "female")]
    assert store.delete_demographics() == 1
    assert list(store.demographic_rows()) == [] and store.demographics_summary() == {}


def test_someone_who_leaves_the_directory_leaves_the_demographics(store):
    put(store, emp("E1"))
    store.replace_demographics([("E1", "sex", "female")], "hr1")
    assert store.delete_employee("E1")
    assert list(store.demographic_rows()) == []


def test_many_rows_stream_in_order(store):
    rows = [(f"E{i:05d}", "sex", "female" if i % 2 else "male") for i in range(2500)]
    store.replace_demographics(rows, "hr1")
    assert list(store.demographic_rows()) == rows


def test_population_audit_and_shortlist_reads(store):
    put(store, emp("E1", open_to_moves=True))
    put(store, emp("E2", open_to_moves=False), words=0)
    assert store.fairness_population() == [("E1", True, True), ("E2", False, False)]
    store.add_audit("M1", "search", "kafka", ["E1", "E2"], {})
    store.add_audit("M1", "details", "kafka", ["E2"], {})
    store.add_audit("M1", "cli_search", "java", ["E2"], {})
    store.add_audit("M1", "search", "x", ["E3"], {})
    assert store.shown_between(*ALL_TIME, ("search", "cli_search")) == {"E1", "E2", "E3"}
    assert store.shown_between(*ALL_TIME, ("cli_search",)) == {"E2"}
    assert store.shown_between("2099-01-01", "2100-01-01", ("search",)) == set()
    store.add_to_shortlist("M1", "E1")
    store.add_to_shortlist("M2", "E1")
    assert sorted(store.shortlisted_between(*ALL_TIME)) == ["E1", "E1"]
    assert store.shortlisted_between("2099-01-01", "2100-01-01") == []
