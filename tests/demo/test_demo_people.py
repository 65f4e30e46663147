"""Demo residents and requests: fictitious, valid, in every status and channel."""
from datetime import timedelta

import pytest

from tests.helpers import seed_demo


@pytest.fixture
def seeded(app):
    return seed_demo(through="people")


def test_counts(seeded):
    assert seeded == {"residents": 300, "requests": 150}


def test_every_pesel_is_valid_and_unique_and_matches_birth_date_and_sex(seeded):
    from portal.extensions import db
    from portal.residents.models import Resident
    from portal.validation import parse_pesel

    people = db.session.scalars(db.select(Resident)).all()
    with_pesel = [p for p in people if p.pesel]
    assert len({p.pesel for p in with_pesel}) == len(with_pesel)
    for person in with_pesel:
        info = parse_pesel(person.pesel)
        assert info.birth_date == person.birth_date
        assert info.sex == person.sex
    without = [p for p in people if not p.pesel]
    assert without and all(p.no_pesel_reason and p.birth_date for p in without)
    assert any(p.representative_kind for p in people)
    assert len({p.village_id for p in people}) >= 10


def test_requests_cover_every_desk_status_and_channel_over_a_year(seeded):
    from portal.desk.models import CHANNELS, STATUSES, Request
    from portal.extensions import db
    from portal.timeutil import now

    requests = db.session.scalars(db.select(Request)).all()
    # A closed plan and a granted service come from the plans' demo, which
    # runs these requests on (tests/casework/test_casework_demo.py).
    assert {r.status for r in requests} == set(STATUSES) - {"closed_plan", "service_granted"}
    assert {r.channel for r in requests} == set(CHANNELS)
    oldest = min(r.received_at for r in requests)
    assert now() - oldest > timedelta(days=300)
    assert all(r.received_at <= now() for r in requests)
    for request in requests:
        assert request.history[0].to_status == "new"
        assert request.history[-1].to_status == request.status
        assert all(change.at <= now() for change in request.history)


def test_names_are_not_searchable_by_pesel_in_urls(seeded):
    """Demo data is fictitious: no real-looking test PESELs from the domain notes."""
    from portal.extensions import db
    from portal.residents.models import Resident

    pesels = set(db.session.scalars(db.select(Resident.pesel)))
    assert "44051401359" not in pesels and "02211307589" not in pesels
