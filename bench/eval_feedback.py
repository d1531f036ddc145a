"""nDCG@10 from recorded feedback: the people searches users judged with 👍/👎 (and the moves HR recorded) become
evaluation data. Each judged search is run again through today's ranker, with the asker's visibility and the saved
filters, without writing audit rows; 👍 = relevant (1), 👎 = not (0), a person later moved into an opening = highly
relevant (3), anyone unjudged = 0. Beside it, the two simplest baselines on the same judgements: plain BM25 over
title + resume, and the cosine of the stored profile vectors.

    python -m bench.eval_quality --feedback [--data-dir DIR]      # DIR: the product's data (default: as configured)
"""
from __future__ import annotations

import time

import numpy as np

from core.access import visible_filters
from core.feedback import judged_queries
from core.matching.query import filters_from_dict

K = 10


def _mask(app, filters) -> np.ndarray:
    """The people the baselines may rank: everyone indexed, or only those open to moves when the search said so."""
    index = app.matching.index()
    mask = np.ones(index.n, bool)
    if filters.open_only:
        people = app.store.get_employees(list(index.ids))
        mask = np.array([bool(people.get(i) and people[i].open_to_moves) for i in index.ids])
    return mask


def open_data(data_dir: str | None = None):
    """The product's own data folder (never a scratch copy: the feedback lives there); no demo is loaded."""
    from bot.bootstrap import build_app
    from bot.settings import load_settings

    overrides = {"INTERNAL_HIRE_DEMO_AUTOLOAD": False}
    if data_dir:
        overrides["INTERNAL_HIRE_DATA_DIR"] = data_dir
    return build_app(load_settings(**overrides))


def run(app, k: int = K) -> int:
    from bench.eval_quality import PlainBM25, embed_rank, mean, ndcg_at

    started, cpu = time.perf_counter(), time.process_time()
    judged = judged_queries(app.store)
    if not judged:
        votes = app.store.votes()
        print(f"No judged people searches in this data folder ({len(votes)} votes, none on search results): press "
              "👍/👎 on search results in the chat (Slack, Teams or `internal-hire chat`), or record moves "
              "(`moved E0123 op-…`), then run this again. Nothing to evaluate.")
        return 1
    people = app.store.list_employees()
    bm25 = PlainBM25([e.id for e in people], [f"{e.title}\n{e.resume_text}" for e in people])
    systems = {"ours": [], "BM25": [], "embed": []}
    used = skipped_no_relevant = pairs = 0
    up_in_top = up_total = down_in_top = down_total = 0
    for q in judged:
        asker = app.store.get_employee(q.asker_id) if q.asker_id else None
        filters = filters_from_dict(q.filters)
        if asker is not None:
            filters = visible_filters(asker, filters)
        grades = q.judgements
        if not any(g > 0 for g in grades.values()):
            skipped_no_relevant += 1          # only 👎: nDCG has no ideal ranking to compare with
            continue
        used += 1
        pairs += len(grades)
        ranked = [c.employee_id for c in app.matching.search(q.query, filters, limit=k, lang=q.lang).candidates]
        mask = _mask(app, filters)
        lists = {"ours": ranked,
                 "BM25": [i for i in bm25.rank(q.query, k=len(people)) if mask[app.matching.index().row_of[i]]][:k]
                 if mask.any() else [],
                 "embed": embed_rank(app, q.query, mask, k)}
        for name, ids in lists.items():
            systems[name].append(ndcg_at([grades.get(i, 0) for i in ids], list(grades.values()), k))
        top = set(ranked)
        up_total += sum(1 for g in grades.values() if g > 0)
        up_in_top += sum(1 for i, g in grades.items() if g > 0 and i in top)
        down_total += sum(1 for g in grades.values() if g == 0)
        down_in_top += sum(1 for i, g in grades.items() if g == 0 and i in top)
    print(f"Recorded feedback: {len(judged)} judged searches; used {used} ({pairs} judged person-search pairs), "
          f"{skipped_no_relevant} skipped (only 👎, no relevant person to rank)")
    if not used:
        print("Nothing to score: every judged search has only 👎. nDCG needs at least one 👍 or recorded move.")
        return 1
    print(f"nDCG@{k} on recorded feedback (today's ranker, the asker's visibility):  " +
          "  ".join(f"{name} {mean(scores):.3f}" for name, scores in systems.items()))
    print(f"  relevant (👍 or moved) in today's top {k}: {up_in_top}/{up_total}; "
          f"judged 👎 in today's top {k}: {down_in_top}/{down_total}")
    print(f"  {time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")
    return 0
