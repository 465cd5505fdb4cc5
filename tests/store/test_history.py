"""The returns history on a real SQLite file and a real PostgreSQL server: rounds recorded in
one transaction, read back exactly, the last round of each authority, and what changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lpsa_xl.store import Agreed, Round, StoreError, open_store, register
from lpsa_xl.store import history as h

D = Decimal


def _round(figures: dict[tuple[str, str], Decimal | None], **kw: object) -> Round:
    base: dict[str, object] = {
        "authority": "Northshire",
        "file_name": "northshire.xlsx",
        "file_hash": "ab" * 32,
        "status": "findings",
        "scheme": "LPSA1",
        "total_potential": D("3577945.13"),
        "total_reward": D("2862356"),
        "claimed_reward": D("2862356.00"),
        "errors": 1,
        "figures": figures,
        "findings": (("error", "LPSA025", "Targets", "F7", "target (with) is 40.18 ..."),),
    }
    base.update(kw)
    return Round(**base)  # type: ignore[arg-type]


def test_rounds_round_trip_and_changes(store_url: str) -> None:
    store = open_store(store_url)
    register.add(store, [Agreed("Northshire", "LPSA1", stated_potential=D("3577945.13"))])
    figures = {("", "nbr"): D("143117800"), ("1", "target"): D("40.2"),
               ("1", "actual"): None, ("2", "target"): D("3800")}  # fmt: skip
    first = _round(figures, agreement_version=1)
    h.record(store, [first], at=dt.datetime(2006, 5, 1, 9, 0))
    second = _round({("", "nbr"): D("143117800"), ("1", "target"): D("40.18"),
                     ("1", "actual"): D("40.16")}, file_hash="cd" * 32)  # fmt: skip
    h.record(store, [second], at=dt.datetime(2006, 6, 1, 9, 0))
    got = h.rounds_of(store, "NORTHSHIRE")
    assert [r.checked_at for r in got] == [dt.datetime(2006, 5, 1, 9), dt.datetime(2006, 6, 1, 9)]
    assert got[0].figures == first.figures and got[0].agreement_version == 1
    assert got[0].total_potential == D("3577945.13") and str(got[0].total_potential) == "3577945.13"
    assert got[0].findings == first.findings
    assert got[1].agreement_version is None
    changed = [c.shown() for c in h.changes(got[0], got[1])]
    assert changed == [
        "1 target: 40.2 -> 40.18",
        "1 actual: blank -> 40.16",
        "2 target: 3800 -> blank",
    ]
    assert h.changes(None, got[0]) == []
    assert h.latest_rounds(store)["northshire"].file_hash == "cd" * 32
    assert h.latest_rounds(store, ["nobody"]) == {}


def test_equal_figures_written_differently_are_no_change() -> None:
    old = _round({("1", "target"): D("40.2")})
    assert h.changes(old, _round({("1", "target"): D("40.20")})) == []


def test_a_failed_recording_records_nothing(store_url: str) -> None:
    store = open_store(store_url)
    good = _round({("1", "target"): D("40.2")})
    bad = _round({("1", "target"): 40.2}, authority="Southdale")  # type: ignore[dict-item]
    with pytest.raises(StoreError):
        h.record(store, [good, bad])
    assert h.rounds_of(store, "Northshire") == [] and h.latest_rounds(store) == {}
    store.close()
