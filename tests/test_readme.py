"""The README's set-up commands are the documented ones, and its Python tour runs as written:
every expression whose line ends in a comment starting with a value must give that value."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SHOWN = re.compile(r"#\s*(Decimal\('[^']*'\)|'[^']*'|\[.*\]|\(.*\)|True|False)")


def test_first_screen_has_exactly_the_two_setup_commands():
    first = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first is not None
    assert first.group(1).strip().splitlines() == [
        "pip install -e . && lpsa-xl demo",
        'pip install -e ".[test]" && pytest',
    ]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == 'pip install -e ".[test]" && pytest'


def test_python_tour_runs_and_shows_true_results():
    checked = 0
    for block in re.findall(r"```python\n(.*?)```", README, re.S):
        lines = block.splitlines()
        namespace: dict[str, object] = {}
        for node in ast.parse(block).body:
            code = ast.get_source_segment(block, node)
            shown = SHOWN.search(lines[node.end_lineno - 1])
            if isinstance(node, ast.Expr) and shown:
                expected = eval(shown.group(1), {"Decimal": Decimal})
                assert eval(code, namespace) == expected, code
                checked += 1
            else:
                exec(code, namespace)
    assert checked >= 8
