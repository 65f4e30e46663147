"""The proposals' pages: the provider proposes (a change, a new service),
sees its proposals; the organiser reviews side by side, accepts (confirmed)
or returns with a message (e-mailed); another provider's ids give 404; bad
input 422 with what was typed kept; conflicts 409."""
import pytest
from sqlalchemy import select

from portal.auth.models import Role
from tests.helpers import assert_in, stored, switch, visible_text
from tests.proposals.conftest import form_fields


def change_url(service):
    return f"/proposals/services/{service.id}/change"


def propose_change(auth, service, **changes):
    """The provider's change form as drawn, with `changes` typed in, posted."""
    url = change_url(service)
    data = form_fields(auth.client.get(url).text, url)
    data.update(changes)
    return auth.client.post(url, data=data)


def the_proposal(ident=None, **where):
    from portal.proposals.models import Proposal

    return stored(Proposal, ident, **where)


def accept(auth, proposal_id, **extra):
    """The review page's accept form, posted and confirmed."""
    url = f"/proposals/review/{proposal_id}/accept"
    data = form_fields(auth.client.get(f"/proposals/review/{proposal_id}").text, url)
    data.update(extra)
    first = auth.client.post(url, data=data)
    assert first.status_code == 200 and "Przyjąć propozycję" in first.text, first.text[:300]
    return auth.client.post(url, data={**data, "confirmed": "yes"})


@pytest.fixture
def provider_in(auth, provider_user):
    auth.login(Role.PROVIDER)
    return provider_user


# --- the provider ----------------------------------------------------------------------

def test_the_provider_sees_its_services_and_no_other(auth, provider_in, own_service, other_service):
    text = visible_text(auth.client.get("/proposals/").text)
    assert_in(text, "Propozycje zmian w katalogu", "Klub Seniora w Bęczkowie", "Zaproponuj nową usługę",
              "Nie złożono jeszcze żadnej propozycji.")
    assert "Wypożyczalnia" not in text


def test_the_change_form_is_the_services_form_without_what_a_provider_may_not_set(auth, provider_in, own_service):
    page = auth.client.get(change_url(own_service)).text
    assert 'value="Klub Seniora w Bęczkowie"' in page and "Zapisy w świetlicy." in page
    for locked in ('name="provider_id"', 'name="slug"', 'name="origin"', 'name="delivery_mode"',
                   'name="capacity_granted"', 'name="indicators-0-name"', 'name="assured_date"'):
        assert locked not in page


def test_another_providers_service_and_proposal_are_not_found(auth, provider_in, other_service, organiser_user):
    from portal.extensions import db
    from portal.proposals import services as proposals
    from portal.proposals.models import Proposal

    assert auth.client.get(change_url(other_service)).status_code == 404
    assert auth.post(change_url(other_service), {"name": "Przejęta"}).status_code == 404
    theirs = Proposal(provider_id=other_service.provider_id, service_id=other_service.id, kind="change",
                      base_version=other_service.version, data=proposals.to_json({"name": "Cudza"}),
                      state="submitted", submitted_at=other_service.created_at)
    db.session.add(theirs)
    db.session.commit()
    for url in (f"/proposals/{theirs.id}", f"/proposals/{theirs.id}/edit"):
        assert auth.client.get(url).status_code == 404
    assert auth.post(f"/proposals/{theirs.id}/withdraw", {"version": "1", "confirmed": "yes"}).status_code == 404
    assert the_proposal(theirs.id).state == "submitted"
    assert "Cudza" not in auth.client.get("/proposals/").text


def test_proposing_a_change_stores_it_and_leaves_the_catalogue_alone(auth, provider_in, own_service):
    from portal.audit.models import AuditEvent
    from portal.catalogue.models import Service

    response = propose_change(auth, own_service, name="Klub Seniora „Pogodna Jesień”",
                              application_process="Zapisy telefoniczne: 25 753 10 01.")
    assert response.status_code == 303
    proposal = the_proposal(service_id=own_service.id)
    assert (proposal.state, proposal.kind, proposal.base_version) == ("submitted", "change", own_service.version)
    assert proposal.data["name"] == "Klub Seniora „Pogodna Jesień”"
    assert proposal.created_by_id == provider_in.id
    service = stored(Service, own_service.id)
    assert (service.name, service.version) == ("Klub Seniora w Bęczkowie", own_service.version)
    page = visible_text(auth.client.get(response.headers["Location"]).text)
    assert_in(page, "Propozycja została złożona", "czeka na decyzję", "Propozycja zmienia 2 pola",
              "Klub Seniora w Bęczkowie", "Klub Seniora „Pogodna Jesień”", "Zapisy telefoniczne: 25 753 10 01.")
    trail = stored(AuditEvent, object_type="service_proposal", object_id=proposal.id)
    assert trail.action == "create" and trail.actor_id == provider_in.id
    assert trail.changes["name"] == ["Klub Seniora w Bęczkowie", "Klub Seniora „Pogodna Jesień”"]


def test_bad_input_is_refused_at_the_field_and_kept(auth, provider_in, own_service):
    response = propose_change(auth, own_service, name="", minimum_age="sto", fees_description="Bez opłat.")
    assert response.status_code == 422
    assert_in(visible_text(response.text), "Podaj nazwę usługi.", "Bez opłat.")
    assert 'value="sto"' in response.text
    assert the_proposal(service_id=own_service.id) is None


def test_a_second_change_while_one_waits_leads_to_the_waiting_one(auth, provider_in, own_service):
    propose_change(auth, own_service, goal="Integracja.")
    waiting = the_proposal(service_id=own_service.id)
    response = auth.client.get(change_url(own_service))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/proposals/{waiting.id}")


def test_a_new_service_is_proposed_once_even_when_the_form_is_sent_twice(auth, provider_in, own_provider):
    from portal.catalogue.models import Service

    data = form_fields(auth.client.get("/proposals/new").text, "/proposals/new")
    data.update(name="Warsztaty rękodzieła", description="Spotkania przy robótkach ręcznych.", unit="meeting")
    first = auth.client.post("/proposals/new", data=data)
    second = auth.client.post("/proposals/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    proposal = the_proposal(kind="new")
    assert (proposal.provider_id, proposal.service_id, proposal.data["name"]) == (
        own_provider.id, None, "Warsztaty rękodzieła")
    assert stored(Service, name="Warsztaty rękodzieła") is None
    text = visible_text(auth.client.get(first.headers["Location"]).text)
    assert_in(text, "nowa usługa", "Nowa usługa — nie ma jej w katalogu", "Warsztaty rękodzieła")


def test_withdrawing_asks_first_then_withdraws(auth, provider_in, own_service):
    propose_change(auth, own_service, goal="Integracja.")
    proposal = the_proposal(service_id=own_service.id)
    url = f"/proposals/{proposal.id}/withdraw"
    asked = auth.post(url, {"version": str(proposal.version)})
    assert asked.status_code == 200 and "Wycofać propozycję" in asked.text
    assert the_proposal(proposal.id).state == "submitted"
    done = auth.post(url, {"version": str(proposal.version), "confirmed": "yes"})
    assert done.status_code == 303
    assert the_proposal(proposal.id).state == "withdrawn"
    assert "wycofana" in visible_text(auth.client.get("/proposals/").text)


# --- the organiser ---------------------------------------------------------------------

def test_the_queue_and_the_side_by_side_page(auth, provider_in, own_service):
    propose_change(auth, own_service, name="Klub Seniora „Pogodna Jesień”", fee_amount="12,50",
                   unit="hour")
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    queue = visible_text(auth.client.get("/proposals/review").text)
    assert_in(queue, "Czeka na decyzję: 1 propozycja", "Klub Seniora „Pogodna Jesień”",
              "Stowarzyszenie Testowe „Realizator”", "zmiana usługi")
    page = auth.client.get(f"/proposals/review/{proposal.id}").text
    text = visible_text(page)
    assert_in(text, "Propozycja zmienia 3 pola", "Teraz w katalogu", "Propozycja realizatora",
              "Nazwa usługi zmiana Klub Seniora w Bęczkowie Klub Seniora „Pogodna Jesień”",
              "Jednostka usługi zmiana spotkanie godzina", "12,50 zł",
              "Jak się zgłosić Zapisy w świetlicy. Zapisy w świetlicy.")
    assert page.count('class="changed"') == 3
    assert "hour" not in text and "meeting" not in text


def test_accepting_applies_the_change_through_the_catalogue(auth, provider_in, own_service):
    from portal.audit.models import AuditEvent
    from portal.catalogue.models import Service
    from portal.core import versions
    from portal.extensions import db

    propose_change(auth, own_service, name="Klub Seniora „Pogodna Jesień”")
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()
    organiser = auth.login(Role.SERVICES_ORGANISER)
    catalogue_before = versions.current(db.session, versions.CATALOGUE)
    response = accept(auth, proposal.id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/manage/services/{own_service.id}/edit")
    service = stored(Service, own_service.id)
    assert service.name == "Klub Seniora „Pogodna Jesień”"
    assert service.version == proposal.base_version + 1 and service.updated_by_id == organiser.id
    assert service.slug == own_service.slug and service.provider_id == own_service.provider_id
    assert versions.current(db.session, versions.CATALOGUE) == catalogue_before + 1
    accepted = the_proposal(proposal.id)
    assert (accepted.state, accepted.decided_by_id) == ("accepted", organiser.id)
    service_trail = db.session.scalars(select(AuditEvent).filter_by(object_type="service", object_id=service.id,
                                                                   action="update")).all()
    assert service_trail[-1].changes["name"] == ["Klub Seniora w Bęczkowie", "Klub Seniora „Pogodna Jesień”"]
    assert stored(AuditEvent, object_type="service_proposal", object_id=proposal.id, action="status").actor_id \
        == organiser.id


def test_accepting_a_new_service_creates_it_published_with_the_provider(auth, provider_in, own_provider):
    from portal.catalogue.models import Service

    data = form_fields(auth.client.get("/proposals/new").text, "/proposals/new")
    data.update(name="Warsztaty rękodzieła", description="Spotkania przy robótkach ręcznych.")
    auth.client.post("/proposals/new", data=data)
    proposal = the_proposal(kind="new")
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    assert accept(auth, proposal.id).status_code == 303
    service = stored(Service, name="Warsztaty rękodzieła")
    assert (service.status, service.provider_id, service.slug) == ("active", own_provider.id, "warsztaty-rekodziela")
    assert the_proposal(proposal.id).service_id == service.id


def test_returning_needs_a_message_and_emails_it_to_the_providers_accounts(auth, provider_in, own_service, smtp):
    from portal.extensions import db

    provider_in = db.session.merge(provider_in)
    provider_in.email = "renata@srgw.example"
    db.session.commit()
    propose_change(auth, own_service, goal="Integracja.")
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    url = f"/proposals/review/{proposal.id}/return"
    empty = auth.post(url, {"version": str(proposal.version), "message": "  "})
    assert empty.status_code == 422 and "Napisz realizatorowi, co trzeba poprawić." in visible_text(empty.text)
    assert the_proposal(proposal.id).state == "submitted" and smtp.messages == []
    done = auth.post(url, {"version": str(proposal.version), "message": "Proszę dopisać godziny zajęć."})
    assert done.status_code == 303
    returned = the_proposal(proposal.id)
    assert (returned.state, returned.message) == ("returned", "Proszę dopisać godziny zajęć.")
    [(recipients, message)] = smtp.messages
    assert recipients == ["renata@srgw.example"]
    body = message.get_content()
    assert "Proszę dopisać godziny zajęć." in body and f"/proposals/{proposal.id}" in body
    assert "Klub Seniora w Bęczkowie" in message["Subject"]
    switch(auth, provider_in.username)
    text = visible_text(auth.client.get(f"/proposals/{proposal.id}").text)
    assert_in(text, "zwrócona do poprawy", "Wiadomość od organizatora usług", "Proszę dopisać godziny zajęć.",
              "Popraw i złóż ponownie")


def test_a_returned_proposal_is_revised_and_back_in_the_queue(auth, provider_in, own_service):
    from portal.extensions import db
    from portal.proposals import services as proposals

    propose_change(auth, own_service, goal="Integracja.")
    proposal = the_proposal(service_id=own_service.id)
    organiser = auth.user(Role.SERVICES_ORGANISER)
    proposals.send_back(db.session, proposal, "Brakuje godzin.", actor=organiser, expected_version=proposal.version)
    db.session.commit()
    url = f"/proposals/{proposal.id}/edit"
    page = auth.client.get(url).text
    assert "Brakuje godzin." in visible_text(page) and "Integracja." in page
    data = form_fields(page, url)
    data.update({"schedule_rules-1-weekday": "3", "schedule_rules-1-opens": "16:00",
                 "schedule_rules-1-closes": "18:00"})
    assert auth.client.post(url, data=data).status_code == 303
    revised = the_proposal(proposal.id)
    assert revised.state == "submitted" and revised.data["goal"] == "Integracja."
    assert [r["weekday"] for r in revised.data["schedule_rules"]] == [1, 3]


def test_a_stale_revision_gets_the_conflict_screen(auth, provider_in, own_service):
    propose_change(auth, own_service, goal="Integracja.")
    proposal = the_proposal(service_id=own_service.id)
    url = f"/proposals/{proposal.id}/edit"
    data = form_fields(auth.client.get(url).text, url)
    second = dict(data, goal="Integracja seniorów.")
    assert auth.client.post(url, data=second).status_code == 303
    data["goal"] = "Spotkania."
    response = auth.client.post(url, data=data)
    assert response.status_code == 409
    assert_in(visible_text(response.text), "Propozycja zmieniła się w międzyczasie", "Spotkania.")
    assert the_proposal(proposal.id).data["goal"] == "Integracja seniorów."


def test_the_organisers_start_page_counts_the_waiting_proposals(app, auth, provider_in, own_service):
    from portal.extensions import db
    from portal.main.start import start_sections

    propose_change(auth, own_service, goal="Integracja.")
    organiser = auth.user(Role.SERVICES_ORGANISER)
    with app.test_request_context():
        [catalogue] = [s for s in start_sections(db.session, organiser) if s.key == "catalogue"]
        [figure] = [f for f in catalogue.figures if f.endpoint == "proposals.queue"]
        assert (str(figure.label), figure.count) == ("Propozycje realizatorów do decyzji", 1)
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/staff").text
    assert 'href="/proposals/review"' in page and "Propozycje realizatorów do decyzji" in visible_text(page)


def test_keywords_the_catalogue_would_refuse_are_refused_when_proposing(auth, provider_in, own_service):
    response = propose_change(auth, own_service, keywords="klub, " + "a" * 120)
    assert response.status_code == 422
    assert "Jedno słowo kluczowe może mieć najwyżej 100 znaków" in visible_text(response.text)
    assert the_proposal(service_id=own_service.id) is None


def test_an_accept_the_catalogue_refuses_is_a_422_that_saves_nothing(auth, own_service):
    """A proposal stored before a rule of the catalogue tightened: the catalogue's own check refuses it."""
    from portal.catalogue.models import Service
    from portal.extensions import db
    from portal.manage import services as catalogue
    from portal.proposals.models import Proposal
    from portal.proposals.services import to_json
    from portal.timeutil import now

    base = to_json(catalogue.service_data(own_service))
    proposal = Proposal(provider_id=own_service.provider_id, service_id=own_service.id, kind="change",
                        base_version=own_service.version, base=base, data={**base, "keywords": "b" * 150},
                        state="submitted", submitted_at=now())
    db.session.add(proposal)
    db.session.commit()
    auth.login(Role.SERVICES_ORGANISER)
    response = accept(auth, proposal.id)
    assert response.status_code == 422
    assert_in(visible_text(response.text), "Tej propozycji nie można przyjąć w tej postaci",
              "Jedno słowo kluczowe może mieć najwyżej 100 znaków")
    assert stored(Service, own_service.id).keywords is None
    assert the_proposal(proposal.id).state == "submitted"


def test_an_accepted_proposal_still_shows_what_it_changed(auth, provider_in, own_service):
    propose_change(auth, own_service, name="Klub Seniora „Pogodna Jesień”")
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    accept(auth, proposal.id)
    text = visible_text(auth.client.get(f"/proposals/review/{proposal.id}").text)
    assert_in(text, "przyjęta", "Przed propozycją", "Propozycja zmienia 1 pole",
              "Nazwa usługi zmiana Klub Seniora w Bęczkowie Klub Seniora „Pogodna Jesień”")
    assert "Przyjmij propozycję" not in text and "Zwróć propozycję" not in text


def test_a_return_that_cannot_be_emailed_is_still_saved_and_said(app, auth, provider_in, own_service):
    from portal.extensions import db
    from tests.desk.test_desk_mail import free_port

    provider_in = db.session.merge(provider_in)
    provider_in.email = "renata@srgw.example"
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    propose_change(auth, own_service, goal="Integracja.")
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()
    auth.login(Role.SERVICES_ORGANISER)
    response = auth.post(f"/proposals/review/{proposal.id}/return",
                         {"version": str(proposal.version), "message": "Proszę dopisać godziny."},
                         follow_redirects=True)
    assert "Nie udało się wysłać wiadomości e-mail do realizatora" in visible_text(response.text)
    assert the_proposal(proposal.id).state == "returned"
