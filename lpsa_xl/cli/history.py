"""``lpsa-xl history AUTHORITY``: the rounds of an authority's returns recorded by
``check --record``, with their totals and each figure that changed from one round to the next.
"""

from __future__ import annotations

import json

import click

from lpsa_xl.cli.store import db_option, find_authority, store_at
from lpsa_xl.display import money
from lpsa_xl.store import history as rounds

__all__ = ["history"]


@click.command("history")
@click.argument("authority")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the rounds as JSON.")
def history(authority: str, db: str | None, as_json: bool) -> None:
    """The rounds of an authority's returns recorded by check --record: totals, and each figure
    that changed since the round before."""
    with store_at(db) as store:
        where = "among the authorities with recorded rounds (check --record records them)"
        found = rounds.rounds_of(store, find_authority(rounds.names(store), authority, where))
    previous = None
    out = []
    for number, r in enumerate(found, start=1):
        changed = rounds.changes(previous, r)
        out.append({"round": number, **r.as_json(), "changes": [c.as_json() for c in changed]})
        previous = r
    if as_json:
        click.echo(json.dumps({"authority": found[-1].authority, "rounds": out}, indent=2,
                              ensure_ascii=False))  # fmt: skip
        return
    click.echo(found[-1].authority)
    for item, r in zip(out, found):
        click.echo(
            f"  round {item['round']}  {r.checked_at:%Y-%m-%d %H:%M}  {r.file_name}  {r.status}  "
            f"potential {money(r.total_potential)}  reward {money(r.total_reward)}  "
            f"claimed {money(r.claimed_reward)}  {r.errors} errors, {r.warnings} warnings"
        )
        for change in item["changes"]:
            old = change["old"] if change["old"] is not None else "blank"
            new = change["new"] if change["new"] is not None else "blank"
            label = f"{change['ref']} {change['field']}" if change["ref"] else change["field"]
            click.echo(f"      {label}: {old} -> {new}")
