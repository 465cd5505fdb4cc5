"""The README's set-up commands are the documented ones, and its Python tour runs as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


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
    for block in re.findall(r"```python\n(.*?)```", README, re.S):
        namespace: dict[str, object] = {}
        for line in block.splitlines():
            code, _, comment = line.partition("  # ")
            if not code.strip():
                continue
            shown = re.match(r"(Decimal\('[^']*'\)|'[^']*'|True|False)", comment.strip())
            if shown and "=" not in code.split("(")[0]:
                from decimal import Decimal

                assert eval(code, namespace) == eval(shown.group(1), {"Decimal": Decimal}), line
            else:
                exec(code, namespace)
