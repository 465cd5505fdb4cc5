"""Remember what was last computed from a file, by the file's identity (resolved path, size,
modification time), so that one check inspects and parses each return once although several
parts of the code ask: the checker and the reader both inspect the package
(:func:`lpsa_xl.files.inspect.inspect_package`), and the template reader and the stale-cache
rule both read the cells (:func:`lpsa_xl.files.scan.read_package`).

A changed file has a new identity, so it is read again. What is remembered is shared: callers
treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

__all__ = ["Recent"]

T = TypeVar("T")


class Recent(Generic[T]):
    """The last ``size`` results of a function of a file (and of ``extra`` hashable arguments)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[tuple[object, ...], T] = {}

    def get(self, path: str | Path, compute: Callable[[], T], *extra: Hashable) -> T:
        """The remembered result for this file as it is now, or ``compute()``'s, remembered."""
        try:
            st = Path(path).stat()
            key: tuple[object, ...] | None = (
                str(Path(path).resolve()),
                st.st_size,
                st.st_mtime_ns,
                *extra,
            )
        except OSError:
            key = None
        if key is not None and key in self._items:
            return self._items[key]
        result = compute()
        if key is not None:
            if len(self._items) >= self.size:
                del self._items[next(iter(self._items))]
            self._items[key] = result
        return result

    def clear(self) -> None:
        self._items.clear()
