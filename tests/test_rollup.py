"""The roll-up of targets by class (met, partly met, missed, on track, at risk, likely missed,
not yet measurable) with the money at stake in each: the core, LPSA_ROLLUP from the registry,
and the same formula recalculated headlessly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from formula_util import book, value
from hypothesis import given
from hypothesis import strategies as st

import lpsa_xl
from lpsa_xl import Agreement, Target, assess, forecast, rollup, rollup_result
from lpsa_xl.functions.registry import FUNCTIONS
from lpsa_xl.returns.recalc import recalculate
from lpsa_xl.rules.rollup import CLASSES, class_of, final_class

D = Decimal
YEARS = ["2003/04", "2004/05"]


def test_an_agreement_classed_by_outturn_forecast_or_neither() -> None:
    agreement = Agreement(
        "Northshire",
        "LPSA1",
        stated_potential=400000,
        targets=(
            Target("1", 40.1, 40.2, 40.2),  # final: met
            Target("2", 4200, 3800, 4000),  # final: 50%, missed
            Target("3", 10, 20, 17),  # final: 70%, partly met
            Target("4", 50, 60),  # forecast below
        ),
    )
    result = assess(agreement)
    ahead = forecast(YEARS, [50, 54], "2005/06", 50, 60, result.lines[3].potential)
    assert ahead.outturn == 58 and ahead.status == lpsa_xl.AT_RISK and ahead.reward == 80000
    r = rollup_result(result, {"4": ahead})
    assert [(c.name, c.count) for c in r.classes if c.count] == [
        ("met", 1), ("partly met", 1), ("missed", 1), ("at risk", 1)]  # fmt: skip
    assert r["met"].reward == 100000 and r["partly met"].reward == 70000
    assert r["missed"].potential == 100000 and r["missed"].reward == 0
    assert r["at risk"].refs == ("4",) and r["at risk"].reward == 80000
    assert (r.count, r.potential, r.reward) == (4, D(400000), D(250000))
    bare = rollup_result(result)  # no forecast given: target 4 cannot be measured yet
    assert bare[lpsa_xl.NOT_MEASURABLE].refs == ("4",) and bare.reward == 170000


def test_the_floor_and_full_stretch_are_decided_exactly() -> None:
    scheme = lpsa_xl.get_scheme("LPSA1")
    assert final_class(40.1, 40.2, 40.16, scheme) == lpsa_xl.PARTLY_MET  # exactly 60%
    assert final_class(40.1, 40.2, 40.159, scheme) == lpsa_xl.MISSED
    assert final_class(4200, 3800, 3800, scheme) == lpsa_xl.MET  # lower is better


@pytest.mark.parametrize(
    ("status", "name"),
    [("Green", "met"), (" amber ", "partly met"), ("RED", "missed"), ("On track", "on track"),
     ("likely  missed", "likely missed"), (None, "not yet measurable"), ("", "not yet measurable"),
     ("partly met", "partly met")],
)  # fmt: skip
def test_statuses_name_their_class(status: object, name: str) -> None:
    assert class_of(status) == name


def test_a_word_that_is_no_status_is_refused() -> None:
    with pytest.raises(lpsa_xl.InputError, match="'Purple' is no status"):
        rollup([("1", "Purple", 100, 0)])
    with pytest.raises(lpsa_xl.NotANumberError, match="potential"):
        rollup([("1", "Green", None, 0)])


entry = st.tuples(
    st.text(max_size=3),
    st.sampled_from([*CLASSES, "Green", "Amber", "Red", None]),
    st.decimals(min_value=0, max_value=10**7, places=2),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10**7, places=2)),
)


@given(st.lists(entry, max_size=30))
def test_the_classes_add_up_to_the_totals(entries: list[tuple]) -> None:
    r = rollup(entries)
    assert [c.name for c in r.classes] == list(CLASSES)
    assert r.count == len(entries)
    assert r.potential == sum((e[2] for e in entries), D(0))
    assert r.reward == sum((e[3] or D(0) for e in entries), D(0))


def test_lpsa_rollup_spills_every_class_and_the_total() -> None:
    fn = FUNCTIONS["LPSA_ROLLUP"]
    got = fn([["Green"], ["at risk"], [None], ["Red"], [None]],
             [[100], [200], [50], [10], [None]], [[100], [150.5], [None], [0], [None]])  # fmt: skip
    assert got == [
        ["class", "targets", "potential", "reward"],
        ["met", 1, 100.0, 100.0],
        ["partly met", 0, 0.0, 0.0],
        ["missed", 1, 10.0, 0.0],
        ["on track", 0, 0.0, 0.0],
        ["at risk", 1, 200.0, 150.5],
        ["likely missed", 0, 0.0, 0.0],
        ["not yet measurable", 1, 50.0, 0.0],
        ["total", 4, 360.0, 250.5],
    ]
    assert fn([["Green"], ["Red"]], [[1]]).startswith("#VALUE!")  # columns of different tables


def test_lpsa_rollup_recalculated_headlessly(tmp_path: Path) -> None:
    cells = {"A1": "Green", "A2": "on track", "A3": "likely missed",
             "B1": 300, "B2": 200, "B3": 100, "C1": 300, "C2": 200, "C3": 0,
             "E1": "=INDEX(LPSA_ROLLUP(A1:A3,B1:B3,C1:C3),2,4)",
             "E2": "=INDEX(LPSA_ROLLUP(A1:A3,B1:B3,C1:C3),9,2)",
             "E3": "=INDEX(LPSA_ROLLUP(A1:A3,B1:B3,C1:C3),9,4)",
             "E4": "=INDEX(LPSA_ROLLUP(A1:A3,B1:B3),5,1)"}  # fmt: skip
    _, engine = recalculate(book(tmp_path / "r.xlsx", {"S": cells}))
    assert engine.problems() == []
    assert [value(engine, f"S!E{r}") for r in range(1, 5)] == [300, 3, 500, "on track"]
