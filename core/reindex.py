"""Re-embedding profiles: after the embedder changed, or to refresh.

Work is committed in batches, in employee-id order, with a checkpoint in the database after each batch: an
interrupted run (Ctrl-C, a crash, a deploy) resumes after the last finished batch instead of starting over.
`changed_only` re-embeds just the profiles that have no embedding from the current model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from core.fairness import matching_text
from core.ports import Embedder

BATCH_SIZE = 256
CHECKPOINT_KEY = "reindex_checkpoint"


@dataclass
class ReindexReport:
    embedded: int
    skipped: int
    resumed_after: str | None = None


def reindex(store, embedder: Embedder, changed_only: bool = False,
            progress: Callable[[int, int], None] | None = None, batch_size: int = BATCH_SIZE,
            summarize: Callable[[object], str] | None = None) -> ReindexReport:
    """`summarize(employee)`: the profile's language-neutral summary (ProfileBuilder.summary), embedded beside it."""
    if summarize is None:
        from core.profiles import ProfileBuilder
        from core.skills import SkillExtractor, load_taxonomy

        summarize = ProfileBuilder(SkillExtractor(load_taxonomy())).summary
    all_ids = sorted(e.id for e in store.list_employees())
    resumed_after = None
    if changed_only:
        todo = sorted(store.ids_missing_embedding(embedder.model_id))
    else:
        checkpoint = store.get_meta(CHECKPOINT_KEY)
        if checkpoint:
            model, _, last_id = checkpoint.partition("|")
            if model == embedder.model_id:
                resumed_after = last_id
        todo = [i for i in all_ids if resumed_after is None or i > resumed_after]
        stored = store.embedding_model()
        if resumed_after is None and stored and stored[0] != embedder.model_id:
            # A full reindex with another model: drop the old vectors first so search never mixes two spaces.
            store.clear_embeddings()
    done = 0
    for start in range(0, len(todo), batch_size):
        ids = todo[start:start + batch_size]
        people = store.get_employees(ids)
        batch = [people[i] for i in ids if i in people]
        texts = [matching_text(e.title, e.resume_text, [e.display_name]) for e in batch]
        summaries = [summarize(e) for e in batch]
        vectors = embedder.embed_documents(texts + [s for s in summaries if s])
        extra = iter(vectors[len(texts):])
        with store.transaction():
            for employee, vector, summary in zip(batch, vectors, summaries):
                store.set_embedding(employee.id, vector, embedder.model_id, next(extra) if summary else None)
        if not changed_only:
            store.set_meta(CHECKPOINT_KEY, f"{embedder.model_id}|{ids[-1]}")
        done += len(ids)
        if progress:
            progress(done, len(todo))
    if not changed_only:
        store.set_meta(CHECKPOINT_KEY, "")
    return ReindexReport(embedded=done, skipped=len(all_ids) - len(todo), resumed_after=resumed_after)
