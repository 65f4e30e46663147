"""Random input never gives a 500 on the session form: a refused form comes
back with 422 and every text typed in its box; an accepted one is saved."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from portal.input_guard import clean_form_text

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=320)
DAY = st.one_of(TEXT, st.sampled_from(["2026-05-19", "19.05.2026", "31.02.2026", "", "2026-13-01", "1899-01-01"]))
TIME = st.one_of(TEXT, st.sampled_from(["10:00", "9", "09.30", "24:00", "", "13:00", "23:59", "-1"]))


@pytest.fixture
def organiser(auth, club, frozen):
    auth.login("services_organiser", "organizator")
    return auth


@given(form=st.fixed_dictionaries({"held_on": DAY, "starts": TIME, "ends": TIME, "place": TEXT, "leader": TEXT,
                                   "topic": TEXT, "provider_id": st.one_of(TEXT, st.just("")),
                                   "version": st.one_of(TEXT, st.just(""))}))
@SETTINGS
def test_the_session_form_never_fails(organiser, club, form):
    response = organiser.post(f"/delivery/sessions/services/{club.id}/new", dict(form))
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        for name in ("place", "leader", "topic"):
            typed = clean_form_text(form[name]).strip()
            if typed and len(typed) <= 300:
                assert f'value="{escape(typed)}"' in response.text, name
