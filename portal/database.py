"""Every wait on the database has a limit.

A database that refuses connections is quickly noticed; one that hangs (a
paused server, a network partition, a full disk) is not: without limits
every thread of every worker waits on it for ever and the whole portal,
health check included, stops answering. So:

PostgreSQL (psycopg 3, libpq parameters):
- connect_timeout: a new connection gives up after DB_CONNECT_TIMEOUT s;
- statement_timeout / lock_timeout / idle_in_transaction_session_timeout:
  the server ends a statement, a lock wait or a forgotten transaction;
- TCP keepalives and tcp_user_timeout: a peer that vanished (partition,
  dead host) is noticed within about a minute instead of the kernel's two
  hours; unacknowledged writes give up after DB_TCP_USER_TIMEOUT_MS;
- the pool: a request waits at most DB_POOL_TIMEOUT s for a connection, and
  each checkout is pinged first (a connection broken while idle is replaced);
- a client-side deadline: a paused server (or a proxy that froze) still
  acknowledges every TCP packet, so neither the server's statement_timeout
  nor keepalives ever fire and libpq would wait for ever. A watchdog cuts
  the socket of a statement still waiting after DB_CLIENT_TIMEOUT s (the
  checkout's ping after DB_PING_TIMEOUT s): psycopg then fails at once,
  SQLAlchemy drops the connection, and the visitor gets the 503 page.

SQLite: the busy timeout (SQLITE_BUSY_TIMEOUT_MS) bounds a wait for a
writer's lock; WAL lets readers go on while someone writes.

`/healthz` does not rely on these alone: see `probe()`.
"""
import heapq
import itertools
import os
import socket
import threading
import time
from contextlib import contextmanager

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError


def engine_options(config):
    """SQLALCHEMY_ENGINE_OPTIONS for the configured database, the limits
    merged under anything the configuration sets itself."""
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    given = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(given.pop("connect_args", None) or {})
    options = {"pool_pre_ping": True}
    if url.get_backend_name() == "postgresql":
        options["pool_pre_ping"] = False  # our own ping with a deadline: install()
        server = [f"-c statement_timeout={int(config['DB_STATEMENT_TIMEOUT_MS'])}",
                  f"-c lock_timeout={int(config['DB_LOCK_TIMEOUT_MS'])}",
                  f"-c idle_in_transaction_session_timeout={int(config['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS'])}"]
        if connect_args.get("options"):
            server.append(connect_args["options"])
        connect_args = {
            "connect_timeout": int(config["DB_CONNECT_TIMEOUT"]),
            "keepalives": 1,
            "keepalives_idle": int(config["DB_KEEPALIVES_IDLE"]),
            "keepalives_interval": int(config["DB_KEEPALIVES_INTERVAL"]),
            "keepalives_count": int(config["DB_KEEPALIVES_COUNT"]),
            "tcp_user_timeout": int(config["DB_TCP_USER_TIMEOUT_MS"]),
            **connect_args,
            "options": " ".join(server),
        }
        options["pool_timeout"] = float(config["DB_POOL_TIMEOUT"])
    elif url.get_backend_name() == "sqlite":
        # The sqlite3 module's timeout is SQLite's busy timeout (in seconds).
        connect_args = {"timeout": int(config["SQLITE_BUSY_TIMEOUT_MS"]) / 1000, **connect_args}
    options.update(given)
    if connect_args:
        options["connect_args"] = connect_args
    return options


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # WAL lets the kiosk and the desk read while someone saves; foreign keys
    # are off by default in SQLite. (The busy timeout comes with the
    # connection: engine_options.)
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


# --- the client-side deadline (PostgreSQL) ---------------------------------------------------

def _cut(fileno):
    """Shut the socket down under a waiting libpq: its poll wakes with an error."""
    try:
        sock = socket.socket(fileno=os.dup(fileno))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


class _Watchdog:
    """One thread per process that cuts the socket of every statement still
    waiting past its deadline. (A threading.Timer per statement started a
    thread for each query: about half a millisecond of CPU per statement,
    more than the statement itself on most pages.)

    Deadlines wait in a heap; disarming only forgets the entry, and the
    thread drops forgotten entries when they come due. After a fork (gunicorn
    workers) the child starts its own thread on its first arm()."""

    def __init__(self):
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._condition = threading.Condition()
        self._heap = []  # (due, token)
        self._armed = {}  # token -> fileno
        self._tokens = itertools.count()
        self._thread = None

    def arm(self, fileno, seconds):
        if self._pid != os.getpid():
            self._reset()
        due = time.monotonic() + seconds
        with self._condition:
            token = next(self._tokens)
            self._armed[token] = fileno
            heapq.heappush(self._heap, (due, token))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0][1] == token:
                self._condition.notify()  # sooner than what the thread waits for
        return token

    def disarm(self, token):
        with self._condition:
            self._armed.pop(token, None)

    def _run(self):
        condition = self._condition
        while True:
            with condition:
                while self._heap and self._heap[0][1] not in self._armed:
                    heapq.heappop(self._heap)
                if not self._heap:
                    condition.wait()
                    continue
                due, token = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    condition.wait(wait)
                    continue
                heapq.heappop(self._heap)
                fileno = self._armed.pop(token)
            _cut(fileno)


_watchdog = _Watchdog()


@contextmanager
def deadline(dbapi_connection, seconds):
    try:
        fileno = dbapi_connection.fileno()
    except Exception:  # already closed
        yield
        return
    token = _watchdog.arm(fileno, seconds)
    try:
        yield
    finally:
        _watchdog.disarm(token)


def install(engine, config):
    """The watchdog and the guarded ping, on a PostgreSQL engine."""
    if engine.dialect.name != "postgresql":
        return
    statement_limit = float(config["DB_CLIENT_TIMEOUT"])
    ping_limit = float(config["DB_PING_TIMEOUT"])

    @event.listens_for(engine, "before_cursor_execute")
    def _arm(conn, cursor, statement, parameters, context, executemany):
        guard = deadline(conn.connection.dbapi_connection, statement_limit)
        guard.__enter__()
        conn.info.setdefault("watchdogs", []).append(guard)

    def _disarm(conn, *args):
        guards = conn.info.get("watchdogs")
        if guards:
            guards.pop().__exit__(None, None, None)

    event.listen(engine, "after_cursor_execute", _disarm)
    event.listen(engine, "handle_error", lambda context: _disarm(context.connection) if context.connection else None)

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, connection_record, connection_proxy):
        # SQLAlchemy's pool_pre_ping without a limit would wait for ever on a
        # frozen connection; this one gives up and asks the pool for another.
        try:
            with deadline(dbapi_connection, ping_limit):
                dbapi_connection.execute("SELECT 1")
        except Exception as exc:
            raise DisconnectionError("ping failed") from exc


# --- the health check's own deadline -------------------------------------------------------

class _Probe:
    """At most one database check in flight per process. A check that has
    not finished within the deadline answers "unavailable" at once, and so
    does every check asked for while it is still stuck: a hung database
    costs the health check one thread, never one per request."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = None  # the thread of the latest check
        self.outcome = {}

    def __call__(self, engine, deadline):
        end = time.monotonic() + deadline
        with self.lock:
            stuck = self.running if self.running is not None and self.running.is_alive() else None
        if stuck is not None:
            stuck.join(deadline)
            if stuck.is_alive():
                return "not_answering"
        with self.lock:
            if self.running is not None and self.running.is_alive():
                thread = self.running  # another request started one meanwhile: share it
                outcome = self.outcome
            else:
                outcome = {}
                thread = threading.Thread(target=self._check, args=(engine, outcome), name="health-probe",
                                          daemon=True)
                self.running, self.outcome = thread, outcome
                thread.start()
        thread.join(max(0.0, end - time.monotonic()))
        if thread.is_alive():
            return "not_answering"
        return outcome.get("state", "unreachable")

    @staticmethod
    def _check(engine, outcome):
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            outcome["state"] = "ok"
        except Exception:  # any failure means: not usable now
            outcome["state"] = "unreachable"


_probes = {}


def probe(engine, deadline):
    """'ok', 'unreachable' (refused, failed) or 'not_answering' (no answer
    within `deadline` seconds)."""
    checker = _probes.setdefault(id(engine), _Probe())
    started = time.monotonic()
    state = checker(engine, deadline)
    return state, time.monotonic() - started
