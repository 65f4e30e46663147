"""The provider's reminder on its start page (core hook start_notices): its
services whose entries have not been confirmed in six months."""
from flask_babel import ngettext

from ..auth.models import Role
from ..core import hooks
from . import services as providers


@hooks.start_notices.connect
def entries_to_confirm(session, user, today):
    if getattr(user, "role", None) != Role.PROVIDER or not user.provider_id:
        return []
    waiting = providers.waiting_assurance(session, user.provider_id, today)
    if not waiting:
        return []
    return [{"text": ngettext(
        "Dane %(num)s usługi nie były potwierdzane od ponad sześciu miesięcy: sprawdź je i potwierdź.",
        "Dane %(num)s usług nie były potwierdzane od ponad sześciu miesięcy: sprawdź je i potwierdź.",
        len(waiting)), "endpoint": "providers.services", "args": {}}]
