"""The register's own records in the books: 收支 rows, contributions and refunds, exits, special-fund property and
subsidy money.

Each is a source (coopcore.services.ledger.source) that coopcore.services.ledger.sync keeps the books in step with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import (
    Cooperative,
    Distribution,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    SpecialFund,
    SpecialPayable,
)
from coopcore.rules import entries
from coopcore.rules.entries.contributions import SUMMARY as SUMMARIES
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.source import Event, Source, member_codes, red, with_ids
from coopcore.terms import AccountEntryKind, IncomeCategory, Origin, VoucherOrigin


def _income_expense(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = INCOME_EXPENSE.ids(refs)
    query = select(IncomeExpense).where(IncomeExpense.cooperative_id == cooperative.id)
    query = query.where(*with_ids(ids, IncomeExpense.id))
    members = member_codes(session, cooperative)
    for row in session.scalars(query.order_by(IncomeExpense.id)):
        yield Event(INCOME_EXPENSE.ref(row.id), row.recorded_on, row.memo, _income_expense_lines(session, row, members))


def _income_expense_lines(session: Session, row: IncomeExpense, members: dict[int, str]) -> list[EntryLine]:
    if row.origin is Origin.LAND_GUARANTEE:
        # "land_guarantee:<year>:<member id>" (coopcore.services.land): the household is owed its rent on 114,
        # booked as a cost as the 收支 row (and so 本年盈余) counts it: docs/land.md, view A.
        member_id = int(row.source.rsplit(":", 1)[1])
        return entries.land_guarantee(members[member_id], row.amount, summary=row.memo)
    federation = _federation(session, row)
    if federation is not None and row.amount > 0:
        # A federation's returns to this member cooperative are receivable from it [KJ 131 四; 511 二].
        return entries.federation_return_declared(federation, row.amount, summary=row.memo)
    return entries.income_expense(row.category, row.amount, against=row.counter_account, summary=row.memo)


def _federation(session: Session, row: IncomeExpense) -> str | None:
    """The federation whose distribution wrote the row ("distribution:<id>", coopcore.services.distribution_posting)."""
    if row.origin is not Origin.DISTRIBUTION or row.category is not IncomeCategory.INVESTMENT_INCOME:
        return None
    distribution = session.get(Distribution, int(row.source.rsplit(":", 1)[1]))
    return distribution.cooperative.name if distribution is not None else None


def _contributions(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    """One voucher per day and kind of contribution, a line per member: a roster of 20,000 is a few vouchers."""
    keys = CONTRIBUTIONS.keys(refs)
    kinds = [kind for kind in AccountEntryKind if kind.is_contribution] + [AccountEntryKind.REFUND]
    query = (
        select(MemberAccountEntry, Member.code)
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(
            Member.cooperative_id == cooperative.id,
            MemberAccountEntry.kind.in_(kinds),
            MemberAccountEntry.origin != Origin.EXIT,  # an exit books its settlement as one voucher (EXITS)
        )
    )
    if keys is not None:
        days = {dt.date.fromisoformat(key.split(":", 1)[0]) for key in keys}
        query = query.where(MemberAccountEntry.entry_on.in_(days))
    grouped: dict[str, list[EntryLine]] = {}
    for entry, code in session.execute(query.order_by(MemberAccountEntry.entry_on, MemberAccountEntry.id)):
        key = day_key(entry.entry_on, entry.kind)
        if keys is None or key in keys:
            grouped.setdefault(key, []).extend(_contribution_lines(entry, code))
    for key, lines in grouped.items():
        day, kind = key.split(":", 1)
        yield Event(CONTRIBUTIONS.ref(key), dt.date.fromisoformat(day), SUMMARIES[AccountEntryKind(kind)], lines)


def day_key(day: dt.date, kind: AccountEntryKind) -> str:
    return f"{day.isoformat()}:{kind.value}"


def _contribution_lines(entry: MemberAccountEntry, code: str) -> list[EntryLine]:
    amount = abs(entry.amount)
    if not amount:
        return []
    summary = entry.memo or SUMMARIES[entry.kind]
    if entry.kind is AccountEntryKind.REFUND:
        lines = entries.contribution_refund(code, amount, summary=summary)
        return lines if entry.amount < 0 else red(lines)  # a refund is written negative
    # The value brought in is the share (the entry's amount, 301) and its premium (321) [KJ 第四十条; 321 二].
    value = abs(entry.amount + (entry.premium or 0))
    lines = entries.contribution(entry.kind, code, value, amount, summary=summary)
    return lines if entry.amount > 0 else red(lines)  # a correction reverses a contribution


def _exits(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = EXITS.ids(refs)
    query = (
        select(MemberAccountEntry, Member.code)
        .join(Member, Member.id == MemberAccountEntry.member_id)
        .where(Member.cooperative_id == cooperative.id, MemberAccountEntry.origin == Origin.EXIT)
    )
    query = query.where(*with_ids(ids, MemberAccountEntry.member_id))
    settled: dict[int, list[tuple[MemberAccountEntry, str]]] = {}
    for entry, code in session.execute(query.order_by(MemberAccountEntry.id)):
        settled.setdefault(entry.member_id, []).append((entry, code))
    for member_id, rows in settled.items():
        lines: list[EntryLine] = []
        for entry, code in rows:
            refunded = -entry.amount  # written negative: the account is brought to zero
            if entry.kind is AccountEntryKind.REFUND and refunded > 0:
                lines += entries.contribution_refund(code, refunded, summary=entry.memo)
            elif entry.kind is AccountEntryKind.PROVIDENT_SHARE and refunded > 0:
                lines += entries.provident_share_refund(code, refunded, summary=entry.memo)
        first = rows[0][0]
        yield Event(EXITS.ref(member_id), first.entry_on, first.memo, lines)


def _special_funds(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = SPECIAL_FUNDS.ids(refs)
    query = select(SpecialFund).where(SpecialFund.cooperative_id == cooperative.id, *with_ids(ids, SpecialFund.id))
    for fund in session.scalars(query.order_by(SpecialFund.id)):
        lines = entries.special_fund(
            fund.source,
            fund.form,
            fund.amount,
            fund.asset_account,
            poverty_asset=fund.is_poverty_asset,
            summary=fund.memo,
        )
        yield Event(SPECIAL_FUNDS.ref(fund.id), fund.received_on, fund.memo, lines)


def _special_payables(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    ids = SPECIAL_PAYABLES.ids(refs)
    query = select(SpecialPayable).where(
        SpecialPayable.cooperative_id == cooperative.id, *with_ids(ids, SpecialPayable.id)
    )
    for row in session.scalars(query.order_by(SpecialPayable.id)):
        lines = entries.special_payable(
            row.kind, row.amount, expense_account=row.expense_account, project=row.project, summary=row.memo
        )
        yield Event(SPECIAL_PAYABLES.ref(row.id), row.moved_on, row.memo, lines)


INCOME_EXPENSE = Source(VoucherOrigin.INCOME_EXPENSE, "income_expense", _income_expense)
CONTRIBUTIONS = Source(VoucherOrigin.CONTRIBUTION, "member_entry", _contributions)
EXITS = Source(VoucherOrigin.EXIT, "exit", _exits)
SPECIAL_FUNDS = Source(VoucherOrigin.SPECIAL_FUND, "special_fund", _special_funds)
SPECIAL_PAYABLES = Source(VoucherOrigin.SPECIAL_FUND, "special_payable", _special_payables)
