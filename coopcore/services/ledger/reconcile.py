"""The member register and the books agree: 301, 221 and 222 member by member, and 322 with the provident shares.

The books keep 301 股金, 221 应付盈余返还 and 222 应付剩余盈余 per member [KJ 301 八; 221 四; 222 四]; the member
account records each member's contributions, provident-fund share and returns [L-43; KJ 第五十七条]. Business
events book the register into the books (coopcore.services.ledger.sync), so the two agree unless something was
booked around them: a voucher typed on 301 for a member, a payment typed on 221 that the distribution does not
record, a manual 322 entry. A difference is a finding, never corrected here: which side is wrong is for the
accountant to say. The books count as year_surplus counts them (COUNTED: posted vouchers, and event vouchers
posted or not), up to the day; the register as year_end.balances sums it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import read_rows
from coopcore.models import Account, Cooperative, Distribution, DistributionLine, Member, Voucher, VoucherLine
from coopcore.money import ZERO
from coopcore.rules.entries import net_of_conversion
from coopcore.rules.entries.accounts import (
    RESIDUAL_PAYABLE,
    RETURNS_PAYABLE,
    SHARE_CAPITAL,
    SURPLUS_RESERVE,
    first_level,
)
from coopcore.rules.findings import Finding, Severity
from coopcore.services import year_end
from coopcore.services.ledger.balances import COUNTED
from coopcore.services.ledger.books import CHUNK
from coopcore.services.ledger.distribution_events import BOOKED

CAPITAL_DIFFERS = (
    "On {day} member {member} {name} holds {books:,} on 301 (share capital) in the books and {register:,} of "
    "contributions in the member account (conversions added, refunds taken off); books less register: {difference:,}."
)
RETURNS_DIFFER = (
    "On {day} member {member} {name} is owed {books:,} on 221 (patronage returns payable) in the books and "
    "{register:,} by the distributions (declared less paid or converted); books less register: {difference:,}."
)
RESIDUAL_DIFFERS = (
    "On {day} member {member} {name} is owed {books:,} on 222 (residual surplus payable) in the books and "
    "{register:,} by the distributions (declared less paid or converted); books less register: {difference:,}."
)
PROVIDENT_DIFFERS = (
    "On {day} 322 (surplus reserve) holds {books:,} in the books, and the provident-fund shares quantified to "
    "members add up to {register:,}; books less register: {difference:,}."
)
NO_MEMBER = "On {day} account {account} holds {books:,} on lines that name no member, though it is kept per member."
DIFFER_AT_CLOSE = "The member accounts and the books differ at the end of {period}:{problems}"
TEMPLATES = (CAPITAL_DIFFERS, RETURNS_DIFFER, RESIDUAL_DIFFERS, PROVIDENT_DIFFERS, NO_MEMBER, DIFFER_AT_CLOSE)
# Per account: the finding's rule and template. 322 is not kept per member: it is compared as a whole.
PER_MEMBER = {
    SHARE_CAPITAL: ("reconcile_capital", CAPITAL_DIFFERS),
    RETURNS_PAYABLE: ("reconcile_returns", RETURNS_DIFFER),
    RESIDUAL_PAYABLE: ("reconcile_residual", RESIDUAL_DIFFERS),
}


@dataclass(frozen=True)
class Difference:
    """An account on which the books and the register differ on a day, for one member (None: 322, or no member)."""

    account: str
    member_id: int | None
    books: Decimal  # the credit balance: 301, 221, 222 and 322 are credit accounts
    register: Decimal

    @property
    def difference(self) -> Decimal:
        return self.books - self.register


def differences(session: Session, cooperative: Cooperative, day: dt.date) -> list[Difference]:
    """Where the books and the member register differ at the end of a day, account by account, member by member."""
    books = _books(session, cooperative, day)
    register = _register(session, cooperative, day)
    found = []
    for account, member_id in sorted(set(books) | set(register), key=lambda key: (key[0], key[1] or 0)):
        held, expected = books.get((account, member_id), ZERO), register.get((account, member_id), ZERO)
        if held != expected:
            found.append(Difference(account, member_id, held, expected))
    return found


def reconcile(session: Session, cooperative: Cooperative, day: dt.date) -> list[Finding]:
    """Every difference between the books and the member register at the end of a day, as findings."""
    found = differences(session, cooperative, day)
    named = {difference.member_id for difference in found if difference.member_id is not None}
    members: dict[int, tuple[str, str]] = {}
    if named:
        query = select(Member.id, Member.code, Member.name).where(Member.cooperative_id == cooperative.id)
        if len(named) <= CHUNK:  # a few members by id; for many, the whole roster is one read
            query = query.where(Member.id.in_(named))
        members = {member_id: (code, name) for member_id, code, name in read_rows(session, query)}
    return [_finding(difference, members, day) for difference in found]


def _finding(difference: Difference, members: dict[int, tuple[str, str]], day: dt.date) -> Finding:
    # An error, not a warning: one of the two records cannot be right. The close reports it and still closes.
    fields: dict[str, object] = {"day": day, "books": difference.books, "register": difference.register,
                                 "difference": difference.difference, "account": difference.account}  # fmt: skip
    if difference.account == SURPLUS_RESERVE:
        return Finding("reconcile_provident", Severity.ERROR, PROVIDENT_DIFFERS, fields, key=SURPLUS_RESERVE)
    if difference.member_id is None:
        return Finding("reconcile_member", Severity.ERROR, NO_MEMBER, fields, key=difference.account)
    rule, template = PER_MEMBER[difference.account]
    code, name = members[difference.member_id]
    return Finding(rule, Severity.ERROR, template, {**fields, "member": code, "name": name}, key=difference.account)


Key = tuple[str, int | None]  # (account, member id)


def _books(session: Session, cooperative: Cooperative, day: dt.date) -> dict[Key, Decimal]:
    """Credit balances of 301, 221, 222 (per member) and 322 (as a whole) from the vouchers dated up to the day."""
    codes = (SHARE_CAPITAL, RETURNS_PAYABLE, RESIDUAL_PAYABLE, SURPLUS_RESERVE)
    # Detail accounts a cooperative adds under them (30101 …) start with their code.
    named = or_(*(Account.code.startswith(code) for code in codes))
    query = select(Account.id, Account.code).where(Account.cooperative_id == cooperative.id, named)
    accounts: dict[int, str] = {account_id: code for account_id, code in session.execute(query)}
    first = select(func.min(Voucher.year)).where(Voucher.cooperative_id == cooperative.id).scalar_subquery()
    last = select(func.max(Voucher.year)).where(Voucher.cooperative_id == cooperative.id).scalar_subquery()
    first_year, last_year = session.execute(select(first, last)).one()
    if not accounts or first_year is None:
        return {}
    sums = (
        select(VoucherLine.account_id, VoucherLine.member_id, func.sum(VoucherLine.credit), func.sum(VoucherLine.debit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .where(VoucherLine.cooperative_id == cooperative.id, Voucher.voucher_date <= day, COUNTED)
        # Every year of the books and each account by id: ix_voucher_line_balances then finds these accounts' lines
        # alone. Joined to the accounts instead, PostgreSQL read all the lines (0.2 s of a close at 1,000,000).
        .where(VoucherLine.year.in_(range(first_year, last_year + 1)), VoucherLine.account_id.in_(list(accounts)))
        .group_by(VoucherLine.account_id, VoucherLine.member_id)
    )
    rows = read_rows(session, sums)
    held: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for account_id, member_id, credit, debit in rows:
        account = first_level(accounts[account_id])
        held[(account, None if account == SURPLUS_RESERVE else member_id)] += (credit or ZERO) - (debit or ZERO)
    return dict(held)


def _register(session: Session, cooperative: Cooperative, day: dt.date) -> dict[Key, Decimal]:
    """What the register says the books hold: contributions, what each distribution still owes, provident shares."""
    expected: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for member_id, balances in year_end.balances(session, cooperative.id, day).items():
        expected[(SHARE_CAPITAL, member_id)] += balances.contribution  # contributions + conversions − refunds
        expected[(SURPLUS_RESERVE, None)] += balances.provident_share
    # A posted distribution declares its returns on 31 December of its year (distribution_events), less what the
    # assembly converted with the plan (§15 rule 25b: on 301, never on 221/222); a line is settled on the day it
    # is paid, in money or converted into contributions later, as its payment voucher is dated.
    declared_through = day.year if (day.month, day.day) == (12, 31) else day.year - 1
    lines = session.execute(
        select(
            DistributionLine.member_id,
            DistributionLine.patronage_return,
            DistributionLine.residual_distribution,
            DistributionLine.converted,
            DistributionLine.paid_on,
            DistributionLine.payment_method,
        )
        .join(Distribution, Distribution.id == DistributionLine.distribution_id)
        .where(Distribution.cooperative_id == cooperative.id, Distribution.state.in_(BOOKED))
        .where(Distribution.year <= declared_through)
    )
    for member_id, patronage_return, residual, converted, paid_on, method in lines:
        if paid_on is None or method is None or paid_on > day:
            returned, left = net_of_conversion(patronage_return, residual, converted)
            expected[(RETURNS_PAYABLE, member_id)] += returned
            expected[(RESIDUAL_PAYABLE, member_id)] += left
    return dict(expected)
