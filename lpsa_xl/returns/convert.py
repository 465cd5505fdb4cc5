"""``lpsa-xl excel convert``: one workbook for desktop Excel and for Excel on the web.

:func:`convert_file` gives every formula of a workbook (the ``<f>`` elements of its worksheets
and the defined names of ``xl/workbook.xml``) the LPSA function names of the other Excel
(:mod:`lpsa_xl.functions.spelling`: ``LPSA_REWARD`` for desktop Excel, ``_xldudf_LPSA_REWARD``,
shown as ``=LPSA.REWARD``, for Excel on the web and on Mac), patching those parts as ``recalc``
does and copying every other part unchanged. Converting to the web and back gives the original
parts byte for byte. The template script builds the web edition of each blank return with it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lpsa_xl.files.errors import UnsafeWriteError
from lpsa_xl.files.inspect import inspect_package
from lpsa_xl.formula.writer import write_atomic
from lpsa_xl.functions.spelling import TARGETS, convert_formula

__all__ = ["convert_file", "convert_parts"]

_FORMULA = re.compile(r"(<f\b[^>]*>)([^<]*)(</f>)")
_DEFINED = re.compile(r"(<definedName\b[^>]*>)([^<]*)(</definedName>)")


def _patch(xml: str, pattern: re.Pattern[str], to: str) -> str:
    return pattern.sub(lambda m: m.group(1) + convert_formula(m.group(2), to) + m.group(3), xml)


def _parts(names: Iterable[str]) -> list[str]:
    return [n for n in names
            if n == "xl/workbook.xml" or (n.startswith("xl/worksheets/") and n.endswith(".xml"))]


def convert_parts(path: Path, to: str) -> dict[str, bytes]:
    """The parts of the workbook at ``path`` that change, with their new bytes."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as z:
        for name in _parts(z.namelist()):
            xml = z.read(name).decode("utf-8")
            new = _patch(xml, _DEFINED if name == "xl/workbook.xml" else _FORMULA, to)
            if new != xml:
                out[name] = new.encode("utf-8")
    return out


def convert_file(source: Path, output: Path, to: str) -> int:
    """Write ``output``: ``source`` with its LPSA function names for ``to`` (``"web"`` or
    ``"desktop"``); returns how many parts changed. The source is inspected first (a corrupt,
    encrypted or hostile file is refused with its reason) and never modified; the output is
    written atomically."""
    if to not in TARGETS:
        raise ValueError(f"convert to 'web' or 'desktop', not {to!r}")
    report = inspect_package(source)
    if not report.usable:
        raise report.error()
    if output.resolve() == source.resolve():
        raise UnsafeWriteError("the output is the input: give another file", workbook=source)
    if output.suffix.lower() != source.suffix.lower():
        raise UnsafeWriteError(f"keep the extension {source.suffix}: Excel refuses a "
                               f"{source.suffix} workbook named {output.suffix}",
                               workbook=output)  # fmt: skip
    parts = convert_parts(source, to)
    write_atomic(source, output, parts)
    return len(parts)
