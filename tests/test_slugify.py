"""One slug rule for every web address part (portal/text.py): services,
providers, villages and events, the demo and the benchmark's catalogues."""
import pytest

from portal.text import fold, slugify


@pytest.mark.parametrize("text, slug", [
    ("Święto Pieroga", "swieto-pieroga"),
    ("Klub Seniora w Bęczkowie", "klub-seniora-w-beczkowie"),
    ("Zażółć gęślą jaźń", "zazolc-gesla-jazn"),
    ("ŁÓDŹ, ŻYRARDÓW i ĆMIELÓW", "lodz-zyrardow-i-cmielow"),
    ("Łóżko rehabilitacyjne", "lozko-rehabilitacyjne"),
    ("Stowarzyszenie „Złota Jesień” — Wólka Domaszewska", "stowarzyszenie-zlota-jesien-wolka-domaszewska"),
    ("  Klub   Abstynenta (AA)  ", "klub-abstynenta-aa"),
    ("Ośrodek nr 2 / filia 3", "osrodek-nr-2-filia-3"),
    ("", ""),
    (None, ""),
    ("— „…” —", ""),
])
def test_polish_letters_fold_to_ascii_words_joined_by_hyphens(text, slug):
    assert slugify(text) == slug


def test_the_slug_is_the_folded_text_with_hyphens():
    text = "Gminny Ośrodek Kultury — filia Świderki"
    assert slugify(text) == fold(text).replace(" ", "-") == "gminny-osrodek-kultury-filia-swiderki"


def test_length_is_at_most_max_length_and_never_ends_with_a_hyphen():
    long_name = "Pakiet rehabilitacyjny dla osób z niepełnosprawnościami " * 5
    assert len(slugify(long_name)) == 120  # the default
    assert slugify(long_name).startswith("pakiet-rehabilitacyjny-dla-osob-z-niepelnosprawnosciami-pakiet")
    whole = slugify(long_name, 1000)
    for max_length in (3, 7, 8, 9, 50, 110, 114, 120, 134, 140, 150):
        slug = slugify(long_name, max_length)
        assert len(slug) <= max_length
        assert slug == whole[:max_length].strip("-")
        assert not slug.startswith("-") and not slug.endswith("-")
    # "pakiet-r": cut inside a word is kept; "pakiet-": the hyphen is dropped.
    assert slugify(long_name, 8) == "pakiet-r"
    assert slugify(long_name, 7) == "pakiet"
    assert slugify("Świderki", 4) == "swid"
    assert slugify("ab", 0) == ""
