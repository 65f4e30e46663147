"""Import of history from before the portal (issue 14 §4), in two steps.

1. The view keeps the upload with the catalogue import's checks and limits
   (portal/manage/importer.py: size, UTF-8 text or a real workbook, the
   unpacked size of an XLSX, formulas read as their values, the row limit);
   `parse` reads every row and lists every problem by row and column.
   Nothing is written.
2. `run_import` stores a checked preview as one `HistoryImport` with its
   `HistoryRow`s in the caller's transaction (the caller commits once: a
   file is imported whole or not at all); `withdraw` deletes an import's
   rows and keeps the import listed as withdrawn.

The columns (README.md, "Historia sprzed portalu"): `rodzaj;data;usługa;sprawa;liczba`.
A case reference must hold no personal data: one that looks like a PESEL
(11 digits), an e-mail address, or holds a first name or surname (the
shipped list of common Polish names, and the residents register) is refused.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..audit.services import record
from ..catalogue.models import Service
from ..catalogue.services import personal_names
from ..core import hooks
from ..core.forms import parse_money
from ..manage.importer import CellError, Preview, table_rows
from ..text import fold
from ..timeutil import now
from .history import PLAN, SERVICE, HistoryImport, HistoryRow

# Column key (as folded from the header) -> required. The header as written: HEADER.
COLUMNS = {"rodzaj": True, "data": True, "usluga": False, "sprawa": True, "liczba": False}
# What a message calls each column: the header's own spelling.
COLUMN_NAMES = {"rodzaj": "rodzaj", "data": "data", "usluga": "usługa", "sprawa": "sprawa", "liczba": "liczba"}
HEADER = tuple(COLUMN_NAMES.values())

KIND_WORDS = {"usluga": SERVICE, "ipus": PLAN}
CASE_REF_MAX = 100  # HistoryRow.case_ref
SERVICE_NAME_MAX = 300  # HistoryRow.service_name
QUANTITY_MAX = Decimal("9999999999.99")  # HistoryRow.quantity: Numeric(12, 2)
EARLIEST = date(1990, 1, 1)

_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Eleven digits in a row, also written in groups apart ("440514 01359"); not across
# the dashes of a reference ("OPS-2019-0001234").
_PESEL_LIKE = re.compile(r"(?<!\d)\d(?:[ \u00a0]?\d){10}(?!\d)")
_EMAIL_LIKE = re.compile(r"\S@\S")
# A spreadsheet reads a cell starting with these as a formula when the text is exported again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NAME_WORD_MIN = 3


@dataclass
class Totals:
    services: int = 0
    matched: int = 0  # services found in the catalogue
    plans: int = 0


def parse(kind, content, *, session, max_rows, today):
    """Read and check every row of a stored upload; nothing is written.
    `today`: the last day a row may have (history is the past)."""
    preview = Preview(kind=kind)
    rows = table_rows(preview, kind, content, COLUMNS, max_rows=max_rows)
    if preview.file_errors:
        return preview
    services = _catalogue_names(session)
    for row in rows:
        _parse_row(row, services, today)
        preview.rows.append(row)
    if not preview.rows:
        preview.file_errors.append(_l("Plik nie zawiera żadnego wiersza z danymi."))
        return preview
    _refuse_registered_names(session, preview.rows)
    return preview


def totals(preview):
    counted = Totals()
    for row in preview.rows:
        if row.data is None:
            continue
        if row.data["kind"] == PLAN:
            counted.plans += 1
        else:
            counted.services += 1
            counted.matched += row.data["service_id"] is not None
    return counted


def _catalogue_names(session):
    """Folded service name -> the service's id (the oldest of equal names);
    archived services too: history may name a service no longer offered."""
    names = {}
    for service_id, name in session.execute(select(Service.id, Service.name).order_by(Service.id)):
        names.setdefault(fold(name), service_id)
    return names


def _parse_row(row, services, today):
    values = row.values

    def error(column, message):
        row.error(COLUMN_NAMES[column], message)

    def cell(column, parser, *args):
        try:
            return parser(values[column], *args)
        except CellError as refused:
            error(column, refused.message)
            return None

    kind = KIND_WORDS.get(fold(values["rodzaj"]))
    if kind is None:
        error("rodzaj", _l("wpisz „usługa” (usługa przyznana jednej osobie) albo „IPUS” (zawarty plan)"))
    day = cell("data", parse_day, today)
    service_name = " ".join(values["usluga"].split())
    service_id = None
    if kind == SERVICE and not service_name:
        error("usluga", _l("podaj nazwę usługi"))
    elif kind == PLAN and service_name:
        error("usluga", _l("dla IPUS zostaw kolumnę pustą: plan nie dotyczy jednej usługi"))
    elif service_name:
        if len(service_name) > SERVICE_NAME_MAX:
            error("usluga", _l("nazwa może mieć najwyżej %(max)s znaków", max=SERVICE_NAME_MAX))
        elif service_name.startswith(_FORMULA_START):
            error("usluga", _l("tekst nie może zaczynać się od znaku =, +, - ani @"))
        else:
            service_id = services.get(fold(service_name))
    case_ref = cell("sprawa", parse_case_ref)
    quantity = cell("liczba", parse_quantity)
    if row.errors:
        return
    row.data = {"kind": kind, "day": day, "service_id": service_id, "service_name": service_name or None,
                "case_ref": case_ref, "quantity": quantity}


def parse_day(text, today):
    """'31.12.2019' or '2019-12-31' (an XLSX date cell reads as the latter)."""
    text = text.strip()
    if not text:
        raise CellError(_l("podaj datę"))
    match = _DOTTED.fullmatch(text)
    if match:
        day_text, month_text, year_text = match.groups()
    else:
        match = _ISO.fullmatch(text)
        if match is None:
            raise CellError(_l("wpisz datę jako DD.MM.RRRR albo RRRR-MM-DD, np. 31.12.2019"))
        year_text, month_text, day_text = match.groups()
    try:
        day = date(int(year_text), int(month_text), int(day_text))
    except ValueError:
        raise CellError(_l("nie ma takiego dnia w kalendarzu")) from None
    if day > today:
        raise CellError(_l("data nie może być późniejsza niż dziś: historia dotyczy przeszłości"))
    if day < EARLIEST:
        raise CellError(_l("data sprzed 1990 roku — sprawdź rok"))
    return day


def parse_case_ref(text):
    """A case reference with no personal data (a name is checked afterwards, for the whole file)."""
    text = " ".join(text.split())
    if not text:
        raise CellError(_l("podaj sygnaturę sprawy (bez danych osobowych): różne sygnatury to różne osoby"))
    if len(text) > CASE_REF_MAX:
        raise CellError(_l("sygnatura może mieć najwyżej %(max)s znaków", max=CASE_REF_MAX))
    if _PESEL_LIKE.search(text):
        raise CellError(_l("sygnatura wygląda na numer PESEL — wpisz sygnaturę sprawy bez danych osobowych"))
    if _EMAIL_LIKE.search(text):
        raise CellError(_l("sygnatura wygląda na adres e-mail — wpisz sygnaturę sprawy bez danych osobowych"))
    if text.startswith(_FORMULA_START):
        raise CellError(_l("tekst nie może zaczynać się od znaku =, +, - ani @"))
    if any(word in personal_names() for word in _name_words(text)):
        raise CellError(NAME_IN_CASE_REF)
    return text


NAME_IN_CASE_REF = _l("sygnatura zawiera imię lub nazwisko — wpisz sygnaturę sprawy bez danych osobowych")


def _name_words(text):
    return [word for word in fold(text).split() if len(word) >= _NAME_WORD_MIN and word.isalpha()]


def _refuse_registered_names(session, rows):
    """A case reference holding the name of someone in the residents register
    is refused too (the register answers once for the whole file)."""
    checked = [row for row in rows if row.data is not None]
    words = sorted({word for row in checked for word in _name_words(row.data["case_ref"])})
    if not words:
        return
    names = set()
    for found in hooks.registered_names.call(session, words):
        names.update(found)
    for row in checked:
        if names.intersection(_name_words(row.data["case_ref"])):
            row.error(COLUMN_NAMES["sprawa"], NAME_IN_CASE_REF)
            row.data = None


def parse_quantity(text):
    """Optional; '1,5' or '1.5', in the service's unit, more than 0."""
    if not text.strip():
        return None
    value = parse_money(text)
    if value is None:
        raise CellError(_l("wpisz liczbę, np. 2 albo 1,5 (albo zostaw puste)"))
    if value <= 0:
        raise CellError(_l("liczba musi być większa od zera"))
    if value.as_tuple().exponent < -2:
        raise CellError(_l("liczba może mieć najwyżej dwa miejsca po przecinku"))
    if value > QUANTITY_MAX:
        raise CellError(_l("liczba jest za duża"))
    return value


# --- storing and withdrawing ---------------------------------------------------

def run_import(session, preview, *, actor, filename):
    """Store every row of a checked preview as one import; the caller commits once."""
    if not preview.ok:
        raise ValueError("a preview with errors cannot be imported")
    counted = totals(preview)
    history_import = HistoryImport(filename=(filename or "")[:200], row_count=len(preview.rows),
                                   created_by_id=getattr(actor, "id", None))
    session.add(history_import)
    session.flush()
    session.execute(HistoryRow.__table__.insert(), [
        dict(row.data, import_id=history_import.id) for row in preview.rows])
    record("import", history_import, actor=actor, session=session,
           summary=f"history import of {len(preview.rows)} rows ({counted.services} services, "
                   f"{counted.matched} of them in the catalogue; {counted.plans} plans) from {filename}")
    return history_import


def withdraw(session, history_import, *, actor):
    """Delete the import's rows and mark it withdrawn, who and when. False
    when it was already withdrawn (by someone else, a moment ago): nothing done."""
    marked = session.execute(
        update(HistoryImport)
        .where(HistoryImport.id == history_import.id, HistoryImport.withdrawn_at.is_(None))
        .values(withdrawn_at=now(), withdrawn_by_id=getattr(actor, "id", None))
        .execution_options(synchronize_session=False))
    if marked.rowcount != 1:
        return False
    deleted = session.execute(delete(HistoryRow).where(HistoryRow.import_id == history_import.id)
                              .execution_options(synchronize_session=False))
    record("withdraw", history_import, actor=actor, session=session,
           summary=f"history import withdrawn: {deleted.rowcount} rows deleted")
    session.expire(history_import)
    return True


def imports(session):
    """Every import, newest first, with its live rows counted by kind:
    [(import, {kind: count})]; a withdrawn import has none left."""
    listed = session.scalars(select(HistoryImport).order_by(HistoryImport.created_at.desc(),
                                                            HistoryImport.id.desc())).all()
    counts = {}
    for import_id, kind, count in session.execute(
            select(HistoryRow.import_id, HistoryRow.kind, func.count())
            .group_by(HistoryRow.import_id, HistoryRow.kind)):
        counts.setdefault(import_id, {})[kind] = count
    return [(item, counts.get(item.id, {})) for item in listed]
