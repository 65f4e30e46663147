"""The director's authorisations for a services organiser to approve plans.

Plain functions with an explicit session and actor that never commit (see
services.py); who holds an authorisation in force is access.active_delegation.
"""
from flask_babel import lazy_gettext as _l

from ..audit.services import record
from ..auth.models import Role, User
from ..core.errors import DataError, NotAllowed, TransitionError
from ..timeutil import now
from . import access
from .cleaning import text_of
from .models import ApprovalDelegation


def grant_delegation(session, organiser_id, *, actor, today, valid_until=None, note=None):
    if getattr(actor, "role", None) != Role.DIRECTOR:
        raise NotAllowed(_l("Upoważnienia udziela dyrektor."))
    organiser = session.get(User, organiser_id) if isinstance(organiser_id, int) else None
    if organiser is None or not organiser.active or organiser.role != Role.SERVICES_ORGANISER:
        raise DataError("organiser_id", _l("Wybierz organizatora usług z listy."))
    if valid_until is not None and valid_until < today:
        raise DataError("valid_until", _l("Upoważnienie nie może kończyć się w przeszłości."))
    if access.active_delegation(organiser, today, session) is not None:
        raise DataError("organiser_id", _l("Ta osoba ma już upoważnienie. Aby je zmienić, najpierw je odwołaj."))
    delegation = ApprovalDelegation(organiser_id=organiser.id, granted_by_id=actor.id, granted_at=now(),
                                    valid_until=valid_until, note=text_of(note, "note"))
    session.add(delegation)
    session.flush()
    record("create", delegation, actor=actor, summary=f"approval delegation to user {organiser.id}",
           changes={"organiser_id": [None, organiser.id],
                    "valid_until": [None, valid_until.isoformat() if valid_until else None]})
    return delegation


def revoke_delegation(session, delegation, *, actor):
    if getattr(actor, "role", None) != Role.DIRECTOR:
        raise NotAllowed(_l("Upoważnienie odwołuje dyrektor."))
    if delegation.revoked_at is not None:
        raise TransitionError(_l("To upoważnienie zostało już odwołane."))
    delegation.revoked_at = now()
    delegation.revoked_by_id = actor.id
    session.flush()
    record("update", delegation, actor=actor, summary=f"approval delegation {delegation.id} revoked",
           changes={"revoked": [False, True]})
    return delegation
