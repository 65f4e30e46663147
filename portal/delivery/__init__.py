"""The delivery register (issue 13 §1): what was delivered, to whom, by which
provider; and delivered against planned (figures.py). Its views register two
blueprints: "deliveries" (individual deliveries, the hours grid,
consultations) and "sessions" (group sessions and attendance)."""
from . import entries_views, hooks, sessions_views  # noqa: F401
