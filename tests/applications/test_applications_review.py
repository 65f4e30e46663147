"""The organiser's queue and decisions: what the queue and an application's page show, the decisions with
their e-mails (to a real SMTP server), the confirmation of the irreversible ones, the conflict screen."""
import re

import pytest

from portal.auth.models import Role
from tests.applications.conftest import DATA
from tests.applications.test_applications_public import visible
from tests.desk.test_desk_mail import smtp  # noqa: F401  (fixture: a real aiosmtpd server)


def _reload(application):
    from portal.extensions import db

    db.session.expire_all()
    return db.session.get(type(application), application.id)


def _audit(action, application=None):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    query = db.select(AuditEvent).filter_by(object_type="provider_application", action=action)
    if application is not None:
        query = query.filter_by(object_id=application.id)
    return db.session.scalars(query).all()


def _body(message):
    return message.get_content()


@pytest.fixture
def queue(make_application, auth):
    """Three applications: a foundation's (new), a KGW's asked for more, an informal group's (new)."""
    from portal.applications import services as applications
    from portal.extensions import db

    foundation = make_application()
    kgw = make_application(name="Koło Gospodyń Wiejskich w Zofiborze", provider_type="kgw", krs=None,
                           nip="7123012346", regon="431029381", contact_email="kgw.zofibor@poczta.example.pl")
    group = make_application(name="Grupa sąsiedzka „Dobry Sąsiad”", provider_type="informal_group", nip=None,
                             regon=None, krs=None, contact_email="dobry.sasiad@poczta.example.pl")
    applications.ask_for_more(db.session, kgw, "Prosimy o opis lokalu.", actor=auth.user(Role.SERVICES_ORGANISER),
                              expected_version=1)
    db.session.commit()
    return foundation, kgw, group


def test_the_queue_shows_what_waits_with_polish_counts(client, auth, queue):
    auth.login(Role.SERVICES_ORGANISER)
    page = client.get("/manage/applications")
    text = visible(page.text)
    assert page.status_code == 200
    assert "Zgłoszenia realizatorów" in text and "2 zgłoszenia" in text
    assert "Fundacja „Razem w Bęczkowie”" in text and "Grupa sąsiedzka „Dobry Sąsiad”" in text
    assert "Koło Gospodyń Wiejskich w Zofiborze" not in text
    assert "Grupa nieformalna" in text and "Warsztaty kulinarne dla seniorów" in text and "13.10.2026" in text
    assert "czekają na rozpatrzenie (2)" in text and "czekają na uzupełnienie (1)" in text
    asked = visible(client.get("/manage/applications?state=more_info").text)
    assert "1 zgłoszenie" in asked and "Koło Gospodyń Wiejskich w Zofiborze" in asked
    assert "poproszono o uzupełnienie" in asked
    everything = visible(client.get("/manage/applications?state=all").text)
    assert "3 zgłoszenia" in everything
    empty = visible(client.get("/manage/applications?state=declined").text)
    assert "0 zgłoszeń" in empty and "Nie ma zgłoszeń do pokazania." in empty
    assert "2 zgłoszenia" in visible(client.get("/manage/applications?state=nonsense").text)
    region = client.get("/manage/applications?state=all", headers={"HX-Request": "true",
                                                                  "HX-Target": "application-rows"})
    assert region.text.lstrip().startswith('<section id="application-rows"')


def test_an_application_page_shows_everything_sent_and_is_audited(client, auth, queue):
    foundation = queue[0]
    auth.login(Role.SERVICES_ORGANISER)
    page = client.get(f"/manage/applications/{foundation.id}")
    text = visible(page.text)
    for words in ("Fundacja „Razem w Bęczkowie”", "nowe", "Fundacja", "5372650116", "061234561", "0000123456",
                  "ul. Szkolna 3, 21-407 Wojcieszków", "https://razem.example.pl", "Grażyna Wróblewska",
                  "g.wroblewska@razem.example.pl", "601 234 567", "Od 2015 roku prowadzimy zajęcia",
                  "Warsztaty kulinarne dla seniorów", "Raz w tygodniu gotujemy razem w świetlicy.", "seniorzy",
                  "Bęczków, Wojcieszków", "Świetlica przy ul. Szkolnej 3, parter.",
                  "Wejście bez schodów / podjazd dla wózków", "Toaleta dostosowana", "Dwie opiekunki środowiskowe",
                  "Poproś o uzupełnienie", "Przyjmij zgłoszenie…", "Odrzuć zgłoszenie…"):
        assert words in text, words
    assert "step_free" not in text and "foundation" not in text
    [event] = _audit("view")
    assert event.actor_id == auth.user(Role.SERVICES_ORGANISER).id


def test_the_director_reads_but_does_not_decide(client, auth, queue):
    auth.login(Role.DIRECTOR)
    text = visible(client.get(f"/manage/applications/{queue[0].id}").text)
    assert "Grażyna Wróblewska" in text and "Przyjmij zgłoszenie" not in text
    assert auth.post(f"/manage/applications/{queue[0].id}/accept", {"accept-version": "1"}).status_code == 403


def test_asking_for_more_e_mails_the_link_and_the_correction_comes_back(app, client, auth, queue, smtp):
    foundation = queue[0]
    auth.login(Role.SERVICES_ORGANISER)
    empty = auth.post(f"/manage/applications/{foundation.id}/more", {"more-version": "1", "more-message": " "})
    assert empty.status_code == 422 and "Napisz, co trzeba uzupełnić lub poprawić." in visible(empty.text)
    assert smtp.messages == []
    response = auth.post(f"/manage/applications/{foundation.id}/more",
                         {"more-version": "1", "more-message": "Prosimy o statut fundacji."})
    assert response.status_code == 303
    assert "Wysłano prośbę o uzupełnienie." in visible(client.get(response.headers["Location"]).text)
    [(recipients, message)] = smtp.messages
    assert recipients == ["g.wroblewska@razem.example.pl"]
    assert message["Subject"] == "Prosimy o uzupełnienie zgłoszenia: Fundacja „Razem w Bęczkowie”"
    body = _body(message)
    assert "Dzień dobry, Grażyna Wróblewska," in body and "Prosimy o statut fundacji." in body
    link = re.search(r"(https?://\S+/providers/register/\S+)", body).group(1)
    assert "27 października 2026" in body
    assert _reload(foundation).status == "more_info" and len(_audit("ask_more", foundation)) == 1
    auth.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Prosimy o statut fundacji." in visible(page.text)


def test_accepting_asks_first_then_makes_the_provider_and_e_mails_the_account(app, client, auth, queue, smtp):
    from portal.auth.models import User
    from portal.catalogue.models import Provider
    from portal.extensions import db

    foundation = queue[0]
    auth.login(Role.SERVICES_ORGANISER)
    url = f"/manage/applications/{foundation.id}/accept"
    asked = auth.post(url, {"accept-version": "1", "accept-message": "Zapraszamy na spotkanie 20 października."})
    text = visible(asked.text)
    assert asked.status_code == 200
    assert "Przyjąć zgłoszenie organizacji Fundacja „Razem w Bęczkowie”?" in text
    assert "Organizacja zostanie dodana do katalogu jako realizator usług." in text
    assert "Grażyna Wróblewska" in text
    assert _reload(foundation).status == "new" and smtp.messages == []
    assert 'value="Zapraszamy na spotkanie 20 października."' in asked.text
    done = auth.post(url, {"accept-version": "1", "accept-message": "Zapraszamy na spotkanie 20 października.",
                           "confirmed": "yes"})
    assert done.status_code == 303
    assert "Zgłoszenie przyjęte" in visible(client.get(done.headers["Location"]).text)
    provider = db.session.scalar(db.select(Provider).filter_by(nip="5372650116"))
    user = db.session.scalar(db.select(User).filter_by(username="g.wroblewska"))
    assert provider.name == DATA["name"] and user.provider_id == provider.id and user.role == Role.PROVIDER
    application = _reload(foundation)
    assert (application.status, application.provider_id, application.account_id) == ("accepted", provider.id,
                                                                                      user.id)
    decision, invitation = (message for _recipients, message in smtp.messages)
    assert [r for r, _m in smtp.messages] == [["g.wroblewska@razem.example.pl"]] * 2
    assert decision["Subject"] == "Zgłoszenie zostało przyjęte: Fundacja „Razem w Bęczkowie”"
    assert "login: g.wroblewska" in _body(decision) and "Zapraszamy na spotkanie 20 października." in _body(decision)
    assert invitation["Subject"] == "Konto w Portalu CUS — ustaw hasło"
    assert re.search(r"/set-password/\S+", _body(invitation))
    page = visible(client.get(f"/manage/applications/{foundation.id}").text)
    assert "przyjęte" in page and "Konto organizacji g.wroblewska" in page and "Przyjmij zgłoszenie" not in page
    # Once decided, for good.
    again = auth.post(url, {"accept-version": str(application.version), "confirmed": "yes"})
    assert again.status_code == 303
    assert "To zgłoszenie jest już rozpatrzone." in visible(client.get(again.headers["Location"]).text)


def test_declining_needs_a_message_asks_first_and_e_mails_it(app, client, auth, queue, smtp):
    group = queue[2]
    auth.login(Role.SERVICES_ORGANISER)
    url = f"/manage/applications/{group.id}/decline"
    empty = auth.post(url, {"decline-version": "1", "decline-message": ""})
    assert empty.status_code == 422
    assert "Napisz, dlaczego zgłoszenie nie zostało przyjęte." in visible(empty.text)
    reason = "Gmina nie zleca usług grupom nieformalnym; zapraszamy do współpracy z Klubem Wolontariusza."
    asked = auth.post(url, {"decline-version": "1", "decline-message": reason})
    assert asked.status_code == 200 and "Odrzucić zgłoszenie organizacji" in visible(asked.text)
    assert _reload(group).status == "new"
    done = auth.post(url, {"decline-version": "1", "decline-message": reason, "confirmed": "yes"})
    assert done.status_code == 303 and _reload(group).status == "declined"
    [(recipients, message)] = smtp.messages
    assert recipients == ["dobry.sasiad@poczta.example.pl"] and reason in _body(message)
    assert message["Subject"] == "Zgłoszenie nie zostało przyjęte: Grupa sąsiedzka „Dobry Sąsiad”"
    assert len(_audit("decline", group)) == 1


def test_a_decision_over_another_one_gets_the_conflict_screen(app, client, auth, queue, smtp):
    foundation = queue[0]
    auth.login(Role.SERVICES_ORGANISER)
    # Someone else asked for more while this page was open (version 1).
    from portal.applications import services as applications
    from portal.extensions import db

    applications.ask_for_more(db.session, foundation, "Statut.", actor=auth.user(Role.ADMIN), expected_version=1)
    db.session.commit()
    response = auth.post(f"/manage/applications/{foundation.id}/decline",
                         {"decline-version": "1", "decline-message": "Nie.", "confirmed": "yes"})
    assert response.status_code == 409
    text = visible(response.text)
    assert "Ktoś inny rozpatrzył to zgłoszenie w międzyczasie" in text
    assert "poproszono o uzupełnienie" in text and "odrzucone" in text
    assert "Nic nie zostało zmienione." in text
    assert _reload(foundation).status == "more_info" and smtp.messages == []


def test_a_mail_server_that_refuses_changes_nothing(app, client, auth, queue):
    from tests.desk.test_desk_mail import free_port

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    foundation = queue[0]
    auth.login(Role.SERVICES_ORGANISER)
    response = auth.post(f"/manage/applications/{foundation.id}/more",
                         {"more-version": "1", "more-message": "Statut."})
    assert response.status_code == 303
    assert "Nie udało się wysłać e-maila" in visible(client.get(response.headers["Location"]).text)
    assert _reload(foundation).status == "new" and _reload(foundation).link_hash is None
    assert _audit("ask_more", foundation) == []


def test_the_organiser_s_start_page_counts_the_waiting_applications(client, auth, queue):
    auth.login(Role.SERVICES_ORGANISER)
    text = visible(client.get("/staff").text)
    assert "Zgłoszenia realizatorów" in text and "Czekają na rozpatrzenie 2" in text


def test_the_public_catalogue_links_to_the_form(client):
    page = client.get("/")
    assert 'href="/providers/register"' in page.text
    assert "Zgłoś organizację" in visible(page.text)
