"""The one Page of a paginated list: from a list, from a select (counted, then
LIMIT/OFFSET, on both databases), and the page number read from the query string."""
from sqlalchemy import select

from portal.core.pagination import Page, page_number


def test_page_number_reads_positive_whole_numbers_only():
    assert [page_number(raw) for raw in (None, "", "x", "0", "-3", "2", "2.5")] == [1, 1, 1, 1, 1, 2, 1]
    assert page_number("9" * 30) == 10000


def test_a_list_splits_into_pages_and_a_page_past_the_last_shows_the_last():
    first = Page.from_list(list(range(1, 8)), 1, 3)
    assert (first.items, first.total, first.page, first.pages) == ([1, 2, 3], 7, 1, 3)
    assert (first.has_prev, first.has_next) == (False, True)
    last = Page.from_list(list(range(1, 8)), 99, 3)
    assert (last.items, last.page, last.has_prev, last.has_next) == ([7], 3, True, False)
    empty = Page.from_list([], 5, 3)
    assert (empty.items, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)


def test_a_select_is_counted_and_read_one_page_in_its_order(app, make_village):
    from portal.catalogue.models import Village
    from portal.extensions import db

    for name in ("Abramów", "Bielsk", "Celiny", "Dąbrowa", "Emilin"):
        make_village(name)
    statement = select(Village).order_by(Village.name.desc())
    second = Page.from_select(db.session, statement, 2, 2)
    assert [v.name for v in second.items] == ["Celiny", "Bielsk"]
    assert (second.total, second.pages, second.has_prev, second.has_next) == (5, 3, True, True)
    past = Page.from_select(db.session, statement, 7, 2)
    assert ([v.name for v in past.items], past.page) == (["Abramów"], 3)
    told = Page.from_select(db.session, statement, 1, 2, total=5)
    assert [v.name for v in told.items] == ["Emilin", "Dąbrowa"] and told.pages == 3
