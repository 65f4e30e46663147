"""A small closed-loop load generator: N threads, each with its own persistent
HTTP/1.1 connection to 127.0.0.1, sharing a fixed number of requests.

Requests are GETs unless they carry a method and a form body; a client can
act for a logged-in user (a `Session`: the cookies the server set, and the
CSRF token its pages carry, sent with every POST as the X-CSRFToken header
and the csrf_token form field, as the portal's forms and htmx do)."""
import http.client
import itertools
import threading
import time
from dataclasses import asdict, dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote

HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "results"}
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass
class Request:
    path: str
    headers: dict = field(default_factory=dict)
    method: str = "GET"
    body: bytes | None = None  # a url-encoded form for POSTs
    expect: int = 200  # the status that counts as success (303 for a redirect, 204 for an unchanged poll)
    anonymous: bool = False  # sent without the client's session, even by a logged-in client


@dataclass
class Session:
    """A logged-in user's cookie jar and CSRF token, shared by one client
    thread across its connections and scenarios (as a browser keeps its
    cookies across keep-alive connections)."""

    cookies: dict = field(default_factory=dict)
    csrf_token: str | None = None

    def header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def update(self, response):
        for raw in response.headers.get_all("Set-Cookie") or ():
            jar = SimpleCookie()
            try:
                jar.load(raw)
            except Exception:  # noqa: BLE001 - a cookie we cannot parse is not ours
                continue
            for name, morsel in jar.items():
                expired = morsel["max-age"] == "0" or "1970" in (morsel["expires"] or "")
                if expired or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@dataclass
class Stats:
    name: str
    requests: int
    errors: int
    reconnects: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    throughput_rps: float
    bytes_min: int
    bytes_max: int
    bytes_mean: float
    statuses: dict
    capped: bool = False  # stopped by the time cap before `total` requests
    server_cpu_ms_per_req: float | None = None  # gunicorn arbiter + workers, user + system
    server_cpu_split: list | None = None  # share of that CPU time per process, largest first
    client_cpu_ms_per_req: float | None = None  # this process (all client threads)
    db_cpu_ms_per_req: float | None = None  # the database server's processes, when measured (PostgreSQL)

    def as_dict(self):
        return asdict(self)


def percentile(sorted_values, fraction):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not sorted_values:
        return float("nan")
    position = (len(sorted_values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


class Client:
    """A persistent connection, renewed every `renew_every` requests (0: never)
    so that gunicorn's workers share the clients: with keep-alive alone, the
    first worker to accept can end up holding every connection. Connecting is
    not timed; a request retried after a dropped keep-alive is."""

    def __init__(self, port, timeout=30, renew_every=0, session=None):
        self.port = port
        self.timeout = timeout
        self.renew_every = renew_every
        self.session = session
        self.conn = None
        self.sent = 0
        self.reconnects = 0

    def _connect(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.connect()
        self.sent = 0

    def _prepare(self, request):
        headers, body = dict(request.headers), request.body
        if request.method != "GET" and body is not None:
            headers.setdefault("Content-Type", FORM_TYPE)
        if self.session is not None and not request.anonymous:
            if self.session.cookies:
                headers["Cookie"] = self.session.header()
            if request.method == "POST" and self.session.csrf_token:
                headers["X-CSRFToken"] = self.session.csrf_token
                field_ = b"csrf_token=" + quote(self.session.csrf_token, safe="").encode()
                body = field_ if not body else body + b"&" + field_
        return headers, body

    def get(self, request):
        """(status, body bytes, seconds) for one request (a GET unless it says
        otherwise); retried once on a dropped keep-alive. Redirects are not followed."""
        if self.conn is not None and self.renew_every and self.sent >= self.renew_every:
            self.close()
        headers, body = self._prepare(request)
        for attempt in (1, 2):
            if self.conn is None:
                self._connect()
            started = time.perf_counter()
            try:
                self.conn.request(request.method, request.path, body=body, headers=headers)
                response = self.conn.getresponse()
                body_in = response.read()
                elapsed = time.perf_counter() - started
                self.sent += 1
                if self.session is not None and not request.anonymous:
                    self.session.update(response)
                if response.will_close:
                    self.close()
                return response.status, body_in, elapsed
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run(port, name, requests, *, total=1000, threads=4, server_cpu=None, max_seconds=None, renew_every=25,
        sessions=None, db_cpu=None):
    """Send `total` requests cycling through `requests` from `threads` clients.
    `server_cpu`, when given, returns {pid: CPU seconds so far} of the server;
    `max_seconds` caps the scenario's duration (a safety net on a busy machine);
    `sessions`, when given, are logged-in users: client thread i acts as sessions[i % len];
    `db_cpu`, when given, returns {pid: CPU seconds so far} of the database server's processes."""
    cycle = itertools.cycle(requests)
    lock = threading.Lock()
    remaining = [total]
    latencies, sizes, statuses = [], [], {}
    errors = [0]
    reconnects = [0]
    start_gate = threading.Barrier(threads + 1)
    deadline = [None]
    capped = [False]

    def next_request():
        with lock:
            if remaining[0] <= 0:
                return None
            if deadline[0] is not None and time.perf_counter() > deadline[0]:
                capped[0] = True
                return None
            remaining[0] -= 1
            return next(cycle)

    def worker(index):
        session = sessions[index % len(sessions)] if sessions else None
        client = Client(port, renew_every=renew_every, session=session)
        local_lat, local_sizes, local_status, local_errors = [], [], {}, 0
        try:
            start_gate.wait()
            while (request := next_request()) is not None:
                try:
                    status, body, elapsed = client.get(request)
                except (OSError, http.client.HTTPException):
                    local_errors += 1
                    continue
                local_lat.append(elapsed)
                local_sizes.append(len(body))
                local_status[status] = local_status.get(status, 0) + 1
                if status != request.expect:
                    local_errors += 1
        finally:
            client.close()
            with lock:
                latencies.extend(local_lat)
                sizes.extend(local_sizes)
                for status, count in local_status.items():
                    statuses[status] = statuses.get(status, 0) + count
                errors[0] += local_errors
                reconnects[0] += client.reconnects

    pool = [threading.Thread(target=worker, args=(i,), name=f"bench-{name}-{i}", daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    cpu_before = server_cpu() if server_cpu else None
    db_before = db_cpu() if db_cpu else None
    client_before = time.process_time()
    started = time.perf_counter()
    if max_seconds:
        deadline[0] = started + max_seconds
    start_gate.wait()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    client_cpu = time.process_time() - client_before
    server_cpu_used, split = None, None
    if server_cpu:
        after = server_cpu()
        deltas = [after[pid] - cpu_before.get(pid, 0.0) for pid in after]
        server_cpu_used = sum(deltas)
        if server_cpu_used > 0:
            split = sorted((round(100 * d / server_cpu_used) for d in deltas), reverse=True)

    db_used = None
    if db_cpu:
        after = db_cpu()
        db_used = sum(after[pid] - db_before.get(pid, 0.0) for pid in after)

    ordered = sorted(latencies)
    ms = [v * 1000 for v in ordered]
    done = len(ordered)
    return Stats(
        name=name,
        requests=done,
        errors=errors[0],
        reconnects=reconnects[0],
        seconds=round(seconds, 3),
        p50_ms=round(percentile(ms, 0.50), 2),
        p95_ms=round(percentile(ms, 0.95), 2),
        p99_ms=round(percentile(ms, 0.99), 2),
        mean_ms=round(sum(ms) / done, 2) if done else float("nan"),
        max_ms=round(ms[-1], 2) if ms else float("nan"),
        throughput_rps=round(done / seconds, 1) if seconds else 0.0,
        bytes_min=min(sizes) if sizes else 0,
        bytes_max=max(sizes) if sizes else 0,
        bytes_mean=round(sum(sizes) / len(sizes), 1) if sizes else 0.0,
        statuses={str(k): v for k, v in sorted(statuses.items())},
        capped=capped[0],
        server_cpu_ms_per_req=round(server_cpu_used * 1000 / done, 2) if server_cpu_used is not None and done else None,
        server_cpu_split=split,
        client_cpu_ms_per_req=round(client_cpu * 1000 / done, 2) if done else None,
        db_cpu_ms_per_req=round(db_used * 1000 / done, 2) if db_used is not None and done else None,
    )


def fetch(port, request, session=None):
    """One request on a fresh connection: (status, body)."""
    client = Client(port, session=session)
    try:
        status, body, _ = client.get(request)
        return status, body
    finally:
        client.close()


def warm_up(port, requests, *, sessions=None, concurrency=6):
    """Send `requests` from `concurrency` threads, each on a fresh connection,
    so that every gunicorn worker takes some (compiles its templates, opens
    its database connections, builds its caches) before the measurements.
    Thread i acts for sessions[i % len(sessions)] when sessions are given.
    Raises RuntimeError when a request fails or answers another status than
    it expects."""
    jobs = list(requests)
    lock = threading.Lock()
    failures = []

    def worker(index):
        session = sessions[index % len(sessions)] if sessions else None
        while True:
            with lock:
                if not jobs:
                    return
                request = jobs.pop()
            try:
                status, _ = fetch(port, request, session=session)
                if status != request.expect:
                    failures.append(f"{request.method} {request.path}: HTTP {status}")
            except OSError as error:
                failures.append(f"{request.path}: {error}")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError("warm-up failed: " + "; ".join(failures[:5]))


def print_table(title, scenarios, stats, *, note="", cap_option="--max-seconds", db_column=False):
    """The figures of each scenario as a table, under a title."""
    print()
    print(title)
    print("=" * len(title))
    if note:
        print(note)
    width = max([34] + [len(label) + 2 for _key, label in scenarios])
    db_header = f"{'db CPU ms/req':>15}" if db_column else ""
    header = (f"{'scenario':<{width}}{'reqs':>6}{'err':>5}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
              f"{'req/s':>8}{'bytes':>9}{'srv CPU ms/req':>16}{db_header}  {'CPU split %':<12}")
    print(header)
    print("-" * len(header))
    for key, label in scenarios:
        s = stats[key]
        size = f"{s.bytes_max:,}" if s.bytes_min == s.bytes_max else f"≤{s.bytes_max:,}"
        reqs = f"{s.requests}{'*' if s.capped else ''}"
        cpu = s.server_cpu_ms_per_req if s.server_cpu_ms_per_req is not None else float("nan")
        db_cpu = ""
        if db_column:
            db_cpu = f"{(f'{s.db_cpu_ms_per_req:.2f}' if s.db_cpu_ms_per_req is not None else 'in srv'):>15}"
        print(f"{label:<{width}}{reqs:>6}{s.errors:>5}{s.p50_ms:>9.2f}{s.p95_ms:>9.2f}{s.p99_ms:>9.2f}"
              f"{s.max_ms:>9.1f}{s.throughput_rps:>8.1f}{size:>9}{cpu:>16.2f}{db_cpu}"
              f"  {'/'.join(str(v) for v in (s.server_cpu_split or [])[:3]):<12}")
    if any(stats[key].capped for key, _ in scenarios):
        print(f"* stopped by the per-scenario time cap ({cap_option}) before the full request count")
    statuses = {key: stats[key].statuses for key, _ in scenarios if stats[key].errors}
    if statuses:
        print(f"HTTP statuses where some were unexpected: {statuses}")


def print_targets(targets):
    print()
    print("Targets:")
    for t in targets:
        print(f"  [{'MET ' if t['met'] else 'MISS'}] {t['target']}: {t['value']}"
              + (f"; {t['errors']} unexpected statuses" if t.get("errors") else ""))


def spread(values, count=500):
    """`count` values taken evenly from `values` (all when fewer)."""
    if len(values) <= count:
        return list(values)
    step = len(values) / count
    return [values[int(i * step)] for i in range(count)]
