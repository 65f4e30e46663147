"""Hostile or broken input to the public catalogue never gives a 500 and is
rendered harmlessly."""
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.input_guard import has_control

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = [
    "' OR 1=1 --",
    "'; DROP TABLE service; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "%00%27",
    "\x00\x01\x02\x1b[31m",
    "ł" * 5000,
    "a " * 3000,
    "{{7*7}}",
    "../../etc/passwd",
    "\u202e\u200b\ufeff",
]


@pytest.fixture
def with_service(make_service):
    return make_service("Klub Seniora", groups=("seniors",))


def expected(*values):
    """A control character in a query is refused before any view (portal/input_guard.py)."""
    return 400 if any(has_control(v) for v in values) else 200


@pytest.mark.parametrize("query", NASTY)
def test_nasty_queries(client, with_service, query):
    response = client.get("/services?" + urlencode({"q": query}))
    assert response.status_code == expected(query)
    if response.status_code == 400:
        assert "Nieprawidłowe żądanie" in response.text and "[31m" not in response.text
        return
    body = response.text
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "49" not in body.split('id="results"')[1][:300]  # no template evaluation


@pytest.mark.parametrize("param", ["area", "group", "village", "ptype", "access", "free", "open", "page"])
@pytest.mark.parametrize("value", NASTY[:6] + ["-1", "99999999999999999999", ""])
def test_nasty_facet_values(client, with_service, param, value):
    response = client.get("/services?" + urlencode({param: value}))
    assert response.status_code == expected(value)
    if response.status_code == 200:
        assert "Klub Seniora" in response.text


def test_service_slug_injection(client, with_service):
    for slug in ["%27%20OR%201%3D1", "x" * 5000, "%3Cscript%3E", "..%2F..%2Fetc"]:
        assert client.get(f"/services/{slug}").status_code == 404


@SETTINGS
@given(query=st.text(max_size=400), facet=st.text(max_size=80), page=st.text(max_size=20))
def test_random_input_never_breaks_the_catalogue(client, with_service, query, facet, page):
    response = client.get("/services", query_string={"q": query, "area": facet, "group": facet,
                                                       "village": facet, "access": facet, "page": page})
    assert response.status_code == expected(query, facet, page)
    fragment = client.get("/services", query_string={"q": query},
                          headers={"HX-Request": "true", "HX-Target": "results"})
    assert fragment.status_code == expected(query)
    assert "<script" not in fragment.text
