"""xlwings Server for Excel on the web and on Mac: the LPSA_* custom functions and the three
scripts, as a FastAPI app (``pip install "lpsa-xl[server]"``).

    XLWINGS_LICENSE_KEY=noncommercial uvicorn lpsa_xl.excel.server:app --port 8000

then sideload ``/manifest.xml`` (see README.md, "In Excel"). The routes follow xlwings Server's:

* ``GET  /xlwings/custom-functions-meta``   Office.js function metadata, from the registry
* ``GET  /xlwings/custom-functions-code``   the JavaScript that posts each call here
* ``POST /xlwings/custom-functions-call``   ``{"func_name", "args", ...}`` -> ``{"result"}``
* ``GET  /xlwings/custom-scripts-meta``     the scripts (Calculate, Validate, Build claim)
* ``POST /xlwings/custom-scripts-call/{name}``  a book as JSON in, the actions to apply out
* ``GET  /manifest.xml``, ``/taskpane.html``, ``/functions.html``, ``/static/...``

Custom functions are generated from :mod:`lpsa_xl.excel.registry` and decorated with xlwings
Server's own ``func``/``arg``/``ret``, so xlwings' call path (``custom_functions_call``) converts
the arguments (raw: no per-cell cost) and runs them. Error values go back as Office.js error
entities carrying the reason, which the served JavaScript turns into ``CustomFunctions.Error``
so Excel shows the reason on hover.

xlwings Server is dual-licensed (PolyForm Noncommercial 1.0.0 or a commercial licence from
Zoomer Analytics); ``XLWINGS_LICENSE_KEY`` must say which key applies (``noncommercial`` for
noncommercial use only).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path
from typing import Annotated, Any

try:
    from fastapi import Body, FastAPI, HTTPException, Request
    from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
except ImportError as exc:  # pragma: no cover - exercised without the extra installed
    raise ImportError(
        'lpsa_xl.excel.server needs the xlwings Server extra: pip install "lpsa-xl[server]"'
    ) from exc

import xlwings as xw

try:
    import xlwings.server as xws
except Exception as exc:  # xlwings raises LicenseError without a key  # pragma: no cover
    raise ImportError(
        "xlwings Server needs a licence key: set XLWINGS_LICENSE_KEY=noncommercial for "
        f"noncommercial use, or your commercial key ({exc})"
    ) from exc

from ..xlvalues import ExcelError

# xlwings' call path tries ``from pyodide.ffi import JsNull`` for every argument (for xlwings
# Lite). Off Pyodide that import fails by searching sys.path each time, about 170 µs per
# argument; a None entry in sys.modules makes it fail at once (benchmarks/README.md, "Excel
# add-in").
if sys.platform != "emscripten" and importlib.util.find_spec("pyodide") is None:
    sys.modules.setdefault("pyodide", None)  # type: ignore[arg-type,unused-ignore]
from . import macros
from .binding import from_excel, make_function
from .registry import FUNCTIONS, ExcelFunction

__all__ = [
    "CALL_PATH",
    "NAMESPACE",
    "app",
    "call_data",
    "create_app",
    "functions",
    "scripts",
    "to_officejs",
]

CALL_PATH = "/xlwings/custom-functions-call"
#: The add-in's function namespace (Office.js requires one): =LPSA.LPSA_REWARD(...) on the web.
NAMESPACE = "LPSA"
STATIC = Path(__file__).with_name("static")

#: Office.js error types (the ``errorType`` of an error entity) by Excel error code.
ERROR_TYPES = {
    "#DIV/0!": "Div0",
    "#N/A": "NotAvailable",
    "#NAME?": "Name",
    "#NULL!": "Null",
    "#NUM!": "Num",
    "#REF!": "Ref",
    "#VALUE!": "Value",
}


def to_officejs(value: object) -> object:
    """A registry result as Office.js takes it: always a matrix; an error value becomes an
    error entity with its reason; a blank an empty string."""
    if isinstance(value, ExcelError):
        return {
            "type": "Error",
            "errorType": ERROR_TYPES.get(str(value), "Value"),
            "basicValue": str(value),
            "message": value.reason,
        }
    if value is None:
        return ""
    if isinstance(value, list):
        rows = [r if isinstance(r, list) else [r] for r in value]
        return [[to_officejs(v) for v in r] for r in rows]
    return value


def call_data(func_name: object, args: list[object]) -> dict[str, Any]:
    """What Excel's custom-functions JavaScript posts for one call: the request that xlwings'
    ``custom_functions_call`` reads."""
    return {"func_name": func_name, "args": list(args), "version": xw.__version__,
            "client": "Office.js", "runtime": "1.4"}  # fmt: skip


def _call(fn: ExcelFunction, args: tuple[object, ...]) -> object:
    result = fn(*(from_excel(a) for a in args))
    return to_officejs(result if isinstance(result, list) else [[result]])


def _custom_function(fn: ExcelFunction) -> Any:
    func = make_function(fn, _call)
    func.__module__ = __name__
    for arg in fn.args:
        func = xws.arg(arg.name, "raw", doc=arg.doc)(func)
    return xws.func(xws.ret("raw")(func))


#: The custom functions, as the module-like object xlwings' call path looks functions up in.
functions = types.SimpleNamespace(**{n: _custom_function(f) for n, f in FUNCTIONS.items()})


# The scripts: the same code as the classic macros (lpsa_xl.excel.macros).
@xws.script(name="Calculate")
def calculate(book: xw.Book) -> None:
    """Fill the computed columns of the targets table and the agreement totals."""
    macros.calculate(book)


@xws.script(name="Validate")
def validate(book: xw.Book) -> None:
    """Recompute every target and write the findings sheet."""
    macros.validate(book)


@xws.script(name="Build claim")
def build_claim(book: xw.Book) -> None:
    """Fill the Claim sheet's payment plan from the targets."""
    macros.build_claim(book)


scripts = types.SimpleNamespace(calculate=calculate, validate=validate, build_claim=build_claim)


def _meta() -> dict[str, Any]:
    return xws.custom_functions_meta(functions)


def functions_code() -> str:
    """The custom functions' JavaScript: lpsa-xl's small client, then one binding each."""
    code = (STATIC / "functions.js").read_text(encoding="utf-8")
    code = code.replace("@CALL_PATH@", CALL_PATH).replace("@XLWINGS_VERSION@", xw.__version__)
    for name in FUNCTIONS:
        code += f'CustomFunctions.associate("{name}", (...a) => lpsaCall("{name}", a));\n'
    return code


def create_app() -> FastAPI:
    """The FastAPI app serving the functions, the scripts and the add-in's pages."""
    api = FastAPI(title="lpsa-xl xlwings Server", docs_url=None, redoc_url=None)

    @api.get("/xlwings/custom-functions-meta")
    async def custom_functions_meta() -> dict[str, Any]:
        return _meta()

    @api.get("/xlwings/custom-functions-code")
    async def custom_functions_code() -> PlainTextResponse:
        return PlainTextResponse(functions_code(), media_type="text/javascript")

    @api.post(CALL_PATH)
    async def custom_functions_call(data: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        if data.get("func_name") not in FUNCTIONS:
            raise HTTPException(404, f"no custom function named {data.get('func_name')!r}")
        data = {**call_data(data["func_name"], data.get("args") or []), **data}
        try:
            result = await xws.custom_functions_call(data, functions)
        except TypeError as exc:  # wrong number of arguments for the Python signature
            raise HTTPException(400, str(exc)) from None
        return {"result": result}

    @api.get("/xlwings/custom-scripts-meta")
    async def custom_scripts_meta() -> list[dict[str, Any]]:
        return xws.custom_scripts_meta(scripts)

    @api.post("/xlwings/custom-scripts-call/{script_name}")
    async def custom_scripts_call(script_name: str, data: Annotated[dict[str, Any], Body()]) -> Any:
        if not isinstance(getattr(scripts, script_name, None), types.FunctionType):
            raise HTTPException(404, f"no script named {script_name!r}")
        data.setdefault("client", "Office.js")
        data.setdefault("version", xw.__version__)
        book = xw.Book(json=data)
        try:
            book = await xws.custom_scripts_call(
                scripts, script_name, typehint_to_value={xw.Book: book}
            )
            return book.json()
        finally:
            book.close()

    @api.get("/manifest.xml")
    async def manifest(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        xml = (STATIC / "manifest.xml").read_text(encoding="utf-8")
        return Response(
            xml.replace("@BASE_URL@", base).replace("@NAMESPACE@", NAMESPACE),
            media_type="application/xml",
        )

    def page(name: str) -> HTMLResponse:
        return HTMLResponse((STATIC / name).read_text(encoding="utf-8"))

    @api.get("/taskpane.html")
    async def taskpane() -> HTMLResponse:
        return page("taskpane.html")

    @api.get("/functions.html")
    async def functions_page() -> HTMLResponse:
        return page("functions.html")

    @api.get("/static/{name}")
    async def static(name: str) -> Response:
        path = STATIC / name
        media = {".js": "text/javascript", ".png": "image/png"}.get(path.suffix)
        if path.parent != STATIC or not path.is_file() or media is None:
            raise HTTPException(404, "not found")
        return Response(path.read_bytes(), media_type=media)

    @api.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:  # no traceback to Excel
        return JSONResponse({"detail": f"{type(exc).__name__}: {exc}"}, status_code=500)

    return api


app = create_app()

if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(_meta(), indent=1))
