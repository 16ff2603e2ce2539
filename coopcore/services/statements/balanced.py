"""Whether a year's books balance before its statements go out with the plan, and which account is off if not.

Every voucher coopcore writes balances, so books that do not balance were changed around it (rows written
straight into the database, a restore gone wrong). Two things can then be off, each named by what causes it:
- 试算平衡: a voucher whose debits and credits differ makes the trial balance's totals differ; it is named with
  its accounts (which of them is wrong is for the accountant to say);
- 资产总计 = 负债和所有者权益总计 (01表 line 22 = line 42): with every voucher balanced, the sheet is out only by
  balances no line of 01表 shows (coopcore.rules.statements.unplaced, such as 181 待处理财产损溢); they are named.
An account whose balance is on the side its nature does not expect (cash in credit) is not refused here: the books
still balance, and 成员往来, 应交税费 or 固定资产清理 have either side in normal books.
The books are read with every voucher, posted or not, as they stand when the plan is published.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import RuleViolation
from coopcore.models import Account, Cooperative, Voucher, VoucherLine
from coopcore.money import ZERO
from coopcore.rules.entries.accounts import first_level
from coopcore.rules.statements import BALANCE_SHEET, Statements
from coopcore.rules.statements.lines import accounts_read
from coopcore.services.ledger.books import voucher_name
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.statements import statements

SHOWN = 5  # vouchers named in a refusal; the count says how many more


class VouchersOutOfBalance(RuleViolation):
    """The books to the end of {year} do not balance: {vouchers} book {debit} of debits and {credit} of credits on accounts {accounts}; correct them before publishing."""  # noqa: E501


class AccountsNotShown(RuleViolation):
    """The {year} balance sheet does not balance: {accounts} hold balances no line shows; clear them before publishing."""  # noqa: E501


class SheetOutOfBalance(RuleViolation):
    """The {year} balance sheet does not balance: total assets {assets}, total liabilities and owners' equity {claims}."""  # noqa: E501


def require_balanced_books(session: Session, cooperative: Cooperative, year: int) -> Statements:
    """Refuse books that do not balance at the end of the year, naming what is off; return its statements."""
    _require_balanced_vouchers(session, cooperative, year)
    found = statements(session, cooperative, year, include_unposted=True)
    if found.balanced:
        return found
    read = accounts_read(BALANCE_SHEET)
    unshown = {code: amount for code, amount in found.unplaced.items() if first_level(code) not in read}
    if unshown:
        chart = chart_accounts(session, cooperative)
        named = [
            f"{code} {chart[code].name if code in chart else ''} {amount:,}" for code, amount in sorted(unshown.items())
        ]
        raise AccountsNotShown(year=year, accounts="、".join(" ".join(name.split()) for name in named))
    column = found.closing if found.closing[22] != found.closing[42] else found.opening
    raise SheetOutOfBalance(year=year, assets=f"{column[22]:,}", claims=f"{column[42]:,}")


def _require_balanced_vouchers(session: Session, cooperative: Cooperative, year: int) -> None:
    """Refuse vouchers to the end of the year whose debits and credits differ (they unbalance the trial balance)."""
    debit, credit = func.coalesce(func.sum(VoucherLine.debit), 0), func.coalesce(func.sum(VoucherLine.credit), 0)
    uneven = (
        select(Voucher.id, debit, credit)
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.voucher_date <= dt.date(year, 12, 31))
        .group_by(Voucher.id)
        .having(debit != credit)
        .order_by(Voucher.id)
    )
    rows = session.execute(uneven).all()
    if not rows:
        return
    ids = [voucher_id for voucher_id, _, _ in rows]
    vouchers = session.scalars(select(Voucher).where(Voucher.id.in_(ids)).order_by(Voucher.voucher_date)).all()
    codes = session.scalars(
        select(Account.code)
        .join(VoucherLine, VoucherLine.account_id == Account.id)
        .where(VoucherLine.voucher_id.in_(ids))
        .distinct()
        .order_by(Account.code)
    ).all()
    named = "、".join(voucher_name(voucher) for voucher in vouchers[:SHOWN])
    raise VouchersOutOfBalance(
        year=year,
        vouchers=named + ("…" if len(vouchers) > SHOWN else ""),
        debit=f"{sum((Decimal(d) for _, d, _ in rows), ZERO):,}",
        credit=f"{sum((Decimal(c) for _, _, c in rows), ZERO):,}",
        accounts="、".join(codes),
    )
