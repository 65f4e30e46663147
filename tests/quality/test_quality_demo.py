"""The demo's quality data: answers across the year's quarters, standards
(one approved by "Zarządzenie Nr 4/<year>"), acceptances, three checks."""
from sqlalchemy import func, select

from portal.extensions import db
from tests.helpers import seed_demo


def test_demo_surveys_standards_and_checks(app, client, auth):
    from portal.demo.quality import seed_quality
    from portal.quality import services as quality
    from portal.quality.models import ProviderCheck, StandardVersion, SurveyAnswer
    from portal.timeutil import local_now
    from tests.helpers import visible_text

    seed_demo("catalogue")
    counts = seed_quality(db.session)
    db.session.commit()
    today = local_now().date()
    stored = db.session.scalar(select(func.count()).select_from(SurveyAnswer))
    assert counts["answers"] == stored and (stored >= 30 or today.month < 10)
    assert seed_quality(db.session) is None  # nothing added twice
    approved = db.session.scalars(select(StandardVersion).where(StandardVersion.status == "approved")).all()
    assert f"Zarządzenie Nr 4/{today.year}" in {s.order_number for s in approved}
    assert db.session.scalar(select(func.count()).select_from(StandardVersion)
                             .where(StandardVersion.status == "draft")) == 2
    _rows, share = quality.standards_overview(db.session)
    assert (share.accepted, share.providers) == (1, 2)
    checks = db.session.scalars(select(ProviderCheck)).all()
    assert len(checks) == 3
    assert sorted(str(quality.follow_up_state(c, today)) for c in checks) == ["None", "due_soon", "overdue"] or \
        sorted(str(quality.follow_up_state(c, today)) for c in checks) == ["None", "on_track", "overdue"]
    # The answers are anonymous and every shown quarter has at least three.
    for row in quality.service_figures(db.session, *quality.quarter_range(*quality.quarter_of(today))):
        assert row.figures.answers >= 3 or row.figures.hidden
    auth.login("director")
    page = visible_text(client.get("/quality/standards").text)
    assert "Standardy przyjęte przez 1 z 2 realizatorów (50%)" in page
    start = visible_text(client.get("/staff").text)
    assert "Zalecenia kontroli do sprawdzenia po terminie 1" in start
    assert "Projekty standardów do zatwierdzenia 2" in start
