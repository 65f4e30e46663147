"""The judged queries: the portal's search beside a conventional PostgreSQL set-up.

`python -m bench quality` (and `make bench`, unless `--no-quality`) seeds a
fresh database with the demo catalogue (migrations, then
portal/demo/catalogue.py `seed_catalogue`), the catalogue the queries of
tests/catalogue/data/judged_queries.json are judged on, and computes for
each search the figures of portal/catalogue/relevance.py (`evaluate`):
success@3, mean reciprocal rank (over the first PAGE results) and the
number of queries with no result, with the time per query, side by side.

- The portal: `portal.catalogue.search.search()` in-process, no filters,
  the first page; each query asked once (the search keeps recent results:
  a second asking would measure its cache), after the index is built.
- The baseline, as a PostgreSQL site would commonly do it: `unaccent` and
  `pg_trgm`; a tsvector over unaccented text with the 'simple'
  configuration (no Polish stemmer ships with PostgreSQL), the name weighted
  A, the target groups, areas, places, provider (and keywords, when the
  catalogue has them) B, the description, goal and delivery C; each query
  word a prefix term; a cascade: every word (AND), else any word (OR), else
  trigram word similarity to the name or the text (pg_trgm's `<%`); ranked
  by ts_rank, then that similarity. Synonyms are the portal's alone (a PostgreSQL
  thesaurus dictionary needs files on the server). Built as a table of its
  own (BASELINE_TABLE) with GIN indexes, each query up to three statements.

Time: wall-clock per query (mean, p95) and CPU per query (the portal: this
process; the baseline: this process and the PostgreSQL backend, from
/proc, over the whole set). On a shared machine compare the CPU.
Without PostgreSQL the portal's figures come from SQLite and the baseline is
skipped with a notice.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

from . import OUT_DIR, ROOT, server
from .load import percentile
from .profile import _env

PAGE = 20
BASELINE_TABLE = "baseline_search"
MARK = "QUALITY-FIGURES "

_WORD = re.compile(r"[^\W_]+")

SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"DROP TABLE IF EXISTS {BASELINE_TABLE}",
    f"""CREATE TABLE {BASELINE_TABLE} AS
    SELECT s.id, s.slug, s.name AS title, lower(unaccent(s.name)) AS name,
           lower(unaccent(concat_ws(' ', s.description, s.goal, s.delivery_description, x.labels))) AS body,
           setweight(to_tsvector('simple', lower(unaccent(s.name))), 'A')
           || setweight(to_tsvector('simple', lower(unaccent(x.labels))), 'B')
           || setweight(to_tsvector('simple', lower(unaccent(concat_ws(' ', s.description, s.goal,
                                                                         s.delivery_description)))), 'C')
           AS document
    FROM service s
    JOIN provider p ON p.id = s.provider_id
    CROSS JOIN LATERAL (SELECT concat_ws(' ', p.name, {{keywords}}
        (SELECT string_agg(g.name, ' ') FROM service_target_group sg JOIN target_group g ON g.id = sg.target_group_id
         WHERE sg.service_id = s.id),
        (SELECT string_agg(a.name, ' ') FROM service_area sa JOIN area a ON a.id = sa.area_id
         WHERE sa.service_id = s.id),
        (SELECT string_agg(concat_ws(' ', pl.name, pl.city, v.name), ' ') FROM service_place sp
         JOIN place pl ON pl.id = sp.place_id LEFT JOIN village v ON v.id = pl.village_id
         WHERE sp.service_id = s.id),
        CASE WHEN s.at_client_home THEN 'w domu klienta' END) AS labels) x
    WHERE s.status <> 'archived' AND (s.valid_to IS NULL OR s.valid_to >= current_date)""",
    f"CREATE INDEX ON {BASELINE_TABLE} USING gin (document)",
    f"CREATE INDEX ON {BASELINE_TABLE} USING gin (name gin_trgm_ops)",
    f"CREATE INDEX ON {BASELINE_TABLE} USING gin (body gin_trgm_ops)",
    f"ANALYZE {BASELINE_TABLE}",
)

BY_TEXT = f"""SELECT b.slug FROM {BASELINE_TABLE} b, to_tsquery('simple', lower(unaccent(:terms))) q
WHERE b.document @@ q ORDER BY ts_rank(b.document, q) DESC, b.title LIMIT {PAGE}"""
BY_TRIGRAM = f"""SELECT b.slug FROM {BASELINE_TABLE} b, (SELECT lower(unaccent(:text)) AS t) q
WHERE q.t <% b.name OR q.t <% b.body
ORDER BY greatest(word_similarity(q.t, b.name), word_similarity(q.t, b.body)) DESC, b.title LIMIT {PAGE}"""
STAGES = ("all words", "any word", "trigram")


class Baseline:
    """The conventional PostgreSQL search over `connection` (SQLAlchemy)."""

    def __init__(self, connection):
        self.connection = connection
        self.stages = dict.fromkeys(STAGES, 0)

    def setup(self):
        from sqlalchemy import text

        has_keywords = self.connection.execute(text(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'service' AND column_name = 'keywords'"
        )).first() is not None
        for statement in SETUP:
            self.connection.execute(text(statement.replace("{keywords}", "s.keywords," if has_keywords else "")))
        self.connection.commit()

    def ranked(self, query):
        """Slugs, best first, down the cascade."""
        from sqlalchemy import text

        words = _WORD.findall(query.lower())
        if not words:
            return []
        for stage, terms in (("all words", " & ".join(f"{w}:*" for w in words)),
                             ("any word", " | ".join(f"{w}:*" for w in words))):
            slugs = self.connection.execute(text(BY_TEXT), {"terms": terms}).scalars().all()
            if slugs:
                self.stages[stage] += 1
                return slugs
        slugs = self.connection.execute(text(BY_TRIGRAM), {"text": " ".join(words)}).scalars().all()
        if slugs:
            self.stages["trigram"] += 1
        return slugs

    def drop(self):
        from sqlalchemy import text

        self.connection.execute(text(f"DROP TABLE IF EXISTS {BASELINE_TABLE}"))
        self.connection.commit()


def _backend_cpu(connection):
    """CPU seconds of this connection's PostgreSQL backend (None when the server is not local)."""
    from sqlalchemy import text

    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _timed(ranked, judgements, backend_cpu=None):
    """ranked() wrapped to record each query's time; the figures and the timing."""
    from portal.catalogue.relevance import evaluate

    times = []

    def timed(query):
        started = time.perf_counter()
        slugs = ranked(query)
        times.append((time.perf_counter() - started) * 1000)
        return slugs

    server_before = backend_cpu() if backend_cpu else None
    cpu = time.process_time()
    figures = evaluate(timed, judgements)
    cpu = time.process_time() - cpu
    server_after = backend_cpu() if backend_cpu else None
    if server_before is not None and server_after is not None:
        cpu += server_after - server_before
    n = max(len(times), 1)
    ordered = sorted(times)
    return {
        "queries": figures.queries, "success_at_3": figures.success_at_3,
        "mrr": round(figures.mean_reciprocal_rank, 3), "no_result": figures.no_result,
        "failed": figures.failed, "ms_mean": round(statistics.mean(times), 2) if times else 0.0,
        "ms_p95": round(percentile(ordered, 0.95), 2) if times else 0.0,
        "cpu_ms": round(cpu * 1000 / n, 2),
    }


def measure(database_url):
    """In this process (its environment is set here): seed, search, compare, print."""
    _env(database_url)
    from portal import create_app
    from portal.catalogue.relevance import load_judgements
    from portal.catalogue.search import Filters, get_index, search
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db
    from portal.timeutil import now

    app = create_app()
    judgements = load_judgements()
    with app.app_context():
        counts = seed_catalogue(db.session)
        db.session.commit()
        from portal.catalogue.models import Service

        known = set(db.session.scalars(db.select(Service.slug)))
        unknown = sorted({slug for j in judgements for slug in j["relevant"]} - known)
        get_index(db.session)  # built before the clock starts
        moment = now()

        def portal(query):
            result = search(db.session, query, Filters(), moment=moment, page=1, per_page=PAGE)
            return [doc.slug for doc in result.docs]

        figures = {"services": counts["services"], "unknown_slugs": unknown,
                   "portal": _timed(portal, judgements), "database": db.engine.dialect.name}
        if db.engine.dialect.name == "postgresql":
            connection = db.engine.connect()
            try:
                baseline = Baseline(connection)
                baseline.setup()
                baseline.ranked(judgements[0]["query"] if judgements else "klub")  # warm the plans
                baseline.stages = dict.fromkeys(STAGES, 0)
                figures["baseline"] = _timed(baseline.ranked, judgements, lambda: _backend_cpu(connection))
                figures["baseline"]["stages"] = baseline.stages
            finally:
                connection.close()
    print(MARK + json.dumps(figures, ensure_ascii=False), flush=True)
    return figures


def print_table(figures):
    portal, baseline = figures["portal"], figures.get("baseline")
    n = portal["queries"]
    print()
    print(f"Judged queries ({n} from tests/catalogue/data/judged_queries.json, the demo catalogue of "
          f"{figures['services']} services): the portal beside a PostgreSQL baseline")
    print("(baseline: unaccent + pg_trgm + tsvector 'simple', name A; all words -> any word -> trigram; "
          f"first {PAGE} results; CPU = client + PostgreSQL backend)")
    columns = [("portal", portal)] + ([("PostgreSQL baseline", baseline)] if baseline else [])
    print(f"  {'':<24}" + "".join(f"{label:>22}" for label, _ in columns))

    def row(label, value):
        print(f"  {label:<24}" + "".join(f"{value(f):>22}" for _, f in columns))

    row("success@3", lambda f: f"{f['success_at_3']}/{n} ({f['success_at_3'] / max(n, 1):.0%})")
    row("mean reciprocal rank", lambda f: f"{f['mrr']:.3f}")
    row("no result", lambda f: str(f["no_result"]))
    row("ms per query, mean", lambda f: f"{f['ms_mean']:.2f}")
    row("ms per query, p95", lambda f: f"{f['ms_p95']:.2f}")
    row("CPU ms per query", lambda f: f"{f['cpu_ms']:.2f}")
    if baseline:
        print("  baseline answered by: " + ", ".join(f"{k} {v}" for k, v in baseline["stages"].items()))
    else:
        print(f"  PostgreSQL baseline skipped: {figures.get('baseline_skipped', 'not PostgreSQL')}")
    for label, f in columns:
        if f["failed"]:
            shown = ", ".join(repr(q) for q in f["failed"][:12])
            more = f" and {len(f['failed']) - 12} more" if len(f["failed"]) > 12 else ""
            print(f"  not in the first three ({label}): {shown}{more}")
    if figures["unknown_slugs"]:
        print(f"  WARNING: judged slugs not in the demo catalogue: {', '.join(figures['unknown_slugs'][:10])}")


def run(log=print):
    """Fresh database, migrations, the measurement in a process of its own; prints and returns the figures."""
    skipped = None
    try:
        url = server.fresh_postgres(f"{server.PG_DATABASE}_quality")
    except RuntimeError as error:
        skipped = str(error)
        url = server.fresh_sqlite(OUT_DIR / "bench-quality.sqlite3")
        log(f"PostgreSQL not reachable ({error}): the portal's figures on SQLite, no baseline")
    log("[quality] migrating and seeding the demo catalogue...")
    server.migrate(url)
    result = subprocess.run([sys.executable, "-m", "bench", "quality-measure", "--database-url", url], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    figures = None
    for line in result.stdout.splitlines():
        if line.startswith(MARK):
            figures = json.loads(line[len(MARK):])
    if figures is None:
        raise RuntimeError(f"quality measurement failed: {result.stderr.strip().splitlines()[-5:]}")
    if skipped:
        figures["baseline_skipped"] = skipped
    print_table(figures)
    return figures


def main():
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    figures = run()
    out = OUT_DIR / "quality.json"
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten to {out.relative_to(ROOT)}")
    return 0
