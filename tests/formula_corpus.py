"""A seeded corpus of small workbooks with random standard-function formulas over random
values, for the differential tests."""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

ROWS = 8
WORDS = ["apple", "Pear", "plum", "fig", "Apple pie", "kiwi"]
FORMULAS_PER_BOOK = 30


class Gen:
    def __init__(self, rng: random.Random, done: list[int]) -> None:
        self.rng = rng
        self.done = done  # rows of column F already holding numeric formulas

    def row(self) -> int:
        return self.rng.randint(1, ROWS)

    def rng_ref(self, col: str) -> str:
        a = self.rng.randint(1, ROWS - 2)
        b = self.rng.randint(a + 1, ROWS)
        return f"{col}{a}:{col}{b}", b - a + 1

    def literal(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return str(self.rng.randint(-20, 50))
        return f"{self.rng.uniform(-50, 50):.2f}"

    def num(self, depth: int = 0) -> str:
        rng = self.rng
        if depth > 2 or rng.random() < 0.25:
            choice = rng.random()
            if choice < 0.4:
                return f"{rng.choice('AB')}{self.row()}"
            if choice < 0.5 and self.done:
                return f"F{rng.choice(self.done)}"
            return self.literal()
        d = depth + 1
        kind = rng.randrange(24)
        if kind < 4:
            op = rng.choice(["+", "-", "*", "/"])
            return f"({self.num(d)}{op}{self.num(d)})"
        if kind == 4:
            return f"{self.num(d)}^{rng.randint(1, 3)}"
        if kind == 5:
            col = rng.choice("ABD")
            fn = rng.choice(["SUM", "AVERAGE", "MIN", "MAX", "COUNT", "COUNTA"])
            return f"{fn}({self.rng_ref(col)[0]})"
        if kind == 6:
            return f"SUM({self.num(d)},{self.num(d)})"
        if kind == 7:
            fn = rng.choice(["ROUND", "ROUNDUP", "ROUNDDOWN"])
            return f"{fn}({self.num(d)},{rng.randint(-1, 3)})"
        if kind == 8:
            return f"{rng.choice(['INT', 'ABS'])}({self.num(d)})"
        if kind == 9:
            return f"MOD({self.num(d)},{rng.choice(['3', '-4', '2.5', '7'])})"
        if kind == 10:
            return f"IF({self.cond(d)},{self.num(d)},{self.num(d)})"
        if kind == 11:
            return f"IFERROR({self.num(d)},{self.literal()})"
        if kind == 12:
            a, n = self.rng_ref("A")
            start = int(a.split(":")[0][1:])
            return f"SUMPRODUCT({a},B{start}:B{start + n - 1})"
        if kind == 13:
            op = rng.choice([">", "<", ">=", "<=", "<>", ""])
            a, n = self.rng_ref("A")
            start = int(a.split(":")[0][1:])
            return f'SUMIF({a},"{op}{rng.randint(-10, 30)}",B{start}:B{start + n - 1})'
        if kind == 14:
            c, _ = self.rng_ref("C")
            crit = rng.choice(["apple", "*um", "<>fig", "*e*", "PEAR", "?ig"])
            return f'COUNTIF({c},"{crit}")'
        if kind == 15:
            return f"VLOOKUP({rng.choice(WORDS)!r},C1:E{ROWS},{rng.randint(1, 3)},FALSE)".replace(
                "'", '"'
            )
        if kind == 16:
            return f"INDEX(A1:B{ROWS},{rng.randint(1, ROWS)},{rng.randint(1, 2)})"
        if kind == 17:
            return f'MATCH("{rng.choice(WORDS)}",C1:C{ROWS},0)'
        if kind == 18:
            return f"LEN({self.text(d)})"
        if kind == 19:
            return f"CHOOSE({rng.randint(1, 3)},{self.num(d)},{self.num(d)},{self.num(d)})"
        if kind == 20:
            return f"N({self.num(d)})"
        if kind == 21:
            a, _ = self.rng_ref("A")
            lo, hi = rng.randint(-10, 20), rng.randint(0, 40)
            return f'COUNTIFS({a},">{lo}",{a.replace("A", "B")},"<{hi}")'
        if kind == 22:
            return f"-{self.num(d)}"
        return f"{rng.choice('AB')}{self.row()}%"  # formulas cannot parse % after a literal

    def cond(self, depth: int = 0) -> str:
        rng = self.rng
        d = depth + 1
        kind = rng.randrange(7)
        if kind < 3 or depth > 2:
            return f"{self.num(d)}{rng.choice(['<', '>', '=', '<>', '<=', '>='])}{self.num(d)}"
        if kind == 3:
            return f"{rng.choice(['AND', 'OR'])}({self.cond(d)},{self.cond(d)})"
        if kind == 4:
            return f"NOT({self.cond(d)})"
        if kind == 5:
            return f"{rng.choice(['ISNUMBER', 'ISBLANK', 'ISTEXT'])}(D{self.row()})"
        return f'{self.text(d)}="{rng.choice(WORDS)}"'

    def text(self, depth: int = 0) -> str:
        rng = self.rng
        d = depth + 1
        if depth > 2 or rng.random() < 0.3:
            return f"C{self.row()}" if rng.random() < 0.6 else f'"{rng.choice(WORDS)}"'
        kind = rng.randrange(8)
        if kind == 0:
            return f"{rng.choice(['UPPER', 'LOWER', 'TRIM'])}({self.text(d)})"
        if kind == 1:
            return f"{rng.choice(['LEFT', 'RIGHT'])}({self.text(d)},{rng.randint(0, 4)})"
        if kind == 2:
            return f"MID({self.text(d)},{rng.randint(1, 3)},{rng.randint(0, 4)})"
        if kind == 3:
            return f"CONCATENATE({self.text(d)},{self.num(d)})"
        if kind == 4:
            return f"({self.text(d)}&{self.text(d)})"
        if kind == 5:
            return f'TEXT({self.num(d)},"{rng.choice(["0.00", "0%", "0.0", "0"])}")'
        if kind == 6:
            return f'IF({self.cond(d)},{self.text(d)},"none")'
        return f"{self.text(d)}&{self.num(d)}"


def make_book(path: Path, seed: int) -> list[str]:
    """Write corpus book ``seed`` to ``path``; return the formula cells (``F1``...)."""
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, ROWS + 1):
        ws[f"A{r}"] = rng.randint(-20, 40) if rng.random() < 0.6 else round(rng.uniform(-30, 30), 2)
        ws[f"B{r}"] = round(rng.uniform(0, 100), 1)
        ws[f"C{r}"] = rng.choice(WORDS)
        kind = rng.random()
        ws[f"D{r}"] = (
            None if kind < 0.3 else (rng.choice(WORDS) if kind < 0.5 else rng.randint(0, 9))
        )
        ws[f"E{r}"] = rng.randint(1, 100)
    gen = Gen(rng, [])
    cells = []
    for i in range(1, FORMULAS_PER_BOOK + 1):
        kind = rng.random()
        if kind < 0.6:
            ws[f"F{i}"] = "=" + gen.num()
            gen.done.append(i)
        elif kind < 0.8:
            ws[f"F{i}"] = "=" + gen.text()
        else:
            ws[f"F{i}"] = "=" + gen.cond()
        cells.append(f"F{i}")
    wb.save(path)
    return cells
