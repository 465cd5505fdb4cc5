"""Writing workbooks without losing anything.

openpyxl rewrites a whole workbook from what it understood, so whatever it does not model is
silently dropped on save. Before any save over a user's workbook, :func:`check_preservable`
lists the parts of the source file that openpyxl would drop (by zip part names and content
types, without parsing the sheets) and refuses unless ``force``. Writes are atomic: a temporary
file in the destination's directory, then :func:`os.replace`. The input is never modified unless
``in_place``, and then a backup is kept beside it.

The API other commands use (compute, check --annotate, Excel macros)::

    wb = load_for_update(src)                      # keeps VBA of an .xlsm
    out = save_copy(wb, src, out=None, in_place=False, force=False)

and the pieces: :func:`droppable` (what would be lost), :func:`check_preservable` (refuse),
:func:`output_path` (where to write), :func:`atomic_save` (how).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from lpsa_xl.files.errors import UnreadableWorkbookError, UnsafeWriteError

__all__ = [
    "atomic_save",
    "backup_path",
    "check_preservable",
    "droppable",
    "load_for_update",
    "output_path",
    "save_copy",
    "write_atomic",
]

#: Zip part name patterns -> what a person calls the thing openpyxl drops when it saves.
_DROPPED: tuple[tuple[str, str], ...] = (
    (r"^xl/charts/(style|colors)\d*\.xml$", "chart styles and colours"),
    (r"^xl/ctrlProps/", "form controls"),
    (r"^xl/activeX/", "ActiveX controls"),
    (r"^xl/pivotCache/", "pivot caches"),
    (r"^xl/pivotTables/", "pivot tables"),
    (r"^xl/slicers/|^xl/slicerCaches/", "slicers"),
    (r"^xl/timelines/|^xl/timelineCaches/", "timelines"),
    (r"^xl/queryTables/", "query tables"),
    (r"^xl/connections\.xml$", "data connections"),
    (r"^xl/model/", "a data model (Power Pivot)"),
    (r"^customXml/", "custom XML parts"),
    (r"^xl/threadedComments/", "threaded comments"),
    (r"^xl/richData/", "rich data types (images in cells, linked data types)"),
    (r"^xl/metadata\.xml$", "dynamic array metadata (spilled formulas)"),
    (r"^xl/webextensions/", "Office add-in task panes and content add-ins"),
    (r"^customUI/", "a custom ribbon (customUI)"),
    (r"vbaProjectSignature\.bin$", "the VBA project's digital signature"),
    (r"^xl/embeddings/", "embedded objects"),
    (r"^xl/diagrams/", "SmartArt"),
    (r"^xl/chartsheets/", "chart sheets"),
    (r"^xl/dialogsheets/|^xl/macrosheets/", "Excel 4 macro or dialog sheets"),
)
_COMPILED = [(re.compile(p), what) for p, what in _DROPPED]
_HAS_PILLOW = importlib.util.find_spec("PIL") is not None
_SHAPE = re.compile(rb"<(?:\w+:)?(?:sp|cxnSp|grpSp)[\s>]")


def droppable(path: str | Path, *, keep_vba: bool | None = None) -> list[str]:
    """What openpyxl would drop if it loaded ``path`` and saved it: a sorted list of things a
    person recognises ("images", "charts", "pivot caches", ...); empty when nothing.

    openpyxl keeps tables, defined names, data validation, conditional formatting, comments,
    external links and the charts it can read; it drops shapes and text boxes (found inside
    drawing parts), Excel 2013+ chart styles and colours, and images unless Pillow is
    installed. VBA is listed for a file that holds a VBA project unless ``keep_vba`` (default:
    true for .xlsm/.xltm/.xlam).
    """
    p = Path(path)
    if keep_vba is None:
        keep_vba = p.suffix.lower() in (".xlsm", ".xltm", ".xlam")
    try:
        with zipfile.ZipFile(p) as zf:
            names = zf.namelist()
            found: set[str] = set()
            for name in names:
                for pattern, what in _COMPILED:
                    if what and pattern.search(name):
                        found.add(what)
                if name.startswith("xl/media/") and not _HAS_PILLOW:
                    found.add("images (install Pillow to keep them)")
                if re.match(r"^xl/drawings/[^/]+\.xml$", name) and _SHAPE.search(zf.read(name)):
                    found.add("shapes and text boxes")
                if name.lower().endswith("vbaproject.bin") and not keep_vba:
                    found.add("VBA macros")
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableWorkbookError(
            f"not a readable Excel 2007+ workbook ({exc})", workbook=p
        ) from None
    return sorted(found)


def check_preservable(
    path: str | Path, *, force: bool = False, ignore: Iterable[str] = ()
) -> list[str]:
    """Refuse (:class:`UnsafeWriteError` listing what) when saving a copy of ``path`` through
    openpyxl would drop something, unless ``force``. Returns what will be dropped. ``ignore``
    names items the caller knows it writes back itself."""
    lost = [item for item in droppable(path) if item not in set(ignore)]
    if lost and not force:
        raise UnsafeWriteError(
            "saving through openpyxl would lose "
            + ", ".join(lost)
            + "; nothing was written (use --force to write anyway, losing them)",
            workbook=path,
        )
    return lost


def backup_path(path: str | Path) -> Path:
    """A free backup name beside ``path``: ``book.bak.xlsx``, ``book.bak2.xlsx``, ..."""
    p = Path(path)
    for n in range(1, 1000):
        candidate = p.with_name(f"{p.stem}.bak{'' if n == 1 else n}{p.suffix}")
        if not candidate.exists():
            return candidate
    raise UnsafeWriteError("no free backup name", workbook=p)


def output_path(
    source: str | Path, out: str | Path | None, *, in_place: bool = False, suffix: str = "lpsa"
) -> Path:
    """Where to write: ``out`` if given (never the source itself, unless ``in_place``), the
    source when ``in_place`` (a backup is taken by :func:`save_copy`), else ``book.lpsa.xlsx``
    beside the source."""
    src = Path(source)
    if in_place:
        if out is not None and Path(out).resolve() != src.resolve():
            raise UnsafeWriteError(
                "give either an output file or --in-place, not both", workbook=src
            )
        return src
    if out is None:
        return src.with_name(f"{src.stem}.{suffix}{src.suffix}")
    target = Path(out)
    macro = (".xlsm", ".xltm")
    if src.suffix.lower() in macro and target.suffix.lower() not in macro:
        raise UnsafeWriteError(
            f"the input holds macros; name the output .xlsm, not {target.suffix or 'no extension'}"
            " (a macro workbook saved as .xlsx does not open in Excel)",
            workbook=src,
        )
    if target.exists() and target.resolve() == src.resolve():
        raise UnsafeWriteError(
            "the output is the input; use --in-place to overwrite it (a backup is kept)",
            workbook=src,
        )
    return target


def write_atomic(
    path: str | Path, write: Callable[[Path], None], *, make_folder: bool = False
) -> Path:
    """Call ``write(temporary path)`` and move the result onto ``path`` with ``os.replace``: a
    reader never sees half a file, and a failure leaves any existing file untouched. The file
    gets the mode of the file it replaces, or the usual mode for a new file (0666 less the
    umask), not the private mode of a temporary file. The one atomic writer of lpsa-xl."""
    target = Path(path)
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.resolve().parent.is_dir():
        raise UnsafeWriteError(
            f"cannot write {target}: the folder {target.resolve().parent} does not exist",
            workbook=target,
        )
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_save(wb: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook to ``path`` atomically (:func:`write_atomic`)."""
    return write_atomic(path, wb.save)


def load_for_update(path: str | Path) -> Any:
    """Load ``path`` with openpyxl for writing a copy: formulas kept, VBA kept for macro books."""
    from lpsa_xl.files.openbook import open_workbook

    p = Path(path)
    macros = p.suffix.lower() in (".xlsm", ".xltm")
    return open_workbook(p, data_only=False, read_only=False, keep_vba=macros)


def save_copy(
    wb: Any,
    source: str | Path,
    out: str | Path | None = None,
    *,
    in_place: bool = False,
    force: bool = False,
) -> Path:
    """Save ``wb`` (loaded from ``source``) safely: refuse if openpyxl would drop anything from
    the source (unless ``force``), back up the source when ``in_place``, write atomically."""
    target = output_path(source, out, in_place=in_place)
    check_preservable(source, force=force)
    if in_place:
        shutil.copy2(source, backup_path(source))
    return atomic_save(wb, target)
