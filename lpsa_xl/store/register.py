"""The agreements register: adding agreements (a renegotiation is a new version, never an
overwrite), listing them, the version in force on a date, and removing an authority's.

Every function takes an open :class:`~lpsa_xl.store.db.Store`; :func:`add` writes all the
agreements it is given in one transaction, so a failure part-way (a lost connection, a
constraint) leaves the register exactly as it was.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select

from lpsa_xl.store.db import Store, StoreError
from lpsa_xl.store.records import Agreed, AgreedLine, authority_key
from lpsa_xl.store.schema import agreement_lines, agreement_partners, agreements

__all__ = ["NEW", "RENEGOTIATED", "UNCHANGED", "add", "in_force", "in_force_all", "latest_all",
           "names", "remove", "versions"]  # fmt: skip

#: What :func:`add` did with each agreement.
NEW, RENEGOTIATED, UNCHANGED = "new", "renegotiated", "unchanged"

_LINE_COLUMNS = [f.name for f in fields(AgreedLine)]


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def add(
    store: Store,
    items: Sequence[Agreed],
    *,
    in_force_from: _dt.date | None = None,
    after_each: Callable[[Agreed], None] | None = None,
) -> list[tuple[Agreed, str]]:
    """Record ``items`` in one transaction: each as its authority's next version (``NEW`` or
    ``RENEGOTIATED``), or ``UNCHANGED`` when it is what the latest version already says.
    ``in_force_from``: when they came into force (default: the period's start for an
    authority's first version, else today). ``after_each(stored)`` runs after each write,
    inside the transaction (progress; tests lose the connection there)."""
    done: list[tuple[Agreed, str]] = []
    with store.writing("registering agreements") as conn:
        for item in items:
            if not item.key:
                raise StoreError(
                    f"{item.source or 'an agreement'}: the authority's name is missing"
                )
            latest = _latest(conn, item.key)
            digest = item.content_hash()
            if latest is not None and latest[1] == digest:
                done.append((_load(conn, [latest[0]])[0], UNCHANGED))
                continue
            version = 1 if latest is None else _version_of(conn, latest[0]) + 1
            start = in_force_from or (
                item.period_start if latest is None and item.period_start else _dt.date.today()
            )
            stored = item.stored(version=version, in_force_from=start, recorded_at=_now())
            _insert(conn, stored, digest)
            done.append((stored, NEW if latest is None else RENEGOTIATED))
            if after_each is not None:
                after_each(stored)
    return done


def _latest(conn: Connection, key: str) -> tuple[int, str] | None:
    row = conn.execute(
        select(agreements.c.id, agreements.c.content_hash)
        .where(agreements.c.authority_key == key)
        .order_by(agreements.c.version.desc())
        .limit(1)
    ).first()
    return None if row is None else (row.id, row.content_hash)


def _version_of(conn: Connection, agreement_id: int) -> int:
    return int(
        conn.execute(
            select(agreements.c.version).where(agreements.c.id == agreement_id)
        ).scalar_one()
    )


def _insert(conn: Connection, a: Agreed, digest: str) -> int:
    agreement_id = conn.execute(
        insert(agreements)
        .values(
            authority_key=a.key,
            authority=a.authority,
            version=a.version,
            in_force_from=a.in_force_from,
            scheme=a.scheme,
            period_start=a.period_start,
            period_end=a.period_end,
            nbr=a.nbr,
            nbr_year=a.nbr_year,
            stated_potential=a.stated_potential,
            pump_priming_grant=a.pump_priming_grant,
            source=a.source,
            source_hash=a.source_hash,
            content_hash=digest,
            recorded_at=a.recorded_at,
        )
        .returning(agreements.c.id)
    ).scalar_one()
    if a.lines:
        conn.execute(
            insert(agreement_lines),
            [
                {"agreement_id": agreement_id, "position": i, **line.__dict__}
                for i, line in enumerate(a.lines)
            ],
        )
    if a.partners:
        conn.execute(
            insert(agreement_partners),
            [
                {"agreement_id": agreement_id, "position": i, "partner": name, "share": share}
                for i, (name, share) in enumerate(a.partners)
            ],
        )
    return int(agreement_id)


def _load(conn: Connection, ids: Iterable[int]) -> list[Agreed]:
    """The agreements with these ids, lines and partners included, in the order given."""
    ids = list(ids)
    if not ids:
        return []
    heads = {r.id: r for r in conn.execute(select(agreements).where(agreements.c.id.in_(ids)))}
    lines: dict[int, list[AgreedLine]] = {i: [] for i in ids}
    for r in conn.execute(
        select(agreement_lines)
        .where(agreement_lines.c.agreement_id.in_(ids))
        .order_by(agreement_lines.c.agreement_id, agreement_lines.c.position)
    ):
        lines[r.agreement_id].append(AgreedLine(**{k: getattr(r, k) for k in _LINE_COLUMNS}))
    partners: dict[int, list[tuple[str, Any]]] = {i: [] for i in ids}
    for r in conn.execute(
        select(agreement_partners)
        .where(agreement_partners.c.agreement_id.in_(ids))
        .order_by(agreement_partners.c.agreement_id, agreement_partners.c.position)
    ):
        partners[r.agreement_id].append((r.partner, r.share))
    out = []
    for i in ids:
        h = heads[i]
        out.append(
            Agreed(
                authority=h.authority,
                scheme=h.scheme,
                lines=tuple(lines[i]),
                period_start=h.period_start,
                period_end=h.period_end,
                nbr=h.nbr,
                nbr_year=h.nbr_year,
                stated_potential=h.stated_potential,
                pump_priming_grant=h.pump_priming_grant,
                partners=tuple(partners[i]),
                version=h.version,
                in_force_from=h.in_force_from,
                source=h.source,
                source_hash=h.source_hash,
                recorded_at=h.recorded_at,
                id=h.id,
            )
        )
    return out


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _load_many(conn: Connection, ids: list[int]) -> list[Agreed]:
    return [a for chunk in _chunks(ids) for a in _load(conn, chunk)]


def names(store: Store, table: Table = agreements) -> dict[str, str]:
    """Every authority in the register (or with a row in ``table``): key -> name as written
    last."""
    with store.reading() as conn:
        rows = conn.execute(
            select(table.c.authority_key, table.c.authority).order_by(table.c.id)
        ).all()
    return {key: name for key, name in rows}


def versions(store: Store, authority: str) -> list[Agreed]:
    """Every version of an authority's agreement, oldest first."""
    with store.reading() as conn:
        ids = conn.execute(
            select(agreements.c.id)
            .where(agreements.c.authority_key == authority_key(authority))
            .order_by(agreements.c.version)
        ).scalars()
        return _load_many(conn, list(ids))


def latest_all(store: Store) -> list[Agreed]:
    """The latest version of every authority's agreement, by authority."""
    with store.reading() as conn:
        newest = (
            select(agreements.c.authority_key, func.max(agreements.c.version).label("v"))
            .group_by(agreements.c.authority_key)
            .subquery()
        )
        ids = conn.execute(
            select(agreements.c.id)
            .join(
                newest,
                (agreements.c.authority_key == newest.c.authority_key)
                & (agreements.c.version == newest.c.v),
            )
            .order_by(agreements.c.authority_key)
        ).scalars()
        return _load_many(conn, list(ids))


def in_force_all(store: Store, on: _dt.date | None = None) -> dict[str, Agreed]:
    """Each authority's version in force on ``on`` (default today), by authority key: the one
    with the latest ``in_force_from`` not after that date (the higher version on a tie)."""
    on = on or _dt.date.today()
    with store.reading() as conn:
        rows = conn.execute(
            select(agreements.c.id, agreements.c.authority_key)
            .where(agreements.c.in_force_from <= on)
            .order_by(agreements.c.authority_key, agreements.c.in_force_from, agreements.c.version)
        ).all()
        chosen = {key: i for i, key in rows}  # the last of each authority wins
        loaded = _load_many(conn, list(chosen.values()))
    return {a.key: a for a in loaded}


def in_force(store: Store, authority: str, on: _dt.date | None = None) -> Agreed | None:
    """The version of ``authority``'s agreement in force on ``on`` (default today), or None."""
    on = on or _dt.date.today()
    chosen = None
    for a in versions(store, authority):
        if (
            a.in_force_from is not None
            and a.in_force_from <= on
            and (
                chosen is None
                or (a.in_force_from, a.version) >= (chosen.in_force_from, chosen.version)
            )
        ):
            chosen = a
    return chosen


def remove(store: Store, authority: str, version: int | None = None) -> int:
    """Remove an authority's agreement (every version, or only ``version``): how many versions
    were removed. Recorded rounds stay, no longer tied to an agreement."""
    key = authority_key(authority)
    with store.writing("removing an agreement") as conn:
        where = agreements.c.authority_key == key
        if version is not None:
            where = where & (agreements.c.version == version)
        return int(conn.execute(delete(agreements).where(where)).rowcount or 0)
