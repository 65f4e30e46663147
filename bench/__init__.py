"""Load benchmark of the public catalogue (`make bench`, `python -m bench`).

Builds a large synthetic catalogue (5,000 services, 500 providers) on SQLite
and on PostgreSQL, serves it with gunicorn exactly as production does, and
measures latency, throughput and page sizes of the public catalogue pages
with a small threaded HTTP client. Not a test: it reports figures and checks
them against the performance targets.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
