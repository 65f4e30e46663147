"""Rate limits hold across gunicorn workers when they share a store (Redis).

The review found the limiter created with memory:// whatever the setting
said, so two workers counted on their own and 20 wrong passwords a minute
got through instead of 10. Here two real gunicorn workers share a real Redis:
the limit holds for the address, an account's lockout holds whichever worker
answers, and another account is not blocked."""
import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.conftest import Auth
from tests.servers import gunicorn, portal_env

REDIS_DB = 2


def _login_attempt(port, username, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/login")
        page = conn.getresponse()
        html = page.read().decode()
        cookie = page.getheader("Set-Cookie").split(";", 1)[0]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        conn.request("POST", "/login", body=urlencode({"username": username, "password": password,
                                                       "csrf_token": token}),
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _pids_that_answered_logins(log):
    return {m.group(1) for m in re.finditer(r"^<(\d+)> \d{3} POST /login$", log, re.M)}


@pytest.fixture
def served(app, database_url, redis_url, tmp_path, make_user):
    make_user("front_desk", "recepcja")
    make_user("coordinator", "koordynator")
    env = portal_env(database_url, tmp_path, RATELIMIT_STORAGE_URI=redis_url)
    with gunicorn(env, tmp_path / "gunicorn.log", workers=2, threads=1) as server:
        yield server


def test_the_address_limit_holds_across_two_workers(served):
    port, log = served
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(lambda n: _login_attempt(port, f"konto{n}", "zle-haslo"), range(20)))
    assert sorted(codes) == [422] * 10 + [429] * 10
    assert len(_pids_that_answered_logins(log())) == 2, "both workers must have answered"


def test_an_account_lockout_holds_across_workers_and_spares_other_accounts(served):
    port, log = served
    # All five at once: while one worker checks a password the other takes the
    # next (one after another, a busy machine let one worker answer them all).
    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = list(pool.map(lambda _n: _login_attempt(port, "recepcja", "zle-haslo"), range(5)))
    assert codes == [422] * 5
    # Whichever worker answers, the account is locked for this address, even
    # with the right password: two at a time, until both workers have answered
    # (at most four, within the address's ten attempts a minute) ...
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _round in range(2):
            assert list(pool.map(lambda _n: _login_attempt(port, "recepcja", Auth.PASSWORD), range(2))) == [429, 429]
            if len(_pids_that_answered_logins(log())) == 2:
                break
    # ... and another account from the same address is not.
    assert _login_attempt(port, "koordynator", Auth.PASSWORD) == 303
    assert len(_pids_that_answered_logins(log())) == 2, "both workers must have answered"
