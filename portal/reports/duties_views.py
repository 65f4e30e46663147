"""The duties pages (art. 46): the half-yearly summary of the plans and the
meetings with the coordinators.

Who: the services organiser writes both. The director and the community
organiser read the summaries sent to them (before sending, the page only
says it has not been sent) and confirm having read them. The director reads
every meeting (the organiser's duty is the director's to oversee); a
coordinator reads the meetings they attended or own a task of — the tasks
are theirs to do, and a meeting names plans by number only; the community
organiser does not take part in the plans' meetings and does not see them.
"""
from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.access import role_required
from ..auth.models import Role
from ..confirm import confirm_page, confirmed
from ..core.deadlines import add_months
from ..core.errors import NotAllowed, TransitionError, version_number
from ..core.views import commit, field_error, found, saved, status_conflict
from ..extensions import db
from ..i18n import format_date_long
from ..pdf import pdf_response, render_pdf
from ..timeutil import local_now
from . import bp, duties
from .duties_forms import ConclusionsForm, MeetingForm
from .duties_models import SENT, CoordinatorMeeting

ORGANISER = (Role.SERVICES_ORGANISER,)
SUMMARY_ROLES = (Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COMMUNITY_ORGANISER)
MEETING_ROLES = (Role.SERVICES_ORGANISER, Role.DIRECTOR, Role.COORDINATOR)


def _today():
    return local_now().date()


def _is_organiser():
    return current_user.role == Role.SERVICES_ORGANISER


@bp.context_processor
def _duties_globals():
    """`duties_reminders()` for the reports' index (computed only when called)."""
    def reminders():
        if not current_user.is_authenticated:
            return []
        return duties.reminders_for(db.session, current_user, _today())

    return {"duties_reminders": reminders, "duty_halves": duties.HALVES}


def _day(text):
    return date.fromisoformat(text) if text else None


# --- summaries ----------------------------------------------------------------------------------

@bp.get("/summaries")
@role_required(*SUMMARY_ROLES)
def duty_summaries():
    today = _today()
    year, half = request.args.get("year", ""), request.args.get("half", "")
    if year.isdigit() and half.isdigit() and len(year) == 4:
        if duties.valid_half(int(year), int(half), today):
            return redirect(url_for(".duty_summary", year=int(year), half=int(half)), code=303)
    existing = duties.summaries(db.session)
    if _is_organiser():
        rows = [(key, existing.get(key)) for key in duties.halves_to_list(db.session, today)]
    else:
        rows = [(key, summary) for key, summary in sorted(existing.items(), reverse=True) if summary.is_sent]
    return render_template("reports/duties_summaries.html", rows=rows, today=today, organiser=_is_organiser(),
                           years=range(today.year, duties.FIRST_YEAR - 1, -1), reader_of=duties.reader_of,
                           has_ended=duties.has_ended)


def _half_or_404(year, half):
    if not duties.valid_half(year, half, _today()):
        abort(404)


def _summary_page(year, half, *, form=None, conflict=None, conflict_note=None):
    today = _today()
    summary = duties.summary_of(db.session, year, half)
    organiser = _is_organiser()
    sent = summary is not None and summary.is_sent
    data = None
    if sent:
        data = summary.snapshot
    elif organiser:
        data = duties.figures_data(db.session, year, half, today)
    if organiser and not sent and form is None:
        form = ConclusionsForm(formdata=None)
        if summary is not None:
            form.conclusions.data, form.version.data = summary.conclusions, str(summary.version)
    return render_template("reports/duties_summary.html", year=year, half=half, summary=summary, data=data,
                           form=form, organiser=organiser, sent=sent, ended=duties.has_ended(year, half, today),
                           reader=duties.reader_of(summary, current_user) if sent else None, day=_day,
                           conflict=conflict, conflict_note=conflict_note, **_labels())


def _labels():
    from ..casework.models import OUTCOMES

    return {"outcome_labels": OUTCOMES, "half_label": duties.HALVES}


@bp.get("/summaries/<int:year>/<int:half>")
@role_required(*SUMMARY_ROLES)
def duty_summary(year, half):
    _half_or_404(year, half)
    return _summary_page(year, half)


@bp.post("/summaries/<int:year>/<int:half>/conclusions")
@role_required(*ORGANISER)
def duty_summary_conclusions(year, half):
    _half_or_404(year, half)
    form = ConclusionsForm()
    if not form.validate():
        return _summary_page(year, half, form=form), 422

    def conflict(_error):
        summary = duties.summary_of(db.session, year, half)
        form.version.data = str(summary.version) if summary is not None else ""
        rows = [(_("Wnioski organizatora usług społecznych"), summary.conclusions if summary else None,
                 form.conclusions.data)]
        return _summary_page(year, half, form=form, conflict=rows)

    return commit(
        lambda: duties.save_conclusions(db.session, year, half, form.conclusions.data, actor=current_user,
                                        expected_version=form.version.data, today=_today()),
        form=form, invalid=lambda error: _summary_page(year, half, form=form), conflict=conflict,
        refused={TransitionError: lambda error: saved(url_for(".duty_summary", year=year, half=half),
                                                      error.message, "error")},
        done=lambda _summary: saved(url_for(".duty_summary", year=year, half=half), _("Zapisano wnioski.")))


def _summary_or_404(year, half):
    _half_or_404(year, half)
    return found(duties.summary_of(db.session, year, half))


@bp.post("/summaries/<int:year>/<int:half>/send")
@role_required(*ORGANISER)
def duty_summary_send(year, half):
    summary = _summary_or_404(year, half)
    back = url_for(".duty_summary", year=year, half=half)
    if summary.is_sent:
        return redirect(back, code=303)
    if not confirmed():
        names = ", ".join(user.full_name for user in duties.recipients(db.session))
        return confirm_page(
            title=_("Wysłać podsumowanie planów za %(half)s %(year)s?", half=duties.HALVES[half], year=year),
            button=_("Wyślij podsumowanie"), cancel_url=back,
            intro=_("Po wysłaniu podsumowania nie można już zmienić: liczby zostaną zapisane takie, jakie są "
                    "teraz, a wnioski — tak, jak je zapisano."),
            facts=[(_("Półrocze"), f"{duties.HALVES[half]} {year}"), (_("Odbiorcy"), names or "—")])
    form = ConclusionsForm(formdata=None)
    form.conclusions.data, form.version.data = summary.conclusions, str(summary.version)

    def invalid(error):
        field_error(form, error)
        return _summary_page(year, half, form=form)

    def conflict(_error):
        # The page as it is now: the status saved beside the one asked for (sent by
        # someone else: nothing left to do), the conclusions as saved.
        current = duties.summary_of(db.session, year, half)
        shown = status_conflict(current, SENT, duties.SUMMARY_STATUSES)
        return _summary_page(year, half, conflict=shown["conflict"], conflict_note=shown["conflict_note"])

    return commit(
        lambda: duties.send_summary(db.session, summary, actor=current_user,
                                    expected_version=request.form.get("version"), today=_today()),
        invalid=invalid, conflict=conflict,
        refused={TransitionError: lambda error: saved(back, error.message, "error")},
        done=lambda _summary: saved(back, _("Podsumowanie wysłano dyrektorowi i organizatorowi społeczności "
                                            "lokalnej.")))


@bp.post("/summaries/<int:year>/<int:half>/read")
@role_required(Role.DIRECTOR, Role.COMMUNITY_ORGANISER)
def duty_summary_read(year, half):
    summary = _summary_or_404(year, half)
    back = url_for(".duty_summary", year=year, half=half)
    if duties.reader_of(summary, current_user) is None:
        abort(403)
    if not confirmed():
        return confirm_page(
            title=_("Potwierdzić zapoznanie się z podsumowaniem za %(half)s %(year)s?", half=duties.HALVES[half],
                    year=year),
            button=_("Potwierdzam zapoznanie się"), cancel_url=back,
            intro=_("Potwierdzenie zapisuje się z Twoim imieniem i nazwiskiem oraz czasem; nie można go cofnąć."))
    return commit(
        lambda: duties.confirm_reading(db.session, summary, actor=current_user),
        refused={TransitionError: lambda error: saved(back, error.message, "error"),
                 NotAllowed: lambda error: abort(403)},
        done=lambda _reader: saved(back, _("Zapisano potwierdzenie zapoznania się z podsumowaniem.")))


@bp.get("/summaries/<int:year>/<int:half>/pdf")
@role_required(*SUMMARY_ROLES)
def duty_summary_pdf(year, half):
    _half_or_404(year, half)
    summary = duties.summary_of(db.session, year, half)
    sent = summary is not None and summary.is_sent
    if not sent and not _is_organiser():
        abort(404)
    data = summary.snapshot if sent else duties.figures_data(db.session, year, half, _today())
    with force_locale("pl"):
        html = render_template("reports/duties_summary_pdf.html", year=year, half=half, summary=summary, data=data,
                               sent=sent, day=_day, draft=not sent,
                               doc_number=_("Podsumowanie planów %(half)s %(year)s", half=duties.HALVES[half],
                                            year=year), **_labels())
    return pdf_response(render_pdf(html), f"podsumowanie-planow-{year}-{half}.pdf")


# --- meetings -------------------------------------------------------------------------------------

@bp.get("/meetings")
@role_required(*MEETING_ROLES)
def duty_meetings():
    today = _today()
    last = duties.last_meeting_day(db.session)
    return render_template("reports/duties_meetings.html", meetings=duties.meetings_for(db.session, current_user),
                           organiser=_is_organiser(), last=last,
                           next_due=add_months(last, duties.MEETING_MONTHS) if last else None,
                           today=today)


def _meeting(meeting_id):
    meeting = db.session.get(CoordinatorMeeting, meeting_id, options=[
        selectinload(CoordinatorMeeting.attendees), selectinload(CoordinatorMeeting.plans),
        selectinload(CoordinatorMeeting.tasks)])
    return found(meeting, lambda m: duties.may_read_meeting(current_user, m))


@bp.get("/meetings/<int:meeting_id>")
@role_required(*MEETING_ROLES)
def duty_meeting(meeting_id):
    meeting = _meeting(meeting_id)
    from ..text import polish_sort_key

    attendees = sorted(meeting.attendees, key=lambda user: polish_sort_key(user.full_name))
    return render_template("reports/duties_meeting.html", meeting=meeting, attendees=attendees,
                           organiser=_is_organiser())


def _meeting_form_page(form, meeting=None, conflict=None):
    return render_template("reports/duties_meeting_form.html", form=form, meeting=meeting, conflict=conflict)


def _place(form, error):
    """Put a meeting's DataError at its field; a task's ("tasks-2-due_on") at
    its row's box. Returns the form."""
    parts = (error.field or "").split("-")
    if len(parts) == 3 and parts[0] == "tasks" and parts[1].isdigit() and int(parts[1]) < len(form.tasks):
        box = form.tasks[int(parts[1])].form[parts[2]]
        box.errors = list(box.errors or []) + [str(error.message)]
    else:
        field_error(form, error, fallback="conclusions")
    return form


def _prepared(form, blank=True):
    if blank:
        form.add_blank_rows()
    form.set_staff(duties.staff_for_meetings(db.session))
    return form


@bp.route("/meetings/new", methods=["GET", "POST"])
@role_required(*ORGANISER)
def duty_meeting_new():
    if request.method == "GET":
        form = MeetingForm(formdata=None)
        form.held_on.data = _today()
        return _meeting_form_page(_prepared(form))
    form = _prepared(MeetingForm(), blank=False)
    if not form.validate():
        return _meeting_form_page(form), 422
    return commit(
        lambda: duties.create_meeting(db.session, form.to_data(), actor=current_user, today=_today()),
        invalid=lambda error: _meeting_form_page(_place(form, error)),
        done=lambda meeting: saved(url_for(".duty_meeting", meeting_id=meeting.id), _("Zapisano spotkanie.")))


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANISER)
def duty_meeting_edit(meeting_id):
    meeting = _meeting(meeting_id)
    if request.method == "GET":
        return _meeting_form_page(_prepared(MeetingForm.of(meeting)), meeting)
    form = _prepared(MeetingForm(), blank=False)
    if not form.validate():
        return _meeting_form_page(form, meeting), 422

    def conflict(_error):
        current = _meeting(meeting_id)
        form.version.data = str(current.version)
        rows = [(_("Dzień spotkania"), format_date_long(current.held_on),
                 format_date_long(form.held_on.data) if form.held_on.data else None),
                (_("Wnioski"), current.conclusions, form.conclusions.data)]
        return _meeting_form_page(form, current, conflict=rows)

    return commit(
        lambda: duties.update_meeting(db.session, meeting, form.to_data(), actor=current_user,
                                      expected_version=version_number(form.version.data), today=_today()),
        invalid=lambda error: _meeting_form_page(_place(form, error), meeting),
        conflict=conflict,
        done=lambda _m: saved(url_for(".duty_meeting", meeting_id=meeting_id), _("Zapisano zmiany.")))
