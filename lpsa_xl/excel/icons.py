"""The add-in's icons, drawn at each size the manifest declares (16, 32, 64 and 80 pixels), as
PNG files under ``static/``: ``python -m lpsa_xl.excel.icons`` rewrites them, and a test requires
the committed files to be exactly what this draws (and each to be the size it is named for).

The picture is three rising bars (a stretch target met) on a green square, drawn with integer
arithmetic so every build gives the same bytes; PNG is written with zlib at a fixed level.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

__all__ = ["SIZES", "draw", "png", "write_icons"]

#: Every icon size the manifest names: IconUrl 32, HighResolutionIconUrl 64, ribbon 16, 32, 80.
SIZES = (16, 32, 64, 80)
STATIC = Path(__file__).with_name("static")

_GREEN = (0x21, 0x73, 0x46, 0xFF)
_WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
_CLEAR = (0, 0, 0, 0)


def draw(size: int) -> list[list[tuple[int, int, int, int]]]:
    """The icon as rows of RGBA pixels: a green square with rounded corners, three white bars."""
    radius = max(2, size // 8)
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            dx = max(radius - x, x - (size - 1 - radius), 0)
            dy = max(radius - y, y - (size - 1 - radius), 0)
            row.append(_GREEN if dx * dx + dy * dy <= radius * radius else _CLEAR)
        rows.append(row)
    margin, gap = size // 5, max(1, size // 16)
    width = (size - 2 * margin - 2 * gap) // 3
    base = size - margin
    for i, height in enumerate((size * 3 // 10, size * 5 // 10, size * 7 // 10)):
        left = margin + i * (width + gap)
        for y in range(base - height, base):
            for x in range(left, left + width):
                rows[y][x] = _WHITE
    return rows


def png(rows: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An RGBA PNG of ``rows`` (no filtering, zlib level 9: the same bytes every time)."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))  # fmt: skip


def write_icons(folder: Path = STATIC) -> list[Path]:
    """Write ``icon-<size>.png`` for every size; returns the paths."""
    out = []
    for size in SIZES:
        path = folder / f"icon-{size}.png"
        path.write_bytes(png(draw(size)))
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    for p in write_icons():
        print(p)
