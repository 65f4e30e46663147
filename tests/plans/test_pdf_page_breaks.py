"""Page breaks in the printed documents, read back page by page with pypdf:
the signature lines never stand alone on a page; they stay on the page of
the last rows of the document's table (plan, monitoring card, closure) or of
the last section (assessment). Checked on the demo data, whose plans are the
typical ones: every frozen plan version, the monitoring card and closure of
every demo plan that has them, and the demo needs assessments."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from tests.helpers import seed_demo

SIGNATURE = "podpis uczestnika lub przedstawiciela ustawowego"
COORDINATOR_SIGNATURE = "podpis koordynatora indywidualnego planu"
ASSESSMENT_SIGNATURE = "podpis osoby (przedstawiciela ustawowego, opiekuna faktycznego)"


@pytest.fixture(autouse=True)
def _once(database_url):
    """Page layout does not depend on the database: checked once, on SQLite
    (the slowest tests of the run; CI time must not grow)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("layout is checked once, on SQLite")


def squeezed(text):
    return re.sub(r"\s+", "", text)


def pages_of(pdf_bytes):
    return [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def page_with(pages, text):
    found = [i for i, page in enumerate(pages) if squeezed(text) in page]
    assert found, f"{text!r} is on no page"
    return found[-1]


def assert_not_alone(pages, signature, last_row, what):
    """The page with the signature lines also holds the table's last row."""
    signed = page_with(pages, signature)
    assert squeezed(last_row) in pages[signed], (
        f"{what}: the signatures are on page {signed + 1} of {len(pages)}, "
        f"without the last row ({last_row!r}); that page reads: {pages[signed][:300]}")


@pytest.fixture
def demo(app, client):
    """The demo municipality with its plans, monitoring and closures, and a
    client logged in as the demo director (who may print every document)."""
    from tests.conftest import csrf_from

    seed_demo(through="casework")
    page = client.get("/login")
    response = client.post("/login", data={"username": "dyrektor", "password": "demo-cus",
                                           "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    return client


def test_signatures_stay_with_the_last_rows_in_every_document(demo):
    from portal.assessment.models import Assessment
    from portal.casework.models import MonitoringEntry, PlanClosure
    from portal.plans.models import Plan, PlanVersion

    # Plans: every frozen version, printed at approval from the current template.
    versions = db.session.scalars(select(PlanVersion).where(PlanVersion.pdf.is_not(None))
                                  .order_by(PlanVersion.plan_id, PlanVersion.number)).all()
    assert len(versions) >= 10
    two_pages = 0
    for version in versions:
        pages = pages_of(version.pdf)
        two_pages += len(pages) > 1
        last = version.snapshot["items"][-1]["service"]
        assert_not_alone(pages, SIGNATURE, last, f"plan {version.plan_id}, version {version.number}")
    assert two_pages, "no demo plan runs over a page: the check would prove nothing"

    # Monitoring cards: the last (empty, numbered) line and the legend stay with the signature.
    planned = db.session.scalars(select(Plan).where(Plan.id.in_(select(MonitoringEntry.plan_id)))
                                 .order_by(Plan.id)).all()
    assert planned
    for plan in planned:
        response = demo.get(f"/cases/plans/{plan.id}/monitoring/card.pdf")
        assert response.status_code == 200, plan.id
        pages = pages_of(response.data)
        entries = db.session.scalar(select(db.func.count()).select_from(MonitoringEntry)
                                    .where(MonitoringEntry.plan_id == plan.id))
        signed = page_with(pages, COORDINATOR_SIGNATURE)
        assert f"{entries + 3}." in pages[signed] and squeezed("Zadowolenie: 1 —") in pages[signed], (
            f"monitoring card of plan {plan.id}: the signature is on page {signed + 1} without the last lines")

    # Closures: the survey's end (the participant's remarks, or the refusal) stays with the signatures.
    closures = db.session.scalars(select(PlanClosure)).all()
    assert closures
    for closure in closures:
        response = demo.get(f"/cases/plans/{closure.plan_id}/closure.pdf")
        assert response.status_code == 200, closure.plan_id
        last = "Uczestnik odmówił wypełnienia ankiety." if closure.survey_declined else "Uwagi uczestnika"
        assert_not_alone(pages_of(response.data), SIGNATURE, last, f"closure of plan {closure.plan_id}")

    # Needs assessments: the declaration and signatures stay with the last section.
    for assessment_id in db.session.scalars(select(Assessment.id).where(Assessment.status == "completed")
                                            .order_by(Assessment.id).limit(3)):
        response = demo.get(f"/assessments/{assessment_id}/pdf")
        assert response.status_code == 200, assessment_id
        assert_not_alone(pages_of(response.data), ASSESSMENT_SIGNATURE, "Wnioski i rekomendacje koordynatora",
                         f"assessment {assessment_id}")
