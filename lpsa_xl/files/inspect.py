"""Inspecting a workbook package before anything parses it, and opening it safely.

A returns team receives files from dozens of councils; any one of them may be broken or hostile.
:func:`inspect_package` looks at a file **without trusting it**:

* the first bytes: an old ``.xls`` (OLE2) renamed ``.xlsx``, a password-protected workbook (an OLE2
  file holding an ``EncryptedPackage`` stream), an HTML or text file, an empty file;
* the zip central directory, before anything is extracted: too many parts, duplicate names,
  encrypted entries, declared uncompressed sizes above the caps, compression ratios of a zip bomb;
* every part, streamed with a byte counter and its CRC checked (Python's :mod:`zipfile` never
  inflates past the declared size, so the declared sizes bound the work): corrupt data is found
  here rather than inside openpyxl;
* the prolog of every XML part: a ``DOCTYPE`` (entity bombs, external entities) is refused before
  openpyxl sees it (openpyxl also parses through defusedxml, the second line of defence);
* what it holds: sheets and the rows their dimension claims against the rows really present, VBA
  projects (noted, never run), external links, and parts a copy saved by openpyxl would lose.

:func:`lpsa_xl.files.openbook.open_workbook` opens a file with openpyxl only when the
inspection found nothing fatal, and raises
:class:`~lpsa_xl.files.errors.UnreadableWorkbookError` naming the workbook
otherwise. Nothing here holds a rule.

This module reads the first bytes and the zip directory and runs the steps in order; each part
is streamed by :mod:`lpsa_xl.files.inspect_parts`, what the package holds is read by
:mod:`lpsa_xl.files.inspect_contents`, and the report's types are in
:mod:`lpsa_xl.files.package_report`. It imports nothing above the files layer.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lpsa_xl.files.inspect_contents import read_contents
from lpsa_xl.files.inspect_parts import scan_part
from lpsa_xl.files.package_report import (
    LIMITS,
    Limits,
    PackageReport,
    Problem,
    SheetInfo,
    Stop,
    fatal,
    mb,
)
from lpsa_xl.files.recent import Recent

__all__ = [
    "LIMITS",
    "Limits",
    "PackageReport",
    "Problem",
    "SheetInfo",
    "inspect_package",
]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


#: The last reports, by file identity and limits, so that the checker's inspection and a
#: reader's :func:`open_workbook` inspect a file once.
_RECENT: Recent[PackageReport] = Recent(8)


def inspect_package(path: str | Path, limits: Limits = LIMITS) -> PackageReport:
    """Inspect the file at ``path`` without trusting it; never raises for a bad file.

    The report of an unchanged file is remembered (the last few): treat it as read-only."""
    return _RECENT.get(path, lambda: _inspected(Path(path), limits), limits)


def _inspected(path: Path, limits: Limits) -> PackageReport:
    report = PackageReport(path)
    try:
        _inspect(report, limits)
    except Stop:
        pass
    except Exception as exc:  # a file nobody foresaw: a finding on it, never a crash of the batch
        report.add("not-readable", f"cannot be inspected ({type(exc).__name__}: {exc})", fatal=True)
    return report


# -- the first bytes ---------------------------------------------------------------------------


def _inspect(report: PackageReport, limits: Limits) -> None:
    path = report.path
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        fatal(report, "not-readable", f"cannot be read: {exc.strerror or exc}")
    if size == 0:
        fatal(report, "not-a-zip", "the file is empty")
    if size > limits.max_file_size:
        fatal(
            report,
            "too-large",
            f"the file is {mb(size)}, above the {mb(limits.max_file_size)} a return may be",
        )
    if head.startswith(OLE2_MAGIC):
        _ole2(report)
    if not head.startswith(ZIP_MAGIC):
        fatal(report, "not-a-zip", f"not an Excel workbook (.xlsx/.xlsm): {_what_is(path, head)}")
    _package(report, limits)


def _ole2(report: PackageReport) -> None:
    """An OLE2 compound file: a password-protected workbook, an old .xls, or something else.

    The stream names sit in the compound file's directory as UTF-16LE text; looking for them is
    enough to tell these apart (the file is refused whichever it is)."""
    data = report.path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        fatal(
            report,
            "encrypted",
            "the workbook is password-protected (encrypted); save an unprotected copy to check it",
        )
    if "Workbook".encode("utf-16-le") in data or b"B\x00o\x00o\x00k\x00\x00\x00" in data:
        fatal(
            report,
            "legacy-xls",
            "an old Excel 97-2003 workbook (.xls), whatever its name says; save it as .xlsx",
        )
    fatal(
        report,
        "not-a-zip",
        "an OLE2 compound file (such as an old Word or Excel file), not an Excel 2007+ workbook",
    )


def _what_is(path: Path, head: bytes) -> str:
    with path.open("rb") as fh:
        start = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype html")) or b"<table" in start:
        return "it is an HTML page (a web export saved with an Excel name)"
    if start.startswith(b"<?xml"):
        return "it is an XML file (perhaps an Excel 2003 XML spreadsheet), not a zip package"
    if head.startswith(b"PK"):
        return "a damaged zip package"
    if all(32 <= b < 127 or b in b"\t\r\n" for b in start[:256]):
        return "it is plain text (perhaps a CSV file renamed)"
    return f"it is not a zip package (it starts with bytes {head[:4].hex(' ')})"


# -- the zip central directory -----------------------------------------------------------------


def _package(report: PackageReport, limits: Limits) -> None:
    try:
        zf = zipfile.ZipFile(report.path)
    except zipfile.BadZipFile as exc:
        fatal(report, "corrupt-zip", f"a corrupt or truncated zip package ({exc})")
    except (OSError, ValueError, NotImplementedError) as exc:
        fatal(report, "corrupt-zip", f"a zip package that cannot be read ({exc})")
    with zf:
        infos = zf.infolist()
        _directory(report, infos, limits)
        for info in infos:
            scan_part(report, zf, info, limits)
        if report.fatal:
            raise Stop
        read_contents(report, zf, limits)


def _directory(report: PackageReport, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse on the central directory alone, before a byte is inflated."""
    if len(infos) > limits.max_parts:
        fatal(
            report,
            "zip-bomb",
            f"the package holds {len(infos):,} parts, more than the "
            f"{limits.max_parts:,} a workbook may have",
        )
    names = [i.filename for i in infos]
    seen: set[str] = set()
    dupes = set()
    for name in names:
        if name.lower() in seen:
            dupes.add(name)
        seen.add(name.lower())
    if dupes:
        fatal(
            report,
            "corrupt-zip",
            f"the package names a part twice ({', '.join(sorted(dupes)[:3])})",
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            fatal(report, "encrypted", f"part {info.filename} is encrypted", part=info.filename)
        if info.file_size > limits.max_part_size:
            fatal(
                report,
                "zip-bomb",
                f"part {info.filename} declares {mb(info.file_size)} "
                f"uncompressed, above the {mb(limits.max_part_size)} cap",
                part=info.filename,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            fatal(
                report,
                "zip-bomb",
                f"part {info.filename} inflates {ratio:,.0f} times "
                f"({mb(info.compress_size)} to {mb(info.file_size)}): a "
                "zip bomb",
                part=info.filename,
            )
    if total > limits.max_total_size:
        fatal(
            report,
            "zip-bomb",
            f"the parts declare {mb(total)} uncompressed in all, above "
            f"the {mb(limits.max_total_size)} cap",
        )
    report.parts = names
