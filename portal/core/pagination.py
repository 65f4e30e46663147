"""One way to split a list into pages.

A paginated view reads the page it was asked for with `page_number` (the
`page` query parameter; anything but a positive whole number is page 1),
builds a `Page` from a SQLAlchemy select (counted, then read with LIMIT and
OFFSET) or from a list already in memory, and renders it with the
`pagination` macro of templates/_macros/forms.html. A page past the last
(a stale link or bookmark) shows the last one.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

# Far past any real list; keeps numbers (and cache keys) bounded.
MAX_PAGE = 10000


def page_number(raw):
    """The page a query-string value asks for: 1 for nothing or nonsense."""
    try:
        return max(1, min(int(raw), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def page_count(total, per_page):
    """How many pages `total` items fill; an empty list still has page 1."""
    return max(1, -(-total // per_page))


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return page_count(self.total, self.per_page)

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @classmethod
    def from_list(cls, items, page, per_page):
        """The page of a list already in memory."""
        total = len(items)
        page = min(max(1, page), page_count(total, per_page))
        start = (page - 1) * per_page
        return cls(list(items[start:start + per_page]), total, page, per_page)

    @classmethod
    def from_select(cls, session, statement, page, per_page, *, total=None):
        """The page of a select of entities, in its order: counted (unless
        the caller already knows `total`), then read with LIMIT and OFFSET."""
        if total is None:
            counted = statement.order_by(None).subquery()
            total = session.scalar(select(func.count()).select_from(counted)) or 0
        page = min(max(1, page), page_count(total, per_page))
        items = session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
        return cls(list(items), total, page, per_page)
