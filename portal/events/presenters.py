"""Event times and rules as people read them (Polish first)."""
from datetime import timedelta

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ..i18n import format_date_short, format_time
from ..manage.forms import WEEKDAYS
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
            detail = _("w %(nth)d. %(weekday)s miesiąca", nth=rec.nth_of_month(first),
                       weekday=_weekday_names((first.weekday(),)))
        elif event.monthly_mode == rec.BY_LAST_WEEKDAY:
            detail = _("w ostatni %(weekday)s miesiąca", weekday=_weekday_names((first.weekday(),)))
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
