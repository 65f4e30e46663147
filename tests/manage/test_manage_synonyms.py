"""Search tuning: synonym groups and the searches that found nothing."""
from sqlalchemy import select


def _version():
    from portal.core import versions
    from portal.extensions import db

    return versions.current(db.session, versions.CATALOGUE)


def _groups():
    from portal.catalogue.models import SynonymGroup
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.id)).all()


def test_a_synonym_makes_search_find_the_service(auth, organiser, make_service):
    make_service("Opieka wytchnieniowa")
    assert "Opieka wytchnieniowa" not in auth.client.get("/services?q=odpoczynek").text
    before = _version()
    response = auth.post("/manage/synonyms", {"phrases": "odpoczynek;  opieka wytchnieniowa ; ODPOCZYNEK"})
    assert response.status_code == 303
    assert [g.phrases for g in _groups()] == ["odpoczynek; opieka wytchnieniowa"]
    assert _version() > before
    assert "Opieka wytchnieniowa" in auth.client.get("/services?q=odpoczynek").text


def test_a_group_needs_two_phrases(auth, organiser):
    response = auth.post("/manage/synonyms", {"phrases": "tylko jedno;"})
    assert response.status_code == 422
    assert "Podaj co najmniej dwa różne wyrażenia oddzielone średnikiem." in response.text
    assert 'value="tylko jedno;"' in response.text
    assert _groups() == []


def test_edit_and_delete_group(auth, organiser):
    auth.post("/manage/synonyms", {"phrases": "psycholog; wsparcie psychologiczne"})
    group = _groups()[0]
    page = auth.client.get(f"/manage/synonyms/{group.id}/edit").text
    assert 'value="psycholog; wsparcie psychologiczne"' in page
    version = _version()
    assert auth.post(f"/manage/synonyms/{group.id}/edit",
                     {"phrases": "psycholog; terapeuta"}).status_code == 303
    assert _groups()[0].phrases == "psycholog; terapeuta"
    response = auth.post(f"/manage/synonyms/{group.id}/edit", {"phrases": "psycholog"})
    assert response.status_code == 422 and "co najmniej dwa" in response.text
    asked = auth.post(f"/manage/synonyms/{group.id}/delete")
    assert asked.status_code == 200 and "Usunąć grupę synonimów?" in asked.text
    assert len(_groups()) == 1
    assert auth.post(f"/manage/synonyms/{group.id}/delete", {"confirmed": "yes"}).status_code == 303
    assert _groups() == []
    assert _version() >= version + 2

    from portal.audit.models import AuditEvent
    from portal.extensions import db

    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "synonym_group")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["create", "update", "delete"]


def test_the_synonym_page_prefills_a_phrase_and_leads_to_the_misses(auth, organiser):
    page = auth.client.get("/manage/synonyms").text
    assert 'href="/manage/search-statistics#misses"' in page
    prefilled = auth.client.get("/manage/synonyms?phrase=basen").text
    assert 'value="basen; "' in prefilled
