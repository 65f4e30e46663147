"""The public catalogue through HTTP: page, fragment, service page, print."""
from datetime import datetime, timezone

import pytest

from tests.helpers import assert_in


@pytest.fixture
def seniors_club(make_service, make_village):
    from portal.catalogue.models import Place

    village = make_village("Bęczków")
    place = Place(name="Świetlica w Bęczkowie", address_1="ul. Szkolna 1", postal_code="21-407",
                  city="Bęczków", village=village, accessibility_codes="step_free,accessible_toilet")
    return make_service("Klub Seniora w Bęczkowie", groups=("seniors",), places=[place],
                        rules=[(1, "10:00", "12:00")], description="Spotkania seniorów.")


def test_catalogue_lists_services_without_login(client, seniors_club):
    page = client.get("/")
    assert page.status_code == 200
    assert_in(page.text, "Klub Seniora w Bęczkowie", "Świetlica w Bęczkowie", "Bezpłatna", "Seniorzy (60+)")


def test_search_query_in_url(client, seniors_club, make_service):
    make_service("Żłobek gminny")
    page = client.get("/services?q=beczkow")
    assert "Klub Seniora w Bęczkowie" in page.text
    assert "Żłobek gminny" not in page.text
    assert 'value="beczkow"' in page.text


def test_htmx_request_for_results_gets_only_the_fragment(client, seniors_club):
    page = client.get("/services?q=klub", headers={"HX-Request": "true", "HX-Target": "results"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<section id="results"')
    assert "<html" not in page.text
    assert "Klub Seniora w Bęczkowie" in page.text
    assert "HX-Request" in page.headers["Vary"]


def test_history_restore_gets_the_full_page(client, seniors_club):
    page = client.get("/services?q=klub", headers={"HX-Request": "true", "HX-Target": "results",
                                                   "HX-History-Restore-Request": "true"})
    assert "<html" in page.text


def test_result_count_is_a_heading_with_announcement(client, seniors_club):
    page = client.get("/services?q=klub")
    assert 'data-announce="Znaleziono 1 usługę"' in page.text


def test_service_page_in_plain_polish(client, seniors_club, app):
    app.config["FIXED_NOW"] = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # Monday
    page = client.get("/services/klub-seniora-w-beczkowie")
    assert page.status_code == 200
    assert_in(page.text, "<h1>Klub Seniora w Bęczkowie</h1>", "wtorek", "10:00–12:00", "wt., 24.11.2026, 10:00–12:00",
              "Toaleta dostosowana")


def test_print_version_is_a_single_sheet(client, seniors_club):
    page = client.get("/services/klub-seniora-w-beczkowie/print")
    assert page.status_code == 200
    assert "sheet.css" in page.text
    assert "Klub Seniora w Bęczkowie" in page.text
    assert "site-header" not in page.text


def test_print_version_keeps_goal_delivery_and_how_to_apply(client, make_service):
    """The handout's most useful lines: what the service is for, how it runs
    and how to apply, under the same headings as the service page."""
    make_service("Asystent rodziny", goal="Wzmocnienie rodziny w wychowaniu dzieci.",
                 delivery_description="Spotkania w domu rodziny raz w tygodniu.",
                 application_process="Zadzwoń do recepcji CUS albo przyjdź osobiście.")
    page = client.get("/services/asystent-rodziny/print")
    assert page.status_code == 200
    for heading, text in (("Cel", "Wzmocnienie rodziny w wychowaniu dzieci."),
                          ("Jak jest realizowana", "Spotkania w domu rodziny raz w tygodniu."),
                          ("Jak się zgłosić", "Zadzwoń do recepcji CUS albo przyjdź osobiście.")):
        assert f">{heading}</h" in page.text, heading
        assert text in page.text, text


def test_unknown_service_is_404_in_polish(client):
    page = client.get("/services/nie-ma-takiej")
    assert page.status_code == 404
    assert "Nie znaleziono strony" in page.text


def test_archived_service_page_is_gone(client, make_service):
    make_service("Stary klub", status="archived")
    assert client.get("/services/stary-klub").status_code == 404


def test_unknown_facet_values_are_ignored(client, seniors_club):
    page = client.get("/services?area=nope&group=%3Cscript%3E&village=x&ptype=y&access=z&page=abc")
    assert page.status_code == 200
    assert "Klub Seniora w Bęczkowie" in page.text
    assert "<script>" not in page.text.split("</head>")[1]


def test_searches_are_counted_text_only(client, app, seniors_club):
    from portal.catalogue import statistics
    from portal.catalogue.models import SearchCount
    from portal.extensions import db
    from portal.timeutil import now

    # Two people (two addresses) and a third: one person's repeated search counts once.
    client.get("/services?q=Hipoterapia", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    client.get("/services?q=hipoterapia", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    client.get("/services?q=klub", environ_base={"REMOTE_ADDR": "192.0.2.3"})
    statistics.flush(db.session, moment=now(), everything=True)
    db.session.commit()
    rows = db.session.scalars(db.select(SearchCount).order_by(SearchCount.query)).all()
    assert [(r.query, r.searches, r.misses, r.results) for r in rows] == [("hipoterapia", 2, 2, 0), ("klub", 1, 0, 1)]


def test_provider_page(client, seniors_club):
    page = client.get(f"/providers/{seniors_club.provider.slug}")
    assert page.status_code == 200
    assert "Klub Seniora w Bęczkowie" in page.text


def test_pagination_keeps_filters(client, make_service):
    for i in range(25):
        make_service(f"Usługa numer {i:02d}", groups=("seniors",))
    page = client.get("/services?group=seniors")
    assert "Znaleziono 25 usług" in page.text
    assert "group=seniors" in page.text and "page=2" in page.text
    second = client.get("/services?group=seniors&page=2")
    assert "Usługa numer 24" in second.text or "Usługa numer 20" in second.text


@pytest.mark.parametrize("count, text", [(1, "Znaleziono 1 usługę"), (3, "Znaleziono 3 usługi"),
                                         (5, "Znaleziono 5 usług"), (22, "Znaleziono 22 usługi")])
def test_result_count_uses_polish_plural_forms(client, make_service, count, text):
    for i in range(count):
        make_service(f"Warsztaty {i}", groups=("seniors",))
    assert text in client.get("/services?group=seniors").text
