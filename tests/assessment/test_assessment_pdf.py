"""The printed assessment, read back with pypdf: the person's data from the
register, Polish diacritics, every section, signature lines, "PROJEKT" on a
draft; and the PDF helper's local-only fetcher and safe file names."""
import io

import pytest
from pypdf import PdfReader

from portal import pdf
from portal.extensions import db
from tests.assessment.conftest import COMPLETE, SENSITIVE


def text_of(data):
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def fetch_pdf(client, login, assessment, user=None):
    login(user or assessment.coordinator)
    response = client.get(f"/assessments/{assessment.id}/pdf")
    assert response.status_code == 200
    return text_of(response.data)


def flat(text):
    return " ".join(text.split())


def test_completed_assessment_prints_like_the_paper_form(client, login, completed, case):
    text, reader = fetch_pdf(client, login, completed)
    words = flat(text)
    assert "INDYWIDUALNA DIAGNOZA POTRZEB" in words
    assert f"nr {completed.number}" in words
    # The person from the register, diacritics intact.
    assert "Zdzisława Żółkiewska" in words
    assert "44051401359" in words
    assert "14.05.1944" in words  # from the PESEL
    assert "ul. Źródlana 7, 21-407 Bęczków" in words
    assert "601 234 567" in words and "zdzislawa@example.pl" in words
    # Sections and answers.
    for heading in ("I. Dane osoby", "II. Sytuacja społeczno-zawodowa", "III. Dane szczególnych kategorii",
                    "IV. Wsparcie", "V. Problemy, potrzeby i oczekiwania", "VI. Usługi, z których osoba chce",
                    "VII. Gotowość do zmiany", "VIII. Wnioski i rekomendacje"):
        assert heading in words, heading
    for answer in (COMPLETE["problems"], COMPLETE["conclusions"], SENSITIVE["health"], SENSITIVE["family"],
                   "Klub Seniora w Bęczkowie", "Pomoc sąsiedzka przy zakupach", "raz w tygodniu"):
        assert flat(answer) in words, answer
    assert "☒ wdowa / wdowiec" in words and "☐ panna / kawaler" in words
    assert "☒ umiarkowany" in words and "☒ w miejscu zamieszkania osoby" in words
    # Signature lines for the person and the coordinator, with the date of the assessment.
    assert "podpis osoby (przedstawiciela ustawowego, opiekuna faktycznego)" in words
    assert "podpis koordynatora — Ewa Łączyńska" in words
    assert "Miejscowość i data:" in words and "09.03.2026" in words
    assert "PROJEKT" not in words
    fonts = {str(font["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVu-Sans" in name for name in fonts), fonts


def test_a_draft_prints_marked_projekt(client, login, started):
    text, reader = fetch_pdf(client, login, started)
    for page in reader.pages:
        assert "PROJEKT" in page.extract_text()  # on every page
    assert "Zdzisława Żółkiewska" in flat(text)


def test_the_person_data_come_from_the_register_at_print_time(client, login, completed, people):
    from portal.residents import services as residents

    resident = completed.resident
    residents.update_resident(db.session, resident, {"address_1": "ul. Łąkowa 3"}, actor=people.desk,
                              expected_version=resident.version)
    db.session.commit()
    text, _reader = fetch_pdf(client, login, completed)
    assert "ul. Łąkowa 3" in flat(text) and "Źródlana" not in text


def test_the_address_prints_street_number_postal_code_and_town(client, login, completed, people):
    """Issue 10, section 2: a person registered with only a village printed
    "Adres: Glinne"; the printed form has the four parts, and a blank to fill
    in by hand for each part the register lacks."""
    from portal.residents import services as residents

    resident = completed.resident
    residents.update_resident(db.session, resident, {"address_1": "Bęczków 45", "postal_code": "21-407",
                                                     "city": "Wojcieszków"},
                              actor=people.desk, expected_version=resident.version)
    db.session.commit()
    text, _reader = fetch_pdf(client, login, completed)
    assert "Adres zamieszkania Bęczków 45, 21-407 Wojcieszków (sołectwo Bęczków)" in flat(text)
    residents.update_resident(db.session, resident, {"address_1": None, "postal_code": None, "city": None},
                              actor=people.desk, expected_version=resident.version)
    db.session.commit()
    text, _reader = text_of(client.get(f"/assessments/{completed.id}/pdf").data)
    assert "Adres zamieszkania …………… ……………, …………… Bęczków" in flat(text)


def test_director_prints_too(client, login, completed, people):
    text, _reader = fetch_pdf(client, login, completed, people.director)
    assert "Zdzisława Żółkiewska" in flat(text)


# --- the helper -------------------------------------------------------------------------------------

def test_render_is_deterministic_and_hashed(app):
    with app.test_request_context():
        html = "<html><body><p>Zażółć gęślą jaźń</p></body></html>"
        first, second = pdf.render_pdf(html), pdf.render_pdf(html)
    assert first == second
    assert pdf.content_hash(first) == pdf.content_hash(second)
    assert len(pdf.content_hash(first)) == 64 and int(pdf.content_hash(first), 16) >= 0
    assert "Zażółć gęślą jaźń" in text_of(first)[0]


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.png", "https://example.com/font.ttf", "ftp://x/y",
                                 "file:///etc/passwd", "file:///usr/share/fonts/../../../etc/passwd",
                                 "file://remote-host/usr/share/fonts/x.ttf"])
def test_fetcher_refuses_anything_not_local(app, url):
    with app.test_request_context():
        fetcher = pdf.local_fetcher()
        with pytest.raises(ValueError):
            fetcher(url)


def test_fetcher_serves_static_files_and_fonts(app):
    import os

    with app.test_request_context():
        fetcher = pdf.local_fetcher()
        css = os.path.join(app.static_folder, "css", "portal.css")
        assert fetcher("file://" + css).read()[:10]
        font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
        assert fetcher("file://" + font).read(4)


def test_an_external_image_is_not_fetched_but_the_document_renders(app):
    with app.test_request_context():
        data = pdf.render_pdf('<p>Tekst</p><img src="http://127.0.0.1:9/tracker.png" alt="x">')
    assert "Tekst" in text_of(data)[0]


@pytest.mark.parametrize("name,safe", [("diagnoza-12.pdf", "diagnoza-12.pdf"), ("Żółć 1", "1.pdf"),
                                       ("../../etc/passwd", "etc-passwd.pdf"), ("", "dokument.pdf"),
                                       ('a"b\r\nc', "a-b-c.pdf")])
def test_safe_filename(name, safe):
    assert pdf.safe_filename(name) == safe
