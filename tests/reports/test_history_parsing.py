"""Reading a history file (issue 14 §4): both formats, both date forms, and
every refusal with its row, column and Polish message. Nothing is written."""
import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

HEADER = ["rodzaj", "data", "usługa", "sprawa", "liczba"]
TODAY = date(2026, 12, 5)


@pytest.fixture(autouse=True)
def frozen(app):
    """A frozen clock, and a request for the messages to be read in (Polish)."""
    app.config["FIXED_NOW"] = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    with app.test_request_context():
        yield


def csv_bytes(rows, header=HEADER):
    return ("\r\n".join(";".join(cells) for cells in [header, *rows]) + "\r\n").encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(content, kind="csv", max_rows=100):
    from portal.extensions import db
    from portal.reports import history_import as history

    return history.parse(kind, content, session=db.session, max_rows=max_rows, today=TODAY)


def messages(preview):
    return [(row, column, str(message)) for row, column, message in preview.messages()]


def test_csv_with_both_date_forms_and_a_bom(app, make_service):
    club = make_service("Klub Seniora")
    content = "\ufeff".encode() + csv_bytes([
        ["usługa", "15.03.2021", "klub seniora", "DUS.4012.1.2021", ""],
        ["IPUS", "2021-03-20", "", "DUS.4012.1.2021", ""],
        ["Usluga", "2.4.2021", "Opieka wytchnieniowa", "DUS.4012.2.2021", "1,5"],
        ["ipus", "2021-4-2", "", "DUS/7/2021", "2"],
    ])
    preview = parse(content)
    assert messages(preview) == []
    assert preview.ok
    assert [row.data for row in preview.rows] == [
        {"kind": "service", "day": date(2021, 3, 15), "service_id": club.id, "service_name": "klub seniora",
         "case_ref": "DUS.4012.1.2021", "quantity": None},
        {"kind": "plan", "day": date(2021, 3, 20), "service_id": None, "service_name": None,
         "case_ref": "DUS.4012.1.2021", "quantity": None},
        {"kind": "service", "day": date(2021, 4, 2), "service_id": None, "service_name": "Opieka wytchnieniowa",
         "case_ref": "DUS.4012.2.2021", "quantity": Decimal("1.5")},
        {"kind": "plan", "day": date(2021, 4, 2), "service_id": None, "service_name": None,
         "case_ref": "DUS/7/2021", "quantity": Decimal("2")},
    ]


def test_service_name_matches_without_case_or_diacritics_only_exactly(app, make_service):
    rehab = make_service("Rehabilitacja domowa", status="archived")
    preview = parse(csv_bytes([
        ["usługa", "01.02.2020", "REHABILITACJA  DOMOWĄ", "A/1", ""],
        ["usługa", "01.02.2020", "Rehabilitacja  domowa", "A/2", ""],
        ["usługa", "01.02.2020", "Rehabilitacja", "A/3", ""],
    ]))
    assert preview.ok, messages(preview)
    # An archived service is still matched: history may name what is no longer offered.
    assert [row.data["service_id"] for row in preview.rows] == [rehab.id, rehab.id, None]
    assert [row.data["service_name"] for row in preview.rows] == [
        "REHABILITACJA DOMOWĄ", "Rehabilitacja domowa", "Rehabilitacja"]


def test_xlsx_with_date_cells_numbers_and_text_dates(app, make_service):
    make_service("Klub Seniora")
    content = xlsx_bytes([
        ["usługa", datetime(2021, 3, 15), "Klub Seniora", "DUS.4012.1.2021", 1.5],
        ["IPUS", "20.03.2021", None, "DUS.4012.1.2021", None],
        ["usługa", date(2022, 1, 10), "Dowóz", 42, 4],
    ])
    preview = parse(content, kind="xlsx")
    assert messages(preview) == []
    assert [(r.data["kind"], r.data["day"], r.data["case_ref"], r.data["quantity"]) for r in preview.rows] == [
        ("service", date(2021, 3, 15), "DUS.4012.1.2021", Decimal("1.5")),
        ("plan", date(2021, 3, 20), "DUS.4012.1.2021", None),
        ("service", date(2022, 1, 10), "42", Decimal("4")),
    ]


def test_every_row_error_names_its_row_column_and_message(app):
    preview = parse(csv_bytes([
        ["zasiłek", "15.03.2021", "Klub", "A/1", ""],
        ["usługa", "31.02.2021", "Klub", "A/2", ""],
        ["usługa", "15/03/2021", "Klub", "A/3", ""],
        ["usługa", "15.03.2021", "", "A/4", ""],
        ["IPUS", "15.03.2021", "Klub", "A/5", ""],
        ["usługa", "15.03.2021", "Klub", "A/6", "dużo"],
        ["usługa", "15.03.2021", "Klub", "A/7", "0"],
        ["usługa", "15.03.2021", "Klub", "A/8", "1,555"],
        ["usługa", "15.03.2021", "Klub", "44051401359", ""],
        ["usługa", "15.03.2021", "Klub", "sprawa 440514 01359", ""],
        ["usługa", "15.03.2021", "Klub", "jan@example.com", ""],
        ["usługa", "15.03.2021", "Klub", "", ""],
        ["usługa", "15.03.2021", "Klub", "Jan Kowalski", ""],
        ["usługa", "06.12.2026", "Klub", "A/14", ""],
        ["usługa", "", "Klub", "A/15", ""],
        ["usługa", "15.03.1989", "Klub", "A/16", ""],
        ["usługa", "15.03.2021", "=HYPERLINK(\"x\")", "A/17", ""],
        ["usługa", "15.03.2021", "Klub", "A" * 101, ""],
    ]))
    assert not preview.ok
    assert messages(preview) == [
        (2, "rodzaj", "wpisz „usługa” (usługa przyznana jednej osobie) albo „IPUS” (zawarty plan)"),
        (3, "data", "nie ma takiego dnia w kalendarzu"),
        (4, "data", "wpisz datę jako DD.MM.RRRR albo RRRR-MM-DD, np. 31.12.2019"),
        (5, "usługa", "podaj nazwę usługi"),
        (6, "usługa", "dla IPUS zostaw kolumnę pustą: plan nie dotyczy jednej usługi"),
        (7, "liczba", "wpisz liczbę, np. 2 albo 1,5 (albo zostaw puste)"),
        (8, "liczba", "liczba musi być większa od zera"),
        (9, "liczba", "liczba może mieć najwyżej dwa miejsca po przecinku"),
        (10, "sprawa", "sygnatura wygląda na numer PESEL — wpisz sygnaturę sprawy bez danych osobowych"),
        (11, "sprawa", "sygnatura wygląda na numer PESEL — wpisz sygnaturę sprawy bez danych osobowych"),
        (12, "sprawa", "sygnatura wygląda na adres e-mail — wpisz sygnaturę sprawy bez danych osobowych"),
        (13, "sprawa", "podaj sygnaturę sprawy (bez danych osobowych): różne sygnatury to różne osoby"),
        (14, "sprawa", "sygnatura zawiera imię lub nazwisko — wpisz sygnaturę sprawy bez danych osobowych"),
        (15, "data", "data nie może być późniejsza niż dziś: historia dotyczy przeszłości"),
        (16, "data", "podaj datę"),
        (17, "data", "data sprzed 1990 roku — sprawdź rok"),
        (18, "usługa", "tekst nie może zaczynać się od znaku =, +, - ani @"),
        (19, "sprawa", "sygnatura może mieć najwyżej 100 znaków"),
    ]
    assert all(row.data is None for row in preview.rows)


def test_a_row_with_several_errors_lists_each(app):
    preview = parse(csv_bytes([["plan", "wczoraj", "", "44051401359", "-1"]]))
    assert [(column, str(message)) for _row, column, message in preview.messages()] == [
        ("rodzaj", "wpisz „usługa” (usługa przyznana jednej osobie) albo „IPUS” (zawarty plan)"),
        ("data", "wpisz datę jako DD.MM.RRRR albo RRRR-MM-DD, np. 31.12.2019"),
        ("sprawa", "sygnatura wygląda na numer PESEL — wpisz sygnaturę sprawy bez danych osobowych"),
        ("liczba", "liczba musi być większa od zera"),
    ]


def test_case_reference_naming_someone_in_the_register_is_refused(app, make_village):
    from portal.extensions import db
    from portal.residents.models import Resident

    # A surname the shipped list of common names does not hold: only the register knows it.
    db.session.add(Resident(first_name="Zdzisław", last_name="Przybyłkiewicz", search_first="zdzislaw",
                            search_last="przybylkiewicz", village=make_village("Burzec")))
    db.session.commit()
    preview = parse(csv_bytes([["IPUS", "01.02.2020", "", "DUS/1/2020", ""],
                               ["IPUS", "01.02.2020", "", "DUS/2/2020 przybyłkiewicz", ""]]))
    assert messages(preview) == [
        (3, "sprawa", "sygnatura zawiera imię lub nazwisko — wpisz sygnaturę sprawy bez danych osobowych")]
    assert preview.rows[0].data is not None and preview.rows[1].data is None


def test_ordinary_case_references_pass(app):
    references = ["DUS.4012.15.2022", "IPUS/3/2021", "OPS-2019-0001234", "sprawa 12/2020", "K-17", "2020/10/5"]
    preview = parse(csv_bytes([["IPUS", "01.02.2020", "", ref, ""] for ref in references]))
    assert messages(preview) == []
    assert [row.data["case_ref"] for row in preview.rows] == references


@pytest.mark.parametrize("header,expected", [
    (["typ", "data", "usługa", "sprawa", "liczba"],
     ["Nieznana kolumna „typ”.", "Brakuje wymaganej kolumny „rodzaj”."]),
    (["rodzaj", "data", "usługa", "liczba"], ["Brakuje wymaganej kolumny „sprawa”."]),
    (["rodzaj", "data", "data", "sprawa"], ["Kolumna „data” występuje dwa razy."]),
])
def test_wrong_header_is_refused_as_a_whole(app, header, expected):
    preview = parse(csv_bytes([["IPUS", "01.02.2020", "", "A/1"]], header=header))
    assert not preview.ok and preview.rows == []
    assert [str(m) for m in preview.file_errors] == expected


def test_header_is_read_without_case_or_diacritics_and_optional_columns_may_be_missing(app):
    preview = parse(csv_bytes([["IPUS", "01.02.2020", "A/1"]], header=["Rodzaj", "DATA", "Sprawa"]))
    assert preview.ok, messages(preview)
    preview = parse(csv_bytes([["usługa", "01.02.2020", "Klub", "A/1"]], header=["rodzaj", "data", "Usluga", "sprawa"]))
    assert preview.ok, messages(preview)


def test_a_file_with_only_a_header_or_too_many_rows(app):
    assert [str(m) for m in parse(csv_bytes([])).file_errors] == ["Plik nie zawiera żadnego wiersza z danymi."]
    rows = [["IPUS", "01.02.2020", "", f"A/{n}", ""] for n in range(6)]
    assert [str(m) for m in parse(csv_bytes(rows), max_rows=5).file_errors] == [
        "Plik ma za dużo wierszy (najwyżej 5)."]
    assert parse(csv_bytes(rows[:5]), max_rows=5).ok
