"""Every page of the provider accounts, in its main states, is valid HTML for
the Nu HTML Checker (one vnu.jar run per database backend)."""
import pytest

from portal.auth.models import Role
from tests.vnu import Pages, assert_valid_page, checked_once

PAGES = [("start", 200), ("profile", 200), ("profile-errors", 422), ("profile-conflict", 409), ("services", 200),
         ("services-conflict", 409), ("sessions", 200), ("session-detail", 200), ("individual", 200),
         ("accounts", 200), ("accounts-errors", 422), ("accounts-link", 200), ("accounts-disable-confirm", 200),
         ("admin-account-detail", 200)]
_RUNS = {}


def _render(client, auth, world):
    pages = Pages()
    keep = pages.keep
    auth.login(Role.PROVIDER)
    keep("start", client.get("/staff"))
    keep("profile", client.get("/provider/profile"))
    keep("profile-errors", auth.post("/provider/profile", {"phone": "12", "email": "nie-adres",
                                                           "version": str(world.ours.version)}))
    keep("profile-conflict", auth.post("/provider/profile", {"city": "Burzec", "version": "0"}))
    keep("services", client.get("/provider/services"))
    keep("services-conflict", auth.post(f"/provider/services/{world.club.id}/assure", {"version": "0"}))
    keep("sessions", client.get("/delivery/sessions"))
    keep("session-detail", client.get(f"/delivery/sessions/{world.session.id}"))
    keep("individual", client.get(f"/delivery/individual?service={world.care.id}&month=2026-05"))
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    keep("accounts", client.get(f"/manage/providers/{world.theirs.id}/accounts"))
    keep("accounts-errors", auth.post(f"/manage/providers/{world.theirs.id}/accounts",
                                      {"username": "Zły login!", "full_name": "", "send_email": "y"}))
    keep("accounts-link", auth.post(f"/manage/providers/{world.theirs.id}/accounts",
                                    {"username": "nowy", "full_name": "Nowy Realizator"}))
    keep("accounts-disable-confirm",
         auth.post(f"/manage/providers/{world.theirs.id}/accounts/{world.other_account.id}/disable"))
    auth.logout()
    auth.login(Role.ADMIN)
    keep("admin-account-detail", client.get(f"/admin/users/{world.other_account.id}"))
    return pages


@pytest.fixture
def provider_pages(app, client, auth, world, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(client, auth, world))


@pytest.mark.parametrize("page_id,status", PAGES, ids=[p[0] for p in PAGES])
def test_provider_page_is_valid_html(provider_pages, page_id, status):
    assert_valid_page(provider_pages, page_id, status)
