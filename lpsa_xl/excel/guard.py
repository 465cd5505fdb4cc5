"""What the lpsa-xl server does around every request, as one ASGI middleware: the request-size
limit, the optional shared key, the cache and content-type headers, one structured access-log
line per request, and a plain one-line answer (never a traceback) when something fails.

* A body larger than ``Settings.max_body`` gets 413 before the app sees it (declared by
  ``Content-Length`` or counted while it arrives).
* With ``Settings.key`` set, the call routes (``POST`` under ``/xlwings/``) need
  ``Authorization: Bearer <key>``, else 401; the comparison takes constant time.
* Every dynamic answer carries ``Cache-Control: no-store`` (a proxy or browser must not keep a
  computed figure or a workbook); the icons may be cached for a day. All carry
  ``X-Content-Type-Options: nosniff``.
* The access log (logger ``lpsa_xl.access``) gets one JSON object per request: method, path
  (without the query, which may hold the key), status, bytes in and out, milliseconds. No
  body, no key, no cell value is ever logged.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from lpsa_xl.excel.deploy import Settings

__all__ = ["Guard", "plain"]

access_log = logging.getLogger("lpsa_xl.access")
log = logging.getLogger("lpsa_xl.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def plain(status: int, text: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """A one-line plain-text answer: status, headers, body."""
    body = (text.strip().splitlines() or [""])[0].encode("utf-8") + b"\n"
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(body)).encode())]  # fmt: skip
    return status, headers, body


class _TooLarge(Exception):
    pass


class Guard:
    """The middleware around the FastAPI app (see the module docstring)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _protected(self, scope: Scope) -> bool:
        return bool(self.settings.key) and scope["method"] == "POST" and str(
            scope["path"]).startswith("/xlwings/")  # fmt: skip

    def _authorised(self, scope: Scope) -> bool:
        key = self.settings.key or ""
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() == "bearer":
                    return hmac.compare_digest(token.strip().encode(), key.encode())
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 0, "out": 0, "in": 0}
        path = str(scope.get("path", ""))
        cache = b"public, max-age=86400" if path.endswith(".png") else b"no-store"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]  # fmt: skip
                headers += [(b"cache-control", cache), (b"x-content-type-options", b"nosniff")]
                message["headers"] = headers
            elif message["type"] == "http.response.body":
                state["out"] += len(message.get("body", b""))
            await send(message)

        async def answer(status: int, text: str) -> None:
            code, headers, body = plain(status, text)
            await send_with_headers({"type": "http.response.start", "status": code,
                                     "headers": headers})  # fmt: skip
            await send_with_headers({"type": "http.response.body", "body": body})

        try:
            declared = _content_length(scope)
            if declared is not None and declared > self.settings.max_body:
                await answer(413, f"the request is larger than the {self.settings.max_body} "
                                  "bytes this server accepts")  # fmt: skip
                return
            if self._protected(scope) and not self._authorised(scope):
                await answer(401, "this server needs the organisation's key: load the add-in "
                                  "from the manifest your administrator gave you")  # fmt: skip
                return
            try:
                body = await self._read_body(receive, state)
            except _TooLarge:
                await answer(413, f"the request is larger than the {self.settings.max_body} "
                                  "bytes this server accepts")  # fmt: skip
                return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
        except Exception:  # a bug: logged here with its traceback, one line to the client
            log.exception("%s %s failed", scope.get("method"), path)
            if not state["status"]:
                await answer(500, "the lpsa-xl server failed on this request; the reason is in "
                                  "its log")  # fmt: skip
        finally:
            access_log.info(json.dumps({
                "method": scope.get("method"), "path": path, "status": state["status"],
                "bytes_in": state["in"], "bytes_out": state["out"],
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "client": (scope.get("client") or [None])[0],
            }))  # fmt: skip

    async def _read_body(self, receive: Receive, state: dict[str, int]) -> bytes:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        state["in"] = size
        return b"".join(chunks)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
