"""The reports per service (figures per service in a period) and the monthly
matrix: their rules, pages and exports."""
import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from portal.auth.models import Role
from portal.reports import periods, services_report
from tests.helpers import assert_in, visible_text

YEAR = periods.year(2026)


def test_figures_per_service(app, delivery):
    from portal.extensions import db

    rows = {row.name: row for row in services_report.per_service(db.session, YEAR)}
    assert list(rows) == ["Dawna pralnia", "Klub Seniora", "Łatwy transport", "Opieka w domu"]  # Polish order
    club, care, transport, lost = (rows["Klub Seniora"], rows["Opieka w domu"], rows["Łatwy transport"],
                                   rows["Dawna pralnia"])
    assert (club.granted, club.people, club.units, club.sessions, club.hours) == (1, 2, 3, 2, 6)
    assert (club.improved, club.answers, round(club.satisfaction, 2)) == (1, 3, 4.17)
    # care: anna (plan), bogdan (plan), celina (grant) + one case reference from the history
    assert (care.granted, care.people, care.sessions, care.improved, care.answers) == (4, 3, 0, 1, 0)
    assert care.units == care.hours == Decimal("7.5")  # 5.5 h of entries, 2 h of consultations
    assert (transport.granted, transport.people, transport.units, transport.hours) == (0, 1, 2, Decimal("0.75"))
    assert (lost.granted, lost.people, lost.unit) == (1, 0, None)


def test_delivered_figures_are_those_of_the_delivery_register(app, delivery):
    """The grouped statements give, service by service, what delivery.figures.usage gives."""
    from portal.delivery.figures import usage
    from portal.extensions import db

    grouped = services_report.delivered(db.session, YEAR.start, YEAR.end)
    for service in (delivery.club, delivery.care, delivery.transport):
        one = usage(db.session, service, YEAR.start, YEAR.end, date(2026, 12, 31))
        mine = grouped[service.id]
        assert (mine.sessions, mine.hours, mine.units, mine.people) == (
            one.sessions_held, one.hours, one.units, one.participants), service.name


def test_the_matrix_counts_sessions_and_deliveries_per_month(app, delivery):
    from portal.extensions import db

    counts, months = services_report.ran_by_month(db.session, YEAR)
    assert len(months) == 12
    assert counts[delivery.club.id] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]
    assert counts[delivery.care.id] == [2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert counts[delivery.transport.id] == [0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    second = periods.quarter(2026, 1)
    counts, months = services_report.ran_by_month(db.session, second)
    with app.test_request_context():
        assert [m.label for m in months] == ["styczeń 2026", "luty 2026", "marzec 2026"]
    assert counts[delivery.care.id] == [2, 3, 0]


def test_the_services_page_and_its_exports(client, auth, delivery):
    auth.login(Role.SERVICES_ORGANISER)
    response = client.get("/reports/services?year=2026")
    assert response.status_code == 200
    text = visible_text(response.text)
    assert_in(text, "Usługi w okresie: 2026", "Klub Seniora (spotkanie) 1 2 3,00 2 6,0 1 3 4,17",
              "Opieka w domu (godzina) 4 3 7,50 0 7,5 1 0 —",
              "Łatwy transport (przejazd) 0 1 2,00 0 0,8 0 0 —", "Dawna pralnia 1 0 0,00 0 0,0 0 0 —")
    assert text.index("Dawna pralnia") < text.index("Klub Seniora") < text.index("Łatwy") < text.index("Opieka")
    lines = list(csv.reader(io.StringIO(client.get("/reports/services.csv?year=2026").data.decode()), delimiter=";"))
    assert lines[0][:3] == ["usługa (jednostka)", "Osoby, którym przyznano usługę", "Osoby korzystające"]
    assert ["Klub Seniora (spotkanie)", "1", "2", "3,00", "2", "6,0", "1", "3", "4,17"] in lines
    sheet = load_workbook(io.BytesIO(client.get("/reports/services.xlsx?year=2026").data)).active
    assert [c.value for c in sheet[3]] == ["Klub Seniora (spotkanie)", 1, 2, 3.0, 2, 6.0, 1, 3, 4.17]
    pdf = PdfReader(io.BytesIO(client.get("/reports/services.pdf?year=2026").data))
    assert_in(" ".join(page.extract_text() for page in pdf.pages), "Usługi w okresie", "Klub Seniora")
    quarter = visible_text(client.get("/reports/services?year=2026&part=q1").text)
    assert_in(quarter, "Usługi w okresie: I kw. 2026", "Opieka w domu (godzina) 4 3 7,50")


def test_the_matrix_page_and_its_exports(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    text = visible_text(client.get("/reports/matrix?year=2026").text)
    assert_in(text, "Usługi w miesiącach: 2026", "usługa styczeń luty marzec",
              "Klub Seniora 0 0 1 0 0 0 0 0 0 1 0 0 2", "Opieka w domu 2 3 0 0 0 0 0 0 0 0 0 0 5",
              "razem 2 3 1 0 0 0 2 0 0 1 0 0 9")
    lines = list(csv.reader(io.StringIO(client.get("/reports/matrix.csv?year=2026").data.decode()), delimiter=";"))
    assert lines[0] == ["usługa", "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień",
                        "wrzesień", "październik", "listopad", "grudzień", "razem"]
    assert lines[-1] == ["razem", "2", "3", "1", "0", "0", "0", "2", "0", "0", "1", "0", "0", "9"]
    sheet = load_workbook(io.BytesIO(client.get("/reports/matrix.xlsx?year=2026").data)).active
    assert [c.value for c in sheet[2]][:4] == ["Klub Seniora", 0, 0, 1]
    pdf = PdfReader(io.BytesIO(client.get("/reports/matrix.pdf?year=2026").data))
    assert "Usługi w miesiącach" in pdf.pages[0].extract_text()
    response = client.get("/reports/matrix?year=2026&month=3")
    assert response.status_code == 422
    assert "Ten raport obejmuje cały rok" in visible_text(response.text)


def test_no_report_or_export_names_a_person(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    for report in ("quarterly", "services", "matrix"):
        for suffix in ("", ".csv", ".xlsx", ".pdf"):
            body = client.get(f"/reports/{report}{suffix}?year=2026").data
            if suffix == ".pdf":
                body = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).encode()
            elif suffix == ".xlsx":
                sheet = load_workbook(io.BytesIO(body)).active
                body = " ".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
            for secret in ("Tajemnicza", "Ukryty", "Niewidoczna", "44051401359", "H/1", "H/2"):
                assert secret.encode() not in body, (report, suffix, secret)


def test_a_bad_part_of_the_year_is_refused_at_the_select(client, auth):
    auth.login(Role.DIRECTOR)
    response = client.get("/reports/services?year=2026&quarter=9")
    assert response.status_code == 422
    assert "Wybierz kwartał: od 1 do 4." in response.text.split('id="period-part-error">')[1]
    assert 'aria-describedby="period-part-error"' in response.text
    response = client.get("/reports/services?from=1.02.2026&to=jutro")
    assert response.status_code == 422
    assert "Podaj datę w formacie DD.MM.RRRR." in response.text.split('id="period-to-error">')[1]
    assert 'value="jutro"' in response.text


def test_an_empty_year_says_so(client, auth):
    auth.login(Role.DIRECTOR)
    text = visible_text(client.get("/reports/services?year=2030").text)
    assert "W tym okresie żadna usługa nie była przyznana ani realizowana." in text
    assert "Pobierz raport" in text


def test_delivered_figures_are_kept_until_the_delivery_register_changes(app, delivery, records):
    """With REPORTS_CACHE on, the figures are read again only when the
    delivery data version moves (every delivery service moves it)."""
    from portal.core import versions
    from portal.delivery.models import DeliveryEntry
    from portal.extensions import db

    app.config["REPORTS_CACHE"] = True
    versions.bump(db.session, versions.DELIVERY)
    db.session.commit()
    first = services_report.delivered(db.session, YEAR.start, YEAR.end)
    assert first[delivery.care.id].units == Decimal("7.5")
    first[delivery.care.id].units = Decimal(0)  # a caller's change does not reach what is kept
    late = records.person("Edward", "Spóźniony")
    db.session.add(DeliveryEntry(service_id=delivery.care.id, resident_id=late.id,
                                 provider_id=delivery.care.provider_id, delivered_on=date(2026, 6, 1),
                                 quantity=Decimal(1), unit="hour"))
    db.session.commit()  # written past the services: the version did not move
    kept = services_report.delivered(db.session, YEAR.start, YEAR.end)[delivery.care.id]
    assert (kept.units, kept.people) == (Decimal("7.5"), 3)
    # The matrix, read for the first time now, has it.
    assert services_report.ran_by_month(db.session, YEAR)[0][delivery.care.id][5] == 1
    versions.bump(db.session, versions.DELIVERY)
    db.session.commit()
    fresh = services_report.delivered(db.session, YEAR.start, YEAR.end)[delivery.care.id]
    assert (fresh.units, fresh.people) == (Decimal("8.5"), 4)
    app.config["REPORTS_CACHE"] = False
    assert services_report.delivered(db.session, YEAR.start, YEAR.end)[delivery.care.id].units == Decimal("8.5")
