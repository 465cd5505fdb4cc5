"""Pump-priming grant: budget against spend (docs/rules.md#pump-priming).

PPG is a fixed sum named in each agreement (no formula was found); councils tracked its budget
and spend per target by year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import exact, to_decimal
from lpsa_xl.rules.errors import LpsaError, OutOfRangeError

__all__ = ["PumpPriming", "PumpPrimingItem", "pump_priming"]


@dataclass(frozen=True)
class PumpPriming:
    """Budget against spend: ``remaining`` is negative when spend is above budget."""

    budget: Decimal
    spend: Decimal
    remaining: Decimal
    overspent: bool


@exact
def pump_priming(budget: object, spend: object) -> PumpPriming:
    """Compare pump-priming spend with its budget."""
    b = to_decimal(budget, "budget")
    s = to_decimal(0 if spend is None else spend, "spend")
    if b < 0:
        raise OutOfRangeError(f"must not be negative, got {b}", field="budget")
    if s < 0:
        raise OutOfRangeError(f"must not be negative, got {s}", field="spend")
    return PumpPriming(b, s, b - s, s > b)


@dataclass(frozen=True)
class PumpPrimingItem:
    """A budget line of pump priming: a target (or "" for the agreement), a financial year,
    the budget and the spend recorded against it."""

    ref: str
    year: str
    budget: Decimal
    spend: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        where = f"pump priming {self.ref or 'agreement'} {self.year}".strip()
        object.__setattr__(self, "ref", str(self.ref or "").strip())
        object.__setattr__(self, "year", str(self.year or "").strip())
        try:
            checked = pump_priming(self.budget, self.spend)
        except LpsaError as exc:
            raise exc.located(ref=where) from None
        object.__setattr__(self, "budget", checked.budget)
        object.__setattr__(self, "spend", checked.spend)
