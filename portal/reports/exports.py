"""A report's Table as a file, and the one way every report gets its page
and its exports.

- CSV: ';'-separated, UTF-8 (no byte-order mark), CRLF; the first line is the
  headers, then the rows and the totals; numbers without grouping, a decimal
  comma (what a Polish spreadsheet reads as a number), an empty cell for no
  figure.
- XLSX (openpyxl): the headers in the first row, then the rows and the
  totals as numbers the spreadsheet computes with, then the period and the
  notes below a blank row.
- PDF (portal/pdf.py, WeasyPrint): the page's table and chart on A4, Polish
  number formats.

`register_report("quarterly", "/quarterly", build, kinds=(periods.YEAR,))`
adds four GET routes to the blueprint — the page `reports.quarterly` at
/reports/quarterly and `reports.quarterly_csv`, `_xlsx`, `_pdf` at
/reports/quarterly.csv and so on — each for FULL_ROLES unless told, each
reading the period from the query (periods.parse_period): a period the
report cannot use answers 422 with the page and the message at its field,
never a file. `build(period)` returns the Table.
"""
import csv
import io

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import role_required
from ..core.errors import DataError
from ..core.pagination import Page, page_number
from ..extensions import db
from ..pdf import pdf_response, render_pdf
from ..timeutil import local_now
from . import bp
from .access import FULL_ROLES
from .charts import MAX_ROWS, bar_chart
from .freshness import kept_table
from .periods import KINDS, form_values, parse_period, part_choices
from .tables import csv_text, number_text, xlsx_value

FORMATS = ("csv", "xlsx", "pdf")
# Every registered report by name: (title, build, kinds); the yearly documents assemble their tables from it.
REGISTERED = {}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- files ---------------------------------------------------------------------------------------

def table_rows(table):
    """The headers, then each row and the totals, as text cells (the CSV's lines)."""
    lines = [table.headers]
    for row in table.all_rows:
        lines.append([row.label, *(csv_text(value, column.places) for column, value in table.cells(row))])
    return lines


def to_csv(table):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerows(table_rows(table))
    return output.getvalue().encode("utf-8")


def _sheet_title(title):
    cleaned = "".join(" " if ch in '[]:*?/\\' else ch for ch in str(title)).strip()
    return cleaned[:31] or "Raport"


def to_xlsx(table):
    """The workbook, written in openpyxl's write-only mode (a row at a time:
    a whole catalogue's services in well under a second)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    workbook.properties.title = str(table.title)
    bold = Font(bold=True)
    sheet.column_dimensions["A"].width = min(max((len(str(r.label)) for r in table.all_rows), default=10) + 2, 60)
    for offset, column in enumerate(table.columns, start=2):
        sheet.column_dimensions[get_column_letter(offset)].width = max(len(str(column.header)) + 2, 10)
    sheet.freeze_panes = "B2"

    def cell(value, number_format=None, strong=False):
        written = WriteOnlyCell(sheet, value=value)
        if number_format:
            written.number_format = number_format
        if strong:
            written.font = bold
        return written

    sheet.append([cell(str(header), strong=True) for header in table.headers])
    formats = ["0" if column.places == 0 else "0." + "0" * column.places for column in table.columns]
    for row in table.all_rows:
        strong = row is table.totals
        sheet.append([cell(str(row.label), strong=strong),
                      *(cell(xlsx_value(value, column.places), number_format, strong)
                        for (column, value), number_format in zip(table.cells(row), formats, strict=True))])
    sheet.append([])
    sheet.append([_("Okres: %(period)s", period=table.period_label)])
    for note in table.notes:
        sheet.append([str(note)])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def to_pdf(table):
    html = render_template("reports/pdf.html", table=table, chart=bar_chart(table, "chart", _chart_text(table)),
                           number_text=number_text)
    return render_pdf(html)


def filename(table, period, extension):
    return f"raport-{table.key}-{period.slug}.{extension}"


def export_response(table, period, fmt):
    name = filename(table, period, fmt)
    body = table.files.get(fmt)
    if body is None:
        body = table.files[fmt] = {"pdf": to_pdf, "csv": to_csv, "xlsx": to_xlsx}[fmt](table)
    if fmt == "pdf":
        return pdf_response(body, name)
    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else XLSX_TYPE
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })


# --- pages ---------------------------------------------------------------------------------------

def _chart_text(table):
    text = _("Wykres słupkowy. Te same liczby są w tabeli „%(title)s”.", title=table.title)
    if len(table.rows) > MAX_ROWS:
        text += " " + chart_limit(table)
    return text


def chart_limit(table):
    """What a chart of a long table leaves out, in words (None when it draws every row)."""
    if len(table.rows) <= MAX_ROWS:
        return None
    return _("Wykres pokazuje %(shown)s wierszy o największych wartościach spośród %(all)s; wszystkie są w tabeli.",
             shown=MAX_ROWS, all=number_text(len(table.rows)))


def _form_field(field, kinds):
    """The form's field for an error: a half, quarter or month given in the
    address is the form's "part" select, or its year when it has no select."""
    if field in ("half", "quarter", "month", "part"):
        return "part" if len(kinds) > 1 else "year"
    return field


# A long table (a row per service of a whole catalogue) is shown a page at
# a time; the chart and the exports keep every row.
PAGE_ROWS = 100


def report_page(endpoint, title, table, period, *, kinds, errors=None, intro=None,
                template="reports/_report.html", status=200, extra=None):
    """The report's page: the period form, the table with its caption, the
    chart and the export links (none while the period is wrong)."""
    values = form_values(request.args, period if not errors else None)
    exports = []
    if table is not None and period is not None:
        exports = [(fmt.upper(), url_for(f".{endpoint}_{fmt}", **period.args())) for fmt in FORMATS]
    chart = bar_chart(table, f"{endpoint}-chart", _chart_text(table)) if table is not None and table.rows else None
    shown = None
    if table is not None and len(table.rows) > PAGE_ROWS:
        shown = Page.from_list(table.rows, page_number(request.args.get("page")), PAGE_ROWS)
    return render_template(template, title=title, table=table, period=period, endpoint=endpoint, kinds=kinds,
                           values=values, errors=errors or {}, parts=part_choices(), exports=exports,
                           chart=chart, chart_limit=chart_limit(table) if chart else None, intro=intro,
                           number_text=number_text, shown=shown, **(extra or {})), status


def register_report(name, rule, build, *, title, roles=FULL_ROLES, kinds=KINDS, intro=None,
                    template="reports/_report.html", kept=True):
    """The page and its three exports (see the module's docstring); `title`
    and `intro`: the page's heading and first paragraph (lazy texts).
    `kept`: the built table is kept while nothing it counts changes
    (freshness.kept_table); False for a report of data the watcher does not see."""

    REGISTERED[name] = (title, build, kinds)

    def period_or_error():
        try:
            return parse_period(request.args, default_year=local_now().year, kinds=kinds), None
        except DataError as error:
            return None, {_form_field(error.field, kinds): error.message}

    def fresh(period):
        table = build(period)
        table.period_label = table.period_label or period.label
        return table

    def built(period):
        if not kept:
            return fresh(period)
        return kept_table(name, db.session, period, lambda: fresh(period))

    def page():
        period, errors = period_or_error()
        if errors:
            return report_page(name, title, None, None, kinds=kinds, errors=errors, intro=intro,
                               template=template, status=422)
        return report_page(name, title, built(period), period, kinds=kinds, intro=intro, template=template)

    def export(fmt):
        period, errors = period_or_error()
        if errors:
            return report_page(name, title, None, None, kinds=kinds, errors=errors, intro=intro,
                               template=template, status=422)
        return export_response(built(period), period, fmt)

    page.__name__ = name
    bp.add_url_rule(rule, name, role_required(*roles)(page), methods=["GET"])
    for fmt in FORMATS:
        def view(fmt=fmt):
            return export(fmt)

        view.__name__ = f"{name}_{fmt}"
        bp.add_url_rule(f"{rule}.{fmt}", f"{name}_{fmt}", role_required(*roles)(view), methods=["GET"])
