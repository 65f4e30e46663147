"""The rules of an application, its correction and the organiser's decisions (the services, no pages)."""
from datetime import timedelta, timezone

import pytest

from portal.auth.models import Role
from portal.core.errors import DataError, Frozen, VersionConflict
from tests.applications.conftest import DATA, KRS, NIP, REGON, SERVICE


def _submit(**changes):
    from portal.applications import services as applications
    from portal.extensions import db

    return applications.submit(db.session, {**DATA, **changes})


def _refused(field, **changes):
    from flask import current_app

    with pytest.raises(DataError) as caught:
        _submit(**changes)
    assert caught.value.field == field
    with current_app.test_request_context():
        return str(caught.value.message)


def test_a_sent_application_is_stored_normalised_and_audited(app, frozen):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    application = _submit(nip="537-265-01-16", contact_phone="601 234 567", postal_code="21407")
    db.session.commit()
    assert (application.status, application.version) == ("new", 1)
    assert (application.nip, application.regon, application.krs) == (NIP, REGON, KRS)
    assert application.contact_phone == "+48601234567" and application.postal_code == "21-407"
    assert application.proposed_services == [SERVICE]
    assert application.accessibility == ["accessible_toilet", "step_free"]
    assert application.received_at == application.sent_at == frozen
    [event] = db.session.scalars(db.select(AuditEvent).filter_by(object_type="provider_application")).all()
    assert event.action == "create" and event.actor_id is None
    assert "Wróblewska" not in event.summary and "razem" not in event.summary


@pytest.mark.parametrize("field, changes, message", [
    ("name", {"name": "  "}, "Podaj nazwę organizacji."),
    ("provider_type", {"provider_type": "municipal_unit"}, "Wybierz rodzaj organizacji z listy."),
    ("provider_type", {"provider_type": "bogus"}, "Wybierz rodzaj organizacji z listy."),
    ("nip", {"nip": ""}, "Podaj NIP organizacji."),
    ("nip", {"nip": "5372650117"}, "Nieprawidłowy NIP (suma kontrolna się nie zgadza)."),
    ("nip", {"nip": "53726501"}, "NIP ma 10 cyfr."),
    ("regon", {"regon": None}, "Podaj REGON organizacji."),
    ("regon", {"regon": "061234562"}, "Nieprawidłowy REGON (suma kontrolna się nie zgadza)."),
    ("regon", {"regon": "0612345"}, "REGON ma 9 lub 14 cyfr."),
    ("krs", {"krs": ""}, "Podaj numer KRS: ta forma organizacji jest wpisana do KRS."),
    ("krs", {"krs": "12345"}, "KRS ma 10 cyfr."),
    ("address_1", {"address_1": ""}, "Podaj ulicę i numer albo miejscowość i numer domu."),
    ("postal_code", {"postal_code": "2140"}, "Kod pocztowy w formacie 00-000."),
    ("city", {"city": ""}, "Podaj miejscowość."),
    ("contact_name", {"contact_name": ""}, "Podaj imię i nazwisko osoby do kontaktu."),
    ("contact_email", {"contact_email": ""}, "Podaj e-mail osoby do kontaktu: na ten adres odpowiemy."),
    ("contact_email", {"contact_email": "grazyna@"}, "Podaj poprawny adres e-mail, np. jan.kowalski@poczta.pl."),
    ("contact_phone", {"contact_phone": "12"}, "Numer telefonu: 9 cyfr, opcjonalnie z +48."),
    ("experience", {"experience": ""}, "Opisz doświadczenie organizacji."),
    ("proposed_services", {"proposed_services": []}, "Opisz co najmniej jedną usługę, którą chcesz prowadzić."),
    ("proposed_services", {"proposed_services": [{"name": "", "description": "Bez nazwy"}]},
     "Podaj nazwę każdej proponowanej usługi."),
    ("proposed_services", {"proposed_services": [SERVICE] * 6}, "Za dużo wierszy usług: można opisać najwyżej 5."),
    ("accessibility", {"accessibility": ["lift", "teleport"]}, "Zaznacz pozycje z listy."),
    ("staff_count", {"staff_count": -1}, "Podaj liczbę osób od 0 do 10 000."),
    ("name", {"name": "x" * 251}, "Wpisz najwyżej 250 znaków."),
])
def test_every_rule_of_an_application(app, frozen, field, changes, message):
    assert _refused(field, **changes) == message


def test_krs_only_for_the_kinds_that_have_one_and_an_informal_group_has_no_numbers(app, frozen):
    association = _submit(provider_type="association", krs=None)
    kgw = _submit(provider_type="kgw", krs="", name="Koło Gospodyń Wiejskich w Zofiborze")
    group = _submit(provider_type="informal_group", nip=None, regon=None, krs=None,
                    name="Grupa sąsiedzka „Dobry Sąsiad”")
    assert association.krs is None and kgw.krs is None
    assert (group.nip, group.regon, group.krs) == (None, None, None)
    # A number an informal group does give is still checked.
    assert _refused("nip", provider_type="informal_group", nip="1234567890", regon=None, krs=None) == \
        "Nieprawidłowy NIP (suma kontrolna się nie zgadza)."
    assert _refused("krs", provider_type="social_economy", krs=None).startswith("Podaj numer KRS")


def test_blank_service_rows_are_left_out(app, frozen):
    application = _submit(proposed_services=[{"name": " "}, SERVICE, {"description": ""}])
    assert application.proposed_services == [SERVICE]


def _organiser(auth):
    return auth.user(Role.SERVICES_ORGANISER)


def test_asking_for_more_issues_a_one_time_link_and_the_correction_returns_to_the_queue(app, auth, make_application,
                                                                                       frozen):
    from portal.applications import services as applications
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    application = make_application()
    organiser = _organiser(auth)
    with pytest.raises(DataError) as caught:
        applications.ask_for_more(db.session, application, " ", actor=organiser, expected_version=1)
    assert caught.value.field == "message"
    token = applications.ask_for_more(db.session, application, "Prosimy o statut fundacji.", actor=organiser,
                                      expected_version=1)
    db.session.commit()
    assert application.status == "more_info" and application.version == 2
    assert application.link_hash and token not in application.link_hash
    assert application.link_expires_at == frozen.astimezone(timezone.utc) + timedelta(days=14)
    assert applications.by_link(db.session, token) is application
    assert applications.by_link(db.session, "nonsense") is None
    assert applications.by_link(db.session, token, moment=frozen + timedelta(days=15)) is None

    applications.correct(db.session, application, {**DATA, "experience": "Od 2015 r.; statut w załączeniu."})
    db.session.commit()
    assert application.status == "updated" and application.experience.endswith("w załączeniu.")
    assert applications.by_link(db.session, token) is None
    with pytest.raises(Frozen):
        applications.correct(db.session, application, DATA)
    actions = db.session.scalars(db.select(AuditEvent.action).filter_by(object_type="provider_application")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["create", "ask_more", "update"]


def test_a_new_link_replaces_the_earlier_one(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    application = make_application()
    first = applications.ask_for_more(db.session, application, "Statut.", actor=_organiser(auth), expected_version=1)
    second = applications.ask_for_more(db.session, application, "Statut i REGON.", actor=_organiser(auth),
                                       expected_version=application.version)
    db.session.commit()
    assert applications.by_link(db.session, first) is None
    assert applications.by_link(db.session, second) is application


def test_a_correction_is_checked_as_the_first_application(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    application = make_application()
    applications.ask_for_more(db.session, application, "NIP?", actor=_organiser(auth), expected_version=1)
    with pytest.raises(DataError) as caught:
        applications.correct(db.session, application, {**DATA, "nip": "1234567890"})
    assert caught.value.field == "nip"


def test_accepting_makes_the_provider_and_its_first_account(app, auth, make_application, frozen):
    from portal.accounts.services import LINK_OK, find_link
    from portal.applications import services as applications
    from portal.audit.models import AuditEvent
    from portal.catalogue.models import Provider
    from portal.extensions import db

    application = make_application()
    organiser = _organiser(auth)
    provider, user, token, link = applications.accept(db.session, application, actor=organiser,
                                                      expected_version=1, message="Zapraszamy na spotkanie.")
    db.session.commit()
    stored = db.session.get(Provider, provider.id)
    assert (stored.name, stored.provider_type, stored.nip, stored.regon, stored.krs) == (
        DATA["name"], "foundation", NIP, REGON, KRS)
    assert (stored.email, stored.phone, stored.city, stored.status) == (
        DATA["contact_email"], "+48601234567", "Wojcieszków", "active")
    assert stored.description.startswith("Warsztaty kulinarne dla seniorów: Raz w tygodniu")
    assert (user.username, user.full_name, user.role, user.provider_id, user.email) == (
        "g.wroblewska", "Grażyna Wróblewska", Role.PROVIDER, provider.id, DATA["contact_email"])
    assert find_link(db.session, token, moment=frozen)[1] == LINK_OK
    assert (application.status, application.provider_id, application.account_id, application.decided_by_id) == (
        "accepted", provider.id, user.id, organiser.id)
    assert application.message == "Zapraszamy na spotkanie."
    actions = {(e.object_type, e.action) for e in db.session.scalars(db.select(AuditEvent))}
    assert {("provider_application", "accept"), ("provider", "create"), ("user_account", "create"),
            ("user_account", "password_link")} <= actions


def test_a_taken_login_gets_a_number(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    auth.user(Role.FRONT_DESK, username="g.wroblewska")
    application = make_application()
    _provider, user, _token, _link = applications.accept(db.session, application, actor=_organiser(auth),
                                                         expected_version=1)
    assert user.username == "g.wroblewska-2"


def test_an_organisation_already_in_the_catalogue_is_not_added_twice(app, auth, make_application, make_provider):
    from portal.applications import services as applications
    from portal.extensions import db

    make_provider(name="Fundacja Razem", nip=NIP)
    application = make_application()
    with pytest.raises(DataError) as caught:
        applications.accept(db.session, application, actor=_organiser(auth), expected_version=1)
    with app.test_request_context():
        assert "Fundacja Razem" in str(caught.value.message)


def test_declining_needs_a_message_and_a_decision_is_final(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    application = make_application()
    organiser = _organiser(auth)
    with pytest.raises(DataError) as caught:
        applications.decline(db.session, application, "", actor=organiser, expected_version=1)
    assert caught.value.field == "message"
    applications.decline(db.session, application, "Gmina nie zleca usług tego rodzaju.", actor=organiser,
                         expected_version=1)
    db.session.commit()
    assert (application.status, application.message) == ("declined", "Gmina nie zleca usług tego rodzaju.")
    for decide in (lambda v: applications.accept(db.session, application, actor=organiser, expected_version=v),
                   lambda v: applications.ask_for_more(db.session, application, "?", actor=organiser,
                                                       expected_version=v),
                   lambda v: applications.decline(db.session, application, "!", actor=organiser,
                                                  expected_version=v)):
        with pytest.raises(Frozen):
            decide(application.version)


def test_a_decision_on_a_stale_page_is_a_conflict(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    application = make_application()
    organiser = _organiser(auth)
    applications.ask_for_more(db.session, application, "Statut.", actor=organiser, expected_version=1)
    for stale in (1, None, "", "x"):
        with pytest.raises(VersionConflict):
            applications.accept(db.session, application, actor=organiser, expected_version=stale)


def test_the_queue_counts_and_filters(app, auth, make_application):
    from portal.applications import services as applications
    from portal.extensions import db

    first, second, third = (make_application(name=f"Organizacja {n}") for n in (1, 2, 3))
    organiser = _organiser(auth)
    applications.ask_for_more(db.session, second, "?", actor=organiser, expected_version=1)
    applications.decline(db.session, third, "Nie.", actor=organiser, expected_version=1)
    db.session.commit()
    assert applications.counts(db.session) == {"waiting": 1, "more_info": 1, "accepted": 0, "declined": 1,
                                               "all": 3}
    assert [a.name for a in applications.listing(db.session, "waiting")] == ["Organizacja 1"]
    assert [a.name for a in applications.listing(db.session, "all")] == [
        "Organizacja 1", "Organizacja 2", "Organizacja 3"]
    assert applications.waiting_count(db.session) == 1
