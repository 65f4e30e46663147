"""A report's chart: a horizontal bar chart of a Table, drawn on the server
as SVG (no JavaScript), the same in the page and in the PDF.

Readable without colour: each series has its own pattern (solid, stripes,
dots, checks...) and a dark outline, the legend shows the patterns, and
every bar carries its number as a direct label. For screen readers the SVG
is one image (`role="img"`) named by its <title> and described by its
<desc>, which says where the same numbers are as text (the table); the
page's <figure> repeats that in its caption.
"""
from markupsafe import Markup, escape

from .tables import number_text

WIDTH = 720
LABEL_WIDTH = 230
BAR_LEFT = LABEL_WIDTH + 10
BAR_RIGHT = WIDTH - 70  # room for the direct labels
BAR_HEIGHT = 16
GROUP_GAP = 10
LEGEND_ROW = 22
MAX_LABEL = 32
# A chart draws at most this many rows: the largest (by the sum of the charted
# columns); a table of a whole catalogue's services stays whole beside it.
MAX_ROWS = 20
INK = "#1b3a57"

# The series' fills: a pattern each (defined in <defs>), ink on white.
_PATTERNS = (
    ("solid", ""),
    ("stripes", f'<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="{INK}" stroke-width="2"/>'),
    ("dots", f'<circle cx="4" cy="4" r="1.8" fill="{INK}"/>'),
    ("checks", f'<path d="M0,0 L8,8 M8,0 L0,8" stroke="{INK}" stroke-width="1.2"/>'),
    ("rows", f'<path d="M0,2 L8,2 M0,6 L8,6" stroke="{INK}" stroke-width="1.2"/>'),
    ("columns", f'<path d="M2,0 L2,8 M6,0 L6,8" stroke="{INK}" stroke-width="1.2"/>'),
)


def _fill(prefix, index):
    name, _body = _PATTERNS[index % len(_PATTERNS)]
    return INK if name == "solid" else f"url(#{prefix}-{name})"


def _lines(label):
    """A label in at most two lines of MAX_LABEL characters, cut with an
    ellipsis beyond (the table beside the chart holds it whole)."""
    words, lines = str(label).split(), [""]
    for word in words:
        joined = f"{lines[-1]} {word}".strip()
        if len(joined) <= MAX_LABEL or not lines[-1]:
            lines[-1] = joined
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = joined
            break
    lines = [line if len(line) <= MAX_LABEL else line[:MAX_LABEL - 1].rstrip() + "…" for line in lines]
    if len(lines) == 2 and len(" ".join(lines)) < len(" ".join(words)) and not lines[1].endswith("…"):
        lines[1] = lines[1][:MAX_LABEL - 1].rstrip() + "…"
    return lines


def charted_rows(table):
    """The rows the chart draws: all of them, or the MAX_ROWS largest by the
    sum of the charted columns, largest first."""
    if len(table.rows) <= MAX_ROWS:
        return table.rows
    series = [index for index, _column in table.chart_columns()]
    ranked = sorted(enumerate(table.rows),
                    key=lambda pair: (-sum(float(pair[1].values[i] or 0) for i in series), pair[0]))
    return [row for _position, row in ranked[:MAX_ROWS]]


def bar_chart(table, chart_id, description):
    """The SVG (Markup) of `table`'s rows (totals left out) across its chart
    columns; `chart_id` makes the ids unique on the page; `description`
    says, in words, where the numbers are as text."""
    series = table.chart_columns()
    rows = charted_rows(table)
    prefix = escape(chart_id)
    values = [float(row.values[index] or 0) for row in rows for index, _column in series]
    top = max(values, default=0) or 1
    legend_height = LEGEND_ROW * len(series) + 6 if len(series) > 1 else 0
    group = max(BAR_HEIGHT * len(series), 30) + GROUP_GAP
    height = legend_height + max(len(rows), 1) * group + 10
    title = table.chart_title or table.title
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" preserveAspectRatio="xMinYMin meet" font-family="DejaVu Sans, sans-serif" '
        f'font-size="12">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        "<defs>",
    ]
    for name, body in _PATTERNS[1:]:
        parts.append(f'<pattern id="{prefix}-{name}" width="8" height="8" patternUnits="userSpaceOnUse">'
                     f'<rect width="8" height="8" fill="#ffffff"/>{body}</pattern>')
    parts.append("</defs>")
    if len(series) > 1:
        for position, (_index, column) in enumerate(series):
            y = 6 + position * LEGEND_ROW
            parts.append(f'<rect x="{BAR_LEFT}" y="{y}" width="28" height="14" fill="{_fill(prefix, position)}" '
                         f'stroke="{INK}" stroke-width="1"/>')
            parts.append(f'<text x="{BAR_LEFT + 36}" y="{y + 12}" fill="#000000">{escape(column.header)}</text>')
    scale = (BAR_RIGHT - BAR_LEFT) / top
    for number, row in enumerate(rows):
        y0 = legend_height + number * group
        lines = _lines(row.label)
        first = y0 + (group - GROUP_GAP) / 2 + 4 - (len(lines) - 1) * 7
        parts.append(f'<text x="{LABEL_WIDTH}" y="{first:.1f}" text-anchor="end" fill="#000000">' + "".join(
            f'<tspan x="{LABEL_WIDTH}" dy="{0 if number_ == 0 else 14}">{escape(line)}</tspan>'
            for number_, line in enumerate(lines)) + "</text>")
        for position, (index, column) in enumerate(series):
            value = row.values[index]
            width = max(float(value or 0) * scale, 0)
            y = y0 + position * BAR_HEIGHT
            parts.append(f'<rect x="{BAR_LEFT}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT - 2}" '
                         f'fill="{_fill(prefix, position)}" stroke="{INK}" stroke-width="1"/>')
            parts.append(f'<text x="{BAR_LEFT + width + 4:.1f}" y="{y + BAR_HEIGHT - 4}" fill="#000000">'
                         f'{escape(number_text(value, column.places))}</text>')
    parts.append(f'<line x1="{BAR_LEFT}" y1="{legend_height}" x2="{BAR_LEFT}" y2="{height - 6}" '
                 f'stroke="#000000" stroke-width="1"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
