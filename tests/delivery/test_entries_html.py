"""Every page of individual deliveries, the hours grid and consultations is
valid HTML for the Nu HTML Checker, in its main states (one vnu.jar run per
database backend, shared by the per-page tests)."""
import re

import pytest

from portal.auth.models import Role
from tests.delivery.entries_fixtures import delivery  # noqa: F401
from tests.plans.fixtures import people  # noqa: F401
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = ["individual-choose", "individual-month", "entry-form", "entry-errors", "entry-confirm", "person",
         "grid", "grid-errors", "consultations", "consultation-form", "consultation-errors"]
_RUNS = {}


def _render(client, auth, d):
    from datetime import date
    from decimal import Decimal

    from portal.delivery.models import Consultation, DeliveryEntry
    from portal.extensions import db

    entry = DeliveryEntry(service_id=d.care.id, resident_id=d.anna.id, delivered_on=date(2026, 4, 7),
                          quantity=Decimal("1.5"), unit="hour", delivered_by="Ewa Opiekunka",
                          provider_id=d.care.provider_id)
    db.session.add_all([entry, Consultation(service_id=d.counselling.id, provider_id=d.counselling.provider_id,
                                            given_on=date(2026, 4, 20), minutes=45, kind="legal")])
    db.session.commit()
    pages = Pages()
    keep = pages.keep
    care, month = d.care.id, "2026-04"
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    keep("individual-choose", client.get("/delivery/individual"))
    keep("individual-month", client.get(f"/delivery/individual?service={care}&month={month}"))
    url = f"/delivery/individual/new?service={care}&month={month}"
    keep("entry-form", client.get(url))
    keep("entry-errors", auth.post(url, {"resident_id": "", "delivered_on": "jutro", "quantity": "x"}))
    keep("entry-confirm", auth.post(f"/delivery/individual/{entry.id}/delete"))
    keep("person", client.get(f"/delivery/people/{d.anna.id}?month={month}"))
    url = f"/delivery/hours?service={care}&month={month}"
    page = client.get(url)
    keep("grid", page)
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page.text).group(1)
    keep("grid-errors", auth.post(url, {"state": state, f"h-{d.anna.id}-3": "x", f"h-{d.bogdan.id}-2": "2"}))
    url = f"/delivery/consultations?service={d.counselling.id}&month={month}"
    keep("consultations", client.get(url))
    url = f"/delivery/consultations/new?service={d.counselling.id}&month={month}"
    keep("consultation-form", client.get(url))
    keep("consultation-errors", auth.post(url, {"given_on": "", "minutes": "dużo", "kind": "?"}))
    return pages


@pytest.fixture
def entries_pages(client, auth, delivery, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, delivery))


@pytest.mark.parametrize("page_id", PAGES)
def test_page_is_valid_html(entries_pages, page_id):
    status = 422 if page_id.endswith("errors") else 200
    assert_valid_page(entries_pages, page_id, status)
