"""Pages of the group sessions (issue 13 §1): the group services, a
service's sessions by month, planning ahead from the schedule, a session's
form, its attendance screen, the printed attendance list and its signed
scan; and the head counts of an event's occurrences.

Who: attendance tells who uses a service (an addiction support group, a
club for people with disabilities), so it is kept to the services organiser
(who runs every group service and enters sessions and attendance) and the
director (reads). Coordinators see their cases' delivery where the case is
shown, not here. The community organiser (and the director and the
administrator, who manage events with them) enter events' head counts,
which hold no personal data.

A provider's account (issue 15 §1) plans, confirms and ticks attendance of
the sessions of its own services only (delivery/access.py): another
provider's service or session is a 404, and the attendance screen shows it
only the names the list needs.

Every view of the attendance screen and every print of the list is in the
access trail of each person listed; nothing personal goes in a URL or a log
line (ids only).
"""
import os
from datetime import date

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import RequestEntityTooLarge

from ..audit.services import commit_trail
from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Provider, Service
from ..confirm import confirmed
from ..core import menus
from ..core.errors import DataError, TransitionError, VersionConflict, version_number
from ..core.forms import WEEKDAYS
from ..core.views import ACTION_CONFLICT_NOTE, commit, expect_version, found, get_or_404, saved, status_conflict
from ..events.models import Event
from ..extensions import db
from ..i18n import format_month
from ..pdf import pdf_response
from ..plans.scans import MAX_SCAN_BYTES, allow_scan_upload, commit_with_scan, scan_dir, scan_response
from ..quality import surveys
from ..text import polish_sort_key
from ..timeutil import shift_month_start
from ..web import render, today
from . import access, sessions
from .attendance_pdf import render_attendance_pdf
from .models import SESSION_STATUSES, GroupSession
from .sessions_forms import SESSION_LABELS, AttendanceForm, CancelForm, PlanMonthForm, ScanForm, SessionForm

bp = Blueprint("sessions", __name__, url_prefix="/delivery")

VIEWERS = (Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.PROVIDER)
EDITORS = (Role.SERVICES_ORGANISER, Role.PROVIDER)
EVENT_STAFF = (Role.COMMUNITY_ORGANISER, Role.DIRECTOR, Role.ADMIN)

menus.register("sessions.index", _l("Zajęcia grupowe"), VIEWERS, order=121)

# The months the planning form offers: from two back to twelve ahead.
PLAN_MONTHS_BACK, PLAN_MONTHS_AHEAD = 2, 12
EMPTY_ROWS = 8


# --- words --------------------------------------------------------------------------

def sessions_count(n):
    return ngettext("%(num)s sesja", "%(num)s sesji", n)


def people_count(n):
    return ngettext("%(num)s osoba", "%(num)s osób", n)




def _month_arg(raw, default):
    """A "2026-05" query argument as the month's first day; junk: `default`."""
    raw = (raw or "")[:7]
    try:
        year, month = int(raw[:4]), int(raw[5:7])
        if raw[4] != "-" or not 2000 <= year <= 2100 or not 1 <= month <= 12:
            raise ValueError
    except (ValueError, IndexError):
        return default
    return date(year, month, 1)


@bp.context_processor
def _words():
    return {"sessions_count": sessions_count, "people_count": people_count,
            "session_statuses": SESSION_STATUSES, "weekdays": {int(code): label for code, label in WEEKDAYS}}


# --- loading ------------------------------------------------------------------------

def _group_service(service_id):
    service = found(db.session.get(Service, service_id), lambda s: s.delivery_mode == "group")
    return access.check_service(current_user, service)


def _session(group_session_id):
    return access.check_record(current_user, get_or_404(GroupSession, group_session_id))


def _providers(current_id=None):
    rows = db.session.scalars(select(Provider).where(
        (Provider.status == "active") | (Provider.id == current_id))).all()
    return sorted(access.provider_choices(current_user, rows), key=lambda p: polish_sort_key(p.name))


def _may_edit():
    return current_user.role in EDITORS


# --- the group services -------------------------------------------------------------

@bp.route("/sessions")
@role_required(*VIEWERS)
def index():
    services = access.own_services(current_user, sessions.group_services(db.session))
    first = today().replace(day=1)
    _first, last = sessions.month_bounds(first.year, first.month)
    counts = dict(db.session.execute(
        select(GroupSession.service_id, func.count()).where(
            GroupSession.held_on >= first, GroupSession.held_on <= last, GroupSession.status != "cancelled")
        .group_by(GroupSession.service_id)).all())
    return render("delivery/sessions/index.html", services=services, counts=counts, month=first)


def _plan_form(month, formdata=True):
    form = PlanMonthForm() if formdata else PlanMonthForm(formdata=None)
    current = today().replace(day=1)
    months = [shift_month_start(current, n) for n in range(-PLAN_MONTHS_BACK, PLAN_MONTHS_AHEAD + 1)]
    form.month.choices = [(m.strftime("%Y-%m"), format_month(m)) for m in months]
    if not formdata or form.month.data is None:
        form.month.data = month.strftime("%Y-%m")
    return form


def _service_page(service, month, plan_form=None, status=200):
    rows = sessions.sessions_in_month(db.session, service, month.year, month.month)
    present = dict(db.session.execute(
        select(GroupSession.id, func.count()).select_from(GroupSession).join(GroupSession.attendances)
        .where(GroupSession.id.in_([r.id for r in rows])).group_by(GroupSession.id)).all()) if rows else {}
    held = sum(1 for r in rows if r.status == "held")
    return render("delivery/sessions/service.html", status, service=service, month=month, rows=rows,
                  present=present, held=held, previous=shift_month_start(month, -1),
                  following=shift_month_start(month, 1),
                  plan_form=plan_form or _plan_form(month, formdata=False), may_edit=_may_edit(),
                  weekly=service.schedule_rules)


@bp.route("/sessions/services/<int:service_id>")
@role_required(*VIEWERS)
def service(service_id):
    group_service = _group_service(service_id)
    month = _month_arg(request.args.get("month"), today().replace(day=1))
    return _service_page(group_service, month)


@bp.route("/sessions/services/<int:service_id>/plan", methods=["POST"])
@role_required(*EDITORS)
def plan(service_id):
    group_service = _group_service(service_id)
    form = _plan_form(today().replace(day=1))
    if not form.validate():
        return _service_page(group_service, today().replace(day=1), form, 422)
    month = _month_arg(form.month.data, None)

    def done(result):
        if result.created:
            message = ngettext("Zaplanowano %(num)s sesję.", "Zaplanowano %(num)s sesji.", result.created)
        elif result.existing:
            message = _("Wszystkie sesje tego miesiąca z harmonogramu są już zapisane.")
        else:
            message = _("Harmonogram usługi nie przewiduje w tym miesiącu żadnych zajęć.")
        if result.overnight:
            message += " " + _("Zajęć trwających po północy nie planuje się z harmonogramu: dodaj je ręcznie.")
        return saved(url_for(".service", service_id=service_id, month=month.strftime("%Y-%m")), message)

    return commit(lambda: sessions.plan_month(db.session, group_service, month.year, month.month,
                                              actor=current_user), done=done)


# --- a session's form ---------------------------------------------------------------

def _form_page(form, service, group_session=None, status=200, conflict=None):
    return render("delivery/sessions/form.html", status, form=form, service=service, group_session=group_session,
                  conflict=conflict)


@bp.route("/sessions/services/<int:service_id>/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def new(service_id):
    group_service = _group_service(service_id)
    if request.method == "GET":
        form = SessionForm(formdata=None)
        form.set_choices(_providers(group_service.provider_id))
        rule = group_service.schedule_rules[0] if group_service.schedule_rules else None
        form.fill({"held_on": _month_arg(request.args.get("month"), None) or today(),
                   "starts": rule.opens if rule else None, "ends": rule.closes if rule else None,
                   "place": group_service.places[0].one_line if group_service.places else "",
                   "provider_id": group_service.provider_id})
        return _form_page(form, group_service)
    form = SessionForm()
    form.set_choices(_providers(group_service.provider_id))
    if not form.validate():
        return _form_page(form, group_service, status=422)
    return commit(
        lambda: sessions.create_session(db.session, group_service, form.to_data(), actor=current_user), form=form,
        invalid=lambda error: _form_page(form, group_service),
        done=lambda created: saved(url_for(".detail", group_session_id=created.id), _("Zapisano zajęcia.")))


@bp.route("/sessions/<int:group_session_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(group_session_id):
    group_session = _session(group_session_id)
    if request.method == "GET":
        form = SessionForm(formdata=None)
        form.set_choices(_providers(group_session.provider_id))
        form.fill(sessions.session_data(group_session))
        form.version.data = str(group_session.version)
        return _form_page(form, group_session.service, group_session)
    form = SessionForm()
    form.set_choices(_providers(group_session.provider_id))
    if not form.validate():
        return _form_page(form, group_session.service, group_session, status=422)
    data = form.to_data()
    return commit(
        lambda: sessions.update_session(db.session, group_session, data, actor=current_user,
                                        expected_version=version_number(form.version.data)), form=form,
        invalid=lambda error: _form_page(form, group_session.service, group_session),
        conflict=lambda error: _conflict(form, group_session_id, data),
        refused={TransitionError: lambda error: _detail_page(_session(group_session_id), status=409,
                                                             notice=str(error.message))},
        done=lambda _result: saved(url_for(".detail", group_session_id=group_session_id), _("Zapisano zmiany.")))


def _shown(key, value):
    if key == "provider_id":
        provider = db.session.get(Provider, value) if value else None
        return provider.name if provider else None
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y") if key == "held_on" else value.strftime("%H:%M")
    return value


def _conflict(form, group_session_id, data):
    db.session.expire_all()
    group_session = _session(group_session_id)
    rows = [(SESSION_LABELS.get(key, key), _shown(key, theirs), _shown(key, yours))
            for key, theirs, yours in sessions.session_conflicts(group_session, data)]
    # Saving the form again now overwrites, knowingly: the differences are on screen.
    form.version.data = str(group_session.version)
    return _form_page(form, group_session.service, group_session, conflict=rows)


# --- a session: its facts, attendance and actions -----------------------------------

def _detail_page(group_session, form=None, status=200, conflict=None, conflict_note=None, notice=None,
                 scan_form=None):
    people = sessions.attendance_list(db.session, group_session)
    sessions.note_list_shown(db.session, group_session, people, actor=current_user)
    commit_trail(db.session)
    if form is None:
        form = AttendanceForm(formdata=None)
        form.other_participants.data = group_session.other_participants
        form.version.data = str(group_session.version)
        form.present.data = [p.id for p in people if p.present]
    scan_form = scan_form or ScanForm(formdata=None)
    scan_form.version.data = str(group_session.version)
    return render("delivery/sessions/detail.html", status, group_session=group_session, people=people, form=form,
                  ticked=set(form.present.data or []), may_edit=_may_edit(), conflict=conflict,
                  conflict_note=conflict_note, notice=notice, scan_form=scan_form,
                  max_mb=MAX_SCAN_BYTES // (1024 * 1024))


@bp.route("/sessions/<int:group_session_id>")
@role_required(*VIEWERS)
def detail(group_session_id):
    return _detail_page(_session(group_session_id))


@bp.route("/sessions/<int:group_session_id>/attendance", methods=["POST"])
@role_required(*EDITORS)
def attendance(group_session_id):
    group_session = _session(group_session_id)
    form = AttendanceForm()
    if not form.validate():
        return _detail_page(group_session, form, 422)

    def conflict(error):
        db.session.expire_all()
        current = _session(group_session_id)
        form.version.data = str(current.version)
        rows = [(_("Obecność"), _("zapisana przez inną osobę"), _("Twoje zaznaczenia poniżej"))]
        return _detail_page(current, form, conflict=rows, conflict_note=_(
            "Ktoś inny zapisał obecność na tych zajęciach po otwarciu tej strony. Twoje zaznaczenia są poniżej; "
            "zapisz je ponownie, jeśli są właściwe."))

    return commit(
        lambda: sessions.save_attendance(db.session, group_session, form.present.data,
                                         form.other_participants.data, actor=current_user,
                                         expected_version=version_number(form.version.data)),
        form=form, fallback="other_participants",
        invalid=lambda error: _detail_page(_session(group_session_id), form),
        conflict=conflict,
        refused={TransitionError: lambda error: _detail_page(_session(group_session_id), status=409,
                                                             notice=str(error.message))},
        done=lambda saved_session: saved(url_for(".detail", group_session_id=group_session_id), ngettext(
            "Zapisano obecność: %(num)s osoba z listy.", "Zapisano obecność: %(num)s osób z listy.",
            len(form.present.data))))


def _status_conflict(group_session_id, wanted):
    def conflict(error):
        db.session.expire_all()
        current = _session(group_session_id)
        values = status_conflict(current, wanted, SESSION_STATUSES)
        return _detail_page(current, conflict=values["conflict"], conflict_note=values["conflict_note"])
    return conflict


@bp.route("/sessions/<int:group_session_id>/held", methods=["POST"])
@role_required(*EDITORS)
def held(group_session_id):
    group_session = _session(group_session_id)

    def change():
        expect_version(group_session, request.form.get("version"))
        return sessions.confirm_held(db.session, group_session, actor=current_user, expected_version=None)

    return commit(change, conflict=_status_conflict(group_session_id, "held"),
                  refused={TransitionError: lambda error: _detail_page(_session(group_session_id), status=409,
                                                                       notice=str(error.message))},
                  done=lambda changed: saved(url_for(".detail", group_session_id=group_session_id),
                                             _("Zajęcia są oznaczone jako odbyte.") if changed else None))


def _cancel_page(group_session, form, status=200):
    return render("delivery/sessions/cancel.html", status, group_session=group_session, form=form)


@bp.route("/sessions/<int:group_session_id>/cancel", methods=["POST"])
@role_required(*EDITORS)
def cancel(group_session_id):
    group_session = _session(group_session_id)
    form = CancelForm()
    if not form.version.data:
        form.version.data = request.form.get("version") or str(group_session.version)
    if not confirmed():
        form.reason.errors = []
        return _cancel_page(group_session, form)
    if not form.validate():
        return _cancel_page(group_session, form, 422)
    return commit(
        lambda: sessions.cancel_session(db.session, group_session, form.reason.data, actor=current_user,
                                        expected_version=version_number(form.version.data)),
        form=form, fallback="reason",
        invalid=lambda error: _cancel_page(_session(group_session_id), form),
        conflict=_status_conflict(group_session_id, "cancelled"),
        refused={TransitionError: lambda error: _detail_page(_session(group_session_id), status=409,
                                                             notice=str(error.message))},
        done=lambda changed: saved(url_for(".detail", group_session_id=group_session_id),
                                   _("Zajęcia są odwołane.") if changed else None))


# --- the printed list and its signed scan -------------------------------------------

@bp.route("/sessions/<int:group_session_id>/attendance-list.pdf")
@role_required(*VIEWERS)
def attendance_pdf(group_session_id):
    group_session = _session(group_session_id)
    people = sessions.attendance_list(db.session, group_session)
    # A one-time survey code for each row of the list, printed as slips after it.
    tokens = surveys.issue_tokens(db.session, group_session.service_id, len(people) + EMPTY_ROWS, current_user)
    pdf = render_attendance_pdf(group_session, people, empty_rows=EMPTY_ROWS, extra_context={
        "slips": surveys.slips(tokens), "short_url": surveys.short_url(), "days": surveys.TOKEN_DAYS})
    sessions.note_list_shown(db.session, group_session, people, actor=current_user, action="print")
    db.session.commit()
    return pdf_response(pdf, f"lista-obecnosci-{group_session.id}.pdf")


def _scan_dir():
    return current_app.config.get("ATTENDANCE_SCAN_DIR") or os.path.join(scan_dir(current_app.instance_path),
                                                                          "attendance")


allow_scan_upload(bp, "sessions.scan_upload")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    group_session_id = (request.view_args or {}).get("group_session_id")
    if request.endpoint != "sessions.scan_upload" or not current_user.is_authenticated or group_session_id is None:
        return render("errors/error.html", 413, status=413)
    scan_form = ScanForm(formdata=None)
    scan_form.scan.errors = [_("Plik jest za duży: skan może mieć najwyżej 10 MB.")]
    return _detail_page(_session(group_session_id), status=413, scan_form=scan_form)


@bp.route("/sessions/<int:group_session_id>/scan", methods=["POST"])
@role_required(*EDITORS)
def scan_upload(group_session_id):
    group_session = _session(group_session_id)
    scan_form = ScanForm()
    if not scan_form.validate():
        return _detail_page(group_session, status=422, scan_form=scan_form)
    upload = request.files.get("scan")
    data = upload.read(MAX_SCAN_BYTES + 1) if upload and upload.filename else None
    directory = _scan_dir()

    def refused(status, message, **conflict):
        scan_form.scan.errors = [message]
        return _detail_page(_session(group_session_id), status=status, scan_form=scan_form, **conflict)

    answer = commit_with_scan(
        lambda: sessions.attach_scan(db.session, group_session, data, actor=current_user, directory=directory,
                                     expected_version=version_number(scan_form.version.data)),
        directory, {
            (VersionConflict, StaleDataError): lambda _error: refused(
                409, _("Ktoś inny zmienił te zajęcia po otwarciu tej strony. Sprawdź je i dołącz skan ponownie."),
                conflict=[], conflict_note=ACTION_CONFLICT_NOTE),
            DataError: lambda error: refused(422, str(error.message)),
        })
    if answer is not None:
        return answer
    return saved(url_for(".detail", group_session_id=group_session_id), _("Dołączono skan podpisanej listy obecności."))


@bp.route("/sessions/<int:group_session_id>/scan")
@role_required(*VIEWERS)
def scan(group_session_id):
    group_session = _session(group_session_id)
    return scan_response(_scan_dir(), group_session.scan_file, f"lista-obecnosci-{group_session.id}",
                         lambda: sessions.note_scan_opened(db.session, group_session, actor=current_user))


# --- events' head counts ------------------------------------------------------------

def _head_count_page(event, days, values, errors, status=200):
    return render("delivery/sessions/head_counts.html", status, event=event, days=days, values=values,
                  errors=errors)


@bp.route("/events/<int:event_id>/head-counts", methods=["GET", "POST"])
@role_required(*EVENT_STAFF)
def head_counts(event_id):
    from ..timeutil import now

    event = get_or_404(Event, event_id)
    days = sessions.past_occurrences(event, now())
    stored = sessions.head_counts(db.session, event)
    if request.method == "GET":
        values = {day: str(stored[day].head_count) if day in stored else "" for day in days}
        return _head_count_page(event, days, values, {})
    values, errors, counts = {}, {}, {}
    for day in days:
        raw = (request.form.get(f"count-{day.isoformat()}") or "").strip()[:20]
        values[day] = raw
        if not raw:
            counts[day] = None
        elif raw.isascii() and raw.isdigit():
            counts[day] = int(raw)
        else:
            errors[day] = _("Podaj liczbę osób (same cyfry) albo zostaw puste pole.")
    if errors:
        return _head_count_page(event, days, values, errors, 422)

    def invalid(error):
        day = date.fromisoformat(error.field.removeprefix("count-"))
        errors[day] = str(error.message)
        return _head_count_page(event, days, values, errors)

    return commit(
        lambda: sessions.save_head_counts(db.session, event, counts, actor=current_user, allowed_days=set(days)),
        invalid=invalid,
        done=lambda changed: saved(url_for(".head_counts", event_id=event_id), ngettext(
            "Zapisano liczbę uczestników: %(num)s zmiana.", "Zapisano liczbę uczestników: %(num)s zmian.", changed)
            if changed else _("Nic się nie zmieniło.")))

