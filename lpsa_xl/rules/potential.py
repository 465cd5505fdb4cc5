"""Potential reward and its split over targets and sub-targets (docs/rules.md#potential, #split)."""

from __future__ import annotations

import decimal
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import exact, round_money, to_decimal, to_rounding_mode
from lpsa_xl.rules.errors import InputError, OutOfRangeError, WeightsError
from lpsa_xl.rules.reward import rounding_for
from lpsa_xl.rules.schemes import Scheme, get_scheme

__all__ = [
    "WEIGHT_TOLERANCE",
    "Portion",
    "allocate",
    "potential",
    "ref_order",
    "share",
    "split_potentials",
    "split_unit",
    "to_count",
    "weights_for",
]

#: How far weights typed into a return may sum from 1 (``0.333333`` three times) and still be
#: taken as meaning thirds. They are then scaled to sum to exactly 1.
WEIGHT_TOLERANCE = Decimal("0.000001")


@exact
def potential(nbr: object, scheme: str | Scheme | None = "LPSA1") -> Decimal:
    """The potential reward: the scheme's rate (2.5%) of the net budget requirement
    (docs/rules.md#potential).

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
    """One (sub-)target's part of a total potential (docs/rules.md#split).

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


def weights_for(
    weights: Sequence[object | None], field: str = "weight", tolerance: object = None
) -> list[Decimal]:
    """Exact weights summing to 1 from what a return gives: all blank means equal parts.

    Weights summing to 1 within ``tolerance`` (default :data:`WEIGHT_TOLERANCE`, for thirds
    typed as 0.333333) are scaled to sum to exactly 1; otherwise :class:`WeightsError`. Negative
    weights, and a mix of blank and given weights, are errors too. This is the one place
    weights are validated: sub-target weights, partner shares and instalment shares all come here.
    """
    limit = WEIGHT_TOLERANCE if tolerance is None else to_decimal(tolerance, "tolerance")
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
    if abs(total - 1) > limit:
        raise WeightsError(f"weights add up to {total}, not 1", field=field)
    return [v / total for v in values]


def ref_order(ref: object) -> tuple[tuple[int, int | str], ...]:
    """The sort key of a reference in natural order: ``"2"`` before ``"10"``, ``"1a"`` before
    ``"1b"``, case aside (docs/rules.md#split: who takes a unit left over)."""
    chunks = re.findall(r"\d+|\D+", str(ref).strip().casefold())
    return tuple((0, int(c)) if c.isdigit() else (1, c) for c in chunks)


@exact
def allocate(
    total: object,
    weights: Sequence[object | None],
    unit: object = 1,
    mode: object = "half_up",
    *,
    order: Sequence[object] | None = None,
) -> list[Decimal]:
    """Split ``total`` by ``weights`` into parts that add back to it exactly (docs/rules.md#split).

    The total is first rounded to ``unit``; each part is its exact share rounded down to the
    unit, and the units left over go one each to the parts with the largest remainders, so
    ``sum(parts) == round(total, unit)`` always. On a tie the part whose ``order`` key sorts
    first takes the unit (the keys are the parts' references in natural order, for a split
    that must not depend on the order its lines are listed in); without keys, the earliest part.
    Blank weights mean equal parts; given weights must add up to 1.
    """
    amount = to_decimal(total, "total")
    step = to_decimal(unit, "unit")
    if step <= 0:
        raise OutOfRangeError(f"must be positive, got {step}", field="unit")
    how = to_rounding_mode(mode)
    fractions = weights_for(weights)
    whole = round_money(amount, step, how)
    units_total = int(whole / step)
    raw = [whole / step * f for f in fractions]
    floors = [int(r.to_integral_value(rounding=decimal.ROUND_FLOOR)) for r in raw]
    left = units_total - sum(floors)
    keys: Sequence[object] = range(len(raw)) if order is None else order
    if len(keys) != len(raw):
        raise OutOfRangeError("one order key is needed for each part", field="order")
    ranked = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), keys[i], i))
    for i in ranked[:left]:
        floors[i] += 1
    return [round_money(count * step, step, how) for count in floors]


@dataclass(frozen=True)
class Portion:
    """A target or sub-target in a split of the potential reward: its reference, the
    potential stated for it (or None), its weight within its target (sub-targets only) and,
    for a target, its sub-targets."""

    ref: str
    stated: Decimal | None = None
    weight: object = None
    parts: tuple[Portion, ...] = ()


@exact
def split_potentials(
    total: object, targets: Sequence[Portion], scheme: str | Scheme | None = "LPSA1"
) -> list[tuple[str, str, Decimal]]:
    """The potential of every measured line, as ``(parent ref, ref, potential)``
    (docs/rules.md#split).

    "Divided equally among the targets; where a target has sub-targets, unless otherwise
    specified, sub-divided equally among the sub-targets". A potential stated for a target (or
    for every one of its sub-targets) wins, and what is left of ``total`` is divided among the
    other targets; within a target, stated sub-target potentials win and the rest is divided by
    the weights. Every split adds back exactly (:func:`allocate`): in whole pounds where the
    amount split is whole pounds, else to the penny (:func:`split_unit`), the units left over
    going to the references first in natural order (:func:`ref_order`), whatever order the
    lines are listed in.
    ``total`` may be None when every target states its potential. This is the one place the
    split is made: the schedule, the templates' ``LPSA_LINE_POTENTIAL`` and the checker use it.
    """
    sch = get_scheme(scheme)
    if not sch.pays_reward:
        return [
            (t.ref if t.parts else "", line.ref, Decimal(0))
            for t in targets
            for line in (t.parts or (t,))
        ]
    own = {i: _stated(t) for i, t in enumerate(targets)}
    open_targets = [i for i, v in own.items() if v is None]
    if open_targets:
        if total is None or (isinstance(total, str) and not total.strip()):
            first = targets[open_targets[0]]
            raise InputError(
                "no potential: give the agreement's NBR or stated potential, or a "
                "potential for this line",
                field="potential",
                ref=(first.parts or (first,))[0].ref,
            )
        whole = to_decimal(total, "total")
        left = whole - sum((v for v in own.values() if v is not None), Decimal(0))
        if left < 0:
            raise WeightsError(
                f"stated potentials add up to more than the total {whole}", field="potential"
            )
        parts = allocate(
            left,
            [None] * len(open_targets),
            split_unit(left, sch),
            sch.rounding,
            order=[ref_order(targets[i].ref) for i in open_targets],
        )
        own.update(zip(open_targets, parts))
    out: list[tuple[str, str, Decimal]] = []
    for i, target in enumerate(targets):
        part = own[i]
        assert part is not None
        if not target.parts:
            out.append(("", target.ref, part))
            continue
        subs = target.parts
        fractions = weights_for([s.weight for s in subs], "sub-target weights")
        unstated = [j for j, s in enumerate(subs) if s.stated is None]
        pots = [s.stated or Decimal(0) for s in subs]
        left = part - sum(pots, Decimal(0))
        if left < 0:
            raise WeightsError(
                f"sub-target potentials add up to more than the target's {part}",
                field="potential",
                ref=target.ref,
            )
        if unstated:
            weight_left = sum((fractions[j] for j in unstated), Decimal(0))
            split = allocate(
                left,
                [fractions[j] / weight_left for j in unstated],
                split_unit(left, sch),
                sch.rounding,
                order=[ref_order(subs[j].ref) for j in unstated],
            )
            for j, amount in zip(unstated, split):
                pots[j] = amount
        out.extend((target.ref, sub.ref, pot) for sub, pot in zip(subs, pots))
    return out


def split_unit(amount: Decimal, sch: Scheme) -> Decimal:
    """The unit a split of ``amount`` is made in: the scheme's reward unit (whole pounds) where
    the amount is a whole number of them, else its payment unit (the penny), so a potential
    with pence keeps them (docs/rules.md#split)."""
    unit = sch.reward_unit
    return unit if amount % unit == 0 else sch.payment_unit


def _stated(target: Portion) -> Decimal | None:
    """A target's own potential: stated on it, or on every one of its sub-targets."""
    if target.stated is not None:
        return target.stated
    if target.parts and all(s.stated is not None for s in target.parts):
        return sum((s.stated or Decimal(0) for s in target.parts), Decimal(0))
    return None
