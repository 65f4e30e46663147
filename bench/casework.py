"""The coordinator's desk benchmark: 50 coordinators with 100 open plans each
(items, monitoring contacts), on top of the front desk's register, measured
as logged-in coordinators and the director next to the /healthz floor; and
the time to make a plan's PDF, in-process and over HTTP.

Generation (after bench/generate_people.py, which it needs: residents,
requests, the catalogue's services, the bench director): per coordinator,
100 cases — 8 plans drafted, 4 submitted, 3 returned, 10 approved and
awaiting signatures, 75 signed and running (monitoring contacts every
quarter since signing, some quarter missed) — each with its application
request, its completed assessment, the plan's version 0 and 1–3 items.
SQLAlchemy Core inserts with explicit ids in batches; sequences moved and
(PostgreSQL) ANALYZE afterwards, as generate_people does.

Scenarios (targets: each desk p95 < 50 ms; a PDF < 1 s):
- my cases, full page (GET /cases/) and the htmx region sorted by name;
- the director's view, full page (GET /cases/all) and the region for one
  coordinator's overdue cases;
- a plan's PDF over HTTP (a draft prints live: /plans/<id>/versions/0/pdf)
  and the monitoring card (/cases/plans/<id>/monitoring/card.pdf), one
  client at a time (a person printing), and both rendered in-process.
"""
import contextlib
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from . import OUT_DIR, load, server
from .load import Request

SEED = 2026
BATCH = 10_000
WARSAW = ZoneInfo("Europe/Warsaw")
P95_MAX_MS = 50.0
PDF_MAX_S = 1.0
COORDINATOR_PASSWORD = "bench-kipus-haslo-2026"
DIRECTOR_USERNAME = "bench-dyrektor"  # made by generate_people
# Stages of the 100 cases of each coordinator (plan status, version status, how many).
MIX = (("draft", "draft", 8), ("submitted", "submitted", 4), ("returned", "returned", 3),
       ("approved", "approved", 10), ("active", "signed", 75))

SCENARIOS = (
    ("healthz", "/healthz (the floor)"),
    ("mine_full", "my cases, full page /cases/"),
    ("mine_htmx", "my cases, htmx region sorted by name"),
    ("director_full", "director's view, full page /cases/all"),
    ("director_htmx", "director's view, htmx region: one coordinator overdue"),
    ("plan_pdf", "plan PDF over HTTP (rendered, 1 client)"),
    ("card_pdf", "monitoring card PDF over HTTP (1 client)"),
)
DESK_TARGETS = (("mine_full", "my cases p95 (full page)"), ("mine_htmx", "my cases p95 (htmx region)"),
                ("director_full", "director's view p95 (full page)"),
                ("director_htmx", "director's view p95 (htmx region)"))
HTMX_MINE = {"HX-Request": "true", "HX-Target": "cases", "HX-Current-URL": "http://127.0.0.1/cases/"}
HTMX_ALL = {"HX-Request": "true", "HX-Target": "cases", "HX-Current-URL": "http://127.0.0.1/cases/all"}

SCOPES = ("Usługa realizowana zgodnie z harmonogramem.", "Dwa spotkania odwołane z powodu choroby.",
          "Uczestnik korzysta ze wszystkich zajęć.", "Realizator zapewnił zastępstwo w czasie urlopu.")


@dataclass
class Casework:
    coordinators: list = field(default_factory=list)  # (id, username)
    director_id: int | None = None
    coordinator_ids: list = field(default_factory=list)
    active_plans: dict = field(default_factory=dict)  # coordinator id -> [plan ids]
    draft_plans: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def next_id(session, table):
    from sqlalchemy import func, select

    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def at_local(day, hour, minute=0):
    return datetime.combine(day, clock_time(hour, minute), tzinfo=WARSAW).astimezone(timezone.utc)


def add_months(day, months):
    from calendar import monthrange

    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def generate_casework(database_url, *, coordinators=50, plans_per_coordinator=100, seed=SEED, log=print):
    """Add the coordinators and their cases to a database with the register; returns a Casework summary."""
    from sqlalchemy import create_engine, insert, select, text
    from sqlalchemy.orm import Session

    import portal.models  # noqa: F401  (every model registered)
    from config import normalise_database_url
    from portal.assessment.models import Assessment
    from portal.auth.models import Role, User
    from portal.auth.passwords import hash_password
    from portal.casework.models import MonitoringEntry
    from portal.catalogue.models import Service
    from portal.desk.models import Request as DeskRequest
    from portal.desk.models import RequestStatusChange
    from portal.plans.models import Plan, PlanItem, PlanVersion
    from portal.residents.models import Resident

    from .generate import analyze, move_sequences

    started = time.perf_counter()
    rng = random.Random(seed)
    moment = datetime.now(timezone.utc)
    today = moment.astimezone(WARSAW).date()
    summary = Casework()
    engine = create_engine(normalise_database_url(database_url))
    tables = {name: model.__table__ for name, model in (
        ("request", DeskRequest), ("request_status_change", RequestStatusChange), ("assessment", Assessment),
        ("plan", Plan), ("plan_version", PlanVersion), ("plan_item", PlanItem),
        ("monitoring_entry", MonitoringEntry))}
    try:
        with Session(engine) as session:
            residents = session.scalar(select(text("count(*)")).select_from(Resident.__table__)) or 0
            if residents < coordinators * plans_per_coordinator:
                raise RuntimeError("too few residents: generate the register (generate_people) first")
            summary.director_id = session.scalar(select(User.id).where(User.username == DIRECTOR_USERNAME))
            services = session.execute(select(Service.id, Service.provider_id, Service.unit)
                                       .where(Service.status == "active").order_by(Service.id)).all()
            if not services:
                raise RuntimeError("no services: generate the catalogue first")
            password = hash_password(COORDINATOR_PASSWORD)
            users = [{"username": f"bench-kipus-{i:02d}", "full_name": f"Koordynator Testowy {i:02d}",
                      "email": f"bench-kipus-{i:02d}@cus.example", "role": Role.COORDINATOR,
                      "password_hash": password, "active": True, "created_at": moment, "last_login_at": None}
                     for i in range(1, coordinators + 1)]
            session.execute(insert(User.__table__), users)
            summary.coordinators = session.execute(
                select(User.id, User.username).where(User.username.like("bench-kipus-%")).order_by(User.username)
            ).all()
            summary.coordinator_ids = [c.id for c in summary.coordinators]

            ids = {name: next_id(session, table) for name, table in tables.items()}
            rows = {name: [] for name in tables}
            people = rng.sample(range(1, residents + 1), coordinators * plans_per_coordinator)
            stages = [stage for stage in MIX for _ in range(stage[2])]
            scale = plans_per_coordinator / len(stages)
            stages = [stages[int(i / scale)] for i in range(plans_per_coordinator)]
            for c_index, coordinator_id in enumerate(summary.coordinator_ids):
                summary.active_plans[coordinator_id] = []
                summary.draft_plans[coordinator_id] = []
                for p_index, (plan_status, version_status, _n) in enumerate(stages):
                    resident_id = people[c_index * plans_per_coordinator + p_index]
                    running = plan_status in ("approved", "active")
                    age = rng.randint(40, 330) if running else rng.randint(3, 45)
                    received_day = today - timedelta(days=age)
                    received = at_local(received_day, rng.randint(8, 14), rng.randrange(60))
                    request_id, assessment_id, plan_id = ids["request"], ids["assessment"], ids["plan"]
                    ids["request"] += 1
                    ids["assessment"] += 1
                    ids["plan"] += 1
                    request_status = "handed_to_plan" if running else "in_assessment"
                    rows["request"].append({
                        "id": request_id, "received_at": received, "channel": rng.choice(("phone", "in_person")),
                        "applicant": "self", "kind": "application", "status": request_status, "urgency": "normal",
                        "resident_id": resident_id, "coordinator_id": coordinator_id, "question": None,
                        "answer": None, "routed_to": None, "routed_note": None,
                        "needs_description": "Pomoc w domu i zajęcia dla seniorów.", "contact_name": None,
                        "contact_phone": None, "contact_email": None, "message": None,
                        "closed_at": received + timedelta(days=20) if running else None, "created_by_id": None,
                        "updated_at": received, "version": 1})
                    trail = ["new", "assigned", "in_assessment"] + (["handed_to_plan"] if running else [])
                    for step, (before, after) in enumerate(zip([None] + trail[:-1], trail)):
                        rows["request_status_change"].append({
                            "id": ids["request_status_change"], "request_id": request_id,
                            "at": received + timedelta(days=step * 5), "actor_id": coordinator_id,
                            "from_status": before, "to_status": after, "note": None})
                        ids["request_status_change"] += 1
                    assessed = received_day + timedelta(days=min(5, age))
                    rows["assessment"].append({
                        "id": assessment_id, "request_id": request_id, "resident_id": resident_id,
                        "coordinator_id": coordinator_id, "status": "completed", "assessed_on": assessed,
                        "place": "home", "completed_at": at_local(assessed, 12), "updated_at": at_local(assessed, 12),
                        "created_at": at_local(assessed, 9), "version": 1, "problems": "Samotność.",
                        "needs": "Zajęcia w klubie, pomoc w domu.", "conclusions": "Plan usług."})
                    valid_from = received_day + timedelta(days=min(20, age))
                    valid_until = add_months(valid_from, 12) - timedelta(days=1)
                    approved_day = valid_from
                    submitted = plan_status != "draft"
                    rows["plan"].append({
                        "id": plan_id, "resident_id": resident_id, "request_id": request_id,
                        "assessment_id": assessment_id, "coordinator_id": coordinator_id,
                        "number_year": approved_day.year if running else None,
                        "number_seq": plan_id if running else None, "status": plan_status,
                        "first_submitted_on": valid_from - timedelta(days=3) if submitted else None,
                        "overdue_reason": None, "cancelled_at": None, "cancel_reason": None, "closed_on": None,
                        "closed_at": None, "created_at": at_local(valid_from - timedelta(days=5), 10),
                        "created_by_id": coordinator_id, "updated_at": at_local(valid_from, 12), "version": 1})
                    version_id = ids["plan_version"]
                    ids["plan_version"] += 1
                    signed_day = approved_day + timedelta(days=rng.randint(0, 7))
                    rows["plan_version"].append({
                        "id": version_id, "plan_id": plan_id, "number": 0, "status": version_status,
                        "drawn_up_on": valid_from - timedelta(days=5), "valid_from": valid_from,
                        "valid_until": valid_until, "expected_effects": "Wyjście z domu dwa razy w tygodniu.",
                        "check_frequency": "monthly" if p_index % 10 == 0 else "quarterly", "update_reason": None,
                        "submitted_at": at_local(valid_from - timedelta(days=3), 11) if submitted else None,
                        "approved_at": at_local(approved_day, 12) if running else None,
                        "approved_by_id": summary.director_id if running else None, "delegation_id": None,
                        "signed_at": at_local(signed_day, 13) if version_status == "signed" else None,
                        "superseded_at": None, "guardian_kind": None, "guardian_name": None,
                        "guardian_contact": None, "snapshot": None, "content_hash": None, "pdf": None,
                        "pdf_sha256": None, "created_at": at_local(valid_from - timedelta(days=5), 10),
                        "created_by_id": coordinator_id})
                    items = []
                    for position, (service_id, provider_id, unit) in enumerate(rng.sample(services,
                                                                                            rng.randint(1, 3))):
                        items.append((ids["plan_item"], service_id))
                        rows["plan_item"].append({
                            "id": ids["plan_item"], "plan_version_id": version_id, "position": position,
                            "service_id": service_id, "provider_id": provider_id, "place": "Świetlica wiejska",
                            "schedule": "wtorki i czwartki 10:00–12:00", "period_from": valid_from,
                            "period_to": valid_until, "scope": "raz w tygodniu", "quantity": rng.randint(1, 8),
                            "unit": unit, "supports_volunteers": False, "supports_self_help": False,
                            "supports_neighbours": position == 1, "supporting_note": None})
                        ids["plan_item"] += 1
                    if plan_status == "active":
                        summary.active_plans[coordinator_id].append(plan_id)
                        day = signed_day
                        contacts = []
                        while True:
                            day = add_months(day, 3) - timedelta(days=rng.randint(0, 10))
                            if day > today:
                                break
                            contacts.append(day)
                        if contacts and rng.random() < 0.2:
                            contacts.pop()  # a quarter without contact: overdue on the desk
                        for day in contacts:
                            for item_id, service_id in items:
                                rows["monitoring_entry"].append({
                                    "id": ids["monitoring_entry"], "plan_id": plan_id, "plan_item_id": item_id,
                                    "service_id": service_id, "contact_on": day,
                                    "contact_kind": rng.choice(("phone", "visit")),
                                    "scope_delivered": rng.choice(SCOPES), "remarks": None,
                                    "satisfaction": rng.choice((3, 4, 5, 5)), "recorded_by_id": coordinator_id,
                                    "recorded_at": at_local(day, 14)})
                                ids["monitoring_entry"] += 1
                    elif plan_status == "draft":
                        summary.draft_plans[coordinator_id].append(plan_id)
            for name, table in tables.items():
                batch = rows[name]
                for i in range(0, len(batch), BATCH):
                    session.execute(insert(table), batch[i:i + BATCH])
                summary.rows[name] = len(batch)
                log(f"{name}: {len(batch):,} in {time.perf_counter() - started:.1f} s")
            move_sequences(session, tables)
            session.commit()
            analyze(session, (*tables, "user_account"))
    finally:
        engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


# --- in-process PDF timing ----------------------------------------------------------------------------

def pdf_in_process(database_url, plan_id, rounds=8):
    """Seconds to render a plan's PDF and its monitoring card in-process (the
    template and WeasyPrint, no HTTP): {"plan": [...], "card": [...]}."""
    from config import Config, normalise_database_url
    from portal import create_app
    from portal.casework import printing as card_printing
    from portal.casework.services import entries_of
    from portal.extensions import db
    from portal.plans import printing
    from portal.plans.models import Plan

    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                                             "DEMO_MODE": False})
    app = create_app(config)
    times = {"plan": [], "card": []}
    with app.app_context(), app.test_request_context():
        plan = db.session.get(Plan, plan_id)
        version = plan.versions[0]
        entries = entries_of(db.session, plan)
        today = datetime.now(WARSAW).date()
        for _ in range(rounds):
            started = time.perf_counter()
            body = printing.render_pdf_bytes(printing.snapshot_of(plan, version), draft=True)
            times["plan"].append(time.perf_counter() - started)
            assert body.startswith(b"%PDF-")
            started = time.perf_counter()
            body = card_printing.monitoring_card_pdf(plan, entries, today)
            times["card"].append(time.perf_counter() - started)
            assert body.startswith(b"%PDF-")
        db.session.remove()
        db.engine.dispose()
    return times


def desk_in_process(database_url, coordinator_id, rounds=10):
    """Milliseconds of the desk's statement without the rendered-region
    cache (what the first load after a change costs): a coordinator's own
    desk and the director's, and the data-version read the cache checks."""
    from config import Config, normalise_database_url
    from portal import create_app
    from portal.casework.desk import DeskFilters, data_version, desk
    from portal.extensions import db

    config = type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                                             "DEMO_MODE": False})
    app = create_app(config)
    today = datetime.now(WARSAW).date()
    times = {"mine": [], "director": [], "version": []}
    with app.app_context():
        for _ in range(rounds):
            for key, call in (
                    ("mine", lambda: desk(db.session, filters=DeskFilters(coordinator_id=coordinator_id, own=True),
                                          today=today)),
                    ("director", lambda: desk(db.session, filters=DeskFilters(), today=today,
                                              with_coordinators=True)),
                    ("version", lambda: data_version(db.session))):
                started = time.perf_counter()
                call()
                times[key].append((time.perf_counter() - started) * 1000)
        db.session.remove()
        db.engine.dispose()
    return times


def _p95(values):
    ordered = sorted(values)
    return load.percentile(ordered, 0.95)


# --- the run -------------------------------------------------------------------------------------------

def plan_for(work):
    """Requests of each scenario. Each desk client thread is one coordinator
    (its own /cases/); the director's threads share the director."""
    some = work.coordinator_ids[len(work.coordinator_ids) // 2]
    return {
        "healthz": [Request("/healthz", anonymous=True)],
        "mine_full": [Request("/cases/")],
        "mine_htmx": [Request("/cases/?sort=name", HTMX_MINE)],
        "director_full": [Request("/cases/all")],
        "director_htmx": [Request(f"/cases/all?coordinator={cid}&state=overdue", HTMX_ALL)
                          for cid in work.coordinator_ids[::5]] or [Request(f"/cases/all?coordinator={some}",
                                                                           HTMX_ALL)],
    }


def _pdf_requests(work, coordinator_id):
    drafts = work.draft_plans[coordinator_id]
    active = work.active_plans[coordinator_id]
    return ([Request(f"/plans/{pid}/versions/0/pdf") for pid in drafts[:4]],
            [Request(f"/cases/plans/{pid}/monitoring/card.pdf") for pid in active[:4]])


def evaluate(stats, in_process):
    floor = stats["healthz"].p95_ms
    targets = []
    for key, label in DESK_TARGETS:
        p95 = stats[key].p95_ms
        targets.append({
            "key": key, "target": f"{label} < {P95_MAX_MS:.0f} ms",
            "value": f"{p95:.2f} ms (floor /healthz p95 {floor:.2f} ms, {p95 / floor if floor else float('nan'):.1f}x; "
                     f"{p95 - floor:+.2f} ms over it)",
            "met": p95 < P95_MAX_MS and stats[key].errors == 0, "errors": stats[key].errors})
    for key, label in (("plan_pdf", "plan PDF over HTTP p95"), ("card_pdf", "monitoring card PDF over HTTP p95")):
        p95 = stats[key].p95_ms / 1000
        targets.append({"key": key, "target": f"{label} < {PDF_MAX_S:.0f} s",
                        "value": f"{p95:.3f} s (floor /healthz p95 {floor:.2f} ms)",
                        "met": p95 < PDF_MAX_S and stats[key].errors == 0, "errors": stats[key].errors})
    for key, label in (("plan", "plan PDF in-process p95"), ("card", "monitoring card PDF in-process p95")):
        p95 = _p95(in_process[key])
        targets.append({"key": f"{key}_in_process", "target": f"{label} < {PDF_MAX_S:.0f} s",
                        "value": f"{p95:.3f} s (median {statistics.median(in_process[key]):.3f} s, "
                                 f"{len(in_process[key])} renders)",
                        "met": p95 < PDF_MAX_S})
    return targets


def _desk_rows(port, session, path):
    import re

    status, page = load.fetch(port, Request(path), session=session)
    rows = len(re.findall(rb'<tr>\s*<td><a href="/(?:plans|desk/requests)/\d+', page))
    total = re.search(rb'id="cases-heading">(\d+)', page)
    return {"status": status, "bytes": len(page), "rows_shown": rows, "total": int(total.group(1)) if total else None}


def run_phase(name, database_url, args, log):
    """Generate the coordinators' cases, serve, log in, measure, report."""
    from . import people

    figures = {}
    log(f"[{name}] casework: generating {args.casework_coordinators} coordinators x "
        f"{args.casework_plans} open plans...")
    work = generate_casework(database_url, coordinators=args.casework_coordinators,
                             plans_per_coordinator=args.casework_plans, log=lambda m: log(f"[{name}]   {m}"))
    figures.update(generate_s=round(work.seconds, 2), rows=work.rows)
    log(f"[{name}] casework generated in {work.seconds:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in work.rows.items()))

    started = time.perf_counter()
    in_process = pdf_in_process(database_url, work.draft_plans[work.coordinator_ids[0]][0]
                                if work.draft_plans[work.coordinator_ids[0]] else
                                work.active_plans[work.coordinator_ids[0]][0])
    figures["pdf_in_process_s"] = {k: [round(v, 4) for v in values] for k, values in in_process.items()}
    log(f"[{name}] PDFs in-process in {time.perf_counter() - started:.1f} s: plan median "
        f"{statistics.median(in_process['plan']):.3f} s, card median {statistics.median(in_process['card']):.3f} s")

    uncached = desk_in_process(database_url, work.coordinator_ids[0])
    figures["desk_in_process_ms"] = {k: round(statistics.median(v), 2) for k, v in uncached.items()}
    log(f"[{name}] desk statements in-process, without the region cache (median ms): "
        f"{figures['desk_in_process_ms']}")

    plan = plan_for(work)
    figures["load_average_before"] = server.load_average()
    backends = (server.PostgresBackends(database_url.rsplit("/", 1)[-1]) if database_url.startswith("postgres")
                else contextlib.nullcontext())
    with server.Gunicorn(database_url, OUT_DIR / f"gunicorn-{name}-casework.log") as gunicorn, backends as pg:
        gunicorn.wait_healthy()
        mine = [people.login(gunicorn.port, username, COORDINATOR_PASSWORD)
                for _cid, username in work.coordinators[:args.threads]]
        director = [people.login(gunicorn.port, DIRECTOR_USERNAME, people_password()) for _ in range(args.threads)]
        figures["desk"] = {"mine": _desk_rows(gunicorn.port, mine[0], "/cases/"),
                           "director": _desk_rows(gunicorn.port, director[0], "/cases/all")}
        for key, sessions in (("mine_full", mine), ("mine_htmx", mine), ("director_full", director),
                              ("director_htmx", director)):
            for request in plan[key][:4] * 3:  # every worker warm
                load.fetch(gunicorn.port, request, session=sessions[0])
        log(f"[{name}] gunicorn up on 127.0.0.1:{gunicorn.port}; {len(mine)} coordinators and the director logged in; "
            f"my cases {figures['desk']['mine']}, director {figures['desk']['director']}")
        stats = {}
        sessions_of = {"mine_full": mine, "mine_htmx": mine, "director_full": director, "director_htmx": director}
        for key, label in SCENARIOS:
            if key in ("plan_pdf", "card_pdf"):
                continue
            stats[key] = load.run(gunicorn.port, key, plan[key], total=args.casework_requests, threads=args.threads,
                                  server_cpu=gunicorn.cpu_seconds, max_seconds=args.max_seconds,
                                  renew_every=args.renew_every, sessions=sessions_of.get(key),
                                  db_cpu=pg.cpu_seconds if pg is not None else None)
            s = stats[key]
            log(f"[{name}] {label}: p95 {s.p95_ms:.2f} ms, {s.throughput_rps:.0f} req/s, errors {s.errors}")
        plan_pdfs, card_pdfs = _pdf_requests(work, work.coordinators[0].id)
        for key, requests in (("plan_pdf", plan_pdfs), ("card_pdf", card_pdfs)):
            stats[key] = load.run(gunicorn.port, key, requests, total=args.casework_pdf_requests, threads=1,
                                  server_cpu=gunicorn.cpu_seconds, max_seconds=args.max_seconds,
                                  renew_every=args.renew_every, sessions=mine[:1],
                                  db_cpu=pg.cpu_seconds if pg is not None else None)
            s = stats[key]
            log(f"[{name}] {key}: p95 {s.p95_ms:.0f} ms, errors {s.errors}")
        if gunicorn.process.poll() is not None:
            raise RuntimeError(f"gunicorn died during the run:\n{gunicorn.log_tail()}")
    figures["load_average_after"] = server.load_average()
    targets = evaluate(stats, in_process)
    figures.update(scenarios={key: stats[key].as_dict() for key, _ in SCENARIOS}, targets=targets)
    title = (f"{name} — coordinator's desk: {len(work.coordinator_ids)} coordinators x {args.casework_plans} open "
             f"plans ({work.rows.get('monitoring_entry', 0):,} monitoring entries) on the front desk's register; "
             f"gunicorn 2 workers x 4 threads; {args.threads} client threads, {args.casework_requests:,} requests "
             f"per desk scenario, {args.casework_pdf_requests} per PDF (1 client)")
    note = (f"load average (1/5/15 min) before {figures['load_average_before']}, after {figures['load_average_after']}"
            f"\nmy cases: {figures['desk']['mine']}; director: {figures['desk']['director']}"
            f"\nrendered desk regions are kept until the data version moves (as the desk board's); in-process "
            f"without that cache, median ms: {figures['desk_in_process_ms']} (version: the check on each load)")
    load.print_table(title, SCENARIOS, stats, note=note, db_column=True)
    load.print_targets(targets)
    return figures


def people_password():
    from .generate_people import STAFF_PASSWORD

    return STAFF_PASSWORD
