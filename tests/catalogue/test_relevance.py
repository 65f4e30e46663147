"""The figures of a judged query set (portal/catalogue/relevance.py)."""
from portal.catalogue.relevance import evaluate, load_judgements


def test_evaluate_counts_success_at_3_reciprocal_rank_and_empty_results():
    judgements = [
        {"query": "first", "relevant": ["a"]},
        {"query": "third", "relevant": ["c"]},
        {"query": "fourth", "relevant": ["d"]},
        {"query": "nothing", "relevant": ["a"]},
    ]
    answers = {"first": ["a", "b"], "third": ["x", "y", "c"], "fourth": ["x", "y", "z", "d"], "nothing": []}
    figures = evaluate(answers.__getitem__, judgements)
    assert figures.queries == 4
    assert figures.success_at_3 == 2
    assert figures.no_result == 1
    assert figures.failed == ["fourth", "nothing"]
    assert abs(figures.mean_reciprocal_rank - (1 + 1 / 3 + 1 / 4) / 4) < 1e-9


def test_the_judged_set_names_a_relevant_service_for_every_query():
    judgements = load_judgements()
    assert judgements
    for judgement in judgements:
        assert judgement["query"].strip() and judgement["relevant"], judgement
