"""python -m bench [options]            the whole benchmark (make bench)
python -m bench generate --database-url URL   fill a migrated database only
python -m bench generate-people --database-url URL   add residents and requests to it
python -m bench generate-casework --database-url URL   add coordinators with open plans to that
python -m bench faults                    the fault reproductions of issue 16 (printed, not asserted)
python -m bench profile --database-url URL --path /services?q=...   profile in-process
python -m bench profile-people --database-url URL --scenario board_full   profile the front desk
python -m bench delivery --database-url URL   the delivery register: migrate, generate (the catalogue
                                          when missing, then a year of deliveries) and measure
python -m bench profile-delivery --database-url URL --plan ID --session ID --service ID   profile those pages
python -m bench reports --database-url URL   the reports: migrate, generate (catalogue, register,
                                          deliveries, five years of plans, history) and measure
python -m bench api --database-url URL   the public API: migrate, generate (when empty) and measure
python -m bench index --database-url URL   time a search index rebuild and measure its memory
python -m bench quality                   the judged queries: the portal beside a PostgreSQL baseline
"""
import argparse
import sys

from . import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _parser():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests per scenario (default 1000)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--max-seconds", type=float, default=40.0,
                        help="time cap per scenario, a safety net on a busy machine (default 40)")
    parser.add_argument("--renew-every", type=int, default=25,
                        help="open a new connection every N requests per client thread, 0 = never (default 25)")
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--providers", type=int, default=500)
    parser.add_argument("--backends", default="sqlite,postgresql",
                        type=lambda v: [b.strip() for b in v.split(",") if b.strip()],
                        help="comma-separated: sqlite,postgresql")
    parser.add_argument("--no-profile", dest="profile", action="store_false",
                        help="do not profile in-process when a target is missed")
    parser.add_argument("--no-index", dest="index", action="store_false",
                        help="skip the search index's rebuild time and memory (on by default)")
    parser.add_argument("--index-sizes", default=",".join(str(n) for n in (5000, 50000)),
                        type=lambda v: [int(n) for n in v.split(",") if n.strip()],
                        help="catalogue sizes to measure the index at (default 5000,50000)")
    parser.add_argument("--no-quality", dest="quality", action="store_false",
                        help="skip the judged queries, the portal beside a PostgreSQL baseline (on by default)")
    people = parser.add_argument_group("front desk (residents, requests, the desk board)")
    people.add_argument("--no-people", dest="people", action="store_false",
                        help="skip the front-desk part (on by default)")
    people.add_argument("--no-catalogue", dest="catalogue", action="store_false",
                        help="generate the catalogue (its villages) but do not measure it")
    people.add_argument("--residents", type=int, default=100_000)
    people.add_argument("--desk-requests", type=int, default=300_000, help="requests (zgłoszenia) to generate")
    people.add_argument("--open-requests", type=int, default=2_000)
    people.add_argument("--people-requests", type=int, default=None,
                        help="requests per front-desk scenario (default: --requests)")
    people.add_argument("--people-max-seconds", type=float, default=None,
                        help="time cap per front-desk scenario (default: --max-seconds)")
    screens = parser.add_argument_group("kiosk (200 screens polling the version endpoint)")
    screens.add_argument("--no-kiosk", dest="kiosk", action="store_false", help="skip the kiosk part (on by default)")
    screens.add_argument("--kiosk-requests", type=int, default=3000, help="requests per kiosk scenario (default 3000)")
    screens.add_argument("--kiosk-paced-seconds", type=float, default=30.0,
                         help="seconds of load at the real rate, 200 screens every 15 s (default 30, 0 = skip)")
    desk = parser.add_argument_group("coordinator's desk (my cases, the director's view, PDFs)")
    desk.add_argument("--no-casework", dest="casework", action="store_false",
                      help="skip the coordinator's desk part (on by default; needs the front-desk part)")
    desk.add_argument("--casework-coordinators", type=int, default=50)
    desk.add_argument("--casework-plans", type=int, default=100, help="open plans per coordinator (default 100)")
    desk.add_argument("--casework-requests", type=int, default=None,
                      help="requests per desk scenario (default: --requests)")
    desk.add_argument("--casework-pdf-requests", type=int, default=20, help="PDFs fetched per PDF scenario")
    register = parser.add_argument_group("delivery register (plan page, monitoring card, attendance, usage)")
    register.add_argument("--no-delivery", dest="delivery", action="store_false",
                          help="skip the delivery register part (on by default)")
    register.add_argument("--delivery-requests", type=int, default=None,
                          help="requests per delivery scenario (default: --requests)")
    api = parser.add_argument_group("public API (service list, one service, the HSDS export)")
    api.add_argument("--no-api", dest="api", action="store_false", help="skip the public API part (on by default)")
    reports = parser.add_argument_group("reports (each report for a year and its XLSX, as the director)")
    reports.add_argument("--no-reports", dest="reports", action="store_false",
                         help="skip the reports part (on by default; needs the front desk and the delivery parts)")
    reports.add_argument("--reports-requests", type=int, default=200,
                         help="requests per report page scenario (default 200; a fifth of it per XLSX)")
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="fill a migrated database with the synthetic catalogue")
    gen.add_argument("--database-url", required=True)
    gen.add_argument("--services", type=int, default=5000)
    gen.add_argument("--providers", type=int, default=500)
    genp = sub.add_parser("generate-people", help="add residents, requests and staff to a generated catalogue")
    genp.add_argument("--database-url", required=True)
    genp.add_argument("--residents", type=int, default=100_000)
    genp.add_argument("--desk-requests", type=int, default=300_000)
    genp.add_argument("--open-requests", type=int, default=2_000)
    profp = sub.add_parser("profile-people", help="time, SQL-time and cProfile front-desk requests in-process")
    profp.add_argument("--database-url", required=True)
    profp.add_argument("--scenario", action="append",
                       choices=("name_full", "name_htmx", "pesel", "board_full", "board_poll"),
                       help="default: all of them")
    genc = sub.add_parser("generate-casework", help="add coordinators with open plans to a generated register")
    genc.add_argument("--database-url", required=True)
    genc.add_argument("--coordinators", type=int, default=50)
    genc.add_argument("--plans", type=int, default=100)
    dlv = sub.add_parser("delivery", help="migrate a database, generate the catalogue (when it has none) and a "
                                          "year of deliveries, and measure the delivery pages")
    dlv.add_argument("--database-url", required=True)
    rep = sub.add_parser("reports", help="migrate a fresh database, generate the catalogue, the register, the "
                                         "deliveries, five years of plans and the history, and measure the reports")
    rep.add_argument("--database-url", required=True)
    profd = sub.add_parser("profile-delivery", help="time, SQL-time and cProfile the delivery pages in-process")
    profd.add_argument("--database-url", required=True)
    profd.add_argument("--plan", type=int, action="append", default=[], help="a plan id (plan page, monitoring)")
    profd.add_argument("--session", type=int, action="append", default=[], help="a group session id (attendance)")
    profd.add_argument("--service", type=int, action="append", default=[], help="a service id (usage summary)")
    apis = sub.add_parser("api", help="migrate a database, generate the catalogue (when it has none) and measure "
                                      "the public API: the service list, one service, the HSDS export")
    apis.add_argument("--database-url", required=True)
    apix = sub.add_parser("api-export", help="(internal) time the HSDS export's parts in this process")
    apix.add_argument("--database-url", required=True)
    sub.add_parser("faults", help="the fault reproductions of issue 16 (a hung and a stopped database, NUL, "
                                  "unread bodies, double submissions) against gunicorn")
    idx = sub.add_parser("index", help="time a search index rebuild and measure its memory, in this process")
    idx.add_argument("--database-url", required=True)
    sub.add_parser("quality", help="the judged queries on the demo catalogue: success@3, MRR, empty results "
                                   "and time per query, the portal beside a PostgreSQL baseline")
    qm = sub.add_parser("quality-measure", help="(internal) seed the demo catalogue into a migrated database "
                                                 "and measure, in this process")
    qm.add_argument("--database-url", required=True)
    prof = sub.add_parser("profile", help="time and cProfile catalogue requests in-process")
    prof.add_argument("--database-url", required=True)
    prof.add_argument("--path", action="append", required=True)
    prof.add_argument("--htmx", action="store_true", help="send the htmx fragment headers")
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.command == "generate":
        from .generate import generate

        summary = generate(args.database_url, services=args.services, providers=args.providers)
        print(f"generated in {summary.seconds:.1f} s: {summary.rows}")
        return 0
    if args.command == "generate-people":
        from .generate_people import generate_people

        summary = generate_people(args.database_url, residents=args.residents, requests=args.desk_requests,
                                  open_requests=args.open_requests)
        print(f"generated in {summary.seconds:.1f} s: {summary.rows}")
        return 0
    if args.command == "generate-casework":
        from .casework import generate_casework

        summary = generate_casework(args.database_url, coordinators=args.coordinators,
                                    plans_per_coordinator=args.plans)
        print(f"generated in {summary.seconds:.1f} s: {summary.rows}")
        return 0
    if args.command == "profile-people":
        from .profile import profile_people

        profile_people(args.database_url, args.scenario or ["name_full", "name_htmx", "pesel", "board_full",
                                                            "board_poll"])
        return 0
    if args.command == "delivery":
        from .delivery import standalone

        return standalone(args)
    if args.command == "reports":
        from .reports import standalone as reports_standalone

        return reports_standalone(args)
    if args.command == "api":
        from .api import standalone as api_standalone

        return api_standalone(args)
    if args.command == "api-export":
        from .api import measure_export

        measure_export(args.database_url)
        return 0
    if args.command == "profile-delivery":
        from .delivery import profile_targets

        profile_targets(args.database_url, args.plan, args.session, args.service)
        return 0
    if args.command == "faults":
        from .faults import main as faults

        return faults()
    if args.command == "index":
        from .index import measure

        measure(args.database_url)
        return 0
    if args.command == "quality":
        from .quality import main as quality

        return quality()
    if args.command == "quality-measure":
        from .quality import measure as measure_quality

        measure_quality(args.database_url)
        return 0
    if args.command == "profile":
        from .profile import profile

        profile(args.database_url, args.path, htmx=args.htmx)
        return 0
    if args.people_requests is None:
        args.people_requests = args.requests
    if args.people_max_seconds is None:
        args.people_max_seconds = args.max_seconds
    if args.casework_requests is None:
        args.casework_requests = args.requests
    from .run import main as run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
