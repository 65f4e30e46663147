"""The one window: register requests, the desk board, a request's page, the
services handout and the public contact form.

Views run load -> check access -> call a service -> commit -> 303, or render
the form again with the input kept (422 invalid, 409 changed by someone else).
The registration screen is one form; htmx asks it for single regions (person,
person-results, service-results, picked, coordinator-field), chosen by
HX-Target, and the same actions work as full-page posts without JavaScript.
"""
import logging
from datetime import timedelta

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import public_form, submissions
from ..audit.services import commit_trail
from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Place, Service, Village
from ..catalogue.presenters import detail_for
from ..catalogue.search import Filters, clean_query, search
from ..complaints import services as complaints
from ..core import versions
from ..core.forms import keep_typed, parse_day
from ..core.mail import MailError
from ..core.pagination import page_number
from ..core.views import answer, commit, found, saved
from ..extensions import db, limiter
from ..fragments import RegionCache
from ..residents import services as people
from ..residents.access import can_view_contact
from ..residents.models import Resident
from ..security import body_limit
from ..text import polish_order
from ..timeutil import local_now, now
from ..validation import whole_number as _int
from ..web import region as _region
from ..web import render as _render
from ..web import render_html as _render_html
from . import bp
from . import services as desk
from .forms import (
    NEW_PERSON_FIELDS,
    AssignForm,
    ContactForm,
    HandoutEmailForm,
    RequestForm,
    RequestSearchForm,
    StatusForm,
)
from .mail import send_handout
from .models import APPLICANTS, CHANNELS, KINDS, ROUTES, STATUSES, URGENCY, Request, RequestStatusChange
from .presenters import period_text

log = logging.getLogger(__name__)

# Who works at the desk: registers requests and sees the board.
DESK_ROLES = (Role.FRONT_DESK, Role.COORDINATOR, Role.DIRECTOR)
# Who hands requests to coordinators.
ASSIGNERS = (Role.FRONT_DESK, Role.DIRECTOR)

DEFAULT_CHANNEL = "phone"  # the speed path; after that, the user's last channel
CHANNEL_KEY = "desk_channel"
LAST_KEY = "desk_last_request"

# The honeypot and the time token (portal/public_form.py), shared with the providers' registration.
CONTACT_GUARD = public_form.Guard("contact-form")
# 5,000 characters of Polish text take up to 30 KB form-encoded; a body beyond
# this is refused (413) before anything is read or echoed back.
CONTACT_MAX_BYTES = 64 * 1024
CONTACT_FORM = "contact"
DESK_FORM = "desk_request"

PERSON_MATCHES = 8
SERVICE_MATCHES = 8


# --- helpers -----------------------------------------------------------------------

def _load_request(request_id):
    item = db.session.scalar(
        select(Request).where(Request.id == request_id)
        .options(
            selectinload(Request.resident).selectinload(Resident.village),
            selectinload(Request.coordinator),
            selectinload(Request.services).selectinload(Service.target_groups),
            selectinload(Request.history).selectinload(RequestStatusChange.actor),
        )
    )
    return found(item, lambda item: desk.may_see(current_user, item))


def _resident(resident_id):
    """The person for a posted id, following merges, if the user may see them
    (a coordinator only the people assigned to them): an id typed into the
    form shows nobody else's card."""
    if not resident_id:
        return None
    resident = people.surviving(db.session, db.session.get(Resident, resident_id))
    if resident is None or not can_view_contact(current_user, resident):
        return None
    return resident


def _village_ids():
    return set(db.session.scalars(select(Village.id)))


def _load_services(ids):
    if not ids:
        return []
    rows = db.session.scalars(
        select(Service).where(Service.id.in_(ids), Service.status != "archived")
        .options(selectinload(Service.provider), selectinload(Service.target_groups))
    ).all()
    by_id = {s.id: s for s in rows}
    return [by_id[i] for i in ids if i in by_id]


def _picked(service_ids, resident):
    villages = _village_ids()
    today = local_now().date()
    return [(s, desk.eligibility_hints(s, resident, villages, today=today)) for s in _load_services(service_ids)]


class ServiceMatches(list):
    """The services the desk's search found, best first; `unmatched`: the
    words that matched no service when only part of the query did."""

    def __init__(self, services, unmatched=()):
        super().__init__(services)
        self.unmatched = tuple(unmatched)


def _service_results(query):
    query = clean_query(query)
    if not query:
        return None
    result = search(db.session, query, Filters(), moment=now(), per_page=SERVICE_MATCHES)
    return ServiceMatches(_load_services(result.ids), result.unmatched if result.partial else ())


def _person_matches(query):
    query = clean_query(query)
    if not query:
        return None
    matches = people.search_residents(db.session, query, actor=current_user, limit=PERSON_MATCHES)
    if matches:
        people.record_listed(db.session, matches, actor=current_user, reason="desk")
        commit_trail(db.session)
    return matches


def _picked_person(resident_id):
    """The person picked from the results: their card is shown, and that is a view of their record."""
    resident = _resident(resident_id)
    if resident is not None:
        people.record_access(db.session, resident, "view", actor=current_user, reason="desk")
        db.session.commit()
    return resident


# --- the registration screen ------------------------------------------------------------

def _prefill_new_person(form, matches):
    """Carry the search into the new-person form: a PESEL or a phone number
    nobody has; a name always, split into first and last name the way the
    register writes them (the form stays folded while the list offers
    people, and names left as filled in make no new person)."""
    if form.has_new_person():
        return
    query = form.q.data or ""
    digits = "".join(ch for ch in query if ch not in " -")
    if digits.isascii() and digits.isdigit():
        if not matches and len(digits) == 11:
            form.new_pesel.data = digits
        elif not matches and len(digits) == 9:
            form.new_phone.data = digits
        return
    form.prefill_names(*people.split_name(db.session, query, actor=current_user))


def namesakes(matches):
    """Ids of the people in a result list who share their first and last
    name with someone else in it: Enter does not pick among them."""
    seen = {}
    for person in matches or ():
        seen.setdefault((person.search_first, person.search_last), []).append(person.id)
    return {i for ids in seen.values() if len(ids) > 1 for i in ids}


def _request_form():
    form = RequestForm()
    form.new_village_id.choices = [("", "—")] + [
        (str(v.id), v.name) for v in db.session.scalars(select(Village).order_by(polish_order(Village.name)))]
    form.coordinator_id.choices = [("", _("— bez przydziału"))] + [
        (str(u.id), u.full_name) for u in desk.coordinators(db.session)]
    return form


def _rule_coordinator(form, resident):
    """Preselect the coordinator of the person's village (the village rule)."""
    village_id = resident.village_id if resident else _int(form.new_village_id.data)
    coordinator = desk.coordinator_for_village(db.session, village_id)
    if coordinator is not None:
        form.coordinator_id.data = str(coordinator.id)


def _form_page(form, status=200, *, resident=None, matches=None, service_results=None, duplicates=None,
               focus=None, notice=None, known_pesel=False):
    context = dict(
        known_pesel=known_pesel,
        form=form,
        resident=resident,
        matches=matches,
        service_results=service_results,
        picked=_picked(form.service_ids.data or [], resident),
        duplicates=duplicates,
        focus=focus,
        notice=notice,
        due=local_now().date() + timedelta(days=desk.PLAN_DEADLINE_DAYS),
        last_saved=_last_saved() if request.method == "GET" else None,
    )
    return _render("desk/new_request.html", status, **context)


def _last_saved():
    request_id = session.get(LAST_KEY)
    item = db.session.get(Request, request_id) if isinstance(request_id, int) else None
    if item is None or not desk.may_see(current_user, item):
        return None
    return item


def _region_response(region, form, resident):
    """The one region an htmx request asked for, or None for the whole page."""
    if region == "person-results":
        matches = _person_matches(form.q.data)
        _prefill_new_person(form, matches)
        return _render("desk/_person_results.html", form=form, matches=matches)
    if region == "service-results":
        return _render("desk/_service_results.html", form=form,
                       service_results=_service_results(form.service_q.data))
    if region == "person":
        picked = _int(request.form.get("pick_resident"))
        if picked:
            resident = _picked_person(picked)
        elif request.form.get("action") == "change_person":
            resident = None
        form.resident_id.data = str(resident.id) if resident else ""
        if resident is None:
            form.q.data = ""
        # After the swap: the picked services' hints and the coordinator
        # follow the person; focus moves on to the kind (or back to the search).
        return _render("desk/_person.html", 200, {"HX-Trigger-After-Settle": "desk:person-changed"},
                       form=form, resident=resident, matches=None, focus=None,
                       data_focus='input[name="kind"]:checked' if resident else "#q")
    if region == "picked":
        added = _int(request.form.get("add_service"))
        ids = list(form.service_ids.data or [])
        if added and added not in ids:
            ids.append(added)
        form.service_ids.data = ids
        if added:
            form.service_q.data = ""  # the service search starts again, as on the full page
        return _render("desk/_picked.html", form=form, picked=_picked(ids, resident), service_added=bool(added),
                       service_results=None)
    if region == "coordinator-field":
        _rule_coordinator(form, resident)
        return _render("desk/_coordinator.html", form=form)
    return None


@bp.route("/desk/requests/new", methods=["GET", "POST"])
@role_required(*DESK_ROLES)
def new_request():
    form = _request_form()
    if not submissions.valid_key(form.submission.data):
        form.submission.data = submissions.new_key()
    if request.method == "GET":
        form.channel.data = session.get(CHANNEL_KEY) if session.get(CHANNEL_KEY) in CHANNELS else DEFAULT_CHANNEL
        form.kind.data = form.kind.data or "information"
        return _form_page(form, focus="q")

    resident = _resident(form.chosen_resident_id())
    form.resident_id.data = str(resident.id) if resident else ""
    response = _region_response(_region(), form, resident)
    if response is not None:
        return response

    # Full-page actions: the same steps without JavaScript.
    action = request.form.get("action", "")
    picked = _int(request.form.get("pick_resident"))
    added = _int(request.form.get("add_service"))
    if picked:
        resident = _picked_person(picked)
        form.resident_id.data = str(resident.id) if resident else ""
        form.q.data = ""
        _rule_coordinator(form, resident)
        return _form_page(form, resident=resident, focus="kind")
    if action == "change_person":
        form.resident_id.data = ""
        return _form_page(form, focus="q")
    if added:
        ids = list(form.service_ids.data or [])
        if added not in ids:
            ids.append(added)
        form.service_ids.data = ids
        form.service_q.data = ""
        return _form_page(form, resident=resident, focus="service_q")
    # Enter in a search box (the form's default button) searches; Enter
    # anywhere else saves. A typed search means the user wants results.
    if action == "find" or (action == "enter" and form.q.data and resident is None and not form.has_new_person()):
        matches = _person_matches(form.q.data) or []
        _prefill_new_person(form, matches)
        return _form_page(form, resident=resident, matches=matches, focus="q")
    if action in ("find_service", "enter") and form.service_q.data:
        found = _service_results(form.service_q.data) or ServiceMatches([])
        return _form_page(form, resident=resident, service_results=found,
                          focus="service_q")
    return _save(form, resident)


def _already_saved(form):
    """The request this very form made before (a double click, a resend after
    a timeout): answered as saved, nothing made twice."""
    earlier = submissions.find(db.session, form.submission.data, DESK_FORM)
    item = db.session.get(Request, earlier.object_id) if earlier is not None else None
    if item is None:
        return None
    flash(_("To zgłoszenie zostało już zapisane: %(number)s.", number=item.number), "success")
    return redirect(url_for(".new_request"), code=303)


def _save(form, resident):
    already = _already_saved(form)
    if already is not None:
        return already
    if not form.validate():
        keep_typed(form, ("new_pesel", "new_phone", "new_postal_code"))
        return _form_page(form, 422, resident=resident,
                          matches=_person_matches(form.q.data) if not resident and form.q.data else None)
    try:
        if resident is None and form.has_new_person():
            data = form.new_person_data()
            # A PESEL already in the register answers before any namesake
            # question: the same person typed in full has the same name and
            # birth date too, and must not be offered as "someone else".
            known = people.find_by_pesel(db.session, data["pesel"]) if data["pesel"] else None
            if known is not None:
                return _known_pesel(form, known)
            duplicates = people.possible_duplicates(db.session, data["first_name"], data["last_name"],
                                                    data["birth_date"])
            visible = [r for r in duplicates if can_view_contact(current_user, r)]
            hidden = [r for r in duplicates if r not in visible]
            if hidden:
                # Someone the user may not see: no names, no second record, and
                # the same answer as for a PESEL (the two used to differ: an
                # oracle of who is a client of the centre); the person's trail
                # shows who tried.
                return _refused_person(form, hidden[0], "name_birth_date")
            if visible and not form.confirm_new.data:
                keep_typed(form, ("new_pesel", "new_phone", "new_postal_code"))
                return _form_page(form, 422, duplicates=visible, notice=_(
                    "W rejestrze jest już osoba o tym imieniu, nazwisku i dacie urodzenia. "
                    "Czy to ta sama osoba? Wybierz ją albo zaznacz, że to ktoś inny."))
            resident = people.create_resident(db.session, data, actor=current_user)
        item = desk.register_request(db.session, form.request_data(resident.id if resident else None),
                                    actor=current_user)
        submissions.claim(db.session, form.submission.data, DESK_FORM, item)
        db.session.commit()
    except people.DuplicatePesel as error:
        # Saved by another desk between the check above and this save.
        db.session.rollback()
        return _known_pesel(form, db.session.get(Resident, error.existing.id))
    except people.ResidentDataError as error:
        db.session.rollback()
        keep_typed(form, ("new_pesel", "new_phone", "new_postal_code"))
        target = form["new_" + error.field] if "new_" + error.field in form else form.new_first_name
        target.errors = list(target.errors or []) + [error.message]
        return _form_page(form, 422)
    except IntegrityError:
        db.session.rollback()
        already = _already_saved(form)  # the same form sent twice at once: the other copy won
        if already is not None:
            return already
        # Two desks saved the same new person at once: the other one won.
        keep_typed(form, ("new_pesel", "new_phone", "new_postal_code"))
        return _form_page(form, 409, resident=None, notice=_(
            "Ktoś właśnie zapisał tę osobę. Wyszukaj ją ponownie i wybierz z listy."))
    except desk.DataError as error:
        db.session.rollback()
        _field_error(form, error.field, error)
        return _form_page(form, 422, resident=_resident(form.chosen_resident_id()))

    session[CHANNEL_KEY] = item.channel
    session[LAST_KEY] = item.id
    flash(_("Zapisano zgłoszenie %(number)s.", number=item.number), "success")
    if form.handout_email.data:
        if _email_handout(item, form.handout_email.data, item.services):
            flash(_("Wysłano ulotkę z usługami e-mailem."), "success")
        else:
            flash(_("Nie udało się wysłać ulotki e-mailem. Spróbuj ponownie na stronie zgłoszenia "
                    "albo wydrukuj ulotkę."), "error")
    # The desk's next call starts on a fresh form with the search focused.
    return redirect(url_for(".new_request"), code=303)


def _known_pesel(form, known):
    """A new person whose PESEL is already in the register: that person is
    picked for the request, with a link to their card, if the user may see
    them; otherwise the one neutral answer."""
    existing = _resident(known.id)
    if existing is None:
        return _refused_person(form, known, "pesel")
    form.resident_id.data = str(existing.id)
    for name in NEW_PERSON_FIELDS:
        getattr(form, name).data = ""
    _rule_coordinator(form, existing)
    return _form_page(form, 422, resident=existing, known_pesel=True, notice=_(
        "Osoba z tym numerem PESEL jest już w rejestrze — wybraliśmy ją. Sprawdź dane i zapisz ponownie."))


def _refused_person(form, resident, by):
    """New-person data that matches someone the user may not see: one neutral
    answer whatever matched, recorded in that person's access trail."""
    people.record_refused_lookup(db.session, resident, actor=current_user, by=by)
    db.session.commit()
    keep_typed(form, ("new_pesel", "new_phone", "new_postal_code"))
    return _form_page(form, 422, notice=_(
        "Nie możesz zarejestrować tej osoby ze swojego konta. Przekaż zgłoszenie recepcji: "
        "recepcja zarejestruje je i przydzieli koordynatorowi."))


def _field_error(form, name, error):
    names = {"resident": "q", "coordinator": "coordinator_id"}
    name = names.get(name, name)
    target = form[name] if name in form else form.question
    target.errors = list(target.errors or []) + [str(getattr(error, "message", error))]


def _email_handout(item, address, services):
    """Send after the commit: a mail server that is down must not lose the request."""
    try:
        send_handout(address, list(services))
    except MailError:
        return False
    if item.resident is not None:
        people.record_access(db.session, item.resident, "export", actor=current_user,
                             reason=f"handout e-mailed for request {item.number}")
        db.session.commit()
    return True


def _resident_link(resident):
    return url_for("residents.detail", resident_id=resident.id) if resident is not None else None


@bp.context_processor
def _labels():
    return {"statuses": STATUSES, "channels": CHANNELS, "kinds": KINDS, "applicants": APPLICANTS,
            "routes": ROUTES, "urgencies": URGENCY, "namesakes": namesakes}


# --- a request's page -----------------------------------------------------------------------

def _detail_page(item, status=200, *, status_form=None, close_form=None, assign_form=None, email_form=None,
                 conflict=False):
    today = local_now().date()
    if assign_form is None:
        assign_form = AssignForm(formdata=None, prefix="assign")
        assign_form.version.data = str(item.version)
        assign_form.coordinator_id.data = str(item.coordinator_id or "")
    assign_form.coordinator_id.choices = [("", "—")] + [
        (str(u.id), u.full_name) for u in desk.coordinators(db.session)]
    if status_form is None:
        status_form = StatusForm(formdata=None, prefix="status")
    if close_form is None:
        close_form = StatusForm(formdata=None, prefix="close")
    for f in (status_form, close_form):
        f.version.data = str(item.version)
    context = dict(
        item=item,
        deadline=desk.deadline(item, today) if item.is_open else None,
        transitions=desk.allowed_transitions(item),
        picked=_picked([s.id for s in item.services], item.resident),
        status_form=status_form,
        close_form=close_form,
        assign_form=assign_form,
        email_form=email_form or HandoutEmailForm(formdata=None, prefix="email"),
        resident_link=_resident_link(item.resident),
        may_assign=current_user.role in ASSIGNERS and (
            item.is_open or (current_user.role == Role.DIRECTOR and desk.case_running(db.session, item))),
        conflict=conflict,
    )
    return _render("desk/request.html", status, **context)


@bp.route("/desk/requests/<int:request_id>")
@role_required(*DESK_ROLES)
def request_detail(request_id):
    item = _load_request(request_id)
    if item.resident is not None:
        people.record_access(db.session, item.resident, "view", actor=current_user,
                             reason=f"request {item.number}")
        db.session.commit()
    return _detail_page(item)


@bp.route("/desk/requests/<int:request_id>/receipt")
@role_required(*DESK_ROLES)
def request_receipt(request_id):
    """The applicant's printed confirmation of receipt: the number, the date,
    what happens next and the 30-day rule for applications. It names the
    person only as they gave their name; it is a print of their file."""
    item = _load_request(request_id)
    if item.resident is not None:
        people.record_access(db.session, item.resident, "print", actor=current_user,
                             reason=f"receipt for request {item.number}")
        db.session.commit()
    name = item.resident.full_name if item.resident is not None else item.contact_name
    return _render("desk/receipt.html", item=item, applicant_name=name,
                   due=desk.received_day(item) + timedelta(days=desk.PLAN_DEADLINE_DAYS))


@bp.route("/desk/requests/<int:request_id>/status", methods=["POST"])
@role_required(*DESK_ROLES)
def request_status(request_id):
    item = _load_request(request_id)
    closing = "close-to_status" in request.form
    form = StatusForm(prefix="close" if closing else "status")
    if not form.validate():
        return _detail_page(item, 422, **({"close_form": form} if closing else {"status_form": form}))

    def refused(error):
        form.to_status.errors = [str(error.message)]
        return answer(_detail_page(_load_request(request_id), **({"close_form": form} if closing
                                                                   else {"status_form": form})), 422)

    def done(_result):
        message = _("Zmieniono status zgłoszenia %(number)s na: %(status)s.", number=item.number,
                    status=STATUSES[item.status])
        # A coordinator who handed the request on no longer sees it.
        back = url_for(".request_detail", request_id=request_id) if desk.may_see(current_user, item) \
            else url_for(".board")
        return saved(back, message)

    return commit(
        lambda: desk.change_status(db.session, item, form.to_status.data, actor=current_user, note=form.note.data,
                                  expected_version=_int(form.version.data)),
        conflict=lambda error: _detail_page(_load_request(request_id), conflict=True),
        refused={desk.TransitionError: refused}, done=done)


@bp.route("/desk/requests/<int:request_id>/assign", methods=["POST"])
@role_required(*ASSIGNERS)
def request_assign(request_id):
    item = _load_request(request_id)
    form = AssignForm(prefix="assign")
    form.coordinator_id.choices = [("", "—")] + [(str(u.id), u.full_name) for u in desk.coordinators(db.session)]
    if not form.validate():
        return _detail_page(item, 422, assign_form=form)

    def refused(error):
        form.coordinator_id.errors = [str(error.message)]
        return answer(_detail_page(_load_request(request_id), assign_form=form), 422)

    return commit(
        lambda: desk.assign(db.session, item, int(form.coordinator_id.data), actor=current_user,
                           expected_version=_int(form.version.data)),
        invalid=refused, refused={desk.TransitionError: refused},
        conflict=lambda error: _detail_page(_load_request(request_id), conflict=True),
        done=lambda _result: saved(url_for(".request_detail", request_id=request_id), _(
            "Przydzielono zgłoszenie %(number)s: %(name)s.", number=item.number, name=item.coordinator.full_name)))


# --- the handout ----------------------------------------------------------------------------

@bp.route("/desk/handout")
@role_required(*DESK_ROLES)
def handout():
    ids = []
    for raw in request.args.getlist("service")[:30]:
        value = _int(raw)
        if value and value not in ids:
            ids.append(value)
    services = db.session.scalars(
        select(Service).where(Service.id.in_(ids or [0]), Service.status != "archived")
        .options(selectinload(Service.provider), selectinload(Service.areas),
                 selectinload(Service.target_groups), selectinload(Service.places).selectinload(Place.village),
                 selectinload(Service.schedule_rules), selectinload(Service.closures),
                 selectinload(Service.discounts), selectinload(Service.required_documents))
    ).all()
    by_id = {s.id: s for s in services}
    services = [by_id[i] for i in ids if i in by_id]
    moment = now()
    return _render("desk/handout.html", items=[(s, detail_for(s, moment)) for s in services])


@bp.route("/desk/requests/<int:request_id>/handout/email", methods=["POST"])
@role_required(*DESK_ROLES)
def handout_email(request_id):
    item = _load_request(request_id)
    form = HandoutEmailForm(prefix="email")
    valid = form.validate()
    if valid and not item.services:
        form.email.errors = [_("To zgłoszenie nie ma wybranych usług.")]
        valid = False
    if not valid:
        return _detail_page(item, 422, email_form=form)
    if not _email_handout(item, form.email.data, item.services):
        form.email.errors = [_("Nie udało się wysłać wiadomości: serwer poczty nie odpowiada. "
                               "Spróbuj za chwilę albo wydrukuj ulotkę.")]
        return _detail_page(item, 503, email_form=form)
    flash(_("Wysłano ulotkę z usługami e-mailem."), "success")
    return redirect(url_for(".request_detail", request_id=request_id), code=303)


# --- the board -------------------------------------------------------------------------------

def _board_day(args, name):
    """A date from the filter form: yyyy-mm-dd (a date field) or dd.mm.rrrr
    typed by hand; (date or None, whether something unreadable was given)."""
    raw = (args.get(name) or "").strip()[:20]
    if not raw:
        return None, False
    day = parse_day(raw)
    if day is None or not 1900 <= day.year <= 2200:
        return None, True
    return day, False


def _board_filters(args):
    """The board's filters from the query, and the names of the dates that
    could not be read (they are ignored, and the board says so)."""
    status = args.get("status", "")
    channel = args.get("channel", "")
    coordinator = args.get("coordinator", "")
    date_from, bad_from = _board_day(args, "from")
    date_to, bad_to = _board_day(args, "to")
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from  # the heading shows the period as read
    filters = desk.BoardFilters(
        status=status if status in STATUSES else None,
        channel=channel if channel in CHANNELS else None,
        coordinator=coordinator if coordinator == "none" or _int(coordinator) else None,
        date_from=date_from,
        date_to=date_to,
    )
    if current_user.role == Role.COORDINATOR:
        filters.only_coordinator_id = current_user.id
        filters.coordinator = None
    return filters, tuple(name for name, bad in (("from", bad_from), ("to", bad_to)) if bad)


def _filter_args(filters):
    """The filters as query arguments, for links that keep them."""
    return {k: v for k, v in (("status", filters.status), ("channel", filters.channel),
                              ("coordinator", filters.coordinator),
                              ("from", filters.date_from and filters.date_from.isoformat()),
                              ("to", filters.date_to and filters.date_to.isoformat())) if v}


def _board_regions():
    """The board region per process and app, kept until the desk version
    moves. Front desk and director see the same board (a coordinator's key
    carries their id), so a queue of receptionists on the same filters
    renders it once a minute."""
    return current_app.extensions.setdefault("desk_board_regions", RegionCache(size=256))


def _still_fresh(version):
    """A poll from a board that shows the current desk version and has not
    passed the moment its content goes stale by itself (midnight, a call-back
    passing its working day): 204, nothing to swap."""
    since = _int(request.args.get("since"))
    until = (request.args.get("until") or "").strip()
    if since is None or since != version:
        return False
    if not until:
        return True
    # A Unix time (ten digits); junk is stale.
    stamp = _int(until, digits=12)
    return stamp is not None and now().timestamp() < stamp


@bp.route("/desk/")
@bp.route("/desk/board")
@role_required(*DESK_ROLES)
def board():
    version = versions.current(db.session, versions.DESK)
    if _still_fresh(version):
        # Nothing new: htmx swaps nothing on 204.
        return _render_html("", 204, {"Cache-Control": "no-store"})
    filters, bad_dates = _board_filters(request.args)
    page = page_number(request.args.get("page"))
    args = _filter_args(filters)
    moment = local_now()
    key = (str(get_locale()), moment.replace(second=0, microsecond=0), filters.status, filters.channel,
           filters.coordinator, filters.date_from, filters.date_to, bad_dates, filters.only_coordinator_id, page)

    def render_region():
        data = desk.board(db.session, filters=filters, today=moment.date(), page=page, moment=now())
        return render_template("desk/_board.html", board=data, filters=filters, filter_args=args,
                               period=period_text(data), bad_dates=bad_dates)

    region = _board_regions().get(version, key, render_region)
    if _region() == "board":
        return _render_html(region)
    return _render("desk/board.html", board_region=region, filters=filters, filter_args=args,
                   coordinators=desk.coordinators(db.session), own_only=filters.only_coordinator_id is not None,
                   search_form=RequestSearchForm(formdata=None))


@bp.route("/desk/search", methods=["GET", "POST"])
@role_required(*DESK_ROLES)
def search_requests():
    """A request by its number or its person's name. POST only carries the
    query (a name never in a URL); the board asks for the results region."""
    form = RequestSearchForm(formdata=request.form if request.method == "POST" else None)
    found, status = None, 200
    if request.method == "POST":
        if form.validate():
            found, people_shown = desk.find_requests(db.session, form.q.data, actor=current_user)
            if people_shown:
                people.record_listed(db.session, people_shown, actor=current_user, reason="desk")
                commit_trail(db.session)
        else:
            status = 422
    today = local_now().date()
    deadlines = {r.id: desk.deadline(r, today) for r in found or () if r.is_open}
    context = dict(search_form=form, found=found, found_deadlines={k: v for k, v in deadlines.items() if v})
    if _region() == "request-search-results":
        return _render("desk/_search_results.html", status, **context)
    return _render("desk/search.html", status, **context)


# --- the public contact form -------------------------------------------------------------------

def contact_token(moment=None):
    """The contact form's time token (portal/public_form.py)."""
    return CONTACT_GUARD.token(moment)


def _public_services():
    return db.session.scalars(
        select(Service).where(Service.status == "active").order_by(polish_order(Service.name))).all()


@bp.route("/contact", methods=["GET", "POST"])
@limiter.limit(public_form.RATE_LIMIT, methods=["POST"])
@body_limit(CONTACT_MAX_BYTES)
def contact():
    form = ContactForm()
    services = _public_services()
    form.service.choices = [("", _("— nie dotyczy konkretnej usługi"))] + [(s.slug, s.name) for s in services]
    if request.method == "GET":
        slug = (request.args.get("service") or "")[:140]
        if any(s.slug == slug for s in services):
            form.service.data = slug
        form.started.data = contact_token()
        return _render("desk/contact.html", form=form, refusal=None)

    valid = form.validate()
    refusal, key = CONTACT_GUARD.check(form)
    if refusal or not valid:
        keep_typed(form, ("phone",))
        CONTACT_GUARD.renew(form)
        return _render("desk/contact.html", 422, form=form, refusal=refusal)

    if submissions.find(db.session, key, CONTACT_FORM) is not None:
        # The same form sent again (a double click, a resend after a timeout,
        # a replayed token): the message is already with us.
        return redirect(url_for(".contact_thanks"), code=303)
    service = next((s for s in services if s.slug == form.service.data), None)
    if form.kind.data == "complaint":
        # A complaint or a request goes to its own register, not the desk's
        # list: the director assigns it (a complaint may be about the desk).
        item = complaints.register_from_contact_form(db.session, {
            "name": form.name.data, "phone": form.phone.data or None, "email": form.email.data or None,
            "message": form.message.data, "service_id": service.id if service else None})
    else:
        item = _contact_request(form, service)
    try:
        submissions.claim(db.session, key, CONTACT_FORM, item)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a parallel resend of the same form was stored first
    return redirect(url_for(".contact_thanks"), code=303)


def _contact_request(form, service):
    return desk.register_request(db.session, {
        "channel": "web_form",
        "kind": "application" if form.kind.data == "service" else "information",
        "applicant": "self",
        "contact_name": form.name.data,
        "contact_phone": form.phone.data or None,
        "contact_email": form.email.data or None,
        "message": form.message.data,
        "service_ids": [service.id] if service else [],
    }, actor=None)


@bp.route("/contact/thanks")
def contact_thanks():
    return _render("desk/contact_thanks.html")
