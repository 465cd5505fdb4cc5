"""Property-based tests of the rules (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import lpsa_xl

# Figures as councils type them: at most 15 significant digits, a few decimal places.
figures = st.decimals(
    min_value=-1_000_000, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False
)
money = st.decimals(
    min_value=0, max_value=10_000_000, places=0, allow_nan=False, allow_infinity=False
)
pennies = st.decimals(
    min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
)
schemes = st.sampled_from(["LPSA1", "LPSA2", "LAA2006", "PRG2010"])
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True)
settings.load_profile("ci")


@given(figures, figures, figures, money, schemes)
def test_reward_never_exceeds_potential(e, t, a, pot, scheme):
    assume(e != t)
    assert D(0) <= lpsa_xl.reward(e, t, a, pot, scheme) <= pot


@given(figures, figures, figures, figures, money, schemes)
def test_reward_never_falls_as_actual_improves(e, t, a1, a2, pot, scheme):
    assume(e != t)
    worse, better = sorted([a1, a2]) if t > e else sorted([a1, a2], reverse=True)
    assert lpsa_xl.reward(e, t, worse, pot, scheme) <= lpsa_xl.reward(e, t, better, pot, scheme)


@given(figures, figures, figures, money)
def test_lower_is_better_mirrors_higher_is_better(e, t, a, pot):
    assume(e != t)
    assert lpsa_xl.achievement(e, t, a) == lpsa_xl.achievement(-e, -t, -a)
    assert lpsa_xl.reward(e, t, a, pot) == lpsa_xl.reward(-e, -t, -a, pot)
    assert lpsa_xl.status(e, t, a) == lpsa_xl.status(-e, -t, -a)


@given(
    pennies,
    st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=40),
    st.sampled_from([D(1), D("0.01"), D(1000)]),
)
def test_split_parts_add_back_exactly(total, raw_weights, unit):
    weights = [D(w) / sum(raw_weights) for w in raw_weights]
    parts = lpsa_xl.allocate(total, weights, unit)
    assert sum(parts) == lpsa_xl.round_money(total, unit)
    assert all(p >= 0 for p in parts)
    equal = lpsa_xl.allocate(total, [None] * len(raw_weights), unit)
    assert sum(equal) == lpsa_xl.round_money(total, unit)
    assert max(equal) - min(equal) <= unit


@given(
    st.decimals(
        min_value=-10_000_000, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False
    ),
    st.sampled_from(["LPSA1", "LPSA2", "PRG2010"]),
)
def test_capital_plus_revenue_is_the_amount(amount, scheme):
    assert lpsa_xl.capital(amount, scheme) + lpsa_xl.revenue(amount, scheme) == amount


@given(pennies, st.integers(min_value=2000, max_value=2100), schemes, pennies)
def test_instalments_pay_the_balance_exactly(total, year, scheme, advance):
    if not lpsa_xl.get_scheme(scheme).on_account_share:
        advance = 0
    plan = lpsa_xl.instalments(total, year, scheme, on_account=advance)
    assert sum(p.due for p in plan) == total
    assert all(p.capital + p.revenue == p.paid for p in plan)


@given(
    st.decimals(
        min_value=-100_000, max_value=100_000, places=2, allow_nan=False, allow_infinity=False
    ),
    st.decimals(
        min_value=-100_000, max_value=100_000, places=2, allow_nan=False, allow_infinity=False
    ),
)
def test_exactly_60_percent_pays_60_percent_from_str_and_float(e, t):
    assume(e != t)
    a = e + D("0.6") * (t - e)  # at most 3 decimals: exact as typed
    for args in ((str(e), str(t), str(a)), (float(e), float(t), float(a)), (e, t, a)):
        assert lpsa_xl.achievement(*args) == D("0.6")
        assert lpsa_xl.payable_fraction(*args) == D("0.6")
        assert lpsa_xl.status(*args) == "Amber"
        assert lpsa_xl.reward(*args, 1000) == D(600)
    assert lpsa_xl.trigger(float(e), float(t)) == a


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_a_float_is_taken_as_excel_shows_it(x):
    assert lpsa_xl.to_decimal(x) == D(format(x, ".15g"))


@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_a_typed_figure_comes_back_exactly_as_typed(d):
    assert lpsa_xl.to_decimal(float(d)) == d
