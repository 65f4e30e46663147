"""An answer the user never got (issue 16, finding 6): a form sent again —
a double click, a browser resending after a timeout, two tabs — makes one
record, and the resend is answered with the record already made. (The
contact form's own tests: tests/desk/test_desk_contact.py.)"""
import re
import threading

from tests.conftest import FreshContextClient, csrf_from


def hidden(html, name):
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"|id="{name}" name="{name}" type="hidden" '
                     rf'value="([^"]*)"', html)


def key_of(html):
    match = hidden(html, "submission")
    assert match, "the form carries its submission key"
    return match.group(1) or match.group(2)


def desk_form(client):
    page = client.get("/desk/requests/new")
    return {"csrf_token": csrf_from(page.text), "submission": key_of(page.text), "channel": "phone",
            "kind": "information", "question": "Kiedy jest otwarty Klub Seniora?", "answer": "We wtorki 10-12.",
            "action": "save"}


def requests_in_db():
    from portal.desk.models import Request
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(db.select(Request)).all()


def test_a_desk_request_sent_twice_is_saved_once(client, auth):
    auth.login("front_desk")
    data = desk_form(client)
    first = client.post("/desk/requests/new", data=data)
    again = client.post("/desk/requests/new", data=data)
    assert first.status_code == again.status_code == 303
    [item] = requests_in_db()
    page = client.get(again.headers["Location"])
    assert f"To zgłoszenie zostało już zapisane: {item.number}." in page.text
    # The next caller gets a new form, with a new key: a new request.
    client.post("/desk/requests/new", data=desk_form(client))
    assert len(requests_in_db()) == 2


def test_a_desk_request_sent_twice_at_once_is_saved_once(app, client, auth):
    auth.login("front_desk")
    data = desk_form(client)
    cookie = client.get_cookie("cus_session")
    second = app.test_client()
    second.set_cookie("cus_session", cookie.value)
    app.test_client_class = FreshContextClient
    barrier = threading.Barrier(2)
    codes = []

    def send(which):
        barrier.wait()
        codes.append(which.post("/desk/requests/new", data=data).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in (client, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert codes == [303, 303]
    assert len(requests_in_db()) == 1


def test_the_key_survives_a_form_that_came_back_with_errors(client, auth):
    auth.login("front_desk")
    data = desk_form(client)
    invalid = client.post("/desk/requests/new", data={**data, "question": ""})
    assert invalid.status_code == 422 and key_of(invalid.text) == data["submission"]
    client.post("/desk/requests/new", data=data)
    client.post("/desk/requests/new", data=data)
    assert len(requests_in_db()) == 1


def test_a_new_person_sent_twice_is_added_once(client, auth):
    from portal.extensions import db
    from portal.residents.models import Resident

    auth.login("front_desk")
    page = client.get("/residents/new")
    data = {"csrf_token": csrf_from(page.text), "submission": key_of(page.text), "first_name": "Olena",
            "last_name": "Kovalenko", "birth_date": "12.04.1985", "no_pesel_reason": "Cudzoziemka",
            "informed": "y"}
    first = client.post("/residents/new", data=data)
    again = client.post("/residents/new", data=data)
    assert first.status_code == again.status_code == 303
    [person] = db.session.scalars(db.select(Resident)).all()
    assert first.headers["Location"].startswith(f"/residents/{person.id}")
    assert again.headers["Location"].startswith(f"/residents/{person.id}")
    assert "Tę osobę dodano już do rejestru." in client.get(again.headers["Location"]).text
