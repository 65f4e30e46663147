"""The printed plan, rendered by WeasyPrint and read back with pypdf: the
frozen PDF made at approval (number, participant, guardian, coordinator,
dates, every service row, signature lines, the content hash), served as
stored; a draft printed with "PROJEKT"."""
import hashlib
import io
import re

from pypdf import PdfReader

from portal.auth.models import Role
from portal.extensions import db
from portal.plans import printing
from portal.plans.models import Plan


def text_of(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text):
    return re.sub(r"\s+", "", text)


def test_the_approved_plan_is_frozen_into_a_pdf(client, auth, make_case, plans, people):
    case = make_case(representative="Maria Nowak")
    club, care = case.services
    plan = plans.draft(case)
    plans.submit(plan)
    plans.approve(plan, render=None)  # the real renderer
    db.session.expire_all()
    plan = db.session.get(Plan, plan.id)
    version = plan.versions[0]
    stored = version.pdf
    assert stored.startswith(b"%PDF-")
    assert version.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert version.content_hash == hashlib.sha256(printing.canonical(version.snapshot)).hexdigest()

    text = text_of(stored)
    for expected in ("INDYWIDUALNY PLAN USŁUG SPOŁECZNYCH", "IPUS/1/2026", case.resident.full_name, "Maria Nowak",
                     "Anna Koordynator", "07.03.1948", "04.05.2026", "12.05.2026", "11.05.2027",
                     club.name, care.name, club.provider.name, care.provider.name, "Świetlica",
                     "wtorki i czwartki 10:00–13:00", "w miejscu zamieszkania uczestnika",
                     "Osoba wychodzi z domu dwa razy w tygodniu.", "co kwartał", "Celina Dyrektor",
                     "podpis uczestnika lub przedstawiciela ustawowego", "podpis dyrektora"):
        assert squeezed(expected) in squeezed(text), expected
    assert version.content_hash in squeezed(text)
    assert "PROJEKT" not in text

    # Every print serves the stored bytes, so both hashes stay valid.
    auth.login(Role.COORDINATOR, "koordynator")
    first = client.get(f"/plans/{plan.id}/versions/0/pdf")
    second = client.get(f"/plans/{plan.id}/versions/0/pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.data == stored and second.data == stored
    assert first.headers["Cache-Control"] == "no-store"
    assert 'filename="ipus-1-2026.pdf"' in first.headers["Content-Disposition"]
    from portal.audit.models import AuditEvent
    prints = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "print",
                                                             AuditEvent.object_id == plan.resident_id)).all()
    assert len(prints) == 2


def test_a_draft_prints_as_projekt(client, auth, make_case, plans):
    case = make_case()
    plan = plans.draft(case)
    auth.login(Role.COORDINATOR, "koordynator")
    response = client.get(f"/plans/{plan.id}/versions/0/pdf")
    assert response.status_code == 200
    text = text_of(response.data)
    assert "PROJEKT" in text
    assert squeezed(case.services[0].name) in squeezed(text)
    assert "SHA-256" not in text
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).versions[0].pdf is None  # nothing stored for a draft
