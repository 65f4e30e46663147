"""The README, read as a user would: every address it names answers on the
demo data, and its import example imports into the demo catalogue."""
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tests.conftest import FreshContextClient, csrf_from

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
DEMO_LOGINS = ("recepcja", "koordynator", "organizator", "animator", "dyrektor", "admin", "realizator")

# Full demo addresses (http://127.0.0.1:…/path) and backticked paths (`/path`).
URL_RE = re.compile(r"https?://127\.0\.0\.1:[^/\s>)`]+(/[^\s>)`]*)")
PATH_RE = re.compile(r"`(/[^`\s]*)`")


def readme_paths():
    paths = {m.group(1) for m in URL_RE.finditer(README)} | {m.group(1) for m in PATH_RE.finditer(README)}
    # A file-system path, not an address of the portal.
    return sorted(p for p in paths if not p.startswith("/usr/"))


def test_readme_demo_addresses_use_the_port_variable():
    """`make run` serves on $PORT: a fixed port in a demo address is wrong for anyone who set it."""
    fixed = re.findall(r"https?://127\.0\.0\.1:\d+/\S+", README)
    assert fixed == []
    assert "http://127.0.0.1:$PORT/kiosk/demo-ekran-hol-calodobowy" in README


def signed_in(app, login):
    app.test_client_class = FreshContextClient
    client = app.test_client()
    if login:
        page = client.get("/login")
        response = client.post("/login", data={"username": login, "password": "demo-cus",
                                               "csrf_token": csrf_from(page.text)})
        assert response.status_code == 303, login
    return client


def concrete(path):
    """The README's placeholders filled with demo records."""
    from kiosk.models import Screen
    from portal.accounts.services import issue_link
    from portal.assessment.models import Assessment
    from portal.auth.models import User
    from portal.desk.models import Request
    from portal.events.models import Event
    from portal.extensions import db
    from portal.plans.models import Plan
    from portal.timeutil import now

    if path.startswith("/set-password/"):
        user = db.session.scalar(select(User).filter_by(username="recepcja"))
        token, _link = issue_link(db.session, user, actor=None, moment=now())
        db.session.commit()
        return f"/set-password/{token}"
    if path.startswith("/assessments/<id>"):
        record = db.session.scalar(select(Assessment.id).where(Assessment.status == "completed")
                                   .order_by(Assessment.id))
    elif path.startswith("/cases/plans/<id>"):
        record = db.session.scalar(select(Plan.id).where(Plan.status == "active").order_by(Plan.id))
    elif path.startswith("/desk/requests/<id>"):
        record = db.session.scalar(select(Request.id).order_by(Request.id))
    else:
        record = None
    if record is not None:
        path = path.replace("<id>", str(record))
    if "<slug>" in path:
        path = path.replace("<slug>", db.session.scalar(
            select(Event.slug).where(Event.status == "published").order_by(Event.id)))
    path = path.replace("<target group code>", "seniors")
    path = path.replace("YYYY", str(date.today().year))
    if "<token>" in path:
        path = path.replace("<token>", db.session.scalar(select(Screen.token).order_by(Screen.id)))
    assert "<" not in path and "…" not in path, path
    return path


def test_every_address_in_the_readme_answers_on_the_demo(app, demo):
    paths = readme_paths()
    assert {"/manage/", "/staff/events", "/kiosk/demo-ekran-biuro-pn-pt"} <= set(paths)
    clients = {login: signed_in(app, login) for login in (None, *DEMO_LOGINS)}
    failures = []
    for documented in paths:
        path = concrete(documented)
        opened_by = []
        for login, client in clients.items():
            response = client.get(path)
            if response.status_code in (404, 405) or response.status_code >= 500:
                failures.append(f"{documented} ({path}) as {login or 'anonymous'}: {response.status_code}")
            final = client.get(path, follow_redirects=True)
            sent_to_login = final.request.path != path and final.request.path.startswith("/login")
            if final.status_code == 200 and not sent_to_login:
                opened_by.append(login)
        if not opened_by:
            failures.append(f"{documented} ({path}): no demo user opens it")
    assert failures == [], "\n".join(failures)


def test_manage_and_staff_with_a_slash_lead_to_the_start_page(app, demo):
    organiser = signed_in(app, "organizator")
    response = organiser.get("/manage/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/manage/services")
    staff = organiser.get("/staff/")
    assert staff.status_code == 302 and staff.headers["Location"].endswith("/staff")
    anonymous = signed_in(app, None)
    for path in ("/manage/", "/staff/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert signed_in(app, "recepcja").get("/manage/").status_code == 403


def readme_import_example():
    section = README.split("### Example (CSV, `;`)", 1)[1]
    return re.search(r"```\n(.*?)```", section, re.S).group(1)


def test_the_readme_import_example_imports_into_the_demo_catalogue(app, demo, tmp_path):
    from portal.catalogue.models import Service
    from portal.extensions import db

    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    example = readme_import_example()
    name = example.splitlines()[1].split(";")[0]
    organiser = signed_in(app, "organizator")
    page = organiser.get("/manage/import")
    preview = organiser.post("/manage/import", data={
        "csrf_token": csrf_from(page.text), "file": (io.BytesIO(example.encode("utf-8")), "uslugi.csv")},
        content_type="multipart/form-data")
    assert preview.status_code == 200, preview.text
    assert "Importuj 1 usługę" in preview.text, re.sub(r"<[^>]+>", " ", preview.text)[-3000:]
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview.text).group(1)
    done = organiser.post("/manage/import/confirm", data={
        "csrf_token": csrf_from(preview.text), "token": token, "filename": "uslugi.csv"})
    assert done.status_code == 303
    service = db.session.scalar(select(Service).filter_by(name=name))
    assert service is not None and [p.name for p in service.places]


def test_the_import_template_imports_into_the_demo_catalogue(app, demo, tmp_path):
    """The example row of the downloadable template is a service the demo does not have."""
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    organiser = signed_in(app, "organizator")
    template = organiser.get("/manage/import/template.csv").data
    page = organiser.get("/manage/import")
    preview = organiser.post("/manage/import", data={
        "csrf_token": csrf_from(page.text), "file": (io.BytesIO(template), "wzor.csv")},
        content_type="multipart/form-data")
    assert "Importuj 1 usługę" in preview.text
