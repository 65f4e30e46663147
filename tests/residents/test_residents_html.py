"""Every residents page, in each of its states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
from datetime import date

import pytest

from tests.residents.test_residents_services import VALID, WOMAN_2002
from tests.residents.test_residents_views import new_person
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = [
    "index", "index-results", "index-no-results", "pesel-not-found", "pesel-invalid", "new", "new-prefilled",
    "new-errors", "new-duplicates", "detail-desk", "detail-director", "detail-merged", "edit", "edit-errors",
    "edit-conflict", "merge", "merge-results", "merge-confirm", "access-report",
]
_RUNS = {}


def _render(app, client, auth):
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents import services as ops

    desk = auth.login("front_desk")
    village = _village()
    jan = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Kowalski", "pesel": VALID,
                                           "phone": "601 234 567", "village_id": village.id, "notes": "Uwaga",
                                           "representative_kind": "de_facto", "representative_name": "Ewa Nowak",
                                           "informed_at": True}, actor=desk)
    twin = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Kowalski", "no_pesel_reason": "x",
                                            "birth_date": date(1944, 5, 14)}, actor=desk)
    gone = ops.create_resident(db.session, {"first_name": "Jan", "last_name": "Kowalsky", "no_pesel_reason": "x",
                                            "birth_date": date(1944, 5, 14)}, actor=desk)
    db.session.flush()
    db.session.add(Request(channel="phone", kind="application", resident_id=jan.id, needs_description="x"))
    ops.give_consent(db.session, jan, "sms", "2026-01", actor=desk)
    ops.withdraw_consent(db.session, jan, "sms", actor=desk)
    ops.merge_residents(db.session, jan, gone, actor=desk, reason="duplikat")
    db.session.commit()

    pages = Pages()
    keep = pages.keep

    keep("index", client.get("/residents/"))
    keep("index-results", auth.post("/residents/", {"q": "kowal"}))
    keep("index-no-results", auth.post("/residents/", {"q": "xyz"}))
    keep("pesel-not-found", auth.post("/residents/pesel", {"pesel": WOMAN_2002}))
    keep("pesel-invalid", auth.post("/residents/pesel", {"pesel": "123"}))
    keep("new", client.get("/residents/new"))
    keep("new-prefilled", auth.post("/residents/new", {"prefill": "1", "pesel": WOMAN_2002}))
    keep("new-errors", auth.post("/residents/new", new_person(first_name="", pesel="44051401358", phone="1",
                                                              representative_kind="legal")))
    keep("new-duplicates", auth.post("/residents/new", new_person(first_name="Jan", last_name="Kowalski",
                                                                  no_pesel_reason="x", birth_date="14.05.1944")))
    keep("detail-desk", client.get(f"/residents/{jan.id}"))
    keep("edit", client.get(f"/residents/{jan.id}/edit"))
    base = new_person(first_name="Jan", last_name="Kowalski", pesel=VALID)
    keep("edit-errors", auth.post(f"/residents/{jan.id}/edit", {**base, "phone": "1", "version": str(jan.version)}))
    keep("edit-conflict", auth.post(f"/residents/{jan.id}/edit", {**base, "city": "Ryki", "version": "0"}))
    auth.logout()

    auth.login("director")
    keep("detail-director", client.get(f"/residents/{jan.id}"))
    keep("detail-merged", client.get(f"/residents/{gone.id}"))
    keep("merge", client.get(f"/residents/{jan.id}/merge"))
    keep("merge-results", auth.post(f"/residents/{jan.id}/merge", {"action": "search", "q": "kowal"}))
    keep("merge-confirm", auth.post(f"/residents/{jan.id}/merge", {"action": "choose", "drop_id": str(twin.id)}))
    keep("access-report", client.get(f"/residents/{jan.id}/access-report"))
    return pages


def _village():
    from portal.catalogue.models import Village
    from portal.extensions import db

    village = Village(name="Bęczków", slug="beczkow")
    db.session.add(village)
    db.session.commit()
    return village


@pytest.fixture
def html_check(app, client, auth, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, client, auth))


EXPECTED = {"pesel-invalid": 422, "new-errors": 422, "edit-errors": 422, "edit-conflict": 409}


@pytest.mark.parametrize("page_id", PAGES)
def test_residents_page_is_valid_html(html_check, page_id):
    assert_valid_page(html_check, page_id, EXPECTED.get(page_id, 200))
