"""Every full page is valid HTML according to the Nu HTML Checker (vnu.jar).

The pages are rendered with the Flask test client, saved to a temporary
folder and checked by ONE `java -jar vnu.jar` run per database backend (the
run is shared by the per-page tests below, so each page reports on its own;
tests/vnu.py runs the checker). HTMX fragments are not documents and are not
checked here.
"""
import re
from datetime import datetime, time

import pytest

from tests.vnu import Pages, assert_valid_page, checked_once

ORGANISER = "services_organiser"

# (id, path, how to get it, expected status). {service} / {provider} are slugs.
PAGES = [
    ("catalogue", "/", "get", 200),
    ("catalogue-search", "/?q=rehab", "get", 200),
    ("catalogue-zero-results", "/?q=xylofon", "get", 200),
    ("service", "/services/{service}", "get", 200),
    ("service-print", "/services/{service}/print", "get", 200),
    ("provider", "/providers/{provider}", "get", 200),
    ("situation", "/situations/{situation}", "get", 200),
    ("login", "/login", "get", 200),
    ("login-errors", "/login", "post-empty", 422),
    ("not-found", "/no-such-page", "get", 404),
    ("staff-dashboard", "/staff", "staff", 200),
    ("manage-services", "/manage/services", "staff", 200),
    ("manage-services-new", "/manage/services/new", "staff", 200),
    ("manage-providers", "/manage/providers", "staff", 200),
    ("manage-synonyms", "/manage/synonyms", "staff", 200),
    # After the public searches above: "rehab" among the most searched, "xylofon" a miss.
    ("manage-search-statistics", "/manage/search-statistics", "staff", 200),
    ("manage-search-statistics-invalid", "POST /manage/search-misses/{miss_id}/synonym (empty)", "statistics", 422),
    ("manage-places", "/manage/places", "staff", 200),
    ("manage-import", "/manage/import", "staff", 200),
    ("manage-situations", "/manage/situations", "staff", 200),
    ("delivery-usage", "/delivery/usage", "staff", 200),
    ("delivery-service-usage", "/delivery/services/{service_id}/usage", "staff", 200),
    ("manage-situation-new", "/manage/situations/new", "staff", 200),
    ("manage-situation-edit", "/manage/situations/{situation_id}/edit", "staff", 200),
    # The list of services narrowed by the filter box, without JavaScript.
    ("manage-situation-filtered", "POST /manage/situations/{situation_id}/edit (filter)", "situation-filter", 200),
    # The shared confirmation page of an irreversible action (portal/confirm.py).
    ("confirm-archive", "POST /manage/services/{service_id}/status (archive)", "confirm", 200),
    # Accounts (rendered by _render_account_pages): the administrator's pages,
    # the one-time link, the own account, the login's second step.
    ("accounts-list", "/admin/users", "accounts", 200),
    ("accounts-new", "/admin/users/new", "accounts", 200),
    ("accounts-link", "POST /admin/users/new", "accounts", 200),
    ("accounts-detail", "/admin/users/{user_id}", "accounts", 200),
    ("accounts-history", "/admin/users/{user_id}/history", "accounts", 200),
    ("accounts-confirm", "/admin/users/{user_id}/reset", "accounts", 200),
    ("accounts-two-factor-roles", "/admin/users/two-factor", "accounts", 200),
    ("accounts-villages", "/staff/village-coordinators", "accounts", 200),
    ("accounts-me", "/account", "accounts", 200),
    ("accounts-password", "/account/password", "accounts", 200),
    ("accounts-totp-setup", "/account/two-factor", "accounts", 200),
    ("accounts-recovery-codes", "POST /account/two-factor", "accounts", 200),
    ("accounts-totp-disable", "/account/two-factor/disable", "accounts", 200),
    ("accounts-set-password", "/set-password/{token}", "accounts", 200),
    ("accounts-link-used", "/set-password/{token} (used)", "accounts", 410),
    ("login-2fa", "/login/2fa", "accounts", 200),
    ("login-2fa-expired", "/login/2fa (none pending)", "accounts", 200),
]

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _csrf(html):
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the login page"
    return match.group(1)


# One checker run per database backend, shared by the per-page tests.
_RUNS = {}


def _seed(app):
    from portal.catalogue.models import Service
    from portal.extensions import db
    from portal.timeutil import WARSAW

    app.config["FIXED_NOW"] = datetime.combine(datetime.now(WARSAW).date(), time(10, 0), tzinfo=WARSAW)
    from portal.demo.catalogue import seed_catalogue

    seed_catalogue(db.session)
    db.session.commit()
    bed = db.session.scalar(db.select(Service).filter_by(name="Łóżko rehabilitacyjne"))
    from portal.catalogue.models import LifeSituation

    situation = db.session.scalar(db.select(LifeSituation).order_by(LifeSituation.position))
    return {"service": bed.slug, "provider": bed.provider.slug, "service_id": bed.id,
            "situation": situation.slug, "situation_id": situation.id}


def _render_pages(app, client, auth):
    """{page id: (url, status, html or None)}; anonymous pages first, then staff."""
    slugs = _seed(app)
    rendered = Pages()
    for page_id, path, how, _status in PAGES:
        if how != "get":
            continue
        url = path.format(**slugs)
        rendered.keep(page_id, client.get(url), url)

    login_page = client.get("/login").text
    response = client.post("/login", data={"username": "", "password": "", "csrf_token": _csrf(login_page)})
    rendered.keep("login-errors", response, "POST /login (empty form)")

    auth.login(ORGANISER)
    for page_id, path, how, _status in PAGES:
        if how != "staff":
            continue
        url = path.format(**slugs)
        rendered.keep(page_id, client.get(url), url)
    url = f"/manage/situations/{slugs['situation_id']}/edit"
    rendered.keep("manage-situation-filtered", auth.post(url, {
        "name": "Samotność", "description": "Kluby i rozmowa.", "service_filter": "klub", "show": "filter",
        "service_ids": [str(slugs["service_id"])]}), f"POST {url} (filter)")
    url = f"/manage/services/{slugs['service_id']}/status"
    rendered.keep("confirm-archive", auth.post(url, {"action": "archive"}), f"POST {url}")
    from portal.catalogue.models import SearchCount
    from portal.extensions import db

    miss_id = db.session.scalar(db.select(SearchCount.id).filter_by(query="xylofon"))
    url = f"/manage/search-misses/{miss_id}/synonym"
    rendered.keep("manage-search-statistics-invalid", auth.post(url, {"group_id": "", "phrase": ""}), f"POST {url}")
    auth.logout()
    _render_account_pages(app, client, auth, rendered)
    return rendered


def _render_account_pages(app, client, auth, rendered):
    from portal.timeutil import now
    from tests.accounts.conftest import code_at, link_path, password_step, post, secret_from

    def keep(page_id, url, response):
        rendered.keep(page_id, response, url)

    auth.login("admin", "admin")
    created = post(client, "/admin/users/new", {"username": "jkowalska", "full_name": "Joanna Kowalska",
                                                 "role": "coordinator"})
    keep("accounts-link", "POST /admin/users/new", created)
    link = link_path(created.text)
    from portal.auth.models import User
    from portal.extensions import db

    user_id = db.session.scalar(db.select(User.id).filter_by(username="jkowalska"))
    for page_id, path, how, _status in PAGES:
        if how == "accounts" and path.startswith("/") and " " not in path and "{token}" not in path \
                and not path.startswith("/login"):
            url = path.format(user_id=user_id)
            keep(page_id, url, client.get(url))
    secret = secret_from(rendered["accounts-totp-setup"][2])
    keep("accounts-recovery-codes", "POST /account/two-factor",
         post(client, "/account/two-factor", {"password": auth.PASSWORD, "code": code_at(secret, now())}))
    keep("accounts-totp-disable", "/account/two-factor/disable", client.get("/account/two-factor/disable"))
    auth.logout()
    keep("accounts-set-password", link, client.get(link))
    password = "pochmurny rower sześć jabłek"
    post(client, link, {"password": password, "password_again": password})
    keep("accounts-link-used", link, client.get(link))
    keep("login-2fa-expired", "/login/2fa", client.get("/login/2fa"))
    password_step(client, "admin")
    keep("login-2fa", "/login/2fa", client.get("/login/2fa"))


@pytest.fixture
def html_check(app, client, auth, database_url):
    return checked_once(_RUNS, database_url, lambda: _render_pages(app, client, auth))


@pytest.mark.parametrize("page_id,expected_status", [(p[0], p[3]) for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_is_valid_html(html_check, page_id, expected_status):
    assert_valid_page(html_check, page_id, expected_status)
