"""A client that leaves a request body unread must not hold a server thread.

Issue 16, item 4 (gunicorn #3301): under gunicorn 23's threaded worker a
keep-alive client that POSTs a body over 8 KB which the app never reads (a
405, 404 or 413 answer) and then stays idle pins a worker thread for as long
as it keeps the connection open: the thread drains the leftover body and then
waits, with no timeout, for a next request that never comes. Once every
thread of a worker is pinned, that worker still accepts connections but never
answers them, and `/healthz` hangs.

Here the portal runs under real gunicorn with `make run`'s worker layout
(2 processes x 4 threads), so its own gunicorn.conf.py applies. Clients leave
unread bodies behind until each worker has answered at least as many of them
as it has threads (enough to pin them all), staying connected and idle; then
fresh connections to `/healthz` must still be answered. The limit is a hang
detector, not a speed check: a working server answers in milliseconds."""
import http.client
import re
import socket
import time
from itertools import cycle

import pytest

from tests.servers import get, gunicorn, portal_env

WORKERS, THREADS = 2, 4  # as `make run`
HANG_LIMIT = 20  # seconds
MAX_CLIENTS = 8 * WORKERS * THREADS

# Requests the app answers without reading their bodies; each body is well
# over gunicorn's 8 KB read buffer.
UNREAD = [
    ("/healthz", 405, 32 * 1024),             # GET-only page
    ("/services", 405, 32 * 1024),            # GET-only page
    ("/nie-ma-takiej-strony", 404, 32 * 1024),
    ("/contact", 413, 70 * 1024),             # over the form's 64 KB body limit
]


def _post_and_stay(port, path, size):
    """POST `size` bytes to `path`, read the answer and leave the connection
    open and idle. Returns (socket, status), or (None, None) when no answer
    came within HANG_LIMIT."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HANG_LIMIT)
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {size}\r\n\r\n")
    try:
        sock.sendall(head.encode() + b"a" * size)
        response = http.client.HTTPResponse(sock)
        response.begin()
        response.read()
    except TimeoutError:
        sock.close()
        return None, None
    return sock, response.status


def _unread_answers_by_worker(log):
    paths = "|".join(re.escape(path) for path, _status, _size in UNREAD)
    counts = {}
    for pid in re.findall(rf"^<(\d+)> (?:405|404|413) POST (?:{paths})$", log, re.M):
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def _wait_for_logged(read_log, answered):
    deadline = time.monotonic() + HANG_LIMIT
    while True:
        counts = _unread_answers_by_worker(read_log())
        if sum(counts.values()) >= answered or time.monotonic() > deadline:
            return counts
        time.sleep(0.05)


@pytest.fixture
def served(app, database_url, tmp_path):
    env = portal_env(database_url, tmp_path)
    with gunicorn(env, tmp_path / "gunicorn.log", workers=WORKERS, threads=THREADS) as server:
        yield server


def test_idle_clients_with_unread_bodies_do_not_stop_the_portal(served):
    port, read_log = served
    idle = []
    try:
        counts = {}
        for answered, (path, status, size) in enumerate(cycle(UNREAD), start=1):
            sock, got = _post_and_stay(port, path, size)
            assert got is not None, (
                f"POST {path} (client {answered}) got no answer in {HANG_LIMIT} s: the server hangs "
                f"after {answered - 1} idle clients left unread bodies ({counts} answered per worker)")
            idle.append(sock)
            assert got == status, f"POST {path} answered {got}, expected {status}"
            counts = _wait_for_logged(read_log, answered)
            pinned_all = len(counts) >= WORKERS and min(counts.values()) >= THREADS
            if pinned_all or answered >= MAX_CLIENTS:
                break
        assert len(counts) >= WORKERS, f"only {counts} answered: both workers must have taken clients"

        # Fresh connections, while the idle clients stay connected. One probe
        # per thread of each worker, so a pinned worker cannot be missed.
        for probe in range(WORKERS * THREADS):
            try:
                status, _headers, body = get(port, "/healthz", timeout=HANG_LIMIT)
            except TimeoutError:
                pytest.fail(f"/healthz (probe {probe + 1}) got no answer in {HANG_LIMIT} s with "
                            f"{len(idle)} idle clients that left unread bodies ({counts} per worker)")
            assert status == 200 and b'"status":"ok"' in body.replace(b" ", b"")
    finally:
        for sock in idle:
            sock.close()
