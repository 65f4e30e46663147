"""The pages of individual deliveries, the hours grid and consultations:
what a person reads, 422 with the input kept, the confirmation step, the
coordinator kept to their own cases, the audit trail of views."""
import re
from datetime import date
from decimal import Decimal

from portal.auth.models import Role
from portal.delivery.models import Consultation, DeliveryEntry
from tests.delivery.entries_fixtures import delivery  # noqa: F401
from tests.plans.fixtures import people  # noqa: F401


def text(response):
    body = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", response.text)
    words = " ".join(re.sub(r"<[^>]+>", " ", body).replace("&nbsp;", " ").split())
    return re.sub(r" ([,.)])", r"\1", words)  # "<strong>3 konsultacje</strong>, …" reads "3 konsultacje, …"


def rows():
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(DeliveryEntry).order_by(DeliveryEntry.id)).all()


def entry(d, who, day, quantity, service=None):
    from portal.extensions import db

    row = DeliveryEntry(service_id=(service or d.care).id, resident_id=who.id, delivered_on=day,
                        quantity=Decimal(quantity), unit=(service or d.care).unit, delivered_by="Ewa Opiekunka",
                        provider_id=(service or d.care).provider_id)
    db.session.add(row)
    db.session.commit()
    return row


def test_the_month_of_a_service_lists_entries_and_totals(client, auth, delivery):
    entry(delivery, delivery.anna, date(2026, 4, 7), "1.5")
    entry(delivery, delivery.anna, date(2026, 4, 8), "2")
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    page = client.get(f"/delivery/individual?service={delivery.care.id}&month=2026-04")
    assert page.status_code == 200
    seen = text(page)
    assert "Opieka w domu — kwiecień 2026" in seen
    assert "Zielińska Anna 3,5 godziny" in seen  # the month's total per person
    assert "Wójcik Bogdan brak wpisów" in seen
    assert "07.04.2026 Zielińska Anna 1,5 godziny Ewa Opiekunka" in seen
    assert "08.04.2026 Zielińska Anna 2 godziny" in seen
    assert "Łącznie: 3,5 godziny" in seen
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    viewed = set(db.session.scalars(db.select(AuditEvent.object_id).filter_by(object_type="resident", action="view")))
    assert viewed == {delivery.anna.id, delivery.bogdan.id, delivery.celina.id}


def test_a_coordinator_sees_only_their_own_people(client, auth, delivery):
    from portal.extensions import db

    entry(delivery, delivery.celina, date(2026, 4, 7), "3")
    db.session.add(Consultation(service_id=delivery.counselling.id, resident_id=delivery.anna.id, minutes=30,
                                provider_id=delivery.counselling.provider_id, given_on=date(2026, 4, 20), kind="legal"))
    db.session.commit()
    auth.login(Role.COORDINATOR, "koordynator")
    seen = text(client.get(f"/delivery/individual?service={delivery.care.id}&month=2026-04"))
    assert "Zielińska Anna" in seen and "Mazur" not in seen
    assert client.get(f"/delivery/people/{delivery.celina.id}").status_code == 403
    page = client.get(f"/delivery/people/{delivery.anna.id}?month=2026-04")
    assert page.status_code == 200
    assert "Zrealizowane usługi: Anna Zielińska — kwiecień 2026" in text(page)
    assert "Konsultacje" not in text(page) and "prawna" not in text(page)  # the register is not the coordinator's
    assert client.get(f"/delivery/consultations?service={delivery.counselling.id}").status_code == 403
    delete = auth.post(f"/delivery/individual/{rows()[0].id}/delete", {"confirmed": "yes"})
    assert delete.status_code == 403 and len(rows()) == 1


def test_an_entry_typed_with_a_polish_comma(client, auth, delivery):
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    url = f"/delivery/individual/new?service={delivery.care.id}&month=2026-04"
    form = client.get(url)
    assert "Nowy wpis: Opieka w domu" in text(form)
    assert "Zielińska Anna" in form.text and "Mazur Celina" in form.text
    key = re.search(r'name="submission" type="hidden" value="([^"]+)"', form.text).group(1)
    data = {"submission": key, "resident_id": str(delivery.anna.id), "delivered_on": "07.04.2026",
            "quantity": "1,5", "delivered_by": "Ewa Opiekunka", "provider_id": "", "note": "Zakupy"}
    saved = auth.post(url, data)
    assert saved.status_code == 303
    assert [(r.quantity, r.note) for r in rows()] == [(Decimal("1.50"), "Zakupy")]
    again = auth.post(url, data)  # a resend makes nothing new
    assert again.status_code == 303 and len(rows()) == 1


def test_a_refused_entry_keeps_the_input_and_says_why_at_the_field(client, auth, delivery):
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    url = f"/delivery/individual/new?service={delivery.care.id}&month=2026-04"
    page = auth.post(url, {"resident_id": str(delivery.anna.id), "delivered_on": "2026-04-07", "quantity": "półtorej",
                           "delivered_by": "Ewa Opiekunka"})
    assert page.status_code == 422
    assert 'value="półtorej"' in page.text and 'value="Ewa Opiekunka"' in page.text
    assert "Podaj liczbę, np. 2 albo 1,5." in text(page)
    page = auth.post(url, {"resident_id": str(delivery.bogdan.id), "delivered_on": "2026-04-09", "quantity": "30"})
    assert page.status_code == 422
    assert "Jednego dnia można wpisać najwyżej 24 godziny." in text(page)
    page = auth.post(url, {"resident_id": str(delivery.bogdan.id), "delivered_on": "2026-04-09", "quantity": "2"})
    assert page.status_code == 422
    assert "Ta osoba nie ma tej usługi w planie ani przyznanej na ten dzień." in text(page)
    assert rows() == []


def test_deleting_an_entry_asks_first(client, auth, delivery):
    row = entry(delivery, delivery.anna, date(2026, 4, 7), "2")
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    ask = auth.post(f"/delivery/individual/{row.id}/delete")
    assert ask.status_code == 200
    assert "Usunąć wpis z 7 kwietnia 2026?" in text(ask) and len(rows()) == 1
    done = auth.post(f"/delivery/individual/{row.id}/delete", {"confirmed": "yes"})
    assert done.status_code == 303 and rows() == []


def test_the_hours_grid_labels_every_cell_and_saves(client, auth, delivery):
    entry(delivery, delivery.anna, date(2026, 4, 7), "2")
    auth.login(Role.COORDINATOR, "koordynator")
    url = f"/delivery/hours?service={delivery.care.id}&month=2026-04"
    page = client.get(url)
    seen = text(page)
    assert "Miesięczna karta godzin: Opieka w domu — kwiecień 2026" in seen
    assert "Mazur" not in seen
    anna, bogdan = delivery.anna.id, delivery.bogdan.id
    assert f'id="h-{anna}-7" name="h-{anna}-7" value="2"' in page.text
    assert f'aria-labelledby="person-{anna} day-7"' in page.text
    assert "5 kwietnia 2026, nd" in seen  # a Sunday, named in full for screen readers
    assert f'name="h-{bogdan}-9"' not in page.text  # before Bogdan's grant
    state = re.search(r'name="state" type="hidden" value="([^"]+)"', page.text).group(1)
    bad = auth.post(url, {"state": state, f"h-{anna}-7": "2", f"h-{anna}-8": "1,5", f"h-{bogdan}-10": "dużo"})
    assert bad.status_code == 422
    assert 'value="dużo"' in bad.text and 'value="1,5"' in bad.text
    assert "Wójcik Bogdan, 10 kwietnia 2026: Podaj liczbę godzin, np. 2 albo 1,5." in text(bad)
    late = auth.post(url, {"state": state, f"h-{anna}-8": "25"})
    assert late.status_code == 422 and "najwyżej 24 godziny" in text(late) and 'value="25"' in late.text
    good = auth.post(url, {"state": state, f"h-{anna}-7": "2", f"h-{anna}-8": "1,5", f"h-{bogdan}-10": "3"})
    assert good.status_code == 303
    assert sorted((r.resident_id, r.delivered_on.day, r.quantity) for r in rows()) == [
        (anna, 7, Decimal("2.00")), (anna, 8, Decimal("1.50")), (bogdan, 10, Decimal("3.00"))]
    assert "Zapisano 2 zmienione komórki." in text(client.get(url))
    stale = auth.post(url, {"state": state, f"h-{anna}-9": "1"})
    assert stale.status_code == 409 and "Ktoś zapisał tę kartę w międzyczasie" in text(stale)
    assert 'value="1"' in stale.text


def test_consultations_count_with_polish_plurals_and_never_name_the_anonymous(client, auth, delivery):
    from portal.extensions import db

    for resident, minutes in ((None, 45), (delivery.anna, 60), (None, 45)):
        db.session.add(Consultation(service_id=delivery.counselling.id, resident_id=resident.id if resident else None,
                                    provider_id=delivery.counselling.provider_id, given_on=date(2026, 4, 20),
                                    minutes=minutes, kind="psychological", given_by="Ola Psycholog"))
    db.session.commit()
    auth.login(Role.DIRECTOR, "dyrektor")
    seen = text(client.get(f"/delivery/consultations?service={delivery.counselling.id}&month=2026-04"))
    assert "3 konsultacje, łącznie 2 godziny 30 minut (w tym 2 anonimowe)" in seen
    assert seen.count("anonimowo") == 2 and seen.count("Zielińska Anna") == 1
    assert "Dodaj konsultację" not in seen
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER, "organizator")
    url = f"/delivery/consultations/new?service={delivery.counselling.id}&month=2026-04"
    form = client.get(url)
    assert "— anonimowo (bez danych osoby)" in form.text
    page = auth.post(url, {"given_on": "21.04.2026", "minutes": "pół godziny", "kind": "legal"})
    assert page.status_code == 422 and 'value="pół godziny"' in page.text
    assert "Podaj liczbę całkowitą." in text(page)
    saved = auth.post(url, {"given_on": "21.04.2026", "minutes": "30", "kind": "legal", "resident_id": "",
                            "given_by": "Jan Prawnik"})
    assert saved.status_code == 303
    seen = text(client.get(f"/delivery/consultations?service={delivery.counselling.id}&month=2026-04"))
    assert "4 konsultacje, łącznie 3 godziny (w tym 3 anonimowe)" in seen
    assert "21.04.2026 anonimowo prawna 30 minut Jan Prawnik" in seen
