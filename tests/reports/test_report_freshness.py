"""Reports kept while nothing they count changes (portal/reports/freshness.py):
the RECORDS data version moves with every write of a counted record, in the
same transaction, and a kept report is read again after it; a long table is
shown a page at a time, its files keep every row."""
import csv
import io
from datetime import date

import pytest
from sqlalchemy import update

from portal.auth.models import Role
from portal.core import versions
from tests.helpers import assert_in, visible_text
from tests.reports.conftest import local


@pytest.fixture
def kept_reports(app):
    """REPORTS_CACHE on, with no table kept from an earlier test (the app
    outlives a test's database)."""
    app.config["REPORTS_CACHE"] = True
    app.extensions.pop("reports_tables", None)
    yield app.extensions
    app.config["REPORTS_CACHE"] = False
    app.extensions.pop("reports_tables", None)


def _records(db):
    return versions.current(db.session, versions.RECORDS)


def test_a_write_of_a_counted_record_moves_the_records_version(app, records, services):
    from portal.catalogue.models import SearchCount
    from portal.extensions import db
    from portal.plans.models import ServiceGrant

    start = _records(db)
    grant = records.grant(services.club, local(2026, 3, 3, 10))  # an ORM add, committed
    after_add = _records(db)
    assert after_add > start
    grant.quantity = 3
    db.session.commit()
    after_change = _records(db)
    assert after_change > after_add
    # An ORM-enabled UPDATE statement moves it too.
    db.session.execute(update(ServiceGrant).where(ServiceGrant.id == grant.id).values(quantity=5))
    db.session.commit()
    assert _records(db) > after_change
    # A rolled-back change leaves it where it was.
    moved = _records(db)
    grant.quantity = 9
    db.session.flush()
    db.session.rollback()
    assert _records(db) == moved
    # The search counters, added to on every public search, do not move it.
    db.session.add(SearchCount(day=date(2026, 3, 3), query="opieka", searches=1, misses=0, results=1))
    db.session.commit()
    assert _records(db) == moved


def test_a_kept_report_is_read_again_after_a_counted_change(client, auth, kept_reports, records, services):
    records.grant(services.club, local(2026, 2, 3, 10))
    auth.login(Role.DIRECTOR)
    first = visible_text(client.get("/reports/quarterly?year=2026").text)
    assert_in(first, "Przyznane usługi 1 0 0 0 1")
    again = visible_text(client.get("/reports/quarterly?year=2026").text)
    assert_in(again, "Przyznane usługi 1 0 0 0 1")
    records.grant(services.care, local(2026, 8, 3, 10))
    records.plan([(local(2026, 11, 4, 10), [services.care])])
    fresh = visible_text(client.get("/reports/quarterly?year=2026").text)
    assert_in(fresh, "Przyznane usługi 1 0 1 1 3", "Zawarte IPUS 0 0 0 1 1")


def test_the_catalogue_use_report_is_never_kept(client, auth, kept_reports, records):
    from portal.catalogue.models import SearchCount
    from portal.extensions import db

    auth.login(Role.DIRECTOR)
    before = visible_text(client.get("/reports/catalogue-use?year=2026").text)
    assert "niania" not in before
    db.session.add(SearchCount(day=date(2026, 3, 3), query="niania", searches=4, misses=4, results=0))
    db.session.commit()
    assert "niania" in visible_text(client.get("/reports/catalogue-use?year=2026").text)


def test_a_long_table_is_shown_a_page_at_a_time_and_its_files_keep_every_row(client, auth, app, records,
                                                                            make_service):
    from portal.reports.exports import PAGE_ROWS

    many = [make_service(f"Usługa próbna {number:03d}") for number in range(PAGE_ROWS + 5)]
    for service in many:
        records.grant(service, local(2026, 4, 2, 10))
    auth.login(Role.DIRECTOR)
    first = visible_text(client.get("/reports/services?year=2026").text)
    assert_in(first, f"wiersze 1–{PAGE_ROWS} z {PAGE_ROWS + 5}", "Usługa próbna 000", "Strona 1 z 2",
              f"Tabela ma {PAGE_ROWS + 5} wierszy; strona pokazuje po {PAGE_ROWS}")
    assert "Usługa próbna 104" not in first
    second = visible_text(client.get("/reports/services?year=2026&page=2").text)
    assert_in(second, f"wiersze {PAGE_ROWS + 1}–{PAGE_ROWS + 5} z {PAGE_ROWS + 5}", "Usługa próbna 104",
              "Strona 2 z 2")
    assert "Usługa próbna 000" not in second
    lines = list(csv.reader(io.StringIO(client.get("/reports/services.csv?year=2026").data.decode()), delimiter=";"))
    assert len([line for line in lines if line and line[0].startswith("Usługa próbna")]) == PAGE_ROWS + 5


def test_a_kept_report_is_exported_once_while_it_stands(client, auth, kept_reports, records, services):
    """The files of a kept table are made once (Table.files) and served again
    while nothing changed; a change makes a new table and new files."""
    records.grant(services.club, local(2026, 2, 3, 10))
    auth.login(Role.DIRECTOR)
    first = client.get("/reports/quarterly.csv?year=2026").data
    kept = [table for table in kept_reports["reports_tables"].values() if table.key == "kwartalny"]
    assert len(kept) == 1 and kept[0].files["csv"] == first
    assert client.get("/reports/quarterly.csv?year=2026").data == first
    records.grant(services.care, local(2026, 8, 3, 10))
    fresh = client.get("/reports/quarterly.csv?year=2026").data.decode()
    assert fresh.splitlines()[1] == "Przyznane usługi;1;0;1;0;2"
