"""Importing history from before the portal (issue 14 §4): the pages, the
preview that stores nothing, the confirmation that stores everything, the
file's limits, and the README's example imported end to end."""
import io
import os
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from tests.helpers import assert_in, visible_text

EXAMPLE = Path(__file__).parent / "data" / "history-example.csv"
README = Path(__file__).parents[2] / "README.md"
HEADER = "rodzaj;data;usługa;sprawa;liczba"


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path):
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    app.config["IMPORT_MAX_ROWS"] = 50
    app.config["FIXED_NOW"] = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    return os.path.join(app.config["IMPORT_DIR"], "history")


@pytest.fixture
def organiser(auth):
    return auth.login(Role.SERVICES_ORGANISER)


def csv_bytes(*lines, header=HEADER):
    return ("\r\n".join([header, *lines]) + "\r\n").encode("utf-8")


def upload(auth, content, filename="historia.csv"):
    return auth.post("/reports/history/import", {"file": (io.BytesIO(content), filename)},
                     content_type="multipart/form-data")


def token_of(page):
    match = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', page)
    return match and match.group(1)


def confirm(auth, token):
    return auth.post("/reports/history/import/confirm", {"token": token})


def files(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def stored_rows():
    from portal.extensions import db
    from portal.reports.history import HistoryRow

    db.session.expire_all()
    return db.session.scalars(select(HistoryRow).order_by(HistoryRow.id)).all()


def imports():
    from portal.extensions import db
    from portal.reports.history import HistoryImport

    db.session.expire_all()
    return db.session.scalars(select(HistoryImport).order_by(HistoryImport.id)).all()


def test_the_upload_page_explains_the_format(auth, organiser):
    page = auth.client.get("/reports/history/import")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert_in(text, "Import historii z pliku", "Wgraj plik CSV (UTF-8, separator średnik) albo XLSX",
              HEADER, "„usługa” (jedna usługa przyznana jednej osobie) albo „IPUS”", "DD.MM.RRRR albo RRRR-MM-DD",
              "Nie wpisuj imion, nazwisk, numerów PESEL ani adresów e-mail.", "Najwyżej 2 MB i 50 wierszy.",
              "Plik CSV lub XLSX", "Sprawdź plik")


def test_the_readme_example_imports_end_to_end(auth, organiser, make_service, import_dir):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    club = make_service("Klub Seniora")
    content = EXAMPLE.read_bytes()
    # The README shows the example file as it is.
    assert content.decode("utf-8").replace("\r\n", "\n") in README.read_text(encoding="utf-8")

    preview = upload(auth, content, "historia-2021.csv")
    assert preview.status_code == 200, visible_text(preview.text)[:2000]
    text = visible_text(preview.text)
    assert_in(text, "Podgląd importu historii: historia-2021.csv", "4 wiersze.", "Plik nie zawiera błędów.",
              "3 usługi: w katalogu 1, z nazwą historyczną 2", "1 plan (IPUS)", "usługa z katalogu",
              "nazwa historyczna", "DUS.4012.1.2021", "15.03.2021", "02.04.2021", "Importuj 4 wiersze")
    token = token_of(preview.text)
    assert token and len(files(import_dir)) == 1
    assert stored_rows() == [] and imports() == []  # nothing before the confirmation

    done = confirm(auth, token)
    assert done.status_code == 303 and done.headers["Location"].endswith("/reports/history")
    assert files(import_dir) == []
    [history_import] = imports()
    assert (history_import.filename, history_import.row_count, history_import.created_by_id) == (
        "historia-2021.csv", 4, organiser.id)
    assert history_import.withdrawn_at is None
    assert [(r.kind, r.day, r.service_id, r.service_name, r.case_ref, r.quantity) for r in stored_rows()] == [
        ("service", date(2021, 3, 15), club.id, "Klub Seniora", "DUS.4012.1.2021", None),
        ("plan", date(2021, 3, 20), None, None, "DUS.4012.1.2021", None),
        ("service", date(2021, 4, 2), None, "Opieka wytchnieniowa", "DUS.4012.2.2021", Decimal("12.5")),
        ("service", date(2022, 1, 10), None, "Dowóz do lekarza (program 2019-2022)", "DUS.4012.7.2022",
         Decimal("4")),
    ]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "history_import")).all()
    assert (event.action, event.object_id, event.actor_id) == ("import", history_import.id, organiser.id)
    listed = visible_text(auth.client.get("/reports/history").text)
    assert_in(listed, "Zaimportowano 4 wiersze historii.", "historia-2021.csv", "3 usługi, 1 plan (IPUS)")


def test_xlsx_imports_end_to_end(auth, organiser, make_service):
    import openpyxl

    care = make_service("Opieka wytchnieniowa")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["usługa", datetime(2020, 6, 30), "opieka wytchnieniowa", "OW/1/2020", 1.5])
    sheet.append(["IPUS", "2020-06-01", None, "OW/1/2020", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(auth, buffer.getvalue(), "historia.xlsx")
    assert preview.status_code == 200, visible_text(preview.text)[:2000]
    assert confirm(auth, token_of(preview.text)).status_code == 303
    assert [(r.kind, r.day, r.service_id, r.quantity) for r in stored_rows()] == [
        ("service", date(2020, 6, 30), care.id, Decimal("1.5")), ("plan", date(2020, 6, 1), None, None)]


def test_one_wrong_row_stores_nothing_and_keeps_no_file(auth, organiser, import_dir):
    content = csv_bytes("usługa;15.03.2021;Klub Seniora;DUS/1/2021;", "IPUS;15.03.2021;;44051401359;",
                        "zasiłek;15.03.2021;;DUS/3/2021;")
    response = upload(auth, content)
    assert response.status_code == 422
    text = visible_text(response.text)
    assert_in(text, "Nie można zaimportować pliku",
              "Wiersz 3, kolumna „sprawa”: sygnatura wygląda na numer PESEL — wpisz sygnaturę sprawy bez danych "
              "osobowych",
              "Wiersz 4, kolumna „rodzaj”: wpisz „usługa” (usługa przyznana jednej osobie) albo „IPUS” (zawarty plan)")
    assert token_of(response.text) is None and "/reports/history/import/confirm" not in response.text
    assert files(import_dir) == []
    assert stored_rows() == [] and imports() == []


@pytest.mark.parametrize("content,filename,message", [
    (b"", "historia.csv", "Plik jest pusty."),
    (b"a" * (2 * 1024 * 1024 + 1), "historia.csv", "Plik jest za duży (najwyżej 2 MB)."),
    ("rodzaj;data\nIPUS;01.02.2020\n".encode("cp1250") + "Łąka".encode("cp1250"), "historia.csv",
     "Plik CSV musi być zapisany w kodowaniu UTF-8."),
    (b"PK\x03\x04garbage", "historia.xlsx", "Plik XLSX jest uszkodzony."),
    (b"MZ\x90\x00", "historia.exe", "Obsługiwane są pliki CSV i XLSX."),
])
def test_files_the_catalogue_import_refuses_are_refused_here(auth, organiser, content, filename, message,
                                                             import_dir):
    response = upload(auth, content, filename)
    assert response.status_code == 422
    assert message in visible_text(response.text)
    assert 'aria-invalid="true"' in response.text  # at the file field
    assert files(import_dir) == [] and imports() == []


def test_an_unpacked_workbook_too_big_is_refused(auth, organiser, import_dir):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"0" * (51 * 1024 * 1024))
    response = upload(auth, buffer.getvalue(), "historia.xlsx")
    assert response.status_code == 422
    assert "Skoroszyt jest za duży po rozpakowaniu." in visible_text(response.text)


def test_wrong_header_and_no_file(auth, organiser):
    response = upload(auth, csv_bytes("IPUS;01.02.2020;A/1", header="typ;data;sprawa"))
    assert response.status_code == 422
    assert_in(visible_text(response.text), "Nieznana kolumna „typ”.", "Brakuje wymaganej kolumny „rodzaj”.")
    response = auth.post("/reports/history/import", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Wybierz plik CSV lub XLSX." in visible_text(response.text)
    assert imports() == []


def test_confirming_twice_stores_once(auth, organiser):
    token = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;")).text)
    assert confirm(auth, token).status_code == 303
    again = confirm(auth, token)
    assert again.status_code == 400 and "Wgraj go ponownie." in visible_text(again.text)
    assert len(imports()) == 1 and len(stored_rows()) == 1


def test_a_token_not_issued_to_this_session_is_refused(app, auth, organiser, import_dir):
    """The confirmation trusts only the token this person's own preview issued."""
    from portal.auth.models import Role as Roles
    from tests.conftest import Auth

    token = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;")).text)
    other = Auth(app.test_client())
    other.login(Roles.SERVICES_ORGANISER, "drugi-organizator")
    response = other.post("/reports/history/import/confirm", {"token": token})
    assert response.status_code == 400
    assert imports() == [] and len(files(import_dir)) == 1
    for forged in ("../../etc/passwd", "a" * 20, ""):
        assert confirm(auth, forged).status_code == 400
    assert imports() == []
    assert confirm(auth, token).status_code == 303  # the owner's confirmation still works


def test_a_new_preview_replaces_the_previous_one(auth, organiser, import_dir):
    first = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;")).text)
    second = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/2;")).text)
    assert len(files(import_dir)) == 1
    assert confirm(auth, first).status_code == 400
    assert confirm(auth, second).status_code == 303
    assert [row.case_ref for row in stored_rows()] == ["A/2"]


def test_a_file_changed_on_the_server_after_the_preview_is_checked_again(auth, organiser, import_dir):
    token = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;")).text)
    with open(os.path.join(import_dir, f"{token}.csv"), "wb") as handle:
        handle.write(csv_bytes("IPUS;01.02.2020;;Jan Kowalski;"))
    response = confirm(auth, token)
    assert response.status_code == 422
    assert "Wiersz 2, kolumna „sprawa”: sygnatura zawiera imię lub nazwisko" in visible_text(response.text)
    assert imports() == [] and files(import_dir) == []


def test_a_failure_while_storing_leaves_nothing_and_the_file_for_a_retry(auth, organiser, import_dir):
    """The database refusing the rows after the import's own row was added
    rolls the whole import back; the file stays for a retry."""
    from portal.extensions import db

    token = token_of(upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;", "IPUS;02.02.2020;;A/2;")).text)
    # The import's own table is gone for a moment: the insert fails after the import row was added.
    db.session.execute(db.text("ALTER TABLE history_row RENAME TO history_row_away"))
    db.session.commit()
    try:
        response = confirm(auth, token)
    finally:
        db.session.rollback()
        db.session.execute(db.text("ALTER TABLE history_row_away RENAME TO history_row"))
        db.session.commit()
    assert response.status_code == 422
    assert "Import się nie udał i nic nie zapisano." in visible_text(response.text)
    assert imports() == [] and len(files(import_dir)) == 1
    assert confirm(auth, token).status_code == 303
    assert len(stored_rows()) == 2


def test_the_english_page_is_translated(auth, organiser):
    auth.client.set_cookie("lang", "en")
    page = visible_text(auth.client.get("/reports/history/import").text)
    assert "Import history from a file" in page and "Import historii z pliku" not in page


def test_nothing_is_counted_from_an_unconfirmed_preview(auth, organiser):
    from portal.extensions import db
    from portal.reports.history import HistoryRow

    upload(auth, csv_bytes("IPUS;01.02.2020;;A/1;"))
    assert db.session.scalar(select(func.count()).select_from(HistoryRow)) == 0
