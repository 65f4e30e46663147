"""The contracts' answers to core hooks (portal/core/hooks.py)."""
from flask_babel import ngettext

from ..auth.models import Role
from ..core import hooks


@hooks.start_notices.connect
def contract_alerts(session, user, today):
    """The services organiser's contracts ending within 60 days and those with a
    service's volume at least 90% used: counts and a link to the list."""
    if getattr(user, "role", None) != Role.SERVICES_ORGANISER:
        return []
    from .listing import running_figures

    found = running_figures(session, today)
    ending = sum(1 for figures in found if figures.ending_soon)
    used = sum(1 for figures in found if figures.nearly_used)
    notices = []
    if ending:
        notices.append({"text": ngettext("%(num)s umowa kończy się w ciągu 60 dni.",
                                         "%(num)s umów kończy się w ciągu 60 dni.", ending),
                        "endpoint": "contracts.index", "args": {"state": "ending"}})
    if used:
        notices.append({"text": ngettext("%(num)s umowa ma wolumen usługi wykorzystany w co najmniej 90%%.",
                                         "%(num)s umów ma wolumen usługi wykorzystany w co najmniej 90%%.", used),
                        "endpoint": "contracts.index", "args": {"state": "used"}})
    return notices
