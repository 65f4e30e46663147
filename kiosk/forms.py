"""The screen form: name, place, opening hours per weekday, slide time and content.

Input that does not parse comes back as typed, with a Polish message at its
field (the field types are the catalogue management's).
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import Length, NumberRange, Optional

from portal.core.forms import (
    ChoiceField,
    IntegerInputField,
    MultiCheckboxField,
    Required,
    TextField,
    TimeInputField,
)

from .hours import DAYS, format_hours, parse_hours, short_time

WEEKDAY_NAMES = (_l("poniedziałek"), _l("wtorek"), _l("środa"), _l("czwartek"), _l("piątek"), _l("sobota"),
                 _l("niedziela"))
DEFAULT_HOURS = "07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,07:30-15:30,,"


def _place(value):
    if value in (None, ""):
        return ""
    return str(int(value))


class ScreenForm(FlaskForm):
    name = TextField(_l("Nazwa ekranu"), validators=[Required(_l("Podaj nazwę ekranu, np. „Hol — parter”.")),
                                                     Length(max=120, message=_l("Wpisz najwyżej %(max)d znaków."))])
    place_id = ChoiceField(_l("Miejsce"), coerce=_place)
    always_on = BooleanField(_l("Włączony całą dobę (bez trybu nocnego)"))
    closed_on_holidays = BooleanField(_l("W dni świąteczne ekran śpi"))
    slide_seconds = IntegerInputField(
        _l("Czas jednego slajdu (sekundy)"),
        validators=[Optional(), NumberRange(min=5, max=120, message=_l("Podaj liczbę od %(min)s do %(max)s."))])
    show_today = BooleanField(_l("Dzisiejsze wydarzenia („Dziś”)"))
    show_upcoming = BooleanField(_l("Wydarzenia najbliższych 14 dni"))
    show_free_services = BooleanField(_l("Usługi z wolnymi miejscami"))
    show_notices = BooleanField(_l("Pilne komunikaty (na cały ekran)"))
    service_ids = MultiCheckboxField(_l("Wybrane usługi (zawsze pokazywane)"), coerce=int)
    version = HiddenField()

    # opens_0 ... closes_6 are added below, one pair per weekday.

    @staticmethod
    def defaults():
        data = {"closed_on_holidays": True, "show_today": True, "show_upcoming": True, "show_free_services": True,
                "show_notices": True}
        data.update(_hours_data(DEFAULT_HOURS))
        return data

    @staticmethod
    def data_of(screen):
        data = {name: getattr(screen, name) for name in (
            "name", "always_on", "closed_on_holidays", "slide_seconds", "show_today", "show_upcoming",
            "show_free_services", "show_notices")}
        data["place_id"] = str(screen.place_id) if screen.place_id else ""
        data["service_ids"] = [s.id for s in screen.services]
        data["version"] = str(screen.version)
        data.update(_hours_data(screen.hours))
        return data

    def day_fields(self):
        """[(weekday name, opens field, closes field)] for the template."""
        return [(WEEKDAY_NAMES[i], self[f"opens_{i}"], self[f"closes_{i}"]) for i in range(DAYS)]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        open_days = 0
        for i in range(DAYS):
            opens, closes = self[f"opens_{i}"], self[f"closes_{i}"]
            if opens.errors or closes.errors:
                continue
            if opens.data is None and closes.data is None:
                continue
            if opens.data is None:
                opens.errors = [_("Podaj też godzinę otwarcia albo usuń godzinę zamknięcia.")]
            elif closes.data is None:
                closes.errors = [_("Podaj też godzinę zamknięcia albo usuń godzinę otwarcia.")]
            elif closes.data <= opens.data:
                closes.errors = [_("Godzina zamknięcia musi być późniejsza niż godzina otwarcia.")]
            else:
                open_days += 1
                continue
            ok = False
        if ok and open_days == 0 and not self.always_on.data:
            self.always_on.errors = [_("Podaj godziny co najmniej jednego dnia albo zaznacz „Włączony całą dobę”.")]
            ok = False
        return ok

    def to_data(self):
        hours = tuple((self[f"opens_{i}"].data, self[f"closes_{i}"].data)
                      if self[f"opens_{i}"].data and self[f"closes_{i}"].data else None for i in range(DAYS))
        return {
            "name": self.name.data,
            "place_id": int(self.place_id.data) if self.place_id.data else None,
            "hours": format_hours(hours),
            "always_on": bool(self.always_on.data),
            "closed_on_holidays": bool(self.closed_on_holidays.data),
            "slide_seconds": self.slide_seconds.data,
            "show_today": bool(self.show_today.data),
            "show_upcoming": bool(self.show_upcoming.data),
            "show_free_services": bool(self.show_free_services.data),
            "show_notices": bool(self.show_notices.data),
            "service_ids": sorted(set(self.service_ids.data or ())),
        }

    def version_number(self):
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

    def describe(self, key, value):
        """A stored value as the conflict table shows it."""
        if key == "hours":
            spans = parse_hours(value)
            return "; ".join(f"{WEEKDAY_NAMES[i]} {short_time(s[0])}–{short_time(s[1])}"
                             for i, s in enumerate(spans) if s) or _("zamknięte")
        if key == "place_id":
            names = dict(self.place_id.choices)
            return names.get(str(value), "") if value else None
        if key == "service_ids":
            names = dict(self.service_ids.choices)
            return [names.get(v, str(v)) for v in value or ()]
        return value


def _hours_data(text):
    data = {}
    for i, span in enumerate(parse_hours(text)):
        data[f"opens_{i}"] = span[0] if span else None
        data[f"closes_{i}"] = span[1] if span else None
    return data


for _day in range(DAYS):
    setattr(ScreenForm, f"opens_{_day}", TimeInputField(_l("%(day)s — od", day=WEEKDAY_NAMES[_day])))
    setattr(ScreenForm, f"closes_{_day}", TimeInputField(_l("%(day)s — do", day=WEEKDAY_NAMES[_day])))


def field_labels():
    labels = {"name": _("Nazwa ekranu"), "place_id": _("Miejsce"), "hours": _("Godziny pracy"),
              "always_on": _("Włączony całą dobę"), "closed_on_holidays": _("W dni świąteczne ekran śpi"),
              "slide_seconds": _("Czas jednego slajdu"), "show_today": _("Dzisiejsze wydarzenia"),
              "show_upcoming": _("Wydarzenia najbliższych 14 dni"),
              "show_free_services": _("Usługi z wolnymi miejscami"), "show_notices": _("Pilne komunikaty"),
              "service_ids": _("Wybrane usługi")}
    return labels
