"""Forms of the catalogue management pages.

Fields keep what the user typed when it does not parse (so a re-rendered
form shows the input, not an empty box) and report errors in Polish. Row
groups (schedule, closures, ...) are FieldLists of small forms whose blank
rows are ignored.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
)
from wtforms.validators import NumberRange, Optional, Regexp

from ..catalogue.models import ACCESSIBILITY, CAPACITY_BASES, DELIVERY_MODES, ORIGINS, PROVIDER_TYPES, UNITS
from ..core.forms import (
    TEXT_MAX,
    WEEKDAYS,
    ChoiceField,
    DateInputField,
    EmailAddress,
    IdListField,
    IntegerInputField,
    MoneyField,
    MultiCheckboxField,
    Required,
    RowForm,
    TextBlockField,
    TextField,
    TimeInputField,
    WebAddress,
    max_length,
    optional_int,
)
from ..core.validators import Krs, Nip, Phone, PostalCode, Regon
from . import situations
from .services import KEYWORDS_MAX_LENGTH, MAX_PHRASE_LENGTH, MAX_PHRASES_LENGTH, PROVIDER_FIELDS, SERVICE_FIELDS

# An organisation's address, so the example is one.
ORGANISATION_EMAIL = _l("Podaj poprawny adres e-mail, np. kontakt@cus.pl.")


# --- row forms -----------------------------------------------------------------

class ScheduleRuleRow(RowForm):
    weekday = ChoiceField(_l("Dzień tygodnia"), choices=(("", _l("— wybierz —")),) + WEEKDAYS,
                          validators=[Required(_l("Wybierz dzień tygodnia."), flag=False)])
    opens = TimeInputField(_l("Od godziny"), validators=[Required(_l("Podaj godzinę rozpoczęcia."), flag=False)])
    closes = TimeInputField(_l("Do godziny"), validators=[Required(_l("Podaj godzinę zakończenia."), flag=False)])
    valid_from = DateInputField(_l("Obowiązuje od (opcjonalnie)"))
    valid_to = DateInputField(_l("Obowiązuje do (opcjonalnie)"))
    label = TextField(_l("Opis terminu (opcjonalnie)"), validators=[Optional(), max_length(200)])

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        ok = super().validate(extra_validators)
        if self.opens.data and self.closes.data and self.closes.data <= self.opens.data:
            self.closes.errors.append(_("Godzina zakończenia musi być późniejsza niż rozpoczęcia."))
            ok = False
        if self.valid_from.data and self.valid_to.data and self.valid_to.data < self.valid_from.data:
            self.valid_to.errors.append(_("Data końcowa nie może być wcześniejsza niż początkowa."))
            ok = False
        return ok

    def values(self):
        data = super().values()
        data["weekday"] = int(data["weekday"])
        return data


class ClosureRow(RowForm):
    starts_on = DateInputField(_l("Od dnia"), validators=[Required(_l("Podaj pierwszy dzień przerwy."), flag=False)])
    ends_on = DateInputField(_l("Do dnia (puste = jeden dzień)"))
    reason = TextField(_l("Powód (opcjonalnie)"), validators=[Optional(), max_length(200)])

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        ok = super().validate(extra_validators)
        if self.starts_on.data and self.ends_on.data and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append(_("Data końcowa nie może być wcześniejsza niż początkowa."))
            ok = False
        return ok

    def values(self):
        data = super().values()
        data["ends_on"] = data["ends_on"] or data["starts_on"]
        return data


class DiscountRow(RowForm):
    entitled = TextField(_l("Komu przysługuje"),
                         validators=[Required(_l("Napisz, komu przysługuje zniżka."), flag=False), max_length(300)])
    amount = MoneyField(_l("Kwota po zniżce (zł)"), validators=[
        Required(_l("Podaj kwotę (0 = bezpłatnie)."), flag=False),
        NumberRange(min=0, message=_l("Kwota nie może być ujemna."))])


class RequiredDocumentRow(RowForm):
    document = TextField(_l("Dokument"),
                         validators=[Required(_l("Podaj nazwę dokumentu."), flag=False), max_length(300)])


class IndicatorRow(RowForm):
    name = TextField(_l("Nazwa wskaźnika"),
                     validators=[Required(_l("Podaj nazwę wskaźnika."), flag=False), max_length(300)])
    unit = TextField(_l("Jednostka miary"),
                     validators=[Required(_l("Podaj jednostkę, np. osoby."), flag=False), max_length(60)])
    target_value = IntegerInputField(_l("Wartość docelowa"), validators=[
        Required(_l("Podaj wartość docelową."), flag=False),
        NumberRange(min=0, max=10_000_000, message=_l("Podaj liczbę od 0 do 10 000 000."))])
    year = IntegerInputField(_l("Rok (opcjonalnie)"), validators=[
        Optional(), NumberRange(min=2000, max=2100, message=_l("Podaj rok od 2000 do 2100."))])
    evidence = TextField(_l("Dokument potwierdzający (opcjonalnie)"), validators=[Optional(), max_length(300)])


ROW_GROUPS = ("schedule_rules", "closures", "discounts", "required_documents", "indicators")
BLANK_ROWS = 3


# --- services ----------------------------------------------------------------

def _text(label, limit=TEXT_MAX, **kwargs):
    return TextBlockField(label, validators=[Optional(), max_length(limit)], **kwargs)


AGE_RANGE = NumberRange(min=0, max=130, message=_l("Podaj wiek od 0 do 130 lat."))
COUNT_RANGE = NumberRange(min=0, max=1_000_000, message=_l("Podaj liczbę od 0 do 1 000 000."))


class ServiceForm(FlaskForm):
    version = HiddenField()
    name = TextField(_l("Nazwa usługi"), validators=[Required(_l("Podaj nazwę usługi.")), max_length(200)])
    slug = TextField(_l("Adres strony usługi"), validators=[
        Optional(), max_length(120),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Tylko małe litery bez polskich znaków, cyfry i myślniki, np. klub-seniora."))])
    description = _text(_l("Opis"))
    goal = _text(_l("Cel usługi"))
    keywords = _text(_l("Słowa kluczowe dla wyszukiwarki"), limit=KEYWORDS_MAX_LENGTH, render_kw={"rows": 2})
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int,
                              validators=[Required(_l("Wybierz realizatora."))])
    origin = ChoiceField(_l("Rodzaj usługi"), choices=list(ORIGINS.items()), default="existing")
    valid_from = DateInputField(_l("Realizowana od"))
    valid_to = DateInputField(_l("Realizowana do"))

    areas = MultiCheckboxField(_l("Dziedziny (art. 2 ustawy)"))
    target_groups = MultiCheckboxField(_l("Grupy odbiorców"))
    target_groups_only = BooleanField(_l("Tylko dla zaznaczonych grup"))

    delivery_description = _text(_l("Sposób realizacji"))
    at_client_home = BooleanField(_l("Realizowana w domu klienta"))
    place_ids = MultiCheckboxField(_l("Miejsca realizacji"), coerce=int)
    application_process = _text(_l("Jak się zgłosić"))
    unit = ChoiceField(_l("Jednostka usługi"), choices=[(code, labels[0]) for code, labels in UNITS.items()],
                       default="meeting")
    delivery_mode = ChoiceField(_l("Jak zapisujemy realizację"), choices=list(DELIVERY_MODES.items()),
                                default="group")

    schedule_description = _text(_l("Harmonogram — opis (np. tylko w wakacje, po umówieniu)"))
    closed_on_public_holidays = BooleanField(_l("Nieczynna w dni ustawowo wolne od pracy"), default=True)
    schedule_rules = FieldList(FormField(ScheduleRuleRow), label=_l("Stałe terminy w tygodniu"), max_entries=60)
    closures = FieldList(FormField(ClosureRow), label=_l("Przerwy"), max_entries=60)

    fee_amount = MoneyField(_l("Odpłatność za jednostkę (zł)"), validators=[
        Optional(), NumberRange(min=0, max=99_999_999, message=_l("Kwota nie może być ujemna."))],
        render_kw={"inputmode": "decimal"})
    fees_description = _text(_l("Odpłatność — opis"))
    discounts = FieldList(FormField(DiscountRow), label=_l("Zniżki"), max_entries=30)

    minimum_age = IntegerInputField(_l("Wiek od (lat)"), validators=[Optional(), AGE_RANGE])
    maximum_age = IntegerInputField(_l("Wiek do (lat)"), validators=[Optional(), AGE_RANGE])
    residents_only = BooleanField(_l("Tylko dla mieszkańców gminy"))
    requires_disability_certificate = BooleanField(_l("Wymagane orzeczenie o niepełnosprawności"))
    eligibility_description = _text(_l("Warunki skorzystania"))
    personal_data_required = _text(_l("Dane osobowe potrzebne do kwalifikacji"))
    required_documents = FieldList(FormField(RequiredDocumentRow), label=_l("Wymagane dokumenty"), max_entries=30)

    capacity_basis = ChoiceField(_l("Limit liczony w"), choices=list(CAPACITY_BASES.items()), default="units")
    capacity_maximum = IntegerInputField(_l("Limit (miejsca lub jednostki)"), validators=[Optional(), COUNT_RANGE])
    capacity_granted = IntegerInputField(_l("Przyznano"), validators=[Optional(), COUNT_RANGE])

    indicators = FieldList(FormField(IndicatorRow), label=_l("Wskaźniki roczne"), max_entries=30)

    contact_name = TextField(_l("Osoba do kontaktu"), validators=[Optional(), max_length(200)])
    email = TextField(_l("E-mail"), validators=[Optional(), max_length(254), EmailAddress(ORGANISATION_EMAIL)],
                      render_kw={"type": "email", "autocomplete": "off"})
    phone = TextField(_l("Telefon"), validators=[Optional(), max_length(30), Phone()],
                      render_kw={"type": "tel", "autocomplete": "off"})
    url = TextField(_l("Strona internetowa"), validators=[Optional(), max_length(300), WebAddress()],
                    render_kw={"type": "url"})
    assured_date = DateInputField(_l("Dane sprawdzone z realizatorem dnia"))

    def set_choices(self, *, providers, areas, groups, places):
        self.provider_id.choices = [("", _("— wybierz realizatora —"))] + [(p.id, p.name) for p in providers]
        self.areas.choices = [(a.code, a.name) for a in areas]
        self.target_groups.choices = [(g.code, g.name) for g in groups]
        self.place_ids.choices = [(p.id, p.one_line) for p in places]

    def add_blank_rows(self, count=BLANK_ROWS):
        for name in ROW_GROUPS:
            rows = self[name]
            for _i in range(count):
                if len(rows.entries) < rows.max_entries:
                    rows.append_entry()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        low, high = self.minimum_age.data, self.maximum_age.data
        if low is not None and high is not None and high < low and not self.maximum_age.errors:
            self.maximum_age.errors.append(_("Wiek do musi być większy lub równy wiekowi od."))
            ok = False
        if self.valid_from.data and self.valid_to.data and self.valid_to.data < self.valid_from.data:
            self.valid_to.errors.append(_("Data końcowa nie może być wcześniejsza niż początkowa."))
            ok = False
        return ok

    def to_data(self):
        """The validated input as the services' data dict."""
        data = {name: self[name].data for name in SERVICE_FIELDS}
        data["capacity_granted"] = data["capacity_granted"] or 0
        data["description"] = data["description"] or ""
        data["areas"] = list(self.areas.data or [])
        data["target_groups"] = list(self.target_groups.data or [])
        data["place_ids"] = list(self.place_ids.data or [])
        for name in ROW_GROUPS:
            data[name] = [entry.form.values() for entry in self[name] if not entry.form.is_blank()]
        return data


# --- providers ---------------------------------------------------------------

class ProviderForm(FlaskForm):
    version = HiddenField()
    name = TextField(_l("Nazwa"), validators=[Required(_l("Podaj nazwę realizatora.")), max_length(250)])
    provider_type = ChoiceField(_l("Rodzaj realizatora"),
                                choices=[("", _l("— wybierz —"))] + list(PROVIDER_TYPES.items()),
                                validators=[Required(_l("Wybierz rodzaj realizatora."))])
    description = _text(_l("Opis"))
    nip = TextField(_l("NIP (opcjonalnie)"), validators=[Optional(), max_length(20), Nip()],
                    render_kw={"inputmode": "numeric", "autocomplete": "off"})
    regon = TextField(_l("REGON (opcjonalnie)"), validators=[Optional(), max_length(20), Regon()],
                      render_kw={"inputmode": "numeric", "autocomplete": "off"})
    krs = TextField(_l("KRS (opcjonalnie)"), validators=[Optional(), max_length(20), Krs()],
                    render_kw={"inputmode": "numeric", "autocomplete": "off"})
    email = TextField(_l("E-mail"), validators=[Optional(), max_length(254), EmailAddress(ORGANISATION_EMAIL)],
                      render_kw={"type": "email", "autocomplete": "off"})
    phone = TextField(_l("Telefon"), validators=[Optional(), max_length(30), Phone()],
                      render_kw={"type": "tel", "autocomplete": "off"})
    website = TextField(_l("Strona internetowa"), validators=[Optional(), max_length(300), WebAddress()],
                        render_kw={"type": "url"})
    address_1 = TextField(_l("Ulica i numer"), validators=[Optional(), max_length(200)])
    postal_code = TextField(_l("Kod pocztowy"), validators=[Optional(), max_length(10), PostalCode()],
                            render_kw={"autocomplete": "off"})
    city = TextField(_l("Miejscowość"), validators=[Optional(), max_length(120)])

    def to_data(self):
        return {name: self[name].data for name in PROVIDER_FIELDS}


# --- places and villages -----------------------------------------------------

class PlaceForm(FlaskForm):
    name = TextField(_l("Nazwa miejsca"), validators=[Required(_l("Podaj nazwę miejsca.")), max_length(200)])
    address_1 = TextField(_l("Ulica i numer"), validators=[Optional(), max_length(200)])
    postal_code = TextField(_l("Kod pocztowy"), validators=[Optional(), max_length(10), PostalCode()],
                            render_kw={"autocomplete": "off"})
    city = TextField(_l("Miejscowość (poczta)"), validators=[Optional(), max_length(120)])
    village_id = ChoiceField(_l("Sołectwo / miejscowość gminy"), coerce=optional_int)
    accessibility = MultiCheckboxField(_l("Dostępność miejsca"), choices=list(ACCESSIBILITY.items()))
    accessibility_description = _text(_l("Dostępność — opis"), limit=5000)

    def set_choices(self, villages):
        self.village_id.choices = [("", _("— brak —"))] + [(v.id, v.name) for v in villages]

    def to_data(self):
        return {
            "name": self.name.data,
            "address_1": self.address_1.data,
            "postal_code": self.postal_code.data,
            "city": self.city.data,
            "village_id": self.village_id.data,
            "accessibility": list(self.accessibility.data or []),
            "accessibility_description": self.accessibility_description.data,
        }


class VillageForm(FlaskForm):
    name = TextField(_l("Nazwa miejscowości"), validators=[Required(_l("Podaj nazwę miejscowości.")), max_length(120)])


# --- search tuning -----------------------------------------------------------

class SynonymForm(FlaskForm):
    phrases = TextField(_l("Wyrażenia oznaczające to samo"), validators=[
        Required(_l("Podaj co najmniej dwa wyrażenia oddzielone średnikiem.")),
        max_length(MAX_PHRASES_LENGTH)])


GROUP_LABEL_LENGTH = 70


class MissSynonymForm(FlaskForm):
    """A missed search made a synonym in one step: added to a group, or a
    new group with a phrase from the catalogue."""

    group_id = ChoiceField(_l("Dodaj do grupy"), coerce=optional_int)
    phrase = TextField(_l("albo nowa grupa z wyrażeniem z katalogu"),
                       validators=[Optional(), max_length(MAX_PHRASE_LENGTH)])

    def set_choices(self, groups):
        """The groups in Polish order (as listed), each by its first phrases."""
        self.group_id.choices = [("", _("— nowa grupa —"))] + [(g.id, group_label(g)) for g in groups]


def group_label(group):
    text = "; ".join(group.phrase_list)
    return text if len(text) <= GROUP_LABEL_LENGTH else text[:GROUP_LABEL_LENGTH - 1].rstrip(" ;") + "…"


# --- life situations ----------------------------------------------------------

class SituationForm(FlaskForm):
    version = HiddenField()
    name = TextField(_l("Sytuacja — tak, jak mówią mieszkańcy"), validators=[
        Required(_l("Podaj nazwę sytuacji, tak jak mówią mieszkańcy.")), max_length(situations.NAME_MAX)])
    description = TextField(_l("Opis w jednym zdaniu"), validators=[
        Required(_l("Opisz sytuację jednym zdaniem.")), max_length(situations.DESCRIPTION_MAX)])
    published = BooleanField(_l("Widoczna w katalogu publicznym"), default=True)
    service_ids = IdListField(_l("Usługi w tej sytuacji"))
    # Narrows the list of services to choose from; never saved.
    service_filter = TextField(_l("Pokaż usługi, których nazwa lub realizator zawiera"),
                               validators=[Optional(), max_length(100)])

    def to_data(self):
        return {"name": self.name.data, "description": self.description.data,
                "published": bool(self.published.data), "service_ids": list(self.service_ids.data or [])}


# --- import ------------------------------------------------------------------

class ImportForm(FlaskForm):
    file = FileField(_l("Plik CSV lub XLSX"), render_kw={"accept": ".csv,.xlsx,text/csv"})


class ImportConfirmForm(FlaskForm):
    token = HiddenField()
