"""The search measured on the judged query set (tests/catalogue/data/judged_queries.json)
over the demo catalogue, through the real `search()`.

The queries were written as residents and the desk type them and judged from
the demo catalogue's texts before the search was run. The floors are counts
measured on this engine, a little below what it reaches, so a change that
loses queries fails here.
"""
from datetime import datetime

import pytest

from portal.catalogue.relevance import evaluate, load_judgements
from portal.catalogue.search import Filters, search
from portal.demo.catalogue import seed_catalogue
from portal.extensions import db
from portal.timeutil import local_now

# Measured on 118 judged queries (the same on SQLite and PostgreSQL):
#   the engine and synonyms at main before issue 12: success@3 71, MRR 0.585, 45 without any result;
#   this engine with the demo's 57 synonym groups:  success@3 113, MRR 0.914, 3 without any result.
# The last 29 queries ("held out" in their kind) were written after the synonym
# groups and judged before the search ran on them: 25 of them succeed (MRR 0.822).
SUCCESS_AT_3_FLOOR = 110
MRR_FLOOR = 0.89
NO_RESULT_CEILING = 5


@pytest.fixture
def demo_catalogue(app):
    seed_catalogue(db.session)
    db.session.commit()
    return db.session


def _moment():
    # A weekday morning of the demo's year: every pilot service is running.
    return datetime(local_now().year, 3, 10, 11, 0, tzinfo=local_now().tzinfo)


def test_the_judged_queries_find_what_a_social_worker_would_call_relevant(demo_catalogue):
    moment = _moment()

    def ranked(query):
        result = search(demo_catalogue, query, Filters(), moment=moment, per_page=100)
        return [doc.slug for doc in result.docs]

    judgements = load_judgements()
    figures = evaluate(ranked, judgements)
    print(f"\njudged queries: {figures.queries}, success@3: {figures.success_at_3}, "
          f"MRR: {figures.mean_reciprocal_rank:.3f}, no result: {figures.no_result}")
    print("not in the first three:", figures.failed)
    assert figures.queries >= 110
    assert figures.success_at_3 >= SUCCESS_AT_3_FLOOR, figures.failed
    assert figures.mean_reciprocal_rank >= MRR_FLOOR, figures.failed
    assert figures.no_result <= NO_RESULT_CEILING, figures.failed
