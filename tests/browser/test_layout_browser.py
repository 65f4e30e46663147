"""Every kind of page at a laptop's 1366 × 768 and a phone's 390 × 844, on
the demo municipality: no page scrolls sideways and no text is hidden
(clipped by an ancestor that hides its overflow, pushed off the screen, or
spilling out of its column under the next one, as the plan's services table
ran under the "Działania" panel). And the public catalogue on a phone: the
results of a search come before the folded facets, and their number is
announced.

One seeding of the demo data serves every page: navigating in one browser
context per width, logged in once per role."""
import re

import pytest
from playwright.sync_api import expect

from portal.timeutil import local_now
from tests.browser.staff import login
from tests.helpers import seed_demo

pytestmark = pytest.mark.browser

PASSWORD = "demo-cus"  # the demo users' password
SIZES = ((1366, 768), (390, 844))

# What the person sees is what counts: for every element that holds text,
# - the text lies within the viewport horizontally;
# - no ancestor whose overflow is not visible (hidden, clip, auto, scroll) cuts it;
# and no block box holds content wider than itself (a table wider than its
# grid column is painted under the next column). Deliberately hidden text
# (.visually-hidden and other clipped 1-pixel boxes, the skip link until
# focused) and closed <details> do not count, nor the inside of a region
# that scrolls by design ([data-scroll-region]: a labelled, focusable box
# holding a two-dimensional table, the monthly grid of hours, as WCAG 1.4.10
# allows); the page around it must still fit.
LAYOUT_PROBLEMS = r"""() => {
  const root = document.documentElement;
  const width = window.innerWidth;
  const problems = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const where = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) { parts.unshift(name(e)); }
    return parts.join(" > ");
  };
  const hiddenOnPurpose = el => {  // .visually-hidden, a stacked table's column headings, the skip link
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.clip !== "auto" || (style.position === "absolute" && e.clientWidth <= 1)) { return true; }
    }
    return !!el.closest(".skip-link");
  };
  if (root.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide in ${width} px`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT,
    {acceptNode: n => n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, noscript, template, select, textarea, [data-scroll-region]")
        || hiddenOnPurpose(el)) { continue; }
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) { continue; }  // not rendered (display: none, a closed <details>)
    const text = JSON.stringify(node.nodeValue.trim().slice(0, 40));
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    if (left < -1 || right > width + 1) {
      problems.push(`text off the screen (${Math.round(left)}–${Math.round(right)} px): ${text} in ${where(el)}`);
      continue;
    }
    for (let a = el; a && a !== root && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === "visible" && style.overflowY === "visible") { continue; }
      const box = a.getBoundingClientRect();
      const x = box.left + a.clientLeft, y = box.top + a.clientTop;
      if (left < x - 1 || right > x + a.clientWidth + 1 || top < y - 1 || bottom > y + a.clientHeight + 1) {
        problems.push(`text cut by ${name(a)} (overflow ${style.overflowX}/${style.overflowY}): `
                      + `${text} in ${where(el)}`);
        break;
      }
    }
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (el.clientWidth === 0 || el.closest("svg, [data-scroll-region]") || hiddenOnPurpose(el)) { continue; }
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.overflowX !== "visible") { continue; }
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`content spills out of ${where(el)}: ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
  }
  return problems;
}"""


@pytest.fixture(autouse=True)
def _once(database_url):
    """Page layout does not depend on the database: checked once, on SQLite
    (the slowest tests of the run; CI time must not grow)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("layout is checked once, on SQLite")


@pytest.fixture
def demo(app):
    """The demo municipality as `make run` seeds it, and the ids of typical
    pages (the plan with the most services, a closed plan, a draft...)."""
    from sqlalchemy import func, select

    from kiosk.models import Screen
    from portal.assessment.models import Assessment
    from portal.auth.models import User
    from portal.casework.models import MonitoringEntry
    from portal.catalogue.models import Provider, Service
    from portal.complaints.models import Complaint
    from portal.delivery.models import Attendance, Consultation, DeliveryEntry, GroupSession
    from portal.desk.models import Request
    from portal.events.models import Event, Notice
    from portal.extensions import db
    from portal.plans.models import Plan, PlanItem, PlanVersion
    from portal.quality.models import ProviderCheck, StandardVersion

    seed_demo(through="screens")
    # Issue 15: the demo provider's login, its contracts, applications and proposals, as `flask demo ensure` makes them.
    from portal.applications.models import ProviderApplication
    from portal.contracts.models import Contract
    from portal.demo.applications import seed_applications
    from portal.demo.contracts import seed_contracts
    from portal.demo.proposals import seed_proposals
    from portal.demo.providers import ensure_provider_account
    from portal.proposals.models import Proposal

    ensure_provider_account(db.session)
    for seed in (seed_contracts, seed_applications, seed_proposals):
        seed(db.session)
    db.session.commit()

    widest = db.session.execute(
        select(Plan.id, Plan.resident_id).join(PlanVersion, PlanVersion.plan_id == Plan.id)
        .join(PlanItem, PlanItem.plan_version_id == PlanVersion.id).where(Plan.status == "active")
        .group_by(Plan.id, Plan.resident_id).order_by(func.count(PlanItem.id).desc(), Plan.id)).first()
    ids = {
        "services": db.session.scalars(select(Service.slug).where(Service.status != "archived")
                                       .order_by(Service.slug)).all(),
        "service_id": db.session.scalar(select(Service.id).order_by(Service.id)),
        "provider": db.session.scalar(select(Provider.slug).order_by(Provider.id)),
        "event": db.session.scalar(select(Event.slug).order_by(Event.id)),
        "event_id": db.session.scalar(select(Event.id).order_by(Event.id)),
        "plan": widest.id,
        "person": widest.resident_id,
        "draft_plan": db.session.scalar(select(Plan.id).where(Plan.status == "draft").order_by(Plan.id)),
        "monitored_plan": db.session.scalar(select(MonitoringEntry.plan_id).order_by(MonitoringEntry.plan_id)),
        "closed_plan": db.session.scalar(select(Plan.id).where(Plan.status == "closed").order_by(Plan.id)),
        "assessment": db.session.scalar(select(Assessment.id).where(Assessment.status == "completed")
                                        .order_by(Assessment.id)),
        "draft_assessment": db.session.scalar(select(Assessment.id).where(Assessment.status == "draft")
                                              .order_by(Assessment.id)),
        "request": db.session.scalar(select(Request.id).where(Request.status == "handed_to_plan")
                                     .order_by(Request.id)),
        "screen": db.session.scalar(select(Screen.id).order_by(Screen.id)),
        "notice": db.session.scalar(select(Notice.id).order_by(Notice.id)),
        "user": db.session.scalar(select(User.id).where(User.username == "koordynator")),
        # Issue 13: a held session with attendance, a group and an hour-based service, a consultation
        # service, a complaint, a check of a provider and a service with a standard.
        "session": db.session.scalar(select(Attendance.session_id).order_by(Attendance.session_id)),
        "group_service": db.session.scalar(select(GroupSession.service_id).order_by(GroupSession.service_id)),
        "hour_service": db.session.scalar(select(DeliveryEntry.service_id).where(DeliveryEntry.unit == "hour")
                                          .order_by(DeliveryEntry.service_id)),
        "consultation_service": db.session.scalar(select(Consultation.service_id)
                                                  .order_by(Consultation.service_id)),
        "complaint": db.session.scalar(select(Complaint.id).where(Complaint.staff_member_id.is_(None))
                                       .order_by(Complaint.id)),
        "check": db.session.scalar(select(ProviderCheck.id).order_by(ProviderCheck.id)),
        "standard_service": db.session.scalar(select(StandardVersion.service_id).order_by(StandardVersion.id)),
        "year": local_now().year,
        "contract": db.session.scalar(select(Contract.id).order_by(Contract.id)),
        "application": db.session.scalar(select(ProviderApplication.id).order_by(ProviderApplication.id)),
        "proposal": db.session.scalar(select(Proposal.id).order_by(Proposal.id)),
        "provider_id": db.session.scalar(select(User.provider_id).where(User.username == "realizator")),
    }
    # End the test's own transaction: the pages take minutes, longer than
    # PostgreSQL lets a transaction stand idle.
    db.session.commit()
    return ids


def pages_of(demo):
    """(role or None for the public, [paths]) for every kind of page."""
    d = demo
    public = ["/", "/?q=rehabilitacja", f"/providers/{d['provider']}", "/events", f"/events/{d['event']}",
              "/contact", "/login", "/providers/register", "/embed/services", "/embed/events"
              ] + [f"/services/{slug}" for slug in d["services"]]
    return [
        (None, public),
        ("recepcja", ["/staff", "/desk/", "/desk/requests/new", "/residents/", f"/residents/{d['person']}",
                      f"/desk/requests/{d['request']}"]),
        ("koordynator", ["/staff", "/assessments/", f"/assessments/{d['assessment']}",
                         f"/assessments/{d['draft_assessment']}/edit", "/plans/", f"/plans/{d['plan']}",
                         f"/plans/{d['draft_plan']}/edit", "/cases/", f"/cases/plans/{d['monitored_plan']}/monitoring",
                         f"/cases/plans/{d['closed_plan']}/closure", f"/cases/plans/{d['plan']}/closure",
                         "/plans/waiting"]),
        ("organizator", ["/staff", "/manage/services", "/manage/services/new",
                         f"/manage/services/{d['service_id']}/edit", f"/manage/services/{d['service_id']}/history",
                         "/manage/providers", "/manage/providers/new",
                         "/manage/places", "/manage/places/new", "/manage/villages", "/manage/synonyms",
                         "/manage/search-statistics", "/manage/import", "/plans/approvals",
                         *NEW_PAGES["organizator"](d)]),
        ("animator", ["/staff", "/staff/events", "/staff/events/new", f"/staff/events/{d['event_id']}/edit",
                      "/staff/notices", f"/staff/notices/{d['notice']}/end", "/staff/kiosk/", "/staff/kiosk/new",
                      f"/staff/kiosk/{d['screen']}/edit",
                      "/staff/kiosk/health"]),
        ("dyrektor", ["/staff", "/plans/approvals", "/plans/delegations", f"/residents/{d['person']}/access-report",
                      "/cases/all", *NEW_PAGES["dyrektor"](d)]),
        # Issue 15: a provider's own pages.
        ("realizator", ["/staff", "/provider/profile", "/provider/services", "/proposals/", "/proposals/new",
                        f"/proposals/{d['proposal']}", "/delivery/sessions"]),
        ("admin", ["/staff", "/admin/users", "/admin/users/new", f"/admin/users/{d['user']}",
                   f"/admin/users/{d['user']}/history", "/admin/users/two-factor", "/account",
                   "/staff/village-coordinators"]),
    ]


# Issue 13's pages (the delivery register, quality, complaints): the layout
# sweep at every size, and axe-core on each at the first size.
NEW_PAGES = {
    "organizator": lambda d: [
        "/delivery/sessions", f"/delivery/sessions/services/{d['group_service']}", f"/delivery/sessions/{d['session']}",
        f"/delivery/sessions/{d['session']}/edit", f"/delivery/sessions/services/{d['group_service']}/new",
        "/delivery/individual", f"/delivery/individual?service={d['hour_service']}",
        f"/delivery/individual/new?service={d['hour_service']}", f"/delivery/hours?service={d['hour_service']}",
        f"/delivery/consultations?service={d['consultation_service']}",
        f"/delivery/consultations/new?service={d['consultation_service']}",
        "/delivery/usage", f"/delivery/services/{d['hour_service']}/usage", "/quality", "/quality/standards",
        f"/quality/services/{d['standard_service']}/standard", f"/quality/services/{d['standard_service']}/surveys",
        f"/quality/services/{d['standard_service']}/paper", f"/quality/services/{d['standard_service']}/questions",
        "/quality/checks", "/quality/checks/new", f"/quality/checks/{d['check']}", "/complaints/",
        # Issue 15: the providers' applications and proposals, the contracts, a provider's accounts.
        "/manage/applications", f"/manage/applications/{d['application']}", "/proposals/review",
        f"/proposals/review/{d['proposal']}", "/contracts", "/contracts/new", f"/contracts/{d['contract']}",
        f"/manage/providers/{d['provider_id']}/accounts"],
    "dyrektor": lambda d: ["/complaints/", "/complaints/new", f"/complaints/{d['complaint']}", *REPORT_PAGES,
                           f"/reports/yearly/{d['year']}/report", f"/reports/yearly/{d['year']}/programme"],
}
# Issue 14's pages (reports, the organiser's duties, the history, the yearly documents), as the director reads
# them (the organiser's forms are read by their own tests with axe-core and the Nu HTML Checker).
REPORT_PAGES = ["/reports/", "/reports/quarterly", "/reports/services", "/reports/matrix", "/reports/indicators",
                "/reports/providers", "/reports/desk", "/reports/catalogue-use", "/reports/history",
                "/reports/summaries", "/reports/meetings", "/reports/yearly"]


def log_out(page):
    page.get_by_role("button", name="Wyloguj").click()
    expect(page.get_by_role("link", name="Logowanie dla pracowników")).to_be_visible()


def test_no_page_scrolls_sideways_or_hides_text(browser, live_server, demo, assert_accessible):
    found = {}
    visited = 0
    for width, height in SIZES:
        context = browser.new_context(base_url=live_server, locale="pl-PL", timezone_id="Europe/Warsaw",
                                      viewport={"width": width, "height": height})
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        for role, paths in pages_of(demo):
            if role:
                login(page, role, PASSWORD)
            for path in paths:
                response = page.goto(path)
                visited += 1
                problems = page.evaluate(LAYOUT_PROBLEMS)
                if response.status != 200:
                    problems.insert(0, f"HTTP {response.status}")
                if problems:
                    found[f"{width} px, {role or 'public'}: {path}"] = problems
                if width == SIZES[0][0] and role in NEW_PAGES and path in NEW_PAGES[role](demo):
                    assert_accessible(page, f"{path} at {width} px")
                if path == f"/plans/{demo['plan']}":
                    # The changed plan page: its services table in full, and accessible.
                    table = page.locator("table.table").first
                    for heading in ("Miejsce", "Działania wspierające"):
                        expect(table.get_by_role("columnheader", name=heading)).to_have_count(1)
                    if width > 1000:
                        assert table.get_attribute("data-stacked") is None, "the plan's table is stacked at 1366 px"
                    assert_accessible(page, f"{path} at {width} px")
            if role:
                log_out(page)
        context.close()
        assert not errors, f"page errors at {width} px: {errors}"
    assert visited > 2 * 100
    report = "\n".join(f"{where}\n    " + "\n    ".join(problems[:5]) for where, problems in found.items())
    sideways = {w: sum(1 for where, problems in found.items() if where.startswith(f"{w} px")
                       and any("scrolls sideways" in p for p in problems)) for w, _ in SIZES}
    assert not found, f"{len(found)} pages hide text or scroll sideways (sideways: {sideways}):\n{report}"


@pytest.fixture
def catalogue(app):
    """The demo catalogue alone (the catalogue tests need no people)."""
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db

    seed_catalogue(db.session)
    db.session.commit()


def test_catalogue_on_a_phone_shows_results_before_the_facets(page, catalogue, assert_accessible):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    facets = page.locator("details.facets-toggle")
    expect(facets).not_to_have_attribute("open", "")  # folded on a phone
    expect(page.locator("#area")).to_be_hidden()
    assert_accessible(page, "the catalogue at 390 px")

    page.locator("#q").press_sequentially("rehab", delay=40)
    expect(page).to_have_url(re.compile(r"[?&]q=rehab(&|$)"))
    first = page.locator("#results .card").first
    expect(first).to_contain_text("Rehabilitacja", ignore_case=True)
    assert page.evaluate("window.scrollY") == 0
    box = first.bounding_box()
    assert box["y"] + 60 <= 844, f"the first result starts at {box['y']:.0f} px, below the phone's screen"
    heading = " ".join(page.locator("#result-count").inner_text().split())
    assert re.fullmatch(r"Znaleziono \d+ usług[iy]?", heading), heading
    expect(page.locator("#status")).to_have_text(heading)  # announced

    # The facets open on demand and filter as before.
    page.locator("details.facets-toggle > summary").click()
    expect(page.locator("#area")).to_be_visible()
    page.select_option("#group", "seniors")
    expect(page).to_have_url(re.compile(r"[?&]group=seniors(&|$)"))
    # A filter is set: coming back, the facets stay open.
    page.reload()
    expect(facets).to_have_attribute("open", "")


def test_catalogue_facets_are_open_on_a_wide_screen_and_without_javascript(page, no_js_page, catalogue):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")
    expect(page.locator("#area")).to_be_visible()
    no_js_page.set_viewport_size({"width": 390, "height": 844})
    no_js_page.goto("/")
    expect(no_js_page.locator("#area")).to_be_visible()  # the disclosure works without JavaScript: open
    no_js_page.locator("details.facets-toggle > summary").click()
    expect(no_js_page.locator("#area")).to_be_hidden()
