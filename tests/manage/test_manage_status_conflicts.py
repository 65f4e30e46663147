"""A status button pressed on a page someone changed since it was drawn:
409 with the conflict screen (the record as it is now, its status and the
one asked for), nothing changed; the button of the page as it is now works."""
import html
import re

from sqlalchemy import select

from portal.auth.models import Role


def text_of(page):
    body = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _version_on(page, action):
    form = page[page.index(f'action="{action}"'):]
    return re.search(r'name="version" value="(\d+)"', form).group(1)


def _fresh(model, record_id):
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalar(select(model).where(model.id == record_id))


def test_service_status_on_a_stale_page_is_a_409_with_what_changed(auth, make_service):
    from portal.catalogue.models import Service

    auth.login(Role.SERVICES_ORGANISER)
    service = make_service("Klub Seniora")
    url = f"/manage/services/{service.id}/status"
    seen = _version_on(auth.client.get(f"/manage/services/{service.id}/edit").text, url)
    # Someone else suspends the service from their own copy of the page.
    assert auth.post(url, {"action": "suspend", "version": seen}).status_code == 303

    response = auth.post(url, {"action": "archive", "version": seen, "confirmed": "yes"})
    assert response.status_code == 409
    page = text_of(response.text)
    assert "Ktoś inny zmienił tę usługę w międzyczasie" in page
    assert "Nic nie zostało zmienione." in page
    assert "Status Zawieszona Zarchiwizowana" in page  # saved by the other person, then what was asked
    assert _fresh(Service, service.id).status == "suspended"

    # The page as it is now carries the new version: archiving from it works.
    again = _version_on(response.text, url)
    assert auth.post(url, {"action": "archive", "version": again, "confirmed": "yes"}).status_code == 303
    assert _fresh(Service, service.id).status == "archived"


def test_provider_status_on_a_stale_page_is_a_409_with_what_changed(auth, make_provider):
    from portal.catalogue.models import Provider

    auth.login(Role.ADMIN)
    provider = make_provider(name="Fundacja Pomocna Dłoń", slug="fpd", provider_type="foundation", city="Łuków")
    url = f"/manage/providers/{provider.id}/status"
    edit = f"/manage/providers/{provider.id}/edit"
    seen = _version_on(auth.client.get(edit).text, url)
    base = {"version": seen, "name": "Fundacja Pomocna Dłoń", "provider_type": "foundation"}
    assert auth.post(edit, dict(base, city="Wojcieszków")).status_code == 303

    response = auth.post(url, {"action": "archive", "version": seen, "confirmed": "yes"})
    assert response.status_code == 409
    page = text_of(response.text)
    assert "Ktoś inny zmienił tego realizatora w międzyczasie" in page
    assert "Status Aktywny Zarchiwizowany" in page
    assert 'value="Wojcieszków"' in response.text  # the page shows the record as saved now
    assert _fresh(Provider, provider.id).status == "active"


def test_a_status_post_without_a_version_still_works(auth, make_service):
    """Pages drawn before the version was posted (or scripts) change as before."""
    from portal.catalogue.models import Service

    auth.login(Role.SERVICES_ORGANISER)
    service = make_service("Klub Seniora")
    assert auth.post(f"/manage/services/{service.id}/status", {"action": "suspend"}).status_code == 303
    assert _fresh(Service, service.id).status == "suspended"


def test_the_same_status_chosen_by_two_people_says_it_is_already_saved(auth, make_service):
    """Both pressed "suspend": the second sees that the change is already
    there, not an instruction to do it again."""
    from portal.catalogue.models import Service

    auth.login(Role.SERVICES_ORGANISER)
    service = make_service("Klub Seniora")
    url = f"/manage/services/{service.id}/status"
    seen = _version_on(auth.client.get(f"/manage/services/{service.id}/edit").text, url)
    assert auth.post(url, {"action": "suspend", "version": seen}).status_code == 303

    response = auth.post(url, {"action": "suspend", "version": seen})
    assert response.status_code == 409
    page = text_of(response.text)
    assert "Ta zmiana jest już zapisana: ktoś wykonał ją przed Tobą. Nie trzeba nic robić." in page
    assert "wykonaj zmianę jeszcze raz" not in page
    assert "Status Zawieszona Zawieszona" in page
    assert _fresh(Service, service.id).status == "suspended"
