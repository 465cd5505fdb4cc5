"""xlwings Server for Excel on the web and on Mac: the LPSA functions and the three scripts,
as an ASGI app (``pip install "lpsa-xl[server]"``).

    XLWINGS_LICENSE_KEY=noncommercial uvicorn lpsa_xl.excel.server:app --port 8000

then sideload ``/manifest.xml`` (README.md, "In Excel"; deployment settings in
:mod:`lpsa_xl.excel.deploy`). The routes follow xlwings Server's, plus a batch route:

* ``GET  /xlwings/custom-functions-meta``   Office.js function metadata, from the registry
* ``GET  /xlwings/custom-functions-code``   the JavaScript client, then one binding per function
* ``POST /xlwings/custom-functions-call``   ``{"func_name", "args", ...}`` -> ``{"result"}``
* ``POST /xlwings/custom-functions-batch``  ``{"calls": [...]}`` -> ``{"results": [...]}``
* ``GET  /xlwings/custom-scripts-meta``     the scripts (Calculate, Validate, Build claim)
* ``POST /xlwings/custom-scripts-call/{name}``  a book as JSON in, the actions to apply out
* ``GET  /manifest.xml``, ``/taskpane.html``, ``/functions.html``, ``/static/...``

Custom functions are generated from :mod:`lpsa_xl.functions.registry` and decorated with xlwings
Server's own ``func``/``arg``/``ret``, so xlwings' call path (``custom_functions_call``) converts
the arguments (raw: no per-cell cost) and runs them. Under the manifest's namespace each has its
web name, ``=LPSA.REWARD(...)`` for ``LPSA_REWARD``. Error values go back as Office.js error
entities (:mod:`lpsa_xl.excel.calls`), which the served JavaScript turns into
``CustomFunctions.Error``. Requests are checked before xlwings sees them: anything malformed is
a 4xx with one plain line, and :class:`~lpsa_xl.excel.guard.Guard` wraps the app (size limit,
optional key, ``Cache-Control: no-store``, access log).

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
from typing import Any

try:
    from fastapi import FastAPI, Request
    from fastapi.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.exceptions import HTTPException as StarletteHTTPException
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

# xlwings' call path tries ``from pyodide.ffi import JsNull`` for every argument (for xlwings
# Lite). Off Pyodide that import fails by searching sys.path each time, about 170 µs per
# argument; a None entry in sys.modules makes it fail at once (benchmarks/README.md, "Excel
# add-in").
if sys.platform != "emscripten" and importlib.util.find_spec("pyodide") is None:
    sys.modules.setdefault("pyodide", None)  # type: ignore[arg-type,unused-ignore]
from lpsa_xl.excel import macros
from lpsa_xl.excel.binding import from_excel, make_function
from lpsa_xl.excel.calls import (
    BadRequest,
    call_data,
    parse_batch,
    parse_call,
    run_batch,
    to_officejs,
)
from lpsa_xl.excel.deploy import Settings, base_url, host_is_valid, manifest_xml
from lpsa_xl.excel.guard import Guard
from lpsa_xl.excel.settings import register_url
from lpsa_xl.functions.registry import FUNCTIONS, ExcelFunction
from lpsa_xl.functions.spelling import NAMESPACE, WEB_NAMES

__all__ = [
    "BATCH_PATH",
    "CALL_PATH",
    "NAMESPACE",
    "WEB_NAMES",
    "app",
    "call_data",
    "create_app",
    "functions",
    "scripts",
    "to_officejs",
]

CALL_PATH = "/xlwings/custom-functions-call"
#: One request for many calls (the served client batches a recalculation's calls).
BATCH_PATH = "/xlwings/custom-functions-batch"
STATIC = Path(__file__).with_name("static")
_PAGE_TYPES = {".js": "text/javascript; charset=utf-8", ".png": "image/png"}


def _call(fn: ExcelFunction, args: tuple[object, ...]) -> object:
    result = fn(*(from_excel(a) for a in args))
    shown = f"{NAMESPACE}.{WEB_NAMES[fn.name]}"
    return to_officejs(result if isinstance(result, list) else [[result]], fn.name, shown)


def _custom_function(fn: ExcelFunction) -> Any:
    func = make_function(fn, _call)
    func.__module__ = __name__
    for arg in fn.args:
        func = xws.arg(arg.name, "raw", doc=arg.doc)(func)
    return xws.func(name=WEB_NAMES[fn.name])(xws.ret("raw")(func))


#: The custom functions, as the module-like object xlwings' call path looks functions up in.
functions = types.SimpleNamespace(**{n: _custom_function(f) for n, f in FUNCTIONS.items()})


# The scripts: the same code as the classic macros (lpsa_xl.excel.macros).
@xws.script(name="Calculate")
def calculate(book: xw.Book) -> None:
    """Fill the computed columns of the targets table and the agreement totals."""
    macros.calculate(book)


@xws.script(name="Validate")
def validate(book: xw.Book) -> None:
    """Recompute every target and write the findings sheet (against the agreements register
    when the server's LPSA_XL_REGISTER names one)."""
    macros.validate(book, register_url(book, server=True))


@xws.script(name="Build claim")
def build_claim(book: xw.Book) -> None:
    """Fill the Claim sheet's payment plan from the targets."""
    macros.build_claim(book)


scripts = types.SimpleNamespace(calculate=calculate, validate=validate, build_claim=build_claim)


def _meta() -> dict[str, Any]:
    return xws.custom_functions_meta(functions)


def functions_code(base: str = "", key: str | None = None) -> str:
    """The custom functions' JavaScript: lpsa-xl's client, then one binding per function."""
    code = (STATIC / "functions.js").read_text(encoding="utf-8")
    for marker, value in (("@BASE_URL@", base), ("@BATCH_PATH@", BATCH_PATH),
                          ("@KEY@", key or "")):  # fmt: skip
        code = code.replace(marker, json.dumps(value)[1:-1])
    for name in FUNCTIONS:
        code += f'CustomFunctions.associate("{name}", (...a) => lpsaCall("{name}", a));\n'
    return code


def _book_payload(data: object) -> dict[str, Any]:
    """The book JSON the task pane sends, checked for the parts xlwings reads."""
    if not isinstance(data, dict):
        raise BadRequest("the workbook must be sent as a JSON object")
    if not isinstance(data.get("book"), dict):
        raise BadRequest("the workbook sent lacks its book part (name, active sheet)")
    sheets = data.get("sheets")
    if not isinstance(sheets, list) or not sheets:
        raise BadRequest("the workbook sent has no sheets")
    for i, sheet in enumerate(sheets, start=1):
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
            raise BadRequest(f"sheet {i} of the workbook sent has no name")
        values = sheet.get("values")
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise BadRequest(f"sheet {sheet['name']!r}: values must be rows of cells")
        for part in ("tables", "pictures", "shapes", "charts", "notes", "pivot_tables"):
            if not isinstance(sheet.setdefault(part, []), list):
                raise BadRequest(f"sheet {sheet['name']!r}: {part} must be a list")
        sheet.setdefault("visibility", "Visible")
        sheet.setdefault("print_area", None)
        sheet.setdefault("show_gridlines", True)
    names = data.setdefault("names", [])
    if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
        raise BadRequest("the workbook's names must be a list of objects")
    data["client"] = "Office.js"
    data["version"] = xw.__version__
    return data


def _plain(text: str, status: int) -> PlainTextResponse:
    """A one-line plain-text answer (what a client shows as the reason)."""
    return PlainTextResponse((text.strip().splitlines() or [""])[0] + "\n", status_code=status)


async def _json(request: Request) -> object:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the request body is not JSON") from None


def create_app(settings: Settings | None = None) -> Any:
    """The add-in's app: the functions, the scripts and the add-in's pages, inside the
    :class:`~lpsa_xl.excel.guard.Guard` (size limit, key, headers, access log). Settings come
    from the environment (:class:`~lpsa_xl.excel.deploy.Settings`) unless given."""
    settings = settings or Settings.from_env()
    api = FastAPI(title="lpsa-xl", docs_url=None, redoc_url=None, openapi_url=None)

    def base(request: Request) -> str:
        headers = {k.lower(): v for k, v in request.headers.items()}
        if settings.trust_proxy and not settings.public_url:
            host = headers.get("x-forwarded-host", "").split(",")[0].strip()
            if host and not host_is_valid(host):
                raise BadRequest("X-Forwarded-Host is not a host name")
        return base_url(settings, request.url.scheme, headers.get("host"), headers)

    def key_of(request: Request) -> str | None:
        """The shared key when the request carries the right one (a query parameter, as the
        manifest's URLs do), else None."""
        import hmac

        given = request.query_params.get("key")
        if settings.key and given and hmac.compare_digest(given.encode(), settings.key.encode()):
            return settings.key
        return None

    async def run_one(data: dict[str, Any]) -> object:
        return await xws.custom_functions_call(data, functions)

    @api.get("/xlwings/custom-functions-meta")
    async def custom_functions_meta() -> dict[str, Any]:
        return _meta()

    @api.get("/xlwings/custom-functions-code")
    async def custom_functions_code(request: Request) -> Response:
        code = functions_code(base(request), key_of(request))
        return Response(code, media_type="text/javascript; charset=utf-8")

    @api.post(CALL_PATH)
    async def custom_functions_call(request: Request) -> dict[str, Any]:
        return {"result": await run_one(parse_call(await _json(request)))}

    @api.post(BATCH_PATH)
    async def custom_functions_batch(request: Request) -> dict[str, Any]:
        return {"results": await run_batch(parse_batch(await _json(request)), run_one)}

    @api.get("/xlwings/custom-scripts-meta")
    async def custom_scripts_meta() -> list[dict[str, Any]]:
        return xws.custom_scripts_meta(scripts)

    @api.post("/xlwings/custom-scripts-call/{script_name}")
    async def custom_scripts_call(script_name: str, request: Request) -> Any:
        if not isinstance(getattr(scripts, script_name, None), types.FunctionType):
            raise BadRequest(f"there is no script named {script_name[:64]!r}", status=404)
        data = _book_payload(await _json(request))
        try:
            book = xw.Book(json=data)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            raise BadRequest("the workbook sent is not in the shape the task pane sends") from None
        try:
            book = await xws.custom_scripts_call(
                scripts, script_name, typehint_to_value={xw.Book: book}
            )
            return book.json()
        finally:
            book.close()

    @api.get("/manifest.xml")
    async def manifest(request: Request) -> Response:
        key = key_of(request)
        if settings.key and key is None:
            return _plain("this server needs the organisation's key: ask your administrator "
                          "for the manifest", 401)  # fmt: skip
        xml = manifest_xml(settings, base(request), NAMESPACE, key)
        return Response(xml, media_type="application/xml; charset=utf-8")

    def page(name: str, request: Request) -> HTMLResponse:
        html = (STATIC / name).read_text(encoding="utf-8")
        key = key_of(request)
        return HTMLResponse(html.replace("@KEY_QUERY@", f"?key={key}" if key else ""))

    @api.get("/taskpane.html")
    async def taskpane(request: Request) -> HTMLResponse:
        return page("taskpane.html", request)

    @api.get("/functions.html")
    async def functions_page(request: Request) -> HTMLResponse:
        return page("functions.html", request)

    @api.get("/static/{name}")
    async def static(name: str) -> Response:
        path = STATIC / name
        media = _PAGE_TYPES.get(path.suffix)
        if path.parent != STATIC or not path.is_file() or media is None:
            raise StarletteHTTPException(404)
        return Response(path.read_bytes(), media_type=media)

    @api.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> PlainTextResponse:  # no traceback out
        return _plain("the lpsa-xl server failed on this request; the reason is in its log", 500)

    @api.exception_handler(BadRequest)
    async def bad_request(_: Request, exc: BadRequest) -> PlainTextResponse:
        return _plain(exc.reason, exc.status)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> PlainTextResponse:
        text = {404: "not found", 405: "this address does not take that method"}.get(
            exc.status_code, "the request was refused")  # fmt: skip
        return _plain(text, exc.status_code)

    return Guard(api, settings)


app = create_app()

if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(_meta(), indent=1))
