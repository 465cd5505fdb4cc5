"""``lpsa-xl demo``: recalculate a bundled example return without Excel and print its reward
schedule (README command 1)."""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import click

from lpsa_xl.display import format_schedule
from lpsa_xl.rules import Agreement, Result, targets_from_rows

EXAMPLE = "northshire_lpsa1.json"


def load_example(name: str = EXAMPLE) -> Agreement:
    """The bundled example agreement ``name`` (a JSON file in ``lpsa_xl/examples``)."""
    data: dict[str, Any] = json.loads(
        resources.files("lpsa_xl.examples").joinpath(name).read_text(encoding="utf-8")
    )
    rows = []
    for target in data.pop("targets"):
        subs = target.pop("subtargets", [])
        rows.append(target)  # a split target's own row keeps its measure and any stated potential
        rows.extend({**sub, "parent": target["ref"], "theme": target.get("theme")} for sub in subs)
    return Agreement.from_mapping({**data, "targets": targets_from_rows(rows)})


def recalculated_example(book: str, folder: Path) -> tuple[Path, int]:
    """Write the example return ``book`` into ``folder`` (built from its bundled data, so this
    works from an installed wheel too) and recalculate it headlessly; returns its path and the
    number of formulas evaluated."""
    from lpsa_xl.returns.recalc import recalc_file
    from lpsa_xl.returns.templates import EXAMPLES, build_return, example_data

    data = example_data(EXAMPLES[book])
    path = build_return(folder / book, data, laa=str(data["scheme"]).startswith("LAA"))
    return path, recalc_file(path)


def disagreements(path: Path) -> tuple[Result, list[str], int]:
    """The core's schedule of a recalculated return, and every figure its ``LPSA_*`` formulas
    gave that differs from the core's (there should be none), with how many were compared."""
    from lpsa_xl.returns.compute import compute_book
    from lpsa_xl.returns.read import read_return

    done = compute_book(read_return(path))
    lines = {line.ref: line for line in done.result.lines}
    wrong, compared = [], 0
    for row in done.book.targets:
        line = lines.get(str(row.value("ref")))
        for name, cell in row.claimed.items() if line is not None else ():
            expected = getattr(line, name, None)
            if expected is None or cell.value in (None, ""):
                continue
            compared += 1
            same = (
                cell.value == expected
                if isinstance(expected, str)
                else abs(float(cell.value) - float(expected))
                <= 1e-9 * max(1.0, abs(float(expected)))
            )
            if not same:
                wrong.append(
                    f"{cell.sheet}!{cell.coord} {name}: workbook {cell.value!r}, core {expected}"
                )
    return done.result, wrong, compared


@click.command()
@click.option(
    "--example",
    default="northshire_lpsa1.xlsx",
    show_default=True,
    help="Which bundled example return (see workbooks/README.md).",
)
def demo(example: str) -> None:
    """Recalculate a bundled example return without Excel and print its reward schedule."""
    from lpsa_xl.returns.templates import EXAMPLES

    if example not in EXAMPLES:
        raise click.BadParameter(f"choose one of {', '.join(EXAMPLES)}", param_hint="--example")
    with tempfile.TemporaryDirectory() as folder:
        path, formulas = recalculated_example(example, Path(folder))
        result, wrong, compared = disagreements(path)
    click.echo(
        f"{example}: recalculated {formulas} formulas headlessly (LPSA_* functions bound "
        "to the rules core)\n"
    )
    click.echo(format_schedule(result))
    if wrong:
        click.echo(
            "\nThe workbook's formulas disagree with the rules core:\n  " + "\n  ".join(wrong),
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"\nAll {compared} figures the workbook's formulas computed equal the rules core's.")
