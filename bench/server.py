"""Databases, migrations and the gunicorn process under test."""
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from . import OUT_DIR, ROOT

BIN = Path(sys.executable).parent  # .venv/bin when run as .venv/bin/python -m bench
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Another name lets two checkouts measure at once without dropping each other's database.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "bench")


def _tool(name):
    for candidate in (BIN / name, ROOT / ".venv" / "bin" / name):
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(f"{name} not found next to {sys.executable} nor in .venv/bin")


def base_env(database_url):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "PORTAL_INSTANCE_DIR": str(OUT_DIR),
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PORTAL_DEMO": "0",
        "LOG_LEVEL": "WARNING",
        "SESSION_COOKIE_SECURE": "0",
        # Production refuses to start without it (feeds and QR codes).
        "PORTAL_PUBLIC_BASE_URL": "http://127.0.0.1",
    })
    env.pop("FLASK_APP", None)
    return env


# --- SQLite ---------------------------------------------------------------------

def fresh_sqlite(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{Path(path).resolve()}"


# --- PostgreSQL -----------------------------------------------------------------

def fresh_postgres(name=PG_DATABASE):
    """Drop and recreate the database `name` (default `bench`); returns its URL.
    Raises RuntimeError with a readable reason when PostgreSQL is not usable."""
    try:
        import psycopg
    except ImportError as error:  # pragma: no cover - psycopg is a dependency
        raise RuntimeError(f"psycopg is not installed ({error})") from error
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        raise RuntimeError(f"{PG_ADMIN_URL}: {str(error).strip().splitlines()[0]}") from error
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


# --- migrations -----------------------------------------------------------------

def migrate(database_url):
    started = time.perf_counter()
    result = subprocess.run(
        [_tool("flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=base_env(database_url), capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return time.perf_counter() - started


# --- gunicorn -------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn --workers 2 --threads 4 wsgi:app` on a free loopback port.
    Use as a context manager: it is always stopped on the way out."""

    def __init__(self, database_url, log_path, *, workers=2, threads=4):
        self.database_url = database_url
        self.log_path = Path(log_path)
        self.workers = workers
        self.threads = threads
        self.port = None
        self.process = None
        self._log = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self.port = free_port()
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [_tool("gunicorn"), "--workers", str(self.workers), "--threads", str(self.threads),
             "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=base_env(self.database_url), stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
                last = f"HTTP {response.status}"
            except OSError as error:
                last = str(error)
            time.sleep(0.2)
        raise RuntimeError(f"/healthz did not answer 200 within {timeout}s ({last}):\n{self.log_tail()}")

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: the arbiter stops its workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only gunicorn's processes
                self.process.wait(timeout=10)
        self.process = None
        if self._log:
            self._log.close()
            self._log = None

    def cpu_seconds(self):
        """{pid: user + system CPU seconds} of the arbiter and its live workers."""
        return process_tree_cpu(self.process.pid) if self.process else {}

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid):
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3); ppid is field 4, utime 14, stime 15.
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def process_tree_cpu(root_pid):
    """{pid: CPU seconds} of a process and its direct children (Linux /proc; {} elsewhere)."""
    found = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return found
    for entry in entries:
        try:
            ppid, cpu = _stat(entry)
        except (OSError, ValueError, IndexError):
            continue
        if int(entry) == root_pid or ppid == root_pid:
            found[int(entry)] = cpu
    return found


def load_average():
    try:
        return tuple(round(v, 2) for v in os.getloadavg())
    except OSError:
        return None


def _reaped_cpu(pid):
    """CPU seconds of a process's children that have exited (cutime + cstime)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / _TICKS


class PostgresBackends:
    """CPU time of the PostgreSQL server processes serving one database, when
    the server runs on this machine (the work of a query is done there, not in
    gunicorn): its backends (pg_stat_activity), plus what the postmaster's
    children that exited meanwhile used, which is where the parallel workers
    of a parallel query end up (and any other short-lived server process).
    Use as a context manager."""

    def __init__(self, database=PG_DATABASE):
        self.database = database
        self.conn = None
        self.postmaster = None

    def __enter__(self):
        import psycopg

        self.conn = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
        try:  # this connection's own backend is a child of the postmaster
            self.postmaster = _stat(self.conn.execute("SELECT pg_backend_pid()").fetchone()[0])[0]
        except (OSError, ValueError, IndexError):
            self.postmaster = None  # not on this machine: backends only, if visible at all
        return self

    def __exit__(self, *exc):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        return False

    def cpu_seconds(self):
        """{pid: user + system CPU seconds} of the database's backends ({} when not local)."""
        pids = [pid for (pid,) in self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (self.database,))]
        found = {}
        for pid in pids:
            try:
                found[pid] = _stat(pid)[1]
            except (OSError, ValueError, IndexError):
                continue
        if self.postmaster:
            try:
                found["exited children"] = _reaped_cpu(self.postmaster)
            except (OSError, ValueError, IndexError):
                pass
        return found
