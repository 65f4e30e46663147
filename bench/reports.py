"""The reports' benchmark (issue 14 §6): each report for a year over HTTP
(p95 < 200 ms) and its XLSX (< 1 s), as the director, next to the /healthz
floor.

Generation, on a migrated database with the catalogue (bench/generate.py),
the register (bench/generate_people.py: 100,000 residents, 300,000 requests,
the bench director) and the delivery register (bench/delivery.py: a year of
deliveries, 20,000 group sessions, its own 5,000 active plans):
- 5,000 plans a year over the last five years (this one up to today), each
  with its application request, a completed assessment and version 0 signed
  on a day of its year with 1–3 items; a quarter of them updated about four
  months later (version 1 signed, the items carried over plus a new one,
  version 0 superseded); plans whose year of validity ended closed in most
  cases (the closure's items attained, partly or not); quarterly monitoring
  contacts for the plans still running;
- 1,000 single grants a year;
- 100,000 rows of history from before the portal (three years before the
  five), in one import: services granted (85%, a fifth of them under a
  historical name the catalogue does not hold) and plans concluded, about
  40,000 case references.
SQLAlchemy Core inserts with explicit ids in batches; sequences moved and
(PostgreSQL) ANALYZE afterwards, as the other generators do.
"""
import contextlib
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from . import OUT_DIR, load, server
from .casework import SCOPES, add_months, at_local, next_id
from .load import Request

SEED = 1414
BATCH = 10_000
WARSAW = ZoneInfo("Europe/Warsaw")
P95_MAX_MS = 200.0
XLSX_MAX_S = 1.0
YEARS = 5
PLANS_PER_YEAR = 5_000
GRANTS_PER_YEAR = 1_000
HISTORY_ROWS = 100_000
HISTORY_YEARS = 3
HISTORY_NAMES = ("Dowóz na zajęcia (dawny)", "Klub seniora przy parafii", "Pomoc sąsiedzka 2019",
                 "Warsztaty kulinarne", "Asystent rodziny (program gminny)")

# (key, label, path for the year): the yearly reports; each is measured as a page and as XLSX.
REPORTS = (
    ("quarterly", "quarterly table", "/reports/quarterly?year={year}"),
    ("services", "per service", "/reports/services?year={year}"),
    ("matrix", "monthly matrix", "/reports/matrix?year={year}"),
    ("indicators", "indicators", "/reports/indicators?year={year}"),
    ("providers", "providers", "/reports/providers?year={year}"),
    ("desk", "front desk and deadlines", "/reports/desk?year={year}"),
    ("catalogue_use", "catalogue use", "/reports/catalogue-use?year={year}"),
)


def xlsx_path(path):
    base, _, query = path.partition("?")
    return f"{base}.xlsx?{query}"


@dataclass
class History:
    plans: int = 0
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def generate_reports(database_url, *, years=YEARS, plans_per_year=PLANS_PER_YEAR, grants_per_year=GRANTS_PER_YEAR,
                     history_rows=HISTORY_ROWS, seed=SEED, log=print):
    """Add five years of plans, grants and the imported history to a database with the register."""
    from sqlalchemy import create_engine, insert, select, text
    from sqlalchemy.orm import Session

    import portal.models  # noqa: F401  (every model registered)
    from config import normalise_database_url
    from portal.assessment.models import Assessment
    from portal.auth.models import Role, User
    from portal.casework.models import ClosureItem, MonitoringEntry, PlanClosure
    from portal.catalogue.models import Service
    from portal.desk.models import Request as DeskRequest
    from portal.plans.models import Plan, PlanItem, PlanVersion, ServiceGrant
    from portal.reports.history import HistoryImport, HistoryRow
    from portal.residents.models import Resident

    from .generate import analyze, move_sequences

    started = time.perf_counter()
    rng = random.Random(seed)
    moment = datetime.now(timezone.utc)
    today = moment.astimezone(WARSAW).date()
    summary = History()
    engine = create_engine(normalise_database_url(database_url))
    tables = {name: model.__table__ for name, model in (
        ("request", DeskRequest), ("assessment", Assessment), ("plan", Plan), ("plan_version", PlanVersion),
        ("plan_item", PlanItem), ("monitoring_entry", MonitoringEntry), ("plan_closure", PlanClosure),
        ("plan_closure_item", ClosureItem), ("service_grant", ServiceGrant), ("history_import", HistoryImport),
        ("history_row", HistoryRow))}
    try:
        with Session(engine) as session:
            residents = session.scalar(select(text("count(*)")).select_from(Resident.__table__)) or 0
            if residents < plans_per_year:
                raise RuntimeError("too few residents: generate the register (generate_people) first")
            coordinators = session.scalars(select(User.id).where(User.role == Role.COORDINATOR)).all()
            director_id = session.scalar(select(User.id).where(User.role == Role.DIRECTOR))
            services = session.execute(select(Service.id, Service.provider_id, Service.unit, Service.name)
                                       .where(Service.status == "active").order_by(Service.id)).all()
            if not services or not coordinators:
                raise RuntimeError("no services or coordinators: generate the catalogue and the register first")
            ids = {name: next_id(session, table) for name, table in tables.items()}
            rows = {name: [] for name in tables}

            def add(name, **values):
                values["id"] = ids[name]
                ids[name] += 1
                rows[name].append(values)
                return values["id"]

            first_year = today.year - years + 1
            for year in range(first_year, today.year + 1):
                last_day = min(date(year, 12, 31), today)
                span = (last_day - date(year, 1, 1)).days
                people = rng.sample(range(1, residents + 1), plans_per_year)
                for resident_id in people:
                    coordinator_id = rng.choice(coordinators)
                    signed_day = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
                    received = at_local(signed_day - timedelta(days=rng.randint(12, 40)), rng.randint(8, 14))
                    request_id = add(
                        "request", received_at=received, channel=rng.choice(("phone", "in_person", "email")),
                        applicant="self", kind="application", status="handed_to_plan", urgency="normal",
                        resident_id=resident_id, coordinator_id=coordinator_id, question=None, answer=None,
                        routed_to=None, routed_note=None, needs_description="Pomoc w domu i zajęcia dla seniorów.",
                        contact_name=None, contact_phone=None, contact_email=None, message=None,
                        closed_at=received + timedelta(days=10), created_by_id=None, updated_at=received, version=1)
                    assessed = received.astimezone(WARSAW).date() + timedelta(days=5)
                    assessment_id = add(
                        "assessment", request_id=request_id, resident_id=resident_id, coordinator_id=coordinator_id,
                        status="completed", assessed_on=assessed, place="home", completed_at=at_local(assessed, 12),
                        updated_at=at_local(assessed, 12), created_at=at_local(assessed, 9), version=1,
                        problems="Samotność.", needs="Zajęcia w klubie, pomoc w domu.", conclusions="Plan usług.")
                    valid_from = signed_day
                    valid_until = add_months(valid_from, 12) - timedelta(days=1)
                    ended = valid_until < today
                    closed = ended and rng.random() < 0.8
                    updated = rng.random() < 0.25 and valid_from + timedelta(days=150) < today
                    plan_id = ids["plan"]
                    add("plan", resident_id=resident_id, request_id=request_id, assessment_id=assessment_id,
                        coordinator_id=coordinator_id, number_year=year, number_seq=plan_id,
                        status="closed" if closed else "active", first_submitted_on=valid_from - timedelta(days=4),
                        overdue_reason=None, cancelled_at=None, cancel_reason=None,
                        closed_on=valid_until if closed else None,
                        closed_at=at_local(valid_until, 15) if closed else None,
                        created_at=at_local(valid_from - timedelta(days=6), 10), created_by_id=coordinator_id,
                        updated_at=at_local(valid_from, 12), version=1)
                    chosen = rng.sample(services, rng.randint(1, 3))
                    versions = [(0, valid_from, chosen)]
                    if updated:
                        versions.append((1, valid_from + timedelta(days=rng.randint(100, 140)),
                                         chosen + [rng.choice(services)]))
                    last_items = []
                    for number, signed_on, items in versions:
                        superseded = updated and number == 0
                        version_id = add(
                            "plan_version", plan_id=plan_id, number=number,
                            status="superseded" if superseded else "signed",
                            drawn_up_on=signed_on - timedelta(days=6), valid_from=valid_from,
                            valid_until=valid_until, expected_effects="Wyjście z domu dwa razy w tygodniu.",
                            check_frequency="quarterly", update_reason="Nowa usługa." if number else None,
                            submitted_at=at_local(signed_on - timedelta(days=4), 11),
                            approved_at=at_local(signed_on - timedelta(days=1), 12), approved_by_id=director_id,
                            delegation_id=None, signed_at=at_local(signed_on, 13),
                            superseded_at=at_local(versions[1][1], 13) if superseded else None,
                            guardian_kind=None, guardian_name=None, guardian_contact=None, snapshot=None,
                            content_hash=None, pdf=None, pdf_sha256=None,
                            created_at=at_local(signed_on - timedelta(days=6), 10), created_by_id=coordinator_id)
                        last_items = []
                        for position, (service_id, provider_id, unit, _name) in enumerate(items):
                            item_id = add(
                                "plan_item", plan_version_id=version_id, position=position, service_id=service_id,
                                provider_id=provider_id, place="Świetlica wiejska",
                                schedule="wtorki i czwartki 10:00–12:00",
                                period_from=signed_on if position >= len(chosen) else valid_from,
                                period_to=valid_until, scope="raz w tygodniu", quantity=rng.randint(1, 8), unit=unit,
                                supports_volunteers=False, supports_self_help=False, supports_neighbours=False,
                                supporting_note=None)
                            last_items.append((item_id, service_id))
                    if closed:
                        closure_id = add(
                            "plan_closure", plan_id=plan_id, conversation_on=valid_until, period_from=valid_from,
                            period_to=valid_until, course="Usługi zrealizowane zgodnie z planem.",
                            reasons="Samotność.", effects="Uczestnik wychodzi z domu.", survey_declined=False,
                            survey_needs=rng.randint(3, 5), survey_quality=rng.randint(3, 5),
                            survey_access=rng.randint(2, 5), survey_coordinator=rng.randint(4, 5),
                            survey_change=rng.randint(2, 5), survey_comment=None, closed_by_id=coordinator_id,
                            closed_at=at_local(valid_until, 15))
                        for position, (item_id, service_id) in enumerate(last_items):
                            add("plan_closure_item", closure_id=closure_id, plan_item_id=item_id,
                                service_id=service_id, position=position, period_from=valid_from,
                                period_to=valid_until, note=None,
                                outcome=rng.choice(("attained", "attained", "partly", "not_attained")))
                    elif not ended:
                        day = valid_from
                        while (day := add_months(day, 3)) <= today:
                            if rng.random() < 0.1:
                                continue  # a quarter without contact
                            for item_id, service_id in last_items:
                                add("monitoring_entry", plan_id=plan_id, plan_item_id=item_id, service_id=service_id,
                                    contact_on=day, contact_kind=rng.choice(("phone", "visit")),
                                    scope_delivered=rng.choice(SCOPES), remarks=None,
                                    satisfaction=rng.choice((3, 4, 5, 5)), recorded_by_id=coordinator_id,
                                    recorded_at=at_local(day, 14))
                    summary.plans += 1
                for _ in range(grants_per_year):
                    service_id, _provider, unit, _name = rng.choice(services)
                    granted = date(year, 1, 1) + timedelta(days=rng.randint(0, span))
                    add("service_grant", resident_id=rng.randint(1, residents), request_id=None,
                        service_id=service_id, quantity=rng.randint(1, 10), unit=unit, period_from=granted,
                        period_to=granted + timedelta(days=rng.randint(30, 180)), note=None, status="granted",
                        granted_by_id=rng.choice(coordinators), granted_at=at_local(granted, 11), cancelled_at=None,
                        cancelled_by_id=None)
                log(f"plans of {year}: {plans_per_year:,} in {time.perf_counter() - started:.1f} s")

            import_id = add("history_import", filename="historia-2019-2021.xlsx", row_count=history_rows,
                            withdrawn_at=None, withdrawn_by_id=None, created_at=moment, created_by_id=director_id)
            history_start = date(first_year - HISTORY_YEARS, 1, 1)
            history_span = (date(first_year - 1, 12, 31) - history_start).days
            cases = max(1, history_rows * 2 // 5)
            for _ in range(history_rows):
                day = history_start + timedelta(days=rng.randint(0, history_span))
                case_ref = f"H/{rng.randint(1, cases):05d}"
                if rng.random() < 0.15:
                    add("history_row", import_id=import_id, kind="plan", day=day, service_id=None, service_name=None,
                        case_ref=case_ref, quantity=None)
                elif rng.random() < 0.2:
                    add("history_row", import_id=import_id, kind="service", day=day, service_id=None,
                        service_name=rng.choice(HISTORY_NAMES), case_ref=case_ref, quantity=rng.randint(1, 20))
                else:
                    service_id, _provider, _unit, name = rng.choice(services)
                    add("history_row", import_id=import_id, kind="service", day=day, service_id=service_id,
                        service_name=name, case_ref=case_ref, quantity=rng.randint(1, 20))

            for name, table in tables.items():
                batch = rows[name]
                for i in range(0, len(batch), BATCH):
                    session.execute(insert(table), batch[i:i + BATCH])
                summary.rows[name] = len(batch)
            log("rows: " + ", ".join(f"{k} {v:,}" for k, v in summary.rows.items()))
            move_sequences(session, tables)
            session.commit()
            analyze(session, tuple(tables))
    finally:
        engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


# --- the run -------------------------------------------------------------------------------------------

def plan_for(year):
    scenarios = {"healthz": [Request("/healthz", anonymous=True)]}
    for key, _label, path in REPORTS:
        scenarios[key] = [Request(path.format(year=year))]
        scenarios[f"{key}_xlsx"] = [Request(xlsx_path(path.format(year=year)))]
    return scenarios


def scenarios():
    return (("healthz", "/healthz (the floor)"),
            *((key, f"{label} {path.split('?')[0]}") for key, label, path in REPORTS),
            *((f"{key}_xlsx", f"{label}, XLSX") for key, label, _path in REPORTS))


def evaluate(stats):
    floor = stats["healthz"].p95_ms
    targets = []
    for key, label, _path in REPORTS:
        for name, limit_ms, what in ((key, P95_MAX_MS, f"{label} p95 < {P95_MAX_MS:.0f} ms"),
                                     (f"{key}_xlsx", XLSX_MAX_S * 1000, f"{label}, XLSX p95 < {XLSX_MAX_S:.0f} s")):
            s = stats[name]
            targets.append({
                "key": name, "target": what,
                "value": f"{s.p95_ms:.2f} ms (floor /healthz p95 {floor:.2f} ms, "
                         f"{s.p95_ms / floor if floor else float('nan'):.1f}x)",
                "met": s.p95_ms < limit_ms and s.errors == 0, "errors": s.errors})
    return targets


def run_phase(name, database_url, args, log):
    """Generate five years of plans and the history, serve, log in as the director, measure, report."""
    from . import people
    from .delivery import DIRECTOR, PASSWORD

    figures = {}
    log(f"[{name}] reports: generating {YEARS} years x {PLANS_PER_YEAR:,} plans, grants and "
        f"{HISTORY_ROWS:,} rows of history...")
    work = generate_reports(database_url, log=lambda m: log(f"[{name}]   {m}"))
    figures.update(generate_s=round(work.seconds, 2), rows=work.rows)
    year = datetime.now(WARSAW).year
    plan = plan_for(year)
    figures["load_average_before"] = server.load_average()
    backends = (server.PostgresBackends(database_url.rsplit("/", 1)[-1]) if database_url.startswith("postgres")
                else contextlib.nullcontext())
    stats = {}
    with server.Gunicorn(database_url, OUT_DIR / f"gunicorn-{name}-reports.log") as gunicorn, backends as pg:
        gunicorn.wait_healthy()
        directors = [people.login(gunicorn.port, DIRECTOR, PASSWORD) for _ in range(args.threads)]
        shown = {}
        for key, requests in plan.items():
            if key == "healthz":
                continue
            # The first read of a report after a change counts it in full (the
            # reports are then kept until the records or the register change):
            # timed here, one request on an idle server.
            started = time.perf_counter()
            status, body = load.fetch(gunicorn.port, requests[0], session=directors[0])
            shown[key] = {"status": status, "bytes": len(body),
                          "first_read_ms": round((time.perf_counter() - started) * 1000, 1)}
        figures["shown"] = shown
        log(f"[{name}] gunicorn up on 127.0.0.1:{gunicorn.port}; the director logged in; first answers {shown}")
        # Every worker reads every report once before the measurements, as the
        # other benchmarks warm theirs: the figures below are of a report read
        # again while nothing changed; the first reads are those above.
        for key, requests in plan.items():
            if key != "healthz":
                load.warm_up(gunicorn.port, requests[:1] * 8, sessions=directors, concurrency=4)
        for key, label in scenarios():
            xlsx = key.endswith("_xlsx")
            stats[key] = load.run(gunicorn.port, key, plan[key], total=args.reports_requests // (5 if xlsx else 1),
                                  threads=1 if xlsx else args.threads, server_cpu=gunicorn.cpu_seconds,
                                  max_seconds=args.max_seconds, renew_every=args.renew_every,
                                  sessions=None if key == "healthz" else directors,
                                  db_cpu=pg.cpu_seconds if pg is not None else None)
            s = stats[key]
            log(f"[{name}] {label}: p95 {s.p95_ms:.2f} ms, {s.throughput_rps:.0f} req/s, errors {s.errors}")
        if gunicorn.process.poll() is not None:
            raise RuntimeError(f"gunicorn died during the run:\n{gunicorn.log_tail()}")
    figures["load_average_after"] = server.load_average()
    targets = evaluate(stats)
    figures.update(scenarios={key: stats[key].as_dict() for key, _ in scenarios()}, targets=targets)
    title = (f"{name} — reports for {year}: {work.plans:,} plans over {YEARS} years, "
             f"{work.rows.get('history_row', 0):,} rows of history, on the register and the delivery register; "
             f"gunicorn 2 workers x 4 threads; {args.threads} client threads for pages, 1 for XLSX")
    note = (f"load average (1/5/15 min) before {figures['load_average_before']}, after "
            f"{figures['load_average_after']}")
    load.print_table(title, scenarios(), stats, note=note, db_column=True)
    print("first read after a change (one request, idle server, counted in full):")
    for key, label in scenarios():
        if key in shown:
            print(f"  {label:<40} {shown[key]['first_read_ms']:>9.1f} ms  {shown[key]['bytes']:>10,} bytes")
    load.print_targets(targets)
    return figures


def standalone(args):
    """python -m bench reports --database-url URL: migrate a fresh database, generate the catalogue,
    the register (generate_people), the delivery register and the reports' years, then measure; the
    figures go to bench/out/reports.json."""
    import json

    from .delivery import generate_delivery
    from .generate_people import generate_people

    log = lambda message: print(message, flush=True)  # noqa: E731
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    url = args.database_url
    figures = {"database": url.split("@")[-1]}
    log("migrating (flask db upgrade)...")
    figures["migrate_s"] = round(server.migrate(url), 2)
    from .generate import generate

    log("generating the catalogue (5,000 services, 500 providers)...")
    generate(url, services=5000, providers=500, log=log)
    log("generating the register (100,000 residents, 300,000 requests)...")
    generate_people(url, residents=100_000, requests=300_000, open_requests=2_000)
    log("generating the delivery register...")
    generate_delivery(url, log=log)
    args.threads = getattr(args, "threads", 4)
    args.max_seconds = getattr(args, "max_seconds", 40.0)
    args.renew_every = getattr(args, "renew_every", 25)
    args.reports_requests = getattr(args, "reports_requests", 200)
    figures["reports"] = run_phase("reports", url, args, log)
    out = OUT_DIR / "reports.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n")
    log(f"Figures written to {out}")
    return 0 if all(t["met"] for t in figures["reports"]["targets"]) else 1
