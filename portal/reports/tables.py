"""A report's figures as one value that the page, the chart and every
export read: a title, the label column's header, the value columns, rows of
a label and numbers, optional totals and notes.

Numbers are ints, Decimals or None (no figure: shown as a dash, an empty
cell in CSV and XLSX). A column says how many decimal places it shows
(`places`) and whether the chart draws it (`chart`). A table holds counts,
never a person: labels are services, quarters, months, indicators.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..i18n import group_thousands

DASH = "—"


@dataclass(frozen=True)
class Column:
    header: str
    places: int = 0
    chart: bool = True


@dataclass
class Row:
    label: str
    values: list


@dataclass
class Table:
    key: str  # the exports' file name stem, ASCII: "kwartalny"
    title: str
    label_header: str
    columns: list
    rows: list
    totals: Row | None = None
    notes: list = field(default_factory=list)
    period_label: str = ""
    chart_title: str = ""
    empty: str = ""  # what the page says when there are no rows

    @property
    def headers(self):
        """Every header, the label column's first (the CSV's first line)."""
        return [self.label_header, *(column.header for column in self.columns)]

    @property
    def all_rows(self):
        return [*self.rows, *([self.totals] if self.totals is not None else [])]

    def chart_columns(self):
        """(index, column) of the columns the chart draws."""
        return [(index, column) for index, column in enumerate(self.columns) if column.chart]

    def cells(self, row):
        """(column, value) pairs of a row."""
        return list(zip(self.columns, row.values, strict=True))


def rounded(value, places):
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def _digits(value, places, separator):
    value = rounded(value, places)
    sign = "-" if value < 0 else ""
    whole, _dot, fraction = f"{abs(value):.{places}f}".partition(".")
    whole = group_thousands(whole, separator) if separator else whole
    return sign + whole + ("," + fraction if places else "")


def number_text(value, places=0):
    """Polish, for the page and the PDF: '1 234', '4,25' (a no-break space
    between thousands), a dash for no figure."""
    if value is None:
        return DASH
    return _digits(value, places, "\u00a0")


def csv_text(value, places=0):
    """For a ';'-separated file read by a Polish spreadsheet: '1234', '4,25',
    '' for no figure."""
    if value is None:
        return ""
    return _digits(value, places, "")


def xlsx_value(value, places=0):
    """A number a spreadsheet computes with: int, float (rounded), or None."""
    if value is None:
        return None
    if places == 0:
        return int(rounded(value, 0))
    return float(rounded(value, places))


def share(part, whole, places=1):
    """part / whole as a percentage (Decimal), None when whole is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole), places)


def average(total, count, places=2):
    if not count:
        return None
    return rounded(Decimal(total) / Decimal(count), places)
