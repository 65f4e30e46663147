"""The services organiser's life situations: create, edit, reorder, delete.

Plain functions with an explicit `session` and `actor`; they never read the
request and never commit. Each change is in the audit log and moves the
catalogue's data version in the same transaction: the catalogue's start
page and its empty results show the situations and are cached by it.

Rules:
- a name (as residents say it, at most 120 characters) and a one-line
  description (at most 300) are required; two situations may not have the
  same name, compared without case and Polish letters;
- the address (slug) is made from the first name and kept on renames, so a
  printed or shared address keeps working;
- a published situation holds at least one service a resident can see (an
  empty situation would be a dead end); a draft may hold none;
- services are chosen among those not archived; one archived after it was
  chosen stays chosen (hidden in public) until the organiser removes it;
- a new situation goes last; moving swaps it with its neighbour.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..audit.services import diff, record
from ..catalogue.models import LifeSituation, Service
from ..core import versions
from ..core.errors import DataError, VersionConflict
from ..core.models import unique_slug
from ..text import fold, polish_sort_key
from ..timeutil import now

NAME_MAX = 120
DESCRIPTION_MAX = 300
FIELDS = ("name", "description", "published", "service_ids")


def situation_data(situation):
    """The situation as a plain dict (the input shape of create/update)."""
    return {"name": situation.name, "description": situation.description, "published": situation.published,
            "service_ids": [s.id for s in situation.services]}


def describe(session, data):
    """JSON-safe values for the audit trail and the conflict table: service
    names instead of ids, in Polish order."""
    ids = list(data.get("service_ids") or [])
    names = session.scalars(select(Service.name).where(Service.id.in_(ids))).all() if ids else []
    return {"name": data.get("name"), "description": data.get("description") or None,
            "published": bool(data.get("published")), "services": sorted(names, key=polish_sort_key)}


def snapshot(session, situation):
    return describe(session, situation_data(situation))


def conflicts(session, situation, data):
    """[(field, theirs, yours)] where the saved situation and the editor's input differ."""
    theirs, yours = snapshot(session, situation), describe(session, data)
    return [(key, theirs[key], yours[key]) for key in yours if theirs[key] != yours[key]]


def _one_line(text):
    return " ".join((text or "").split())


def _apply(session, situation, data):
    name = _one_line(data.get("name"))
    if not name:
        raise DataError("name", _l("Podaj nazwę sytuacji, tak jak mówią mieszkańcy."))
    if len(name) > NAME_MAX:
        raise DataError("name", _l("Nazwa może mieć najwyżej %(max)s znaków.", max=NAME_MAX))
    folded = fold(name)
    for other_id, other in session.execute(select(LifeSituation.id, LifeSituation.name)):
        if other_id != situation.id and fold(other) == folded:
            raise DataError("name", _l("Sytuacja o takiej nazwie już jest na liście."))
    description = _one_line(data.get("description"))
    if not description:
        raise DataError("description", _l("Opisz sytuację jednym zdaniem."))
    if len(description) > DESCRIPTION_MAX:
        raise DataError("description", _l("Opis może mieć najwyżej %(max)s znaków.", max=DESCRIPTION_MAX))
    ids = list(dict.fromkeys(int(i) for i in data.get("service_ids") or []))
    services = session.scalars(select(Service).where(Service.id.in_(ids))).all() if ids else []
    kept = {s.id for s in situation.services}
    if len(services) != len(ids) or any(s.status == "archived" and s.id not in kept for s in services):
        raise DataError("service_ids", _l("Zaznacz usługi z listy."))
    published = bool(data.get("published"))
    if published and not any(s.status != "archived" for s in services):
        raise DataError("service_ids", _l("Zaznacz co najmniej jedną usługę albo zapisz sytuację jako szkic."))
    with session.no_autoflush:
        situation.name = name
        situation.description = description
        situation.published = published
        situation.services = services
        if not situation.slug:
            situation.slug = unique_slug(session, LifeSituation, name, max_length=140, fallback="sytuacja")


def create_situation(session, data, *, actor):
    situation = LifeSituation(position=_last_position(session) + 1)
    _apply(session, situation, data)
    situation.created_by_id = situation.updated_by_id = getattr(actor, "id", None)
    session.add(situation)
    session.flush()
    record("create", situation, actor=actor, session=session, summary=f"life situation created: {situation.name}",
           changes=diff({}, {k: v for k, v in snapshot(session, situation).items() if v not in (None, [], False)}))
    versions.bump(session, versions.CATALOGUE)
    return situation


def update_situation(session, situation, data, *, actor, expected_version):
    """Raises VersionConflict when the editor started from an older version."""
    if expected_version is None or int(expected_version) != situation.version:
        raise VersionConflict(situation)
    before = snapshot(session, situation)
    _apply(session, situation, data)
    situation.updated_by_id = getattr(actor, "id", None)
    situation.updated_at = now()  # touch the row: the version moves when only the services changed
    session.flush()
    changes = diff(before, snapshot(session, situation))
    if changes:
        record("update", situation, actor=actor, session=session,
               summary=f"life situation updated: {situation.name}", changes=changes)
        versions.bump(session, versions.CATALOGUE)
    return situation


def _last_position(session):
    return session.scalar(select(func.max(LifeSituation.position))) or 0


def list_situations(session):
    """Every situation, drafts included, in the organiser's order."""
    return session.scalars(select(LifeSituation).options(selectinload(LifeSituation.services))
                           .order_by(LifeSituation.position, LifeSituation.id)).all()


def move_situation(session, situation, direction, *, actor):
    """Swap the situation with the one above ("up") or below ("down");
    False when it is already first or last. The order is renumbered 1..n,
    so gaps left by deletions never make a move do nothing. The positions
    are written past the version counter: a move elsewhere in the list does
    not make someone's open edit of a situation a conflict."""
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    ordered = list(list_situations(session))
    index = ordered.index(situation)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    table = LifeSituation.__table__
    for number, row in enumerate(ordered, start=1):
        if row.position != number:
            session.execute(update(table).where(table.c.id == row.id).values(position=number))
            session.expire(row, ["position"])
    record("update", situation, actor=actor, session=session, summary=f"life situation moved {direction}",
           changes={"position": [index + 1, other + 1]})
    versions.bump(session, versions.CATALOGUE)
    return True


def delete_situation(session, situation, *, actor):
    """The situation and its list of services go; the services stay."""
    record("delete", situation, actor=actor, session=session, summary=f"life situation deleted: {situation.name}",
           changes=diff(snapshot(session, situation), {}))
    session.delete(situation)
    session.flush()
    versions.bump(session, versions.CATALOGUE)


def service_choices(session, situation=None):
    """The services an organiser may choose: every one not archived, plus
    those of this situation that were archived since, in Polish order."""
    chosen = {s.id for s in situation.services} if situation is not None else set()
    services = session.scalars(select(Service).options(selectinload(Service.provider)).where(
        (Service.status != "archived") | Service.id.in_(chosen or [0]))).all()
    services.sort(key=lambda s: (polish_sort_key(s.name), s.id))
    return services
