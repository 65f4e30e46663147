"""Residents pages: search, register, the person's page, edit, merge,
consents and the GDPR access report.

Every view runs load (404) -> check access (403) -> call a service ->
commit -> 303, or render. Every display of a person's data appends an
access event with its purpose. No PESEL or name travels in a URL: the
searches the pages send are POSTs, and a PESEL typed into a GET search is
refused, not echoed.
"""
import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import submissions
from ..audit.services import commit_trail
from ..auth.access import role_required
from ..auth.models import Role, User
from ..catalogue.models import Village
from ..confirm import confirmed
from ..core import hooks
from ..core.views import ACTION_CONFLICT_NOTE, answer, commit, expect_version, saved
from ..extensions import db
from ..text import polish_order
from ..validation import format_phone, mask_pesel
from ..web import is_region as _fragment
from ..web import render as _render
from . import access, bp
from . import services as people
from .address import postal_address
from .forms import (
    EditPersonForm,
    EditPersonFullForm,
    MergeConfirmForm,
    MergeSearchForm,
    NewPersonForm,
    PeselSearchForm,
    SearchForm,
)
from .models import CONSENT_CHANNELS, PREFERRED_CONTACT, REPRESENTATIVE_KINDS, Resident

SEARCH_LIMIT = 20
NEW_PERSON_FORM = "new_person"
EVENTS_SHOWN = 200

# Why a record was opened: a small fixed set, stored in the access trail.
PURPOSES = {
    "desk": _l("Obsługa w jednym okienku"),
    "request": _l("Obsługa zgłoszenia"),
    "case": _l("Prowadzenie sprawy"),
    "gdpr": _l("Wniosek osoby o informację (art. 15 RODO)"),
    "edit": _l("Edycja danych"),
    "merge": _l("Scalanie rekordów"),
}
# Other reasons stored with trail events (not purposes one can choose).
REASONS = {
    "register": _l("Wyszukiwanie w rejestrze osób"),
    "pesel": _l("Wpisany numer PESEL"),
    "name_birth_date": _l("Wpisane imię, nazwisko i data urodzenia"),
}
DEFAULT_PURPOSE = {Role.FRONT_DESK: "desk", Role.COORDINATOR: "case", Role.DIRECTOR: "case"}

ACTIONS = {
    "create": _l("Rejestracja"),
    "update": _l("Zmiana danych"),
    "view": _l("Wyświetlenie"),
    "print": _l("Wydruk"),
    "export": _l("Eksport"),
    "merge": _l("Scalenie rekordów"),
    "consent_give": _l("Udzielenie zgody"),
    "consent_withdraw": _l("Wycofanie zgody"),
    "information_clause": _l("Klauzula informacyjna"),
    "lookup_refused": _l("Próba wyszukania bez dostępu do karty"),
    "search": _l("Wynik wyszukiwania"),
}

FIELD_LABELS = {
    "first_name": _l("Imię"),
    "last_name": _l("Nazwisko"),
    "pesel": _l("PESEL"),
    "no_pesel_reason": _l("Powód braku numeru PESEL"),
    "birth_date": _l("Data urodzenia"),
    "sex": _l("Płeć"),
    "address_1": _l("Ulica i numer domu"),
    "postal_code": _l("Kod pocztowy"),
    "city": _l("Miejscowość (poczta)"),
    "village_id": _l("Sołectwo"),
    "phone": _l("Telefon"),
    "email": _l("E-mail"),
    "preferred_contact": _l("Preferowany sposób kontaktu"),
    "representative_kind": _l("Rodzaj przedstawiciela"),
    "representative_name": _l("Przedstawiciel"),
    "representative_phone": _l("Telefon przedstawiciela"),
    "representative_email": _l("E-mail przedstawiciela"),
    "representative_address": _l("Adres przedstawiciela"),
    "notes": _l("Uwagi"),
    "merged_from": _l("Scalono z rekordem"),
    "merged_into_id": _l("Scalono z rekordem"),
    "consent": _l("Zgoda"),
}
SEX = {"F": _l("kobieta"), "M": _l("mężczyzna")}

_PESEL_LIKE = re.compile(r"[0-9]{11}")


# --- helpers ----------------------------------------------------------------------------------

def _load(resident_id):
    resident = db.session.get(Resident, resident_id)
    if resident is None:
        abort(404)
    return resident


def _require(allowed):
    if not allowed:
        abort(403)


def _villages():
    return db.session.scalars(select(Village).order_by(polish_order(Village.name))).all()


def _purpose():
    """The access trail's reason: ?purpose=<code>, or the referring request, or the role's default."""
    purpose = request.args.get("purpose", "")
    if purpose in PURPOSES:
        return purpose
    request_id = request.args.get("request", "")
    if request_id.isascii() and request_id.isdigit() and len(request_id) < 10:
        return f"request:{int(request_id)}"
    return DEFAULT_PURPOSE.get(current_user.role, "desk")


def reason_label(reason):
    """A stored reason as words: our codes translated, other features' text as it is."""
    if not reason:
        return ""
    if reason in PURPOSES:
        return str(PURPOSES[reason])
    if reason in REASONS:
        return str(REASONS[reason])
    if reason.startswith("request:") and reason[8:].isdigit():
        return _("Zgłoszenie nr %(id)s", id=reason[8:])
    return reason


def _looks_like_pesel(text):
    return bool(_PESEL_LIKE.fullmatch(re.sub(r"[\s\-]", "", text or "")))


def _requests_link():
    return "desk.request_detail" in current_app.view_functions


def _from_other_features(resident):
    """What the features above the register show on the person's card and
    report (hooks.person_card): the requests, the assessment button."""
    shown = {"requests": [], "request_kinds": {}, "request_statuses": {}, "may_assess": False}
    for values in hooks.person_card.call(db.session, resident, current_user):
        shown.update(values)
    return shown


# Printed forms (the assessment's PDF) write a person's address the same way as the plan's.
bp.add_app_template_global(postal_address, "postal_address")


@bp.app_template_filter("masked_pesel")
def _masked_pesel(value):
    return mask_pesel(value) if value else ""


@bp.context_processor
def _labels():
    return {
        "purposes": PURPOSES, "access_actions": ACTIONS, "field_labels": FIELD_LABELS, "sex_labels": SEX,
        "preferred_contact_labels": PREFERRED_CONTACT, "representative_labels": REPRESENTATIVE_KINDS,
        "consent_channels": CONSENT_CHANNELS, "reason_label": reason_label,
    }


# --- search ---------------------------------------------------------------------------------

def _search_page(status=200, *, form=None, pesel_form=None, results=None, not_found=False):
    form = form or SearchForm(formdata=None)
    typed = (form.q.data or "").strip()
    context = dict(form=form, pesel_form=pesel_form or PeselSearchForm(formdata=None), results=results,
                   not_found=not_found,
                   may_register=current_user.role in access.REGISTER_ROLES,
                   # A name (not a phone number or a date) can start a new person's form.
                   typed_name=typed if typed and not any(ch.isdigit() for ch in typed) else None)
    template = "residents/_results.html" if _fragment("resident-results") else "residents/index.html"
    return _render(template, status, **context)


@bp.route("/", methods=["GET", "POST"])
@role_required(*access.PEOPLE_ROLES)
def index():
    if request.method == "GET":
        if request.args.get("q"):
            # A name or a PESEL already in a URL once (an old bookmark, a typed
            # address): not searched, and sent off the address bar and history.
            if _looks_like_pesel(request.args["q"]):
                flash(_("Numer PESEL wpisz w polu „Szukaj po numerze PESEL”: nie wysyłamy go w adresie strony."),
                      "error")
            else:
                flash(_("Wpisz szukane dane w polu wyszukiwania: imion, nazwisk i numerów nie wysyłamy "
                        "w adresie strony."), "error")
            return redirect(url_for(".index"), code=303)
        return _search_page()
    form = SearchForm(formdata=request.form)
    query = (form.q.data or "")[:people.MAX_QUERY_LENGTH]
    results = people.search_residents(db.session, query, actor=current_user, limit=SEARCH_LIMIT) if query else None
    if results:
        people.record_listed(db.session, results, actor=current_user, reason="register")
        commit_trail(db.session)  # keeps the people listed loaded for the page
    return _search_page(form=form, results=results)


@bp.route("/pesel", methods=["POST"])
@role_required(*access.PEOPLE_ROLES)
def find_pesel():
    pesel_form = PeselSearchForm()
    if not pesel_form.validate():
        return _search_page(422, pesel_form=pesel_form)
    resident = people.find_by_pesel(db.session, pesel_form.pesel.data)
    if resident is not None and access.can_view_contact(current_user, resident):
        return redirect(url_for(".detail", resident_id=resident.id), code=303)
    if resident is not None:
        # "Not found", as for a number nobody has; the person's trail shows who asked.
        people.record_refused_lookup(db.session, resident, actor=current_user, by="pesel")
        db.session.commit()
    return _search_page(pesel_form=pesel_form, not_found=True)


# --- register ---------------------------------------------------------------------------------

def _new_page(form, status=200, *, duplicates=None):
    return render_template("residents/new.html", form=form, duplicates=duplicates,
                           can_open=lambda r: access.can_view_contact(current_user, r)), status


def _existing_person(form, existing):
    """A PESEL already in the register opens that person (for those who may see them)."""
    if access.can_view_contact(current_user, existing):
        flash(_("Osoba z tym numerem PESEL jest już w rejestrze — to jej karta. Nie dodano nikogo nowego."), "success")
        return redirect(url_for(".detail", resident_id=existing.id), code=303)
    form.keep_typed()
    form.pesel.errors = list(form.pesel.errors or []) + [_("Ta osoba jest już w rejestrze.")]
    return _new_page(form, 422)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*access.REGISTER_ROLES)
def new():
    if request.method == "GET" or request.form.get("prefill"):
        # The not-found PESEL search sends the number here by POST, never in the URL.
        pesel = (request.form.get("pesel") or "")[:20] if request.method == "POST" else ""
        # So does the search "nobody found" with the name typed: split the way the register writes it.
        first, last = people.split_name(db.session, (request.form.get("name") or "")[:people.MAX_QUERY_LENGTH],
                                     actor=current_user) if request.method == "POST" else ("", "")
        form = NewPersonForm(formdata=None, data={"pesel": pesel, "first_name": first, "last_name": last,
                                                  "submission": submissions.new_key()})
        form.set_villages(_villages())
        return _new_page(form)

    form = NewPersonForm()
    form.set_villages(_villages())
    if not submissions.valid_key(form.submission.data):
        form.submission.data = submissions.new_key()
    earlier = submissions.find(db.session, form.submission.data, NEW_PERSON_FORM)
    if earlier is not None and db.session.get(Resident, earlier.object_id) is not None:
        # The same form sent again (a double click, a resend): the person added the first time.
        flash(_("Tę osobę dodano już do rejestru."), "success")
        return redirect(url_for(".detail", resident_id=earlier.object_id), code=303)
    if not form.validate():
        form.keep_typed()
        return _new_page(form, 422)
    data = form.to_data()
    data["informed_at"] = bool(form.informed.data)
    if data["pesel"]:
        existing = people.find_by_pesel(db.session, data["pesel"])
        if existing is not None:
            return _existing_person(form, existing)
    if not form.confirm_new.data:
        duplicates = people.possible_duplicates(db.session, data["first_name"], data["last_name"], data["birth_date"])
        if duplicates:
            form.keep_typed()
            return _new_page(form, duplicates=duplicates)

    def create():
        resident = people.create_resident(db.session, data, actor=current_user)
        submissions.claim(db.session, form.submission.data, NEW_PERSON_FORM, resident)
        return resident

    def sent_twice(error):
        earlier = submissions.find(db.session, form.submission.data, NEW_PERSON_FORM)
        if earlier is None:
            raise error
        return saved(url_for(".detail", resident_id=earlier.object_id), _("Tę osobę dodano już do rejestru."))

    def invalid(error):
        form.keep_typed()
        return _new_page(form)

    return commit(
        create, form=form, fallback="first_name", invalid=invalid,
        refused={IntegrityError: sent_twice,
                 people.DuplicatePesel: lambda error: _existing_person(form, error.existing)},
        done=lambda resident: saved(url_for(".detail", resident_id=resident.id), _("Dodano osobę do rejestru.")))


# --- the person's page ------------------------------------------------------------------------------

def _events(resident):
    return people.access_events(db.session, resident, limit=EVENTS_SHOWN)


def _actors(events):
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


@bp.route("/<int:resident_id>")
@role_required(*access.PEOPLE_ROLES)
def detail(resident_id):
    resident = _load(resident_id)
    _require(access.can_view_contact(current_user, resident))
    people.record_access(db.session, resident, "view", actor=current_user, reason=_purpose())
    db.session.commit()
    return _detail_page(resident)


def _detail_page(resident, conflict=None):
    full = access.can_view_full(current_user, resident)
    trail = access.can_see_trail(current_user, resident)
    events = _events(resident) if trail else []
    shown = _from_other_features(resident)
    return render_template(
        "residents/detail.html",
        resident=resident,
        survivor=people.surviving(db.session, resident) if resident.merged_into_id else None,
        full=full,
        show_pesel=access.can_view_pesel(current_user, resident),
        may_edit=access.can_edit(current_user, resident),
        may_merge=access.can_merge(current_user, resident) and resident.merged_into_id is None,
        may_assess=resident.merged_into_id is None and shown["may_assess"],
        trail=trail,
        events=events,
        actors=_actors(events),
        requests=shown["requests"], request_kinds=shown["request_kinds"], request_statuses=shown["request_statuses"],
        request_links=_requests_link(),
        merged=people.merged_records(db.session, resident),
        consents=people.consent_history(resident),
        consent_version=people.CONSENT_TEXT_VERSION,
        conflict=conflict,
        conflict_note=ACTION_CONFLICT_NOTE,
    )


@bp.route("/<int:resident_id>/access-report")
@role_required(*access.AUDIT_ROLES)
def access_report(resident_id):
    """GDPR art. 15: the data held about the person and who consulted it."""
    resident = _load(resident_id)
    _require(access.can_see_trail(current_user, resident) and access.can_view_full(current_user, resident))
    people.record_access(db.session, resident, "print", actor=current_user, reason=request.args.get(
        "purpose") if request.args.get("purpose") in PURPOSES else "gdpr")
    db.session.commit()
    events = _events(resident)
    shown = _from_other_features(resident)
    return render_template(
        "residents/access_report.html",
        resident=resident,
        events=events,
        actors=_actors(events),
        requests=shown["requests"], request_kinds=shown["request_kinds"], request_statuses=shown["request_statuses"],
        merged=people.merged_records(db.session, resident),
        consents=people.consent_history(resident),
    )


# --- consents and the information clause --------------------------------------------------------------

@bp.route("/<int:resident_id>/consents", methods=["POST"])
@role_required(*access.PEOPLE_ROLES)
def consent(resident_id):
    resident = _load(resident_id)
    _require(access.can_edit(current_user, resident))
    channel = request.form.get("channel", "")
    action = request.form.get("action", "")
    if channel not in CONSENT_CHANNELS or action not in ("give", "withdraw"):
        abort(400)
    if action == "give":
        people.give_consent(db.session, resident, channel, people.CONSENT_TEXT_VERSION, actor=current_user)
        message = _("Zapisano zgodę: %(channel)s.", channel=CONSENT_CHANNELS[channel])
    else:
        people.withdraw_consent(db.session, resident, channel, actor=current_user)
        message = _("Wycofano zgodę: %(channel)s.", channel=CONSENT_CHANNELS[channel])
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", resident_id=resident.id, _anchor="consents"), code=303)


@bp.route("/<int:resident_id>/information-clause", methods=["POST"])
@role_required(*access.PEOPLE_ROLES)
def information_clause(resident_id):
    resident = _load(resident_id)
    _require(access.can_edit(current_user, resident))

    def change():
        expect_version(resident, request.form.get("version"))
        return people.record_information_clause(db.session, resident, actor=current_user)

    def conflict(error):
        # The person's page as it is now (its showing is a view of the record).
        current = _load(resident_id)
        people.record_access(db.session, current, "view", actor=current_user, reason=_purpose())
        db.session.commit()
        informed = current.informed_at.strftime("%d.%m.%Y %H:%M") if current.informed_at else None
        return _detail_page(current, conflict=[(_("Klauzula informacyjna"), informed, _("poinformowana teraz"))])

    return commit(change, conflict=conflict, done=lambda _result: saved(
        url_for(".detail", resident_id=resident_id, _anchor="information-clause"),
        _("Zapisano: osoba została poinformowana o przetwarzaniu danych.")))


# --- edit -------------------------------------------------------------------------------------------

def _edit_form_class(resident):
    return EditPersonFullForm if access.can_view_full(current_user, resident) else EditPersonForm


def _edit_page(form, resident, status=200, conflict=None):
    return render_template("residents/edit.html", form=form, resident=resident, conflict=conflict), status


def _display(key, value):
    """A stored or submitted value as words for the conflict table."""
    if value in (None, ""):
        return None
    if key == "village_id":
        village = db.session.get(Village, int(value)) if str(value).isdigit() else None
        return village.name if village else value
    if key == "preferred_contact":
        return str(PREFERRED_CONTACT.get(value, value))
    if key == "representative_kind":
        return str(REPRESENTATIVE_KINDS.get(value, value))
    if key == "birth_date" and hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    if key in ("phone", "representative_phone"):
        return format_phone(value)
    return value


@bp.route("/<int:resident_id>/edit", methods=["GET", "POST"])
@role_required(*access.PEOPLE_ROLES)
def edit(resident_id):
    resident = _load(resident_id)
    _require(access.can_view_contact(current_user, resident))
    if resident.merged_into_id is not None:
        flash(_("Ten rekord został scalony z innym. Zmieniaj dane w rekordzie docelowym."), "error")
        return redirect(url_for(".detail", resident_id=resident.merged_into_id), code=303)
    _require(access.can_edit(current_user, resident))
    form_class = _edit_form_class(resident)

    if request.method == "GET":
        form = form_class(formdata=None, data=form_class.data_of(resident))
        form.version.data = str(resident.version)
        form.set_villages(_villages())
        people.record_access(db.session, resident, "view", actor=current_user, reason="edit")
        db.session.commit()
        return _edit_page(form, resident)

    form = form_class()
    form.set_villages(_villages())
    form.stored_address = resident.address_1  # kept as it was, even without a house number
    if not form.validate():
        form.keep_typed()
        return _edit_page(form, resident, 422)
    data = form.to_data()

    def invalid(error):
        form.keep_typed()
        return _edit_page(form, _load(resident_id))

    def pesel_taken(error):
        form.pesel.errors = list(form.pesel.errors or []) + [
            _("Ten numer PESEL ma już inna osoba w rejestrze. Jeśli to duplikat, poproś dyrektora o scalenie.")]
        return answer(invalid(error), 422)

    return commit(
        lambda: people.update_resident(db.session, resident, data, actor=current_user,
                                    expected_version=form.version.data),
        form=form, fallback="first_name", invalid=invalid, refused={people.DuplicatePesel: pesel_taken},
        conflict=lambda error: _conflict(form, resident_id, data),
        done=lambda _result: saved(url_for(".detail", resident_id=resident_id, purpose="edit"),
                                   _("Zapisano zmiany.")))


def _conflict(form, resident_id, data):
    """Someone saved in between: both versions side by side, nothing overwritten.
    The form keeps the user's input and takes the new version, so saving it
    again applies their changes knowingly."""
    current = _load(resident_id)
    rows = [(FIELD_LABELS.get(key, key), _display(key, theirs), _display(key, yours))
            for key, theirs, yours in people.conflicts(current, data)]
    form.version.data = str(current.version)
    form.keep_typed()
    return _edit_page(form, current, conflict=rows)


# --- merge ------------------------------------------------------------------------------------------------

def _merge_page(keep, status=200, **context):
    context.setdefault("search_form", MergeSearchForm(formdata=None))
    context.setdefault("confirm_form", None)
    context.setdefault("results", None)
    context.setdefault("drop", None)
    context.setdefault("suggestions", [])
    context.setdefault("conflict", None)
    return render_template("residents/merge.html", keep=keep, **context), status


def _merge_candidate(keep, raw):
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        return None
    drop = db.session.get(Resident, int(raw))
    if drop is None or drop.id == keep.id or drop.merged_into_id is not None:
        return None
    return drop


@bp.route("/<int:resident_id>/merge", methods=["GET", "POST"])
@role_required(*access.MERGE_ROLES)
def merge(resident_id):
    keep = _load(resident_id)
    _require(access.can_merge(current_user, keep))
    if keep.merged_into_id is not None:
        flash(_("Ten rekord został już scalony z innym."), "error")
        return redirect(url_for(".detail", resident_id=keep.merged_into_id), code=303)

    action = request.form.get("action", "") if request.method == "POST" else ""
    if action == "search":
        search_form = MergeSearchForm()
        search_form.validate()
        results = [r for r in people.search_residents(db.session, search_form.q.data or "", actor=current_user,
                                                   limit=SEARCH_LIMIT) if r.id != keep.id]
        people.record_listed(db.session, results, actor=current_user, reason="merge")
        commit_trail(db.session)
        return _merge_page(keep, search_form=search_form, results=results)
    if action in ("choose", "confirm"):
        confirm_form = MergeConfirmForm()
        drop = _merge_candidate(keep, confirm_form.drop_id.data)
        if drop is None:
            flash(_("Wybierz rekord do scalenia z listy."), "error")
            return _merge_page(keep, 422, suggestions=_suggestions(keep))
        if action == "choose" or not confirmed():
            # The step that asks (portal/confirm.py): only its own post merges.
            confirm_form = MergeConfirmForm(formdata=None, drop_id=str(drop.id),
                                            reason=confirm_form.reason.data if action == "confirm" else None)
            people.record_access(db.session, drop, "view", actor=current_user, reason="merge")
            db.session.commit()
            return _merge_page(keep, confirm_form=confirm_form, drop=drop)
        if not confirm_form.validate():
            return _merge_page(keep, 422, confirm_form=confirm_form, drop=drop)
        drop_id = drop.id
        return commit(
            lambda: people.merge_residents(db.session, keep, drop, actor=current_user, reason=confirm_form.reason.data),
            form=confirm_form, fallback="reason",
            invalid=lambda error: _merge_page(_load(resident_id), confirm_form=confirm_form, drop=_load(drop_id)),
            conflict=lambda error: _merge_conflict(resident_id, drop_id, confirm_form),
            done=lambda _result: saved(url_for(".detail", resident_id=resident_id, purpose="merge"), _(
                "Scalono rekordy. Zgłoszenia i zgody duplikatu są teraz w tym rekordzie; "
                "historia obu rekordów jest zachowana.")))
    suggestions = _suggestions(keep)
    # The merge page shows the record in full and its likely duplicates.
    people.record_access(db.session, keep, "view", actor=current_user, reason="merge")
    people.record_listed(db.session, suggestions, actor=current_user, reason="merge")
    commit_trail(db.session)
    return _merge_page(keep, suggestions=suggestions)


def _merge_conflict(resident_id, drop_id, confirm_form):
    """Someone changed one of the records since the confirmation was drawn:
    both as they are now, asked again; nothing merged."""
    keep, drop = _load(resident_id), _load(drop_id)
    message = _("Ktoś inny zmienił jeden z rekordów w międzyczasie. Sprawdź dane i spróbuj ponownie.")
    if keep.merged_into_id is not None or drop.merged_into_id is not None:
        return _merge_page(keep, suggestions=_suggestions(keep), conflict=message)
    confirm_form = MergeConfirmForm(formdata=None, drop_id=str(drop.id), reason=confirm_form.reason.data)
    people.record_access(db.session, drop, "view", actor=current_user, reason="merge")
    db.session.commit()
    return _merge_page(keep, confirm_form=confirm_form, drop=drop, conflict=message)


def _suggestions(keep):
    return people.possible_duplicates(db.session, keep.first_name, keep.last_name, keep.birth_date, exclude_id=keep.id)
