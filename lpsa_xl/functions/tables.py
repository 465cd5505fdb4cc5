"""The array functions' bodies: ``LPSA_SCHEDULE`` (the reward schedule of a whole targets
table), ``LPSA_LINE_POTENTIAL`` (one line's share, split as the schedule splits it) and
``LPSA_INSTALMENTS`` (the payment plan). An error value in an input cell passes through as
that error (:class:`~lpsa_xl.functions.base.ErrorInput`)."""

from __future__ import annotations

import functools
from decimal import Decimal

from lpsa_xl import rules
from lpsa_xl.functions.base import ErrorInput
from lpsa_xl.rules.errors import InputError
from lpsa_xl.values import ExcelError

__all__ = ["INSTALMENTS_HEADER", "SCHEDULE_HEADER", "instalment_table", "line_potential",
           "schedule_table"]

SCHEDULE_HEADER = [
    "ref",
    "potential",
    "stretch",
    "achievement",
    "payable",
    "reward",
    "status",
    "trigger",
]
INSTALMENTS_HEADER = ["year", "kind", "paid", "capital", "revenue"]


def schedule_table(
    table: object, potential_total: object = None, scheme: object = None
) -> list[list[object]]:
    """``LPSA_SCHEDULE``: the reward schedule of a targets table that has its header row.

    Headers name the fields (``ref``, ``expected``, ``target``, ``actual`` and optionally
    ``potential``, ``weight``, ``parent``, ``direction``; case and spaces ignored). Without a
    potential column the ``potential_total`` is split equally among the targets
    (docs/rules.md#split).
    """
    rows = _rows(table)
    if len(rows) < 2:
        raise InputError("needs a header row and at least one target row", field="table")
    header = [str(h or "").strip() for h in rows[0]]
    keys = [rules.table.column_key(h) for h in header if h]
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if doubled:
        raise InputError(f"the header row names {', '.join(doubled)} more than once", field="table")
    records = []
    for row in rows[1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue  # blank rows at the foot of a selected range
        for value in row:
            if isinstance(value, ExcelError):
                raise ErrorInput(value)
        records.append(dict(zip(header, row)))
    agreement = rules.Agreement(
        authority="",
        scheme=scheme or rules.schemes.DEFAULT_SCHEME,
        stated_potential=potential_total,
        targets=rules.targets_from_rows(records),
    )
    result = rules.assess(agreement)
    out: list[list[object]] = [list(SCHEDULE_HEADER)]
    for line in result.lines:
        out.append(
            [
                line.ref,
                line.potential,
                line.stretch,
                line.achievement,
                line.payable,
                line.reward,
                line.status,
                line.trigger,
            ]
        )
    return [[("" if v is None else v) for v in row] for row in out]


def _rows(table: object) -> list[list[object]]:
    """A range as rows: Excel hands over a list of row lists (or tuples); a single row may
    come flat, and a single cell as itself."""
    if not isinstance(table, (list, tuple)):
        return [[table]]
    if table and not any(isinstance(r, (list, tuple)) for r in table):
        return [list(table)]  # one flat row
    return [list(r) if isinstance(r, (list, tuple)) else [r] for r in table]


def line_potential(
    ref: object,
    refs: object,
    parents: object,
    weights: object,
    stated: object,
    total: object = None,
    scheme: object = None,
) -> object:
    """``LPSA_LINE_POTENTIAL``: one line's potential from the whole targets table's columns,
    split exactly as the core splits it (stated potentials win, parts add back exactly)."""
    columns = [
        _column(c, name)
        for c, name in (
            (refs, "refs"),
            (parents, "parents"),
            (weights, "weights"),
            (stated, "stated"),
        )
    ]
    if len({len(c) for c in columns}) != 1:
        raise InputError(
            "refs, parents, weights and stated must be columns of one table", field="refs"
        )
    key = (rules.convert.to_ref(ref),)  # one-tuple: compared with line refs below
    split = _split_table(tuple(tuple(c) for c in columns), total, scheme)
    for _, line_ref, pot in split:
        if line_ref == key[0]:
            return pot
    parts = [pot for parent, _, pot in split if parent == key[0]]
    if parts:  # a target split into sub-targets: the sum of its parts
        return sum(parts, Decimal(0))
    raise InputError(f"{key[0]!r} is not in the refs column", field="ref")


def _column(values: object, name: str) -> list[object]:
    rows = _rows(values)
    if len(rows) > 1 and any(len(r) != 1 for r in rows):
        raise InputError("expected a single column", field=name)
    flat = rows[0] if len(rows) == 1 else [r[0] for r in rows]
    for value in flat:
        if isinstance(value, ExcelError):
            raise ErrorInput(value)
    return flat


@functools.lru_cache(maxsize=64)
def _split_table(
    columns: tuple[tuple[object, ...], ...], total: object, scheme: object
) -> list[tuple[str, str, Decimal]]:
    """The split of one table, cached: every row of a table asks for the same split."""
    refs, parents, weights, stated = columns
    tops: dict[str, dict[str, object]] = {}
    subs: dict[str, list[rules.Portion]] = {}
    order: list[str] = []
    for ref, parent, weight, pot in zip(refs, parents, weights, stated):
        r, p = rules.convert.to_ref(ref), rules.convert.to_ref(parent)
        if not r:
            continue
        amount = rules.convert.to_decimal_or_none(pot, "stated")
        if p:
            subs.setdefault(p, []).append(
                rules.Portion(r, amount, None if weight == "" else weight)
            )
            if p not in tops and p not in order:
                order.append(p)
        else:
            tops[r] = {"stated": amount}
            if r not in order:
                order.append(r)
    portions = [
        rules.Portion(
            r,
            tops.get(r, {}).get("stated"),
            None,  # type: ignore[arg-type]
            tuple(subs.get(r, ())),
        )
        for r in order
    ]
    blank = total is None or total == ""
    return rules.split_potentials(
        None if blank else total, portions, scheme or rules.schemes.DEFAULT_SCHEME
    )


def instalment_table(
    total: object, end_year: object, scheme: object = None, on_account: object = None
) -> list[list[object]]:
    """``LPSA_INSTALMENTS``: the payment plan by financial year, with capital and revenue."""
    plan = rules.instalments(total, end_year, scheme or rules.schemes.DEFAULT_SCHEME, on_account)
    out: list[list[object]] = [list(INSTALMENTS_HEADER)]
    out += [[p.year, p.kind, p.paid, p.capital, p.revenue] for p in plan]
    return out
