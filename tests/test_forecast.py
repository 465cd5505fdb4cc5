"""The forecast of a monitoring series: golden figures worked by hand, the edge cases and
property tests (a straight line forecasts its next point exactly; the range holds the outturn)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lpsa_xl
from lpsa_xl import SeriesError, forecast, forecast_outturn
from lpsa_xl.rules.periods import period_position

D = Decimal
YEARS = ["2002/03", "2003/04", "2004/05"]


def test_a_straight_line_landing_on_60_percent_pays_60_percent() -> None:
    # 40.10 in 2003/04, 40.13 in 2004/05: the line reaches 40.16 in 2005/06, 60% of the stretch
    f = forecast(["2003/04", "2004/05"], [40.1, 40.13], "2005/06", 40.1, 40.2, 275227)
    assert (f.outturn, f.low, f.high) == (D("40.16"), D("40.16"), D("40.16"))
    assert f.achievement == D("0.6") and f.payable == D("0.6")
    assert f.reward == f.reward_low == f.reward_high == D("165136")  # 0.6 x 275227, to the pound
    assert f.status == lpsa_xl.AT_RISK and f.method == "trend" and f.points == 2


def test_least_squares_by_hand_with_its_range() -> None:
    # x = 0..3 quarters, y = 10, 12, 11, 15: slope 28/20 = 1.4, mean (1.5, 12); at x = 7:
    # 12 + 1.4 x 5.5 = 19.7. Residuals 0.1, 0.7, -1.7, 0.9: range 18.0 to 20.6.
    f = forecast(["2004 Q1", "2004 Q2", "2004 Q3", "2004 Q4"], [10, 12, 11, 15], "2005 Q4",
                 10, 20, 100000)  # fmt: skip
    assert (f.outturn, f.low, f.high, f.slope) == (D("19.7"), D("18"), D("20.6"), D("1.4"))
    assert (f.achievement, f.reward) == (D("0.97"), D("97000"))
    assert (f.reward_low, f.reward_high) == (D("80000"), D("100000"))  # 80%; 106% capped
    assert f.status == lpsa_xl.AT_RISK and f.latest == 15 and f.latest_period == "2004 Q4"


def test_declining_is_better_the_low_end_is_the_better_end() -> None:
    # 4200, 4100, 4050 a year apart (x = 0, 4, 8 quarters): slope -1800/96 = -18.75 a quarter,
    # mean (4, 12350/3); at x = 12: 11900/3 = 3966.67, 58.3% of the 400 stretch: below the floor.
    # Residuals +8.33, -16.67, +8.33: range 3950 (62.5%) to 3975 (56.25%).
    f = forecast(YEARS, [4200, 4100, 4050], "2005/06", 4200, 3800, 200000)
    assert f.outturn == D("3966." + "6" * 35 + "7")  # 11900/3 to 40 digits
    assert (f.low, f.high) == (D(3950), D(3975))
    assert f.slope == D("-18.75")
    assert f.achievement == D("0.58" + "3" * 38)  # (4200 - 11900/3) / 400, to 40 digits
    assert (f.reward, f.reward_low, f.reward_high) == (0, 0, D("125000"))
    assert f.status == lpsa_xl.LIKELY_MISSED


def test_yearly_and_quarterly_labels_on_one_axis() -> None:
    # a baseline year, then quarters in both spellings: one a quarter, 8 quarters to 2005/06
    periods = ["2003/04", "2004/05 Q1", "2004 Q3", "Q3 2004/05"]
    assert [period_position(p) - period_position("2003/04") for p in periods] == [0, 1, 2, 3]
    assert forecast_outturn(periods, [100, 101, 102, 103], "2005/06").outturn == 108
    assert forecast_outturn([2003, 2004], [1, 2], "2005").outturn == 3  # calendar years


def test_a_target_already_met_forecasts_the_capped_reward() -> None:
    # 50, 58, 62: the target of 60 is already beaten; the trend (1.5 a quarter) reaches 68.67
    f = forecast(YEARS, [50, 58, 62], "2005/06", 50, 60, 30000)
    assert f.latest == 62 and f.reward == f.reward_low == f.reward_high == 30000
    assert f.status == lpsa_xl.ON_TRACK and f.payable == 1
    last = forecast(YEARS, [50, 58, 62], "2005/06", 50, 60, 30000, method="last")
    assert (last.outturn, last.achievement, last.reward) == (62, D("1.2"), 30000)


def test_last_value_method_and_its_range_to_the_trend() -> None:
    f = forecast(["2003/04", "2004/05"], [4200, 4000], "2005/06", 4200, 3800, 1000, method="last")
    assert (f.outturn, f.low, f.high) == (4000, 3800, 4000)  # no change .. the trend
    assert (f.achievement, f.reward, f.reward_low, f.reward_high) == (D("0.5"), 0, 0, 1000)
    one = forecast_outturn(["2004/05"], [7], "2005/06", method="last")
    assert (one.outturn, one.low, one.high, one.slope) == (7, 7, 7, None)


def test_blank_figures_are_periods_not_reported_yet() -> None:
    p = forecast_outturn(["2003/04", "2004/05", "2005/06"], [10, "12", None], "2005/06")
    assert (p.outturn, p.points, p.latest_period) == (14, 2, "2004/05")


@pytest.mark.parametrize(
    ("periods", "values", "final", "method", "words"),
    [
        (["2004/05"], [3], "2005/06", "trend", "at least 2 reported figures, got 1"),
        (["2004/05", "2005/06"], [3, None], "2006/07", "trend", "at least 2"),
        (["2004/05", "2005/06"], [None, None], "2006/07", "last", "no figure is reported"),
        (["2004/05", "2005/06"], [3, 4], "2005/06", "trend", "already reported"),
        (["2004/05", "2005/06"], [3, 4], "2004/05", "trend", "before the latest figure"),
        (["2004/05", "2005/06"], [3], "2006/07", "trend", "2 periods but 1 values"),
        (["2004/05", "2005 Q1"], [3, 4], "2006/07", "trend", "are the same period"),
        (["2004/05", "March"], [3, 4], "2006/07", "trend", "got 'March'"),
        (["2004/05", "2004/06"], [3, 4], "2006/07", "trend", "not a financial year"),
        (["2004/05", "2005/06"], [3, 4], "2006/07", "spline", "unknown method"),
        (["2004/05", "2005/06"], [3, 4], "", "trend", "got a blank"),
        ("2004/05", [3], "2006/07", "last", "a list or a range"),
    ],
)
def test_series_that_cannot_be_forecast_say_why(
    periods: object, values: object, final: str, method: str, words: str
) -> None:
    with pytest.raises(SeriesError, match=words) as caught:
        forecast(periods, values, final, 1, 2, 100, method=method)
    assert caught.value.excel_error == "#N/A"


def test_bad_figures_are_the_rules_own_errors() -> None:
    with pytest.raises(lpsa_xl.NotANumberError, match="values"):
        forecast_outturn(["2004/05", "2005/06"], [3, "n/a"], "2006/07")
    with pytest.raises(lpsa_xl.ZeroStretchError):
        forecast(["2004/05", "2005/06"], [3, 4], "2006/07", 2, 2, 100)
    with pytest.raises(lpsa_xl.OutOfRangeError, match="potential"):
        forecast(["2004/05", "2005/06"], [3, 4], "2006/07", 1, 2, -1)


def test_a_scheme_without_reward_forecasts_nothing_payable() -> None:
    f = forecast(YEARS, [50, 58, 62], "2005/06", 50, 60, 30000, scheme="LAA2008")
    assert f.reward == 0 and f.status == lpsa_xl.ON_TRACK


figure = st.decimals(min_value=-10000, max_value=10000, places=2)
step = st.decimals(min_value=-500, max_value=500, places=3)


@given(
    start=figure,
    slope=step,
    quarters=st.lists(st.integers(0, 40), min_size=2, max_size=12, unique=True),
    ahead=st.integers(1, 20),
)
def test_a_straight_line_forecasts_its_next_point_exactly(
    start: Decimal, slope: Decimal, quarters: list[int], ahead: int
) -> None:
    base = period_position("2000 Q1")
    labels = [f"{(base + q) // 4} Q{(base + q) % 4 + 1}" for q in quarters]
    final_q = max(quarters) + ahead
    final = f"{(base + final_q) // 4} Q{(base + final_q) % 4 + 1}"
    p = forecast_outturn(labels, [start + slope * q for q in quarters], final)
    assert p.outturn == p.low == p.high == start + slope * final_q
    assert p.slope == slope


@given(
    e=figure,
    stretch=st.decimals(min_value="0.01", max_value=1000, places=2),
    lower=st.booleans(),
    potential=st.integers(0, 10**7),
)
def test_a_line_ending_on_the_trigger_pays_exactly_the_floor(
    e: Decimal, stretch: Decimal, lower: bool, potential: int
) -> None:
    t = e - stretch if lower else e + stretch
    trigger = lpsa_xl.trigger(e, t)
    values = [e, e + (trigger - e) / 2]  # halfway in a year, the trigger a year later
    f = forecast(["2003/04", "2004/05"], values, "2005/06", e, t, potential)
    assert f.outturn == trigger and f.payable == D("0.6")
    assert f.reward == lpsa_xl.reward(e, t, trigger, potential)


@given(
    values=st.lists(figure, min_size=2, max_size=12),
    e=figure,
    stretch=st.decimals(min_value="-1000", max_value=1000, places=2).filter(lambda s: s != 0),
    method=st.sampled_from(["trend", "last"]),
)
def test_the_range_holds_the_forecast_and_its_reward(
    values: list[Decimal], e: Decimal, stretch: Decimal, method: str
) -> None:
    labels = [f"{2000 + i // 4} Q{i % 4 + 1}" for i in range(len(values))]
    f = forecast(labels, values, "2010 Q4", e, e + stretch, 99999, method=method)
    assert f.low <= f.outturn <= f.high
    assert 0 <= f.reward_low <= f.reward <= f.reward_high <= 99999
    if len(f.outturn.as_tuple().digits) > 20:
        return  # a quotient cut at 40 digits: the exact ratio decided, reward() cannot compare
    assert f.reward == lpsa_xl.reward(e, e + stretch, f.outturn, 99999)
    assert f.status == {"Green": lpsa_xl.ON_TRACK, "Amber": lpsa_xl.AT_RISK}.get(
        lpsa_xl.status(e, e + stretch, f.outturn), lpsa_xl.LIKELY_MISSED
    )


@pytest.mark.parametrize(
    ("label", "quarter"),
    [
        ("2003-04", 2004 * 4),
        ("2003/2004", 2004 * 4),
        ("Q3 2004/05", 2004 * 4 + 3),
        ("2004-Q3", 2004 * 4 + 2),
        ("Q3 2004", 2004 * 4 + 2),
        (2004.0, 2004 * 4 + 3),
        (D(2004), 2004 * 4 + 3),
    ],
)
def test_period_spellings(label: object, quarter: int) -> None:
    assert period_position(label) == quarter


@pytest.mark.parametrize("label", [True, 1850, 2004.5, "2004 Q5"])
def test_labels_that_name_no_period(label: object) -> None:
    with pytest.raises(SeriesError, match="expected a period"):
        period_position(label)
