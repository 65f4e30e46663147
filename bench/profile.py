"""Where a catalogue request spends its time, in-process (no HTTP, no gunicorn).

Run as its own process (`python -m bench profile --database-url URL --path ...`):
the configuration is read from the environment when `config` is imported,
so the environment is set before anything from the portal is imported.
"""
import cProfile
import gc
import io
import os
import pstats
import statistics
import subprocess
import sys
import time

from . import ROOT
from .server import base_env


def _env(database_url):
    # The same production settings as the served benchmark, in this process.
    os.environ.update(base_env(database_url))


def in_subprocess(heading, arguments):
    """`python -m bench <arguments>` (a profile) in a process of its own,
    its output printed under `heading` and returned."""
    print()
    print(heading)
    sys.stdout.flush()
    result = subprocess.run([sys.executable, "-m", "bench", *arguments], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    print(result.stdout.rstrip())
    if result.returncode != 0:
        print(f"  (profile failed: {result.stderr.strip().splitlines()[-3:]})")
    return result.stdout


def _median_ms(fn, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def profile(database_url, paths, *, htmx=False, repeat=5, top=18):
    _env(database_url)
    from portal import create_app
    from portal.catalogue import views
    from portal.catalogue.search import clean_query, get_index, search
    from portal.extensions import db
    from portal.timeutil import now

    app = create_app()
    client = app.test_client()
    headers = {"HX-Request": "true", "HX-Target": "results"} if htmx else {}

    started = time.perf_counter()
    with app.app_context():
        get_index(db.session)
    build_ms = (time.perf_counter() - started) * 1000
    print(f"  index build (cold, in-process): {build_ms:.0f} ms")

    search_timer = _search_timer(app, db, views, clean_query, get_index, search, now)
    print(f"  {'path':<70} {'request':>9} {'search()':>9}")
    for path in paths:
        client.get(path, headers=headers)  # warm: index and word cache
        request_ms = _median_ms(lambda: client.get(path, headers=headers), repeat)
        search_ms = search_timer(path, headers, repeat)
        shown = f"{search_ms:>7.2f}ms" if search_ms is not None else f"{'n/a':>9}"
        print(f"  {path[:70]:<70} {request_ms:>7.2f}ms {shown}")

    _garbage_collection(client, paths, headers)

    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        client.get(path, headers=headers)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = max(stats.total_tt, 1e-9)
    entries = [(key, value) for key, value in stats.stats.items()]
    print(f"  cProfile: one request per path ({len(paths)} requests, {total * 1000:.0f} ms under the profiler)")
    print("  project functions by cumulative time:")
    project = [(k, v) for k, v in entries if str(ROOT) in k[0] and "/.venv/" not in k[0]]
    for key, value in sorted(project, key=lambda kv: -kv[1][3])[:top]:
        print(f"    {value[3] * 1000:8.1f} ms {value[3] / total:6.1%}  {_where(key)}")
    print("  all functions by own time:")
    for key, value in sorted(entries, key=lambda kv: -kv[1][2])[:top]:
        print(f"    {value[2] * 1000:8.1f} ms {value[2] / total:6.1%}  {_where(key)}  ({value[1]} calls)")


def _search_timer(app, db, views, clean_query, get_index, search, now):
    """Times portal.catalogue.search.search() alone for a path's query and facets.
    Reaches into the view's helpers, which change; returns None rather than fail."""
    def lookups():
        index = get_index(db.session)
        if getattr(index, "lookups", None):
            return index.lookups
        return views._lookups()  # before the facet choices moved into the index

    def timer(path, headers, repeat):
        try:
            with app.test_request_context(path, headers=headers):
                from flask import request

                filters = views.read_filters(request.args, lookups())
                query = clean_query(request.args.get("q"))
                return _median_ms(lambda: search(db.session, query, filters, moment=now(), page=1,
                                                 per_page=getattr(views, "PER_PAGE", 20)), repeat)
        except Exception:  # noqa: BLE001 - an informative extra, never a failure
            return None

    return timer


def _garbage_collection(client, paths, headers, rounds=4):
    """What the cyclic garbage collector costs per request once the index
    (a large, long-lived object graph) is in memory."""
    spent = {0: [0, 0.0, 0.0], 1: [0, 0.0, 0.0], 2: [0, 0.0, 0.0]}  # count, total, longest
    started = [0.0]

    def callback(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pause = time.perf_counter() - started[0]
            entry = spent[info["generation"]]
            entry[0] += 1
            entry[1] += pause
            entry[2] = max(entry[2], pause)

    gc.callbacks.append(callback)
    try:
        count = 0
        cpu = time.process_time()
        for _ in range(rounds):
            for path in paths:
                client.get(path, headers=headers)
                count += 1
        cpu = time.process_time() - cpu
    finally:
        gc.callbacks.remove(callback)
    total = sum(entry[1] for entry in spent.values())
    print(f"  garbage collection over {count} requests ({cpu * 1000 / count:.1f} ms CPU per request; "
          f"{len(gc.get_objects()):,} tracked objects): {total * 1000 / count:.2f} ms per request; "
          + ", ".join(f"gen{g}: {n} runs, longest {longest * 1000:.1f} ms" for g, (n, _t, longest) in spent.items()))


def _where(key):
    filename, line, function = key
    if filename.startswith(str(ROOT)):
        filename = filename[len(str(ROOT)) + 1:]
    elif "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    return f"{filename}:{line}({function})"


# --- the front desk ------------------------------------------------------------------

def profile_people(database_url, scenarios, *, repeat=5, top=14):
    """Time, SQL-time and cProfile the front-desk requests in-process, logged
    in as bench-desk through the login form (Flask's test client)."""
    _env(database_url)
    from sqlalchemy import event, text

    from portal import create_app
    from portal.core import versions
    from portal.extensions import db

    from .generate_people import DESK_PASSWORD, DESK_USERNAME
    from .people import NAME_QUERIES, csrf_token

    app = create_app()
    client = app.test_client()
    token = csrf_token(client.get("/login").data)
    response = client.post("/login", data={"username": DESK_USERNAME, "password": DESK_PASSWORD, "csrf_token": token})
    if response.status_code != 303:
        raise RuntimeError(f"login failed: HTTP {response.status_code}")
    token = csrf_token(client.get("/residents/").data)
    with app.app_context():
        pesels = [p for (p,) in db.session.execute(text(
            "SELECT pesel FROM resident WHERE pesel IS NOT NULL ORDER BY id LIMIT 40"))]
        version = versions.current(db.session, versions.DESK)
        dialect = db.engine.dialect.name

    def post(path, data, headers=None):
        return lambda: client.post(path, data=dict(data, csrf_token=token),
                                   headers=dict(headers or {}, **{"X-CSRFToken": token}))

    htmx_search = {"HX-Request": "true", "HX-Target": "resident-results"}
    requests = {
        "name_full": [(q, post("/residents/", {"q": q})) for q in NAME_QUERIES],
        "name_htmx": [(q, post("/residents/", {"q": q}, htmx_search)) for q in NAME_QUERIES],
        "pesel": [(f"pesel {p[:2]}*", post("/residents/pesel", {"pesel": p})) for p in pesels],
        "board_full": [("/desk/", lambda: client.get("/desk/"))],
        "board_poll": [(f"/desk/board?since={version}", lambda: client.get(
            f"/desk/board?since={version}", headers={"HX-Request": "true", "HX-Target": "board"}))],
    }

    statements = []
    with app.app_context():
        engine = db.engine

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("bench_started", []).append(time.perf_counter())

        def after(conn, cursor, statement, parameters, context, executemany):
            started = conn.info["bench_started"].pop()
            statements.append(((time.perf_counter() - started) * 1000, statement, parameters))

        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)

    print("  request = in-process time (median over the inputs, and the slowest input); SQL = each statement of")
    print("  one request re-run on its own with execute + fetch (SQLite does most of its work while fetching)")
    for key in scenarios:
        calls = requests[key]
        for _label, call in calls[:3]:
            call()  # warm
        medians = [_median_ms(call, repeat if len(calls) == 1 else 1) for _label, call in calls]
        label, call = calls[0]
        statements.clear()
        status = call().status_code
        captured = list(statements)
        timed = [(_rerun_ms(app, db, statement, parameters), statement, parameters)
                 for _ms, statement, parameters in captured]
        sql_ms = sum(t[0] for t in timed if t[0] is not None)
        slowest = calls[medians.index(max(medians))][0]
        print(f"  {key:<11} request median {statistics.median(medians):7.2f} ms, slowest {max(medians):7.2f} ms "
              f"({len(calls)} inputs{f', slowest {slowest!r}' if len(calls) > 1 else ''}); "
              f"{label!r}: HTTP {status}, {len(captured)} SQL statements, "
              f"{sql_ms:.2f} ms in SQL")
        for ms, statement, parameters in sorted(timed, key=lambda t: -(t[0] or 0))[:2]:
            if ms is None or ms < 1.0:
                continue
            print(f"      {ms:7.2f} ms  {' '.join(statement.split())[:260]}")
            _explain(app, db, dialect, statement, parameters)

    for key in scenarios:
        calls = requests[key]
        chosen = calls[:4]
        profiler = cProfile.Profile()
        profiler.enable()
        for _label, call in chosen:
            call()
        profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
        total = max(stats.total_tt, 1e-9)
        entries = list(stats.stats.items())
        print(f"  cProfile {key}: {len(chosen)} request(s) ({', '.join(label for label, _ in chosen)}), "
              f"{total * 1000:.0f} ms under the profiler")
        project = [(k, v) for k, v in entries if str(ROOT) in k[0] and "/.venv/" not in k[0]]
        print("    project functions by cumulative time:")
        for k, v in sorted(project, key=lambda kv: -kv[1][3])[:top]:
            print(f"      {v[3] * 1000:8.1f} ms {v[3] / total:6.1%}  {_where(k)}")
        print("    all functions by own time:")
        for k, v in sorted(entries, key=lambda kv: -kv[1][2])[:top]:
            print(f"      {v[2] * 1000:8.1f} ms {v[2] / total:6.1%}  {_where(k)}  ({v[1]} calls)")


def _rerun_ms(app, db, statement, parameters, repeat=3):
    """A captured statement on its own: execute and fetch every row (median ms), or None."""
    if not statement.lstrip().upper().startswith("SELECT"):
        return None
    try:
        with app.app_context():
            connection = db.engine.raw_connection()
            try:
                cursor = connection.cursor()
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    cursor.execute(statement, parameters)
                    cursor.fetchall()
                    times.append((time.perf_counter() - started) * 1000)
                connection.rollback()
            finally:
                connection.close()
        return statistics.median(times)
    except Exception:  # noqa: BLE001 - an informative extra, never a failure
        return None


def _explain(app, db, dialect, statement, parameters):
    """The plan of one captured statement (PostgreSQL: EXPLAIN ANALYZE, so with real row counts)."""
    prefix = "EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " if dialect == "postgresql" else "EXPLAIN QUERY PLAN "
    try:
        with app.app_context():
            connection = db.engine.raw_connection()
            try:
                cursor = connection.cursor()
                cursor.execute(prefix + statement, parameters)
                rows = cursor.fetchall()
            finally:
                connection.close()
    except Exception as error:  # noqa: BLE001 - an informative extra, never a failure
        print(f"        (no plan: {type(error).__name__})")
        return
    for row in rows[:24]:
        line = row[0] if dialect == "postgresql" else f"{'  ' * (row[1] > 0)}{row[-1]}"
        print(f"        {line}")


def profile_delivery(database_url, paths_by_user, *, repeat=5, top=14):
    """Time, SQL-time and cProfile the delivery register's pages in-process,
    logged in through the login form: paths_by_user is
    [(username, password, landing, [(label, path), ...]), ...]."""
    _env(database_url)
    from sqlalchemy import event

    from portal import create_app
    from portal.extensions import db

    from .people import csrf_token

    app = create_app()
    statements = []
    with app.app_context():
        dialect = db.engine.dialect.name

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("bench_started", []).append(time.perf_counter())

        def after(conn, cursor, statement, parameters, context, executemany):
            started = conn.info["bench_started"].pop()
            statements.append(((time.perf_counter() - started) * 1000, statement, parameters))

        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)

    print("  request = in-process median; SQL = each statement's execute time in the request (SQLite fetches")
    print("  lazily: the rest of its work shows under the Python time)")
    for username, password, landing, paths in paths_by_user:
        client = app.test_client()
        token = csrf_token(client.get("/login").data)
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        if response.status_code != 303 or client.get(landing).status_code != 200:
            raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")
        for label, path in paths:
            client.get(path)  # warm
            request_ms = _median_ms(lambda: client.get(path), repeat)
            statements.clear()
            started = time.perf_counter()
            status = client.get(path).status_code
            one_ms = (time.perf_counter() - started) * 1000
            captured = list(statements)
            sql_ms = sum(ms for ms, _s, _p in captured)
            print(f"  {label:<11} {path}: HTTP {status}, median {request_ms:.1f} ms; one request {one_ms:.1f} ms "
                  f"of which {len(captured)} SQL statements {sql_ms:.1f} ms")
            for ms, statement, parameters in sorted(captured, key=lambda t: -t[0])[:3]:
                print(f"      {ms:7.2f} ms  {' '.join(statement.split())[:300]}")
                if ms > 5:
                    _explain(app, db, dialect, statement, parameters)
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=io.StringIO())
            total = max(stats.total_tt, 1e-9)
            entries = list(stats.stats.items())
            project = [(k, v) for k, v in entries if str(ROOT) in k[0] and "/.venv/" not in k[0]]
            print(f"    cProfile, one request ({total * 1000:.0f} ms under the profiler); project functions "
                  "by cumulative time:")
            for k, v in sorted(project, key=lambda kv: -kv[1][3])[:top]:
                print(f"      {v[3] * 1000:8.1f} ms {v[3] / total:6.1%}  {_where(k)}")
            print("    all functions by own time:")
            for k, v in sorted(entries, key=lambda kv: -kv[1][2])[:8]:
                print(f"      {v[2] * 1000:8.1f} ms {v[2] / total:6.1%}  {_where(k)}  ({v[1]} calls)")
