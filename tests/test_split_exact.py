"""The potential split reconciles: line potentials sum to the agreement's potential (pence and
all), full achievement pays exactly the potential, and which line takes a left-over unit
depends on the references, not on the order the targets are given in (docs/rules.md#split)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

import lpsa_xl
from lpsa_xl import Agreement, SubTarget, Target, assess

# 2.5% of 143,117,801 is 3,577,945.025: 3,577,945.03 to the penny.
NBR_WITH_PENCE = 143_117_801


def _full(n: int, **kw: object) -> Agreement:
    targets = tuple(Target(str(i), 0, 10, 10) for i in range(1, n + 1))
    return Agreement("X", "LPSA1", targets=targets, period_end="2006-03-31", **kw)


def test_potential_with_pence_is_split_to_the_penny_and_paid_in_full():
    result = assess(_full(13, nbr=NBR_WITH_PENCE))
    assert result.total_potential == D("3577945.03")
    assert sum(ln.potential for ln in result.lines) == D("3577945.03")
    assert result.total_reward == D("3577945.03")
    # 3,577,945.03 / 13 = 275,226.54076...: one line takes the penny left over
    assert sorted({ln.potential for ln in result.lines}) == [D("275226.54"), D("275226.55")]
    assert sum(p.due for p in result.payments) == D("3577945.03")


def test_stated_potential_keeps_its_pence():
    result = assess(_full(3, stated_potential="900000.50"))
    assert [ln.potential for ln in result.lines] == [D("300000.17"), D("300000.17"), D("300000.16")]
    assert result.total_reward == D("900000.50")


def test_whole_pound_potential_still_splits_to_whole_pounds():
    result = assess(_full(13, nbr=143_117_800))
    assert {ln.potential for ln in result.lines} == {D(275227), D(275226)}
    assert result.total_reward == D(3577945)


def test_the_unit_left_over_goes_by_reference_not_by_input_order():
    forward = assess(_full(13, nbr=143_117_800))
    backward = assess(forward.agreement.with_targets(reversed(forward.agreement.targets)))
    by_ref = {ln.ref: ln.potential for ln in forward.lines}
    assert by_ref == {ln.ref: ln.potential for ln in backward.lines}
    # references in natural order ("2" before "10"): the first seven take a pound each
    assert [r for r, p in by_ref.items() if p == 275227] == [str(i) for i in range(1, 8)]


def test_sub_targets_split_by_reference_too():
    subs = (SubTarget("1b", 0, 10, 10), SubTarget("1a", 0, 10, 10), SubTarget("1c", 0, 10, 10))
    a = Agreement("X", targets=(Target("1", subtargets=subs),), stated_potential=100)
    pots = {ln.ref: ln.potential for ln in assess(a).lines}
    assert pots == {"1a": D(34), "1b": D(33), "1c": D(33)}


def test_reward_of_a_potential_with_pence_rounds_to_the_penny():
    assert lpsa_xl.reward(0, 10, 10, "1000.50") == D("1000.50")
    assert lpsa_xl.reward(0, 10, 6, "1000.50") == D("600.30")
    assert lpsa_xl.reward(0, 10, 6, 1000) == D(600)
    assert lpsa_xl.reward(0, 10, 6, "1000.50", rounding=1) == D(600)


refs = st.lists(
    st.from_regex(r"[1-9][0-9]?[a-c]?", fullmatch=True), min_size=1, max_size=14, unique=True
)
pennies = st.decimals(min_value=0, max_value=10_000_000, places=2)


@given(pennies, refs, st.randoms(use_true_random=False))
def test_line_potentials_sum_to_the_total_and_full_achievement_pays_it(total, names, rnd):
    targets = [Target(r, 0, 10, 10) for r in names]
    a = Agreement("X", targets=tuple(targets), stated_potential=total, period_end="2006-03-31")
    result = assess(a)
    assert sum(ln.potential for ln in result.lines) == total
    assert result.total_reward == total
    rnd.shuffle(targets)
    shuffled = assess(a.with_targets(targets))
    assert {ln.ref: ln.potential for ln in shuffled.lines} == {
        ln.ref: ln.potential for ln in result.lines
    }
