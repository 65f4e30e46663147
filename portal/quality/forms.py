"""Forms of the quality pages: the questionnaire (on a phone or typed in
from paper), the service's questions, the slips, standards and checks."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField

from ..core.forms import (
    ChoiceField,
    DateInputField,
    IntegerInputField,
    Required,
    TextBlockField,
    TextField,
    max_length,
    optional_int,
)
from .services import COMMENT_MAX, MAX_QUESTIONS, QUESTION_MAX, TEXT_MAX

SCORE_CHOICES = (("1", _l("1 — bardzo źle")), ("2", _l("2 — źle")), ("3", _l("3 — średnio")),
                 ("4", _l("4 — dobrze")), ("5", _l("5 — bardzo dobrze")))


def survey_form(questions, *, paper=False, formdata=None):
    """The questionnaire for `questions` (texts, shown translated): fields
    q1..qN (1–5, each may be left out) and a comment; on paper also the day
    it was filled in."""

    class SurveyForm(FlaskForm):
        comment = TextBlockField(_l("Uwagi (nieobowiązkowo)"), validators=[max_length(COMMENT_MAX)])

        def scores(self):
            return {position: int(self[f"q{position}"].data) if self[f"q{position}"].data else None
                    for position in range(1, len(questions) + 1)}

        def to_data(self):
            return {"scores": self.scores(), "comment": self.comment.data}

    from flask_babel import gettext

    for position, text in enumerate(questions, 1):
        setattr(SurveyForm, f"q{position}", ChoiceField(gettext(text), choices=SCORE_CHOICES))
    if paper:
        SurveyForm.answered_on = DateInputField(_l("Dzień wypełnienia ankiety"),
                                                validators=[Required(_l("Podaj dzień wypełnienia ankiety."))])
    form = SurveyForm() if formdata is None else SurveyForm(formdata=formdata)
    form.question_names = [f"q{position}" for position in range(1, len(questions) + 1)]
    return form


class CodeForm(FlaskForm):
    code = TextField(_l("Kod z kartki"), validators=[Required(_l("Wpisz kod z kartki.")), max_length(64)])


class QuestionsForm(FlaskForm):
    questions = TextBlockField(_l("Pytania ankiety, każde w osobnym wierszu"),
                               validators=[max_length(MAX_QUESTIONS * (QUESTION_MAX + 2))])

    def texts(self):
        return [line for line in (self.questions.data or "").splitlines() if line.strip()]


class SlipsForm(FlaskForm):
    count = IntegerInputField(_l("Liczba kartek"), validators=[Required(_l("Podaj liczbę kartek."))])


class StandardForm(FlaskForm):
    version = HiddenField()
    text = TextBlockField(_l("Treść standardu"), validators=[Required(_l("Wpisz treść standardu.")),
                                                             max_length(TEXT_MAX)])


class ApproveForm(FlaskForm):
    version = HiddenField()
    order_number = TextField(_l("Numer zarządzenia"), validators=[
        Required(_l("Wpisz numer zarządzenia, np. „Zarządzenie Nr 4/2026”.")), max_length(80)])
    order_date = DateInputField(_l("Data zarządzenia"), validators=[Required(_l("Podaj datę zarządzenia."))])

    def to_data(self):
        return {"order_number": self.order_number.data, "order_date": self.order_date.data}


class AcceptanceForm(FlaskForm):
    accepted_on = DateInputField(_l("Dzień przyjęcia przez realizatora"),
                                 validators=[Required(_l("Podaj dzień przyjęcia standardu."))])


class CheckForm(FlaskForm):
    version = HiddenField()
    provider_id = ChoiceField(_l("Realizator"), coerce=optional_int,
                              validators=[Required(_l("Wybierz realizatora."))])
    service_id = ChoiceField(_l("Usługa (nieobowiązkowo)"), coerce=optional_int)
    checked_on = DateInputField(_l("Dzień kontroli"), validators=[Required(_l("Podaj dzień kontroli."))])
    inspectors = TextField(_l("Kontrolujący (imiona i nazwiska)"),
                           validators=[Required(_l("Wpisz, kto przeprowadził kontrolę.")), max_length(300)])
    scope = TextBlockField(_l("Zakres kontroli"), validators=[Required(_l("Wpisz zakres kontroli.")),
                                                              max_length(TEXT_MAX)])
    findings = TextBlockField(_l("Ustalenia"), validators=[max_length(TEXT_MAX)])
    recommendations = TextBlockField(_l("Zalecenia"), validators=[max_length(TEXT_MAX)])
    follow_up_on = DateInputField(_l("Termin sprawdzenia zaleceń"))
    follow_up_done_on = DateInputField(_l("Zalecenia sprawdzono w dniu"))
    answer = TextBlockField(_l("Odpowiedź realizatora"), validators=[max_length(TEXT_MAX)])
    answered_on = DateInputField(_l("Dzień odpowiedzi realizatora"))

    FIELDS = ("provider_id", "service_id", "checked_on", "inspectors", "scope", "findings", "recommendations",
              "follow_up_on", "follow_up_done_on", "answer", "answered_on")

    def set_choices(self, providers, services):
        self.provider_id.choices = [("", _l("— wybierz —"))] + [(p.id, p.name) for p in providers]
        self.service_id.choices = [("", _l("— cały realizator —"))] + [
            (s.id, f"{s.name} ({s.provider.name})") for s in services]

    def to_data(self):
        return {name: self[name].data for name in self.FIELDS}

    def fill(self, data):
        for name in self.FIELDS:
            self[name].data = data.get(name)
