"""web.render: the one way a page or region is answered."""
import pytest

from portal.web import render


def test_render_sets_status_headers_and_vary(app):
    with app.test_request_context("/"):
        response = render("errors/error.html", 404, {"HX-Trigger-After-Settle": "desk:person-changed"}, status=410)
    assert response.status_code == 404
    assert response.headers["HX-Trigger-After-Settle"] == "desk:person-changed"
    assert response.headers["Vary"] == "HX-Request, HX-Target"
    assert "Błąd 410" in response.get_data(as_text=True)  # the context keeps a `status` of its own


def test_render_refuses_headers_passed_as_a_keyword(app):
    # A keyword `headers` would land in the template's context and the browser
    # would never see it (the desk's person region lost its trigger this way).
    with app.test_request_context("/"), pytest.raises(TypeError, match="positionally"):
        render("errors/error.html", headers={"HX-Trigger": "x"})
