"""The demo's produce and rent paid for: at the year end, once the year's sales are in, the cooperative settles.

The tickets book what each household is owed for its produce, or owes for inputs (114 成员往来, 211 and 113 for
non-members, coopcore.services.ledger.trade_events); the guaranteed land rent is owed on 114 too, and a
federation's returns are receivable on 113. A cooperative pays (and collects) them through the bank. The demo's
accountant books that as one voucher on 31 December (the 年终结算 many cooperatives practise, paying out of the
year's sales), audited by a second person and posted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Account, Cooperative, Member, Voucher, VoucherLine, VoucherOrigin
from coopcore.rules.entries.lines import Aux, balanced, net
from coopcore.services import ledger

SUMMARY = "{year}年终结算成员及客户往来款项"
BANK = "102"
Party = tuple[str, int | None, str]  # account, member id, counterparty


def settle_trades(session: Session, cooperative: Cooperative, *, accountant: str, auditor: str) -> None:
    """Book, audit and post a voucher per year that clears the year's trade and 收支 vouchers through the bank."""
    query = (
        select(Voucher.year, Account.code, VoucherLine.member_id, VoucherLine.counterparty,
               func.sum(VoucherLine.debit - VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .where(VoucherLine.cooperative_id == cooperative.id)
        .where(Voucher.origin.in_([VoucherOrigin.TRADE, VoucherOrigin.INCOME_EXPENSE]))
        .where(Account.code.in_(["113", "114", "211"]))
        .group_by(Voucher.year, Account.code, VoucherLine.member_id, VoucherLine.counterparty)
    )  # fmt: skip
    years: dict[int, dict[Party, Decimal]] = defaultdict(dict)
    for year, code, member_id, counterparty, balance in session.execute(query):
        years[year][(code, member_id, counterparty)] = Decimal(balance)
    codes = dict(session.execute(select(Member.id, Member.code).where(Member.cooperative_id == cooperative.id)).all())
    for year, parties in sorted(years.items()):
        day, summary = dt.date(year, 12, 31), SUMMARY.format(year=year)
        lines = [
            net(code, -balance, summary, Aux(member=codes[member_id] if member_id else None, counterparty=counterparty))
            for (code, member_id, counterparty), balance in sorted(parties.items(), key=str)
        ]
        lines.append(net(BANK, sum(parties.values(), Decimal(0)), summary))
        voucher = ledger.add_voucher(
            session, cooperative, on=day, summary=summary, lines=balanced(lines), by=accountant
        )
        ledger.audit_voucher(session, voucher, by=auditor)
        ledger.post_voucher(session, voucher, by=auditor)
