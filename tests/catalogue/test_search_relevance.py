"""Relevance of the catalogue search (issue 12): Polish stems with and without
diacritics, partial matches, typo rules, typo-tolerant synonyms and the
"did you mean" suggestion; hostile queries through the new paths."""
import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.catalogue.search import (
    Filters,
    edits_allowed,
    fold,
    query_stem_keys,
    search,
    stem_key,
    word_pairs,
    words,
)
from tests.helpers import assert_in, visible_text

NOON = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)  # a Tuesday, 12:00 in Warsaw
PARTIAL_HEADING = "Nie znaleźliśmy wszystkich słów — usługi pasujące do części zapytania"


# --- the stemmer ------------------------------------------------------------------

@pytest.mark.parametrize("forms", [
    ("starszego", "starsze", "starszych", "starszym"),
    ("opiekunkami", "opiekunka", "opiekunką"),
    ("seniorów", "seniora", "senior"),
    ("dzieckiem", "dziecko"),
    ("niepełnosprawnością", "niepełnosprawności"),
    ("wózków", "wózki", "wózka"),
    ("samotności", "samotność"),
])
def test_inflected_forms_share_a_stem(forms):
    assert len({stem_key(form) for form in forms}) == 1, [stem_key(form) for form in forms]


@pytest.mark.parametrize("written", [
    "starszego", "opiekunkami", "opiekunką", "seniorów", "dzieckiem", "wózków", "niepełnosprawnością",
    "samotność", "uzależnień", "zastępczym", "łóżka", "córki", "posiłku",
])
def test_a_word_typed_without_diacritics_reaches_the_stem_of_the_word_written_with_them(written):
    # The catalogue's words are stemmed as written; a query arrives folded.
    assert stem_key(written) in query_stem_keys(fold(written))


def test_the_words_of_a_text_keep_their_written_form_beside_the_folded_one():
    text = "Opieka nad dzieckiem — „Łóżko” x2"
    assert list(word_pairs(text)) == [("opieka", "opieka"), ("nad", "nad"), ("dzieckiem", "dzieckiem"),
                                      ("łóżko", "lozko"), ("x2", "x2")]
    assert [folded for _form, folded in word_pairs(text)] == words(text)


def names(session, query, filters=None):
    return [doc.name for doc in search(session, query, filters or Filters(), moment=NOON, per_page=100).docs]


@pytest.fixture
def catalogue(app, make_service):
    from portal.extensions import db

    make_service("Pakiet Opieka Plus", areas=("social_assistance",), groups=("seniors",),
                 description="Opiekunka przychodzi do domu osobom starszym i chorym.")
    make_service("Klub Seniora w Bęczkowie", areas=("social_assistance",), groups=("seniors",),
                 description="Spotkania, gimnastyka i wspólne gotowanie.")
    make_service("Gimnastyka dla każdego", areas=("sport_tourism",), groups=("community",),
                 description="Zajęcia ruchowe na sali.")
    make_service("Żłobek gminny Maluch", areas=("family_policy",), groups=("families",),
                 description="Opieka nad dzieckiem do lat trzech.")
    make_service("Rehabilitacja w domu", areas=("health",), groups=("health_problems",),
                 description="Fizjoterapeuta przychodzi do pacjenta.")
    make_service("Opieka wytchnieniowa", areas=("disability",), groups=("carers",),
                 description="Opiekun zastępuje rodzinę na kilka godzin.")
    return db.session


@pytest.mark.parametrize("query", ["starszego", "starszych", "opiekunkami", "opiekunką", "opiekunkami"])
def test_inflected_queries_find_the_service_with_or_without_diacritics(catalogue, query):
    assert "Pakiet Opieka Plus" in names(catalogue, query)
    assert "Pakiet Opieka Plus" in names(catalogue, fold(query))


def test_seniorow_without_diacritics_finds_the_seniors_club(catalogue):
    assert names(catalogue, "klub dla seniorow")[0] == "Klub Seniora w Bęczkowie"
    assert names(catalogue, "dzieckiem")[0] == "Żłobek gminny Maluch"


# --- partial matches --------------------------------------------------------------

def test_when_no_service_has_every_word_the_services_with_most_of_them_come_first(catalogue):
    result = search(catalogue, "gimnastyka gotowanie córka", Filters(), moment=NOON, per_page=100)
    found = [doc.name for doc in result.docs]
    # The club matches two words (in its description), the other one word in its name:
    # the number of words matched counts before the score.
    assert found[:2] == ["Klub Seniora w Bęczkowie", "Gimnastyka dla każdego"]
    assert result.partial and result.is_miss and result.text_matched
    assert result.unmatched == ("córka",)


def test_the_unmatched_words_are_named_as_typed(catalogue):
    result = search(catalogue, "Opieka dla Córki", Filters(), moment=NOON)
    assert result.partial and result.unmatched == ("córki",)
    assert "Opieka wytchnieniowa" in [doc.name for doc in result.docs]


def test_a_search_matching_every_word_is_not_partial(catalogue):
    result = search(catalogue, "klub gimnastyka", Filters(), moment=NOON)
    assert [doc.name for doc in result.docs] == ["Klub Seniora w Bęczkowie"]
    assert not result.partial and not result.is_miss and result.unmatched == ()


def test_a_search_matching_no_word_is_a_miss_without_results(catalogue):
    result = search(catalogue, "qqqq zzzz", Filters(), moment=NOON)
    assert result.total == 0 and not result.partial and result.is_miss


# --- typos ------------------------------------------------------------------------

def test_edits_allowed_grow_with_the_word():
    assert [edits_allowed(w) for w in ("klub", "klubb", "opiekun", "opieknka", "rehabilitacjja")] == [0, 1, 1, 2, 2]
    assert edits_allowed("12345") == 0


def test_a_dropped_or_doubled_letter_is_tolerated(catalogue):
    assert names(catalogue, "opieknka")[0] == "Pakiet Opieka Plus"  # dropped
    assert names(catalogue, "opiekunnka")[0] == "Pakiet Opieka Plus"  # doubled
    assert "Rehabilitacja w domu" in names(catalogue, "fizjoterapeta")


def test_a_prefix_one_letter_shorter_or_longer_is_tolerated(catalogue):
    # "opieknk" is "opiekunk…" typed halfway with a letter dropped; "rehabb" one too many.
    assert names(catalogue, "opieknk")[0] == "Pakiet Opieka Plus"
    assert names(catalogue, "rehabb")[0] == "Rehabilitacja w domu"


def test_two_edits_only_from_eight_letters(catalogue):
    assert "Rehabilitacja w domu" in names(catalogue, "rehabiltcja")  # 11 letters, two dropped
    assert names(catalogue, "gimnstka") == ["Gimnastyka dla każdego", "Klub Seniora w Bęczkowie"]  # 8, two
    assert names(catalogue, "gotwane") == []  # 7 letters, two edits from "gotowanie"


def test_no_typos_in_words_under_five_letters(catalogue):
    assert names(catalogue, "klob") == []


def test_typos_of_a_synonym_phrase_still_reach_the_group(catalogue):
    from portal.catalogue.models import SynonymGroup
    from portal.core import versions

    catalogue.add(SynonymGroup(phrases="odpoczynek od opieki; opieka wytchnieniowa; respite"))
    versions.bump(catalogue, versions.CATALOGUE)
    catalogue.commit()
    assert names(catalogue, "odpoczynek od opieki") == ["Opieka wytchnieniowa"]
    assert names(catalogue, "odpoczynk od opieki")[0] == "Opieka wytchnieniowa"  # dropped letter
    assert names(catalogue, "respitte") == ["Opieka wytchnieniowa"]  # doubled letter, English
    assert names(catalogue, "odpoczynku od opieki")[0] == "Opieka wytchnieniowa"  # inflected


@pytest.fixture
def demo_catalogue(app):
    from portal.demo.catalogue import seed_catalogue
    from portal.extensions import db

    seed_catalogue(db.session)
    db.session.commit()
    return db.session


def _demo_names(session, query):
    from portal.timeutil import local_now

    moment = datetime(local_now().year, 3, 10, 11, 0, tzinfo=local_now().tzinfo)
    return [doc.name for doc in search(session, query, Filters(), moment=moment, per_page=100).docs]


@pytest.mark.parametrize("query, real, unrelated", [
    # "łóżek" stands in the rental's description; one edit away is the name "Wózek inwalidzki".
    ("łóżek", "Wypożyczalnia sprzętu rehabilitacyjnego", "Wózek inwalidzki — wypożyczenie"),
    ("lozek", "Wypożyczalnia sprzętu rehabilitacyjnego", "Wózek inwalidzki — wypożyczenie"),
    # "kilka" (respite "na kilka godzin") is one edit from "piłka" in two names.
    ("kilka", "Usługa wytchnieniowa", "Piłka siatkowa dla młodzieży"),
])
def test_a_short_word_never_reaches_an_unrelated_name_through_one_edit(demo_catalogue, query, real, unrelated):
    found = _demo_names(demo_catalogue, query)
    assert found[0] == real
    assert unrelated not in found


# --- "did you mean" ---------------------------------------------------------------

def _suggestion(session, query):
    return search(session, query, Filters(), moment=NOON).suggestion


def test_an_unknown_word_close_to_the_vocabulary_gives_a_corrected_query(catalogue):
    assert _suggestion(catalogue, "opieknka dla mamy") == "opiekunka dla mamy"
    # Shown with the catalogue's diacritics, the other words as typed.
    assert _suggestion(catalogue, "Zlobke gminny") == "żłobek gminny"
    assert _suggestion(catalogue, "klob") == "klub"


def test_no_suggestion_for_known_words_digits_or_nothing_close(catalogue):
    assert _suggestion(catalogue, "opiekunka") is None
    assert _suggestion(catalogue, "starszego") is None  # an inflected form is known
    assert _suggestion(catalogue, "klub 12346") is None
    assert _suggestion(catalogue, "xqzwv") is None
    assert _suggestion(catalogue, "") is None


def test_a_synonym_word_is_known_and_a_typo_of_one_is_corrected(catalogue):
    from portal.catalogue.models import SynonymGroup
    from portal.core import versions

    catalogue.add(SynonymGroup(phrases="niania; żłobek"))
    versions.bump(catalogue, versions.CATALOGUE)
    catalogue.commit()
    assert _suggestion(catalogue, "niania") is None
    assert _suggestion(catalogue, "nianie") is None  # a form of it
    assert _suggestion(catalogue, "nianiia") == "niania"


# --- the page ---------------------------------------------------------------------

def _results(client, **args):
    page = client.get("/services", query_string=args)
    assert page.status_code == 200
    region = page.text.split('id="results"', 1)[1].split("</section>", 1)[0]
    return page, region


def test_the_page_names_a_partial_match_and_the_unmatched_word(client, catalogue):
    _page, region = _results(client, q="opieka dla córki")
    text = visible_text(region)
    assert_in(text, PARTIAL_HEADING, "Słowo „córki” nie pasuje do żadnej usługi.", "Opieka wytchnieniowa")
    _page, region = _results(client, q="gimnastyka córki wnuczka")
    assert "Słowa „córki”, „wnuczka” nie pasują do żadnej usługi." in visible_text(region)


def test_the_page_offers_the_corrected_query_as_a_link_keeping_the_filters(client, catalogue):
    _page, region = _results(client, q="opieknka", group="seniors", page="1")
    assert "Czy chodziło Ci o: opiekunka" in visible_text(region)
    href = re.search(r'<p class="suggestion">.*?<a href="([^"]+)"', region, re.S).group(1)
    url = urlsplit(href.replace("&amp;", "&"))
    assert url.path == "/services"
    assert parse_qs(url.query) == {"q": ["opiekunka"], "group": ["seniors"]}


def test_the_page_in_english(client, catalogue):
    client.set_cookie("lang", "en")
    _page, region = _results(client, q="gimnastyka córki wnuczka")
    assert_in(visible_text(region), "We did not find all the words — services matching part of your search",
              "The words „córki”, „wnuczka” match no service.")
    _page, region = _results(client, q="opieknka")
    assert "Did you mean: opiekunka" in visible_text(region)


def test_a_full_match_shows_no_partial_heading_or_suggestion(client, catalogue):
    _page, region = _results(client, q="opiekunka")
    text = visible_text(region)
    assert PARTIAL_HEADING not in text and "Czy chodziło Ci o" not in text
    assert "Znaleziono 1 usługę" in text


# --- hostile queries --------------------------------------------------------------

HOSTILE = [
    "x" * 400,
    "opieka " * 60,
    "i w z na do",  # only function words
    "123 4567 89",  # only digits
    "1234567890" * 20,
    "' OR 1=1 -- opieknka",
    "<b>opieknka</b> córki",
    "ąęłńóśźż ĄĘŁŃÓŚŹŻ",
    "ß ø đ ½ ² ³ ﬁ",
    "a" * 199 + " rehabilitacjja",
    "____ ---- ....",
    "niania niania niania niania niania niania niania niania niania",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, demo_catalogue, query):
    page = client.get("/services", query_string={"q": query})
    assert page.status_code == 200
    assert "<b>opieknka" not in page.text


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_any_text_searches_without_error(demo_catalogue, query):
    result = search(demo_catalogue, query, Filters(), moment=NOON)
    assert result.total >= 0 and result.is_miss in (True, False)
    # A word with a digit is never corrected: the suggestion keeps it as typed.
    typed = [form for form, _folded in word_pairs(query)]
    if result.suggestion:
        assert [w for w in result.suggestion.split() if any(c.isdigit() for c in w)] == \
            [w for w in typed if any(c.isdigit() for c in w)][: len(result.suggestion.split())]
