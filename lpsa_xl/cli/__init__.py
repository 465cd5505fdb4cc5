"""The ``lpsa-xl`` command. Each subcommand lives in the adapter it belongs to and is loaded
only when it runs, so ``lpsa-xl recalc`` never pays for importing pandas or the checker."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

#: Subcommand name -> "module:attribute" of its click command.
COMMANDS = {
    "check": "lpsa_xl.cli.check:check",
    "compute": "lpsa_xl.cli.compute:compute",
    "demo": "lpsa_xl.demo:demo",
    "excel": "lpsa_xl.excel.command:excel",
    "history": "lpsa_xl.cli.history:history",
    "recalc": "lpsa_xl.cli.recalc:recalc",
    "register": "lpsa_xl.cli.register:register",
}


#: ``--headers FILE`` (repeatable): extra header synonyms for council layouts, shared by the
#: commands that read returns (compute, check).
headers_option = click.option(
    "--headers",
    "headers",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A TOML file of extra header synonyms for council layouts (layout of "
    "lpsa_xl/returns/headers.toml).",
)


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lpsa-xl")
def main() -> None:
    """Exact LPSA and LAA stretch-target reward arithmetic for council Excel workbooks."""
