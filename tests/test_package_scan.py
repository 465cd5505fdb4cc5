"""The package scan (lpsa_xl/files/scan.py): one read of a workbook's cells for
both the evaluator and the template reader's view. Cells in the shapes Excel writes take the
scan's fast path; any other shape (attributes in another order or besides, namespace prefixes,
rich text, shared formulas) the general one, with the same result. Broken XML is refused, and a
remembered package is never changed by evaluating it."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from formula_util import book, evaluate, value
from test_formula_workbook import rewrite_member

from lpsa_xl.files.errors import UnreadableWorkbookError
from lpsa_xl.files.fastread import QuickBook
from lpsa_xl.files.scan import _read_package, read_package

SHEET = "xl/worksheets/sheet1.xml"


def _sample(path: Path) -> Path:
    return book(
        path,
        {
            "S": {
                "A1": 2,
                "A2": 2.5,
                "A3": "Health & <care>",
                "A4": True,
                "B1": "=A1*10",
                "B2": '=IF(A1>1,"big & bold","small")',
                "B3": "=A1+A2",
            }
        },
    )


def _cells(path: Path) -> tuple[dict, dict, list]:
    sheet = _read_package(path).sheets[0]
    formulas = sorted((f.row, f.col, f.text, f.cached, f.original) for f in sheet.formulas)
    return dict(sheet.values), dict(sheet.raw), formulas


def test_other_shapes_read_as_the_usual_ones(tmp_path: Path) -> None:
    usual = _sample(tmp_path / "usual.xlsx")
    odd = _sample(tmp_path / "odd.xlsx")

    def edit(xml: str) -> str:
        # every attribute list reversed and given an extra attribute; every element prefixed
        def cell(m: re.Match[str]) -> str:
            attrs = re.findall(r'\w+="[^"]*"', m.group(1))
            return "<x:c " + " ".join([*reversed(attrs), 'vm="0"']) + m.group(2)

        xml = re.sub(r"<c ((?:\w+=\"[^\"]*\"\s*)+)(/?>)", cell, xml)
        xml = re.sub(r"<(/?)(?!x:)(\w+)", r"<\1x:\2", xml)
        return xml.replace('xmlns="', 'xmlns:x="', 1)

    rewrite_member(odd, SHEET, edit)
    with zipfile.ZipFile(odd) as z:
        xml = z.read(SHEET).decode()
    assert "<x:c " in xml and "<c " not in xml
    assert _cells(odd) == _cells(usual)


def test_fast_path_values_and_cached_results(tmp_path: Path) -> None:
    values, raw, formulas = _cells(_sample(tmp_path / "s.xlsx"))
    assert values[1 * 20_000 + 1] == 2.0 and values[3 * 20_000 + 1] == "Health & <care>"
    assert values[4 * 20_000 + 1] is True
    assert [f[4] for f in formulas] == ["A1*10", 'IF(A1>1,"big & bold","small")', "A1+A2"]
    assert raw[3 * 20_000 + 1][0] == "inlineStr" and raw[3 * 20_000 + 1][2] == "Health & <care>"


def test_cut_off_sheet_is_refused_naming_the_part(tmp_path: Path) -> None:
    path = _sample(tmp_path / "cut.xlsx")
    rewrite_member(path, SHEET, lambda xml: xml[:-40])
    with pytest.raises(UnreadableWorkbookError, match=r"sheet1\.xml is not well-formed XML"):
        read_package(path)


def test_document_type_declaration_is_refused_unparsed(tmp_path: Path) -> None:
    path = _sample(tmp_path / "dtd.xlsx")
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    rewrite_member(
        path,
        SHEET,
        lambda xml: bomb + xml if not xml.startswith("<?") else xml.replace("?>", "?>" + bomb, 1),
    )
    with pytest.raises(UnreadableWorkbookError, match=r"sheet1\.xml declares XML entities"):
        read_package(path)


def test_package_is_remembered_until_the_file_changes(tmp_path: Path) -> None:
    path = _sample(tmp_path / "r.xlsx")
    first = read_package(path)
    assert read_package(path) is first
    assert read_package(str(path)) is first  # the file, however it is named
    rewrite_member(path, SHEET, lambda xml: xml.replace("<v>2</v>", "<v>3</v>", 1))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    again = read_package(path)
    assert again is not first and again.sheets[0].values[1 * 20_000 + 1] == 3.0


def test_evaluating_leaves_the_remembered_package_as_read(tmp_path: Path) -> None:
    path = _sample(tmp_path / "e.xlsx")
    before = dict(read_package(path).sheets[0].values)
    _, engine = evaluate(path)
    assert value(engine, "S!B1") == 20.0
    assert read_package(path).sheets[0].values == before  # no computed values written into it
    _, again = evaluate(path)
    assert value(again, "S!B3") == 4.5


def test_template_view_reads_blank_styled_cells_number_format(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"].number_format = "0.00%"  # styled, no value: <c r="A1" s=".."/>
    ws["A2"] = 0.25
    ws["A2"].number_format = "0%"
    path = tmp_path / "styled.xlsx"
    wb.save(path)
    view = QuickBook(read_package(path))[ws.title]
    assert (view.cell(1, 1).value, view.cell(1, 1).number_format) == (None, "0.00%")
    assert (view.cell(2, 1).value, view.cell(2, 1).number_format) == (0.25, "0%")
    assert view.cell(9, 9).value is None
