"""Table-driven tests of the rules, with the figures docs/rules.md gives."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lpsa_xl
from lpsa_xl import (
    DirectionError,
    NotANumberError,
    OutOfRangeError,
    UnknownSchemeError,
    WeightsError,
    ZeroStretchError,
)
from lpsa_xl.rules.convert import CONTEXT


@pytest.mark.parametrize(
    ("expected", "target", "actual", "achievement"),
    [
        # docs/rules.md#numbers: the float trap. Binary floats give 0.59999999999994.
        ("40.1", "40.2", "40.16", D("0.6")),
        (40.1, 40.2, 40.16, D("0.6")),
        (D("40.1"), D("40.2"), D("40.16"), D("0.6")),
        # lower is better: both differences negative (docs/rules.md#achievement)
        (4200, 3800, 3700, D("1.25")),
        (32.5, 28.0, 34.1, D("-0.3555555555555555555555555555555555555556")),
        (100, 200, 100, D(0)),
        (100, 200, 200, D(1)),
        (0, 3, 1, D("0.3333333333333333333333333333333333333333")),
        ("1,000", "£1,200", " 1150 ", D("0.75")),
    ],
)
def test_achievement(expected, target, actual, achievement):
    assert lpsa_xl.achievement(expected, target, actual) == achievement


@pytest.mark.parametrize(
    ("expected", "target", "actual", "payable", "status"),
    [
        (100, 200, 159.99, D(0), "Red"),
        (100, 200, 160, D("0.6"), "Amber"),  # the floor is inclusive (docs/rules.md#floor)
        (40.1, 40.2, 40.16, D("0.6"), "Amber"),
        (100, 200, 175, D("0.75"), "Amber"),
        (100, 200, 200, D(1), "Green"),
        (100, 200, 250, D(1), "Green"),  # over-achievement capped at 100%
        (100, 200, 90, D(0), "Red"),  # worse than expected
        (50, 40, 44, D("0.6"), "Amber"),  # lower is better, exactly 60%
        (50, 40, 39, D(1), "Green"),
    ],
)
def test_payable_and_status(expected, target, actual, payable, status):
    assert lpsa_xl.payable_fraction(expected, target, actual) == payable
    assert lpsa_xl.status(expected, target, actual) == status


@pytest.mark.parametrize(
    ("args", "kwargs", "reward"),
    [
        ((40.1, 40.2, 40.16, 275227), {}, D("165136")),  # 0.6 x 275,227 = 165,136.2
        ((100, 200, 175, 1001), {}, D("751")),  # 750.75 half up
        ((100, 200, 175, 1002), {}, D("752")),  # 751.5 half up
        ((100, 200, 175, 1002), {"rounding": "0.01"}, D("751.50")),  # to the penny
        ((100, 200, 175, 1002), {"rounding": "1 half_even"}, D("752")),
        ((100, 200, 175, 1001), {"rounding": "penny"}, D("750.75")),
        ((100, 200, 175, 1001), {"rounding": lpsa_xl.Rounding(D(10))}, D("750")),
        ((0, 3, 2, 1000), {}, D("667")),  # 2/3 formed exactly as 1000 x 2 / 3
        # a potential with pence is paid to the penny: full achievement pays it exactly
        # (docs/rules.md#rounding); asked for whole pounds, the rounding rule wins
        ((100, 200, 300, D("100.60")), {}, D("100.60")),
        ((0, 1, 1, D("298162.5")), {}, D("298162.50")),
        ((100, 200, 300, D("100.60")), {"rounding": 1}, D("101")),
        ((100, 200, 150, 1000), {}, D(0)),
        ((100, 200, 175, 1000), {"scheme": "LAA2008"}, D(0)),  # never paid
    ],
)
def test_reward(args, kwargs, reward):
    assert lpsa_xl.reward(*args, **kwargs) == reward


def test_trigger_is_the_60_percent_outturn():
    assert lpsa_xl.trigger(100, 200) == D(160)
    assert lpsa_xl.trigger(40.1, 40.2) == D("40.16")
    assert lpsa_xl.trigger(50, 40) == D(44)


def test_potential_isle_of_wight():
    # docs/rules.md#potential: 2.5% x £132,993,000 = £3,324,825 (stated in the agreement as
    # £3,325,000)
    assert lpsa_xl.potential(132_993_000) == D("3324825.00")
    assert lpsa_xl.potential(132_993_000, "LAA2008") == D(0)


def test_share_worked_figures():
    # docs/rules.md#split, council paper Jan 2003: 12 areas -> £298,162 each; 13 -> £275,227.
    # The paper gives the total only as "about £3.578m"; £3,577,945 (2.5% of £143,117,800)
    # reproduces both figures.
    total = lpsa_xl.potential(143_117_800)
    assert total == D("3577945.00")
    assert lpsa_xl.share(total, 12) == D(298162)
    assert lpsa_xl.share(total, 13) == D(275227)
    assert lpsa_xl.share(1000, 2, 2) == D(250)
    assert lpsa_xl.share(1000, 2, weight=0.9) == D(450)
    assert lpsa_xl.share(1000, 3.0, rounding="0.01") == D("333.33")


def test_allocate_adds_back_exactly():
    parts = lpsa_xl.allocate(3_325_000, [None] * 12)
    assert sum(parts) == 3_325_000
    assert parts.count(D(277084)) == 4 and parts.count(D(277083)) == 8
    assert lpsa_xl.allocate(100, ["0.9", "0.1"]) == [D(90), D(10)]
    assert lpsa_xl.allocate(10, ["0.333333", "0.333333", "0.333334"]) == [D(3), D(3), D(4)]
    assert sum(lpsa_xl.allocate("1000.005", [None] * 3, "0.01")) == D("1000.01")


def test_capital_revenue_prg2010_is_30_70_to_the_penny():
    # docs/rules.md#cut-2010-11: the final 2010/11 payment is exactly 30% capital and 70% revenue.
    assert lpsa_xl.capital(1001, "PRG2010") == D("300.30")
    assert lpsa_xl.revenue(1001, "PRG2010") == D("700.70")
    assert lpsa_xl.capital("100.01") == D("50.01")  # LPSA2 halves, capital rounded
    assert lpsa_xl.revenue("100.01") == D("50.00")


def test_laa_instalments_2009_10_and_2010_11_the_second_cut_by_the_2010_11_determination():
    # docs/rules.md#instalments: "one in 2009/10 and the other in 2010/11"; the 2010/11 payment
    # was cut by 50% and split exactly 30% capital, 70% revenue (docs/rules.md#cut-2010-11).
    plan = lpsa_xl.instalments(1_000_001, 2009, "LAA2006")
    assert [(p.year, p.kind, p.due, p.paid) for p in plan] == [
        ("2009/10", "instalment 1", D("500000.50"), D("500000.50")),
        ("2010/11", "instalment 2", D("500000.50"), D("250000.25")),
    ]
    assert (plan[0].capital, plan[0].revenue) == (D("250000.25"), D("250000.25"))
    assert (plan[1].capital, plan[1].revenue) == (D("75000.08"), D("175000.17"))
    assert all(p.capital + p.revenue == p.paid for p in plan)
    assert lpsa_xl.instalments(1_000_001, "2008/09", "LAA2006") == plan
    assert lpsa_xl.instalments(1_000_001, "2008-2009", "LAA2006") == plan
    assert lpsa_xl.instalments(1_000_001, 39903.0, "LAA2006") == plan  # Excel serial, 31/3/2009


def test_the_2010_11_cut_applies_by_year_not_by_instalment_number():
    earlier = lpsa_xl.instalments(1000, 2008, "LPSA2")  # payments 2008/09 and 2009/10
    assert [p.reduction for p in earlier] == [0, 0]
    later = lpsa_xl.instalments(1000, 2010, "LPSA2")  # payments 2010/11 and 2011/12
    assert [(p.year, p.paid) for p in later] == [("2010/11", D("250.00")), ("2011/12", D("500.00"))]
    assert lpsa_xl.capital(1000, "PRG2010") == D("300.00")


def test_payment_on_account_and_recovery():
    # LPSA1 (docs/rules.md#payment-on-account): one-fifth of a target's potential paid early
    # where the interim target was met
    assert lpsa_xl.payment_on_account(275_227) == D("55045.40")
    assert lpsa_xl.payment_on_account(275_227, "LPSA2") == D("0.00")
    plan = lpsa_xl.instalments(300_000, 2006, "LPSA1", on_account=100_000)
    assert [(p.year, p.kind, p.paid) for p in plan] == [
        ("2005/06", "on account", D("100000.00")),
        ("2006/07", "instalment 1", D("100000.00")),
        ("2007/08", "instalment 2", D("100000.00")),
    ]
    owed = lpsa_xl.instalments(50_000, 2006, "LPSA1", on_account=80_000)
    assert [(p.kind, p.paid) for p in owed] == [
        ("on account", D("80000.00")),
        ("recovery", D("-30000.00")),
    ]


def test_partner_shares_add_back():
    shares = lpsa_xl.partner_shares(
        D("1000.01"), {"County": "0.5", "Districts": "0.3", "Police": "0.2"}
    )
    assert shares == {"County": D("500.01"), "Districts": D("300.00"), "Police": D("200.00")}
    with pytest.raises(WeightsError):
        lpsa_xl.partner_shares(1000, {"County": 0.5, "Districts": 0.4})


def test_vfm():
    assert lpsa_xl.vfm_cost(4200, 3800, 275_227) == D("688.0675")
    ratio = lpsa_xl.vfm_ratio(4200, 3800, 3268, 275_227)
    assert ratio == CONTEXT.divide(D(400 * 3268), D(275_227))  # 40 significant digits
    assert lpsa_xl.small_stretch(40, 45) is True
    assert lpsa_xl.small_stretch(4200, 3800) is False


def test_pump_priming():
    over = lpsa_xl.pump_priming(1_000_000, "1,050,000")
    assert over.remaining == D(-50_000) and over.overspent
    assert not lpsa_xl.pump_priming(100, None).overspent


@pytest.mark.parametrize(
    ("call", "error", "field", "excel"),
    [
        (lambda: lpsa_xl.stretch(5, 5), ZeroStretchError, "target", "#DIV/0!"),
        (lambda: lpsa_xl.achievement(5, 5.0, 7), ZeroStretchError, "target", "#DIV/0!"),
        (lambda: lpsa_xl.stretch(5, 4, direction="higher"), DirectionError, "target", "#NUM!"),
        (
            lambda: lpsa_xl.stretch(5, 6, direction="Lower is better"),
            DirectionError,
            "target",
            "#NUM!",
        ),
        (lambda: lpsa_xl.achievement("n/a", 5, 7), NotANumberError, "expected", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, None, 7), NotANumberError, "target", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, 5, True), NotANumberError, "actual", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, 5, float("nan")), NotANumberError, "actual", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, 5, "Infinity"), NotANumberError, "actual", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, 5, ""), NotANumberError, "actual", "#VALUE!"),
        (lambda: lpsa_xl.achievement(1, 5, [1]), NotANumberError, "actual", "#VALUE!"),
        (lambda: lpsa_xl.reward(1, 5, 4, -1), OutOfRangeError, "potential", "#NUM!"),
        (lambda: lpsa_xl.potential(-1), OutOfRangeError, "nbr", "#NUM!"),
        (lambda: lpsa_xl.share(-1, 2), OutOfRangeError, "total", "#NUM!"),
        (lambda: lpsa_xl.share(100, 2.5), OutOfRangeError, "n_targets", "#NUM!"),
        (lambda: lpsa_xl.share(100, 0), OutOfRangeError, "n_targets", "#NUM!"),
        (lambda: lpsa_xl.share(100, 2, weight=1.5), OutOfRangeError, "weight", "#NUM!"),
        (
            lambda: lpsa_xl.reward(1, 5, 4, 10, rounding=0),
            OutOfRangeError,
            "rounding unit",
            "#NUM!",
        ),
        (
            lambda: lpsa_xl.reward(1, 5, 4, 10, rounding="1 sideways"),
            OutOfRangeError,
            "rounding mode",
            "#NUM!",
        ),
        (lambda: lpsa_xl.reward(1, 5, 4, 10, scheme="LPSA9"), UnknownSchemeError, "scheme", "#N/A"),
        (lambda: lpsa_xl.get_scheme(3), UnknownSchemeError, "scheme", "#N/A"),
        (lambda: lpsa_xl.allocate(10, [0.5, None]), WeightsError, "weight", "#NUM!"),
        (lambda: lpsa_xl.allocate(10, [0.5, 0.6]), WeightsError, "weight", "#NUM!"),
        (lambda: lpsa_xl.allocate(10, [1.5, -0.5]), OutOfRangeError, "weight", "#NUM!"),
        (lambda: lpsa_xl.allocate(10, []), OutOfRangeError, "weight", "#NUM!"),
        (lambda: lpsa_xl.allocate(10, [None], unit=0), OutOfRangeError, "unit", "#NUM!"),
        (lambda: lpsa_xl.instalments(-1, 2009), OutOfRangeError, "total", "#NUM!"),
        (
            lambda: lpsa_xl.instalments(1, 2009, on_account=-1),
            OutOfRangeError,
            "on_account",
            "#NUM!",
        ),
        (lambda: lpsa_xl.instalments(1, "2008/10"), OutOfRangeError, "end_year", "#NUM!"),
        (lambda: lpsa_xl.instalments(1, 2009, "LPSA2", 5), OutOfRangeError, "on_account", "#NUM!"),
        (lambda: lpsa_xl.partner_shares(1, [0.5, 0.5]), OutOfRangeError, "shares", "#NUM!"),
        (lambda: lpsa_xl.Rounding(0), OutOfRangeError, "rounding unit", "#NUM!"),
        (lambda: lpsa_xl.Rounding(1, "sideways"), OutOfRangeError, "rounding mode", "#NUM!"),
        (lambda: lpsa_xl.instalments(1, 20.5), OutOfRangeError, "end_year", "#NUM!"),
        (lambda: lpsa_xl.payment_on_account(-5), OutOfRangeError, "potential", "#NUM!"),
        (lambda: lpsa_xl.vfm_cost(1, 2, -5), OutOfRangeError, "potential", "#NUM!"),
        (lambda: lpsa_xl.vfm_ratio(1, 2, 5, 0), OutOfRangeError, "potential", "#NUM!"),
        (lambda: lpsa_xl.vfm_ratio(1, 2, -5, 10), OutOfRangeError, "value_per_unit", "#NUM!"),
        (lambda: lpsa_xl.pump_priming(-1, 0), OutOfRangeError, "budget", "#NUM!"),
        (lambda: lpsa_xl.pump_priming(1, -1), OutOfRangeError, "spend", "#NUM!"),
        (
            lambda: lpsa_xl.stretch(1, 2, direction="sideways"),
            OutOfRangeError,
            "direction",
            "#NUM!",
        ),
    ],
)
def test_domain_errors_name_the_field(call, error, field, excel):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, lpsa_xl.LpsaError)
    assert info.value.field == field
    assert field in str(info.value)
    assert info.value.excel_error == excel


def test_no_bare_python_errors_escape():
    for bad in (None, "", "x", [], {}, object(), float("inf"), True):
        with pytest.raises(lpsa_xl.LpsaError):
            lpsa_xl.reward(bad, 2, 3, 4)


def test_financial_year_helpers():
    import datetime as dt

    assert lpsa_xl.financial_year(2009) == "2009/10"
    assert lpsa_xl.financial_year(1999) == "1999/00"
    assert lpsa_xl.parse_financial_year(dt.date(2009, 3, 31)) == 2008
    assert lpsa_xl.parse_financial_year(dt.date(2009, 4, 1)) == 2009
    assert lpsa_xl.parse_financial_year("2009") == 2008


def test_round_money_modes():
    assert lpsa_xl.round_money(D("2.5")) == D(3)
    assert lpsa_xl.round_money(D("-2.5")) == D(-3)  # half up is away from zero, as ROUND
    assert lpsa_xl.round_money(D("0.125"), D("0.01")) == D("0.13")
    assert lpsa_xl.round_money(D("1.12"), D("0.05")) == D("1.10")
    assert str(lpsa_xl.round_money(D("-0.4"))) == "0"


def test_formula_results_are_taken_as_excel_shows_them():
    # =0.1+(0.3-0.1)*0.6 shows 0.22 (the trigger) but is 0.22000000000000003 in binary
    actual = 0.1 + (0.3 - 0.1) * 0.6
    assert lpsa_xl.to_decimal(actual) == D("0.22")
    assert lpsa_xl.reward(0.1, 0.3, actual, 100_000) == D(60_000)


def test_numpy_and_other_number_types():
    import numpy as np

    assert lpsa_xl.achievement(np.float64(40.1), np.float32(40.2), np.float64(40.16)) == D("0.6")
    assert lpsa_xl.to_decimal(np.int64(7)) == D(7)
    with pytest.raises(NotANumberError):
        lpsa_xl.to_decimal(np.bool_(True))
    assert lpsa_xl.to_decimal(" 132 993 000 ") == D(132_993_000)
    with pytest.raises(NotANumberError):
        lpsa_xl.to_decimal("1_000")


@pytest.mark.parametrize(
    "call",
    [
        lambda: lpsa_xl.achievement(0, 3, "1e45"),
        lambda: lpsa_xl.achievement(0, "1e-300", "1e300"),
        lambda: lpsa_xl.reward(0, 1, 1, "1e50"),
        lambda: lpsa_xl.potential("1e60"),
        lambda: lpsa_xl.capital("1e45"),
        lambda: lpsa_xl.allocate("1e45", [None] * 3),
        lambda: lpsa_xl.instalments("1e40", 2009),
    ],
)
def test_figures_beyond_exact_precision_are_out_of_range_errors(call):
    with pytest.raises(OutOfRangeError, match="too large or too precise"):
        call()


def test_floor_is_never_guessed_beyond_working_precision():
    for rule in (lpsa_xl.payable_fraction, lpsa_xl.status):
        with pytest.raises(OutOfRangeError, match="too precise"):
            rule(0, 3, "1.79999999999999999999999999999999999999999999")


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("49%", D("0.49"), True),
        ("49 %", D("0.49"), True),
        (" 12.5% ", D("0.125"), True),
        ("(5%)", D("-0.05"), True),
        ("£29,816", D(29816), False),
        ("£3,325,000", D(3325000), False),
        ("(1,200)", D(-1200), False),
        ("-£1,200.50", D("-1200.50"), False),
        ("£-5", D(-5), False),
        ("+3", D(3), False),
        (".5", D("0.5"), False),
        ("1.5E3", D(1500), False),
        ("132\u00a0993\u00a0000", D(132993000), False),
        ("-0", D(0), False),
    ],
)
def test_number_text_is_read_as_a_finance_officer_means_it(text, value, percent):
    from lpsa_xl.rules.convert import parse_number_text, read_number_text

    read = read_number_text(text, "actual")
    assert (read.value, read.percent, read.money) == (value, percent, "£" in text)
    assert parse_number_text(text) == value and lpsa_xl.to_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["1_000", "abc", "   ", "--5", "£5£", "1,23", "NaN", "Infinity", "(-5)", "5%%", "1e"]
)
def test_text_that_is_not_a_number_names_its_field(text):
    from lpsa_xl.rules.convert import parse_number_text

    with pytest.raises(NotANumberError) as caught:
        parse_number_text(text, "actual")
    assert caught.value.field == "actual"


def test_rules_take_percent_text_as_excel_does():
    # 0.40 -> 0.55 and an outturn typed "49%": 60% of the stretch, so 60% of £29,816
    assert lpsa_xl.achievement(0.40, 0.55, "49%") == D("0.6")
    assert lpsa_xl.reward("40%", "55%", "49%", "£29,816") == D(17890)
