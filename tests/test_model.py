"""The domain objects: immutable, validated on construction, errors naming ref and field."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

import lpsa_xl
from lpsa_xl import Agreement, SubTarget, Target


def test_target_converts_and_is_immutable():
    t = Target(ref=3.0, expected=40.1, target="40.2", actual=D("40.16"), direction="Higher")
    assert (t.ref, t.expected, t.target, t.actual, t.direction) == (
        "3",
        D("40.1"),
        D("40.2"),
        D("40.16"),
        "higher",
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.actual = D(1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "error", "field", "text"),
    [
        ({"expected": 5, "target": 5}, lpsa_xl.ZeroStretchError, "target", "no stretch"),
        (
            {"expected": 5, "target": 4, "direction": "higher"},
            lpsa_xl.DirectionError,
            "target",
            "higher is better",
        ),
        (
            {"expected": 5, "target": 6, "direction": "lower"},
            lpsa_xl.DirectionError,
            "target",
            "lower is better",
        ),
        ({"expected": None, "target": 6}, lpsa_xl.NotANumberError, "expected", "blank"),
        ({"expected": 5, "target": "six"}, lpsa_xl.NotANumberError, "target", "'six'"),
        ({"expected": 5, "target": 6, "potential": -1}, lpsa_xl.OutOfRangeError, "potential", ""),
        ({"expected": 5, "target": 6, "weight": 0}, lpsa_xl.OutOfRangeError, "weight", ""),
        (
            {"expected": 5, "target": 6, "value_per_unit": -1},
            lpsa_xl.OutOfRangeError,
            "value_per_unit",
            "",
        ),
        (
            {"expected": 5, "target": 6, "direction": "up-ish"},
            lpsa_xl.OutOfRangeError,
            "direction",
            "up-ish",
        ),
    ],
)
def test_target_validation_names_ref_and_field(kwargs, error, field, text):
    with pytest.raises(error) as info:
        Target(ref="7b", **kwargs)
    assert info.value.ref == "7b" and info.value.field == field
    assert str(info.value).startswith(f"target 7b, {field}: ")
    assert text in str(info.value)


def test_target_needs_a_ref():
    with pytest.raises(lpsa_xl.InputError, match="reference"):
        Target(ref="  ", expected=1, target=2)


def test_subtarget_weights_must_sum_to_one():
    subs = (SubTarget("3a", 1, 2, weight=0.9), SubTarget("3b", 1, 2, weight=0.2))
    with pytest.raises(lpsa_xl.WeightsError) as info:
        Target("3", subtargets=subs)
    assert info.value.ref == "3" and "1.1" in str(info.value)
    with pytest.raises(lpsa_xl.WeightsError, match="give all or none"):
        Target("3", subtargets=(SubTarget("3a", 1, 2, weight=1), SubTarget("3b", 1, 2)))
    with pytest.raises(lpsa_xl.InputError, match="duplicate sub-target reference 3a"):
        Target("3", subtargets=(SubTarget("3a", 1, 2), SubTarget("3a", 1, 2)))


def test_interim_met_in_either_direction():
    assert Target("1", 100, 200, interim_target=150, interim_actual=151).interim_met
    assert not Target("1", 100, 200, interim_target=150, interim_actual=149).interim_met
    assert Target("1", 200, 100, interim_target=150, interim_actual=149).interim_met
    assert not Target("1", 200, 100, interim_target=150).interim_met
    parent = Target("3", subtargets=(SubTarget("3a", 1, 2),), interim_target=1, interim_actual=2)
    assert not parent.interim_met


def _agreement(**kwargs):
    base = {
        "authority": "Testshire",
        "scheme": "LPSA1",
        "nbr": 100_000_000,
        "targets": (Target("1", 100, 200, 175), Target("2", 50, 40, 38)),
    }
    return Agreement(**{**base, **kwargs})


def test_agreement_potential_stated_wins():
    assert _agreement().total_potential == D("2500000.00")
    assert _agreement(stated_potential="2,500,100").total_potential == D(2_500_100)
    assert _agreement(nbr=None).total_potential is None
    assert _agreement(scheme="LAA2008").total_potential == D(0)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"nbr": -5}, lpsa_xl.OutOfRangeError, "nbr"),
        ({"stated_potential": "lots"}, lpsa_xl.NotANumberError, "stated_potential"),
        ({"pump_priming_grant": -1}, lpsa_xl.OutOfRangeError, "pump_priming_grant"),
        (
            {"period_start": "2006-04-01", "period_end": "2006-03-31"},
            lpsa_xl.InputError,
            "period_end",
        ),
        ({"period_end": "31st March"}, lpsa_xl.InputError, "period_end"),
        ({"partner_shares": {"County": 0.5}}, lpsa_xl.WeightsError, "partner_shares"),
        ({"targets": (Target("1", 1, 2), Target("1", 3, 4))}, lpsa_xl.InputError, "ref"),
        (
            {"scheme": "LAA2008", "targets": tuple(Target(str(i), 1, 2) for i in range(36))},
            lpsa_xl.OutOfRangeError,
            "targets",
        ),
        ({"scheme": "nonsense"}, lpsa_xl.UnknownSchemeError, "scheme"),
    ],
)
def test_agreement_validation(kwargs, error, field):
    with pytest.raises(error) as info:
        _agreement(**kwargs)
    assert info.value.field == field


def test_agreement_dates_and_from_mapping():
    a = Agreement.from_mapping(
        {
            "authority": "X",
            "period_start": dt.datetime(2006, 4, 1, 0, 0),
            "period_end": dt.date(2009, 3, 31),
            "ignored": 1,
        }
    )
    assert (a.period_start, a.period_end) == (dt.date(2006, 4, 1), dt.date(2009, 3, 31))
    assert a.scheme_obj.name == "LPSA1"


def test_pump_priming_item_validates():
    with pytest.raises(lpsa_xl.OutOfRangeError) as info:
        lpsa_xl.PumpPrimingItem("2", "2004/05", budget=-1)
    assert "pump priming 2 2004/05" in str(info.value)


def test_parent_targets_hold_no_figures_of_their_own():
    sub = (SubTarget("3a", 1, 2),)
    with pytest.raises(lpsa_xl.InputError, match="no actual of its own") as info:
        Target("3", actual=5, subtargets=sub)
    assert info.value.field == "actual"
    with pytest.raises(lpsa_xl.InputError, match="weight divides a target"):
        Target("3", 1, 2, weight=0.5)
    with pytest.raises(lpsa_xl.OutOfRangeError):
        Target(
            "3", subtargets=(SubTarget("3a", 1, 2, weight=1.5), SubTarget("3b", 1, 2, weight=-0.5))
        )
    with pytest.raises(lpsa_xl.InputError, match="SubTarget objects"):
        Target("3", subtargets=({"ref": "3a"},))


def test_agreement_rejects_rows_given_as_dicts_and_freezes_partner_shares():
    with pytest.raises(lpsa_xl.InputError, match="targets_from_rows"):
        Agreement("X", targets=[{"ref": "a"}])
    with pytest.raises(lpsa_xl.InputError, match="PumpPrimingItem"):
        Agreement("X", pump_priming=[("1", "2004/05", 1, 1)])
    with pytest.raises(lpsa_xl.InputError, match="mapped to fractions"):
        Agreement("X", partner_shares=[0.5, 0.5])
    with pytest.raises(lpsa_xl.OutOfRangeError):
        Agreement("X", partner_shares={"a": 1.5, "b": -0.5})
    a = Agreement("X", partner_shares={"a": 0.5, "b": 0.5})
    with pytest.raises(TypeError):
        a.partner_shares["a"] = D(1)  # type: ignore[index]
    assert hash(a) == hash(Agreement("X", partner_shares={"a": 0.5, "b": 0.5}))


def test_laa2008_statutory_targets_do_not_count_towards_35():
    designated = [Target(str(i), 1, 2) for i in range(35)]
    statutory = [Target(f"S{i}", 1, 2, designated=False) for i in range(16)]
    assert len(Agreement("X", "LAA2008", targets=designated + statutory).targets) == 51
