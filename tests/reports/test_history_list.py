"""The list of history imports and the withdrawal of an import (issue 14 §4):
what the organiser and the director read, the confirming step, the rows
deleted with the import kept as withdrawn, the audit trail, who may do what."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from tests.helpers import assert_in, visible_text

FIXED = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)  # 13:00 in Warsaw


@pytest.fixture(autouse=True)
def frozen(app):
    app.config["FIXED_NOW"] = FIXED


def preview(rows):
    from portal.manage.importer import Preview, RowResult

    checked = Preview(kind="csv")
    for number, data in enumerate(rows, 2):
        checked.rows.append(RowResult(number=number, values={}, data=data))
    return checked


def service_row(case_ref, day=date(2021, 3, 15), **fields):
    return {"kind": "service", "day": day, "service_id": None, "service_name": "Klub Seniora",
            "case_ref": case_ref, "quantity": None, **fields}


def plan_row(case_ref, day=date(2021, 3, 20)):
    return {"kind": "plan", "day": day, "service_id": None, "service_name": None, "case_ref": case_ref,
            "quantity": None}


@pytest.fixture
def imported(app, auth):
    """Two imports by the organiser: one with three services and two plans, one with a single plan."""
    from portal.extensions import db
    from portal.reports import history_import as history

    organiser = auth.user(Role.SERVICES_ORGANISER)
    first = history.run_import(db.session, preview([service_row("A/1"), service_row("A/2"), service_row("A/1"),
                                                    plan_row("A/1"), plan_row("A/2")]),
                               actor=organiser, filename="rejestr-2020.csv")
    second = history.run_import(db.session, preview([plan_row("B/1")]), actor=organiser, filename="ipus-2019.xlsx")
    db.session.commit()
    return first.id, second.id


def rows_of(import_id):
    from portal.extensions import db
    from portal.reports.history import HistoryRow

    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(HistoryRow).where(HistoryRow.import_id == import_id))


def withdraw(auth, import_id, **extra):
    return auth.post(f"/reports/history/{import_id}/withdraw", extra)


def test_the_organiser_reads_the_list_and_can_import_and_withdraw(auth, imported):
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/reports/history")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert_in(text, "Historia sprzed portalu", "Raporty liczą je tak samo jak dane zapisane w portalu.",
              "Importuj historię z pliku",
              "Importy historii Plik Zaimportował(a) Kiedy Wiersze Stan Działania",
              "rejestr-2020.csv Test services_organiser 05.12.2026 13:00 3 usługi, 2 plany (IPUS) "
              "liczy się w raportach Wycofaj import : rejestr-2020.csv",
              "ipus-2019.xlsx Test services_organiser 05.12.2026 13:00 0 usług, 1 plan (IPUS)")
    assert text.index("ipus-2019.xlsx") < text.index("rejestr-2020.csv")  # newest first


def test_the_director_reads_the_list_without_actions(auth, imported):
    auth.login(Role.DIRECTOR)
    page = auth.client.get("/reports/history")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert_in(text, "rejestr-2020.csv", "3 usługi, 2 plany (IPUS)")
    assert "Importuj historię z pliku" not in text and "Wycofaj" not in text and "Działania" not in text


def test_an_empty_list_says_so(auth):
    auth.login(Role.SERVICES_ORGANISER)
    text = visible_text(auth.client.get("/reports/history").text)
    assert "Nie zaimportowano jeszcze żadnej historii." in text


def test_withdrawal_asks_first_then_deletes_the_rows_and_keeps_the_import(auth, imported):
    from portal.audit.models import AuditEvent
    from portal.extensions import db
    from portal.reports.history import HistoryImport

    first, second = imported
    organiser = auth.login(Role.SERVICES_ORGANISER)
    asked = withdraw(auth, first)
    assert asked.status_code == 200
    assert_in(visible_text(asked.text), "Wycofać import „rejestr-2020.csv”?",
              "Wiersze tego importu zostaną usunięte i przestaną się liczyć w raportach.",
              "Plik rejestr-2020.csv", "Zaimportował(a) Test services_organiser", "Kiedy 05.12.2026 13:00",
              "Wiersze 5", "Wycofaj import", "Anuluj")
    assert rows_of(first) == 5  # nothing changed by the first step

    app_time = datetime(2026, 12, 5, 12, 20, tzinfo=timezone.utc)
    from flask import current_app

    current_app.config["FIXED_NOW"] = app_time
    done = withdraw(auth, first, confirmed="yes")
    assert done.status_code == 303 and done.headers["Location"].endswith("/reports/history")
    assert rows_of(first) == 0 and rows_of(second) == 1
    item = db.session.get(HistoryImport, first)
    assert item.withdrawn_by_id == organiser.id and item.row_count == 5
    assert item.withdrawn_at.replace(tzinfo=timezone.utc) == app_time
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "history_import",
                                                         AuditEvent.object_id == first)
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [("import", organiser.id), ("withdraw", organiser.id)]

    text = visible_text(auth.client.get("/reports/history").text)
    assert_in(text, "Import wycofany: jego wiersze nie liczą się już w raportach.",
              "rejestr-2020.csv Test services_organiser 05.12.2026 13:00 5 wierszy wycofany 05.12.2026 13:20, "
              "wycofał(a) Test services_organiser")
    assert "Wycofaj import : rejestr-2020.csv" not in text
    assert "Wycofaj import : ipus-2019.xlsx" in text


def test_withdrawing_twice_changes_nothing_more(auth, imported):
    from portal.audit.models import AuditEvent
    from portal.extensions import db

    first, _second = imported
    auth.login(Role.SERVICES_ORGANISER)
    assert withdraw(auth, first, confirmed="yes").status_code == 303
    again = withdraw(auth, first, confirmed="yes")
    assert again.status_code == 303
    assert "Ta zmiana jest już zapisana" in visible_text(auth.client.get("/reports/history").text)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "withdraw")) == 1


def test_withdrawing_a_missing_import_is_404(auth):
    auth.login(Role.SERVICES_ORGANISER)
    assert withdraw(auth, 999, confirmed="yes").status_code == 404


def test_withdraw_service_refuses_a_second_withdrawal(app, auth, imported):
    from portal.extensions import db
    from portal.reports import history_import as history
    from portal.reports.history import HistoryImport

    first, _second = imported
    organiser = auth.user(Role.SERVICES_ORGANISER)
    item = db.session.get(HistoryImport, first)
    assert history.withdraw(db.session, item, actor=organiser) is True
    assert history.withdraw(db.session, item, actor=organiser) is False
    db.session.commit()
    assert rows_of(first) == 0


ROUTES = [("GET", "/reports/history"), ("GET", "/reports/history/import"), ("POST", "/reports/history/import"),
          ("POST", "/reports/history/import/confirm"), ("POST", "/reports/history/{id}/withdraw")]
ALLOWED = {
    Role.SERVICES_ORGANISER: {"/reports/history", "/reports/history/import", "/reports/history/import/confirm",
                              "/reports/history/{id}/withdraw"},
    Role.DIRECTOR: {"/reports/history"},
}


@pytest.mark.parametrize("role", Role.ALL)
def test_who_may_do_what(auth, imported, role):
    first, _second = imported
    auth.login(role)
    allowed = ALLOWED.get(role, set())
    for method, route in ROUTES:
        url = route.format(id=first)
        if route in allowed:
            continue  # what the allowed roles get is tested above
        response = auth.client.get(url) if method == "GET" else withdraw_or_post(auth, url)
        assert response.status_code == 403, (role, method, route, response.status_code)
    assert rows_of(first) == 5


def withdraw_or_post(auth, url):
    return auth.post(url, {"confirmed": "yes", "token": "x" * 43})

