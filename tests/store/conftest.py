"""Real databases for the store tests: an SQLite file, and a throw-away PostgreSQL cluster
(:mod:`tests.pgcluster`) made once a session, each test getting a database of its own.

``store_url`` runs a test twice, on SQLite and on PostgreSQL; where PostgreSQL cannot be had
(not installed, or it will not start) the PostgreSQL half skips, saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgcluster import Postgres, Unavailable, throwaway_cluster

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    try:
        with throwaway_cluster() as server:
            yield server
    except Unavailable as exc:
        pytest.skip(f"the PostgreSQL store tests skip: {exc}")


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    server: Postgres = request.getfixturevalue("postgres_server")
    return server.new_database()
