"""The returns history: each checked return recorded as a round of its authority, and what
changed between rounds.

:func:`record` writes a whole check run in one transaction; :func:`rounds_of` gives an
authority's rounds oldest first, with their figures; :func:`latest_rounds` the last round of
each authority (what "changed since last round" compares with); :func:`changes` the figures
that differ between two rounds.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection, func, insert, select

from lpsa_xl.store import register
from lpsa_xl.store.db import Store
from lpsa_xl.store.records import Round, authority_key
from lpsa_xl.store.schema import agreements, round_figures, round_findings, rounds

_FINDING_COLUMNS = ("round_id", "severity", "rule", "sheet", "cell", "message")

__all__ = ["Change", "changes", "latest_rounds", "names", "record", "rounds_of"]


@dataclass(frozen=True)
class Change:
    """A figure that differs between two rounds (``ref`` ``""`` for an agreement figure)."""

    ref: str
    field: str
    old: Decimal | None
    new: Decimal | None

    @property
    def label(self) -> str:
        return f"{self.ref} {self.field}" if self.ref else self.field

    def shown(self) -> str:
        def fmt(v: Decimal | None) -> str:
            return "blank" if v is None else f"{v:f}"

        return f"{self.label}: {fmt(self.old)} -> {fmt(self.new)}"

    def as_json(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "field": self.field,
            "old": None if self.old is None else f"{self.old:f}",
            "new": None if self.new is None else f"{self.new:f}",
        }


def changes(old: Round | None, new: Round) -> list[Change]:
    """Figures of ``new`` that differ from ``old`` (numerically: 40.2 and 40.20 are the same),
    in ``new``'s order, then figures ``old`` had and ``new`` has not."""
    if old is None:
        return []
    out = []
    for key, value in new.figures.items():
        before = old.figures.get(key)
        if (before is None) != (value is None) or (before is not None and before != value):
            out.append(Change(key[0], key[1], before, value))
    for key, before in old.figures.items():
        if key not in new.figures and before is not None:
            out.append(Change(key[0], key[1], before, None))
    return out


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)


def record(store: Store, items: Sequence[Round], *, at: _dt.datetime | None = None) -> list[Round]:
    """Record ``items`` (one check run) in one transaction; they get ``checked_at`` ``at``
    (default now) and are tied to their authority's agreement version when given. Four
    statements whatever the number of rounds: the agreements looked up, then the rounds, their
    figures and their findings each inserted as one batch."""
    when = at or _now()
    if not items:
        return []
    with store.writing("recording the round") as conn:
        keys = {item.key for item in items if item.agreement_version is not None}
        agreement_ids = {
            (key, version): id_
            for id_, key, version in conn.execute(
                select(agreements.c.id, agreements.c.authority_key, agreements.c.version).where(
                    agreements.c.authority_key.in_(sorted(keys))
                )
            )
        } if keys else {}  # fmt: skip
        heads = [
            {
                "authority_key": item.key,
                "authority": item.authority,
                "file_name": item.file_name,
                "file_hash": item.file_hash,
                "checked_at": when,
                "status": item.status,
                "scheme": item.scheme,
                "total_potential": item.total_potential,
                "total_reward": item.total_reward,
                "claimed_reward": item.claimed_reward,
                "errors": item.errors,
                "warnings": item.warnings,
                "agreement_id": agreement_ids.get((item.key, item.agreement_version)),
            }
            for item in items
        ]
        ids = (
            conn.execute(insert(rounds).returning(rounds.c.id, sort_by_parameter_order=True), heads)
            .scalars()
            .all()
        )
        figures = [
            {"round_id": round_id, "ref": ref, "field": name, "value": value}
            for round_id, item in zip(ids, items, strict=True)
            for (ref, name), value in item.figures.items()
        ]
        store.insert_many(conn, round_figures, figures, "recording the round")
        found = [
            dict(zip(_FINDING_COLUMNS, (round_id, *finding), strict=True))
            for round_id, item in zip(ids, items, strict=True)
            for finding in item.findings
        ]
        store.insert_many(conn, round_findings, found, "recording the round")
    return [replace(item, id=i, checked_at=when) for i, item in zip(ids, items, strict=True)]


def _load(conn: Connection, ids: Iterable[int]) -> list[Round]:
    ids = list(ids)
    if not ids:
        return []
    version = (
        select(agreements.c.version)
        .where(agreements.c.id == rounds.c.agreement_id)
        .scalar_subquery()
    )
    heads = {
        r.id: r
        for r in conn.execute(
            select(rounds, version.label("agreement_version")).where(rounds.c.id.in_(ids))
        )
    }
    figures: dict[int, dict[tuple[str, str], Decimal | None]] = {i: {} for i in ids}
    for r in conn.execute(
        select(round_figures).where(round_figures.c.round_id.in_(ids)).order_by(round_figures.c.id)
    ):
        figures[r.round_id][(r.ref, r.field)] = r.value
    found: dict[int, list[tuple[str, str, str | None, str | None, str]]] = {i: [] for i in ids}
    for r in conn.execute(
        select(round_findings)
        .where(round_findings.c.round_id.in_(ids))
        .order_by(round_findings.c.id)
    ):
        found[r.round_id].append((r.severity, r.rule, r.sheet, r.cell, r.message))
    out = []
    for i in ids:
        h = heads[i]
        out.append(
            Round(
                authority=h.authority,
                file_name=h.file_name,
                file_hash=h.file_hash,
                status=h.status,
                scheme=h.scheme,
                total_potential=h.total_potential,
                total_reward=h.total_reward,
                claimed_reward=h.claimed_reward,
                errors=h.errors,
                warnings=h.warnings,
                figures=figures[i],
                findings=tuple(found[i]),
                checked_at=h.checked_at,
                agreement_version=h.agreement_version,
                id=h.id,
            )
        )
    return out


def names(store: Store) -> dict[str, str]:
    """Every authority with a recorded round: key -> name as last recorded."""
    return register.names(store, rounds)


def rounds_of(store: Store, authority: str) -> list[Round]:
    """An authority's rounds, oldest first, with figures and findings."""
    with store.reading() as conn:
        ids = conn.execute(
            select(rounds.c.id)
            .where(rounds.c.authority_key == authority_key(authority))
            .order_by(rounds.c.checked_at, rounds.c.id)
        ).scalars()
        return _load(conn, list(ids))


def latest_rounds(store: Store, keys: Iterable[str] | None = None) -> dict[str, Round]:
    """The last round of each authority (of those with keys ``keys``, or all), by key."""
    with store.reading() as conn:
        query = select(func.max(rounds.c.id)).group_by(rounds.c.authority_key)
        wanted = None if keys is None else sorted(set(keys))
        if wanted is not None:
            if not wanted:
                return {}
            query = query.where(rounds.c.authority_key.in_(wanted))
        ids = [i for i in conn.execute(query).scalars() if i is not None]
        loaded = [
            r for start in range(0, len(ids), 500) for r in _load(conn, ids[start : start + 500])
        ]
    return {r.key: r for r in loaded}
