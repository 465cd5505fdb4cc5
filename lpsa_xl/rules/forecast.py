"""Forecasting a target's final outturn from its monitoring series, and so its reward.

A **projection**, not a rule of the schemes: no agreement paid on a forecast. Councils asked "on
present trend, what will we get?" during the agreement; this answers it with the same floor,
cap and rounding as the final reward (docs/rules.md#forecast, docs/forecast.md).

Methods:

* ``"trend"``: the least-squares straight line through every reported point, read at the final
  period. The range is that line moved up by the largest point above it and down by the largest
  point below it (so a series on a straight line has no range at all). Needs two points.
* ``"last"``: the latest figure carries on unchanged to the final period. The range runs from
  the latest figure to the trend's forecast (the same figure with one point).

Periods are placed on one axis counted in quarters (:mod:`lpsa_xl.rules.periods`), so yearly and
quarterly labels mix. The line is kept as an exact ratio of two decimals until the last step:
the floor and cap are decided by multiplying, never on a rounded quotient, so a straight-line
series forecasts its next point exactly and an outturn landing on 60% pays 60%.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import CONTEXT, exact, round_money, tidy, to_decimal
from lpsa_xl.rules.errors import OutOfRangeError, SeriesError
from lpsa_xl.rules.periods import period_position, period_text
from lpsa_xl.rules.reward import rounding_for
from lpsa_xl.rules.schemes import Scheme, get_scheme
from lpsa_xl.rules.stretch import stretch

__all__ = [
    "AT_RISK",
    "LIKELY_MISSED",
    "METHODS",
    "ON_TRACK",
    "Forecast",
    "Projection",
    "forecast",
    "forecast_outturn",
]

ON_TRACK, AT_RISK, LIKELY_MISSED = "on track", "at risk", "likely missed"

#: The methods, with the fewest reported points each needs.
METHODS = {"trend": 2, "last": 1}


@dataclass(frozen=True)
class _Ratio:
    """``num / den`` with ``den > 0``, both exact decimals."""

    num: Decimal
    den: Decimal

    def value(self) -> Decimal:
        return tidy(self.num / self.den)


@dataclass(frozen=True)
class Projection:
    """A forecast final outturn with its low-high range (``low <= outturn <= high``)."""

    method: str
    final_period: str
    latest_period: str
    latest: Decimal
    points: int
    outturn: Decimal
    low: Decimal
    high: Decimal
    #: The trend line's change per quarter (None for ``"last"`` with a single point).
    slope: Decimal | None


@dataclass(frozen=True)
class Forecast(Projection):
    """A projection and what it would earn: achievement, payable fraction, reward and status at
    the forecast outturn, and the rewards at the worse and better ends of the range."""

    achievement: Decimal = Decimal(0)
    payable: Decimal = Decimal(0)
    reward: Decimal = Decimal(0)
    reward_low: Decimal = Decimal(0)
    reward_high: Decimal = Decimal(0)
    status: str = LIKELY_MISSED


def _exactly() -> decimal.Context:
    ctx = CONTEXT.copy()
    ctx.traps[decimal.Inexact] = True  # sums and products must be exact; beyond 40 digits: say so
    return ctx


def _flat(values: object, name: str) -> list[object]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise SeriesError("expected a list or a range of cells", field=name)
    return list(values)


def _series(
    periods: object, values: object, final_period: object
) -> tuple[list[tuple[int, Decimal]], int, str, str]:
    labels, figures = _flat(periods, "periods"), _flat(values, "values")
    if len(labels) != len(figures):
        raise SeriesError(
            f"{len(labels)} periods but {len(figures)} values: give one value a period",
            field="values",
        )
    points: dict[int, Decimal] = {}
    names: dict[int, str] = {}
    for label, figure in zip(labels, figures):
        if figure is None or (isinstance(figure, str) and not figure.strip()):
            if period_text(label):
                period_position(label)  # a bad label is reported even where no figure is in yet
            continue  # not reported yet
        where = period_position(label)
        if where in points:
            raise SeriesError(
                f"{period_text(label)!r} and {names[where]!r} are the same period", field="periods"
            )
        points[where] = to_decimal(figure, "values")
        names[where] = period_text(label)
    final = period_position(final_period, "final_period")
    if not points:
        raise SeriesError("no figure is reported yet", field="values")
    latest = max(points)
    if final == latest:
        raise SeriesError(
            f"{period_text(final_period)!r} is already reported: its figure is the actual, "
            "not a forecast",
            field="final_period",
        )
    if final < latest:
        raise SeriesError(
            f"{period_text(final_period)!r} is before the latest figure, {names[latest]!r}",
            field="final_period",
        )
    return sorted(points.items()), final, period_text(final_period), names[latest]


def _trend(points: list[tuple[int, Decimal]], final: int) -> tuple[_Ratio, _Ratio, _Ratio, _Ratio]:
    """The least-squares line as exact ratios: the outturn, the range ends and the slope."""
    x0 = points[0][0]
    xs = [Decimal(x - x0) for x, _ in points]  # small integers: the products stay exact
    ys = [y for _, y in points]
    n = Decimal(len(points))
    with decimal.localcontext(_exactly()):
        sx, sy = sum(xs, Decimal(0)), sum(ys, Decimal(0))
        sxx = sum((x * x for x in xs), Decimal(0))
        sxy = sum((x * y for x, y in zip(xs, ys)), Decimal(0))
        spread = n * sxx - sx * sx  # n² x the variance of the periods: > 0 for two periods
        rise = n * sxy - sx * sy
        den = n * spread

        def fitted(x: Decimal) -> Decimal:  # the line at x, times den
            return sy * spread + rise * (n * x - sx)

        residuals = [y * den - fitted(x) for x, y in zip(xs, ys)]
        at_final = fitted(Decimal(final - x0))
        low = at_final + min(residuals)
        high = at_final + max(residuals)
    return _Ratio(at_final, den), _Ratio(low, den), _Ratio(high, den), _Ratio(rise, spread)


def _project(
    periods: object, values: object, final_period: object, method: object
) -> tuple[Projection, _Ratio, _Ratio, _Ratio]:
    name = "trend" if method is None or not str(method).strip() else str(method).strip().lower()
    if name not in METHODS:
        raise SeriesError(
            f"unknown method {method!r} (expected {' or '.join(METHODS)})", field="method"
        )
    points, final, final_label, latest_label = _series(periods, values, final_period)
    need = METHODS[name]
    if len(points) < need:
        raise SeriesError(
            f"the {name} method needs at least {need} reported figures, got {len(points)}",
            field="values",
        )
    latest = points[-1][1]
    one = Decimal(1)
    slope: _Ratio | None = None
    if len(points) >= 2:
        outturn, low, high, slope = _trend(points, final)
    if name == "last":  # the range runs from the latest figure to where the trend leads
        line = outturn if slope is not None else _Ratio(latest, one)
        outturn = _Ratio(latest, one)
        low, high = _order(outturn, line)
    projection = Projection(
        method=name,
        final_period=final_label,
        latest_period=latest_label,
        latest=latest,
        points=len(points),
        outturn=outturn.value(),
        low=low.value(),
        high=high.value(),
        slope=None if slope is None else slope.value(),
    )
    return projection, outturn, low, high


def _order(a: _Ratio, b: _Ratio) -> tuple[_Ratio, _Ratio]:
    with decimal.localcontext(_exactly()):
        return (a, b) if a.num * b.den <= b.num * a.den else (b, a)


@exact
def forecast_outturn(
    periods: object, values: object, final_period: object, method: object = "trend"
) -> Projection:
    """The forecast final outturn of a monitoring series, with its low-high range.

    ``periods`` are labels such as ``"2003/04"``, ``"2004/05 Q3"`` or ``"2004 Q3"``
    (:mod:`lpsa_xl.rules.periods`), ``values`` the figures reported for them (a blank is a
    period not reported yet). Raises :class:`SeriesError` for too few figures, a final period
    already reported or before the latest figure, or a label that names no period.
    """
    return _project(periods, values, final_period, method)[0]


def _achieved(r: _Ratio, e: Decimal, s: Decimal, fraction: Decimal) -> bool:
    with decimal.localcontext(_exactly()):
        done = r.num - e * r.den
        goal = fraction * s * r.den
        return done >= goal if s > 0 else done <= goal


@exact
def forecast(
    periods: object,
    values: object,
    final_period: object,
    expected: object,
    target: object,
    potential: object,
    scheme: object = "LPSA1",
    method: object = "trend",
    rounding: object = None,
) -> Forecast:
    """Forecast a target's final outturn and what it would earn (a projection: docs/forecast.md).

    The reward at the forecast outturn follows the final rule exactly (docs/rules.md#reward:
    nothing below the floor, the achievement up to the cap, rounded as the scheme says), and so do
    ``reward_low`` and ``reward_high`` at the worse and better ends of the range (for a
    lower-is-better target the low outturn is the better end). ``status`` is ``"on track"``
    (forecast at least 100% of the stretch), ``"at risk"`` (at least the floor) or
    ``"likely missed"``.
    """
    chosen = scheme if isinstance(scheme, Scheme) else str(scheme or "").strip() or "LPSA1"
    sch = get_scheme(chosen)
    s = stretch(expected, target)
    e = to_decimal(expected, "expected")
    pot = to_decimal(potential, "potential")
    if pot < 0:
        raise OutOfRangeError(f"must not be negative, got {pot}", field="potential")
    how = rounding_for(rounding, sch)
    projection, outturn, low, high = _project(periods, values, final_period, method)

    def paid(r: _Ratio) -> tuple[Decimal, Decimal]:
        if not sch.pays_reward or not _achieved(r, e, s, sch.floor):
            return Decimal(0), round_money(Decimal(0), how.unit, how.mode)
        if _achieved(r, e, s, sch.cap):
            return sch.cap, round_money(pot * sch.cap, how.unit, how.mode)
        with decimal.localcontext(_exactly()):
            done = r.num - e * r.den
            over = s * r.den
        fraction = tidy(done / over)
        return fraction, round_money(pot * done / over, how.unit, how.mode)

    payable, amount = paid(outturn)
    ends = sorted([paid(low)[1], paid(high)[1]])
    with decimal.localcontext(_exactly()):
        achieved = (outturn.num - e * outturn.den, s * outturn.den)
    if _achieved(outturn, e, s, Decimal(1)):
        state = ON_TRACK
    elif _achieved(outturn, e, s, sch.floor):
        state = AT_RISK
    else:
        state = LIKELY_MISSED
    return Forecast(
        **projection.__dict__,
        achievement=tidy(achieved[0] / achieved[1]),
        payable=payable,
        reward=amount,
        reward_low=ends[0],
        reward_high=ends[1],
        status=state,
    )
