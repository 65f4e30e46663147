"""A provider's own pages (issue 15 §1): its profile (versioned, audited, its
name, type and registry numbers out of its reach), its services with the
assured date and the confirmation, its start page."""
from datetime import date

from portal.auth.models import Role
from tests.helpers import stored
from tests.helpers import visible_text as text_of
from tests.providers.conftest import TODAY, audit

PROFILE = {"description": "Kluby seniora i opieka w domu w gminie Wojcieszków.", "email": "biuro@srgw.example",
           "phone": "25 753 10 02", "website": "https://srgw.example", "address_1": "ul. Główna 1",
           "postal_code": "21-407", "city": "Wojcieszków"}


def _profile_form(client):
    from tests.conftest import csrf_from

    page = client.get("/provider/profile")
    assert page.status_code == 200
    return page, csrf_from(page.text)


def test_the_profile_shows_the_organisation_and_its_registry_numbers(client, provider, world):
    page, _token = _profile_form(client)
    text = text_of(page.text)
    assert "Stowarzyszenie Testowe „Realizator”" in text
    assert "Rodzaj Stowarzyszenie" in text and "NIP 5260250274" in text
    assert "Kluby seniora w gminie." in page.text  # the description, in its field
    assert "Fundacja Inna" not in text


def test_the_provider_edits_its_profile_and_the_change_is_audited(client, auth, provider, world):
    from portal.catalogue.models import Provider

    version = world.ours.version
    response = auth.post("/provider/profile", {**PROFILE, "version": str(version), "name": "Przejęta nazwa",
                                               "provider_type": "company", "nip": "1234563218"})
    assert response.status_code == 303
    saved = stored(Provider, world.ours.id)
    assert saved.description == PROFILE["description"] and saved.city == "Wojcieszków"
    assert saved.phone == "+48257531002" and saved.website == "https://srgw.example"
    # What the provider may not change stays as it was, whatever was posted.
    assert (saved.name, saved.provider_type, saved.nip) == ("Stowarzyszenie Testowe „Realizator”", "association",
                                                             "5260250274")
    [event] = audit("update", "provider")
    assert event.actor_id == provider.id and event.object_id == world.ours.id
    assert "city" in event.changes and "name" not in event.changes
    assert "Zapisano dane organizacji." in text_of(client.get("/provider/profile").text)


def test_a_wrong_phone_is_refused_at_its_field_and_nothing_typed_is_lost(client, auth, provider, world):
    response = auth.post("/provider/profile", {**PROFILE, "phone": "12", "version": str(world.ours.version)})
    assert response.status_code == 422
    assert "ul. Główna 1" in response.text and 'value="12"' in response.text
    assert 'id="phone-error"' in response.text


def test_a_concurrent_edit_by_the_organiser_gets_the_conflict_screen(client, auth, provider, world, make_user):
    from portal.catalogue.models import Provider
    from portal.extensions import db
    from portal.manage import services as catalogue

    seen = world.ours.version
    organiser = make_user(Role.SERVICES_ORGANISER)
    catalogue.update_provider(world.ours, {**catalogue.provider_data(world.ours), "city": "Burzec"},
                              actor=organiser, expected_version=seen)
    db.session.commit()
    response = auth.post("/provider/profile", {**PROFILE, "version": str(seen)})
    assert response.status_code == 409
    text = text_of(response.text)
    assert "Ktoś inny zmienił dane organizacji w międzyczasie" in text
    assert "Miejscowość Burzec Wojcieszków" in text
    assert stored(Provider, world.ours.id).city == "Burzec"
    # Saving the form again overwrites, knowingly.
    again = auth.post("/provider/profile", {**PROFILE, "version": str(stored(Provider, world.ours.id).version)})
    assert again.status_code == 303 and stored(Provider, world.ours.id).city == "Wojcieszków"


def test_the_services_page_lists_its_own_services_with_their_assured_date(client, provider, world):
    text = text_of(client.get("/provider/services").text)
    assert "Klub Seniora w Burzcu" in text and "Opieka w domu" in text
    assert "potwierdzono aktualność 1 października 2025 — do potwierdzenia" in text
    assert "potwierdzono aktualność 1 kwietnia 2026" in text
    assert "Klub Fundacji Innej" not in text


def test_confirming_a_service_sets_its_assured_date_and_is_audited(client, auth, provider, world):
    from portal.catalogue.models import Service

    response = auth.post(f"/provider/services/{world.club.id}/assure", {"version": str(world.club.version)})
    assert response.status_code == 303
    assert stored(Service, world.club.id).assured_date == TODAY
    [event] = audit("assure", "service")
    assert (event.actor_id, event.object_id) == (provider.id, world.club.id)
    assert event.changes == {"assured_date": ["2025-10-01", "2026-05-12"]}
    text = text_of(client.get("/provider/services").text)
    assert "Potwierdzono aktualność usługi „Klub Seniora w Burzcu”." in text
    assert "potwierdzono aktualność 12 maja 2026" in text and "do potwierdzenia" not in text
    # The public page shows the date.
    assert "Informacje sprawdzone 12 maja 2026." in text_of(client.get(f"/services/{world.club.slug}").text)


def test_confirming_a_service_changed_since_the_page_was_drawn_is_a_conflict(client, auth, provider, world):
    from portal.catalogue.models import Service

    response = auth.post(f"/provider/services/{world.club.id}/assure", {"version": str(world.club.version - 1)})
    assert response.status_code == 409
    assert "Ktoś zmienił dane usługi „Klub Seniora w Burzcu”" in text_of(response.text)
    assert stored(Service, world.club.id).assured_date == date(2025, 10, 1)


def test_another_providers_service_cannot_be_confirmed(client, auth, provider, world):
    from portal.catalogue.models import Service

    response = auth.post(f"/provider/services/{world.other_club.id}/assure",
                         {"version": str(world.other_club.version)})
    assert response.status_code == 404
    assert stored(Service, world.other_club.id).assured_date == date(2024, 1, 1)
    assert audit("assure") == []


def test_the_start_page_shows_the_organisations_figures_and_the_reminder(client, provider, world):
    text = text_of(client.get("/staff").text)
    assert "Moja organizacja" in text
    assert "Usługi organizacji 2" in text
    assert "Wpisy do potwierdzenia (starsze niż 6 miesięcy) 1" in text
    assert "Zajęcia w najbliższych 7 dniach 1" in text
    assert "Przypomnienia Dane 1 usługi nie były potwierdzane od ponad sześciu miesięcy" in text
    # Nothing of the centre's work: no requests, no catalogue figures.
    assert "Zgłoszenia w liczbach" not in text and "Stan katalogu" not in text


def test_the_start_page_has_no_reminder_once_every_entry_is_confirmed(client, auth, provider, world):
    auth.post(f"/provider/services/{world.club.id}/assure", {"version": str(world.club.version)})
    text = text_of(client.get("/staff").text)
    assert "Wpisy do potwierdzenia (starsze niż 6 miesięcy) 0" in text
    assert "Przypomnienia" not in text


def test_the_months_back_keep_the_last_day_of_a_shorter_month():
    from portal.providers.services import assured_before, months_back

    assert months_back(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_back(date(2026, 5, 12), 6) == date(2025, 11, 12)
    assert assured_before(date(2026, 1, 15)) == date(2025, 7, 15)


def test_the_services_refuse_another_providers_account(app, world, make_user):
    import pytest

    from portal.core.errors import NotAllowed
    from portal.extensions import db
    from portal.providers import services as providers

    organiser = make_user(Role.SERVICES_ORGANISER)
    for actor in (world.other_account, organiser):
        with pytest.raises(NotAllowed):
            providers.update_profile(db.session, world.ours, PROFILE, actor=actor, expected_version=None)
        with pytest.raises(NotAllowed):
            providers.assure_service(db.session, world.club, actor=actor, today=TODAY)
    db.session.rollback()
    assert [e for e in audit() if e.action in ("assure", "update")] == []
