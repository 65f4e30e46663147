"""Fixtures of the individual-delivery tests (importable by the browser
test too): hour-based care, transport and counselling, and people granted
them on requests of two coordinators."""
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from portal.timeutil import WARSAW

# Frozen "now": Tuesday 12 May 2026, 10:00 in Warsaw (as the plan tests).
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=WARSAW)


@pytest.fixture
def delivery(app, people, make_service):
    """care (hours), transport (rides), counselling (consultations); Anna
    Zielińska and Bogdan Wójcik granted care and counselling on requests of
    the coordinator, Celina Mazur on a request of the other coordinator."""
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.plans.models import ServiceGrant
    from portal.residents.models import Resident

    app.config["FIXED_NOW"] = NOW
    care = make_service("Opieka w domu", unit="hour", at_client_home=True)
    transport = make_service("Transport door-to-door", unit="trip")
    counselling = make_service("Poradnictwo psychologiczne", unit="visit")
    counselling.delivery_mode = "consultation"

    def person(first, last, coordinator, services, start=date(2026, 3, 1), end=date(2026, 12, 31)):
        resident = Resident(first_name=first, last_name=last, search_first=first.lower(), search_last=last.lower(),
                            birth_date=date(1945, 2, 3))
        request = Request(channel="phone", kind="application", resident=resident, coordinator_id=coordinator.id,
                          status="service_granted")
        db.session.add_all([resident, request])
        db.session.flush()
        for service in services:
            db.session.add(ServiceGrant(resident_id=resident.id, request_id=request.id, service_id=service.id,
                                        quantity=40, unit=service.unit, period_from=start, period_to=end,
                                        status="granted"))
        return resident

    anna = person("Anna", "Zielińska", people.coordinator, [care, transport, counselling])
    bogdan = person("Bogdan", "Wójcik", people.coordinator, [care, counselling], start=date(2026, 4, 10))
    celina = person("Celina", "Mazur", people.other_coordinator, [care])
    db.session.commit()
    return SimpleNamespace(care=care, transport=transport, counselling=counselling, anna=anna, bogdan=bogdan,
                           celina=celina, people=people)
