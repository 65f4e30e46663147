"""Every public search counted per kept text and day, without personal data
(portal/catalogue/statistics.py): counted in the process, written in
batches, one search per person typing; the organiser's page, and a miss made
a synonym in one step. The clock is the portal's (FIXED_NOW): no waiting."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from portal.auth.models import Role
from tests.helpers import assert_in, visible_text
from tests.helpers import letters as _letters

# 10:00 in Warsaw.
MOMENT = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
TODAY = MOMENT.date()
REVIEWERS_QUERY = "Jan Kowalski 44051401359 depresja"


@pytest.fixture
def clock(app):
    """Sets the portal's clock: clock(seconds=…) moves it on from MOMENT."""
    def set_to(**later):
        app.config["FIXED_NOW"] = MOMENT + timedelta(**later)
    set_to()
    return set_to


def _search(client, query, address="192.0.2.1", **args):
    response = client.get("/services", query_string={"q": query, **args}, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200
    return response


def _written():
    """(day, text, searches, misses, results, handled) of every row, as the database has them now."""
    from portal.catalogue.models import SearchCount
    from portal.extensions import db

    db.session.expire_all()
    return [(r.day, r.query, r.searches, r.misses, r.results, r.handled)
            for r in db.session.scalars(select(SearchCount).order_by(SearchCount.day, SearchCount.query))]


def _flush():
    from portal.catalogue import statistics
    from portal.extensions import db
    from portal.timeutil import now

    statistics.flush(db.session, moment=now(), everything=True)
    db.session.commit()


def _rows(*rows):
    """Rows as a write leaves them: (days back, text, searches, misses, results)."""
    from portal.catalogue.models import SearchCount
    from portal.extensions import db

    for days, query, searches, misses, results in rows:
        db.session.add(SearchCount(day=TODAY - timedelta(days=days), query=query, searches=searches,
                                   misses=misses, results=results,
                                   last_at=MOMENT - timedelta(days=days, minutes=len(query))))
    db.session.commit()


# --- counting ------------------------------------------------------------------------

def test_every_search_is_counted_with_its_results_and_misses(client, clock, make_service):
    make_service("Klub Seniora")
    make_service("Klub Sportowy")
    _search(client, "klub", "192.0.2.1")
    _search(client, "Klub", "192.0.2.2")
    _search(client, "hipoterapia", "192.0.2.3")
    _search(client, "", "192.0.2.4")  # browsing the whole catalogue is no search
    _search(client, "klub", "192.0.2.5", page="2")
    _flush()
    assert _written() == [(TODAY, "hipoterapia", 1, 1, 0, False), (TODAY, "klub", 3, 0, 2, False)]


def test_a_search_matching_only_part_of_its_words_counts_as_a_miss(client, clock, make_service, auth):
    """Issue 12: partial results still count as misses for the organiser,
    and the page says what a miss is."""
    make_service("Klub Seniora")
    _search(client, "klub szachowy", "192.0.2.1")
    _flush()
    assert _written() == [(TODAY, "klub szachowy", 1, 1, 1, False)]
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/manage/search-statistics").text
    assert_in(visible_text(page), "klub szachowy 1 1 1 usługa")
    assert "klub szachowy" in visible_text(page[page.index('id="misses"'):])


def test_the_results_are_the_latest_searchs(client, clock, make_service):
    make_service("Klub Seniora")
    _search(client, "klub", "192.0.2.1")
    _flush()
    make_service("Klub Sportowy")
    clock(minutes=5)
    _search(client, "klub", "192.0.2.2")
    _flush()
    assert _written() == [(TODAY, "klub", 2, 0, 2, False)]


def test_typing_and_refining_count_as_one_search(client, clock, make_service):
    make_service("Rehabilitacja ruchowa")
    for query in ("reh", "rehab", "rehabilitacja", "rehabilitacja"):  # typing, then the same again (a filter)
        _search(client, query, "192.0.2.1")
    _search(client, "rehabilitacja", "192.0.2.1", free="1")
    _search(client, "rehabilitacja", "192.0.2.2")  # someone else
    clock(seconds=30)
    _search(client, "rehabilitacja", "192.0.2.1")  # the first person again, later
    for query in ("opieka domowa", "opieka", "opieka nocna"):  # deleting a word and typing another
        _search(client, query, "192.0.2.3")
    _flush()
    assert [(row[1], row[2]) for row in _written()] == [("opieka nocna", 1), ("rehabilitacja", 3)]


def test_nothing_is_written_until_fifty_searches_wait(client, clock):
    from portal.catalogue.statistics import FLUSH_EVERY

    assert FLUSH_EVERY == 50
    # One person's 50 different searches: each settles the one before it.
    for number in range(50):
        _search(client, f"zajecia {_letters(number)}")
    assert _written() == []
    _search(client, f"zajecia {_letters(50)}")  # the 50th is done: fifty wait, one batch
    assert len(_written()) == 50
    assert f"zajecia {_letters(50)}" not in [row[1] for row in _written()]  # may still be typed on


def test_a_minute_after_the_last_write_the_next_search_writes(client, clock):
    _search(client, "hipoterapia", "192.0.2.1")
    clock(seconds=59)
    _search(client, "sauna", "192.0.2.2")
    assert _written() == []
    clock(seconds=61)
    _search(client, "basen", "192.0.2.3")
    assert [row[1] for row in _written()] == ["hipoterapia"]  # the other two may still be typed on
    _flush()
    assert [row[1] for row in _written()] == ["basen", "hipoterapia", "sauna"]


def test_the_organisers_page_writes_what_waits(client, auth, clock):
    _search(client, "hipoterapia", "192.0.2.1")
    assert _written() == []
    auth.login(Role.SERVICES_ORGANISER)
    page = visible_text(auth.client.get("/manage/search-statistics").text)
    assert "hipoterapia" in page
    assert [row[1] for row in _written()] == ["hipoterapia"]


def test_two_processes_add_up(app, clock):
    from portal.catalogue.statistics import SearchCounter
    from portal.extensions import db

    workers = [SearchCounter(), SearchCounter()]
    for number, worker in enumerate(workers):
        worker.count("basen", miss=True, results=0, client=f"192.0.2.{number}", moment=MOMENT,
                     may_add=lambda client: True)
    for worker in workers:
        worker.flush(db.session, moment=MOMENT, everything=True)
        db.session.commit()
    assert _written() == [(TODAY, "basen", 2, 2, 0, False)]


def test_expiry_runs_with_the_first_batch_and_then_every_ten_minutes(app, clock):
    from portal.catalogue.statistics import BOUND_SECONDS, SearchCounter
    from portal.extensions import db

    assert BOUND_SECONDS == 600
    worker = SearchCounter()

    def batch(query, minutes):
        moment = MOMENT + timedelta(minutes=minutes)
        worker.count(query, miss=True, results=0, client="192.0.2.1", moment=moment, may_add=lambda client: True)
        worker.flush(db.session, moment=moment, everything=True)
        db.session.commit()

    _rows((366, "karate", 1, 1, 0))
    batch("basen", 0)
    assert [row[1] for row in _written()] == ["basen"]
    _rows((366, "zumba", 1, 1, 0))
    batch("sauna", 9)
    assert [row[1] for row in _written()] == ["zumba", "basen", "sauna"]  # expired, not yet deleted
    batch("kajaki", 10)
    assert [row[1] for row in _written()] == ["basen", "kajaki", "sauna"]


def test_the_counter_holds_only_what_may_be_kept(client, clock, app):
    from portal.catalogue import statistics
    from portal.extensions import db

    _search(client, REVIEWERS_QUERY, "192.0.2.1")
    _search(client, "anna.nowak@example.com 600-100-200", "192.0.2.2")
    held = repr(statistics.counter(db.session).open)
    assert "depresja" in held
    for personal in ("jan", "kowalski", "44051401359", "anna", "nowak", "600"):
        assert personal not in held.replace("192.0.2", "")


def test_a_name_registered_before_the_write_is_dropped(client, clock):
    from portal.extensions import db
    from portal.residents.models import Resident

    _search(client, "Brzęczyszczykiewicz hipoterapia")
    db.session.add(Resident(first_name="Bożydar", last_name="Brzęczyszczykiewicz",
                            search_first="bozydar", search_last="brzeczyszczykiewicz"))
    db.session.commit()
    _flush()
    assert [row[1] for row in _written()] == ["hipoterapia"]


def test_a_handled_miss_comes_back_only_when_it_misses_again(client, clock, make_service):
    from portal.catalogue.services import mark_handled
    from portal.extensions import db

    _rows((0, "odpoczynek", 2, 2, 0), (0, "wytchnienie", 1, 1, 0))
    for query in ("odpoczynek", "wytchnienie"):
        mark_handled(db.session, query)
    db.session.commit()
    make_service("Usługa wytchnieniowa")
    _search(client, "wytchnienie", "192.0.2.1")  # found now: stays handled
    _search(client, "odpoczynek", "192.0.2.2")  # still nothing: back on the list
    _flush()
    assert _written() == [(TODAY, "odpoczynek", 3, 3, 0, False), (TODAY, "wytchnienie", 2, 1, 1, True)]


# --- the organiser's page ----------------------------------------------------------------

def test_the_statistics_page_shows_counts_for_the_period(auth, clock):
    _rows((0, "basen", 5, 5, 0), (3, "klub seniora", 3, 0, 2), (40, "sauna", 7, 7, 0), (40, "klub seniora", 1, 0, 1))
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/manage/search-statistics").text
    shown = visible_text(page)
    assert_in(shown, "Statystyki wyszukiwania", "Ostatnie 30 dni", "Ostatnie 12 miesięcy",
              "8 wyszukiwań, w tym nietrafione: 5; 2 różne zapytania.",
              "Najczęściej wyszukiwane", "basen 5 5 0 usług", "klub seniora 3 0 2 usługi",
              "Wyszukiwania nietrafione",
              "Bez wyników albo tylko z usługami pasującymi do części słów.", "basen 5 10.03.2026 09:55")
    assert "sauna" not in shown
    top = visible_text(page[page.index('id="top"'):page.index('id="misses"')])
    assert top.index("basen") < top.index("klub seniora")
    assert "klub seniora" not in visible_text(page[page.index('id="misses"'):])

    year = visible_text(auth.client.get("/manage/search-statistics?period=12m").text)
    assert_in(year, "16 wyszukiwań, w tym nietrafione: 12; 3 różne zapytania.", "sauna 7 7 0 usług",
              "klub seniora 4 0 2 usługi")
    assert year.index("sauna 7") < year.index("basen 5")


def test_an_empty_period_says_so(auth, clock):
    auth.login(Role.ADMIN)
    shown = visible_text(auth.client.get("/manage/search-statistics?period=nonsense").text)
    assert_in(shown, "0 wyszukiwań, w tym nietrafione: 0; 0 różnych zapytań.",
              "W tym okresie nikt niczego nie szukał.", "Wszystkie wyszukiwania w tym okresie coś znalazły.")


def test_one_search_reads_in_the_singular(auth, clock):
    _rows((0, "basen", 1, 0, 1))
    auth.login(Role.SERVICES_ORGANISER)
    shown = visible_text(auth.client.get("/manage/search-statistics").text)
    assert_in(shown, "1 wyszukiwanie, w tym nietrafione: 0; 1 różne zapytanie.", "basen 1 0 1 usługa")


def test_the_start_page_counts_the_misses_waiting(auth, clock):
    _rows((0, "basen", 5, 5, 0), (2, "sauna", 1, 1, 0), (40, "karate", 2, 2, 0), (0, "klub", 4, 0, 3))
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/staff").text
    figure = re.search(r'<tr[^>]*><td><a href="/manage/search-statistics">.*?</tr>', page, re.S)
    assert figure, "the figure links to the statistics"
    assert visible_text(figure.group(0)) == "Wyszukiwania nietrafione (30 dni) 2"


# --- a miss made a synonym in one step -----------------------------------------------------

def _miss_id(query):
    from portal.catalogue.models import SearchCount
    from portal.extensions import db

    return db.session.scalar(select(SearchCount.id).where(SearchCount.query == query).order_by(SearchCount.id.desc()))


def _groups():
    from portal.catalogue.models import SynonymGroup
    from portal.extensions import db

    db.session.expire_all()
    return [g.phrases for g in db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.id))]


def _version():
    from portal.core import versions
    from portal.extensions import db

    return versions.current(db.session, versions.CATALOGUE)


def _misses(page):
    return visible_text(page[page.index('id="misses"'):])


def test_a_miss_becomes_a_new_group_and_the_search_finds_it(auth, clock, make_service):
    make_service("Opieka wytchnieniowa")
    _search(auth.client, "odpoczynek")
    _search(auth.client, "Opieka", "192.0.2.9")
    organiser = auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/manage/search-statistics").text
    assert "odpoczynek" in _misses(page)
    assert "Dodaj „odpoczynek” do grupy" in page
    before = _version()
    response = auth.post(f"/manage/search-misses/{_miss_id('odpoczynek')}/synonym",
                         {"group_id": "", "phrase": " opieka  wytchnieniowa ", "period": "30d", "page": "1"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/manage/search-statistics?period=30d&page=1#misses")
    assert _groups() == ["odpoczynek; opieka wytchnieniowa"]
    assert _version() > before
    page = auth.client.get("/manage/search-statistics").text
    assert "„odpoczynek” jest teraz synonimem. Wyszukiwarka uwzględnia go od razu." in visible_text(page)
    assert "odpoczynek" not in _misses(page)
    assert "odpoczynek" in visible_text(page[page.index('id="top"'):page.index('id="misses"')])  # still counted
    assert "Opieka wytchnieniowa" in _search(auth.client, "odpoczynek", "192.0.2.10").text

    from portal.audit.models import AuditEvent
    from portal.extensions import db

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "synonym_group")).one()
    assert (event.action, event.actor_id) == ("create", organiser.id)


def test_a_miss_joins_a_group_chosen_from_a_list_in_polish_order(auth, clock, make_service):
    from portal.catalogue.models import SynonymGroup
    from portal.extensions import db

    make_service("Usługa wytchnieniowa")
    db.session.add_all([SynonymGroup(phrases="żłobek; opieka nad dzieckiem do lat 3"),
                        SynonymGroup(phrases="wytchnienie; usługa wytchnieniowa"),
                        SynonymGroup(phrases="łóżko; łóżko rehabilitacyjne"),
                        SynonymGroup(phrases="logopeda; terapia logopedyczna")])
    db.session.commit()
    _rows((1, "urlop opieki", 2, 2, 0))
    auth.login(Role.SERVICES_ORGANISER)
    page = auth.client.get("/manage/search-statistics").text
    options = re.findall(r"<option value=\"(\d*)\"[^>]*>([^<]+)</option>", page)
    assert [label for _value, label in options] == [
        "— nowa grupa —", "logopeda; terapia logopedyczna", "łóżko; łóżko rehabilitacyjne",
        "wytchnienie; usługa wytchnieniowa", "żłobek; opieka nad dzieckiem do lat 3"]
    group_id = dict((label, value) for value, label in options)["wytchnienie; usługa wytchnieniowa"]
    response = auth.post(f"/manage/search-misses/{_miss_id('urlop opieki')}/synonym",
                         {"group_id": group_id, "phrase": ""})
    assert response.status_code == 303
    assert "wytchnienie; usługa wytchnieniowa; urlop opieki" in _groups()
    assert "urlop opieki" not in _misses(auth.client.get("/manage/search-statistics").text)
    assert "Usługa wytchnieniowa" in _search(auth.client, "urlop od opieki").text


def test_a_refused_synonym_comes_back_at_its_row_with_what_was_typed(auth, clock):
    from portal.catalogue.models import SynonymGroup
    from portal.extensions import db

    _rows((0, "odpoczynek", 2, 2, 0), (0, "sauna", 1, 1, 0))
    group = SynonymGroup(phrases="wytchnienie; opieka wytchnieniowa")
    db.session.add(group)
    db.session.commit()
    auth.login(Role.SERVICES_ORGANISER)
    miss = _miss_id("odpoczynek")
    url = f"/manage/search-misses/{miss}/synonym"

    nothing = auth.post(url, {"group_id": "", "phrase": ""})
    assert nothing.status_code == 422
    assert_in(visible_text(nothing.text), "Nie dodano synonimu",
              "Wybierz grupę albo wpisz wyrażenie z katalogu, które znaczy to samo.")
    row = nothing.text[nothing.text.index(f'id="miss-{miss}-group_id"'):]
    assert f'id="miss-{miss}-error"' in row[:2000]
    assert f'id="miss-{_miss_id("sauna")}-error"' not in nothing.text

    same = auth.post(url, {"group_id": "", "phrase": "Odpoczynek"})
    assert same.status_code == 422
    assert "Wpisz inne wyrażenie niż wyszukiwane" in visible_text(same.text)
    assert f'id="miss-{miss}-phrase" name="phrase" maxlength="100" value="Odpoczynek"' in same.text

    gone = auth.post(url, {"group_id": str(group.id + 100), "phrase": "relaks"})
    assert gone.status_code == 422
    assert "Wybierz pozycję z listy." in visible_text(gone.text)
    assert 'value="relaks"' in gone.text

    too_long = auth.post(url, {"group_id": "", "phrase": "x" * 101})
    assert too_long.status_code == 422 and "Wpisz najwyżej 100 znaków." in visible_text(too_long.text)
    assert _groups() == ["wytchnienie; opieka wytchnieniowa"]
    assert auth.post(f"/manage/search-misses/{miss + 999}/synonym", {"phrase": "relaks"}).status_code == 404


def test_a_dismissed_miss_leaves_the_list_and_keeps_its_counts(auth, clock):
    _rows((0, "basen", 5, 5, 0), (1, "basen", 2, 2, 0), (0, "sauna", 1, 1, 0))
    auth.login(Role.SERVICES_ORGANISER)
    response = auth.post(f"/manage/search-misses/{_miss_id('basen')}/dismiss", {"period": "12m"})
    assert response.status_code == 303
    assert "period=12m" in response.headers["Location"]
    page = auth.client.get("/manage/search-statistics").text
    assert "basen" not in _misses(page) and "sauna" in _misses(page)
    assert "basen 7 7 0 usług" in visible_text(page)
    assert all(row[5] for row in _written() if row[1] == "basen")


# --- the table's move ----------------------------------------------------------------------

@pytest.fixture
def empty_database(database_url, tmp_path):
    from tests.helpers import fresh_database

    with fresh_database(database_url, tmp_path / "counts.sqlite3", "counts") as url:
        yield url


def test_the_migration_moves_the_misses_and_back(empty_database):
    from flask_migrate import downgrade, upgrade

    from portal.extensions import db
    from tests.conftest import make_app

    app = make_app(empty_database)

    def utc(*parts):
        """An instant as each database keeps it: naive UTC in SQLite."""
        moment = datetime(*parts)
        return moment if empty_database.startswith("sqlite") else moment.replace(tzinfo=timezone.utc)

    with app.app_context():
        upgrade(revision="0014_data_version")
        # 23:30 UTC on 9 March is 00:30 on 10 March in Warsaw.
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO search_miss (query, count, first_at, last_at) VALUES "
                                    "('basen', 4, :first, :last), ('sauna', 1, :last, :last)"),
                               {"first": utc(2026, 2, 1, 8, 0), "last": utc(2026, 3, 9, 23, 30)})
        upgrade(revision="0015_keywords_search_counts")
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT day, query, searches, misses, results, handled FROM search_count "
                                           "ORDER BY query")).all()
            assert [(str(r[0]), r[1], r[2], r[3], r[4], bool(r[5])) for r in rows] == [
                ("2026-03-10", "basen", 4, 4, 0, False), ("2026-03-10", "sauna", 1, 1, 0, False)]
            assert "search_miss" not in db.inspect(connection).get_table_names()
            connection.execute(text("INSERT INTO search_count (day, query, searches, misses, results, last_at, "
                                    "handled) VALUES ('2026-03-11', 'basen', 3, 1, 0, :at, false)"),
                               {"at": utc(2026, 3, 11, 9, 0)})
            connection.commit()
        downgrade(revision="0014_data_version")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT query, count FROM search_miss ORDER BY query")).all() == [
                ("basen", 5), ("sauna", 1)]
        upgrade()
        db.engine.dispose()
