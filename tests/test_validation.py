"""Polish identifiers (portal/validation.py) and their WTForms validators.

portal/validation.py is loaded by file path when the package does not
import, so these tests do not depend on the rest of the application.
"""
import ast
import importlib.util
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

try:
    from portal import validation as v
except Exception:  # the rest of the package may be mid-edit; this module stands alone
    _spec = importlib.util.spec_from_file_location("portal_validation_standalone", ROOT / "portal" / "validation.py")
    v = importlib.util.module_from_spec(_spec)
    sys.modules[_spec.name] = v
    _spec.loader.exec_module(v)

FAR_FUTURE = date(2300, 1, 1)
DIGITS = "0123456789"


# --- Reference checksums, written independently of the module under test ----

def ref_pesel_check(first10):
    return (10 - sum(int(d) * w for d, w in zip(first10, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3])) % 10) % 10


def ref_nip_check(first9):
    """None when no check digit can complete the prefix (sum mod 11 == 10)."""
    rest = sum(int(d) * w for d, w in zip(first9, [6, 5, 7, 2, 3, 4, 5, 6, 7])) % 11
    return None if rest == 10 else rest


def ref_regon9_raw(first8):
    return sum(int(d) * w for d, w in zip(first8, [8, 9, 2, 3, 4, 5, 6, 7])) % 11


def ref_regon14_raw(first13):
    return sum(int(d) * w for d, w in zip(first13, [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8])) % 11


def complete_nip(first9):
    check = ref_nip_check(first9)
    return None if check is None else first9 + str(check)


def complete_regon9(first8):
    return first8 + str(ref_regon9_raw(first8) % 10)


def complete_regon14(first8, next4):
    first13 = complete_regon9(first8) + next4
    return first13 + str(ref_regon14_raw(first13) % 10)


def ref_regon_valid(number):
    if len(number) not in (9, 14) or not number.isdigit():
        return False
    if ref_regon9_raw(number[:8]) % 10 != int(number[8]):
        return False
    return len(number) == 9 or ref_regon14_raw(number[:13]) % 10 == int(number[13])


def code_of(func, *args, **kwargs):
    with pytest.raises(v.ValidationError) as info:
        func(*args, **kwargs)
    return info.value.code


def replace_digit(number, index, digit):
    return number[:index] + digit + number[index + 1:]


digit_strings = lambda n: st.text(alphabet=DIGITS, min_size=n, max_size=n)  # noqa: E731
valid_nips = digit_strings(9).map(complete_nip).filter(lambda n: n is not None)
valid_regon9s = digit_strings(8).map(complete_regon9)
valid_regon14s = st.builds(complete_regon14, digit_strings(8), digit_strings(4))
pesel_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2299, 12, 31))


# --- The module itself ---------------------------------------------------------

def test_validation_imports_only_the_standard_library():
    tree = ast.parse((ROOT / "portal" / "validation.py").read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports would stop the module loading standalone"
            modules.add(node.module.split(".")[0])
    assert modules <= {"re", "datetime", "dataclasses", "unicodedata"}


def test_validation_error_is_a_value_error_with_a_code():
    error = v.ValidationError("nip_format")
    assert isinstance(error, ValueError)
    assert error.code == "nip_format"


@pytest.mark.parametrize("raw, expected", [
    ("123-456-32-18", "1234563218"),
    (" 12 34.56\t78 ", "12345678"),
    ("12\u00a034\u201356", "123456"),  # no-break space, en dash
    ("12a34", "12a34"),
    ("", ""),
    (None, ""),
])
def test_digits_only(raw, expected):
    assert v.digits_only(raw) == expected


# --- PESEL ---------------------------------------------------------------------

def test_pesel_known_valid_man():
    info = v.parse_pesel("44051401359")
    assert info == v.PeselInfo(pesel="44051401359", birth_date=date(1944, 5, 14), sex="M")
    assert v.is_valid_pesel("44051401359")


def test_pesel_known_bad_check_digit():
    assert code_of(v.parse_pesel, "44051401358") == "pesel_checksum"
    assert not v.is_valid_pesel("44051401358")


def test_pesel_known_impossible_date():
    assert code_of(v.parse_pesel, "02381307589") == "pesel_date"


def test_pesel_known_woman_born_2002():
    info = v.parse_pesel("02211307589")
    assert (info.birth_date, info.sex) == (date(2002, 1, 13), "F")


def test_pesel_info_is_frozen():
    info = v.parse_pesel("44051401359")
    with pytest.raises(Exception):
        info.sex = "F"


@pytest.mark.parametrize("year, month_field", [(1850, "83"), (1950, "03"), (2005, "23"), (2150, "43"), (2250, "63")])
@pytest.mark.parametrize("sex", ["F", "M"])
def test_make_pesel_round_trips_every_century(year, month_field, sex):
    born = date(year, 3, 17)
    pesel = v.make_pesel(born, 412, sex)
    assert pesel[2:4] == month_field
    assert pesel[6:9] == "412"
    assert int(pesel[9]) % 2 == (1 if sex == "M" else 0)
    assert v.parse_pesel(pesel, today=FAR_FUTURE) == v.PeselInfo(pesel, born, sex)


@pytest.mark.parametrize("year", [2150, 2250])
def test_pesel_from_later_centuries_is_in_the_future_today(year):
    assert code_of(v.parse_pesel, v.make_pesel(date(year, 1, 1), 1, "F")) == "pesel_future"


@pytest.mark.parametrize("born, serial, sex", [
    (date(1799, 12, 31), 0, "F"),
    (date(2300, 1, 1), 0, "F"),
    (date(2000, 1, 1), -1, "F"),
    (date(2000, 1, 1), 1000, "M"),
    (date(2000, 1, 1), 5, "K"),
])
def test_make_pesel_rejects_what_a_pesel_cannot_hold(born, serial, sex):
    with pytest.raises(ValueError):
        v.make_pesel(born, serial, sex)


def with_check_digit(first10):
    return first10 + str(ref_pesel_check(first10))


@pytest.mark.parametrize("year", [1904, 2000, 2024, 1896, 2104, 2204])
def test_pesel_29_february_in_leap_years(year):
    pesel = v.make_pesel(date(year, 2, 29), 123, "F")
    assert v.parse_pesel(pesel, today=FAR_FUTURE).birth_date == date(year, 2, 29)


@pytest.mark.parametrize("yymm", [
    "0002",  # 1900 is not a leap year (divisible by 100, not by 400)
    "2302",  # 2023
    "0042",  # 2100 is not a leap year
    "0082",  # 1800 is not a leap year
    "0062",  # 2200 is not a leap year
])
def test_pesel_29_february_in_common_years_is_rejected(yymm):
    pesel = with_check_digit(yymm + "29" + "1234")
    assert code_of(v.parse_pesel, pesel, today=FAR_FUTURE) == "pesel_date"


@pytest.mark.parametrize("yymmdd", [
    "440001", "441301", "442001", "443301", "449301", "449901",  # months outside every century
    "440500", "440532", "440431",  # days
])
def test_pesel_impossible_dates(yymmdd):
    assert code_of(v.parse_pesel, with_check_digit(yymmdd + "0135"), today=FAR_FUTURE) == "pesel_date"


def test_pesel_future_birth_date_with_explicit_today():
    pesel = v.make_pesel(date(2030, 6, 15), 7, "M")
    assert code_of(v.parse_pesel, pesel, today=date(2030, 6, 14)) == "pesel_future"
    assert v.parse_pesel(pesel, today=date(2030, 6, 15)).birth_date == date(2030, 6, 15)
    assert not v.is_valid_pesel(pesel, today=date(2030, 6, 14))


def test_pesel_future_birth_date_against_the_real_today():
    pesel = v.make_pesel(date.today() + timedelta(days=400), 7, "M")
    assert code_of(v.parse_pesel, pesel) == "pesel_future"


@pytest.mark.parametrize("raw", [
    "", "   ", "4405140135", "440514013590", "4405140135a", "44O51401359", "+44051401359",
    "٤٤٠٥١٤٠١٣٥٩",  # Arabic-Indic digits are digits to str.isdigit, not to us
    None, 44051401359, 4.4e10, b"44051401359", ["44051401359"],
])
def test_pesel_format_errors(raw):
    assert code_of(v.parse_pesel, raw) == "pesel_format"
    assert v.is_valid_pesel(raw) is False


@pytest.mark.parametrize("raw", [
    " 44051401359", "44051401359\n", "\t 44051401359 \r\n", "440514 01359", "440-514-013-59",
    "\u00a044051401359\u00a0", "４４０５１４０１３５９",  # full-width digits from some PDF forms
])
def test_pesel_whitespace_and_separators_are_tolerated(raw):
    assert v.parse_pesel(raw).pesel == "44051401359"


def test_pesel_checksum_digit():
    assert v.pesel_checksum_digit("4405140135") == 9
    assert v.pesel_checksum_digit("0221130758") == 9
    for bad in ["440514013", "44051401359", "440514013a", None]:
        assert code_of(v.pesel_checksum_digit, bad) == "pesel_format"


@given(born=pesel_dates, serial=st.integers(0, 999), sex=st.sampled_from("FM"))
def test_make_pesel_always_parses_back(born, serial, sex):
    pesel = v.make_pesel(born, serial, sex)
    assert len(pesel) == 11 and pesel.isdigit()
    assert int(pesel[10]) == ref_pesel_check(pesel[:10])
    assert v.parse_pesel(pesel, today=FAR_FUTURE) == v.PeselInfo(pesel, born, sex)


@given(born=pesel_dates, serial=st.integers(0, 999), sex=st.sampled_from("FM"),
       index=st.integers(0, 10), digit=st.sampled_from(DIGITS))
def test_pesel_any_single_digit_change_breaks_the_checksum(born, serial, sex, index, digit):
    # Weights 1, 3, 7 and 9 are coprime with 10, so no substitution keeps the sum.
    pesel = v.make_pesel(born, serial, sex)
    assume(pesel[index] != digit)
    assert code_of(v.parse_pesel, replace_digit(pesel, index, digit), today=FAR_FUTURE) == "pesel_checksum"


@pytest.mark.parametrize("raw, masked", [
    ("44051401359", "*******1359"),
    (" 440514-01359 ", "*******1359"),
    ("4405140135", "***********"),
    ("abc", "***********"),
    ("", "***********"),
    (None, "***********"),
    (44051401359, "***********"),
])
def test_mask_pesel(raw, masked):
    assert v.mask_pesel(raw) == masked


# --- NIP -------------------------------------------------------------------------

def test_nip_helper_agrees_with_a_published_example():
    assert complete_nip("123456321") == "1234563218"


@pytest.mark.parametrize("raw", [
    "1234563218", "123-456-32-18", "123-45-63-218", " 123 456 32 18 ", "PL1234563218", "pl 123-456-32-18",
])
def test_nip_accepted_forms(raw):
    assert v.validate_nip(raw) == "1234563218"


@pytest.mark.parametrize("raw", ["", "123456321", "12345632180", "123456321a", "DE1234563218", "PL", None, 1234563218])
def test_nip_format_errors(raw):
    assert code_of(v.validate_nip, raw) == "nip_format"


def test_nip_wrong_check_digit():
    assert code_of(v.validate_nip, "1234563217") == "nip_checksum"


def test_nip_prefix_with_remainder_10_has_no_valid_completion():
    first9 = next(f"{n:09d}" for n in range(10**6) if ref_nip_check(f"{n:09d}") is None)
    for last in DIGITS:
        assert code_of(v.validate_nip, first9 + last) == "nip_checksum"


@given(valid_nips)
def test_nip_generated_numbers_validate(nip):
    assert v.validate_nip(nip) == nip
    assert v.validate_nip(f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}") == nip


@given(nip=valid_nips, index=st.integers(0, 9), digit=st.sampled_from(DIGITS))
def test_nip_any_single_digit_change_is_invalid(nip, index, digit):
    # 11 is prime and the weights are 2..7, so a substitution always moves the
    # remainder: either to 10 (invalid by rule) or away from the check digit.
    assume(nip[index] != digit)
    assert code_of(v.validate_nip, replace_digit(nip, index, digit)) == "nip_checksum"


# --- REGON -----------------------------------------------------------------------

def test_regon_helpers_agree_with_published_examples():
    assert complete_regon9("12345678") == "123456785"
    assert complete_regon14("12345678", "1234") == "12345678512347"


@pytest.mark.parametrize("raw", ["123456785", "123-456-785", "12345678512347", " 12345678512347 "])
def test_regon_accepted_forms(raw):
    assert v.validate_regon(raw) == v.digits_only(raw)


@pytest.mark.parametrize("raw", [
    "", "12345678", "1234567851", "1234567851234", "123456785123470", "12345678a", None, 123456785,
])
def test_regon_format_errors(raw):
    assert code_of(v.validate_regon, raw) == "regon_format"


@pytest.mark.parametrize("raw", [
    "123456784",
    "12345678512346",  # 14-digit checksum wrong
    "12345678412347",  # the REGON-9 part is wrong
])
def test_regon_checksum_errors(raw):
    assert code_of(v.validate_regon, raw) == "regon_checksum"


def test_regon14_needs_a_valid_regon9_prefix():
    # A 14-digit number whose own check digit fits but whose first 9 do not.
    first13 = "123456784" + "1234"
    number = first13 + str(ref_regon14_raw(first13) % 10)
    assert code_of(v.validate_regon, number) == "regon_checksum"


def test_regon_remainder_10_maps_to_check_digit_0():
    first8 = next(f"{n:08d}" for n in range(10**6) if ref_regon9_raw(f"{n:08d}") == 10)
    assert v.validate_regon(first8 + "0") == first8 + "0"


def test_regon_single_digit_change_can_go_undetected():
    # Remainders 0 and 10 share the check digit 0, so REGON (unlike PESEL and
    # NIP) lets some substitutions through; the validator must not reject them.
    for n in range(10**6):
        regon = complete_regon9(f"{n:08d}")
        for index in range(8):
            for digit in DIGITS:
                changed = replace_digit(regon, index, digit)
                if changed != regon and ref_regon_valid(changed):
                    assert v.validate_regon(changed) == changed
                    return
    pytest.fail("no undetected substitution found")


@given(valid_regon9s)
def test_regon9_generated_numbers_validate(regon):
    assert v.validate_regon(regon) == regon


@given(valid_regon14s)
def test_regon14_generated_numbers_validate(regon):
    assert v.validate_regon(regon) == regon


@given(regon=valid_regon9s, index=st.integers(0, 8), digit=st.sampled_from(DIGITS))
def test_regon9_single_digit_change(regon, index, digit):
    assume(regon[index] != digit)
    changed = replace_digit(regon, index, digit)
    if ref_regon_valid(changed):
        # Only possible as the 0/10 collision, never through the check digit.
        assert index != 8 and regon[8] == "0"
        assert {ref_regon9_raw(regon[:8]), ref_regon9_raw(changed[:8])} == {0, 10}
        assert v.validate_regon(changed) == changed
    else:
        assert code_of(v.validate_regon, changed) == "regon_checksum"


@given(regon=valid_regon14s, index=st.integers(0, 13), digit=st.sampled_from(DIGITS))
def test_regon14_single_digit_change_matches_the_reference(regon, index, digit):
    assume(regon[index] != digit)
    changed = replace_digit(regon, index, digit)
    if ref_regon_valid(changed):
        assert v.validate_regon(changed) == changed
    else:
        assert code_of(v.validate_regon, changed) == "regon_checksum"


# --- KRS, postal code ---------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("0000123456", "0000123456"), (" 0000 123 456 ", "0000123456"), ("0000000001", "0000000001"),
])
def test_krs_accepted(raw, expected):
    assert v.validate_krs(raw) == expected


@pytest.mark.parametrize("raw", ["", "123456", "00001234567", "000012345a", None, 123456])
def test_krs_format_errors(raw):
    assert code_of(v.validate_krs, raw) == "krs_format"


@pytest.mark.parametrize("raw", ["00-950", "00950", " 00-950 ", "00 - 950", "00\u2013950", "００９５０"])
def test_postal_code_accepted(raw):
    assert v.validate_postal_code(raw) == "00-950"


@pytest.mark.parametrize("raw", ["", "0-0950", "000-95", "00-95a", "0095", "009500", "00--950", "00.950", None, 950])
def test_postal_code_format_errors(raw):
    assert code_of(v.validate_postal_code, raw) == "postal_code_format"


@given(digit_strings(5))
def test_postal_code_any_five_digits(digits):
    assert v.validate_postal_code(digits) == f"{digits[:2]}-{digits[2:]}"


# --- Phones ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [
    "601234567", "601 234 567", "601-234-567", "+48601234567", "+48 601 234 567", "(+48) 601-234-567",
    "0048 601 234 567", "48601234567", "48 601 234 567", " +48 (601) 234 567 ",
])
def test_phone_mobile_forms(raw):
    assert v.normalise_phone(raw) == "+48601234567"


@pytest.mark.parametrize("raw", ["22 123 45 67", "(22) 123-45-67", "+48 22 123 45 67", "221234567"])
def test_phone_landline_forms(raw):
    assert v.normalise_phone(raw) == "+48221234567"


@pytest.mark.parametrize("raw", [
    "", "60123456", "6012345678", "+49601234567", "+4860123456", "0601234567", "022 123 45 67",
    "012345678", "60123456a", "tel. 601234567", "+48+601234567", None, 601234567,
])
def test_phone_format_errors(raw):
    assert code_of(v.normalise_phone, raw) == "phone_format"


@pytest.mark.parametrize("prefix", ["45", "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"])
def test_format_phone_mobiles(prefix):
    assert v.format_phone(f"+48{prefix}1234567") == f"{prefix}1 234 567"


@pytest.mark.parametrize("prefix", ["12", "22", "41", "42", "52", "58", "61", "71", "81", "89", "91", "95"])
def test_format_phone_landlines(prefix):
    assert v.format_phone(f"+48{prefix}1234567") == f"{prefix} 123 45 67"


def test_format_phone_free_helplines_are_grouped_by_three():
    assert v.format_phone("+48800120002") == "800 120 002"


def test_format_phone_accepts_unnormalised_input():
    assert v.format_phone("0048 601-234-567") == "601 234 567"


@pytest.mark.parametrize("raw", ["abc", "12345", "+44 20 7946 0958", "", 601234567])
def test_format_phone_returns_unknown_input_unchanged(raw):
    assert v.format_phone(raw) == raw


def test_format_phone_none_is_empty_for_templates():
    assert v.format_phone(None) == ""


@given(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
def test_phone_round_trip(national):
    normalised = v.normalise_phone(national)
    assert normalised == "+48" + national
    formatted = v.format_phone(normalised)
    assert formatted.replace(" ", "") == national
    assert v.normalise_phone(formatted) == normalised


# --- Arbitrary input never escapes as anything but ValidationError ---------------------

RAISING = [v.parse_pesel, v.pesel_checksum_digit, v.validate_nip, v.validate_regon, v.validate_krs,
           v.validate_postal_code, v.normalise_phone]
near_miss_text = st.text(alphabet=DIGITS + " -.+()/PLpl\u00a0\u2013\uff11\u0661\u00b2\t\n", max_size=20)
anything = st.one_of(st.text(), near_miss_text, st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text()))


@given(value=anything)
@example(value="\u00b2" * 11)  # superscript digits fold to ASCII under NFKC
@example(value="㉑" * 6)  # circled numbers fold to two digits each
def test_random_input_raises_only_validation_error(value):
    for func in RAISING:
        try:
            result = func(value)
        except v.ValidationError as error:
            assert error.code
        else:
            assert isinstance(result, (str, int, v.PeselInfo))


@given(value=anything)
def test_random_input_never_breaks_the_display_helpers(value):
    assert isinstance(v.is_valid_pesel(value), bool)
    masked = v.mask_pesel(value)
    assert masked == "*" * 11 or (masked[:7] == "*" * 7 and masked[7:].isdigit() and len(masked) == 11)
    formatted = v.format_phone(value)
    if isinstance(value, str):
        assert isinstance(formatted, str)
    elif value is None:
        assert formatted == ""
    else:
        assert formatted is value


# --- WTForms validators ------------------------------------------------------------------

@pytest.fixture
def fv():
    """The WTForms validators for Polish identifiers (an import error fails the tests, never skips them)."""
    from portal.core import validators

    return validators


@pytest.fixture
def babel_context():
    from flask import Flask
    from flask_babel import Babel

    app = Flask(__name__)
    Babel(app, default_locale="pl")
    with app.test_request_context():
        yield app


def make_form(fv, data, today=date(2025, 1, 1)):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, StringField
    from wtforms.validators import DataRequired, Optional

    class ClientForm(Form):
        pesel = StringField(validators=[Optional(), fv.Pesel(today=today)])
        nip = StringField(validators=[Optional(), fv.Nip()])
        regon = StringField(validators=[Optional(), fv.Regon()])
        krs = StringField(validators=[Optional(), fv.Krs()])
        postal_code = StringField(validators=[DataRequired(), fv.PostalCode()])
        phone = StringField(validators=[fv.Phone()])  # no Optional: empty must pass on its own

    return ClientForm(MultiDict(data))


def test_forms_valid_data_is_normalised(fv, babel_context):
    form = make_form(fv, {
        "pesel": " 44051401359 ", "nip": "PL 123-456-32-18", "regon": "123-456-785",
        "krs": "0000 123 456", "postal_code": "00950", "phone": "601 234 567",
    })
    assert form.validate(), form.errors
    assert form.data == {
        "pesel": "44051401359", "nip": "1234563218", "regon": "123456785",
        "krs": "0000123456", "postal_code": "00-950", "phone": "+48601234567",
    }
    assert form.pesel.pesel_info == v.PeselInfo("44051401359", date(1944, 5, 14), "M")


def test_forms_empty_optional_fields_pass(fv, babel_context):
    form = make_form(fv, {"postal_code": "00-950", "phone": "  "})
    assert form.validate(), form.errors
    # Optional() stops the chain before Pesel runs, so the attribute may be missing.
    assert getattr(form.pesel, "pesel_info", None) is None


def test_forms_empty_pesel_without_optional_passes(fv, babel_context):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, StringField

    class F(Form):
        pesel = StringField(validators=[fv.Pesel()])

    form = F(MultiDict({"pesel": ""}))
    assert form.validate()
    assert form.pesel.pesel_info is None


@pytest.mark.parametrize("field, raw, message", [
    ("pesel", "4405140135", "PESEL ma 11 cyfr."),
    ("pesel", "44051401358", "Nieprawidłowa cyfra kontrolna PESEL — sprawdź numer."),
    ("pesel", "02381307589", "PESEL zawiera nieistniejącą datę urodzenia."),
    ("pesel", v.make_pesel(date(2025, 1, 2), 0, "F"), "Data urodzenia z PESEL jest w przyszłości."),
    ("nip", "123456321", "NIP ma 10 cyfr."),
    ("nip", "1234563217", "Nieprawidłowy NIP (suma kontrolna się nie zgadza)."),
    ("regon", "1234567", "REGON ma 9 lub 14 cyfr."),
    ("regon", "123456784", "Nieprawidłowy REGON (suma kontrolna się nie zgadza)."),
    ("krs", "123456", "KRS ma 10 cyfr."),
    ("postal_code", "0095", "Kod pocztowy w formacie 00-000."),
    ("phone", "12345", "Numer telefonu: 9 cyfr, opcjonalnie z +48."),
])
def test_forms_polish_message_per_code(fv, babel_context, field, raw, message):
    data = {"postal_code": "00-950", field: raw}
    form = make_form(fv, data)
    assert not form.validate()
    errors = form.errors[field]
    assert errors == [message]
    assert type(errors[0]) is str  # resolved, so form.errors can go straight to JSON
    assert getattr(form, field).data == data[field]  # invalid input is left for the user to fix


def test_forms_pesel_today_may_be_a_callable(fv, babel_context):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, StringField

    pesel = v.make_pesel(date(2030, 1, 1), 5, "F")
    moment = {"today": date(2029, 12, 31)}

    class F(Form):
        pesel = StringField(validators=[fv.Pesel(today=lambda: moment["today"])])

    assert not F(MultiDict({"pesel": pesel})).validate()
    moment["today"] = date(2030, 1, 1)
    form = F(MultiDict({"pesel": pesel}))
    assert form.validate()
    assert form.pesel.pesel_info.sex == "F"


def test_forms_pesel_default_today_is_the_real_date(fv, babel_context):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, StringField

    class F(Form):
        pesel = StringField(validators=[fv.Pesel()])

    assert F(MultiDict({"pesel": "44051401359"})).validate()
    assert not F(MultiDict({"pesel": v.make_pesel(date.today() + timedelta(days=400), 5, "F")})).validate()


def test_forms_custom_message_overrides(fv, babel_context):
    from werkzeug.datastructures import MultiDict
    from wtforms import Form, StringField

    class F(Form):
        nip = StringField(validators=[fv.Nip(message="Podaj NIP pracodawcy.")])

    form = F(MultiDict({"nip": "1"}))
    assert not form.validate()
    assert form.errors == {"nip": ["Podaj NIP pracodawcy."]}


def test_forms_messages_cover_every_code(fv):
    expected = {
        "pesel_format", "pesel_checksum", "pesel_date", "pesel_future", "nip_format", "nip_checksum",
        "regon_format", "regon_checksum", "krs_format", "postal_code_format", "phone_format",
    }
    assert set(fv.MESSAGES) == expected
    source = (ROOT / "portal" / "validation.py").read_text(encoding="utf-8")
    raised = set(re.findall(r'"([a-z_]+_(?:format|checksum|date|future))"', source))
    assert raised <= expected


def test_forms_messages_are_lazy_msgids(fv):
    from flask_babel.speaklater import LazyString

    assert all(isinstance(message, LazyString) for message in fv.MESSAGES.values())


def test_whole_number_reads_what_people_and_forms_post():
    from portal.validation import whole_number

    assert whole_number("42") == 42 and whole_number(" 1 200 ") == 1200 and whole_number("1\u00a0200") == 1200
    assert whole_number(7) == 7 and whole_number("0") == 0
    for junk in ("", "  ", "-3", "+3", "4.5", "4,5", "٣", "1_000", "12a", None, True, 4.0, "1234567890"):
        assert whole_number(junk) is None, junk
    assert whole_number("1234567890", digits=12) == 1234567890
