"""What the assessment answers for the layers below it (portal/core/hooks.py)."""
from ..core import hooks
from ..desk.services import hand_over
from .access import can_start_for_resident
from .models import Assessment


@hooks.person_card.connect
def assessment_button(session, resident, viewer):
    """The person's card offers to start an assessment to the coordinator
    the person is assigned to (never on a merged record)."""
    return {"may_assess": resident.merged_into_id is None and can_start_for_resident(viewer, resident)}


@hooks.case_handed_over.connect
def hand_over_assessments(session, request, coordinator, actor):
    return {"assessments": hand_over(session, Assessment, request, coordinator, actor=actor)}
