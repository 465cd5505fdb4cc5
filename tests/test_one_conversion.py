"""Typed text becomes a number in one place (:func:`lpsa_xl.rules.convert.read_number_text`):
the checker's reading of a claimed percentage and the figures shown in messages agree with it,
and findings show figures exactly, by the one formatter module (:mod:`lpsa_xl.display`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lpsa_xl.check.compare import as_fractions
from lpsa_xl.display import as_decimal, exact, exact_money, exact_percent, money, number
from lpsa_xl.rules import NotANumberError


@pytest.mark.parametrize(
    ("typed", "fraction", "tolerance"),
    [
        ("60%", "0.6", "0.005"),  # shown to the whole point, however the zeros fall
        ("45 %", "0.45", "0.005"),
        (" 35.56% ", "0.3556", "0.00005"),
        ("(1.5%)", "-0.015", "0.0005"),
    ],
)
def test_a_claimed_percentage_is_read_as_typed(typed: str, fraction: str, tolerance: str) -> None:
    assert as_fractions(typed) == [(Decimal(fraction), Decimal(tolerance))]


def test_a_claimed_plain_figure_may_be_a_fraction_or_points() -> None:
    assert as_fractions("0.45") == [
        (Decimal("0.45"), Decimal("0.005")),
        (Decimal("0.0045"), Decimal("0.00005")),
    ]
    with pytest.raises(NotANumberError):
        as_fractions("about half")


def test_text_figures_are_shown_as_the_conversion_reads_them() -> None:
    assert as_decimal("(1,200)") == Decimal("-1200")
    assert as_decimal("132 993 000") == Decimal("132993000")
    assert number("1,234.5") == "1,234.5"
    assert as_decimal("n/a") is None
    # text with a unit sign is shown as typed, never as another figure
    assert money("45%") == "45%" and number("£3.3m") == "£3.3m"


def test_findings_show_every_digit() -> None:
    assert exact_money(Decimal("1008250.605")) == "£1,008,250.605"
    assert exact_percent(Decimal("0.35555")) == "35.555%"
    assert exact(Decimal("-4900.50")) == "-4,900.5"
    assert exact_money(None) == exact_percent(None) == "-"
