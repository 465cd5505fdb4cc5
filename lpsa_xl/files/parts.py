"""Reading the XML parts of a workbook package as text: a part by name (refused unless
well-formed, BOMs and UTF-16 handled), its relationships, attributes with or without a namespace
prefix, and XML character data unescaped as Excel writes it (entities and ``_xHHHH_``). Used by
the one scan of a workbook's cells (:mod:`lpsa_xl.files.scan`) and its quick view
(:mod:`lpsa_xl.files.fastread`)."""

from __future__ import annotations

import posixpath
import re
import zipfile
from html import unescape as _html_unescape
from pathlib import Path
from xml.parsers import expat

from lpsa_xl.files.errors import UnreadableWorkbookError

__all__ = ["attrs_of", "local_attr", "read_part", "relationships", "rels_of", "xml_text"]


_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);")
_OOXML_ESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xml_text(s: str) -> str:
    """Unescape XML character data (entities, then OOXML's ``_xHHHH_`` escapes)."""
    if "&" in s:
        if "&#" in s:
            s = _html_unescape(s)
        else:
            s = (
                s.replace("&quot;", '"')
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
            )
    if "_x" in s:
        s = _OOXML_ESC.sub(lambda m: chr(int(m.group(1), 16)), s)
    return s


_ATTR = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attrs_of(s: str) -> dict[str, str]:
    return {
        m.group(1): _html_unescape(m.group(2) if m.group(2) is not None else m.group(3))
        for m in _ATTR.finditer(s)
    }


def local_attr(d: dict[str, str], name: str) -> str | None:
    """Attribute ``name`` with or without a namespace prefix (``r:id``)."""
    if name in d:
        return d[name]
    for k, v in d.items():
        if k.endswith(":" + name):
            return v
    return None


def read_part(z: zipfile.ZipFile, name: str, where: Path) -> str:
    try:
        z.getinfo(name)
    except KeyError:
        raise UnreadableWorkbookError(f"the package has no part {name}", workbook=where) from None
    data = z.read(name)
    _well_formed(data, name, where)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8")


def _well_formed(data: bytes, name: str, where: Path) -> None:
    """Refuse a part that is not well-formed XML (cut off, mismatched tags...), as Excel does:
    the scan below is by regular expressions, which would read what they can of it. A
    handler-less expat parse costs about 0.3 ms for 64 KB. (A document type declaration, where
    entity bombs live, never gets here: the package inspection refuses it.)"""
    try:
        expat.ParserCreate().Parse(data, True)
    except expat.ExpatError as exc:
        raise UnreadableWorkbookError(
            f"part {name} is not well-formed XML ({exc})", workbook=where
        ) from None


def relationships(xml: str, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part name) of the internal relationships in ``xml``, the
    relationships part of ``part`` (targets resolved from ``part``'s folder, or absolute)."""
    folder = posixpath.dirname(part)
    out = {}
    for m in re.finditer(r"<(?:\w+:)?Relationship\b([^>]*?)/?>", xml):
        a = attrs_of(m.group(1))
        if a.get("TargetMode") == "External":
            continue
        target = a.get("Target", "")
        full = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[a.get("Id", "")] = (a.get("Type", ""), full)
    return out


def rels_of(z: zipfile.ZipFile, part: str, where: Path) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, absolute target part) for ``part``."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in z.NameToInfo:
        return {}
    return relationships(read_part(z, rels_name, where), part)
