"""The template reader's own number-format rules, A1 helpers and defined-name references
(lpsa_xl/files/numformat.py, a1.py, fastread._Name) give exactly what openpyxl's give: they
exist only so that reading a template return imports no openpyxl."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.workbook.defined_name import DefinedName

from lpsa_xl.files import a1, numformat
from lpsa_xl.files.fastread import _Name

CUSTOM = [
    "dd/mm/yyyy", "d mmmm yyyy", "[$-809]dd mmmm yyyy", "[Red]0.00", "0.0%", '"Year "0',
    "£#,##0", "£#,##0.00;[Red]-£#,##0.00", "[h]:mm:ss", "[mm]:ss", "[ss].00", "hh:mm",
    "yyyy-mm-dd hh:mm:ss", '0" days"', r"0\d", "_-* #,##0_-", "@", "General", "mmm-yy;@",
    '#,##0;"m";-', "[>=100]0;0.0", "0.00E+00", "[$£-809]#,##0.00", "[DBNum1]0",
]  # fmt: skip


def openpyxl_kind(code: str) -> bool | None:
    return None if is_timedelta_format(code) else is_date_format(code)


@pytest.mark.parametrize("code", [*BUILTIN_FORMATS.values(), *CUSTOM])
def test_date_kind_is_openpyxls(code: str) -> None:
    assert numformat.date_kind(code) == openpyxl_kind(code)


def test_builtin_formats_are_openpyxls() -> None:
    assert numformat.BUILTIN_FORMATS == BUILTIN_FORMATS


@given(st.text(alphabet='0#.,;%"[]$-hmsdyHMSDY:_\\@ Eab/', max_size=14))
def test_date_kind_is_openpyxls_for_any_code(code: str) -> None:
    assert numformat.date_kind(code) == openpyxl_kind(code)


@given(
    st.floats(min_value=0, max_value=2_958_465, allow_nan=False),
    st.booleans(),
    st.booleans(),
)
@example(2_957_004.0, True, False)  # after 9999-12-31 in the 1904 system: both refuse
def test_from_serial_is_openpyxls(value: float, date1904: bool, duration: bool) -> None:
    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    try:
        theirs = from_excel(value, epoch, timedelta=duration)
    except OverflowError:  # after 9999-12-31 in the 1904 system
        with pytest.raises(OverflowError):
            numformat.from_serial(value, date1904=date1904, duration=duration)
        return
    assert numformat.from_serial(value, date1904=date1904, duration=duration) == theirs


def test_from_serial_known_dates() -> None:
    assert numformat.from_serial(37712) == dt.datetime(2003, 4, 1)
    assert numformat.from_serial(0.5) == dt.time(12, 0)
    assert numformat.from_serial(1.5, duration=True) == dt.timedelta(days=1, hours=12)


@given(st.integers(min_value=1, max_value=16_384))
def test_column_letters_are_openpyxls(n: int) -> None:
    assert a1.col_letters(n) == get_column_letter(n)
    assert a1.col_number(get_column_letter(n)) == n


@pytest.mark.parametrize("ref", ["A1", "$B$4", "A4:AA20", "$C$3:$D$9", "XFD1048576"])
def test_range_bounds_are_openpyxls(ref: str) -> None:
    assert a1.range_bounds(ref) == range_boundaries(ref)


@pytest.mark.parametrize(
    "text",
    [
        "Agreement!$B$4",
        "'Pump priming'!$B$2",
        "Agreement!$B$4,Claim!$C$7",
        "'A, B'!$A$1",
        "Targets!A5",
    ],
)
def test_name_destinations_are_openpyxls(text: str) -> None:
    assert list(_Name(text).destinations) == list(DefinedName("N", attr_text=text).destinations)


@pytest.mark.parametrize("text", ["0.025", '"LPSA2"', "Agreement!$B$4*2", "#REF!", ""])
def test_a_name_that_is_not_references_raises(text: str) -> None:
    with pytest.raises(ValueError):
        list(_Name(text).destinations)


def test_a_quoted_sheet_name_is_unescaped() -> None:
    """openpyxl (3.1) leaves the doubled quote in ("Bob''s sheet"), which names no sheet."""
    assert list(_Name("'Bob''s sheet'!$A$1:$C$3").destinations) == [("Bob's sheet", "$A$1:$C$3")]
