"""The staff navigation is made of the entries each feature registers
(portal/core/menus.py): every entry a role sees leads to a page the role may
open (the role × route table of tests/test_access.py), and each role's
menu is the one it has always had, in the same order."""
import html
import re

import pytest

from portal.auth.models import Role
from portal.core import menus
from tests.test_access import STAFF, TABLE

# What each role reads in the header's menu after the two public entries
# ("Katalog usług", "Wydarzenia"), in this order.
EXPECTED = {
    Role.FRONT_DESK: ["Pulpit", "Zgłoszenia", "Nowe zgłoszenie", "Rejestr osób", "Ankiety z papieru",
                      "Skargi i wnioski"],
    Role.COORDINATOR: ["Pulpit", "Zgłoszenia", "Nowe zgłoszenie", "Rejestr osób", "Ankiety z papieru", "Diagnozy",
                       "Plany (IPUS)", "Moje sprawy", "Skargi i wnioski", "Usługi indywidualne"],
    Role.DIRECTOR: ["Pulpit", "Zgłoszenia", "Nowe zgłoszenie", "Rejestr osób", "Diagnozy", "Plany (IPUS)",
                    "Sprawy koordynatorów", "Skargi i wnioski", "Zgłoszenia realizatorów", "Zajęcia grupowe",
                    "Wykorzystanie usług", "Jakość usług", "Umowy", "Zarządzanie wydarzeniami", "Komunikaty pilne",
                    "Ekrany", "Koordynatorzy miejscowości", "Raporty"],
    Role.SERVICES_ORGANISER: ["Pulpit", "Listy oczekujących", "Skargi i wnioski", "Usługi", "Realizatorzy",
                              "Zgłoszenia realizatorów", "Propozycje realizatorów", "Wyszukiwanie", "Zajęcia grupowe",
                              "Usługi indywidualne", "Rejestr konsultacji", "Wykorzystanie usług", "Jakość usług",
                              "Umowy", "Raporty"],
    Role.COMMUNITY_ORGANISER: ["Pulpit", "Skargi i wnioski", "Zarządzanie wydarzeniami", "Komunikaty pilne",
                               "Ekrany", "Raporty"],
    Role.ADMIN: ["Pulpit", "Usługi", "Realizatorzy", "Zgłoszenia realizatorów", "Propozycje realizatorów",
                 "Wyszukiwanie", "Zarządzanie wydarzeniami", "Komunikaty pilne", "Ekrany",
                 "Koordynatorzy miejscowości", "Konta pracowników"],
    Role.PROVIDER: ["Pulpit", "Moja organizacja", "Usługi organizacji", "Propozycje zmian", "Zajęcia grupowe",
                    "Usługi indywidualne"],
}


def menu_items(page):
    """The visible names of the header menu's links, in order."""
    nav = re.search(r'(?s)<nav class="main-nav".*?</nav>', page).group(0)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", link)).split())
            for link in re.findall(r"(?s)<a [^>]*>(.*?)</a>", nav)]


def tiles(page):
    return [" ".join(html.unescape(text).split()) for text in re.findall(r'<a class="tile" href="[^"]*">([^<]*)</a>',
                                                                         page)]


@pytest.mark.parametrize("role", Role.ALL)
def test_every_entry_a_role_sees_is_a_page_the_role_may_open(app, role):
    assert EXPECTED.keys() == set(Role.ALL)
    for entry in menus.entries():
        assert entry.endpoint in TABLE, f"{entry.endpoint} is in a menu but not in the role × route table"
        assert entry.endpoint in app.view_functions, entry.endpoint
        allowed = TABLE[entry.endpoint]
        if role in entry.roles:
            assert allowed == STAFF or role in allowed, (role, entry.endpoint)
        # Every entry has a GET page of its own, with no arguments to fill in.
        rule = next(app.url_map.iter_rules(entry.endpoint))
        assert "GET" in rule.methods and not rule.arguments, entry.endpoint


@pytest.mark.parametrize("role", Role.ALL)
def test_each_role_reads_its_menu_on_the_dashboard(client, auth, role):
    auth.login(role)
    page = client.get("/staff")
    assert page.status_code == 200
    assert menu_items(page.text) == ["Katalog usług", "Wydarzenia", *EXPECTED[role]]
    # The dashboard's tiles: the catalogue, then the same entries but the dashboard itself.
    assert tiles(page.text) == ["Katalog usług", *EXPECTED[role][1:]]
    # Every entry opens for the role.
    for entry in menus.for_role(role):
        from flask import url_for

        with client.application.test_request_context():
            url = url_for(entry.endpoint)
        assert client.get(url).status_code in (200, 302), (role, url)


def test_nobody_signed_in_sees_no_staff_entries(client):
    assert menu_items(client.get("/").text) == ["Katalog usług", "Wydarzenia", "Napisz do nas"]
