"""What plans answer for the desk below them (portal/core/hooks.py)."""
from sqlalchemy import exists, select

from ..core import hooks
from ..desk.services import hand_over
from .models import OPEN_PLAN_STATUSES, Plan, ServiceGrant


@hooks.case_running.connect
def plan_or_grant_running(session, request):
    """A plan of the request not yet closed or cancelled, or a single service
    still granted."""
    return bool(session.scalar(select(exists().where(Plan.request_id == request.id,
                                                     Plan.status.in_(OPEN_PLAN_STATUSES))))
                or session.scalar(select(exists().where(ServiceGrant.request_id == request.id,
                                                        ServiceGrant.status == "granted"))))


@hooks.case_handed_over.connect
def hand_over_plans(session, request, coordinator, actor):
    return {"plans": hand_over(session, Plan, request, coordinator, actor=actor)}
