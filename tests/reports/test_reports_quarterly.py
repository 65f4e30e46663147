"""The quarterly table: services granted and plans concluded per quarter
(the counting rules of portal/reports/counting.py), its page and exports."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.auth.models import Role
from portal.reports import counting, periods
from tests.helpers import assert_in, visible_text
from tests.plans.fixtures import frozen, make_case, people, plans  # noqa: F401
from tests.reports.conftest import local

Q = periods.year(2026).quarters()


def granted(session):
    return counting.services_granted(session, Q)


def concluded(session):
    return counting.plans_concluded(session, Q)


def test_a_plan_counts_in_the_quarter_of_its_local_signing_day_across_summer_time(app, records, services):
    from portal.extensions import db

    # 31 March 2026, 23:30 in Warsaw is 21:30 UTC (summer time since 29 March): the first quarter.
    records.plan([(local(2026, 3, 31, 23, 30), [services.club])])
    # 1 April, 00:30 in Warsaw is still 31 March in UTC: the second quarter.
    records.plan([(local(2026, 4, 1, 0, 30), [services.club, services.care])])
    # 30 September, 23:59 (summer time) stays in the third; 25 October (the clocks go back) in the fourth.
    records.plan([(local(2026, 9, 30, 23, 59), [services.care])])
    records.plan([(local(2026, 10, 25, 2, 30), [services.care])])
    # The year's edges: 31 Dec 2025, 23:30 belongs to 2025; 1 Jan 2026, 00:30 (23:30 UTC the day before) to 2026;
    # 31 Dec 2026, 23:30 to 2026, 1 Jan 2027, 00:10 to 2027.
    records.plan([(local(2025, 12, 31, 23, 30), [services.club])])
    records.plan([(local(2026, 1, 1, 0, 30), [services.transport])])
    records.plan([(local(2026, 12, 31, 23, 30), [services.transport])])
    records.plan([(local(2027, 1, 1, 0, 10), [services.transport])])
    assert granted(db.session) == [2, 2, 1, 2]
    assert concluded(db.session) == [2, 1, 1, 2]
    assert counting.plans_concluded(db.session, periods.year(2025).quarters()) == [0, 0, 0, 1]


def test_an_update_is_not_a_new_plan_and_carried_items_do_not_count_again(app, records, services):
    from portal.extensions import db

    # The original in February with two services; an update in May adds a third (and changes nothing else).
    records.plan([(local(2026, 2, 10, 12), [services.club, services.care]),
                  (local(2026, 5, 5, 12), [services.club, services.care, services.transport])])
    assert granted(db.session) == [2, 1, 0, 0]
    assert concluded(db.session) == [1, 0, 0, 0]


def test_a_service_dropped_and_brought_back_counts_again_and_a_cancelled_draft_is_skipped(app, records, services):
    from portal.extensions import db

    # v0 club (Q1); v1 drops the club for care (Q2: care); v2 brings the club back (Q3: club).
    records.plan([(local(2026, 1, 15, 9), [services.club]),
                  (local(2026, 4, 15, 9), [services.care]),
                  (local(2026, 7, 15, 9), [services.club, services.care])])
    # v0 club; v1 a draft given up (never signed) with transport; v2 with transport: compared with v0, counts once.
    records.plan([(local(2026, 1, 20, 9), [services.club]),
                  (None, [services.club, services.transport]),
                  (local(2026, 8, 20, 9), [services.club, services.transport])])
    # Two items of one service in one version: one service for one person.
    records.plan([(local(2026, 11, 2, 9), [services.care, services.care])])
    # A plan never signed counts nothing.
    records.plan([(None, [services.club])])
    assert granted(db.session) == [2, 1, 2, 1]
    assert concluded(db.session) == [2, 0, 0, 1]


def test_single_grants_on_their_local_day_and_cancelled_ones_not(app, records, services):
    from portal.extensions import db

    records.grant(services.club, local(2026, 6, 30, 23, 45))  # 21:45 UTC: the second quarter
    records.grant(services.club, local(2026, 7, 1, 0, 15))  # 30 June 22:15 UTC: the third quarter
    records.grant(services.care, local(2026, 7, 2, 10), status="cancelled")
    assert granted(db.session) == [0, 1, 1, 0]
    assert concluded(db.session) == [0, 0, 0, 0]


def test_history_counts_with_the_live_records(app, records, services):
    from portal.extensions import db

    records.plan([(local(2026, 3, 2, 10), [services.club])])
    records.grant(services.care, local(2026, 3, 3, 10))
    records.history([("service", date(2026, 3, 31), services.club, "H/1"),
                     ("service", date(2026, 4, 1), "Dawna pralnia", "H/2"),
                     ("plan", date(2026, 12, 31), None, "H/3"),
                     ("plan", date(2027, 1, 1), None, "H/4"),
                     ("service", date(2025, 12, 31), services.club, "H/5")])
    assert granted(db.session) == [3, 1, 0, 0]
    assert concluded(db.session) == [1, 0, 0, 1]


def test_through_the_plans_service_layer_an_update_counts_only_what_it_adds(app, make_case, plans, make_service):
    """The plans' own services: start_update copies the items of the signed
    version; the report counts the service the update adds, on its signing day."""
    from portal.extensions import db
    from portal.plans import services as ops

    case = make_case()
    plan = plans.active(case)  # signed on the frozen day, 12 May 2026 (second quarter)
    extra = make_service("Poradnictwo prawne", unit="visit")
    app.config["FIXED_NOW"] = local(2026, 8, 3, 9)
    update = ops.start_update(db.session, plan, actor=case.coordinator, expected_version=plan.version,
                              today=date(2026, 8, 3))
    db.session.commit()
    data = ops.version_values(update)
    data["update_reason"] = "Potrzebna porada prawna."
    added = ops.item_defaults(extra, update.valid_from, update.valid_until)
    data["items"].append({key: value for key, value in added.items() if key != "service"})
    ops.save_version(db.session, plan, data, actor=case.coordinator, expected_version=plan.version)
    db.session.commit()
    plans.submit(plan, today=date(2026, 8, 3))
    plans.approve(plan, today=date(2026, 8, 3))
    plans.sign_both(plan, number=1, today=date(2026, 8, 3))
    assert [v.signed_at is not None for v in plan.versions] == [True, True]
    assert granted(db.session) == [0, len(case.services), 1, 0]
    assert concluded(db.session) == [0, 1, 0, 0]


# --- the page and the exports --------------------------------------------------------------------


@pytest.fixture
def year_2026(app, records, services):
    records.plan([(local(2026, 2, 10, 12), [services.club, services.care]),
                  (local(2026, 5, 5, 12), [services.club, services.care, services.transport])],
                 person=records.person("Zenobia", "Tajemnicza", pesel="44051401359"))
    records.grant(services.club, local(2026, 8, 1, 10))
    records.plan([(local(2026, 11, 4, 10), [services.care])])
    records.history([("service", date(2026, 11, 30), "Dawna pralnia", "H/2"),
                     ("plan", date(2026, 12, 1), None, "H/3")])


def test_the_page_shows_the_quarters_and_the_totals(client, auth, year_2026):
    auth.login(Role.DIRECTOR)
    response = client.get("/reports/quarterly?year=2026")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert_in(text, "Raport kwartalny: 2026", "Przyznane usługi i zawarte IPUS: 2026",
              "wskaźnik I kw. II kw. III kw. IV kw. razem",
              "Przyznane usługi 2 1 1 2 6", "Zawarte IPUS 1 0 0 2 3",
              "Przyznane usługi i zawarte IPUS, 2026 (CSV)", "(XLSX)", "(PDF)")
    assert 'role="img"' in response.text and "<title id=\"quarterly-chart-title\">" in response.text
    assert "Tajemnicza" not in response.text


def test_the_csv_has_the_issue_header_and_rows(client, auth, year_2026):
    auth.login(Role.SERVICES_ORGANISER)
    response = client.get("/reports/quarterly.csv?year=2026")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="raport-kwartalny-2026.csv"' in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert body.splitlines()[0] == "wskaźnik;I kw.;II kw.;III kw.;IV kw.;razem"
    assert list(csv.reader(io.StringIO(body), delimiter=";")) == [
        ["wskaźnik", "I kw.", "II kw.", "III kw.", "IV kw.", "razem"],
        ["Przyznane usługi", "2", "1", "1", "2", "6"],
        ["Zawarte IPUS", "1", "0", "0", "2", "3"]]


def test_the_xlsx_and_the_pdf_hold_the_same_numbers(client, auth, year_2026):
    auth.login(Role.DIRECTOR)
    sheet = load_workbook(io.BytesIO(client.get("/reports/quarterly.xlsx?year=2026").data)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows(max_row=3)] == [
        ["wskaźnik", "I kw.", "II kw.", "III kw.", "IV kw.", "razem"],
        ["Przyznane usługi", 2, 1, 1, 2, 6],
        ["Zawarte IPUS", 1, 0, 0, 2, 3]]
    response = client.get("/reports/quarterly.pdf?year=2026")
    assert response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert_in(text, "Przyznane usługi i zawarte IPUS", "Okres: 2026", "Przyznane usługi 2 1 1 2 6",
              "Zawarte IPUS 1 0 0 2 3")


@pytest.mark.parametrize(("query", "message"), [
    ("year=20x6", "Podaj rok liczbą czterocyfrową, od 2000 do 2100."),
    ("year=2026&quarter=2", "Ten raport obejmuje cały rok"),
])
def test_a_bad_period_answers_422_with_the_message_at_the_field(client, auth, query, message):
    auth.login(Role.DIRECTOR)
    for url in (f"/reports/quarterly?{query}", f"/reports/quarterly.csv?{query}"):
        response = client.get(url)
        assert response.status_code == 422
        text = visible_text(response.text)
        assert_in(text, "Popraw okres raportu", message)
        assert "Pobierz raport" not in text
        assert message in response.text.split('id="period-year-error">')[1].split("</p>")[0]  # at the field
    assert 'value="20x6"' in client.get("/reports/quarterly?year=20x6").text  # the input kept


def test_the_index_links_the_report_for_the_full_roles_only(client, auth):
    auth.login(Role.DIRECTOR)
    assert "Raport kwartalny" in visible_text(client.get("/reports/").text)
    auth.logout()
    auth.login(Role.COMMUNITY_ORGANISER)
    assert "Raport kwartalny" not in visible_text(client.get("/reports/").text)
    assert client.get("/reports/quarterly").status_code == 403
