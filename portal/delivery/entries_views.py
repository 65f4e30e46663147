"""Pages of individual deliveries (entries per person, the monthly grid of
hours) and of the register of consultations. The blueprint "deliveries"
(/delivery/…); the group sessions have their own pages.

The service and the month travel in the query string as ids and numbers
(?service=12&month=2026-03), never a name; a person only by id in the path.
Every page that shows people's deliveries writes a line in each person's
trail (entries.record_viewed).

A provider's account (issue 15 §1) enters and reads the deliveries of its
own services only, to the people who have them in a plan or a grant
(delivery/access.py); another provider's service, entry or person is a 404."""
from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import submissions
from ..audit.services import commit_trail
from ..auth.access import role_required
from ..auth.models import Role
from ..catalogue.models import Provider, Service
from ..confirm import confirm_page, confirmed
from ..core import menus
from ..core.holidays import polish_public_holidays
from ..core.views import commit, found, saved
from ..extensions import db
from ..i18n import format_date_long, format_month, format_number, unit_quantity
from ..residents.models import Resident
from ..text import polish_order, polish_sort_key
from ..web import render
from ..web import today as _today
from . import access
from . import entries as deliveries
from .entries_forms import ConsultationForm, DeleteForm, EntryForm, GridForm, parse_quantity, show_quantity
from .models import CONSULTATION_KINDS, Consultation, DeliveryEntry

bp = Blueprint("deliveries", __name__, url_prefix="/delivery")

READERS = (Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.DIRECTOR, Role.PROVIDER)
ENTERING = (Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.PROVIDER)
REGISTER = (Role.SERVICES_ORGANISER, Role.DIRECTOR)

menus.register("deliveries.individual", _l("Usługi indywidualne"), ENTERING, order=122)
menus.register("deliveries.consultations", _l("Rejestr konsultacji"), (Role.SERVICES_ORGANISER,), order=123)

ENTRY_FORM = "delivery_entry"
CONSULTATION_FORM = "consultation"

WEEKDAYS_SHORT = (_l("pn"), _l("wt"), _l("śr"), _l("cz"), _l("pt"), _l("sb"), _l("nd"))


# --- what the pages share ----------------------------------------------------------------

def quantity_text(quantity, unit):
    """'3 godziny', '1,5 godziny', '2 przejazdy' (i18n.unit_quantity)."""
    return unit_quantity(Decimal(quantity), unit)


def minutes_text(minutes):
    """'45 minut', '2 godziny 30 minut'."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)s godzina", "%(num)s godzin", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)s minuta", "%(num)s minut", rest))
    return " ".join(parts)


def month_label(year, month):
    return format_month(date(year, month, 1))


def _month():
    today = _today()
    return deliveries.parse_month(request.args.get("month"), (today.year, today.month))


def _month_arg(year, month):
    return f"{year}-{month:02d}"


def _month_links(endpoint, service, year, month):
    earlier, later = deliveries.shift_month(year, month, -1), deliveries.shift_month(year, month, 1)
    args = {"service": service.id} if service is not None else {}
    return {"label": month_label(year, month), "value": _month_arg(year, month),
            "previous": (url_for(endpoint, month=_month_arg(*earlier), **args), month_label(*earlier)),
            "next": (url_for(endpoint, month=_month_arg(*later), **args), month_label(*later))}


def _service(mode, services):
    """The service chosen in the query (?service=<id>) among `services`;
    None when none is chosen; 404 for one the user may not use here."""
    raw = request.args.get("service", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        abort(404)
    service = db.session.get(Service, int(raw))
    if service is None or service.delivery_mode != mode:
        abort(404)
    access.check_service(current_user, service)
    if service.id not in {s.id for s in services}:
        abort(403)
    return service


def _providers():
    return access.provider_choices(current_user, db.session.scalars(
        select(Provider).where(Provider.status == "active").order_by(polish_order(Provider.name))).all())


def _provider_choices():
    if access.is_provider(current_user):  # a provider's account records its own deliveries
        return [(p.id, p.name) for p in _providers()]
    return [("", _("— jak w planie lub w katalogu"))] + [(p.id, p.name) for p in _providers()]


def _person_choices(people, blank):
    return [("", blank)] + [(p.id, f"{p.last_name} {p.first_name}") for p in people]


def _names(ids):
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Resident).where(Resident.id.in_(ids)))}


def _refused_resend(url):
    def answer(_error):
        flash(_("Ten formularz został już wysłany."), "success")
        return redirect(url, code=303)
    return answer


# --- individual services ---------------------------------------------------------------------

@bp.route("/individual")
@role_required(*READERS)
def individual():
    year, month = _month()
    services = deliveries.services_for(db.session, current_user, "individual")
    service = _service("individual", services)
    context = {"services": services, "service": service, "year": year, "month": month,
               "months": _month_links(".individual", service, year, month),
               "may_enter": deliveries.may_enter(current_user), "delete_form": DeleteForm(formdata=None)}
    if service is not None:
        first, last = deliveries.month_bounds(year, month)
        people, _by_person = deliveries.people_of(db.session, current_user, service.id, first, last)
        rows = deliveries.entries_of(db.session, service.id, first, last,
                                     [p.id for p in people] if not deliveries.sees_everyone(current_user) else
                                     _all_people_with_entries(service.id, first, last, people))
        names = _names({r.resident_id for r in rows} | {p.id for p in people})
        totals = {}
        for row in rows:
            totals[row.resident_id] = totals.get(row.resident_id, Decimal(0)) + row.quantity
        summary_people = sorted(set(people) | {names[i] for i in totals},
                                key=lambda p: (polish_sort_key(p.last_name), polish_sort_key(p.first_name), p.id))
        context.update(rows=rows, names=names, people=people, totals=totals, summary_people=summary_people,
                       total=sum(totals.values(), Decimal(0)))
        shown = {r.resident_id for r in rows} | {p.id for p in people}
        if shown:
            deliveries.record_viewed(db.session, shown, actor=current_user,
                                     reason=f"deliveries of service {service.id} in {year}-{month:02d}")
            commit_trail(db.session)  # the views recorded, what was loaded kept for the page
    return render("delivery/entries/individual.html", quantity_text=quantity_text, **context)


def _all_people_with_entries(service_id, first, last, people):
    """The organiser and the director see every entry of the month, also
    of a person whose commitment has since been cancelled."""
    ids = set(db.session.scalars(select(DeliveryEntry.resident_id).where(
        DeliveryEntry.service_id == service_id, DeliveryEntry.delivered_on >= first,
        DeliveryEntry.delivered_on <= last)))
    return ids | {p.id for p in people}


def _entry_page(form, service, services, year, month, status=200):
    first, last = deliveries.month_bounds(year, month)
    people = []
    if service is not None:
        people, _by_person = deliveries.people_of(db.session, current_user, service.id, first, last)
        form.resident_id.choices = _person_choices(people, _("— wybierz osobę"))
        form.provider_id.choices = _provider_choices()
    return render("delivery/entries/entry_form.html", status, form=form, service=service, services=services,
                  people=people, year=year, month=month, month_text=month_label(year, month),
                  month_value=_month_arg(year, month))


@bp.route("/individual/new", methods=["GET", "POST"])
@role_required(*ENTERING)
def entry_new():
    return _new_record(
        "individual", EntryForm, ENTRY_FORM, _entry_page, deliveries.add_entry, day_field="delivered_on",
        list_endpoint=".individual", already=_("Ten wpis jest już zapisany."), done_text=_("Zapisano wpis."))


@bp.route("/individual/<int:delivery_id>/delete", methods=["POST"])
@role_required(*ENTERING)
def entry_delete(delivery_id):
    entry = found(access.check_record(current_user, db.session.get(DeliveryEntry, delivery_id)),
                  lambda entry: deliveries.may_change_entry(db.session, current_user, entry))
    back = url_for(".individual", service=entry.service_id,
                   month=_month_arg(entry.delivered_on.year, entry.delivered_on.month))
    return _delete(back, remove=lambda: deliveries.delete_entry(db.session, entry, actor=current_user),
                   done_text=_("Usunięto wpis."), confirm=dict(
        title=_("Usunąć wpis z %(day)s?", day=format_date_long(entry.delivered_on)), button=_("Usuń wpis"),
        facts=[(_("Usługa"), entry.service.name), (_("Osoba"), entry.resident.full_name),
               (_("Ilość"), quantity_text(entry.quantity, entry.unit))],
        consequences=[_("Wpis zniknie z rozliczenia usługi; w historii zmian zostanie ślad, kto go usunął.")]))


def _delete(back, *, remove, done_text, confirm):
    """A confirmed deletion (a mistake corrected): an expired form goes back
    to the list, the first post asks (portal/confirm.py), the second deletes."""
    if not DeleteForm().validate():
        flash(_("Formularz wygasł. Wyślij go ponownie."), "error")
        return redirect(back, code=303)
    if not confirmed():
        return confirm_page(cancel_url=back, **confirm)
    return commit(remove, done=lambda _result: saved(back, done_text))


# --- one person's deliveries ------------------------------------------------------------------

@bp.route("/people/<int:resident_id>")
@role_required(*READERS)
def person(resident_id):
    resident = db.session.get(Resident, resident_id)
    if access.is_provider(current_user) and not (
            resident is not None and deliveries.may_see_person(db.session, current_user, resident.id)):
        abort(404)  # a provider learns nothing of a person who is not its participant
    resident = found(resident, lambda resident: deliveries.may_see_person(db.session, current_user, resident.id))
    year, month = _month()
    first, last = deliveries.month_bounds(year, month)
    rows, consultations = deliveries.person_entries(db.session, current_user, resident.id, first, last)
    by_service = {}
    for row in rows:
        group = by_service.setdefault(row.service_id, {"service": row.service, "rows": [], "total": Decimal(0),
                                                       "unit": row.unit})
        group["rows"].append(row)
        group["total"] += row.quantity
    groups = sorted(by_service.values(), key=lambda g: polish_sort_key(g["service"].name))
    commitments = deliveries.visible_commitments(db.session, current_user, resident_ids=[resident.id],
                                                 start=first, end=last)
    services = {s.id: s for s in db.session.scalars(select(Service).where(
        Service.id.in_({c.service_id for c in commitments})))} if commitments else {}
    deliveries.record_viewed(db.session, [resident.id], actor=current_user,
                             reason=f"person's deliveries in {year}-{month:02d}")
    commit_trail(db.session)  # the views recorded, what was loaded kept for the page
    return render("delivery/entries/person.html", resident=resident, groups=groups, consultations=consultations,
                  commitments=commitments, services=services, year=year, month=month,
                  months=_person_months(resident.id, year, month), quantity_text=quantity_text,
                  minutes_text=minutes_text)


def _person_months(resident_id, year, month):
    earlier, later = deliveries.shift_month(year, month, -1), deliveries.shift_month(year, month, 1)
    return {"label": month_label(year, month),
            "previous": (url_for(".person", resident_id=resident_id, month=_month_arg(*earlier)),
                         month_label(*earlier)),
            "next": (url_for(".person", resident_id=resident_id, month=_month_arg(*later)), month_label(*later))}


# --- the monthly grid of hours --------------------------------------------------------------------

def _grid_days(sheet):
    holidays = polish_public_holidays(sheet.year)
    return [{"date": day, "id": f"day-{day.day}", "weekday": WEEKDAYS_SHORT[day.weekday()],
             "free": day.weekday() >= 5 or day in holidays, "holiday": holidays.get(day),
             "long": format_date_long(day)} for day in sheet.days]


def _grid_page(sheet, form, status=200, *, typed=None, errors=None, conflict=False, services=()):
    typed = typed or {}
    errors = errors or {}
    cells = {}
    for person in sheet.people:
        for day in sheet.days:
            key = (person.id, day)
            name = deliveries.cell_name(person.id, day)
            value = typed[name] if name in typed else show_quantity(sheet.saved.get(key))
            cells[key] = {"name": name, "value": value, "open": day in sheet.open[person.id],
                          "error": errors.get(name)}
    person_totals = {p.id: sum((v for (rid, _d), v in sheet.saved.items() if rid == p.id), Decimal(0))
                     for p in sheet.people}
    day_totals = {d: sum((v for (_rid, day), v in sheet.saved.items() if day == d), Decimal(0)) for d in sheet.days}
    summary = [(cells[key]["name"], f"{person.last_name} {person.first_name}, "
                f"{format_date_long(key[1])}", cells[key]["error"])
               for person in sheet.people for key in [(person.id, d) for d in sheet.days] if cells[key]["error"]]
    return render("delivery/entries/grid.html", status, sheet=sheet, form=form, cells=cells, days=_grid_days(sheet),
                  person_totals=person_totals, day_totals=day_totals, total=sum(person_totals.values(), Decimal(0)),
                  summary=summary, conflict=conflict, services=services, service=sheet.service,
                  months=_month_links(".grid", sheet.service, sheet.year, sheet.month),
                  show_quantity=show_quantity, month_text=month_label(sheet.year, sheet.month))


@bp.route("/hours", methods=["GET", "POST"])
@role_required(*ENTERING)
def grid():
    year, month = _month()
    services = deliveries.services_for(db.session, current_user, "individual", unit="hour")
    service = _service("individual", services)
    if service is None:
        return render("delivery/entries/grid.html", services=services, service=None,
                      months=_month_links(".grid", None, year, month), month_text=month_label(year, month))
    sheet = deliveries.grid(db.session, service, year, month, user=current_user, today=_today())
    if request.method == "GET":
        form = GridForm(formdata=None)
        form.state.data = sheet.state
        if sheet.people:
            deliveries.record_viewed(db.session, [p.id for p in sheet.people], actor=current_user,
                                     reason=f"hours of service {service.id} in {year}-{month:02d}")
            commit_trail(db.session)  # the views recorded, what was loaded kept for the page
        return _grid_page(sheet, form, services=services)
    form = GridForm()
    typed, parsed, errors = {}, {}, {}
    for person in sheet.people:
        for day in sheet.days:
            name = deliveries.cell_name(person.id, day)
            text = (request.form.get(name) or "").strip()[:20]
            typed[name] = text
            if not text:
                continue
            value = parse_quantity(text)
            if value is None:
                errors[name] = _("Podaj liczbę godzin, np. 2 albo 1,5.")
            else:
                parsed[(person.id, day)] = value
    if not form.validate():
        errors.setdefault("csrf", _("Formularz wygasł. Wyślij go ponownie."))
    if errors:
        return _grid_page(sheet, form, 422, typed=typed, errors=errors, services=services)

    def invalid(error):
        return _grid_page(deliveries.grid(db.session, service, year, month, user=current_user, today=_today()),
                          form, typed=typed, errors={error.field: str(error.message)}, services=services)

    def conflict(_error):
        fresh = deliveries.grid(db.session, service, year, month, user=current_user, today=_today())
        form.state.data = fresh.state  # saving again overwrites knowingly
        return _grid_page(fresh, form, typed=typed, conflict=True, services=services)

    def done(count):
        message = ngettext("Zapisano %(num)s zmienioną komórkę.", "Zapisano %(num)s zmienionych komórek.", count) \
            if count else _("Nic się nie zmieniło.")
        return saved(url_for(".grid", service=service.id, month=_month_arg(year, month)), message)

    return commit(lambda: deliveries.save_grid(db.session, sheet, parsed, actor=current_user,
                                               expected_state=form.state.data),
                  invalid=invalid, conflict=conflict, done=done)


# --- consultations ------------------------------------------------------------------------------------

def consultations_text(count):
    return ngettext("%(num)s konsultacja", "%(num)s konsultacji", count)


@bp.route("/consultations")
@role_required(*REGISTER)
def consultations():
    year, month = _month()
    services = deliveries.services_for(db.session, current_user, "consultation")
    service = _service("consultation", services)
    context = {}
    if service is not None:
        first, last = deliveries.month_bounds(year, month)
        rows = deliveries.consultations_of(db.session, service.id, first, last)
        minutes = sum(r.minutes for r in rows)
        context = {"rows": rows, "count_text": consultations_text(len(rows)), "time_text": minutes_text(minutes),
                   "anonymous": sum(1 for r in rows if r.resident_id is None)}
        people = {r.resident_id for r in rows if r.resident_id}
        if people:
            deliveries.record_viewed(db.session, people, actor=current_user,
                                     reason=f"consultations of service {service.id} in {year}-{month:02d}")
            commit_trail(db.session)  # the views recorded, what was loaded kept for the page
    return render("delivery/entries/consultations.html", services=services, service=service, year=year,
                  month=month, months=_month_links(".consultations", service, year, month),
                  may_register=deliveries.may_register_consultations(current_user),
                  delete_form=DeleteForm(formdata=None), minutes_text=minutes_text, **context)


def _consultation_page(form, service, services, year, month, status=200):
    if service is not None:
        first, last = deliveries.month_bounds(year, month)
        people, _by_person = deliveries.people_of(db.session, current_user, service.id, first, last)
        form.resident_id.choices = _person_choices(people, _("— anonimowo (bez danych osoby)"))
        form.provider_id.choices = _provider_choices()
    return render("delivery/entries/consultation_form.html", status, form=form, service=service, services=services,
                  year=year, month=month, month_text=month_label(year, month), month_value=_month_arg(year, month))


@bp.route("/consultations/new", methods=["GET", "POST"])
@role_required(Role.SERVICES_ORGANISER)
def consultation_new():
    return _new_record(
        "consultation", ConsultationForm, CONSULTATION_FORM, _consultation_page, deliveries.add_consultation,
        day_field="given_on", list_endpoint=".consultations", already=_("Ta konsultacja jest już zapisana."),
        done_text=_("Zapisano konsultację."), defaults={"kind": "other"})


def _new_record(mode, form_class, form_key, page, add, *, day_field, list_endpoint, already, done_text,
                defaults=None):
    """The form of a new entry or consultation: for a service of `mode` and
    the month in the query; a submission key makes a resend harmless; saved,
    it goes back to the month of the day it was given."""
    year, month = _month()
    services = deliveries.services_for(db.session, current_user, mode)
    service = _service(mode, services)
    back = url_for(list_endpoint, service=service.id, month=_month_arg(year, month)) if service else None
    if request.method == "GET" or service is None:
        form = form_class(formdata=None)
        form.submission.data = submissions.new_key()
        for name, value in (defaults or {}).items():
            form[name].data = value
        today = _today()
        form[day_field].data = today if (today.year, today.month) == (year, month) else None
        return page(form, service, services, year, month)
    form = form_class()
    first, last = deliveries.month_bounds(year, month)
    people, _by_person = deliveries.people_of(db.session, current_user, service.id, first, last)
    form.resident_id.choices = _person_choices(people, "")
    form.provider_id.choices = _provider_choices()
    if not submissions.valid_key(form.submission.data):
        form.submission.data = submissions.new_key()
    if submissions.find(db.session, form.submission.data, form_key):
        return saved(back, already)
    if not form.validate():
        return page(form, service, services, year, month, 422)
    data = form.to_data()

    def change():
        record = add(db.session, service, data, actor=current_user, today=_today())
        submissions.claim(db.session, form.submission.data, form_key, record)
        return record

    def done(record):
        day = getattr(record, day_field)
        return saved(url_for(list_endpoint, service=service.id, month=_month_arg(day.year, day.month)), done_text)

    return commit(change, form=form, invalid=lambda error: page(form, service, services, year, month),
                  refused={IntegrityError: _refused_resend(back)}, done=done)


@bp.route("/consultations/<int:consultation_id>/delete", methods=["POST"])
@role_required(Role.SERVICES_ORGANISER)
def consultation_delete(consultation_id):
    consultation = found(db.session.get(Consultation, consultation_id))
    back = url_for(".consultations", service=consultation.service_id,
                   month=_month_arg(consultation.given_on.year, consultation.given_on.month))
    return _delete(back, remove=lambda: deliveries.delete_consultation(db.session, consultation, actor=current_user),
                   done_text=_("Usunięto konsultację."), confirm=dict(
        title=_("Usunąć konsultację z %(day)s?", day=format_date_long(consultation.given_on)),
        button=_("Usuń konsultację"),
        facts=[(_("Usługa"), consultation.service.name), (_("Rodzaj"), consultation.kind_label),
               (_("Czas trwania"), minutes_text(consultation.minutes))],
        consequences=[_("Konsultacja zniknie z rejestru; w historii zmian zostanie ślad, kto ją usunął.")]))


@bp.context_processor
def _labels():
    return {"consultation_kinds": CONSULTATION_KINDS, "format_number": format_number}
