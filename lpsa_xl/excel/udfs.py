"""The LPSA_* functions and macros as classic xlwings UDFs (desktop Excel on Windows).

Set ``UDF Modules`` to ``lpsa_xl.excel.udfs`` (the ``xlwings.conf`` sheet of
``workbooks/lpsa_return.xlsm`` does) and click *Import Functions* on the xlwings ribbon: every
function of :mod:`lpsa_xl.functions.registry` appears in Excel's function wizard under the ``LPSA``
category, with its help text, and the three macros become VBA Subs the workbook's buttons call.

Everything here is generated from the registry; nothing about a function is written twice.
Arguments are taken raw (see :mod:`lpsa_xl.excel.binding`); array results are returned as rows
and spill in Excel with dynamic arrays (Excel 2021/365; older Excel needs the range selected and
the formula entered with Ctrl+Shift+Enter). Classic xlwings cannot put a real error value in a
cell, so bad input shows as text: the error code, then the reason, e.g.
``#DIV/0! LPSA_REWARD: target 7, ...``.

Importing this module works on any OS: off Windows the xlwings decorators only mark the
functions. ``python -m lpsa_xl.excel.udfs`` lists every function with its help text.
"""

from __future__ import annotations

import xlwings as xw

from lpsa_xl.excel import macros
from lpsa_xl.excel.binding import describe, from_excel, make_function
from lpsa_xl.excel.settings import register_url
from lpsa_xl.functions.registry import FUNCTIONS, ExcelFunction
from lpsa_xl.values import ExcelError

__all__ = [*FUNCTIONS, "describe", "lpsa_build_claim", "lpsa_calculate", "lpsa_validate"]


def to_cell(value: object) -> object:
    """A registry result as classic xlwings writes it: an error value becomes its code and
    reason as text, a blank an empty cell."""
    if isinstance(value, ExcelError):
        return f"{value} {value.reason}".rstrip()
    if isinstance(value, list):
        return [to_cell(v) for v in value]
    return value


def _call(fn: ExcelFunction, args: tuple[object, ...]) -> object:
    return to_cell(fn(*(from_excel(a) for a in args)))


def _udf(fn: ExcelFunction) -> object:
    func = make_function(fn, _call)
    for arg in fn.args:
        func = xw.arg(arg.name, "raw", doc=arg.doc)(func)
    func = xw.ret("raw")(func)
    return xw.func(category=fn.category)(func)


globals().update({name: _udf(fn) for name, fn in FUNCTIONS.items()})

# The macros: VBA Subs after *Import Functions* (the buttons of lpsa_return.xlsm call them), the
# same code as the xlwings Server scripts. xlwings only defines ``sub`` for classic Excel.
_sub = getattr(xw, "sub", lambda f: f)


@_sub
def lpsa_calculate() -> None:
    """Calculate: fill the computed columns of the targets table and the agreement totals."""
    macros.calculate(xw.Book.caller())


@_sub
def lpsa_validate() -> None:
    """Validate: recompute every target and write the findings sheet (against the agreements
    register when the xlwings.conf sheet or LPSA_XL_REGISTER names one)."""
    book = xw.Book.caller()
    macros.validate(book, register_url(book, server=False))


@_sub
def lpsa_build_claim() -> None:
    """Build claim: fill the Claim sheet's payment plan from the targets."""
    macros.build_claim(xw.Book.caller())


if __name__ == "__main__":  # pragma: no cover - a listing for people
    print(describe())
