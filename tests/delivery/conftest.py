"""The delivery tests' fixtures live in sessions_fixtures.py, so the browser test can import them too."""
from tests.delivery.sessions_fixtures import club, frozen, grant, members, staff  # noqa: F401
