"""The request counts are the front desk's: it sees them without names;
the organisers and the administrator, whose work they are not, do not."""
import re

import pytest


@pytest.fixture
def requests(app):
    from portal.desk.models import Request
    from portal.extensions import db
    from portal.residents.models import Resident

    person = Resident(first_name="Genowefa", last_name="Ćwik", search_first="genowefa", search_last="cwik",
                      pesel="44051401359")
    db.session.add_all([person,
                        Request(channel="phone", kind="application", status="new", resident=person),
                        Request(channel="email", kind="information", status="new"),
                        Request(channel="phone", kind="application", status="withdrawn")])
    db.session.commit()


def test_the_front_desk_sees_request_counts_without_personal_data(client, auth, requests):
    auth.login("front_desk")
    page = re.sub(r"\s+", " ", client.get("/staff").text)
    assert re.search(r"Otwarte wnioski o usługi</td>\s*<td>1</td>", page)
    assert re.search(r"Otwarte pytania o informację</td>\s*<td>1</td>", page)
    assert re.search(r"Osoby w rejestrze</a></td>\s*<td>1</td>", page)
    assert re.search(r'<td><a href="/desk/board\?status=new">nowe</a></td>\s*<td>2</td>', page)
    assert "Genowefa" not in page and "Ćwik" not in page and "44051401359" not in page


@pytest.mark.parametrize("role", ["services_organiser", "community_organiser", "admin"])
def test_others_see_no_request_counts(client, auth, requests, role):
    auth.login(role)
    page = client.get("/staff").text
    assert "Zgłoszenia w liczbach" not in page and "Otwarte wnioski" not in page and "Osoby w rejestrze" not in page
    assert "Genowefa" not in page and "44051401359" not in page
