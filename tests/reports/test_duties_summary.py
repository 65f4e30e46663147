"""The half-yearly summary of the plans (art. 46 ust. 1): its figures with
frozen time, the conclusions (422, 409), sending with a confirmation that
freezes the figures, the recipients' confirmations of reading, and the pages'
visible text — no name or PESEL in the HTML or the PDF."""
import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from portal.auth.models import Role
from portal.timeutil import WARSAW, to_local
from tests.casework.fixtures import case_rows, utc  # noqa: F401
from tests.helpers import assert_in, visible_text
from tests.plans.fixtures import make_case, people  # noqa: F401

# Friday 10 July 2026, 10:00 in Warsaw: the first half of 2026 has ended.
NOW = datetime(2026, 7, 10, 10, 0, tzinfo=WARSAW)
PESEL = "44051401359"


@pytest.fixture
def july(app):
    app.config["FIXED_NOW"] = NOW
    return NOW


def _login(auth, people, role):
    usernames = {Role.SERVICES_ORGANISER: "organizator", Role.DIRECTOR: "dyrektor",
                 Role.COMMUNITY_ORGANISER: "animator", Role.COORDINATOR: "koordynator"}
    return auth.login(role, usernames[role])


@pytest.fixture
def half_year(app, case_rows, make_service, july):  # noqa: F811
    """Plans around the first half of 2026, written straight into the tables."""
    from portal.casework.models import ClosureItem, PlanClosure
    from portal.extensions import db
    from portal.plans.models import WaitingListEntry

    def signed(case, at, number):
        plan = case.plan
        plan.versions[0].signed_at = at
        plan.number_year, plan.number_seq = at.year, number
        return plan

    # New in the half-year, its last contact in February: the next was due on 20 May.
    new_overdue = case_rows(received=utc(2026, 1, 20, 8), plan="active", valid_from=date(2026, 2, 10),
                            valid_until=date(2027, 2, 9), contacts=[date(2026, 2, 20)], name="Zawadzka")
    signed(new_overdue, utc(2026, 2, 10, 11), 1)
    new_overdue.resident.pesel = PESEL
    # Running since November, contacted on 1 May: due 1 August, in time.
    older = case_rows(received=utc(2025, 11, 1, 8), plan="active", valid_from=date(2025, 11, 15),
                      valid_until=date(2026, 11, 14), contacts=[date(2026, 5, 1)], name="Borkowski")
    signed(older, utc(2025, 11, 15, 11), 40)
    # New and closed in the half-year, two services: one attained, one partly; survey 5 and 4.
    closed = case_rows(received=utc(2025, 12, 20, 8), plan="closed", valid_from=date(2026, 1, 5),
                       valid_until=date(2027, 1, 4), name="Ćwiklińska")
    plan = signed(closed, utc(2026, 1, 5, 9), 2)
    plan.closed_on = date(2026, 4, 30)
    items = plan.versions[0].items
    db.session.add(PlanClosure(
        plan_id=plan.id, conversation_on=date(2026, 4, 30), period_from=date(2026, 1, 5), period_to=date(2026, 4, 30),
        course="Przebieg", reasons="Powody", effects="Efekty", survey_needs=5, survey_quality=4,
        items=[ClosureItem(plan_item_id=items[0].id, service_id=items[0].service_id, period_from=date(2026, 1, 5),
                           period_to=date(2026, 4, 30), outcome="attained"),
               ClosureItem(plan_item_id=items[1].id, service_id=items[1].service_id, position=1,
                           period_from=date(2026, 1, 5), period_to=date(2026, 4, 30), outcome="partly")]))
    # Signed on 1 July, Warsaw (30 June 23:30 UTC): the second half-year's.
    july_plan = case_rows(received=utc(2026, 6, 10, 8), plan="active", valid_from=date(2026, 7, 1),
                          valid_until=date(2027, 6, 30), name="Lipiec")
    signed(july_plan, utc(2026, 6, 30, 22, 30), 3)
    # Submitted on 20 March, 47 days after the request of 1 February: late, with a reason.
    late = case_rows(received=utc(2026, 2, 1, 8), plan="approved", valid_from=date(2026, 3, 20),
                     valid_until=date(2027, 3, 19), first_submitted_on=date(2026, 3, 20), name="Spóźniony")
    late.plan.number_year, late.plan.number_seq = 2026, 4
    late.plan.overdue_reason = "Uczestnik przebywał w szpitalu."
    # Submitted late without a reason recorded (no number yet: returned for corrections).
    late_silent = case_rows(received=utc(2026, 4, 1, 8), plan="returned", version_status="returned",
                            valid_from=date(2026, 5, 20), valid_until=date(2027, 5, 19),
                            first_submitted_on=date(2026, 5, 20), name="Milczący")
    # Still a draft at the end of June, the request of 1 May: past its deadline of 31 May.
    case_rows(received=utc(2026, 5, 1, 8), plan="draft", valid_from=date(2026, 6, 1), valid_until=date(2027, 5, 31),
              name="Szkic")
    # Waiting lists: one waiting since March, one placed in April, one added in May and withdrawn in July.
    service = older.services[0]
    residents = [older.resident, closed.resident, july_plan.resident]
    db.session.add_all([
        WaitingListEntry(service_id=service.id, resident_id=residents[0].id, status="waiting",
                         added_at=utc(2026, 3, 1, 9)),
        WaitingListEntry(service_id=service.id, resident_id=residents[1].id, status="placed",
                         added_at=utc(2026, 2, 1, 9), resolved_at=utc(2026, 4, 1, 9)),
        WaitingListEntry(service_id=service.id, resident_id=residents[2].id, status="withdrawn",
                         added_at=utc(2026, 5, 1, 9), resolved_at=utc(2026, 7, 5, 9)),
    ])
    db.session.commit()
    return {"names": ["Zawadzka", "Borkowski", "Ćwiklińska", "Lipiec", "Spóźniony", "Milczący", "Szkic"],
            "service": service, "late_silent": late_silent}


def test_the_figures_of_the_first_half_of_2026(app, half_year):
    from portal.extensions import db
    from portal.reports import duties

    data = duties.figures_data(db.session, 2026, 1, NOW.date())
    assert (data["start"], data["end"], data["as_of"]) == ("2026-01-01", "2026-06-30", "2026-06-30")
    # New: February's and January's; not November's, not the one signed on 1 July in Warsaw.
    assert data["plans"] == {"new": 2, "running": 3, "at_end": 2, "closed": 1}
    assert {row["code"]: row["count"] for row in data["outcomes"]} == {
        "attained": 1, "partly": 1, "not_attained": 0, "cancelled": 0}
    assert data["satisfaction"]["closures"] == {"count": 2, "average": 4.5}
    # Contacts in the half-year: 20 February and 1 May, both rated 5.
    assert data["satisfaction"]["contacts"] == {"count": 2, "average": 5.0}
    assert data["satisfaction"]["surveys"] == {"count": 0, "average": None}
    assert data["late"] == [
        {"number": "IPUS/4/2026", "due": "2026-03-03", "submitted": "2026-03-20", "days_late": 17,
         "reason": "Uczestnik przebywał w szpitalu."},
        {"number": None, "due": "2026-05-01", "submitted": "2026-05-20", "days_late": 19, "reason": None}]
    assert data["late_open"] == 1
    assert data["contacts"] == {"count": 1, "numbers": ["IPUS/1/2026"]}
    assert data["waiting"]["at_end"] == 2 and data["waiting"]["added"] == 3
    assert (data["waiting"]["placed"], data["waiting"]["withdrawn"]) == (1, 0)
    assert data["waiting"]["services"] == [{"name": half_year["service"].name, "count": 2}]
    # The second half-year so far (to 10 July): the plan signed on 1 July is new.
    assert duties.figures_data(db.session, 2026, 2, NOW.date())["plans"]["new"] == 1


def test_the_summary_page_and_its_pdf_show_counts_and_plan_numbers_only(app, client, auth, people, half_year):
    _login(auth, people, Role.SERVICES_ORGANISER)
    page = client.get("/reports/summaries/2026/1")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert_in(text, "Podsumowanie planów: I półrocze 2026", "Projekt: liczby są bieżące",
              "Okres: od 1 stycznia 2026 do 30 czerwca 2026.",
              "Nowe plany (plan pierwotny podpisany w półroczu) 2", "Plany w realizacji w ciągu półrocza 3",
              "Plany w realizacji na dzień 30.06.2026 2", "Plany zamknięte w półroczu 1",
              "cel osiągnięty 1", "cel osiągnięty częściowo 1", "Ankiety przy zamknięciu planu 2 4,5",
              "IPUS/4/2026 03.03.2026 20.03.2026 17 Uczestnik przebywał w szpitalu.",
              "bez numeru (jeszcze niezatwierdzony) 01.05.2026 20.05.2026 19 nie podano powodu",
              "Plany w przygotowaniu po terminie na dzień 30.06.2026: 1",
              "z kontaktem monitorującym po terminie na dzień 30.06.2026: 1", "Numery planów: IPUS/1/2026",
              "Oczekujący na dzień 30.06.2026 2", "Otrzymali miejsce w półroczu 1",
              "Wnioski organizatora usług społecznych", "Zapisz wnioski")
    for name in half_year["names"]:
        assert name not in page.text
    assert PESEL not in page.text
    pdf = client.get("/reports/summaries/2026/1/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    squeezed = " ".join(pdf_text.split())
    assert_in(squeezed, "PODSUMOWANIE INDYWIDUALNYCH PLANÓW", "I półrocze 2026", "IPUS/4/2026",
              "Uczestnik przebywał w szpitalu.", "PROJEKT")
    for name in half_year["names"]:
        assert name not in pdf_text
    assert PESEL not in pdf_text


def test_conclusions_refused_kept_saved_and_in_conflict(app, client, auth, people, july):
    from portal.reports.duties_models import HalfYearSummary
    from tests.helpers import stored

    _login(auth, people, Role.SERVICES_ORGANISER)
    url = "/reports/summaries/2026/1/conclusions"
    empty = auth.post(url, {"conclusions": "   ", "version": ""})
    assert empty.status_code == 422
    assert "Wpisz wnioski z podsumowania." in visible_text(empty.text)
    too_long = auth.post(url, {"conclusions": "x" * 20001, "version": ""})
    assert too_long.status_code == 422 and "Wpisz najwyżej 20000 znaków." in too_long.text
    assert "x" * 20001 in too_long.text  # what was typed comes back
    assert stored(HalfYearSummary, year=2026, half=1) is None
    saved = auth.post(url, {"conclusions": "Więcej kontaktów telefonicznych.", "version": ""})
    assert saved.status_code == 303
    summary = stored(HalfYearSummary, year=2026, half=1)
    assert summary.conclusions == "Więcej kontaktów telefonicznych." and summary.version == 1
    assert auth.post(url, {"conclusions": "Druga wersja.", "version": "1"}).status_code == 303
    # A page loaded at version 1 saves over version 2: the conflict screen, the input kept.
    stale = auth.post(url, {"conclusions": "Moja wersja.", "version": "1"})
    assert stale.status_code == 409
    text = visible_text(stale.text)
    assert_in(text, "Ktoś inny zmienił to podsumowanie w międzyczasie", "Druga wersja.", "Moja wersja.")
    assert '<input id="version" name="version" type="hidden" value="2">' in stale.text
    assert stored(HalfYearSummary, year=2026, half=1).conclusions == "Druga wersja."
    # A page that showed no summary yet, while someone made it: a conflict too.
    assert auth.post(url, {"conclusions": "Od zera.", "version": ""}).status_code == 409


def test_sending_asks_first_then_freezes_the_figures(app, client, auth, people, half_year, case_rows):  # noqa: F811
    from portal.extensions import db
    from portal.reports import duties
    from portal.reports.duties_models import HalfYearSummary
    from tests.helpers import stored

    _login(auth, people, Role.SERVICES_ORGANISER)
    auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "Wnioski do wysłania.", "version": ""})
    summary = stored(HalfYearSummary, year=2026, half=1)
    ask = auth.post("/reports/summaries/2026/1/send", {"version": str(summary.version)})
    assert ask.status_code == 200
    assert_in(visible_text(ask.text), "Wysłać podsumowanie planów za I półrocze 2026?", "Celina Dyrektor",
              "Filip Animator", "Wyślij podsumowanie")
    assert stored(HalfYearSummary, year=2026, half=1).status == "draft"
    sent = auth.post("/reports/summaries/2026/1/send", {"version": str(summary.version), "confirmed": "yes"})
    assert sent.status_code == 303
    summary = stored(HalfYearSummary, year=2026, half=1)
    assert summary.status == "sent" and summary.sent_by_id == people.organiser.id
    assert summary.snapshot["plans"]["new"] == 2
    assert sorted(reader.user_id for reader in summary.readers) == sorted([people.director.id, people.community.id])
    # A plan signed in the half-year after sending changes the live figures, not the sent ones.
    later = case_rows(received=utc(2026, 2, 20, 8), plan="active", valid_from=date(2026, 3, 1),
                      valid_until=date(2027, 2, 28), name="Późny")
    later.plan.versions[0].signed_at = utc(2026, 3, 1, 10)
    db.session.commit()
    assert duties.figures_data(db.session, 2026, 1, NOW.date())["plans"]["new"] == 3
    text = visible_text(client.get("/reports/summaries/2026/1").text)
    assert_in(text, "Nowe plany (plan pierwotny podpisany w półroczu) 2", "Wnioski do wysłania.",
              "Liczby są takie, jakie były w chwili wysłania.", "jeszcze nie potwierdzono")
    assert "Zapisz wnioski" not in text and "Wyślij podsumowanie" not in text
    # Nothing changes after sending.
    again = auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "Zmiana.",
                                                                "version": str(summary.version)})
    assert again.status_code == 303
    assert stored(HalfYearSummary, year=2026, half=1).conclusions == "Wnioski do wysłania."
    assert auth.post("/reports/summaries/2026/1/send", {"version": str(summary.version),
                                                        "confirmed": "yes"}).status_code == 303


def test_a_running_half_year_is_not_sent(app, client, auth, people, july):
    from portal.reports.duties_models import HalfYearSummary
    from tests.helpers import stored

    _login(auth, people, Role.SERVICES_ORGANISER)
    auth.post("/reports/summaries/2026/2/conclusions", {"conclusions": "Za wcześnie.", "version": ""})
    summary = stored(HalfYearSummary, year=2026, half=2)
    page = client.get("/reports/summaries/2026/2")
    assert "Półrocze jeszcze trwa" in visible_text(page.text) and "Wyślij podsumowanie" not in page.text
    refused = auth.post("/reports/summaries/2026/2/send", {"version": str(summary.version), "confirmed": "yes"})
    assert refused.status_code == 422
    assert "Podsumowanie półrocza można wysłać po jego zakończeniu." in visible_text(refused.text)
    assert stored(HalfYearSummary, year=2026, half=2).status == "draft"
    assert client.get("/reports/summaries/2027/1").status_code == 404  # not begun
    assert client.get("/reports/summaries/2026/3").status_code == 404


def _send(people, year, half, today):
    from portal.extensions import db
    from portal.reports import duties

    summary = duties.save_conclusions(db.session, year, half, "Wnioski.", actor=people.organiser,
                                      expected_version=None, today=today)
    duties.send_summary(db.session, summary, actor=people.organiser, expected_version=summary.version, today=today)
    db.session.commit()
    return summary


def test_the_director_and_the_community_organiser_confirm_reading(app, client, auth, people, make_user, july):
    from portal.reports.duties_models import SummaryReader
    from tests.helpers import stored

    _login(auth, people, Role.DIRECTOR)
    unsent = visible_text(client.get("/reports/summaries/2026/1").text)
    assert "nie wysłał jeszcze podsumowania" in unsent and "Plany zamknięte" not in unsent
    assert client.get("/reports/summaries/2026/1/pdf").status_code == 404
    summary = _send(people, 2026, 1, NOW.date())
    listed = visible_text(client.get("/reports/summaries").text)
    assert_in(listed, "I półrocze 2026", "wysłane 10.07.2026", "0 z 2", "czeka na Twoje potwierdzenie")
    page = visible_text(client.get("/reports/summaries/2026/1").text)
    assert_in(page, "Celina Dyrektor Dyrektor jeszcze nie potwierdzono", "Potwierdzam zapoznanie się")
    ask = auth.post("/reports/summaries/2026/1/read")
    assert ask.status_code == 200 and "Potwierdzić zapoznanie się" in visible_text(ask.text)
    assert stored(SummaryReader, summary_id=summary.id, user_id=people.director.id).read_at is None
    assert auth.post("/reports/summaries/2026/1/read", {"confirmed": "yes"}).status_code == 303
    reader = stored(SummaryReader, summary_id=summary.id, user_id=people.director.id)
    assert to_local(reader.read_at) == NOW
    page = visible_text(client.get("/reports/summaries/2026/1").text)
    assert_in(page, "Celina Dyrektor Dyrektor zapoznał(a) się 10.07.2026", "Filip Animator")
    assert "Potwierdzam zapoznanie się" not in page
    # Once is enough: a second confirmation changes nothing.
    assert auth.post("/reports/summaries/2026/1/read", {"confirmed": "yes"}).status_code == 303
    auth.logout()
    _login(auth, people, Role.COMMUNITY_ORGANISER)
    assert auth.post("/reports/summaries/2026/1/read", {"confirmed": "yes"}).status_code == 303
    assert stored(SummaryReader, summary_id=summary.id, user_id=people.community.id).read_at is not None
    # A director whose account was made after sending reads it but has nothing to confirm.
    auth.logout()
    make_user(Role.DIRECTOR, "dyrektor2", "Dorota Zastępczyni")
    auth.login(Role.DIRECTOR, "dyrektor2")
    assert client.get("/reports/summaries/2026/1").status_code == 200
    assert auth.post("/reports/summaries/2026/1/read", {"confirmed": "yes"}).status_code == 403


def test_the_organisers_list_of_half_years(app, client, auth, people, july):
    _send(people, 2025, 2, NOW.date())
    _login(auth, people, Role.SERVICES_ORGANISER)
    text = visible_text(client.get("/reports/summaries").text)
    assert_in(text, "Półroczne podsumowania planów", "II półrocze 2026 półrocze trwa",
              "I półrocze 2026 nie przygotowano", "II półrocze 2025 wysłane 10.07.2026 0 z 2")
    assert (text.index("II półrocze 2026 półrocze trwa") < text.index("I półrocze 2026 nie przygotowano")
            < text.index("II półrocze 2025 wysłane"))
    picked = client.get("/reports/summaries?year=2024&half=2")
    assert picked.status_code == 303 and picked.headers["Location"].endswith("/reports/summaries/2024/2")
    assert client.get("/reports/summaries?year=2031&half=1").status_code == 200  # not begun: the list again


def test_sending_from_a_stale_page_is_a_conflict(app, client, auth, people, july):
    from portal.reports.duties_models import HalfYearSummary
    from tests.helpers import stored

    _login(auth, people, Role.SERVICES_ORGANISER)
    auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "Pierwsze.", "version": ""})
    auth.post("/reports/summaries/2026/1/conclusions", {"conclusions": "Poprawione.", "version": "1"})
    stale = auth.post("/reports/summaries/2026/1/send", {"version": "1", "confirmed": "yes"})
    assert stale.status_code == 409
    text = visible_text(stale.text)
    assert_in(text, "Ktoś inny zmienił to podsumowanie w międzyczasie", "Status projekt wysłane", "Nic nie zostało "
              "zmienione.")
    assert "Poprawione.</textarea>" in stale.text and 'name="version" value="2"' in stale.text
    assert stored(HalfYearSummary, year=2026, half=1).status == "draft"


def test_the_sent_pdf_and_the_reports_index(app, client, auth, people, half_year):
    _send(people, 2026, 1, NOW.date())
    _login(auth, people, Role.COMMUNITY_ORGANISER)
    index = visible_text(client.get("/reports/").text)
    assert_in(index, "Przypomnienia", "Podsumowanie planów za I półrocze 2026 czeka na potwierdzenie zapoznania się.",
              "Obowiązki organizatora usług społecznych (art. 46 ustawy)", "Półroczne podsumowania planów")
    assert "Spotkania z koordynatorami" not in index  # not the community organiser's
    pdf = client.get("/reports/summaries/2026/1/pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert_in(text, "Wysłane 10.07.2026", "Dariusz Organizator", "Wnioski.", "Celina Dyrektor",
              "jeszcze nie potwierdzono", "IPUS/1/2026")
    assert "PROJEKT" not in text
    for name in half_year["names"]:
        assert name not in text
    assert PESEL not in text


def test_plans_in_preparation_past_the_deadline_at_the_half_years_end(app, case_rows, july):  # noqa: F811
    from portal.extensions import db
    from portal.reports import duties

    # Received on 30 May (Warsaw): due 29 June, overdue on 30 June. On 31 May
    # at 00:30 Warsaw (30 May 22:30 UTC): due 30 June, the last day, not yet overdue.
    case_rows(received=utc(2026, 5, 30, 8), plan="draft", valid_from=date(2026, 6, 1), valid_until=date(2027, 5, 31))
    case_rows(received=utc(2026, 5, 30, 22, 30), plan="draft", valid_from=date(2026, 6, 1),
              valid_until=date(2027, 5, 31))
    # Submitted on 2 July, after the end: still in preparation on 30 June.
    case_rows(received=utc(2026, 5, 20, 8), plan="submitted", valid_from=date(2026, 7, 2),
              valid_until=date(2027, 7, 1), first_submitted_on=date(2026, 7, 2))
    assert duties.figures_data(db.session, 2026, 1, NOW.date())["late_open"] == 2
