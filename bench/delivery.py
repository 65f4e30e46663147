"""The delivery register's benchmark (issue 13 §6): a year of deliveries for
5,000 active plan items (at least 500,000 delivery entries) and 20,000 group
sessions with their attendance, measured over HTTP as a logged-in
coordinator (the plan page, the monitoring card with its delivered-vs-planned
table) and the services organiser (a 30-person club's attendance screen, a
service's usage summary), next to the /healthz floor.

Generation, on a migrated database with the catalogue (bench/generate.py),
self-contained (it does not need generate_people): 5,000 fictitious residents
(no PESEL), a coordinator, a director and a services organiser; per resident
an application request, a completed assessment and an active plan (version 0
signed) with one item running from 330–365 days ago for a year. Most items
are hour-based individual services (about 112 entries each over the past
year), the rest group services; one group service is a club whose 30
members' items cover every session day. 20,000 group sessions over the past
year and the next month (held mostly, some cancelled, the coming ones
planned), with the attendance of the members whose items cover the day.
SQLAlchemy Core inserts with explicit ids in batches; sequences moved and
(PostgreSQL) ANALYZE afterwards, as the other generators do.

Scenarios (target: each p95 < 50 ms, printed next to the /healthz floor):
- the plan page /plans/<id> (its casework panel: delivery warnings);
- the monitoring card /cases/plans/<id>/monitoring (delivered vs planned per item);
- the attendance screen of the 30-person club /delivery/sessions/<id>;
- a service's usage summary /delivery/services/<id>/usage (the current year).
"""
import contextlib
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from . import OUT_DIR, load, server
from .casework import add_months, at_local, next_id
from .load import Request, spread

SEED = 2613
BATCH = 10_000
WARSAW = ZoneInfo("Europe/Warsaw")
P95_MAX_MS = 50.0
PASSWORD = "bench-dostawy-haslo-2026"
COORDINATOR = "bench-dost-koordynator"
ORGANISER = "bench-dost-organizator"
DIRECTOR = "bench-dost-dyrektor"
ORGANISER_LANDING = "/delivery/sessions"

PEOPLE = 5_000
CLUB_MEMBERS = 30
GROUP_ITEMS = 500  # the club's 30 among them
ENTRIES_PER_ITEM = 112  # 4,500 individual items x 112 = 504,000 entries
SESSIONS = 20_000
INDIVIDUAL_SERVICES = 40
GROUP_SERVICES = 40  # the club among them
SLOTS = (clock_time(9), clock_time(11), clock_time(13), clock_time(15), clock_time(17))

SCENARIOS = (
    ("healthz", "/healthz (the floor)"),
    ("plan_page", "plan page /plans/<id>"),
    ("monitoring", "monitoring card /cases/plans/<id>/monitoring"),
    ("attendance", "attendance screen, 30-person club"),
    ("usage", "usage summary, group services (current year)"),
    ("usage_individual", "usage summary, individual services (current year)"),
)
TARGETS = (("plan_page", "plan page p95"), ("monitoring", "monitoring card (delivered vs planned) p95"),
           ("attendance", "attendance screen of a 30-person club p95"),
           ("usage", "a group service's usage summary p95"),
           ("usage_individual", "an individual service's usage summary p95"))

FIRST = ("Anna", "Maria", "Katarzyna", "Jan", "Stanisław", "Zofia", "Krystyna", "Józef", "Tadeusz", "Halina",
         "Wiesław", "Elżbieta", "Andrzej", "Barbara", "Łucja", "Henryk")
LAST = ("Nowak", "Kowalczyk", "Wiśniewski", "Wójcik", "Zając", "Mazur", "Krawczyk", "Piątek", "Dąbrowski",
        "Śliwa", "Kaczmarek", "Żak", "Grabowski", "Lis", "Sowa", "Ćwik", "Adamczyk", "Olszewski")
CARERS = ("Ewa Opiekuńska", "Renata Domowa", "Marek Przewoźny", "Irena Pomocna", "Teresa Dobra")


@dataclass
class Delivery:
    coordinator_id: int | None = None
    organiser_id: int | None = None
    plans: list = field(default_factory=list)  # plan ids
    club_id: int | None = None  # the 30-person club's service
    club_sessions: list = field(default_factory=list)  # its held sessions' ids
    group_services: list = field(default_factory=list)
    individual_services: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)
    seconds: float = 0.0


def _pick_services(session):
    """(individual services, group services), each a list of (id, provider_id, unit): hour-based
    mostly for the individual ones, meetings for the group ones."""
    from sqlalchemy import select

    from portal.catalogue.models import Service

    rows = session.execute(select(Service.id, Service.provider_id, Service.unit)
                           .where(Service.status == "active").order_by(Service.id)).all()
    hours = [r for r in rows if r.unit == "hour"]
    others = [r for r in rows if r.unit in ("visit", "trip", "day")]
    meetings = [r for r in rows if r.unit == "meeting"]
    individual = hours[:INDIVIDUAL_SERVICES * 3 // 4] + others[:INDIVIDUAL_SERVICES // 4]
    group = meetings[:GROUP_SERVICES]
    if len(individual) < INDIVIDUAL_SERVICES // 2 or len(group) < GROUP_SERVICES // 2:
        raise RuntimeError(f"too few services in the catalogue: {len(individual)} individual, {len(group)} group")
    return individual, group


def generate_delivery(database_url, *, seed=SEED, log=print):
    """Add the people, their plans and a year of deliveries to a database with the catalogue."""
    from sqlalchemy import create_engine, insert, select, update
    from sqlalchemy.orm import Session

    import portal.models  # noqa: F401  (every model registered)
    from config import normalise_database_url
    from portal.assessment.models import Assessment
    from portal.auth.models import Role, User
    from portal.auth.passwords import hash_password
    from portal.catalogue.models import Service
    from portal.catalogue.search import fold
    from portal.delivery.models import Attendance, DeliveryEntry, GroupSession
    from portal.desk.models import Request as DeskRequest
    from portal.plans.models import Plan, PlanItem, PlanVersion
    from portal.residents.models import Resident

    from .generate import analyze, move_sequences

    started = time.perf_counter()
    rng = random.Random(seed)
    moment = datetime.now(timezone.utc)
    today = moment.astimezone(WARSAW).date()
    summary = Delivery()
    engine = create_engine(normalise_database_url(database_url))
    tables = {name: model.__table__ for name, model in (
        ("resident", Resident), ("request", DeskRequest), ("assessment", Assessment), ("plan", Plan),
        ("plan_version", PlanVersion), ("plan_item", PlanItem), ("delivery_entry", DeliveryEntry),
        ("group_session", GroupSession), ("attendance", Attendance))}
    try:
        with Session(engine) as session:
            individual, group = _pick_services(session)
            summary.individual_services = [s.id for s in individual]
            summary.group_services = [s.id for s in group]
            club = group[0]
            summary.club_id = club.id
            session.execute(update(Service.__table__).where(Service.id.in_(summary.individual_services))
                            .values(delivery_mode="individual"))
            session.execute(update(Service.__table__).where(Service.id.in_(summary.group_services))
                            .values(delivery_mode="group"))
            password = hash_password(PASSWORD)
            session.execute(insert(User.__table__), [
                {"username": username, "full_name": name, "email": f"{username}@cus.example", "role": role,
                 "password_hash": password, "active": True, "created_at": moment, "last_login_at": None}
                for username, name, role in ((COORDINATOR, "Krystyna Koordynująca", Role.COORDINATOR),
                                             (ORGANISER, "Olga Organizująca", Role.SERVICES_ORGANISER),
                                             (DIRECTOR, "Dariusz Dyrektorski", Role.DIRECTOR))])
            users = dict(session.execute(select(User.username, User.id)
                                         .where(User.username.in_((COORDINATOR, ORGANISER, DIRECTOR)))).all())
            coordinator_id = summary.coordinator_id = users[COORDINATOR]
            summary.organiser_id = organiser_id = users[ORGANISER]
            director_id = users[DIRECTOR]

            ids = {name: next_id(session, table) for name, table in tables.items()}
            counts = dict.fromkeys(tables, 0)
            pending = {name: [] for name in tables}

            def add(name, row):
                row["id"] = ids[name]
                ids[name] += 1
                pending[name].append(row)
                counts[name] += 1
                if len(pending[name]) >= BATCH:
                    flush(name)
                return row["id"]

            def flush(name):
                if name == "attendance":
                    flush("group_session")  # the sessions it points at first
                if pending[name]:
                    session.execute(insert(tables[name]), pending[name])
                    pending[name] = []

            # Who receives what: the club's 30, then the other group items, then the individual ones.
            kinds = (["club"] * CLUB_MEMBERS + ["group"] * (GROUP_ITEMS - CLUB_MEMBERS)
                     + ["individual"] * (PEOPLE - GROUP_ITEMS))
            members = {s.id: [] for s in group}  # service -> [(resident, first day, last day)]
            individual_items = []  # (resident, service, provider, unit, first, last)
            for index, kind in enumerate(kinds):
                sex_f = rng.random() < 0.55
                first = rng.choice(FIRST)
                last = rng.choice(LAST)
                resident_id = add("resident", {
                    "first_name": first, "last_name": last, "search_first": fold(first),
                    "search_last": fold(last), "pesel": None, "no_pesel_reason": "dane testowe (benchmark)",
                    "birth_date": date(1940 + index % 50, 1 + index % 12, 1 + index % 28), "sex": "F" if sex_f else "M",
                    "address_1": f"Testowa {1 + index % 120}", "postal_code": "21-400", "city": "Ryki",
                    "village_id": None, "phone": None, "email": None, "preferred_contact": "phone",
                    "representative_kind": None, "representative_name": None, "representative_phone": None,
                    "representative_email": None, "representative_address": None, "informed_at": None,
                    "informed_by_id": None, "notes": None, "merged_into_id": None, "created_at": moment,
                    "updated_at": moment, "created_by_id": coordinator_id, "updated_by_id": coordinator_id,
                    "version": 1})
                valid_from = today - timedelta(days=365 if kind == "club" else rng.randint(330, 365))
                valid_until = add_months(valid_from, 12) - timedelta(days=1)
                if kind == "club":
                    valid_until = today + timedelta(days=180)
                received = at_local(valid_from - timedelta(days=25), 9)
                request_id = add("request", {
                    "received_at": received, "channel": "in_person", "applicant": "self", "kind": "application",
                    "status": "handed_to_plan", "urgency": "normal", "resident_id": resident_id,
                    "coordinator_id": coordinator_id, "question": None, "answer": None, "routed_to": None,
                    "routed_note": None, "needs_description": "Pomoc w domu i zajęcia dla seniorów.",
                    "contact_name": None, "contact_phone": None, "contact_email": None, "message": None,
                    "closed_at": received + timedelta(days=20), "created_by_id": None, "updated_at": received,
                    "version": 1})
                assessed = valid_from - timedelta(days=15)
                assessment_id = add("assessment", {
                    "request_id": request_id, "resident_id": resident_id, "coordinator_id": coordinator_id,
                    "status": "completed", "assessed_on": assessed, "place": "home",
                    "completed_at": at_local(assessed, 12), "updated_at": at_local(assessed, 12),
                    "created_at": at_local(assessed, 9), "version": 1, "problems": "Samotność.",
                    "needs": "Zajęcia w klubie, pomoc w domu.", "conclusions": "Plan usług."})
                plan_id = add("plan", {
                    "resident_id": resident_id, "request_id": request_id, "assessment_id": assessment_id,
                    "coordinator_id": coordinator_id, "number_year": valid_from.year, "number_seq": ids["plan"],
                    "status": "active", "first_submitted_on": valid_from - timedelta(days=3),
                    "overdue_reason": None, "cancelled_at": None, "cancel_reason": None, "closed_on": None,
                    "closed_at": None, "created_at": at_local(valid_from - timedelta(days=5), 10),
                    "created_by_id": coordinator_id, "updated_at": at_local(valid_from, 12), "version": 1})
                summary.plans.append(plan_id)
                version_id = add("plan_version", {
                    "plan_id": plan_id, "number": 0, "status": "signed", "drawn_up_on": valid_from - timedelta(days=5),
                    "valid_from": valid_from, "valid_until": valid_until,
                    "expected_effects": "Wyjście z domu dwa razy w tygodniu.", "check_frequency": "quarterly",
                    "update_reason": None, "submitted_at": at_local(valid_from - timedelta(days=3), 11),
                    "approved_at": at_local(valid_from - timedelta(days=1), 12), "approved_by_id": director_id,
                    "delegation_id": None, "signed_at": at_local(valid_from, 13), "superseded_at": None,
                    "guardian_kind": None, "guardian_name": None, "guardian_contact": None, "snapshot": None,
                    "content_hash": None, "pdf": None, "pdf_sha256": None,
                    "created_at": at_local(valid_from - timedelta(days=5), 10), "created_by_id": coordinator_id})
                if kind == "individual":
                    service = individual[0] if rng.random() < 0.1 else rng.choice(individual)
                    quantity = rng.randint(150, 400) if service.unit == "hour" else rng.randint(80, 150)
                else:
                    service = club if kind == "club" else rng.choice(group[1:])
                    quantity = rng.randint(40, 120)
                add("plan_item", {
                    "plan_version_id": version_id, "position": 0, "service_id": service.id,
                    "provider_id": service.provider_id, "place": "w domu" if kind == "individual" else "Świetlica",
                    "schedule": "od poniedziałku do piątku", "period_from": valid_from, "period_to": valid_until,
                    "scope": "według potrzeb", "quantity": quantity, "unit": service.unit,
                    "supports_volunteers": False, "supports_self_help": False, "supports_neighbours": False,
                    "supporting_note": None})
                if kind == "individual":
                    individual_items.append((resident_id, service, valid_from))
                else:
                    members[service.id].append((resident_id, valid_from, valid_until))
            for name in ("resident", "request", "assessment", "plan", "plan_version", "plan_item"):
                flush(name)
            log(f"{PEOPLE:,} residents with a request, an assessment, an active plan and its item "
                f"in {time.perf_counter() - started:.1f} s")

            # A year of individual deliveries: about 112 days of each item's past, 1–4 units a day.
            for resident_id, service, valid_from in individual_items:
                span = (today - valid_from).days
                days = sorted(rng.sample(range(span + 1), min(ENTRIES_PER_ITEM, span + 1)))
                carer = rng.choice(CARERS)
                for offset in days:
                    day = valid_from + timedelta(days=offset)
                    add("delivery_entry", {
                        "service_id": service.id, "resident_id": resident_id, "provider_id": service.provider_id,
                        "delivered_on": day, "quantity": rng.choice((1, 2, 2, 3, 4)) if service.unit == "hour" else 1,
                        "unit": service.unit, "delivered_by": carer, "note": None,
                        "created_at": at_local(day, 18), "created_by_id": organiser_id})
            flush("delivery_entry")
            log(f"{counts['delivery_entry']:,} delivery entries in {time.perf_counter() - started:.1f} s")

            # 20,000 group sessions: the club every weekday of the past year (and the next month,
            # planned), the other group services on random slots of the same span.
            first_day, last_day = today - timedelta(days=364), today + timedelta(days=30)
            days_span = (last_day - first_day).days + 1
            club_slots = [(first_day + timedelta(days=d), SLOTS[1]) for d in range(days_span)
                          if (first_day + timedelta(days=d)).weekday() < 5]
            others = [s for s in group[1:]]
            share = (SESSIONS - len(club_slots)) // len(others)
            plan_of = [(club, club_slots)]
            for index, service in enumerate(others):
                wanted = share + (1 if index < (SESSIONS - len(club_slots)) % len(others) else 0)
                picks = rng.sample(range(days_span * len(SLOTS)), wanted)
                plan_of.append((service, [(first_day + timedelta(days=p // len(SLOTS)), SLOTS[p % len(SLOTS)])
                                          for p in sorted(picks)]))
            for service, slots in plan_of:
                people = members[service.id]
                for day, starts in slots:
                    if day > today:
                        status = "planned"
                    else:
                        status = "cancelled" if rng.random() < 0.05 else "held"
                    session_id = add("group_session", {
                        "service_id": service.id, "provider_id": service.provider_id, "held_on": day,
                        "starts": starts, "ends": clock_time(starts.hour + 2), "place": "Świetlica wiejska",
                        "leader": rng.choice(CARERS), "topic": "Zajęcia według programu", "status": status,
                        "cancel_reason": "Choroba prowadzącej." if status == "cancelled" else None,
                        "other_participants": rng.randint(0, 6) if status == "held" else 0, "scan_file": None,
                        "scan_type": None, "scan_sha256": None, "created_at": at_local(min(day, today), 8),
                        "created_by_id": organiser_id, "updated_at": at_local(min(day, today), 16),
                        "updated_by_id": organiser_id, "version": 1})
                    if service.id == club.id and status == "held":
                        summary.club_sessions.append(session_id)
                    if status != "held":
                        continue
                    for resident_id, since, until in people:
                        if since <= day <= until and rng.random() < 0.85:
                            add("attendance", {"session_id": session_id, "resident_id": resident_id,
                                               "recorded_by_id": organiser_id})
            flush("group_session")
            flush("attendance")
            log(f"{counts['group_session']:,} group sessions, {counts['attendance']:,} attendances "
                f"in {time.perf_counter() - started:.1f} s")
            move_sequences(session, tables)
            session.commit()
            analyze(session, ("user_account", "service"))
            summary.rows = counts
        vacuum_analyze(engine, tables)
    finally:
        engine.dispose()
    summary.seconds = time.perf_counter() - started
    return summary


def vacuum_analyze(engine, names):
    """PostgreSQL: VACUUM ANALYZE the tables of the bulk import. Autovacuum
    does so after such an import in production (PostgreSQL 13+ vacuums
    after inserts too); without the visibility map an index-only scan looks
    dear, and a usage summary's attendance join read the whole attendance
    table (35 ms) instead of its unique index (2 ms)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in names:
            conn.exec_driver_sql(f"VACUUM ANALYZE {name}")


# --- the run -------------------------------------------------------------------------------------------

def plan_for(work):
    return {
        "healthz": [Request("/healthz", anonymous=True)],
        "plan_page": [Request(f"/plans/{pid}") for pid in spread(work.plans, 500)],
        "monitoring": [Request(f"/cases/plans/{pid}/monitoring") for pid in spread(work.plans[::-1], 500)],
        "attendance": [Request(f"/delivery/sessions/{sid}") for sid in spread(work.club_sessions, 200)],
        "usage": [Request(f"/delivery/services/{sid}/usage") for sid in work.group_services],
        "usage_individual": [Request(f"/delivery/services/{sid}/usage") for sid in work.individual_services],
    }


def evaluate(stats):
    floor = stats["healthz"].p95_ms
    targets = []
    for key, label in TARGETS:
        p95 = stats[key].p95_ms
        targets.append({
            "key": key, "target": f"{label} < {P95_MAX_MS:.0f} ms",
            "value": f"{p95:.2f} ms (floor /healthz p95 {floor:.2f} ms, {p95 / floor if floor else float('nan'):.1f}x; "
                     f"{p95 - floor:+.2f} ms over it)",
            "met": p95 < P95_MAX_MS and stats[key].errors == 0, "errors": stats[key].errors})
    return targets


def _inspect(port, coordinator, organiser, plan):
    """What the pages show: the club's attendance list length, sizes."""
    import re

    status, page = load.fetch(port, plan["attendance"][0], session=organiser)
    listed = len(set(re.findall(rb'name="present"[^>]*value="(\d+)"', page)))
    shown = {"attendance_status": status, "attendance_people": listed, "attendance_bytes": len(page)}
    for key, session in (("plan_page", coordinator), ("monitoring", coordinator), ("usage", organiser)):
        status, page = load.fetch(port, plan[key][0], session=session)
        shown[f"{key}_status"], shown[f"{key}_bytes"] = status, len(page)
    return shown


def run_phase(name, database_url, args, log):
    """Generate the deliveries, serve, log in, measure, report."""
    from . import people

    figures = {}
    log(f"[{name}] delivery: generating {PEOPLE:,} active plan items, a year of deliveries and "
        f"{SESSIONS:,} group sessions...")
    work = generate_delivery(database_url, log=lambda m: log(f"[{name}]   {m}"))
    figures.update(generate_s=round(work.seconds, 2), rows=work.rows)
    log(f"[{name}] delivery generated in {work.seconds:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in work.rows.items()))
    requests = getattr(args, "delivery_requests", None) or args.requests
    plan = plan_for(work)
    figures["load_average_before"] = server.load_average()
    backends = (server.PostgresBackends(database_url.rsplit("/", 1)[-1]) if database_url.startswith("postgres")
                else contextlib.nullcontext())
    with server.Gunicorn(database_url, OUT_DIR / f"gunicorn-{name}-delivery.log") as gunicorn, backends as pg:
        gunicorn.wait_healthy()
        coordinators = [people.login(gunicorn.port, COORDINATOR, PASSWORD) for _ in range(args.threads)]
        organisers = [people.login(gunicorn.port, ORGANISER, PASSWORD, landing=ORGANISER_LANDING)
                      for _ in range(args.threads)]
        sessions_of = {"plan_page": coordinators, "monitoring": coordinators, "attendance": organisers,
                       "usage": organisers, "usage_individual": organisers}
        for key, sessions in sessions_of.items():
            load.warm_up(gunicorn.port, plan[key][:6] * 2, sessions=sessions, concurrency=4)
        figures["shown"] = _inspect(gunicorn.port, coordinators[0], organisers[0], plan)
        log(f"[{name}] gunicorn up on 127.0.0.1:{gunicorn.port}; coordinator and organiser logged in; "
            f"{figures['shown']}")
        stats = {}
        for key, label in SCENARIOS:
            stats[key] = load.run(gunicorn.port, key, plan[key], total=requests, threads=args.threads,
                                  server_cpu=gunicorn.cpu_seconds, max_seconds=args.max_seconds,
                                  renew_every=args.renew_every, sessions=sessions_of.get(key),
                                  db_cpu=pg.cpu_seconds if pg is not None else None)
            s = stats[key]
            log(f"[{name}] {label}: p95 {s.p95_ms:.2f} ms, {s.throughput_rps:.0f} req/s, errors {s.errors}"
                + (f" (stopped by the {args.max_seconds:.0f} s cap after {s.requests} requests)" if s.capped else ""))
        if gunicorn.process.poll() is not None:
            raise RuntimeError(f"gunicorn died during the run:\n{gunicorn.log_tail()}")
    figures["load_average_after"] = server.load_average()
    targets = evaluate(stats)
    missed = {t["key"] for t in targets if not t["met"]}
    figures.update(scenarios={key: stats[key].as_dict() for key, _ in SCENARIOS}, targets=targets)
    rows = work.rows
    title = (f"{name} — delivery register: {rows.get('plan_item', 0):,} active plan items, "
             f"{rows.get('delivery_entry', 0):,} delivery entries, {rows.get('group_session', 0):,} group sessions, "
             f"{rows.get('attendance', 0):,} attendances; gunicorn 2 workers x 4 threads; {args.threads} client "
             f"threads, {requests:,} requests per scenario")
    note = (f"load average (1/5/15 min) before {figures['load_average_before']}, after {figures['load_average_after']}"
            f"\nclub's attendance screen lists {figures['shown']['attendance_people']} people; generated in "
            f"{work.seconds:.1f} s")
    load.print_table(title, SCENARIOS, stats, note=note, db_column=True)
    load.print_targets(targets)
    if missed and getattr(args, "profile", True):
        from .profile import in_subprocess

        chosen = []
        if missed & {"plan_page", "monitoring"}:
            chosen += ["--plan", str(work.plans[len(work.plans) // 2])]
        if "attendance" in missed:
            chosen += ["--session", str(work.club_sessions[len(work.club_sessions) // 2])]
        if "usage" in missed:
            chosen += ["--service", str(work.group_services[1])]
        if "usage_individual" in missed:
            chosen += ["--service", str(work.individual_services[0])]
        figures["profile"] = in_subprocess(f"A delivery page missed its target: in-process profile ({name}):",
                                           ["profile-delivery", "--database-url", database_url, *chosen])
    return figures


def main(database_url, args):
    """python -m bench delivery: generate into a migrated database with the catalogue, then measure."""
    return run_phase("delivery", database_url, args, lambda message: print(message, flush=True))


def profile_targets(database_url, plans, group_sessions, services):
    """The in-process profile of the chosen pages (bench/profile.py)."""
    from .profile import profile_delivery

    coordinator = [(label, path) for pid in plans for label, path in (
        ("plan_page", f"/plans/{pid}"), ("monitoring", f"/cases/plans/{pid}/monitoring"))]
    organiser = ([("attendance", f"/delivery/sessions/{sid}") for sid in group_sessions]
                 + [("usage", f"/delivery/services/{sid}/usage") for sid in services])
    profile_delivery(database_url, [(COORDINATOR, PASSWORD, "/cases/", coordinator),
                                    (ORGANISER, PASSWORD, ORGANISER_LANDING, organiser)])


def standalone(args):
    """python -m bench delivery --database-url URL: migrate the database, generate the catalogue
    when it has none, then the delivery register, and measure; the figures go to
    bench/out/delivery.json."""
    import json

    from sqlalchemy import create_engine, func, select

    from config import normalise_database_url

    log = lambda message: print(message, flush=True)  # noqa: E731
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    url = args.database_url
    figures = {"database": url.split("@")[-1]}
    log("migrating (flask db upgrade)...")
    figures["migrate_s"] = round(server.migrate(url), 2)
    from portal.auth.models import User
    from portal.catalogue.models import Service

    from .generate import generate

    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as conn:
            services = conn.scalar(select(func.count()).select_from(Service.__table__))
            taken = conn.scalar(select(func.count()).select_from(User.__table__).where(User.username == COORDINATOR))
    finally:
        engine.dispose()
    if taken:
        raise SystemExit("this database already holds the delivery benchmark's data: use a fresh one")
    if not services:
        log(f"generating the catalogue ({args.services:,} services, {args.providers:,} providers)...")
        catalogue = generate(url, services=args.services, providers=args.providers, log=log)
        figures["catalogue_generate_s"] = round(catalogue.seconds, 2)
    figures["delivery"] = main(url, args)
    out = OUT_DIR / "delivery.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str) + "\n")
    log(f"Figures written to {out}")
    return 0 if all(t["met"] for t in figures["delivery"]["targets"]) else 1
