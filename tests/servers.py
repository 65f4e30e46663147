"""Real servers for tests that need more than the test client: the portal under
gunicorn (several worker processes), started on a free loopback port and
always stopped afterwards."""
import http.client
import os
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
            yield port, lambda: Path(log_path).read_text(errors="replace")
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
