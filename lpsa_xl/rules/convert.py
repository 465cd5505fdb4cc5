"""Turning what users type into exact decimals, and rounding money (docs/rules.md#numbers).

Excel stores every number as a binary double, and a double typed as ``40.16`` is really
40.159999999999996589... Taking the binary value at face value makes
``(40.16 - 40.1) / (40.2 - 40.1)`` come out as 0.59999999999994 and miss the 60% floor that the
figures the council typed meet exactly. A float is therefore converted through its shortest
``repr`` (what Python and Excel display: ``'40.16'``), which is the decimal the user typed,
because a typed figure has at most 15 significant digits and the shortest repr round-trips it.

All rule arithmetic then happens in :class:`decimal.Decimal` under :data:`CONTEXT`, whose
precision is far beyond any money figure, so the only rounding is the explicit one in
:func:`round_money`.
"""

from __future__ import annotations

import contextvars
import decimal
import functools
import math
import numbers
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, Union, cast

from lpsa_xl.rules.errors import NotANumberError, OutOfRangeError

__all__ = [
    "CONTEXT",
    "EXCEL_DIGITS",
    "ROUNDING_MODES",
    "Number",
    "NumberText",
    "exact",
    "parse_number_text",
    "read_number_text",
    "round_money",
    "tidy",
    "to_decimal",
    "to_decimal_or_none",
    "to_ref",
    "to_rounding_mode",
    "to_unit",
]

#: Anything a rule accepts as a number.
Number = Union[int, float, str, Decimal]  # noqa: UP007 - a runtime alias on Python 3.10

#: The arithmetic context of every rule: 40 significant digits, and any decimal signal
#: (division by zero, invalid operation) raised rather than hidden.
CONTEXT = decimal.Context(
    prec=40,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[decimal.DivisionByZero, decimal.InvalidOperation, decimal.Overflow],
)

#: Rounding modes by the names users write (Excel's ROUND is half up, away from zero).
ROUNDING_MODES = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}

#: Excel keeps 15 significant digits; a double carries up to 17.
EXCEL_DIGITS = 15


def to_decimal(value: object, field: str = "value") -> Decimal:
    """Convert ``value`` to an exact, finite :class:`~decimal.Decimal` (docs/rules.md#numbers).

    Accepts int, float, Decimal (numpy numbers too), and text such as ``"40.16"``,
    ``" 1,234.50 "``, ``"132 993 000"``, ``"£3,325,000"``, ``"(1,200)"`` or ``"45%"`` (0.45,
    as Excel reads it; :func:`parse_number_text`). A float is taken as the decimal
    Excel shows for it: its shortest repr, rounded to Excel's 15 significant digits. For any
    figure typed into Excel (at most 15 digits) that is exactly what was typed; for a figure a
    formula computed (``=0.1+(0.3-0.1)*0.6`` is 0.22000000000000003 in binary) it is the 0.22
    the cell shows. A bool, a blank, NaN, infinity or text that is not a number raises
    :class:`~lpsa_xl.rules.errors.NotANumberError` naming ``field``.
    """
    kind = type(value)
    # the fast paths: what the rules pass each other, and Excel's doubles
    if kind is Decimal:
        exact_value: Decimal = value  # type: ignore[assignment]
        if exact_value.is_finite():
            return exact_value + 0 if exact_value == 0 else exact_value
    elif kind is float:
        double: float = value  # type: ignore[assignment]
        if math.isfinite(double):
            return _from_float(double)
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        raise NotANumberError(f"expected a number, got {value!r}", field=field)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    elif isinstance(value, numbers.Real):  # float, numpy floats, Fraction
        number = float(value)
        if not math.isfinite(number):
            raise NotANumberError(f"expected a finite number, got {value!r}", field=field)
        if not isinstance(value, float) and hasattr(value, "dtype"):
            number = float(str(value))  # numpy's shortest repr at its own width (float32)
        return _from_float(number)
    elif isinstance(value, str):
        result = parse_number_text(value, field)
    else:
        shown = "a blank" if value is None else f"{type(value).__name__} {value!r}"
        raise NotANumberError(f"expected a number, got {shown}", field=field)
    if not result.is_finite():
        raise NotANumberError(f"expected a finite number, got {value!r}", field=field)
    return result + 0 if result == 0 else result  # -0 -> 0


@functools.lru_cache(maxsize=4096)
def _from_float(number: float) -> Decimal:
    """A finite float as the decimal Excel shows: 15 significant digits (cached: a workbook
    repeats its figures across many formulas)."""
    result = Decimal(format(number, f".{EXCEL_DIGITS}g"))
    return result + 0 if result == 0 else result


def to_decimal_or_none(value: object, field: str = "value") -> Decimal | None:
    """Like :func:`to_decimal`, but a blank (None or empty text) gives None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return to_decimal(value, field)


def to_ref(value: object) -> str:
    """A target reference as text: Excel hands over ``3.0`` for a ref typed as 3."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class NumberText(NamedTuple):
    """A figure typed as text, as :func:`read_number_text` reads it: its ``value`` as Excel
    takes it ("49%" is 0.49), whether it carried a per cent sign and whether a pound sign."""

    value: Decimal
    percent: bool
    money: bool


# A figure as people type it into a cell: "1,234,567.50", "132 993 000" (spaces or
# non-breaking spaces between groups of three), "40.16", ".5", "1.5E3"; a sign, a pound sign
# and a per cent sign around it; parentheses for a negative amount, as accounts show one.
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:\.\d*)?|\.\d+"
_NUMBER_TEXT = re.compile(
    rf"(?P<sign>[+-]?)\s*(?P<pound>£?)\s*(?P<sign2>[+-]?)\s*(?P<digits>{_DIGITS})"
    r"(?P<exp>[eE][+-]?\d+)?\s*(?P<pct>%?)"
)
_SPACES = " \t\r\n\u00a0\u202f"


def read_number_text(text: str, field: str = "value") -> NumberText:
    """Read a figure typed as text, as a finance officer means it and as Excel's own
    conversion of text to a number does (docs/rules.md#numbers): ``"45%"`` and ``"45 %"`` are 0.45,
    ``"£29,816"`` is 29816, ``"(1,200)"`` is -1200, ``" 132 993 000 "`` is 132993000,
    ``"-£1,200.50"`` is -1200.50. Anything else (words, two signs, "1_000", a blank, NaN)
    raises :class:`~lpsa_xl.rules.errors.NotANumberError` naming ``field``. The result says
    whether the text carried a per cent sign, so a reader can tell "49%" from 0.49 typed as
    a fraction."""
    cleaned = text.strip(_SPACES)
    if not cleaned:
        raise NotANumberError("expected a number, got a blank", field=field)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned, negative = cleaned[1:-1].strip(_SPACES), True
    match = _NUMBER_TEXT.fullmatch(cleaned)
    if (
        match is None
        or (match["sign"] and match["sign2"])
        or (negative and (match["sign"] or match["sign2"]))
    ):
        raise NotANumberError(f"expected a number, got text {text!r}", field=field)
    digits = re.sub(r"[, \u00a0\u202f]", "", match["digits"]) + (match["exp"] or "")
    try:
        value = Decimal(digits)
    except decimal.InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NotANumberError(f"expected a number, got text {text!r}", field=field) from None
    if not value.is_finite():  # pragma: no cover - the pattern admits no NaN or Infinity
        raise NotANumberError(f"expected a finite number, got {text!r}", field=field)
    if "-" in (match["sign"] + match["sign2"]) or negative:
        value = -value
    percent = bool(match["pct"])
    if percent:
        value = value.scaleb(-2)
    return NumberText(value + 0 if value == 0 else value, percent, bool(match["pound"]))


def parse_number_text(text: str, field: str = "value") -> Decimal:
    """The number a text means, as Excel converts text to a number in a formula: ``"45%"`` is
    0.45, ``"£3,325,000"`` is 3325000, ``"(1,200)"`` is -1200 (see :func:`read_number_text`,
    which also says whether the text was a percentage). Raises
    :class:`~lpsa_xl.rules.errors.NotANumberError` naming ``field`` for text that is not a
    number."""
    return read_number_text(text, field).value


def to_unit(value: object, field: str = "rounding unit") -> Decimal:
    """A rounding unit: a positive power of ten such as ``1``, ``0.01`` or ``1000``."""
    unit = to_decimal(value, field)
    if unit <= 0:
        raise OutOfRangeError(f"must be positive, got {unit}", field=field)
    return unit


def to_rounding_mode(name: object, field: str = "rounding mode") -> str:
    """The :mod:`decimal` rounding constant for a mode name such as ``half_up`` (or a
    :mod:`decimal` constant such as ``decimal.ROUND_HALF_UP``, which is the text
    ``"ROUND_HALF_UP"``)."""
    if not isinstance(name, str):
        raise OutOfRangeError(f"expected a rounding mode name, got {name!r}", field=field)
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key.startswith("round_"):
        key = key[len("round_") :]
    try:
        return ROUNDING_MODES[key]
    except KeyError:
        known = ", ".join(ROUNDING_MODES)
        raise OutOfRangeError(
            f"unknown rounding mode {name!r} (known: {known})", field=field
        ) from None


def round_money(amount: object, unit: object = 1, mode: object = "half_up") -> Decimal:
    """Round ``amount`` to a whole number of ``unit`` (docs/rules.md#rounding: half up, as Excel's
    ROUND,
    so halves go away from zero: -2.5 rounds to -3).

    ``unit`` need not be a power of ten (``0.05`` rounds to five pence). For a power of ten the
    result carries the unit's exponent: rounding to the penny gives two decimal places.
    """
    money = to_decimal(amount, "amount")
    step = to_unit(unit)
    how = to_rounding_mode(mode)
    with decimal.localcontext(CONTEXT):
        result = (money / step).to_integral_value(rounding=how) * step
        if step.normalize().as_tuple().digits == (1,):
            result = result.quantize(step)
        return result + 0 if result == 0 else result


def tidy(value: Decimal) -> Decimal:
    """A computed figure without trailing zeros or exponent: ``0.6`` not ``0.600``,
    ``2752270`` not ``2.75227E+6``."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


_F = TypeVar("_F", bound=Callable[..., Any])
_INSIDE: contextvars.ContextVar[bool] = contextvars.ContextVar("lpsa_xl_in_rule", default=False)


def exact(func: _F) -> _F:
    """Run a rule under :data:`CONTEXT`, whatever decimal context the caller has set; a figure
    beyond its precision becomes an :class:`OutOfRangeError`, never a bare decimal signal."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _INSIDE.get():  # a rule called by a rule: CONTEXT is already in force
            return func(*args, **kwargs)
        token = _INSIDE.set(True)
        try:
            with decimal.localcontext(CONTEXT):
                return func(*args, **kwargs)
        except decimal.DecimalException:
            raise OutOfRangeError(
                f"a figure is too large or too precise to compute exactly "
                f"({CONTEXT.prec} significant digits)",
                field=func.__name__,
            ) from None
        finally:
            _INSIDE.reset(token)

    return cast(_F, wrapper)
