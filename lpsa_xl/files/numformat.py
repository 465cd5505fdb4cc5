"""Number formats as the template reader needs them: a style's format code, whether it shows a
date or a duration, and a serial number as the date or duration it shows. The rules are
openpyxl's (``openpyxl.styles.numbers``, ``openpyxl.utils.datetime``), so the quick read gives
exactly the values openpyxl's load gives (tests/test_numformat.py checks them against openpyxl);
they live here so that reading a template return imports no openpyxl (0.15 s a process).

Built-in formats: ECMA-376 Part 1, §18.8.30 (numFmt); 1900 and 1904 date systems: §18.17.4.1.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["BUILTIN_FORMATS", "date_kind", "from_serial"]

#: The built-in number formats by id, as openpyxl names them (§18.8.30).
BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}

# Quoted text, and bracketed parts other than elapsed hours, minutes or seconds ([Red], [$-809]).
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def date_kind(code: str) -> bool | None:
    """True for a date or time format, None for a duration (``[h]:mm``), False for neither;
    only the first section (before ``;``) counts."""
    first = code.split(";")[0]
    if _DURATION.search(first):
        return None
    return _DATE_PART.search(_STRIP.sub("", first)) is not None


_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


def from_serial(
    value: float, *, date1904: bool = False, duration: bool = False
) -> dt.datetime | dt.time | dt.timedelta:
    """The date (or time of day, for 0 <= value < 1) or duration a serial number shows, to the
    millisecond; in the 1900 system serials below 60 count Excel's phantom 29 February 1900."""
    if duration:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and not date1904:
        day += 1
    return (_MAC_EPOCH if date1904 else _WINDOWS_EPOCH) + dt.timedelta(days=day) + diff
