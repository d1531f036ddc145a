"""The feedback loop's store (schema 11: votes and mobility outcomes) held to one behaviour on SQLite, MariaDB and
(with TIDB_DSN) TiDB: one vote per presser/item/search that a new press changes, even when two presses race; outcomes
once; the time windows the HR digest reads."""
from __future__ import annotations

import threading

import pytest

from tests.contract.test_store_contract import backend, raw_sql, store  # noqa: F401  (fixtures)


@pytest.fixture
def fb(store, backend):  # noqa: F811
    if backend.name != "sqlite":         # the shared server database keeps rows between tests
        raw_sql(backend.shared, "DELETE FROM feedback_votes", "DELETE FROM mobility_outcomes")
    return store


def test_a_vote_is_one_row_per_presser_item_and_search_and_a_new_press_changes_it(fb):
    assert fb.record_vote("M1", "person", "E1", "s1", "backend Kafka", "up", "slack") is None
    assert fb.record_vote("M1", "person", "E1", "s1", "backend Kafka", "up", "slack") == "up"
    assert fb.record_vote("M1", "person", "E1", "s1", "backend Kafka", "down", "teams") == "up"
    assert fb.record_vote("M1", "person", "E1", "s2", "카프카 백엔드 개발자", "up", "local") is None
    assert fb.record_vote("M1", "opening", "op-1", "", "", "up", "local") is None
    assert fb.vote_of("M1", "person", "E1", "s1") == "down"
    assert fb.vote_of("M2", "person", "E1", "s1") is None
    votes = {(v.item_kind, v.item_id, v.search_id): v for v in fb.votes()}
    assert len(votes) == 3
    changed = votes[("person", "E1", "s1")]
    assert (changed.vote, changed.platform, changed.query) == ("down", "teams", "backend Kafka")
    assert changed.updated_at >= changed.at
    assert votes[("person", "E1", "s2")].query == "카프카 백엔드 개발자"       # Korean kept exactly


def test_two_presses_at_once_leave_one_vote(fb):
    errors = []

    def press(vote):
        try:
            fb.record_vote("M1", "person", "E7", "s9", "q", vote, "slack")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
    threads = [threading.Thread(target=press, args=("up" if n % 2 else "down",)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert [v.item_id for v in fb.votes()] == ["E7"]


def test_votes_and_outcomes_are_read_by_time_window(fb):
    fb.record_vote("M1", "person", "E1", "s1", "q", "up", "slack")
    [vote] = fb.votes()
    assert fb.votes(since=vote.updated_at) == [vote]
    assert fb.votes(until=vote.updated_at) == []
    assert fb.votes("2000-01-01", "2000-01-08") == []
    assert fb.add_outcome("E1", "op-1", "approved", "H1", "command")
    assert fb.add_outcome("E1", "op-1", "moved", "H1", "button")
    assert not fb.add_outcome("E1", "op-1", "moved", "H2", "command")          # recorded before: unchanged
    outcomes = fb.outcomes()
    assert [(o.kind, o.recorded_by, o.via) for o in sorted(outcomes, key=lambda o: o.kind)] == [
        ("approved", "H1", "command"), ("moved", "H1", "button")]
    assert fb.outcomes(since="2100-01-01") == []


def test_audit_counts_per_action_in_a_window(fb):
    fb.add_audit("E1", "opening_interest", "op-1", [], {})
    fb.add_audit("E2", "opening_interest", "op-1", [], {})
    fb.add_audit("E2", "search", "q", [], {})
    counts = fb.audit_counts("2000-01-01", "2100-01-01", ("opening_interest", "mobility_moved"))
    assert counts == {"opening_interest": 2, "mobility_moved": 0}
    assert fb.audit_counts("2000-01-01", "2000-01-02", ("opening_interest",)) == {"opening_interest": 0}
