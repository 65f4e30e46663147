"""The two demo screens of `flask demo ensure`, at the addresses the README gives."""
import re

from tests.kiosk.conftest import local


def test_demo_ensure_creates_the_two_screens_once(app, client, runner):
    from kiosk.models import Screen
    from portal.extensions import db

    app.config["DEMO_MODE"] = True
    result = runner.invoke(args=["demo", "ensure"])
    assert result.exit_code == 0, result.output
    assert "/kiosk/demo-ekran-hol-calodobowy" in result.output
    again = runner.invoke(args=["demo", "ensure"])
    assert again.exit_code == 0 and "Demo kiosk screens" not in again.output
    screens = {s.token: s for s in db.session.scalars(db.select(Screen))}
    assert set(screens) == {"demo-ekran-hol-calodobowy", "demo-ekran-biuro-pn-pt"}
    assert screens["demo-ekran-hol-calodobowy"].always_on
    assert not screens["demo-ekran-biuro-pn-pt"].always_on

    readme = open("README.md", encoding="utf-8").read()
    for token in screens:
        assert f"/kiosk/{token}" in readme

    app.config["FIXED_NOW"] = local(2026, 10, 17, 22, 0)  # a Saturday night
    around_the_clock = client.get("/kiosk/demo-ekran-hol-calodobowy").text
    office = client.get("/kiosk/demo-ekran-biuro-pn-pt").text
    assert re.search(r'<section class="slide [^"]*" data-key="[^"]+"[^>]*?(?<!hidden)>', around_the_clock)
    assert "Wypożyczalnia sprzętu rehabilitacyjnego" in around_the_clock  # the screens' chosen service
    assert "Zapraszamy w poniedziałek od 7:30" in office


def test_no_demo_screens_in_production(app, runner):
    from kiosk.models import Screen
    from portal.extensions import db

    app.config["DEMO_MODE"] = False
    runner.invoke(args=["demo", "ensure"])
    assert db.session.scalar(db.select(db.func.count()).select_from(Screen)) == 0
