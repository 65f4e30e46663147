"""The front-desk benchmark: person search by name prefix and by PESEL and
the desk board, with 100,000 residents and 300,000 requests, measured as a
logged-in front-desk user next to the /healthz floor.

Each client thread logs in once through the real form (GET /login for the
CSRF token, POST /login, keep the `cus_session` cookie) and keeps its session
across its keep-alive connections and every scenario; POSTs carry the
session's CSRF token as the X-CSRFToken header and the csrf_token field.
Target: each p95 < 50 ms.
"""
import contextlib
import re
import time
from urllib.parse import urlencode

from . import OUT_DIR, load, server
from .load import Request, Session
from .profile import in_subprocess

P95_MAX_MS = 50.0

SCENARIOS = (
    ("healthz", "/healthz (the floor)"),
    ("name_full", "name prefix search, full page"),
    ("name_htmx", "name prefix search, htmx fragment"),
    ("pesel", "PESEL lookup (303 to the card)"),
    ("board_full", "desk board, full page /desk/"),
    ("board_poll", "desk board poll, unchanged (204)"),
)
TARGETS = (
    ("name_full", "person search by name prefix p95 (full page)"),
    ("name_htmx", "person search by name prefix p95 (htmx, as you type)"),
    ("pesel", "person lookup by PESEL p95"),
    ("board_full", "desk board p95 (full page)"),
    ("board_poll", "desk board poll p95 (204 when unchanged)"),
)

# What the desk types: surname prefixes, with or without diacritics, and
# "surname first-name" prefixes in either order.
NAME_QUERIES = (
    "kowal", "nowak jan", "wiśn", "zielin an", "wójcik", "kamińsk", "lewand", "dabrow", "szymańska m",
    "woźniak", "kozłow", "jankowska", "mazur", "kwiatk", "krawczyk p", "kaczmarek", "piotrowski", "grab",
    "pawłowska", "michalski", "anna nowak", "wiecz", "jabłońsk", "maj", "olszewska kr", "stępień",
    "malinow", "górsk", "rutkowski", "sikora", "baran", "łukasik", "żak", "ślusarczyk", "ćwik",
    "zawadzk", "sadowsk", "wilk", "kubiak", "duda",
)

HTMX_SEARCH = {"HX-Request": "true", "HX-Target": "resident-results", "HX-Trigger": "q",
               "HX-Current-URL": "http://127.0.0.1/residents/"}
HTMX_POLL = {"HX-Request": "true", "HX-Target": "board", "HX-Trigger": "board",
             "HX-Current-URL": "http://127.0.0.1/desk/"}

_CSRF = (re.compile(rb'name="csrf_token"[^>]*?value="([^"]+)"'), re.compile(rb'value="([^"]+)"[^>]*?name="csrf_token"'))
_FOUND = re.compile(rb'data-announce="[^"]*?(\d+)')
_SINCE = re.compile(rb"since=(\d+)")
# The heading: "<period> · 1234 zgłoszeń" (the last number after a "·" before its "stan na" span).
_BOARD_TOTAL = re.compile(rb'id="board-heading">[^<]*' + "·".encode() + rb"\s*(\d+)")
_ROWS = re.compile(rb"<tr>\s*<td><a href=\"/desk/requests/")


def csrf_token(page):
    for pattern in _CSRF:
        match = pattern.search(page)
        if match:
            return match.group(1).decode()
    return None


def login(port, username, password, landing="/residents/"):
    """A logged-in Session, through the real login form; `landing` is a page
    the user may open, read for the new session's CSRF token."""
    session = Session()
    client = load.Client(port, session=session)
    try:
        status, page, _ = client.get(Request("/login"))
        session.csrf_token = csrf_token(page)
        if status != 200 or not session.csrf_token:
            raise RuntimeError(f"GET /login: HTTP {status}, csrf_token {'found' if session.csrf_token else 'missing'}")
        status, page, _ = client.get(Request("/login", method="POST", expect=303,
                                             body=urlencode({"username": username, "password": password}).encode()))
        if status != 303 or "cus_session" not in session.cookies:
            raise RuntimeError(f"POST /login as {username}: HTTP {status} (expected 303 and a cus_session cookie)")
        # The login starts a fresh session (session.clear()): a page of the new
        # session gives the CSRF token its forms carry from now on.
        status, page, _ = client.get(Request(landing))
        session.csrf_token = csrf_token(page)
        if status != 200 or not session.csrf_token:
            raise RuntimeError(f"GET {landing} after login: HTTP {status}")
        return session
    finally:
        client.close()


def plan_for(people, board_version):
    names = [urlencode({"q": q}).encode() for q in NAME_QUERIES]
    return {
        "healthz": [Request("/healthz", anonymous=True)],  # the same floor as the catalogue's
        "name_full": [Request("/residents/", method="POST", body=b) for b in names],
        "name_htmx": [Request("/residents/", HTMX_SEARCH, method="POST", body=b) for b in names],
        "pesel": [Request("/residents/pesel", method="POST", body=urlencode({"pesel": p}).encode(), expect=303)
                  for p in people.pesels],
        "board_full": [Request("/desk/")],
        "board_poll": [Request(f"/desk/board?since={board_version}", HTMX_POLL, expect=204)],
    }


def _check_routes(port, session):
    """The residents and desk pages answer (another branch may still be adding them)."""
    missing = []
    for path in ("/residents/", "/desk/"):
        status, _ = load.fetch(port, Request(path), session=session)
        if status != 200:
            missing.append(f"{path}: HTTP {status}")
    return missing


def warm_up(port, plan, sessions, rounds=2, concurrency=6):
    """Every gunicorn worker compiles the templates and opens its database
    connections before the measurements."""
    jobs = []
    for _ in range(rounds):
        for requests in plan.values():
            jobs.extend(requests[:12])
    load.warm_up(port, jobs, sessions=sessions, concurrency=concurrency)


def inspect(port, plan, session):
    """What the pages hold: people found per search, sizes, the board."""
    searches = []
    for full, fragment, query in zip(plan["name_full"], plan["name_htmx"], NAME_QUERIES):
        status_full, page = load.fetch(port, full, session=session)
        status_frag, part = load.fetch(port, fragment, session=session)
        match = _FOUND.search(part)
        searches.append({"query": query, "found": int(match.group(1)) if match else None,
                         "full_bytes": len(page), "fragment_bytes": len(part), "status": (status_full, status_frag)})
    status, page = load.fetch(port, plan["board_full"][0], session=session)
    total = _BOARD_TOTAL.search(page)
    board = {"status": status, "bytes": len(page), "total": int(total.group(1)) if total else None,
             "rows_shown": len(_ROWS.findall(page)), "paged": b"rel=\"next\"" in page}
    return searches, board


def evaluate(stats):
    floor = stats["healthz"].p95_ms
    targets = []
    for key, label in TARGETS:
        p95 = stats[key].p95_ms
        targets.append({
            "key": key,
            "target": f"{label} < {P95_MAX_MS:.0f} ms",
            "value": f"{p95:.2f} ms (floor /healthz p95 {floor:.2f} ms, {p95 / floor if floor else float('nan'):.1f}x; "
                     f"{p95 - floor:+.2f} ms over it)",
            "met": p95 < P95_MAX_MS and stats[key].errors == 0,
            "errors": stats[key].errors,
        })
    return targets


def print_table(title, stats, targets, searches, board, note=""):
    load.print_table(title, SCENARIOS, stats, note=note, cap_option="--people-max-seconds", db_column=True)
    print()
    print("Name searches (people found, max 20 shown; full page / fragment bytes):")
    line = []
    for row in searches:
        line.append(f"{row['query']!r} {row['found'] if row['found'] is not None else '?'} "
                    f"({row['full_bytes']:,}/{row['fragment_bytes']:,})")
    for i in range(0, len(line), 4):
        print("  " + "; ".join(line[i:i + 4]))
    print(f"Board: {board['total']} requests (open ones, and today's), {board['rows_shown']} rows shown"
          f"{' on the first of several pages' if board['paged'] else ''}, {board['bytes']:,} B")
    load.print_targets(targets)


def run_phase(name, database_url, args, log):
    """Generate the register into the backend's database, serve, log in, measure, report."""
    from .generate_people import generate_people  # imports the portal

    figures = {}
    log(f"[{name}] generating {args.residents:,} residents, {args.desk_requests:,} requests...")
    people = generate_people(database_url, residents=args.residents, requests=args.desk_requests,
                             open_requests=args.open_requests, log=lambda m: log(f"[{name}]   {m.strip()}"))
    figures["generate_s"] = round(people.seconds, 2)
    figures["rows"] = people.rows
    figures["open_requests"] = people.open_requests
    figures["requests_today"] = people.today_requests
    log(f"[{name}] register generated in {people.seconds:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in people.rows.items())
        + f"; open {people.open_requests:,}, received today {people.today_requests:,}")

    figures["load_average_before"] = server.load_average()
    backends = server.PostgresBackends() if database_url.startswith("postgres") else contextlib.nullcontext()
    with server.Gunicorn(database_url, OUT_DIR / f"gunicorn-{name}-people.log") as gunicorn, backends as pg:
        gunicorn.wait_healthy()
        started = time.perf_counter()
        sessions = [login(gunicorn.port, people.desk_username, people.desk_password) for _ in range(args.threads)]
        figures["login_s"] = round((time.perf_counter() - started) / len(sessions), 3)
        missing = _check_routes(gunicorn.port, sessions[0])
        if missing:
            raise RuntimeError("the residents or desk pages do not answer: " + "; ".join(missing))
        status, page = load.fetch(gunicorn.port, Request("/desk/"), session=sessions[0])
        since = _SINCE.search(page)
        board_version = int(since.group(1)) if since else people.desk_version
        plan = plan_for(people, board_version)
        started = time.perf_counter()
        warm_up(gunicorn.port, plan, sessions)
        figures["warmup_s"] = round(time.perf_counter() - started, 2)
        log(f"[{name}] gunicorn up on 127.0.0.1:{gunicorn.port}; {len(sessions)} front-desk sessions "
            f"({figures['login_s']} s per login); board version {board_version}; warm-up {figures['warmup_s']} s")
        searches, board = inspect(gunicorn.port, plan, sessions[0])
        stats = {}
        for key, label in SCENARIOS:
            stats[key] = load.run(gunicorn.port, key, plan[key], total=args.people_requests, threads=args.threads,
                                  server_cpu=gunicorn.cpu_seconds, max_seconds=args.people_max_seconds,
                                  renew_every=args.renew_every, sessions=sessions,
                                  db_cpu=pg.cpu_seconds if pg is not None else None)
            s = stats[key]
            log(f"[{name}] {label}: p95 {s.p95_ms:.2f} ms, {s.throughput_rps:.0f} req/s, errors {s.errors}"
                + (f" (stopped by the {args.people_max_seconds:.0f} s cap after {s.requests} requests)"
                   if s.capped else ""))
        if gunicorn.process.poll() is not None:
            raise RuntimeError(f"gunicorn died during the run:\n{gunicorn.log_tail()}")

    figures["load_average_after"] = server.load_average()
    targets = evaluate(stats)
    figures.update(scenarios={key: stats[key].as_dict() for key, _ in SCENARIOS}, targets=targets,
                   searches=searches, board=board, board_version=board_version)
    title = (f"{name} — front desk: {args.residents:,} residents, {args.desk_requests:,} requests "
             f"({people.open_requests:,} open); gunicorn 2 workers x 4 threads; {args.threads} client threads "
             f"logged in as {people.desk_username}, {args.people_requests:,} requests per scenario")
    note = (f"load average (1/5/15 min) before {figures['load_average_before']}, after "
            f"{figures['load_average_after']}\nsrv CPU = gunicorn user+system CPU time per request; "
            f"CPU split = its share per process (two workers, then the arbiter); db CPU = PostgreSQL: the portal's "
            f"backends and the server processes that exited meanwhile, e.g. parallel workers (SQLite works inside "
            f"gunicorn: in srv)")
    print_table(title, stats, targets, searches, board, note)

    missed = [t["key"] for t in targets if not t["met"]]
    if missed and args.profile:
        scenarios = [a for key in missed for a in ("--scenario", key)]
        figures["profile"] = in_subprocess(f"Front-desk target missed: in-process profile ({name}):",
                                           ["profile-people", "--database-url", database_url, *scenarios])
    return figures
