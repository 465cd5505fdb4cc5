"""Build workbooks/lpsa_return.xlsm, the add-in workbook, from the return template.

    python workbooks/build_lpsa_return_xlsm.py [TEMPLATE] [-o OUTPUT]

TEMPLATE defaults to workbooks/lpsa_return.xlsx (built by ``python -m lpsa_xl.returns.templates``).
The same as ``lpsa-xl excel build-xlsm TEMPLATE OUTPUT``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lpsa_xl.excel.xlsm import build_xlsm  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", nargs="?", default=str(HERE / "lpsa_return.xlsx"))
    parser.add_argument("-o", "--output", default=str(HERE / "lpsa_return.xlsm"))
    args = parser.parse_args(argv)
    template = Path(args.template)
    if not template.is_file():
        parser.error(
            f"{template}: no such template (build it: python -m lpsa_xl.returns.templates)"
        )
    print(f"wrote {build_xlsm(template, args.output)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
