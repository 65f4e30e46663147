"""Each role lands on its own start page, read as its user sees it on the
demo data: its own figures, each a link to what it counts, and no figure
from another role's area."""
import re

from sqlalchemy import func, select

from tests.demo.test_readme import signed_in

SECTION_RE = re.compile(r'<section class="start-section"[^>]*>\s*<h2[^>]*>(.*?)</h2>(.*?)</section>', re.S)
ROW_RE = re.compile(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*</tr>", re.S)
LINK_RE = re.compile(r'<a href="([^"]+)">')


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip().replace("\xa0", " ")


def start_page(client):
    """{section heading: {figure: (count, link)}} as shown."""
    html = client.get("/staff").text
    sections = {}
    for heading, body in SECTION_RE.findall(html):
        rows = {}
        for label, count in ROW_RE.findall(body):
            link = LINK_RE.search(label)
            rows[text(label)] = (int(text(count).replace(" ", "")),
                                 link.group(1).replace("&amp;", "&") if link else None)
        sections[text(heading)] = rows
    return sections


def test_every_role_lands_on_its_own_start_page(app, demo):
    from kiosk.models import Screen
    from portal.auth.models import User
    from portal.casework.desk import DeskFilters, desk
    from portal.catalogue.models import Service
    from portal.extensions import db
    from portal.plans.models import PlanVersion
    from portal.timeutil import local_now

    pages = {}
    for login in ("recepcja", "koordynator", "organizator", "animator", "dyrektor", "admin"):
        client = signed_in(app, login)
        pages[login] = start_page(client)

    assert set(pages["recepcja"]) == {"Zgłoszenia w liczbach"}
    assert pages["recepcja"]["Zgłoszenia w liczbach"]["Osoby w rejestrze"][0] == 300

    today = local_now().date()
    coordinator = db.session.scalar(select(User).filter_by(username="koordynator"))
    own = desk(db.session, filters=DeskFilters(coordinator_id=coordinator.id, own=True), today=today).counts
    assert set(pages["koordynator"]) == {"Moje sprawy", "Moje skargi i wnioski"}
    mine = pages["koordynator"]["Moje sprawy"]
    assert mine["Po terminie"] == (own.overdue, "/cases/?state=overdue")
    assert mine["Otwarte sprawy razem"][0] == own.total > 0

    everyone = desk(db.session, filters=DeskFilters(), today=today).counts
    waiting = db.session.scalar(select(func.count()).select_from(PlanVersion).where(PlanVersion.status == "submitted"))
    assert set(pages["dyrektor"]) == {"Plany do zatwierdzenia", "Terminy w sprawach", "Skargi i wnioski",
                                      "Jakość usług"}
    # The demo's checks: one with its follow-up overdue; two standards drafted.
    assert pages["dyrektor"]["Jakość usług"]["Zalecenia kontroli do sprawdzenia po terminie"] == (
        1, "/quality/checks?state=overdue")
    assert pages["dyrektor"]["Jakość usług"]["Projekty standardów do zatwierdzenia"] == (2, "/quality/standards")
    assert pages["dyrektor"]["Plany do zatwierdzenia"]["Czekają na zatwierdzenie"] == (waiting, "/plans/approvals")
    assert waiting > 0
    assert pages["dyrektor"]["Terminy w sprawach"]["Po terminie"] == (everyone.overdue, "/cases/all?state=overdue")
    assert everyone.overdue > 0

    active = db.session.scalar(select(func.count()).select_from(Service).where(Service.status == "active"))
    # The demo organiser holds the director's authorisation: the approval queue is theirs too.
    assert set(pages["organizator"]) == {"Plany do zatwierdzenia", "Stan katalogu", "Moje skargi i wnioski",
                                         "Jakość usług", "Zgłoszenia realizatorów"}
    assert pages["organizator"]["Zgłoszenia realizatorów"]["Czekają na rozpatrzenie"] == (
        2, "/manage/applications?state=waiting")
    assert pages["organizator"]["Plany do zatwierdzenia"]["Czekają na zatwierdzenie"][0] == waiting
    assert pages["organizator"]["Stan katalogu"]["Usługi działające"] == (active, "/manage/services?status=active")

    screens = db.session.scalar(select(func.count()).select_from(Screen))
    assert set(pages["animator"]) == {"Wydarzenia i komunikaty", "Ekrany informacyjne"}
    events = pages["animator"]["Wydarzenia i komunikaty"]
    assert events["Wydarzenia w najbliższych 14 dniach"][0] > 0
    assert events["Wydarzenia w najbliższych 14 dniach"][1] == "/staff/events"
    assert sum(count for count, _link in pages["animator"]["Ekrany informacyjne"].values()) == screens == 2

    assert set(pages["admin"]) == {"Konta pracowników"}
    # The six staff logins and the demo provider's `realizator`.
    assert pages["admin"]["Konta pracowników"]["Konta aktywne"][0] == 7


def test_the_login_leads_to_the_start_page(app, demo):
    client = signed_in(app, None)
    from tests.conftest import csrf_from

    page = client.get("/login")
    response = client.post("/login", data={"username": "animator", "password": "demo-cus",
                                           "csrf_token": csrf_from(page.text)})
    assert response.headers["Location"].endswith("/staff")
    assert "Wydarzenia i komunikaty" in client.get("/staff").text
