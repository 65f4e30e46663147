"""The quality pages: what each shows for a typical record, 422 with the
input kept, the one-time link used twice and expired, the conflict screen."""
import re
from datetime import date, timedelta

from portal.extensions import db
from portal.quality import services as quality
from portal.quality.models import ProviderCheck, StandardVersion, SurveyAnswer
from tests.helpers import visible_text as text_of


def test_the_survey_on_a_phone_without_login(client, club, links):
    token = links(club)[0]
    page = client.get(f"/ankieta/{token}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Ankieta satysfakcji" in text and "Usługa: Klub Seniora w Burzcu" in text
    assert "Czy usługa odpowiada na Pana/Pani potrzeby?" in text and "5 — bardzo dobrze" in text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    sent = client.post(f"/ankieta/{token}", data={"csrf_token": csrf, "q1": "5", "q2": "4", "q4": "5",
                                                  "comment": "Bardzo dobre zajęcia."})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/ankieta/dziekujemy")
    assert "Dziękujemy za wypełnienie ankiety" in text_of(client.get("/ankieta/dziekujemy").text)
    stored = db.session.scalar(db.select(SurveyAnswer))
    assert (stored.channel, stored.comment, [s.score for s in stored.scores]) == ("link", "Bardzo dobre zajęcia.",
                                                                                  [5, 4, 5])
    # The same link again: it says politely that it was used, and stores nothing.
    again = client.get(f"/ankieta/{token}")
    assert again.status_code == 410
    assert "Ta ankieta została już wypełniona" in text_of(again.text)
    resent = client.post(f"/ankieta/{token}", data={"csrf_token": csrf, "q1": "1"})
    assert resent.status_code == 410
    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyAnswer)) == 1


def test_an_expired_or_unknown_code(app, client, club, links, clock):
    token = links(club)[0]
    app.config["FIXED_NOW"] = clock + timedelta(days=61)
    page = client.get(f"/ankieta/{token.lower()}")
    assert page.status_code == 410 and "Ten kod już nie działa" in text_of(page.text)
    unknown = client.get("/ankieta/ABCDEFGHJKMN")
    assert unknown.status_code == 404 and "Nie znaleźliśmy takiego kodu" in text_of(unknown.text)


def test_a_code_typed_by_hand_leads_to_the_survey(client, club, links, auth):
    token = links(club)[0]
    assert "Wpisz kod z kartki" in text_of(client.get("/ankieta").text)
    typed = auth.post("/ankieta", {"code": f"{token[:4].lower()} {token[4:8]}-{token[8:]}"})
    assert typed.status_code == 303 and typed.headers["Location"].endswith(f"/ankieta/{token}")
    wrong = auth.post("/ankieta", {"code": "ABC"})
    assert wrong.status_code == 422 and 'value="ABC"' in wrong.text and "Kod ma 12 liter" in text_of(wrong.text)


def test_an_empty_survey_comes_back_with_the_comment_kept(client, club, links, auth):
    token = links(club)[0]
    response = auth.post(f"/ankieta/{token}", {"q1": "9", "comment": "Za krótko"})
    assert response.status_code == 422
    assert "Za krótko" in response.text and "Wybierz pozycję z listy." in text_of(response.text)
    assert quality.find_link(db.session, token)[1] == quality.LINK_OK


def test_paper_entry_by_the_front_desk(client, auth, club):
    auth.login("front_desk")
    menu = text_of(client.get("/quality/paper").text)
    assert "Klub Seniora w Burzcu" in menu and "Stowarzyszenie Pogodna Jesień" in menu
    page = client.get(f"/quality/services/{club.id}/paper")
    assert "Ankieta z papieru: Klub Seniora w Burzcu" in text_of(page.text) and 'value="2026-05-15"' in page.text
    bad = auth.post(f"/quality/services/{club.id}/paper", {"answered_on": "2026-05-16", "q1": "3",
                                                             "comment": "Dobrze"})
    assert bad.status_code == 422 and "nie późniejszy niż dziś" in text_of(bad.text) and "Dobrze" in bad.text
    done = auth.post(f"/quality/services/{club.id}/paper", {"answered_on": "12.05.2026", "q1": "3", "q3": "5"})
    assert done.status_code == 303
    stored = db.session.scalar(db.select(SurveyAnswer))
    assert (stored.channel, stored.answered_on) == ("paper", date(2026, 5, 12))


def test_results_page_in_polish_numbers(client, auth, club, answer):
    for scores in ([5, 5, 4, 4], [4, 3, 5, 5], [3, 3, 3, 3]):
        answer(club, scores, comment="Dziękuję." if scores[0] == 5 else None)
    auth.login("director")
    index = text_of(client.get("/quality").text)
    assert "Ankiety satysfakcji: II kwartał 2026" in index
    assert "Klub Seniora w Burzcu 3 3,9 58%" in index
    page = text_of(client.get(f"/quality/services/{club.id}/surveys?period=2026-2").text)
    assert "3 odpowiedzi · średnia ocena 3,9 · oceny 4–5: 58%" in page
    assert "Czy usługa odpowiada na Pana/Pani potrzeby? 3 4,0 67%" in page
    assert "Dziękuję." in page
    earlier = text_of(client.get(f"/quality/services/{club.id}/surveys?period=2026-1").text)
    assert "0 odpowiedzi" in earlier and "nie pokazujemy wyników ani uwag" in earlier and "Dziękuję." not in earlier


def test_slips_pdf_holds_a_qr_code_and_the_code_per_slip(client, auth, club):
    from io import BytesIO

    from pypdf import PdfReader

    auth.login("services_organiser")
    assert "Kartki z kodami: Klub Seniora w Burzcu" in text_of(client.get(f"/quality/services/{club.id}/slips").text)
    bad = auth.post(f"/quality/services/{club.id}/slips", {"count": "500"})
    assert bad.status_code == 422 and "od 1 do 200" in text_of(bad.text) and 'value="500"' in bad.text
    response = auth.post(f"/quality/services/{club.id}/slips", {"count": "3"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages).split())
    assert text.count("Ankieta satysfakcji — Klub Seniora w Burzcu") == 3
    codes = re.findall(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", text)
    assert len(codes) == 3
    assert quality.find_link(db.session, codes[0].replace("-", ""))[1] == quality.LINK_OK
    assert "http://127.0.0.1:5000/ankieta" in text
    # Each slip carries its QR code, drawn as vector paths.
    from portal.quality.views import slips_html

    with client.application.test_request_context():
        html = slips_html(club, ["ABCDEFGHJKMN"])
    assert html.count("<svg") == 1 and "ABCD-EFGH-JKMN" in html


def test_the_organiser_changes_the_questions(client, auth, club):
    auth.login("services_organiser")
    page = client.get(f"/quality/services/{club.id}/questions")
    assert "Czy usługa jest dostępna w dogodnym terminie i miejscu?" in page.text
    bad = auth.post(f"/quality/services/{club.id}/questions", {"questions": "A?\nA?"})
    assert bad.status_code == 422 and "Każde pytanie wpisz tylko raz." in text_of(bad.text)
    saved = auth.post(f"/quality/services/{club.id}/questions",
                      {"questions": "Czy zajęcia są ciekawe?\nCzy sala jest ciepła?"})
    assert saved.status_code == 303
    assert quality.questions_of(db.session, club.id) == ["Czy zajęcia są ciekawe?", "Czy sala jest ciepła?"]


def test_standard_drafted_approved_and_accepted(client, auth, club, today):
    auth.login("services_organiser")
    drafted = auth.post(f"/quality/services/{club.id}/standard/draft", {"text": "Zajęcia co tydzień.\nSala ogrzana."})
    assert drafted.status_code == 303
    standard = db.session.scalar(db.select(StandardVersion))
    page = text_of(client.get(f"/quality/services/{club.id}/standard").text)
    assert "Projekt: wersja 1" in page and "Projekt zatwierdza dyrektor." in page
    auth.logout()
    auth.login("director")
    form = client.get(f"/quality/standards/{standard.id}/approve")
    assert "Zatwierdzenie standardu: Klub Seniora w Burzcu" in text_of(form.text)
    bad = auth.post(f"/quality/standards/{standard.id}/approve", {"order_number": "Zarządzenie Nr 4/2026",
                                                                  "order_date": "", "version": "1"})
    assert bad.status_code == 422 and "Zarządzenie Nr 4/2026" in bad.text
    data = {"order_number": "Zarządzenie Nr 4/2026", "order_date": "2026-05-04", "version": "1"}
    ask = auth.post(f"/quality/standards/{standard.id}/approve", data)
    assert ask.status_code == 200 and "Zatwierdzić standard usługi „Klub Seniora w Burzcu”?" in text_of(ask.text)
    db.session.refresh(standard)
    assert standard.status == "draft"
    done = auth.post(f"/quality/standards/{standard.id}/approve", {**data, "confirmed": "yes"})
    assert done.status_code == 303
    db.session.refresh(standard)
    assert (standard.status, standard.order_number, standard.order_date) == ("approved", "Zarządzenie Nr 4/2026",
                                                                              date(2026, 5, 4))
    page = text_of(client.get(f"/quality/services/{club.id}/standard").text)
    assert "Obowiązuje: wersja 1" in page and "Zarządzenie Nr 4/2026 z dnia 4 maja 2026" in page
    listing = text_of(client.get("/quality/standards").text)
    assert "Standardy przyjęte przez 0 z 1 realizatora (0%)" in listing and "nieprzyjęty" in listing
    accepted = auth.post(f"/quality/standards/{standard.id}/acceptance", {"accepted_on": "2026-05-10"})
    assert accepted.status_code == 303
    listing = text_of(client.get("/quality/standards").text)
    assert "Standardy przyjęte przez 1 z 1 realizatora (100%)" in listing
    page = text_of(client.get(f"/quality/services/{club.id}/standard").text)
    assert "Stowarzyszenie Pogodna Jesień — przyjął 10.05.2026 (zapisał(a): Test director)" in page


def _check_form(provider_id, **fields):
    data = {"provider_id": str(provider_id), "service_id": "", "checked_on": "2026-04-20",
            "inspectors": "Anna Nowak, Piotr Zieliński", "scope": "Dokumentacja zajęć i warunki lokalowe.",
            "findings": "Brak listy obecności za marzec.", "recommendations": "Uzupełnić listy obecności.",
            "follow_up_on": "2026-05-10", "follow_up_done_on": "", "answer": "", "answered_on": ""}
    data.update(fields)
    return data


def test_check_recorded_listed_overdue_and_answered(client, auth, club):
    auth.login("services_organiser")
    assert "Nowa kontrola" in text_of(client.get("/quality/checks/new").text)
    bad = auth.post("/quality/checks/new", _check_form(club.provider_id, scope="", checked_on="2026-05-20"))
    assert bad.status_code == 422 and "Anna Nowak, Piotr Zieliński" in bad.text
    assert "Wpisz zakres kontroli." in text_of(bad.text)
    made = auth.post("/quality/checks/new", _check_form(club.provider_id))
    assert made.status_code == 303
    check = db.session.scalar(db.select(ProviderCheck))
    listing = text_of(client.get("/quality/checks").text)
    assert "20.04.2026" in listing and "Stowarzyszenie Pogodna Jesień" in listing
    assert "po terminie 10.05.2026 (5 dni po terminie)" in listing
    assert "Stowarzyszenie Pogodna Jesień" in text_of(client.get("/quality/checks?state=overdue").text)
    assert "Nie ma kontroli do pokazania." in text_of(client.get("/quality/checks?state=due_soon").text)
    detail = text_of(client.get(f"/quality/checks/{check.id}").text)
    assert "Kontrolujący Anna Nowak, Piotr Zieliński" in detail and "Uzupełnić listy obecności." in detail
    assert "Realizator jeszcze nie odpowiedział." in detail
    answered = auth.post(f"/quality/checks/{check.id}/edit", _check_form(
        club.provider_id, answer="Listy uzupełniono.", answered_on="2026-05-12", follow_up_done_on="2026-05-14",
        version=str(check.version)))
    assert answered.status_code == 303
    detail = text_of(client.get(f"/quality/checks/{check.id}").text)
    assert "Listy uzupełniono." in detail and "sprawdzono 14.05.2026" in detail
    stale = auth.post(f"/quality/checks/{check.id}/edit", _check_form(club.provider_id, scope="Inny zakres",
                                                                     version="1"))
    assert stale.status_code == 409 and "Ktoś inny zmienił tę kontrolę w międzyczasie" in text_of(stale.text)
    assert "Inny zakres" in stale.text


def test_check_views_and_changes_are_audited(client, auth, club):
    from portal.audit.models import AuditEvent

    auth.login("director")
    auth.post("/quality/checks/new", _check_form(club.provider_id))
    check = db.session.scalar(db.select(ProviderCheck))
    client.get(f"/quality/checks/{check.id}")
    actions = db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "provider_check")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["create", "view"]
