"""The one-time set-password link: works once, expires, kept only as a hash,
never in a log, never sent on as a Referer, never cached."""
import logging

from tests.accounts.conftest import NEW_PASSWORD, audit, fresh, link_path, password_step, post, text_of
from tests.conftest import FreshContextClient


def new_account(client, **fields):
    data = {"username": "jkowalska", "full_name": "Joanna Kowalska", "role": "coordinator", **fields}
    response = post(client, "/admin/users/new", data)
    assert response.status_code == 200, response.text[:300]
    return link_path(response.text)


def test_the_link_sets_a_password_once_then_the_person_logs_in(app, client, admin):
    from portal.auth.models import PasswordLink, User
    from portal.extensions import db

    path = new_account(client)
    public = FreshContextClient(app)
    page = public.get(path)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Ustaw hasło do Portalu CUS" in text and "Konto: Joanna Kowalska, login jkowalska." in text
    response = post(public, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert "Hasło jest ustawione. Zaloguj się loginem jkowalska i nowym hasłem." in public.get("/login").text
    assert password_step(public, "jkowalska", NEW_PASSWORD).status_code == 303
    assert "Joanna Kowalska" in public.get("/staff").text
    # Used: the same link now says so, in Polish, and sets nothing.
    again = FreshContextClient(app)
    page = again.get(path)
    assert page.status_code == 410
    assert "Ten link został już użyty" in text_of(page.text)
    token = path.rsplit("/", 1)[1]
    response = again.post(path, data={"password": "inne dobre hasło 123", "password_again": "inne dobre hasło 123",
                                      "csrf_token": "x"})
    assert response.status_code in (400, 410)
    user = db.session.scalar(db.select(User).filter_by(username="jkowalska"))
    assert password_step(FreshContextClient(app), "jkowalska", NEW_PASSWORD).status_code == 303
    link = db.session.scalar(db.select(PasswordLink).filter_by(user_id=user.id))
    assert link.used_at is not None and token not in link.token_hash
    events = audit(object_id=user.id)
    assert "password_link_used" in [e.action for e in events]
    assert all(token not in (e.summary + str(e.changes)) for e in events)


def test_the_link_expires_after_72_hours(app, client, admin, clock):
    path = new_account(client)
    public = FreshContextClient(app)
    clock.move(hours=71, minutes=59)
    assert public.get(path).status_code == 200
    clock.move(minutes=1)
    page = public.get(path)
    assert page.status_code == 410
    assert "Ten link wygasł" in text_of(page.text) and "Poproś administratora o nowy link." in text_of(page.text)


def test_an_unknown_link_says_so(client):
    page = client.get("/set-password/nie-ma-takiego-linku")
    assert page.status_code == 404
    assert "Ten link nie działa" in text_of(page.text)


def test_the_page_sends_no_referrer_and_is_not_cached(app, client, admin):
    path = new_account(client)
    public = FreshContextClient(app)
    for response in (public.get(path), post(public, path, {"password": "krótkie", "password_again": "krótkie"}),
                     post(public, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}),
                     public.get(path), public.get("/set-password/zly")):
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"


def test_policy_messages_at_the_field_and_the_input_is_not_echoed(app, client, admin):
    path = new_account(client)
    public = FreshContextClient(app)
    cases = [
        ("krótkie", "krótkie", "Hasło musi mieć co najmniej 12 znaków."),
        ("Warszawa2026!", "Warszawa2026!", "To hasło jest zbyt popularne"),
        ("jkowalska to ja 123", "jkowalska to ja 123", "Hasło nie może zawierać loginu ani imienia czy nazwiska."),
        (NEW_PASSWORD, "inne hasło całkiem", "Hasła nie są takie same."),
        ("", "", "Wpisz nowe hasło."),
    ]
    for password, again, message in cases:
        response = post(public, path, {"password": password, "password_again": again})
        assert response.status_code == 422, message
        assert message in text_of(response.text)
        assert 'aria-invalid="true"' in response.text
        if password:
            assert f'value="{password}"' not in response.text  # password fields are never filled back
    assert public.get(path).status_code == 200  # still usable after the errors


def test_the_token_is_not_written_to_the_access_logs(app, client, admin):
    """werkzeug's request line and gunicorn's access log go through the filter."""
    import io

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    path = new_account(client)
    token = path.rsplit("/", 1)[1]
    # werkzeug: the dev server's request line.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    werkzeug_log = logging.getLogger("werkzeug")
    werkzeug_log.addHandler(handler)
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.INFO)
    try:
        werkzeug_log.info('%s - - [13/Jan/2026 12:00:00] "%s" %s %s', "127.0.0.1", f"GET {path} HTTP/1.1", 200, "-")
    finally:
        werkzeug_log.removeHandler(handler)
        werkzeug_log.setLevel(level)
    assert token not in stream.getvalue() and "/set-password/[…]" in stream.getvalue()

    # gunicorn: its own access logger, as `make run` configures it (--access-logfile -).
    config = Config()
    config.set("accesslog", "-")
    glog = Logger(config)
    stream = io.StringIO()
    for existing in list(glog.access_log.handlers):
        glog.access_log.removeHandler(existing)
    glog.access_log.addHandler(logging.StreamHandler(stream))

    class Response:
        status = "200 OK"
        sent = 100
        headers = []

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": path,
               "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1"}
    from datetime import timedelta

    glog.access(Response(), environ, environ, timedelta(seconds=0))
    written = stream.getvalue()
    assert "GET /set-password/[…] HTTP/1.1" in written and token not in written


def test_a_disabled_account_cannot_use_its_link(app, client, admin):
    from portal.auth.models import User
    from portal.extensions import db

    path = new_account(client)
    user = db.session.scalar(db.select(User).filter_by(username="jkowalska"))
    post(client, f"/admin/users/{user.id}/disable")
    public = FreshContextClient(app)
    assert public.get(path).status_code == 404
    assert fresh(User, user.id).password_hash == "!unusable"


def test_two_requests_with_one_link_set_one_password(app, make_user):
    """The link is claimed by a conditional UPDATE: of two requests that both
    found it unused, the second is refused and changes nothing."""
    import pytest

    from portal.accounts import services as ops
    from portal.auth.models import PasswordLink, User
    from portal.extensions import db
    from portal.timeutil import now

    user = make_user("coordinator", "jkowalska", "Joanna Kowalska")
    token, link = ops.issue_link(db.session, user, actor=None, moment=now())
    db.session.commit()
    ops.use_link(db.session, link, NEW_PASSWORD, moment=now())
    db.session.commit()
    first_hash = fresh(User, user.id).password_hash
    from sqlalchemy.orm.attributes import set_committed_value

    stale = fresh(PasswordLink, link.id)
    set_committed_value(stale, "used_at", None)  # what a second request read before the first committed
    with pytest.raises(ops.Refused):
        ops.use_link(db.session, stale, "zupełnie inne hasło 42", moment=now())
    db.session.rollback()
    assert fresh(User, user.id).password_hash == first_hash
