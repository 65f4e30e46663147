"""Event pages through the test client: public list and page, the
organiser's forms (422 keeps input, 409 on a stale version), images checked
by content, notices and the banner."""
import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from portal.auth.models import Role
from portal.events.models import Event, Notice
from portal.extensions import db
from tests.helpers import assert_in

WARSAW = ZoneInfo("Europe/Warsaw")


def at(y, mo, d, h=0, mi=0):
    return datetime(y, mo, d, h, mi, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = at(2026, 1, 12, 9)
    return app.config["FIXED_NOW"]


@pytest.fixture
def media(app, tmp_path):
    app.config["EVENT_MEDIA_DIR"] = str(tmp_path / "media")
    return tmp_path / "media"


def image_bytes(fmt="PNG", size=(40, 30), exif=False):
    out = io.BytesIO()
    img = Image.new("RGB", size, (200, 30, 30))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Aparat Testowy"  # Make
        data[0x8825] = {2: (52.0, 10.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def form_data(**changes):
    data = {
        "title": "Dzień Seniora", "summary": "Spotkanie z muzyką", "category": "culture",
        "start_date": "2026-01-13", "start_time": "10:00", "end_time": "12:00", "end_date": "",
        "frequency": "none", "interval": "", "monthly_mode": "day", "until": "",
        "cancelled_dates": "", "skipped_dates": "", "place_id": "", "room": "sala 2", "organiser_id": "",
        "registration_phone": "", "registration_limit": "", "fee": "free", "price": "", "image_alt": "",
        "public": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def listed(client, url="/events"):
    """The public list region only (no flash messages, no filters)."""
    text = client.get(url).text
    return text[text.index('<div id="event-list"'):text.index('id="feeds-heading"')]


# --- public pages -------------------------------------------------------------------------

def test_public_list_groups_by_day_and_shows_cancelled(client, frozen, make_event):
    make_event("Klub Seniora", date(2026, 1, 6), frequency="weekly", skip_holidays=True)
    cancelled = make_event("Koncert kolęd", date(2026, 1, 14), start_time=time(17), end_time=time(19))
    from portal.events import services
    services.set_event_status(db.session, cancelled, "cancel", actor=None)
    db.session.commit()
    make_event("Szkic", date(2026, 1, 15), status="draft")
    page = client.get("/events")
    assert page.status_code == 200
    text = page.text
    assert "wtorek, 13 stycznia 2026" in text
    assert "10:00–12:00" in text
    assert "Koncert kolęd" in text and "odwołane" in text
    assert "Szkic" not in text
    # the series continues every Tuesday within the four weeks
    assert text.count("Klub Seniora") == 4


def test_public_list_filters_work_without_js_and_as_a_fragment(client, frozen, make_event, make_village):
    from portal.catalogue.models import Place, TargetGroup
    village = make_village("Burzec")
    place = Place(name="Świetlica w Burzcu", village=village)
    db.session.add(place)
    db.session.commit()
    seniors = db.session.scalars(db.select(TargetGroup).order_by(TargetGroup.position)).first()
    make_event("W Burzcu", place_id=place.id, audience_ids=[seniors.id])
    make_event("Gdzie indziej")
    page = client.get("/events?village=burzec")
    assert "W Burzcu" in page.text and "Gdzie indziej" not in page.text
    assert 'value="burzec" selected' in page.text
    fragment = client.get(f"/events?group={seniors.code}", headers={"HX-Request": "true", "HX-Target": "event-list"})
    assert fragment.text.lstrip().startswith("<div id=\"event-list\"")
    assert "W Burzcu" in fragment.text and "Gdzie indziej" in fragment.text  # for everybody counts too
    assert client.get("/events?village=nowhere&group=nothing&from=garbage").status_code == 200


def test_event_page_in_polish_format_with_ics_link(client, frozen, make_event):
    event = make_event("Dzień Seniora", date(2026, 1, 13), registration_needed=True,
                       registration_phone="257531001", registration_limit=30, free=False, price="10 zł")
    page = client.get(f"/events/{event.slug}")
    assert page.status_code == 200
    assert "wt., 13.01.2026, 10:00–12:00" in page.text
    assert "25 753 10 01" in page.text and "10 zł" in page.text
    assert f'href="/events/{event.slug}.ics"' in page.text


def test_drafts_and_internal_events_are_hidden_from_the_public(client, auth, frozen, make_event):
    draft = make_event("Szkic", status="draft")
    internal = make_event("Narada", public=False)
    assert client.get(f"/events/{draft.slug}").status_code == 404
    assert client.get(f"/events/{internal.slug}").status_code == 404
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    auth.login(Role.COMMUNITY_ORGANISER)
    preview = client.get(f"/events/{draft.slug}")
    assert preview.status_code == 200 and "Podgląd dla pracowników" in preview.text


# --- organiser's form ------------------------------------------------------------------------

def test_create_event_as_draft_then_publish(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=form_data(
        frequency="weekly", weekdays=["1"], skip_holidays="y", cancelled_dates="2026-01-20"))
    assert response.status_code == 303, response.text
    event = db.session.scalar(db.select(Event))
    assert (event.title, event.status, event.frequency, event.weekdays, event.skip_holidays) == (
        "Dzień Seniora", "draft", "weekly", "1", True)
    assert [(x.day, x.cancelled) for x in event.exceptions] == [(date(2026, 1, 20), True)]
    assert "Dzień Seniora" not in listed(client)
    auth.post(f"/staff/events/{event.id}/status", data={"action": "publish"})
    assert "Dzień Seniora" in listed(client)


def test_invalid_form_comes_back_422_with_input_kept(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=form_data(
        title="Warsztaty wielkanocne", start_date="31.02.2026", end_time="25:00", fee="paid",
        registration_phone="123"))
    assert response.status_code == 422
    text = response.text
    assert_in(text, 'value="Warsztaty wielkanocne"', 'value="31.02.2026"', 'value="25:00"',
              "Podaj datę w formacie RRRR-MM-DD", "Podaj godzinę w formacie GG:MM", "Podaj cenę", "Numer telefonu")
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_end_before_start_is_refused_at_the_end_field(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=form_data(end_date="2026-01-13", end_time="09:00"))
    assert response.status_code == 422
    assert re.search(r'id="end_time-error"[^>]*>Koniec musi być po początku', response.text)


def test_overnight_event_without_end_date_ends_the_next_day(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/events/new", data=form_data(title="Noc filmowa", start_time="22:00", end_time="02:00"))
    assert response.status_code == 303
    event = db.session.scalar(db.select(Event))
    assert (event.start_date, event.end_date) == (date(2026, 1, 13), date(2026, 1, 14))


def test_edit_with_a_stale_version_shows_the_conflict(client, auth, frozen, make_event):
    event = make_event("Klub Seniora")
    auth.login(Role.COMMUNITY_ORGANISER)
    page = client.get(f"/staff/events/{event.id}/edit")
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page.text).group(1)
    auth.post(f"/staff/events/{event.id}/edit", data=form_data(title="Klub Seniora — nowa sala", version=version))
    response = auth.post(f"/staff/events/{event.id}/edit", data=form_data(title="Klub Seniora — moja wersja",
                                                                        version=version))
    assert response.status_code == 409
    assert "Klub Seniora — nowa sala" in response.text and 'value="Klub Seniora — moja wersja"' in response.text
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Klub Seniora — nowa sala"


# --- images -----------------------------------------------------------------------------------

def test_image_is_checked_by_content_resized_and_stripped(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    big = image_bytes("JPEG", size=(3200, 1000), exif=True)
    assert b"Aparat Testowy" in big
    data = form_data(image_alt="Plakat")
    data["image"] = (io.BytesIO(big), "plakat.jpg")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    event = db.session.scalar(db.select(Event))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", event.image_name)
    stored = (media / event.image_name).read_bytes()
    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (1600, 500)
        assert not img.getexif()
    assert b"Aparat Testowy" not in stored
    served = client.get(f"/events/media/{event.image_name}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == stored


def test_text_with_a_jpg_name_is_refused_and_the_rest_is_kept(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    data = form_data(title="Święto Pieroga", image_alt="Plakat")
    data["image"] = (io.BytesIO(b"<?php echo 1; ?>" * 10), "plakat.jpg")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "To nie jest obraz" in response.text and 'value="Święto Pieroga"' in response.text
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    data = form_data(image_alt="Plakat")
    data["image"] = (io.BytesIO(gif.getvalue()), "plakat.png")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "nie jest obsługiwany" in response.text
    assert not media.exists() or not any(media.iterdir())


def test_image_over_five_megabytes_gets_a_polish_message(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    data = form_data(title="Dożynki", image_alt="Plakat")
    data["image"] = (io.BytesIO(b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024)), "duze.jpg")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "większy niż 5 MB" in response.text and 'value="Dożynki"' in response.text


def test_valid_image_survives_an_error_elsewhere(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    data = form_data(title="", image_alt="Plakat")
    data["image"] = (io.BytesIO(image_bytes()), "plakat.png")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    pending = re.search(r'name="pending_image" type="hidden" value="([0-9a-f]{32}\.png)"', response.text).group(1)
    response = auth.post("/staff/events/new", data=form_data(title="Warsztaty", image_alt="Plakat",
                                                             pending_image=pending))
    assert response.status_code == 303
    assert db.session.scalar(db.select(Event)).image_name == pending


def test_image_needs_a_description(client, auth, frozen, media):
    auth.login(Role.COMMUNITY_ORGANISER)
    data = form_data()
    data["image"] = (io.BytesIO(image_bytes()), "plakat.png")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "Opisz, co jest na zdjęciu" in response.text


@pytest.mark.parametrize("name", ["../portal.sqlite3", "x.jpg", "0" * 32 + ".gif", "0" * 32 + ".jpg"])
def test_media_route_serves_only_names_it_made(client, media, name):
    assert client.get(f"/events/media/{name}").status_code == 404


# --- notices and the banner ----------------------------------------------------------------------

def test_notice_banner_on_every_page_until_it_ends(client, auth, app, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/notices", data={"text": "Centrum nieczynne 24 grudnia",
                                                 "starts_at": "", "ends_at": "2026-01-12 15:00"})
    assert response.status_code == 303
    for url in ("/", "/events", "/staff"):
        assert "Centrum nieczynne 24 grudnia" in client.get(url).text
    app.config["FIXED_NOW"] = at(2026, 1, 12, 15)
    assert "Centrum nieczynne 24 grudnia" not in client.get("/").text


def test_a_scheduled_notice_appears_when_it_starts(client, app, frozen):
    notice = Notice(text="Dyżur w sobotę", starts_at=frozen + timedelta(hours=2), ends_at=frozen + timedelta(days=1))
    db.session.add(notice)
    db.session.commit()
    assert "Dyżur w sobotę" not in client.get("/").text  # the banner, kept until the next change
    app.config["FIXED_NOW"] = frozen + timedelta(hours=2)
    assert "Dyżur w sobotę" in client.get("/").text


def test_notice_requires_an_end_and_keeps_the_text(client, auth, frozen):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/notices", data={"text": "Awaria ogrzewania", "starts_at": "", "ends_at": ""})
    assert response.status_code == 422
    assert 'value="Awaria ogrzewania"' in response.text and "do kiedy komunikat" in response.text
    response = auth.post("/staff/notices", data={"text": "x" * 141, "ends_at": "2026-01-13 10:00"})
    assert response.status_code == 422 and "najwyżej 140 znaków" in response.text
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


def test_end_notice_now(client, auth, frozen):
    notice = Notice(text="Zamknięte", starts_at=frozen - timedelta(hours=1), ends_at=frozen + timedelta(days=1))
    db.session.add(notice)
    db.session.commit()
    auth.login(Role.DIRECTOR)
    assert "Zamknięte" in client.get("/").text
    assert auth.post(f"/staff/notices/{notice.id}/end", {"confirmed": "yes"}).status_code == 303
    assert "Komunikat:" not in client.get("/").text


def test_duplicate_copies_as_draft(client, auth, frozen, make_event, media):
    event = make_event("Święto Pieroga", date(2026, 8, 15))
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post(f"/staff/events/{event.id}/duplicate")
    assert response.status_code == 303
    copy = db.session.scalar(db.select(Event).where(Event.id != event.id))
    assert (copy.status, copy.slug) == ("draft", "swieto-pieroga-2")


def test_staff_list_views(client, auth, frozen, make_event):
    make_event("Minione", date(2025, 12, 1))
    make_event("Nadchodzące", date(2026, 2, 1))
    make_event("Szkic wydarzenia", date(2026, 2, 2), status="draft")
    auth.login(Role.COMMUNITY_ORGANISER)
    upcoming = client.get("/staff/events").text
    assert "Nadchodzące" in upcoming and "Minione</a>" not in upcoming and "Szkic wydarzenia" not in upcoming
    assert "Minione</a>" in client.get("/staff/events?view=past").text
    assert "Szkic wydarzenia" in client.get("/staff/events?view=drafts").text


def test_upload_over_the_site_limit_still_answers_with_the_form(client, auth, app, frozen, media):
    """12 MB is over MAX_CONTENT_LENGTH (10 MB) but within the event form's own limit."""
    assert app.config["MAX_CONTENT_LENGTH"] < 12 * 1024 * 1024
    auth.login(Role.COMMUNITY_ORGANISER)
    data = form_data(title="Wakacje z naturą", image_alt="Plakat")
    data["image"] = (io.BytesIO(b"0" * (12 * 1024 * 1024)), "ogromne.jpg")
    response = auth.post("/staff/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "większy niż 5 MB" in response.text and 'value="Wakacje z naturą"' in response.text


def test_old_unreferenced_images_are_removed_at_the_next_upload(client, auth, frozen, media, make_event):
    import os
    import time as clock

    from portal.events import images

    auth.login(Role.COMMUNITY_ORGANISER)
    media.mkdir(parents=True, exist_ok=True)
    kept = make_event("Z obrazem", image_name="a" * 32 + ".png", image_alt="Plakat")
    (media / kept.image_name).write_bytes(image_bytes())
    orphan = media / ("b" * 32 + ".png")
    orphan.write_bytes(image_bytes())
    fresh_orphan = media / ("c" * 32 + ".png")
    fresh_orphan.write_bytes(image_bytes())
    stranger = media / "notes.txt"
    stranger.write_text("not ours")
    day_old = clock.time() - images.ORPHAN_AGE_SECONDS - 60
    for path in (media / kept.image_name, orphan, stranger):
        os.utime(path, (day_old, day_old))
    data = form_data(image_alt="Plakat")
    data["image"] = (io.BytesIO(image_bytes()), "plakat.png")
    assert auth.post("/staff/events/new", data=data, content_type="multipart/form-data").status_code == 303
    assert (media / kept.image_name).exists() and fresh_orphan.exists() and stranger.exists()
    assert not orphan.exists()


def test_a_status_change_from_a_stale_page_is_a_409_with_the_status_now(client, auth, frozen, make_event):
    event = make_event("Klub Seniora")
    auth.login(Role.COMMUNITY_ORGANISER)
    url = f"/staff/events/{event.id}/status"
    page = client.get(f"/staff/events/{event.id}/edit").text
    seen = re.search(r'name="version" value="(\d+)"', page[page.index(f'action="{url}"'):]).group(1)
    # Someone else changes the event from their own copy of the page.
    auth.post(f"/staff/events/{event.id}/edit", data=form_data(title="Klub Seniora — nowa sala", version=seen))

    response = auth.post(url, data={"action": "cancel", "version": seen})
    assert response.status_code == 409
    text = " ".join(re.sub(r"<[^>]+>", " ", response.text).split())
    assert "Ktoś inny zmienił to wydarzenie w międzyczasie" in text
    assert "Nic nie zostało zmienione." in text
    assert "Status opublikowane odwołane" in text  # saved now, then what was asked
    assert 'value="Klub Seniora — nowa sala"' in response.text  # the event as saved now
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"
