"""What every LPSA Excel function is: an :class:`ExcelFunction` with its :class:`Arg` list,
called with Excel values and answering with an Excel value, never raising for bad input (an
Excel error value whose ``reason`` says why). The declarations themselves are in
:mod:`lpsa_xl.functions.registry`; the array functions' bodies in
:mod:`lpsa_xl.functions.tables`.

Calling an :class:`ExcelFunction` takes Excel values, as Excel or a workbook file hands them over
(float, int, str, bool, None for a blank, :class:`~lpsa_xl.values.ExcelError`, and a range as
a list of row lists), and returns an Excel value: a float, a str, or a list of row lists for an
array result.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lpsa_xl.rules.errors import LpsaError, NotANumberError, OutOfRangeError
from lpsa_xl.rules.schemes import schemes_generation
from lpsa_xl.values import VALUE, ExcelError

__all__ = ["CATEGORY", "Arg", "ErrorInput", "ExcelFunction", "to_excel"]

log = logging.getLogger("lpsa_xl.functions.registry")

CATEGORY = "LPSA"

@dataclass(frozen=True)
class Arg:
    """An argument of an Excel function, with the help text the function wizard shows.

    ``kind`` says how the Excel value is taken: ``"number"`` (a figure: blank is an error),
    ``"text"`` (a scheme name: blank means the default), ``"count"`` (a whole number),
    ``"table"`` (a range with its header row, passed on as rows) or ``"value"`` (as it comes).
    """

    name: str
    doc: str
    kind: str = "number"
    optional: bool = False


@dataclass(frozen=True)
class ExcelFunction:
    """One Excel function: declared once, served to every adapter."""

    name: str
    doc: str
    args: tuple[Arg, ...]
    impl: Callable[..., Any]
    returns: str = "number"  # "number", "text" or "array"
    category: str = CATEGORY

    @property
    def core_name(self) -> str:
        """The core's public name this function exposes (``LPSA_REWARD`` -> ``reward``)."""
        return self.name.removeprefix("LPSA_").lower()

    @property
    def required(self) -> int:
        return sum(1 for a in self.args if not a.optional)

    def __call__(self, *values: object) -> object:
        """Evaluate with Excel values; returns an Excel value, never raises for bad input.

        Every function is pure, so a call with plain scalar arguments is remembered: a workbook
        asks ``LPSA_INSTALMENTS(...)`` once per cell of the payment plan, and returns of one
        template ask the same questions. The memo is keyed by the arguments and their types
        and forgotten when the loaded schemes change."""
        key = None
        if all(type(v) in _MEMO_TYPES for v in values):  # ExcelError, a str subclass, is not
            key = (self.name, schemes_generation(), values, tuple(type(v) for v in values))
            hit = _MEMO.get(key, _MISS)
            if hit is not _MISS:
                return _fresh(hit)
        result = self._evaluate(values)
        if key is not None:
            if len(_MEMO) >= _MEMO_LIMIT:
                _MEMO.clear()
            _MEMO[key] = result
        return _fresh(result)

    def _evaluate(self, values: tuple[object, ...]) -> object:
        if len(values) > len(self.args):
            return VALUE.with_reason(f"{self.name} takes at most {len(self.args)} arguments")
        if len(values) < self.required:
            missing = self.args[len(values)].name
            return VALUE.with_reason(f"{self.name}: {missing} is missing")
        try:
            taken = [_take(arg, value) for arg, value in zip(self.args, values)]
        except ErrorInput as passed:
            return passed.error
        except LpsaError as exc:
            return ExcelError(exc.excel_error, f"{self.name}: {exc}")
        try:
            return to_excel(self.impl(*taken))
        except ErrorInput as passed:
            return passed.error
        except LpsaError as exc:
            return ExcelError(exc.excel_error, f"{self.name}: {exc}")
        except Exception as exc:  # a bug must not put a traceback in a cell
            log.exception("%s failed", self.name)
            return VALUE.with_reason(f"{self.name}: internal error ({type(exc).__name__})")


_MEMO_TYPES = frozenset({float, int, str, bool, type(None)})
_MEMO: dict[tuple[object, ...], object] = {}
_MEMO_LIMIT = 20_000
_MISS = object()


def _fresh(result: object) -> object:
    """An array result copied, so a caller changing it cannot change the memo."""
    if isinstance(result, list):
        return [_fresh(item) for item in result]
    return result


class ErrorInput(Exception):
    """An input cell already holds an error value: it passes through, as in Excel."""

    def __init__(self, error: ExcelError) -> None:
        self.error = error


def _scalar(value: object) -> object:
    """A single-cell range arrives as ``[[x]]`` or ``[x]`` from some runtimes."""
    while isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    return value


def _take(arg: Arg, value: object) -> object:
    if type(value) is float and arg.kind != "text":  # the common case: a number from a cell
        return value
    if arg.kind == "table":
        return value
    value = _scalar(value)
    if isinstance(value, ExcelError):
        raise ErrorInput(value)
    if isinstance(value, (list, tuple)):
        raise NotANumberError("expected a single cell, got a range", field=arg.name)
    blank = value is None or (isinstance(value, str) and not value.strip())
    if arg.kind == "text":
        return None if blank else str(value).strip()
    if blank and arg.optional:
        return None
    if blank:
        raise NotANumberError("is blank", field=arg.name)
    return value  # the core converts it, naming the field if it is not a number


def to_excel(result: object) -> object:
    """A core result as an Excel value: Decimal -> float, rows of values likewise. A figure
    beyond what a double holds is an :class:`OutOfRangeError` (``#NUM!``), never infinity."""
    if isinstance(result, Decimal):
        number = float(result)
        if math.isinf(number):
            raise OutOfRangeError(f"{result:.3E} is beyond what Excel can hold", field="result")
        return number
    if isinstance(result, (list, tuple)):
        return [to_excel(item) for item in result]
    return result
