"""Providers: registry with checksum-validated identifiers, archive, audit, version conflicts."""
import re

from sqlalchemy import select

from tests.helpers import stored

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def valid_nip(first9="526025027"):
    check = sum(int(d) * w for d, w in zip(first9, NIP_WEIGHTS)) % 11
    assert check != 10, "pick other digits"
    return first9 + str(check)


def bad_nip():
    nip = valid_nip()
    return nip[:9] + str((int(nip[9]) + 1) % 10)


def provider_data(**overrides):
    data = {"name": "Stowarzyszenie Razem dla Bęczkowa", "provider_type": "association",
            "description": "Działa od 2005 roku.", "email": "razem@example.pl", "phone": "501 234 567",
            "website": "https://razem.example.pl", "address_1": "ul. Szkolna 3", "postal_code": "21407",
            "city": "Bęczków"}
    data.update(overrides)
    return data


def _provider(name):
    from portal.catalogue.models import Provider

    return stored(Provider, name=name)


def test_create_provider_normalises_identifiers(auth, organiser):
    nip = valid_nip()
    response = auth.post("/manage/providers/new", provider_data(nip=f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",
                                                                regon="", krs="0000123456"))
    assert response.status_code == 303, response.text[:1500]
    provider = _provider("Stowarzyszenie Razem dla Bęczkowa")
    assert provider.nip == nip
    assert provider.krs == "0000123456"
    assert provider.postal_code == "21-407"
    assert provider.phone == "+48501234567"
    assert provider.slug == "stowarzyszenie-razem-dla-beczkowa"
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "provider"))
    assert event.action == "create" and event.actor_id == organiser.id
    assert auth.client.get(f"/providers/{provider.slug}").status_code == 200


def test_nip_checksum_error_is_shown_at_the_field_with_input_kept(auth, organiser):
    response = auth.post("/manage/providers/new", provider_data(nip=bad_nip(), regon="123456789",
                                                                krs="123", postal_code="2140",
                                                                website="razem.pl", provider_type="bogus"))
    assert response.status_code == 422
    page = response.text
    assert "Nieprawidłowy NIP (suma kontrolna się nie zgadza)." in page
    assert 'id="nip-error"' in page
    assert f'value="{bad_nip()}"' in page
    assert "Nieprawidłowy REGON" in page
    assert "KRS ma 10 cyfr." in page
    assert "Kod pocztowy w formacie 00-000." in page
    assert "Podaj pełny adres strony" in page
    assert "Wybierz pozycję z listy." in page
    assert _provider("Stowarzyszenie Razem dla Bęczkowa") is None


def test_edit_conflict_gets_409_and_keeps_the_first_save(auth, organiser, make_provider):
    provider = make_provider(name="Fundacja Pomocna Dłoń", slug="fpd", provider_type="foundation", city="Łuków")
    url = f"/manage/providers/{provider.id}/edit"
    page = auth.client.get(url).text
    assert re.search(r'<input[^>]*name="version"[^>]*value="1"', page)
    base = {"version": "1", "name": "Fundacja Pomocna Dłoń", "provider_type": "foundation", "city": "Łuków"}
    assert auth.post(url, dict(base, city="Wojcieszków")).status_code == 303
    assert _provider("Fundacja Pomocna Dłoń").version == 2
    response = auth.post(url, dict(base, city="Bęczków"))
    assert response.status_code == 409
    assert "Ktoś inny zmienił tego realizatora w międzyczasie" in response.text
    assert 'value="Bęczków"' in response.text  # the user's input
    assert "Wojcieszków" in response.text  # the other person's value
    assert _provider("Fundacja Pomocna Dłoń").city == "Wojcieszków"


def test_archive_and_reactivate_provider(auth, organiser, make_provider):
    provider = make_provider(name="Koło Gospodyń Wiejskich", slug="kgw", provider_type="social_economy")
    status_url = f"/manage/providers/{provider.id}/status"
    asked = auth.post(status_url, {"action": "archive"})
    assert asked.status_code == 200 and "Zarchiwizować realizatora „Koło Gospodyń Wiejskich”?" in asked.text
    assert _provider("Koło Gospodyń Wiejskich").status == "active"
    assert auth.post(status_url, {"action": "archive", "confirmed": "yes"}).status_code == 303
    assert _provider("Koło Gospodyń Wiejskich").status == "archived"
    assert auth.client.get("/providers/kgw").status_code == 404
    assert "Koło Gospodyń Wiejskich" in auth.client.get("/manage/providers").text
    assert "Koło Gospodyń" not in auth.client.get("/manage/providers?status=active").text
    assert auth.post(status_url, {"action": "reactivate"}).status_code == 303
    assert auth.client.get("/providers/kgw").status_code == 200
    history = auth.client.get(f"/manage/providers/{provider.id}/history").text
    assert history.count("Zmiana statusu") == 2 and organiser.full_name in history
    assert auth.post(status_url, {"action": "explode"}).status_code == 400


def test_provider_list_filter_and_htmx_region(auth, organiser, make_provider):
    make_provider(name="Spółdzielnia Socjalna Łączy Nas", slug="ssln", provider_type="social_economy")
    make_provider(name="Parafia św. Anny", slug="psa", provider_type="church")
    page = auth.client.get("/manage/providers?q=laczy").text
    assert "Spółdzielnia Socjalna Łączy Nas" in page and "Parafia" not in page
    region = auth.client.get("/manage/providers?q=parafia",
                             headers={"HX-Request": "true", "HX-Target": "provider-list"}).text
    assert region.lstrip().startswith('<section id="provider-list"') and "Parafia św. Anny" in region
