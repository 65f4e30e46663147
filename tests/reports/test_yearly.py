"""The yearly documents (portal/reports/yearly.py): the director's narrative
saved under the optimistic lock, the year's tables assembled, the PDF and
the DOCX read back, no person in any of them."""
import io

import pytest
from docx import Document
from pypdf import PdfReader

from portal.auth.models import Role
from tests.helpers import assert_in, visible_text

TITLE = "Sprawozdanie z działalności Centrum Usług Społecznych za rok 2026"
SECRETS = ("Zenobia", "Tajemnicza", "44051401359", "Ukryty", "Niewidoczna")


def _save(client, auth, version="", **texts):
    return auth.post("/reports/yearly/2026/report", {"version": version, **texts})


def test_the_director_writes_the_narrative_and_reads_the_document(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    page = visible_text(client.get("/reports/yearly/2026/report").text)
    assert_in(page, TITLE, "Wprowadzenie", "Działalność centrum w roku", "Współpraca z realizatorami",
              "Wnioski i kierunki działań na kolejny rok", "(do uzupełnienia)", "Zestawienia liczbowe",
              "Przyznane usługi i zawarte IPUS", "Klub Seniora", "Zapisz części opisowe")
    response = _save(client, auth, introduction="Centrum działa od 2024 roku.\r\n\r\nZatrudnia pięć osób.",
                     conclusions="Więcej zajęć dla seniorów.")
    assert response.status_code == 303
    page = visible_text(client.get("/reports/yearly/2026/report").text)
    assert_in(page, "Zapisano dokument.", "Centrum działa od 2024 roku.", "Zatrudnia pięć osób.",
              "Więcej zajęć dla seniorów.", "Części opisowe zapisane")
    assert page.count("(do uzupełnienia)") == 2  # the two sections left empty
    from portal.extensions import db
    from portal.reports.yearly import document_of

    stored = document_of(db.session, 2026, "report")
    assert stored.sections == {"introduction": "Centrum działa od 2024 roku.\n\nZatrudnia pięć osób.",
                               "conclusions": "Więcej zajęć dla seniorów."}


def test_a_section_too_long_comes_back_with_the_input_kept(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    response = _save(client, auth, introduction="Krótko.", activity="x" * 20_001)
    assert response.status_code == 422
    text = visible_text(response.text)
    assert_in(text, "Wpisz najwyżej 20000 znaków.")
    assert "Krótko." in response.text
    from portal.extensions import db
    from portal.reports.yearly import document_of

    assert document_of(db.session, 2026, "report") is None


def test_a_save_over_someone_elses_is_a_conflict(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    assert _save(client, auth, introduction="Pierwsza wersja.").status_code == 303
    assert _save(client, auth, version="1", introduction="Druga wersja.").status_code == 303
    stale = _save(client, auth, version="1", introduction="Spóźniona wersja.")
    assert stale.status_code == 409
    assert_in(visible_text(stale.text), "Ktoś inny zmienił ten dokument w międzyczasie", "Druga wersja.",
              "Spóźniona wersja.")
    # A page shown before the document existed cannot overwrite it either.
    assert _save(client, auth, version="", introduction="Od zera.").status_code == 409


def test_the_organiser_reads_but_does_not_write(client, auth, delivery):
    auth.login(Role.SERVICES_ORGANISER)
    page = client.get("/reports/yearly/2026/programme")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert_in(text, "Informacja o realizacji Programu usług społecznych w roku 2026", "Cele programu",
              "Realizacja programu", "Ocena i rekomendacje")
    assert "Zapisz części opisowe" not in text
    assert auth.post("/reports/yearly/2026/programme", {"version": ""}).status_code == 403


@pytest.mark.parametrize("path", ["/reports/yearly/2026/budget", "/reports/yearly/1999/report",
                                  "/reports/yearly/2999/report", "/reports/yearly/1999/report.pdf"])
def test_an_unknown_document_is_not_found(client, auth, path):
    auth.login(Role.DIRECTOR)
    assert client.get(path).status_code == 404


def test_the_pdf_and_the_docx_hold_the_narrative_and_the_tables_and_no_person(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    assert _save(client, auth, introduction="Rok pracy centrum.", cooperation="Współpraca z KGW.").status_code == 303
    pdf = client.get("/reports/yearly/2026/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    assert_in(text, TITLE, "Rok pracy centrum.", "Współpraca z KGW.", "Przyznane usługi i zawarte IPUS",
              "Klub Seniora")
    response = client.get("/reports/yearly/2026/report.docx")
    assert response.status_code == 200
    assert 'filename="sprawozdanie-2026.docx"' in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == TITLE
    assert "Rok pracy centrum." in paragraphs and "Współpraca z KGW." in paragraphs
    assert document.core_properties.title == TITLE
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Przyznane usługi" in cells and "Zawarte IPUS" in cells
    assert any(cell.startswith("Klub Seniora") for cell in cells)
    docx_text = " ".join(paragraphs + cells)
    for body in (text, docx_text, visible_text(client.get("/reports/yearly/2026/report").text)):
        assert [secret for secret in SECRETS if secret in body] == []


def test_the_list_shows_each_year_and_what_is_written(client, auth, delivery):
    auth.login(Role.DIRECTOR)
    assert _save(client, auth, introduction="Wstęp.").status_code == 303
    from portal.timeutil import local_now

    text = visible_text(client.get("/reports/yearly").text)
    this_year = local_now().year
    assert_in(text, "Dokumenty roczne", "Sprawozdanie z działalności", "Informacja o realizacji programu",
              str(this_year), str(this_year - 4), "bez części opisowych")
    assert ("części opisowe zapisane" in text) == (this_year - 4 <= 2026 <= this_year)
