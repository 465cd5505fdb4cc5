"""Payable fraction, reward and status of a target or sub-target (RULES.md §4)."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from .convert import exact, round_money, to_decimal, to_rounding_mode, to_unit
from .errors import OutOfRangeError
from .schemes import Scheme, get_scheme
from .stretch import achievement, stretch

__all__ = [
    "GREEN",
    "AMBER",
    "RED",
    "Rounding",
    "payable_fraction",
    "reward",
    "rounding_for",
    "status",
]

GREEN, AMBER, RED = "Green", "Amber", "Red"


@dataclass(frozen=True)
class Rounding:
    """How a reward is rounded: a unit (``1`` whole pounds, ``0.01`` pennies) and a mode."""

    unit: Decimal = Decimal(1)
    mode: str = decimal.ROUND_HALF_UP


def rounding_for(rounding: object, scheme: Scheme) -> Rounding:
    """The :class:`Rounding` meant by ``rounding``: None (the scheme's own), a unit, or a Rounding.

    A unit may be given as a number (``0.01``) or a word: ``"pound"``, ``"penny"``.
    A string such as ``"0.01 half_even"`` gives a unit and a mode.
    """
    if rounding is None:
        return Rounding(scheme.reward_unit, scheme.rounding)
    if isinstance(rounding, Rounding):
        return rounding
    if isinstance(rounding, str):
        words = rounding.split()
        if not words:
            return Rounding(scheme.reward_unit, scheme.rounding)
        unit_word = {"pound": "1", "pounds": "1", "penny": "0.01", "pence": "0.01"}.get(
            words[0].lower(), words[0]
        )
        mode = to_rounding_mode(words[1]) if len(words) > 1 else scheme.rounding
        return Rounding(to_unit(unit_word), mode)
    return Rounding(to_unit(rounding), scheme.rounding)


@exact
def payable_fraction(
    expected: object, target: object, actual: object, scheme: str | Scheme | None = "LPSA1"
) -> Decimal:
    """The fraction of a target's potential that is payable (RULES.md §4).

    0 below the scheme's floor (60%, inclusive: exactly 60% pays 60%), the achievement itself up
    to the cap, and the cap (100%) above it: over-achievement never offsets another target.
    0 for a scheme that paid no reward (LAA2008).
    """
    sch = get_scheme(scheme)
    a = achievement(expected, target, actual)
    if not sch.pays_reward or a < sch.floor:
        return Decimal(0)
    return min(a, sch.cap)


@exact
def reward(
    expected: object,
    target: object,
    actual: object,
    potential: object,
    scheme: str | Scheme | None = "LPSA1",
    rounding: object = None,
) -> Decimal:
    """The reward payable for one target or sub-target: ``round(p x potential)`` (RULES.md §4).

    ``potential`` is that (sub-)target's share of the potential reward. ``rounding`` defaults to
    the scheme's (whole pounds, half up, as councils reported); pass ``0.01`` for pennies as in
    government determinations, or a :class:`Rounding`. The product is formed exactly, as
    ``potential x (A - E) / (T - E)``, before the one rounding. A half-up rounding that would
    lift a capped reward above the potential itself rounds down instead: the reward never exceeds
    the potential.
    """
    sch = get_scheme(scheme)
    pot = to_decimal(potential, "potential")
    if pot < 0:
        raise OutOfRangeError(f"must not be negative, got {pot}", field="potential")
    how = rounding_for(rounding, sch)
    p = payable_fraction(expected, target, actual, sch)
    if p == 0:
        return round_money(Decimal(0), how.unit, how.mode)
    if p == sch.cap:
        exact_amount = pot * sch.cap
    else:  # p is the achievement itself: form the product before dividing, for exactness
        e = to_decimal(expected, "expected")
        exact_amount = pot * (to_decimal(actual, "actual") - e) / stretch(expected, target)
    rounded = round_money(exact_amount, how.unit, how.mode)
    if rounded > pot:
        rounded = round_money(exact_amount, how.unit, decimal.ROUND_FLOOR)
    return rounded


@exact
def status(
    expected: object, target: object, actual: object, scheme: str | Scheme | None = "LPSA1"
) -> str:
    """The monitoring colour (RULES.md §4): Green when the stretch is achieved (a >= 1),
    Amber when at least the floor (60%) is achieved, Red below it."""
    a = achievement(expected, target, actual)
    if a >= 1:
        return GREEN
    if a >= get_scheme(scheme).floor:
        return AMBER
    return RED
