"""Potential reward and its split over targets and sub-targets (RULES.md §3)."""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from decimal import Decimal

from .convert import exact, round_money, to_decimal
from .errors import OutOfRangeError, WeightsError
from .reward import rounding_for
from .schemes import Scheme, get_scheme

__all__ = ["WEIGHT_TOLERANCE", "allocate", "potential", "share", "to_count", "weights_for"]

#: How far weights typed into a return may sum from 1 (``0.333333`` three times) and still be
#: taken as meaning thirds. They are then scaled to sum to exactly 1.
WEIGHT_TOLERANCE = Decimal("0.000001")


@exact
def potential(nbr: object, scheme: str | Scheme | None = "LPSA1") -> Decimal:
    """The potential reward: the scheme's rate (2.5%) of the net budget requirement (§3).

    The NBR is that of the financial year before the agreement starts. Rounded to the penny.
    Agreements state a rounded figure, and **the stated figure wins**: where an agreement states
    its potential, use that instead of this.
    """
    sch = get_scheme(scheme)
    amount = to_decimal(nbr, "nbr")
    if amount < 0:
        raise OutOfRangeError(f"must not be negative, got {amount}", field="nbr")
    return round_money(amount * sch.nbr_rate, sch.payment_unit, sch.rounding)


def to_count(value: object, field: str) -> int:
    """A whole count of at least 1 (Excel hands over ``12.0`` for 12)."""
    number = to_decimal(value, field)
    if number != number.to_integral_value() or number < 1:
        raise OutOfRangeError(f"must be a whole number of at least 1, got {number}", field=field)
    return int(number)


@exact
def share(
    total: object,
    n_targets: object,
    n_subtargets: object = 1,
    weight: object = None,
    *,
    rounding: object = None,
    scheme: str | Scheme | None = "LPSA1",
) -> Decimal:
    """One (sub-)target's part of a total potential (RULES.md §3).

    "Divided equally among the targets; where a target has sub-targets, unless otherwise
    specified, sub-divided equally among the sub-targets": ``total / n_targets / n_subtargets``.
    A ``weight`` (the sub-target's fraction of its target, e.g. 0.9 and 0.1) replaces the equal
    sub-division. Rounded like a reward (whole pounds, half up, by default). For a whole split
    whose parts add back to the total exactly, use :func:`allocate`.
    """
    amount = to_decimal(total, "total")
    if amount < 0:
        raise OutOfRangeError(f"must not be negative, got {amount}", field="total")
    n = to_count(n_targets, "n_targets")
    if weight is None or (isinstance(weight, str) and not weight.strip()):
        fraction = Decimal(1) / to_count(n_subtargets, "n_subtargets")
    else:
        fraction = to_decimal(weight, "weight")
        if not 0 < fraction <= 1:
            raise OutOfRangeError(f"must be above 0 and at most 1, got {fraction}", field="weight")
    how = rounding_for(rounding, get_scheme(scheme))
    return round_money(amount * fraction / n, how.unit, how.mode)


def weights_for(weights: Sequence[object | None], field: str = "weight") -> list[Decimal]:
    """Exact weights summing to 1 from what a return gives: all blank means equal parts.

    Weights summing to 1 within :data:`WEIGHT_TOLERANCE` are scaled to sum to exactly 1;
    otherwise :class:`WeightsError`. Mixing blank and given weights is an error too.
    """
    n = len(weights)
    if n == 0:
        raise OutOfRangeError("there must be at least one part", field=field)
    given = [w for w in weights if w is not None and not (isinstance(w, str) and not w.strip())]
    if not given:
        return [Decimal(1) / n] * n
    if len(given) != n:
        raise WeightsError(
            f"{n - len(given)} of {n} weights are blank; give all or none", field=field
        )
    values = [to_decimal(w, field) for w in given]
    if any(v < 0 for v in values):
        raise OutOfRangeError("weights must not be negative", field=field)
    total = sum(values, Decimal(0))
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise WeightsError(f"weights add up to {total}, not 1", field=field)
    return [v / total for v in values]


@exact
def allocate(
    total: object,
    weights: Sequence[object | None],
    unit: object = 1,
    mode: str = decimal.ROUND_HALF_UP,
) -> list[Decimal]:
    """Split ``total`` by ``weights`` into parts that add back to it exactly (RULES.md §3).

    The total is first rounded to ``unit``; each part is its exact share rounded down to the
    unit, and the units left over go one each to the parts with the largest remainders (the
    earliest first on a tie), so ``sum(parts) == round(total, unit)`` always. Blank weights mean
    equal parts; given weights must add up to 1.
    """
    amount = to_decimal(total, "total")
    step = to_decimal(unit, "unit")
    if step <= 0:
        raise OutOfRangeError(f"must be positive, got {step}", field="unit")
    fractions = weights_for(weights)
    whole = round_money(amount, step, mode)
    units_total = int(whole / step)
    raw = [whole / step * f for f in fractions]
    floors = [int(r.to_integral_value(rounding=decimal.ROUND_FLOOR)) for r in raw]
    left = units_total - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [round_money(count * step, step, mode) for count in floors]
