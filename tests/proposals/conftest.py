"""Fixtures of the proposals' tests: the test provider's account and one of
its services, another organisation's service, the services organiser."""
import pytest

from portal.auth.models import Role
from tests.desk.test_desk_mail import smtp  # noqa: F401  (fixture: a real aiosmtpd server)
from tests.kiosk.conftest import make_screen  # noqa: F401  (fixture)
from tests.manage.test_manage_services import form_fields  # noqa: F401  (what a browser would post)


@pytest.fixture
def own_provider(app):
    """The organisation of the test provider account (tests/conftest.py provider_for)."""
    from portal.catalogue.models import Provider
    from portal.extensions import db
    from tests.conftest import provider_for

    provider_id = provider_for(Role.PROVIDER)
    db.session.commit()
    return db.session.get(Provider, provider_id)


@pytest.fixture
def own_service(make_service, own_provider):
    return make_service("Klub Seniora w Bęczkowie", provider=own_provider, phone="+48257531001",
                        application_process="Zapisy w świetlicy.", rules=[(1, "10:00", "12:00")],
                        capacity_maximum=12, capacity_basis="places")  # free places: on the kiosk


@pytest.fixture
def other_service(make_service, make_provider):
    return make_service("Wypożyczalnia sprzętu rehabilitacyjnego",
                        provider=make_provider(name="Fundacja Inna", slug="fundacja-inna"))


@pytest.fixture
def provider_user(auth):
    return auth.user(Role.PROVIDER)


@pytest.fixture
def organiser_user(auth):
    return auth.user(Role.SERVICES_ORGANISER)
