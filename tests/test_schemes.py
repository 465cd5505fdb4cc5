"""Schemes are data: the built-in file, and files users load."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

import lpsa_xl
from lpsa_xl.rules.schemes import parse_schemes


@pytest.fixture(autouse=True)
def _fresh_schemes():
    yield
    lpsa_xl.reset_schemes()


def test_builtin_schemes():
    assert lpsa_xl.scheme_names() == ["LAA2006", "LAA2008", "LPSA1", "LPSA2", "PRG2010"]
    lpsa1 = lpsa_xl.get_scheme("lpsa 1")
    assert (lpsa1.floor, lpsa1.cap, lpsa1.nbr_rate) == (D("0.60"), D("1.00"), D("0.025"))
    assert lpsa1.on_account_share == D("0.20") and "Hansard" in lpsa1.evidence
    prg = lpsa_xl.get_scheme("PRG-2010")
    cut = prg.adjustment(2010)
    assert (prg.capital_share, cut.reduction, cut.capital_share) == (
        D("0.30"),
        D("0.50"),
        D("0.30"),
    )
    assert prg.adjustment(2009).reduction == 0
    assert lpsa_xl.get_scheme("LAA2008").max_designated_targets == 35
    assert lpsa_xl.get_scheme(None) is lpsa_xl.get_scheme("") is lpsa1
    assert lpsa_xl.get_scheme(lpsa1) is lpsa1
    for name in lpsa_xl.scheme_names():
        assert isinstance(lpsa_xl.get_scheme(name).floor, D)


CUSTOM = """
[LOCAL50]
title = "A what-if: 50% floor"
period = "none"
pays_reward = true
floor = 0.5
cap = 1
nbr_rate = 0.025
capital_share = 0.5
reward_unit = 0.01
payment_unit = 0.01
rounding = "ROUND_HALF_EVEN"
on_account_share = 0.1
recover_excess = false
max_designated_targets = 0
small_stretch_units = 5
[[LOCAL50.instalments]]
year_offset = 1
share = 1
"""


def test_user_scheme_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    assert lpsa_xl.load_schemes(path) == ["LOCAL50"]
    assert lpsa_xl.reward(100, 200, 155, "1000.01", "local50") == D("550.01")
    assert lpsa_xl.status(100, 200, 155, "LOCAL50") == "Amber"
    assert [p.year for p in lpsa_xl.instalments(10, 2009, "LOCAL50")] == ["2009/10"]
    assert (
        lpsa_xl.instalments(10, 2009, "LOCAL50", on_account=20)
        == lpsa_xl.instalments(0, 2009, "LOCAL50", on_account=20)[:1]
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not = [toml", "not valid TOML"),
        ("X = 1", "must be a table"),
        ("[X]\ntitle = 'x'", "missing"),
        (CUSTOM.replace("floor = 0.5", "floor = 1.5"), "floor must be between 0 and 1"),
        (CUSTOM.replace("cap = 1", "cap = 0.4"), "above cap"),
        (CUSTOM.replace("reward_unit = 0.01", "reward_unit = 0"), "rounding units"),
        (CUSTOM.replace("small_stretch_units = 5", "small_stretch_units = -5"), "limits"),
        (CUSTOM.replace("share = 1", "share = 0.9"), "add up to 1"),
        (CUSTOM.replace("share = 1", "share = 0"), r"instalment in year \+1"),
        (CUSTOM.replace("floor = 0.5", "floor = 'half'"), "floor"),
        (CUSTOM.replace('rounding = "ROUND_HALF_EVEN"', "rounding = 'sideways'"), "rounding"),
        (CUSTOM.replace("year_offset = 1", "year_offset = 'next'"), "year_offset must be a whole"),
        (CUSTOM.replace("year_offset = 1", "year_offset = 0"), "year_offset 1 or more"),
        (CUSTOM.replace("pays_reward = true", "pays_reward = 'false'"), "true or false"),
        (CUSTOM.replace("max_designated_targets = 0", "max_designated_targets = 2.7"), "whole"),
        (
            CUSTOM.replace(
                "share = 1",
                "share = 1\n[[LOCAL50.adjustments]]\nyear = '2010/12'\n"
                "reduction = 0.5\ncapital_share = 0.3",
            ),
            "not a financial year",
        ),
        (
            CUSTOM.replace(
                "share = 1",
                "share = 1\n[[LOCAL50.adjustments]]\nyear = 'soon'\n"
                "reduction = 0.5\ncapital_share = 0.3",
            ),
            "such as '2010/11'",
        ),
        (
            CUSTOM.replace(
                "share = 1",
                "share = 1\n[[LOCAL50.adjustments]]\nyear = '2010/11'\n"
                "reduction = 1.5\ncapital_share = 0.3",
            ),
            "between 0 and 1",
        ),
        (
            CUSTOM.replace(
                "share = 1",
                "share = 1\n[[LOCAL50.adjustments]]\nyear = '2010/11'\ncapital_share = 0.3",
            ),
            "malformed",
        ),
        ("['  ']\ntitle = 1", "needs a name"),
    ],
)
def test_bad_scheme_files_are_explained(text, message):
    with pytest.raises(lpsa_xl.SchemeFileError, match=message):
        parse_schemes(text)


def test_unreadable_scheme_file(tmp_path):
    with pytest.raises(lpsa_xl.SchemeFileError, match="cannot read"):
        lpsa_xl.load_schemes(tmp_path / "missing.toml")


def test_scheme_names_with_separators_load_and_look_up(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(CUSTOM.replace("LOCAL50", "MY_SCHEME"), encoding="utf-8")
    assert lpsa_xl.load_schemes(path) == ["MYSCHEME"]
    assert lpsa_xl.get_scheme("my scheme").name == "MYSCHEME"
    assert lpsa_xl.get_scheme("MY_SCHEME").floor == D("0.5")


def test_scheme_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes("title = 'caf\u00e9'".encode("latin-1"))
    with pytest.raises(lpsa_xl.SchemeFileError, match="not UTF-8"):
        lpsa_xl.load_schemes(path)
