"""``lpsa-xl check PATH...``: check returns (files or folders of .xlsx/.xlsm) and say what is
wrong, to the cell. Exit code 0: no error-level finding; 1: error-level findings;
2: some input unusable (each named)."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lpsa_xl.check import wiring
from lpsa_xl.check.annotate import copy_names
from lpsa_xl.check.findings import FileResult
from lpsa_xl.check.registry import RULES
from lpsa_xl.check.run import check_paths, exit_code, expand_paths
from lpsa_xl.cli import headers_option
from lpsa_xl.files.errors import WorkbookError

if TYPE_CHECKING:  # the store (and SQLAlchemy) is imported only with --register or --record
    from lpsa_xl.store import Agreed, Round, Store, StoreError

__all__ = ["check"]

#: ``--register`` given without a URL: the default database.
DEFAULT_STORE = "default"
#: From this many files on, a progress bar is shown (on a terminal).
PROGRESS_FROM = 10
_STYLE = {
    "error": "red",
    "warning": "yellow",
    "info": "blue",
    "ok": "green",
    "findings": "yellow",
    "unusable": "red",
}


def _rules_table() -> str:
    return "\n".join(f"{r.id}  {r.severity:<7}  {r.title}: {r.checks}" for r in RULES.values())


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _print_summary(results: list[FileResult]) -> None:
    for r in results:
        counts = ", ".join(
            _plural(r.count(s), s) for s in ("error", "warning", "info") if r.count(s)
        )
        head = f"{r.path}  {click.style(r.status, fg=_STYLE[r.status])}"
        click.echo(f"{head}  {r.authority}" + (f"  ({counts})" if counts else ""))
        for f in r.findings:
            place = f" {f.place}" if f.place else ""
            click.echo(
                f"  {click.style(f.severity, fg=_STYLE[f.severity])} {f.rule}{place}  {f.message}"
            )
    statuses = [r.status for r in results]
    severities = [f.severity for r in results for f in r.findings]
    click.echo(
        f"\n{_plural(len(results), 'file')}: {statuses.count('ok')} ok, "
        f"{statuses.count('findings')} with findings, {statuses.count('unusable')} unusable; "
        f"{_plural(severities.count('error'), 'error')}, "
        f"{_plural(severities.count('warning'), 'warning')}"
    )
    unusable = [str(r.path) for r in results if r.unusable]
    if unusable:
        click.echo("unusable: " + ", ".join(unusable))


def _recompute_spec(spec: str | None, enabled: bool) -> str | None:
    if not enabled or not spec:
        return None
    try:
        wiring.resolve(spec)
    except (ImportError, AttributeError) as exc:
        click.echo(
            f"note: the stale-cache check (LPSA016) is skipped: no headless evaluator "
            f"({spec}: {exc})",
            err=True,
        )
        return None
    return spec


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON on stdout.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a report workbook: findings, a summary per authority, rates by theme.",
)
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an HTML report with a chart of reward against potential per authority.",
)
@click.option(
    "--annotate",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this folder a copy of each return with every finding as a comment.",
)
@click.option("--force", is_flag=True, help="Annotate even where openpyxl would drop content.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to use (default: every core).",
)
@click.option(
    "--recalc/--no-recalc",
    default=True,
    help="Compare cached values with a headless recalculation (LPSA016).",
)
@headers_option
@click.option(
    "--register",
    "register_url",
    is_flag=False,
    flag_value=DEFAULT_STORE,
    default=None,
    metavar="[URL]",
    help="Check each return against its agreement in the register (LPSA025-LPSA028) and list "
    "the authorities with no return; URL: the database (default $LPSA_XL_DB, else your "
    "own register). Write --register=URL before the paths, or after them.",
)
@click.option(
    "--record",
    is_flag=True,
    help="Record each checked return as a round of its authority's history (lpsa-xl history).",
)
@click.option("--rules", "list_rules", is_flag=True, help="List the rules and exit.")
@click.option(
    "--reader", default=wiring.READER, hidden=True, help="module:function reading a return."
)
@click.option(
    "--recompute", default=wiring.RECOMPUTE, hidden=True, help="module:function recalculating."
)
def check(
    paths: tuple[Path, ...],
    as_json: bool,
    report: Path | None,
    html: Path | None,
    annotate: Path | None,
    force: bool,
    jobs: int | None,
    recalc: bool,
    headers: tuple[Path, ...],
    register_url: str | None,
    record: bool,
    list_rules: bool,
    reader: str,
    recompute: str,
) -> None:
    """Check returns workbooks (files, or folders of .xlsx and .xlsm) and report every problem
    by sheet and cell, each figure recomputed by the rules core.

    Exit code 0 when no error-level finding, 1 when there are error-level findings, 2 when some
    input is unusable (each such file is named)."""
    if list_rules:
        click.echo(_rules_table())
        return
    if register_url is not None and register_url != DEFAULT_STORE and "://" not in register_url:
        paths = (Path(register_url), *paths)  # `--register FOLDER`: a path, not a URL
        register_url = DEFAULT_STORE
    if not paths:
        raise click.UsageError("give at least one file or folder to check")
    try:
        read = wiring.resolve(reader)
    except (ImportError, AttributeError) as exc:
        click.echo(f"error: the workbook reader {reader} is not available ({exc})", err=True)
        sys.exit(2)
    if headers:  # checked here, once, so a bad file is one clear error, not one per return
        from lpsa_xl.returns.headers import load_synonyms

        try:
            load_synonyms(headers)
        except WorkbookError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        reader = functools.partial(read, headers=tuple(str(h) for h in headers))  # type: ignore[assignment]
    files = expand_paths(paths)
    if not files:
        click.echo("no .xlsx or .xlsm files found in " + ", ".join(map(str, paths)), err=True)
        sys.exit(2)
    spec = _recompute_spec(recompute, recalc)
    copies = copy_names(files, annotate) if annotate is not None else None
    # with a register, the copies are annotated once its findings are in (in this process)
    in_workers = None if register_url else copies
    store = _Store(register_url, record) if register_url or record else None
    meanwhile = store.open if store is not None else None
    if len(files) >= PROGRESS_FROM:
        with click.progressbar(length=len(files), label="Checking", file=sys.stderr) as bar:
            results = check_paths(files, reader, spec, workers=jobs, progress=bar.update,
                                  copies=in_workers, force=force, meanwhile=meanwhile)  # fmt: skip
    else:
        results = check_paths(files, reader, spec, workers=jobs, copies=in_workers, force=force,
                              meanwhile=meanwhile)  # fmt: skip
    missing = store.apply(results) if store is not None else None
    if copies and in_workers is None:
        from lpsa_xl.check.annotate import annotate_into

        for r in results:
            annotate_into(r, copies[r.path], force=force)
    if report is not None:
        from lpsa_xl.check.report_xlsx import write_report

        write_report(report, results, missing=missing)
    if html is not None:
        from lpsa_xl.check.report_html import write_html

        write_html(html, results, missing=missing)
    if as_json:
        from lpsa_xl.check.findings import folder_rollup

        out: dict[str, object] = {"files": [r.as_json() for r in results]}
        out["rollup"] = folder_rollup(results)
        if missing is not None:
            out["missing_returns"] = missing
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _print_summary(results)
        if missing:
            click.echo(f"in the register with no return here: {', '.join(missing)}")
    sys.exit(exit_code(results))


class _Store:
    """``--register`` and ``--record``: the database opened and the agreements in force loaded
    while the workers check (:meth:`open`), then the register rules and the recording of rounds
    over the results (:meth:`apply`, see :mod:`lpsa_xl.check.rounds`). A database that cannot
    be used is one line and exit code 2."""

    def __init__(self, url: str | None, record: bool) -> None:
        self.url = None if url in (None, DEFAULT_STORE) else url
        self.with_register, self.record = url is not None, record
        self.opened = contextlib.ExitStack()
        self.store: Store | None = None
        self.agreed: dict[str, Agreed] | None = None
        self.last: dict[str, Round] = {}
        self.error: StoreError | None = None

    def open(self) -> None:
        from lpsa_xl.check.rounds import in_force, last_rounds
        from lpsa_xl.store import StoreError, open_store

        try:
            self.store = self.opened.enter_context(open_store(self.url))
            self.agreed = in_force(self.store) if self.with_register else {}
            self.last = last_rounds(self.store, self.agreed) if self.with_register else {}
        except StoreError as exc:
            self.error = exc

    def apply(self, results: list[FileResult]) -> list[str] | None:
        from lpsa_xl.check.rounds import use_store
        from lpsa_xl.cli.store import fail
        from lpsa_xl.store import StoreError

        with self.opened:
            if self.store is None and self.error is None:
                self.open()
            if self.error is not None or self.store is None:
                fail(str(self.error))
            try:
                return use_store(self.store, results, with_register=self.with_register,
                                 record=self.record, agreed=self.agreed,
                                 last=self.last)  # fmt: skip
            except StoreError as exc:
                fail(str(exc))
