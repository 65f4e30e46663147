"""Demo deliveries: care hours for the demo plans and grants of hour-based
services within their commitments, one item silent for over 30 days and one
over its planned quantity, rides or loans, ~30 consultations (some
anonymous) — seeded once, fast, in bulk."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from portal.delivery.commitments import commitments
from portal.delivery.models import Consultation, DeliveryEntry
from portal.extensions import db
from portal.timeutil import local_now
from tests.helpers import seed_demo


def test_demo_deliveries(app):
    from portal.demo.delivery_entries import seed_delivery_entries

    seed_demo(through="casework")
    counts = seed_delivery_entries(db.session)
    db.session.commit()
    assert counts["entries"] > 15 and counts["consultations"] == 30
    today = local_now().date()
    entries = db.session.scalars(select(DeliveryEntry)).all()
    found = commitments(db.session)
    for entry in entries:  # every entry within a commitment of its person and service, never ahead of today
        assert entry.delivered_on <= today
        assert any(c.resident_id == entry.resident_id and c.service_id == entry.service_id
                   and c.start <= entry.delivered_on <= c.end for c in found), entry.id
        assert entry.quantity > 0 and (entry.unit != "hour" or entry.quantity <= 24)
    hours = [e for e in entries if e.unit == "hour"]
    assert hours and any(e.quantity != e.quantity.to_integral_value() for e in hours)  # half hours too
    by_pair = {}
    for entry in hours:
        by_pair.setdefault((entry.resident_id, entry.service_id), []).append(entry)
    assert any(max(e.delivered_on for e in rows) < today - timedelta(days=30) for rows in by_pair.values())
    planned = {}
    for c in found:
        planned[(c.resident_id, c.service_id)] = planned.get((c.resident_id, c.service_id), 0) + c.quantity
    assert any(sum((e.quantity for e in rows), Decimal(0)) > planned[pair] for pair, rows in by_pair.items())
    assert {e.unit for e in entries} - {"hour"}  # rides, visits or loans too
    consultations = db.session.scalars(select(Consultation)).all()
    anonymous = [c for c in consultations if c.resident_id is None]
    assert 0 < len(anonymous) < len(consultations)
    assert seed_delivery_entries(db.session) is None
    assert db.session.scalar(select(func.count()).select_from(DeliveryEntry)) == counts["entries"]
