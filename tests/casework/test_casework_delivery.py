"""Delivered against planned on the coordinator's pages: the monitoring
card's table, the plan page's casework panel and "my cases" warn when a
running service has had no delivery for 30 days or went over the plan."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from portal.core import versions
from portal.delivery.models import DeliveryEntry
from portal.extensions import db
from portal.timeutil import WARSAW
from tests.helpers import assert_in, visible_text
from tests.plans.fixtures import TODAY


@pytest.fixture
def active(make_case, plans):
    return plans.active(make_case())


def _care(plan):
    return next(i for i in plan.version_in_force.items if i.unit == "hour")


def _deliver(plan, day, quantity):
    care = _care(plan)
    db.session.add(DeliveryEntry(service_id=care.service_id, resident_id=plan.resident_id,
                                 provider_id=care.service.provider_id, delivered_on=day,
                                 quantity=Decimal(quantity), unit="hour", delivered_by="Ola Opiekunka"))
    versions.bump(db.session, versions.DELIVERY)
    db.session.commit()


def test_the_monitoring_card_shows_delivered_against_planned(client, coordinator_client, active):
    _deliver(active, TODAY, "1.5")
    text = visible_text(client.get(f"/cases/plans/{active.id}/monitoring").text)
    assert_in(text, "Realizacja usług — stan na 12.05.2026",
              "Opieka w domu 1 2 godziny 1,5 godziny 12.05.2026 —",
              "Klub Seniora 1 1 osoba 0 obecności — —")


def test_over_the_plan_is_said_on_the_card_and_the_plan_page(client, coordinator_client, active):
    _deliver(active, TODAY, "2")
    _deliver(active, TODAY, "0.5")
    card = visible_text(client.get(f"/cases/plans/{active.id}/monitoring").text)
    assert "Opieka w domu 1 2 godziny 2,5 godziny 12.05.2026 zrealizowano więcej, niż zaplanowano" in card
    plan_page = visible_text(client.get(f"/plans/{active.id}").text)
    assert "Realizacja usług: Opieka w domu 1 — zrealizowano więcej, niż zaplanowano" in plan_page


def test_thirty_days_without_delivery_shows_in_my_cases(app, client, coordinator_client, active):
    _deliver(active, TODAY, "1")
    app.config["FIXED_NOW"] = datetime(2026, 6, 12, 10, 0, tzinfo=WARSAW)  # 31 days later
    text = visible_text(client.get("/cases/").text)
    assert "Opieka w domu 1: brak realizacji od ponad 30 dni (ostatnio 12.05.2026)" in text
    # The club, attended by nobody since its start on 12 May, is flagged too.
    assert "Klub Seniora 1: brak realizacji od początku (12.05.2026), ponad 30 dni" in text
    _deliver(active, TODAY + timedelta(days=31), "1")
    assert "Opieka w domu 1: brak realizacji" not in visible_text(client.get("/cases/").text)


def test_no_warning_in_the_first_month(client, coordinator_client, active):
    text = visible_text(client.get("/cases/").text)
    assert "brak realizacji" not in text and "więcej, niż zaplanowano" not in text
