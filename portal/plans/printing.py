"""The printed plan: its frozen content (a JSON snapshot), the hash of that
content, and the PDF in the centres' layout.

At approval the version's content is written down once as a snapshot (plain
JSON values: names, not ids), hashed, and rendered to PDF in Polish; the
PDF's footer carries the content hash and the PDF bytes are stored with
their own sha256. Later prints serve the stored bytes, so both hashes stay
valid. A draft prints from the live data with "PROJEKT" and no hash.
"""
import json
from contextlib import nullcontext
from datetime import date

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale

from ..residents.address import postal_address
from ..residents.models import REPRESENTATIVE_KINDS
from ..timeutil import to_local
from .models import SUPPORTS


def _iso(value):
    return value.isoformat() if value else None


def _address(resident):
    # Street, house number, postal code and town; a part the register lacks
    # is a blank filled in by hand at signing (never the village alone).
    return postal_address(resident)


def guardian_of(resident):
    """(kind, name, contact) of the person's representative, as the register holds them."""
    if resident is None or not resident.representative_name:
        return None, None, None
    contact = ", ".join(p for p in (resident.representative_phone, resident.representative_email,
                                    resident.representative_address) if p) or None
    return resident.representative_kind, resident.representative_name, contact


def snapshot_of(plan, version, *, approved_by=None, approved_at=None, delegation=None):
    """The version's whole printed content as JSON-ready values."""
    resident = plan.resident
    kind, name, contact = (version.guardian_kind, version.guardian_name, version.guardian_contact) \
        if version.guardian_name else guardian_of(resident)
    assessment = plan.assessment
    config = current_app.config
    return {
        "plan_id": plan.id,
        "number": plan.number,
        "version": version.number,
        "update_reason": version.update_reason if version.number else None,
        "centre": {"name": config["CENTRE_NAME"], "address": config["CENTRE_ADDRESS"],
                   "municipality": config["MUNICIPALITY_NAME"]},
        "participant": {"name": resident.full_name, "birth_date": _iso(resident.birth_date),
                        "address": _address(resident)},
        "guardian": {"kind": kind, "name": name, "contact": contact} if name else None,
        "coordinator": plan.coordinator.full_name if plan.coordinator else None,
        "assessment_date": _iso(getattr(assessment, "assessed_on", None)),
        "drawn_up_on": _iso(version.drawn_up_on),
        "valid_from": _iso(version.valid_from),
        "valid_until": _iso(version.valid_until),
        "expected_effects": version.expected_effects or "",
        "check_frequency": version.check_frequency,
        "items": [
            {
                "service": item.service.name,
                "provider": item.provider.name if item.provider else item.service.provider.name,
                "place": item.place or "",
                "schedule": item.schedule or "",
                "period_from": _iso(item.period_from),
                "period_to": _iso(item.period_to),
                "scope": item.scope or "",
                "quantity": item.quantity,
                "unit": item.unit,
                "supports": item.supports,
                "supporting_note": item.supporting_note or "",
            }
            for item in version.items
        ],
        "approved_at": _iso(to_local(approved_at)) if approved_at else None,
        "approved_by": approved_by.full_name if approved_by else None,
        "approved_under_delegation_of": delegation.granted_by.full_name if delegation else None,
    }


def canonical(snapshot):
    """The bytes the content hash is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash_of(snapshot):
    from ..pdf import content_hash

    return content_hash(canonical(snapshot))


class Printed:
    """The snapshot with dates as dates, for the template."""

    def __init__(self, snapshot):
        self.data = snapshot

    def __getattr__(self, key):
        return self.data.get(key)

    @staticmethod
    def day(value):
        return date.fromisoformat(value) if value else None


def render_html(snapshot, *, draft, content_hash=None):
    from ..catalogue.models import UNITS
    from .models import CHECK_FREQUENCIES

    # The plan is an agreement under Polish law: always printed in Polish.
    # Approval may run outside a request (demo data, scripts): the templates'
    # context processors need one.
    context = nullcontext() if has_request_context() else current_app.test_request_context("/")
    with context, force_locale("pl"):
        return render_template(
            "pdf/plan.html", plan=Printed(snapshot), draft=draft, content_hash=content_hash,
            day=Printed.day, supports_labels=SUPPORTS, units=UNITS, frequencies=CHECK_FREQUENCIES,
            guardian_kinds=REPRESENTATIVE_KINDS,
        )


def render_pdf_bytes(snapshot, *, draft, content_hash=None):
    from ..pdf import render_pdf

    return render_pdf(render_html(snapshot, draft=draft, content_hash=content_hash))
