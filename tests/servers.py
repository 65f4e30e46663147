"""Real servers for tests that need more than the test client: the portal under
gunicorn (several worker processes), started on a free loopback port and
always stopped afterwards."""
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(database_url, instance_dir, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "RATELIMIT_"))}
    env.update({
        "DATABASE_URL": database_url,
        "PORTAL_ENV": "development",
        "PORTAL_DEMO": "0",
        "PORTAL_INSTANCE_DIR": str(instance_dir),
        "SECRET_KEY": "test-secret-for-gunicorn-workers-0123456789abcdef",
        "LOG_LEVEL": "WARNING",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def get(port, path, *, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@contextmanager
def gunicorn(env, log_path, *, workers=2, threads=1, args=()):
    """Yields (port, read_log). The access log lines are 'pid status method path'."""
    port = free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--threads", str(threads), "--bind", f"127.0.0.1:{port}",
             "--access-logfile", "-", "--access-logformat", "%(p)s %(s)s %(m)s %(U)s", *args, "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited:\n{Path(log_path).read_text()[-3000:]}")
                try:
                    if get(port, "/healthz", timeout=5)[0] in (200, 503):
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not answer:\n{Path(log_path).read_text()[-3000:]}")
                time.sleep(0.2)
            _wait_for_every_worker(port, log_path, workers, deadline)
            yield port, lambda: Path(log_path).read_text(errors="replace")
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def _wait_for_every_worker(port, log_path, workers, deadline):
    """Until each worker process has answered a request (or the deadline): the
    first answer comes from whichever worker booted first, and a test that
    needs requests spread over the workers must not start before the others
    have loaded the app (a busy machine boots them seconds apart)."""
    from concurrent.futures import ThreadPoolExecutor

    def answered():
        text = Path(log_path).read_text(errors="replace")
        return set(re.findall(r"^<(\d+)> \d{3} GET /healthz$", text, re.M))

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        while len(answered()) < workers and time.monotonic() < deadline:
            list(pool.map(lambda _n: _quiet_get(port, "/healthz"), range(2 * workers)))
            time.sleep(0.1)


def _quiet_get(port, path):
    try:
        return get(port, path, timeout=5)[0]
    except OSError:
        return None


class FaultyProxy:
    """A TCP proxy in front of a real server (PostgreSQL) that a test can make
    misbehave the way networks and servers do:

    - "pass": forwards both ways;
    - "hang": accepts new connections and never answers, and freezes the
      open ones (a paused server, a partition: no data, no reset);
    - "refuse": resets every open connection and refuses new ones (a
      stopped server).

    Use as a context manager; `port` is where clients connect."""

    def __init__(self, target_port, target_host="127.0.0.1"):
        import threading

        self.target = (target_host, target_port)
        self.mode = "pass"
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None
        self._threading = threading
        self.port = None

    def __enter__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.set_mode("refuse")
        try:
            self._listener.close()
        except OSError:
            pass
        return False

    def set_mode(self, mode):
        with self._lock:
            self.mode = mode
            if mode == "refuse":
                for sock in list(self._sockets):
                    try:
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                        sock.close()
                    except OSError:
                        pass
                self._sockets.clear()

    def _accept(self):
        while True:
            try:
                client, _addr = self._listener.accept()
            except OSError:
                return
            with self._lock:
                mode = self.mode
                if mode == "refuse":
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    client.close()
                    continue
                self._sockets.add(client)
            if mode == "hang":
                continue  # accepted, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.add(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                self._threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        import time as _time

        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            while self.mode == "hang":
                _time.sleep(0.05)  # frozen: nothing goes through, nothing is closed
            if not data or self.mode == "refuse":
                for sock in (source, sink):
                    try:
                        sock.close()
                    except OSError:
                        pass
                return
            try:
                sink.sendall(data)
            except OSError:
                return
