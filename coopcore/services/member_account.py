"""The member account (成员账户) of a year in the columns of the official form ([KJ 第五十七条], 附录 成员账户)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import AccountEntryKind, Member, MemberAccountEntry, Product, Trade
from coopcore.money import ZERO
from coopcore.services.year_end import year_bounds

# Which column of the form each kind of entry is written in.
COLUMN = {
    AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: "poverty_contribution",  # 来源于到户类扶贫项目资产的出资额
    AccountEntryKind.CONTRIBUTION_CASH: "other_contribution",  # 其他来源的出资额
    AccountEntryKind.CONTRIBUTION_LAND: "other_contribution",
    AccountEntryKind.CONTRIBUTION_IN_KIND: "other_contribution",
    AccountEntryKind.CAPITAL_CONVERSION: "other_contribution",
    AccountEntryKind.REFUND: "other_contribution",
    AccountEntryKind.PROVIDENT_SHARE: "provident_share",
    AccountEntryKind.SUBSIDY_SHARE: "subsidy_share",
    AccountEntryKind.DONATION_SHARE: "donation_share",
    AccountEntryKind.PATRONAGE_RETURN: "patronage_return",
    AccountEntryKind.RESIDUAL_DISTRIBUTION: "residual_distribution",
}


@dataclass(frozen=True)
class Amounts:
    """One row's money columns; a balance row and an entry row have the same shape."""

    poverty_contribution: Decimal = ZERO
    other_contribution: Decimal = ZERO
    provident_share: Decimal = ZERO
    subsidy_share: Decimal = ZERO
    donation_share: Decimal = ZERO
    patronage_return: Decimal = ZERO
    residual_distribution: Decimal = ZERO

    def plus(self, other: Amounts) -> Amounts:
        """Column-wise sum."""
        return Amounts(**{name: getattr(self, name) + getattr(other, name) for name in vars(self)})


@dataclass(frozen=True)
class Row:
    """A numbered line of the account: an entry, or a transaction with its product's volume and amount."""

    number: int
    day: dt.date
    memo: str
    amounts: Amounts = field(default_factory=Amounts)
    product: str | None = None
    quantity: Decimal = ZERO
    trade_amount: Decimal = ZERO
    unit: str = ""  # of the quantity, as the ticket gives it


@dataclass(frozen=True)
class MemberAccount:
    """年初余额, the year's lines, 年末余额; transactions are totalled per product for the year."""

    member: Member
    year: int
    opening: Amounts
    rows: tuple[Row, ...]
    closing: Amounts
    products: tuple[str, ...]
    quantity_by_product: dict[str, Decimal]
    amount_by_product: dict[str, Decimal]
    # The unit of each product's quantity; empty when its tickets use several (their sum has no unit).
    unit_by_product: dict[str, str] = field(default_factory=dict)


def member_account(session: Session, member: Member, year: int) -> MemberAccount:
    """Build a member's account for a year from the append-only entries and the year's transactions."""
    first, last = year_bounds(year)
    entries = session.scalars(
        select(MemberAccountEntry)
        .where(MemberAccountEntry.member_id == member.id, MemberAccountEntry.entry_on <= last)
        .order_by(MemberAccountEntry.entry_on, MemberAccountEntry.id)
    ).all()
    opening = Amounts()
    dated: list[tuple[dt.date, int, Row]] = []
    for entry in entries:
        amounts = replace(Amounts(), **{COLUMN[entry.kind]: entry.amount})
        if entry.entry_on < first:
            opening = opening.plus(amounts)
        else:
            dated.append((entry.entry_on, 0, Row(0, entry.entry_on, entry.memo or entry.kind.value, amounts)))
    trades = session.execute(
        select(Trade, Product.name)
        .join(Product, Product.id == Trade.product_id)
        .where(Trade.member_id == member.id, Trade.traded_on.between(first, last))
        .order_by(Trade.traded_on, Trade.id)
    ).all()
    quantity: dict[str, Decimal] = {}
    amount: dict[str, Decimal] = {}
    unit: dict[str, str] = {}
    for trade, product in trades:
        quantity[product] = quantity.get(product, ZERO) + trade.quantity
        amount[product] = amount.get(product, ZERO) + trade.amount
        unit[product] = trade.unit if unit.get(product, trade.unit) == trade.unit else ""
        memo = f"{product} {trade.grade}".strip() + (f"（{trade.ticket_no}）" if trade.ticket_no else "")
        row = Row(0, trade.traded_on, memo, Amounts(), product, trade.quantity, trade.amount, trade.unit)
        dated.append((trade.traded_on, 1, row))
    dated.sort(key=lambda item: (item[0], item[1]))
    rows = tuple(replace(row, number=number) for number, (_, _, row) in enumerate(dated, start=1))
    closing = opening
    for row in rows:
        closing = closing.plus(row.amounts)
    return MemberAccount(member, year, opening, rows, closing, tuple(sorted(amount)), quantity, amount, unit)
