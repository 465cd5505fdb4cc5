"""The formulas of the templates' computed cells, as text (without the leading ``=``).

Computed table columns use structured references in the form Excel itself stores in a file
(``Targets[[#This Row],[Expected]]``; Excel shows it as ``[@Expected]``), both in every cell and
as the column's ``calculatedColumnFormula``, so Excel treats the column as a calculated column.
``LPSA_*`` functions are written with their plain names: that is how Excel stores a VBA/XLL
add-in function (xlwings UDFs) in OOXML; ``_xludf.`` is only what other programs write for a
function they do not know, and the evaluator strips it anyway.

Each computed cell is guarded with ``IF(<an input is blank>, "", ...)`` rather than
``IFERROR``, so a row without an actual shows blanks while a real input error (target equal to
expected: ``#DIV/0!``) stays visible. No rule arithmetic here: every figure comes from an
``LPSA_*`` function bound to the rules core.
"""

from __future__ import annotations

from lpsa_xl.returns.layout import TARGETS_TABLE

__all__ = ["AGREEMENT_FORMULAS", "claim_cell", "target_formulas", "this_row"]


def this_row(column: str, table: str = TARGETS_TABLE) -> str:
    """The structured reference to ``column`` in the formula's own row, as stored in a file."""
    return f"{table}[[#This Row],[{column}]]"


def whole(column: str, table: str = TARGETS_TABLE) -> str:
    """The structured reference to the data of a whole table column."""
    return f"{table}[{column}]"


def _blank(*refs: str) -> str:
    return refs[0] + '=""' if len(refs) == 1 else "OR(" + ",".join(f'{r}=""' for r in refs) + ")"


def target_formulas() -> dict[str, str]:
    """Computed column header -> its formula (the same in every row of the table)."""
    ref, parent = this_row("Ref"), this_row("Parent")
    e, t, a = this_row("Expected"), this_row("Target"), this_row("Actual")
    p = this_row("Potential £")
    vpu, it, ia = (
        this_row("Value per unit £"),
        this_row("Interim target"),
        this_row("Interim actual"),
    )
    parents = whole("Parent")
    has_subs = f"COUNTIF({parents},{ref})>0"
    # the core's split (stated potentials win, parts add back exactly), never a copy of it here
    line_potential = (
        f"LPSA_LINE_POTENTIAL({ref},{whole('Ref')},{parents},{whole('Weight')},"
        f"{whole('Stated potential £')},Total_Potential,Scheme)"
    )
    return {
        "Sub-targets": (
            f'IF({ref}="","",IF({parent}="",IF({has_subs},COUNTIF({parents},{ref}),1),'
            f"COUNTIF({parents},{parent})))"
        ),
        "Potential £": f'IF(OR({ref}="",{has_subs}),"",{line_potential})',
        "Stretch": f'IF({_blank(e, t)},"",LPSA_STRETCH({e},{t}))',
        "% of stretch": f'IF({_blank(e, t, a)},"",LPSA_ACHIEVEMENT({e},{t},{a}))',
        "Payable %": f'IF({_blank(e, t, a)},"",LPSA_PAYABLE({e},{t},{a},Scheme))',
        "Reward £": f'IF({_blank(e, t, a, p)},"",LPSA_REWARD({e},{t},{a},{p},Scheme))',
        "Status": f'IF({_blank(e, t, a)},"",LPSA_STATUS({e},{t},{a},Scheme))',
        "60% trigger": f'IF({_blank(e, t)},"",LPSA_TRIGGER({e},{t},Scheme))',
        "£ per unit of stretch": f'IF({_blank(e, t, p)},"",LPSA_VFM_COST({e},{t},{p}))',
        "Benefit-cost ratio": (
            f'IF({_blank(e, t, p, vpu)},"",IF({p}>0,LPSA_VFM_RATIO({e},{t},{vpu},{p}),""))'
        ),
        "On account £": (
            f"IF({_blank(e, t, p, it, ia)},0,"
            f"IF(LPSA_INTERIM_MET({e},{t},{it},{ia}),LPSA_PAYMENT_ON_ACCOUNT({p},Scheme),0))"
        ),
    }


#: Defined name of a computed Agreement cell -> its formula.
AGREEMENT_FORMULAS: dict[str, str] = {
    "Total_Potential": (
        "IF(ISNUMBER(Stated_Potential),Stated_Potential,"
        'IF(ISNUMBER(NBR),LPSA_POTENTIAL(NBR,Scheme),""))'
    ),
    "N_Targets": f'COUNTIFS({whole("Ref")},"<>",{whole("Parent")},"")',
    "Total_Reward": f"SUM({whole('Reward £')})",
    "On_Account": f"SUM({whole('On account £')})",
    "End_Year": 'IF(ISNUMBER(Period_End),YEAR(Period_End)+IF(MONTH(Period_End)>3,1,0),"")',
}


def claim_cell(row: int, column: int) -> str:
    """The formula of one cell of the payment plan: payment ``row`` (from 1), field ``column``
    (year, kind, paid, capital, revenue) of ``LPSA_INSTALMENTS``, whose first row is its header
    row; blank beyond the last payment."""
    call = "LPSA_INSTALMENTS(Total_Reward,End_Year,Scheme,On_Account)"
    return f'IFERROR(INDEX({call},{row + 1},{column}),"")'
