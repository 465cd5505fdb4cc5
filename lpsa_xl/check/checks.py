"""The book rules: a :class:`~lpsa_xl.returns.model.ReturnBook` in, findings and summary out.

Every input is validated by building the core's own objects (:class:`~lpsa_xl.rules.SubTarget`,
:class:`~lpsa_xl.rules.Agreement`...), so a figure the core refuses is a finding at its cell;
every figure a return claims is compared with what :func:`lpsa_xl.rules.assess` recomputes.
The rules live in :mod:`lpsa_xl.check.inputs` and :mod:`lpsa_xl.check.claims`; rule ids and
severities in :mod:`lpsa_xl.check.registry`.
"""

from __future__ import annotations

from lpsa_xl.check.claims import ClaimChecks
from lpsa_xl.check.findings import Finding, Summary
from lpsa_xl.check.inputs import InputChecks
from lpsa_xl.check.stated import ReturnFigures, capture
from lpsa_xl.returns.model import ReturnBook

__all__ = ["check_book", "check_return"]


class _BookCheck(InputChecks, ClaimChecks):
    """Every book rule, over one return."""


def check_book(book: ReturnBook) -> tuple[str, list[Finding], Summary]:
    """Check one return as read: ``(authority, findings, summary)``. Never raises for bad
    content: every problem is a finding."""
    authority, findings, summary, _figures = check_return(book)
    return authority, findings, summary


def check_return(book: ReturnBook) -> tuple[str, list[Finding], Summary, ReturnFigures]:
    """:func:`check_book`, and what the return states (for the register rules and history)."""
    check = _BookCheck(book)
    values = check.check_agreement()
    check.read_rows()
    check.check_duplicates()
    targets = check.build_targets()
    scheme = check.check_count(targets)
    agreement = check.agreement(values, targets, scheme)
    if agreement is not None:
        check.recompute(agreement)
    check.check_claim_lines()
    check.check_lines()
    check.check_split_targets()
    check.check_totals()
    check.check_payments()
    authority = str(values.get("authority") or "")
    return authority, check.findings, check.summary(values), capture(check, authority)
