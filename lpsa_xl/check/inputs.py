"""The input rules: required fields, numbers, directions, stretch, weights, references, the
designated-target limit, pump priming, the stated potential; and the core objects they build
(docs/rules.md). A row with bad input keeps its place in the split of the potential."""

from __future__ import annotations

import contextlib
import dataclasses
from decimal import Decimal

from lpsa_xl.check.book import (
    AGREEMENT_FIGURES,
    LABELS,
    NUMERIC_FIELDS,
    TEXT_FIELDS,
    Bad,
    BookState,
    Row,
    blank,
    rule_for,
    text,
    year_cell,
)
from lpsa_xl.check.compare import half_unit, within
from lpsa_xl.display import exact_money as money
from lpsa_xl.returns.model import FIGURE_FIELDS
from lpsa_xl.returns.scale import row_figures
from lpsa_xl.rules import (
    Agreement,
    InputError,
    LpsaError,
    PumpPrimingItem,
    Scheme,
    SubTarget,
    Target,
    UnknownSchemeError,
    WeightsError,
    assess,
    get_scheme,
    potential,
    pump_priming,
)
from lpsa_xl.rules.potential import weights_for

__all__ = ["InputChecks"]


class InputChecks(BookState):
    """Validate the inputs by building the core's own objects; recompute through assess."""

    def check_agreement(self) -> dict[str, object]:
        book = self.book
        values: dict[str, object] = {}
        authority = self.agreement_cell("authority")
        if blank(authority):
            self.add(
                "LPSA001",
                authority,
                "the authority's name is missing: no cell labelled 'Authority' or 'Council', "
                "no title naming a council, borough or county above the table, and none in "
                "the document properties",
            )
        values["authority"] = (
            "" if authority is None or authority.value is None else str(authority.value).strip()
        )
        for name in ("authority", "scheme"):
            source = book.sources.get(name)
            cell = self.agreement_cell(name)
            if source and cell is not None and not source.startswith("the labelled cell"):
                place = cell if cell.sheet else None
                self.add("LPSA024", place, f"the {name} {cell.value!r} is read from {source}")
        scheme_cell = self.agreement_cell("scheme")
        if blank(scheme_cell):
            self.add(
                "LPSA018",
                scheme_cell,
                "no scheme is given (no cell labelled 'Scheme', no LPSA1, LPSA2 or LAA in the "
                "title rows or document properties): LPSA1 is assumed",
            )
        else:
            assert scheme_cell is not None
            try:
                self.scheme = get_scheme(str(scheme_cell.value))
            except UnknownSchemeError as exc:
                self.add("LPSA017", scheme_cell, exc.reason)
        for name in AGREEMENT_FIGURES:
            try:
                values[name] = self.number(book.agreement.get(name), name)
            except Bad:
                values[name] = None
        for name in ("nbr_year", "period_start", "period_end"):
            cell = self.agreement_cell(name)
            values[name] = None if blank(cell) else cell.value  # type: ignore[union-attr]
        self.check_stated_potential(values)
        return values

    def check_stated_potential(self, values: dict[str, object]) -> None:
        stated, nbr = values.get("stated_potential"), values.get("nbr")
        if (
            not isinstance(stated, Decimal)
            or not isinstance(nbr, Decimal)
            or not self.scheme.pays_reward
        ):
            return
        try:
            computed = potential(nbr, self.scheme)
        except LpsaError:
            return  # a negative NBR: reported when the agreement is built
        if not within(stated, computed, half_unit(stated, whole_zeros=True)):
            self.add(
                "LPSA006",
                self.agreement_cell("stated_potential"),
                f"the stated potential {money(stated)} differs from "
                f"{self.scheme.nbr_rate * 100:g}% "
                f"of the NBR {money(nbr)}, which is {money(computed)}, by more than the "
                "rounding of the stated figure; the stated figure is used "
                "(docs/rules.md#potential)",
            )

    # -- target rows -------------------------------------------------------------------------

    def read_rows(self) -> None:
        for problem in self.book.problems:
            self.add("LPSA021", (problem.sheet, problem.cell), problem.reason)
        for warning in self.book.warnings:
            self.add("LPSA022", (warning.sheet, warning.cell), warning.reason)
        columns: dict[str, dict[str, str]] = {}
        for row in self.book.targets:
            for name, cell in (*row.fields.items(), *row.claimed.items()):
                letters = cell.coord.rstrip("0123456789").replace("$", "")
                columns.setdefault(row.sheet, {}).setdefault(name, letters)
        for row in self.book.targets:
            ref_cell, parent_cell = row.fields.get("ref"), row.fields.get("parent")
            ref, parent = text(ref_cell), text(parent_cell)
            checked = Row(row, ref, parent, columns=columns.get(row.sheet, {}))
            if not ref:
                self.add(
                    "LPSA001",
                    ref_cell or (row.sheet, None),
                    f"row {row.row} has figures but no target reference",
                )
                checked.bad = True
            unit = row.value("unit")
            reading = row_figures(row.fields, "" if unit is None else str(unit))
            checked.values.update({k: reading.figures.get(k) for k in FIGURE_FIELDS})
            for name, reason in reading.problems:
                self.add("LPSA002", checked.cell(name),
                         f"{self.label(name, checked.where())} {reason}")  # fmt: skip
                checked.bad = True
            for name, reason in reading.warnings:
                self.add("LPSA023", checked.cell(name), f"{checked.where()}: {reason}")
            try:
                checked.values["weight"] = self.number(
                    row.fields.get("weight"), "weight", checked.where()
                )
            except Bad:
                checked.values["weight"] = None
                checked.bad = True
            for name in TEXT_FIELDS:
                value = row.value(name)
                checked.values[name] = None if value is None else str(value).strip()
            self.rows.append(checked)

    def check_duplicates(self) -> None:
        seen: dict[tuple[str, str], Row] = {}
        for r in self.rows:
            if not r.ref:
                continue
            key = (r.parent, r.ref)
            first = seen.get(key)
            if first is None:
                seen[key] = r
                continue
            what = (
                f"sub-target reference {r.ref} of target {r.parent}"
                if r.parent
                else f"target reference {r.ref}"
            )
            self.add(
                "LPSA013",
                r.row.fields.get("ref"),
                f"{what} is used again (first on row {first.row.row}); each must be unique",
            )
            r.bad = True
            r.ref = (
                f"{r.ref} (row {r.row.row})"  # kept apart so the potential split stays as returned
            )

    def parents(self) -> set[str]:
        return {r.parent for r in self.rows if r.parent}

    def measured(self, r: Row, parent: Row | None) -> SubTarget:
        """The core's sub-target for a row (validating it), or a placeholder if the row is bad."""
        v = dict(r.values)
        if parent is not None:
            v["direction"] = v.get("direction") or parent.values.get("direction")
            v["theme"] = v.get("theme") or parent.values.get("theme")
        if not r.bad:
            missing = [n for n in ("expected", "target") if v.get(n) is None]
            for name in missing:
                self.add("LPSA001", r.cell(name), f"{r.where()}: the {LABELS[name]} is missing")
            r.bad = bool(missing)
        kind = SubTarget if r.parent else Target
        if not r.bad:
            try:
                return kind(ref=r.ref, **{k: v.get(k) for k in NUMERIC_FIELDS + TEXT_FIELDS})
            except LpsaError as exc:
                name = exc.field or "ref"
                self.add(rule_for(exc), r.cell(name), f"{r.where()}: {exc.reason}")
                r.bad = True
        return self.placeholder(kind, r)

    def placeholder(self, kind: type[SubTarget], r: Row) -> SubTarget:
        """A line that only keeps a bad row's place (and share) in the split of the potential."""
        share = {k: r.values.get(k) for k in ("weight", "potential")}
        try:
            return kind(
                ref=r.ref or f"row {r.row.row}",
                expected=0,
                target=1,
                theme=r.values.get("theme"),
                **share,
            )
        except LpsaError:
            if r.parent:
                self.untrusted.add(r.parent)
            return kind(
                ref=r.ref or f"row {r.row.row}", expected=0, target=1, theme=r.values.get("theme")
            )

    def build_targets(self) -> list[Target]:
        parents = self.parents()
        own = {r.ref: r for r in self.rows if not r.parent}
        order: list[str] = []
        subs: dict[str, list[Row]] = {}
        for r in self.rows:
            key = r.parent or r.ref or f"row {r.row.row}"
            if key not in order:
                order.append(key)
            if r.parent:
                subs.setdefault(r.parent, []).append(r)
        targets: list[Target] = []
        for key in order:
            if key not in parents:
                row = own.get(key) or next(
                    r for r in self.rows if not r.parent and (r.ref or f"row {r.row.row}") == key
                )
                line = self.measured(row, None)
                assert isinstance(line, Target)
                targets.append(line)
                self.line_rows.append(row)
                self.target_rows.append(row)
                continue
            head = own.get(key)
            lines = [self.measured(r, head) for r in subs[key]]
            lines = self.check_weights(key, subs[key], lines)
            target = self.parent_target(key, head, lines)
            targets.append(target)
            self.line_rows.extend(subs[key])
            self.target_rows.append(head or subs[key][0])
        return targets

    def check_weights(
        self, parent: str, rows: list[Row], lines: list[SubTarget]
    ) -> list[SubTarget]:
        weights = [line.weight for line in lines]
        try:
            weights_for(weights)
            return lines
        except WeightsError as exc:
            cell = next((r.row.fields["weight"] for r in rows if "weight" in r.row.fields), None)
            self.add("LPSA005", cell, f"target {parent}: sub-target {exc.reason}")
        except LpsaError as exc:
            self.add(rule_for(exc), rows[0].cell("weight"), f"target {parent}: {exc.reason}")
        self.untrusted.add(parent)
        return [dataclasses.replace(line, weight=None) for line in lines]

    def parent_target(self, ref: str, head: Row | None, lines: list[SubTarget]) -> Target:
        pot = head.values.get("potential") if head is not None else None
        theme = head.values.get("theme") if head is not None else None
        try:
            return Target(ref=ref, potential=pot, theme=theme, subtargets=tuple(lines))
        except LpsaError as exc:  # a bad potential on the head row
            assert head is not None
            self.add(
                rule_for(exc), head.cell(exc.field or "potential"), f"target {ref}: {exc.reason}"
            )
            self.untrusted.add(ref)
            return Target(ref=ref, theme=theme, subtargets=tuple(lines))

    def check_count(self, targets: list[Target]) -> Scheme:
        """LPSA012: the scheme's limit on designated targets; the scheme without it to go on."""
        limit = self.scheme.max_designated_targets
        if not limit or len(targets) <= limit:
            return self.scheme
        first_over = self.target_rows[limit]
        cell = first_over.cell("ref") if first_over is not None else None
        self.add(
            "LPSA012",
            cell,
            f"{len(targets)} designated targets; {self.scheme.name} allows at "
            f"most {limit} (target {targets[limit].ref} is the first beyond)",
        )
        return dataclasses.replace(self.scheme, max_designated_targets=0)

    # -- pump priming and the agreement -------------------------------------------------------

    def pump_items(self) -> list[PumpPrimingItem]:
        items = []
        for line in self.book.pump_priming:
            ref = text(line.get("ref"))
            year = text(year_cell(line))
            where = f"pump priming {ref or 'agreement'} {year}".strip()
            try:
                budget = self.number(line.get("budget"), "budget", where)
                spend = self.number(line.get("spend"), "spend", where)
            except Bad:
                continue
            if budget is None:
                continue
            try:
                items.append(PumpPrimingItem(ref, year, budget, spend or Decimal(0)))
            except LpsaError as exc:
                self.add(rule_for(exc), line.get(exc.field or "budget"), f"{where}: {exc.reason}")
                continue
            if pump_priming(budget, spend).overspent:
                self.add(
                    "LPSA014",
                    line.get("spend"),
                    f"{where}: spend {money(spend)} is above its budget {money(budget)}",
                )
        return items

    def agreement(
        self, values: dict[str, object], targets: list[Target], scheme: Scheme
    ) -> Agreement | None:
        items = self.pump_items()
        data = {**values, "scheme": scheme, "targets": targets, "pump_priming": items}
        for _ in range(len(data)):
            try:
                return Agreement.from_mapping(data)
            except LpsaError as exc:
                name = exc.field or ""
                self.add(
                    rule_for(exc),
                    self.agreement_cell(name),
                    f"{LABELS.get(name, name) or 'agreement'}: {exc.reason}",
                )
                if name not in data or data[name] is None:
                    return None
                data[name] = None
        return None

    # -- recomputation and claims -------------------------------------------------------------

    def recompute(self, agreement: Agreement) -> None:
        try:
            self.result = assess(agreement)
        except InputError as exc:
            if exc.field == "potential":
                self.add(
                    "LPSA001",
                    self.agreement_cell("nbr") or self.agreement_cell("stated_potential"),
                    "no potential reward: give the agreement's NBR or its stated potential, "
                    "or a potential for every target",
                )
            else:
                self.add(rule_for(exc), None, str(exc))
            return
        spend = self.result.pump_priming
        if spend is not None and spend.overspent:
            self.add(
                "LPSA014",
                self.agreement_cell("pump_priming_grant"),
                f"pump-priming spend {money(spend.spend)} in all is above the grant "
                f"{money(spend.budget)}",
            )

    def check_claim_lines(self) -> None:
        """LPSA002 for claim amounts that are not numbers."""
        for line in self.book.claim:
            year = text(year_cell(line))
            for name in ("amount", "capital", "revenue"):
                with contextlib.suppress(Bad):  # reported; nothing else depends on it
                    self.number(line.get(name), name, f"claim {year}".strip())
