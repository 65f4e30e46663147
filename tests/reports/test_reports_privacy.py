"""No report and no export names a person: every report of the demo's years,
as a page and as CSV, XLSX and PDF, searched for every demo resident's name
and PESEL."""
import io

from openpyxl import load_workbook
from pypdf import PdfReader

from portal.auth.models import Role
from portal.timeutil import local_now
from tests.helpers import seed_demo

REPORTS = ("quarterly", "services", "matrix", "indicators", "providers", "desk", "catalogue-use")


def _text(body, suffix):
    if suffix == ".pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if suffix == ".xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        return " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    return body.decode("utf-8")


def test_no_export_holds_a_demo_persons_name_or_pesel(app, client, auth):
    from portal.extensions import db
    from portal.residents.models import Resident

    seed_demo(through="entries")
    people = db.session.execute(db.select(Resident.first_name, Resident.last_name, Resident.pesel)).all()
    assert len(people) > 10
    secrets = {f"{first} {last}" for first, last, _pesel in people} | {last for _first, last, _pesel in people}
    secrets |= {pesel for _first, _last, pesel in people if pesel}
    auth.login(Role.DIRECTOR)
    year = local_now().year
    for report in REPORTS:
        for suffix in ("", ".csv", ".xlsx", ".pdf"):
            response = client.get(f"/reports/{report}{suffix}?year={year}")
            assert response.status_code == 200, (report, suffix)
            text = _text(response.data, suffix).replace("\u00a0", " ")
            found = sorted(secret for secret in secrets if secret in text)
            assert found == [], (report, suffix, found)
    # The demo's year is not empty: the search read real figures.
    lines = client.get(f"/reports/quarterly.csv?year={year}").data.decode().splitlines()
    assert int(lines[1].split(";")[-1]) > 0 and int(lines[2].split(";")[-1]) > 0
    assert len(client.get(f"/reports/services.csv?year={year}").data.decode().splitlines()) > 3
