"""What the slides say (issue 10, §3): the date and the centre's name on every
slide, service slides in a resident's terms, the "Dziś" slide with big cards
and a QR code, Polish phone numbers, and the fingerprint that lets a running
screen show a new item for today next."""
import re
from datetime import date, time

from kiosk import slides as build
from kiosk.qr import qr_svg
from tests.kiosk.conftest import local
from tests.kiosk.test_kiosk_slides import CENTRE, ctx, inputs, occurrence  # noqa: F401  (ctx is a fixture)
from tests.kiosk.test_kiosk_views import visible_slides

MONDAY = local(2026, 10, 12, 9, 0)


def service(id_=1, name="Klub Seniora", **fields):
    values = dict(id=id_, slug=f"s-{id_}", name=name, provider="Stowarzyszenie Razem", place=None, free=True,
                  free_places=5)
    values.update(fields)
    return build.ServiceCard(**values)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the bar: date, weekday, the centre ------------------------------------------------------------

def test_the_bar_shows_the_date_with_the_weekday_and_the_centre(client, app, make_screen, make_service):
    app.config["FIXED_NOW"] = MONDAY
    make_service("Klub Seniora w Bęczkowie", capacity_maximum=12)
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}").text
    bar = re.search(r'<header class="kiosk-top".*?</header>', html, re.S).group(0)
    assert re.search(r'<p class="kiosk-centre">Centrum Usług Społecznych w Wojcieszkowie</p>', bar)
    assert re.search(r'<time data-date datetime="2026-10-12">poniedziałek, 12 października</time>', bar)
    assert re.search(r'<time data-clock>09:00</time>', bar)
    assert "visually-hidden" not in bar


# --- services in a resident's terms -------------------------------------------------------------------

def test_a_service_slide_says_free_places_when_where_and_how_to_apply(ctx):
    card = service(name="Klub Seniora", free_places=5, place="Świetlica wiejska w Burzcu",
                   address="Burzec 48, 21-407 Wojcieszków", weekly=((1, time(10), time(12)), (3, time(10), time(12))),
                   apply="Zapisy bezpośrednio u realizatora lub w Biurze Obsługi Klienta CUS.")
    (slide,) = build.build(inputs(chosen=(card,)), MONDAY).slides
    assert slide.facts == (
        "5 wolnych miejsc",
        "Kiedy: wtorki i czwartki, 10:00–12:00",
        "Gdzie: Świetlica wiejska w Burzcu, Burzec 48, 21-407 Wojcieszków",
        "Jak się zgłosić: Zapisy bezpośrednio u realizatora lub w Biurze Obsługi Klienta CUS.",
        "Informacja: tel. 25 753 10 01",
        "Bezpłatna",
    )


def test_free_places_in_polish_plural_forms(ctx):
    def places(n):
        (slide,) = build.build(inputs(chosen=(service(free_places=n),)), MONDAY).slides
        return slide.facts[0]

    assert [places(n) for n in (1, 2, 4, 5, 12, 22, 25)] == [
        "1 wolne miejsce", "2 wolne miejsca", "4 wolne miejsca", "5 wolnych miejsc", "12 wolnych miejsc",
        "22 wolne miejsca", "25 wolnych miejsc"]


def test_a_pool_of_hours_never_shows_its_internal_figures(ctx):
    care = service(name="Usługi opiekuńcze", free_places=4280, places=False, unit_short="godz.", at_home=True,
                   schedule_note="Od poniedziałku do piątku w godzinach ustalonych w decyzji.")
    (slide,) = build.build(inputs(chosen=(care,)), MONDAY).slides
    text = " ".join(slide.facts)
    assert "4280" not in text and "godz." not in text and "Do wykorzystania" not in text
    assert slide.facts[0] == "Przyjmujemy nowe zgłoszenia"
    assert "Kiedy: Od poniedziałku do piątku w godzinach ustalonych w decyzji." in slide.facts
    assert "Gdzie: w domu mieszkańca" in slide.facts


def test_weekly_hours_read_as_a_resident_says_them(ctx):
    def when(*rules):
        (slide,) = build.build(inputs(chosen=(service(weekly=rules),)), MONDAY).slides
        return next(f for f in slide.facts if f.startswith("Kiedy: "))

    assert when(*((d, time(8), time(15, 30)) for d in range(5))) == "Kiedy: od poniedziałku do piątku, 8:00–15:30"
    assert when(*((d, time(8), time(20)) for d in range(7))) == "Kiedy: codziennie, 8:00–20:00"
    assert when((5, time(10), time(14))) == "Kiedy: soboty, 10:00–14:00"
    assert when((0, time(9), time(11)), (2, time(9), time(11)), (4, time(16), time(18))) == (
        "Kiedy: poniedziałki i środy, 9:00–11:00; piątki, 16:00–18:00")


def test_the_screen_shows_a_real_service_in_a_residents_terms(client, app, make_screen, make_service):
    from portal.catalogue.models import Place

    app.config["FIXED_NOW"] = MONDAY
    make_service("Usługi opiekuńcze", capacity_maximum=5000, capacity_granted=720, capacity_basis="units",
                 unit="hour", at_client_home=True, schedule_description="Od poniedziałku do piątku.",
                 application_process="Zgłoszenie w Biurze Obsługi Klienta CUS.")
    make_service("Klub Seniora", capacity_maximum=12, capacity_granted=7, capacity_basis="places",
                 places=[Place(name="Świetlica wiejska w Burzcu", address_1="Burzec 48", postal_code="21-407",
                               city="Wojcieszków")], rules=[(1, "10:00", "12:00")])
    screen = make_screen(always_on=True)
    text = text_of(client.get(f"/kiosk/{screen.token}").text)
    assert "4280" not in text and "Do wykorzystania" not in text
    assert "Przyjmujemy nowe zgłoszenia" in text and "Gdzie: w domu mieszkańca" in text
    assert "5 wolnych miejsc" in text
    assert "Kiedy: wtorki, 10:00–12:00" in text
    assert "Gdzie: Świetlica wiejska w Burzcu, Burzec 48, 21-407 Wojcieszków" in text
    assert "Jak się zgłosić: Zgłoszenie w Biurze Obsługi Klienta CUS." in text


# --- "Dziś" ---------------------------------------------------------------------------------------

def test_today_with_few_events_is_one_big_card_each_with_a_qr_code(ctx):
    club = occurrence(1, "Klub Seniora", local(2026, 10, 12, 10), local(2026, 10, 12, 12),
                      summary="Rozmowy, gimnastyka i herbata.", registration_needed=True,
                      registration_phone="+48257531001")
    (today,) = build.build(inputs(club), MONDAY).slides
    assert today.layout == "cards"
    (item,) = today.items
    assert item.summary == "Rozmowy, gimnastyka i herbata."
    assert "Zapisy: tel. 25 753 10 01" in item.facts
    assert today.qr == qr_svg("https://cus.example.pl/wydarzenia/e-1")  # the one event's page

    two = build.build(inputs(club, occurrence(2, "Bal", local(2026, 10, 12, 18), local(2026, 10, 12, 22))),
                      MONDAY).slides[0]
    assert two.layout == "cards" and len(two.items) == 2
    assert two.qr == qr_svg("https://cus.example.pl/wydarzenia")  # the calendar


def test_today_with_many_events_is_a_list_with_a_qr_code(ctx):
    events = [occurrence(n, f"Spotkanie {n}", local(2026, 10, 12, 9 + n), local(2026, 10, 12, 10 + n))
              for n in range(1, 5)]
    (today,) = build.build(inputs(*events), MONDAY).slides
    assert today.layout == "list" and len(today.items) == 4
    assert today.qr == qr_svg("https://cus.example.pl/wydarzenia")


def test_the_today_slide_on_the_screen(client, app, make_screen, make_event):
    app.config.update(FIXED_NOW=MONDAY, PUBLIC_BASE_URL="https://cus.wojcieszkow.pl")
    event = make_event("Spotkanie z dietetykiem", date(2026, 10, 12), "10:00", "11:30",
                       summary="Jak jeść zdrowo po sześćdziesiątce.")
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == ["today-2026-10-12-1"]
    today = re.search(r'<section class="slide slide-today.*?</section>', html, re.S).group(0)
    assert 'class="today-cards"' in today
    assert "Jak jeść zdrowo po sześćdziesiątce." in today
    assert str(qr_svg(f"https://cus.wojcieszkow.pl/events/{event.slug}")) in today


# --- phone numbers ---------------------------------------------------------------------------------

def test_phone_numbers_are_written_the_polish_way(ctx):
    party = occurrence(1, "Bal", local(2026, 10, 14, 18), local(2026, 10, 14, 22), registration_needed=True,
                       registration_phone="257531001")
    (slide,) = build.build(inputs(party), MONDAY).slides
    assert "Zapisy: tel. 25 753 10 01" in slide.facts
    centre = build.Centre(name="CUS", address="ul. Długa 35", phone="+48257531001", hours="")
    fallback = build.fallback_slide(build.Inputs(content=build.Content(), centre=centre))
    assert "Telefon: 25 753 10 01" in fallback.facts


# --- a new item for today is shown next --------------------------------------------------------------

def test_the_today_slide_carries_a_fingerprint_of_its_content(ctx):
    club = occurrence(1, "Klub Seniora", local(2026, 10, 12, 10), local(2026, 10, 12, 12))
    party = occurrence(2, "Bal", local(2026, 10, 12, 18), local(2026, 10, 12, 22))
    first = build.build(inputs(club), MONDAY).slides[0]
    again = build.build(inputs(club), MONDAY).slides[0]
    added = build.build(inputs(club, party), MONDAY).slides[0]
    renamed = build.build(inputs(occurrence(1, "Klub Seniorów", club.start, club.end)), MONDAY).slides[0]
    assert first.key == added.key == renamed.key  # the same slide...
    assert first.digest == again.digest
    assert len({first.digest, added.digest, renamed.digest}) == 3  # ...with new content


def test_the_screen_marks_the_fingerprint(client, app, make_screen, make_event):
    app.config["FIXED_NOW"] = MONDAY
    make_event("Klub Seniora", date(2026, 10, 12), "10:00", "12:00")
    screen = make_screen(always_on=True)
    html = client.get(f"/kiosk/{screen.token}/slides").text
    assert re.search(r'<section class="slide slide-today[^>]* data-digest="[0-9a-f]{12}"', html)
