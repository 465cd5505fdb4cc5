"""``lpsa-xl register add FILE... | list | show AUTHORITY | remove AUTHORITY``: the agreements
register (see :mod:`lpsa_xl.store`): what each authority agreed, version by version.

``register add`` reads and validates every file before writing anything, then writes them all
in one transaction: one unusable file (named, with its cell) and nothing is added. Exit code 0
when done, 2 when a file or the database cannot be used. ``--json`` prints figures as decimal
strings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from lpsa_xl.cli import headers_option
from lpsa_xl.cli.store import db_option, fail, fig, find_authority, parse_date, store_at
from lpsa_xl.display import money
from lpsa_xl.rules import LpsaError
from lpsa_xl.store import Agreed
from lpsa_xl.store import register as reg

__all__ = ["register"]


@click.group("register")
def register() -> None:
    """The agreements register: what each authority agreed, version by version."""


@register.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "in_force", metavar="DATE", help="The date these came into force "
              "(default: the period's start for a first version, else today).")  # fmt: skip
@headers_option
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print what was registered as JSON.")
def add(
    files: tuple[Path, ...], in_force: str | None, headers: tuple[Path, ...], db: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Register agreements from template returns, council returns (read as compute reads them)
    or agreements tables (.xlsx or .csv, one row per target). A changed agreement becomes a new
    version; an unchanged one is left as it is."""
    from lpsa_xl.store.sources import read_agreements

    start = parse_date(in_force)
    found: list[Agreed] = []
    problems = []
    for path in files:
        try:
            found.extend(read_agreements(path, headers=tuple(str(h) for h in headers)))
        except (LpsaError, OSError) as exc:
            problems.append(str(exc) if isinstance(exc, LpsaError) else f"{path}: {exc.strerror}")
    if problems:
        for message in problems:
            click.echo(f"error: {message}", err=True)
        click.echo("nothing was registered", err=True)
        sys.exit(2)
    with store_at(db) as store:
        done = reg.add(store, found, in_force_from=start)
    if as_json:
        out = [{**a.as_json(), "outcome": outcome} for a, outcome in done]
        click.echo(json.dumps({"registered": out}, indent=2, ensure_ascii=False))
        return
    for a, outcome in done:
        measured = sum(1 for ln in a.lines if ln.expected is not None)
        click.echo(
            f"{a.authority}: version {a.version} ({outcome}), {a.scheme}, {measured} measured "
            f"lines, in force from {a.in_force_from}, from {a.source}"
        )


@register.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the register as JSON.")
def list_(db: str | None, as_json: bool) -> None:
    """Every authority in the register, with its latest version."""
    with store_at(db) as store:
        latest = reg.latest_all(store)
    if as_json:
        click.echo(json.dumps({"agreements": [a.as_json() for a in latest]}, indent=2,
                              ensure_ascii=False))  # fmt: skip
        return
    if not latest:
        click.echo("the register is empty")
    for a in latest:
        potential = a.stated_potential if a.stated_potential is not None else a.nbr
        label = "stated potential" if a.stated_potential is not None else "NBR"
        click.echo(
            f"{a.authority}  {a.scheme}  version {a.version} from {a.in_force_from}  "
            f"{len(a.lines)} lines  {label} {money(potential)}"
        )


def _show_text(a: Agreed) -> None:
    click.echo(f"{a.authority}: {a.scheme}, version {a.version}, in force from {a.in_force_from}")
    click.echo(f"  registered {a.recorded_at} from {a.source} (sha256 {a.source_hash[:12]})")
    if a.period_start or a.period_end:
        click.echo(f"  period {a.period_start or '?'} to {a.period_end or '?'}")
    click.echo(f"  NBR {money(a.nbr)} {a.nbr_year}".rstrip())
    click.echo(f"  stated potential {money(a.stated_potential)}")
    for name, share in a.partners:
        click.echo(f"  partner {name}: {fig(share)}")
    click.echo("  ref      expected     target       weight   potential    interim  measure")
    for ln in a.lines:
        click.echo(
            f"  {ln.label:<8} {fig(ln.expected):<12} {fig(ln.target):<12} "
            f"{fig(ln.weight):<8} {fig(ln.potential):<12} {fig(ln.interim_target):<8} "
            f"{ln.measure}"
        )


@register.command("show")
@click.argument("authority")
@click.option("--on", "on", metavar="DATE", help="The version in force on this date.")
@click.option("--version", "version", type=int, help="This version.")
@click.option("--all", "every", is_flag=True, help="Every version, oldest first.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(
    authority: str, on: str | None, version: int | None, every: bool, db: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """An authority's agreement: the version in force today (or --on DATE, --version N, --all)."""
    day = parse_date(on)
    with store_at(db) as store:
        authority = find_authority(reg.names(store), authority, "in the register")
        versions = reg.versions(store, authority)
        if every:
            chosen = versions
        elif version is not None:
            chosen = [v for v in versions if v.version == version]
            if not chosen:
                fail(f"{authority} has no version {version} (it has 1 to {versions[-1].version})")
        else:
            found = reg.in_force(store, authority, day)
            if found is None:
                fail(f"no version of {authority}'s agreement was in force on {day or 'today'}")
            chosen = [found]  # type: ignore[list-item]
    if as_json:
        click.echo(json.dumps({"agreements": [a.as_json() for a in chosen]}, indent=2,
                              ensure_ascii=False))  # fmt: skip
        return
    for a in chosen:
        _show_text(a)


@register.command("remove")
@click.argument("authority")
@click.option("--version", "version", type=int, help="Remove only this version.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
def remove(authority: str, version: int | None, db: str | None, as_json: bool) -> None:
    """Remove an authority's agreement (every version, or --version N). Recorded rounds stay."""
    with store_at(db) as store:
        authority = find_authority(reg.names(store), authority, "in the register")
        n = reg.remove(store, authority, version)
    if n == 0:
        fail(f"{authority} has no version {version} in the register")
    if as_json:
        removed = {"authority": authority, "version": version, "versions_removed": n}
        click.echo(json.dumps({"removed": removed}, indent=2, ensure_ascii=False))
        return
    click.echo(f"removed {n} version{'s' if n != 1 else ''} of {authority}'s agreement")
