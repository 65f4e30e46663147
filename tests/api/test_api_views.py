"""The public API's answers: shapes, paging, filters, search, nothing unpublished."""
import json

import pytest

from tests.api.conftest import hsds_validator

pytestmark = pytest.mark.usefixtures("catalogue")


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.text[:500]
    return response.get_json()


def _names(page):
    return [item["name"] for item in page["contents"]]


def test_services_list_is_the_public_catalogue_in_its_order(client):
    page = _get(client, "/api/v1/services")
    assert _names(page) == ["Klub Seniora „Pogodna Jesień”", "Usługi opiekuńcze w domu", "Zajęcia z logopedą"]
    assert page["total_items"] == 3 and page["page_number"] == 1 and page["total_pages"] == 1
    assert page["first_page"] and page["last_page"] and not page["empty"]
    statuses = {item["name"]: item["status"] for item in page["contents"]}
    assert statuses["Zajęcia z logopedą"] == "temporarily closed"
    assert statuses["Usługi opiekuńcze w domu"] == "active"


def test_the_list_carries_hsds_list_form(client):
    """HSDS's list of services: the one-to-one fields and the organisation's (compiled/service_list.json)."""
    club = _get(client, "/api/v1/services?q=klub")["contents"][0]
    assert club["name"] == "Klub Seniora „Pogodna Jesień”" and club["minimum_age"] == 60
    assert club["organization"]["name"] == "Stowarzyszenie „Razem”"
    assert "schedules" not in club and "phones" not in club["organization"]
    from pathlib import Path

    from jsonschema import Draft202012Validator

    schema = json.loads((Path(__file__).parent / "hsds-3.1" / "compiled" / "service_list.json").read_text())
    Draft202012Validator(schema).validate(club)


def test_a_service_is_hsds_with_everything_nested(client, catalogue):
    page = _get(client, "/api/v1/services?q=klub")
    club = _get(client, f"/api/v1/services/{page['contents'][0]['id']}")
    assert club["name"] == "Klub Seniora „Pogodna Jesień”"
    assert club["organization"]["name"] == "Stowarzyszenie „Razem”"
    assert club["organization_id"] == club["organization"]["id"]
    assert club["minimum_age"] == 60 and club["assured_date"] == "2025-12-01"
    assert club["phones"][0]["number"] == "600100200"
    assert club["contacts"][0]["name"] == "Maria Nowak"
    assert club["schedules"][0]["byday"] == "TU" and club["schedules"][0]["opens_at"] == "10:00"
    assert [(c["option"], c["amount"]) for c in club["cost_options"]] == [
        ("odpłatna", 10), ("Posiadacze Karty Dużej Rodziny", 5)]
    assert club["required_documents"][0]["document"] == "Deklaracja uczestnictwa"
    location = club["service_at_locations"][0]["location"]
    assert location["name"] == "Świetlica wiejska w Lipinach"
    assert location["addresses"][0]["address_1"] == "ul. Szkolna 3"
    assert location["addresses"][0]["country"] == "PL"
    assert "Wejście bez schodów / podjazd dla wózków" in {a.get("description") for a in location["accessibility"]}
    assert {a["taxonomy_term"]["code"] for a in club["attributes"]} == {"social_assistance", "culture", "seniors"}
    assert club["service_areas"][0]["name"] == "Lipiny"
    assert club["url"].endswith("/services/klub-seniora-pogodna-jesien")
    # nothing a staff page only shows: no keywords, no capacity
    assert "keywords" not in club and "capacities" not in club
    hsds_validator("service").validate(club)
    # the same object by its id, stable
    again = _get(client, f"/api/v1/services/{club['id']}")
    assert again == club


def test_ids_are_stable_uuids_derived_from_the_rows(client, catalogue, app):
    import uuid

    from portal.api import hsds

    space = hsds.namespace(app.config["MUNICIPALITY_NAME"])
    club_id = str(uuid.uuid5(space, f"service:{catalogue.club.id}"))
    assert _get(client, f"/api/v1/services/{club_id}")["name"] == "Klub Seniora „Pogodna Jesień”"


def test_nothing_unpublished(client, catalogue, events_made):
    import uuid

    from flask import current_app

    from portal.api import hsds

    space = hsds.namespace(current_app.config["MUNICIPALITY_NAME"])
    everything = json.dumps([
        _get(client, "/api/v1/services?per_page=100"), _get(client, "/api/v1/organizations?per_page=100"),
        _get(client, "/api/v1/locations?per_page=100"), _get(client, "/api/v1/service_at_locations?per_page=100"),
        _get(client, "/api/v1/events?from=2026-01-01&to=2026-12-31&per_page=100"),
    ], ensure_ascii=False)
    for hidden in ("Kurs komputerowy archiwalny", "Półkolonie letnie 2025", "Fundacja Zamknięta",
                   "Szkic wydarzenia tajnego", "Narada zespołu wewnętrzna"):
        assert hidden not in everything
    for service in (catalogue.archived, catalogue.expired):
        response = client.get(f"/api/v1/services/{uuid.uuid5(space, f'service:{service.id}')}")
        assert response.status_code == 404
        assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "Piknik rodzinny" in everything


def test_paging_with_links(client):
    first = _get(client, "/api/v1/services?per_page=2")
    assert first["size"] == 2 and first["total_items"] == 3 and first["total_pages"] == 2
    assert first["links"]["next"] == "/api/v1/services?page=2&per_page=2"
    assert "prev" not in first["links"]
    second = _get(client, first["links"]["next"])
    assert _names(second) == ["Zajęcia z logopedą"] and second["last_page"]
    assert second["links"]["prev"] == "/api/v1/services?page=1&per_page=2"


@pytest.mark.parametrize("query, status", [
    ("per_page=101", 400), ("per_page=0", 400), ("page=abc", 400), ("page=-1", 400),
    ("area=nonsense", 422), ("group=nobody", 422), ("village=nowhere", 422), ("q=" + "a" * 201, 400),
])
def test_bad_parameters_are_problems(client, query, status):
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == status
    problem = response.get_json()
    assert problem["status"] == status
    assert query.split("=")[0] in problem["detail"]
    assert response.headers["Content-Type"].startswith("application/problem+json")


def test_filters_by_area_group_and_village(client):
    assert _names(_get(client, "/api/v1/services?area=education")) == ["Zajęcia z logopedą"]
    assert _names(_get(client, "/api/v1/services?group=disabled")) == ["Usługi opiekuńcze w domu"]
    # care at home reaches every village
    assert _names(_get(client, "/api/v1/services?village=lipiny")) == [
        "Klub Seniora „Pogodna Jesień”", "Usługi opiekuńcze w domu"]
    assert _names(_get(client, "/api/v1/services?village=wola-okrzejska&group=children_youth")) == [
        "Zajęcia z logopedą"]


def test_search_is_the_catalogues_polish_search(client):
    # inflection and no diacritics: "seniorow" finds "Seniora"
    assert _names(_get(client, "/api/v1/services?q=seniorow"))[0] == "Klub Seniora „Pogodna Jesień”"
    # a typo
    assert _names(_get(client, "/api/v1/services?q=opiekucze"))[0] == "Usługi opiekuńcze w domu"
    page = _get(client, "/api/v1/services?q=klub")
    assert page["partial_match"] is False


def test_organizations_locations_and_terms(client):
    organizations = _get(client, "/api/v1/organizations?per_page=100")
    names = _names(organizations)
    assert "Stowarzyszenie „Razem”" in names and "Fundacja Zamknięta" not in names
    razem = next(o for o in organizations["contents"] if o["name"] == "Stowarzyszenie „Razem”")
    assert {i["identifier_type"]: i["identifier"] for i in razem["organization_identifiers"]} == {
        "NIP": "7120000000", "KRS": "0000123456"}
    assert _get(client, f"/api/v1/organizations/{razem['id']}") == razem
    locations = _get(client, "/api/v1/locations")
    assert _names(locations) == ["Szkoła w Woli", "Świetlica wiejska w Lipinach"]  # Polish order
    assert _names(_get(client, "/api/v1/locations?village=lipiny")) == ["Świetlica wiejska w Lipinach"]
    links = _get(client, "/api/v1/service_at_locations")
    assert links["total_items"] == 2
    areas = _get(client, "/api/v1/taxonomy_terms?taxonomy=area&per_page=100")
    assert areas["total_items"] == 14 and areas["contents"][0]["name"] == "Polityka prorodzinna"
    groups = _get(client, "/api/v1/taxonomy_terms?taxonomy=target_group&per_page=100")
    assert "Seniorzy (60+)" in _names(groups)
    assert _get(client, "/api/v1/taxonomies")["total_items"] == 2


def test_events_are_the_public_ones(client, events_made):
    page = _get(client, "/api/v1/events?from=2026-01-15&to=2026-01-31")
    assert _names(page) == ["Piknik rodzinny", "Koncert odwołany"]
    fair, concert = page["contents"]
    assert fair["start"] == "2026-01-20T10:00:00+01:00" and not fair["cancelled"]
    assert concert["cancelled"] is True
    assert fair["ics_url"].endswith("/events/piknik-rodzinny.ics")
    assert _get(client, "/api/v1/events?from=2026-02-01&to=2026-01-01")["total_items"] == 0
    assert _get(client, "/api/v1/events?from=9999-12-31")["total_items"] == 0
    assert client.get("/api/v1/events?from=15.01.2026").status_code == 400


def test_unknown_address_and_method_are_problems(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["status"] == 404
    response = client.post("/api/v1/services")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_openapi_description_is_served(client):
    description = _get(client, "/api/v1/openapi.json")
    assert description["openapi"] == "3.1.0"
    assert "/services/{service_id}" in description["paths"]
