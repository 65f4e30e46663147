"""Event times and rules as people read them (Polish first)."""
from datetime import timedelta

from babel.dates import format_date
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.forms import WEEKDAYS
from ..i18n import format_date_short, format_time
from . import recurrence as rec


def when_text(start, end, all_day):
    """'wt., 13.01.2026, 10:00–12:00'; overnight and multi-day spans name both days."""
    if all_day:
        last = (end - timedelta(days=1)).date()
        if last <= start.date():
            return _("%(day)s, cały dzień", day=format_date_short(start.date()))
        return f"{format_date_short(start.date())} – {format_date_short(last)}"
    if start.date() == end.date():
        return f"{format_date_short(start)}, {format_time(start)}–{format_time(end)}"
    return f"{format_date_short(start)}, {format_time(start)} – {format_date_short(end)}, {format_time(end)}"


def time_text(start, end, all_day):
    """The time part only, for lists grouped by day: '10:00–12:00'."""
    if all_day:
        return _("cały dzień")
    if start.date() == end.date():
        return f"{format_time(start)}–{format_time(end)}"
    return f"{format_time(start)} – {format_date_short(end)}, {format_time(end)}"


# Ordinals written out per language ("2." in Polish, "2nd" in English).
ORDINALS = {1: _l("1."), 2: _l("2."), 3: _l("3."), 4: _l("4."), 5: _l("5.")}
# Whole phrases per weekday: Polish weekdays differ in gender ("ostatni
# wtorek", "ostatnia środa"), so a name cannot be slotted into one sentence.
NTH_WEEKDAY = {
    0: _l("%(nth)s poniedziałek miesiąca"), 1: _l("%(nth)s wtorek miesiąca"), 2: _l("%(nth)s środa miesiąca"),
    3: _l("%(nth)s czwartek miesiąca"), 4: _l("%(nth)s piątek miesiąca"), 5: _l("%(nth)s sobota miesiąca"),
    6: _l("%(nth)s niedziela miesiąca"),
}
LAST_WEEKDAY = {
    0: _l("ostatni poniedziałek miesiąca"), 1: _l("ostatni wtorek miesiąca"), 2: _l("ostatnia środa miesiąca"),
    3: _l("ostatni czwartek miesiąca"), 4: _l("ostatni piątek miesiąca"), 5: _l("ostatnia sobota miesiąca"),
    6: _l("ostatnia niedziela miesiąca"),
}


def _weekday_names(days):
    names = dict(WEEKDAYS)
    return ", ".join(str(names[str(d)]) for d in days)


def rule_text(event):
    """'co tydzień: wtorek; bez świąt; do 30.06.2026' — or '' for a one-off event."""
    if event.frequency == rec.NONE:
        return ""
    n = event.interval or 1
    first = event.start_date
    if event.frequency == rec.WEEKLY:
        days = rec.parse_weekdays(event.weekdays) or (first.weekday(),)
        head = ngettext("co tydzień", "co %(num)d tyg.", n)
        parts = [f"{head}: {_weekday_names(days)}"]
    else:
        head = ngettext("co miesiąc", "co %(num)d mies.", n)
        if event.monthly_mode == rec.BY_NTH_WEEKDAY:
            detail = NTH_WEEKDAY[first.weekday()] % {"nth": ORDINALS[rec.nth_of_month(first)]}
        elif event.monthly_mode == rec.BY_LAST_WEEKDAY:
            detail = str(LAST_WEEKDAY[first.weekday()])
        else:
            detail = _("%(day)d. dnia miesiąca", day=first.day)
        parts = [f"{head}, {detail}"]
    if event.skip_holidays:
        parts.append(_("bez świąt"))
    if event.until:
        parts.append(_("do %(date)s", date=format_date_short(event.until)))
    return "; ".join(parts)


def date_weekday_long(day):
    """'wtorek, 13 stycznia 2026' (a day heading)."""
    return format_date(day, format="EEEE, d MMMM y", locale=str(get_locale() or "pl"))
