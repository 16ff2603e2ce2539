"""The demo's produce and rent paid for: on the day they are booked, the cooperative settles what is owed.

The tickets book what each household is owed for its produce, or owes for inputs (114 成员往来, 211 and 113 for
non-members, coopcore.services.ledger.trade_events); the guaranteed land rent is owed on 114 too, and a
federation's returns are receivable on 113. A cooperative pays (and collects) them through the bank. The demo's
accountant books that as one voucher per booking day, audited by a second person and posted.
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

SUMMARY = "结算{month}月往来款项"
BANK = "102"
Party = tuple[str, int | None, str]  # account, member id, counterparty


def settle_trades(session: Session, cooperative: Cooperative, *, accountant: str, auditor: str) -> None:
    """Book, audit and post a voucher per day that clears the day's trade and 收支 vouchers through the bank."""
    query = (
        select(Voucher.voucher_date, Account.code, VoucherLine.member_id, VoucherLine.counterparty,
               func.sum(VoucherLine.debit - VoucherLine.credit))
        .join(Voucher, Voucher.id == VoucherLine.voucher_id)
        .join(Account, Account.id == VoucherLine.account_id)
        .where(VoucherLine.cooperative_id == cooperative.id)
        .where(Voucher.origin.in_([VoucherOrigin.TRADE, VoucherOrigin.INCOME_EXPENSE]))
        .where(Account.code.in_(["113", "114", "211"]))
        .group_by(Voucher.voucher_date, Account.code, VoucherLine.member_id, VoucherLine.counterparty)
    )  # fmt: skip
    months: dict[dt.date, dict[Party, Decimal]] = defaultdict(dict)
    for day, code, member_id, counterparty, balance in session.execute(query):
        months[day][(code, member_id, counterparty)] = Decimal(balance)
    codes = dict(session.execute(select(Member.id, Member.code).where(Member.cooperative_id == cooperative.id)).all())
    for day, parties in sorted(months.items()):
        summary = SUMMARY.format(month=day.month)
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
