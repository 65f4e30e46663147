"""Import of services from CSV and XLSX: preview, all-or-nothing confirm, hostile files."""
import io
import re
from datetime import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.helpers import assert_in, visible_text

HEADER = ["nazwa", "realizator", "opis", "dziedziny", "grupy", "miejsca", "w_domu_klienta", "jednostka",
          "odplatnosc", "wiek_od", "wiek_do", "tylko_mieszkancy", "orzeczenie", "warunki", "harmonogram",
          "telefon", "email", "limit_miejsc", "status"]

ROWS = [
    ["Klub Seniora w Bęczkowie", "Centrum Usług Społecznych", "Spotkania seniorów.", "Pomoc społeczna|culture",
     "Seniorzy", "Bęczków", "nie", "spotkanie", "", "60", "", "tak", "nie", "Zgłoszenie w CUS.",
     "wt 10:00-12:00; czw 16:00-18:00", "25 753 10 01", "klub@cus.pl", "25", "działa"],
    ["Rehabilitacja domowa", "Centrum Usług Społecznych", "Fizjoterapeuta w domu.", "health",
     "Osoby z niepełnosprawnościami|seniors", "", "tak", "godz.", "12,50", "18", "99", "tak", "tak", "",
     "pn-pt 8:00-15:00", "", "", "", "zawieszona"],
    ["Świetlica socjoterapeutyczna", "Centrum Usług Społecznych", "", "", "dzieci i młodzież",
     "Szkoła Podstawowa w Wojcieszkowie", "nie", "", "0", "7", "15", "", "", "", "śr. 14.00–16.30", "", "", "", ""],
]


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path):
    """Uploads go to the test's own folder (the app's settings are restored
    before the next test)."""
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    app.config["IMPORT_MAX_ROWS"] = 50
    return app.config["IMPORT_DIR"]


@pytest.fixture
def catalogue(app, make_provider, make_village):
    from portal.catalogue.models import Place
    from portal.extensions import db

    provider = make_provider(name="Centrum Usług Społecznych", slug="cus", provider_type="municipal_unit")
    make_village("Bęczków")
    db.session.add(Place(name="Szkoła Podstawowa w Wojcieszkowie"))
    db.session.commit()
    return provider


def csv_bytes(rows, header=HEADER, delimiter=";"):
    lines = [delimiter.join(header)]
    for row in rows:
        cells = [f'"{c}"' if (delimiter in c or '"' in c) else c for c in row]
        lines.append(delimiter.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        # Numbers as numbers, as a spreadsheet would keep them.
        sheet.append([int(c) if c.isdigit() else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(auth, content, filename="uslugi.csv"):
    return auth.post("/manage/import", {"file": (io.BytesIO(content), filename)},
                     content_type="multipart/form-data")


def token_of(page):
    match = re.search(r'name="token" type="hidden" value="([^"]+)"|name="token" value="([^"]+)"', page)
    if match is None:
        match = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', page)
        return match and match.group(1)
    return match.group(1) or match.group(2)


def confirm(auth, token):
    return auth.post("/manage/import/confirm", {"token": token, "filename": "uslugi.csv"})


def _services():
    from portal.catalogue.models import Service
    from portal.extensions import db

    db.session.expire_all()
    return {s.name: s for s in db.session.scalars(select(Service))}


def _files(folder):
    import os

    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_valid_csv_imports_every_row(auth, organiser, catalogue, import_dir):
    from portal.core import versions
    from portal.extensions import db

    preview = upload(auth, csv_bytes(ROWS))
    assert preview.status_code == 200, preview.text[:3000]
    assert "Plik nie zawiera błędów" in preview.text
    assert "Importuj 3 usługi" in preview.text or "Importuj 3" in preview.text
    token = token_of(preview.text)
    assert token and len(_files(import_dir)) == 1
    assert _services() == {}  # nothing written before the confirmation

    version = versions.current(db.session, versions.CATALOGUE)
    response = confirm(auth, token)
    assert response.status_code == 303, response.text[:3000]
    assert _files(import_dir) == []
    services = _services()
    assert set(services) == {row[0] for row in ROWS}
    assert versions.current(db.session, versions.CATALOGUE) > version

    club = services["Klub Seniora w Bęczkowie"]
    assert [a.code for a in club.areas] == ["social_assistance", "culture"]
    assert [g.code for g in club.target_groups] == ["seniors"]
    assert [p.name for p in club.places] == ["Bęczków"] and club.places[0].village.name == "Bęczków"
    assert [(r.weekday, r.opens, r.closes) for r in club.schedule_rules] == [(1, time(10), time(12)),
                                                                            (3, time(16), time(18))]
    assert club.is_free and club.minimum_age == 60 and club.residents_only
    assert club.phone == "+48257531001" and club.capacity_maximum == 25 and club.status == "active"
    assert club.created_by_id == organiser.id

    home = services["Rehabilitacja domowa"]
    assert home.at_client_home and home.unit == "hour" and home.fee_amount == Decimal("12.50")
    assert home.status == "suspended" and home.requires_disability_certificate
    assert sorted(r.weekday for r in home.schedule_rules) == [0, 1, 2, 3, 4]
    assert [g.code for g in home.target_groups] == ["seniors", "disabled"]

    club_room = services["Świetlica socjoterapeutyczna"]
    assert club_room.fee_amount is None and club_room.unit == "meeting"
    assert [(r.weekday, r.opens, r.closes) for r in club_room.schedule_rules] == [(2, time(14), time(16, 30))]
    assert [p.name for p in club_room.places] == ["Szkoła Podstawowa w Wojcieszkowie"]

    from portal.audit.models import AuditEvent

    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "service")).all()
    assert sorted(e.action for e in events) == ["create", "create", "create", "import"]
    assert all(e.actor_id == organiser.id for e in events)
    assert {e.reason for e in events if e.action == "create"} == {"import"}
    # Public at once, suspended with its badge.
    assert "Rehabilitacja domowa" in auth.client.get("/services?q=rehabilitacja").text


def test_comma_delimited_csv_with_bom(auth, organiser, catalogue):
    content = "\ufeff".encode() + csv_bytes(ROWS, delimiter=",")
    preview = upload(auth, content)
    assert preview.status_code == 200, preview.text[:3000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    assert len(_services()) == 3


def test_valid_xlsx_imports_every_row(auth, organiser, catalogue):
    preview = upload(auth, xlsx_bytes(ROWS), "uslugi.xlsx")
    assert preview.status_code == 200, preview.text[:3000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    services = _services()
    assert set(services) == {row[0] for row in ROWS}
    assert services["Klub Seniora w Bęczkowie"].minimum_age == 60
    assert services["Klub Seniora w Bęczkowie"].capacity_maximum == 25


def test_one_bad_row_imports_nothing_and_names_row_and_column(auth, organiser, catalogue, import_dir):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index("wiek_od")] = "60"
    rows[1][HEADER.index("wiek_do")] = "18"
    preview = upload(auth, csv_bytes(rows))
    assert preview.status_code == 422
    assert "Wiersz 3, kolumna „wiek_do”: wiek do musi być ≥ wiek od" in preview.text
    assert "/manage/import/confirm" not in preview.text  # no confirm button
    assert token_of(preview.text) is None
    assert _files(import_dir) == []
    assert _services() == {}


def test_confirm_of_a_file_with_errors_is_refused(auth, organiser, catalogue, import_dir):
    """Even a hand-made POST cannot import a file that does not check out."""
    import os
    import secrets

    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("harmonogram")] = "poniedziałki rano"
    os.makedirs(import_dir, exist_ok=True)
    token = secrets.token_urlsafe(32)
    with open(os.path.join(import_dir, f"{token}.csv"), "wb") as handle:
        handle.write(csv_bytes(rows))
    response = confirm(auth, token)
    assert response.status_code == 422
    assert "Wiersz 2, kolumna „harmonogram”" in response.text
    assert _services() == {}
    assert _files(import_dir) == []


def test_many_kinds_of_cell_errors(auth, organiser, catalogue):
    row = ["", "Nieznany Realizator", "", "kosmonautyka", "smoki", "Atlantyda", "może", "beczka", "-5", "abc",
           "200", "chyba", "", "", "pn 12:00-10:00", "123", "zły@", "-1", "zamknięta"]
    duplicate = list(ROWS[0])
    preview = upload(auth, csv_bytes([duplicate, row, duplicate]))
    assert preview.status_code == 422
    page = preview.text
    for column in ("nazwa", "realizator", "dziedziny", "grupy", "miejsca", "w_domu_klienta", "jednostka",
                   "odplatnosc", "wiek_od", "wiek_do", "tylko_mieszkancy", "harmonogram", "telefon", "email",
                   "limit_miejsc", "status"):
        assert f"Wiersz 3, kolumna „{column}”" in page, column
    assert "Wiersz 4, kolumna „nazwa”: ta sama nazwa jest już w wierszu 2" in page


def test_name_already_in_the_catalogue_is_an_error(auth, organiser, catalogue, make_service):
    make_service("Klub seniora w Beczkowie", provider=catalogue, status="archived")
    preview = upload(auth, csv_bytes(ROWS[:1]))
    assert preview.status_code == 422
    assert "Wiersz 2, kolumna „nazwa”: usługa o tej nazwie jest już w katalogu" in preview.text


def test_new_provider_is_created_when_its_type_is_given(auth, organiser, catalogue):
    header = ["nazwa", "realizator", "typ_realizatora"]
    rows = [["Grupa wsparcia AA", "Stowarzyszenie Trzeźwość", "stowarzyszenie"],
            ["Klub Abstynenta", "Stowarzyszenie Trzeźwość", "association"]]
    preview = upload(auth, csv_bytes(rows, header=header))
    assert preview.status_code == 200, preview.text[:3000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    services = _services()
    assert services["Grupa wsparcia AA"].provider is services["Klub Abstynenta"].provider
    assert services["Grupa wsparcia AA"].provider.provider_type == "association"
    # Without the type, an unknown provider is an error.
    preview = upload(auth, csv_bytes([["Klub Nowy", "Fundacja Nieznana"]], header=["nazwa", "realizator"]))
    assert preview.status_code == 422 and "typ_realizatora" in preview.text


def test_a_failure_while_writing_leaves_nothing_behind(auth, organiser, catalogue, monkeypatch, import_dir):
    from sqlalchemy.exc import OperationalError

    from portal.manage import importer

    real = importer.create_service
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OperationalError("INSERT", {}, Exception("disk full"))
        return real(*args, **kwargs)

    preview = upload(auth, csv_bytes(ROWS))
    token = token_of(preview.text)
    monkeypatch.setattr(importer, "create_service", failing)
    response = confirm(auth, token)
    assert response.status_code == 422
    assert "nic nie zapisano" in response.text
    assert _services() == {}
    from portal.catalogue.models import Place, Provider
    from portal.extensions import db

    assert db.session.scalar(select(func.count()).select_from(Provider)) == 1
    assert db.session.scalar(select(func.count()).select_from(Place)) == 1  # no village place left over
    # The file is kept for a retry, which then succeeds.
    monkeypatch.setattr(importer, "create_service", real)
    assert confirm(auth, token).status_code == 303
    assert len(_services()) == 3


def test_confirming_twice_imports_once(auth, organiser, catalogue):
    token = token_of(upload(auth, csv_bytes(ROWS)).text)
    assert confirm(auth, token).status_code == 303
    second = confirm(auth, token)
    assert second.status_code == 400 and "Wgraj go ponownie" in second.text
    assert len(_services()) == 3


@pytest.mark.parametrize("token", [
    "../../../etc/passwd",
    "..%2F..%2Fportal",
    "/etc/passwd",
    "a" * 20,
    "abc/../" + "a" * 40,
    "",
    "a" * 43 + "\x00",
])
def test_token_that_is_not_ours_is_refused(auth, organiser, catalogue, token, import_dir, tmp_path):
    victim = tmp_path / "victim.csv"
    victim.write_bytes(csv_bytes(ROWS))
    response = auth.post("/manage/import/confirm", {"token": token})
    assert response.status_code == 400
    assert "Nieprawidłowy identyfikator pliku" in response.text or "Wgraj go ponownie" in response.text
    assert victim.exists()
    assert _services() == {}


def test_path_traversal_to_an_existing_file_is_refused(auth, organiser, catalogue, import_dir, tmp_path):
    import os

    os.makedirs(import_dir, exist_ok=True)
    outside = tmp_path / "outside.csv"
    outside.write_bytes(csv_bytes(ROWS))
    response = auth.post("/manage/import/confirm", {"token": "../outside"})
    assert response.status_code == 400 and "Nieprawidłowy identyfikator pliku" in response.text
    assert outside.exists() and _services() == {}


@pytest.mark.parametrize("content,filename,message", [
    (bytes(range(256)) * 10, "uslugi.csv", "Plik nie jest plikiem tekstowym CSV."),
    ("nazwa;realizator\nKlub;CUS\n".encode("cp1250") + "Łóżko;CUS\n".encode("cp1250"), "uslugi.csv",
     "Plik CSV musi być zapisany w kodowaniu UTF-8."),
    (b"PK\x03\x04garbage", "uslugi.csv", "To jest archiwum"),
    (b"not a zip at all", "uslugi.xlsx", "Plik nie jest skoroszytem XLSX"),
    (b"PK\x03\x04garbage", "uslugi.xlsx", "Plik XLSX jest uszkodzony."),
    (b"MZ\x90\x00", "program.exe", "Obsługiwane są pliki CSV i XLSX."),
    (b"", "pusty.csv", "Plik jest pusty."),
    (b"a" * (2 * 1024 * 1024 + 1), "duzy.csv", "Plik jest za duży"),
])
def test_garbage_files_are_refused_cleanly(auth, organiser, catalogue, content, filename, message, import_dir):
    response = upload(auth, content, filename)
    assert response.status_code == 422
    assert message in response.text
    assert _files(import_dir) == []


def test_zip_that_is_not_a_workbook_is_refused(auth, organiser, catalogue):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = upload(auth, buffer.getvalue(), "uslugi.xlsx")
    assert response.status_code == 422 and "Plik nie jest skoroszytem XLSX." in response.text


def test_file_level_problems(auth, organiser, catalogue):
    response = upload(auth, csv_bytes([["Klub", "CUS", "x"]], header=["nazwa", "realizator", "kolor"]))
    assert response.status_code == 422 and "Nieznana kolumna „kolor”." in response.text
    response = upload(auth, csv_bytes([["Klub"]], header=["nazwa"]))
    assert "Brakuje wymaganej kolumny „realizator”." in response.text
    response = upload(auth, csv_bytes([], header=["nazwa", "realizator"]))
    assert "Plik nie zawiera żadnego wiersza z usługą." in response.text
    too_many = [[f"Usługa {i}", "Centrum Usług Społecznych"] for i in range(51)]
    response = upload(auth, csv_bytes(too_many, header=["nazwa", "realizator"]))
    assert response.status_code == 422 and "Plik ma za dużo wierszy (najwyżej 50)." in response.text
    response = upload(auth, csv_bytes([["Klub", "CUS"]], header=["Nazwa", "Realizator"]).replace(b"Klub", b'"Klub'))
    assert response.status_code == 422
    response = auth.post("/manage/import", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Wybierz plik CSV lub XLSX." in response.text


def test_headers_are_matched_without_case_or_diacritics(auth, organiser, catalogue):
    header = ["Nazwa", "REALIZATOR", "Odpłatność", "Wiek od"]
    preview = upload(auth, csv_bytes([["Klub Brydżowy", "Centrum Usług Społecznych", "3,50", "50"]], header=header))
    assert preview.status_code == 200, preview.text[:2000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    service = _services()["Klub Brydżowy"]
    assert service.fee_amount == Decimal("3.50") and service.minimum_age == 50


def test_template_download_is_a_valid_import(auth, organiser, catalogue):
    template = auth.client.get("/manage/import/template.csv")
    assert template.status_code == 200
    assert template.headers["Content-Type"].startswith("text/csv")
    assert template.data.startswith("\ufeff".encode())
    preview = upload(auth, template.data)
    # The example's provider is the demo centre; here it is unknown, the rest parses.
    errors = re.findall(r"Wiersz 2, kolumna „([a-z_]+)”", preview.text)
    assert errors == ["realizator"]


def test_stale_uploads_are_cleaned(import_dir, app):
    import os
    import secrets
    import time as clock

    from portal.manage import importer

    os.makedirs(import_dir, exist_ok=True)
    old = os.path.join(import_dir, f"{secrets.token_urlsafe(32)}.csv")
    keep = os.path.join(import_dir, "README.txt")
    for path in (old, keep):
        with open(path, "w") as handle:
            handle.write("x")
    past = clock.time() - 3 * 24 * 3600
    os.utime(old, (past, past))
    importer.remove_stale(import_dir)
    assert not os.path.exists(old) and os.path.exists(keep)


def test_row_numbers_match_the_sheet_when_blank_rows_come_first(auth, organiser, catalogue):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append([])
    sheet.append(["nazwa", "realizator", "wiek_od", "wiek_do"])
    sheet.append(["Klub A", "Centrum Usług Społecznych", 10, 20])
    sheet.append([])
    sheet.append(["Klub B", "Centrum Usług Społecznych", 30, 20])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(auth, buffer.getvalue(), "lista usług.xlsx")
    assert preview.status_code == 422
    assert "Wiersz 6, kolumna „wiek_do”: wiek do musi być ≥ wiek od" in preview.text
    assert "lista usług.xlsx" in preview.text


def test_the_documented_example_imports(auth, organiser, make_provider, make_village):
    from pathlib import Path

    make_provider(name="Centrum Usług Społecznych w Wojcieszkowie", slug="cus-w", provider_type="municipal_unit")
    make_village("Bęczków")
    doc = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = doc.split("### Example (CSV, `;`)", 1)[1].split("```", 2)[1].strip("\n")
    preview = upload(auth, example.encode("utf-8"))
    assert preview.status_code == 200, preview.text[:3000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    club = _services()["Wieczorki taneczne dla seniorów w Bęczkowie"]
    assert len(club.schedule_rules) == 2 and club.minimum_age == 60


# --- keywords ---------------------------------------------------------------------

KEYWORD_HEADER = ["nazwa", "realizator", "Słowa kluczowe"]
KEYWORD_ROWS = [["Żłobek gminny", "Centrum Usług Społecznych", "niania; opiekunka do dziecka, babysitter"],
                ["Basen dla seniorów", "Centrum Usług Społecznych", ""]]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_keywords_column_is_previewed_imported_and_searched(auth, organiser, catalogue, kind):
    content = (csv_bytes if kind == "csv" else xlsx_bytes)(KEYWORD_ROWS, header=KEYWORD_HEADER)
    preview = upload(auth, content, f"uslugi.{kind}")
    assert preview.status_code == 200, preview.text[:3000]
    assert "słowa kluczowe: niania; opiekunka do dziecka, babysitter" in visible_text(preview.text)
    assert confirm(auth, token_of(preview.text)).status_code == 303
    services = _services()
    assert services["Żłobek gminny"].keywords == "niania, opiekunka do dziecka, babysitter"
    assert services["Basen dla seniorów"].keywords is None
    assert "Żłobek gminny" in auth.client.get("/services?q=babysitter").text


def test_a_too_long_keyword_is_a_cell_error(auth, organiser, catalogue):
    rows = [["Żłobek gminny", "Centrum Usług Społecznych", "niania, " + "b" * 101],
            ["Klub", "Centrum Usług Społecznych", ", ".join(f"słowo{n:03d}" for n in range(120))]]
    preview = upload(auth, csv_bytes(rows, header=KEYWORD_HEADER))
    assert preview.status_code == 422
    assert_in(visible_text(preview.text),
              "Wiersz 2, kolumna „slowa_kluczowe”: jedno słowo kluczowe może mieć najwyżej 100 znaków",
              "Wiersz 3, kolumna „slowa_kluczowe”: słowa kluczowe mogą mieć razem najwyżej 1000 znaków")


def test_the_template_has_the_keywords_column_with_an_example(auth, organiser):
    template = auth.client.get("/manage/import/template.csv").data.decode("utf-8-sig")
    header, example = template.splitlines()[:2]
    assert "slowa_kluczowe" in header.split(";")
    assert "potańcówka, dancing" in example
    assert "slowa_kluczowe" in visible_text(auth.client.get("/manage/import").text)
