"""The staff navigation, made of entries each feature registers.

A feature registers its entries where it makes its blueprint (its
`__init__.py`), with the roles that may see them and a position:

    from ..core import menus

    menus.register("things.index", _l("Rzeczy"), roles=(Role.COORDINATOR, Role.DIRECTOR), order=55)

The roles are the same as the route's row in the role × route table
(tests/test_access.py); `tests/test_menus.py` checks every entry against it.
The header and the dashboard show a role its entries in `order`
(portal/templating.py). Positions are tens apart so a new entry fits between.
"""
from dataclasses import dataclass

__all__ = ["Entry", "entries", "for_role", "register"]


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: object  # a lazy string: translated when shown
    roles: frozenset
    order: int


_entries = {}


def register(endpoint, label, roles, order):
    """Add (or replace) the menu entry for `endpoint`, seen by `roles`."""
    _entries[endpoint] = Entry(endpoint, label, frozenset(roles), order)


def entries():
    """Every registered entry, in menu order."""
    return sorted(_entries.values(), key=lambda entry: (entry.order, entry.endpoint))


def for_role(role):
    """The entries `role` sees, in menu order."""
    return [entry for entry in entries() if role in entry.roles]
