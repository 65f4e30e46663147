"""How a repeating event's rule reads, in Polish and in English."""
from datetime import date

import pytest


@pytest.mark.parametrize("day, mode, polish, english", [
    (date(2026, 1, 14), "nth_weekday", "co miesiąc, 2. środa miesiąca", "2nd Wednesday of the month"),
    (date(2026, 1, 31), "last_weekday", "co miesiąc, ostatnia sobota miesiąca", "last Saturday of the month"),
    (date(2026, 1, 27), "last_weekday", "co miesiąc, ostatni wtorek miesiąca", "last Tuesday of the month"),
    (date(2026, 1, 1), "nth_weekday", "co miesiąc, 1. czwartek miesiąca", "1st Thursday of the month"),
])
def test_monthly_rule_reads_grammatically(app, make_event, day, mode, polish, english):
    from flask_babel import force_locale

    from portal.events.presenters import rule_text

    event = make_event("Klub Książki", day, frequency="monthly", monthly_mode=mode)
    with app.test_request_context():
        assert rule_text(event).startswith(polish)
        with force_locale("en"):
            assert english in rule_text(event)
