"""The organiser's pages of life situations: the list in the catalogue's
order, a form to create or edit one (name, description, published, the
services), moving up and down, deletion with a confirmation step.

The form's list of services has a filter box that works without
JavaScript: its button posts the whole form back ("show"), which comes
back with everything kept and only the matching services listed; nothing
is saved. With JavaScript the list narrows as one types
(static/js/portal.js, data-filter-list).
"""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalogue.models import LifeSituation
from ..confirm import confirm_page, confirmed
from ..core.errors import version_number
from ..core.forms import field_labels
from ..core.views import commit, get_or_404, saved
from ..extensions import db
from ..text import fold
from . import bp
from . import situations as ops
from .forms import SituationForm
from .views import managers_only

LABELS = field_labels(SituationForm, services="service_ids")


@bp.route("/situations")
@managers_only
def situations():
    rows = ops.list_situations(db.session)
    return render_template("manage/situations.html", rows=rows,
                           counts={row.id: sum(1 for s in row.services if s.status != "archived") for row in rows})


def _choices(form, situation):
    """The chosen services (in Polish order) and the others, each other one
    with whether the filter shows it."""
    chosen_ids = set(form.service_ids.data or [])
    words = fold((form.service_filter.data or "")[:100]).split()
    chosen, others = [], []
    for service in ops.service_choices(db.session, situation):
        text = fold(f"{service.name} {service.provider.name if service.provider else ''}")
        if service.id in chosen_ids:
            chosen.append((service, text, True))
        else:
            others.append((service, text, all(word in text for word in words)))
    return chosen, others, words


def _page(form, situation, status=200, conflict=None):
    chosen, others, words = _choices(form, situation)
    return render_template("manage/situation_form.html", form=form, situation=situation, chosen=chosen,
                           others=others, filtered=bool(words), shown=sum(1 for *_rest, show in others if show),
                           conflict=conflict), status


def _filtering():
    """The filter's own button was pressed (or Enter in a field before the
    save button): show the list again, save nothing."""
    return request.form.get("show") == "filter"


@bp.route("/situations/new", methods=["GET", "POST"])
@managers_only
def situation_new():
    form = SituationForm()
    if request.method == "GET":
        return _page(form, None)
    if _filtering():
        return _page(form, None)
    if not form.validate():
        return _page(form, None, 422)
    return commit(
        lambda: ops.create_situation(db.session, form.to_data(), actor=current_user), form=form,
        invalid=lambda error: _page(form, None),
        done=lambda situation: saved(url_for(".situations", _anchor=f"situation-{situation.id}"),
                                     _("Dodano sytuację „%(name)s”.", name=situation.name)))


@bp.route("/situations/<int:situation_id>/edit", methods=["GET", "POST"])
@managers_only
def situation_edit(situation_id):
    situation = get_or_404(LifeSituation, situation_id)
    if request.method == "GET":
        form = SituationForm(formdata=None, data=ops.situation_data(situation))
        form.version.data = str(situation.version)
        return _page(form, situation)
    form = SituationForm()
    if _filtering():
        return _page(form, situation)
    if not form.validate():
        return _page(form, situation, 422)
    data = form.to_data()

    def conflict(error):
        current = get_or_404(LifeSituation, situation_id)
        rows = [(LABELS.get(key, key), theirs, yours)
                for key, theirs, yours in ops.conflicts(db.session, current, data)]
        # Saving again now overwrites, knowingly: the differences are on screen.
        form.version.data = str(current.version)
        return _page(form, current, conflict=rows)

    return commit(
        lambda: ops.update_situation(db.session, situation, data, actor=current_user,
                                     expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _page(form, situation), conflict=conflict,
        done=lambda _result: saved(url_for(".situation_edit", situation_id=situation_id), _("Zapisano zmiany.")))


@bp.route("/situations/<int:situation_id>/move", methods=["POST"])
@managers_only
def situation_move(situation_id):
    situation = get_or_404(LifeSituation, situation_id)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    return commit(lambda: ops.move_situation(db.session, situation, direction, actor=current_user),
                  done=lambda _moved: saved(url_for(".situations", _anchor=f"situation-{situation_id}")))


@bp.route("/situations/<int:situation_id>/delete", methods=["POST"])
@managers_only
def situation_delete(situation_id):
    situation = get_or_404(LifeSituation, situation_id)
    if not confirmed():
        return confirm_page(
            title=_("Usunąć sytuację „%(name)s”?", name=situation.name), button=_("Usuń sytuację"),
            cancel_url=url_for(".situations"),
            consequences=[_("Zniknie ze strony startowej katalogu i z podpowiedzi przy wyszukiwaniu bez wyników, "
                            "a jej adres przestanie działać."),
                          _("Usługi zostają w katalogu: usuwamy tylko tę sytuację i jej listę usług."),
                          _("Tego nie można cofnąć. Aby ją tylko ukryć, zapisz ją jako szkic.")])
    name = situation.name
    return commit(lambda: ops.delete_situation(db.session, situation, actor=current_user),
                  done=lambda _result: saved(url_for(".situations"), _("Usunięto sytuację „%(name)s”.", name=name)))
