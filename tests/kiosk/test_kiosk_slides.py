"""Which slides are due at a given time, their wording, the screen's night
and how long a slide stays: pure functions, no database."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from kiosk import hours as opening
from kiosk import slides as build
from kiosk.qr import qr_svg
from portal.events.services import Occurrence
from portal.timeutil import WARSAW
from tests.kiosk.conftest import OFFICE, local

OFFICE_RULES = opening.Rules(opening.parse_hours(OFFICE))
CENTRE = build.Centre(name="Centrum Usług Społecznych w Wojcieszkowie", address="ul. Długa 35, 21-407 Wojcieszków",
                      phone="25 753 10 01", hours="poniedziałek–piątek 7:30–15:30")


@pytest.fixture(scope="module")
def ctx():
    """An app context for the translations (Polish); no database is touched."""
    from config import TestConfig
    from portal import create_app

    app = create_app(TestConfig)
    with app.test_request_context("/"):
        yield app


def occurrence(event_id, title, start, end, **fields):
    values = dict(event_id=event_id, slug=f"e-{event_id}", title=title, summary="", start=start, end=end,
                  all_day=False, place_name="Świetlica w Burzcu", room="sala 2", village_id=None, cancelled=False,
                  registration_needed=False, registration_phone=None, free=True, price=None, has_image=False,
                  audience_ids=())
    values.update(fields)
    return Occurrence(**values)


def inputs(*occurrences, content=None, free=(), chosen=(), notices=(), **options):
    return build.Inputs(content=content or build.Content(), centre=CENTRE, occurrences=tuple(occurrences),
                        free_services=tuple(free), chosen_services=tuple(chosen), notices=tuple(notices),
                        event_url=lambda slug: f"https://cus.example.pl/wydarzenia/{slug}",
                        service_url=lambda slug: f"https://cus.example.pl/services/{slug}",
                        calendar_url="https://cus.example.pl/wydarzenia", **options)


def card(id_, name, free_places):
    return build.ServiceCard(id=id_, slug=f"s-{id_}", name=name, provider="Stowarzyszenie Razem", place=None,
                             free=True, free_places=free_places)


# --- how long a slide stays ------------------------------------------------------------

def test_seconds_follow_the_amount_of_text_within_10_to_20():
    assert build.seconds_for(3) == 10
    assert build.seconds_for(20) == 14
    assert build.seconds_for(200) == 20
    assert build.seconds_for(200, chosen=8) == 8  # the screen's own setting wins


def test_a_slide_with_more_text_stays_longer(ctx):
    now = local(2026, 10, 12, 9, 0)
    short = occurrence(1, "Bal", local(2026, 10, 14, 18), local(2026, 10, 14, 22))
    long = occurrence(2, "Warsztaty rękodzieła dla seniorów i ich wnuków", local(2026, 10, 15, 10),
                      local(2026, 10, 15, 12), summary="Robimy ozdoby świąteczne z papieru, słomy i szyszek; "
                      "materiały zapewnia centrum, zabierz ze sobą dobry humor i kogoś bliskiego.")
    by_key = {s.heading: s.seconds for s in build.build(inputs(short, long), now).slides}
    assert 10 <= by_key["Bal"] < by_key["Warsztaty rękodzieła dla seniorów i ich wnuków"] <= 20


# --- countdown and weekdays -----------------------------------------------------------------

def test_countdown_wording(ctx):
    assert build.countdown(0) == "dziś"
    assert build.countdown(1) == "jutro"
    assert build.countdown(3) == "za 3 dni"
    assert build.countdown(14) == "za 14 dni"


def test_upcoming_events_carry_the_polish_weekday_and_countdown(ctx):
    now = local(2026, 10, 12, 9, 0)  # a Monday
    tomorrow = occurrence(1, "Klub Seniora", local(2026, 10, 13, 10), local(2026, 10, 13, 12))
    later = occurrence(2, "Święto Pieroga", local(2026, 10, 15, 14), local(2026, 10, 15, 18))
    slides = {s.heading: s for s in build.build(inputs(tomorrow, later), now).slides}
    assert slides["Klub Seniora"].countdown == "jutro"
    assert slides["Klub Seniora"].when == "wtorek, 13 października, 10:00–12:00"
    assert slides["Święto Pieroga"].countdown == "za 3 dni"
    assert slides["Święto Pieroga"].when.startswith("czwartek, 15 października")
    assert slides["Święto Pieroga"].day == date(2026, 10, 15)


# --- which slides are due ----------------------------------------------------------------------

def test_today_lists_only_events_that_have_not_ended_and_upcoming_the_next_14_days(ctx):
    now = local(2026, 10, 12, 9, 0)
    ended = occurrence(1, "Gimnastyka poranna", local(2026, 10, 12, 7), local(2026, 10, 12, 8))
    today = occurrence(2, "Spotkanie z dietetykiem", local(2026, 10, 12, 10), local(2026, 10, 12, 11, 30))
    in_14 = occurrence(3, "Dożynki gminne", local(2026, 10, 26, 12), local(2026, 10, 26, 20))
    in_15 = occurrence(4, "Andrzejki", local(2026, 10, 27, 18), local(2026, 10, 27, 22))
    result = build.build(inputs(ended, today, in_14, in_15), now)
    kinds = [(s.kind, s.heading) for s in result.slides]
    assert kinds[0][0] == "today" and kinds[0][1] == "Dziś, poniedziałek, 12 października"
    today_slide = result.slides[0]
    assert [(i.when, i.title, i.where) for i in today_slide.items] == [
        ("10:00–11:30", "Spotkanie z dietetykiem", "Świetlica w Burzcu, sala 2")]
    assert ("upcoming", "Dożynki gminne") in kinds
    assert ("upcoming", "Andrzejki") not in kinds  # 15 days ahead
    assert all(s.heading != "Gimnastyka poranna" for s in result.slides)


def test_each_slide_expires_when_its_event_ends(ctx):
    now = local(2026, 10, 12, 9, 0)
    today = occurrence(2, "Spotkanie z dietetykiem", local(2026, 10, 12, 10), local(2026, 10, 12, 11, 30))
    tomorrow = occurrence(3, "Klub Seniora", local(2026, 10, 13, 10), local(2026, 10, 13, 12))
    result = build.build(inputs(today, tomorrow), now)
    assert result.slides[0].items[0].expires == local(2026, 10, 12, 11, 30)
    assert result.slides[1].expires == local(2026, 10, 13, 12)
    # The browser holding this set drops them as time passes, down to the fallback.
    assert [s.kind for s in result.current(local(2026, 10, 12, 11, 0))] == ["today", "upcoming"]
    assert [s.kind for s in result.current(local(2026, 10, 12, 11, 31))] == ["upcoming"]
    assert [s.kind for s in result.current(local(2026, 10, 13, 12, 0))] == ["fallback"]


def test_a_recurring_event_shows_once_with_its_next_date(ctx):
    now = local(2026, 10, 12, 13, 0)
    club = [occurrence(7, "Klub Seniora", local(2026, 10, d, 10), local(2026, 10, d, 12)) for d in (13, 20)]
    slides = build.build(inputs(*club), now).slides
    assert [(s.heading, s.day) for s in slides] == [("Klub Seniora", date(2026, 10, 13))]


def test_cancelled_events_say_so(ctx):
    now = local(2026, 10, 12, 9, 0)
    cancelled = occurrence(1, "Piknik", local(2026, 10, 12, 15), local(2026, 10, 12, 18), cancelled=True)
    later = occurrence(2, "Koncert", local(2026, 10, 14, 15), local(2026, 10, 14, 18), cancelled=True)
    result = build.build(inputs(cancelled, later), now)
    assert result.slides[0].items[0].cancelled
    assert result.slides[1].cancelled


def test_all_day_events(ctx):
    now = local(2026, 10, 12, 9, 0)
    fair = occurrence(1, "Kiermasz", local(2026, 10, 12, 0), local(2026, 10, 13, 0), all_day=True)
    assert build.build(inputs(fair), now).slides[0].items[0].when == "cały dzień"


def test_the_fallback_whenever_nothing_else_is_valid(ctx):
    now = local(2026, 10, 12, 9, 0)
    result = build.build(inputs(), now)
    assert result.slides == ()
    (shown,) = result.current(now)
    assert shown.kind == "fallback"
    assert shown.heading == CENTRE.name
    assert "ul. Długa 35, 21-407 Wojcieszków" in shown.facts
    assert "Telefon: 25 753 10 01" in shown.facts
    assert "Godziny pracy: poniedziałek–piątek 7:30–15:30" in shown.facts
    assert [n for n, _label in shown.numbers] == ["112", "999", "997", "998"]


def test_an_active_notice_overrides_everything(ctx):
    now = local(2026, 12, 23, 9, 0)
    event = occurrence(1, "Wigilia seniorów", local(2026, 12, 23, 12), local(2026, 12, 23, 15))
    notice = build.NoticeCard(5, "Centrum nieczynne 24 grudnia", local(2026, 12, 23, 8), local(2026, 12, 25, 0))
    later = build.NoticeCard(6, "Od jutra nowe godziny", local(2026, 12, 23, 16), local(2026, 12, 24, 0))
    far = build.NoticeCard(7, "Za tydzień", local(2026, 12, 30, 8), local(2026, 12, 31, 0))
    result = build.build(inputs(event, notices=(notice, later, far)), now)
    assert [n.key for n in result.notices] == ["notice-5", "notice-6"]  # not the one beyond 48 h
    assert [s.key for s in result.current(now)] == ["notice-5"]
    assert [s.key for s in result.current(local(2026, 12, 23, 17))] == ["notice-5", "notice-6"]
    assert result.current(local(2026, 12, 25, 0, 1))[0].kind == "fallback"  # all gone, event over


def test_notices_can_be_left_out(ctx):
    now = local(2026, 12, 23, 9, 0)
    notice = build.NoticeCard(5, "Centrum nieczynne", local(2026, 12, 23, 8), local(2026, 12, 25, 0))
    result = build.build(inputs(notices=(notice,), content=build.Content(notices=False)), now)
    assert result.notices == ()


def test_services_with_free_places_and_chosen_ones(ctx):
    now = local(2026, 10, 12, 9, 0)
    free = (card(1, "Klub Seniora", 5), card(2, "Rehabilitacja", 0))
    chosen = (card(3, "Wypożyczalnia sprzętu", None), card(1, "Klub Seniora", 5))
    slides = build.build(inputs(free=free, chosen=chosen), now).slides
    assert [s.heading for s in slides] == ["Wypożyczalnia sprzętu", "Klub Seniora"]  # chosen first, once each
    assert "5 wolnych miejsc" in slides[1].facts
    pool = build.ServiceCard(id=4, slug="s-4", name="Opieka", provider="CUS", place=None, free=True,
                             free_places=120, places=False, unit_short="godz.")
    [hours] = build.build(inputs(chosen=(pool,)), now).slides
    assert "Przyjmujemy nowe zgłoszenia" in hours.facts  # never the pool's size (issue 10, §3)
    none_free = build.build(inputs(free=free, chosen=chosen, content=build.Content(free_services=False)), now)
    assert [s.heading for s in none_free.slides] == ["Wypożyczalnia sprzętu", "Klub Seniora"]


def test_event_and_service_slides_carry_a_qr_code_to_their_public_page(ctx):
    now = local(2026, 10, 12, 9, 0)
    event = occurrence(9, "Święto Pieroga", local(2026, 10, 15, 14), local(2026, 10, 15, 18))
    result = build.build(inputs(event, free=(card(4, "Klub", 3),)), now)
    assert result.slides[0].qr == qr_svg("https://cus.example.pl/wydarzenia/e-9")
    assert result.slides[1].qr == qr_svg("https://cus.example.pl/services/s-4")
    assert result.slides[0].qr.startswith('<svg aria-hidden="true"')
    assert qr_svg("https://a.example/x") != qr_svg("https://a.example/y")


def test_the_test_setting_shortens_every_slide(ctx):
    now = local(2026, 10, 12, 9, 0)
    event = occurrence(9, "Święto Pieroga", local(2026, 10, 15, 14), local(2026, 10, 15, 18))
    result = build.build(inputs(event, test_seconds=0.5), now)
    assert {s.seconds for s in result.all_slides()} == {0.5}


# --- night: the next opening -------------------------------------------------------------------

@pytest.mark.parametrize("moment, words", [
    (local(2026, 10, 16, 16, 0), "Zapraszamy w poniedziałek od 7:30"),  # Friday after closing
    (local(2026, 10, 17, 12, 0), "Zapraszamy w poniedziałek od 7:30"),  # Saturday
    (local(2026, 10, 18, 23, 0), "Zapraszamy jutro od 7:30"),           # Sunday night
    (local(2026, 10, 19, 6, 0), "Zapraszamy dziś od 7:30"),             # Monday early
    (local(2026, 10, 13, 20, 0), "Zapraszamy jutro od 7:30"),           # Tuesday evening
    (local(2026, 11, 10, 16, 0), "Zapraszamy w czwartek od 7:30"),      # 11 November is a holiday
    (local(2026, 12, 23, 16, 0), "Zapraszamy w poniedziałek od 7:30"),  # 24-26 December, then the weekend
])
def test_night_mode_invites_to_the_next_opening(ctx, moment, words):
    assert not opening.is_open(OFFICE_RULES, moment)
    assert opening.night_at(OFFICE_RULES, moment).text == words


def test_holidays_can_be_working_days_for_a_screen(ctx):
    rules = opening.Rules(OFFICE_RULES.hours, closed_on_holidays=False)
    assert opening.night_at(rules, local(2026, 11, 10, 16, 0)).text == "Zapraszamy jutro od 7:30"
    assert opening.is_open(rules, local(2026, 11, 11, 9, 0))


def test_a_far_opening_is_given_by_date(ctx):
    rules = opening.Rules(opening.parse_hours(",,,,07:30-15:30,,"))  # Fridays only
    # 25 December (Friday) is a holiday, the next Friday is 1 January (a holiday too): 8 January.
    assert opening.night_at(rules, local(2026, 12, 24, 8)).text == "Zapraszamy 8 stycznia od 7:30"


def test_a_far_opening_reads_in_the_screen_language(ctx):
    from flask_babel import force_locale

    rules = opening.Rules(opening.parse_hours(",,,,07:30-15:30,,"))
    with force_locale("en"):
        text = opening.night_at(rules, local(2026, 12, 24, 8)).text
    assert "8 January" in text and "stycznia" not in text


def test_office_hours_are_open_and_always_on_never_sleeps(ctx):
    assert opening.is_open(OFFICE_RULES, local(2026, 10, 12, 7, 30))
    assert not opening.is_open(OFFICE_RULES, local(2026, 10, 12, 15, 30))
    always = opening.Rules(opening.parse_hours(""), always_on=True)
    assert opening.is_open(always, local(2026, 10, 18, 3, 0))
    assert opening.nights(always, local(2026, 10, 18, 3, 0)) == []


def test_night_stretches_are_cut_at_midnight_with_the_words_of_their_day(ctx):
    stretches = opening.nights(OFFICE_RULES, local(2026, 10, 16, 12, 0), days=3)  # Friday, Saturday, Sunday
    described = [(n.start.astimezone(WARSAW).strftime("%a %H:%M"), n.end.astimezone(WARSAW).strftime("%a %H:%M"),
                  n.text) for n in stretches]
    assert described == [
        ("Fri 00:00", "Fri 07:30", "Zapraszamy dziś od 7:30"),
        ("Fri 15:30", "Sat 00:00", "Zapraszamy w poniedziałek od 7:30"),
        ("Sat 00:00", "Sun 00:00", "Zapraszamy w poniedziałek od 7:30"),
        ("Sun 00:00", "Mon 00:00", "Zapraszamy jutro od 7:30"),
    ]


@pytest.mark.parametrize("day, hours", [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)])
def test_night_across_the_summer_time_change(ctx, day, hours):
    # The last Sundays of March and October have 23 and 25 hours in Warsaw.
    (sunday,) = [n for n in opening.nights(OFFICE_RULES, datetime.combine(day, time(12), WARSAW), days=1)]
    assert sunday.end - sunday.start == timedelta(hours=hours)
    assert sunday.start.astimezone(WARSAW).time() == time(0) == sunday.end.astimezone(WARSAW).time()
    assert sunday.text == "Zapraszamy jutro od 7:30"


def test_broken_hours_count_as_closed():
    assert opening.parse_hours("xx,07:30-06:00,,junk-,08:00-16:00") == (
        None, None, None, None, (time(8), time(16)), None, None)
    assert opening.format_hours(opening.parse_hours(OFFICE)) == OFFICE


def test_hours_summary(ctx):
    assert opening.summary(OFFICE_RULES) == "pn–pt 7:30–15:30"
    assert opening.summary(opening.Rules((None,) * 7, always_on=True)) == "całą dobę"


def test_utc_instants_are_kept(ctx):
    now = datetime(2026, 10, 12, 7, 0, tzinfo=timezone.utc)
    event = occurrence(9, "Święto Pieroga", local(2026, 10, 15, 14), local(2026, 10, 15, 18))
    slide = build.build(inputs(event), now).slides[0]
    assert slide.expires_ms == int(local(2026, 10, 15, 18).timestamp() * 1000)
