"""Safe writing: atomic saves, backups, refusing to drop what openpyxl cannot keep."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from lpsa_xl.files.errors import UnsafeWriteError
from lpsa_xl.files.safe import (
    atomic_save,
    backup_path,
    check_preservable,
    droppable,
    load_for_update,
    output_path,
    save_copy,
)

ROOT = Path(__file__).resolve().parents[1]


def _with_parts(tmp_path: Path, name: str, parts: dict[str, bytes]) -> Path:
    src = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(src)
    out = tmp_path / name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item))
        for part, data in parts.items():
            zout.writestr(part, data)
    return out


def test_our_own_books_lose_nothing() -> None:
    assert droppable(ROOT / "workbooks" / "examples" / "eastmoor_laa2006.xlsx") == []


@pytest.mark.parametrize(
    "part, data, what",
    [
        (
            "xl/drawings/drawing1.xml",
            b'<xdr:wsDr><xdr:twoCellAnchor><xdr:sp macro="">',
            "shapes and text boxes",
        ),
        ("xl/pivotCache/pivotCacheDefinition1.xml", b"<x/>", "pivot caches"),
        ("xl/ctrlProps/ctrlProp1.xml", b"<x/>", "form controls"),
        ("xl/vbaProject.bin", b"\0", "VBA macros"),
        ("xl/charts/style1.xml", b"<x/>", "chart styles and colours"),
        ("xl/slicers/slicer1.xml", b"<x/>", "slicers"),
        (
            "xl/webextensions/webextension1.xml",
            b"<x/>",
            "Office add-in task panes and content add-ins",
        ),
    ],
)
def test_parts_openpyxl_drops_are_listed(tmp_path: Path, part: str, data: bytes, what: str) -> None:
    book = _with_parts(tmp_path, "rich.xlsx", {part: data})
    assert what in droppable(book)
    with pytest.raises(UnsafeWriteError, match=what) as info:
        check_preservable(book)
    assert "--force" in str(info.value) and "rich.xlsx" in str(info.value)
    assert what in check_preservable(book, force=True)


def test_vba_is_kept_in_a_macro_book(tmp_path: Path) -> None:
    book = _with_parts(tmp_path, "macros.xlsm", {"xl/vbaProject.bin": b"\0"})
    assert "VBA macros" not in droppable(book)


def test_atomic_save_replaces_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    class Broken:
        def save(self, path: str) -> None:
            Path(path).write_bytes(b"half")
            raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_save(Broken(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    atomic_save(openpyxl.Workbook(), target)
    assert zipfile.is_zipfile(target)


def test_output_paths_and_backups(tmp_path: Path) -> None:
    src = tmp_path / "r.xlsx"
    openpyxl.Workbook().save(src)
    assert output_path(src, None) == tmp_path / "r.lpsa.xlsx"
    assert output_path(src, None, in_place=True) == src
    with pytest.raises(UnsafeWriteError, match="--in-place"):
        output_path(src, src)
    assert backup_path(src) == tmp_path / "r.bak.xlsx"
    (tmp_path / "r.bak.xlsx").write_bytes(b"")
    assert backup_path(src) == tmp_path / "r.bak2.xlsx"


def test_save_copy_in_place_keeps_a_backup_and_refuses_losses(tmp_path: Path) -> None:
    src = tmp_path / "book.xlsx"
    shutil.copy(ROOT / "workbooks" / "examples" / "westbury_lpsa2.xlsx", src)
    before = src.read_bytes()
    wb = load_for_update(src)
    wb.create_sheet("extra")
    save_copy(wb, src, in_place=True)
    assert (tmp_path / "book.bak.xlsx").read_bytes() == before
    assert "extra" in openpyxl.load_workbook(src).sheetnames
    rich = _with_parts(tmp_path, "rich.xlsx", {"xl/pivotCache/pivotCacheDefinition1.xml": b"<x/>"})
    with pytest.raises(UnsafeWriteError):
        save_copy(openpyxl.Workbook(), rich, tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()


def test_a_macro_book_is_not_saved_as_xlsx(tmp_path: Path) -> None:
    src = tmp_path / "m.xlsm"
    src.write_bytes(b"")
    with pytest.raises(UnsafeWriteError, match=r"name the output \.xlsm"):
        output_path(src, tmp_path / "out.xlsx")
    assert output_path(src, tmp_path / "out.xlsm") == tmp_path / "out.xlsm"


def test_a_macro_button_in_any_drawing_part_is_listed(tmp_path: Path) -> None:
    button = b'<xdr:wsDr><xdr:twoCellAnchor><xdr:sp macro="[0]!Calculate"><xdr:nvSpPr/>'
    book = _with_parts(
        tmp_path,
        "buttons.xlsm",
        {"xl/drawings/lpsa_buttons.xml": button, "customUI/customUI14.xml": b"<customUI/>"},
    )
    lost = droppable(book)
    assert "shapes and text boxes" in lost and "a custom ribbon (customUI)" in lost


def test_written_files_get_the_usual_mode_not_a_temporary_files(tmp_path: Path) -> None:
    """mkstemp makes 0600 files; an output must be readable as any new file would be, and a
    replaced file keeps its own mode."""
    import os
    import stat

    from lpsa_xl.files.safe import write_atomic

    old = os.umask(0o022)
    try:
        new = write_atomic(tmp_path / "new.txt", lambda p: p.write_text("x"))
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_atomic(kept, lambda p: p.write_text("new"))
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new"
    finally:
        os.umask(old)
