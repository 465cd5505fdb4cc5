"""The register rules: a return against the version of its agreement in force.

* LPSA025: a scheme, NBR, stated potential, or a line's expected, target, weight or potential
  that differs from the agreed figure: an error at that cell, naming the agreed value.
* LPSA026: a target in the return that the agreement does not have.
* LPSA027: an agreed target missing from the return.
* LPSA028: an authority the register does not have (a warning: nothing to compare with).

Figures compare as numbers (40.2 and 40.20 agree). A line is matched by its target and
sub-target references; a target split into sub-targets needs no row of its own. The rules run
in the parent process over each return's :class:`~lpsa_xl.check.stated.ReturnFigures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from lpsa_xl.check.book import LABELS
from lpsa_xl.check.findings import FileResult, Finding
from lpsa_xl.check.registry import RULES
from lpsa_xl.check.stated import ReturnFigures, Stated, StatedLine
from lpsa_xl.display import exact_money as money
from lpsa_xl.store.records import Agreed, AgreedLine, authority_key

__all__ = ["COMPARED", "missing_returns", "register_findings"]

#: The line figures compared with the agreement.
COMPARED = ("expected", "target", "weight", "potential")
_MONEY = ("nbr", "stated_potential", "potential")


def _shown(value: Decimal | str | None, name: str) -> str:
    if value is None:
        return "blank"
    if isinstance(value, Decimal):
        return money(value) if name in _MONEY else f"{value:f}"
    return str(value)


def _version(agreed: Agreed) -> str:
    since = f", in force from {agreed.in_force_from:%d/%m/%Y}" if agreed.in_force_from else ""
    return f"version {agreed.version}{since}"


def _differs(stated: Decimal | str | None, agreed: Decimal | None) -> bool:
    if not isinstance(stated, Decimal) and stated is not None:
        return False  # text in a figure cell: already an LPSA002 finding
    if stated is None or agreed is None:
        return stated is not agreed
    return stated != agreed


def register_findings(figures: ReturnFigures, agreed: Agreed | None) -> list[Finding]:
    """Findings of the register rules for one return (``agreed``: its agreement in force)."""
    if agreed is None:
        return [
            RULES["LPSA028"].at(
                figures.scheme.place if figures.scheme.sheet else None,
                f"{figures.authority or 'this authority'} is not in the agreements register: "
                "its figures could not be compared with what was agreed",
            )
        ]
    out: list[Finding] = []
    version = _version(agreed)
    if figures.scheme.value != agreed.scheme:
        assumed = "" if figures.scheme_given else " (assumed: the return gives none)"
        out.append(
            RULES["LPSA025"].at(
                figures.scheme.place,
                f"the scheme is {figures.scheme.value}{assumed} but the agreement "
                f"({version}) is {agreed.scheme}",
            )
        )
    for name in ("nbr", "stated_potential"):
        stated = figures.agreement.get(name)
        agreed_value: Decimal | None = getattr(agreed, name)
        if stated is None or agreed_value is None:
            if stated is not None and isinstance(stated.value, Decimal) and agreed_value is None:
                out.append(_differ(stated, name, None, version, ""))
            continue
        if _differs(stated.value, agreed_value):
            out.append(_differ(stated, name, agreed_value, version, ""))
    out.extend(_lines(figures, agreed, version))
    return out


def _differ(stated: Stated, name: str, agreed: Decimal | None, version: str, where: str) -> Finding:
    label = LABELS.get(name, name)
    head = f"{where}: {label}" if where else label[0].upper() + label[1:]
    agreed_text = "gives none" if agreed is None else f"says {_shown(agreed, name)}"
    return RULES["LPSA025"].at(
        stated.place,
        f"{head} is {_shown(stated.value, name)} but the agreement ({version}) {agreed_text}",
    )


def _match(line: StatedLine, agreed: dict[tuple[str, str], AgreedLine]) -> AgreedLine | None:
    found = agreed.get((line.parent, line.ref))
    if found is None and not line.parent:  # a return that does not say a line's parent
        candidates = [a for (p, r), a in agreed.items() if r == line.ref]
        found = candidates[0] if len(candidates) == 1 else None
    return found


def _lines(figures: ReturnFigures, agreed: Agreed, version: str) -> list[Finding]:
    out: list[Finding] = []
    lines = agreed.lines_by_ref()
    seen: set[tuple[str, str]] = set()
    split = {a.parent for a in agreed.lines if a.parent}
    for line in figures.lines:
        match = _match(line, lines)
        kind = "sub-target" if line.parent else "target"
        if match is None:
            out.append(
                RULES["LPSA026"].at(
                    line.place,
                    f"{kind} {line.label} (row {line.row}) is not in the agreement ({version}), "
                    f"whose targets are {', '.join(a.label for a in agreed.lines)}",
                )
            )
            continue
        seen.add((match.parent, match.ref))
        if match.ref in split and not match.parent:
            continue  # a split target's own row: its figures are its sub-targets'
        for name in COMPARED:
            stated = line.figures.get(name)
            agreed_value: Decimal | None = getattr(match, name)
            if stated is None:
                if agreed_value is not None and name in ("weight", "potential"):
                    cell = Stated(line.sheet, None, None)
                    out.append(_differ(cell, name, agreed_value, version, f"{kind} {line.label}"))
                continue
            if _differs(stated.value, agreed_value):
                out.append(_differ(stated, name, agreed_value, version, f"{kind} {line.label}"))
    stated_parents = {ln.parent for ln in figures.lines if ln.parent}
    for a in agreed.lines:
        key = (a.parent, a.ref)
        if key in seen or (a.ref in split and not a.parent and a.ref in stated_parents):
            continue
        kind = "sub-target" if a.parent else "target"
        out.append(
            RULES["LPSA027"].at(
                (figures.targets_sheet, None),
                f"agreed {kind} {a.label} ({a.measure or 'no measure named'}) is missing from "
                f"the return (agreement {version})",
            )
        )
    return out


def missing_returns(agreed: Mapping[str, Agreed], results: Iterable[FileResult]) -> list[str]:
    """The authorities in the register with no return among ``results``, by name."""
    have = {authority_key(r.authority) for r in results if r.authority}
    return sorted((a.authority for k, a in agreed.items() if k not in have), key=str.casefold)
