"""The casework tests build on the plan tests' fixtures (people, a case, a
plan driven through the plans' own operations) and add a few of their own;
the browser tests here use the shared Chromium fixtures of tests/browser."""
import pytest

from tests.browser.conftest import browser, live_server, no_js_page, page  # noqa: F401
from tests.casework.fixtures import case_rows, contact, coordinator_client, director_client  # noqa: F401
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401


@pytest.fixture(autouse=True)
def fresh_desk_regions(app):
    """Each test starts with no rendered desk kept: the test databases are
    emptied between tests, so the data version can come round again."""
    app.extensions.pop("casework_desk_regions", None)
