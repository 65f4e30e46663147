"""What the delivery register answers for the register below it
(portal/core/hooks.py): a merge of two records of one person moves the
register's data version, since what was counted per person (distinct
participants, the reports' figures kept per version) changes with it."""
from sqlalchemy import exists, or_, select

from ..core import hooks, versions
from .models import Attendance, Consultation, DeliveryEntry


@hooks.resident_merged.connect
def count_the_merged_person_once(session, keep, drop):
    """The duplicate's deliveries follow their foreign key (the register's
    plain UPDATE); the version moves when it had any."""
    held = session.scalar(select(or_(
        exists().where(DeliveryEntry.resident_id == drop.id),
        exists().where(Attendance.resident_id == drop.id),
        exists().where(Consultation.resident_id == drop.id))))
    if held:
        versions.bump(session, versions.DELIVERY)
    return {}
