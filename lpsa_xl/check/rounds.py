"""``check --register`` and ``check --record``: the checked returns against the agreements
register, and recorded as rounds of the returns history.

:func:`use_store` runs in the parent process once every return is checked: it loads each
authority's agreement in force and the last round of each (two queries each, whatever the
number of returns), adds the register rules' findings (:mod:`lpsa_xl.check.against`) and the
figures changed since the last round to each result, and records the run as rounds in one
transaction. It returns the authorities in the register with no return among those checked.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence

from lpsa_xl.check.against import missing_returns, register_findings
from lpsa_xl.check.findings import ERROR, WARNING, FileResult, Finding
from lpsa_xl.check.registry import RULES
from lpsa_xl.check.stated import ReturnFigures, history_figures
from lpsa_xl.store import history, register
from lpsa_xl.store.db import Store
from lpsa_xl.store.records import Agreed, Round, authority_key

__all__ = ["against_register", "in_force", "last_rounds", "round_of", "use_store"]


def round_of(result: FileResult) -> Round | None:
    """A checked file as a round of its authority's history (None: nothing was read)."""
    if result.figures is None or not result.authority:
        return None
    s = result.summary
    totals = {}
    if s is not None:
        totals = {"total_potential": s.potential, "total_reward": s.reward,
                  "claimed_reward": s.claimed_reward}  # fmt: skip
    return Round(
        authority=result.authority,
        file_name=result.path.name,
        file_hash=result.file_hash,
        status=result.status,
        scheme=s.scheme if s else "",
        total_potential=s.potential if s else None,
        total_reward=s.reward if s else None,
        claimed_reward=s.claimed_reward if s else None,
        errors=result.count(ERROR),
        warnings=result.count(WARNING),
        figures=history_figures(result.figures, totals),
        findings=tuple((f.severity, f.rule, f.sheet, f.cell, f.message) for f in result.findings),
        agreement_version=result.agreement_version,
    )


def in_force(store: Store, on: _dt.date | None = None) -> dict[str, Agreed]:
    """Every authority's agreement in force on ``on`` (default today), by authority key."""
    return register.in_force_all(store, on)


def last_rounds(store: Store, agreed: Mapping[str, Agreed]) -> dict[str, Round]:
    """The last recorded round of each authority in ``agreed``, by authority key."""
    return history.latest_rounds(store, set(agreed))


def use_store(
    store: Store,
    results: Sequence[FileResult],
    *,
    with_register: bool,
    record: bool,
    on: _dt.date | None = None,
    agreed: Mapping[str, Agreed] | None = None,
    last: Mapping[str, Round] | None = None,
) -> list[str] | None:
    """Apply the register (``with_register``) and record the rounds (``record``); the
    authorities in the register with no return (None without a register). ``agreed`` and
    ``last``: the agreements in force and the last rounds of the authorities in the register,
    when already loaded (:func:`in_force`, :func:`last_rounds`)."""
    if agreed is None:
        agreed = in_force(store, on) if with_register else {}
    preloaded = last is not None
    last = dict(last or {})
    if with_register:
        known = set(agreed) if preloaded else set()  # the authorities whose last round is in
        keys = {authority_key(r.authority) for r in results if r.authority} - known
        last.update(history.latest_rounds(store, keys) if keys else {})
    rounds: list[Round] = []
    for r in results:
        if with_register and r.figures is not None:
            found = agreed.get(authority_key(r.authority))
            r.findings.extend(register_findings(r.figures, found))
            r.agreement_version = found.version if found else None
        item = round_of(r)
        if with_register:
            before = last.get(authority_key(r.authority))
            r.changes = [c.shown() for c in history.changes(before, item)] if item else []
        if item is not None:
            rounds.append(item)
    if record and rounds:
        history.record(store, rounds)
    return missing_returns(agreed, results) if with_register else None


def against_register(figures: ReturnFigures, url: str | None) -> list[Finding]:
    """The register rules for one return, its agreement looked up in the register at ``url``
    (None: ``LPSA_XL_DB`` or the user's own): what the Excel Validate button adds. A register
    that cannot be opened is an LPSA029 warning, not a failure."""
    from lpsa_xl.store.db import StoreError, open_store

    try:
        with open_store(url) as store:
            agreed = register.in_force(store, figures.authority)
    except StoreError as exc:
        return [RULES["LPSA029"].at(None, f"checked without the register: {exc}")]
    return register_findings(figures, agreed)
