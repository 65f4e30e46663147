"""Concurrent edits (issue 15 §4): the organiser edits the service after the
provider proposed, so accepting gets the conflict screen and changes nothing;
two organisers accepting at once, one gets the conflict; the provider revising
under the organiser's eyes; the row moving underneath the accept itself."""
import pytest
from sqlalchemy import text

from portal.auth.models import Role
from tests.conftest import Auth
from tests.helpers import assert_in, stored, visible_text
from tests.proposals.conftest import form_fields
from tests.proposals.test_proposals_views import propose_change, the_proposal


def review_form(auth, proposal_id):
    url = f"/proposals/review/{proposal_id}/accept"
    return url, form_fields(auth.client.get(f"/proposals/review/{proposal_id}").text, url)


def edit_service(auth, service_id, **changes):
    url = f"/manage/services/{service_id}/edit"
    data = form_fields(auth.client.get(url).text, url)
    data.update(changes)
    response = auth.client.post(url, data=data)
    assert response.status_code == 303
    return response


@pytest.fixture
def proposed(auth, own_service):
    """The provider proposed a new name and a way to apply; then the organiser is logged in."""
    auth.login(Role.PROVIDER)
    propose_change(auth, own_service, name="Klub Seniora „Pogodna Jesień”",
                   application_process="Zapisy telefoniczne.")
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    return the_proposal(service_id=own_service.id)


def _service(service_id):
    from portal.catalogue.models import Service

    return stored(Service, service_id)


def test_an_edit_since_the_proposal_makes_accepting_a_conflict_that_changes_nothing(auth, proposed, own_service):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    url, data = review_form(auth, proposed.id)           # the organiser opens the proposal...
    edit_service(auth, own_service.id, phone="25 753 22 22", application_process="Zapisy w sekretariacie.")
    edited = _service(own_service.id)                     # ...someone saves the service meanwhile
    response = auth.client.post(url, data={**data, "confirmed": "yes"})
    assert response.status_code == 409
    text = visible_text(response.text)
    assert_in(text, "Usługa albo propozycja zmieniła się w międzyczasie", "Od złożenia propozycji ktoś zmienił",
              "Jak się zgłosić Zapisy w sekretariacie. Zapisy telefoniczne.",
              "Nazwa usługi Klub Seniora w Bęczkowie Klub Seniora „Pogodna Jesień”")
    service = _service(own_service.id)
    assert (service.version, service.name, service.application_process) == (
        edited.version, "Klub Seniora w Bęczkowie", "Zapisy w sekretariacie.")
    assert the_proposal(proposed.id).state == "submitted"
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).filter_by(
        object_type="service_proposal", object_id=proposed.id, action="status")) == 0

    # The conflict page carries the service's version now: accepting from it overwrites knowingly
    # what both changed; what the provider did not touch (the organiser's new phone) stays.
    retry = form_fields(response.text, url)
    assert retry["service_version"] == str(edited.version)
    assert auth.client.post(url, data={**retry, "confirmed": "yes"}).status_code == 303
    service = _service(own_service.id)
    assert (service.name, service.application_process, service.phone) == (
        "Klub Seniora „Pogodna Jesień”", "Zapisy telefoniczne.", "+48257532222")
    assert the_proposal(proposed.id).state == "accepted"


def test_two_organisers_accepting_at_once_one_gets_the_conflict(app, auth, proposed, own_service):
    other = Auth(app.test_client())
    other.login(Role.ADMIN)
    url, mine = review_form(auth, proposed.id)
    _url, theirs = review_form(other, proposed.id)
    assert auth.client.post(url, data={**mine, "confirmed": "yes"}).status_code == 303
    late = other.client.post(url, data={**theirs, "confirmed": "yes"})
    assert late.status_code == 409
    assert_in(visible_text(late.text), "Ta zmiana jest już zapisana", "przyjęta")
    service = _service(own_service.id)
    assert service.version == proposed.base_version + 1  # applied once
    assert the_proposal(proposed.id).decided_by_id == auth.user(Role.SERVICES_ORGANISER).id


def test_a_revision_while_the_organiser_reads_makes_the_accept_a_conflict(auth, proposed, own_service):
    from portal.extensions import db
    from portal.proposals import services as proposals

    url, data = review_form(auth, proposed.id)
    provider = auth.user(Role.PROVIDER)
    revised = proposals.proposed_data(proposed)
    revised["goal"] = "Spotkania seniorów."
    proposals.revise(db.session, proposed, revised, actor=provider, expected_version=proposed.version,
                     base_version=proposed.service.version)
    db.session.commit()
    response = auth.client.post(url, data={**data, "confirmed": "yes"})
    assert response.status_code == 409
    assert_in(visible_text(response.text), "Realizator poprawił propozycję", "Spotkania seniorów.")
    assert _service(own_service.id).name == "Klub Seniora w Bęczkowie"
    assert the_proposal(proposed.id).state == "submitted"


def test_a_return_after_another_organiser_accepted_is_a_conflict(app, auth, proposed, own_service):
    other = Auth(app.test_client())
    other.login(Role.ADMIN)
    url, data = review_form(other, proposed.id)
    version = str(proposed.version)
    assert other.client.post(url, data={**data, "confirmed": "yes"}).status_code == 303
    response = auth.post(f"/proposals/review/{proposed.id}/return", {"version": version, "message": "Za późno?"})
    assert response.status_code == 409
    assert the_proposal(proposed.id).state == "accepted"


def test_the_row_moving_underneath_the_accept_raises_and_keeps_the_other_save(auth, proposed, own_service):
    """The version column guards the UPDATE itself: a save committed between
    the accept's read and its write makes the flush fail; nothing of the proposal lands."""
    from sqlalchemy.orm.exc import StaleDataError

    from portal.extensions import db
    from portal.proposals import services as proposals

    organiser = auth.user(Role.SERVICES_ORGANISER)
    proposal = the_proposal(proposed.id)
    proposal.service  # loaded before the other worker saves
    with db.engine.begin() as other:
        other.execute(text("UPDATE service SET version = version + 1, goal = 'cudze' WHERE id = :id"),
                      {"id": own_service.id})
    with pytest.raises(StaleDataError):
        proposals.accept(db.session, proposal, actor=organiser, expected_version=proposal.version,
                         service_version=proposal.base_version)
    db.session.rollback()
    service = _service(own_service.id)
    assert (service.goal, service.name) == ("cudze", "Klub Seniora w Bęczkowie")
    assert the_proposal(proposed.id).state == "submitted"


def test_an_edit_while_the_provider_fills_the_form_gets_the_providers_conflict_screen(app, auth, own_service):
    auth.login(Role.PROVIDER)
    url = f"/proposals/services/{own_service.id}/change"
    data = form_fields(auth.client.get(url).text, url)         # the provider opens the form...
    organiser = Auth(app.test_client())
    organiser.login(Role.SERVICES_ORGANISER)
    edit_service(organiser, own_service.id, goal="Integracja mieszkańców.")  # ...the organiser saves meanwhile
    data.update(goal="Aktywizacja seniorów.", name="Klub Seniora „Pogodna Jesień”")
    response = auth.client.post(url, data=data)
    assert response.status_code == 409
    assert_in(visible_text(response.text), "Organizator usług zmienił tę usługę w międzyczasie",
              "Cel usługi Integracja mieszkańców. Aktywizacja seniorów.")
    assert the_proposal(service_id=own_service.id) is None
    retry = form_fields(response.text, url)
    assert retry["goal"].strip() == "Aktywizacja seniorów."
    assert retry["base_version"] == str(_service(own_service.id).version)
    assert auth.client.post(url, data=retry).status_code == 303
    proposal = the_proposal(service_id=own_service.id)
    assert proposal.base_version == _service(own_service.id).version
    assert proposal.base["goal"] == "Integracja mieszkańców." and proposal.data["goal"] == "Aktywizacja seniorów."
