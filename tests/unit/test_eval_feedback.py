"""bench/eval_quality.py --feedback: recorded 👍/👎 and moves become nDCG@10 of today's ranker, with how many judged
searches and pairs were used; no feedback gets a clear message, not a number."""
from __future__ import annotations

from bench.eval_feedback import run
from core.feedback import Feedback
from core.search import SearchCandidates


def test_no_feedback_says_so_and_scores_nothing(demo_app, capsys):
    assert run(demo_app) == 1
    out = capsys.readouterr().out
    assert "No judged people searches" in out and "nDCG" not in out


def test_recorded_votes_and_a_move_become_ndcg_over_the_re_run_search(demo_app, capsys):
    hr = demo_app.store.find_employee("E0001")
    result = SearchCandidates(demo_app.matching).search(hr, "senior backend engineer who knows Kafka 10")
    people = [c.employee_id for c in result.page.candidates]
    feedback = Feedback(demo_app.store)
    feedback.vote_on_result(hr, result.search_id, people[0], "down")        # ranked first, judged not relevant
    feedback.vote_on_result(hr, result.search_id, people[1], "up")
    feedback.vote_on_result(hr, result.search_id, people[2], "up")
    assert run(demo_app) == 0
    out = capsys.readouterr().out
    assert "1 judged searches; used 1 (3 judged person-search pairs)" in out
    score = float(out.split("ours ")[1].split()[0])
    assert 0 < score < 1                             # the 👎 on top costs: not a perfect ranking
    assert "judged 👎 in today's top 10: 1/1" in out
    # a search with only 👎 has no ideal ranking: counted, skipped, said
    other = SearchCandidates(demo_app.matching).search(hr, "performance marketing GA4 3")
    feedback.vote_on_result(hr, other.search_id, other.page.candidates[0].employee_id, "down")
    run(demo_app)
    assert "2 judged searches; used 1" in capsys.readouterr().out
