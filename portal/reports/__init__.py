"""The centre's reports, indicators and the services organiser's duties (issue 14).

An assembly package (portal/layers.py, CONTRIBUTING.md): it reads every
feature and no feature imports it. Reports hold counts, never a person.

- `access.py`: who reaches which report;
- `history.py`: counts from before the portal, imported from CSV or XLSX,
  which every report counts exactly as live records.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..core import menus
from .access import REPORT_ROLES

bp = Blueprint("reports", __name__, url_prefix="/reports")

# The staff navigation (portal/core/menus.py); tests/test_menus.py reads each role's menu.
menus.register("reports.index", _l("Raporty"), REPORT_ROLES, order=300)

# Each module registers its pages (the yearly documents last: they read the others' reports).
from . import freshness  # noqa: E402,F401,I001  (the RECORDS watcher)
from . import duties_hooks, duties_models, duties_views, history, history_views, indicators_models  # noqa: E402,F401,I001
from . import indicators_views, views, yearly, yearly_views  # noqa: E402,F401,I001
