"""The screen's endpoints (page, version, slides, heartbeat) and the staff pages."""
import json
import re
from datetime import date, datetime, timedelta, timezone

import pytest

from portal.auth.models import Role
from tests.kiosk.conftest import local

MONDAY_MORNING = local(2026, 10, 12, 9, 0)


@pytest.fixture
def at_monday(app):
    app.config["FIXED_NOW"] = MONDAY_MORNING
    return MONDAY_MORNING


def version(client, screen):
    response = client.get(f"/kiosk/{screen.token}/version")
    assert response.status_code == 200
    return response


def visible_slides(html):
    """data-key of the slides the page shows without any script."""
    return re.findall(r'<section class="slide [^"]*" data-key="([^"]+)"[^>]*?(?<!hidden)>', html)


# --- the screen ------------------------------------------------------------------

def test_unknown_token_is_404_everywhere(client, make_screen):
    make_screen()
    for path in ("/kiosk/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/kiosk/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/version",
                 "/kiosk/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/slides", "/kiosk/short", "/kiosk/a%20b"):
        assert client.get(path).status_code == 404, path
    assert client.post("/kiosk/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/heartbeat", json={"key": "x"}).status_code == 404


def test_the_token_is_unguessable(make_screen):
    from kiosk.services import new_token

    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50 and all(len(t) == 32 for t in tokens)


def test_the_page_shows_a_first_slide_without_javascript(client, make_screen, make_event, at_monday):
    screen = make_screen(always_on=True)
    make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "10:00", "11:30")
    make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    response = client.get(f"/kiosk/{screen.token}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.text
    assert visible_slides(html) == ["today-2026-10-12-1"]
    assert "Spotkanie z dietetykiem" in html and "10:00–11:30" in html
    assert "Święto Pieroga" in html and "za 3 dni" in html
    assert 'id="kiosk-position-value">1/2<' in html
    assert "<script" in html and 'src="/static/kiosk/kiosk.js?v=' in html
    resources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert resources and all(r.startswith("/") for r in resources)  # nothing from outside


def test_the_page_names_its_files_by_code_version_and_closes_with_the_end_marker(client, make_screen, at_monday):
    """A running screen renews itself in place (kiosk.js): it loads the new
    page's script and style by their own addresses next to the running ones,
    and takes only a page that arrived whole, up to the end marker."""
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}").text
    code = version(client, screen).get_json()["code"]
    assert re.fullmatch(r"[0-9a-f]{12}", code)
    assert f'data-code="{code}"' in html
    assert re.findall(r'<script src="([^"]+)"', html) == [f"/static/kiosk/kiosk.js?v={code}"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [f"/static/kiosk/kiosk.css?v={code}"]
    assert re.search(r'<div id="kiosk-end" hidden></div>\s*</body>\s*</html>\s*$', html)
    for path in (f"/static/kiosk/kiosk.js?v={code}", f"/static/kiosk/kiosk.css?v={code}"):
        response = client.get(path)
        assert response.status_code == 200 and len(response.data) > 1000, path


def test_the_page_shows_the_fallback_when_nothing_is_on(client, make_screen, at_monday):
    screen = make_screen(always_on=True, show_free_services=False)
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == ["fallback"]
    for text in ("ul. Długa 35, 21-407 Wojcieszków", "25 753 10 01", "112", "999", "997", "998"):
        assert text in html


def test_night_screen_outside_opening_hours(client, app, make_screen):
    app.config["FIXED_NOW"] = local(2026, 10, 16, 19, 0)  # Friday evening
    screen = make_screen()
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == []
    assert re.search(r'<section id="kiosk-night" class="night shift-0"[^>]*>\s*<p class="night-clock" data-clock>19:00',
                     html)
    assert "Zapraszamy w poniedziałek od 7:30" in html
    assert "hidden" not in re.search(r'<section id="kiosk-night"[^>]*>', html).group(0)


def test_an_urgent_notice_takes_the_whole_screen(client, make_screen, make_event, make_notice, at_monday):
    screen = make_screen(always_on=True)
    make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "10:00", "11:30")
    notice = make_notice("Centrum nieczynne do odwołania", starts_at=local(2026, 10, 12, 8),
                         ends_at=local(2026, 10, 13, 8))
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == [f"notice-{notice.id}"]
    assert "Centrum nieczynne do odwołania" in html


def test_version_is_tiny_and_cheap(client, make_screen, at_monday):
    screen = make_screen(always_on=True)
    response = version(client, screen)
    assert len(response.data) < 1000
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"v", "code"}
    assert body["v"].endswith(".20261012")


def test_version_moves_when_an_event_a_notice_the_screen_or_the_day_changes(client, app, make_screen, make_event,
                                                                            make_notice, make_service, at_monday):
    from kiosk import services as ops
    from portal.extensions import db

    screen = make_screen(always_on=True)
    seen = [version(client, screen).get_json()["v"]]

    def moved():
        value = version(client, screen).get_json()["v"]
        assert value not in seen
        seen.append(value)

    assert version(client, screen).get_json()["v"] == seen[0]  # nothing changed: the same marker
    make_event("Święto Pieroga", date(2026, 10, 15))
    moved()
    make_notice("Centrum nieczynne", starts_at=local(2026, 10, 12, 8))
    moved()
    make_service("Klub Seniora")  # the catalogue moved
    moved()
    data = {**ops.snapshot(screen), "name": "Hol — piętro"}
    ops.update_screen(db.session, screen, data, actor=None, expected_version=screen.version, now=MONDAY_MORNING)
    db.session.commit()
    moved()
    app.config["FIXED_NOW"] = local(2026, 10, 13, 0, 0, 1)
    moved()


def test_slides_fragment_is_the_set_with_its_version(client, make_screen, make_event, at_monday):
    screen = make_screen(always_on=True)
    make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    response = client.get(f"/kiosk/{screen.token}/slides")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="kiosk-set"')
    marker = version(client, screen).get_json()["v"]
    assert f'data-v="{marker}"' in html
    assert "<html" not in html and "Święto Pieroga" in html
    countdowns = json.loads(re.search(r"data-countdowns='([^']+)'", html).group(1))
    assert countdowns["0"] == "dziś" and countdowns["1"] == "jutro" and countdowns["5"] == "za 5 dni"


def test_nights_go_with_the_set(client, make_screen, at_monday):
    screen = make_screen()  # office hours
    html = client.get(f"/kiosk/{screen.token}/slides").text
    nights = json.loads(re.search(r"data-nights='([^']+)'", html).group(1))
    monday_evening = [n for n in nights if n[0] == int(local(2026, 10, 12, 15, 30).timestamp() * 1000)]
    assert monday_evening and monday_evening[0][2] == "Zapraszamy jutro od 7:30"


def test_no_personal_data_in_kiosk_responses(client, make_screen, make_event, make_service, at_monday):
    from portal.extensions import db
    from portal.residents.models import Resident

    db.session.add(Resident(first_name="Janina", last_name="Kowalska", search_first="janina",
                            search_last="kowalska", pesel="44051401359"))
    make_service("Klub Seniora", contact_name="Zofia Nowakowska", email="zofia.nowakowska@example.pl",
                 phone="601234567", capacity_maximum=10)
    make_event("Dzień Seniora", date(2026, 10, 12), "10:00", "12:00")
    screen = make_screen(always_on=True)
    bodies = [client.get(f"/kiosk/{screen.token}{suffix}").text for suffix in ("", "/slides", "/version")]
    assert "Klub Seniora" in bodies[0] and "Dzień Seniora" in bodies[0]
    for body in bodies:
        for personal in ("Kowalska", "44051401359", "Nowakowska", "zofia", "601234567", "601 234 567"):
            assert personal not in body


def test_qr_codes_point_at_the_public_pages(client, app, make_screen, make_service, make_event, at_monday):
    from kiosk.qr import qr_svg

    app.config["PUBLIC_BASE_URL"] = "https://cus.wojcieszkow.pl/"
    service = make_service("Klub Seniora", capacity_maximum=10)
    event = make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}").text
    assert str(qr_svg(f"https://cus.wojcieszkow.pl/services/{service.slug}")) in html
    assert str(qr_svg(f"https://cus.wojcieszkow.pl/events/{event.slug}")) in html
    assert client.get(f"/events/{event.slug}").status_code == 200  # the page the code leads to
    assert client.get(f"/services/{service.slug}").status_code == 200


# --- heartbeat ---------------------------------------------------------------------

def beat(client, screen, **body):
    payload = {"key": "fallback", "pos": 1, "count": 1, "v": "1.0.0.20261012", "data_at": 1760252400000}
    payload.update(body)
    return client.post(f"/kiosk/{screen.token}/heartbeat", json=payload, headers={"User-Agent": "Chromium kiosk"})


def test_the_check_stores_a_heartbeat_without_a_csrf_token(client, make_screen, at_monday):
    from kiosk.models import Heartbeat
    from portal.extensions import db

    screen = make_screen(always_on=True)
    first = beat(client, screen, key="event-3-20261015t1200", pos=3, count=8)
    assert first.status_code == 200
    # The report is the screen's check: it answers the version marker.
    assert first.get_json() == version(client, screen).get_json() and len(first.data) < 1000
    assert beat(client, screen, key="event-4-20261016t1200", pos=4, count=8).status_code == 200
    db.session.expire_all()
    stored = db.session.get(Heartbeat, screen.id)
    assert (stored.slide_key, stored.position, stored.count, stored.user_agent) == (
        "event-4-20261016t1200", 4, 8, "Chromium kiosk")
    assert stored.seen_at == MONDAY_MORNING
    assert stored.data_at == datetime.fromtimestamp(1760252400, timezone.utc)


@pytest.mark.parametrize("body", [None, [], "x", {"key": "<script>"}, {"pos": -1}, {"pos": "3"}, {"v": "a b"},
                                  {"data_at": 10 ** 20}, {"count": True}])
def test_heartbeat_junk_never_fails(client, make_screen, body):
    from kiosk.models import Heartbeat
    from portal.extensions import db

    screen = make_screen(always_on=True)
    response = client.post(f"/kiosk/{screen.token}/heartbeat", data=json.dumps(body),
                           content_type="application/json")
    assert response.status_code in (200, 400)
    if response.status_code == 200:  # a dict: the bad fields are dropped
        stored = db.session.get(Heartbeat, screen.id)
        assert stored.slide_key is None or stored.slide_key == "fallback"
        assert stored.position is None or stored.position >= 0


def test_heartbeat_is_rate_limited(app, make_screen):
    from portal.extensions import limiter
    from tests.conftest import make_app

    screen = make_screen(always_on=True)
    # The limiter is one object for every app in the process: restore it.
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True)
    try:
        client = limited.test_client()
        with limited.app_context():
            statuses = [beat(client, screen).status_code for _ in range(14)]
            limiter.reset()
    finally:
        limiter.enabled = False
    assert statuses[:12] == [200] * 12
    assert statuses[-1] == 429


# --- staff pages -----------------------------------------------------------------

def form_data(**overrides):
    data = {"name": "Hol — parter", "place_id": "", "closed_on_holidays": "y", "slide_seconds": "",
            "show_today": "y", "show_upcoming": "y", "show_free_services": "y", "show_notices": "y"}
    for day in range(5):
        data[f"opens_{day}"] = "07:30"
        data[f"closes_{day}"] = "15:30"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_community_organiser_creates_a_screen(client, auth, make_service):
    from kiosk.models import Screen
    from portal.extensions import db

    service = make_service("Klub Seniora")
    auth.login(Role.COMMUNITY_ORGANISER)
    assert "Dodaj ekran" in client.get("/staff/kiosk/").text
    response = auth.post("/staff/kiosk/new", form_data(service_ids=str(service.id)))
    assert response.status_code == 303
    screen = db.session.scalar(db.select(Screen))
    assert screen.name == "Hol — parter"
    assert screen.hours == "07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,,"
    assert [s.name for s in screen.services] == ["Klub Seniora"]
    assert len(screen.token) == 32
    page = client.get(response.headers["Location"]).text
    assert f"/kiosk/{screen.token}" in page


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "Podaj nazwę ekranu"),
    ({"opens_0": "25:00"}, "opens_0", "Podaj godzinę w formacie GG:MM"),
    ({"closes_1": ""}, "closes_1", "Podaj też godzinę zamknięcia"),
    ({"opens_2": "16:00"}, "closes_2", "musi być późniejsza"),
    ({"slide_seconds": "3"}, "slide_seconds", "Podaj liczbę od 5 do 120"),
    ({"slide_seconds": "dziesięć"}, "slide_seconds", "Podaj liczbę całkowitą"),
    ({"place_id": "abc"}, "place_id", "Wybierz pozycję z listy"),
    ({**{f"opens_{d}": "" for d in range(7)}, **{f"closes_{d}": "" for d in range(7)}}, "always_on",
     "zaznacz „Włączony całą dobę”"),
])
def test_bad_input_comes_back_422_with_the_input_kept(client, auth, overrides, field, message):
    from kiosk.models import Screen
    from portal.extensions import db

    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/kiosk/new", form_data(**overrides))
    assert response.status_code == 422
    html = response.text
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1), html[:3000]
    for key, value in overrides.items():
        if value and key not in ("place_id",):
            assert f'value="{value}"' in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Screen)) == 0


def test_an_edit_over_someone_elses_is_a_409_with_both_versions(client, auth, make_screen):
    from kiosk.models import Screen
    from portal.extensions import db

    screen = make_screen()
    auth.login(Role.COMMUNITY_ORGANISER)
    page = client.get(f"/staff/kiosk/{screen.id}/edit").text
    loaded = re.search(r'name="version" type="hidden" value="(\d+)"', page) or re.search(
        r'id="version" name="version" type="hidden" value="(\d+)"', page)
    first = auth.post(f"/staff/kiosk/{screen.id}/edit", form_data(name="Hol A", version=loaded.group(1)))
    assert first.status_code == 303
    second = auth.post(f"/staff/kiosk/{screen.id}/edit", form_data(name="Hol B", version=loaded.group(1)))
    assert second.status_code == 409
    assert "Hol A" in second.text and 'value="Hol B"' in second.text
    db.session.expire_all()
    assert db.session.get(Screen, screen.id).name == "Hol A"


def test_a_new_token_retires_the_old_address(client, auth, make_screen):
    from kiosk.models import Screen
    from portal.extensions import db

    screen = make_screen(always_on=True)
    old = screen.token
    auth.login(Role.COMMUNITY_ORGANISER)
    asked = auth.post(f"/staff/kiosk/{screen.id}/token")
    assert asked.status_code == 200 and "nowy adres?" in asked.text
    db.session.expire_all()
    assert db.session.get(Screen, screen.id).token == old
    assert auth.post(f"/staff/kiosk/{screen.id}/token", {"confirmed": "yes"}).status_code == 303
    db.session.expire_all()
    new = db.session.get(Screen, screen.id).token
    assert new != old and len(new) == 32
    assert client.get(f"/kiosk/{old}").status_code == 404
    assert client.get(f"/kiosk/{new}").status_code == 200


def test_the_director_sees_screens_but_does_not_change_them(client, auth, make_screen):
    screen = make_screen()
    auth.login(Role.DIRECTOR)
    page = client.get("/staff/kiosk/").text
    assert screen.name in page and "Dodaj ekran" not in page
    assert client.get(f"/staff/kiosk/{screen.id}/edit").status_code == 403
    assert client.get("/staff/kiosk/health").status_code == 200


def test_preview_runs_the_screen_without_heartbeats(client, auth, make_screen):
    screen = make_screen(always_on=True)
    auth.login(Role.COMMUNITY_ORGANISER)
    html = client.get(f"/staff/kiosk/{screen.id}/preview").text
    assert f'data-version-url="/kiosk/{screen.token}/version"' in html
    assert "data-heartbeat-url" not in html and "data-storage-key" not in html


# --- health ----------------------------------------------------------------------------

def test_health_lists_screens_by_state_with_what_they_show(client, auth, app, make_screen, make_event, at_monday):
    from kiosk import services as ops
    from portal.extensions import db

    make_event("Święto Pieroga", date(2026, 10, 15), "14:00", "18:00")
    online = make_screen("Hol", always_on=True)
    stale = make_screen("Świetlica", always_on=True)
    make_screen("Biblioteka", always_on=True)  # never reported
    make_screen("Urząd", hours=",,,,,,09:00-10:00")  # asleep: Sundays only
    with app.test_request_context("/"):
        key = [s.key for s in ops.slide_set(db.session, online, MONDAY_MORNING,
                                            centre=ops.centre_from(app.config)).slides][0]
    report = ops.Report(slide_key=key, position=1, count=1,
                        set_version=ops.marker_for_screen(db.session, online, MONDAY_MORNING), data_at=None)
    ops.record_heartbeat(db.session, online.id, report, user_agent="x", now=MONDAY_MORNING - timedelta(seconds=20))
    ops.record_heartbeat(db.session, stale.id, report, user_agent="x", now=MONDAY_MORNING - timedelta(minutes=5))
    db.session.commit()

    auth.login(Role.COMMUNITY_ORGANISER)
    html = client.get("/staff/kiosk/health").text
    states = dict(re.findall(r'<h2>([^<]+)</h2>\s*<p><span class="badge [^"]+">([^<]+)</span>', html))
    assert states == {"Hol": "działa", "Świetlica": "opóźniony", "Biblioteka": "brak połączenia",
                      "Urząd": "śpi (poza godzinami)"}
    hol = html.split("<h2>Hol</h2>")[1].split("</li>")[0]
    assert "1/1: Święto Pieroga" in hol and "aktualne" in hol
    assert 'class="kiosk-preview"' in hol and "Święto Pieroga" in hol.split('class="kiosk-preview"')[1]

    fragment = client.get("/staff/kiosk/health", headers={"HX-Request": "true", "HX-Target": "screen-health"})
    assert fragment.text.lstrip().startswith('<div id="screen-health"')
    assert "<html" not in fragment.text
    assert 'data-hx-trigger="every' in fragment.text
