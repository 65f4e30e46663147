"""Nothing reaches the public catalogue before acceptance (issue 15 §4): the
public service page, the search and the kiosk show the service as it was
while the proposal waits, and the proposed values once it is accepted."""
from portal.auth.models import Role
from tests.helpers import visible_text
from tests.kiosk.test_kiosk_content import MONDAY
from tests.proposals.conftest import form_fields
from tests.proposals.test_proposals_views import accept, propose_change, the_proposal

NEW_NAME = "Klub Seniora „Pogodna Jesień”"
NEW_WAY = "Zapisy telefoniczne pod numerem świetlicy."


def public_views(client, slug, screen):
    """What anybody sees: the service's page, a search for the new name, the kiosk."""
    return (visible_text(client.get(f"/services/{slug}").text),
            visible_text(client.get("/services", query_string={"q": "Pogodna Jesień"}).text),
            visible_text(client.get(f"/kiosk/{screen.token}").text))


def test_a_change_reaches_the_public_catalogue_only_on_acceptance(app, auth, own_service, make_screen):
    app.config["FIXED_NOW"] = MONDAY
    screen = make_screen(always_on=True)
    auth.login(Role.PROVIDER)
    assert propose_change(auth, own_service, name=NEW_NAME, application_process=NEW_WAY).status_code == 303
    proposal = the_proposal(service_id=own_service.id)
    auth.logout()

    page, search, kiosk = public_views(auth.client, own_service.slug, screen)
    assert "Klub Seniora w Bęczkowie" in page and NEW_NAME not in page and NEW_WAY not in page
    assert NEW_NAME not in search
    assert "Zapisy w świetlicy." in kiosk and NEW_WAY not in kiosk and NEW_NAME not in kiosk

    auth.login(Role.SERVICES_ORGANISER)
    assert accept(auth, proposal.id).status_code == 303
    auth.logout()

    page, search, kiosk = public_views(auth.client, own_service.slug, screen)
    assert NEW_NAME in page and NEW_WAY in page
    assert NEW_NAME in search
    assert NEW_WAY in kiosk and NEW_NAME in kiosk and "Zapisy w świetlicy." not in kiosk


def test_a_new_service_is_public_only_on_acceptance(app, auth, own_provider, make_screen):
    from portal.catalogue.models import Service
    from tests.helpers import stored

    app.config["FIXED_NOW"] = MONDAY
    screen = make_screen(always_on=True)
    auth.login(Role.PROVIDER)
    data = form_fields(auth.client.get("/proposals/new").text, "/proposals/new")
    data.update(name="Warsztaty rękodzieła „Pogodna Jesień”", application_process=NEW_WAY,
                description="Spotkania przy robótkach ręcznych.", capacity_basis="places", capacity_maximum="10")
    assert auth.client.post("/proposals/new", data=data).status_code == 303
    proposal = the_proposal(kind="new")
    auth.logout()

    _page, search, kiosk = public_views(auth.client, "warsztaty-rekodziela-pogodna-jesien", screen)
    assert auth.client.get("/services/warsztaty-rekodziela-pogodna-jesien").status_code == 404
    assert "Warsztaty rękodzieła" not in search and "Warsztaty rękodzieła" not in kiosk

    auth.login(Role.SERVICES_ORGANISER)
    assert accept(auth, proposal.id).status_code == 303
    auth.logout()
    slug = stored(Service, name="Warsztaty rękodzieła „Pogodna Jesień”").slug
    page, search, kiosk = public_views(auth.client, slug, screen)
    assert "Warsztaty rękodzieła „Pogodna Jesień”" in page and "Stowarzyszenie Testowe „Realizator”" in page
    assert "Warsztaty rękodzieła" in search
    assert "Warsztaty rękodzieła" in kiosk and NEW_WAY in kiosk
