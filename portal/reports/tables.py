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

from markupsafe import Markup, escape

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
    # The files made of this table, by format: a kept table (freshness.py) is
    # exported once while it stands, however often it is downloaded.
    files: dict = field(default_factory=dict, compare=False, repr=False)

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

    def texts(self, row):
        """A row's values as the page and the PDF show them (number_text), formatted here at once:
        a template calling a function per cell of a whole catalogue's table spends most of its time calling."""
        return [number_text(value, column.places) for column, value in zip(self.columns, row.values, strict=True)]

    def rows_html(self, cell="<td class=\"number\">", rows=None):
        """The table's body rows as HTML (the label escaped; the texts are
        digits, commas, spaces and dashes): built here in one pass, since a
        template escaping each of a whole catalogue's cells spends most of its
        time there. `cell` opens each value's cell; `rows`: only these (a page
        of a long table), else all."""
        return Markup("\n".join(
            f'<tr><th scope="row">{escape(row.label)}</th>' + "".join(f"{cell}{text}</td>" for text in self.texts(row))
            + "</tr>" for row in (self.rows if rows is None else rows)))


def rounded(value, places):
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


# Python's grouping (a comma from four digits, a dot before the fraction) turned Polish.
_POLISH = {"\u00a0": str.maketrans({",": "\u00a0", ".": ","}), "": str.maketrans({",": "", ".": ","})}


def _digits(value, places, separator):
    """The number in Polish digits: grouped by `separator` from four digits
    (none when empty), a decimal comma; a whole count formatted directly (a
    report of a whole catalogue formats tens of thousands of cells)."""
    if type(value) is int and places == 0:
        text = f"{value:,}"
    else:
        value = rounded(value, places)
        if value == 0:
            value = value.copy_abs()  # no "-0,00"
        text = f"{value:,.{places}f}"
    return text.translate(_POLISH[separator])


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
