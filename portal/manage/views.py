"""Catalogue management pages: services, providers, places, villages,
search tuning and import. For the services organiser and the administrator.

Every view: load (404) -> check access (decorator) -> call an operation of
`services` -> commit -> 303 redirect, or re-render the form with the input
kept (422 invalid, 409 someone else saved in between).
"""
import csv
import io
import logging
import os

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue import statistics
from ..catalogue.models import (
    ACCESSIBILITY,
    PROVIDER_TYPES,
    SERVICE_STATUSES,
    Area,
    Place,
    Provider,
    SearchCount,
    Service,
    SynonymGroup,
    TargetGroup,
    Village,
)
from ..catalogue.search import clean_query
from ..confirm import confirm_page, confirmed
from ..core.errors import version_number
from ..core.forms import field_labels
from ..core.pagination import Page, page_number
from ..core.views import (
    answer,
    commit,
    expect_version,
    get_or_404,
    saved,
    status_conflict,
)
from ..extensions import db
from ..timeutil import now
from ..web import is_region, render
from . import bp, importer, presenters
from . import services as catalogue
from .forms import (
    ImportConfirmForm,
    ImportForm,
    MissSynonymForm,
    PlaceForm,
    ProviderForm,
    ServiceForm,
    SynonymForm,
    VillageForm,
)

log = logging.getLogger(__name__)

MANAGERS = (Role.SERVICES_ORGANISER, Role.ADMIN)
PER_PAGE = 50

SERVICE_STATUS_ACTIONS = {"suspend": "suspended", "reactivate": "active", "archive": "archived"}
PROVIDER_STATUS_ACTIONS = {"archive": "archived", "reactivate": "active"}


def managers_only(view):
    return role_required(*MANAGERS)(view)


# --- helpers -------------------------------------------------------------------

def _page_or_region(page_template, region_template, region, **context):
    return render(region_template if is_region(region) else page_template, **context)


def _slug_taken(form, page):
    """Two people saved the same address at the same moment: said at the address, 422."""
    def slug_taken(error):
        form.slug.errors = list(form.slug.errors or []) + [_("Ten adres został właśnie zajęty. Zapisz ponownie.")]
        return answer(page(), 422)
    return {IntegrityError: slug_taken}


def _import_folder():
    return current_app.config.get("IMPORT_DIR") or os.path.join(current_app.instance_path, "imports")


# --- services ----------------------------------------------------------------

SERVICE_LABELS = field_labels(ServiceForm, provider="provider_id", places="place_ids")


@bp.route("/")
@managers_only
def index():
    """The address the README gives for catalogue management."""
    return redirect(url_for(".services"))


@bp.route("/services")
@managers_only
def services():
    query = clean_query(request.args.get("q"))
    status = request.args.get("status", "")
    status = status if status in SERVICE_STATUSES else ""
    sort = request.args.get("sort", "name")
    sort = sort if sort in catalogue.SERVICE_SORTS else "name"
    page = catalogue.find_services(query, status or None, sort, page_number(request.args.get("page")), PER_PAGE)
    return _page_or_region("manage/services.html", "manage/_service_list.html", "service-list",
                           page=page, query=query, status=status, sort=sort, statuses=SERVICE_STATUSES)


def _set_service_choices(form, service=None):
    form.set_choices(
        providers=catalogue.provider_choices(service.provider_id if service else None),
        areas=db.session.scalars(select(Area).order_by(Area.position)).all(),
        groups=db.session.scalars(select(TargetGroup).order_by(TargetGroup.position)).all(),
        places=catalogue.list_places(),
    )


def _service_page(form, service, status=200, conflict=None, conflict_note=None):
    return render_template(
        "manage/service_form.html", form=form, service=service,
        conflict=conflict, conflict_note=conflict_note, labels=SERVICE_LABELS,
    ), status


def _service_form(service):
    """The service's form as stored, for its page."""
    form = ServiceForm(formdata=None, data=catalogue.service_data(service))
    form.version.data = str(service.version)
    _set_service_choices(form, service)
    form.add_blank_rows()
    return form


@bp.route("/services/new", methods=["GET", "POST"])
@managers_only
def service_new():
    form = ServiceForm()
    _set_service_choices(form)
    if request.method == "GET":
        form.add_blank_rows()
        return _service_page(form, None)
    if not form.validate():
        return _service_page(form, None, status=422)
    return commit(
        lambda: catalogue.create_service(form.to_data(), actor=current_user), form=form,
        invalid=lambda error: _service_page(form, None),
        refused=_slug_taken(form, lambda: _service_page(form, None)),
        done=lambda service: saved(url_for(".service_edit", service_id=service.id),
                                   _("Dodano usługę „%(name)s”.", name=service.name)))


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@managers_only
def service_edit(service_id):
    service = get_or_404(Service, service_id)
    if request.method == "GET":
        return _service_page(_service_form(service), service)
    form = ServiceForm()
    _set_service_choices(form, service)
    if not form.validate():
        return _service_page(form, service, status=422)
    data = form.to_data()
    return commit(
        lambda: catalogue.update_service(service, data, actor=current_user,
                                   expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _service_page(form, service),
        conflict=lambda error: _service_conflict(form, service_id, data),
        refused=_slug_taken(form, lambda: _service_page(form, service)),
        done=lambda _result: saved(url_for(".service_edit", service_id=service_id), _("Zapisano zmiany.")))


def _service_conflict(form, service_id, data):
    service = get_or_404(Service, service_id)
    rows = [(SERVICE_LABELS.get(key, key), theirs, yours)
            for key, theirs, yours in catalogue.service_conflicts(service, data)]
    # Saving the form again now overwrites, knowingly: the differences are on screen.
    form.version.data = str(service.version)
    return _service_page(form, service, conflict=rows)


SERVICE_STATUS_MESSAGES = {
    "suspended": lambda: _("Usługa jest zawieszona. W katalogu widać ją z oznaczeniem „Zawieszona”."),
    "active": lambda: _("Usługa znów działa."),
    "archived": lambda: _("Usługa jest zarchiwizowana: zniknęła z katalogu publicznego, jej historia zostaje."),
}


@bp.route("/services/<int:service_id>/status", methods=["POST"])
@managers_only
def service_status(service_id):
    service = get_or_404(Service, service_id)
    return _status_action(
        service, SERVICE_STATUS_ACTIONS, SERVICE_STATUSES, ".service_edit", {"service_id": service_id},
        page=lambda current, **extra: _service_page(_service_form(current), current, **extra),
        messages=SERVICE_STATUS_MESSAGES, change=catalogue.set_service_status,
        confirm=lambda: dict(
            title=_("Zarchiwizować usługę „%(name)s”?", name=service.name), button=_("Zarchiwizuj usługę"),
            consequences=[_("Usługa zniknie z katalogu publicznego, z wyszukiwania i z ekranów informacyjnych."),
                          _("Nie będzie można jej wybrać w nowych planach ani przyznać."),
                          _("Jej dane i historia zmian zostają; przywrócić ją można przyciskiem „Przywróć działanie”.")]))  # noqa: E501


def _status_action(record, actions, labels, edit_endpoint, ids, *, page, messages, change, confirm):
    """A status button of a record's page: archiving asks first; the change
    is refused with the conflict screen (409) when the record moved since
    the page was drawn; then back to the page with what happened."""
    status = actions.get(request.form.get("action", ""))
    if status is None:
        abort(400)
    edit_url = url_for(edit_endpoint, **ids)
    if status == "archived" and record.status != "archived" and not confirmed():
        return confirm_page(cancel_url=edit_url, **confirm())
    model, record_id = type(record), record.id

    def changed():
        expect_version(record, request.form.get("version"))
        return change(record, status, actor=current_user)

    def conflict(error):
        current = get_or_404(model, record_id)
        return page(current, **status_conflict(current, status, labels))

    return commit(changed, conflict=conflict, done=lambda done: saved(edit_url, messages[status]() if done else None))


@bp.route("/services/<int:service_id>/history")
@managers_only
def service_history(service_id):
    service = get_or_404(Service, service_id)
    return render_template("manage/history.html", subject=service, kind="service",
                           events=catalogue.service_history(service), labels=SERVICE_LABELS,
                           statuses=SERVICE_STATUSES, shown=presenters.shown_value,
                           back_url=url_for(".service_edit", service_id=service.id))


# --- providers ---------------------------------------------------------------

PROVIDER_LABELS = field_labels(ProviderForm)


@bp.route("/providers")
@managers_only
def providers():
    query = clean_query(request.args.get("q"))
    status = request.args.get("status", "")
    status = status if status in catalogue.PROVIDER_STATUSES else ""
    rows = catalogue.find_providers(query, status or None)
    page = Page.from_list(rows, page_number(request.args.get("page")), PER_PAGE)
    return _page_or_region("manage/providers.html", "manage/_provider_list.html", "provider-list",
                           page=page, query=query, status=status, statuses=catalogue.PROVIDER_STATUSES,
                           types=PROVIDER_TYPES)


def _provider_page(form, provider, status=200, conflict=None, conflict_note=None):
    return render_template("manage/provider_form.html", form=form, provider=provider, conflict=conflict,
                           conflict_note=conflict_note), status


def _provider_form(provider):
    form = ProviderForm(formdata=None, data=catalogue.provider_data(provider))
    form.version.data = str(provider.version)
    return form


@bp.route("/providers/new", methods=["GET", "POST"])
@managers_only
def provider_new():
    form = ProviderForm()
    if request.method == "GET":
        return _provider_page(form, None)
    if not form.validate():
        return _provider_page(form, None, status=422)
    return commit(
        lambda: catalogue.create_provider(form.to_data(), actor=current_user), form=form,
        invalid=lambda error: _provider_page(form, None),
        done=lambda provider: saved(url_for(".provider_edit", provider_id=provider.id),
                                    _("Dodano realizatora „%(name)s”.", name=provider.name)))


@bp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
@managers_only
def provider_edit(provider_id):
    provider = get_or_404(Provider, provider_id)
    if request.method == "GET":
        return _provider_page(_provider_form(provider), provider)
    form = ProviderForm()
    if not form.validate():
        return _provider_page(form, provider, status=422)
    data = form.to_data()

    def conflict(error):
        current = get_or_404(Provider, provider_id)
        rows = [(PROVIDER_LABELS.get(key, key), theirs, yours)
                for key, theirs, yours in catalogue.provider_conflicts(current, data)]
        form.version.data = str(current.version)
        return _provider_page(form, current, conflict=rows)

    return commit(
        lambda: catalogue.update_provider(provider, data, actor=current_user,
                                    expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _provider_page(form, provider), conflict=conflict,
        done=lambda _result: saved(url_for(".provider_edit", provider_id=provider_id), _("Zapisano zmiany.")))


PROVIDER_STATUS_MESSAGES = {
    "archived": lambda: _("Realizator jest zarchiwizowany: nie można go wybrać dla nowych usług, "
                          "a jego strona zniknęła z katalogu."),
    "active": lambda: _("Realizator jest znów aktywny."),
}


@bp.route("/providers/<int:provider_id>/status", methods=["POST"])
@managers_only
def provider_status(provider_id):
    provider = get_or_404(Provider, provider_id)
    return _status_action(
        provider, PROVIDER_STATUS_ACTIONS, catalogue.PROVIDER_STATUSES, ".provider_edit", {"provider_id": provider_id},
        page=lambda current, **extra: _provider_page(_provider_form(current), current, **extra),
        messages=PROVIDER_STATUS_MESSAGES, change=catalogue.set_provider_status,
        confirm=lambda: dict(
            title=_("Zarchiwizować realizatora „%(name)s”?", name=provider.name),
            button=_("Zarchiwizuj realizatora"),
            consequences=[_("Nie będzie można go wybrać dla nowych usług, a jego strona zniknie z katalogu."),
                          _("Jego usługi trzeba zawiesić lub zarchiwizować osobno.")]))


@bp.route("/providers/<int:provider_id>/history")
@managers_only
def provider_history(provider_id):
    provider = get_or_404(Provider, provider_id)
    return render_template("manage/history.html", subject=provider, kind="provider",
                           events=catalogue.provider_history(provider), labels=PROVIDER_LABELS,
                           statuses=catalogue.PROVIDER_STATUSES, shown=presenters.shown_value,
                           back_url=url_for(".provider_edit", provider_id=provider.id))


# --- places and villages -----------------------------------------------------

@bp.route("/places")
@managers_only
def places():
    return render_template("manage/places.html", places=catalogue.list_places(), accessibility=ACCESSIBILITY)


def _place_page(form, place, status=200):
    return render_template("manage/place_form.html", form=form, place=place), status


def _save_place(form, place_id=None):
    """Create (no id) or update the place; back to the list, or the form again (422)."""
    def change():
        if place_id is None:
            return catalogue.create_place(form.to_data(), actor=current_user)
        return catalogue.update_place(get_or_404(Place, place_id), form.to_data(), actor=current_user)

    def done(created):
        if place_id is None:
            return saved(url_for(".places"), _("Dodano miejsce „%(name)s”.", name=created.name))
        return saved(url_for(".places"), _("Zapisano zmiany."))

    return commit(change, form=form, done=done,
                  invalid=lambda error: _place_page(form, place_id and get_or_404(Place, place_id)))


@bp.route("/places/new", methods=["GET", "POST"])
@managers_only
def place_new():
    form = PlaceForm()
    form.set_choices(catalogue.list_villages())
    if request.method == "POST":
        if form.validate():
            return _save_place(form)
        return _place_page(form, None, status=422)
    return _place_page(form, None)


@bp.route("/places/<int:place_id>/edit", methods=["GET", "POST"])
@managers_only
def place_edit(place_id):
    place = get_or_404(Place, place_id)
    if request.method == "GET":
        form = PlaceForm(data=catalogue.place_data(place))
        form.set_choices(catalogue.list_villages())
        return _place_page(form, place)
    form = PlaceForm()
    form.set_choices(catalogue.list_villages())
    if form.validate():
        return _save_place(form, place_id)
    return _place_page(form, place, status=422)


def _villages_page(form, status=200, rename_errors=None, rename_values=None):
    return render_template("manage/villages.html", form=form, villages=catalogue.list_villages(),
                           rename_errors=rename_errors or {}, rename_values=rename_values or {}), status


@bp.route("/villages", methods=["GET", "POST"])
@managers_only
def villages():
    form = VillageForm()
    if request.method == "GET":
        return _villages_page(form)
    if not form.validate():
        return _villages_page(form, status=422)
    return commit(
        lambda: catalogue.create_village(form.name.data, actor=current_user), form=form,
        invalid=lambda error: _villages_page(form),
        done=lambda village: saved(url_for(".villages"), _("Dodano miejscowość „%(name)s”.", name=village.name)))


@bp.route("/villages/<int:village_id>/rename", methods=["POST"])
@managers_only
def village_rename(village_id):
    village = get_or_404(Village, village_id)
    rename = VillageForm()

    def refused(message):
        # The list's own form stays empty; the message and the name typed stand at the village's row.
        return _villages_page(VillageForm(formdata=None), rename_errors={village_id: message},
                              rename_values={village_id: request.form.get("name", "")[:200]})

    if not rename.validate():
        return refused(rename.name.errors[0])[0], 422
    return commit(
        lambda: catalogue.rename_village(village, rename.name.data, actor=current_user),
        invalid=lambda error: refused(str(error.message)),
        done=lambda _result: saved(url_for(".villages"), _("Zmieniono nazwę miejscowości.")))


# --- search tuning -----------------------------------------------------------

def _synonyms_page(form, status=200):
    return render_template("manage/synonyms.html", form=form, groups=catalogue.list_synonym_groups()), status


@bp.route("/synonyms", methods=["GET", "POST"])
@managers_only
def synonyms():
    if request.method == "GET":
        form = SynonymForm(formdata=None)
        phrase = clean_query(request.args.get("phrase"))
        if phrase:
            form.phrases.data = f"{phrase}; "
        return _synonyms_page(form)
    form = SynonymForm()
    if not form.validate():
        return _synonyms_page(form, status=422)
    return commit(
        lambda: catalogue.create_synonym_group(form.phrases.data, actor=current_user), form=form,
        invalid=lambda error: _synonyms_page(form),
        done=lambda _result: saved(url_for(".synonyms"),
                                   _("Dodano grupę synonimów. Wyszukiwarka uwzględnia ją od razu.")))


def _synonym_page(form, group, status=200):
    return render_template("manage/synonym_form.html", form=form, group=group), status


@bp.route("/synonyms/<int:group_id>/edit", methods=["GET", "POST"])
@managers_only
def synonym_edit(group_id):
    group = get_or_404(SynonymGroup, group_id)
    if request.method == "GET":
        return _synonym_page(SynonymForm(data={"phrases": group.phrases}), group)
    form = SynonymForm()
    if not form.validate():
        return _synonym_page(form, group, 422)
    return commit(
        lambda: catalogue.update_synonym_group(group, form.phrases.data, actor=current_user), form=form,
        invalid=lambda error: _synonym_page(form, get_or_404(SynonymGroup, group_id)),
        done=lambda _result: saved(url_for(".synonyms"), _("Zapisano grupę synonimów.")))


@bp.route("/synonyms/<int:group_id>/delete", methods=["POST"])
@managers_only
def synonym_delete(group_id):
    group = get_or_404(SynonymGroup, group_id)
    if not confirmed():
        return confirm_page(
            title=_("Usunąć grupę synonimów?"), intro=group.phrases, button=_("Usuń grupę"),
            cancel_url=url_for(".synonyms"),
            consequences=[_("Wyszukiwarka przestanie traktować te słowa jako równoznaczne."),
                          _("Tego nie można cofnąć: grupę trzeba by dodać od nowa.")])
    catalogue.delete_synonym_group(group, actor=current_user)
    db.session.commit()
    flash(_("Usunięto grupę synonimów."), "success")
    return redirect(url_for(".synonyms"), code=303)


MISSES_PER_PAGE = 25


def _statistics_page(period, page, status=200, synonym_errors=None, synonym_values=None):
    """The organiser's search statistics for a period: this process's
    waiting counts are written first, so the page shows every search it
    answered (other workers' follow within a minute)."""
    moment = now()
    statistics.flush(db.session, moment=moment, everything=True)
    db.session.commit()
    since = statistics.since_day(moment, period)
    groups = catalogue.list_synonym_groups()
    form = MissSynonymForm(formdata=None)
    form.set_choices(groups)
    return render_template(
        "manage/search_statistics.html", period=period,
        totals=statistics.totals(db.session, since), top=statistics.most_searched(db.session, since),
        misses=statistics.search_misses(db.session, since, page, MISSES_PER_PAGE),
        group_choices=form.group_id.choices, synonym_errors=synonym_errors or {},
        synonym_values=synonym_values or {}), status


def _period(value):
    return value if value in statistics.PERIODS else "30d"


@bp.route("/search-statistics")
@managers_only
def search_statistics():
    return _statistics_page(_period(request.args.get("period")), page_number(request.args.get("page")))


@bp.route("/search-misses/<int:miss_id>/synonym", methods=["POST"])
@managers_only
def search_miss_synonym(miss_id):
    miss = get_or_404(SearchCount, miss_id)
    period, page = _period(request.form.get("period")), page_number(request.form.get("page"))
    form = MissSynonymForm()
    form.set_choices(catalogue.list_synonym_groups())

    def refused(field, message):
        # The message and what was typed stand at the miss's own row.
        values = {"group_id": request.form.get("group_id", "")[:20], "phrase": request.form.get("phrase", "")[:200]}
        return _statistics_page(period, page, synonym_errors={miss_id: (field, message)},
                                synonym_values={miss_id: values})[0]

    if not form.validate():
        field = next((name for name in ("group_id", "phrase") if form[name].errors), None)
        if field is None:
            abort(400)  # the form's token; the app's CSRF check answers before this
        return refused(field, form[field].errors[0]), 422
    text = miss.query
    return commit(
        lambda: catalogue.miss_to_synonym(miss, group_id=form.group_id.data, phrase=form.phrase.data,
                                          actor=current_user),
        invalid=lambda error: refused("phrase" if error.field in ("phrase", "phrases") else "group_id",
                                      str(error.message)),
        done=lambda _group: saved(url_for(".search_statistics", period=period, page=page) + "#misses",
                                  _("„%(text)s” jest teraz synonimem. Wyszukiwarka uwzględnia go od razu.", text=text)))


@bp.route("/search-misses/<int:miss_id>/dismiss", methods=["POST"])
@managers_only
def search_miss_dismiss(miss_id):
    miss = get_or_404(SearchCount, miss_id)
    catalogue.dismiss_search_miss(miss, actor=current_user)
    db.session.commit()
    flash(_("Usunięto wyszukiwanie z listy."), "success")
    return redirect(url_for(".search_statistics", period=_period(request.form.get("period")),
                            page=page_number(request.form.get("page"))) + "#misses", code=303)


# --- import ------------------------------------------------------------------

def _upload_page(form, status=200):
    return render_template("manage/import.html", form=form, columns=importer.COLUMNS,
                           max_rows=current_app.config["IMPORT_MAX_ROWS"]), status


def _preview_page(preview, token=None, filename=""):
    confirm = None
    if preview.ok and token:
        confirm = ImportConfirmForm(formdata=None, data={"token": token})
    return render_template("manage/import_preview.html", preview=preview, confirm=confirm,
                           filename=filename, columns=importer.COLUMNS), (200 if preview.ok else 422)


@bp.route("/import", methods=["GET", "POST"])
@managers_only
def import_services():
    form = ImportForm()
    if request.method == "GET":
        return _upload_page(form)
    folder = _import_folder()
    try:
        token, kind, content, filename = importer.receive_upload(folder, request.files.get("file"))
    except importer.FileRejected as error:
        form.file.errors = [str(error.message)]
        return _upload_page(form, status=422)
    preview = importer.parse(kind, content, session=db.session, max_rows=current_app.config["IMPORT_MAX_ROWS"])
    if not preview.ok:
        # Nothing can be confirmed: the file is not kept.
        importer.delete_upload(folder, token)
        token = None
    return _preview_page(preview, token, filename)


@bp.route("/import/confirm", methods=["POST"])
@managers_only
def import_confirm():
    folder = _import_folder()
    token = request.form.get("token", "")
    filename = importer.display_name(request.form.get("filename", ""))
    try:
        kind, content, claimed = importer.claim_upload(folder, token)
    except importer.FileRejected as error:
        form = ImportForm(formdata=None)
        form.file.errors = [str(error.message)]
        return _upload_page(form, status=400)
    preview = importer.parse(kind, content, session=db.session, max_rows=current_app.config["IMPORT_MAX_ROWS"])
    if not preview.ok:
        importer.finish_upload(claimed)
        return _preview_page(preview, None, filename)
    try:
        created = importer.run_import(preview, actor=current_user, filename=filename)
        db.session.commit()
    except (SQLAlchemyError, catalogue.DataError, importer.FileRejected) as error:
        db.session.rollback()
        importer.unclaim_upload(claimed)
        log.warning("import failed: %s", type(error).__name__)
        preview.file_errors.append(_("Import się nie udał i nic nie zapisano. Spróbuj ponownie za chwilę."))
        return _preview_page(preview, None, filename)
    importer.finish_upload(claimed)
    flash(ngettext("Zaimportowano %(num)d usługę.", "Zaimportowano %(num)d usług.", len(created)), "success")
    return redirect(url_for(".services", sort="updated"), code=303)


@bp.route("/import/template.csv")
@managers_only
def import_template():
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(importer.COLUMNS)
    writer.writerow(importer.EXAMPLE_ROW[name] for name in importer.COLUMNS)
    # The BOM makes spreadsheet programs read the file as UTF-8.
    return Response("\ufeff" + output.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=uslugi-wzor.csv"})
