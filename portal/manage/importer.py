"""Import of services from a CSV or XLSX file, in two steps.

1. `store_upload` checks the file (size, that a CSV is UTF-8 text and an
   XLSX a real workbook) and keeps it under a random token; `parse` reads
   every row into service data and lists every problem by row and column.
2. `run_import` creates all the services in the caller's transaction: the
   caller commits once, so a file is imported whole or not at all.

No request or current_user here; the views pass the folder, the limits and
the actor. Column reference: README.md, "Importing a catalogue".
"""
import csv
import io
import os
import re
import secrets
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import validation
from ..audit.services import record
from ..catalogue.models import (
    PROVIDER_TYPES,
    UNITS,
    Area,
    Place,
    Provider,
    Service,
    TargetGroup,
    Village,
)
from ..core import versions
from ..core.forms import parse_money, parse_time
from ..core.validators import MESSAGES as ID_MESSAGES
from ..extensions import db
from ..text import fold
from ..validation import is_email
from .services import (
    KEYWORD_MAX_LENGTH,
    KEYWORDS_MAX_LENGTH,
    create_provider,
    create_service,
    keyword_list,
    place_for_village,
    service_defaults,
)

MAX_BYTES = 2 * 1024 * 1024
# An XLSX is a zip: refuse archives that would unpack to something huge.
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
KINDS = ("csv", "xlsx")
STALE_AFTER_SECONDS = 24 * 3600

# Column name -> required; the order is the template's order.
COLUMNS = {
    "nazwa": True,
    "realizator": True,
    "typ_realizatora": False,
    "opis": False,
    "cel": False,
    "slowa_kluczowe": False,
    "dziedziny": False,
    "grupy": False,
    "miejsca": False,
    "w_domu_klienta": False,
    "jednostka": False,
    "odplatnosc": False,
    "wiek_od": False,
    "wiek_do": False,
    "tylko_mieszkancy": False,
    "orzeczenie": False,
    "warunki": False,
    "harmonogram": False,
    "telefon": False,
    "email": False,
    "limit_miejsc": False,
    "status": False,
}

EXAMPLE_ROW = {
    # Not a demo service: the template imports into the demo catalogue as it is.
    "nazwa": "Wieczorki taneczne dla seniorów w Bęczkowie",
    "realizator": "Centrum Usług Społecznych w Wojcieszkowie",
    "typ_realizatora": "",
    "opis": "Spotkania, gimnastyka i warsztaty dla seniorów.",
    "cel": "Aktywizacja i integracja seniorów.",
    "slowa_kluczowe": "potańcówka, dancing; zabawa taneczna",
    "dziedziny": "Pomoc społeczna|Kultura",
    "grupy": "Seniorzy (60+)",
    "miejsca": "Bęczków",
    "w_domu_klienta": "nie",
    "jednostka": "spotkanie",
    "odplatnosc": "0",
    "wiek_od": "60",
    "wiek_do": "",
    "tylko_mieszkancy": "tak",
    "orzeczenie": "nie",
    "warunki": "Zgłoszenie w CUS.",
    "harmonogram": "wt 10:00-12:00; czw 16:00-18:00",
    "telefon": "25 753 10 01",
    "email": "cus@wojcieszkow.pl",
    "limit_miejsc": "25",
    "status": "działa",
}


class FileRejected(ValueError):
    """The file as a whole cannot be used; `message` says why, in Polish."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RowResult:
    number: int  # the row number a spreadsheet shows (the header is row 1)
    values: dict  # column -> text as read
    data: dict | None = None
    errors: list = field(default_factory=list)  # [(column, message)]
    provider_id: int | None = None  # an existing provider
    new_provider: str | None = None  # or one the import creates
    new_provider_type: str | None = None
    villages: list = field(default_factory=list)  # village ids to turn into places

    def error(self, column, message):
        self.errors.append((column, message))


@dataclass
class Preview:
    kind: str
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def error_count(self):
        return len(self.file_errors) + sum(len(r.errors) for r in self.rows)

    @property
    def ok(self):
        return bool(self.rows) and self.error_count == 0

    def messages(self):
        """Every problem as one line: (row, column, message); row None for the file."""
        lines = [(None, None, m) for m in self.file_errors]
        for row in self.rows:
            lines.extend((row.number, column, message) for column, message in row.errors)
        return lines


# --- storing the upload between the two steps ---------------------------------

def _path(folder, token, kind):
    return os.path.join(folder, f"{token}.{kind}")


def valid_token(token):
    return isinstance(token, str) and bool(TOKEN_RE.fullmatch(token))


def detect_kind(filename, content):
    """'csv' or 'xlsx' by the name, confirmed by the content."""
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in (".csv", ".xlsx", ".txt"):
        raise FileRejected(_l("Obsługiwane są pliki CSV i XLSX."))
    if extension == ".xlsx":
        _check_xlsx(content)
        return "xlsx"
    _check_text(content)
    return "csv"


def _check_xlsx(content):
    if not content.startswith(b"PK\x03\x04"):
        raise FileRejected(_l("Plik nie jest skoroszytem XLSX (to nie jest archiwum ZIP)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRejected(_l("Plik XLSX jest uszkodzony.")) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRejected(_l("Plik nie jest skoroszytem XLSX."))
    if unpacked > MAX_XLSX_UNPACKED:
        raise FileRejected(_l("Skoroszyt jest za duży po rozpakowaniu."))


def _check_text(content):
    if content.startswith(b"PK\x03\x04"):
        raise FileRejected(_l("To jest archiwum (może XLSX), a nie plik CSV. Zapisz plik z rozszerzeniem .xlsx."))
    if b"\x00" in content:
        raise FileRejected(_l("Plik nie jest plikiem tekstowym CSV."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(_l("Plik CSV musi być zapisany w kodowaniu UTF-8.")) from None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise FileRejected(_l("Plik nie jest plikiem tekstowym CSV."))


def read_limited(stream, limit=MAX_BYTES):
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise FileRejected(_l("Plik jest za duży (najwyżej %(size)s MB).", size=limit // (1024 * 1024)))
    if not content:
        raise FileRejected(_l("Plik jest pusty."))
    return content


def display_name(filename):
    """The uploaded file's own name, for the preview and the audit summary only."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:100]


def receive_upload(folder, upload):
    """Check and keep a posted file (a werkzeug FileStorage, or None when
    the form sent none): (token, kind, content, the name to show)."""
    if upload is None or not upload.filename:
        raise FileRejected(_l("Wybierz plik CSV lub XLSX."))
    token, kind, content = store_upload(folder, upload.filename, upload.stream)
    return token, kind, content, display_name(upload.filename)


def store_upload(folder, filename, stream):
    """Check and keep the file; returns (token, kind, content)."""
    content = read_limited(stream)
    kind = detect_kind(filename, content)
    os.makedirs(folder, exist_ok=True)
    remove_stale(folder)
    token = secrets.token_urlsafe(32)
    with open(_path(folder, token, kind), "xb") as handle:
        handle.write(content)
    return token, kind, content


CLAIMED = ".claimed"


def claim_upload(folder, token):
    """Move a stored file aside and read it: (kind, content, claimed path).

    The rename is atomic, so two confirmations of one preview cannot both
    import it. FileRejected for a malformed token (it becomes a file name:
    only the token alphabet passes, so no path can be smuggled in) or a
    file that is gone."""
    if not valid_token(token):
        raise FileRejected(_l("Nieprawidłowy identyfikator pliku. Wgraj plik ponownie."))
    for kind in KINDS:
        path = _path(folder, token, kind)
        claimed = path + CLAIMED
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            continue
        with open(claimed, "rb") as handle:
            return kind, handle.read(MAX_BYTES + 1), claimed
    raise FileRejected(_l("Nie ma już tego pliku (import wykonano albo plik wygasł). Wgraj go ponownie."))


def unclaim_upload(claimed):
    """Put the file back after a failed import, so that it can be retried."""
    try:
        os.rename(claimed, claimed[: -len(CLAIMED)])
    except OSError:
        pass


def finish_upload(claimed):
    try:
        os.remove(claimed)
    except FileNotFoundError:
        pass


def delete_upload(folder, token):
    if not valid_token(token):
        return
    for kind in KINDS:
        for suffix in ("", CLAIMED):
            try:
                os.remove(_path(folder, token, kind) + suffix)
            except FileNotFoundError:
                pass


def remove_stale(folder, max_age=STALE_AFTER_SECONDS):
    """Files of previews nobody confirmed."""
    limit = time.time() - max_age
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        name = entry.name[: -len(CLAIMED)] if entry.name.endswith(CLAIMED) else entry.name
        name, _dot, kind = name.rpartition(".")
        if kind in KINDS and valid_token(name) and entry.is_file() and entry.stat().st_mtime < limit:
            try:
                os.remove(entry.path)
            except OSError:
                pass


# --- reading the table ---------------------------------------------------------

def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == dtime(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dtime):
        return value.strftime("%H:%M")
    return str(value).replace("\x00", "").strip()


def read_table(kind, content, max_rows):
    """(header, rows, the header's row number): cell texts; at most max_rows filled rows."""
    if kind == "xlsx":
        return _read_xlsx(content, max_rows)
    return _read_csv(content, max_rows)


def sniff_delimiter(header_line):
    """The header holds only column names, so counting is a safe sniff."""
    return ";" if header_line.count(";") >= header_line.count(",") else ","


def _read_csv(content, max_rows):
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = _Rows()
    try:
        for cells in reader:
            if rows.collect([c.strip() for c in cells], max_rows):
                break
    except csv.Error:
        raise FileRejected(_l("Nie udało się odczytać pliku CSV (sprawdź cudzysłowy).")) from None
    return _split_header(rows, max_rows)


def _read_xlsx(content, max_rows):
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a bad workbook
        raise FileRejected(_l("Nie udało się odczytać pliku XLSX.")) from None
    try:
        if not workbook.worksheets:
            raise FileRejected(_l("Skoroszyt nie ma arkuszy."))
        sheet = workbook.worksheets[0]
        rows = _Rows()
        try:
            for cells in sheet.iter_rows(values_only=True):
                if rows.collect([_cell_text(c) for c in cells], max_rows):
                    break
        except FileRejected:
            raise
        except Exception:
            raise FileRejected(_l("Nie udało się odczytać pliku XLSX.")) from None
    finally:
        workbook.close()
    return _split_header(rows, max_rows)


class _Rows(list):
    """Rows as read, blank ones too (so numbers match the sheet)."""

    filled = 0

    def collect(self, cells, max_rows):
        """Add a row; True once there are more filled rows than a header
        plus max_rows: enough to refuse the file without reading on."""
        self.append(cells)
        if any(cells):
            self.filled += 1
        return self.filled > max_rows + 1


def _split_header(rows, max_rows):
    """(header, body, the sheet's row number of the header)."""
    start = 0
    while start < len(rows) and not any(rows[start]):
        start += 1
    if start == len(rows):
        raise FileRejected(_l("Plik nie zawiera nagłówka ani wierszy."))
    header, body = rows[start], rows[start + 1:]
    if sum(1 for r in body if any(r)) > max_rows:
        raise FileRejected(_l("Plik ma za dużo wierszy (najwyżej %(max)s).", max=max_rows))
    return header, body, start + 1


def column_key(name):
    """'Odpłatność' -> 'odplatnosc', 'wiek od' -> 'wiek_od'."""
    return fold(name).replace(" ", "_")


# --- parsing rows --------------------------------------------------------------

YES = {"tak", "t", "x", "1", "yes", "y", "true", "prawda"}
NO = {"nie", "n", "0", "no", "false", "falsz", ""}

WEEKDAY_WORDS = {
    0: ("pn", "pon", "poniedzialek"),
    1: ("wt", "wto", "wtorek"),
    2: ("sr", "sro", "sroda"),
    3: ("cz", "czw", "czwartek"),
    4: ("pt", "pia", "piatek"),
    5: ("sb", "sob", "sobota"),
    6: ("nd", "ndz", "niedz", "niedziela"),
}
WEEKDAY_LOOKUP = {word: day for day, names in WEEKDAY_WORDS.items() for word in names}

STATUS_WORDS = {"dziala": "active", "aktywna": "active", "active": "active",
                "zawieszona": "suspended", "suspended": "suspended"}

SCHEDULE_ENTRY = re.compile(
    r"^(?P<days>[^0-9]+?)\s*(?P<opens>[0-9]{1,2}(?:[:.][0-9]{2})?)\s*[-–—]\s*(?P<closes>[0-9]{1,2}(?:[:.][0-9]{2})?)$"
)


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def parse_bool(text):
    key = fold(text)
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_l("wpisz „tak” albo „nie”"))


def parse_int(text, low, high):
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"-?[0-9]{1,9}", cleaned):
        raise CellError(_l("wpisz liczbę całkowitą"))
    value = int(cleaned)
    if not low <= value <= high:
        raise CellError(_l("wpisz liczbę od %(low)s do %(high)s", low=low, high=high))
    return value


def parse_fee(text):
    if not text:
        return None
    value = parse_money(text)
    if value is None:
        raise CellError(_l("wpisz kwotę, np. 12,50 (puste lub 0 = bezpłatnie)"))
    if value < 0:
        raise CellError(_l("kwota nie może być ujemna"))
    if value.as_tuple().exponent < -2:
        raise CellError(_l("kwota może mieć najwyżej dwa miejsca po przecinku"))
    return value or None


def _day(word):
    day = WEEKDAY_LOOKUP.get(fold(word).replace(" ", ""))
    if day is None:
        raise CellError(_l("nieznany dzień tygodnia „%(day)s” (użyj: pn wt śr czw pt sob nd)", day=word.strip()))
    return day


def _days(text):
    """'pn', 'pn, śr', 'pn-pt' -> [0], [0, 2], [0, 1, 2, 3, 4]."""
    days = []
    for part in re.split(r"[,/]", text.strip().rstrip(":")):
        part = part.strip().rstrip(".")
        if not part:
            continue
        bounds = re.split(r"\s*[-–—]\s*", part)
        if len(bounds) == 2:
            first, last = _day(bounds[0].rstrip(".")), _day(bounds[1].rstrip("."))
            if last < first:
                raise CellError(_l("zakres dni „%(range)s” jest odwrócony", range=part))
            days.extend(range(first, last + 1))
        elif len(bounds) == 1:
            days.append(_day(part))
        else:
            raise CellError(_l("nie rozumiem dni „%(days)s”", days=part))
    if not days:
        raise CellError(_l("brak dnia tygodnia"))
    return days


def parse_schedule(text):
    """'pn 10:00-12:00; śr 16:00-18:00' -> schedule rule rows."""
    rules = []
    for entry in re.split(r"[;\n]", text or ""):
        entry = entry.strip()
        if not entry:
            continue
        match = SCHEDULE_ENTRY.match(entry)
        if not match:
            raise CellError(_l("nie rozumiem „%(entry)s” — wpisz np. „pn 10:00-12:00; śr 16:00-18:00”", entry=entry))
        opens, closes = parse_time(match.group("opens")), parse_time(match.group("closes"))
        if opens is None or closes is None:
            raise CellError(_l("niepoprawna godzina w „%(entry)s”", entry=entry))
        if closes <= opens:
            raise CellError(_l("w „%(entry)s” godzina zakończenia musi być późniejsza niż rozpoczęcia", entry=entry))
        for day in _days(match.group("days")):
            rules.append({"weekday": day, "opens": opens, "closes": closes,
                          "valid_from": None, "valid_to": None, "label": None})
    return rules


def _split_list(text):
    return [part.strip() for part in (text or "").split("|") if part.strip()]


def _name_key(name):
    """A name without a trailing '(...)': 'Seniorzy (60+)' also answers to 'seniorzy'."""
    return fold(re.sub(r"\s*\([^)]*\)\s*$", "", name))


class Lookups:
    """The catalogue's current names, loaded once per parse."""

    def __init__(self, session):
        self.areas = self._coded(session.scalars(select(Area)))
        self.groups = self._coded(session.scalars(select(TargetGroup)))
        self.providers = {}
        for provider in session.scalars(select(Provider)):
            self.providers.setdefault(fold(provider.name), provider)
        self.places = {}
        for place in session.scalars(select(Place)):
            self.places.setdefault(fold(place.name), []).append(place)
        self.villages = {fold(v.name): v for v in session.scalars(select(Village))}
        self.services = {fold(name) for name in session.scalars(select(Service.name))}
        self.units = {}
        for code, (label, short) in UNITS.items():
            for word in (code, str(label), str(short)):
                self.units.setdefault(fold(word), code)
        self.provider_types = {}
        for code, label in PROVIDER_TYPES.items():
            self.provider_types[fold(code)] = code
            self.provider_types[fold(str(label))] = code

    @staticmethod
    def _coded(rows):
        table = {}
        for row in rows:
            for key in (fold(row.code), fold(row.name), _name_key(row.name)):
                table.setdefault(key, row.code)
        return table


def _codes(text, table, what):
    codes = []
    for part in _split_list(text):
        code = table.get(fold(part)) or table.get(_name_key(part))
        if code is None:
            raise CellError(_l("nieznana pozycja „%(value)s” (%(what)s)", value=part, what=what))
        if code not in codes:
            codes.append(code)
    return codes


def table_rows(preview, kind, content, columns, *, max_rows):
    """The file's filled rows as RowResults, `values` keyed by the names of
    `columns` ({column key: required}; a missing column reads ""). A file
    that cannot be read, or whose header names an unknown, repeated or
    missing column, adds its problems to `preview.file_errors` and gives
    no rows. Shared by every import of a table (the catalogue's, the
    reports' history)."""
    try:
        header, body, header_number = read_table(kind, content, max_rows)
    except FileRejected as error:
        preview.file_errors.append(error.message)
        return []

    keys = []
    for position, name in enumerate(header, 1):
        key = column_key(name)
        if not key:
            if any(len(r) >= position and r[position - 1] for r in body):
                preview.file_errors.append(_l("Kolumna nr %(n)s nie ma nagłówka.", n=position))
            keys.append(None)
            continue
        if key not in columns:
            preview.file_errors.append(_l("Nieznana kolumna „%(name)s”.", name=name))
            keys.append(None)
        elif key in keys:
            preview.file_errors.append(_l("Kolumna „%(name)s” występuje dwa razy.", name=key))
            keys.append(None)
        else:
            keys.append(key)
    for key, required in columns.items():
        if required and key not in keys:
            preview.file_errors.append(_l("Brakuje wymaganej kolumny „%(name)s”.", name=key))
    if preview.file_errors:
        return []

    rows = []
    for offset, cells in enumerate(body):
        if not any(cells):
            continue
        values = {key: "" for key in columns}
        for key, cell in zip(keys, cells):
            if key:
                values[key] = cell
        rows.append(RowResult(number=header_number + offset + 1, values=values))
    return rows


def parse(kind, content, *, session, max_rows):
    """Read and check every row; nothing is written."""
    preview = Preview(kind=kind)
    rows = table_rows(preview, kind, content, COLUMNS, max_rows=max_rows)
    if preview.file_errors:
        return preview

    lookups = Lookups(session)
    seen_names = {}
    new_providers = {}  # folded name -> (name, type code, first row)
    for row in rows:
        _parse_row(row, lookups, seen_names, new_providers)
        preview.rows.append(row)
    if not preview.rows:
        preview.file_errors.append(_l("Plik nie zawiera żadnego wiersza z usługą."))
    return preview


def _parse_row(row, lookups, seen_names, new_providers):
    v = row.values
    data = service_defaults()

    def cell(column, parser, *args):
        try:
            return parser(v[column], *args)
        except CellError as error:
            row.error(column, error.message)
            return None

    name = " ".join(v["nazwa"].split())
    if not name:
        row.error("nazwa", _l("podaj nazwę usługi"))
    elif len(name) > 200:
        row.error("nazwa", _l("nazwa może mieć najwyżej 200 znaków"))
    else:
        key = fold(name)
        if key in lookups.services:
            row.error("nazwa", _l("usługa o tej nazwie jest już w katalogu"))
        elif key in seen_names:
            row.error("nazwa", _l("ta sama nazwa jest już w wierszu %(row)s", row=seen_names[key]))
        else:
            seen_names[key] = row.number
    data["name"] = name

    _parse_provider(row, lookups, new_providers)

    data["description"] = v["opis"]
    data["goal"] = v["cel"] or None
    data["keywords"] = cell("slowa_kluczowe", _keywords)
    data["eligibility_description"] = v["warunki"] or None
    data["areas"] = cell("dziedziny", _codes, lookups.areas, _l("dziedziny")) or []
    data["target_groups"] = cell("grupy", _codes, lookups.groups, _l("grupy")) or []
    _parse_places(row, data, lookups)
    data["at_client_home"] = bool(cell("w_domu_klienta", parse_bool))
    unit_text = fold(v["jednostka"])
    if unit_text:
        unit = lookups.units.get(unit_text)
        if unit is None:
            row.error("jednostka", _l("nieznana jednostka „%(value)s” (np. godzina, spotkanie, osoba, miesiąc)",
                                       value=v["jednostka"]))
        else:
            data["unit"] = unit
    data["fee_amount"] = cell("odplatnosc", parse_fee)
    low = cell("wiek_od", lambda t: parse_int(t, 0, 130) if t else None)
    high = cell("wiek_do", lambda t: parse_int(t, 0, 130) if t else None)
    if low is not None and high is not None and high < low:
        row.error("wiek_do", _l("wiek do musi być ≥ wiek od"))
    data["minimum_age"], data["maximum_age"] = low, high
    data["residents_only"] = bool(cell("tylko_mieszkancy", parse_bool))
    data["requires_disability_certificate"] = bool(cell("orzeczenie", parse_bool))
    data["schedule_rules"] = cell("harmonogram", parse_schedule) or []
    data["phone"] = cell("telefon", _phone)
    data["email"] = cell("email", _email)
    data["capacity_maximum"] = cell("limit_miejsc", lambda t: parse_int(t, 0, 1_000_000) if t else None)
    status = fold(v["status"])
    if status:
        if status not in STATUS_WORDS:
            row.error("status", _l("wpisz „działa” albo „zawieszona”"))
        else:
            data["status"] = STATUS_WORDS[status]
    for column, limit in (("opis", 20000), ("cel", 20000), ("warunki", 20000)):
        if len(v[column]) > limit:
            row.error(column, _l("tekst może mieć najwyżej %(max)s znaków", max=limit))
    row.data = data


def _keywords(text):
    """Words and phrases separated by commas or semicolons, as in the form."""
    phrases = keyword_list(text)
    if any(len(phrase) > KEYWORD_MAX_LENGTH for phrase in phrases):
        raise CellError(_l("jedno słowo kluczowe może mieć najwyżej %(max)s znaków", max=KEYWORD_MAX_LENGTH))
    stored = ", ".join(phrases)
    if len(stored) > KEYWORDS_MAX_LENGTH:
        raise CellError(_l("słowa kluczowe mogą mieć razem najwyżej %(max)s znaków", max=KEYWORDS_MAX_LENGTH))
    return stored or None


def _phone(text):
    if not text:
        return None
    try:
        return validation.normalise_phone(text)
    except validation.ValidationError as error:
        raise CellError(ID_MESSAGES.get(error.code, _l("niepoprawny numer telefonu"))) from None


def _email(text):
    if not text:
        return None
    if not is_email(text):
        raise CellError(_l("niepoprawny adres e-mail"))
    return text


def _parse_provider(row, lookups, new_providers):
    name = " ".join(row.values["realizator"].split())
    type_text = row.values["typ_realizatora"]
    if not name:
        row.error("realizator", _l("podaj realizatora"))
        return
    key = fold(name)
    provider = lookups.providers.get(key)
    if provider is not None:
        if provider.status == "archived":
            row.error("realizator", _l("realizator „%(name)s” jest zarchiwizowany", name=provider.name))
        else:
            row.provider_id = provider.id
        return
    if not type_text:
        row.error("realizator", _l("nie ma realizatora „%(name)s” — dodaj go najpierw albo podaj typ_realizatora, "
                                   "aby utworzyć go przy imporcie", name=name))
        return
    code = lookups.provider_types.get(fold(type_text))
    if code is None:
        row.error("typ_realizatora", _l("nieznany typ realizatora „%(value)s”", value=type_text))
        return
    if len(name) > 250:
        row.error("realizator", _l("nazwa może mieć najwyżej 250 znaków"))
        return
    earlier = new_providers.get(key)
    if earlier and earlier[1] != code:
        row.error("typ_realizatora", _l("inny typ niż w wierszu %(row)s dla tego samego realizatora", row=earlier[2]))
        return
    new_providers.setdefault(key, (name, code, row.number))
    row.new_provider = new_providers[key][0]
    row.new_provider_type = code


def _parse_places(row, data, lookups):
    ids = []
    for part in _split_list(row.values["miejsca"]):
        key = fold(part)
        places = lookups.places.get(key, [])
        if len(places) == 1:
            if places[0].id not in ids:
                ids.append(places[0].id)
        elif len(places) > 1:
            row.error("miejsca", _l("jest kilka miejsc o nazwie „%(name)s” — zmień nazwy na liście miejsc", name=part))
        elif key in lookups.villages:
            village_id = lookups.villages[key].id
            if village_id not in row.villages:
                row.villages.append(village_id)
        else:
            row.error("miejsca", _l("nie ma miejsca ani miejscowości „%(name)s”", name=part))
    data["place_ids"] = ids


def run_import(preview, *, actor, filename=""):
    """Create every service of a checked preview; the caller commits once."""
    if not preview.ok:
        raise FileRejected(_l("Plik zawiera błędy: nic nie zaimportowano."))
    providers = {}
    created = []
    for row in preview.rows:
        data = dict(row.data, place_ids=list(row.data["place_ids"]))
        if row.new_provider:
            key = fold(row.new_provider)
            if key not in providers:
                providers[key] = create_provider(
                    {"name": row.new_provider, "provider_type": row.new_provider_type}, actor=actor,
                    reason="import")
            data["provider_id"] = providers[key].id
        else:
            data["provider_id"] = row.provider_id
        for village_id in row.villages:
            place = place_for_village(db.session.get(Village, village_id), actor=actor)
            if place.id not in data["place_ids"]:
                data["place_ids"].append(place.id)
        created.append(create_service(data, actor=actor, bump=False, reason="import"))
    record("import", None, actor=actor, object_type="service",
           summary=f"import of {len(created)} services from {filename}"[:500])
    versions.bump(db.session, versions.CATALOGUE)
    return created
