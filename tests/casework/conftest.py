"""The casework tests build on the plan tests' fixtures (people, a case, a
plan driven through the plans' own operations) and add a few of their own;
the browser tests here use the shared Chromium fixtures of tests/browser."""
from tests.browser.conftest import browser, live_server, no_js_page, page  # noqa: F401
from tests.casework.fixtures import case_rows, contact, coordinator_client, director_client  # noqa: F401
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401
