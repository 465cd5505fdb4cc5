"""Payable fraction, reward and status of a target or sub-target (docs/rules.md#reward)."""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import exact, round_money, to_decimal, to_rounding_mode, to_unit
from lpsa_xl.rules.errors import OutOfRangeError
from lpsa_xl.rules.schemes import Scheme, get_scheme
from lpsa_xl.rules.stretch import achieved_at_least, achievement, stretch

__all__ = [
    "AMBER",
    "GREEN",
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
    """How a reward is rounded: a unit (``1`` whole pounds, ``0.01`` pennies) and a mode
    (``"half_up"``, as Excel's ROUND, by default)."""

    unit: Decimal = Decimal(1)
    mode: str = decimal.ROUND_HALF_UP

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", to_unit(self.unit))
        object.__setattr__(self, "mode", to_rounding_mode(self.mode))


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


def _figures(expected: object, target: object, actual: object) -> tuple[Decimal, Decimal, Decimal]:
    stretch(expected, target)  # validates: no zero stretch
    return (
        to_decimal(expected, "expected"),
        to_decimal(target, "target"),
        to_decimal(actual, "actual"),
    )


@exact
def payable_fraction(
    expected: object, target: object, actual: object, scheme: str | Scheme | None = "LPSA1"
) -> Decimal:
    """The fraction of a target's potential that is payable (docs/rules.md#floor, #cap).

    0 below the scheme's floor (60%, inclusive: exactly 60% pays 60%), the achievement itself up
    to the cap, and the cap (100%) above it: over-achievement never offsets another target.
    0 for a scheme that paid no reward (LAA2008). The floor and cap are tested exactly.
    """
    sch = get_scheme(scheme)
    e, t, a = _figures(expected, target, actual)
    if not sch.pays_reward or not achieved_at_least(e, t, a, sch.floor):
        return Decimal(0)
    if achieved_at_least(e, t, a, sch.cap):
        return sch.cap
    return achievement(e, t, a)


@exact
def reward(
    expected: object,
    target: object,
    actual: object,
    potential: object,
    scheme: str | Scheme | None = "LPSA1",
    rounding: object = None,
) -> Decimal:
    """The reward payable for one target or sub-target: ``round(p x potential)``
    (docs/rules.md#reward).

    ``potential`` is that (sub-)target's share of the potential reward. ``rounding`` defaults to
    the scheme's (whole pounds, half up, as councils reported); pass ``0.01`` for pennies as in
    government determinations, ``"0.01 half_even"``, or a :class:`Rounding`. The product is
    formed exactly, as ``potential x (A - E) / (T - E)``, before the one rounding. By default a
    potential with pence (an agreement's potential kept to the penny, split to the penny) is
    paid to the penny, so full achievement pays exactly the potential. With a potential that is
    a whole number of rounding units the reward never exceeds the potential.
    """
    sch = get_scheme(scheme)
    pot = to_decimal(potential, "potential")
    if pot < 0:
        raise OutOfRangeError(f"must not be negative, got {pot}", field="potential")
    how = rounding_for(rounding, sch)
    if rounding is None and pot % how.unit != 0:
        how = Rounding(sch.payment_unit, how.mode)
    p = payable_fraction(expected, target, actual, sch)
    if p == 0:
        return round_money(Decimal(0), how.unit, how.mode)
    e, t, a = _figures(expected, target, actual)
    exact_amount = pot * sch.cap if p == sch.cap else pot * (a - e) / (t - e)
    return round_money(exact_amount, how.unit, how.mode)


@exact
def status(
    expected: object, target: object, actual: object, scheme: str | Scheme | None = "LPSA1"
) -> str:
    """The monitoring colour (docs/rules.md#status): Green when the stretch is achieved (a >= 1),
    Amber when at least the floor (60%) is achieved, Red below it."""
    e, t, a = _figures(expected, target, actual)
    if achieved_at_least(e, t, a, Decimal(1)):
        return GREEN
    if achieved_at_least(e, t, a, get_scheme(scheme).floor):
        return AMBER
    return RED
