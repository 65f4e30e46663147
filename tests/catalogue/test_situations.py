"""Browse by life situation, and no dead ends (issue 12): the situations on
the catalogue's start page, a situation's own page, and what a search that
found nothing shows instead — read as a resident reads them."""
from datetime import date, timedelta

import pytest

from tests.helpers import assert_in, saved, visible_text


@pytest.fixture
def make_situation(app):
    from portal.catalogue.models import LifeSituation
    from portal.core import versions

    counter = {"n": 0}

    def make(name, services=(), *, description=None, published=True, slug=None):
        counter["n"] += 1
        return saved(LifeSituation(name=name, slug=slug or f"sytuacja-{counter['n']}", position=counter["n"],
                                   description=description or f"Opis: {name}", published=published,
                                   services=list(services)), versions.CATALOGUE)

    return make


@pytest.fixture
def carers(make_service, make_situation):
    """'Opiekuję się starszym rodzicem' with three services a resident sees
    (one suspended), one archived and one whose period has ended."""
    services = [
        make_service("Usługi opiekuńcze w domu", areas=("social_assistance",)),
        make_service("Łóżko rehabilitacyjne", areas=("disability", "health")),
        make_service("Asystent osobisty", areas=("disability",), status="suspended"),
        make_service("Dawny punkt opieki", status="archived"),
        make_service("Program zakończony", valid_to=date.today() - timedelta(days=40)),
    ]
    return make_situation("Opiekuję się starszym rodzicem", services, slug="opiekuje-sie-starszym-rodzicem",
                          description="Pomoc w domu, sprzęt i wytchnienie dla opiekuna.")


def main_text(page):
    html = page.text
    return visible_text(html[html.index("<main"):html.index("</main>")])


def results_text(page):
    """The results region only (the search form above it names every area)."""
    html = page.text
    return visible_text(html[html.index('<section id="results"'):html.index("</main>")])


def section_text(page, css_class):
    html = page.text
    start = html.index(f'<section class="{css_class}"')
    return visible_text(html[start:html.index("</section>", start)])


def test_the_start_page_lists_the_situations_in_residents_words(client, carers, make_service, make_situation):
    make_situation("Straciłem pracę", [make_service("Doradztwo zawodowe")])
    make_situation("Przemoc w domu", [make_service(f"Wsparcie {n}") for n in range(5)])
    make_situation("Szkic sytuacji", [make_service("Coś")], published=False)
    make_situation("Same archiwalne", [make_service("Stare", status="archived")])
    for url in ("/", "/services"):
        text = main_text(client.get(url))
        assert_in(text, "Zacznij od swojej sytuacji",
                  "Opiekuję się starszym rodzicem · 3 usługi Pomoc w domu, sprzęt i wytchnienie dla opiekuna.",
                  "Straciłem pracę · 1 usługa", "Przemoc w domu · 5 usług")
        # In the organiser's order, before the list of services.
        assert text.index("Opiekuję się") < text.index("Straciłem pracę") < text.index("Przemoc w domu") < \
            text.index("Znaleziono")
        assert "Szkic sytuacji" not in text  # a draft
        assert "Same archiwalne" not in text  # nothing a resident could use: a dead end
    assert 'href="/situations/opiekuje-sie-starszym-rodzicem"' in client.get("/").text


def test_no_situations_once_something_is_asked_or_on_the_next_page(client, carers, make_service):
    for n in range(25):
        make_service(f"Zajęcia {n:02d}")
    for url in ("/services?q=zajecia", "/services?area=health", "/services?free=1", "/services?page=2"):
        assert "Zacznij od swojej sytuacji" not in client.get(url).text, url
    region = client.get("/services", headers={"HX-Request": "true", "HX-Target": "results"})
    assert region.text.lstrip().startswith('<section id="results"')
    assert "Opiekuję się starszym rodzicem" in region.text  # typed then cleared: the situations come back


def test_a_situation_page_shows_only_what_a_resident_can_use(client, carers):
    page = client.get("/situations/opiekuje-sie-starszym-rodzicem")
    assert page.status_code == 200
    text = main_text(page)
    assert_in(text, "Katalog usług › Opiekuję się starszym rodzicem",
              "Pomoc w domu, sprzęt i wytchnienie dla opiekuna.", "Usługi, które mogą pomóc", "3 usługi",
              "Realizator", "Koszt Bezpłatna", "Zawieszona",
              "Nie ma tu tego, czego szukasz?", "Zadzwoń do Biura Obsługi Klienta: 25 753 10 01",
              "Napisz do nas przez formularz kontaktowy")
    assert "Dawny punkt opieki" not in text and "Program zakończony" not in text
    # The catalogue's order: active first, then Polish alphabetical (Ł after L, before U).
    names = ["Łóżko rehabilitacyjne", "Usługi opiekuńcze w domu", "Asystent osobisty"]
    assert sorted(names, key=text.index) == names
    assert 'href="/contact"' in page.text and 'href="tel:+48257531001"' in page.text


def test_a_draft_or_unknown_situation_is_not_found(client, make_situation, make_service):
    make_situation("Szkic", [make_service("Coś")], published=False, slug="szkic")
    assert client.get("/situations/szkic").status_code == 404
    assert client.get("/situations/nie-ma-takiej").status_code == 404
    assert client.get("/situations/" + "x" * 500).status_code == 404


def test_a_published_situation_whose_services_all_went_says_whom_to_ask(client, make_situation, make_service):
    make_situation("Samotność", [make_service("Klub", status="archived")], slug="samotnosc")
    text = main_text(client.get("/situations/samotnosc"))
    assert_in(text, "Na razie nie ma tu usług. Zadzwoń albo napisz do nas — pomożemy.", "25 753 10 01")


# --- no dead ends ------------------------------------------------------------------

@pytest.fixture
def catalogue(make_service, make_situation):
    psychologist = make_service("Poradnictwo psychologiczne dla dorosłych", areas=("health",))
    make_service("Konsultacje lekarza psychiatry", areas=("health",))
    clubs = [make_service(f"Klub Seniora nr {n}", areas=("social_assistance", "culture"), fee_amount=10)
             for n in range(1, 5)]
    make_service("Doradztwo zawodowe", areas=("unemployment",))
    make_situation("Samotność", clubs[:2], description="Nie mam do kogo się odezwać.")
    make_situation("Kryzys psychiczny", [psychologist], description="Depresja, lęk, myśli, że nie dam rady.")


def test_an_empty_result_shows_the_closest_areas_situations_phone_and_form(client, catalogue):
    page = client.get("/services?q=psychoterapeutka")
    text = results_text(page)
    assert_in(text, "Znaleziono 0 usług", "Nie znaleźliśmy usługi pasującej do wyszukiwania.",
              "Dziedziny najbliższe Twojemu pytaniu", "Promocja i ochrona zdrowia · 2 usługi",
              "Może pasuje któraś z tych sytuacji", "Kryzys psychiczny · 1 usługa", "Samotność · 2 usługi",
              "Zapytaj nas", "Zadzwoń do Biura Obsługi Klienta: 25 753 10 01 (poniedziałek–piątek 7:30–15:30)",
              "Napisz do nas przez formularz kontaktowy")
    # Health alone, although social assistance has more services; the
    # psychologist's situation before the one the organiser listed first.
    assert section_text(page, "closest-areas") == \
        "Dziedziny najbliższe Twojemu pytaniu Promocja i ochrona zdrowia · 2 usługi"
    assert text.index("Kryzys psychiczny") < text.index("Samotność")
    assert 'href="/services?area=health"' in page.text
    assert 'href="/contact"' in page.text and 'href="tel:+48257531001"' in page.text
    assert "Zacznij od swojej sytuacji" not in text


def test_a_word_the_catalogue_never_heard_of_gets_the_most_served_areas(client, catalogue):
    page = client.get("/services?q=xylofon")
    text = results_text(page)
    assert section_text(page, "closest-areas") == ("Dziedziny, w których jest najwięcej usług "
                                                  "Pomoc społeczna · 4 usługi Kultura · 4 usługi "
                                                  "Promocja i ochrona zdrowia · 2 usługi")
    # The situations in the organiser's order.
    assert text.index("Samotność") < text.index("Kryzys psychiczny")


def test_filters_that_leave_nothing_point_to_the_areas_of_what_the_words_found(client, catalogue):
    page = client.get("/services?q=klub+seniora&free=1")
    assert "Znaleziono 0 usług" in results_text(page)
    assert section_text(page, "closest-areas") == ("Dziedziny najbliższe Twojemu pytaniu "
                                                  "Pomoc społeczna · 4 usługi Kultura · 4 usługi")


def test_the_empty_result_region_for_htmx_holds_the_same(client, catalogue):
    region = client.get("/services?q=psychoterapeutka", headers={"HX-Request": "true", "HX-Target": "results"})
    assert region.text.lstrip().startswith('<section id="results"')
    assert "<html" not in region.text
    assert_in(visible_text(region.text), "Dziedziny najbliższe Twojemu pytaniu", "Kryzys psychiczny · 1 usługa",
              "25 753 10 01", "Napisz do nas przez formularz kontaktowy")


def test_no_situations_and_no_services_still_leave_the_phone_and_the_form(client):
    text = results_text(client.get("/services?q=cokolwiek"))
    assert_in(text, "Znaleziono 0 usług", "Zapytaj nas", "25 753 10 01", "Napisz do nas przez formularz kontaktowy")
    assert "Może pasuje" not in text and "Dziedziny" not in text


def test_the_centres_phone_comes_from_the_settings(app, client, catalogue):
    app.config["CENTRE_PHONE"] = "22 612 34 56"
    text = results_text(client.get("/services?q=xylofon"))
    assert "Zadzwoń do Biura Obsługi Klienta: 22 612 34 56" in text
    assert 'href="tel:+48226123456"' in client.get("/services?q=xylofonik").text


def test_an_organisers_change_shows_at_once(client, catalogue, make_service):
    """The regions are cached by the catalogue's data version: a change
    through the organiser's operations moves it."""
    from portal.catalogue.models import LifeSituation
    from portal.extensions import db
    from portal.manage import situations as ops

    assert "Samotność · 2 usługi" in main_text(client.get("/"))
    situation = db.session.scalar(db.select(LifeSituation).filter_by(name="Samotność"))
    data = ops.situation_data(situation)
    data["service_ids"] = data["service_ids"][:1]
    ops.update_situation(db.session, situation, data, actor=None, expected_version=situation.version)
    db.session.commit()
    assert "Samotność · 1 usługa" in main_text(client.get("/"))


def test_the_english_page_counts_in_english(client, carers):
    client.set_cookie("lang", "en")
    text = main_text(client.get("/"))
    assert_in(text, "Start from your situation", "Opiekuję się starszym rodzicem · 3 services")
    page = main_text(client.get("/situations/opiekuje-sie-starszym-rodzicem"))
    assert_in(page, "Services that can help", "3 services", "Call the front desk:")
