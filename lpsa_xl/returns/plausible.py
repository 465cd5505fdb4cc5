"""Warnings for figures implausible against their own row (thresholds in
``plausibility.toml`` beside this module, data like the schemes).

A warning asks, it does not refuse: the target is still computed, and the warning sits at the
cell that looks wrong, in the words a finance officer uses ("the outturn 4,900 is 324 times the
improvement agreed"), so a typing slip or a figure in other units is caught before a claim.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from lpsa_xl.display import exact
from lpsa_xl.rules import to_decimal

if sys.version_info >= (3, 11):  # pragma: no cover
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Thresholds", "implausible", "thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """How far a figure may sit from its row before it is questioned."""

    max_times_stretch: Decimal = Decimal(10)
    max_ratio: Decimal = Decimal(10)


@functools.lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The thresholds of ``plausibility.toml``."""
    text = resources.files(__package__).joinpath("plausibility.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return Thresholds(
        to_decimal(data["outturn"]["max_times_stretch"], "max_times_stretch"),
        to_decimal(data["agreed"]["max_ratio"], "max_ratio"),
    )


def implausible(
    figures: Mapping[str, Decimal | None], limits: Thresholds | None = None
) -> list[tuple[str, str]]:
    """(field, what looks wrong) for each implausible figure of one target's ``figures``
    (expected, target, actual, on one scale)."""
    limits = limits or thresholds()
    e, t, a = (figures.get(k) for k in ("expected", "target", "actual"))
    out: list[tuple[str, str]] = []
    if e is None or t is None:
        return out
    if e != 0 and t != 0:
        big, small = max(abs(e), abs(t)), min(abs(e), abs(t))
        if big >= small * limits.max_ratio:
            odd = "target" if a is None or abs(a - e) < abs(a - t) else "expected"
            words = {"expected": "expected performance", "target": "target"}
            other = "expected" if odd == "target" else "target"
            out.append(
                (
                    odd,
                    f"the {words[odd]} {exact(figures[odd] or Decimal(0))} is more than "
                    f"{exact(limits.max_ratio)} times the {words[other]} "
                    f"{exact(figures[other] or Decimal(0))}: check one of them is not in other "
                    "units (a fraction beside a percentage, or a slip of the decimal point)",
                )
            )
    if a is not None and t != e:
        times = (a - e) / (t - e)
        if abs(times) > limits.max_times_stretch:
            way = "improvement agreed" if times > 0 else "improvement agreed, the wrong way"
            out.append(
                (
                    "actual",
                    f"the outturn {exact(a)} is {exact(abs(times).quantize(Decimal(1)))} times "
                    f"the {way} (expected {exact(e)}, target {exact(t)}): check it for a "
                    "typing slip or a figure in other units before it is claimed",
                )
            )
    return out
