"""The services organiser's life situations: the operations
(portal/manage/situations.py) and the pages, read as the organiser reads them."""
import re

import pytest
from sqlalchemy import select

from portal.core.errors import DataError, VersionConflict
from tests.helpers import assert_in, stored, visible_text


def _version():
    from portal.core import versions
    from portal.extensions import db

    return versions.current(db.session, versions.CATALOGUE)


def _situations():
    from portal.catalogue.models import LifeSituation
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(select(LifeSituation).order_by(LifeSituation.position, LifeSituation.id)).all()


def _trail(situation_id):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    return db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "life_situation",
                                                       AuditEvent.object_id == situation_id)
                              .order_by(AuditEvent.id)).all()


def main_text(html):
    return visible_text(html[html.index("<main"):html.index("</main>")])


@pytest.fixture
def services(make_service):
    return {name: make_service(name, **fields) for name, fields in (
        ("Usługi opiekuńcze w domu", {}),
        ("Łóżko rehabilitacyjne", {}),
        ("Klub Seniora w Bęczkowie", {}),
        ("Asystent osobisty", {"status": "suspended"}),
        ("Dawna wypożyczalnia", {"status": "archived"}),
    )}


@pytest.fixture
def ops(app):
    from portal.manage import situations

    return situations


def _data(name="Opiekuję się starszym rodzicem", services=(), **fields):
    data = {"name": name, "description": "Pomoc w domu i wytchnienie dla opiekuna.", "published": True,
            "service_ids": [s.id for s in services]}
    data.update(fields)
    return data


# --- operations ---------------------------------------------------------------------

def test_create_makes_an_address_puts_it_last_logs_it_and_moves_the_version(app, ops, services, make_user):
    from portal.extensions import db

    organiser = make_user("services_organiser")
    first = ops.create_situation(db.session, _data("Straciłem pracę", [services["Asystent osobisty"]]),
                                 actor=organiser)
    before = _version()
    chosen = [services["Łóżko rehabilitacyjne"], services["Usługi opiekuńcze w domu"]]
    second = ops.create_situation(db.session, _data("  Opiekuję się   starszym rodzicem ", chosen), actor=organiser)
    db.session.commit()
    assert _version() > before
    assert [s.name for s in _situations()] == ["Straciłem pracę", "Opiekuję się starszym rodzicem"]
    assert second.slug == "opiekuje-sie-starszym-rodzicem" and second.position > first.position
    assert second.created_by_id == organiser.id
    (event,) = _trail(second.id)
    assert event.action == "create" and event.actor_id == organiser.id
    assert event.changes["services"] == [None, ["Łóżko rehabilitacyjne", "Usługi opiekuńcze w domu"]]


def test_names_are_unique_without_case_or_polish_letters(app, ops, services):
    from portal.extensions import db

    app.test_request_context().push()  # the messages are read in the request's language
    ops.create_situation(db.session, _data("Straciłem pracę", [services["Łóżko rehabilitacyjne"]]), actor=None)
    with pytest.raises(DataError) as refused:
        ops.create_situation(db.session, _data("STRACILEM  PRACE", [services["Łóżko rehabilitacyjne"]]), actor=None)
    assert refused.value.field == "name"
    assert str(refused.value.message) == "Sytuacja o takiej nazwie już jest na liście."


@pytest.mark.parametrize("fields,field,message", [
    ({"name": "  "}, "name", "Podaj nazwę sytuacji, tak jak mówią mieszkańcy."),
    ({"name": "x" * 121}, "name", "Nazwa może mieć najwyżej 120 znaków."),
    ({"description": ""}, "description", "Opisz sytuację jednym zdaniem."),
    ({"description": "y" * 301}, "description", "Opis może mieć najwyżej 300 znaków."),
    ({"service_ids": []}, "service_ids", "Zaznacz co najmniej jedną usługę albo zapisz sytuację jako szkic."),
    ({"service_ids": [987654]}, "service_ids", "Zaznacz usługi z listy."),
])
def test_refusals_name_their_field(app, ops, fields, field, message):
    from portal.extensions import db

    app.test_request_context().push()
    with pytest.raises(DataError) as refused:
        ops.create_situation(db.session, _data(**fields), actor=None)
    assert (refused.value.field, str(refused.value.message)) == (field, message)


def test_a_draft_may_be_empty_an_archived_service_cannot_be_newly_chosen(app, ops, services):
    from portal.extensions import db

    draft = ops.create_situation(db.session, _data(published=False), actor=None)
    assert draft.services == [] and not draft.published
    with pytest.raises(DataError) as refused:
        ops.create_situation(db.session, _data("Inna", [services["Dawna wypożyczalnia"]], published=False),
                             actor=None)
    assert refused.value.field == "service_ids"
    # Only archived services left is as good as none for a published situation.
    draft.services = [services["Dawna wypożyczalnia"]]
    db.session.flush()
    with pytest.raises(DataError):
        ops.update_situation(db.session, draft, ops.situation_data(draft) | {"published": True}, actor=None,
                             expected_version=draft.version)


def test_a_service_archived_after_it_was_chosen_may_stay(app, ops, services):
    from portal.extensions import db

    chosen = [services["Łóżko rehabilitacyjne"], services["Dawna wypożyczalnia"]]
    situation = ops.create_situation(db.session, _data(published=False), actor=None)
    situation.services = chosen
    db.session.commit()
    ops.update_situation(db.session, situation, ops.situation_data(situation) | {"published": True}, actor=None,
                         expected_version=situation.version)
    db.session.commit()
    assert {s.name for s in stored(type(situation), situation.id).services} == {
        "Łóżko rehabilitacyjne", "Dawna wypożyczalnia"}
    names = [s.name for s in ops.service_choices(db.session, situation)]
    assert "Dawna wypożyczalnia" in names
    assert "Dawna wypożyczalnia" not in [s.name for s in ops.service_choices(db.session)]


def test_update_needs_the_version_it_started_from_and_logs_what_changed(app, ops, services, make_user):
    from portal.extensions import db

    organiser = make_user("services_organiser")
    situation = ops.create_situation(db.session, _data(services=[services["Łóżko rehabilitacyjne"]]), actor=None)
    db.session.commit()
    version = situation.version
    with pytest.raises(VersionConflict):
        ops.update_situation(db.session, situation, _data(), actor=organiser, expected_version=version + 1)
    before = _version()
    # Only the services change: the row's version still moves (a later stale save is refused).
    ops.update_situation(db.session, situation, _data(services=[services["Klub Seniora w Bęczkowie"]]),
                         actor=organiser, expected_version=version)
    db.session.commit()
    assert stored(type(situation), situation.id).version == version + 1
    assert _version() > before
    event = _trail(situation.id)[-1]
    assert event.action == "update" and event.actor_id == organiser.id
    assert event.changes == {"services": [["Łóżko rehabilitacyjne"], ["Klub Seniora w Bęczkowie"]]}
    # The address stays when the name changes.
    ops.update_situation(db.session, situation, _data("Opieka nad mamą", [services["Klub Seniora w Bęczkowie"]]),
                         actor=organiser, expected_version=version + 1)
    db.session.commit()
    assert stored(type(situation), situation.id).slug == "opiekuje-sie-starszym-rodzicem"


def test_moving_swaps_neighbours_without_touching_their_versions(app, ops, services):
    from portal.extensions import db

    rows = [ops.create_situation(db.session, _data(name, [services["Łóżko rehabilitacyjne"]]), actor=None)
            for name in ("Pierwsza", "Druga", "Trzecia")]
    db.session.commit()
    ops.delete_situation(db.session, rows[0], actor=None)  # leaves a gap in the numbers
    db.session.commit()
    versions = {row.id: row.version for row in _situations()}
    before = _version()
    assert ops.move_situation(db.session, rows[2], "up", actor=None) is True
    db.session.commit()
    assert [s.name for s in _situations()] == ["Trzecia", "Druga"]
    assert {row.id: row.version for row in _situations()} == versions
    assert _version() > before
    assert ops.move_situation(db.session, rows[2], "up", actor=None) is False  # already first
    assert ops.move_situation(db.session, rows[1], "down", actor=None) is False  # already last
    assert _trail(rows[2].id)[-1].changes == {"position": [2, 1]}
    with pytest.raises(ValueError):
        ops.move_situation(db.session, rows[1], "sideways", actor=None)


def test_delete_keeps_the_services_and_the_trail(app, ops, services):
    from portal.catalogue.models import LifeSituation, Service, life_situation_service
    from portal.extensions import db

    situation = ops.create_situation(db.session, _data(services=[services["Łóżko rehabilitacyjne"]]), actor=None)
    db.session.commit()
    situation_id = situation.id
    before = _version()
    ops.delete_situation(db.session, situation, actor=None)
    db.session.commit()
    assert db.session.get(LifeSituation, situation_id) is None
    assert db.session.scalar(select(Service).filter_by(name="Łóżko rehabilitacyjne")) is not None
    assert db.session.execute(select(life_situation_service)).all() == []
    assert [e.action for e in _trail(situation_id)] == ["create", "delete"]
    assert _trail(situation_id)[-1].changes["name"] == ["Opiekuję się starszym rodzicem", None]
    assert _version() > before


def test_the_services_to_choose_from_are_in_polish_order(app, ops, make_service):
    from portal.extensions import db

    for name in ("Świetlica", "Łóżko", "Bożniewice — klub", "Lipa — kuchnia", "Sucha — basen", "Bęczków — klub"):
        make_service(name)
    assert [s.name for s in ops.service_choices(db.session)] == [
        "Bęczków — klub", "Bożniewice — klub", "Lipa — kuchnia", "Łóżko", "Sucha — basen", "Świetlica"]


# --- pages ---------------------------------------------------------------------------

def test_the_list_in_the_catalogues_order_with_counts_and_drafts(auth, organiser, ops, services):
    from portal.extensions import db

    ops.create_situation(db.session, _data("Straciłem pracę", [services["Łóżko rehabilitacyjne"]]), actor=None)
    carers = ops.create_situation(db.session, _data("Opiekuję się starszym rodzicem", [
        services["Łóżko rehabilitacyjne"], services["Usługi opiekuńcze w domu"], services["Asystent osobisty"],
        services["Klub Seniora w Bęczkowie"]]), actor=None)
    carers.services.append(services["Dawna wypożyczalnia"])  # archived since it was chosen
    ops.create_situation(db.session, _data("Przemoc w domu", published=False), actor=None)
    db.session.commit()
    page = auth.client.get("/manage/situations")
    assert page.status_code == 200
    text = main_text(page.text)
    assert_in(text, "Sytuacje życiowe", "Dodaj sytuację",
              "1. Straciłem pracę Pomoc w domu i wytchnienie dla opiekuna. 1 usługa widoczna",
              "2. Opiekuję się starszym rodzicem", "4 usługi",  # the archived one does not count
              "3. Przemoc w domu", "0 usług szkic — niewidoczna")
    # The first has no "up", the last no "down"; each button says whose it is.
    assert "Wyżej : Straciłem pracę" not in text and "Niżej : Straciłem pracę" in text
    assert "Wyżej : Przemoc w domu" in text and "Niżej : Przemoc w domu" not in text
    assert 'aria-current="page">Sytuacje życiowe' in page.text  # the management section's own links


def test_new_situation_through_the_form(auth, organiser, services):
    page = auth.client.get("/manage/situations/new")
    assert page.status_code == 200
    text = main_text(page.text)
    assert_in(text, "Nowa sytuacja życiowa", "Sytuacja — tak, jak mówią mieszkańcy", "Opis w jednym zdaniu",
              "Widoczna w katalogu publicznym", "Wybrano 0 usług",
              "Pokaż usługi, których nazwa lub realizator zawiera")
    # Every service not archived, in Polish order (Ł after K, before U).
    names = ["Asystent osobisty", "Klub Seniora w Bęczkowie", "Łóżko rehabilitacyjne", "Usługi opiekuńcze w domu"]
    assert sorted(names, key=text.index) == names
    assert "Dawna wypożyczalnia" not in text
    assert "Asystent osobisty — Stowarzyszenie Testowe" in text and "(zawieszona)" in text
    assert " checked " in re.search(r'<input[^>]*name="published"[^>]*>', page.text).group(0)
    response = auth.post("/manage/situations/new", {
        "name": "Straciłem pracę", "description": "Doradca, porady, psycholog.", "published": "y",
        "service_ids": [str(services["Łóżko rehabilitacyjne"].id), str(services["Klub Seniora w Bęczkowie"].id)]})
    assert response.status_code == 303
    (situation,) = _situations()
    assert response.headers["Location"].endswith(f"/manage/situations#situation-{situation.id}")
    listed = auth.client.get("/manage/situations")
    assert "Dodano sytuację „Straciłem pracę”." in listed.text
    assert "Straciłem pracę" in auth.client.get("/").text


def test_an_invalid_form_comes_back_with_everything_kept(auth, organiser, services):
    bed = services["Łóżko rehabilitacyjne"]
    response = auth.post("/manage/situations/new", {"name": "Samotność", "description": "", "published": "y",
                                                    "service_ids": [str(bed.id), "junk", "99999999999"]})
    assert response.status_code == 422
    assert_in(response.text, "Opisz sytuację jednym zdaniem.", 'value="Samotność"',
              f'value="{bed.id}" id="service-{bed.id}" checked')
    assert _situations() == []
    empty = auth.post("/manage/situations/new", {"name": "Samotność", "description": "Nikt nie dzwoni.",
                                                 "published": "y"})
    assert empty.status_code == 422
    assert_in(main_text(empty.text), "Popraw zaznaczone pola",
              "Usługi w tej sytuacji: Zaznacz co najmniej jedną usługę albo zapisz sytuację jako szkic.")
    assert 'href="#service_ids"' in empty.text and 'id="service_ids"' in empty.text


def test_the_filter_box_works_without_javascript_and_saves_nothing(auth, organiser, services):
    bed = services["Łóżko rehabilitacyjne"]
    response = auth.post("/manage/situations/new", {"name": "Samotność", "description": "", "service_ids": [
        str(bed.id)], "service_filter": "KLUB beczkow", "show": "filter"})
    assert response.status_code == 200
    assert _situations() == []
    html = response.text
    assert_in(main_text(html), "Wybrano 1 usługę", "Pasuje 1 usługa spoza wybranych.")
    assert 'value="Samotność"' in html and 'value="KLUB beczkow"' in html
    assert "Popraw zaznaczone pola" not in html  # nothing was checked: it was not a save

    def shown(name):
        row = re.search(rf'<div class="check" data-filter-text="[^"]*"( hidden)?>\s*<input[^>]*>\s*<label[^>]*>'
                        rf'{re.escape(name)}', html)
        assert row, name
        return row.group(1) is None

    assert shown("Klub Seniora w Bęczkowie")
    assert shown("Łóżko rehabilitacyjne")  # chosen: always shown
    assert not shown("Usługi opiekuńcze w domu") and not shown("Asystent osobisty")
    assert 'data-filter-list="service-options"' in html


def test_edit_shows_the_chosen_first_and_saves(auth, organiser, ops, services):
    from portal.extensions import db

    situation = ops.create_situation(db.session, _data(services=[services["Usługi opiekuńcze w domu"]]), actor=None)
    db.session.commit()
    page = auth.client.get(f"/manage/situations/{situation.id}/edit")
    text = main_text(page.text)
    assert_in(text, "Edycja sytuacji: Opiekuję się starszym rodzicem", "Strona w katalogu", "Wybrano 1 usługę")
    assert text.index("Usługi opiekuńcze w domu") < text.index("Asystent osobisty")
    response = auth.post(f"/manage/situations/{situation.id}/edit", {
        "name": "Opiekuję się mamą", "description": "Pomoc w domu.", "version": str(situation.version),
        "service_ids": [str(services["Łóżko rehabilitacyjne"].id)]})
    assert response.status_code == 303
    saved = stored(type(situation), situation.id)
    assert (saved.name, saved.published, [s.name for s in saved.services]) == (
        "Opiekuję się mamą", False, ["Łóżko rehabilitacyjne"])
    assert "Zapisano zmiany." in auth.client.get(response.headers["Location"]).text


def test_a_stale_save_gets_the_conflict_screen(auth, organiser, ops, services):
    from portal.extensions import db

    situation = ops.create_situation(db.session, _data(services=[services["Usługi opiekuńcze w domu"]]), actor=None)
    db.session.commit()
    form = {"name": "Opiekuję się tatą", "description": "Pomoc w domu i wytchnienie dla opiekuna.",
            "published": "y", "version": str(situation.version),
            "service_ids": [str(services["Usługi opiekuńcze w domu"].id)]}
    assert auth.post(f"/manage/situations/{situation.id}/edit", form).status_code == 303
    stale = auth.post(f"/manage/situations/{situation.id}/edit", form | {"name": "Opiekuję się babcią"})
    assert stale.status_code == 409
    assert_in(main_text(stale.text), "Ktoś inny zmienił tę sytuację w międzyczasie",
              "Sytuacja — tak, jak mówią mieszkańcy Opiekuję się tatą Opiekuję się babcią")
    assert 'value="Opiekuję się babcią"' in stale.text
    assert stored(type(situation), situation.id).name == "Opiekuję się tatą"
    junk = auth.post(f"/manage/situations/{situation.id}/edit", form | {"version": "abc"})
    assert junk.status_code == 409


def test_move_buttons_and_a_bad_direction(auth, organiser, ops, services):
    from portal.extensions import db

    first, second = (ops.create_situation(db.session, _data(name, [services["Łóżko rehabilitacyjne"]]), actor=None)
                     for name in ("Pierwsza", "Druga"))
    db.session.commit()
    response = auth.post(f"/manage/situations/{second.id}/move", {"direction": "up"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#situation-{second.id}")
    assert [s.name for s in _situations()] == ["Druga", "Pierwsza"]
    text = main_text(auth.client.get("/manage/situations").text)
    assert text.index("1. Druga") < text.index("2. Pierwsza")
    assert auth.post(f"/manage/situations/{second.id}/move", {"direction": "left"}).status_code == 400
    assert auth.post("/manage/situations/999999/move", {"direction": "up"}).status_code == 404


def test_delete_asks_first(auth, organiser, ops, services):
    from portal.extensions import db

    situation_id = ops.create_situation(db.session, _data(services=[services["Łóżko rehabilitacyjne"]]),
                                        actor=None).id
    db.session.commit()
    asked = auth.post(f"/manage/situations/{situation_id}/delete")
    assert asked.status_code == 200
    assert_in(main_text(asked.text), "Usunąć sytuację „Opiekuję się starszym rodzicem”?", "Usuń sytuację",
              "Usługi zostają w katalogu", "Aby ją tylko ukryć, zapisz ją jako szkic.")
    assert len(_situations()) == 1
    done = auth.post(f"/manage/situations/{situation_id}/delete", {"confirmed": "yes"})
    assert done.status_code == 303
    assert _situations() == []
    assert "Usunięto sytuację „Opiekuję się starszym rodzicem”." in auth.client.get("/manage/situations").text
    assert auth.client.get(f"/manage/situations/{situation_id}/edit").status_code == 404


def test_pages_carry_no_inline_script_or_style(auth, organiser, ops, services):
    from portal.extensions import db

    situation = ops.create_situation(db.session, _data(services=[services["Łóżko rehabilitacyjne"]]), actor=None)
    db.session.commit()
    for url in ("/manage/situations", "/manage/situations/new", f"/manage/situations/{situation.id}/edit"):
        html = auth.client.get(url).text
        assert "<script>" not in html and " style=" not in html and " onclick=" not in html, url
