"""Organisers see counts, never people."""
import re

import pytest


@pytest.mark.parametrize("role", ["services_organiser", "community_organiser", "admin", "director"])
def test_dashboard_shows_counts_without_personal_data(client, auth, role):
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
    auth.login(role)
    page = client.get("/staff").text
    assert "Otwarte wnioski o usługi: 1" in page
    assert "otwarte pytania o informację: 1" in page
    assert "osoby w rejestrze: 1" in page
    assert re.search(r"<td>(<a [^>]+>)?nowe(</a>)?</td><td>2</td>", page)
    assert "Genowefa" not in page and "Ćwik" not in page and "44051401359" not in page
