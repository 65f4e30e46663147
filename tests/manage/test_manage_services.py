"""Services: create, edit, status, history, concurrency, and what the public catalogue shows."""
from datetime import time
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, text

from portal.auth.models import Role
from tests.helpers import assert_in, stored, visible_text


class _FormReader(HTMLParser):
    """The fields a browser would submit from the form with the given action."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file") or not a.get("name"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value", "y" if kind == "checkbox" else "")])
        elif tag == "select":
            self._select = [a.get("name"), None, None]
        elif tag == "option" and self._select is not None:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            name, chosen, first = self._select
            self.fields.append([name, chosen if chosen is not None else (first or "")])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            self.fields.append([name, value[1:] if value.startswith("\n") else value])
            self._textarea = None


def form_fields(html, action):
    reader = _FormReader(action)
    reader.feed(html)
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


def edit_url(service_id):
    return f"/manage/services/{service_id}/edit"


@pytest.fixture
def provider(make_provider):
    return make_provider(name="Gminny Ośrodek Kultury", slug="gok", provider_type="municipal_unit")


def new_service_data(provider, **overrides):
    data = {"name": "Klub Seniora w Bęczkowie", "provider_id": str(provider.id), "origin": "existing",
            "unit": "meeting", "closed_on_public_holidays": "y", "description": "Spotkania dla seniorów."}
    data.update(overrides)
    return data


def _service(name):
    from portal.catalogue.models import Service

    return stored(Service, name=name)


def _events(object_type, object_id):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    return db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == object_type,
                                                       AuditEvent.object_id == object_id)
                              .order_by(AuditEvent.id)).all()


# --- create ------------------------------------------------------------------

def test_new_form_has_three_blank_rows_per_group(auth, organiser, provider):
    page = auth.client.get("/manage/services/new").text
    for prefix in ("schedule_rules", "closures", "discounts", "required_documents", "indicators"):
        assert f'name="{prefix}-2-' in page
        assert f'name="{prefix}-3-' not in page
    assert 'Gminny Ośrodek Kultury' in page


def test_create_service_with_every_kind_of_field(auth, organiser, provider, make_village):
    from portal.catalogue.models import Place
    from portal.extensions import db

    village = make_village("Bęczków")
    place = Place(name="Świetlica w Bęczkowie", village=village, accessibility_codes="step_free")
    db.session.add(place)
    db.session.commit()
    data = new_service_data(
        provider,
        goal="Integracja seniorów.",
        areas=["social_assistance", "culture"],
        target_groups=["seniors"],
        place_ids=[str(place.id)],
        fee_amount="12,50",
        minimum_age="60",
        maximum_age="99",
        residents_only="y",
        capacity_maximum="25",
        phone="25 753 10 01",
        email="klub@cus.pl",
        url="https://cus.wojcieszkow.pl",
        assured_date="2026-01-13",
        **{
            "schedule_rules-0-weekday": "1", "schedule_rules-0-opens": "10:00", "schedule_rules-0-closes": "12:00",
            "schedule_rules-1-weekday": "", "schedule_rules-1-opens": "", "schedule_rules-1-closes": "",
            "schedule_rules-2-weekday": "3", "schedule_rules-2-opens": "16:00", "schedule_rules-2-closes": "18:00",
            "schedule_rules-2-valid_from": "2026-07-01", "schedule_rules-2-valid_to": "2026-08-31",
            "schedule_rules-2-label": "wakacje",
            "closures-0-starts_on": "2026-08-03", "closures-0-ends_on": "", "closures-0-reason": "urlop",
            "discounts-0-entitled": "Karta Dużej Rodziny", "discounts-0-amount": "6,25",
            "required_documents-0-document": "Oświadczenie o zamieszkaniu",
            "indicators-0-name": "liczba uczestników", "indicators-0-unit": "osoby",
            "indicators-0-target_value": "80", "indicators-0-year": "2026",
            "indicators-0-evidence": "karta zgłoszeniowa",
        },
    )
    response = auth.post("/manage/services/new", data)
    assert response.status_code == 303, response.text[:2000]
    service = _service("Klub Seniora w Bęczkowie")
    assert response.headers["Location"].endswith(edit_url(service.id))
    assert service.slug == "klub-seniora-w-beczkowie"
    assert service.fee_amount == Decimal("12.50")
    assert service.phone == "+48257531001"
    assert [a.code for a in service.areas] == ["social_assistance", "culture"]
    assert [g.code for g in service.target_groups] == ["seniors"]
    assert [p.name for p in service.places] == ["Świetlica w Bęczkowie"]
    rules = [(r.weekday, r.opens, r.closes, r.label) for r in service.schedule_rules]
    assert rules == [(1, time(10), time(12), None), (3, time(16), time(18), "wakacje")]
    assert service.closures[0].ends_on == service.closures[0].starts_on  # one day
    assert service.discounts[0].amount == Decimal("6.25")
    assert service.required_documents[0].document == "Oświadczenie o zamieszkaniu"
    assert service.indicators[0].target_value == 80
    assert service.created_by_id == organiser.id and service.updated_by_id == organiser.id
    # The public catalogue shows it at once.
    assert auth.client.get(f"/services/{service.slug}").status_code == 200
    assert "Klub Seniora w Bęczkowie" in auth.client.get("/services?q=klub").text


def test_slug_is_unique_and_editable(auth, organiser, provider, make_service):
    make_service("Klub Seniora", provider=provider)
    response = auth.post("/manage/services/new", new_service_data(provider, name="Klub Seniora"))
    assert response.status_code == 303
    assert _service("Klub Seniora") is not None
    from portal.catalogue.models import Service
    from portal.extensions import db

    slugs = sorted(db.session.scalars(select(Service.slug)))
    assert slugs == ["klub-seniora", "klub-seniora-2"]
    # An explicit slug already taken is refused at the field.
    response = auth.post("/manage/services/new", new_service_data(provider, name="Inny klub", slug="klub-seniora"))
    assert response.status_code == 422
    assert "Ten adres ma już inna usługa" in response.text


def test_invalid_input_comes_back_with_messages_and_input_kept(auth, organiser, provider):
    from portal.catalogue.models import Service
    from portal.extensions import db

    data = new_service_data(
        provider, name="Klub z błędami", minimum_age="70", maximum_age="60", fee_amount="-5",
        phone="123", email="nie-mail", slug="Zły Adres",
        **{"schedule_rules-0-weekday": "2", "schedule_rules-0-opens": "12:00", "schedule_rules-0-closes": "10:00",
           "schedule_rules-1-weekday": "", "schedule_rules-1-opens": "25:99", "schedule_rules-1-closes": "",
           "indicators-0-name": "uczestnicy", "indicators-0-unit": "", "indicators-0-target_value": "dużo"},
    )
    response = auth.post("/manage/services/new", data)
    assert response.status_code == 422
    page = response.text
    assert_in(page, "Wiek do musi być większy lub równy wiekowi od.", "Kwota nie może być ujemna.",
              "Numer telefonu: 9 cyfr", "Podaj poprawny adres e-mail",
              "Godzina zakończenia musi być późniejsza niż rozpoczęcia.", "Podaj godzinę w formacie GG:MM",
              "Wybierz dzień tygodnia.",  # row 2 has an hour but no day
              "Podaj jednostkę, np. osoby.", "Podaj liczbę całkowitą.")
    # Input kept, errors tied to their fields.
    assert_in(page, 'value="Klub z błędami"', 'value="123"', 'value="-5"', 'value="25:99"', 'value="dużo"',
              'id="schedule_rules-0-closes-error"', 'aria-describedby="schedule_rules-0-closes-error"',
              'href="#maximum_age"')  # the error summary links to the field
    assert db.session.scalar(select(Service.id)) is None


def test_garbage_in_selects_and_numbers_never_gives_500(auth, organiser, provider):
    data = new_service_data(provider, provider_id="abc", unit="nonsense", areas=["nope"], place_ids=["x"],
                            capacity_maximum="9" * 30, fee_amount="1e9", assured_date="31.02.2026",
                            **{"schedule_rules-0-weekday": "9", "schedule_rules-0-opens": "10:00",
                               "schedule_rules-0-closes": "11:00", "schedule_rules-99999-weekday": "1"})
    data["name"] = "x" * 500 + "\x00"
    response = auth.post("/manage/services/new", data)
    assert response.status_code == 422
    assert "Wybierz pozycję z listy." in response.text
    assert "Wpisz najwyżej 200 znaków." in response.text


# --- edit, status, history -----------------------------------------------------

def test_edit_round_trip_keeps_everything(auth, organiser, provider, make_service):
    service = make_service("Świetlica socjoterapeutyczna", provider=provider, groups=("children_youth",),
                           rules=((0, "15:00", "17:00"),), fee_amount=Decimal("5.00"), minimum_age=7,
                           maximum_age=15)
    page = auth.client.get(edit_url(service.id)).text
    data = form_fields(page, edit_url(service.id))
    assert data["version"] == "1"
    assert data["schedule_rules-0-opens"] == "15:00"
    assert data["fee_amount"] == "5,00"
    data["goal"] = "Wsparcie dzieci w nauce."
    response = auth.post(edit_url(service.id), data)
    assert response.status_code == 303, response.text[:2000]
    service = _service("Świetlica socjoterapeutyczna")
    assert service.goal == "Wsparcie dzieci w nauce."
    assert service.version == 2
    assert [(r.weekday, r.opens) for r in service.schedule_rules] == [(0, time(15))]
    assert service.fee_amount == Decimal("5.00") and (service.minimum_age, service.maximum_age) == (7, 15)
    assert [g.code for g in service.target_groups] == ["children_youth"]
    assert service.updated_by_id == organiser.id
    update = _events("service", service.id)[-1]
    assert update.action == "update" and update.actor_id == organiser.id
    assert update.changes == {"goal": [None, "Wsparcie dzieci w nauce."]}


def test_removing_a_schedule_row_by_blanking_it(auth, organiser, provider, make_service):
    service = make_service("Gimnastyka", provider=provider, rules=((0, "10:00", "11:00"), (2, "10:00", "11:00")))
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    for key in ("weekday", "opens", "closes"):
        data[f"schedule_rules-1-{key}"] = ""
    assert auth.post(edit_url(service.id), data).status_code == 303
    service = _service("Gimnastyka")
    assert [r.weekday for r in service.schedule_rules] == [0]
    changes = _events("service", service.id)[-1].changes
    assert changes["schedule_rules"] == [["pn 10:00-11:00", "śr 10:00-11:00"], ["pn 10:00-11:00"]]


def test_suspend_archive_reactivate_and_the_public_catalogue(auth, organiser, provider, make_service):
    service = make_service("Wypożyczalnia sprzętu rehabilitacyjnego", provider=provider)
    status_url = f"/manage/services/{service.id}/status"
    slug = service.slug

    assert auth.post(status_url, {"action": "suspend"}).status_code == 303
    detail = auth.client.get(f"/services/{slug}")
    assert detail.status_code == 200
    listing = auth.client.get("/services?q=wypozyczalnia").text
    assert "Wypożyczalnia sprzętu rehabilitacyjnego" in listing
    assert "Zawieszona" in listing

    # Archiving asks on a confirmation page first; the plain post archives nothing.
    edit = auth.client.get(f"/manage/services/{service.id}/edit").text
    danger = edit[edit.index('class="danger-zone"'):]
    assert "Zarchiwizuj usługę…" in danger and "Zapisz usługę" not in danger
    asked = auth.post(status_url, {"action": "archive"})
    assert asked.status_code == 200 and "Zarchiwizować usługę „Wypożyczalnia sprzętu rehabilitacyjnego”?" in asked.text
    assert 'name="action" value="archive"' in asked.text and 'name="confirmed" value="yes"' in asked.text
    assert auth.client.get(f"/services/{slug}").status_code == 200
    assert auth.post(status_url, {"action": "archive", "confirmed": "yes"}).status_code == 303
    assert auth.client.get(f"/services/{slug}").status_code == 404
    assert "Wypożyczalnia sprzętu" not in auth.client.get("/services?q=wypozyczalnia").text
    assert "Wypożyczalnia sprzętu" not in auth.client.get("/services").text
    # Still in the staff list (all statuses) and in the archived filter.
    assert "Wypożyczalnia sprzętu rehabilitacyjnego" in auth.client.get("/manage/services").text
    assert "Wypożyczalnia sprzętu rehabilitacyjnego" in auth.client.get("/manage/services?status=archived").text
    assert "Wypożyczalnia sprzętu" not in auth.client.get("/manage/services?status=active").text

    assert auth.post(status_url, {"action": "reactivate"}).status_code == 303
    assert auth.client.get(f"/services/{slug}").status_code == 200

    events = [(e.action, e.changes, e.actor_id) for e in _events("service", service.id)]
    assert events == [
        ("status", {"status": ["active", "suspended"]}, organiser.id),
        ("status", {"status": ["suspended", "archived"]}, organiser.id),
        ("status", {"status": ["archived", "active"]}, organiser.id),
    ]
    history = auth.client.get(f"/manage/services/{service.id}/history").text
    assert history.count("Zmiana statusu") == 3
    assert organiser.full_name in history
    assert "Zarchiwizowana" in history


def test_unknown_status_action_is_refused(auth, organiser, make_service):
    service = make_service("Klub")
    assert auth.post(f"/manage/services/{service.id}/status", {"action": "delete"}).status_code == 400
    assert _service("Klub").status == "active"


def test_history_lists_who_and_what_changed(auth, make_service):
    admin = auth.login(Role.ADMIN)
    service = make_service("Poradnictwo psychologiczne")
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    data["name"] = "Poradnictwo psychologiczne i prawne"
    data["minimum_age"] = "18"
    assert auth.post(edit_url(service.id), data).status_code == 303
    page = auth.client.get(f"/manage/services/{service.id}/history").text
    assert admin.full_name in page
    assert "Zmiana danych" in page
    assert "Nazwa usługi" in page and "Poradnictwo psychologiczne i prawne" in page
    assert "Wiek od (lat)" in page


def test_missing_service_is_404(auth, organiser):
    assert auth.client.get("/manage/services/999/edit").status_code == 404
    assert auth.post("/manage/services/999/status", {"action": "archive"}).status_code == 404


# --- concurrency -----------------------------------------------------------------

def test_second_save_from_the_same_version_gets_409_and_overwrites_nothing(auth, organiser, provider, make_service):
    service = make_service("Transport door-to-door", provider=provider, description="Przewóz osób.")
    page = auth.client.get(edit_url(service.id)).text
    first = form_fields(page, edit_url(service.id))
    second = dict(first)

    first["description"] = "Przewóz osób z niepełnosprawnościami."
    assert auth.post(edit_url(service.id), first).status_code == 303

    second["description"] = "Przewóz seniorów do lekarza."
    second["contact_name"] = "Jan Kowalski"
    response = auth.post(edit_url(service.id), second)
    assert response.status_code == 409
    page = response.text
    assert "Ktoś inny zmienił tę usługę w międzyczasie" in page
    # The user's input is kept in the form ...
    assert "Przewóz seniorów do lekarza." in form_fields(page, edit_url(service.id))["description"]
    assert 'value="Jan Kowalski"' in page
    # ... and the other person's value is shown next to it.
    assert "Zapisane przez inną osobę" in page
    assert "Przewóz osób z niepełnosprawnościami." in page

    saved = _service("Transport door-to-door")
    assert saved.description == "Przewóz osób z niepełnosprawnościami."
    assert saved.contact_name is None
    assert saved.version == 2
    assert [e.action for e in _events("service", saved.id)] == ["update"]

    # Saving the conflict form again is a conscious overwrite.
    retry = form_fields(page, edit_url(service.id))
    assert retry["version"] == "2"
    assert auth.post(edit_url(service.id), retry).status_code == 303
    assert _service("Transport door-to-door").description == "Przewóz seniorów do lekarza."


def test_tampered_version_is_a_conflict_not_a_crash(auth, organiser, make_service):
    service = make_service("Klub Wolontariusza")
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    data["version"] = "abc"
    assert auth.post(edit_url(service.id), data).status_code == 409


def test_stale_data_error_is_shown_as_a_conflict(auth, organiser, make_service, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from portal.manage import services as ops

    service = make_service("Mieszkanie chronione")
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))

    def racing_update(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'service' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(ops, "update_service", racing_update)
    response = auth.post(edit_url(service.id), data)
    assert response.status_code == 409
    assert "Ktoś inny zmienił tę usługę w międzyczasie" in response.text


def test_update_service_raises_stale_data_when_the_row_moved_underneath(app, make_service, auth):
    """The version column guards the UPDATE itself: a save committed between
    our read and our write makes the flush fail."""
    from sqlalchemy.orm.exc import StaleDataError

    from portal.extensions import db
    from portal.manage import services as ops

    actor = auth.user(Role.SERVICES_ORGANISER)
    service = make_service("Grupa wsparcia")
    data = ops.service_data(service)
    data["goal"] = "Abstynencja."
    with db.engine.begin() as other:  # another worker saves in the meantime
        other.execute(text("UPDATE service SET version = version + 1, goal = 'cudze' WHERE id = :id"),
                      {"id": service.id})
    with pytest.raises(StaleDataError):
        ops.update_service(service, data, actor=actor, expected_version=1)
    db.session.rollback()
    assert _service("Grupa wsparcia").goal == "cudze"


# --- the staff list --------------------------------------------------------------

def test_list_filters_by_text_without_diacritics_and_sorts(auth, organiser, make_service):
    make_service("Łóżko rehabilitacyjne — wypożyczenie")
    make_service("Klub Seniora")
    make_service("Asystent osobisty", status="suspended")
    page = auth.client.get("/manage/services?q=lozko").text
    assert "Łóżko rehabilitacyjne" in page and "Klub Seniora" not in page
    page = auth.client.get("/manage/services?status=suspended").text
    assert "Asystent osobisty" in page and "Klub Seniora" not in page
    page = auth.client.get("/manage/services").text
    assert page.index("Asystent") < page.index("Klub Seniora") < page.index("Łóżko")
    page = auth.client.get("/manage/services?sort=updated&status=bogus&page=x").text
    assert "Łóżko rehabilitacyjne" in page


def test_list_filter_returns_only_the_region_to_htmx(auth, organiser, make_service):
    make_service("Klub Seniora")
    response = auth.client.get("/manage/services?q=klub",
                               headers={"HX-Request": "true", "HX-Target": "service-list"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="service-list"')
    assert "<html" not in response.text
    assert "HX-Target" in response.headers["Vary"]
    full = auth.client.get("/manage/services?q=klub")
    assert "<html" in full.text and 'id="service-list"' in full.text


def test_archived_provider_is_not_offered_for_new_services(auth, organiser, make_provider):
    make_provider(name="Fundacja Zamknięta", slug="fz", status="archived")
    make_provider(name="Fundacja Otwarta", slug="fo")
    page = auth.client.get("/manage/services/new").text
    assert "Fundacja Otwarta" in page and "Fundacja Zamknięta" not in page


def test_pages_carry_no_inline_script_or_style(auth, organiser, make_service):
    service = make_service("Klub")
    for url in ("/manage/services", "/manage/services/new", edit_url(service.id),
                f"/manage/services/{service.id}/history"):
        page = auth.client.get(url).text
        assert "style=" not in page and "hx-on" not in page
        assert "<script>" not in page
        assert page.count("<h1") == 1


def test_history_shows_labels_polish_numbers_and_dates_not_codes(auth, organiser, make_service):
    """The review saw "Limit liczony w: units", "Rodzaj usługi: existing",
    "Jednostka usługi: day" and "12.50 → 10.00" in the history."""
    from datetime import date

    service = make_service("Wypożyczalnia sprzętu", unit="day", origin="existing", capacity_basis="units",
                           fee_amount=Decimal("12.50"), valid_from=date(2026, 1, 13))
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    data.update(unit="loan", origin="new", capacity_basis="places", fee_amount="10,00",
                valid_from="01.02.2026", assured_date="05.03.2026")
    assert auth.post(edit_url(service.id), data).status_code == 303
    text = visible_text(auth.client.get(f"/manage/services/{service.id}/history").text)
    assert "Jednostka usługi dzień → wypożyczenie" in text
    assert "Rodzaj usługi Usługa dotychczasowa → Nowa usługa" in text
    assert ("Limit liczony w jednostki usługi — np. godziny opieki → miejsca — jedna osoba zajmuje jedno miejsce"
            in text)
    assert "12,50 zł → 10,00 zł" in text  # (the no-break spaces read as spaces here)
    assert "13.01.2026 → 01.02.2026" in text and "05.03.2026" in text
    for code in ("units", "places", "existing", "day", "loan", "12.50", "10.00", "2026-01-13", "2026-02-01"):
        assert f" {code} " not in f" {text} ", code


def test_history_rows_and_provider_types_are_shown_in_polish(app):
    from portal.manage.presenters import shown_value
    from portal.manage.services import PROVIDER_STATUSES

    with app.test_request_context():
        assert shown_value("discounts", ["Seniorzy 75+: 12.50"]) == ["Seniorzy 75+: 12,50\u00a0zł"]
        assert shown_value("closures", ["2026-07-01 – 2026-07-14 urlop"]) == ["01.07.2026 – 14.07.2026 urlop"]
        assert str(shown_value("provider_type", "association")) == "Stowarzyszenie"
        assert str(shown_value("status", "archived", PROVIDER_STATUSES)) == "Zarchiwizowany"
        assert shown_value("capacity_maximum", 4280) == "4\u00a0280"
