"""docs/architecture.md matches the package: every path it names exists, every top-level part
of ``lpsa_xl`` has a row in its layer table, the rows stand in the order of the layers contract
in ``pyproject.toml``, and its error tree names every error class the package defines.

A newcomer reads that page first; a module renamed or a package added without it would leave
them following a map of another program.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import lpsa_xl
from lpsa_xl.rules.errors import LpsaError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"

#: A path in backticks: starts with a top-level folder of the repository (or is a bare file
#: name of a module's folder, which the layer table gives beside its part).
PATH = re.compile(r"`((?:lpsa_xl|tests|docs|workbooks|benchmarks)/[^`\s]*|pyproject\.toml)`")
#: A row of the layer table: | layer | `part` | what it holds |
ROW = re.compile(r"^\| [^|]+ \| `(lpsa_xl/[^`]+)` \|", re.MULTILINE)


def _text() -> str:
    return DOC.read_text(encoding="utf-8")


def _section(title: str) -> str:
    text = _text()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_every_path_named_exists() -> None:
    paths = PATH.findall(_text())
    assert len(paths) > 40, "the page names too few paths for this test to mean anything"
    missing = [p for p in sorted(set(paths)) if not (ROOT / p.partition("#")[0]).exists()]
    assert missing == [], "docs/architecture.md names paths that do not exist"


def test_module_names_beside_a_part_exist() -> None:
    """In the layer table a row's modules are named bare (``read.py``) after its part."""
    missing = []
    for line in _section("Layers").splitlines():
        row = ROW.match(line)
        if not row or not row.group(1).endswith("/"):
            continue
        folder = ROOT / row.group(1)
        for name in re.findall(r"`([\w/]+(?:\.py|\.toml|/))`", line.split("|")[3]):
            if not (folder / name).exists() and not (ROOT / name).exists():
                missing.append(f"{row.group(1)}{name}")
    assert missing == []


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    return [[m.strip() for m in layer.split("|")] for layer in layers]


def _as_path(module: str) -> str:
    rel = module.replace(".", "/")
    return rel + "/" if (ROOT / rel).is_dir() else rel + ".py"


def test_the_layer_table_is_the_layers_contract() -> None:
    rows = ROW.findall(_section("Layers"))
    contract = [_as_path(m) for layer in _layers() for m in layer]
    assert sorted(rows) == sorted(contract), "a part is in the contract but not on the page"
    order = {path: i for i, layer in enumerate(_layers()) for path in map(_as_path, layer)}
    heights = [order[row] for row in rows]
    assert heights == sorted(heights), "the table's rows are not in the contract's order"


#: Not imported to find the error classes: the adapters (their imports need the optional server
#: extras), ``python -m lpsa_xl`` itself and the migrations (Alembic runs them, with its context).
_NOT_IMPORTED = ("lpsa_xl.excel", "lpsa_xl.cli", "lpsa_xl.__main__", "lpsa_xl.store.migrations")


def test_the_error_tree_names_every_error_class() -> None:
    for module in pkgutil.walk_packages(lpsa_xl.__path__, "lpsa_xl."):
        if module.name.startswith(_NOT_IMPORTED):
            continue
        importlib.import_module(module.name)

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(c) for c in found)) if found else found

    names = {c.__name__ for c in subclasses(LpsaError) if c.__module__.startswith("lpsa_xl.")}
    tree = _section("Errors")
    assert len(names) >= 10
    missing = sorted(n for n in names if not re.search(rf"\b{n}\b", tree))
    assert missing == [], "add these to the error tree of docs/architecture.md"
