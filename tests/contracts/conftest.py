"""The contracts' tests' fixtures: in contracts_fixtures.py, so the browser test can import them too."""
from tests.contracts.contracts_fixtures import frozen, rows, world  # noqa: F401
