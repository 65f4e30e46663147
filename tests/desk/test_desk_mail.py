"""The services handout sent by e-mail to a real SMTP server (aiosmtpd)."""
import email
import email.policy
import socket

import pytest

from tests.desk.test_desk_services import (  # noqa: F401  (fixtures)
    coordinator,
    make_resident,
    register,
)


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content,
                                                                          policy=email.policy.default)))
        return "250 OK"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    from aiosmtpd.controller import Controller

    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SENDER="cus@wojcieszkow.example")
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture
def services(make_service):
    return [make_service("Klub Seniora w Bęczkowie", minimum_age=60, phone="+48257531001"),
            make_service("Wypożyczalnia sprzętu rehabilitacyjnego")]


def _audit(action):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    return db.session.scalars(db.select(AuditEvent).filter_by(action=action)).all()


def test_handout_email_from_the_request_page(client, auth, smtp, services, desk_user, make_resident):
    person = make_resident("Janina", "Kowalska")
    item = register({"kind": "information", "channel": "phone", "resident_id": person.id, "question": "Co dla seniora?",
                     "answer": "Klub i wypożyczalnia.", "service_ids": [s.id for s in services]}, desk_user)
    auth.login("front_desk")
    response = auth.post(f"/desk/requests/{item.id}/handout/email", data={"email-email": "janina.k@poczta.pl"})
    assert response.status_code == 303
    [(recipients, message)] = smtp.messages
    assert recipients == ["janina.k@poczta.pl"]
    assert message["From"] == "cus@wojcieszkow.example" and message["To"] == "janina.k@poczta.pl"
    assert "Informacja o usługach" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Klub Seniora w Bęczkowie" in body and "Wypożyczalnia sprzętu rehabilitacyjnego" in body
        assert "Wiek od 60 lat." in body
    assert "Kowalska" not in text and "Kowalska" not in html  # the handout carries no personal data
    [export] = _audit("export")
    assert export.object_type == "resident" and export.object_id == person.id
    assert "janina.k" not in (export.summary + (export.reason or ""))
    assert "Wysłano ulotkę" in client.get(f"/desk/requests/{item.id}").text


def test_handout_email_without_a_resident_records_no_export(client, auth, smtp, services, desk_user):
    item = register({"kind": "information", "channel": "phone", "question": "?",
                     "service_ids": [services[0].id]}, desk_user)
    auth.login("front_desk")
    assert auth.post(f"/desk/requests/{item.id}/handout/email",
                     data={"email-email": "ktos@poczta.pl"}).status_code == 303
    assert len(smtp.messages) == 1 and _audit("export") == []


def test_handout_email_when_saving_the_request(client, auth, smtp, services, make_resident):
    person = make_resident("Jan", "Nowak")
    auth.login("front_desk")
    response = auth.post("/desk/requests/new", data={
        "channel": "phone", "applicant": "self", "kind": "information", "resident_id": str(person.id),
        "question": "Rehabilitacja?", "answer": "Wypożyczalnia.", "service_ids": [str(s.id) for s in services],
        "handout_email": "jan.nowak@poczta.pl", "action": "save"})
    assert response.status_code == 303
    [(recipients, _message)] = smtp.messages
    assert recipients == ["jan.nowak@poczta.pl"]
    assert len(_audit("export")) == 1
    assert "Wysłano ulotkę" in client.get("/desk/requests/new").text


@pytest.mark.parametrize("address, message", [
    ("", "Podaj adres e-mail."),
    ("nie-adres", "Podaj poprawny adres e-mail"),
    ("a@b.pl\r\nBcc: x@y.pl", "Podaj poprawny adres e-mail"),
])
def test_handout_email_validates_the_address(client, auth, smtp, services, desk_user, address, message):
    item = register({"kind": "information", "channel": "phone", "question": "?",
                     "service_ids": [services[0].id]}, desk_user)
    auth.login("front_desk")
    response = auth.post(f"/desk/requests/{item.id}/handout/email", data={"email-email": address})
    assert response.status_code == 422 and message in response.text
    assert smtp.messages == []


def test_handout_email_needs_services(client, auth, smtp, desk_user):
    item = register({"kind": "information", "channel": "phone", "question": "?"}, desk_user)
    auth.login("front_desk")
    response = auth.post(f"/desk/requests/{item.id}/handout/email", data={"email-email": "a@b.pl"})
    assert response.status_code == 422 and "nie ma wybranych usług" in response.text


def test_mail_server_down_is_reported_and_nothing_lost(app, client, auth, services, desk_user, make_resident):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    person = make_resident()
    item = register({"kind": "information", "channel": "phone", "resident_id": person.id, "question": "?",
                     "service_ids": [services[0].id]}, desk_user)
    auth.login("front_desk")
    response = auth.post(f"/desk/requests/{item.id}/handout/email", data={"email-email": "a@b.pl"})
    assert response.status_code == 503 and "serwer poczty nie odpowiada" in response.text
    assert 'value="a@b.pl"' in response.text
    assert _audit("export") == []
    saved = auth.post("/desk/requests/new", data={
        "channel": "phone", "applicant": "self", "kind": "information", "question": "Inne pytanie",
        "service_ids": [str(services[0].id)], "handout_email": "a@b.pl", "action": "save"})
    assert saved.status_code == 303  # the request is saved even though the e-mail failed
    assert "Nie udało się wysłać ulotki" in client.get("/desk/requests/new").text
