"""The whole schedule of an agreement, and the table API, against the scalar functions."""

from __future__ import annotations

from decimal import Decimal as D

import pandas as pd
import pytest

import lpsa_xl
from lpsa_xl import Agreement, PumpPrimingItem, SubTarget, Target
from lpsa_xl.demo import load_example
from lpsa_xl.display import format_schedule


def test_example_agreement_schedule():
    result = lpsa_xl.assess(load_example())
    assert result.total_potential == D("3577945.00")
    assert sum(line.potential for line in result.lines) == result.total_potential
    by_ref = {line.ref: line for line in result.lines}
    assert by_ref["1"].achievement == D("0.6") and by_ref["1"].reward == D(429353)
    assert (by_ref["3a"].potential, by_ref["3b"].potential) == (D(644030), D(71559))
    assert by_ref["3a"].parent == "3"
    assert by_ref["4"].status == "Red" and by_ref["4"].reward == 0
    assert result.total_reward == D(2075208)
    assert result.on_account == D("143117.80")  # target 5 met its interim target
    assert [p.year for p in result.payments] == ["2005/06", "2006/07", "2007/08"]
    assert sum(p.due for p in result.payments) == result.total_reward
    assert sum(result.partner_shares.values()) == result.total_reward
    assert result.complete
    text = format_schedule(result)
    assert "Total reward £2,075,208" in text and "2007/08 instalment 2" in text


def test_lines_equal_the_scalar_functions():
    for line in lpsa_xl.assess(load_example()).lines:
        e, t, a, p = line.expected, line.target, line.actual, line.potential
        assert line.stretch == lpsa_xl.stretch(e, t)
        assert line.achievement == lpsa_xl.achievement(e, t, a)
        assert line.payable == lpsa_xl.payable_fraction(e, t, a)
        assert line.reward == lpsa_xl.reward(e, t, a, p)
        assert line.status == lpsa_xl.status(e, t, a)
        assert line.trigger == lpsa_xl.trigger(e, t)
        assert line.vfm_cost == lpsa_xl.vfm_cost(e, t, p)


def test_blank_actuals_give_a_forecast_not_an_error():
    a = Agreement(
        "X",
        "LPSA2",
        (Target("1", 1, 2), Target("2", 1, 2, 2)),
        stated_potential=1000,
        period_end="2009-03-31",
    )
    result = lpsa_xl.assess(a)
    assert result.lines[0].reward is None and result.lines[0].status is None
    assert result.total_reward == D(500) and not result.complete
    assert result.payments == ()  # no payment plan from a partial reward


def test_no_potential_anywhere_is_an_error_naming_the_line():
    with pytest.raises(lpsa_xl.InputError) as info:
        lpsa_xl.assess(Agreement("X", targets=(Target("9", 1, 2, 2),)))
    assert info.value.ref == "9" and info.value.field == "potential"
    stated = lpsa_xl.assess(Agreement("X", targets=(Target("9", 1, 2, 2, potential=10),)))
    assert stated.total_potential == D(10) and stated.total_reward == D(10)


def test_laa2008_pays_nothing_but_still_monitors():
    a = Agreement("X", "LAA2008", (Target("1", 1, 2, 2),), nbr=1_000_000, period_end="2011-03-31")
    result = lpsa_xl.assess(a)
    assert result.total_reward == 0 and result.payments == ()
    assert result.lines[0].status == "Green" and result.lines[0].potential == 0


def test_pump_priming_against_spend():
    a = Agreement(
        "X",
        stated_potential=100,
        targets=(Target("1", 1, 2, 2),),
        pump_priming_grant=1000,
        pump_priming=(
            PumpPrimingItem("1", "2004/05", 600, 700),
            PumpPrimingItem("1", "2005/06", 400, 350),
        ),
    )
    result = lpsa_xl.assess(a)
    assert result.pump_priming is not None and result.pump_priming.remaining == D(-50)
    assert [p.overspent for _, p in result.pump_priming_lines] == [True, False]


def test_reward_schedule_dataframe_matches_scalars():
    frame = pd.DataFrame(
        [
            {"Ref": 1, "Expected": 40.1, "Target": 40.2, "Actual": 40.16},
            {"Ref": 2, "Expected": 4200, "Target": 3800, "Actual": 3700, "Direction": "lower"},
            {
                "Ref": "3a",
                "Parent": 3,
                "Expected": 900,
                "Target": 1100,
                "Actual": 1050,
                "Weight": 0.9,
            },
            {"Ref": "3b", "Parent": 3, "Expected": 40, "Target": 60, "Actual": 45, "Weight": 0.1},
            {"Ref": 4, "Expected": 10, "Target": 20, "Actual": None},
        ]
    )
    agreement = Agreement("X", "LPSA2", stated_potential=1_000_000)
    out = lpsa_xl.reward_schedule(frame, agreement)
    assert list(out["ref"]) == ["1", "2", "3a", "3b", "4"]
    assert list(out.columns) == lpsa_xl.rules.table.SCHEDULE_COLUMNS
    for row in out.to_dict("records"):
        if row["actual"] is None:
            assert row["reward"] is None
            continue
        args = (row["expected"], row["target"], row["actual"])
        assert row["reward"] == lpsa_xl.reward(*args, row["potential"], "LPSA2")
        assert row["achievement"] == lpsa_xl.achievement(*args)
        assert row["status"] == lpsa_xl.status(*args, "LPSA2")
        assert isinstance(row["reward"], D)
    assert out["potential"].sum() == D(1_000_000)


def test_rows_errors_name_the_row_or_ref():
    with pytest.raises(lpsa_xl.InputError, match="row 2 has no ref"):
        lpsa_xl.targets_from_rows([{"ref": "1", "expected": 1, "target": 2}, {"expected": 1}])
    with pytest.raises(lpsa_xl.InputError, match="duplicate target reference 1"):
        lpsa_xl.targets_from_rows([{"ref": "1", "expected": 1, "target": 2}] * 2)
    with pytest.raises(lpsa_xl.ZeroStretchError) as info:
        lpsa_xl.targets_from_rows([{"Target ref": "4", "expected": 3, "target": 3}])
    assert info.value.ref == "4"


def test_subtarget_rows_may_come_before_or_without_their_parent_row():
    targets = lpsa_xl.targets_from_rows(
        [
            {"ref": "3a", "parent": "3", "expected": 1, "target": 2},
            {"ref": "3", "theme": "Health"},
            {"ref": "3b", "parent": "3", "expected": 1, "target": 2},
            {"ref": "5a", "parent": "5", "expected": 1, "target": 2},
        ]
    )
    assert [t.ref for t in targets] == ["3", "5"]
    assert targets[0].theme == "Health" and len(targets[0].subtargets) == 2
    assert isinstance(targets[1].subtargets[0], SubTarget)


def test_stated_potentials_win_and_the_rest_is_split_from_what_is_left():
    a = Agreement(
        "X",
        stated_potential=3000,
        targets=(Target("A", 1, 2, 2, potential=2000), Target("B", 1, 2, 2), Target("C", 1, 2, 2)),
    )
    assert [p for _, _, p in lpsa_xl.rules.schedule.line_potentials(a)] == [2000, 500, 500]
    subs = (SubTarget("a1", 1, 2, potential=900), SubTarget("a2", 1, 2), SubTarget("a3", 1, 2))
    b = Agreement("X", stated_potential=1000, targets=(Target("A", subtargets=subs),))
    assert [p for _, _, p in lpsa_xl.rules.schedule.line_potentials(b)] == [900, 50, 50]
    weighted = (
        SubTarget("a1", 1, 2, potential=100, weight=0.5),
        SubTarget("a2", 1, 2, weight=0.3),
        SubTarget("a3", 1, 2, weight=0.2),
    )
    c = Agreement("X", targets=(Target("A", potential=1000, subtargets=weighted),))
    assert [p for _, _, p in lpsa_xl.rules.schedule.line_potentials(c)] == [100, 540, 360]
    both = Agreement(
        "X",
        targets=(
            Target(
                "A",
                subtargets=(SubTarget("a1", 1, 2, potential=7), SubTarget("a2", 1, 2, potential=3)),
            ),
        ),
    )
    assert lpsa_xl.assess(both).total_potential == 10


def test_stated_potentials_above_the_total_are_an_error():
    over = Agreement(
        "X", stated_potential=100, targets=(Target("A", 1, 2, potential=200), Target("B", 1, 2))
    )
    with pytest.raises(lpsa_xl.WeightsError, match="more than the total"):
        lpsa_xl.assess(over)
    subs = (SubTarget("a1", 1, 2, potential=900), SubTarget("a2", 1, 2))
    with pytest.raises(lpsa_xl.WeightsError) as info:
        lpsa_xl.assess(Agreement("X", targets=(Target("A", potential=500, subtargets=subs),)))
    assert info.value.ref == "A"


def test_a_parent_row_with_figures_of_its_own_is_an_error_not_dropped():
    with pytest.raises(lpsa_xl.InputError, match="no actual of its own"):
        lpsa_xl.targets_from_rows(
            [{"ref": "3", "actual": 5}, {"ref": "3a", "parent": "3", "expected": 1, "target": 2}]
        )


def test_line_potential_function_gives_the_schedule_split():
    """The template's LPSA_LINE_POTENTIAL and assess() share one split."""
    from lpsa_xl.functions.registry import FUNCTIONS

    refs = [["1"], ["2"], ["3"], ["3a"], ["3b"]]
    parents = [[None], [None], [None], ["3"], ["3"]]
    weights = [[None], [None], [None], [0.9], [0.1]]
    stated = [[None], [None], [None], [None], [None]]
    call = FUNCTIONS["LPSA_LINE_POTENTIAL"]
    got = {r[0]: call(r[0], refs, parents, weights, stated, 1000) for r in refs}
    assert got == {"1": 334.0, "2": 333.0, "3": 333.0, "3a": 300.0, "3b": 33.0}
    a = Agreement(
        "X",
        stated_potential=1000,
        targets=lpsa_xl.targets_from_rows(
            [
                {"ref": "1", "expected": 1, "target": 2},
                {"ref": "2", "expected": 1, "target": 2},
                {"ref": "3a", "parent": "3", "expected": 1, "target": 2, "weight": 0.9},
                {"ref": "3b", "parent": "3", "expected": 1, "target": 2, "weight": 0.1},
            ]
        ),
    )
    assert {ln.ref: float(ln.potential) for ln in lpsa_xl.assess(a).lines} == {
        k: v for k, v in got.items() if k != "3"
    }
    assert str(call("9", refs, parents, weights, stated, 1000)).startswith("#")
