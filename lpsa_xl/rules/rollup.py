"""The roll-up of an agreement's targets, or of many agreements': how many are met, on track,
at risk, likely missed or not yet measurable, and the money at stake in each
(docs/rules.md#roll-up).

A line whose final outturn is in is classed by it: **met** (at least 100% of the stretch),
**partly met** (at least the floor) or **missed**. A line whose final period is not in yet is
classed by its forecast (:mod:`lpsa_xl.rules.forecast`): **on track**, **at risk** or **likely
missed**. A line with neither (no outturn and a series too short to forecast) is **not yet
measurable**. Each class carries its lines' potential (the money at stake) and their reward,
the final reward for a final outturn and the forecast reward for a forecast; the parts add up to
the totals exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import to_decimal
from lpsa_xl.rules.errors import InputError
from lpsa_xl.rules.forecast import AT_RISK, LIKELY_MISSED, ON_TRACK, Forecast
from lpsa_xl.rules.schedule import Line, Result
from lpsa_xl.rules.schemes import Scheme
from lpsa_xl.rules.stretch import achieved_at_least

__all__ = [
    "CLASSES",
    "FROM_STATUS",
    "MET",
    "MISSED",
    "NOT_MEASURABLE",
    "PARTLY_MET",
    "Rollup",
    "RollupClass",
    "class_of",
    "final_class",
    "rollup",
    "rollup_result",
]

MET, PARTLY_MET, MISSED = "met", "partly met", "missed"
NOT_MEASURABLE = "not yet measurable"
#: Every class, in the order reports show them: final outturns, forecasts, then the rest.
CLASSES = (MET, PARTLY_MET, MISSED, ON_TRACK, AT_RISK, LIKELY_MISSED, NOT_MEASURABLE)


@dataclass(frozen=True)
class RollupClass:
    """One class of the roll-up: its lines (by reference), their potential and reward."""

    name: str
    refs: tuple[str, ...]
    potential: Decimal
    reward: Decimal

    @property
    def count(self) -> int:
        return len(self.refs)


@dataclass(frozen=True)
class Rollup:
    """Every class (all of :data:`CLASSES`, empty ones too) and the totals over them."""

    classes: tuple[RollupClass, ...]

    def __getitem__(self, name: str) -> RollupClass:
        for c in self.classes:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def count(self) -> int:
        return sum(c.count for c in self.classes)

    @property
    def potential(self) -> Decimal:
        return sum((c.potential for c in self.classes), Decimal(0))

    @property
    def reward(self) -> Decimal:
        """The final reward of lines that are in plus the forecast reward of the rest."""
        return sum((c.reward for c in self.classes), Decimal(0))


def final_class(expected: object, target: object, actual: object, scheme: Scheme) -> str:
    """The class of a final outturn: met, partly met or missed (decided exactly,
    docs/rules.md#thresholds)."""
    e, t, a = (to_decimal(v, n) for v, n in ((expected, "expected"), (target, "target"),
                                             (actual, "actual")))  # fmt: skip
    if achieved_at_least(e, t, a, Decimal(1)):
        return MET
    if achieved_at_least(e, t, a, scheme.floor):
        return PARTLY_MET
    return MISSED


#: The status colours of a final outturn (docs/rules.md#status) and the class each gives.
FROM_STATUS = {"green": MET, "amber": PARTLY_MET, "red": MISSED}


def class_of(status: object) -> str:
    """The class a status names: a colour of a final outturn (Green, Amber, Red), a forecast's
    status (on track, at risk, likely missed), a class itself, or a blank (not yet
    measurable). Anything else is an error."""
    text = " ".join(str(status or "").split()).lower()
    if not text:
        return NOT_MEASURABLE
    if text in FROM_STATUS:
        return FROM_STATUS[text]
    if text in CLASSES:
        return text
    raise InputError(
        f"{status!r} is no status (expected Green, Amber, Red, {ON_TRACK}, {AT_RISK}, "
        f"{LIKELY_MISSED} or a blank)",
        field="status",
    )


def rollup(entries: Iterable[tuple[str, object, object, object]]) -> Rollup:
    """The roll-up of ``(ref, status, potential, reward)`` entries (any number of agreements;
    a status as :func:`class_of` reads it). A blank reward counts as 0."""
    refs: dict[str, list[str]] = {name: [] for name in CLASSES}
    potentials = {name: Decimal(0) for name in CLASSES}
    rewards = {name: Decimal(0) for name in CLASSES}
    for ref, status, potential, reward in entries:
        name = class_of(status)
        refs[name].append(ref)
        potentials[name] += to_decimal(potential, "potential")
        if reward is not None and reward != "":
            rewards[name] += to_decimal(reward, "reward")
    return Rollup(
        tuple(
            RollupClass(name, tuple(refs[name]), potentials[name], rewards[name])
            for name in CLASSES
        )
    )


def _entry(
    line: Line, forecast: Forecast | None, scheme: Scheme
) -> tuple[str, str, Decimal, Decimal]:
    if forecast is not None:
        return line.ref, forecast.status, line.potential, forecast.reward
    if line.actual is not None:
        name = final_class(line.expected, line.target, line.actual, scheme)
        return line.ref, name, line.potential, line.reward or Decimal(0)
    return line.ref, NOT_MEASURABLE, line.potential, Decimal(0)


def rollup_result(result: Result, forecasts: Mapping[str, Forecast] | None = None) -> Rollup:
    """The roll-up of one computed agreement: each line classed by its forecast where
    ``forecasts`` has one for its reference (its final period is not in yet), else by its
    outturn, else not yet measurable."""
    got = forecasts or {}
    sch = result.agreement.scheme_obj
    return rollup(_entry(ln, got.get(ln.ref), sch) for ln in result.lines)
