"""scoring.fuse_top computes the summary similarity only where it can change the top: it must rank exactly as fuse."""
import numpy as np
import pytest

from core.matching import scoring
from core.matching.index import Signals


def _signals(rng, n, eligible_share=0.6):
    return Signals(cosine=rng.uniform(-0.1, 0.7, n).astype(np.float32), bm25=rng.exponential(1.0, n).astype(np.float32)
                   * (rng.random(n) < 0.3), skills=(rng.random(n) < 0.1).astype(np.float32),
                   seniority=np.where(rng.random(n) < 0.2, 0.7, 1.0).astype(np.float32), has_skills=True,
                   coverage=0.8, eligible=rng.random(n) < eligible_share, total_eligible=0)


@pytest.mark.parametrize("seed", range(6))
def test_the_pruned_fusion_ranks_the_top_exactly_as_the_full_one(seed):
    rng = np.random.default_rng(seed)
    n, want = 30_000, 10 + 7 * seed
    sig = _signals(rng, n)
    completeness = rng.uniform(0.3, 1.0, n).astype(np.float32)
    thin = rng.random(n) < 0.05
    has_summary = rng.random(n) < 0.9
    summaries = rng.uniform(0, 1, n).astype(np.float32)
    computed = []

    def summary_of(rows):
        computed.append(len(rows))
        return summaries[rows]

    full_sig = Signals(**{**sig.__dict__, "summary": np.where(has_summary, summaries, np.nan).astype(np.float32)})
    full = scoring.fuse(full_sig, completeness, thin).final
    pruned = scoring.fuse_top(sig, completeness, thin, has_summary, summary_of, want).final

    def top(scores):
        masked = np.where(sig.eligible, scores, -np.inf)
        return sorted(np.argsort(-masked, kind="stable")[:want].tolist())

    assert top(pruned) == top(full)
    shown = top(full)
    assert np.allclose(pruned[shown], full[shown])
    assert sum(computed) < n      # it did not compute every summary
