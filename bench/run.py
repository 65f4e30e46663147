"""The benchmark run: for each backend, migrate, generate, serve, measure, report."""
import json
import os
import platform
import re
import time
from datetime import datetime, timezone
from urllib.parse import urlencode

from . import OUT_DIR, ROOT, casework, delivery, kiosk, load, people, quality, reports, server
from . import api as public_api
from . import index as search_index
from .load import HTMX_HEADERS, Request
from .profile import in_subprocess

# Targets (1 KB = 1,000 bytes, the stricter reading).
SEARCH_P95_HEALTHZ_FACTOR = 3.0
SEARCH_P95_MAX_MS = 50.0
SERVICE_P95_HEALTHZ_FACTOR = 3.0
FULL_PAGE_MAX_BYTES = 60_000
FRAGMENT_MAX_BYTES = 15_000

SCENARIOS = (
    ("healthz", "/healthz"),
    ("search_full", "search, 2 facets, full page"),
    ("search_htmx", "search, 2 facets, htmx fragment"),
    ("service_page", "/services/<slug>"),
    ("catalogue", "/services (no query, page 1)"),
)

_COUNT = re.compile(rb'data-announce="[^"]*?(\d+)')


def search_queries(villages):
    """Realistic searches, each with text and two facets (or a facet and a switch)."""
    v = villages + villages  # short lists still give four slugs
    queries = [
        {"q": "rehab", "group": "seniors", "free": "1"},
        {"q": "klub", "area": "social_assistance", "village": v[1]},
        {"q": "poradnictwo", "group": "families_in_crisis", "open": "1"},
        {"q": "rehabiltacja", "area": "health", "group": "disabled"},  # a typo
        {"q": "lozko", "group": "seniors", "village": v[2]},  # no diacritics
        {"q": "warsztaty", "group": "seniors", "area": "culture"},
        {"q": "opieka wytchnieniowa", "group": "carers", "area": "social_assistance"},
        {"q": "transport", "group": "disabled", "village": v[3]},
        {"q": "swietlica", "area": "family_support", "group": "children_youth"},
        {"q": "grupa wsparcia", "area": "health", "free": "1"},
        {"q": "psycholog", "group": "mental_health", "open": "1"},  # a synonym
        {"q": "klub seniora", "village": v[4], "free": "1"},
    ]
    return ["/services?" + urlencode(q) for q in queries]


def warm_up(port, plan, rounds=2, concurrency=8):
    """Every gunicorn worker takes some searches and builds its search index
    before the measurements."""
    jobs = []
    for _ in range(rounds):
        for key in ("search_full", "search_htmx", "catalogue", "healthz"):
            jobs.extend(plan[key])
        jobs.extend(plan["service_page"][:40])
    load.warm_up(port, jobs, concurrency=concurrency)


def inspect_searches(port, paths):
    """Result count and sizes of each search, full page and fragment."""
    rows = []
    for path in paths:
        status_full, full = load.fetch(port, Request(path))
        status_frag, fragment = load.fetch(port, Request(path, HTMX_HEADERS))
        match = _COUNT.search(fragment)
        rows.append({
            "path": path,
            "results": int(match.group(1)) if match else None,
            "full_bytes": len(full),
            "fragment_bytes": len(fragment),
            "status": (status_full, status_frag),
        })
    return rows


def evaluate(stats):
    healthz = stats["healthz"].p95_ms
    limit = min(SEARCH_P95_HEALTHZ_FACTOR * healthz, SEARCH_P95_MAX_MS)
    full_pages = max(stats["search_full"].bytes_max, stats["catalogue"].bytes_max)
    targets = []
    for key, label in (("search_full", "search p95 (full page)"), ("search_htmx", "search p95 (htmx fragment)")):
        p95 = stats[key].p95_ms
        targets.append({
            "target": f"{label} <= 3 x /healthz p95 ({SEARCH_P95_HEALTHZ_FACTOR * healthz:.2f} ms)"
                      f" and < {SEARCH_P95_MAX_MS:.0f} ms",
            "value": f"{p95:.2f} ms",
            "met": p95 <= SEARCH_P95_HEALTHZ_FACTOR * healthz and p95 < SEARCH_P95_MAX_MS,
            "limit_ms": round(limit, 2),
        })
    targets.append({
        "target": f"full catalogue page < 60 KB (largest full search page {stats['search_full'].bytes_max:,} B, "
                  f"/services {stats['catalogue'].bytes_max:,} B)",
        "value": f"{full_pages:,} B",
        "met": full_pages < FULL_PAGE_MAX_BYTES,
    })
    targets.append({
        "target": "htmx results fragment < 15 KB (largest)",
        "value": f"{stats['search_htmx'].bytes_max:,} B",
        "met": stats["search_htmx"].bytes_max < FRAGMENT_MAX_BYTES,
    })
    page = stats["service_page"].p95_ms
    targets.append({
        "target": f"service page p95 <= 3 x /healthz p95 ({SERVICE_P95_HEALTHZ_FACTOR * healthz:.2f} ms)",
        "value": f"{page:.2f} ms",
        "met": page <= SERVICE_P95_HEALTHZ_FACTOR * healthz,
        "limit_ms": round(SERVICE_P95_HEALTHZ_FACTOR * healthz, 2),
    })
    return targets


def print_table(title, stats, targets, searches, note=""):
    load.print_table(title, SCENARIOS, stats, note=note)
    print()
    print("Searches (results found, full page / fragment bytes):")
    for row in searches:
        print(f"  {row['results'] if row['results'] is not None else '?':>5}  "
              f"{row['full_bytes']:>7,} / {row['fragment_bytes']:>6,}  {row['path']}")
    load.print_targets(targets)


def run_backend(name, database_url, args, log):
    """Migrate, generate, serve and measure one backend; returns its figures."""
    figures = {"database": database_url.split("@")[-1]}
    log(f"[{name}] migrating (flask db upgrade)...")
    figures["migrate_s"] = round(server.migrate(database_url), 2)
    log(f"[{name}] generating {args.services:,} services, {args.providers:,} providers...")
    from .generate import generate  # imports the portal: after the migration has run

    catalogue = generate(database_url, services=args.services, providers=args.providers,
                         log=lambda m: log(f"[{name}] {m.strip()}"))
    figures["generate_s"] = round(catalogue.seconds, 2)
    figures["rows"] = catalogue.rows
    log(f"[{name}] generated in {catalogue.seconds:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in catalogue.rows.items()))

    phase_started = time.perf_counter()
    if args.catalogue:
        _measure_catalogue(name, database_url, args, log, catalogue, figures)
        figures["catalogue_phase_s"] = round(time.perf_counter() - phase_started, 1)
    if args.api:
        _phase(figures, "api", "public API",
               lambda: public_api.run_phase(name, database_url, args, log, catalogue.villages), name, log)
    if args.index:
        _phase(figures, "index", "search index",
               lambda: search_index.run_phase(name, database_url, args, log), name, log)
    if args.people:
        _phase(figures, "people", "front desk", lambda: people.run_phase(name, database_url, args, log), name, log)
    if args.people and args.casework and "failed" not in figures.get("people", {}):
        _phase(figures, "casework", "coordinator's desk",
               lambda: casework.run_phase(name, database_url, args, log), name, log)
    if args.delivery:
        _phase(figures, "delivery", "delivery register",
               lambda: delivery.run_phase(name, database_url, args, log), name, log)
    if (args.reports and args.people and args.delivery and "failed" not in figures.get("people", {})
            and "failed" not in figures.get("delivery", {})):
        _phase(figures, "reports", "reports", lambda: reports.run_phase(name, database_url, args, log), name, log)
    if args.kiosk:
        _phase(figures, "kiosk", "kiosk", lambda: kiosk.run_phase(name, database_url, args, log), name, log)
    return figures


def _phase(figures, key, label, run, name, log):
    """figures[key] = run(), or {"failed": why} (the other parts' figures are
    kept), and figures[key + "_phase_s"] = how long it took."""
    started = time.perf_counter()
    try:
        figures[key] = run()
    except Exception as error:  # keep the other figures; report the failure
        log(f"[{name}] {label} FAILED: {type(error).__name__}: {error}")
        figures[key] = {"failed": f"{type(error).__name__}: {error}"}
    figures[f"{key}_phase_s"] = round(time.perf_counter() - started, 1)
    log(f"[{name}] {label} part took {figures[f'{key}_phase_s']:.0f} s")


def _measure_catalogue(name, database_url, args, log, catalogue, figures):
    """Serve the catalogue and measure its public pages."""
    searches = search_queries(catalogue.villages)
    plan = {
        "healthz": [Request("/healthz")],
        "search_full": [Request(p) for p in searches],
        "search_htmx": [Request(p, HTMX_HEADERS) for p in searches],
        "service_page": [Request(f"/services/{slug}") for slug in load.spread(catalogue.public_slugs)],
        "catalogue": [Request("/services")],
    }

    figures["load_average_before"] = server.load_average()
    with server.Gunicorn(database_url, OUT_DIR / f"gunicorn-{name}.log") as gunicorn:
        started = time.perf_counter()
        gunicorn.wait_healthy()
        figures["startup_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        status, _ = load.fetch(gunicorn.port, plan["search_full"][0])
        figures["first_search_ms"] = round((time.perf_counter() - started) * 1000, 1)
        log(f"[{name}] gunicorn up on 127.0.0.1:{gunicorn.port} in {figures['startup_s']} s; "
            f"first search (builds one worker's index) {figures['first_search_ms']} ms, HTTP {status}")
        started = time.perf_counter()
        warm_up(gunicorn.port, plan)
        figures["warmup_s"] = round(time.perf_counter() - started, 2)
        figures["searches"] = inspect_searches(gunicorn.port, searches)
        stats = {}
        for key, label in SCENARIOS:
            stats[key] = load.run(gunicorn.port, key, plan[key], total=args.requests, threads=args.threads,
                                  server_cpu=gunicorn.cpu_seconds, max_seconds=args.max_seconds,
                                  renew_every=args.renew_every)
            s = stats[key]
            log(f"[{name}] {label}: p95 {s.p95_ms:.2f} ms, {s.throughput_rps:.0f} req/s, errors {s.errors}"
                + (f" (stopped by the {args.max_seconds:.0f} s cap after {s.requests} requests)" if s.capped else ""))
        if gunicorn.process.poll() is not None:
            raise RuntimeError(f"gunicorn died during the run:\n{gunicorn.log_tail()}")

    figures["load_average_after"] = server.load_average()
    targets = evaluate(stats)
    figures["scenarios"] = {key: stats[key].as_dict() for key, _ in SCENARIOS}
    figures["targets"] = targets
    title = (f"{name} — {args.services:,} services, {args.providers:,} providers; gunicorn 2 workers x 4 threads; "
             f"{args.threads} client threads, {args.requests:,} requests per scenario")
    note = (f"load average (1/5/15 min) before {figures['load_average_before']}, after {figures['load_average_after']} "
            f"on {os.cpu_count()} CPUs\nsrv CPU = gunicorn user+system CPU time per request; CPU split = its share per "
            f"process (two workers, then the arbiter)")
    print_table(title, stats, targets, figures["searches"], note)

    search_missed = not all(t["met"] for t in targets[:2])
    page_missed = not targets[-1]["met"]
    if (search_missed or page_missed) and args.profile:
        chosen = (searches + ["/services"] if search_missed else []) + (
            [r.path for r in plan["service_page"][:8]] if page_missed else [])
        paths = [a for path in chosen for a in ("--path", path)]
        what = " and ".join(w for w, missed in (("Search", search_missed), ("the service page", page_missed)) if missed)
        figures["profile"] = in_subprocess(f"{what} missed its target: in-process profile ({name}):",
                                           ["profile", "--database-url", database_url, *paths])


def main(args):
    started = time.perf_counter()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    log = lambda message: print(message, flush=True)  # noqa: E731
    results = {
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {"services": args.services, "providers": args.providers, "requests_per_scenario": args.requests,
                     "catalogue": args.catalogue, "people": args.people, "residents": args.residents,
                     "desk_requests": args.desk_requests, "open_requests": args.open_requests,
                     "people_requests_per_scenario": args.people_requests,
                     "people_max_seconds_per_scenario": args.people_max_seconds,
                     "casework": args.casework, "casework_coordinators": args.casework_coordinators,
                     "casework_plans": args.casework_plans, "casework_requests_per_scenario": args.casework_requests,
                     "delivery": args.delivery, "delivery_requests_per_scenario": args.delivery_requests,
                     "reports": args.reports, "reports_requests_per_scenario": args.reports_requests,
                     "api": args.api, "index_sizes": args.index_sizes if args.index else [], "quality": args.quality,
                     "client_threads": args.threads, "max_seconds_per_scenario": args.max_seconds,
                     "renew_connection_every": args.renew_every, "gunicorn": "--workers 2 --threads 4"},
        "targets": {"search_p95_factor_of_healthz": SEARCH_P95_HEALTHZ_FACTOR, "search_p95_max_ms": SEARCH_P95_MAX_MS,
                    "service_page_p95_factor_of_healthz": SERVICE_P95_HEALTHZ_FACTOR,
                    "full_page_max_bytes": FULL_PAGE_MAX_BYTES, "fragment_max_bytes": FRAGMENT_MAX_BYTES,
                    "front_desk_p95_max_ms": people.P95_MAX_MS, "casework_p95_max_ms": casework.P95_MAX_MS,
                    "casework_pdf_max_s": casework.PDF_MAX_S, "delivery_p95_max_ms": delivery.P95_MAX_MS,
                    "reports_p95_max_ms": reports.P95_MAX_MS, "reports_xlsx_max_s": reports.XLSX_MAX_S},
        "backends": {},
    }
    failed = False
    for backend in args.backends:
        try:
            if backend == "sqlite":
                url = server.fresh_sqlite(OUT_DIR / "bench.sqlite3")
            elif backend == "postgresql":
                try:
                    url = server.fresh_postgres()
                except RuntimeError as error:
                    log(f"PostgreSQL skipped: {error}")
                    results["backends"][backend] = {"skipped": str(error)}
                    continue
            else:
                raise ValueError(f"unknown backend {backend!r}")
            results["backends"][backend] = run_backend(backend, url, args, log)
            parts = ("people", "kiosk", "casework", "index", "delivery", "reports", "api")
            if any("failed" in results["backends"][backend].get(part, {}) for part in parts):
                failed = True
        except Exception as error:  # report, keep going with the next backend
            failed = True
            log(f"[{backend}] FAILED: {type(error).__name__}: {error}")
            results["backends"][backend] = {"failed": f"{type(error).__name__}: {error}"}
    if args.quality:
        _phase(results, "quality", "judged queries", lambda: quality.run(log), "quality", log)
        if "failed" in results["quality"]:
            failed = True
    elapsed = time.perf_counter() - started
    results["elapsed_s"] = round(elapsed, 1)
    out = OUT_DIR / "results.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print()
    print(f"Results written to {out.relative_to(ROOT)}")
    for backend, figures in results["backends"].items():
        parts = [f"{label} {figures[key]:.0f} s" for key, label in (
            ("catalogue_phase_s", "catalogue measured in"), ("api_phase_s", "public API"),
            ("people_phase_s", "front desk"),
            ("index_phase_s", "search index"), ("casework_phase_s", "coordinator's desk"),
            ("delivery_phase_s", "delivery register"), ("reports_phase_s", "reports"),
            ("kiosk_phase_s", "kiosk"))
            if isinstance(figures.get(key), (int, float))]
        if parts:
            print(f"  {backend}: " + ", ".join(parts))
    print(f"Elapsed: {elapsed:.0f} s ({elapsed / 60:.1f} min)")
    return 1 if failed else 0
