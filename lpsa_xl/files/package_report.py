"""What an inspection of a workbook package finds: the limits it applies, each problem, each
sheet's extent, and the report that gathers them (:mod:`lpsa_xl.files.inspect` fills it in).

Imports only the workbook errors: every step of the inspection builds on these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from lpsa_xl.files.errors import UnreadableWorkbookError

__all__ = [
    "LIMITS",
    "Limits",
    "PackageReport",
    "Problem",
    "SheetInfo",
    "Stop",
    "fatal",
    "mb",
]


@dataclass(frozen=True)
class Limits:
    """What a workbook package may hold before it is refused (all sizes in bytes)."""

    max_file_size: int = 256 * 2**20
    max_parts: int = 10_000
    max_part_size: int = 256 * 2**20  # declared uncompressed size of one part
    max_total_size: int = 1024 * 2**20  # declared uncompressed size of all parts
    max_ratio: int = 200  # uncompressed / compressed, for parts above ratio_floor
    ratio_floor: int = 2 * 2**20
    max_prolog: int = 64 * 1024  # bytes of an XML part read before its root element
    max_rows: int = 100_000  # a sheet extent beyond this is flagged


#: The limits :func:`inspect_package` applies unless told otherwise.
LIMITS = Limits()


@dataclass(frozen=True)
class Problem:
    """Something wrong or notable in a package. ``fatal`` problems make the file unusable.

    ``code`` is stable: fatal ``not-readable``, ``too-large``, ``not-a-zip``, ``legacy-xls``,
    ``encrypted``, ``corrupt-zip``, ``zip-bomb``, ``xml-doctype``, ``not-a-workbook``,
    ``missing-part``, ``strict-ooxml``; warnings ``huge-sheet``, ``dimension-mismatch``, ``vba``,
    ``external-links``, ``lossy-parts``.
    """

    code: str
    message: str
    fatal: bool
    part: str | None = None
    sheet: str | None = None


@dataclass
class SheetInfo:
    """A worksheet: its name, its part, the extent its dimension claims and the extent found."""

    name: str
    part: str
    claimed_rows: int | None = None
    claimed_columns: int | None = None
    rows: int | None = None  # the last row holding a row element, from a scan of the part
    columns: int | None = None


@dataclass
class PackageReport:
    """What :func:`inspect_package` found. ``features`` are names such as ``vba``,
    ``external-links``, ``charts``; ``lossy`` the features an openpyxl save would drop or alter."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    lossy: list[str] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def usable(self) -> bool:
        return not self.fatal

    def add(
        self,
        code: str,
        message: str,
        *,
        fatal: bool,
        part: str | None = None,
        sheet: str | None = None,
    ) -> None:
        self.problems.append(Problem(code, message, fatal, part, sheet))

    def feature(self, name: str, *, lossy: bool = False) -> None:
        if name not in self.features:
            self.features.append(name)
        if lossy and name not in self.lossy:
            self.lossy.append(name)

    def error(self) -> UnreadableWorkbookError:
        """The error that says why the file cannot be used (its first fatal problem)."""
        first = self.fatal[0] if self.fatal else Problem("ok", "usable", False)
        more = len(self.fatal) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        return UnreadableWorkbookError(first.message + tail, workbook=self.path, sheet=first.sheet)


class Stop(Exception):
    """Inspection cannot go further: the fatal problem is already recorded."""


def fatal(report: PackageReport, code: str, message: str, *, part: str | None = None) -> NoReturn:
    report.add(code, message, fatal=True, part=part)
    raise Stop


def mb(size: int) -> str:
    if size >= 2**30:
        return f"{size / 2**30:,.1f} GB"
    if size >= 2**20:
        return f"{size / 2**20:,.1f} MB"
    return f"{size / 1024:,.1f} KB"
