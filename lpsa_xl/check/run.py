"""Checking files: the package inspection first, then the reader, the book rules and the
stale-cache rule; a folder of returns over every core. A broken file is a result, never a crash.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from lpsa_xl.check.checks import check_return
from lpsa_xl.check.findings import FileResult, Finding
from lpsa_xl.check.registry import RULES
from lpsa_xl.check.wiring import resolve
from lpsa_xl.files.errors import WorkbookError
from lpsa_xl.files.inspect import LIMITS, Limits, inspect_package
from lpsa_xl.files.openbook import reading
from lpsa_xl.rules.errors import LpsaError
from lpsa_xl.store.records import file_hash
from lpsa_xl.values import shown

__all__ = [
    "EXTENSIONS",
    "check_file",
    "check_paths",
    "expand_paths",
    "stale_findings",
]

#: What a folder is searched for.
EXTENSIONS = (".xlsx", ".xlsm")

Reader = Callable[[Path], Any]
#: ``stale(path)``: the formula cells whose cached value a recalculation does not reproduce,
#: each with ``sheet``, ``cell``, ``cached`` and ``computed`` (lpsa_xl.returns.recalc).
Recompute = Callable[[Path], Sequence[Any]]

_PACKAGE_RULES = {
    "vba": "LPSA101",
    "external-links": "LPSA101",
    "huge-sheet": "LPSA101",
    "dimension-mismatch": "LPSA101",
    "lossy-parts": "LPSA102",
}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the .xlsx/.xlsm files below folders named (Excel's ``~$`` lock files
    left out), in order and without repeats."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = (p for p in path.rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file())
            out.extend(sorted(p for p in found if not p.name.startswith("~$")))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _callable(spec: str | Callable[..., Any] | None) -> Callable[..., Any] | None:
    return resolve(spec) if isinstance(spec, str) else spec


def check_file(
    path: str | Path,
    reader: str | Reader,
    recompute: str | Recompute | None = None,
    limits: Limits = LIMITS,
) -> FileResult:
    """Check one file. ``reader`` and ``recompute`` are callables or ``"module:attribute"``."""
    result = FileResult(Path(path))
    report = inspect_package(path, limits)
    for problem in report.problems:
        rule = "LPSA100" if problem.fatal else _PACKAGE_RULES.get(problem.code, "LPSA101")
        result.findings.append(RULES[rule].at((problem.sheet, None), problem.message))
    if not report.usable:
        result.unusable = True
        return result
    result.lossy = list(report.lossy)
    try:
        with reading(path):
            book = _callable(reader)(Path(path))  # type: ignore[misc]
    except WorkbookError as exc:
        result.findings.append(RULES["LPSA100"].at((exc.sheet, exc.cell), exc.reason))
        result.unusable = True
        return result
    except LpsaError as exc:
        result.findings.append(RULES["LPSA100"].at(None, str(exc)))
        result.unusable = True
        return result
    result.authority, findings, result.summary, result.figures = check_return(book)
    result.findings.extend(findings)
    result.file_hash = file_hash(Path(path))
    fresh = _callable(recompute)
    if fresh is not None:
        result.findings.extend(stale_findings(Path(path), fresh))
    return result


def stale_findings(path: Path, stale: Recompute) -> list[Finding]:
    """LPSA016: every formula cell whose cached value differs from a headless recalculation;
    LPSA106: the cells depending on the clock, chance or Excel's surroundings, not compared."""
    try:
        differences = stale(path)
    except Exception as exc:  # the evaluator's own errors name the cell; anything else is a note
        return [
            RULES["LPSA104"].at(
                (getattr(exc, "sheet", None), getattr(exc, "cell", None)),
                f"the headless recalculation failed: {exc}",
            )
        ]
    out = []
    for d in differences:
        kind = getattr(d, "kind", "stale")
        if kind == "stale":
            message = (
                f"the cached value {shown(d.cached)} is stale: recalculated, the formula gives "
                f"{shown(d.computed, why=True)}"
            )
            out.append(RULES["LPSA016"].at((d.sheet, d.cell), message))
        else:  # cells whose values are not Excel's to compare (lpsa_xl.returns.recalc)
            out.append(RULES["LPSA106"].at((d.sheet, d.cell), d.describe()))
    return out


def _guarded(
    path: Path,
    reader: str | Reader,
    recompute: str | Recompute | None,
    limits: Limits,
    copy_to: Path | None = None,
    force: bool = False,
) -> FileResult:
    """:func:`check_file` (and the annotated copy to ``copy_to``), with anything unforeseen
    turned into a finding on that file."""
    try:
        result = check_file(path, reader, recompute, limits)
        if copy_to is not None:
            from lpsa_xl.check.annotate import annotate_into

            annotate_into(result, copy_to, force=force)
        return result
    except Exception as exc:
        result = FileResult(path, unusable=True)
        result.findings.append(
            RULES["LPSA100"].at(None, f"could not be checked ({type(exc).__name__}: {exc})")
        )
        return result


def check_paths(
    files: Sequence[Path],
    reader: str | Reader,
    recompute: str | Recompute | None = None,
    *,
    workers: int | None = None,
    limits: Limits = LIMITS,
    progress: Callable[[int], None] | None = None,
    copies: Mapping[Path, Path] | None = None,
    force: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileResult]:
    """Check ``files`` over ``workers`` processes (default: every core); results in file order.
    ``progress(n)`` is called as each file is done. ``copies`` maps files to where their
    annotated copies go (see :func:`lpsa_xl.check.annotate.copy_names`); ``force`` writes
    them even where openpyxl would drop content. ``meanwhile()`` is called once, while the
    workers check (after every file is handed out, so no process is forked while it runs): the
    parent's own work, such as opening the agreements register, then costs no wall time."""
    copies = copies or {}
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(files) < 2:
        if meanwhile is not None:
            meanwhile()
        results = []
        for path in files:
            results.append(_guarded(path, reader, recompute, limits, copies.get(path), force))
            if progress:
                progress(1)
        return results
    out: dict[int, FileResult] = {}
    with ProcessPoolExecutor(max_workers=min(workers, len(files))) as pool:
        futures = {
            pool.submit(_guarded, path, reader, recompute, limits, copies.get(path), force): i
            for i, path in enumerate(files)
        }
        if meanwhile is not None:
            meanwhile()
        for future in as_completed(futures):
            i = futures[future]
            try:
                out[i] = future.result()
            except Exception as exc:  # a worker that died (out of memory...): that file only
                out[i] = FileResult(files[i], unusable=True)
                out[i].findings.append(
                    RULES["LPSA100"].at(None, f"could not be checked ({type(exc).__name__}: {exc})")
                )
            if progress:
                progress(1)
    return [out[i] for i in range(len(files))]


def exit_code(results: Iterable[FileResult]) -> int:
    """0: no error-level finding; 1: error-level findings; 2: some input unusable."""
    results = list(results)
    if any(r.unusable for r in results):
        return 2
    return 1 if any(f.severity == "error" for r in results for f in r.findings) else 0
