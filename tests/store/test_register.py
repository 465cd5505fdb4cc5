"""The agreements register on a real SQLite file and a real PostgreSQL server: agreements from
template returns, council layouts and agreements tables; versions; in force on a date;
removal; a failed or interrupted import changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from lpsa_xl.files.errors import WorkbookError
from lpsa_xl.store import open_store, register
from lpsa_xl.store.db import StoreError
from lpsa_xl.store.sources import read_agreements
from tests._returns import council_book

EXAMPLES = Path(__file__).resolve().parents[2] / "workbooks" / "examples"

HEADER = (
    "authority,scheme,nbr,stated_potential,period_start,period_end,partners,"
    "ref,parent,measure,expected,target,weight,potential"
)
FIRST = (
    'Northshire,LPSA1,"£143,117,800","£3,577,945.13",2003-04-01,2006-03-31,'
    '"County: 0.8; Districts: 0.2",1,,GCSEs,40.1,40.18,,'
)
TABLE = f"""{HEADER}
{FIRST}
Northshire,,,,,,,2,,Burglaries,4200,3800,,
Northshire,,,,,,,3,,,,,,
Northshire,,,,,,,3a,3,Quitters A,900,1100,0.75,
Northshire,,,,,,,3b,3,Quitters B,40,60,0.25,
Southdale,LPSA2,98000000,,,,,S1,,Reading,72,80,,
"""


def _table(tmp_path: Path, body: str = TABLE, name: str = "agreements.csv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_template_return_is_registered_as_agreed(store_url: str) -> None:
    store = open_store(store_url)
    agreed = read_agreements(EXAMPLES / "northshire_lpsa1.xlsx")
    [(stored, outcome)] = register.add(store, agreed)
    assert outcome == register.NEW and stored.version == 1
    [back] = register.versions(store, "NORTHSHIRE county council (fictional)")
    assert back == stored
    assert back.nbr == Decimal("143117800") and back.scheme == "LPSA1"
    assert back.lines[0].expected == Decimal("40.1") and back.lines[0].target == Decimal("40.2")
    assert dict(back.partners) == {
        "County council": Decimal("0.8"),
        "District councils": Decimal("0.2"),
    }
    assert back.source == "northshire_lpsa1.xlsx" and len(back.source_hash) == 64
    assert back.in_force_from == back.period_start  # a first version: from the period's start
    # what was registered computes as the return does
    assert back.to_agreement().total_potential == agreed[0].to_agreement().total_potential


def test_council_layout_goes_through_the_compute_reading(store_url: str, tmp_path: Path) -> None:
    rows = [
        ["1", "GCSEs", "N", 40.1, 40.18, None, 300000, None],
        ["3a", "Quitters A", "N", 900, 1100, None, 270000, None],
        ["3b", "Quitters B", "N", 40, 60, None, 30000, None],
    ]
    book = council_book(tmp_path / "northmoor.xlsx", rows, title_rows={"Authority": "Northmoor"})
    [agreed] = read_agreements(book)
    store = open_store(store_url)
    register.add(store, [agreed])
    [back] = register.versions(store, "Northmoor")
    lines = {(ln.parent, ln.ref): ln for ln in back.lines}
    assert lines[("", "1")].target == Decimal("40.18")
    assert lines[("3", "3a")].potential == Decimal("270000")
    assert set(lines) == {("", "1"), ("", "3"), ("3", "3a"), ("3", "3b")}


def test_agreements_table_csv_one_row_per_target(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    found = read_agreements(_table(tmp_path))
    assert [a.authority for a in found] == ["Northshire", "Southdale"]
    register.add(store, found)
    [north] = register.versions(store, "northshire")
    assert north.stated_potential == Decimal("3577945.13")
    assert str(north.stated_potential) == "3577945.13"
    assert north.lines[0].target == Decimal("40.18") and str(north.lines[0].target) == "40.18"
    assert [(ln.parent, ln.ref, ln.weight) for ln in north.lines[2:]] == [
        ("", "3", None),
        ("3", "3a", Decimal("0.75")),
        ("3", "3b", Decimal("0.25")),
    ]
    assert north.partners == (("County", Decimal("0.8")), ("Districts", Decimal("0.2")))
    assert north.period_end == dt.date(2006, 3, 31)
    assert [a.authority for a in register.latest_all(store)] == ["Northshire", "Southdale"]


def test_agreements_table_xlsx_problems_name_the_cell(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Agreements"
    ws.append(["Authority", "Scheme", "NBR", "Ref", "Expected", "Target"])
    ws.append(["Northshire", "LPSA1", 143117800, "1", 40.1, 40.2])
    ws.append(["Northshire", None, None, "2", "forty", 3800])
    wb.save(tmp_path / "agreements.xlsx")
    with pytest.raises(WorkbookError) as caught:
        read_agreements(tmp_path / "agreements.xlsx")
    message = str(caught.value)
    assert message.startswith("agreements.xlsx, sheet Agreements, cell E3: Expected")
    assert "forty" in message


@pytest.mark.parametrize(
    "change, message",
    [
        (('LPSA1,"£143', 'LPSA2,"£143'), None),
        ((",2,,Burglaries,", ",1,,Burglaries,"), "duplicate target reference 1"),
        (
            ("Northshire,,,,,,,2", "Northshire,LPSA2,,,,,,2"),
            "row 3, column scheme: scheme 'LPSA2' differs",
        ),
        ((",0.75,", ",0.5,"), "weights"),
    ],
)
def test_agreements_table_errors(
    tmp_path: Path, change: tuple[str, str], message: str | None
) -> None:
    body = TABLE.replace(*change)
    assert body != TABLE
    if message is None:
        assert read_agreements(_table(tmp_path, body))[0].scheme == "LPSA2"
        return
    with pytest.raises(WorkbookError, match=message):
        read_agreements(_table(tmp_path, body))


def test_renegotiation_is_a_new_version_and_in_force_by_date(
    store_url: str, tmp_path: Path
) -> None:
    store = open_store(store_url)
    first = read_agreements(_table(tmp_path))
    register.add(store, first)
    assert [o for _a, o in register.add(store, first)] == [register.UNCHANGED] * 2
    renegotiated = read_agreements(_table(tmp_path, TABLE.replace("40.1,40.18", "40.1,40.3")))
    done = register.add(store, renegotiated[:1], in_force_from=dt.date(2005, 1, 1))
    assert [(a.version, o) for a, o in done] == [(2, register.RENEGOTIATED)]
    versions = register.versions(store, "Northshire")
    assert [(v.version, v.lines[0].target) for v in versions] == [
        (1, Decimal("40.18")),
        (2, Decimal("40.3")),
    ]
    assert register.in_force(store, "Northshire", dt.date(2004, 12, 31)).version == 1
    assert register.in_force(store, "Northshire", dt.date(2005, 1, 1)).version == 2
    assert register.in_force(store, "Northshire", dt.date(2003, 3, 31)) is None  # before it began
    on = register.in_force_all(store, dt.date(2004, 6, 1))
    assert on["northshire"].version == 1
    assert "southdale" not in on  # no period given: in force from the day it was registered
    now = register.in_force_all(store)
    assert now["northshire"].version == 2 and now["southdale"].version == 1


def test_remove_one_version_or_all(store_url: str, tmp_path: Path) -> None:
    store = open_store(store_url)
    register.add(store, read_agreements(_table(tmp_path)))
    register.add(store, read_agreements(_table(tmp_path, TABLE.replace("40.18", "40.3")))[:1])
    assert register.remove(store, "northshire", version=1) == 1
    assert [v.version for v in register.versions(store, "Northshire")] == [2]
    assert register.remove(store, "Northshire") == 1
    assert register.remove(store, "Nowhere") == 0
    assert [a.authority for a in register.latest_all(store)] == ["Southdale"]


def _contents(store_url: str) -> list[tuple[object, ...]]:
    store = open_store(store_url)
    with store.reading() as conn:
        rows = [
            tuple(r)
            for table in ("agreements", "agreement_lines", "agreement_partners")
            for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))
        ]
    store.close()
    return rows


def test_a_failure_part_way_through_an_import_changes_nothing(
    store_url: str, tmp_path: Path
) -> None:
    store = open_store(store_url)
    register.add(store, read_agreements(EXAMPLES / "southdale_lpsa1.xlsx"))
    before = _contents(store_url)
    batch = read_agreements(_table(tmp_path))

    def fail_after_first(_stored: object) -> None:
        raise StoreError("the second agreement could not be written")

    with pytest.raises(StoreError):
        register.add(store, batch, after_each=fail_after_first)
    assert _contents(store_url) == before


def test_a_connection_lost_mid_import_changes_nothing(postgres_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The server ends the session (as when the network or the server goes) after the first
    agreement is written: the transaction is gone, and so is everything it wrote."""
    url = postgres_server.new_database()
    store = open_store(url)
    register.add(store, read_agreements(EXAMPLES / "southdale_lpsa1.xlsx"))
    before = _contents(url)
    database = store.url.database

    def lose_the_connection(_stored: object) -> None:
        with postgres_server.admin() as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
        assert ended

    with pytest.raises(StoreError, match="registering agreements failed") as caught:
        register.add(store, read_agreements(_table(tmp_path)), after_each=lose_the_connection)
    assert "\n" not in str(caught.value)
    store.close()
    assert _contents(url) == before


def test_what_a_return_achieved_is_not_part_of_its_agreement(tmp_path: Path) -> None:
    from lpsa_xl.returns.templates import example_data
    from tests.check_returns import good_return

    data = example_data("northshire_lpsa1.json")
    path = good_return(tmp_path / "r.xlsx", data, claims={("Targets", "M5"): "n/a"})
    [agreed] = read_agreements(path)
    assert agreed.lines[0].target == Decimal("40.2")
