"""iCalendar (RFC 5545) feeds of public events.

Repeating events are written as their expanded occurrences in a window
(a month back, a year ahead), one VEVENT each, rather than as RRULE with
EXDATE: every calendar program reads plain events the same way, our
holiday and exception rules need no translation into RRULE, and a single
cancelled date is just that VEVENT with STATUS:CANCELLED. The UID is the
event id and the occurrence's local date, so it is stable across feed
fetches and edits (a changed time updates the same entry; SEQUENCE is the
event's version).

Times are local with TZID=Europe/Warsaw and one VTIMEZONE in the compact
form with yearly rules (last Sunday of March / October), which Outlook,
Google and Apple calendars all accept. All-day events use VALUE=DATE.

Every text written goes through `one_line` or `several_lines` (issue 9): a
title with a line break once broke the feed (icalendar does not escape the
X-WR-CALNAME it does not know as TEXT), and TEXT may hold no control
character but a tab (RFC 5545 3.3.11). Stored text is cleaned here, on the
way out, so that no row already in the database can make a feed fail.
"""
import re
from datetime import datetime, timedelta, timezone

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard, vText
from icalendar import Event as VEvent

from ..catalogue.schedule import WARSAW
from .models import CATEGORIES
from .recurrence import expand

PRODID = "-//Portal CUS//Wydarzenia//PL"
WINDOW_BACK = timedelta(days=31)
WINDOW_AHEAD = timedelta(days=366)


def warsaw_vtimezone():
    tz = Timezone()
    tz.add("tzid", "Europe/Warsaw")
    tz.add("x-lic-location", "Europe/Warsaw")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


# Any line break (CR LF, CR, LF, VT, FF, NEL, the Unicode line and paragraph
# separators) becomes LF; then every control character but TAB and LF goes.
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_SPACE = re.compile(r"[ \t\n]+")


def several_lines(value):
    """Text of a property that may hold line breaks (DESCRIPTION)."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", str(value or ""))).strip()


def one_line(value):
    """Text of a one-line property (SUMMARY, LOCATION, a name): breaks and
    runs of spaces become one space."""
    return _LINE_SPACE.sub(" ", several_lines(value)).strip()


def _location(event):
    parts = []
    if event.place is not None:
        parts.append(one_line(event.place.one_line))
    if event.room:
        parts.append(one_line(event.room))
    return ", ".join(part for part in parts if part)


def _description(event, url, texts):
    lines = [one_line(event.summary)] if event.summary else []
    if event.description:
        lines.append(several_lines(event.description))
    if event.registration_needed:
        phone = one_line(event.registration_phone)
        lines.append(texts["registration"] + (f" {phone}" if phone else ""))
    lines.append(texts["free"] if event.free else f"{texts['price']} {one_line(event.price)}".strip())
    if event.status == "cancelled" and event.cancel_note:
        lines.append(several_lines(event.cancel_note))
    lines.append(url)
    return "\n".join(line for line in lines if line)


def build(events, *, name, domain, url_for_event, texts, moment, window=None):
    """The calendar as bytes. `events`: Event rows (public, published or
    cancelled) with place, exceptions loaded; `url_for_event(event)` gives
    the absolute page address; `domain` ends every UID; `texts` holds the
    translated labels."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(one_line(name)))  # an X- property: icalendar would not escape a str
    cal.add("x-wr-timezone", "Europe/Warsaw")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    cal.add_component(warsaw_vtimezone())
    start, end = window or (moment - WINDOW_BACK, moment + WINDOW_AHEAD)
    for event in events:
        url = url_for_event(event)
        stamp = event.updated_at.astimezone(timezone.utc)
        for instance in expand(event.times, event.rule, start, end):
            cancelled = event.status == "cancelled" or instance.cancelled
            item = VEvent()
            item.add("uid", f"event-{event.id}-{instance.day:%Y%m%d}@{domain}")
            item.add("dtstamp", stamp)
            item.add("last-modified", stamp)
            item.add("sequence", event.version)
            if event.all_day:
                item.add("dtstart", instance.start.date())
                item.add("dtend", instance.end.date())
            else:
                item.add("dtstart", _value(instance.start))
                item.add("dtend", _value(instance.end))
            title = one_line(event.title)
            item.add("summary", f"{texts['cancelled']}: {title}" if cancelled else title)
            item.add("description", _description(event, url, texts))
            location = _location(event)
            if location:
                item.add("location", location)
            item.add("url", url)
            item.add("categories", [one_line(CATEGORIES.get(event.category, event.category))])
            item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
            item.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
            cal.add_component(item)
    return cal.to_ical()


def _value(moment):
    """Written as a TZID=Europe/Warsaw local time; the second pass of the
    repeated October hour (fold=1) cannot be told apart in local time
    (RFC 5545 reads it as the first), so it goes out in UTC."""
    local = moment.astimezone(WARSAW)
    return local.astimezone(timezone.utc) if local.fold else local
