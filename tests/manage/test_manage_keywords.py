"""Keywords of a service: typed by the organiser in the service's form (or
a column of the import), kept in the change history, read by the search,
never shown on the public pages."""
import re

from sqlalchemy import select

from tests.helpers import assert_in, stored, visible_text
from tests.manage.test_manage_services import edit_url, form_fields, new_service_data

KEYWORDS_LABEL = "Słowa kluczowe dla wyszukiwarki"


def _service(name):
    from portal.catalogue.models import Service

    return stored(Service, name=name)


def _provider(make_provider):
    return make_provider(name="Gminny Ośrodek Kultury", slug="gok", provider_type="municipal_unit")


def _names(page):
    """The service names of a results page, in order."""
    return re.findall(r'<h3 class="card-title"><a [^>]*>([^<]+)</a>', page)


def test_keywords_round_trip_through_the_form_and_the_history(auth, organiser, make_provider):
    provider = _provider(make_provider)
    data = new_service_data(provider, name="Żłobek gminny",
                            keywords="niania;  opiekunka do dziecka ,NIANIA\nbabysitter;;")
    response = auth.post("/manage/services/new", data)
    assert response.status_code == 303, response.text[:2000]
    service = _service("Żłobek gminny")
    assert service.keywords == "niania, opiekunka do dziecka, babysitter"

    page = auth.client.get(edit_url(service.id)).text
    assert_in(visible_text(page), KEYWORDS_LABEL, "niania, opiekunka do dziecka, babysitter",
              "oddzielone przecinkami lub średnikami")
    fields = form_fields(page, edit_url(service.id))
    assert fields["keywords"].strip() == "niania, opiekunka do dziecka, babysitter"
    fields["keywords"] = "niania; żłobek dla malucha"
    assert auth.post(edit_url(service.id), fields).status_code == 303
    assert _service("Żłobek gminny").keywords == "niania, żłobek dla malucha"

    history = visible_text(auth.client.get(f"/manage/services/{service.id}/history").text)
    assert_in(history, KEYWORDS_LABEL, "niania, opiekunka do dziecka, babysitter", "niania, żłobek dla malucha")


def test_saving_unchanged_keywords_typed_differently_changes_nothing(auth, organiser, make_service):
    service = make_service("Żłobek gminny", keywords="niania, babysitter")
    fields = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    fields["keywords"] = "niania;babysitter"
    assert auth.post(edit_url(service.id), fields).status_code == 303
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    update = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "service")
                                .order_by(AuditEvent.id.desc())).first()
    assert "keywords" not in (update.changes or {})


def test_too_long_keywords_come_back_with_the_message_at_the_field(auth, organiser, make_provider):
    provider = _provider(make_provider)
    one_long = "niania, " + "b" * 101
    response = auth.post("/manage/services/new", new_service_data(provider, keywords=one_long))
    assert response.status_code == 422
    text = visible_text(response.text)
    assert "Jedno słowo kluczowe może mieć najwyżej 100 znaków: „bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb…”." in text
    assert one_long in response.text  # what was typed stays
    textarea = re.search(r'<textarea[^>]*id="keywords"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in textarea

    many = ", ".join(f"słowo{n:03d}" for n in range(120))  # 1,078 characters
    response = auth.post("/manage/services/new", new_service_data(provider, keywords=many))
    assert response.status_code == 422
    assert "Wpisz najwyżej 1000 znaków." in visible_text(response.text)
    assert _service("Klub Seniora w Bęczkowie") is None


def test_a_keyword_finds_the_service_and_stays_off_the_public_pages(client, make_service):
    make_service("Żłobek gminny „Maluch”", slug="zlobek", keywords="niania, opiekunka do dziecka, babysitter")
    make_service("Klub Seniora")
    for query in ("niania", "nianie", "babysitter", "opiekunki do dziecka"):
        page = client.get("/services", query_string={"q": query}).text
        assert _names(page) == ["Żłobek gminny „Maluch”"], query
    assert "Klub Seniora" in client.get("/services?q=klub").text
    for url in ("/services/zlobek", "/services/zlobek/print", "/services?q=niania"):
        assert "babysitter" not in client.get(url).text, url


def test_a_keyword_ranks_below_the_name_and_above_the_description(client, make_service):
    make_service("Zajęcia ruchowe w wodzie", keywords="basen, pływanie")
    make_service("Gimnastyka dla seniorów", description="Latem wyjścia na basen.")
    make_service("Basen miejski — wejściówki")
    page = client.get("/services?q=basen").text
    assert _names(page) == ["Basen miejski — wejściówki", "Zajęcia ruchowe w wodzie", "Gimnastyka dla seniorów"]


def test_the_demo_catalogue_has_keywords_the_search_reads(app, client):
    from portal.catalogue.models import Service
    from portal.extensions import db
    from tests.helpers import seed_demo

    seed_demo("catalogue")
    with_keywords = db.session.scalars(select(Service.name).where(Service.keywords.is_not(None))).all()
    assert len(with_keywords) >= 12
    assert _names(client.get("/services?q=adwokat").text)[:1] == ["Poradnictwo prawne"]
    assert _names(client.get("/services?q=helpline").text) == ["Telefon zaufania"]
    assert _names(client.get("/services?q=podwózka do lekarza").text)[:1] == ["Transport door-to-door"]
