"""Every model, imported once so that SQLAlchemy and Alembic see them all."""
from kiosk.models import Heartbeat, Screen  # noqa: F401,E402

from .assessment.models import Assessment, AssessmentSensitive, AssessmentService  # noqa: F401,E402
from .audit.models import AuditEvent  # noqa: F401
from .auth.models import User, UserSession  # noqa: F401
from .casework.models import ClosureItem, MonitoringEntry, PlanClosure  # noqa: F401,E402
from .catalogue.models import (  # noqa: F401
    Area,
    Closure,
    Discount,
    Indicator,
    Place,
    Provider,
    RequiredDocument,
    ScheduleRule,
    SearchMiss,
    Service,
    SynonymGroup,
    TargetGroup,
    Village,
)
from .core.versions import DataVersion  # noqa: F401
from .desk.models import Request, RequestStatusChange, VillageCoordinator  # noqa: F401,E402
from .events.models import Event, EventException, Notice  # noqa: F401,E402
from .plans.models import (  # noqa: F401,E402
    ApprovalDelegation,
    ApprovalStep,
    Plan,
    PlanItem,
    PlanNumberCounter,
    PlanVersion,
    ServiceGrant,
    Signature,
    WaitingListEntry,
)
from .residents.models import Consent, Resident  # noqa: F401,E402
from .submissions import FormSubmission  # noqa: F401
