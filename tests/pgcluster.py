"""A throw-away PostgreSQL cluster, for the store tests and the store benchmark.

``initdb`` into a temporary folder, ``pg_ctl start`` on a free port listening only on a unix
socket in that folder, from the PostgreSQL binaries (``/usr/lib/postgresql/*/bin``, or wherever
``pg_config --bindir`` says). PostgreSQL refuses to run as root, so under root the server runs
as the ``postgres`` system user (the Debian package makes it). :class:`Unavailable` says why a
cluster cannot be had (not installed, no such user, initdb or start failed).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Postgres", "Unavailable", "throwaway_cluster"]


class Unavailable(Exception):
    """No PostgreSQL cluster can be started here; the message says why."""


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidate = Path(out.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    return None


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Postgres:
    """A running throw-away cluster: its socket folder and port (user ``lpsa``, trust auth)."""

    folder: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://lpsa@/{database}?host={self.folder}&port={self.port}"

    def admin(self):  # type: ignore[no-untyped-def]
        """An autocommit psycopg connection to the ``postgres`` database."""
        import psycopg

        return psycopg.connect(
            host=str(self.folder), port=self.port, user="lpsa", dbname="postgres", autocommit=True
        )

    def new_database(self) -> str:
        """A fresh empty database's URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise Unavailable(
            "PostgreSQL refuses to run as root and there is no 'postgres' user"
        ) from None
    return ["runuser", "-u", "postgres", "--", *args]


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Postgres]:
    """A cluster for the duration of the block, then stopped and deleted."""
    bindir = _bindir()
    if bindir is None:
        raise Unavailable("PostgreSQL is not installed (no initdb found)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise Unavailable("psycopg is not installed") from None
    folder = Path(tempfile.mkdtemp(prefix="lpsa-pg-"))
    data = folder / "data"

    def run(args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(_as_server_user(args), capture_output=True, text=True, timeout=120)

    try:
        if os.geteuid() == 0:
            _as_server_user([])  # raises when there is no postgres user
            shutil.chown(folder, "postgres", "postgres")
        port = _free_port()
        init = run([str(bindir / "initdb"), "-D", str(data), "-U", "lpsa", "-A", "trust",
                    "--no-sync", "-E", "UTF8"])  # fmt: skip
        if init.returncode != 0:
            raise Unavailable(f"initdb failed: {init.stderr.strip()}")
        options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
        start = run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                     str(folder / "log"), "-w", "start"])  # fmt: skip
        if start.returncode != 0:
            log = (folder / "log").read_text() if (folder / "log").exists() else ""
            raise Unavailable(f"PostgreSQL did not start: {start.stderr.strip()} {log.strip()}")
        try:
            yield Postgres(folder, port)
        finally:
            run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
