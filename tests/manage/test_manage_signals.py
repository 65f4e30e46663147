"""Catalogue management's signal: a service created or changed (edited, or
its status), sent after the commit through the real pages."""
from tests.manage.test_manage_services import (  # noqa: F401  (fixtures)
    _service,
    edit_url,
    form_fields,
    new_service_data,
    provider,
)


def test_creating_editing_and_suspending_a_service_send_service_changed(auth, organiser, provider, received):
    response = auth.post("/manage/services/new", new_service_data(provider))
    assert response.status_code == 303, response.text[:2000]
    service = _service("Klub Seniora w Bęczkowie")
    data = form_fields(auth.client.get(edit_url(service.id)).text, edit_url(service.id))
    data["goal"] = "Integracja seniorów."
    assert auth.post(edit_url(service.id), data).status_code == 303
    assert auth.post(f"/manage/services/{service.id}/status", {"action": "suspend"}).status_code == 303
    assert received == [
        ("service_changed", {"service_id": service.id, "change": change, "status": status, "actor_id": organiser.id})
        for change, status in (("created", "active"), ("updated", "active"), ("status", "suspended"))]


def test_a_refused_service_sends_nothing(auth, organiser, provider, received):
    response = auth.post("/manage/services/new", new_service_data(provider, name=""))
    assert response.status_code == 422
    assert received == []
