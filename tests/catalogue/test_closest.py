"""The closest areas and situations of a search that found nothing
(portal/catalogue/closest.py): pure functions, no app, no database."""
from portal.catalogue.closest import Closest, close_words, closest_areas, doc_scores, rank_situations

VOCABULARY = sorted(["mieszkanie", "mieszkaniec", "chronione", "psychologiczne", "psychiatry", "rehabilitacja",
                     "ruchowa", "klub", "seniora", "pies", "psy"])
NAME, DESCRIPTION = 100.0, 3.0
# word -> {service id: the weight of the field it stands in}
POSTINGS = {
    "mieszkanie": {1: NAME},
    "chronione": {1: NAME},
    "mieszkaniec": {2: DESCRIPTION},
    "psychologiczne": {3: NAME},
    "psychiatry": {4: NAME},
    "rehabilitacja": {5: NAME, 6: DESCRIPTION},
    "ruchowa": {5: NAME},
    "klub": {7: NAME, 8: NAME},
    "seniora": {7: NAME, 8: NAME},
}
DOC_AREAS = {1: {"housing", "social_assistance"}, 2: {"social_assistance"}, 3: {"health"}, 4: {"health"},
             5: {"health", "disability"}, 6: {"disability"}, 7: {"social_assistance"}, 8: {"social_assistance"}}
COUNTS = {"social_assistance": 4, "housing": 1, "health": 3, "disability": 2, "culture": 0}
ORDER = ("family_policy", "social_assistance", "health", "disability", "culture", "housing")


def test_a_word_is_close_by_its_first_four_letters_or_by_its_likeness():
    found = close_words("mieszkanko", VOCABULARY)
    assert set(found) == {"mieszkanie", "mieszkaniec"}  # "miesz…" shared
    assert found["mieszkanie"] > 0.7
    typo = close_words("rechabilitacja", VOCABULARY)
    assert set(typo) == {"rehabilitacja"} and typo["rehabilitacja"] >= 0.75
    assert close_words("psychoterapeutka", VOCABULARY).keys() == {"psychologiczne", "psychiatry"}


def test_short_and_unrelated_words_are_close_to_nothing():
    assert close_words("ps", VOCABULARY) == {}
    assert close_words("xylofon", VOCABULARY) == {}
    # Three letters: only a whole-word likeness, never a shared beginning.
    assert "pies" not in close_words("psa", VOCABULARY)


def test_a_name_counts_more_than_a_description():
    scores = doc_scores(["mieszkanie"], VOCABULARY, POSTINGS)
    assert scores[1] == 1.0  # exact, in the name
    assert 0 < scores[2] < 0.6  # "mieszkaniec", close, in a description
    rehab = doc_scores(["rechabilitacja"], VOCABULARY, POSTINGS)
    assert rehab[5] > rehab[6]


def test_each_query_word_adds_its_best_match_once():
    scores = doc_scores(["klub", "seniora", "klub"], VOCABULARY, POSTINGS)
    assert scores[7] == scores[8] == 2.0
    assert doc_scores([], VOCABULARY, POSTINGS) == {}


def test_the_closest_areas_follow_the_services_the_query_came_near():
    scores = doc_scores(["psychoterapeutka"], VOCABULARY, POSTINGS)
    assert closest_areas(scores, DOC_AREAS, COUNTS, order=ORDER) == Closest(("health",), True)


def test_areas_tied_on_the_best_service_go_by_how_many_services_are_as_good():
    scores = doc_scores(["mieszkanie"], VOCABULARY, POSTINGS)
    # Service 1 (housing and social assistance) is the best; the description
    # match of service 2 adds social assistance a hit, not a tie-break win.
    nearest = closest_areas(scores, DOC_AREAS, COUNTS, order=ORDER)
    assert nearest.matched
    assert set(nearest.codes) == {"housing", "social_assistance"}
    tied = {1: 1.0, 9: 1.0}
    areas = {1: {"social_assistance"}, 9: {"housing"}, 10: {"housing"}}
    assert closest_areas({**tied, 10: 1.0}, areas, COUNTS, order=ORDER).codes == ("housing", "social_assistance")


def test_without_anything_close_the_most_served_areas_stand_in():
    nearest = closest_areas({}, DOC_AREAS, COUNTS, order=ORDER)
    assert nearest == Closest(("social_assistance", "health", "disability"), False)
    # An area without services is never offered; ties keep the official order.
    assert closest_areas({}, DOC_AREAS, {"culture": 0, "housing": 2, "health": 2}, order=ORDER).codes == (
        "health", "housing")
    assert closest_areas({}, {}, {}, order=ORDER) == Closest((), False)


def test_at_most_three_areas_unless_asked():
    scores = {doc_id: 1.0 for doc_id in DOC_AREAS}
    assert len(closest_areas(scores, DOC_AREAS, COUNTS, order=ORDER).codes) == 3
    assert len(closest_areas(scores, DOC_AREAS, COUNTS, order=ORDER, limit=10).codes) == 4


def test_situations_near_the_query_come_first_the_rest_keep_their_order():
    situations = [(10, (7, 8)), (11, (1,)), (12, (3, 4)), (13, ())]
    texts = {10: "samotnosc", 11: "nie mam gdzie mieszkac", 12: "kryzys psychiczny depresja", 13: "przemoc w domu"}
    scores = doc_scores(["psychoterapeutka"], VOCABULARY, POSTINGS)
    assert rank_situations(situations, scores, ["psychoterapeutka"], texts) == [12, 10, 11, 13]
    # Its own words bring a situation forward even when no service is near.
    assert rank_situations(situations, {}, ["depresja"], texts) == [12, 10, 11, 13]
    assert rank_situations(situations, {}, ["przemocy"], texts)[0] == 13
    assert rank_situations(situations, {}, [], texts) == [10, 11, 12, 13]
