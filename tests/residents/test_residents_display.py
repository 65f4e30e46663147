"""What the person card shows, read as the user reads it: the visible text."""
import re

import pytest

from tests.helpers import seed_demo, visible_text
from tests.residents.test_residents_services import WOMAN_2002, make_person  # noqa: F401  (fixtures)

# Single letters separated by "; ": a word spelt out letter by letter.
SPELT_OUT = re.compile(r"(?<!\w)\w(?:; \w){2,}(?!\w)")


def test_a_typical_card_shows_sex_contact_and_representative_as_words(client, auth, make_person):
    person = make_person("Anna", "Kowalska", pesel=WOMAN_2002, phone="601 234 567", preferred_contact="phone",
                         representative_kind="de_facto", representative_name="Jan Kowalski")
    auth.login("front_desk")
    text = visible_text(client.get(f"/residents/{person.id}").text)
    assert "Płeć kobieta" in text
    assert "Preferowany sposób kontaktu telefon" in text
    assert "Rodzaj Opiekun faktyczny" in text
    assert not SPELT_OUT.search(text), SPELT_OUT.findall(text)


def test_the_value_macro_prints_a_lazy_string_whole_and_joins_real_lists(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext as _l

    with app.test_request_context():
        out = render_template_string(
            '{% from "_macros/forms.html" import value %}[{{ value(lazy) }}] [{{ value(items) }}] [{{ value(empty) }}]',
            lazy=_l("kobieta"), items=[_l("tak"), "b"], empty=[])
    assert out.startswith("[kobieta] [tak; b] [") and "—" in out


@pytest.fixture
def demo_people(app):
    seed_demo(through="people")


def test_no_field_on_the_first_60_demo_cards_is_spelt_out(client, auth, demo_people):
    from portal.extensions import db
    from portal.residents.models import Resident

    auth.login("front_desk")
    ids = db.session.scalars(db.select(Resident.id).order_by(Resident.id).limit(60)).all()
    assert len(ids) == 60
    garbled = {}
    for resident_id in ids:
        response = client.get(f"/residents/{resident_id}")
        assert response.status_code == 200
        hits = SPELT_OUT.findall(visible_text(response.text))
        if hits:
            garbled[resident_id] = hits
    assert not garbled, garbled
