"""Random input never gives a 500 on the assessment form and the
special-category form; an invalid form comes back (422) with what was typed
in every text field and each message at its field; a saved draft stores
exactly what was typed (stripped)."""
import re

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.assessment.models import Assessment, AssessmentSensitive
from portal.extensions import db
from portal.input_guard import clean_form_text
from tests.assessment.test_assessment_views import area
from tests.residents.test_residents_views import Page

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Anything a browser can send: no surrogates (not encodable), NUL included.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
DAY = st.one_of(TEXT, st.sampled_from(["09.03.2026", "2026-03-09", "31.02.2026", "11.03.2026", "1.1.1999", ""]))
NUMBER = st.one_of(TEXT, st.sampled_from(["", "1", "3", "0", "31", "-2", "١٢", "99999999999", " 4 "]))
CHOICE = st.one_of(TEXT, st.sampled_from(["", "home", "centre", "none", "higher", "farmer", "widowed", "ready",
                                          "cash", "yes", "no", "refused", "moderate", "999"]))
KINDS = st.lists(st.one_of(st.sampled_from(["cash", "in_kind", "services"]), TEXT), max_size=4)

INPUTS = ("assessed_on", "occupation", "household_size")
AREAS = ("income_source", "social_assistance", "support_notes", "social_engagement", "services_used", "problems",
         "needs", "readiness_notes", "conclusions")
ROW = st.fixed_dictionaries({"service_id": st.one_of(TEXT, st.just("")), "name": TEXT, "quantity": NUMBER,
                             "unit": CHOICE, "frequency": TEXT, "remove": st.sampled_from(["", "y"])})

form = st.fixed_dictionaries({
    "assessed_on": DAY, "place": CHOICE, "education": CHOICE, "labour_status": CHOICE, "occupation": TEXT,
    "marital_status": CHOICE, "household_size": NUMBER, "readiness": CHOICE,
    **{name: TEXT for name in AREAS},
    "support_family": KINDS, "support_ngo": KINDS,
    "rows": st.lists(ROW, max_size=3),
    "action": st.sampled_from(["save", "complete", "add_row", "sensitive", "", "junk"]),
})


SAVED_BUT_INCOMPLETE = "Zapisano szkic. Aby zakończyć diagnozę, uzupełnij zaznaczone pola."


def typed(value):
    return clean_form_text(value).strip()


def same(shown, value):
    want = typed(value)
    return shown in (want, want.replace("\r\n", "\n").replace("\r", "\n"))


def post_data(data, token, version):
    out = {key: value for key, value in data.items() if key != "rows"}
    out.update({"csrf_token": token, "version": version})
    for index, row in enumerate(data["rows"]):
        for key, value in row.items():
            out[f"services-{index}-{key}"] = value
    return out


@pytest.fixture
def coordinator_on_draft(started, login):
    auth = login(started.coordinator)
    return auth, started.id


@SETTINGS
@given(data=form)
def test_assessment_form_never_breaks(client, coordinator_on_draft, data):
    auth, assessment_id = coordinator_on_draft
    db.session.expire_all()
    version = str(db.session.get(Assessment, assessment_id).version)
    response = auth.post(f"/assessments/{assessment_id}/edit", post_data(data, auth.token, version))
    event(f"status {response.status_code}")
    assert response.status_code in (200, 303, 422), response.status_code
    if response.status_code in (200, 422):
        page = Page(response.text)
        for name in INPUTS:
            assert same(page.values.get(name, ""), data[name]), name
        for name in AREAS:
            assert same(area(response.text, name), data[name]), name
        for index, row in enumerate(data["rows"]):
            for key in ("name", "quantity", "frequency"):
                assert same(page.values.get(f"services-{index}-{key}", ""), row[key]), (index, key)
    if response.status_code == 422:
        error_ids = re.findall(r'<p class="error" id="([a-z_0-9-]+)-error">', response.text)
        assert error_ids or SAVED_BUT_INCOMPLETE in response.text
        assert 'id="error-summary"' in response.text or "sensitive-errors" in response.text
    if response.status_code == 303 or (response.status_code == 422 and SAVED_BUT_INCOMPLETE in response.text):
        db.session.expire_all()
        saved = db.session.get(Assessment, assessment_id)
        for name in AREAS:
            assert (getattr(saved, name) or "") == typed(data[name]), name


sensitive_form = st.fixed_dictionaries({
    "minority": CHOICE, "disability": CHOICE, "disability_degree": CHOICE, "health": TEXT, "housing": TEXT,
    "family": TEXT, "version": st.one_of(TEXT, st.just("1"), st.just("")),
})


@SETTINGS
@given(data=sensitive_form)
def test_sensitive_form_never_breaks(client, coordinator_on_draft, data):
    auth, assessment_id = coordinator_on_draft
    response = auth.post(f"/assessments/{assessment_id}/sensitive/edit", data)
    event(f"status {response.status_code}")
    assert response.status_code in (303, 409, 422), response.status_code
    if response.status_code in (409, 422):
        for name in ("health", "housing", "family"):
            assert same(area(response.text, name), data[name]), name
    if response.status_code == 303:
        db.session.expire_all()
        row = db.session.get(AssessmentSensitive, assessment_id)
        assert (row.health or "") == typed(data["health"])
