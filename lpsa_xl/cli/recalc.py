"""``lpsa-xl recalc IN -o OUT [--check] [--in-place] [--force]``: evaluate every formula of a
workbook headlessly and write a copy carrying the computed values (the evaluation and its design
are :mod:`lpsa_xl.returns.recalc`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from lpsa_xl.files.errors import UnsafeWriteError, WorkbookError
from lpsa_xl.formula.writer import patched_parts, write_atomic
from lpsa_xl.returns.recalc import differences, not_compared, problem_error, recalculate
from lpsa_xl.values import shown

__all__ = ["recalc"]


def _backup_path(path: Path) -> Path:
    stem, suffix = path.stem, path.suffix
    candidate = path.with_name(f"{stem}.bak{suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{stem}.bak{n}{suffix}")
        n += 1
    return candidate


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the recalculated copy here.",
)
@click.option("--check", is_flag=True, help="Compare with the values Excel cached; write nothing.")
@click.option("--in-place", is_flag=True, help="Overwrite SOURCE, keeping NAME.bak.xlsx beside it.")
@click.option(
    "--force",
    is_flag=True,
    help="Write even with unknown functions or circular references, or a changed extension.",
)
def recalc(source: Path, output: Path | None, check: bool, in_place: bool, force: bool) -> None:
    """Evaluate every formula of SOURCE (.xlsx/.xlsm) and write a copy whose formula cells carry
    the computed values, or with --check list the cells whose cached values differ."""
    modes = sum(bool(x) for x in (output, check, in_place))
    if modes != 1:
        raise click.UsageError("give exactly one of -o OUT, --in-place or --check")
    try:
        package, engine = recalculate(source)
        problems = engine.problems()
        if check:
            if engine.iterative:  # nothing of it is Excel's to compare: declined whole
                raise problem_error(source, problems[:1], hint=False)
            for p in problems:
                click.echo(f"warning: {p.describe()}", err=True)
            diffs = differences(package, engine)
            for d in diffs:
                click.echo(
                    f"{d.sheet}\t{d.cell}\tcached {shown(d.cached)}\tcomputed {shown(d.computed)}"
                )
            left_out = not_compared(package, engine)
            for nc in left_out:
                click.echo(f"note: {nc.describe()}", err=True)
            n = sum(len(s.formulas) for s in package.sheets)
            skipped = sum(len(nc.cells) for nc in left_out)
            tail = f" ({skipped} not compared)" if skipped else ""
            click.echo(
                f"{len(diffs)} of {n} formula cells differ from the cached values{tail}", err=True
            )
            sys.exit(1 if diffs else 0)
        if problems:
            if not force:
                raise problem_error(source, problems)
            for p in problems:
                click.echo(f"warning: {p.describe()}", err=True)
        target = source if in_place else output
        assert target is not None
        if not in_place and target.resolve() == source.resolve():
            raise UnsafeWriteError(
                "the output is the input; use --in-place to overwrite it", workbook=source
            )
        if target.suffix.lower() != source.suffix.lower() and not force:
            raise UnsafeWriteError(
                f"writing a {source.suffix} workbook as {target.suffix} would leave a file Excel "
                "refuses to open; keep the extension or use --force",
                workbook=target,
            )
        parts = patched_parts(package, engine)
        if in_place:
            backup = _backup_path(source)
            shutil.copy2(source, backup)
            click.echo(f"kept the original as {backup}", err=True)
        write_atomic(source, target, parts)
    except WorkbookError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)
    n = sum(len(s.formulas) for s in package.sheets)
    click.echo(f"recalculated {n} formula cells; wrote {target}")
