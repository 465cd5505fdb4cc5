"""Header synonyms and matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from lpsa_xl.files.errors import LayoutError
from lpsa_xl.returns.headers import find_header, load_synonyms, normalise, score

SYN = load_synonyms()


@pytest.mark.parametrize(
    "header, field",
    [
        ("Expected performance @31/03/06 without PSA", "expected"),
        ("performance expected without the Local PSA", "expected"),
        ("un-stretched target", "expected"),
        ("Un-stretched 2008/09", "expected"),
        ("PSA stretch target 2005-6", "target"),
        ("performance target with the Local PSA", "target"),
        ("05/06 Actual", "actual"),
        ("Outturn", "actual"),
        ("Latest result", "actual"),
        ("Reward available (£)", "potential"),
        ("Target ref", "ref"),
        ("No.", "ref"),
        ("Indicator", "measure"),
        ("Measure", "measure"),
        ("Lower is better", "lower_is_better"),
        ("% of stretch achieved", "achievement"),
        ("Reward (£)", "reward"),
        ("60% trigger", "trigger"),
        ("RAG status", "status"),
        ("Baseline year", "baseline_year"),
    ],
)
def test_council_headers_match_their_field(header: str, field: str) -> None:
    norm = normalise(header)
    ranked = sorted(((score(norm, p)[0], f) for f, p in SYN.columns().items()), reverse=True)
    assert ranked[0][1] == field and ranked[0][0] > ranked[1][0]


def test_normalise_drops_years_dates_and_punctuation() -> None:
    assert normalise("Expected @31/03/2006 (2005-06) £") == "expected"
    assert normalise("PSA stretch target 2005-6") == "psa stretch target"


def test_user_file_adds_to_the_built_in_synonyms(tmp_path: Path) -> None:
    extra = tmp_path / "mine.toml"
    extra.write_text('[fields]\nexpected = ["do nothing scenario"]\n', encoding="utf-8")
    syn = load_synonyms([extra])
    assert "do nothing scenario" in syn.fields["expected"] and "outturn" in syn.fields["actual"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[fields\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="not valid TOML"):
        load_synonyms([bad])


def test_figures_under_a_text_header_lose_to_the_right_column() -> None:
    grid = [["Target", "Target", "Expected", "Actual"], ["Cut burglary", 3800, 4200, 3700]]
    grid[0][0] = "Target description"
    match = find_header({"S": grid}, SYN)
    assert match.columns["measure"] == 1 and match.columns["target"] == 2


def test_header_spanning_two_rows() -> None:
    grid = [
        ["Ref", "Performance", "Performance", "Performance"],
        [None, "without PSA", "with PSA", "Outturn"],
        ["1", 10, 20, 16],
    ]
    match = find_header({"S": grid}, SYN)
    assert (match.first_row, match.last_row) == (1, 2)
    assert match.columns == {"ref": 1, "expected": 2, "target": 3, "actual": 4}


def test_the_real_header_wins_over_rows_of_prose_using_the_same_words() -> None:
    import random

    rng = random.Random(1)
    words = [
        "council",
        "performance",
        "target",
        "expected",
        "reward",
        "actual",
        "indicator",
        "outturn",
        "budget",
    ]
    grid: list[list[object]] = [
        [" ".join(rng.choices(words, k=4)) for _ in range(20)] for _ in range(30)
    ]
    grid[12] = ["Ref", "Measure", "Expected", "Target", "Actual"] + [None] * 15
    for i in range(13, 16):
        grid[i] = [str(i), "x", 10, 20, 16] + [None] * 15
    grid[16] = [None] * 20
    match = find_header({"Notes": grid}, SYN)
    assert match.first_row == 13
    assert match.columns == {"ref": 1, "measure": 2, "expected": 3, "target": 4, "actual": 5}
