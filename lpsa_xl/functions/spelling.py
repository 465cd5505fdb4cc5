"""How the LPSA functions are spelt in each Excel.

Desktop Excel (classic xlwings) calls them by their registry names, ``=LPSA_REWARD(...)``.
Excel on the web and on Mac runs them as the lpsa-xl add-in's custom functions, which always
carry the add-in's namespace (:data:`NAMESPACE`): ``=LPSA.REWARD(...)`` (:data:`WEB_NAMES`),
which Excel saves in the file as ``_xldudf_LPSA_REWARD(...)`` (:data:`FILE_PREFIX`: an add-in
function's name, its namespace's dot written as ``_``; the form other add-ins' functions take
in saved workbooks). So a desktop formula becomes a web one by adding the prefix to each LPSA
function name, and back by taking it off (:func:`convert_formula`); the headless evaluator
reads the prefixed names as the plain ones.
"""

from __future__ import annotations

import re

from lpsa_xl.functions.registry import FUNCTIONS

__all__ = ["FILE_PREFIX", "NAMESPACE", "TARGETS", "WEB_NAMES", "convert_formula"]

#: The add-in's function namespace (Office.js requires one): =LPSA.REWARD(...) on the web.
NAMESPACE = "LPSA"
#: How Excel writes an add-in's custom function in a saved workbook.
FILE_PREFIX = "_xldudf_"
#: The name each function has under the namespace: LPSA_REWARD is =LPSA.REWARD(...).
WEB_NAMES = {name: name.removeprefix("LPSA_") for name in FUNCTIONS}
TARGETS = ("web", "desktop")

_KNOWN = frozenset(FUNCTIONS)
# a string literal (kept as it is), or a function name right before "("; element text in the
# XML may write the quote as &quot;
_TOKEN = re.compile(
    r'(?P<str>"(?:[^"]|"")*"|&quot;.*?&quot;)'
    r"|(?<![\w.])(?P<name>(?:_xldudf_)?LPSA_[A-Za-z0-9_]+)(?=\s*\()",
    re.IGNORECASE,
)


def convert_formula(text: str, to: str) -> str:
    """``text`` (a formula, as written in the file) with its LPSA function names for ``to``
    (``"web"`` or ``"desktop"``); text in string literals and names the registry does not
    know are left alone."""
    if to not in TARGETS:
        raise ValueError(f"convert to 'web' or 'desktop', not {to!r}")

    def one(m: re.Match[str]) -> str:
        name = m.group("name")
        if name is None:
            return m.group(0)
        bare = name[len(FILE_PREFIX) :] if name.lower().startswith(FILE_PREFIX) else name
        if bare.upper() not in _KNOWN:
            return name
        return FILE_PREFIX + bare if to == "web" else bare

    return _TOKEN.sub(one, text)
