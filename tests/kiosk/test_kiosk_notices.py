"""Urgent notices on a screen (issue 10, §1 item 2): the night wins outside
the screen's hours, a notice shows from its start, and a notice shown
"alongside the slides" is a banner on every slide while the rotation goes on."""
import re
from datetime import date

from kiosk import slides as build
from tests.kiosk.conftest import local
from tests.kiosk.test_kiosk_slides import ctx, inputs, occurrence  # noqa: F401  (ctx is a fixture)
from tests.kiosk.test_kiosk_views import visible_slides

FRIDAY_EVENING = local(2026, 12, 4, 21, 13)


def banner_tags(html):
    return re.findall(r'<div class="kiosk-banner"[^>]*>', html)


# --- the slide set ---------------------------------------------------------------------------

def test_a_banner_notice_leaves_the_rotation_running(ctx):
    now = local(2026, 12, 7, 9, 0)
    event = occurrence(1, "Klub Seniora", local(2026, 12, 7, 10), local(2026, 12, 7, 12))
    banner = build.NoticeCard(5, "Od dziś nowe godziny pracy", local(2026, 12, 7, 7, 30), local(2026, 12, 8, 0),
                              display="banner")
    result = build.build(inputs(event, notices=(banner,)), now)
    assert result.notices == ()
    assert [(b.key, b.summary) for b in result.banners] == [("banner-5", "Od dziś nowe godziny pracy")]
    assert [s.kind for s in result.current(now)] == ["today"]
    assert [b.key for b in result.banners_at(now)] == ["banner-5"]
    assert result.banners_at(local(2026, 12, 8, 0)) == []


def test_a_notice_shows_from_its_start(ctx):
    friday = local(2026, 12, 4, 14, 0)
    event = occurrence(1, "Klub Seniora", local(2026, 12, 5, 10), local(2026, 12, 5, 12))
    monday = build.NoticeCard(6, "Centrum nieczynne w poniedziałek", local(2026, 12, 5, 7, 30), local(2026, 12, 8, 0))
    result = build.build(inputs(event, notices=(monday,)), friday)
    assert [s.kind for s in result.current(friday)] == ["upcoming"]  # not before its start
    assert [s.key for s in result.current(local(2026, 12, 5, 7, 30))] == ["notice-6"]


# --- the screen ---------------------------------------------------------------------------------

def test_the_night_wins_over_a_full_screen_notice(client, app, make_screen, make_notice):
    """The office screen (Mon-Fri 7:30-15:30) shone with a notice on Friday at
    21:13 while the health page called it sleeping."""
    app.config["FIXED_NOW"] = FRIDAY_EVENING
    screen = make_screen()  # office hours
    make_notice("Centrum nieczynne w poniedziałek", starts_at=local(2026, 12, 4, 12), ends_at=local(2026, 12, 8, 0))
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == []
    night = re.search(r'<section id="kiosk-night"[^>]*>', html).group(0)
    assert "hidden" not in night
    assert "Zapraszamy w poniedziałek od 7:30" in html
    assert 'id="kiosk-position" hidden' in html

    app.config["FIXED_NOW"] = local(2026, 12, 7, 7, 30)  # Monday morning: the notice takes the screen
    html = client.get(f"/kiosk/{screen.token}").text
    assert [key for key in visible_slides(html) if key.startswith("notice-")] == visible_slides(html) != []
    assert "hidden" in re.search(r'<section id="kiosk-night"[^>]*>', html).group(0)


def test_a_banner_notice_shows_on_the_slides(client, app, make_screen, make_event, make_notice):
    app.config["FIXED_NOW"] = local(2026, 12, 7, 9, 0)
    screen = make_screen()
    make_event("Klub Seniora", date(2026, 12, 7), "10:00", "12:00")
    notice = make_notice("Od dziś nowe godziny pracy", starts_at=local(2026, 12, 7, 7, 30),
                         ends_at=local(2026, 12, 12, 0), display="banner")
    html = client.get(f"/kiosk/{screen.token}").text
    assert visible_slides(html) == ["today-2026-12-07-1"]  # the rotation goes on
    (tag,) = banner_tags(html)
    assert f'data-key="banner-{notice.id}"' in tag and " hidden" not in tag
    assert "Od dziś nowe godziny pracy" in html
    # The fragment a running screen fetches carries it too.
    assert banner_tags(client.get(f"/kiosk/{screen.token}/slides").text)


def test_no_banner_at_night(client, app, make_screen, make_notice):
    app.config["FIXED_NOW"] = FRIDAY_EVENING
    screen = make_screen()
    make_notice("Od poniedziałku nowe godziny", starts_at=local(2026, 12, 4, 12), ends_at=local(2026, 12, 12, 0),
                display="banner")
    html = client.get(f"/kiosk/{screen.token}").text
    (tag,) = banner_tags(html)
    assert " hidden" in tag
