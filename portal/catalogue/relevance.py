"""How well a search answers a judged set of queries.

A judgement is a query as people type it and the services (by slug) a social
worker would call relevant, judged from the services' texts before the
search was run. The test set lives in tests/catalogue/data/judged_queries.json;
the tests and `make bench` (the portal beside a PostgreSQL baseline) compute
the same figures with `evaluate`.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

JUDGED_QUERIES = Path(__file__).resolve().parents[2] / "tests" / "catalogue" / "data" / "judged_queries.json"
TOP = 3


def load_judgements(path=JUDGED_QUERIES):
    """[{"query": str, "relevant": [slug, ...], "kind": str}, ...]"""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@dataclass
class Figures:
    queries: int
    success_at_3: int  # queries with a relevant service among the first three
    reciprocal_rank_sum: float
    no_result: int  # queries that returned nothing at all
    failed: list = field(default_factory=list)  # queries with nothing relevant in the first three

    @property
    def mean_reciprocal_rank(self):
        return self.reciprocal_rank_sum / self.queries if self.queries else 0.0


def evaluate(ranked_slugs, judgements):
    """`ranked_slugs(query)` gives the slugs a search shows, best first."""
    figures = Figures(len(judgements), 0, 0.0, 0)
    for judgement in judgements:
        ranked = list(ranked_slugs(judgement["query"]))
        relevant = set(judgement["relevant"])
        if not ranked:
            figures.no_result += 1
        rank = next((position for position, slug in enumerate(ranked, 1) if slug in relevant), None)
        if rank is not None:
            figures.reciprocal_rank_sum += 1.0 / rank
        if rank is not None and rank <= TOP:
            figures.success_at_3 += 1
        else:
            figures.failed.append(judgement["query"])
    return figures
