"""The history import in real Chromium under the production CSP: the organiser
uploads the README's example, reads the preview, confirms, then withdraws the
import through its confirmation page; axe-core (WCAG 2.1 AA) on every page
and state, an error preview included."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible
from tests.browser.staff import login

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[1] / "reports" / "data" / "history-example.csv"


def test_import_preview_confirm_and_withdraw(app, page, live_server, make_user, make_service, tmp_path):
    from portal.auth.models import Role

    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    make_service("Klub Seniora")
    organiser = make_user(Role.SERVICES_ORGANISER, "test-ous", "Olga Organizatorka")
    login(page, organiser)

    page.goto("/reports/history")
    expect(page.locator("main")).to_contain_text("Nie zaimportowano jeszcze żadnej historii.")
    assert_accessible(page, "empty list")
    page.get_by_role("link", name="Importuj historię z pliku").click()
    assert_accessible(page, "upload page")

    bad = tmp_path / "zly.csv"
    bad.write_text("rodzaj;data;usługa;sprawa;liczba\nzasiłek;31.02.2021;;44051401359;\n", encoding="utf-8")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Sprawdź plik").click()
    expect(page.locator("#error-summary")).to_contain_text("Wiersz 2, kolumna „sprawa”")
    assert_accessible(page, "preview with errors")

    page.goto("/reports/history/import")
    page.set_input_files("#file", str(EXAMPLE))
    page.get_by_role("button", name="Sprawdź plik").click()
    expect(page.locator("main")).to_contain_text("Plik nie zawiera błędów.")
    assert_accessible(page, "preview")
    page.get_by_role("button", name="Importuj 4 wiersze").click()
    expect(page).to_have_url(re.compile(r"/reports/history$"))
    expect(page.locator("main")).to_contain_text("3 usługi, 1 plan (IPUS)")
    assert_accessible(page, "list")

    page.get_by_role("button", name=re.compile(r"^Wycofaj import\s*: history-example\.csv$")).click()
    expect(page.locator("h1")).to_have_text("Wycofać import „history-example.csv”?")
    assert_accessible(page, "withdrawal confirmation")
    page.get_by_role("button", name="Wycofaj import").click()
    expect(page.locator("main")).to_contain_text("wycofany")
    assert_accessible(page, "list with a withdrawn import")
