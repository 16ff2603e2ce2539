"""The membership rules of the law on the roster as it will be after the import (coopcore.rules.membership)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from coopcore.models import AccountEntryKind
from coopcore.rules.findings import Severity
from coopcore.rules.membership import (
    FOUNDERS_NOT_MARKED,
    MemberFacts,
    MembershipSpan,
    RosterContext,
    check_membership,
    farmer_ratio_broken_on,
)
from coopcore.services.workbook.plan import Plan
from coopcore.services.workbook.reader import Book
from coopcore.services.workbook.report import Problems
from coopcore.services.workbook.schema import CONTRIBUTIONS, COOPERATIVE, MEMBERS
from coopcore.services.workbook.stored import Stored

CONTRIBUTION_KINDS = frozenset(kind.value for kind in AccountEntryKind if kind.is_contribution)


def check_roster(book: Book, plan: Plan, stored: Stored, problems: Problems, *, on: dt.date) -> None:
    """Report the findings of [L-12], [L-19], [L-20], [L-22], [L-56] and Yantai practice on the final roster.

    Errors of the law block the import; practice is a warning (the severities of coopcore.rules.membership).
    """
    members = [m for m in plan.roster.values() if m.get("joined_on") is not None and m.get("kind") is not None]
    if not members:
        return
    contributions = _contributions(plan, stored)
    facts: list[MemberFacts] = []
    departed_founders = 0
    for member in members:
        if member["joined_on"] > on:
            continue
        left_on = member.get("left_on")
        if left_on is not None and left_on < on:
            # Gone from the roster, but a founder still counts for the founding minimum [L-12].
            departed_founders += int(bool(member.get("is_founder")))
            continue
        facts.append(
            MemberFacts(
                code=member["code"],
                kind=str(member["kind"]),
                is_founder=bool(member.get("is_founder")),
                additional_votes=member.get("additional_votes") or 0,
                contribution=contributions.get(member["code"], Decimal("0.00")),
            )
        )
    spans = [MembershipSpan(str(m["kind"]), m["joined_on"], m.get("left_on")) for m in members]
    context = RosterContext(
        is_federation=bool(plan.cooperative.get("is_federation")),
        is_party_branch_led=plan.cooperative.get("party_branch") is not None,
        provident_fund_rate=_rate_on(plan, stored, on),
        ratio_broken_on=farmer_ratio_broken_on(spans, on),
        departed_founders=departed_founders,
        is_registered=plan.cooperative.get("founded_on") is not None,
        founders_stated=_founders_stated(book),
    )
    for finding in check_membership(facts, context):
        add = problems.error if finding.severity is Severity.ERROR else problems.warning
        add(finding.template, **_where(book, finding.rule, finding.template), **finding.fields)


def _where(book: Book, rule: str, template: str) -> dict[str, Any]:
    """Where the accountant fixes what a roster rule found: the cell that holds it, else the members sheet."""
    if template == FOUNDERS_NOT_MARKED:
        return {"sheet": MEMBERS, "column": MEMBERS.column("is_founder")}
    if rule == "provident_rate":  # the bylaws' rate, on the cooperative's row
        row = next(iter(book.rows(COOPERATIVE)), None)
        where = {"sheet": COOPERATIVE, "column": COOPERATIVE.column("provident_fund_rate")}
        return where | ({"row": row.number} if row is not None else {})
    if rule == "individual_cap":  # a member's contributions added up: the amounts of the contributions sheet
        return {"sheet": CONTRIBUTIONS, "column": CONTRIBUTIONS.column("amount")}
    return {"sheet": MEMBERS}


def _founders_stated(book: Book) -> bool:
    """Whether the workbook says who the founders are: the optional 设立成员 column, with something in it."""
    return book.has(MEMBERS, "is_founder") and any(row.get("is_founder") is not None for row in book.rows(MEMBERS))


def _contributions(plan: Plan, stored: Stored) -> dict[str, Decimal]:
    """Return each member's contribution (出资) after the import: stored, less reversals, plus new entries."""
    reversed_ids = {entry["reverses_id"] for entry in plan.entries.inserts if entry.get("reverses_id")}
    totals: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for entry in stored.entries:
        if str(entry["kind"]) in CONTRIBUTION_KINDS and entry["id"] not in reversed_ids:
            totals[entry["member_code"]] += entry["amount"]
    for entry in plan.entries.inserts:
        if entry["kind"] in CONTRIBUTION_KINDS and entry.get("member_code"):
            totals[entry["member_code"]] += entry["amount"]
    return totals


def _rate_on(plan: Plan, stored: Stored, on: dt.date) -> Decimal | None:
    """Return the provident-fund rate of the bylaws in force on a day, the imported version included."""
    rates = {day: bylaws.provident_fund_rate for day, bylaws in stored.bylaws.items()}
    if plan.bylaws.get("effective_on") and plan.bylaws.get("provident_fund_rate") is not None:
        rates[plan.bylaws["effective_on"]] = plan.bylaws["provident_fund_rate"]
    in_force = [day for day in rates if day <= on]
    return rates[max(in_force)] if in_force else None
