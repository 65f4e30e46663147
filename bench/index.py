"""The search index: how long a rebuild takes and how much memory it holds.

After a catalogue edit each gunicorn worker rebuilds its index in a
background thread (portal/catalogue/search.py, get_index) while searches
answer from the old one; this measures that build, in a process of its own
(`python -m bench index --database-url URL`), on the benchmark's catalogue
(`--services`, 5,000) and on a larger one generated for it (50,000 by
default: `--index-sizes`).

- rebuild: `new_index()` as the rebuild thread calls it (its own session),
  wall-clock and CPU time of the process, the collector's pass included;
- memory: what the index keeps, measured with tracemalloc: the Python
  allocations of a second build still held once the session is closed and
  the collector has run (the ORM rows it read are gone, the index stays).
  The growth of the process's resident set over the first build is printed
  beside it, for information: it also holds what the allocator keeps of the
  rows read and freed, so it is larger and depends on the allocator.
  During a rebuild a worker holds both the old and the new index.
"""
import gc
import json
import os
import subprocess
import sys
import time
import tracemalloc

from . import OUT_DIR, ROOT, server
from .profile import _env

DEFAULT_SIZES = (5000, 50000)
MARK = "INDEX-FIGURES "


def _rss_bytes():
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measure(database_url):
    """In this process (its environment is set here): one timed build, one traced build."""
    _env(database_url)
    from portal import create_app
    from portal.catalogue.search import new_index
    from portal.core import versions
    from portal.extensions import db

    app = create_app()
    with app.app_context():
        version = versions.current(db.session, versions.CATALOGUE)
        gc.collect()
        rss_before = _rss_bytes()
        started, cpu = time.perf_counter(), time.process_time()
        index = new_index(db.session, version)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        db.session.remove()
        gc.collect()
        rss_growth = _rss_bytes() - rss_before
        docs = len(index.docs)
        words = len(getattr(index, "postings", ()) or ())
        del index
        gc.collect()

        tracemalloc.start()
        index = new_index(db.session, version)
        db.session.remove()
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del index
    figures = {"docs": docs, "words": words, "rebuild_s": round(seconds, 2), "rebuild_cpu_s": round(cpu, 2),
               "index_bytes": held, "build_peak_bytes": peak, "rss_growth_bytes": rss_growth}
    print(MARK + json.dumps(figures), flush=True)
    return figures


def _in_subprocess(database_url):
    result = subprocess.run([sys.executable, "-m", "bench", "index", "--database-url", database_url], cwd=ROOT,
                            capture_output=True, text=True, timeout=1800)
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    raise RuntimeError(f"index measurement failed: {result.stderr.strip().splitlines()[-3:]}")


def _database_for(name, size, log):
    """A fresh database with `size` generated services, beside the benchmark's own."""
    if name == "sqlite":
        url = server.fresh_sqlite(OUT_DIR / f"bench-index-{size}.sqlite3")
    else:
        url = server.fresh_postgres(f"{server.PG_DATABASE}_index")
    server.migrate(url)
    from .generate import generate

    summary = generate(url, services=size, providers=max(size // 10, 50), log=lambda m: None)
    log(f"[{name}] generated {size:,} services for the index in {summary.seconds:.0f} s")
    return url


def run_phase(name, database_url, args, log):
    """Each size of args.index_sizes: the benchmark's database for --services,
    a database generated for it otherwise; prints the table, returns the figures."""
    rows = {}
    for size in args.index_sizes:
        url = database_url if size == args.services else _database_for(name, size, log)
        log(f"[{name}] search index at {size:,} services: building...")
        rows[size] = _in_subprocess(url)
        if url != database_url and name == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                (OUT_DIR / f"bench-index-{size}.sqlite3{suffix}").unlink(missing_ok=True)
    print_table(name, rows)
    return {str(size): figures for size, figures in rows.items()}


def print_table(name, rows):
    print()
    print(f"Search index ({name}): a rebuild as the background thread runs it, and the memory the index holds")
    print("(tracemalloc: Python allocations still held after the build; RSS growth for information)")
    print(f"  {'services':>9} {'indexed':>8} {'words':>8} {'rebuild s':>10} {'CPU s':>7} {'index MB':>9} "
          f"{'build peak MB':>14} {'RSS growth MB':>14}")
    for size, f in rows.items():
        print(f"  {size:>9,} {f['docs']:>8,} {f['words']:>8,} {f['rebuild_s']:>10.2f} {f['rebuild_cpu_s']:>7.2f} "
              f"{f['index_bytes'] / 1e6:>9.1f} {f['build_peak_bytes'] / 1e6:>14.1f} "
              f"{f['rss_growth_bytes'] / 1e6:>14.1f}")
