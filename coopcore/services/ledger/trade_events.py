"""Trades in the books: a summary voucher (汇总凭证) per month and kind of ticket, a line per member and product.

Tickets are many (a household delivers several times a week in the season) and each is already a record with
its own number; the books take them as the month's summary, the way an accountant books a pile of 收购单:
"trade:2024-09:intake" holds September's intake. Editing or deleting a ticket rebooks its month's voucher.

Apart from input service fees, none of them touches profit and loss: what the cooperative earns on produce and
inputs is in its 收支 (the sales
and their cost), so 本年盈余 is the same whether or not trades are kept ticket by ticket.
- Intake: produce into stock at its price, owed to the member (Dr 121 / Cr 114—member) [KJ 121 二; 114 四],
  or held for sale on the member's behalf (Dr 128) under the agency model [KJ 128 二]; a non-member is owed on
  211 [KJ 211 一; L-41]. The model is the bylaws' (Cooperative.trade_model, or the product's ProductTradeModel);
  a month whose intake voucher is posted keeps the accounts it was booked with.
- Sale on behalf (代销): the money received is owed to the member whose produce it was (Dr 102 / Cr 114—member),
  the agency model's receipt and sale at the same price in one [KJ 114 四; 128 三]; a non-member on 211.
- Input purchase: the member owes the goods the cooperative paid for (Dr 114—member / Cr 102) [KJ 114 三];
  a non-member on 113 [KJ 113 二]. A ticket's service fee (代购服务费) is the one part that is income: the
  member owes it and the cooperative earns it (Dr 114—member / Cr 501) [KJ 114 三]; it is not in 收支.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session

from coopcore.models import (
    Account,
    Cooperative,
    Product,
    ProductTradeModel,
    Trade,
    Voucher,
    VoucherLine,
    VoucherState,
)
from coopcore.money import ZERO
from coopcore.rules.entries.accounts import (
    BANK,
    HELD_FOR_SALE,
    MEMBER_ACCOUNTS,
    OPERATING_INCOME,
    PAYABLES,
    PRODUCTS,
    RECEIVABLES,
)
from coopcore.rules.entries.lines import Aux, balanced, cr, dr
from coopcore.rules.entries.trades import SERVICE_FEE
from coopcore.rules.ledger import EntryLine
from coopcore.services.ledger.source import Event, Source, member_codes
from coopcore.terms import TradeKind, TradeModel, VoucherOrigin

SUMMARY = {
    TradeKind.INTAKE: "{month}月收购成员产品汇总",
    TradeKind.SALE: "{month}月代销成员产品汇总",
    TradeKind.INPUT_PURCHASE: "{month}月为成员代购农资汇总",
}
STOCK = {TradeModel.PURCHASE: PRODUCTS, TradeModel.AGENCY: HELD_FOR_SALE}


def _trades(session: Session, cooperative: Cooperative, refs: set[str] | None) -> Iterator[Event]:
    keys = TRADES.keys(refs)
    query = (
        select(
            Trade.traded_on,
            Trade.kind,
            Trade.member_id,
            Trade.counterparty,
            Product.name,
            Product.id,
            func.sum(Trade.amount),
            func.sum(Trade.service_fee),
        )
        .join(Product, Product.id == Trade.product_id)
        .where(Trade.cooperative_id == cooperative.id)
        .group_by(Trade.traded_on, Trade.kind, Trade.member_id, Trade.counterparty, Product.name, Product.id)
    )
    if keys is not None:
        query = query.where(or_(false(), *(_dated_in(key.split(":", 1)[0]) for key in keys)))
    grouped: dict[tuple[str, TradeKind], dict[Party, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    fees: dict[tuple[str, TradeKind], dict[Party, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    products: dict[str, int] = {}
    for day, kind, member_id, counterparty, product, product_id, value, fee in session.execute(query):
        month = f"{day.year:04d}-{day.month:02d}"
        if keys is None or f"{month}:{kind.value}" in keys:
            party = (member_id, "" if member_id else counterparty, product)
            grouped[(month, kind)][party] += value or ZERO
            if fee:
                fees[(month, kind)][party] += fee
            products[product] = product_id
    codes = member_codes(session, cooperative)
    models = product_models(session, cooperative)
    posted = _posted_stock(session, cooperative)
    for (month, kind), amounts in sorted(grouped.items()):
        last = _last_day(month)
        summary = SUMMARY[kind].format(month=last.month)
        stock = {
            product: posted.get((month, product)) or STOCK[models.get(product_id, cooperative.trade_model)]
            for product, product_id in products.items()
        }
        lines = _lines(kind, amounts, codes, summary, stock) + _fee_lines(fees.get((month, kind), {}), codes)
        yield Event(TRADES.ref(month, kind.value), last, summary, lines)


def product_models(session: Session, cooperative: Cooperative) -> dict[int, TradeModel]:
    """The products the cooperative's bylaws take under another model than its default, by product id."""
    query = select(ProductTradeModel.product_id, ProductTradeModel.model)
    rows = session.execute(query.where(ProductTradeModel.cooperative_id == cooperative.id))
    return {product_id: model for product_id, model in rows}


def _posted_stock(session: Session, cooperative: Cooperative) -> dict[tuple[str, str], str]:
    """The stock account (121 or 128) of each product in the months an intake voucher was posted in.

    A posted month stays as it was booked when the model changes later: a full sync finds it unchanged (also in
    a closed month), and booked again (a ticket of it edited: its posted voucher reversed, a new one written)
    it keeps the accounts of its latest posted voucher. Only months never posted follow the model in force.
    """
    query = (
        select(Voucher.source_ref, Product.name, Account.code)
        .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
        .join(Account, Account.id == VoucherLine.account_id)
        .join(Product, Product.id == VoucherLine.product_id)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.origin == VoucherOrigin.TRADE)
        .where(Voucher.state == VoucherState.POSTED, Voucher.source_ref.like(f"{TRADES.prefix}:%:{TradeKind.INTAKE}%"))
        .where(Account.code.in_(STOCK.values()))
        .order_by(Voucher.id)  # the latest posted version of a month's voucher wins
    )
    return {(str(ref).split(":")[1], product): code for ref, product, code in session.execute(query)}


Party = tuple[int | None, str, str]  # member id (None: a non-member), counterparty, product


def _lines(
    kind: TradeKind, amounts: dict[Party, Decimal], codes: dict[int, str], summary: str, stock: dict[str, str]
) -> list[EntryLine]:
    """The month's lines: the party's side per member (or counterparty) and product, the other side per product
    (for intake, the product's stock account under its model)."""
    parties: list[EntryLine] = []
    goods: dict[str, Decimal] = defaultdict(Decimal)
    for (member_id, counterparty, product), value in sorted(amounts.items(), key=_order):
        goods[product] += value
        if member_id is not None:
            account, aux = MEMBER_ACCOUNTS, Aux(member=codes[member_id], product=product)
        else:
            account = RECEIVABLES if kind is TradeKind.INPUT_PURCHASE else PAYABLES
            aux = Aux(counterparty=counterparty, product=product)
        parties.append((dr if kind is TradeKind.INPUT_PURCHASE else cr)(account, value, summary, aux))
    sides = [(cr if kind is TradeKind.INPUT_PURCHASE else dr)(stock[product] if kind is TradeKind.INTAKE else BANK,
                                                              value, summary, Aux(product=product))
             for product, value in sorted(goods.items())]  # fmt: skip
    return balanced([*sides, *parties] if kind is not TradeKind.INPUT_PURCHASE else [*parties, *sides])


def _fee_lines(fees: dict[Party, Decimal], codes: dict[int, str]) -> list[EntryLine]:
    """Input purchases' service fees: owed by the party (114—member, 113 for a non-member), earned on 501."""
    # [KJ 114 三]: Dr 114 / Cr 501 for the service fee; a non-member's on 113 [KJ 113 二].
    owed: list[EntryLine] = []
    earned: dict[str, Decimal] = defaultdict(Decimal)
    for (member_id, counterparty, product), fee in sorted(fees.items(), key=_order):
        earned[product] += fee
        if member_id is not None:
            owed.append(dr(MEMBER_ACCOUNTS, fee, SERVICE_FEE, Aux(member=codes[member_id], product=product)))
        else:
            owed.append(dr(RECEIVABLES, fee, SERVICE_FEE, Aux(counterparty=counterparty, product=product)))
    income = [cr(OPERATING_INCOME, fee, SERVICE_FEE, Aux(product=product)) for product, fee in sorted(earned.items())]
    return balanced([*owed, *income])


def _order(item: tuple[Party, Decimal]) -> tuple[str, bool, int, str]:
    (member_id, counterparty, product), _ = item
    return (product, member_id is None, member_id or 0, counterparty)  # members first, then non-members


def _dated_in(month: str) -> ColumnElement[bool]:
    first = dt.date.fromisoformat(f"{month}-01")
    return Trade.traded_on.between(first, _last_day(month))


def _last_day(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


TRADES = Source(VoucherOrigin.TRADE, "trade", _trades)
