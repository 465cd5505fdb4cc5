"""Real template-layout returns for the checker's end-to-end tests and benchmark, as Excel saves
them: lpsa-xl's template (:func:`lpsa_xl.returns.templates.build_return`) with every formula's
cached value written in beside it, the figures coming from the rules core.

``good_return(path, data)`` builds the return from ``data`` (the JSON layout of
``lpsa_xl/examples``) and caches the core's figures; ``claims`` (``{(sheet, coord): value}``)
then overrides cached values, to plant a wrong claim the way a council would (a figure typed
over, or a stale cache).
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from lpsa_xl.returns import layout as L
from lpsa_xl.returns.compute import compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.templates import build_return

Values = dict[tuple[str, str], object]


def columns(laa: bool = False) -> dict[str, str]:
    """Targets table field -> column letter (the table starts in column A)."""
    cols = list(L.TARGET_COLUMNS)
    if laa:
        cols[2:2] = L.LAA_EXTRA_COLUMNS
    return {c.field: get_column_letter(i) for i, c in enumerate(cols, start=1)}


def core_figures(path: Path, laa: bool) -> Values:
    """What Excel would cache in a built return's formula cells: the core's figures."""
    done = compute_book(read_return(path))
    result, col = done.result, columns(laa)
    out: Values = {}
    children: dict[str, int] = {}
    for line in result.lines:
        if line.parent:
            children[line.parent] = children.get(line.parent, 0) + 1
    for ref, row in done.rows.items():
        out[(L.TARGETS_SHEET, f"{col['n_subtargets']}{row.row}")] = children.get(ref, 0)
    for line in result.lines:
        r = done.rows[line.ref].row
        for name, attr in (("line_potential", "potential"), ("stretch", "stretch"),
                           ("achievement", "achievement"), ("payable", "payable"),
                           ("reward", "reward"), ("status", "status"), ("trigger", "trigger"),
                           ("vfm_cost", "vfm_cost"), ("vfm_ratio", "vfm_ratio"),
                           ("on_account", "on_account")):  # fmt: skip
            value = getattr(line, attr)
            if value is not None:
                out[(L.TARGETS_SHEET, f"{col[name]}{r}")] = value
    a = L.AGREEMENT_SHEET
    out[(a, "B13")] = result.total_potential
    out[(a, "B14")] = len([ln for ln in result.lines if not ln.parent]) + len(children)
    out[(a, "B15")] = result.total_reward
    out[(a, "B16")] = result.on_account
    out[(L.CLAIM_SHEET, "B3")] = result.total_reward
    out[(L.CLAIM_SHEET, "B4")] = result.on_account
    for i, p in enumerate(result.payments[: L.CLAIM_ROWS]):
        r = L.CLAIM_FIRST_ROW + i
        for c, value in zip("ABCDE", (p.year, p.kind, p.paid, p.capital, p.revenue), strict=True):
            out[(L.CLAIM_SHEET, f"{c}{r}")] = value
    return out


def cache_values(path: Path, values: Mapping[tuple[str, str], object]) -> Path:
    """Write ``values`` as the cached values of formula cells (``<f>..</f><v/>`` as openpyxl
    leaves them, or a value cached already), in place; a plain value cell named in ``values``
    is overwritten."""
    sheets = _sheet_parts(path)
    by_part: dict[str, dict[str, object]] = {}
    for (sheet, coord), value in values.items():
        by_part.setdefault(sheets[sheet], {})[coord] = value
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename in by_part:
                data = _cache_part(data.decode("utf-8"), by_part[item.filename]).encode("utf-8")
            zout.writestr(item, data)
    os.replace(tmp, path)
    return path


def _sheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
    return {n: f"xl/worksheets/sheet{i}.xml" for i, n in enumerate(names, start=1)}


def _v(value: object) -> tuple[str, str]:
    """The type attribute and <v> text of a cached value (an ExcelError as an error cell)."""
    from lpsa_xl.values import ExcelError

    if isinstance(value, ExcelError):
        return ' t="e"', escape(str(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return "", f"{value:f}" if isinstance(value, Decimal) else repr(value)
    return ' t="str"', escape(str(value))


def _cache_part(xml: str, cells: dict[str, object]) -> str:
    for coord, value in cells.items():
        cell = rf'<c r="{coord}"( s="\d+")?'
        if value is None:  # a blank cell: no value, no formula
            new = rf'<c r="{coord}"\1/>'
            xml = _sub(rf"{cell}[^>]*?(/>|>.*?</c>)", new, xml, coord)
            continue
        t, v = _v(value)
        try:  # a formula cell: its cached value
            xml = _sub(
                rf'{cell}( t="\w+")?>(<f>[^<]*</f>)(?:<v ?/>|<v>[^<]*</v>)',
                rf'<c r="{coord}"\1{t}>\3<v>{v}</v>',
                xml,
                coord,
            )
        except KeyError:  # a value cell: typed over
            xml = _sub(
                rf"{cell}[^>]*?(/>|>.*?</c>)", rf'<c r="{coord}"\1{t}><v>{v}</v></c>', xml, coord
            )
    return xml


def _sub(pattern: str, new: str, xml: str, coord: str) -> str:
    out, n = re.subn(pattern, lambda m: m.expand(new), xml, count=1)
    if not n:
        raise KeyError(f"no cell {coord} in this sheet part")
    return out


def good_return(
    path: Path,
    data: Mapping[str, Any],
    *,
    claims: Values | None = None,
    figures: bool = True,
) -> Path:
    """A filled template return as Excel saves it (cached figures from the core), with
    ``claims`` overriding cached or typed values. ``figures=False``: no cached figures (a
    return the core cannot compute, its formula cells left blank)."""
    laa = str(data.get("scheme", "")).startswith("LAA")
    build_return(path, data, laa=laa)
    values = core_figures(path, laa) if figures else {}
    values.update(claims or {})
    return cache_values(path, values)
