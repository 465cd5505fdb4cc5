"""The lpsa-xl server over real HTTP for tests: uvicorn on 127.0.0.1, on a free port the
operating system picks, in a thread of the test process, started and stopped by a context
manager (used by the fixtures of the server and JavaScript tests)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings Server, tests only


@contextmanager
def live_server(settings: object = None, app: object = None) -> Iterator[str]:
    """Serve ``create_app(settings)`` (or ``app``) and yield its base URL, e.g.
    ``http://127.0.0.1:41234``."""
    import uvicorn

    from lpsa_xl.excel.server import create_app

    if app is None:
        app = create_app(settings)  # type: ignore[arg-type]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # as `lpsa-xl excel serve` runs it: uvicorn's own proxy-header handling off, so only
    # the server's LPSA_TRUST_PROXY setting decides whether forwarded headers count
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           access_log=False, proxy_headers=False))  # fmt: skip
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
