"""Browser fixtures: real Chromium (Debian's) driven by Playwright's sync API.

- `browser`: one headless Chromium for the whole session;
- `live_server`: the test's app served over HTTP by werkzeug in a thread,
  every request in its own app context (as in production);
- `page` / `no_js_page`: a fresh Polish browser context whose console errors,
  page errors and Content-Security-Policy violations fail the test;
- `assert_accessible(page)`: axe-core (WCAG 2.1 A/AA) without weakening the CSP.

Never run `playwright install`: the executable is /usr/bin/chromium.
"""
import json
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
]
AXE_PATH = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
AXE_URL = "/__axe__.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- browser and server -------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (never `playwright install`).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class FreshAppContext:
    """WSGI middleware: every request runs in its own app context.

    The test's `app` fixture keeps an app context pushed; without this, Flask
    could reuse it and share `g` and the Flask-SQLAlchemy session (scoped per
    app context) between requests and with the test itself. The body is read
    inside the context so nothing runs after its teardown (which removes the
    request's database session)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with self.app.app_context():
            iterable = self.app.wsgi_app(environ, start_response)
            try:
                body = [bytes(chunk) for chunk in iterable]
            finally:
                close = getattr(iterable, "close", None)
                if close is not None:
                    close()
        return body


@contextmanager
def serving(app):
    """Serve `app` on a free local port in a daemon thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, FreshAppContext(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    with serving(app) as url:
        yield url


@pytest.fixture
def serve():
    """`with serve(some_app) as url:` for a test with an app of its own (fresh_app)."""
    return serving


# --- pages ---------------------------------------------------------------------

# Reports a CSP violation through a CDP binding (not subject to the page's CSP).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__reportCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


class PageProblems:
    """Console errors, page errors and CSP violations seen by one page."""

    def __init__(self, page):
        self.items = []
        self.failed_documents = set()  # navigations the test made to an error page (404, 422)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.items.append(f"page error: {error}"))
        page.on("response", self._response)

    def _response(self, response):
        request = response.request
        if request.resource_type == "document" and response.status >= 400:
            self.failed_documents.add(response.url)

    def _console(self, message):
        if message.type != "error":
            return
        text = message.text
        url = (message.location or {}).get("url", "")
        # A page the test deliberately opened with an error status (the 404
        # page, a login form returned with 422) is logged as a failed load;
        # that is the page under test, not a fault. Failed subresources count.
        if text.startswith("Failed to load resource") and url in self.failed_documents:
            return
        # Chromium asks for /favicon.ico by itself; test_favicon_is_served checks it once.
        if text.startswith("Failed to load resource") and urlsplit(url).path == "/favicon.ico":
            return
        self.items.append(f"console error: {text} ({url})")

    def report_csp(self, source, description):
        self.items.append(f"CSP violation: {description}")


def _open_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server, locale="pl-PL", timezone_id="Europe/Warsaw", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = PageProblems(page)
    page.expose_binding("__reportCspViolation", problems.report_csp)
    page.add_init_script(_CSP_LISTENER)
    return context, page, problems


def _close_and_check(context, problems):
    context.close()
    assert not problems.items, "The page logged errors:\n" + "\n".join(problems.items)


@pytest.fixture
def page(browser, live_server):
    context, page, problems = _open_page(browser, live_server)
    page.problems = problems
    yield page
    _close_and_check(context, problems)


@pytest.fixture
def no_js_page(browser, live_server):
    context, page, problems = _open_page(browser, live_server, java_script_enabled=False)
    page.problems = problems
    yield page
    _close_and_check(context, problems)


# --- accessibility -------------------------------------------------------------

def _format_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(json.dumps(t) if not isinstance(t, str) else t for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {node.get('html', '')[:200]}")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page, label=None):
    """Run axe-core on the page as it is and fail on any WCAG 2.1 A/AA violation.

    axe is served same-origin through a Playwright route, so the page's
    `script-src 'self'` allows it: the CSP stays exactly as in production."""
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing (make vendor)")
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE_PATH),
                                                            content_type="application/javascript"))
    try:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=AXE_URL)
        results = page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
                   .then(r => ({violations: r.violations.map(v => ({
                       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                       nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))
                   }))}))""",
            WCAG_TAGS,
        )
    finally:
        page.unroute(f"**{AXE_URL}")
    violations = results["violations"]
    where = label or page.url
    assert not violations, f"axe-core: WCAG 2.1 AA violations on {where}:\n{_format_violations(violations)}"


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    """The `assert_accessible(page)` helper, for tests (conftest is not importable)."""
    return assert_accessible
