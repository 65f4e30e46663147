"""The public catalogue in real Chromium: search as you type, facets, history,
no JavaScript, keyboard only, axe-core (WCAG 2.1 AA) and narrow screens.

Every page also runs under the production CSP: a console error, a page error
or a CSP violation fails the test (see the `page` fixture)."""
import re
from datetime import datetime, time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.staff import login

pytestmark = pytest.mark.browser

ORGANISER = "services_organiser"


# --- data ------------------------------------------------------------------------

@pytest.fixture
def catalogue(app):
    """The demo catalogue (60+ services), the clock frozen at 10:00 (Warsaw) today."""
    from portal.catalogue.models import Service
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db
    from portal.timeutil import WARSAW

    app.config["FIXED_NOW"] = datetime.combine(datetime.now(WARSAW).date(), time(10, 0), tzinfo=WARSAW)
    seed_catalogue(db.session)
    db.session.commit()
    bed = db.session.scalar(db.select(Service).filter_by(name="Łóżko rehabilitacyjne"))
    return {"service": bed.slug, "provider": bed.provider.slug}


@pytest.fixture
def organiser(make_user):
    """A services organiser who logs in through the real form."""
    return make_user(ORGANISER, "test-organiser", "Test Organizatorka")


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


def results(page):
    return page.locator("#results")


def result_link(page, name):
    return results(page).get_by_role("link", name=name, exact=True)


def count_heading(page):
    return page.locator("#result-count")


def polish_services(n):
    """'Znaleziono N usługę/usługi/usług' with the Polish plural rule."""
    if n == 1:
        form = "usługę"
    elif n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        form = "usługi"
    else:
        form = "usług"
    return f"Znaleziono {n} {form}"


def assert_count_announced(page, plural=False):
    """The polite status region announces the heading's number of results
    (and, with plural=True, in correct Polish)."""
    heading = " ".join(count_heading(page).inner_text().split())
    match = re.fullmatch(r"Znaleziono (\d+) \w+", heading)
    assert match, heading
    expect(page.locator("#status")).to_have_text(heading)
    if plural:
        assert heading == polish_services(int(match.group(1))), f"wrong Polish plural: {heading!r}"
    return int(match.group(1))


def mark_document(page):
    """A marker that survives only while no full page load happens."""
    page.evaluate("window.__sameDocument = true")


def assert_same_document(page):
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded instead of updated by htmx"


# --- search as you type -----------------------------------------------------------

def test_search_as_you_type_updates_results_url_and_status(page, catalogue):
    page.goto("/")
    expect(count_heading(page)).to_have_text(re.compile(r"Znaleziono \d+"))
    mark_document(page)

    page.locator("#q").press_sequentially("rehab", delay=40)  # no Enter: the input event searches

    expect(page).to_have_url(re.compile(r"[?&]q=rehab(&|$)"))
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_be_visible()
    expect(result_link(page, "Rehabilitacja ruchowa w gabinecie")).to_be_visible()
    expect(result_link(page, "Zajęcia piłki nożnej dla dzieci")).to_have_count(0)
    expect(page.locator("#status")).to_have_attribute("aria-live", "polite")
    assert_count_announced(page)
    expect(page.locator("#q")).to_be_focused()  # typing is not interrupted
    assert_same_document(page)


def test_search_without_diacritics(page, catalogue):
    page.goto("/")
    page.locator("#q").press_sequentially("lozko", delay=40)
    expect(page).to_have_url(re.compile(r"[?&]q=lozko(&|$)"))
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_be_visible()
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_have_count(0)
    assert_count_announced(page)


def test_result_count_uses_polish_plurals(page, catalogue):
    """1 usługę, 2–4 usługi (but 12–14 usług), 5+ usług: announced to screen readers too."""
    page.goto("/")
    page.evaluate("""() => { window.__settled = 0;
        document.addEventListener("htmx:afterSettle", () => { window.__settled += 1; }); }""")
    for query in ("lozko", "rehab", "klub seniora", "lozko rehabilitacyjne"):
        settled = page.evaluate("window.__settled")
        search = page.locator("#q")
        search.press("Control+A")
        search.press_sequentially(query, delay=40)
        page.wait_for_function("n => window.__settled > n", arg=settled)
        words = r"(\+|%20)".join(re.escape(word) for word in query.split())
        expect(page).to_have_url(re.compile(r"[?&]q=" + words + r"(&|$)"))
        assert_count_announced(page, plural=True)


def test_zero_results_are_explained(page, catalogue):
    page.goto("/")
    page.locator("#q").press_sequentially("xylofon", delay=40)
    expect(count_heading(page)).to_have_text("Znaleziono 0 usług")
    expect(results(page)).to_contain_text("Nie znaleźliśmy usługi")
    expect(page.locator("#status")).to_have_text("Znaleziono 0 usług")


# --- facets ----------------------------------------------------------------------

def test_target_group_facet_updates_results_and_url(page, catalogue):
    page.goto("/?q=rehab")
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_be_visible()
    before = count_heading(page).inner_text()
    mark_document(page)

    page.select_option("#group", "seniors")

    expect(page).to_have_url(re.compile(r"[?&]group=seniors(&|$)"))
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_have_count(0)  # not for seniors
    expect(result_link(page, "Rehabilitacja ruchowa w gabinecie")).to_be_visible()
    expect(count_heading(page)).not_to_have_text(before)
    assert query_of(page)["q"] == ["rehab"]
    expect(page.locator("#group")).to_have_value("seniors")
    assert_same_document(page)


def test_free_only_removes_paid_services(page, catalogue):
    page.goto("/?q=rehab")
    expect(result_link(page, "Rehabilitacja ruchowa w gabinecie")).to_be_visible()  # 40 zł a visit
    mark_document(page)

    page.get_by_label("Tylko bezpłatne").check()

    expect(page).to_have_url(re.compile(r"[?&]free=1(&|$)"))
    expect(result_link(page, "Rehabilitacja ruchowa w gabinecie")).to_have_count(0)
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_be_visible()
    expect(page.locator("#free")).to_be_checked()
    assert_same_document(page)


# --- history ---------------------------------------------------------------------

def test_back_button_restores_the_earlier_search(page, catalogue):
    page.goto("/")
    search = page.locator("#q")
    search.press_sequentially("rehab", delay=40)
    expect(page).to_have_url(re.compile(r"[?&]q=rehab(&|$)"))
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_be_visible()

    search.press("Control+A")
    search.press_sequentially("lozko", delay=40)
    expect(page).to_have_url(re.compile(r"[?&]q=lozko(&|$)"))
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_have_count(0)
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_be_visible()

    page.go_back()

    expect(page).to_have_url(re.compile(r"[?&]q=rehab(&|$)"))
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_be_visible()
    expect(page.locator("#q")).to_have_value("rehab")


# --- without JavaScript -------------------------------------------------------------

def test_without_javascript_the_form_submits_and_shows_full_pages(no_js_page, catalogue):
    page = no_js_page
    page.goto("/")
    page.fill("#q", "rehab")
    page.get_by_role("button", name="Szukaj").click()
    expect(page).to_have_url(re.compile(r"[?&]q=rehab(&|$)"))
    expect(page.locator("h1")).to_have_text("Usługi społeczne w gminie")
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_be_visible()
    expect(page.locator("#q")).to_have_value("rehab")

    page.fill("#q", "lozko")
    page.press("#q", "Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=lozko(&|$)"))
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_be_visible()
    expect(result_link(page, "Pakiet Rehabilitacja Plus")).to_have_count(0)

    # Facets need a button without JavaScript: the <noscript> one.
    page.fill("#q", "rehab")
    page.select_option("#group", "seniors")
    page.get_by_role("button", name="Pokaż wyniki").click()
    expect(page).to_have_url(re.compile(r"[?&]group=seniors(&|$)"))
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_have_count(0)
    expect(result_link(page, "Rehabilitacja ruchowa w gabinecie")).to_be_visible()

    result_link(page, "Rehabilitacja ruchowa w gabinecie").click()
    expect(page).to_have_url(re.compile(r"/services/[a-z0-9-]+$"))
    expect(page.locator("h1")).to_have_text("Rehabilitacja ruchowa w gabinecie")


def test_without_javascript_the_service_page_works(no_js_page, catalogue):
    page = no_js_page
    response = page.goto(f"/services/{catalogue['service']}")
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Łóżko rehabilitacyjne")
    page.get_by_role("link", name="Katalog usług").first.click()
    expect(page.locator("#q")).to_be_visible()


# --- keyboard only -------------------------------------------------------------------

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {outline: style.outlineStyle, outlineWidth: style.outlineWidth, shadow: style.boxShadow,
          focusVisible: el.matches(":focus-visible")};
}"""


def assert_focus_visible(page, what):
    style = page.evaluate(FOCUS_STYLE)
    visible = (style["outline"] != "none" and style["outlineWidth"] != "0px") or style["shadow"] != "none"
    assert visible, f"no visible focus indicator on {what}: {style}"


def active(page, expression):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def test_keyboard_only_search_and_open_a_service(page, catalogue):
    page.goto("/")

    page.keyboard.press("Tab")
    assert active(page, "el.classList.contains('skip-link')"), active(page, "el.outerHTML")
    assert active(page, "el.textContent.trim()") == "Przejdź do treści"
    assert_focus_visible(page, "the skip link")
    # The skip link is on screen while focused.
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, box

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert active(page, "el.id") == "main"

    page.keyboard.press("Tab")
    assert active(page, "el.id") == "q"
    assert_focus_visible(page, "the search field")

    page.keyboard.type("lozko", delay=40)
    expect(page).to_have_url(re.compile(r"[?&]q=lozko(&|$)"))
    expect(result_link(page, "Łóżko rehabilitacyjne")).to_be_visible()
    assert active(page, "el.id") == "q", "focus left the search field during the update"

    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if active(page, "el.tagName === 'A' && !!el.closest('#results')"):
            break
        visited.append(active(page, "el.id || el.tagName + ':' + (el.getAttribute('name') || el.textContent.trim())"))
    else:
        pytest.fail(f"Tab never reached a result link; focus went through {visited}")
    assert active(page, "el.textContent.trim()") == "Łóżko rehabilitacyjne", visited
    assert_focus_visible(page, "the first result link")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/services/{catalogue['service']}$"))
    expect(page.locator("h1")).to_have_text("Łóżko rehabilitacyjne")


# --- axe-core: WCAG 2.1 A and AA -----------------------------------------------------

def _fill_nothing_and_submit(page):
    page.get_by_role("button", name="Zaloguj").click()
    expect(page.locator("#error-summary")).to_be_visible()


PUBLIC_PAGES = [
    # (id, path or template with {service}/{provider}, expected status, action after load)
    ("catalogue", "/", 200, None),
    ("catalogue-search", "/?q=rehab", 200, None),
    ("catalogue-zero-results", "/?q=xylofon", 200, None),
    ("service", "/services/{service}", 200, None),
    ("service-print", "/services/{service}/print", 200, None),
    ("provider", "/providers/{provider}", 200, None),
    ("login", "/login", 200, None),
    ("login-errors", "/login", 200, _fill_nothing_and_submit),
    ("not-found", "/no-such-page", 404, None),
]

STAFF_PAGES = [
    ("staff-dashboard", "/staff"),
    ("manage-services", "/manage/services"),
    ("manage-services-new", "/manage/services/new"),
    ("manage-providers", "/manage/providers"),
    ("manage-synonyms", "/manage/synonyms"),
    ("manage-search-statistics", "/manage/search-statistics"),
    ("manage-places", "/manage/places"),
    ("manage-import", "/manage/import"),
]


@pytest.mark.parametrize("path,status,action", [p[1:] for p in PUBLIC_PAGES], ids=[p[0] for p in PUBLIC_PAGES])
def test_public_pages_have_no_wcag_violations(page, catalogue, assert_accessible, path, status, action):
    url = path.format(**catalogue)
    response = page.goto(url)
    assert response.status == status, f"{url}: HTTP {response.status}"
    if action:
        action(page)
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, url)


@pytest.mark.parametrize("path", [p[1] for p in STAFF_PAGES], ids=[p[0] for p in STAFF_PAGES])
def test_staff_pages_have_no_wcag_violations(page, catalogue, organiser, assert_accessible, path):
    login(page, organiser)
    response = page.goto(path)
    assert response.status == 200, f"{path}: HTTP {response.status}"
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page, f"{path} (logged in as {ORGANISER})")


# --- narrow screen (about 200% zoom of a 1280px window) ------------------------------

NO_HORIZONTAL_SCROLL = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                     + (el.className && typeof el.className === "string"
                        ? "." + el.className.split(" ").join(".") : ""));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


@pytest.mark.parametrize("path", ["/", "/?q=rehab", "/services/{service}"], ids=["catalogue", "search", "service"])
def test_no_horizontal_scroll_on_a_narrow_screen(page, catalogue, path):
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(path.format(**catalogue))
    expect(page.locator("h1")).to_be_visible()
    size = page.evaluate(NO_HORIZONTAL_SCROLL)
    assert size["scrollWidth"] <= size["clientWidth"], f"horizontal scroll at 640px: {size}"


# --- resources ----------------------------------------------------------------------

def test_favicon_is_served(page, catalogue):
    """Browsers request /favicon.ico on every visit; a 404 there is noise in
    every log (the page fixture ignores it so that it is reported only here)."""
    page.goto("/")
    icon = page.evaluate("(document.querySelector('link[rel~=icon]') || {}).href || null")
    response = page.request.get(icon or "/favicon.ico")
    assert response.status == 200, f"{icon or '/favicon.ico'}: HTTP {response.status}"


# --- the fixtures themselves ----------------------------------------------------------

def test_live_server_gives_each_request_its_own_app_context(fresh_app, serve):
    """Neither the test's `g` nor its database session leak into requests
    (an app of its own: a route cannot be added to the shared one)."""
    import json
    import urllib.request

    from flask import g

    from portal.extensions import db

    test_session = db.session()
    g.leak_probe = "test"
    seen = []

    def probe():
        session = db.session()
        seen.append(session)
        return {"shares_test_session": session is test_session, "sees_test_g": hasattr(g, "leak_probe"),
                "query": db.session.execute(db.text("SELECT 1")).scalar()}

    fresh_app.add_url_rule("/__probe__", "leak_probe", probe)
    with serve(fresh_app) as live_server:
        for _ in range(2):
            with urllib.request.urlopen(f"{live_server}/__probe__") as response:
                assert json.load(response) == {"shares_test_session": False, "sees_test_g": False, "query": 1}
    assert len(seen) == 2 and seen[0] is not seen[1], "two requests shared one database session"


def test_axe_helper_reports_violations(page, catalogue, assert_accessible):
    """assert_accessible really runs axe: an image without alt text fails."""
    page.goto("/")
    page.evaluate("""() => { const img = document.createElement("img");
                            img.src = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=";
                            img.id = "axe-probe";
                            document.querySelector("main").append(img); }""")
    with pytest.raises(AssertionError, match=r"image-alt[\s\S]*#axe-probe"):
        assert_accessible(page)


def test_page_fixture_catches_csp_violations(page, catalogue):
    """An inline script is blocked by the CSP and recorded as a problem."""
    page.goto("/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text) as message:
        page.evaluate("""() => { const s = document.createElement("script");
                                s.textContent = "window.__inline = 1"; document.body.append(s); }""")
    assert message.value.type == "error"
    assert page.evaluate("window.__inline === undefined")
    assert any("Content Security Policy" in p for p in page.problems.items), page.problems.items
    page.problems.items.clear()


def test_every_service_prints_on_one_a4_page(page, catalogue):
    """The print version is a one-page sheet handed to a resident: checked on
    the services with the most text, rendered by Chromium's print engine."""
    import unicodedata
    from io import BytesIO

    from pypdf import PdfReader
    from sqlalchemy import func

    from portal.catalogue.models import Service
    from portal.extensions import db

    # The most text on the sheet: the description, the goal, how it runs, who may use it, how to apply.
    text = sum((func.length(func.coalesce(column, "")) for column in (
        Service.goal, Service.delivery_description, Service.eligibility_description,
        Service.application_process, Service.schedule_description)), func.length(Service.description))
    longest = db.session.scalars(
        db.select(Service).where(Service.status != "archived").order_by(text.desc(), Service.id).limit(5)).all()
    for service in longest:
        page.goto(f"/services/{service.slug}/print")
        expect(page.locator("h1")).to_have_text(service.name)
        pdf = PdfReader(BytesIO(page.pdf(format="A4", print_background=False)))
        assert len(pdf.pages) == 1, f"{service.slug} prints on {len(pdf.pages)} pages"
        # NFKC undoes the typographic ligatures (ﬁ) of the PDF's text.
        assert service.name in unicodedata.normalize("NFKC", pdf.pages[0].extract_text())
