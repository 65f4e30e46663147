"""Aggregate figures about requests and residents: no personal data, so the
organisers, who may not see people, get these instead."""
from sqlalchemy import func, select

from ..residents.models import Resident
from .models import OPEN_STATUSES, STATUSES, Request


def desk_counts(session):
    by_status = dict(session.execute(select(Request.status, func.count()).group_by(Request.status)).all())
    by_kind_open = dict(session.execute(
        select(Request.kind, func.count()).where(Request.status.in_(OPEN_STATUSES)).group_by(Request.kind)).all())
    residents = session.scalar(select(func.count()).select_from(Resident).where(Resident.merged_into_id.is_(None)))
    return {
        "by_status": [(code, STATUSES[code], by_status.get(code, 0)) for code in STATUSES],
        "open_applications": by_kind_open.get("application", 0),
        "open_information": by_kind_open.get("information", 0),
        "residents": residents or 0,
    }
