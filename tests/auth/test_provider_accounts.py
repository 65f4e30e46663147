"""A provider's account belongs to its organisation (issue 15 §1); a staff account to none."""
import pytest

from portal.auth.models import Role, User
from portal.auth.services import AccountError, create_user
from portal.catalogue.models import Provider
from portal.extensions import db


def _provider():
    provider = Provider(name="Fundacja Testowa", slug="fundacja-testowa", provider_type="foundation")
    db.session.add(provider)
    db.session.flush()
    return provider


def test_a_provider_account_names_its_organisation(app):
    provider = _provider()
    user = create_user("fundacja", "Fiona Fundacyjna", Role.PROVIDER, None, provider_id=provider.id)
    db.session.commit()
    stored = db.session.scalar(db.select(User).filter_by(username="fundacja"))
    assert (stored.role, stored.provider_id) == ("provider", provider.id)
    assert user.id == stored.id


def test_a_provider_account_without_its_organisation_is_refused(app):
    with pytest.raises(AccountError):
        create_user("bez-organizacji", "Bez Organizacji", Role.PROVIDER, None)
    assert db.session.scalar(db.select(User).filter_by(username="bez-organizacji")) is None


def test_a_staff_account_never_belongs_to_a_provider(app):
    provider = _provider()
    with pytest.raises(AccountError):
        create_user("recepcja2", "Recepcja Druga", Role.FRONT_DESK, None, provider_id=provider.id)


def test_the_staff_roles_are_every_role_but_the_providers():
    assert set(Role.ALL) - set(Role.STAFF) == {Role.PROVIDER}
    assert Role.PROVIDER in Role.LABELS
