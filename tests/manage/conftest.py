"""Fixtures of the management tests."""
import pytest

from portal.auth.models import Role


@pytest.fixture
def organiser(auth):
    """A services organiser, logged in."""
    return auth.login(Role.SERVICES_ORGANISER)
