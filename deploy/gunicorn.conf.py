"""gunicorn settings for the lpsa-xl server behind an HTTPS reverse proxy (nginx.conf beside
this file): uvicorn workers on a local port, the proxy doing TLS.

    XLWINGS_LICENSE_KEY=... LPSA_PUBLIC_URL=https://lpsa.example.gov.uk \\
        gunicorn -c deploy/gunicorn.conf.py lpsa_xl.excel.server:app

Every lpsa-xl setting is an environment variable (README, "Deploying the server");
LPSA_BIND and LPSA_WORKERS below change where it listens and how many workers it runs.
"""

import multiprocessing
import os

bind = os.environ.get("LPSA_BIND", "127.0.0.1:8000")  # the proxy connects here
workers = int(os.environ.get("LPSA_WORKERS", str(max(2, multiprocessing.cpu_count()))))
worker_class = "uvicorn.workers.UvicornWorker"
timeout = 120  # a Validate of a large return is well under this
graceful_timeout = 30
keepalive = 75  # above the proxy's upstream keep-alive, so the proxy closes first
max_requests = 10_000  # recycle workers now and then
max_requests_jitter = 1_000
accesslog = None  # lpsa-xl writes its own structured access log (logger lpsa_xl.access)
errorlog = "-"
loglevel = "info"
# gunicorn's own forwarded-header handling stays off: lpsa-xl builds its URLs from
# LPSA_PUBLIC_URL, or from X-Forwarded-* only with LPSA_TRUST_PROXY=1
forwarded_allow_ips = ""


def post_worker_init(worker):  # noqa: ANN001, ANN201
    """lpsa-xl's access log and the reasons behind error values go to gunicorn's error log."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
