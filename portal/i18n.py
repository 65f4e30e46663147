"""Locale choice and the Polish formats of dates, times, numbers and money."""
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from babel.support import Translations
from flask import current_app, request
from flask_babel import get_locale, gettext, lazy_ngettext, ngettext
from flask_babel import get_translations as flask_babel_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup
from wtforms.i18n import messages_path

from .timeutil import to_local

LANG_COOKIE = "lang"


def select_locale():
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _locale():
    return str(get_locale() or "pl")


def _as_local(value):
    if isinstance(value, datetime):
        return to_local(value)
    return value


def _local_day(value):
    """The (Warsaw) day of a date or a moment."""
    value = _as_local(value)
    return value.date() if isinstance(value, datetime) else value


def format_date_long(value):
    """13 stycznia 2026 / 13 January 2026."""
    return "" if value is None else babel_format_date(_local_day(value), format="d MMMM y", locale=_locale())


def format_date_short(value):
    """wt., 13.01.2026 / Tue, 13.01.2026."""
    return "" if value is None else babel_format_date(_local_day(value), format="EEE, dd.MM.y", locale=_locale())


def format_date_numeric(value):
    """13.01.2026."""
    return "" if value is None else _local_day(value).strftime("%d.%m.%Y")


def bound_gettext():
    """`gettext` and `ngettext` for a template's context, bound to the
    current locale's catalogue: a template rendered with them (a page kept
    rendered, rendered on a first view) looks the catalogue up once instead
    of once per text (Flask-Babel's installed callables find the request's
    locale and translations on every call). Same behaviour as Jinja's
    new-style gettext: the result is escaped-safe Markup under autoescape
    and always formatted with its keyword arguments."""
    translations = flask_babel_translations()

    @pass_context
    def gettext(__context, __string, **variables):
        text = translations.ugettext(__string)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        text = translations.ungettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}


def format_month(value):
    """'maj 2026': a month and its year, the month's name standing alone."""
    if value is None:
        return ""
    return babel_format_date(value, "LLLL y", locale=_locale())


def month_names():
    """{1: 'styczeń', ..., 12: 'grudzień'}: the months' names standing alone."""
    return dict(_month_names(str(_locale())))


@cache
def _month_names(locale):
    return tuple((m, babel_format_date(date(2000, m, 1), "LLLL", locale=locale)) for m in range(1, 13))


@cache
def _wtforms_catalogue(locale):
    """WTForms' own messages ("Not a valid integer value.") for one locale,
    loaded once per process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsTexts:
    """What Flask-WTF looks for as `request.wtforms_translations`: WTForms'
    messages in the request's language, from the catalogue loaded once per
    process (Flask-WTF would read the file again on every request that
    validates or draws a form). The language is looked up at each call, so
    a request that changes it reads the new one."""

    def ugettext(self, string):
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular, plural, n):
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


_WTFORMS_TEXTS = _WTFormsTexts()


def _share_wtforms_texts():
    request.wtforms_translations = _WTFORMS_TEXTS


def format_time(value):
    """24-hour clock, local time: 07:30."""
    if value is None:
        return ""
    value = _as_local(value)
    return value.strftime("%H:%M")


def format_datetime(value):
    if value is None:
        return ""
    value = _as_local(value)
    return f"{format_date_numeric(value)} {format_time(value)}"


def group_thousands(digits, separator="\u00a0"):
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def format_money(amount):
    """1 234,50 zł in Polish (grouped from four digits, as the centres write it)."""
    if amount is None:
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if _locale() == "pl":
        sign = "-" if amount < 0 else ""
        whole, _, cents = f"{abs(amount):.2f}".partition(".")
        return f"{sign}{group_thousands(whole)},{cents}\u00a0zł"
    return f"PLN\u00a0{format_decimal(amount, format='#,##0.00', locale=_locale())}"


def format_number(value):
    if value is None:
        return ""
    if _locale() == "pl" and isinstance(value, int):
        sign = "-" if value < 0 else ""
        return sign + group_thousands(str(abs(value)))
    return format_decimal(value, locale=_locale())


# --- counts with a noun ---------------------------------------------------------------------
# One place for the counts the portal writes next to a noun. Each goes
# through ngettext, so Polish takes its three forms from the catalogue
# (1 spotkanie / 2–4, 22 spotkania / 5–21, 12 spotkań) and English its two.

_UNIT_FORMS = {  # a service unit (catalogue UNITS): the quantity with its noun
    "hour": lambda n: ngettext("%(num)s godzina", "%(num)s godzin", n),
    "meeting": lambda n: ngettext("%(num)s spotkanie", "%(num)s spotkań", n),
    "person": lambda n: ngettext("%(num)s osoba", "%(num)s osób", n),
    "month": lambda n: ngettext("%(num)s miesiąc", "%(num)s miesięcy", n),
    "day": lambda n: ngettext("%(num)s dzień", "%(num)s dni", n),
    "visit": lambda n: ngettext("%(num)s wizyta", "%(num)s wizyt", n),
    "trip": lambda n: ngettext("%(num)s przejazd", "%(num)s przejazdów", n),
    "loan": lambda n: ngettext("%(num)s wypożyczenie", "%(num)s wypożyczeń", n),
    "package": lambda n: ngettext("%(num)s pakiet", "%(num)s pakietów", n),
}


# A fraction takes the genitive singular in Polish ("1,5 godziny", "0,5 dnia"):
# delivered hours of care, a consultation's hours.
_UNIT_FRACTIONS = {
    "hour": lambda: gettext("%(num)s godziny"),
    "meeting": lambda: gettext("%(num)s spotkania"),
    "person": lambda: gettext("%(num)s osoby"),
    "month": lambda: gettext("%(num)s miesiąca"),
    "day": lambda: gettext("%(num)s dnia"),
    "visit": lambda: gettext("%(num)s wizyty"),
    "trip": lambda: gettext("%(num)s przejazdu"),
    "loan": lambda: gettext("%(num)s wypożyczenia"),
    "package": lambda: gettext("%(num)s pakietu"),
}


def unit_quantity(quantity, unit):
    """'1 wizyta', '3 wizyty', '12 wizyt', '1,5 godziny': a quantity in a
    service unit; a unit typed by hand (not a catalogue code) is shown as typed."""
    if quantity is None:
        return ""
    if isinstance(quantity, Decimal):
        if quantity == quantity.to_integral_value():
            quantity = int(quantity)
        else:
            text = format_number(quantity.normalize())
            fraction = _UNIT_FRACTIONS.get(unit)
            return fraction() % {"num": text} if fraction else f"{text} {unit or ''}".strip()
    forms = _UNIT_FORMS.get(unit)
    if forms is None:
        return f"{quantity} {unit or ''}".strip()
    return forms(quantity)


def years(age):
    """An age: '1 rok', '22 lata', '34 lat'."""
    return lazy_ngettext("%(num)s rok", "%(num)s lat", age)


def from_age(age):
    """A lower age limit: 'od 1 roku', 'od 60 lat'."""
    return lazy_ngettext("od %(num)s roku", "od %(num)s lat", age)


def up_to_age(age):
    """An upper age limit: 'do 1 roku', 'do 18 lat'."""
    return lazy_ngettext("do %(num)s roku", "do %(num)s lat", age)


def is_text(value):
    """A string, also a lazily translated one (flask-babel's LazyString is
    iterable and not a `str`, so a list test would spell it letter by letter)."""
    return isinstance(value, (str, LazyString))


def _bound_texts():
    """Every template's `_`, `gettext` and `ngettext`, bound to the locale's
    catalogue once per render (bound_gettext): a page's few hundred texts
    no longer look the locale and the catalogue up each. Imported macros
    (rendered without the context) keep Flask-Babel's callables."""
    texts = bound_gettext()
    return {"_": texts["gettext"], **texts}


def register(app):
    app.context_processor(_bound_texts)
    app.before_request(_share_wtforms_texts)
    app.add_template_filter(format_date_long, "date_long")
    app.add_template_filter(format_date_short, "date_short")
    app.add_template_filter(format_date_numeric, "date_numeric")
    app.add_template_filter(format_time, "time")
    app.add_template_filter(format_month, "month")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_money, "money")
    app.add_template_filter(format_number, "number")
    app.add_template_test(is_text, "text")
    app.add_template_filter(unit_quantity, "in_units")


__all__ = ["select_locale", "register", "date"]
