"""The registry remembers pure calls; the memo never changes an answer."""

from __future__ import annotations

from lpsa_xl import load_schemes, reset_schemes
from lpsa_xl.functions.registry import FUNCTIONS
from lpsa_xl.values import NA, ExcelError

SCHEME = """
[LPSA1]
title = "LPSA1 with a 50% floor (a what-if)"
period = "test"
pays_reward = true
floor = 0.5
cap = 1
nbr_rate = 0.025
capital_share = 0.5
reward_unit = 1
payment_unit = 0.01
rounding = "half_up"
on_account_share = 0.2
recover_excess = true
max_designated_targets = 0
small_stretch_units = 10
[[LPSA1.instalments]]
year_offset = 1
share = 1
"""


def test_loading_schemes_forgets_remembered_answers(tmp_path):
    reward = FUNCTIONS["LPSA_REWARD"]
    assert reward(100.0, 200.0, 155.0, 1000.0) == 0.0  # below the 60% floor
    path = tmp_path / "what_if.toml"
    path.write_text(SCHEME, encoding="utf-8")
    try:
        load_schemes(path)
        assert reward(100.0, 200.0, 155.0, 1000.0) == 550.0
    finally:
        reset_schemes()
    assert reward(100.0, 200.0, 155.0, 1000.0) == 0.0


def test_a_changed_array_result_does_not_change_the_memo():
    plan = FUNCTIONS["LPSA_INSTALMENTS"]
    first = plan(1000.0, 2009.0, "LAA2006")
    first[1][2] = "changed"
    assert plan(1000.0, 2009.0, "LAA2006")[1][2] == 500.0


def test_equal_values_of_other_types_are_not_confused():
    stretch = FUNCTIONS["LPSA_STRETCH"]
    assert stretch(1, 2) == 1.0
    assert isinstance(stretch(True, 2), ExcelError)  # a logical is not a number
    assert stretch(NA, 2) is NA  # error values pass through, reason and all, never memoised
