"""The table API: a DataFrame of targets in, the full reward schedule out (docs/rules.md).

pandas is imported only when a table is asked for, so the headless recalculation, which never
needs it, does not pay for importing it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from lpsa_xl.rules.convert import to_ref
from lpsa_xl.rules.errors import InputError
from lpsa_xl.rules.model import Agreement, SubTarget, Target
from lpsa_xl.rules.schedule import Line, assess

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "SCHEDULE_COLUMNS",
    "column_key",
    "lines_to_rows",
    "reward_schedule",
    "targets_from_rows",
]

#: Columns of a reward schedule, in order.
SCHEDULE_COLUMNS = [f.name for f in dataclasses.fields(Line)]

_FIELDS = {f.name for f in dataclasses.fields(SubTarget)}
_ALIASES = {
    "target_ref": "ref",
    "reference": "ref",
    "expected_without": "expected",
    "target_with": "target",
    "parent_ref": "parent",
    "sub_target_of": "parent",
}


def column_key(name: object) -> str:
    """The field a column header names: case, spaces and dashes ignored, aliases resolved."""
    key = "_".join(str(name).strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN, as pandas fills gaps
        return True
    return isinstance(value, str) and not value.strip()


def targets_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Target]:
    """Targets from one mapping per target or sub-target.

    Keys are field names of :class:`SubTarget` (case and spaces ignored), plus ``parent``: a
    row whose ``parent`` names another ref is a sub-target of that target. A target that has
    sub-targets needs no row of its own. Row numbers (from 1) are named in errors.
    """
    tops: dict[str, dict[str, Any]] = {}
    subs: dict[str, list[SubTarget]] = {}
    order: list[str] = []
    for number, raw in enumerate(rows, start=1):
        row = {column_key(k): (None if _blank(v) else v) for k, v in raw.items()}
        if row.get("ref") is None:
            raise InputError(f"row {number} has no ref", field="ref")
        ref = to_ref(row["ref"])
        parent = to_ref(row.get("parent"))
        data: dict[str, Any] = {k: v for k, v in row.items() if k in _FIELDS}
        data["ref"] = ref
        if parent:
            if parent not in tops and parent not in subs:
                order.append(parent)
            subs.setdefault(parent, []).append(SubTarget(**data))
        else:
            if ref in tops:
                raise InputError(f"duplicate target reference {ref}", field="ref")
            if ref not in subs:
                order.append(ref)
            tops[ref] = data
    targets = []
    for ref in order:
        if ref in subs:
            own = tops.get(ref, {"ref": ref})
            targets.append(Target(**own, subtargets=tuple(subs[ref])))
        else:
            targets.append(Target(**tops[ref]))
    return targets


def lines_to_rows(lines: Iterable[Line]) -> list[dict[str, Any]]:
    """Schedule lines as plain dicts, in :data:`SCHEDULE_COLUMNS` order."""
    return [dataclasses.asdict(line) for line in lines]


def reward_schedule(targets: pd.DataFrame, agreement: Agreement) -> pd.DataFrame:
    """The full reward schedule of a table of targets, one row per target or sub-target.

    ``targets`` has columns ``ref``, ``expected``, ``target``, ``actual`` and optionally
    ``potential``, ``weight``, ``parent`` (for sub-targets), ``direction``, ``measure``,
    ``theme``, ``value_per_unit``, ``interim_target``, ``interim_actual``. ``agreement`` gives
    the scheme and the total potential (its own targets are ignored). Every figure is a Decimal
    and equals what the scalar function of the same name gives for that row.
    """
    import pandas as pd

    result = assess(agreement.with_targets(targets_from_rows(targets.to_dict("records"))))
    return pd.DataFrame(lines_to_rows(result.lines), columns=SCHEDULE_COLUMNS)
