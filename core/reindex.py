"""Re-embedding profiles: after the embedder changed, or to refresh. Works in committed batches, so an interrupted
run resumes where it stopped (`--changed-only` skips profiles already embedded by the current model)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.fairness import matching_text
from core.ports import Embedder

BATCH_SIZE = 256


@dataclass
class ReindexReport:
    embedded: int
    skipped: int


def reindex(store, embedder: Embedder, changed_only: bool = False,
            progress: Callable[[int, int], None] | None = None) -> ReindexReport:
    all_ids = [e.id for e in store.list_employees()]
    todo = store.ids_missing_embedding(embedder.model_id) if changed_only else all_ids
    if not changed_only:
        # A full reindex with another model: drop vectors of the old model first so search never mixes spaces.
        stored = store.embedding_model()
        if stored and stored[0] != embedder.model_id:
            store.clear_embeddings()
    done = 0
    for start in range(0, len(todo), BATCH_SIZE):
        ids = todo[start:start + BATCH_SIZE]
        people = store.get_employees(ids)
        batch = [people[i] for i in ids if i in people]
        texts = [matching_text(e.title, e.resume_text, [e.display_name]) for e in batch]
        vectors = embedder.embed_documents(texts)
        with store.transaction():
            for employee, vector in zip(batch, vectors):
                store.set_embedding(employee.id, vector, embedder.model_id)
        done += len(ids)
        if progress:
            progress(done, len(todo))
    return ReindexReport(embedded=done, skipped=len(all_ids) - len(todo))
