"""The reports' answers to core hooks (portal/core/hooks.py)."""
from ..core import hooks
from . import duties


@hooks.start_notices.connect
def duty_reminders(session, user, today):
    """The services organiser's duties due (a half-year without a sent
    summary, a meeting with the coordinators), and the summaries a director
    or community organiser has not confirmed reading."""
    return [{"text": reminder.text, "endpoint": reminder.endpoint, "args": reminder.args}
            for reminder in duties.reminders_for(session, user, today)]
