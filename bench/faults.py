"""python -m bench faults: the fault reproductions of issue 16, against the
portal served by gunicorn as `make run` serves it, on PostgreSQL (through a
TCP proxy that can hang or refuse) and on SQLite. Prints what each gives;
asserts nothing (the tests in tests/resilience do).

1. a hung database: /healthz and a page, how long until the answer
2. a stopped database: what an anonymous visitor and a logged-in
   receptionist get, and what the log holds
3. NUL in URLs and in a login name, on both databases
4. keep-alive clients leaving request bodies unread, then /healthz
5. (the kiosk's renewal: a browser test, tests/browser/test_kiosk_browser.py)
6. the same contact form and desk form sent twice: records stored
"""
import http.client
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlencode

from . import OUT_DIR, ROOT
from .server import _tool, fresh_postgres, fresh_sqlite

sys.path.insert(0, str(ROOT))
from tests.servers import FaultyProxy, gunicorn, portal_env  # noqa: E402

PASSWORD = "bench-faults-haslo-2026"


def _request(port, method, path, *, body=None, headers=None, timeout=60):
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data.decode("utf-8", "replace"), \
            time.perf_counter() - started
    except OSError as error:
        return None, {}, str(type(error).__name__), time.perf_counter() - started
    finally:
        conn.close()


class Browser:
    """A cookie jar over http.client: enough to log in and post forms."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, headers):
        for name, value in headers.items():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]

    def get(self, path, timeout=60):
        status, headers, text, seconds = _request(self.port, "GET", path, headers=self._headers(), timeout=timeout)
        self._keep(headers)
        return status, headers, text, seconds

    def post(self, path, data, timeout=60):
        status, headers, text, seconds = _request(
            self.port, "POST", path, body=urlencode(data),
            headers=self._headers({"Content-Type": "application/x-www-form-urlencoded"}), timeout=timeout)
        self._keep(headers)
        return status, headers, text, seconds


def _token(html, name="csrf_token"):
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', html) or \
        re.search(rf'id="{name}" name="{name}" type="hidden" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _prepare(database_url):
    env = portal_env(database_url, OUT_DIR)
    subprocess.run([_tool("flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([_tool("flask"), "--app", "wsgi", "users", "create", "recepcja", "--name", "Anna Recepcyjna",
                    "--role", "front_desk", "--password", PASSWORD], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def _login(port):
    browser = Browser(port)
    _s, _h, page, _t = browser.get("/login")
    status, *_rest = browser.post("/login", {"username": "recepcja", "password": PASSWORD,
                                             "csrf_token": _token(page)})
    assert status == 303, status
    return browser


def _outage_line(status, text, seconds):
    polish = "Usługa chwilowo niedostępna" in text
    bare = "Internal Server Error" in text
    return f"{status} in {seconds:.1f} s, {'Polish outage page' if polish else 'bare error' if bare else 'page'}"


def _log_figures(log):
    lines = log.splitlines()
    return (sum("Traceback" in line for line in lines), sum("database unavailable" in line for line in lines))


def postgres_faults(out):
    url = fresh_postgres()
    _prepare(url)
    port_pg = int(re.search(r":(\d+)/", url).group(1)) if re.search(r":(\d+)/", url) else 5432
    with FaultyProxy(port_pg) as proxy:
        proxied = re.sub(r"@([^/:]+)(:\d+)?/", f"@127.0.0.1:{proxy.port}/", url)
        env = portal_env(proxied, OUT_DIR)
        with gunicorn(env, OUT_DIR / "faults-pg.log", workers=2, threads=4) as (port, log):
            desk = _login(port)
            out("1. A hung database (PostgreSQL paused: the proxy accepts and answers nothing)")
            proxy.set_mode("hang")
            status, _h, text, seconds = _request(port, "GET", "/healthz")
            out(f"   /healthz: {status} in {seconds:.1f} s ({text.strip()})")
            status, _h, text, seconds = _request(port, "GET", "/services")
            out(f"   /services (anonymous): {_outage_line(status, text, seconds)}")
            status, _h, text, seconds = desk.get("/desk/board")
            out(f"   /desk/board (receptionist): {_outage_line(status, text, seconds)}")
            proxy.set_mode("pass")
            started = time.perf_counter()
            while _request(port, "GET", "/healthz")[0] != 200:
                time.sleep(0.1)
            out(f"   resumed: /healthz 200 again after {time.perf_counter() - started:.1f} s, nothing restarted")
            out("2. A stopped database (the proxy refuses and resets)")
            proxy.set_mode("refuse")
            before = _log_figures(log())
            for who, call in (("anonymous /", lambda: _request(port, "GET", "/")),
                              ("anonymous /services", lambda: _request(port, "GET", "/services")),
                              ("receptionist /desk/board", lambda: desk.get("/desk/board")),
                              ("receptionist /residents/", lambda: desk.get("/residents/"))):
                status, headers, text, seconds = call()
                out(f"   {who}: {_outage_line(status, text, seconds)}, Retry-After {headers.get('Retry-After')}")
            status, _h, text, seconds = _request(port, "GET", "/healthz")
            out(f"   /healthz: {status} in {seconds:.1f} s ({text.strip()})")
            after = _log_figures(log())
            out(f"   log: {after[0] - before[0]} tracebacks, {after[1] - before[1]} one-line error entries "
                "for 4 failed pages")
            proxy.set_mode("pass")
            while _request(port, "GET", "/healthz")[0] != 200:
                time.sleep(0.1)
            nul(out, port, desk, "PostgreSQL")
            unread_bodies(out, port)
            double_submit(out, port, desk)


NUL_PATHS = ["/services/%00", "/services/a%00b/print", "/providers/%00", "/events/%00", "/events/%00.ics",
             "/events/audience/%00.ics"]


def nul(out, port, desk, backend):
    out(f"3. NUL in URLs and a login name ({backend})")
    codes = [_request(port, "GET", path)[0] for path in NUL_PATHS]
    out("   " + ", ".join(f"{p} {c}" for p, c in zip(NUL_PATHS, codes)))
    anonymous = Browser(port)
    _s, _h, page, _t = anonymous.get("/login")
    status, *_rest = anonymous.post("/login", {"username": "recepcja\x00", "password": "zle-haslo-nul",
                                               "csrf_token": _token(page)})
    out(f"   login 'recepcja\\x00' with a wrong password: {status}")


def unread_bodies(out, port, clients=12):
    out(f"4. {clients} keep-alive clients leave bodies over 8 KB unread (405/404/413), then stay idle")
    held = []
    for n in range(clients):
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        path = ["/healthz", "/no-such-page", "/contact"][n % 3]
        body = b"x" * (70_000 if path == "/contact" else 9_000)
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                     f"\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
        try:
            sock.recv(65536)
        except OSError:
            pass
        held.append(sock)
    status, _h, _text, seconds = _request(port, "GET", "/healthz", timeout=60)
    out(f"   /healthz then: {status} in {seconds:.2f} s")
    for sock in held:
        sock.close()


def double_submit(out, port, desk):
    out("6. The same form sent twice (a resend after a timeout, a double click)")
    visitor = Browser(port)
    _s, _h, page, _t = visitor.get("/contact")
    data = {"csrf_token": _token(page), "started": _token(page, "started"), "name": "Halina Wiśniewska",
            "phone": "601 234 567", "message": "Czy mogę zapisać mamę do klubu?"}
    time.sleep(3.2)  # the form's minimum fill time
    codes = [visitor.post("/contact", data)[0] for _ in range(2)]
    _s, _h, form, _t = desk.get("/desk/requests/new")
    desk_data = {"csrf_token": _token(form), "submission": _token(form, "submission"), "channel": "phone",
                 "kind": "information", "question": "Godziny otwarcia?", "answer": "7:30–15:30", "action": "save"}
    desk_codes = [desk.post("/desk/requests/new", desk_data)[0] for _ in range(2)]
    _s, _h, board, _t = desk.get("/desk/board?status=")
    count = re.search(r"(\d+) zgłosze", board)
    out(f"   contact form twice: {codes}; desk form twice: {desk_codes}; "
        f"requests on the board: {count.group(1) if count else '?'} (one of each)")


def sqlite_faults(out):
    path = OUT_DIR / "faults.sqlite3"
    url = fresh_sqlite(path)
    _prepare(url)
    env = portal_env(url, OUT_DIR)
    with gunicorn(env, OUT_DIR / "faults-sqlite.log", workers=2, threads=4) as (port, _log):
        desk = _login(port)
        nul(out, port, desk, "SQLite")


def main(out=print):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out("Fault reproductions (issue 16), gunicorn as `make run` serves it")
    try:
        postgres_faults(out)
    except RuntimeError as error:
        out(f"PostgreSQL part skipped: {error}")
    sqlite_faults(out)
    out("5. The kiosk's renewal with the server stopped mid-way: tests/browser/test_kiosk_browser.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
