"""Inspecting workbook packages without trusting them: every file of the hostile
corpus gives its expected finding, never a crash, and nothing rejected is ever parsed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.inspect import Limits, inspect_package
from lpsa_xl.files.openbook import open_workbook, reading
from tests.hostile.make_corpus import KINDS, good_workbook, make_corpus, rezip


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make_corpus(folder)


def read_all(path: Path) -> int:
    """Open with the safe opener and iterate every row of every sheet, as a reader would."""
    wb = open_workbook(path)
    try:
        with reading(path):
            return sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True))
    finally:
        wb.close()


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_hostile_file_gives_its_finding_and_never_a_crash(
    corpus: tuple[Path, dict[str, str]], name: str
) -> None:
    folder, expected = corpus
    path = folder / name
    report = inspect_package(path)
    code = expected[name]
    if code == "ok":  # not hostile, but read wrongly by a naive reader: every row is read
        assert report.usable and report.problems == []
        assert read_all(path) == 4
        return
    if code == "open-error":
        assert report.usable, report.problems
        with pytest.raises(UnreadableWorkbookError, match=name):
            read_all(path)
        return
    assert code in [p.code for p in report.problems], report.problems
    if report.usable:  # a warning: the file can still be read, and is read quickly
        assert read_all(path) >= 4
    else:
        with pytest.raises(UnreadableWorkbookError) as err:
            open_workbook(path)
        assert str(err.value).startswith(name)


def test_corpus_inputs_are_unchanged_by_inspection(corpus: tuple[Path, dict[str, str]]) -> None:
    folder, expected = corpus
    before = {n: (folder / n).read_bytes() for n in expected}
    for name in expected:
        inspect_package(folder / name)
    assert {n: (folder / n).read_bytes() for n in expected} == before


def test_good_workbook_has_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "good.xlsx"
    path.write_bytes(good_workbook())
    report = inspect_package(path)
    assert report.usable and report.problems == [] and report.lossy == []
    [sheet] = report.sheets
    assert (sheet.name, sheet.part, sheet.rows, sheet.columns) == (
        "Targets",
        "xl/worksheets/sheet1.xml",
        4,
        4,
    )
    assert (sheet.claimed_rows, sheet.claimed_columns) == (4, 4)
    assert read_all(path) == 4


def test_million_row_claim_is_replaced_by_the_extent_found(
    corpus: tuple[Path, dict[str, str]],
) -> None:
    folder, _ = corpus
    report = inspect_package(folder / "million_rows.xlsx")
    [sheet] = report.sheets
    assert sheet.claimed_rows == 1_048_576 and sheet.rows == 4
    wb = open_workbook(folder / "million_rows.xlsx", report=report)
    ws = wb["Targets"]
    assert (ws.max_row, ws.max_column) == (4, 4)
    assert len(list(ws.iter_rows(values_only=True))) == 4
    wb.close()


def test_vba_is_lossy_in_xlsx_but_kept_in_xlsm(corpus: tuple[Path, dict[str, str]]) -> None:
    folder, _ = corpus
    xlsx, xlsm = (
        inspect_package(folder / "vba_in_xlsx.xlsx"),
        inspect_package(folder / "vba_macro.xlsm"),
    )
    assert "vba" in xlsx.lossy and "vba" in xlsm.features and "vba" not in xlsm.lossy
    assert "never run" in next(p.message for p in xlsm.problems if p.code == "vba")


def test_chart_is_listed_as_lossy(corpus: tuple[Path, dict[str, str]]) -> None:
    report = inspect_package(corpus[0] / "chart.xlsx")
    assert {"charts", "drawings"} <= set(report.lossy)
    assert "charts" in next(p.message for p in report.problems if p.code == "lossy-parts")


def test_ratio_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "zeros.xlsx"
    path.write_bytes(
        rezip(good_workbook(), add={"xl/big.xml": b"<a>" + b" " * 3_000_000 + b"</a>"})
    )
    strict = inspect_package(path)
    assert [p.code for p in strict.fatal] == ["zip-bomb"]
    assert "xl/big.xml" in strict.fatal[0].message
    assert inspect_package(path, Limits(max_ratio=5000)).usable
    assert inspect_package(path, Limits(ratio_floor=4_000_000)).usable


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    report = inspect_package(tmp_path / "nowhere.xlsx")
    assert [p.code for p in report.fatal] == ["not-readable"]


def test_doctype_after_comment_in_a_rels_part_is_found(tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(good_workbook())) as zf:
        rels = zf.read("_rels/.rels")
    hostile = b"<!-- x --><!DOCTYPE r [<!ENTITY e SYSTEM 'http://example.invalid/'>]>" + rels
    path = tmp_path / "rels.xlsx"
    path.write_bytes(rezip(good_workbook(), replace={"_rels/.rels": hostile}))
    [problem] = inspect_package(path).fatal
    assert problem.code == "xml-doctype" and problem.part == "_rels/.rels"
    assert "external entities" in problem.message


def test_doctype_in_a_part_not_named_xml_is_found(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><worksheet/>'
    path.write_bytes(rezip(good_workbook(), add={"xl/worksheets/sheet9.dat": bomb}))
    [problem] = inspect_package(path).fatal
    assert (problem.code, problem.part) == ("xml-doctype", "xl/worksheets/sheet9.dat")
