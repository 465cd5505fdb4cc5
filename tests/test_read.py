"""Readers: lpsa-xl's template layout, council layouts, unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest
from _returns import council_book

from lpsa_xl.files.errors import LayoutError, UnreadableWorkbookError
from lpsa_xl.returns.read import read_return

ROOT = Path(__file__).resolve().parents[1]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_template_is_read_by_its_names_and_table() -> None:
    book = read_return(ROOT / "workbooks" / "examples" / "westbury_lpsa2.xlsx")
    assert book.layout == "template"
    assert book.agreement["scheme"].value == "LPSA2"
    assert (book.agreement["stated_potential"].coord, book.agreement["stated_potential"].value) == (
        "B8",
        3325000,
    )
    first = book.targets[0]
    assert (first.sheet, first.row, first.fields["ref"].value, first.fields["expected"].coord) == (
        "Targets",
        5,
        "1",
        "I5",
    )
    assert "reward" in first.claimed and "status" in first.claimed
    assert [p["partner"].value for p in book.partners] == [
        "Westbury BC",
        "Westbury Police",
        "Westbury PCT",
    ]
    assert len(book.pump_priming) == 4 and book.pump_priming[1]["spend"].value == 215500


def test_blank_template_has_no_targets() -> None:
    book = read_return(ROOT / "workbooks" / "lpsa_return.xlsx")
    assert book.layout == "template" and book.targets == []


def test_council_layout_reports_what_it_matched(tmp_path: Path) -> None:
    rows = [["1", "Recycling", "N", 30, 40, 36, 1000, 600]]
    path = council_book(
        tmp_path / "c.xlsx",
        rows,
        top=12,
        left=5,
        title_rows={"Council": "Northmoor", "Net budget requirement": 40000000},
    )
    book = read_return(path)
    assert book.layout == "council"
    assert book.agreement["authority"].value == "Northmoor"
    assert book.agreement["nbr"].coord == "B3"
    target = book.targets[0]
    assert target.fields["expected"].coord == "H13" and target.claimed["reward"].value == 600
    # "Lower is better: N" is read as the canonical direction, from that cell
    assert (target.fields["direction"].coord, target.fields["direction"].value) == ("G13", "higher")
    assert "lower_is_better" not in target.fields
    text = "\n".join(book.notes)
    assert "header row 12" in text and "'05/06 Actual' -> actual" in text


def test_the_best_sheet_wins_and_totals_end_the_table(tmp_path: Path) -> None:
    rows = [
        ["1", "a", "N", 10, 20, 16, 100],
        ["Total", None, None, None, None, None, 100],
        ["9", "not a target", "N", 1, 2, 3, 4],
    ]
    path = council_book(tmp_path / "t.xlsx", rows)
    book = read_return(path)
    assert [t.fields["ref"].value for t in book.targets] == ["1"]


@pytest.mark.parametrize(
    "content, message",
    [
        (OLE + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        (OLE + b"\0" * 200, "OLE2 compound file"),
        (b"hello", "not an Excel workbook"),
        (b"PK\x05\x06" + b"\0" * 18, "not an Excel workbook"),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableWorkbookError, match=message) as info:
        read_return(path)
    assert "secret.xlsx" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableWorkbookError, match=r"(?i)no such file"):
        read_return(tmp_path / "nope.xlsx")


def test_a_workbook_without_a_targets_table(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(LayoutError, match="no targets table found"):
        read_return(path)


def test_a_really_encrypted_workbook(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml", reason="msoffcrypto-tool not installed")
    plain = council_book(tmp_path / "plain.xlsx", [["1", "x", "N", 10, 20, 16, 100]])
    secret = tmp_path / "secret.xlsx"
    with plain.open("rb") as src, secret.open("wb") as out:
        ooxml.OOXMLFile(src).encrypt("password", out)
    with pytest.raises(UnreadableWorkbookError, match="password-protected"):
        read_return(secret)
