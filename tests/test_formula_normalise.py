"""The compile-cache key: formulas copied down a column normalise to one text, and the
column fast path gives exactly what a full scan gives."""

from __future__ import annotations

import random

import pytest
from formula_corpus import Gen

from lpsa_xl.files.formulatext import ColumnNormaliser, _normalise, normalise
from lpsa_xl.formula.parser import parse

TRICKY = [
    'IF(A1="Q1",LOG10(B1),"x%"&C1)',
    "SUM($A$1:A1)+SUM(2:3)+SUM($4:4)+SUM(A:B)",
    "'My ''sheet'''!A1+Sheet2!$B1+Rate2010",
    "Table1[@Col]+[Col2]*A1",
    "_xludf.LPSA_REWARD(E2,F2,G2,H2)+#REF!",
    "A1+1E5+E5+XFE1+A0",
]


def test_copies_share_one_key() -> None:
    assert normalise("A1*2+$B$1", 1, 3) == normalise("A7*2+$B$1", 7, 3)
    assert normalise("A1*2", 1, 3) != normalise("A1*2", 2, 3)
    assert normalise('"A1"&A1', 1, 1) == '"A1"&\x01~0,~0\x01'


@pytest.mark.parametrize("seed", range(30))
def test_column_fast_path_equals_a_full_scan(seed: int) -> None:
    rng = random.Random(seed)
    formulas = [Gen(rng, [1, 2]).num() for _ in range(5)] + TRICKY
    for text in formulas:
        start = rng.randint(1, 4)
        _, template, offsets = _normalise(text, start, 6)
        column = ColumnNormaliser()
        for row in range(start, start + 6):
            rows = tuple(row + d for d in offsets)
            if rows and min(rows) <= 0:
                continue
            copy = template % rows
            assert column(copy, row, 6) == normalise(copy, row, 6), (text, row)
        parse(normalise(text, start, 6))


def test_a_copy_reaching_row_zero_is_not_taken_for_the_cached_key() -> None:
    column = ColumnNormaliser()
    column("A2+1", 3, 2)  # A2 from row 3: one row up
    assert column("A0+1", 1, 2) == normalise("A0+1", 1, 2)  # "A0" is not a reference
