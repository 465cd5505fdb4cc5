"""``lpsa-xl excel convert``: one workbook for desktop Excel and for Excel on the web.

Desktop Excel (classic xlwings) calls the functions by their registry names,
``=LPSA_REWARD(...)``. Excel on the web and on Mac runs them as the lpsa-xl add-in's custom
functions, which always carry the add-in's namespace: ``=LPSA.REWARD(...)``, which Excel saves
in the file as ``_xldudf_LPSA_REWARD(...)`` (an add-in function's name, its namespace's dot
written as ``_``; the same form other add-ins' functions take in saved workbooks). So a desktop
formula becomes a web one by adding the ``_xldudf_`` prefix to each LPSA function name, and back
by taking it off.

:func:`convert_file` does that to every formula of a workbook (the ``<f>`` elements of its
worksheets and the defined names of ``xl/workbook.xml``), patching those parts as ``recalc``
does and copying every other part unchanged. Text inside string literals is left alone, and
only the registry's functions are renamed. Converting to the web and back gives the original
parts byte for byte. The headless evaluator, ``check``, ``compute`` and Validate read either
spelling.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lpsa_xl.functions.registry import FUNCTIONS

__all__ = ["FILE_PREFIX", "TARGETS", "convert_file", "convert_formula", "convert_parts"]

#: How Excel writes an add-in's custom function in a saved workbook.
FILE_PREFIX = "_xldudf_"
TARGETS = ("web", "desktop")

_KNOWN = frozenset(FUNCTIONS)
# a string literal (kept as it is), or a function name right before "("; element text in the
# XML may write the quote as &quot;
_TOKEN = re.compile(
    r'(?P<str>"(?:[^"]|"")*"|&quot;.*?&quot;)'
    r"|(?<![\w.])(?P<name>(?:_xldudf_)?LPSA_[A-Za-z0-9_]+)(?=\s*\()",
    re.IGNORECASE,
)
_FORMULA = re.compile(r"(<f\b[^>]*>)([^<]*)(</f>)")
_DEFINED = re.compile(r"(<definedName\b[^>]*>)([^<]*)(</definedName>)")


def convert_formula(text: str, to: str) -> str:
    """``text`` (a formula, as written in the file) with its LPSA function names for ``to``."""
    if to not in TARGETS:
        raise ValueError(f"convert to 'web' or 'desktop', not {to!r}")

    def one(m: re.Match[str]) -> str:
        name = m.group("name")
        if name is None:
            return m.group(0)
        bare = name[len(FILE_PREFIX):] if name.lower().startswith(FILE_PREFIX) else name
        if bare.upper() not in _KNOWN:
            return name
        return FILE_PREFIX + bare if to == "web" else bare

    return _TOKEN.sub(one, text)


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
            raw = z.read(name)
            xml = raw.decode("utf-8")
            new = _patch(xml, _DEFINED if name == "xl/workbook.xml" else _FORMULA, to)
            if new != xml:
                out[name] = new.encode("utf-8")
    return out


def convert_file(source: Path, output: Path, to: str) -> int:
    """Write ``output``: ``source`` with its LPSA function names for ``to`` (``"web"`` or
    ``"desktop"``); returns how many parts changed. The source is inspected first (a corrupt,
    encrypted or hostile file is refused with its reason) and never modified; the output is
    written atomically."""
    from lpsa_xl.files.errors import UnsafeWriteError
    from lpsa_xl.files.inspect import inspect_package
    from lpsa_xl.formula.writer import write_atomic

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
