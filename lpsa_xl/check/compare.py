"""How closely a figure typed or cached in a return must match the figure the core recomputes.

A return shows figures rounded (a potential stated as £3,325,000, a % of stretch typed as 60%),
or as Excel's binary doubles. A claimed figure matches when it differs from the recomputed one by
no more than half the unit it is shown to, plus a hair for binary noise. This is the checker's
tolerance, not a rule: every figure compared comes from :mod:`lpsa_xl.rules`.
"""

from __future__ import annotations

from decimal import Decimal

from lpsa_xl.rules import to_decimal
from lpsa_xl.rules.convert import read_number_text
from lpsa_xl.values import ERRORS

__all__ = ["as_fractions", "error_value", "half_unit", "within"]

_NOISE = Decimal("1e-9")


def error_value(value: object) -> str | None:
    """The Excel error code ``value`` holds (``#DIV/0!``), or None."""
    if isinstance(value, str) and value.strip() in ERRORS:
        return value.strip()
    return None


def half_unit(value: Decimal, *, whole_zeros: bool = False) -> Decimal:
    """Half the unit ``value`` is shown to: 0.005 for 12.34, 0.5 for 60.

    With ``whole_zeros``, trailing zeros of a whole number count as rounding too:
    £3,325,000 is rounded to the thousand (half unit 500), as agreements stated potentials.
    """
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > 0 and not whole_zeros:
        exponent = 0
    return Decimal(1).scaleb(exponent) / 2


def within(claimed: Decimal, exact: Decimal, tolerance: Decimal) -> bool:
    """Whether ``claimed`` is within ``tolerance`` of ``exact`` (plus binary noise)."""
    return abs(claimed - exact) <= tolerance + _NOISE * max(abs(exact), Decimal(1))


def as_fractions(value: object) -> list[tuple[Decimal, Decimal]]:
    """The fractions a claimed percentage may mean, each with its tolerance.

    ``0.45``, ``45`` and ``"45%"`` all may mean 45%: a number is read both as a fraction and as
    a percentage; text ending in ``%`` only as a percentage. Raises
    :class:`~lpsa_xl.rules.NotANumberError` for anything else."""
    if isinstance(value, str):
        typed = read_number_text(value, "percentage")
        if typed.percent:  # the unit it is shown to is one of its percentage points
            return [(typed.value, half_unit(typed.value.scaleb(2)) / 100)]
    number = to_decimal(value, "percentage")
    return [(number, half_unit(number)), (number / 100, half_unit(number) / 100)]
