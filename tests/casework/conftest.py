"""The casework tests build on the plan tests' fixtures (people, a case, a
plan driven through the plans' own operations) and add a few of their own
(tests/casework/fixtures.py, which the browser tests in tests/browser import
too: the Chromium fixtures live there, one browser per session)."""
from tests.casework.fixtures import (  # noqa: F401
    case_rows,
    contact,
    coordinator_client,
    director_client,
    fresh_desk_regions,
)
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401
