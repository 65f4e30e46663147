"""A provider account's figures on its start page (main.start builds the
section from them): its services, the entries waiting for confirmation, the
sessions of the coming week."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..delivery.models import GroupSession
from . import services as providers

UPCOMING_DAYS = 7


def figures(session, user, today):
    """(label, count, endpoint, alert) rows of the provider's own work."""
    own = providers.services_of(session, user.provider_id)
    waiting = [s for s in own if providers.needs_assurance(s, today)]
    upcoming = session.scalar(select(func.count()).select_from(GroupSession).where(
        GroupSession.service_id.in_([s.id for s in own] or [0]), GroupSession.status == "planned",
        GroupSession.held_on >= today, GroupSession.held_on <= today + timedelta(days=UPCOMING_DAYS))) or 0
    to_confirm = session.scalar(select(func.count()).select_from(GroupSession).where(
        GroupSession.service_id.in_([s.id for s in own] or [0]), GroupSession.status == "planned",
        GroupSession.held_on < today)) or 0
    return [
        (_l("Usługi organizacji"), len(own), "providers.services", False),
        (_l("Wpisy do potwierdzenia (starsze niż 6 miesięcy)"), len(waiting), "providers.services", True),
        (_l("Zajęcia w najbliższych 7 dniach"), upcoming, "sessions.index", False),
        (_l("Minione zajęcia bez potwierdzenia, że się odbyły"), to_confirm, "sessions.index", True),
    ]
