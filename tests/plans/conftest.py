"""The plan tests' fixtures live in fixtures.py, so the browser tests can import them too."""
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401
