"""``lpsa-xl compute IN [-o OUT] [--json] [--headers FILE]``: the reward schedule of a return.

Reading and computing are :func:`lpsa_xl.returns.compute.compute_book`; the JSON and the results
sheet are :mod:`lpsa_xl.returns.results`; the text table is :func:`lpsa_xl.display.format_schedule`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from lpsa_xl.cli import headers_option
from lpsa_xl.display import format_schedule
from lpsa_xl.returns.compute import Computed, compute_book
from lpsa_xl.returns.read import read_return
from lpsa_xl.returns.results import to_json, write_results
from lpsa_xl.rules import LpsaError

__all__ = ["compute"]


def _table(done: Computed) -> str:
    warnings = [f"warning: {w}" for w in done.warnings]
    return "\n".join([*done.book.notes, *warnings, "", format_schedule(done.result)])


@click.command()
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a copy of the workbook with a results sheet here.",
)
@click.option(
    "--in-place", is_flag=True, help="Add the results sheet to the input itself (a backup is kept)."
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the results as JSON (figures as decimal strings).",
)
@headers_option
@click.option(
    "--scheme", help="The scheme (LPSA1, LPSA2, LAA2006, ...) when the return does not say."
)
@click.option(
    "--potential",
    help="The agreement's total potential reward (£), when the return does not give it.",
)
@click.option(
    "--force", is_flag=True, help="Write even if saving would lose parts openpyxl cannot keep."
)
def compute(
    workbook: Path,
    output: Path | None,
    in_place: bool,
    as_json: bool,
    headers: tuple[Path, ...],
    scheme: str | None,
    potential: str | None,
    force: bool,
) -> None:
    """Compute the reward schedule of a returns WORKBOOK (lpsa-xl template or council layout)."""
    try:
        pot = None
        if potential is not None:
            from lpsa_xl.rules import to_decimal

            pot = to_decimal(potential, "--potential")
        done = compute_book(read_return(workbook, headers=headers), scheme=scheme, potential=pot)
        written = None
        if output is not None or in_place:
            written = write_results(done, workbook, output, in_place=in_place, force=force)
    except LpsaError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # writing the output: a missing folder, no permission, disk full
        raise click.ClickException(f"cannot write {output or workbook}: {exc.strerror}") from None
    if as_json:
        click.echo(json.dumps(to_json(done), indent=2, ensure_ascii=False))
    elif written is None:
        click.echo(_table(done))
    if written is not None:
        if not as_json:
            for note in done.book.notes:  # what was matched and assumed, for the user to see
                click.echo(note, err=True)
            for warning in done.warnings:
                click.echo(f"warning: {warning}", err=True)
        click.echo(f"wrote {written}", err=as_json)
