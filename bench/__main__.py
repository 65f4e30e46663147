"""python -m bench [options]            the whole benchmark (make bench)
python -m bench generate --database-url URL   fill a migrated database only
python -m bench profile --database-url URL --path /services?q=...   profile in-process
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
                        help="do not profile in-process when search misses its target")
    sub = parser.add_subparsers(dest="command")
    gen = sub.add_parser("generate", help="fill a migrated database with the synthetic catalogue")
    gen.add_argument("--database-url", required=True)
    gen.add_argument("--services", type=int, default=5000)
    gen.add_argument("--providers", type=int, default=500)
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
    if args.command == "profile":
        from .profile import profile

        profile(args.database_url, args.path, htmx=args.htmx)
        return 0
    from .run import main as run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
