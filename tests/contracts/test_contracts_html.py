"""Every contracts' page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend)."""
import io
from datetime import date

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = [("index", 200), ("index-empty", 200), ("detail", 200), ("detail-alerts", 200), ("new", 200),
         ("new-errors", 422), ("new-line-error", 422), ("edit", 200), ("edit-conflict", 409), ("amendment", 200),
         ("amendment-errors", 422), ("terminate-confirm", 200), ("terminate-errors", 422), ("detail-terminated", 200),
         ("scan-refused", 422)]
_RUNS = {}


def _render(app, client, auth, world, tmp_path):
    from portal.contracts import services as contracts
    from portal.extensions import db

    app.config["CONTRACT_SCAN_DIR"] = str(tmp_path / "contracts")
    first = world.contract(world.srgw, [(world.club, 208), (world.centre, 480)])
    small = world.contract(world.company, [(world.transport, 10)], number="CUS.526.7.2026", mode="simplified",
                           starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 20), amount="9600.00")
    contracts.add_amendment(db.session, first, {"signed_on": date(2026, 6, 30), "ends_on": date(2028, 6, 30),
                                                "volumes": {world.club.id: 260}, "note": "Przedłużenie"},
                            actor=world.organiser, expected_version=None)
    ended = world.contract(world.coop, [(world.care, 100)], number="CUS.526.2.2026")
    contracts.terminate(db.session, ended, {"terminated_on": date(2026, 10, 1), "reason": "Porozumienie stron"},
                        actor=world.organiser, expected_version=None)
    db.session.commit()
    for day in range(1, 10):
        world.rows.entry(world.transport, world.rows.person(), date(2026, 9, day), "1")
    form = {"number": "CUS.526.3.2026", "provider_id": str(world.srgw.id), "mode": "open_competition",
            "starts_on": "2026-03-01", "ends_on": "2026-12-31", "amount": "dużo",
            "lines-0-service_id": str(world.club.id), "lines-0-volume": "x", "lines-1-service_id": "",
            "lines-1-volume": ""}
    pages = Pages()
    keep = pages.keep
    auth.login("services_organiser")
    keep("index", client.get("/contracts"))
    keep("index-empty", client.get("/contracts?state=upcoming"))
    keep("detail", client.get(f"/contracts/{first.id}"))
    keep("detail-alerts", client.get(f"/contracts/{small.id}"))
    keep("new", client.get("/contracts/new"))
    keep("new-errors", auth.post("/contracts/new", form))
    keep("new-line-error", auth.post("/contracts/new", {**form, "amount": "100,00", "lines-0-volume": "5",
                                                        "lines-1-service_id": str(world.care.id),
                                                        "lines-1-volume": "5"}))
    keep("edit", client.get(f"/contracts/{first.id}/edit"))
    keep("edit-conflict", auth.post(f"/contracts/{first.id}/edit", {**form, "amount": "100,00", "lines-0-volume": "5",
                                                                    "version": "1"}))
    keep("amendment", client.get(f"/contracts/{first.id}/amendments/new"))
    keep("amendment-errors", auth.post(f"/contracts/{first.id}/amendments/new", {"signed_on": "x", "version": "2"}))
    keep("terminate-confirm", auth.post(f"/contracts/{first.id}/terminate", {"version": "2"}))
    keep("terminate-errors", auth.post(f"/contracts/{first.id}/terminate", {"version": "2", "confirmed": "yes",
                                                                            "terminated_on": "", "reason": ""}))
    keep("detail-terminated", client.get(f"/contracts/{ended.id}"))
    keep("scan-refused", auth.post(f"/contracts/{first.id}/scan", {"version": "2", "scan": (io.BytesIO(b"junk"),
                                                                                            "a.pdf")},
                                   content_type="multipart/form-data"))
    return pages


@pytest.fixture
def contract_pages(app, client, auth, world, database_url, tmp_path):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth, world, tmp_path))


@pytest.mark.parametrize("page_id,status", PAGES, ids=[p[0] for p in PAGES])
def test_contracts_page_is_valid_html(contract_pages, page_id, status):
    assert_valid_page(contract_pages, page_id, status)
