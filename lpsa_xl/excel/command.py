"""``lpsa-xl excel``: the Excel add-in from the command line.

lpsa-xl excel functions                 every LPSA_* function with its help text
lpsa-xl excel build-xlsm TEMPLATE OUT   the add-in workbook from a return template
lpsa-xl excel serve [--port 8000]       xlwings Server for Excel on the web and Mac
lpsa-xl excel convert IN -o OUT --to web|desktop   the LPSA function names for the other Excel
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click


@click.group("excel")
def excel() -> None:
    """The LPSA_* functions and macros in Excel (xlwings)."""


@excel.command("functions")
def functions() -> None:
    """List every LPSA_* function with its arguments and help text."""
    from lpsa_xl.excel.binding import describe

    click.echo(describe())


@excel.command("build-xlsm")
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def build_xlsm(template: Path, output: Path) -> None:
    """Build the add-in workbook OUTPUT (.xlsm) from the return TEMPLATE (.xlsx)."""
    from lpsa_xl.excel.xlsm import build_xlsm as build

    if output.suffix.lower() != ".xlsm":
        raise click.BadParameter("the add-in workbook must end in .xlsm", param_hint="OUTPUT")
    from lpsa_xl.files.errors import WorkbookError

    try:
        click.echo(f"wrote {build(template, output)}")
    except WorkbookError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the add-in workbook: {exc}") from None


@excel.command("convert")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "target", required=True, type=click.Choice(["web", "desktop"]),
              help="web: =LPSA.REWARD(...) for Excel on the web and Mac (the lpsa-xl add-in); "
              "desktop: =LPSA_REWARD(...) for desktop Excel with classic xlwings.")
def convert(source: Path, output: Path, target: str) -> None:
    """Write OUTPUT: SOURCE with its LPSA function names for the other Excel. Only the function
    names in formulas change; every other part of the file is copied unchanged."""
    from lpsa_xl.files.errors import WorkbookError
    from lpsa_xl.returns.convert import convert_file

    try:
        changed = convert_file(source, output, target)
    except WorkbookError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the workbook: {exc}") from None
    click.echo(f"wrote {output} ({changed} part{'s' if changed != 1 else ''} rewritten for "
               f"{'Excel on the web and Mac' if target == 'web' else 'desktop Excel'})")


@excel.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--ssl-keyfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--ssl-certfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--public-url", help="The address users reach the server at (behind a reverse "
              "proxy): the manifest's URLs start with it. Sets LPSA_PUBLIC_URL.")
@click.option("--trust-proxy", is_flag=True, help="Build the manifest's URLs from the proxy's "
              "X-Forwarded-Proto and X-Forwarded-Host (only behind a proxy you run). Sets "
              "LPSA_TRUST_PROXY.")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file holding the organisation's shared key: calls and the manifest then "
              "need it. Sets LPSA_KEY.")
def serve(host: str, port: int, ssl_keyfile: str | None, ssl_certfile: str | None,
          public_url: str | None, trust_proxy: bool, key_file: Path | None) -> None:
    """Run xlwings Server for Excel on the web and Mac (needs the server extra and
    XLWINGS_LICENSE_KEY; Office loads add-ins over HTTPS only, so give a certificate or run it
    behind an HTTPS reverse proxy). Other settings (LPSA_ADDIN_ID, LPSA_ADDIN_NAME,
    LPSA_MAX_BODY) come from the environment: see the README's deployment section."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise click.ClickException(
            "set XLWINGS_LICENSE_KEY: 'noncommercial' for noncommercial use (PolyForm "
            "Noncommercial), otherwise your commercial xlwings Server key (see the README's "
            "In Excel section)"
        )
    if public_url:
        os.environ["LPSA_PUBLIC_URL"] = public_url
    if trust_proxy:
        os.environ["LPSA_TRUST_PROXY"] = "1"
    if key_file:
        os.environ["LPSA_KEY"] = key_file.read_text(encoding="utf-8").strip()
    try:
        import uvicorn

        from lpsa_xl.excel.deploy import Settings, SettingsError

        try:
            settings = Settings.from_env()
        except SettingsError as exc:
            raise click.ClickException(str(exc)) from None
        from lpsa_xl.excel.server import create_app
    except ImportError as exc:
        raise click.ClickException(str(exc)) from exc
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # uvicorn's own proxy-header handling follows --trust-proxy, so one switch decides
    uvicorn.run(create_app(settings), host=host, port=port, ssl_keyfile=ssl_keyfile,
                ssl_certfile=ssl_certfile, proxy_headers=settings.trust_proxy,
                access_log=False)  # fmt: skip
