"""Polish-aware search: folding, prefixes, inflection, typos, synonyms, ranking."""
from datetime import datetime, timezone

import pytest

from portal.catalogue.search import Filters, clean_query, fold, polish_sort_key, search, words

NOON = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)  # a Tuesday, 12:00 in Warsaw


@pytest.mark.parametrize("raw, folded", [
    ("Żłobek", "zlobek"),
    ("ŁÓŻKO rehabilitacyjne", "lozko rehabilitacyjne"),
    ("łóżko", "lozko"),
    ("Źródło, Ćma; Ńą", "zrodlo cma na"),
    ("  Klub   Seniora—Bęczków ", "klub seniora beczkow"),
    ("", ""),
    ("\x00\x07ab", "ab"),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_clean_query_bounds_length_and_drops_control_characters():
    assert clean_query("a\x00b\tc\n") == "a b c"
    assert len(clean_query("x" * 10000)) == 200
    assert clean_query(None) == ""


def test_polish_sort_key_orders_l_before_l_stroke_and_z_dot_last():
    names = ["Żłobek", "Łóżko", "Lampa", "Zupa", "Źródło", "Ala"]
    assert sorted(names, key=polish_sort_key) == ["Ala", "Lampa", "Łóżko", "Zupa", "Źródło", "Żłobek"]


def test_words_split_on_punctuation():
    assert words("Pakiet „Opieka Plus” (dom)") == ["pakiet", "opieka", "plus", "dom"]


def names(session, query, filters=None, moment=NOON):
    from portal.catalogue.models import Service

    result = search(session, query, filters or Filters(), moment=moment, per_page=100)
    return [session.get(Service, i).name for i in result.ids]


@pytest.fixture
def catalogue(app, make_service, make_provider):
    from portal.extensions import db

    cus = make_provider(name="Centrum Usług Społecznych w Wojcieszkowie", provider_type="municipal_unit")
    make_service("Łóżko rehabilitacyjne", provider=cus, areas=("disability",), groups=("disabled",),
                 description="Wypożyczenie łóżka na czas choroby.")
    make_service("Żłobek gminny Maluch", areas=("family_policy",), groups=("families",),
                 description="Opieka nad dziećmi do lat trzech.")
    make_service("Rehabilitacja w domu", areas=("health",), groups=("seniors",),
                 description="Fizjoterapeuta przychodzi do domu.")
    make_service("Klub Seniora w Bęczkowie", areas=("social_assistance",), groups=("seniors",),
                 description="Spotkania, gimnastyka i wspólne gotowanie.")
    make_service("Poradnictwo psychologiczne", areas=("health",), groups=("mental_health",),
                 description="Rozmowa z psychologiem.")
    make_service("Opieka wytchnieniowa", areas=("disability",), groups=("carers",),
                 description="Opiekun zastępuje rodzinę na kilka godzin.")
    make_service("Gimnastyka dla każdego", areas=("sport_tourism",), groups=("community",),
                 description="Zajęcia ruchowe na sali gimnastycznej po rehabilitacji.")
    return db.session


def test_diacritics_insensitive_in_both_directions(catalogue):
    assert names(catalogue, "zlobek") == ["Żłobek gminny Maluch"]
    assert names(catalogue, "Żłobek") == ["Żłobek gminny Maluch"]
    assert names(catalogue, "łóżko") == ["Łóżko rehabilitacyjne"]
    assert names(catalogue, "lozko") == ["Łóżko rehabilitacyjne"]
    assert names(catalogue, "LOZKO") == ["Łóżko rehabilitacyjne"]


def test_word_prefix_matches(catalogue):
    found = names(catalogue, "rehab")
    assert "Rehabilitacja w domu" in found
    assert "Łóżko rehabilitacyjne" in found


def test_one_typo_in_a_longer_word_is_tolerated(catalogue):
    assert "Rehabilitacja w domu" in names(catalogue, "rehabiltacja")
    assert "Rehabilitacja w domu" in names(catalogue, "rehabilitajca")  # transposition


def test_typos_are_not_tolerated_in_short_words(catalogue):
    assert names(catalogue, "klob") == []


def test_inflected_forms_match(catalogue):
    assert names(catalogue, "klub dla seniorów") == ["Klub Seniora w Bęczkowie"]


def test_name_matches_rank_before_description_matches(catalogue):
    found = names(catalogue, "rehabilitacja")
    assert found[0] == "Rehabilitacja w domu"
    # "rehabilitacji" in a description only: found, but after name matches.
    assert found.index("Gimnastyka dla każdego") > found.index("Łóżko rehabilitacyjne")


def test_provider_and_target_group_are_searched(catalogue):
    assert "Łóżko rehabilitacyjne" in names(catalogue, "centrum usług")
    assert names(catalogue, "opiekunowie") == ["Opieka wytchnieniowa"]


def test_every_word_must_match_or_the_result_is_partial(catalogue):
    assert names(catalogue, "klub seniora") == ["Klub Seniora w Bęczkowie"]
    result = search(catalogue, "klub łóżko", Filters(), moment=NOON)
    # No service has both words: each one's services, marked as a partial match.
    assert result.partial and result.is_miss
    assert set(names(catalogue, "klub łóżko")) == {"Klub Seniora w Bęczkowie", "Łóżko rehabilitacyjne"}


def test_synonyms_expand_the_query(catalogue):
    from portal.catalogue.models import SynonymGroup
    from portal.core import versions

    assert names(catalogue, "sprzęt ortopedyczny") == []
    catalogue.add(SynonymGroup(phrases="sprzęt ortopedyczny; łóżko rehabilitacyjne"))
    catalogue.add(SynonymGroup(phrases="odpoczynek dla opiekuna; opieka wytchnieniowa"))
    versions.bump(catalogue, versions.CATALOGUE)
    catalogue.commit()
    assert names(catalogue, "sprzet ortopedyczny") == ["Łóżko rehabilitacyjne"]
    assert names(catalogue, "Odpoczynek dla opiekuna") == ["Opieka wytchnieniowa"]
    # Inflection alone already links "wytchnienie" and "wytchnieniowa".
    assert names(catalogue, "wytchnienie") == ["Opieka wytchnieniowa"]


def test_index_follows_catalogue_changes(catalogue, make_service):
    assert names(catalogue, "dożynki") == []
    make_service("Dożynki gminne", areas=("culture",))
    assert names(catalogue, "dozynki") == ["Dożynki gminne"]


def test_facets_filter_and_count(catalogue):
    from portal.catalogue.models import Service

    result = search(catalogue, "", Filters(group="seniors"), moment=NOON, per_page=100)
    assert {catalogue.get(Service, i).name for i in result.ids} == {"Rehabilitacja w domu", "Klub Seniora w Bęczkowie"}
    # Counts of the other groups ignore the group filter itself (so the
    # person sees what choosing another group would give).
    assert result.facet_counts["group"]["disabled"] == 1
    assert result.facet_counts["area"] == {"health": 1, "social_assistance": 1}


def test_free_filter(catalogue, make_service):
    from decimal import Decimal

    make_service("Masaż leczniczy", fee_amount=Decimal("40.00"), areas=("health",))
    assert "Masaż leczniczy" in names(catalogue, "")
    assert "Masaż leczniczy" not in names(catalogue, "", Filters(free=True))


def test_open_now_filter_uses_warsaw_time(catalogue, make_service):
    make_service("Kawiarenka", rules=[(1, "11:30", "12:30")])  # Tuesday
    assert names(catalogue, "kawiarenka", Filters(open_now=True)) == ["Kawiarenka"]
    late = datetime(2026, 11, 24, 12, 30, tzinfo=timezone.utc)  # 13:30 in Warsaw
    assert names(catalogue, "kawiarenka", Filters(open_now=True), moment=late) == []


def test_archived_and_ended_services_are_not_found(catalogue, make_service):
    from datetime import date

    make_service("Stara usługa", status="archived")
    make_service("Zakończony program", valid_to=date(2026, 1, 31))
    assert names(catalogue, "stara") == []
    assert names(catalogue, "program") == []


def test_suspended_services_come_after_active_ones(catalogue, make_service):
    make_service("Klub Seniora w Burzcu", status="suspended", groups=("seniors",))
    assert names(catalogue, "klub seniora") == ["Klub Seniora w Bęczkowie", "Klub Seniora w Burzcu"]
