"""What the desk answers for the register below it (portal/core/hooks.py):
a person's requests make them a coordinator's, move with a merge and show
on the person's card."""
from sqlalchemy import exists, select

from ..core import hooks
from .models import KINDS, STATUSES, Request


@hooks.assigned_residents.connect
def coordinator_of_a_request(user, resident_id):
    """Some request of the person has `user` as its coordinator."""
    return exists().where(Request.resident_id == resident_id, Request.coordinator_id == user.id)


@hooks.resident_merged.connect
def move_requests(session, keep, drop):
    """The duplicate's requests go to the kept record (through the ORM: a
    request loaded in this session shows its new person)."""
    moved = session.scalars(select(Request).where(Request.resident_id == drop.id)).all()
    for item in moved:
        item.resident_id = keep.id
    return {Request.__tablename__: len(moved)}


def requests_of(session, resident):
    """A person's requests, newest first."""
    return list(session.scalars(select(Request).where(Request.resident_id == resident.id)
                                .order_by(Request.received_at.desc(), Request.id.desc())))


@hooks.person_card.connect
def requests_on_card(session, resident, viewer):
    return {"requests": requests_of(session, resident), "request_kinds": KINDS, "request_statuses": STATUSES}
