"""The contracts' pages as the services organiser and the director read
them: the list (filters, plural counts, amounts in Polish), a contract with
delivered against contracted, the form (422 with the input kept, 409 on a
stale page, a resend harmless), amendments, termination in two steps, the
signed scan, the start page's notices and the providers report's value."""
import csv
import io
import re
from datetime import date

from pypdf import PdfWriter
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.contracts.models import Contract
from portal.extensions import db
from tests.helpers import assert_in, visible_text


def _two_competitions(world):
    """Wojcieszków's open competitions: 7 services to 2 NGOs for 2 021 928,40 zł, and a
    small art. 19a task ending within 60 days (today is 15 October 2026)."""
    first = world.contract(world.srgw, [(world.club, 208, "786240.00"), (world.centre, 480, "360280.00")])
    second = world.contract(world.coop, [(world.care, 6000)], number="CUS.526.2.2026", amount="875408.40")
    small = world.contract(world.company, [(world.transport, 40)], number="CUS.526.7.2026", mode="simplified",
                           starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 20), amount="9600.00")
    return first, second, small


def _form(world, **fields):
    data = {"number": "CUS.526.3.2026", "provider_id": str(world.srgw.id), "mode": "open_competition",
            "reference": "Otwarty konkurs ofert nr 3/2026", "reference_date": "2026-02-01",
            "starts_on": "2026-03-01", "ends_on": "2026-12-31", "amount": "120 000,50",
            "lines-0-service_id": str(world.club.id), "lines-0-volume": "96",
            "lines-1-service_id": str(world.centre.id), "lines-1-volume": "1,5", "lines-1-amount": "20 000,50",
            "lines-2-service_id": "", "lines-2-volume": ""}
    data.update(fields)
    return data


def test_the_list_with_amounts_plurals_states_and_alerts(client, auth, world):
    _two_competitions(world)
    world.rows.session(world.club, date(2026, 3, 3))
    auth.login("services_organiser")
    page = visible_text(client.get("/contracts").text)
    assert_in(page, "Umowy z realizatorami", "3 umowy — łącznie 2 031 528,40 zł",
              "CUS.526.1.2026 Stowarzyszenie Rozwoju Gminy Wojcieszków Otwarty konkurs ofert (ustawa o działalności "
              "pożytku publicznego) 01.01.2026–31.12.2027 1 146 520,00 zł 2 usługi obowiązuje",
              "CUS.526.2.2026 Spółdzielnia Socjalna „Wojcieszkowianka” Otwarty konkurs ofert (ustawa o działalności "
              "pożytku publicznego) 01.01.2026–31.12.2027 875 408,40 zł 1 usługa obowiązuje",
              "CUS.526.7.2026 Opieka Sp. z o.o. Tryb uproszczony (art. 19a) 01.09.2026–20.11.2026 9 600,00 zł "
              "1 usługa kończy się w ciągu 60 dni Umowa kończy się za 36 dni (20.11.2026).")
    ending = visible_text(client.get("/contracts?state=ending").text)
    assert "1 umowa — łącznie 9 600,00 zł" in ending and "CUS.526.1.2026" not in ending
    competitions = visible_text(client.get("/contracts?mode=open_competition").text)
    assert "2 umowy — łącznie 2 021 928,40 zł" in competitions
    coop = visible_text(client.get(f"/contracts?provider={world.coop.id}").text)
    assert "1 umowa — łącznie 875 408,40 zł" in coop
    assert "0 umów" in visible_text(client.get("/contracts?state=ended").text)
    assert "Nie ma umów do pokazania." in visible_text(client.get("/contracts?state=upcoming").text)
    # Junk in the filters is ignored, never a 500.
    assert client.get("/contracts?provider=<x>&mode=9&state=zzz").status_code == 200


def test_a_contract_delivered_against_contracted(client, auth, world):
    first, _second, _small = _two_competitions(world)
    for day in (3, 10, 17, 24):
        world.rows.session(world.club, date(2026, 3, day))
    auth.login("director")
    page = visible_text(client.get(f"/contracts/{first.id}").text)
    assert_in(page, "Umowa CUS.526.1.2026", "obowiązuje",
              "Realizator Stowarzyszenie Rozwoju Gminy Wojcieszków (Stowarzyszenie)",
              "Ogłoszenie lub udzielenie Otwarty konkurs ofert nr 1/2026, 14.11.2025",
              "Okres 01.01.2026–31.12.2027", "Kwota 1 146 520,00 zł", "Aneksy 0 aneksów",
              "Klub Seniora w Bęczkowie 208 spotkań 4 spotkania 204 spotkania 1,9% 786 240,00 zł 15 120,00 zł",
              "Świetlica socjoterapeutyczna 480 dni 0 dni 480 dni 0% 360 280,00 zł 0,00 zł",
              "Wartość zrealizowanych usług: 15 120,00 zł z 1 146 520,00 zł (1,3%).", "Umowa nie ma aneksów.",
              "Skan umowy nie został jeszcze dołączony.")
    assert "Uwaga" not in page


def test_a_new_contract_through_the_form(client, auth, world):
    auth.login("services_organiser")
    form = client.get("/contracts/new").text
    assert_in(visible_text(form), "Nowa umowa", "Numer umowy", "Tryb zlecenia", "Tryb uproszczony (art. 19a)",
              "Zlecenie spółdzielni socjalnej", "Zadanie własne CUS", "Kwota umowy (zł)", "Usługi umowy",
              "Klub Seniora w Bęczkowie (Stowarzyszenie Rozwoju Gminy Wojcieszków)")
    key = re.search(r'name="submission" type="hidden" value="([^"]+)"', form).group(1)
    response = auth.post("/contracts/new", _form(world, submission=key))
    assert response.status_code == 303
    page = visible_text(client.get(response.headers["Location"]).text)
    assert_in(page, "Zapisano umowę.", "Umowa CUS.526.3.2026", "Kwota 120 000,50 zł",
              "Klub Seniora w Bęczkowie 96 spotkań 0 spotkań 96 spotkań 0% — —",
              "Świetlica socjoterapeutyczna 1,5 dnia 0 dni 1,5 dnia 0% 20 000,50 zł 0,00 zł")
    # The same form sent again makes nothing new.
    again = auth.post("/contracts/new", _form(world, submission=key))
    assert again.status_code == 303
    assert db.session.scalar(select(func.count(Contract.id))) == 1


def test_bad_input_answers_422_and_keeps_what_was_typed(client, auth, world):
    auth.login("services_organiser")
    bad = auth.post("/contracts/new", _form(world, amount="dużo", ends_on="2026-02-01"))
    assert bad.status_code == 422
    text = visible_text(bad.text)
    assert_in(text, "Popraw zaznaczone pola", "Podaj kwotę w złotych, np. 12,50.")
    assert 'value="dużo"' in bad.text and 'value="CUS.526.3.2026"' in bad.text
    # A service of another provider: the message at the services, the rows kept.
    wrong = auth.post("/contracts/new", _form(world, **{"lines-1-service_id": str(world.care.id)}))
    assert wrong.status_code == 422
    assert "Usługa „Pakiet Opieka Plus” nie jest usługą tego realizatora." in visible_text(wrong.text)
    assert f'<option selected value="{world.care.id}">' in wrong.text and 'value="1,5"' in wrong.text
    simplified = auth.post("/contracts/new", _form(world, mode="simplified"))
    assert simplified.status_code == 422
    assert "W trybie uproszczonym (art. 19a) kwota może wynosić najwyżej 10 000,00 zł." in visible_text(simplified.text)
    junk = auth.post("/contracts/new", _form(world, **{"lines-0-volume": "sto"}))
    assert junk.status_code == 422 and 'value="sto"' in junk.text
    assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_a_stale_edit_shows_the_conflict_screen(client, auth, world):
    first, _second, _small = _two_competitions(world)
    auth.login("services_organiser")
    page = client.get(f"/contracts/{first.id}/edit")
    assert 'value="1146520,00"' in page.text and 'name="version" type="hidden" value="1"' in page.text
    # The director saves first.
    from portal.contracts import services as contracts

    data = contracts.contract_data(first)
    contracts.update(db.session, first, {**data, "amount": data["amount"] + 1000}, actor=world.organiser,
                     expected_version=1)
    db.session.commit()
    stale = auth.post(f"/contracts/{first.id}/edit", _form(world, number="CUS.526.1.2026", version="1",
                                                          amount="1 100 000,00"))
    assert stale.status_code == 409
    text = visible_text(stale.text)
    assert_in(text, "Ktoś inny zmienił tę umowę w międzyczasie", "Kwota umowy (zł) 1 147 520,00 zł 1 100 000,00 zł")
    assert 'value="1 100 000,00"' in stale.text and 'name="version" type="hidden" value="2"' in stale.text
    # Saving again overwrites knowingly; the director may edit too.
    auth.logout()
    auth.login("director")
    saved = auth.post(f"/contracts/{first.id}/edit", _form(world, number="CUS.526.1.2026", version="2",
                                                          amount="1 100 000,00"))
    assert saved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Contract, first.id).amount == 1100000


def test_an_amendment_through_its_form(client, auth, world):
    first, _second, _small = _two_competitions(world)
    auth.login("services_organiser")
    form = visible_text(client.get(f"/contracts/{first.id}/amendments/new").text)
    assert_in(form, "Aneks do umowy CUS.526.1.2026", "Obecny koniec umowy 31.12.2027",
              "Obecna kwota 1 146 520,00 zł", "Klub Seniora w Bęczkowie 208 spotkań",
              "Nowy wolumen: Klub Seniora w Bęczkowie (spotkanie)")
    empty = auth.post(f"/contracts/{first.id}/amendments/new", {"signed_on": "2026-06-30", "version": "1"})
    assert empty.status_code == 422
    assert "Aneks musi zmieniać koniec umowy, kwotę albo wolumen co najmniej jednej usługi." in visible_text(
        empty.text)
    junk = auth.post(f"/contracts/{first.id}/amendments/new", {"signed_on": "2026-06-30", "version": "1",
                                                                f"volume_{world.club.id}": "dużo"})
    assert junk.status_code == 422 and 'value="dużo"' in junk.text
    done = auth.post(f"/contracts/{first.id}/amendments/new", {
        "signed_on": "2026-06-30", "ends_on": "2028-06-30", "amount": "1 300 000,00", "version": "1",
        f"volume_{world.club.id}": "260", "note": "Przedłużenie o pół roku"})
    assert done.status_code == 303
    page = visible_text(client.get(done.headers["Location"]).text)
    assert_in(page, "Zapisano aneks.", "Okres 01.01.2026–30.06.2028 (pierwotnie do 31.12.2027)",
              "Kwota 1 300 000,00 zł (pierwotnie 1 146 520,00 zł)", "Aneksy 1 aneks",
              "Aneks nr 1 z 30.06.2026 koniec umowy: 30.06.2028 kwota: 1 300 000,00 zł "
              "wolumen usługi „Klub Seniora w Bęczkowie”: 260 spotkań Przedłużenie o pół roku",
              "Klub Seniora w Bęczkowie 260 spotkań")
    stale = auth.post(f"/contracts/{first.id}/amendments/new", {"signed_on": "2026-07-01", "amount": "1,00",
                                                                 "version": "1"})
    assert stale.status_code == 409
    assert "Aneks nie został zapisany: w międzyczasie zmieniono umowę." in visible_text(stale.text)
    assert 'value="1,00"' in stale.text


def test_terminating_asks_first(client, auth, world):
    first, _second, _small = _two_competitions(world)
    auth.login("services_organiser")
    ask = auth.post(f"/contracts/{first.id}/terminate", {"version": "1"})
    assert ask.status_code == 200
    assert_in(visible_text(ask.text), "Rozwiązać umowę?", "Rozwiązanej umowy nie można przywrócić",
              "Dzień rozwiązania umowy", "Rozwiąż umowę")
    assert db.session.get(Contract, first.id).status == "active"
    missing = auth.post(f"/contracts/{first.id}/terminate", {"version": "1", "confirmed": "yes",
                                                             "terminated_on": "2026-10-31", "reason": ""})
    assert missing.status_code == 422 and "Podaj powód rozwiązania umowy." in visible_text(missing.text)
    done = auth.post(f"/contracts/{first.id}/terminate", {"version": "1", "confirmed": "yes",
                                                          "terminated_on": "2026-10-31",
                                                          "reason": "Porozumienie stron"})
    assert done.status_code == 303
    page = visible_text(client.get(done.headers["Location"]).text)
    assert_in(page, "Umowa jest rozwiązana.", "rozwiązana", "Rozwiązana 31.10.2026 — Porozumienie stron",
              "Okres 01.01.2026–31.10.2026")
    assert "Dodaj aneks" not in page
    assert client.get(f"/contracts/{first.id}/edit").status_code == 403
    # A second press on a stale page: nothing to do, said so.
    again = auth.post(f"/contracts/{first.id}/terminate", {"version": "1", "confirmed": "yes",
                                                           "terminated_on": "2026-10-31", "reason": "x"})
    assert again.status_code == 409


def _pdf():
    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_the_signed_scan(app, client, auth, world, tmp_path):
    app.config["CONTRACT_SCAN_DIR"] = str(tmp_path / "contracts")
    first, _second, _small = _two_competitions(world)
    auth.login("services_organiser")
    refused = auth.post(f"/contracts/{first.id}/scan", {"version": "1", "scan": (io.BytesIO(b"junk"), "umowa.pdf")},
                        content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "To nie jest skan: dołącz plik PDF albo zdjęcie (JPEG, PNG, TIFF)." in visible_text(refused.text)
    added = auth.post(f"/contracts/{first.id}/scan", {"version": "1", "scan": (io.BytesIO(_pdf()), "umowa.pdf")},
                      content_type="multipart/form-data")
    assert added.status_code == 303
    assert "Dołączono skan podpisanej umowy." in visible_text(client.get(added.headers["Location"]).text)
    download = client.get(f"/contracts/{first.id}/scan")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")
    assert download.headers["Content-Disposition"].endswith(f"umowa-{first.id}.pdf")
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "contract")).all()
    assert "contract_scan_attached" in actions and "contract_scan_opened" in actions
    stale = auth.post(f"/contracts/{first.id}/scan", {"version": "1", "scan": (io.BytesIO(_pdf()), "umowa.pdf")},
                      content_type="multipart/form-data")
    assert stale.status_code == 409


def test_the_start_page_reminds_the_organiser(client, auth, world):
    _first, _second, small = _two_competitions(world)
    for day in range(1, 20):  # 38 of 40 trips: 95%
        world.rows.entry(world.transport, world.rows.person(), date(2026, 9, day), "2")
    auth.login("services_organiser")
    page = visible_text(client.get("/staff").text)
    assert_in(page, "Przypomnienia", "1 umowa kończy się w ciągu 60 dni.",
              "1 umowa ma wolumen usługi wykorzystany w co najmniej 90%.")
    listed = visible_text(client.get("/contracts?state=used").text)
    assert_in(listed, "1 umowa — łącznie 9 600,00 zł",
              "Wolumen usługi „Transport door-to-door” wykorzystany w 95%.")
    auth.logout()
    auth.login("director")
    assert "umowa kończy się" not in visible_text(client.get("/staff").text)


def test_the_providers_report_shows_the_contract_value(client, auth, world):
    _two_competitions(world)
    auth.login("director")
    page = visible_text(client.get("/reports/providers?year=2026&half=2").text)
    # NGOs 2 021 928,40 zł of 2 031 528,40 zł: 99,5%.
    assert_in(page, "Wartość umów z realizatorami (zł) 2 021 928 9 600 2 031 528 99,5 30,0",
              "NGO i PES 2 021 928,40 zł z 2 031 528,40 zł.")
    # The exports follow the table.
    lines = list(csv.reader(io.StringIO(client.get("/reports/providers.csv?year=2026&half=2").data.decode("utf-8")),
                            delimiter=";"))
    assert ["Wartość umów z realizatorami (zł)", "2021928", "9600", "2031528", "99,5", "30,0"] in lines
