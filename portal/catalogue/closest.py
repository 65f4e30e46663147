"""What a search that found nothing shows instead: the closest areas and life
situations (issue 12, "no dead ends"). Pure functions over plain values, so
they are tested without an app or a database.

The search has already tried its own rules (prefix, stem, one typo, the
synonyms) and found nothing, so this match is deliberately looser: a query
word is close to a catalogue word when both start with the same four
letters ("mieszkanko" ~ "mieszkanie", "psychiatra" ~ "psychiatry"), or when
they are alike as a whole (rapidfuzz's ratio, at least MIN_RATIO of 100:
"rechabilitacja" ~ "rehabilitacja"). Each close word leads to the services
it appears in, and they to their areas and situations.

When nothing is close (a word the catalogue has never heard of, or only
filters were set), the areas with the most services stand in: a person
still has somewhere to go.
"""
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

MIN_WORD = 3  # shorter query words say too little to lead anywhere
PREFIX = 4  # letters two words must share at the start
MIN_RATIO = 75
AREA_LIMIT = 3
NAME_WEIGHT = 100.0  # the search's weight of a service's name (search.FIELD_WEIGHTS)
NEAR_BEST = 0.99  # services scoring this share of an area's best count as equally good


@dataclass(frozen=True)
class Closest:
    """Area codes, best first; `matched` is False when they are the
    fallback (the most-served areas), not a match of the query."""

    codes: tuple
    matched: bool


def close_words(word, vocabulary):
    """{catalogue word: closeness 0..1} for one folded query word;
    `vocabulary` is the catalogue's folded words, sorted."""
    if len(word) < MIN_WORD:
        return {}
    found = {}
    if len(word) >= PREFIX:
        stem = word[:PREFIX]
        for i in range(bisect_left(vocabulary, stem), len(vocabulary)):
            other = vocabulary[i]
            if not other.startswith(stem):
                break
            shared = PREFIX
            while shared < min(len(word), len(other)) and word[shared] == other[shared]:
                shared += 1
            found[other] = shared / max(len(word), len(other))
    for other, ratio, _index in process.extract(word, vocabulary, scorer=fuzz.ratio, score_cutoff=MIN_RATIO,
                                                limit=None):
        found[other] = max(found.get(other, 0.0), ratio / 100)
    return found


def _field_factor(weight):
    """A word in the service's name counts fully, one in its description
    about half (the search's field weights: name 100 … description 3)."""
    return 0.5 + 0.5 * min(max(weight, 0.0), NAME_WEIGHT) / NAME_WEIGHT


def doc_scores(query_words, vocabulary, postings):
    """{service id: score}: for each query word, the closeness of its best
    close word found in the service (times the field's factor), added up
    over the query's words. `postings` maps a catalogue word to
    {service id: the weight of the best field it stands in}."""
    scores = {}
    for word in dict.fromkeys(query_words):
        best = {}
        for other, closeness in close_words(word, vocabulary).items():
            for doc_id, weight in postings.get(other, {}).items():
                value = closeness * _field_factor(weight)
                if value > best.get(doc_id, 0.0):
                    best[doc_id] = value
        for doc_id, closeness in best.items():
            scores[doc_id] = scores.get(doc_id, 0.0) + closeness
    return scores


def closest_areas(scores, doc_areas, area_counts, *, order=(), limit=AREA_LIMIT):
    """The areas nearest to the query: those of the services the query came
    close to, by their best service's score, then by how many of their
    services score about as well, then by how many the query came close to
    at all; without any, the areas holding the most services.

    scores: doc_scores(); doc_areas: {service id: area codes} of the
    services a resident can see; area_counts: {area code: services};
    order: the area codes in their official order (the last tie-break)."""
    rank = {code: i for i, code in enumerate(order)}
    best, hits = {}, {}
    for doc_id, score in scores.items():
        for code in doc_areas.get(doc_id, ()):
            best[code] = max(best.get(code, 0.0), score)
            hits[code] = hits.get(code, 0) + 1
    near = {code: 0 for code in best}
    for doc_id, score in scores.items():
        for code in doc_areas.get(doc_id, ()):
            if score >= NEAR_BEST * best[code]:
                near[code] += 1
    if best:
        codes = sorted(best, key=lambda c: (-best[c], -near[c], -hits[c], -area_counts.get(c, 0),
                                            rank.get(c, len(rank)), c))
        return Closest(tuple(codes[:limit]), True)
    served = [code for code, count in area_counts.items() if count > 0]
    served.sort(key=lambda c: (-area_counts[c], rank.get(c, len(rank)), c))
    return Closest(tuple(served[:limit]), False)


def rank_situations(situations, scores, query_words, folded_text):
    """The situations, the ones nearest to the query first (by the best
    score of their services, plus how close the query comes to their own
    name and description), the rest after them in their own order.

    situations: (id, service ids) pairs in the organiser's order;
    folded_text: {id: the situation's folded name and description}."""
    own = {}
    for situation_id, _services in situations:
        vocabulary = sorted(set(folded_text.get(situation_id, "").split()))
        own[situation_id] = sum(max(close_words(word, vocabulary).values(), default=0.0)
                                for word in dict.fromkeys(query_words))
    closeness = {
        situation_id: max((scores.get(doc_id, 0.0) for doc_id in services), default=0.0) + own[situation_id]
        for situation_id, services in situations
    }
    position = {situation_id: i for i, (situation_id, _services) in enumerate(situations)}
    return sorted(position, key=lambda s: (-closeness[s], position[s]))
