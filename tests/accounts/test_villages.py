"""The village -> coordinator rule on its own screen (director and administrator)."""
from tests.accounts.conftest import audit, post, text_of


def rule_of(village):
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    db.session.expire_all()
    row = db.session.get(VillageCoordinator, village.id)
    return row.user_id if row else None


def test_every_village_in_polish_order_with_its_coordinator(client, auth, make_user, make_village):
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    villages = {name: make_village(name) for name in ("Żabiniec", "Łąki", "Burzec", "Lipiny", "Zakrzew")}
    katarzyna = make_user("coordinator", "koordynatorka", "Katarzyna Koordynatorka")
    make_user("coordinator", "zastepca", "Kamil Zastępca")
    make_user("front_desk", "recepcja", "Anna Recepcyjna")
    db.session.add(VillageCoordinator(village_id=villages["Łąki"].id, user_id=katarzyna.id))
    db.session.commit()
    auth.login("director")
    page = client.get("/staff/village-coordinators")
    assert page.status_code == 200
    text = text_of(page.text)
    order = [text.index(name) for name in ("Burzec", "Lipiny", "Łąki", "Zakrzew", "Żabiniec")]
    assert order == sorted(order)
    assert "Anna Recepcyjna" not in text  # only coordinators are offered
    row = page.text.split('id="village-name-%d"' % villages["Łąki"].id)[1].split("</tr>")[0]
    assert f'<option value="{katarzyna.id}" selected>Katarzyna Koordynatorka</option>' in row


def test_saving_the_form_changes_the_rule_the_desk_uses(client, auth, make_user, make_village):
    from portal.desk.services import coordinator_for_village
    from portal.extensions import db

    burzec, lipiny = make_village("Burzec"), make_village("Lipiny")
    katarzyna = make_user("coordinator", "koordynatorka", "Katarzyna Koordynatorka")
    kamil = make_user("coordinator", "zastepca", "Kamil Zastępca")
    director = auth.login("director")
    response = post(client, "/staff/village-coordinators", {f"village-{burzec.id}": str(katarzyna.id),
                                                            f"village-{lipiny.id}": str(kamil.id)})
    assert response.status_code == 303
    assert "Zapisano przydział: zmieniono 2 miejscowości." in client.get(response.headers["Location"]).text
    assert coordinator_for_village(db.session, burzec.id).id == katarzyna.id
    assert coordinator_for_village(db.session, lipiny.id).id == kamil.id
    response = post(client, "/staff/village-coordinators", {f"village-{burzec.id}": str(katarzyna.id),
                                                            f"village-{lipiny.id}": ""})
    assert "Zapisano przydział: zmieniono 1 miejscowość." in client.get(response.headers["Location"]).text
    assert rule_of(lipiny) is None and coordinator_for_village(db.session, lipiny.id) is None
    events = audit("update")
    assert [e.object_type for e in events] == ["village_coordinator", "village_coordinator"]
    assert events[0].actor_id == director.id and events[0].changes == {"Burzec": [None, katarzyna.id],
                                                                      "Lipiny": [None, kamil.id]}
    assert events[1].changes == {"Lipiny": [kamil.id, None]}


def test_a_wrong_choice_comes_back_with_the_input(client, auth, make_user, make_village):
    burzec, lipiny = make_village("Burzec"), make_village("Lipiny")
    katarzyna = make_user("coordinator", "koordynatorka", "Katarzyna Koordynatorka")
    desk = make_user("front_desk", "recepcja", "Anna Recepcyjna")
    auth.login("admin")
    response = post(client, "/staff/village-coordinators", {f"village-{burzec.id}": str(desk.id),
                                                            f"village-{lipiny.id}": str(katarzyna.id)})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Burzec: Wybierz koordynatora z listy." in text
    row = response.text.split('id="village-name-%d"' % lipiny.id)[1].split("</tr>")[0]
    assert f'<option value="{katarzyna.id}" selected>' in row  # the other choice is kept
    assert rule_of(burzec) is None and rule_of(lipiny) is None  # nothing saved
    assert audit("update") == []


def test_a_rule_naming_a_disabled_coordinator_is_pointed_out(client, auth, make_user, make_village):
    from portal.desk.models import VillageCoordinator
    from portal.extensions import db

    burzec = make_village("Burzec")
    gone = make_user("coordinator", "odeszla", "Barbara Odeszła")
    gone.active = False
    db.session.add(VillageCoordinator(village_id=burzec.id, user_id=gone.id))
    db.session.commit()
    auth.login("director")
    text = text_of(client.get("/staff/village-coordinators").text)
    assert "Dotąd: Barbara Odeszła — to konto nie przyjmuje już spraw" in text


def test_only_the_director_and_the_administrator(client, auth):
    for role, status in (("front_desk", 403), ("coordinator", 403), ("services_organiser", 403),
                         ("community_organiser", 403), ("director", 200), ("admin", 200)):
        auth.login(role)
        assert client.get("/staff/village-coordinators").status_code == status, role
        auth.logout()
