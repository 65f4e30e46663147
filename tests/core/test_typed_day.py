"""core.forms.TypedDay: the one validator of a day typed into a form."""
from datetime import timedelta

from wtforms import Form, StringField

from portal.core.forms import BirthDate, TypedDay
from portal.timeutil import local_now


class Dates(Form):
    any_day = StringField(validators=[TypedDay("07.03.2026")])
    assessed = StringField(validators=[TypedDay(
        "13.01.2026", not_after_today="Data diagnozy nie może być w przyszłości.",
        earliest=(2000, "Sprawdź datę diagnozy."))])
    born = StringField(validators=[BirthDate()])


def _errors(app, **data):
    with app.test_request_context("/"):
        form = Dates(data=data)
        form.validate()
        return {name: errors for name, errors in form.errors.items()}


def test_typed_day_messages_name_the_fields_own_example_and_bounds(app):
    tomorrow = (local_now().date() + timedelta(days=1)).strftime("%d.%m.%Y")
    errors = _errors(app, any_day="31.02.2026", assessed=tomorrow, born="1.1.1850")
    assert errors == {
        "any_day": ["Data w formacie dd.mm.rrrr, np. 07.03.2026."],
        "assessed": ["Data diagnozy nie może być w przyszłości."],
        "born": ["Sprawdź datę urodzenia."],
    }
    assert _errors(app, assessed="12.12.1999") == {"assessed": ["Sprawdź datę diagnozy."]}
    assert _errors(app, born="wczoraj") == {"born": ["Data w formacie dd.mm.rrrr, np. 07.03.1950."]}
    assert _errors(app, any_day="2030-05-01", assessed="13.01.2026", born="07.03.1950") == {}
