"""WTForms validators for Polish identifiers (PESEL, NIP, REGON, KRS, postal
code, phone), built on portal.validation.

Empty input passes, so each validator is combined with Optional or
DataRequired. A valid value is written back to `field.data` in its
normalised form, which is what gets stored.
"""
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError as FormValidationError

from .. import validation

MESSAGES = {
    "pesel_format": _l("PESEL ma 11 cyfr."),
    "pesel_checksum": _l("Nieprawidłowa cyfra kontrolna PESEL — sprawdź numer."),
    "pesel_date": _l("PESEL zawiera nieistniejącą datę urodzenia."),
    "pesel_future": _l("Data urodzenia z PESEL jest w przyszłości."),
    "nip_format": _l("NIP ma 10 cyfr."),
    "nip_checksum": _l("Nieprawidłowy NIP (suma kontrolna się nie zgadza)."),
    "regon_format": _l("REGON ma 9 lub 14 cyfr."),
    "regon_checksum": _l("Nieprawidłowy REGON (suma kontrolna się nie zgadza)."),
    "krs_format": _l("KRS ma 10 cyfr."),
    "postal_code_format": _l("Kod pocztowy w formacie 00-000."),
    "phone_format": _l("Numer telefonu: 9 cyfr, opcjonalnie z +48."),
}


def _is_empty(data) -> bool:
    return data is None or (isinstance(data, str) and not data.strip())


class _Validator:
    """Runs one function of portal.validation and maps its error code to a
    message. Each subclass defines `check(field)`."""

    def __init__(self, message=None):
        # A custom message replaces every code's message for this field.
        self.message = message

    def __call__(self, form, field):
        if _is_empty(field.data):
            return
        try:
            field.data = self.check(field)
        except validation.ValidationError as error:
            message = self.message or MESSAGES[error.code]
            # Resolved now, in the request's locale, so form.errors holds plain
            # strings that JSON responses and logs can take as they are.
            raise FormValidationError(str(message)) from None


class Pesel(_Validator):
    """Also leaves the decoded data in `field.pesel_info` (birth date, sex), or None.

    Read it with getattr(field, "pesel_info", None): when Optional() stops
    the chain on empty input, this validator never runs.
    """

    def __init__(self, today=None, message=None):
        super().__init__(message)
        # A date or a callable; None means the real date at each validation,
        # since forms are built once at import and the process runs for days.
        self.today = today

    def _today(self) -> date:
        if self.today is None:
            return date.today()
        return self.today() if callable(self.today) else self.today

    def __call__(self, form, field):
        field.pesel_info = None
        super().__call__(form, field)

    def check(self, field):
        info = validation.parse_pesel(field.data, today=self._today())
        field.pesel_info = info
        return info.pesel


class Nip(_Validator):
    def check(self, field):
        return validation.validate_nip(field.data)


class Regon(_Validator):
    def check(self, field):
        return validation.validate_regon(field.data)


class Krs(_Validator):
    def check(self, field):
        return validation.validate_krs(field.data)


class PostalCode(_Validator):
    def check(self, field):
        return validation.validate_postal_code(field.data)


class Phone(_Validator):
    def check(self, field):
        return validation.normalise_phone(field.data)
