"""Operations on individual plans (IPUS): drafting, versions, approval,
return and cancellation, updates, signatures, and the lists of plans.
Single grants, waiting lists and approval delegations have their own
modules (grants.py, waiting.py, delegations.py) and share the input rules
of cleaning.py.

Plain functions with an explicit session, actor and day (`today`, the Warsaw
calendar date): they never read the request, the session or current_user,
and never commit. The caller commits the unit of work, so a plan's change,
its approval step, its number, the capacity count and the audit event land
together or not at all.

Every rule the forms check is checked here again (the period of validity,
the check frequency, the items' periods), so no other caller can store what
the form would refuse. An approved version is frozen: any attempt to change
it raises Frozen.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from ..assessment.models import Assessment
from ..audit.services import record
from ..auth.models import Role, User
from ..catalogue.models import Provider, Service
from ..core import signals
from ..core.deadlines import max_valid_until, plan_deadline, submitted_late, validity_problem
from ..core.errors import DataError, Frozen, NotAllowed, TransitionError, check_version
from ..desk import services as desk
from ..desk.models import Request
from ..residents.services import record_access
from ..timeutil import now, to_local
from . import access, capacity, printing
from .cleaning import catalogue_service, check_period, is_date, last_valid_day, quantity_of, text_of
from .models import (
    CHECK_FREQUENCIES,
    EDITABLE_VERSION_STATUSES,
    IN_FORCE_VERSION_STATUSES,
    SIGNER_ROLES,
    ApprovalStep,
    Plan,
    PlanItem,
    PlanVersion,
    Signature,
)
from .numbering import take_number
from .scans import store_checked

# A version's own fields, and an item's fields as the plan form edits them.
VERSION_FIELDS = ("drawn_up_on", "valid_from", "valid_until", "expected_effects", "check_frequency", "update_reason")
ITEM_FIELDS = ("service_id", "provider_id", "place", "schedule", "period_from", "period_to", "scope", "quantity",
               "supports_volunteers", "supports_self_help", "supports_neighbours", "supporting_note")
ITEM_TEXTS = ("place", "schedule", "scope", "supporting_note")
HOME_PLACE = "w miejscu zamieszkania uczestnika"
FROZEN_MESSAGE = _l("Zatwierdzonego planu nie można zmieniać. Zmiany wprowadza się aktualizacją planu.")


# --- small helpers ----------------------------------------------------------------------------

def _check_version(plan, expected_version):
    check_version(plan, expected_version, message=_l("Ktoś inny zmienił ten plan w międzyczasie."))


def _touch(plan):
    """Move the plan's optimistic lock with any change to its versions or
    items (flagged, so the UPDATE happens even when the clock has not moved)."""
    plan.updated_at = now()
    flag_modified(plan, "updated_at")


def _step(version, action, actor, *, comment=None, delegation=None, at=None):
    step = ApprovalStep(action=action, actor_id=getattr(actor, "id", None), comment=comment,
                        delegation_id=delegation.id if delegation else None, at=at or now())
    version.steps.append(step)
    return step


def _move(session, plan, version, status, actor, *, was, comment=None, delegation=None, at=None):
    """The version moves to `status` (submitted, returned, cancelled) with
    its approval step of the same name; version 0 takes the plan with it.
    The audit event records the move from `was`."""
    version.status = status
    _step(version, status, actor, comment=comment, delegation=delegation, at=at)
    if version.number == 0:
        plan.status = status
    _touch(plan)
    session.flush()
    record("update", plan, actor=actor, summary=f"plan {plan.id} version {version.number} {status}",
           changes={"status": [was, status]})


def _validity(valid_from, valid_until):
    if not is_date(valid_from):
        raise DataError("valid_from", _l("Podaj datę, od której plan obowiązuje."))
    if not is_date(valid_until):
        raise DataError("valid_until", _l("Podaj datę, do której plan obowiązuje."))
    problem = validity_problem(valid_from, valid_until)
    if problem == "order":
        raise DataError("valid_until", _l("Plan nie może kończyć się przed dniem, od którego obowiązuje."))
    if problem == "too_long":
        raise DataError("valid_until", _l("Plan obowiązuje najwyżej rok: ostatni możliwy dzień to %(day)s.",
                                          day=last_valid_day(valid_from)))


def _provider(session, provider_id, service, field):
    if provider_id in (None, ""):
        return service.provider
    provider = session.get(Provider, provider_id) if isinstance(provider_id, int) else None
    if provider is None or (provider.status == "archived" and provider.id != service.provider_id):
        raise DataError(field, _l("Wybierz realizatora z listy."))
    return provider


# --- drafting ---------------------------------------------------------------------------------

def item_defaults(service, valid_from, valid_until):
    """A new item for `service`, filled in from the catalogue (editable)."""
    # Stored text of the plan (printed in Polish), not an interface label.
    if service.at_client_home:
        place = HOME_PLACE
    elif service.places:
        place = "; ".join(p.one_line for p in service.places)
    else:
        place = ""
    schedule = service.schedule_description or ""
    if not schedule and service.schedule_rules:
        from ..catalogue.schedule import describe_weekly

        names = ("pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz.")
        schedule = ", ".join(f"{names[day]} {hours}" for day, hours in describe_weekly(service.schedule()))
    return {
        "service_id": service.id,
        "service": service,
        "provider_id": service.provider_id,
        "place": place[:300],
        "schedule": schedule[:2000],
        "period_from": valid_from,
        "period_to": valid_until,
        "scope": "",
        "quantity": 1,
        "unit": service.unit,
        "supports_volunteers": False,
        "supports_self_help": False,
        "supports_neighbours": False,
        "supporting_note": "",
    }


def draft_defaults(session, assessment, today):
    """What a new plan from `assessment` starts with: valid from today for a
    year, quarterly checks, an item per service wanted (quantity as wanted)."""
    valid_until = max_valid_until(today)
    items = []
    for wanted in getattr(assessment, "services_wanted", None) or []:
        service = getattr(wanted, "service", None) or (session.get(Service, wanted.service_id)
                                                       if getattr(wanted, "service_id", None) else None)
        if service is None or service.status == "archived":
            continue
        item = item_defaults(service, today, valid_until)
        try:
            item["quantity"] = max(1, int(getattr(wanted, "quantity", None) or 1))
        except (TypeError, ValueError):
            pass
        frequency = getattr(wanted, "frequency", None)
        if frequency:
            item["scope"] = str(frequency)[:2000]
        items.append(item)
    return {
        "drawn_up_on": today,
        "valid_from": today,
        "valid_until": valid_until,
        "expected_effects": "",
        "check_frequency": "quarterly",
        "items": items,
    }


def clean_items(session, items, valid_from, valid_until):
    """Checked item values, in order; DataError names the item's field."""
    cleaned = []
    for index, raw in enumerate(items or []):
        prefix = f"items-{index}-"
        service = catalogue_service(session, raw.get("service_id"), prefix + "service_id")
        provider = _provider(session, raw.get("provider_id"), service, prefix + "provider_id")
        start, end = raw.get("period_from"), raw.get("period_to")
        check_period(start, end, prefix)
        if is_date(valid_from) and start < valid_from:
            raise DataError(prefix + "period_from", _l("Usługa nie może zaczynać się przed początkiem planu."))
        if is_date(valid_until) and end > valid_until:
            raise DataError(prefix + "period_to", _l("Usługa nie może kończyć się po końcu planu."))
        item = {
            "position": index,
            "service_id": service.id,
            "provider_id": provider.id,
            "period_from": start,
            "period_to": end,
            "quantity": quantity_of(raw.get("quantity"), prefix + "quantity"),
            "unit": raw.get("unit") if raw.get("unit") else service.unit,
            "supports_volunteers": bool(raw.get("supports_volunteers")),
            "supports_self_help": bool(raw.get("supports_self_help")),
            "supports_neighbours": bool(raw.get("supports_neighbours")),
        }
        for key in ITEM_TEXTS:
            item[key] = text_of(raw.get(key), key) or ("" if key != "supporting_note" else None)
        cleaned.append(item)
    return cleaned


def clean_version(session, data, *, number):
    """The version's own fields and items, checked."""
    drawn_up_on = data.get("drawn_up_on")
    if not is_date(drawn_up_on):
        raise DataError("drawn_up_on", _l("Podaj datę sporządzenia planu."))
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    _validity(valid_from, valid_until)
    frequency = data.get("check_frequency")
    if frequency not in CHECK_FREQUENCIES:
        raise DataError("check_frequency", _l("Jakość i zadowolenie sprawdza się co najmniej raz na kwartał: "
                                              "wybierz „co miesiąc” albo „co kwartał”."))
    values = {
        "drawn_up_on": drawn_up_on,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "expected_effects": text_of(data.get("expected_effects"), "expected_effects") or "",
        "check_frequency": frequency,
        "update_reason": text_of(data.get("update_reason"), "update_reason") if number else None,
    }
    if number and not values["update_reason"]:
        raise DataError("update_reason", _l("Napisz, dlaczego plan jest aktualizowany."))
    values["items"] = clean_items(session, data.get("items"), valid_from, valid_until)
    return values


def _apply(version, values):
    for key in VERSION_FIELDS:
        setattr(version, key, values[key])
    version.items = [PlanItem(**item) for item in values["items"]]


def _summary(version):
    """What the audit log keeps of a version's content: no free text."""
    return {
        "valid_from": version.valid_from.isoformat() if version.valid_from else None,
        "valid_until": version.valid_until.isoformat() if version.valid_until else None,
        "check_frequency": version.check_frequency,
        "items": [[i.service_id, i.quantity, i.period_from.isoformat(), i.period_to.isoformat()]
                  for i in version.items],
    }


def open_plan_for(session, assessment_id):
    """The plan (not cancelled) already drawn from this assessment, if any."""
    return session.scalar(select(Plan).where(Plan.assessment_id == assessment_id, Plan.status != "cancelled"))


def create_plan(session, assessment, data, *, actor):
    """A draft plan (version 0) from a completed assessment."""
    if not access.can_work_on(actor, assessment):
        raise NotAllowed()
    if assessment.status != "completed":
        raise DataError("assessment", _l("Plan sporządza się na podstawie zakończonej diagnozy."))
    if open_plan_for(session, assessment.id) is not None:
        raise DataError("assessment", _l("Z tej diagnozy sporządzono już plan."))
    values = clean_version(session, data, number=0)
    # The case's coordinator now: the request's (it follows a reassignment),
    # the assessment's own only for a case without a request.
    coordinator_id = (access.case_coordinator_id(assessment) or assessment.coordinator_id
                      or getattr(actor, "id", None))
    plan = Plan(resident_id=assessment.resident_id, request_id=assessment.request_id, assessment_id=assessment.id,
                coordinator_id=coordinator_id, status="draft", created_by_id=getattr(actor, "id", None))
    version = PlanVersion(number=0, status="draft", created_by_id=getattr(actor, "id", None),
                          drawn_up_on=values["drawn_up_on"], valid_from=values["valid_from"],
                          valid_until=values["valid_until"])
    _apply(version, values)
    plan.versions.append(version)
    session.add(plan)
    session.flush()
    record("create", plan, actor=actor, summary=f"plan {plan.id} drafted from assessment {assessment.id}",
           changes={"status": [None, "draft"], "version_0": [None, _summary(version)]})
    return plan


def editable_version(plan):
    version = plan.working_version
    if version is None or version.status not in EDITABLE_VERSION_STATUSES:
        raise Frozen(_l("Tego planu nie można teraz zmieniać: jest przekazany do zatwierdzenia albo zatwierdzony."))
    return version


def save_version(session, plan, data, *, actor, expected_version):
    """Save the draft (or returned) version's content."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    version = editable_version(plan)
    values = clean_version(session, data, number=version.number)
    before = _summary(version)
    _apply(version, values)
    _touch(plan)
    session.flush()
    record("update", plan, actor=actor, summary=f"plan {plan.id} version {version.number} saved",
           changes={f"version_{version.number}": [before, _summary(version)]})
    return version


def version_values(version):
    """The version's content as the plan form holds it."""
    values = {key: getattr(version, key) for key in VERSION_FIELDS}
    values["items"] = [{key: getattr(item, key) for key in ITEM_FIELDS} for item in version.items]
    return values


def _item_key(item):
    """An item's values compared field by field (text stripped, empty = None)."""
    return tuple((key, (value.strip() or None) if isinstance(value, str) else (value or None))
                 for key, value in sorted(item.items()) if key != "service")


def version_conflicts(version, data):
    """[(field, theirs, yours)] where the saved version differs from the
    submitted plan form (`data` as save_version takes it): the version's own
    fields as stored, then ("items", saved items, your items) when any item
    differs (each item a dict of ITEM_FIELDS), for the conflict screen."""
    saved = version_values(version)
    rows = [(key, saved[key], data.get(key)) for key in VERSION_FIELDS
            if (saved[key] or None) != (data.get(key) or None)]
    yours = list(data.get("items") or [])
    if [_item_key(item) for item in saved["items"]] != [_item_key(item) for item in yours]:
        rows.append(("items", saved["items"], yours))
    return rows


# --- approval -----------------------------------------------------------------------------------

def submit(session, plan, *, actor, expected_version, today, overdue_reason=None):
    """The coordinator hands the version in for approval. The first
    submission of version 0 is the day the plan counts as drawn up; after
    the 30-day deadline it needs a reason."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    version = plan.working_version
    if version is None or version.status not in EDITABLE_VERSION_STATUSES:
        raise TransitionError(_l("Ten plan nie czeka na przekazanie do zatwierdzenia."))
    if not version.items:
        raise DataError("items", _l("Dodaj do planu co najmniej jedną usługę."))
    _validity(version.valid_from, version.valid_until)
    if version.number and not version.update_reason:
        raise DataError("update_reason", _l("Napisz, dlaczego plan jest aktualizowany."))
    if version.number == 0 and plan.first_submitted_on is None:
        reason = text_of(overdue_reason, "overdue_reason")
        if submitted_late(plan.request, today) and not reason:
            raise DataError("overdue_reason", _l("Minęło 30 dni od zgłoszenia: wpisz przyczynę opóźnienia."))
        plan.first_submitted_on = today
        plan.overdue_reason = reason
    version.submitted_at = now()
    _move(session, plan, version, "submitted", actor, was="draft", at=version.submitted_at)
    signals.emit(session, signals.plan_submitted, plan_id=plan.id, version_number=version.number,
                 actor_id=getattr(actor, "id", None))
    return version


def approval_authority(session, actor, today):
    """None for the director; the delegation for an authorised organiser;
    NotAllowed for anyone else."""
    if getattr(actor, "role", None) == Role.DIRECTOR:
        return None
    delegation = access.active_delegation(actor, today, session)
    if delegation is None:
        raise NotAllowed(_l("Plany zatwierdza dyrektor albo upoważniony przez niego organizator usług."))
    return delegation


def _submitted_version(plan):
    version = plan.working_version
    if version is None or version.status != "submitted":
        raise TransitionError(_l("Ten plan nie czeka na zatwierdzenie."))
    return version


def capacity_checks(session, plan, version):
    """{service_id: Check} for the version's items against everything else
    approved (this plan's own version in force is replaced, so left out)."""
    return capacity.check_items(session, list(version.items), exclude_plan_id=plan.id)


def _hand_request_to_plan(session, plan, actor):
    request = plan.request
    if request is None:
        return
    if request.status == "assigned":
        desk.change_status(session, request, "in_assessment", actor=actor)
    if request.status == "in_assessment":
        desk.change_status(session, request, "handed_to_plan", actor=actor,
                           note=f"IPUS {plan.number}" if plan.number else None)


def approve(session, plan, *, actor, expected_version, today, render=None):
    """Approve the submitted version: capacity re-checked under lock, the
    number taken (version 0), the previous version superseded, the content
    frozen into a snapshot, its hash and the PDF."""
    delegation = approval_authority(session, actor, today)
    _check_version(plan, expected_version)
    version = _submitted_version(plan)
    previous = plan.version_in_force
    service_ids = {item.service_id for item in version.items}
    if previous is not None:
        service_ids |= {item.service_id for item in previous.items}
    capacity.lock_services(session, service_ids)
    full = [check for check in capacity_checks(session, plan, version).values() if check.full]
    if full:
        raise capacity.CapacityFull(full)

    moment = now()
    if plan.number_seq is None:
        plan.number_year = today.year
        plan.number_seq = take_number(session, today.year)
    if previous is not None:
        previous.status = "superseded"
        previous.superseded_at = moment
    kind, name, contact = printing.guardian_of(plan.resident)
    version.guardian_kind, version.guardian_name, version.guardian_contact = kind, name, contact
    version.status = "approved"
    version.approved_at = moment
    version.approved_by_id = actor.id
    version.delegation_id = delegation.id if delegation else None
    session.flush()
    approver = session.get(User, actor.id)
    snapshot = printing.snapshot_of(plan, version, approved_by=approver, approved_at=moment, delegation=delegation)
    version.snapshot = snapshot
    version.content_hash = printing.content_hash_of(snapshot)
    pdf = (render or printing.render_pdf_bytes)(snapshot, draft=False, content_hash=version.content_hash)
    from ..pdf import content_hash

    version.pdf = pdf
    version.pdf_sha256 = content_hash(pdf)
    _step(version, "approved", actor, delegation=delegation, at=moment)
    if version.number == 0:
        plan.status = "approved"
        _hand_request_to_plan(session, plan, actor)
    _touch(plan)
    session.flush()
    capacity.refresh_granted(session, service_ids, today)
    record("update", plan, actor=actor,
           summary=f"plan {plan.number} version {version.number} approved"
                   + (f" under delegation {delegation.id}" if delegation else ""),
           changes={"status": ["submitted", "approved"], "content_hash": [None, version.content_hash]})
    signals.emit(session, signals.plan_approved, plan_id=plan.id, number=plan.number, version_number=version.number,
                 delegation_id=delegation.id if delegation else None, actor_id=getattr(actor, "id", None))
    return version


def return_for_changes(session, plan, *, actor, expected_version, today, comment):
    """Send the submitted version back to the coordinator with comments."""
    delegation = approval_authority(session, actor, today)
    _check_version(plan, expected_version)
    version = _submitted_version(plan)
    comment = text_of(comment, "comment")
    if not comment:
        raise DataError("comment", _l("Napisz, co trzeba poprawić."))
    _move(session, plan, version, "returned", actor, was="submitted", comment=comment, delegation=delegation)
    signals.emit(session, signals.plan_returned, plan_id=plan.id, version_number=version.number,
                 actor_id=getattr(actor, "id", None))
    return version


def cancel(session, plan, *, actor, expected_version, reason):
    """Give up the version in the works: version 0 cancels the whole plan
    (it was never approved); an update's draft leaves the plan in force."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    version = plan.working_version
    if version is None:
        raise TransitionError(_l("Zatwierdzonego planu nie anuluje się; plan kończy się zamknięciem."))
    reason = text_of(reason, "reason")
    if not reason:
        raise DataError("reason", _l("Napisz, dlaczego plan jest anulowany."))
    moment = now()
    if version.number == 0:
        plan.cancelled_at = moment
        plan.cancel_reason = reason
    _move(session, plan, version, "cancelled", actor, was=version.status, comment=reason, at=moment)
    return version


def start_update(session, plan, *, actor, expected_version, today):
    """A new numbered version ("aktualizacja nr n") copied from the version in
    force, as a draft that goes through approval and signatures again."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    if plan.status != "active" or plan.working_version is not None:
        raise TransitionError(_l("Aktualizację sporządza się do planu podpisanego, bez innej aktualizacji w toku."))
    base = plan.version_in_force
    if base is None or base.status != "signed":
        raise TransitionError(_l("Najpierw zapisz podpisy pod obowiązującą wersją planu."))
    number = max(v.number for v in plan.versions) + 1
    version = PlanVersion(number=number, status="draft", created_by_id=getattr(actor, "id", None),
                          drawn_up_on=today, valid_from=base.valid_from, valid_until=base.valid_until,
                          expected_effects=base.expected_effects, check_frequency=base.check_frequency)
    for item in base.items:
        version.items.append(PlanItem(**{key: getattr(item, key) for key in ("position", "unit", *ITEM_FIELDS)}))
    plan.versions.append(version)
    _touch(plan)
    session.flush()
    record("update", plan, actor=actor, summary=f"plan {plan.number} update {number} started",
           changes={"versions": [number - 1, number]})
    return version


# --- signatures ---------------------------------------------------------------------------------

def default_signer(plan, version, role, actor=None):
    if role == "participant":
        return plan.resident.full_name if plan.resident else ""
    if role == "representative":
        return version.guardian_name or (plan.resident.representative_name if plan.resident else "") or ""
    if role == "director":
        if version.approved_by is not None and version.approved_by.role == Role.DIRECTOR:
            return version.approved_by.full_name
        return actor.full_name if actor is not None and actor.role == Role.DIRECTOR else ""
    return ""


def record_signature(session, plan, version, data, *, actor, expected_version, today, scan=None, directory=None):
    """Record a signature on an approved version (with an optional scan,
    checked by content). Returns (signature, stored file name or None) so the
    caller can remove the file if the transaction fails."""
    if not access.can_work_on(actor, plan):
        raise NotAllowed()
    _check_version(plan, expected_version)
    if plan.status == "closed":
        raise TransitionError(_l("Plan jest zamknięty: podpisów już się nie zapisuje."))
    if plan.status == "cancelled":
        raise TransitionError(_l("Plan został anulowany: podpisów się nie zapisuje."))
    if version.plan_id != plan.id or version.status not in IN_FORCE_VERSION_STATUSES:
        raise TransitionError(_l("Podpisy zapisuje się pod zatwierdzoną, obowiązującą wersją planu."))
    role = data.get("signer_role")
    if role not in SIGNER_ROLES:
        raise DataError("signer_role", _l("Wybierz, kto podpisał."))
    if version.signed_by(role):
        raise DataError("signer_role", _l("Ten podpis jest już zapisany."))
    name = text_of(data.get("signer_name"), "signer_name")
    if not name:
        raise DataError("signer_name", _l("Podaj imię i nazwisko osoby, która podpisała."))
    signed_on = data.get("signed_on")
    if not is_date(signed_on):
        raise DataError("signed_on", _l("Podaj datę podpisania."))
    if signed_on > today:
        raise DataError("signed_on", _l("Data podpisania nie może być w przyszłości."))
    approved_day = to_local(version.approved_at).date() if version.approved_at else None
    if approved_day and signed_on < approved_day:
        raise DataError("signed_on", _l("Plan podpisuje się po zatwierdzeniu (%(day)s).",
                                        day=approved_day.strftime("%d.%m.%Y")))
    signature = Signature(signer_role=role, signer_name=name, signed_on=signed_on,
                          recorded_by_id=getattr(actor, "id", None), recorded_at=now())
    stored = None
    if scan:
        stored, content_type, digest, size = store_checked(directory, scan)  # written anew: what is stored
        signature.scan_file, signature.scan_type = stored, content_type
        signature.scan_size, signature.scan_sha256 = size, digest
    version.signatures.append(signature)
    before = version.status
    if version.status == "approved" and version.person_signed and version.director_signed:
        version.status = "signed"
        version.signed_at = now()
        if version.number == 0 and plan.status == "approved":
            plan.status = "active"
    _touch(plan)
    session.flush()
    record("update", plan, actor=actor,
           summary=f"plan {plan.number} version {version.number}: "
                   f"signature of the {role} recorded" + (" with a scan" if stored else ""),
           changes={"status": [before, version.status]} if before != version.status else None)
    signals.emit(session, signals.plan_signed, plan_id=plan.id, version_number=version.number,
                 signature_id=signature.id, signer_role=role, version_status=version.status,
                 actor_id=getattr(actor, "id", None))
    return signature, stored


# --- lists ---------------------------------------------------------------------------------------------

@dataclass
class PlanRow:
    plan: Plan
    deadline: object  # PlanDeadline or None
    version: PlanVersion  # the version shown (current)


def deadline_of(plan, today):
    """The 30-day state of the plan: counting before the first submission,
    met / late after it; None for a cancelled plan."""
    if plan.status == "cancelled":
        return None
    return plan_deadline(plan.request, today, submitted_on=plan.first_submitted_on)


def _plan_options():
    return (selectinload(Plan.resident), selectinload(Plan.request), selectinload(Plan.coordinator),
            selectinload(Plan.versions).selectinload(PlanVersion.signatures))


def _coordinated_by(model, coordinator_id):
    """Rows of `model` (Plan, Assessment) in the cases of a coordinator: by
    the request's current coordinator; by the row's own coordinator_id only
    when it has no request (access.is_case_coordinator, in SQL)."""
    return or_(model.request_id.in_(select(Request.id).where(Request.coordinator_id == coordinator_id)),
               and_(model.request_id.is_(None), model.coordinator_id == coordinator_id))


def plans_for(session, user, today, *, status=None, coordinator_id=None, limit=500):
    """The plans `user` follows: a coordinator's own cases, or all for the
    director (or one coordinator's cases, as the director filters); newest first."""
    query = select(Plan).options(*_plan_options()).order_by(Plan.created_at.desc(), Plan.id.desc()).limit(limit)
    if user.role == Role.COORDINATOR:
        query = query.where(_coordinated_by(Plan, user.id))
    elif coordinator_id:
        query = query.where(_coordinated_by(Plan, coordinator_id))
    if status:
        query = query.where(Plan.status == status)
    return [PlanRow(p, deadline_of(p, today), p.current_version) for p in session.scalars(query)]


def approval_queue(session, today):
    """Versions waiting for approval, the oldest submission first."""
    plans = session.scalars(
        select(Plan).join(PlanVersion, PlanVersion.plan_id == Plan.id).where(PlanVersion.status == "submitted")
        .options(*_plan_options(), selectinload(Plan.versions).selectinload(PlanVersion.items)
                 .selectinload(PlanItem.service))
        .order_by(PlanVersion.submitted_at, Plan.id)).unique().all()
    rows = []
    for plan in plans:
        version = plan.working_version
        checks = capacity_checks(session, plan, version)
        rows.append((PlanRow(plan, deadline_of(plan, today), version), [c for c in checks.values() if c.full]))
    return rows


# A request closed without a plan (information, withdrawn) needs none.
CLOSED_REQUEST_STATUSES = ("closed_information", "withdrawn")


def cases_waiting_for_plan(session, user, today, limit=200):
    """Completed assessments of the user's cases with no plan yet (not
    cancelled), with the request's 30-day deadline: where plans start."""
    has_plan = exists().where(Plan.assessment_id == Assessment.id, Plan.status != "cancelled")
    closed = exists().where(Request.id == Assessment.request_id, Request.status.in_(CLOSED_REQUEST_STATUSES))
    query = (select(Assessment).where(Assessment.status == "completed", ~has_plan, ~closed)
             .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(limit))
    if user.role == Role.COORDINATOR:
        query = query.where(_coordinated_by(Assessment, user.id))
    rows = []
    for assessment in session.scalars(query):
        request = assessment.request_id and session.get(Request, assessment.request_id)
        rows.append((assessment, request or None, plan_deadline(request, today) if request else None))
    return rows


def note_access(session, plan, action, *, actor, what):
    """A view, print or export of the plan, in the person's access trail."""
    if plan.resident is not None:
        record_access(session, plan.resident, action, actor=actor, reason=f"{what} (plan {plan.id})")


