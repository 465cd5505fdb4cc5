"""Custom-function calls as the lpsa-xl server takes them: checking what a client sent, running
one call or a whole batch through xlwings' own call path, and turning results into what
Office.js shows.

A request the server cannot use raises :class:`BadRequest` with a one-line reason for the
client (the HTTP status is 400, or 404 for a function it does not know); nothing of Python's
reaches the client. Error values go back as Office.js error entities; the reason travels with
them only for ``#VALUE!`` and ``#N/A``, the two kinds Microsoft lets a custom function show a
message with (``CustomFunctions.Error``), and every reason is written to the server log
(logger ``lpsa_xl.reasons``) so a ``#DIV/0!`` can still be explained.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from lpsa_xl.functions.registry import FUNCTIONS
from lpsa_xl.values import ExcelError

__all__ = [
    "ERROR_TYPES",
    "MAX_BATCH",
    "MESSAGE_ERRORS",
    "MIN_RUNTIME",
    "BadRequest",
    "call_data",
    "parse_batch",
    "parse_call",
    "run_batch",
    "to_officejs",
]

reasons = logging.getLogger("lpsa_xl.reasons")

#: The CustomFunctionsRuntime the manifest requires (CustomFunctions.Error): what xlwings'
#: conversion is told the client runs, instead of trusting what a client claims.
MIN_RUNTIME = "1.2"
#: The most calls one batch request may carry (the served client sends at most 200).
MAX_BATCH = 2000
#: The error kinds a custom function may show a message with (Microsoft's CustomFunctions.Error).
MESSAGE_ERRORS = frozenset({"#VALUE!", "#N/A"})

#: Office.js error types (the ``errorType`` of an error entity, Excel.ErrorCellValueType) by code.
ERROR_TYPES = {
    "#BUSY!": "Busy",
    "#CALC!": "Calc",
    "#DIV/0!": "Div0",
    "#GETTING_DATA": "GettingData",
    "#N/A": "NotAvailable",
    "#NAME?": "Name",
    "#NULL!": "Null",
    "#NUM!": "Num",
    "#REF!": "Ref",
    "#SPILL!": "Spill",
    "#VALUE!": "Value",
}


class BadRequest(ValueError):
    """A request the server cannot use: ``status`` and a one-line ``reason`` for the client."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def to_officejs(value: object, where: str = "", shown: str = "") -> object:
    """A registry result as Office.js takes it: always a matrix; an error value becomes an
    error entity (with its reason where Excel can show one); a blank an empty string.

    ``where`` is the function's registry name; a reason starting with it is shown with the
    function's name as the user typed it, ``shown`` (``LPSA.REWARD``)."""
    if isinstance(value, ExcelError):
        code = str(value)
        entity: dict[str, object] = {"type": "Error", "errorType": ERROR_TYPES.get(code, "Value"),
                                     "basicValue": code}  # fmt: skip
        if value.reason:
            reasons.info("%s %s", code, value.reason)
            if code in MESSAGE_ERRORS:
                reason = value.reason
                if where and shown and reason.startswith(where + ":"):
                    reason = shown + reason[len(where):]
                entity["message"] = reason
        return entity
    if value is None:
        return ""
    if isinstance(value, list):
        rows = [r if isinstance(r, list) else [r] for r in value]
        return [[to_officejs(v, where, shown) for v in r] for r in rows]
    return value


def call_data(func_name: str, args: list[object], caller: object = None) -> dict[str, Any]:
    """What xlwings' ``custom_functions_call`` reads for one call."""
    import xlwings as xw

    return {"func_name": func_name, "args": list(args), "caller_address": caller,
            "version": xw.__version__, "client": "Office.js", "runtime": MIN_RUNTIME}  # fmt: skip


def parse_call(data: object) -> dict[str, Any]:
    """One call checked and completed: a known function, a list of at most as many arguments
    as it takes (missing ones become blanks, which the function reports by name)."""
    if not isinstance(data, dict):
        raise BadRequest("a call is a JSON object with func_name and args")
    name = data.get("func_name")
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("the call names no function (func_name)")
    fn = FUNCTIONS.get(name)
    if fn is None:
        shown = name if len(name) <= 64 else name[:61] + "..."
        raise BadRequest(f"there is no LPSA function named {shown!r}", status=404)
    args = data.get("args")
    if args is None:
        args = []
    if not isinstance(args, list):
        raise BadRequest(f"{name}: args must be a list, one entry per argument")
    if len(args) > len(fn.args):
        raise BadRequest(
            f"{name} takes at most {len(fn.args)} arguments, the call gave {len(args)}"
        )
    caller = data.get("caller_address")
    if caller is not None and (not isinstance(caller, str) or len(caller) > 300):
        raise BadRequest(f"{name}: caller_address must be a cell address")
    return call_data(name, args + [None] * (len(fn.args) - len(args)), caller)


def parse_batch(data: object) -> list[dict[str, Any] | BadRequest]:
    """A batch ``{"calls": [...]}``: each call checked on its own (a bad one does not spoil the
    others); a body that is not a batch at all raises :class:`BadRequest`."""
    if not isinstance(data, dict) or not isinstance(data.get("calls"), list):
        raise BadRequest("a batch is a JSON object with a list of calls")
    calls = data["calls"]
    if len(calls) > MAX_BATCH:
        raise BadRequest(f"a batch holds at most {MAX_BATCH} calls, this one {len(calls)}", 413)
    out: list[dict[str, Any] | BadRequest] = []
    for call in calls:
        try:
            out.append(parse_call(call))
        except BadRequest as exc:
            out.append(exc)
    return out


async def run_batch(
    calls: list[dict[str, Any] | BadRequest],
    run: Callable[[dict[str, Any]], Awaitable[object]],
) -> list[dict[str, object]]:
    """Each call's ``{"result": matrix}`` or ``{"error": reason}``, in order."""
    out: list[dict[str, object]] = []
    for call in calls:
        if isinstance(call, BadRequest):
            out.append({"error": call.reason})
            continue
        out.append({"result": await run(call)})
    return out
