"""The reward schedule of an agreement: every rule applied to every line (RULES.md §2-§7).

This module only composes the rule functions; it holds no rule of its own. Each figure of a
:class:`Line` is exactly what the scalar function of the same name gives for that line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .convert import exact
from .errors import InputError, WeightsError
from .model import Agreement, SubTarget, Target
from .payment import Payment, instalments, partner_shares, payment_on_account
from .potential import allocate, weights_for
from .pump import PumpPriming, PumpPrimingItem, pump_priming
from .reward import payable_fraction, reward, status
from .stretch import achievement, stretch, trigger
from .vfm import small_stretch, vfm_cost, vfm_ratio

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
        """Each recorded budget line of pump priming against its spend (§7)."""
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
    """Each measured line with its parent ref and potential (RULES.md §3).

    A potential stated for a target (or for every one of its sub-targets) wins; what is left of
    the agreement's total is divided equally among the other targets, and a target's part among
    its sub-targets (by their weights where given; a sub-target's stated potential wins too).
    Every split adds back exactly at the scheme's reward unit.
    """
    sch = agreement.scheme_obj
    if not sch.pays_reward:
        return [(_parent(t), line, Decimal(0)) for t in agreement.targets for line in t.lines()]
    own = {t.ref: _stated(t) for t in agreement.targets}
    open_targets = [t for t in agreement.targets if own[t.ref] is None]
    if open_targets:
        total = agreement.total_potential
        if total is None:
            raise _no_potential(open_targets[0].lines()[0].ref)
        left = total - sum((v for v in own.values() if v is not None), Decimal(0))
        if left < 0:
            raise WeightsError(
                f"stated potentials add up to more than the total {total}", field="potential"
            )
        parts = allocate(left, [None] * len(open_targets), sch.reward_unit, sch.rounding)
        own.update(zip((t.ref for t in open_targets), parts))
    out: list[tuple[str, SubTarget, Decimal]] = []
    for target in agreement.targets:
        part = own[target.ref]
        assert part is not None
        if not target.subtargets:
            out.append(("", target, part))
            continue
        subs = target.subtargets
        fractions = weights_for([s.weight for s in subs], "sub-target weights")
        unstated = [i for i, s in enumerate(subs) if s.potential is None]
        pots = [s.potential or Decimal(0) for s in subs]
        left = part - sum(pots, Decimal(0))
        if left < 0:
            raise WeightsError(
                f"sub-target potentials add up to more than the target's {part}",
                field="potential",
                ref=target.ref,
            )
        if unstated:
            weight_left = sum((fractions[i] for i in unstated), Decimal(0))
            split = allocate(
                left, [fractions[i] / weight_left for i in unstated], sch.reward_unit, sch.rounding
            )
            for i, amount in zip(unstated, split):
                pots[i] = amount
        out.extend((target.ref, sub, pot) for sub, pot in zip(subs, pots))
    return out


def _parent(target: Target) -> str:
    return target.ref if target.subtargets else ""


def _stated(target: Target) -> Decimal | None:
    """A target's own potential: stated on it, or on every one of its sub-targets."""
    if target.potential is not None:
        return target.potential
    if target.subtargets and all(s.potential is not None for s in target.subtargets):
        return sum((s.potential or Decimal(0) for s in target.subtargets), Decimal(0))
    return None


def _no_potential(ref: str) -> InputError:
    return InputError(
        "no potential: give the agreement's NBR or stated potential, or a potential for this line",
        field="potential",
        ref=ref,
    )


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
