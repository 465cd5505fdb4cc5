"""Stretch, achievement and the 60% trigger (docs/rules.md#stretch, #achievement, #trigger)."""

from __future__ import annotations

import decimal
from decimal import Decimal

from lpsa_xl.rules.convert import CONTEXT, exact, tidy, to_decimal
from lpsa_xl.rules.errors import DirectionError, OutOfRangeError, ZeroStretchError
from lpsa_xl.rules.schemes import Scheme, get_scheme

__all__ = [
    "DIRECTIONS",
    "achieved_at_least",
    "achievement",
    "check_direction",
    "interim_met",
    "normalise_direction",
    "stretch",
    "trigger",
]

#: Declared directions, by the words returns use for them.
DIRECTIONS = {
    "higher": "higher",
    "higher is better": "higher",
    "up": "higher",
    "increase": "higher",
    "lower": "lower",
    "lower is better": "lower",
    "down": "lower",
    "decrease": "lower",
    "reduce": "lower",
    "reduction": "lower",
}


def normalise_direction(direction: str | None) -> str | None:
    """``"higher"``, ``"lower"`` or None (undeclared) for what a return says of a direction."""
    if direction is None or not str(direction).strip():
        return None
    key = " ".join(str(direction).strip().lower().split())
    try:
        return DIRECTIONS[key]
    except KeyError:
        raise OutOfRangeError(
            f"unknown direction {direction!r} (expected 'higher' or 'lower')", field="direction"
        ) from None


@exact
def stretch(expected: object, target: object, *, direction: str | None = None) -> Decimal:
    """The stretch ``T - E`` (docs/rules.md#stretch); its sign shows the direction.

    Measured from the performance expected without the agreement, not from the baseline.
    ``T == E`` is an invalid target (:class:`ZeroStretchError`). With ``direction`` declared
    (``"higher"`` or ``"lower"`` is better), a target that is not better than expected raises
    :class:`DirectionError`.
    """
    e = to_decimal(expected, "expected")
    t = to_decimal(target, "target")
    result = t - e
    if result == 0:
        raise ZeroStretchError(
            f"target {t} equals expected {e}: there is no stretch", field="target"
        )
    check_direction(result, direction)
    return result


def check_direction(stretch_value: Decimal, direction: str | None) -> None:
    """Raise :class:`DirectionError` if a stretch points the wrong way for ``direction``."""
    declared = normalise_direction(direction)
    if declared == "higher" and stretch_value < 0:
        raise DirectionError(
            "target is below expected, but higher is better for this measure", field="target"
        )
    if declared == "lower" and stretch_value > 0:
        raise DirectionError(
            "target is above expected, but lower is better for this measure", field="target"
        )


@exact
def achievement(expected: object, target: object, actual: object) -> Decimal:
    """The fraction of the stretch achieved, ``(A - E) / (T - E)`` (docs/rules.md#achievement).

    Direction-free: for lower-is-better measures both differences are negative. Below zero when
    the actual is worse than expected (nothing is payable, but the real figure is reported).
    Exact: ``achievement("40.1", "40.2", "40.16")`` is ``Decimal("0.6")``, and so is
    ``achievement(40.1, 40.2, 40.16)``.
    """
    s = stretch(expected, target)
    a = to_decimal(actual, "actual")
    return tidy((a - to_decimal(expected, "expected")) / s)


@exact
def trigger(expected: object, target: object, scheme: str | Scheme | None = "LPSA1") -> Decimal:
    """The 60% trigger: the outturn that secures the first reward, ``E + floor x (T - E)``
    (docs/rules.md#trigger)."""
    s = stretch(expected, target)
    return tidy(to_decimal(expected, "expected") + get_scheme(scheme).floor * s)


def achieved_at_least(
    expected: Decimal, target: Decimal, actual: Decimal, fraction: Decimal
) -> bool:
    """Whether ``(A - E) / (T - E) >= fraction``, decided by multiplying rather than dividing,
    so a threshold such as the 60% floor is met or missed exactly (docs/rules.md#thresholds)."""
    with decimal.localcontext(CONTEXT) as ctx:
        ctx.traps[decimal.Inexact] = True  # beyond 40 digits: say so rather than guess
        s = target - expected
        done = actual - expected
        return done >= fraction * s if s > 0 else done <= fraction * s


@exact
def interim_met(
    expected: object, target: object, interim_target: object, interim_actual: object
) -> bool:
    """Whether an agreed interim target was met, in the direction of the stretch (the LPSA1
    payment on account is due only then: docs/rules.md#payment-on-account)."""
    s = stretch(expected, target)
    goal = to_decimal(interim_target, "interim_target")
    actual = to_decimal(interim_actual, "interim_actual")
    return actual >= goal if s > 0 else actual <= goal
