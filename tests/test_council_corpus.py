"""The council corpus (tests/council_corpus.py): every workbook read right or refused at the
cell its known answer names, none silently wrong, and tests/README.md's table as the script
prints it."""

from __future__ import annotations

from pathlib import Path

import pytest
from council_corpus import CASES, judge, run_corpus, table

README = Path(__file__).with_name("README.md")


def test_the_corpus_is_big_and_varied_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.reward is None for c in CASES) >= 3  # refusals are part of the corpus


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_workbook_gives_its_known_answer(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcome = judge(case, case.build(tmp_path))
    assert outcome.kind == ("right" if case.reward is not None else "refused"), outcome.detail


def test_the_readme_table_is_the_scripts(tmp_path: Path) -> None:
    made = table(run_corpus(tmp_path))
    counts = [cell.strip() for cell in made.splitlines()[2].strip("|").split("|")]
    assert counts[2] == "0", made  # silently wrong
    assert made in README.read_text(encoding="utf-8"), (
        "tests/README.md's corpus table is out of date: run python tests/council_corpus.py"
    )
