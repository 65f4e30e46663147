"""The demo register: eight matters in their states, as the director and a coordinator read them."""
from sqlalchemy import select

from portal.auth.models import User
from portal.complaints import access
from portal.complaints import services as complaints
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.timeutil import local_now
from tests.demo.conftest import demo  # noqa: F401  (the fixture)
from tests.demo.test_readme import signed_in


def test_the_demo_register(app, demo):
    rows = db.session.scalars(select(Complaint)).all()
    assert len(rows) == 8
    today = local_now().date()
    assert sum(1 for c in rows if c.is_open and c.due < today) == 1                 # overdue
    assert sum(1 for c in rows if c.extended_until) == 1                             # extended
    assert sum(1 for c in rows if c.anonymous) == 1
    assert sum(1 for c in rows if c.subject == "staff") == 1
    assert {c.status for c in rows} == {"new", "assigned", "answered", "closed"}
    assert {c.kind for c in rows} == {"complaint", "request"}
    coordinator = db.session.scalar(select(User).filter_by(username="koordynator"))
    about = next(c for c in rows if c.subject == "staff")
    assert about.staff_member_id == coordinator.id and not access.can_see(coordinator, about)

    director = signed_in(app, "dyrektor")
    page = director.get("/complaints/?state=all").text
    assert "8 spraw" in page and "po terminie" in page
    letter = next(c for c in rows if c.status == "closed" and c.kind == "complaint")
    assert director.get(f"/complaints/{letter.id}/letter").mimetype == "application/pdf"
    mine = signed_in(app, "koordynator").get("/complaints/?state=all").text
    assert about.number not in mine
    result = complaints.counts(db.session, today.replace(month=1, day=1) if today.month > 3 else
                               today.replace(year=today.year - 1, month=1, day=1), today)
    assert result.received == 8 and result.overdue == 1 and result.extended == 1
