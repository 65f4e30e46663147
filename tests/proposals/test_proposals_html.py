"""Every proposals page, in its main states, is valid HTML for the Nu HTML
Checker (one vnu.jar run per database backend, shared by the per-page tests)."""
import pytest

from portal.auth.models import Role
from tests.conftest import Auth
from tests.proposals.conftest import form_fields
from tests.proposals.test_proposals_views import propose_change, the_proposal
from tests.vnu import Pages, assert_valid_page, checked_once

STATUS = {"new-errors": 422, "change-conflict": 409, "review-conflict": 409, "return-errors": 422}
PAGES = ["mine-empty", "new", "new-errors", "change", "change-conflict", "mine", "detail", "revise",
         "withdraw-confirm", "queue", "review", "accept-confirm", "return-errors", "review-conflict",
         "detail-returned", "review-new", "review-accepted"]
_RUNS = {}


def _render(app, auth, service):
    client = auth.client
    pages = Pages()
    keep = pages.keep
    auth.login(Role.PROVIDER)
    keep("mine-empty", client.get("/proposals/"))
    keep("new", client.get("/proposals/new"))
    data = form_fields(client.get("/proposals/new").text, "/proposals/new")
    keep("new-errors", client.post("/proposals/new", data={**data, "name": "", "minimum_age": "x"}))
    client.post("/proposals/new", data={**data, "name": "Warsztaty rękodzieła"})
    url = f"/proposals/services/{service.id}/change"
    keep("change", client.get(url))
    typed = form_fields(client.get(url).text, url)
    organiser = Auth(app.test_client())
    organiser.login(Role.SERVICES_ORGANISER)
    edit = f"/manage/services/{service.id}/edit"
    organiser.client.post(edit, data={**form_fields(organiser.client.get(edit).text, edit), "goal": "Integracja."})
    keep("change-conflict", client.post(url, data={**typed, "goal": "Aktywizacja."}))
    propose_change(auth, service, name="Klub Seniora „Pogodna Jesień”", fee_amount="5")
    proposal = the_proposal(service_id=service.id)
    keep("mine", client.get("/proposals/"))
    keep("detail", client.get(f"/proposals/{proposal.id}"))
    keep("revise", client.get(f"/proposals/{proposal.id}/edit"))
    keep("withdraw-confirm", auth.post(f"/proposals/{proposal.id}/withdraw", {"version": str(proposal.version)}))

    review = f"/proposals/review/{proposal.id}"
    accept = f"{review}/accept"
    keep("queue", organiser.client.get("/proposals/review"))
    keep("review", organiser.client.get(review))
    keep("review-new", organiser.client.get(f"/proposals/review/{the_proposal(kind='new').id}"))
    fields = form_fields(organiser.client.get(review).text, accept)
    keep("accept-confirm", organiser.client.post(accept, data=fields))
    keep("return-errors", organiser.post(f"{review}/return", {"version": str(proposal.version), "message": ""}))
    organiser.client.post(edit, data={**form_fields(organiser.client.get(edit).text, edit), "phone": "257531002"})
    keep("review-conflict", organiser.client.post(accept, data={**fields, "confirmed": "yes"}))
    organiser.post(f"{review}/return", {"version": str(proposal.version), "message": "Proszę podać godziny."})
    keep("detail-returned", client.get(f"/proposals/{proposal.id}"))
    new = the_proposal(kind="new")
    accept_new = f"/proposals/review/{new.id}/accept"
    fields = form_fields(organiser.client.get(f"/proposals/review/{new.id}").text, accept_new)
    organiser.client.post(accept_new, data={**fields, "confirmed": "yes"})
    keep("review-accepted", organiser.client.get(f"/proposals/review/{new.id}"))
    return pages


@pytest.fixture
def proposal_pages(app, auth, own_service, database_url):
    return checked_once(_RUNS, database_url, lambda: _render(app, auth, own_service))


@pytest.mark.parametrize("page_id", PAGES)
def test_proposals_page_is_valid_html(proposal_pages, page_id):
    assert_valid_page(proposal_pages, page_id, STATUS.get(page_id, 200))
