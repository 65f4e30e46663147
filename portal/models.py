"""Every model, imported once so that SQLAlchemy and Alembic see them all:
importing a feature's models module registers its tables."""
from kiosk import models as kiosk_models  # noqa: F401

from . import submissions  # noqa: F401
from .applications import models as applications_models  # noqa: F401
from .assessment import models as assessment_models  # noqa: F401
from .audit import models as audit_models  # noqa: F401
from .auth import models as auth_models  # noqa: F401
from .casework import models as casework_models  # noqa: F401
from .catalogue import models as catalogue_models  # noqa: F401
from .complaints import models as complaints_models  # noqa: F401
from .contracts import models as contracts_models  # noqa: F401
from .core import versions  # noqa: F401
from .delivery import models as delivery_models  # noqa: F401
from .desk import models as desk_models  # noqa: F401
from .events import models as events_models  # noqa: F401
from .plans import models as plans_models  # noqa: F401
from .proposals import models as proposals_models  # noqa: F401
from .providers import models as providers_models  # noqa: F401
from .quality import models as quality_models  # noqa: F401
from .residents import models as residents_models  # noqa: F401
