"""Every page of the history import, in its main states, is valid HTML for
the Nu HTML Checker (one vnu.jar run per database backend)."""
import io
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

EXAMPLE = (Path(__file__).parent / "data" / "history-example.csv").read_bytes()
PAGES = {"list-empty": 200, "upload": 200, "upload-errors": 422, "preview": 200, "preview-errors": 422,
         "list": 200, "list-director": 200, "withdraw-confirm": 200}
_RUNS = {}


def _render(app, client, auth, make_service, tmp_path):
    from portal.auth.models import Role

    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    app.config["FIXED_NOW"] = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    make_service("Klub Seniora")
    pages = Pages()
    keep = pages.keep

    def upload(content, filename="historia.csv"):
        return auth.post("/reports/history/import", {"file": (io.BytesIO(content), filename)},
                         content_type="multipart/form-data")

    auth.login(Role.SERVICES_ORGANISER)
    keep("list-empty", client.get("/reports/history"))
    keep("upload", client.get("/reports/history/import"))
    keep("upload-errors", upload(b"", "pusty.csv"))
    keep("preview-errors", upload("rodzaj;data;usługa;sprawa;liczba\nzasiłek;31.02.2021;;44051401359;-1\n"
                                  .encode()))
    preview = upload(EXAMPLE)
    keep("preview", preview)
    token = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', preview.text).group(1)
    auth.post("/reports/history/import/confirm", {"token": token})
    second = upload(EXAMPLE, "druga.csv")
    auth.post("/reports/history/import/confirm",
              {"token": re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', second.text).group(1)})
    from portal.extensions import db
    from portal.reports.history import HistoryImport

    first_id, second_id = db.session.scalars(db.select(HistoryImport.id).order_by(HistoryImport.id)).all()
    auth.post(f"/reports/history/{second_id}/withdraw", {"confirmed": "yes"})
    keep("list", client.get("/reports/history"))
    keep("withdraw-confirm", auth.post(f"/reports/history/{first_id}/withdraw"))
    auth.logout()
    auth.login(Role.DIRECTOR)
    keep("list-director", client.get("/reports/history"))
    return pages


@pytest.fixture
def history_pages(app, client, auth, make_service, tmp_path, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, make_service, tmp_path))


@pytest.mark.parametrize("page_id", PAGES)
def test_history_page_is_valid_html(history_pages, page_id):
    assert_valid_page(history_pages, page_id, PAGES[page_id])
