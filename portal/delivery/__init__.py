"""The delivery register (issue 13 §1): what was delivered, to whom, by which
provider; and delivered against planned (figures.py)."""
from . import sessions_views  # noqa: E402,F401  (group sessions and attendance: blueprint "sessions")
from . import entries_views  # noqa: E402,F401  (individual deliveries, the hours grid, consultations)
