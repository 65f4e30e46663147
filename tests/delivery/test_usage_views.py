"""The use of services, counted from the delivery register: the list and a
service's page read as the services organiser and the director see them;
the hand-typed "used" and "current users" fields are gone from the form."""
from datetime import time
from decimal import Decimal

import pytest

from portal.delivery.models import Attendance, DeliveryEntry, GroupSession
from portal.extensions import db
from tests.helpers import assert_in, switch, visible_text
from tests.plans.fixtures import TODAY, frozen, make_case, people, plans  # noqa: F401


@pytest.fixture
def delivered(make_case, plans):
    """A club with two held sessions (one in April, before the plan, and one
    today) and a cancelled one; care at home with 3,5 hours today."""
    case = make_case()
    plans.active(case)
    club, care = case.services
    for day, status, others, present in ((TODAY.replace(day=5, month=4), "held", 4, False),
                                         (TODAY, "held", 2, True), (TODAY.replace(day=14), "cancelled", 0, False)):
        row = GroupSession(service_id=club.id, provider_id=club.provider_id, held_on=day, starts=time(10),
                           ends=time(12, 30), status=status, other_participants=others)
        if present:
            row.attendances = [Attendance(resident_id=case.resident.id)]
        db.session.add(row)
    db.session.add(DeliveryEntry(service_id=care.id, resident_id=case.resident.id, provider_id=care.provider_id,
                                 delivered_on=TODAY, quantity=Decimal("3.5"), unit="hour", delivered_by="Ola"))
    db.session.commit()
    return case


def test_a_services_use_in_the_year_and_in_a_month(client, auth, delivered):
    auth.login("services_organiser")
    club, care = delivered.services
    text = visible_text(client.get(f"/delivery/services/{club.id}/usage").text)
    assert_in(text, f"Wykorzystanie usługi: {club.name}", "Rok 2026 (01.01.2026–31.12.2026)",
              "Zrealizowano 1 obecność", "Sesje, które się odbyły 2 sesje; odwołane: 1", "Godziny 5 godzin",
              "Uczestnicy z ewidencji (różne osoby) 1 osoba", "konsultacje anonimowe, zsumowane 6",
              "Osoby korzystające obecnie (ostatnie 30 dni) 1 osoba", "Limit 2", "Przyznano (plany i usługi przyznane)",
              "kwiecień 2026 0 obecności", "maj 2026 1 obecność")
    april = visible_text(client.get(f"/delivery/services/{club.id}/usage?year=2026&month=4").text)
    assert_in(april, "Kwiecień 2026 (01.04.2026–30.04.2026)", "Sesje, które się odbyły 1 sesja",
              "Godziny 2,5 godziny", "konsultacje anonimowe, zsumowane 4")
    care_page = visible_text(client.get(f"/delivery/services/{care.id}/usage").text)
    assert_in(care_page, "Zrealizowano 3,5 godziny", "Godziny 3,5 godziny", "maj 2026 3,5 godziny")


def test_the_list_of_every_services_use_and_bad_periods(client, auth, people, delivered):
    switch(auth, "dyrektor")
    club, care = delivered.services
    text = visible_text(client.get("/delivery/usage?year=abc&month=13").text)
    assert "Rok 2026" in text
    assert f"{club.name} 1 obecność 2 2,5 godziny" not in text  # two sessions: 5 hours
    assert_in(text, f"{club.name} 1 obecność 2 5 godzin 1 6 1", f"{care.name} 3,5 godziny 0 3,5 godziny 1 0 1")
    assert client.get("/delivery/services/999999/usage").status_code == 404


def test_the_service_form_no_longer_asks_for_used_and_current_users(client, auth, delivered):
    auth.login("services_organiser")
    club = delivered.services[0]
    text = visible_text(client.get(f"/manage/services/{club.id}/edit").text)
    assert "Wykorzystano" not in text and "Liczba osób korzystających obecnie" not in text
    assert "Ile zrealizowano i ile osób korzysta, liczy rejestr realizacji: wykorzystanie usługi" in text
