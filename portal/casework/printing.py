"""The printed monitoring card and closure summary (WeasyPrint, always in
Polish: they go into the person's paper file)."""
from flask import current_app, render_template
from flask_babel import force_locale

from ..catalogue.models import UNITS
from ..pdf import render_pdf
from .models import CONTACT_KINDS, OUTCOMES, SATISFACTION, SURVEY_QUESTIONS


def monitoring_card_html(plan, entries, today):
    with force_locale("pl"):
        return render_template("pdf/monitoring_card.html", plan=plan, entries=entries, today=today,
                               centre=current_app.config, satisfaction_labels=SATISFACTION,
                               contact_kinds=CONTACT_KINDS)


def monitoring_card_pdf(plan, entries, today):
    return render_pdf(monitoring_card_html(plan, entries, today))


def closure_html(plan, closure):
    """The summary of a closed plan; with `closure` None, the same form with
    empty boxes to fill in by hand at the summary conversation."""
    with force_locale("pl"):
        return render_template("pdf/closure.html", plan=plan, closure=closure, centre=current_app.config,
                               outcomes=OUTCOMES, survey_questions=SURVEY_QUESTIONS, units=UNITS,
                               version=plan.version_in_force or plan.current_version)


def closure_pdf(plan, closure):
    return render_pdf(closure_html(plan, closure))
