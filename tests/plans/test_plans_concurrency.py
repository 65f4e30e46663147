"""Concurrency on both databases: plan numbers taken by parallel approvals,
and two approvals (or grants) racing for a service's last place. Each thread
has its own app context, hence its own session and connection."""
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from portal.core.errors import VersionConflict
from portal.extensions import db
from portal.plans import capacity, delegations, grants
from portal.plans import services as ops
from portal.plans.models import Plan
from portal.plans.numbering import take_number
from tests.plans.fixtures import TODAY, fake_pdf

PARALLEL = 10


def _in_threads(app, count, work):
    """Run work(i) in `count` threads that start together; returns results or exceptions."""
    barrier = threading.Barrier(count)

    def run(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                return work(i)
            except Exception as error:  # noqa: BLE001 - the test looks at what each thread got
                db.session.rollback()
                return error
            finally:
                db.session.remove()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def _approve(plan_id, approver_id):
    from portal.auth.models import User

    plan = db.session.get(Plan, plan_id)
    ops.approve(db.session, plan, actor=db.session.get(User, approver_id), expected_version=plan.version,
                today=TODAY, render=fake_pdf)
    db.session.commit()
    return plan.number


def test_parallel_numbers_from_the_counter(app):
    def take(_i):
        value = take_number(db.session, 2031)
        db.session.commit()
        return value

    results = _in_threads(app, PARALLEL, take)
    assert sorted(results) == list(range(1, PARALLEL + 1))


def test_parallel_approvals_get_distinct_numbers(app, plans, make_case, people):
    ids = [plans.submit(plans.draft(make_case())).id for _ in range(PARALLEL)]
    director = people.director.id
    results = _in_threads(app, PARALLEL, lambda i: _approve(ids[i], director))
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results, key=lambda n: int(n.split("/")[1])) == [f"IPUS/{n}/2026" for n in range(1, PARALLEL + 1)]
    db.session.expire_all()
    seqs = db.session.scalars(select(Plan.number_seq).order_by(Plan.number_seq)).all()
    assert seqs == list(range(1, PARALLEL + 1))


def test_two_approvals_racing_for_the_last_place(app, plans, make_case, make_service, people):
    club = make_service("Klub Seniora w Wojcieszkowie", unit="person", capacity_maximum=1)
    ids = [plans.submit(plans.draft(make_case([club]))).id for _ in range(2)]
    director = people.director.id
    results = _in_threads(app, 2, lambda i: _approve(ids[i], director))
    numbers = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, capacity.CapacityFull)]
    assert len(numbers) == 1 and len(refused) == 1, results
    db.session.expire_all()
    statuses = sorted(db.session.scalars(select(Plan.status)).all())
    assert statuses == ["approved", "submitted"]
    db.session.refresh(club)
    assert club.capacity_granted == 1


def test_grants_racing_for_the_last_places(app, make_case, make_service, people, frozen):
    bed = make_service("Łóżko rehabilitacyjne", unit="loan", capacity_maximum=3)
    cases = [make_case([bed]) for _ in range(6)]
    request_ids = [c.request.id for c in cases]
    coordinator = people.coordinator.id

    def grant(i):
        from portal.auth.models import User
        from portal.desk.models import Request

        request = db.session.get(Request, request_ids[i])
        grants.grant_service(db.session, request, {"service_id": bed.id, "quantity": 1, "period_from": TODAY,
                                                   "period_to": TODAY.replace(month=12, day=31)},
                             actor=db.session.get(User, coordinator), today=TODAY)
        db.session.commit()
        return "granted"

    results = _in_threads(app, 6, grant)
    assert results.count("granted") == 3, results
    assert sum(isinstance(r, capacity.CapacityFull) for r in results) == 3
    db.session.refresh(bed)
    assert bed.capacity_granted == 3 and bed.capacity_available == 0


def test_two_approvers_of_the_same_plan(app, plans, make_case, people):
    """The director and an authorised organiser press "approve" at once: one
    approval, one number, the other gets a conflict."""
    delegations.grant_delegation(db.session, people.organiser.id, actor=people.director, today=TODAY)
    db.session.commit()
    plan_id = plans.submit(plans.draft(make_case())).id
    approvers = [people.director.id, people.organiser.id]
    results = _in_threads(app, 2, lambda i: _approve(plan_id, approvers[i]))
    assert sum(isinstance(r, str) for r in results) == 1, results
    from sqlalchemy.orm.exc import StaleDataError
    assert sum(isinstance(r, (VersionConflict, ops.TransitionError, StaleDataError)) for r in results) == 1
    db.session.expire_all()
    plan = db.session.get(Plan, plan_id)
    assert plan.number == "IPUS/1/2026"
    assert [s.action for s in plan.versions[0].steps].count("approved") == 1
