"""Binding registry functions to an Excel runtime: real Python signatures and Excel's values.

Both xlwings runtimes read a custom function's arguments from its Python signature
(``inspect.signature`` in ``xlwings/udfs.py`` and ``xlwings/pro/udfs_officejs.py``), so each
registry entry becomes a real function with named parameters, compiled from a one-line template.
Every argument is taken with xlwings' ``raw`` converter (no per-cell conversion: a 20,000-cell
table costs about 1 ms instead of about 1 s) and :func:`from_excel` turns what each runtime hands
over into the registry's Excel values.
"""

from __future__ import annotations

import keyword
import types
from collections.abc import Callable

from lpsa_xl.functions.registry import FUNCTIONS, ExcelFunction
from lpsa_xl.functions.spelling import NAMESPACE, WEB_NAMES
from lpsa_xl.values import ERRORS, ExcelError

__all__ = ["COM_ERRORS", "describe", "from_excel", "make_function", "snapshot"]

#: Error values as the COM interface (classic xlwings on Windows, ``raw`` converter) hands them
#: over: an int per error code (the CVErr values, xlErrDiv0 = 2007 etc. offset by 0x800A0000).
COM_ERRORS = {
    -2146826288: "#NULL!",
    -2146826281: "#DIV/0!",
    -2146826273: "#VALUE!",
    -2146826265: "#REF!",
    -2146826259: "#NAME?",
    -2146826252: "#NUM!",
    -2146826246: "#N/A",
}


def from_excel(value: object) -> object:
    """One argument as the registry takes it, whichever runtime handed it over.

    Ranges arrive as tuples of tuples (COM) or lists of lists (Office.js) and become lists of
    row lists; empty cells (None, or "" from Office.js) become None; error values (COM ints,
    Office.js ``{"type": "Error", ...}`` entities or ``{"code": ...}`` errors, or their code
    as text) become
    :class:`~lpsa_xl.values.ExcelError`.
    """
    if isinstance(value, (list, tuple)):
        return [from_excel(v) for v in value]
    if value is None or value == "":
        return None
    if isinstance(value, ExcelError):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value in COM_ERRORS:
        return ERRORS[COM_ERRORS[value]]
    if isinstance(value, dict):
        if value.get("type") == "Error" or value.get("code") in ERRORS:
            code = value.get("basicValue") or value.get("code")
            return ERRORS[code] if isinstance(code, str) and code in ERRORS else ERRORS["#VALUE!"]
        return from_excel(value.get("basicValue"))  # other Office.js entities: their value
    if isinstance(value, str) and value in ERRORS:
        return ERRORS[value]
    return value


_TEMPLATE = "def {name}({params}):\n    return _call(({args},))\n"


def make_function(
    fn: ExcelFunction, call: Callable[[ExcelFunction, tuple[object, ...]], object]
) -> Callable[..., object]:
    """A plain function named ``fn.name`` with one parameter per registry argument (optional
    ones default to None) that hands its arguments to ``call(fn, args)``. Its docstring is the
    registry's help text, which both xlwings runtimes show as the function's description."""
    names = [a.name for a in fn.args]
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in [fn.name, *names]):
        raise ValueError(f"{fn.name}: argument names must be identifiers")  # pragma: no cover
    params = ", ".join(f"{a.name}=None" if a.optional else a.name for a in fn.args)
    namespace: dict[str, object] = {"_call": lambda args: call(fn, args)}
    exec(_TEMPLATE.format(name=fn.name, params=params, args=", ".join(names)), namespace)
    func = namespace[fn.name]
    assert isinstance(func, types.FunctionType)
    func.__doc__ = fn.doc
    func.__qualname__ = fn.name
    return func


def describe(names: list[str] | None = None) -> str:
    """Every function with its arguments and help text, as a person reads them."""
    out = []
    for fn in (FUNCTIONS[n] for n in (names or FUNCTIONS)):
        params = ", ".join(f"[{a.name}]" if a.optional else a.name for a in fn.args)
        web = f"{NAMESPACE}.{WEB_NAMES[fn.name]}"
        out.append(f"{fn.name}({params}) -> {fn.returns}   (web: ={web}(...))\n    {fn.doc}")
        out += [f"    {a.name}: {a.doc}" for a in fn.args]
    return "\n".join(out)


def snapshot() -> list[dict[str, object]]:
    """What Excel users rely on, per function: name, argument order and help, return shape,
    category. A committed copy (tests/data/excel_registry.json) catches accidental changes."""
    return [
        {
            "name": fn.name,
            "doc": fn.doc,
            "returns": fn.returns,
            "category": fn.category,
            "args": [
                {"name": a.name, "doc": a.doc, "kind": a.kind, "optional": a.optional}
                for a in fn.args
            ],
        }
        for fn in FUNCTIONS.values()
    ]
