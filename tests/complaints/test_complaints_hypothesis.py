"""Whatever is posted to the register's entry form, the answer is a saved
record (303) or the form again with what was typed (422): never a 500."""
from hypothesis import given
from hypothesis import strategies as st

from tests.desk.test_desk_hypothesis import SETTINGS, TEXT, kept

CHOICE = st.one_of(TEXT, st.sampled_from(["complaint", "request", "letter", "web_form", "service", "provider",
                                          "staff", "other", "1", "", "y"]))
DAY = st.one_of(TEXT, st.sampled_from(["2026-04-14", "14.04.2026", "2026-04-15", "1999-01-01", "31.02.2026", ""]))


@SETTINGS
@given(kind=CHOICE, received=DAY, channel=CHOICE, anonymous=CHOICE, name=TEXT, contact=TEXT, subject=CHOICE,
       service=CHOICE, provider=CHOICE, member=CHOICE, description=TEXT)
def test_the_entry_form_never_breaks(app, client, auth, frozen, kind, received, channel, anonymous, name,
                                     contact, subject, service, provider, member, description):
    if auth.token is None:
        auth.login("front_desk")
    response = auth.post("/complaints/new", {
        "kind": kind, "received_on": received, "channel": channel, "anonymous": anonymous,
        "complainant_name": name, "complainant_contact": contact, "subject": subject, "service_id": service,
        "provider_id": provider, "staff_member_id": member, "description": description})
    assert response.status_code in (303, 422), response.text[:300]
    if response.status_code == 422:
        for value in (name, contact, description):
            assert kept(response.text, value), value
