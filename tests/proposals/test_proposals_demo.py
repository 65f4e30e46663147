"""The demo's proposals (`flask demo ensure`): `realizator` has a change and a
new service waiting; the organiser's queue shows them; a second run adds none."""
from tests.demo.conftest import demo  # noqa: F401  (fixture)
from tests.demo.test_readme import signed_in
from tests.helpers import assert_in, visible_text


def test_the_demo_has_two_waiting_proposals_of_realizator(app, runner, demo):  # noqa: F811
    from portal.extensions import db
    from portal.proposals.models import Proposal

    mine = visible_text(signed_in(app, "realizator").get("/proposals/").text)
    assert_in(mine, "Klub Seniora w Bęczkowie", "Warsztaty rękodzieła dla seniorów", "czeka na decyzję")
    organiser = signed_in(app, "organizator")
    queue = visible_text(organiser.get("/proposals/review").text)
    assert_in(queue, "Czekają na decyzję: 2 propozycje", "Stowarzyszenie Rozwoju Gminy Wojcieszków")
    change = db.session.scalar(db.select(Proposal).filter_by(kind="change"))
    review = visible_text(organiser.get(f"/proposals/review/{change.id}").text)
    assert_in(review, "Propozycja zmienia 2 pola", "Zapisy u animatorki klubu",
              "pt 10:00-12:00 Gimnastyka dla seniorów")
    assert runner.invoke(args=["demo", "ensure"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 2
