"""The events' signals: an event published and a notice put up, sent after
the commit through the organiser's pages."""
from portal.auth.models import Role
from portal.events.models import Event, Notice
from portal.extensions import db
from tests.events.test_events_views import at, form_data, frozen, media  # noqa: F401  (fixtures)


def test_publishing_an_event_sends_published(client, auth, frozen, media, received):
    user = auth.login(Role.COMMUNITY_ORGANISER)
    assert auth.post("/staff/events/new", data=form_data()).status_code == 303
    assert received == []  # a draft is not published
    event = db.session.scalar(db.select(Event))
    assert auth.post(f"/staff/events/{event.id}/status", data={"action": "publish"}).status_code == 303
    assert received == [("event_published", {"event_id": event.id, "slug": event.slug, "actor_id": user.id})]
    # Cancelling sends nothing; publishing again does.
    assert auth.post(f"/staff/events/{event.id}/status", data={"action": "cancel", "confirmed": "yes"}).status_code \
        == 303
    assert auth.post(f"/staff/events/{event.id}/status", data={"action": "publish"}).status_code == 303
    assert received.names == ["event_published", "event_published"]


def test_putting_up_a_notice_sends_notice_started(client, auth, frozen, received):
    user = auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/notices", data={"text": "Centrum nieczynne 24 grudnia", "starts_at": "",
                                                 "ends_at": "2026-01-12 15:00", "display": "full"})
    assert response.status_code == 303
    notice = db.session.scalar(db.select(Notice))
    assert received == [("notice_started", {"notice_id": notice.id, "starts_at": notice.starts_at,
                                            "ends_at": notice.ends_at, "display": "full", "actor_id": user.id})]
    assert notice.ends_at == at(2026, 1, 12, 15)
    # The text is not in the payload.
    assert "nieczynne" not in repr(received)


def test_a_refused_notice_sends_nothing(client, auth, frozen, received):
    auth.login(Role.COMMUNITY_ORGANISER)
    response = auth.post("/staff/notices", data={"text": "Awaria ogrzewania", "starts_at": "", "ends_at": ""})
    assert response.status_code == 422
    assert received == []
