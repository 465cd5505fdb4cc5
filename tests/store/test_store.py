"""The store itself, on a real SQLite file and a real PostgreSQL server: exact figures, the
packaged migrations, which database is used, one-line errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, insert, inspect, select, text

from lpsa_xl.store import db
from lpsa_xl.store.db import HEAD, StoreError, open_store, resolve_url
from lpsa_xl.store.schema import metadata
from lpsa_xl.store.types import Exact

FIGURES = ["40.18", "3577945.13", "0.1", "40.180", "-0.000001", "123456789012345678901234.5678"]


def test_figures_round_trip_exactly(store_url: str) -> None:
    store = open_store(store_url)
    table = Table("exact_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("value", Exact))  # fmt: skip
    with store.writing() as conn:
        table.create(conn)
        conn.execute(insert(table), [{"value": Decimal(v)} for v in FIGURES])
    with store.reading() as conn:
        got = conn.execute(select(table.c.value).order_by(table.c.id)).scalars().all()
    assert [str(v) for v in got] == FIGURES
    assert all(type(v) is Decimal for v in got)
    store.close()


def test_exact_column_refuses_floats(store_url: str) -> None:
    store = open_store(store_url)
    table = Table("float_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("value", Exact))  # fmt: skip
    with store.writing() as conn:
        table.create(conn)
    with pytest.raises(StoreError, match="must be a Decimal"), store.writing() as conn:
        conn.execute(insert(table).values(value=40.18))
    store.close()


def test_sqlite_keeps_figures_as_text_not_doubles(tmp_path: Path) -> None:
    """SQLite's NUMERIC affinity would make 40.18 a double: the column must hold text."""
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    from lpsa_xl.store import register
    from lpsa_xl.store.records import Agreed

    register.add(store, [Agreed("A", "LPSA1", stated_potential=Decimal("3577945.13"))])
    with store.reading() as conn:
        kind, value = conn.execute(
            text("SELECT typeof(stated_potential), stated_potential FROM agreements")
        ).one()
    assert (kind, value) == ("text", "3577945.13")


def test_migrations_make_every_table_and_record_the_version(store_url: str) -> None:
    store = open_store(store_url)
    with store.reading() as conn:
        assert db.current_version(conn) == HEAD
        found = inspect(conn)
        for table in metadata.sorted_tables:
            columns = {c["name"] for c in found.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
    store.close()
    store = open_store(store_url)  # a second open finds it up to date and changes nothing
    with store.reading() as conn:
        assert db.current_version(conn) == HEAD
    store.close()


def test_head_is_the_last_migration() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "lpsa_xl.store:migrations")
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == HEAD
    assert [s.revision for s in reversed(list(script.walk_revisions()))] == list(db.KNOWN)


def test_a_database_from_a_newer_lpsa_xl_is_refused(store_url: str) -> None:
    store = open_store(store_url)
    with store.writing() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="schema version 9999, written by a newer lpsa-xl"):
        open_store(store_url)


def test_which_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(db.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    default = resolve_url()
    assert default.drivername == "sqlite"
    assert Path(default.database).name == "lpsa-xl.db"
    assert "lpsa-xl" in Path(default.database).parts
    monkeypatch.setenv(db.ENV, "postgresql://someone:secret@example.org/register")
    from_env = resolve_url()
    assert from_env.drivername == "postgresql+psycopg" and from_env.database == "register"
    assert "secret" not in db.shown(from_env)
    assert resolve_url("sqlite:///x.db").database == "x.db"  # given beats the variable


def test_default_sqlite_file_is_created_in_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(db.ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    open_store().close()
    assert (tmp_path / "data" / "lpsa-xl" / "lpsa-xl.db").is_file()


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "is not a database URL"),
        ("mysql://u@h/d", "only SQLite and PostgreSQL"),
        ("postgresql://lpsa@/nowhere?host=/nonexistent-folder&port=1", "opening failed"),
    ],
)
def test_unusable_databases_are_one_line_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert "\n" not in str(caught.value) and "Traceback" not in str(caught.value)


def test_dates_round_trip(store_url: str) -> None:
    from lpsa_xl.store import register
    from lpsa_xl.store.records import Agreed

    store = open_store(store_url)
    start = dt.date(2003, 4, 1)
    register.add(store, [Agreed("A", "LPSA1", nbr=Decimal(1), period_start=start)])
    assert register.versions(store, "a")[0].in_force_from == start
    store.close()
