"""The reports' foundation: periods, the Table value, the chart and the exports."""
import csv
import io
import re
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.core.errors import DataError
from portal.reports import periods
from portal.reports.charts import bar_chart
from portal.reports.exports import to_csv, to_pdf, to_xlsx
from portal.reports.periods import parse_period
from portal.reports.tables import Column, Row, Table, csv_text, number_text


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def test_periods_from_the_query_and_their_polish_labels(ctx):
    def label(**args):
        return parse_period(args, default_year=2026).label

    assert label() == "2026"
    assert label(year="2025") == "2025"
    assert label(year="2026", half="1") == "I półrocze 2026"
    assert label(year="2026", quarter="3") == "III kw. 2026"
    assert label(year="2026", month="3") == "marzec 2026"
    assert label(year="2026", part="q4") == "IV kw. 2026"
    assert label(year="2026", part="h2") == "II półrocze 2026"
    assert label(year="2026", part="m12") == "grudzień 2026"
    assert label(**{"from": "01.03.2026", "to": "2026-03-15"}) == "1.03.2026–15.03.2026"
    third = parse_period({"year": "2026", "quarter": "3"}, default_year=2000)
    assert (third.start, third.end) == (date(2026, 7, 1), date(2026, 9, 30))
    february = parse_period({"year": "2028", "month": "2"}, default_year=2000)
    assert february.end == date(2028, 2, 29)
    assert parse_period(third.args(), default_year=2000) == third


@pytest.mark.parametrize(("args", "field", "message"), [
    ({"year": "abc"}, "year", "Podaj rok liczbą czterocyfrową"),
    ({"year": "1999"}, "year", "Podaj rok liczbą czterocyfrową"),
    ({"year": "2026", "quarter": "5"}, "quarter", "Wybierz kwartał: od 1 do 4."),
    ({"year": "2026", "month": "0"}, "month", "Wybierz miesiąc: od 1 do 12."),
    ({"year": "2026", "half": "x"}, "half", "Wybierz półrocze: 1 albo 2."),
    ({"year": "2026", "part": "q9"}, "part", "Wybierz okres z listy."),
    ({"from": "31.02.2026", "to": "01.03.2026"}, "from", "Podaj datę w formacie DD.MM.RRRR."),
    ({"from": "01.03.2026"}, "to", "Podaj datę końcową okresu."),
    ({"from": "10.03.2026", "to": "01.03.2026"}, "to", "Data końcowa nie może być wcześniejsza niż początkowa."),
    ({"from": "01.01.2020", "to": "01.03.2026"}, "to", "Okres może obejmować najwyżej pięć lat."),
])
def test_bad_periods_are_refused_at_their_field(ctx, args, field, message):
    with pytest.raises(DataError) as caught:
        parse_period(args, default_year=2026)
    assert caught.value.field == field
    assert message in str(caught.value.message)


def test_a_report_of_whole_years_refuses_a_quarter(ctx):
    with pytest.raises(DataError) as caught:
        parse_period({"year": "2026", "quarter": "2"}, default_year=2026, kinds=(periods.YEAR,))
    assert caught.value.field == "quarter"
    assert parse_period({"year": "2026", "from": "1.1.2026"}, default_year=2026, kinds=(periods.YEAR,)).label == "2026"


def test_bounds_are_local_midnights_across_summer_time(ctx):
    # Summer time starts on 29 March 2026 and ends on 25 October 2026.
    start, end = periods.quarter(2026, 1).utc_bounds()
    assert start == datetime(2025, 12, 31, 23, 0, tzinfo=timezone.utc)  # CET
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=timezone.utc)  # CEST: 1 April, 00:00 local
    start, end = periods.quarter(2026, 4).utc_bounds()
    assert start == datetime(2026, 9, 30, 22, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 12, 31, 23, 0, tzinfo=timezone.utc)
    assert [p.label for p in periods.half(2026, 1).months()][:2] == ["styczeń 2026", "luty 2026"]
    assert [(p.start, p.end) for p in periods.between(date(2026, 1, 20), date(2026, 2, 10)).months()] == [
        (date(2026, 1, 20), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 10))]


def _table():
    return Table(key="proba", title="Próba", label_header="wskaźnik",
                 columns=[Column("Liczba"), Column("Średnia", places=2), Column("Udział %", places=1, chart=False)],
                 rows=[Row("Klub Seniora", [1234, Decimal("4.255"), Decimal("12.5")]),
                       Row("Łaźnia", [0, None, None])],
                 totals=Row("razem", [1234, Decimal("4.255"), None]),
                 notes=["Liczby bez danych osób."], period_label="2026", chart_title="Liczba w usługach")


def test_numbers_in_polish_and_in_files(ctx):
    assert number_text(1234) == "1\u00a0234"
    assert number_text(Decimal("4.255"), 2) == "4,26"
    assert number_text(None) == "—"
    assert csv_text(1234567) == "1234567"
    assert csv_text(Decimal("0.5"), 1) == "0,5"
    assert csv_text(None) == ""


def test_chart_is_an_image_with_a_text_alternative_and_patterns(ctx):
    svg = str(bar_chart(_table(), "c1", "Te same liczby są w tabeli."))
    assert svg.startswith("<svg")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Liczba w usługach</title>' in svg
    assert '<desc id="c1-desc">Te same liczby są w tabeli.</desc>' in svg
    assert 'url(#c1-stripes)' in svg  # the second series is striped, not only coloured
    assert "1\u00a0234" in svg and "4,26" in svg  # direct labels
    assert "Udział" not in svg  # a column left out of the chart
    assert "razem" not in svg  # totals are not bars
    long = Table(key="k", title="T", label_header="usługa", columns=[Column("Liczba")],
                 rows=[Row("Usługa opiekuńcza w miejscu zamieszkania dla osób starszych i niesamodzielnych", [3])])
    svg = str(bar_chart(long, "c2", "Opis."))
    assert ">Usługa opiekuńcza w miejscu</tspan>" in svg  # two lines, the second cut with an ellipsis
    assert ">zamieszkania dla osób starszych…</tspan>" in svg


def test_exports_read_back(ctx):
    table = _table()
    lines = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8")), delimiter=";"))
    assert lines == [["wskaźnik", "Liczba", "Średnia", "Udział %"],
                     ["Klub Seniora", "1234", "4,26", "12,5"],
                     ["Łaźnia", "0", "", ""],
                     ["razem", "1234", "4,26", ""]]
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert [c.value for c in sheet[1]] == ["wskaźnik", "Liczba", "Średnia", "Udział %"]
    assert [c.value for c in sheet[2]] == ["Klub Seniora", 1234, 4.26, 12.5]
    assert [c.value for c in sheet[3]] == ["Łaźnia", 0, None, None]
    assert sheet["A6"].value == "Okres: 2026"
    assert sheet["A7"].value == "Liczby bez danych osób."
    text = PdfReader(io.BytesIO(to_pdf(table))).pages[0].extract_text()
    assert "Próba" in text and "Okres: 2026" in text
    assert "Klub Seniora" in text and "1 234" in text.replace("\u00a0", " ") and "4,26" in text


def test_a_long_tables_chart_draws_its_twenty_largest_rows_and_says_so(ctx):
    from portal.reports.exports import chart_limit

    rows = [Row(f"Usługa {number:02d}", [number]) for number in range(1, 31)]
    table = Table(key="k", title="Usługi", label_header="usługa", columns=[Column("Osoby")], rows=rows)
    svg = str(bar_chart(table, "c3", "Opis."))
    labels = re.findall(r">(Usługa \d\d)</tspan>", svg)
    assert labels == [f"Usługa {number:02d}" for number in range(30, 10, -1)]  # the largest first
    assert chart_limit(table) == ("Wykres pokazuje 20 wierszy o największych wartościach spośród 30; "
                                  "wszystkie są w tabeli.")
    assert chart_limit(Table(key="k", title="T", label_header="u", columns=[Column("O")], rows=rows[:20])) is None
