"""The PostgreSQL baseline `make bench` compares the portal's search with
(bench/quality.py): its SQL runs, and each step of its cascade answers, on a
tiny catalogue."""
import pytest


def test_the_baseline_cascade_runs_on_postgresql(app, database_url, make_service):
    if not database_url.startswith("postgresql"):
        pytest.skip("the baseline is PostgreSQL's (unaccent, pg_trgm): the PostgreSQL run tests it")
    from bench.quality import Baseline
    from portal.extensions import db

    make_service("Klub Seniora w Bęczkowie", groups=("seniors",), description="Spotkania seniorów przy kawie.")
    make_service("Wypożyczalnia sprzętu rehabilitacyjnego", description="Wózki inwalidzkie, łóżka, kule.")
    make_service("Archiwalny klub", status="archived")
    with db.engine.connect() as connection:
        baseline = Baseline(connection)
        baseline.setup()
        try:
            assert baseline.ranked("Klub seniora") == ["klub-seniora-w-beczkowie"]  # every word, a prefix
            assert baseline.ranked("wozki lozka") == ["wypozyczalnia-sprzetu-rehabilitacyjnego"]  # no diacritics
            assert set(baseline.ranked("klub wozki")) == {"klub-seniora-w-beczkowie",
                                                          "wypozyczalnia-sprzetu-rehabilitacyjnego"}  # any word
            assert baseline.ranked("rehabilitcyjnego")[0] == "wypozyczalnia-sprzetu-rehabilitacyjnego"  # trigram
            assert baseline.ranked("100% ' & | !") == []
            assert baseline.ranked("zzzz qqqq") == []
            assert baseline.stages == {"all words": 2, "any word": 1, "trigram": 1}
        finally:
            baseline.drop()
