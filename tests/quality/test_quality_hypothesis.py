"""Random input never gives a 500 on the quality entry forms (the survey
behind a link, the paper survey, the check); a refused form comes back (422)
with what was typed in its text fields, and a link is spent only by an
answer that was stored."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.input_guard import clean_form_text
from portal.quality import services as quality
from portal.quality.models import ProviderCheck, SurveyAnswer
from tests.residents.test_residents_views import Page

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
SCORE = st.one_of(TEXT, st.sampled_from(["", "1", "3", "5", "0", "6", "-1", "٣", " 4 "]))
DAY = st.one_of(TEXT, st.sampled_from(["", "2026-05-12", "12.05.2026", "2026-05-16", "31.02.2026", "1999-01-01"]))

survey = st.fixed_dictionaries({"q1": SCORE, "q2": SCORE, "q3": SCORE, "q4": SCORE, "comment": TEXT})
check = st.fixed_dictionaries({
    "provider_id": st.one_of(TEXT, st.sampled_from(["", "1", "999999"])), "service_id": st.one_of(TEXT, st.just("")),
    "checked_on": DAY, "inspectors": TEXT, "scope": TEXT, "findings": TEXT, "recommendations": TEXT,
    "follow_up_on": DAY, "follow_up_done_on": DAY, "answer": TEXT, "answered_on": DAY})


def typed(value):
    return clean_form_text(value).strip()


def kept(page, name, value):
    shown = page.textareas.get(name, page.values.get(name)) or ""
    shown = shown.removeprefix("\r\n").removeprefix("\n")  # a textarea's first line break is not content
    want = typed(value)
    return shown in (want, want.replace("\r\n", "\n").replace("\r", "\n"))


@SETTINGS
@given(data=survey)
def test_the_survey_by_link_never_fails(client, auth, club, links, data):
    token = links(club)[0]
    before = db.session.scalar(db.select(db.func.count()).select_from(SurveyAnswer))
    response = auth.post(f"/ankieta/{token}", data)
    assert response.status_code in (303, 422), response.status_code
    stored = db.session.scalar(db.select(db.func.count()).select_from(SurveyAnswer)) - before
    state = quality.find_link(db.session, token)[1]
    if response.status_code == 303:
        assert stored == 1 and state == quality.LINK_USED
    else:
        assert stored == 0 and state == quality.LINK_OK
        assert kept(Page(response.text), "comment", data["comment"])


@SETTINGS
@given(data=survey, day=DAY)
def test_the_paper_survey_never_fails(client, auth, club, data, day):
    if auth.token is None:
        auth.login("front_desk")
    response = auth.post(f"/quality/services/{club.id}/paper", {**data, "answered_on": day})
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        page = Page(response.text)
        assert kept(page, "comment", data["comment"])


@SETTINGS
@given(data=check)
def test_the_check_form_never_fails(client, auth, club, data):
    if auth.token is None:
        auth.login("services_organiser")
    if data["provider_id"] == "1":
        data = {**data, "provider_id": str(club.provider_id)}
    before = db.session.scalar(db.select(db.func.count()).select_from(ProviderCheck))
    response = auth.post("/quality/checks/new", data)
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        page = Page(response.text)
        for name in ("inspectors", "scope", "findings", "recommendations", "answer"):
            assert kept(page, name, data[name]), name
        assert db.session.scalar(db.select(db.func.count()).select_from(ProviderCheck)) == before
