"""The council corpus (tests/council_corpus.py): every workbook read right or refused at the
cell its known answer names, none silently wrong, and tests/README.md's table as the script
prints it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def _as_read(book: Any) -> tuple[object, ...]:
    def cells(d: dict[str, Any]) -> list[tuple[object, ...]]:
        return sorted((k, c.sheet, c.coord, repr(c.value), c.number_format) for k, c in d.items())

    return (
        cells(book.agreement),
        [(t.sheet, t.row, cells(t.fields), cells(t.claimed)) for t in book.targets],
        [cells(p) for p in book.pump_priming],
        book.notes,
        [str(p) for p in book.problems],
        [str(w) for w in book.warnings],
        book.sources,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_quick_reading_is_openpyxls(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Council layouts are read from the package's XML (files/fastread.py) for speed; openpyxl's
    full load must give the very same book, or the same refusal."""
    from lpsa_xl.files.errors import WorkbookError
    from lpsa_xl.files.openbook import open_workbook
    from lpsa_xl.returns.read import _read_quickly, read_workbook
    from lpsa_xl.returns.synonyms import load_synonyms

    path = case.build(tmp_path)
    outcomes = []
    for how in ("quick", "openpyxl"):
        try:
            if how == "quick":
                book = _read_quickly(path, load_synonyms)
                assert book is not None, "the quick reading gave up"
            else:
                book = read_workbook(path, open_workbook(path, data_only=True, read_only=False))
            outcomes.append(_as_read(book))
        except WorkbookError as exc:
            outcomes.append((type(exc).__name__, str(exc)))
    assert outcomes[0] == outcomes[1]


def test_a_folder_of_clean_council_returns_checks_clean(tmp_path: Path) -> None:
    """lpsa-xl check on a folder of council returns in their own layouts, each naming its
    authority only in a title or the document properties: no error for any clean one."""
    from click.testing import CliRunner

    from lpsa_xl.cli import main

    clean = [c for c in CASES if c.reward is not None and not c.warn_at]
    for case in clean:
        case.build(tmp_path)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--json", "--no-recalc"])
    files = json.loads(result.stdout)["files"]
    assert len(files) == len(clean)
    errors = [(f.get("path") or f.get("file"), x["message"]) for f in files
              for x in f["findings"] if x["severity"] == "error"]  # fmt: skip
    assert not errors and result.exit_code == 0, errors
