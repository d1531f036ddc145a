"""The pipelined import (embedding in worker processes while the importer analyses the next batches) stores exactly
what the serial import stores, keeps every finished batch when interrupted, and is chosen only where it pays."""
import numpy as np
import pytest

from bot.demo import generate_demo_org
from core import import_pipeline, importer as importer_module
from core.importer import ImportReport, record_to_employee
from tests.conftest import make_app


def demo_people(n: int):
    report = ImportReport()
    org = generate_demo_org(size=n, seed=5)
    return [(f"record {i}", record_to_employee(r, None, report)) for i, r in enumerate(org.employees, 1)]


def stored(app) -> dict:
    rows = {}
    for row in app.store.index_rows():
        employee = app.store.get_employee(row.id)
        rows[row.id] = (employee.display_name, employee.title, employee.resume_text, tuple(employee.skill_ids),
                        row.terms, row.profile_words, row.vector, row.summary_vector)
    return rows


def test_pipelined_import_stores_the_same_rows_and_vectors_as_the_serial_one(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 16)      # several batches in flight at once
    people = demo_people(70)
    serial_app, piped_app = make_app(tmp_path / "serial"), make_app(tmp_path / "piped")
    try:
        serial, piped = ImportReport(), ImportReport()
        seen = []
        serial_app.importer.upsert(demo_people(70), serial, workers=0)
        piped_app.importer.upsert(people, piped, lambda done, total: seen.append((done, total)), workers=2)
        assert seen[0] == (0, len(people))                                          # the bar shows at once
        assert piped_app.importer.last_pipeline_stats.batches == len(seen) - 1 > 2  # the workers did embed them
        stats = piped_app.importer.last_pipeline_stats
        assert stats.worker_cpu_s > 0
        # each worker's memory, for the benchmarks' machine total: PSS gives the pages the workers share (the model's
        # memory-mapped weights) to each only in part
        assert stats.worker_peak_pss_mb.keys() == stats.worker_peak_rss_mb.keys() and stats.worker_peak_pss_mb
        assert all(0 < pss <= stats.worker_peak_rss_mb[pid] for pid, pss in stats.worker_peak_pss_mb.items())
        assert 0 < stats.workers_peak_pss_total_mb <= stats.workers_peak_rss_total_mb
        assert seen[-1] == (len(people), len(people)) and seen == sorted(seen)      # progress moves forward to the end
        assert (piped.added, piped.updated, piped.reembedded) == (serial.added, serial.updated, serial.reembedded)
        assert piped.added == len({e.id for _, e in people})
        a, b = stored(serial_app), stored(piped_app)
        assert a.keys() == b.keys() and len(a) == piped.added
        for eid in a:
            *fields_a, vec_a, sum_a = a[eid]
            *fields_b, vec_b, sum_b = b[eid]
            assert fields_a == fields_b, eid
            assert np.array_equal(vec_a, vec_b), eid
            assert (sum_a is None) == (sum_b is None) and (sum_a is None or np.array_equal(sum_a, sum_b)), eid
        # the same import again through the workers: nothing re-embedded
        again = ImportReport()
        piped_app.importer.upsert(demo_people(70), again, workers=2)
        assert (again.added, again.reembedded, again.unchanged) == (0, 0, piped.added)
    finally:
        serial_app.close()
        piped_app.close()


def test_an_interrupted_pipelined_import_keeps_its_finished_batches_and_a_rerun_completes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 10)
    people = demo_people(50)
    app = make_app(tmp_path / "data")
    try:
        writes = []
        original = app.importer._write

        def write_then_fail(*args):
            if len(writes) == 2:
                raise KeyboardInterrupt       # Ctrl-C while the third batch is being stored
            writes.append(1)
            return original(*args)

        monkeypatch.setattr(app.importer, "_write", write_then_fail)
        with pytest.raises(KeyboardInterrupt):
            app.importer.upsert(people, ImportReport(), workers=2)
        assert app.store.count_employees() == 20        # the two finished batches, nothing half-written
        monkeypatch.setattr(app.importer, "_write", original)
        rerun = ImportReport()
        app.importer.upsert(demo_people(50), rerun, workers=2)
        assert (rerun.unchanged, rerun.added) == (20, 30) and rerun.reembedded == 30
        assert app.store.count_employees() == 50
    finally:
        app.close()


def test_workers_are_used_only_for_large_imports_with_an_in_process_embedder(monkeypatch):
    monkeypatch.delenv("INTERNAL_HIRE_IMPORT_WORKERS", raising=False)
    monkeypatch.setattr(import_pipeline.os, "cpu_count", lambda: 2)
    assert import_pipeline.import_workers() == 2
    monkeypatch.setattr(import_pipeline.os, "cpu_count", lambda: 1)
    assert import_pipeline.import_workers() == 0          # one core: the serial path
    monkeypatch.setattr(import_pipeline.os, "cpu_count", lambda: 4)
    monkeypatch.setenv("INTERNAL_HIRE_IMPORT_WORKERS", "off")
    assert import_pipeline.import_workers() == 0
    monkeypatch.setenv("INTERNAL_HIRE_IMPORT_WORKERS", "3")
    assert import_pipeline.import_workers() == 3

    class NetworkEmbedder:          # e.g. Gemini: not sent to workers
        model_id = "remote"

    from core.ai.embedders import UseEmbedder
    assert import_pipeline.can_pipeline(UseEmbedder()) and not import_pipeline.can_pipeline(NetworkEmbedder())
