"""The reward schedule of an agreement: every rule applied to every line (docs/rules.md).

This module only composes the rule functions; it holds no rule of its own. Each figure of a
:class:`Line` is exactly what the scalar function of the same name gives for that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lpsa_xl.rules.convert import exact
from lpsa_xl.rules.model import Agreement, SubTarget
from lpsa_xl.rules.payment import Payment, instalments, partner_shares, payment_on_account
from lpsa_xl.rules.potential import Portion, split_potentials
from lpsa_xl.rules.pump import PumpPriming, PumpPrimingItem, pump_priming
from lpsa_xl.rules.reward import payable_fraction, reward, status
from lpsa_xl.rules.stretch import achievement, stretch, trigger
from lpsa_xl.rules.vfm import small_stretch, vfm_cost, vfm_ratio

__all__ = ["Line", "Result", "assess", "line_potentials"]


@dataclass(frozen=True)
class Line:
    """The computed figures of one target or sub-target. Figures that need the actual are None
    while it is blank; ``vfm_ratio`` is None without a value per unit."""

    ref: str
    parent: str  # the target's ref for a sub-target, else ""
    measure: str
    theme: str
    direction: str | None
    expected: Decimal
    target: Decimal
    actual: Decimal | None
    potential: Decimal
    stretch: Decimal
    achievement: Decimal | None
    payable: Decimal | None
    reward: Decimal | None
    status: str | None
    trigger: Decimal
    vfm_cost: Decimal | None
    vfm_ratio: Decimal | None
    small_stretch: bool
    on_account: Decimal


@dataclass(frozen=True)
class Result:
    """An agreement's schedule: its lines, totals and payment plan."""

    agreement: Agreement
    lines: tuple[Line, ...]
    total_potential: Decimal
    total_reward: Decimal
    on_account: Decimal
    payments: tuple[Payment, ...]
    partner_shares: dict[str, Decimal]
    pump_priming: PumpPriming | None  # the grant against all spend recorded

    @property
    def pump_priming_lines(self) -> list[tuple[PumpPrimingItem, PumpPriming]]:
        """Each recorded budget line of pump priming against its spend
        (docs/rules.md#pump-priming)."""
        return [
            (item, pump_priming(item.budget, item.spend)) for item in self.agreement.pump_priming
        ]

    @property
    def complete(self) -> bool:
        """Whether every line has an actual, so the reward is final rather than partial (a
        partial result has no payment plan: payments would mistake a forecast for a claim)."""
        return all(line.actual is not None for line in self.lines)


@exact
def line_potentials(agreement: Agreement) -> list[tuple[str, SubTarget, Decimal]]:
    """Each measured line with its parent ref and potential, split by
    :func:`~lpsa_xl.rules.potential.split_potentials` (docs/rules.md#split)."""
    portions = [
        Portion(
            t.ref,
            t.potential,
            None,
            tuple(Portion(s.ref, s.potential, s.weight) for s in t.subtargets),
        )
        for t in agreement.targets
    ]
    split = split_potentials(agreement.total_potential, portions, agreement.scheme_obj)
    lines = [line for t in agreement.targets for line in t.lines()]
    return [(parent, line, pot) for (parent, _, pot), line in zip(split, lines)]


@exact
def assess(agreement: Agreement) -> Result:
    """Compute the whole reward schedule of ``agreement``."""
    sch = agreement.scheme_obj
    lines = []
    for parent, m, pot in line_potentials(agreement):
        lines.append(_line(parent, m, pot, agreement))
    total_reward = sum((ln.reward or Decimal(0) for ln in lines), Decimal(0))
    advance = sum((ln.on_account for ln in lines), Decimal(0))
    complete = all(line.actual is not None for line in lines)
    payments: tuple[Payment, ...] = ()
    if agreement.period_end is not None and complete:  # no plan from a partial reward
        payments = tuple(instalments(total_reward, agreement.period_end, sch, advance))
    shares = (
        partner_shares(total_reward, agreement.partner_shares, sch)
        if agreement.partner_shares
        else {}
    )
    spend = None
    if agreement.pump_priming_grant is not None:
        spent = sum((item.spend for item in agreement.pump_priming), Decimal(0))
        spend = pump_priming(agreement.pump_priming_grant, spent)
    total = agreement.total_potential
    return Result(
        agreement=agreement,
        lines=tuple(lines),
        total_potential=total
        if total is not None
        else sum((ln.potential for ln in lines), Decimal(0)),
        total_reward=total_reward,
        on_account=advance,
        payments=payments,
        partner_shares=shares,
        pump_priming=spend,
    )


def _line(parent: str, m: SubTarget, pot: Decimal, agreement: Agreement) -> Line:
    sch = agreement.scheme_obj
    assert m.expected is not None and m.target is not None
    e, t, a = m.expected, m.target, m.actual
    has_actual = a is not None
    return Line(
        ref=m.ref,
        parent=parent,
        measure=m.measure,
        theme=m.theme,
        direction=m.direction,
        expected=e,
        target=t,
        actual=a,
        potential=pot,
        stretch=stretch(e, t),
        achievement=achievement(e, t, a) if has_actual else None,
        payable=payable_fraction(e, t, a, sch) if has_actual else None,
        reward=reward(e, t, a, pot, sch) if has_actual else None,
        status=status(e, t, a, sch) if has_actual else None,
        trigger=trigger(e, t, sch),
        vfm_cost=vfm_cost(e, t, pot),
        vfm_ratio=vfm_ratio(e, t, m.value_per_unit, pot)
        if m.value_per_unit is not None and pot > 0
        else None,
        small_stretch=small_stretch(e, t, sch),
        on_account=payment_on_account(pot, sch) if m.interim_met else Decimal(0),
    )
