"""The indicators, providers, desk and catalogue-use pages: their visible
text for typical records, the exports read back with no person's name in
them, the entry form's 422 with the input kept, and bad periods."""
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.catalogue.models import Indicator, SearchCount
from portal.extensions import db
from portal.reports.indicators_models import IndicatorValue
from tests.helpers import visible_text
from tests.reports.indicators_fixtures import NAMES, frozen, rows, warsaw  # noqa: F401

Q3 = "?year=2026&part=q3"


@pytest.fixture
def world(app, rows):
    """A club run by an association, care by the centre, a few people served,
    requests at the desk, searches, and indicators."""
    ngo = rows.make_provider(name="Stowarzyszenie Razem", slug="razem", provider_type="association")
    gmina = rows.make_provider(name="Centrum Usług Społecznych", slug="cus", provider_type="municipal_unit")
    club = rows.make_service("Klub Seniora", unit="person", provider=ngo)
    care = rows.make_service("Opieka w domu", unit="hour", provider=gmina)
    zofia, marek = rows.person("Zofia", "Wiśniewska"), rows.person("Marek", "Kowalczyk")
    rows.session(club, date(2026, 7, 7), attendees=[zofia, marek])
    rows.session(club, date(2026, 7, 14), attendees=[zofia])
    rows.entry(care, marek, date(2026, 8, 3), "3")
    participants = Indicator(service_id=club.id, name="liczba uczestników klubu", unit="osoba", target_value=25,
                             year=2026, evidence="lista obecności")
    improved = Indicator(service_id=club.id, name="liczba osób deklarujących poprawę", unit="osoba",
                         target_value=30, year=2026, evidence="ankieta uczestnika")
    db.session.add_all([participants, improved])
    rows.request(warsaw(2026, 7, 2), channel="phone", resident=zofia, services=[club])
    rows.request(warsaw(2026, 8, 20), channel="email", kind="information")
    db.session.add_all([SearchCount(day=date(2026, 7, 3), query="rehabilitacja", searches=6, misses=0, results=2),
                        SearchCount(day=date(2026, 7, 3), query="basen", searches=3, misses=3, results=0)])
    db.session.commit()
    return {"club": club, "care": care, "participants": participants, "improved": improved}


def _text(response):
    return " ".join(visible_text(response.text).split())


def test_indicators_page_shows_values_against_targets(auth, client, world):
    auth.login("director")
    response = client.get("/reports/indicators" + Q3)
    assert response.status_code == 200
    text = _text(response)
    assert "Wskaźniki: III kw. 2026" in text
    assert "Klub Seniora: liczba uczestników klubu (osoba) 25 2 8" in text
    assert "Klub Seniora: liczba osób deklarujących poprawę (osoba) 30 — —" in text
    assert "Nowi użytkownicy usług" in text and "Nowe usługi w katalogu" in text
    assert "uczestnicy — liczy portal" in text
    assert "wymagany: ankieta uczestnika — nie wpisano wartości" in text
    assert 'role="img"' in response.text  # the chart


def test_entering_a_value_with_its_evidence(auth, client, world):
    auth.login("services_organiser")
    improved = world["improved"]
    url = f"/reports/indicators/{improved.id}/value{Q3}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Wartość wskaźnika: III kw. 2026" in _text(page)
    assert 'value="ankieta uczestnika"' in page.text  # the catalogue's evidence offered
    bad = auth.post(url, {"measure": "entered", "value": "dużo", "evidence": "ankiety, teczka 3"})
    assert bad.status_code == 422
    assert "Podaj liczbę, np. 12 albo 12,5." in _text(bad)
    assert 'value="dużo"' in bad.text and 'value="ankiety, teczka 3"' in bad.text
    missing = auth.post(url, {"measure": "entered", "value": "31", "evidence": ""})
    assert missing.status_code == 422
    assert "Podaj dokument potwierdzający wartość." in _text(missing)
    assert 'value="31"' in missing.text
    done = auth.post(url, {"measure": "entered", "value": "31", "evidence": "ankiety, teczka 3"})
    assert done.status_code == 303
    stored = db.session.query(IndicatorValue).one()
    assert (stored.value, stored.evidence, stored.period_start) == (Decimal(31), "ankiety, teczka 3",
                                                                     date(2026, 7, 1))
    text = _text(client.get("/reports/indicators" + Q3))
    assert "Klub Seniora: liczba osób deklarujących poprawę (osoba) 30 31 103" in text
    assert "ankiety, teczka 3" in text


def test_a_bad_period_answers_422_with_its_message(auth, client, world):
    auth.login("director")
    for url in ("/reports/indicators?year=20x6", "/reports/providers.csv?year=2026&quarter=7",
                f"/reports/indicators/{world['improved'].id}/value?year=abc"):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "Podaj rok liczbą czterocyfrową" in _text(response) or "Wybierz kwartał" in _text(response)


def test_providers_page(auth, client, world):
    auth.login("services_organiser")
    text = _text(client.get("/reports/providers" + Q3))
    assert "Usługi realizowane w okresie 1 1 2 50,0 30,0" in text
    assert "Osoby, którym udzielono usług 2 1 2 100,0 30,0" in text  # Marek by both
    assert "Stowarzyszenie tak 1 0 2 3,0" in text


def test_desk_page(auth, client, world):
    auth.login("director")
    text = _text(client.get("/reports/desk" + Q3))
    assert "Zgłoszenia według kanału, rodzaju i miesiąca" in text
    assert "lipiec 2026 0 1 0 0 0 0 1 1" in text
    assert "sierpień 2026 0 0 1 0 0 1 0 1" in text
    assert "Plany sporządzone w okresie 0" in text


def test_catalogue_use_page_for_the_community_organiser(auth, client, world):
    auth.login("community_organiser")
    response = client.get("/reports/catalogue-use" + Q3)
    assert response.status_code == 200
    text = _text(response)
    assert "rehabilitacja 6 0" in text and "basen 3 3" in text
    assert "„basen” — 3 wyszukiwania bez wyniku" in text
    assert "Portal nie liczy wyświetleń stron usług" in text
    assert "Klub Seniora 1" in text


@pytest.mark.parametrize("report", ["indicators", "providers", "desk", "catalogue-use"])
def test_exports_read_back_and_name_nobody(auth, client, world, report):
    auth.login("director")
    csv_file = client.get(f"/reports/{report}.csv{Q3}")
    assert csv_file.status_code == 200
    lines = list(csv.reader(io.StringIO(csv_file.data.decode("utf-8")), delimiter=";"))
    assert len(lines) > 1
    sheet = load_workbook(io.BytesIO(client.get(f"/reports/{report}.xlsx{Q3}").data)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells[0] == lines[0][0]
    pdf = client.get(f"/reports/{report}.pdf{Q3}")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026" in text
    everything = " ".join([csv_file.data.decode("utf-8"), " ".join(cells), text])
    for name in NAMES:
        assert name not in everything


def test_exports_hold_the_figures(auth, client, world):
    auth.login("director")
    lines = list(csv.reader(io.StringIO(client.get("/reports/indicators.csv" + Q3).data.decode("utf-8")),
                            delimiter=";"))
    assert lines[0] == ["wskaźnik usługi lub centrum", "wartość docelowa", "wartość osiągnięta", "% wartości docelowej",
                        "średnia ocena (1–5)"]
    assert ["Klub Seniora: liczba uczestników klubu (osoba)", "25", "2", "8", ""] in lines
    sheet = load_workbook(io.BytesIO(client.get("/reports/providers.xlsx" + Q3).data)).active
    assert [c.value for c in sheet[2]][:4] == ["Usługi realizowane w okresie", 1, 1, 2]


def test_a_centre_target_for_the_year(auth, client, world):
    auth.login("director")
    url = "/reports/indicators/centre/new_users/target?year=2026"
    page = client.get(url)
    assert page.status_code == 200
    assert "Nowi użytkownicy usług: wartość docelowa na rok 2026" in _text(page)
    bad = auth.post(url, {"target": "dwadzieścia"})
    assert bad.status_code == 422
    assert "Podaj liczbę całkowitą." in _text(bad) and 'value="dwadzieścia"' in bad.text
    too_many = auth.post("/reports/indicators/centre/satisfaction/target?year=2026", {"target": "7"})
    assert too_many.status_code == 422
    assert "Podaj wartość docelową od 0 do 5." in _text(too_many) and 'value="7"' in too_many.text
    assert auth.post(url, {"target": "40"}).status_code == 303
    text = _text(client.get("/reports/indicators" + Q3))
    # Two people were served for the first time in Q3: neither had a plan or a grant, so 0 of 40.
    assert "Nowi użytkownicy usług 40 0 0" in text
    assert "Nowi użytkownicy usług: 40" in text
    assert client.get("/reports/indicators/centre/nobody/target?year=2026").status_code == 404
    assert auth.post(url, {"target": ""}).status_code == 303  # cleared
    assert "Nowi użytkownicy usług: nie ustalono" in _text(client.get("/reports/indicators" + Q3))


def test_the_reports_index_lists_what_each_role_reaches(auth, client, world):
    auth.login("community_organiser")
    text = _text(client.get("/reports/"))
    assert "Korzystanie z katalogu" in text and "Wskaźniki" not in text and "Realizatorzy usług" not in text
    assert "Dokumenty roczne" not in text
    assert client.get("/reports/indicators" + Q3).status_code == 403
    auth.logout()
    auth.login("director")
    text = _text(client.get("/reports/"))
    for title in ("Wskaźniki", "Realizatorzy usług", "Zgłoszenia i terminy", "Korzystanie z katalogu",
                  "Dokumenty roczne", "Sprawozdanie z działalności i informacja o realizacji programu"):
        assert title in text


def test_the_evidence_scan_is_checked_stored_and_served(app, auth, client, world, tmp_path):
    from tests.helpers import png

    app.config["INDICATOR_EVIDENCE_DIR"] = str(tmp_path / "evidence")
    auth.login("services_organiser")
    url = f"/reports/indicators/{world['improved'].id}/value{Q3}"
    fields = {"measure": "entered", "value": "31", "evidence": "ankiety, teczka 3"}
    junk = auth.post(url, {**fields, "evidence_scan": (io.BytesIO(b"to nie jest skan"), "skan.txt")},
                     content_type="multipart/form-data")
    assert junk.status_code == 422
    assert "To nie jest skan: dołącz plik PDF albo zdjęcie (JPEG, PNG, TIFF)." in _text(junk)
    assert 'value="31"' in junk.text and 'value="ankiety, teczka 3"' in junk.text
    assert db.session.query(IndicatorValue).count() == 0
    computed = auth.post(f"/reports/indicators/{world['participants'].id}/value{Q3}",
                         {"measure": "participants", "evidence_scan": (io.BytesIO(png()), "skan.png")},
                         content_type="multipart/form-data")
    assert computed.status_code == 422
    assert "Skan dołącza się tylko do wartości wpisywanej." in _text(computed)
    assert not (tmp_path / "evidence").exists() or not list((tmp_path / "evidence").iterdir())
    done = auth.post(url, {**fields, "evidence_scan": (io.BytesIO(png()), "skan.png")},
                     content_type="multipart/form-data")
    assert done.status_code == 303
    stored = db.session.query(IndicatorValue).one()
    assert stored.evidence_type == "image/png" and len(list((tmp_path / "evidence").iterdir())) == 1
    page = client.get("/reports/indicators" + Q3)
    assert "skan dokumentu" in _text(page)
    served = client.get(f"/reports/indicators/values/{stored.id}/evidence")
    assert served.status_code == 200 and served.data.startswith(b"\x89PNG")
    assert served.headers["Cache-Control"] == "no-store"
    # A new scan replaces the old one, whose file goes.
    assert auth.post(url, {**fields, "evidence_scan": (io.BytesIO(png(colour="black")), "nowy.png")},
                     content_type="multipart/form-data").status_code == 303
    assert len(list((tmp_path / "evidence").iterdir())) == 1
    auth.logout()
    auth.login("community_organiser")
    assert client.get(f"/reports/indicators/values/{stored.id}/evidence").status_code == 403
