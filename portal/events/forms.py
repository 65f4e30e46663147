"""Forms of the organiser's event and notice pages. The field types come
from the catalogue management forms (they keep unparsable input for the
re-rendered form and speak Polish)."""
import re
from datetime import datetime, timedelta, timezone

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, widgets
from wtforms.validators import NumberRange, Optional, ValidationError

from ..core.forms import (
    WEEKDAYS,
    ChoiceField,
    DateInputField,
    IntegerInputField,
    MultiCheckboxField,
    ParsedField,
    Required,
    TextBlockField,
    TextField,
    TimeInputField,
    max_length,
    optional_int,
)
from ..core.validators import Phone
from ..timeutil import WARSAW
from . import recurrence as rec
from .images import MAX_BYTES, is_safe_name
from .models import CATEGORIES, FREQUENCIES, MONTHLY_MODES, NOTICE_DISPLAYS, Notice

FEES = (("free", _l("bezpłatne")), ("paid", _l("płatne")))
MAX_EXCEPTION_DATES = 200


class OneLine:
    """One line of printable text: a title stands in headings, lists, the
    kiosk and calendar feeds, where a line break or a control character has
    no place. A text box takes no line break, so one comes from a scripted
    request or pasted separators: refused with a message, not changed."""

    PATTERN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

    def __call__(self, form, field):
        if field.data and self.PATTERN.search(field.data):
            raise ValidationError(_("Tytuł musi być jednym wierszem tekstu: usuń przejścia do nowego wiersza "
                                    "i znaki sterujące."))


class DateListField(ParsedField):
    """Dates, one per line or separated by commas; shown back one per line."""

    widget = widgets.TextArea()
    FORMATS = DateInputField.FORMATS

    def format_value(self, value):
        return "\n".join(day.isoformat() for day in value)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.format_value(self.data or [])

    def parse(self, text):
        days = set()
        for part in re.split(r"[\s,;]+", text):
            if not part:
                continue
            day = DateInputField.parse(self, part)  # the same formats and message as a date field
            days.add(day)
        if len(days) > MAX_EXCEPTION_DATES:
            raise ValueError(_("Podaj najwyżej %(max)d dat.", max=MAX_EXCEPTION_DATES))
        return sorted(days)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is None:
            self.data = []


class LocalDateTimeField(ParsedField):
    """A local date and time typed as 'RRRR-MM-DD GG:MM' (or from a
    datetime-local box), kept as an aware UTC instant."""

    widget = widgets.DateTimeLocalInput()
    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M:%S")

    def format_value(self, value):
        return value.astimezone(WARSAW).strftime("%Y-%m-%dT%H:%M")

    def parse(self, text):
        for fmt in self.FORMATS:
            try:
                naive = datetime.strptime(text, fmt)
            except ValueError:
                continue
            if 2000 <= naive.year <= 2200:
                # The spring gap moves forward, the repeated autumn hour is the first one.
                return rec.local_instant(naive.date(), naive.time()).astimezone(timezone.utc)
        raise ValueError(_("Podaj datę i godzinę, np. 2026-12-24 15:00."))


class EventForm(FlaskForm):
    version = HiddenField()
    pending_image = HiddenField()

    title = TextField(_l("Tytuł"), validators=[Required(_l("Podaj tytuł wydarzenia.")), max_length(200), OneLine()])
    summary = TextField(_l("Krótki opis"), validators=[Optional(), max_length(300)])
    description = TextBlockField(_l("Opis szczegółowy"), validators=[Optional(), max_length(10000)])
    category = ChoiceField(_l("Rodzaj"), choices=list(CATEGORIES.items()))

    start_date = DateInputField(_l("Data (pierwszego) terminu"),
                                validators=[Required(_l("Podaj datę wydarzenia."))])
    all_day = BooleanField(_l("Cały dzień (bez godzin)"))
    start_time = TimeInputField(_l("Godzina rozpoczęcia"))
    end_time = TimeInputField(_l("Godzina zakończenia"))
    end_date = DateInputField(_l("Data zakończenia (opcjonalnie)"))

    frequency = ChoiceField(_l("Powtarzanie"), choices=list(FREQUENCIES.items()))
    interval = IntegerInputField(_l("Co ile tygodni lub miesięcy"),
                                 validators=[Optional(), NumberRange(1, 52, _l("Podaj liczbę od 1 do 52."))])
    weekdays = MultiCheckboxField(_l("W dni tygodnia (przy powtarzaniu co tydzień)"), choices=list(WEEKDAYS))
    monthly_mode = ChoiceField(_l("Który dzień miesiąca (przy powtarzaniu co miesiąc)"),
                               choices=list(MONTHLY_MODES.items()))
    until = DateInputField(_l("Ostatni termin nie później niż (opcjonalnie)"))
    skip_holidays = BooleanField(_l("Bez świąt ustawowo wolnych od pracy"))
    cancelled_dates = DateListField(_l("Terminy odwołane (widoczne jako odwołane)"))
    skipped_dates = DateListField(_l("Terminy pominięte (bez informacji)"))

    place_id = ChoiceField(_l("Miejsce"), coerce=optional_int)
    room = TextField(_l("Sala lub dokładne miejsce"), validators=[Optional(), max_length(120)])
    organiser_id = ChoiceField(_l("Organizator"), coerce=optional_int)
    audience_ids = MultiCheckboxField(_l("Dla kogo"), coerce=int)

    registration_needed = BooleanField(_l("Potrzebne zapisy"))
    registration_phone = TextField(_l("Telefon do zapisów"), validators=[Optional(), Phone()])
    registration_limit = IntegerInputField(_l("Liczba miejsc"), validators=[
        Optional(), NumberRange(1, 100000, _l("Podaj liczbę od 1 do 100 000."))])
    fee = ChoiceField(_l("Wstęp"), choices=FEES)
    price = TextField(_l("Cena"), validators=[Optional(), max_length(120)])

    image = FileField(_l("Zdjęcie lub plakat (JPEG, PNG albo WebP, do 5 MB)"), render_kw={
        "accept": "image/jpeg,image/png,image/webp",
        "data-max-bytes": str(MAX_BYTES),
        "data-too-big": _l("Plik jest większy niż 5 MB. Zmniejsz zdjęcie i wyślij je ponownie."),
    })
    image_alt = TextField(_l("Opis zdjęcia dla osób niewidomych"), validators=[Optional(), max_length(250)])
    remove_image = BooleanField(_l("Usuń zdjęcie"))
    public = BooleanField(_l("Publiczne (na stronie, w kalendarzu i na ekranach)"), default=True)

    def set_choices(self, places, providers, groups):
        self.place_id.choices = [("", _("— bez miejsca —"))] + [(p.id, p.one_line) for p in places]
        self.organiser_id.choices = [("", _("Centrum Usług Społecznych"))] + [(p.id, p.name) for p in providers]
        self.audience_ids.choices = [(g.id, g.name) for g in groups]

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.all_day.data and self.start_date.data:
            if self.start_time.data is None and not self.start_time.errors:
                self.start_time.errors.append(_("Podaj godzinę rozpoczęcia albo zaznacz „cały dzień”."))
                ok = False
            if self.end_time.data is None and not self.end_time.errors:
                self.end_time.errors.append(_("Podaj godzinę zakończenia."))
                ok = False
        if self.fee.data == "paid" and not self.price.data:
            self.price.errors.append(_("Podaj cenę, np. „10 zł od osoby”."))
            ok = False
        if self.pending_image.data and not is_safe_name(self.pending_image.data):
            self.pending_image.data = ""
        return ok

    def end_date_value(self):
        """Empty end date: the same day, or the next one when the end time is
        not after the start time (22:00–02:00)."""
        if self.end_date.data:
            return self.end_date.data
        start = self.start_date.data
        if (not self.all_day.data and self.start_time.data and self.end_time.data
                and self.end_time.data <= self.start_time.data):
            return start + timedelta(days=1)
        return start

    def to_data(self, image_name):
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "description": self.description.data,
            "category": self.category.data,
            "start_date": self.start_date.data,
            "start_time": self.start_time.data,
            "end_date": self.end_date_value(),
            "end_time": self.end_time.data,
            "all_day": self.all_day.data,
            "frequency": self.frequency.data or rec.NONE,
            "interval": self.interval.data or 1,
            "weekdays": [int(d) for d in self.weekdays.data or []],
            "monthly_mode": self.monthly_mode.data or rec.BY_DAY,
            "until": self.until.data,
            "skip_holidays": self.skip_holidays.data,
            "skipped_dates": list(self.skipped_dates.data or []),
            "cancelled_dates": list(self.cancelled_dates.data or []),
            "place_id": self.place_id.data,
            "room": self.room.data,
            "organiser_id": self.organiser_id.data,
            "audience_ids": list(self.audience_ids.data or []),
            "registration_needed": self.registration_needed.data,
            "registration_phone": self.registration_phone.data,
            "registration_limit": self.registration_limit.data,
            "free": self.fee.data != "paid",
            "price": self.price.data,
            "image_name": image_name,
            "image_alt": self.image_alt.data,
            "public": self.public.data,
        }

    def fill(self, data):
        """Form values from the service's data dict (GET of the edit page)."""
        for key, value in data.items():
            if key in self and key not in ("image_name",):
                self[key].data = value
        self.weekdays.data = [str(d) for d in data.get("weekdays") or []]
        self.fee.data = "free" if data.get("free", True) else "paid"
        if data.get("interval") == 1:
            self.interval.data = None


class ConfirmForm(FlaskForm):
    """An irreversible action's second step: nothing to fill in but the CSRF token."""


class NoticeForm(FlaskForm):
    text = TextField(_l("Treść komunikatu"), validators=[
        Required(_l("Wpisz treść komunikatu.")),
        max_length(Notice.TEXT_MAX)])
    # Alongside the slides by default: taking the whole screen (and hiding
    # every event) is a choice the organiser makes for the notice.
    display = RadioField(_l("Jak pokazać na ekranach informacyjnych"), default="banner", validate_choice=False,
                         choices=[("banner", _l("Pasek na każdym slajdzie — wydarzenia i usługi dalej się zmieniają")),
                                  ("full", _l("Cały ekran — zamiast slajdów"))])
    starts_at = LocalDateTimeField(_l("Widoczny od (puste: od teraz)"))
    ends_at = LocalDateTimeField(_l("Widoczny do"), validators=[
        Required(_l("Podaj, do kiedy komunikat ma być widoczny."))])

    def validate_display(self, field):
        if field.data not in NOTICE_DISPLAYS:
            raise ValidationError(_("Wybierz, jak pokazać komunikat na ekranach."))
