"""Words the desk pages show for the board's period and filters."""
from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _


def _day(value, pattern):
    return format_date(value, format=pattern, locale=str(get_locale() or "pl"))


def date_range_text(start, end):
    """"1 do 31 grudnia 2026", "1 listopada do 31 grudnia 2026", …: the
    shared month or year written once, as Polish writes a range."""
    if start.year != end.year:
        first = _day(start, "d MMMM y")
    elif start.month != end.month:
        first = _day(start, "d MMMM")
    else:
        first = _day(start, "d")
    return first, _day(end, "d MMMM y")


def period_text(board_or_filters):
    """What the board shows, as its heading says it."""
    start, end = board_or_filters.date_from, board_or_filters.date_to
    if start and end and start == end:
        return _("Zgłoszenia z %(day)s", day=_day(start, "d MMMM y"))
    if start and end:
        first, last = date_range_text(start, end)
        return _("Zgłoszenia od %(start)s do %(end)s", start=first, end=last)
    if start:
        return _("Zgłoszenia od %(start)s", start=_day(start, "d MMMM y"))
    if end:
        return _("Zgłoszenia do %(end)s", end=_day(end, "d MMMM y"))
    if board_or_filters.working:
        return _("Otwarte zgłoszenia i dzisiejsze")
    return _("Zgłoszenia z całego rejestru")
