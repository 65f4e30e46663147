"""Column groups that many models share, as mixins, and the shape of a many-to-many link table.

- `Created`: when a record was made and by whom (`created_at`, `created_by_id`, `created_by`).
- `Updated`: when it was last changed and by whom (`updated_at`, `updated_by_id`, `updated_by`).
- `Versioned`: the version counter of optimistic locking: SQLAlchemy raises it on every UPDATE
  and checks it in the UPDATE's WHERE clause, so a save over a stale copy changes no row and
  raises StaleDataError (answered as a core.errors.VersionConflict).
- `ReferenceEntry`: an entry of a fixed list seeded by a migration (a stable code, a name, a place).
- `link_table()`: a many-to-many table between an owner and a target.

A mixin's columns come after the model's own ones; the migrations define the schema, and
tests/foundation/test_migrations.py checks that the models still match it. The user table is
named by string: the core layer imports no feature.
"""
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..extensions import db
from ..timeutil import now

USER_ID = "user_account.id"


class Created:
    created_at: Mapped[datetime] = mapped_column(default=now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_ID))

    @declared_attr
    def created_by(cls):
        return relationship("User", foreign_keys=lambda: [cls.created_by_id])


class Updated:
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_ID))

    @declared_attr
    def updated_by(cls):
        return relationship("User", foreign_keys=lambda: [cls.updated_by_id])


class Versioned:
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class ReferenceEntry:
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)


def link_table(name, owner, target):
    """The table `name` linking rows of `owner` (the links go with the owner's row) to rows of
    `target`: the columns <owner>_id and <target>_id, together the primary key."""
    return Table(
        name,
        db.Model.metadata,
        Column(f"{owner}_id", ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{target}_id", ForeignKey(f"{target}.id"), primary_key=True),
    )


def unique_slug(session, model, text, *, exclude_id=None, max_length=120, fallback="pozycja"):
    """A slug of `model` from the text ('Święto Pieroga' -> 'swieto-pieroga'),
    with -2, -3... appended when another row (not `exclude_id`) has it."""
    from sqlalchemy import select

    from ..text import slugify

    base = slugify(text, max_length - 6) or fallback
    query = select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return free_name(base, set(session.scalars(query)))


def free_name(base, taken):
    """`base`, or `base`-2, -3… — the first that `taken` does not hold."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
