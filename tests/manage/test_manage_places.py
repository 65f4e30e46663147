"""Places and villages."""
from sqlalchemy import select

from tests.helpers import assert_in, stored


def test_create_and_edit_place(auth, organiser, make_village, make_service):
    from portal.catalogue.models import Place

    village = make_village("Bęczków")
    response = auth.post("/manage/places/new", {
        "name": "Świetlica wiejska w Bęczkowie", "address_1": "Bęczków 12", "postal_code": "21 407",
        "city": "Wojcieszków", "village_id": str(village.id), "accessibility": ["step_free", "accessible_toilet"],
        "accessibility_description": "Podjazd od strony parkingu.",
    })
    assert response.status_code == 303, response.text[:1500]
    place = stored(Place, name="Świetlica wiejska w Bęczkowie")
    assert place.postal_code == "21-407"
    assert place.village_id == village.id
    assert place.accessibility == ["accessible_toilet", "step_free"]
    listing = auth.client.get("/manage/places").text
    assert "Świetlica wiejska w Bęczkowie" in listing and "Toaleta dostosowana" in listing

    # A service there is found by the village filter; renaming the place shows in search.
    make_service("Klub Seniora", places=[place])
    edit = f"/manage/places/{place.id}/edit"
    page = auth.client.get(edit).text
    assert 'value="Świetlica wiejska w Bęczkowie"' in page
    assert auth.post(edit, {"name": "Dom Ludowy w Bęczkowie", "village_id": str(village.id),
                            "accessibility": ["lift"]}).status_code == 303
    place = stored(Place, id=place.id)
    assert place.name == "Dom Ludowy w Bęczkowie" and place.accessibility == ["lift"]
    assert "Klub Seniora" in auth.client.get("/services?q=dom+ludowy").text


def test_place_errors_are_kept(auth, organiser):
    response = auth.post("/manage/places/new", {"name": "", "postal_code": "1234", "village_id": "77",
                                                "accessibility": ["teleport"]})
    assert response.status_code == 422
    page = response.text
    assert_in(page, "Podaj nazwę miejsca.", "Kod pocztowy w formacie 00-000.", 'value="1234"',
              "Wybierz pozycję z listy.", "Zaznacz pozycje z listy.")


def test_add_and_rename_villages(auth, organiser, make_village):
    from portal.catalogue.models import Village

    assert auth.post("/manage/villages", {"name": "  Nowa   Wola "}).status_code == 303
    village = stored(Village, name="Nowa Wola")
    assert village.slug == "nowa-wola"
    # Duplicates are refused regardless of case and diacritics.
    response = auth.post("/manage/villages", {"name": "nowa wola"})
    assert response.status_code == 422 and "Taka miejscowość już jest na liście." in response.text

    rename = f"/manage/villages/{village.id}/rename"
    assert auth.post(rename, {"name": "Nowa Wola Górna"}).status_code == 303
    village = stored(Village, id=village.id)
    assert village.name == "Nowa Wola Górna" and village.slug == "nowa-wola-gorna"
    assert "Nowa Wola Górna" in auth.client.get("/manage/villages").text

    make_village("Bęczków")
    response = auth.post(rename, {"name": "Beczkow"})
    assert response.status_code == 422
    assert "Taka miejscowość już jest na liście." in response.text
    assert f'id="village-{village.id}-error"' in response.text
    assert 'value="Beczkow"' in response.text
    response = auth.post(rename, {"name": ""})
    assert response.status_code == 422 and "Podaj nazwę miejscowości." in response.text


def test_village_changes_are_audited(auth, organiser):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    auth.post("/manage/villages", {"name": "Wojcieszków"})
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "village"))
    assert event.actor_id == organiser.id and event.changes == {"name": [None, "Wojcieszków"]}
