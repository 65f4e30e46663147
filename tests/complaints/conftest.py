"""Factories for the register of complaints and requests."""
from datetime import date, datetime

import pytest

from portal.timeutil import WARSAW

# A Tuesday in spring 2026: complaints received in March are due in April.
NOW = datetime(2026, 4, 14, 10, 0, tzinfo=WARSAW)


@pytest.fixture
def frozen(app):
    app.config["FIXED_NOW"] = NOW
    return NOW.date()


@pytest.fixture
def make_complaint(app, frozen, make_service):
    """A registered complaint (defaults: about a service, from a named person,
    received on 2 April 2026) by `actor` (the director unless told)."""
    from portal.complaints import services as complaints
    from portal.extensions import db

    services = []

    def service_id():
        if not services:
            services.append(make_service("Usługi opiekuńcze").id)
        return services[0]

    def make(actor, **fields):
        data = {"kind": "complaint", "channel": "letter", "received_on": date(2026, 4, 2), "anonymous": False,
                "complainant_name": "Halina Wiśniewska", "complainant_contact": "ul. Polna 3, 21-407 Wojcieszków",
                "subject": "service", "description": "Opiekunka nie przyszła dwa razy w marcu."}
        if fields.get("subject", "service") == "service" and "service_id" not in fields:
            data["service_id"] = service_id()
        data.update(fields)
        complaint = complaints.register(db.session, data, actor=actor, today=frozen)
        db.session.commit()
        return complaint

    return make
