"""Factories of the quality tests: the portal's clock on 15 May 2026 (Q2),
a service, answers, one-time links, standards and checks."""
from datetime import date, datetime

import pytest

from portal.timeutil import WARSAW

NOW = datetime(2026, 5, 15, 10, 0, tzinfo=WARSAW)


@pytest.fixture
def clock(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


@pytest.fixture
def club(clock, make_service, make_provider):
    provider = make_provider(name="Stowarzyszenie Pogodna Jesień", slug="pogodna-jesien")
    return make_service("Klub Seniora w Burzcu", provider=provider)


@pytest.fixture
def answer(app):
    """answer(service, [scores], comment=None, day=...) stores one paper answer."""
    from portal.extensions import db
    from portal.quality import services as quality

    def make(service, scores, comment=None, day=date(2026, 5, 10), channel="paper"):
        data = {"scores": dict(enumerate(scores, 1)), "comment": comment}
        result = quality.record_answer(db.session, service, data, channel=channel, day=day)
        db.session.commit()
        return result

    return make


@pytest.fixture
def links(app):
    """links(service, n): n raw one-time codes, committed."""
    from portal.extensions import db
    from portal.quality import surveys

    def make(service, count=1):
        tokens = surveys.issue_tokens(db.session, service.id, count, None)
        db.session.commit()
        return tokens

    return make


@pytest.fixture
def organiser(auth):
    return auth.user("services_organiser")


@pytest.fixture
def director(auth):
    return auth.user("director")


@pytest.fixture
def in_request(app):
    """A request context, for reading a refusal's (lazily translated) message."""
    with app.test_request_context():
        yield
