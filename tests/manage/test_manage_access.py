"""Who may open which management page: every route × anonymous and the six roles."""
import pytest

from portal.auth.models import Role

ALLOWED = {Role.SERVICES_ORGANISER, Role.ADMIN}

# (method, url template, form data for POST, status for an allowed role).
# Ids come from the `objects` fixture.
ROUTES = [
    ("GET", "/manage/services", None, 200),
    ("GET", "/manage/services/new", None, 200),
    ("POST", "/manage/services/new", {}, 422),
    ("GET", "/manage/services/{service}/edit", None, 200),
    ("POST", "/manage/services/{service}/edit", {}, 422),
    ("POST", "/manage/services/{service}/status", {"action": "suspend"}, 303),
    ("GET", "/manage/services/{service}/history", None, 200),
    ("GET", "/manage/providers", None, 200),
    ("GET", "/manage/providers/new", None, 200),
    ("POST", "/manage/providers/new", {}, 422),
    ("GET", "/manage/providers/{provider}/edit", None, 200),
    ("POST", "/manage/providers/{provider}/edit", {}, 422),
    ("POST", "/manage/providers/{provider}/status", {"action": "archive", "confirmed": "yes"}, 303),
    ("GET", "/manage/providers/{provider}/history", None, 200),
    ("GET", "/manage/places", None, 200),
    ("GET", "/manage/places/new", None, 200),
    ("POST", "/manage/places/new", {}, 422),
    ("GET", "/manage/places/{place}/edit", None, 200),
    ("POST", "/manage/places/{place}/edit", {}, 422),
    ("GET", "/manage/villages", None, 200),
    ("POST", "/manage/villages", {"name": "Nowa Wieś"}, 303),
    ("POST", "/manage/villages/{village}/rename", {"name": "Bęczków Górny"}, 303),
    ("GET", "/manage/synonyms", None, 200),
    ("POST", "/manage/synonyms", {"phrases": "a1; b1"}, 303),
    ("GET", "/manage/synonyms/{group}/edit", None, 200),
    ("POST", "/manage/synonyms/{group}/edit", {"phrases": "a2; b2"}, 303),
    ("POST", "/manage/synonyms/{group}/delete", {"confirmed": "yes"}, 303),
    ("GET", "/manage/search-statistics", None, 200),
    ("GET", "/manage/search-statistics?period=12m", None, 200),
    ("POST", "/manage/search-misses/{miss}/synonym", {"phrase": "pływalnia"}, 303),
    ("POST", "/manage/search-misses/{miss}/dismiss", {}, 303),
    ("GET", "/manage/import", None, 200),
    ("POST", "/manage/import", {}, 422),
    ("POST", "/manage/import/confirm", {"token": "x" * 43}, 400),
    ("GET", "/manage/import/template.csv", None, 200),
]


@pytest.fixture
def objects(app, make_service, make_village):
    from datetime import date

    from portal.catalogue.models import Place, SearchCount, SynonymGroup
    from portal.extensions import db

    village = make_village("Bęczków")
    place = Place(name="Świetlica w Bęczkowie", village=village)
    service = make_service("Klub Seniora", places=[place])
    group = SynonymGroup(phrases="wytchnienie; opieka wytchnieniowa")
    miss = SearchCount(day=date.today(), query="basen", searches=2, misses=2)
    db.session.add_all([group, miss])
    db.session.commit()
    return {"service": service.id, "provider": service.provider_id, "place": place.id,
            "village": village.id, "group": group.id, "miss": miss.id}


def _call(auth, method, url, data):
    if method == "GET":
        return auth.client.get(url)
    return auth.post(url, data)


def test_anonymous_is_sent_to_login(auth, objects):
    wrong = []
    for method, template, data, _allowed in ROUTES:
        response = _call(auth, method, template.format(**objects), data)
        if response.status_code != 302 or "/login" not in response.headers.get("Location", ""):
            wrong.append(f"{method} {template}: {response.status_code}")
    assert not wrong


@pytest.mark.parametrize("role", Role.ALL)
def test_every_route_for_every_role(auth, objects, role):
    """The table walks in order: destructive routes (delete) come after the
    pages of the same object."""
    auth.login(role)
    wrong = []
    for method, template, data, allowed_status in ROUTES:
        response = _call(auth, method, template.format(**objects), data)
        expected = allowed_status if role in ALLOWED else 403
        if response.status_code != expected:
            wrong.append(f"{method} {template}: {response.status_code}, expected {expected}")
        elif expected == 400 and "Wgraj go ponownie" not in response.text:
            # Refused by the view (unknown import file), not by the CSRF check.
            wrong.append(f"{method} {template}: 400 for another reason")
    assert not wrong


def test_navigation_links_for_organiser(auth, objects):
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/manage/services").text
    for url in ("/manage/places", "/manage/villages", "/manage/import", "/manage/providers", "/manage/synonyms",
                "/manage/search-statistics"):
        assert f'href="{url}"' in page
