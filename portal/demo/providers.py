"""The demo's provider account: `realizator` for Stowarzyszenie Rozwoju Gminy
Wojcieszków, which runs the senior clubs (issue 15 §1)."""
from sqlalchemy import select

from ..auth.models import Role, User
from ..auth.services import DEMO_PASSWORD, create_user
from ..catalogue.models import Provider

PROVIDER_LOGIN = "realizator"
PROVIDER_NAME = "Stowarzyszenie Rozwoju Gminy Wojcieszków"


def ensure_provider_account(session):
    """The demo provider's login, once its organisation is in the catalogue.
    Returns the account when made now, else None."""
    if session.scalar(select(User.id).filter_by(username=PROVIDER_LOGIN)) is not None:
        return None
    provider = session.scalar(select(Provider).filter_by(name=PROVIDER_NAME))
    if provider is None:
        return None
    return create_user(PROVIDER_LOGIN, "Renata Realizatorka", Role.PROVIDER, DEMO_PASSWORD,
                       email="realizator@srgw.example", check_length=False, provider_id=provider.id)
