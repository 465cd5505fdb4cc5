"""Value for money of a target's stretch (docs/rules.md#value-for-money).

Government justified each reward by the value of the stretch it buys. The 2005 interim
evaluation of LPSAs argued that this sets too high a bar for targets with few
beneficiaries, so both measures are shown and very small stretches are flagged.
"""

from __future__ import annotations

from decimal import Decimal

from lpsa_xl.rules.convert import exact, to_decimal
from lpsa_xl.rules.errors import OutOfRangeError
from lpsa_xl.rules.schemes import Scheme, get_scheme
from lpsa_xl.rules.stretch import stretch

__all__ = ["small_stretch", "vfm_cost", "vfm_ratio"]


def _potential(value: object) -> Decimal:
    pot = to_decimal(value, "potential")
    if pot <= 0:
        raise OutOfRangeError(f"must be above 0, got {pot}", field="potential")
    return pot


@exact
def vfm_cost(expected: object, target: object, potential: object) -> Decimal:
    """Cost per unit of stretch: the target's potential reward / ``|T - E|`` (£ per extra unit)."""
    pot = to_decimal(potential, "potential")
    if pot < 0:
        raise OutOfRangeError(f"must not be negative, got {pot}", field="potential")
    return pot / abs(stretch(expected, target))


@exact
def vfm_ratio(
    expected: object, target: object, value_per_unit: object, potential: object
) -> Decimal:
    """Benefit-cost ratio: ``|T - E| x value per unit of outcome / potential reward``.

    The value per unit (for example a published cost of one burglary) is an input with its source;
    no official threshold was found, so the ratio is shown, not judged.
    """
    units = abs(stretch(expected, target))
    value = to_decimal(value_per_unit, "value_per_unit")
    if value < 0:
        raise OutOfRangeError(f"must not be negative, got {value}", field="value_per_unit")
    return units * value / _potential(potential)


@exact
def small_stretch(expected: object, target: object, scheme: str | Scheme | None = "LPSA1") -> bool:
    """True when the stretch is fewer units than the scheme's ``small_stretch_units``.

    The threshold has no source (docs/rules.md#value-for-money only says to flag a very small
    stretch); it is a scheme parameter. Meaningful for counts (people, crimes), not for percentages.
    """
    return abs(stretch(expected, target)) < get_scheme(scheme).small_stretch_units
