"""The store's part of "exactly once across instances" (issue 16): delivery keys and schedule slots, claimed by one
caller out of many racing threads, on every backend (SQLite file, MariaDB, TiDB with TIDB_DSN)."""
from __future__ import annotations

import threading

from tests.contract.test_store_contract import backend, store  # noqa: F401 - the contract's fixtures


def race(n: int, work) -> list:
    results, gate = [None] * n, threading.Barrier(n)

    def run(i):
        gate.wait()
        results[i] = work(i)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_delivery_is_claimed_once_by_racing_instances_until_it_expires(store):
    won = race(8, lambda i: store.claim_delivery("slack:event:Ev1", f"node-{i}", 60, now=1000.0))
    assert won.count(True) == 1
    assert not store.claim_delivery("slack:event:Ev1", "node-x", 60, now=1059.0)     # still remembered
    assert store.claim_delivery("slack:event:Ev2", "node-x", 60, now=1059.0)          # another key is new
    # expired: the next delivery of that key is handled again, by one caller only
    again = race(4, lambda i: store.claim_delivery("slack:event:Ev1", f"node-{i}", 60, now=1061.0))
    assert again.count(True) == 1


def test_expired_deliveries_are_purged(store):
    store.claim_delivery("a", "n", 10, now=100.0)
    store.claim_delivery("b", "n", 1000, now=100.0)
    assert store.purge_deliveries(now=200.0) == 1
    assert not store.claim_delivery("b", "n", 10, now=200.0)
    assert store.claim_delivery("a", "n", 10, now=200.0)


def test_a_schedule_slot_runs_once_even_when_another_instance_fires_after_it_finished(store):
    won = race(6, lambda i: store.claim_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", f"node-{i}"))
    assert won.count(True) == 1
    winner = f"node-{won.index(True)}"
    store.finish_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", winner, "done")
    # the late timer of another instance, after the run ended: still the same slot, still done
    assert not store.claim_schedule_slot("nightly-reindex", "2026-12-07T03:00:00Z", "node-late")
    assert store.claim_schedule_slot("nightly-reindex", "2026-12-08T03:00:00Z", "node-late")
    assert store.claim_schedule_slot("purge-unconfirmed-resumes", "2026-12-07T03:00:00Z", "node-late")
    runs = store.schedule_runs("nightly-reindex")
    assert [(r["slot"], r["status"]) for r in runs] == [("2026-12-08T03:00:00Z", "running"),
                                                         ("2026-12-07T03:00:00Z", "done")]
    assert runs[1]["holder"] == winner
