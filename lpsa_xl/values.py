"""Excel's error values as Python values (not exceptions), shared by every Excel adapter.

A cell that evaluates to ``#DIV/0!`` holds :data:`DIV0`; functions pass such values along
instead of raising, so ``IFERROR`` and ``ISERROR`` work as in Excel (as pycel does).
"""

from __future__ import annotations

__all__ = [
    "DIV0",
    "ERRORS",
    "NA",
    "NAME",
    "NULL",
    "NUM",
    "REF",
    "VALUE",
    "ExcelError",
    "is_error",
    "shown",
]


class ExcelError(str):
    """An Excel error value such as ``#VALUE!``. ``reason`` says why, for a person to read
    (Office.js shows it on hover; classic Excel and reports show it as text)."""

    reason: str

    def __new__(cls, code: str, reason: str = "") -> ExcelError:
        if code not in _CODES:
            raise ValueError(f"not an Excel error value: {code!r}")
        self = super().__new__(cls, code)
        self.reason = reason
        return self

    def with_reason(self, reason: str) -> ExcelError:
        return ExcelError(str(self), reason)

    def __repr__(self) -> str:
        return f"ExcelError({str(self)!r}{', ' + repr(self.reason) if self.reason else ''})"


_CODES = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#BUSY!",
    "#BLOCKED!",
    "#CONNECT!",
    "#FIELD!",
    "#UNKNOWN!",
)

NULL, DIV0, VALUE, REF, NAME, NUM, NA = (ExcelError(c) for c in _CODES[:7])

#: Every error value by its code.
ERRORS = {code: ExcelError(code) for code in _CODES}


def is_error(value: object) -> bool:
    """Whether ``value`` is an Excel error value. Readers turn error cells (``t="e"`` in the
    file) into :class:`ExcelError`; text that merely reads ``"#N/A"`` is text, as in Excel."""
    return isinstance(value, ExcelError)


def shown(value: object, *, why: bool = False) -> str:
    """A cell value as a person reads it in a message: numbers as Excel shows them (``5`` not
    ``5.0``), TRUE/FALSE, error codes (with their reasons if ``why``), text quoted, and a missing
    value as "(no cached value)"."""
    if value is None:
        return "(no cached value)"
    if type(value) is float:
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, ExcelError):
        return f"{value} ({value.reason})" if why and value.reason else str(value)
    return repr(value)
