"""Trades: produce taken from members under the purchase or the agency model, sales, and inputs bought for members.

Business with a member books to 114 成员往来 of that member; with a non-member to 113 应收款 (owed to the
cooperative) or 211 应付款 (owed by it) of the counterparty: [L-41] keeps the two apart, as [KJ 113, 114, 211] do.
"""

from __future__ import annotations

from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import ZERO
from coopcore.rules.books import NO_PARTY
from coopcore.rules.entries.accounts import (
    BANK,
    HELD_FOR_SALE,
    MEMBER_ACCOUNTS,
    MONEY,
    OPERATING_EXPENSE,
    OPERATING_INCOME,
    PAYABLES,
    PRODUCTS,
    RECEIVABLES,
    check_account,
)
from coopcore.rules.entries.lines import Aux, amount, balanced, cr, dr
from coopcore.rules.ledger import EntryLine
from coopcore.terms import TradeModel

CONTRACT_VALUE_REQUIRED = "A sale on behalf of members releases the goods at their contract price: give it."
PAID_OVER_PRICE = "The advance and the money received ({value}) exceed the price {price}."

INTAKE = {TradeModel.PURCHASE: "收购成员产品", TradeModel.AGENCY: "受托代销产品入库"}
SALE = {TradeModel.PURCHASE: "销售产品", TradeModel.AGENCY: "销售受托代销产品"}
COST_OF_SALES = "结转销售成本"
INPUTS = "为成员代购农资"
SERVICE_FEE = "农资代购服务费"
MEMBER_PAYS = "收到成员欠款"
MEMBER_PAID = "支付成员款项"
ADVANCE = "收到客户预付款"
COLLECTED = "收回应收款"


def intake(
    model: TradeModel,
    value: Decimal,
    *,
    member: str | None = None,
    counterparty: str = "",
    paid_from: str | None = None,
    product: str | None = None,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    summary: str = "",
) -> list[EntryLine]:
    """Take produce in: bought into 121 (purchase model) or held for the member in 128 (agency model).

    The supplier is owed the value on 114—member (211 for a non-member), unless it is paid at once from paid_from.
    """
    # [KJ 121 二]: purchase, Dr 121 / Cr 114 (or 101/102). [KJ 114 四; 128 二]: agency, Dr 128 / Cr 114 at the
    # contract price.
    text = summary or INTAKE[model]
    goods = Aux(product=product, quantity=quantity, unit_price=unit_price)
    stock = PRODUCTS if model == TradeModel.PURCHASE else HELD_FOR_SALE
    if paid_from is not None:
        owed, party = check_account(paid_from, MONEY), Aux(product=product)
    else:
        owed, party = _owed_to(member, counterparty, product)
    return balanced([dr(stock, value, text, goods), cr(owed, value, text, party)])


def sale(
    model: TradeModel,
    price: Decimal,
    *,
    contract_value: Decimal | None = None,
    cost: Decimal | None = None,
    buyer: str = "",
    advance: Decimal = ZERO,
    received: Decimal = ZERO,
    account: str = BANK,
    product: str | None = None,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    summary: str = "",
) -> list[EntryLine]:
    """Sell produce: the price is met by the buyer's advance (211), money received, and the rest owed (113).

    Purchase model: the price is income (501) and cost, if given, moves from 121 to 521. Agency model: the goods
    leave 128 at their contract value; a price above it is income (501), below it a cost (521).
    """
    text = summary or SALE[model]
    price, advance, received = amount(price), amount(advance), amount(received)
    if advance + received > price:
        raise InvalidValue(PAID_OVER_PRICE, value=advance + received, price=price)
    buyer_aux = Aux(counterparty=buyer, product=product)
    owed = price - advance - received
    if owed and not buyer.strip():
        raise InvalidValue(NO_PARTY)
    # [KJ 113 二; 211 一]: an advance received was held in 211; what is not paid is receivable on 113.
    lines = [
        dr(PAYABLES, advance, text, buyer_aux),
        dr(check_account(account, MONEY), received, text, Aux(product=product)),
        dr(RECEIVABLES, owed, text, buyer_aux),
    ]
    goods = Aux(product=product, quantity=quantity, unit_price=unit_price)
    if model == TradeModel.PURCHASE:
        lines.append(cr(OPERATING_INCOME, price, text, Aux(product=product)))
        if cost is not None:  # [KJ 121 五]: cost of sales, Dr 521 / Cr 121
            lines += [dr(OPERATING_EXPENSE, cost, COST_OF_SALES, Aux(product=product)),
                      cr(PRODUCTS, cost, COST_OF_SALES, goods)]  # fmt: skip
        return balanced(lines)
    if contract_value is None:
        raise InvalidValue(CONTRACT_VALUE_REQUIRED)
    # [KJ 128 三]: Cr 128 at the contract price, the excess to 501, a shortfall to 521.
    excess = price - amount(contract_value)
    lines.append(cr(HELD_FOR_SALE, contract_value, text, goods))
    lines.append(cr(OPERATING_INCOME, max(excess, ZERO), text, Aux(product=product)))
    lines.append(dr(OPERATING_EXPENSE, max(-excess, ZERO), text, Aux(product=product)))
    return balanced(lines)


def advance_received(buyer: str, value: Decimal, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Book an advance from a buyer (a leading enterprise under an order contract): Dr 102 / Cr 211—buyer."""
    # ⚠️ INFERRED (domain.md §2.4): the 2021 rules have no 预收 account; 211 holds "暂收款项" from non-members.
    if not buyer.strip():
        raise InvalidValue(NO_PARTY)
    text = summary or ADVANCE
    return balanced(
        [dr(check_account(account, MONEY), value, text), cr(PAYABLES, value, text, Aux(counterparty=buyer))]
    )


def receivable_collected(debtor: str, value: Decimal, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Book money received from a non-member who owed it: Dr 102 / Cr 113—debtor."""
    # [KJ 113 二]; also a federation's returns when they arrive [KJ 131 四].
    if not debtor.strip():
        raise InvalidValue(NO_PARTY)
    text = summary or COLLECTED
    party = Aux(counterparty=debtor)
    return balanced([dr(check_account(account, MONEY), value, text), cr(RECEIVABLES, value, text, party)])


def input_purchase(
    member: str,
    cost: Decimal,
    *,
    fee: Decimal = ZERO,
    account: str = BANK,
    supplier: str = "",
    product: str | None = None,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    summary: str = "",
) -> list[EntryLine]:
    """Buy inputs for a member: the member owes the goods (Cr 102, or 211—supplier on credit) and the fee (501)."""
    # [KJ 114 三]: Dr 114 / Cr 101/102/211 for the goods; Dr 114 / Cr 501 for the service fee.
    text = summary or INPUTS
    owes = Aux(member=member, product=product, quantity=quantity, unit_price=unit_price)
    paying = check_account(account, MONEY | {PAYABLES})
    if paying == PAYABLES and not supplier.strip():
        raise InvalidValue(NO_PARTY)
    return balanced(
        [
            dr(MEMBER_ACCOUNTS, cost, text, owes),
            cr(paying, cost, text, Aux(counterparty=supplier, product=product)),
            dr(MEMBER_ACCOUNTS, fee, SERVICE_FEE, Aux(member=member, product=product)),
            cr(OPERATING_INCOME, fee, SERVICE_FEE, Aux(product=product)),
        ]
    )


def member_pays(member: str, value: Decimal, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """A member pays what they owe (inputs bought for them): Dr 101/102 / Cr 114—member."""
    # [KJ 114 三].
    text = summary or MEMBER_PAYS
    return balanced(
        [dr(check_account(account, MONEY), value, text), cr(MEMBER_ACCOUNTS, value, text, Aux(member=member))]
    )


def member_paid(member: str, value: Decimal, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Pay a member what they are owed (their produce, their land rent): Dr 114—member / Cr 101/102."""
    # [KJ 114 四; 128 四].
    text = summary or MEMBER_PAID
    return balanced(
        [dr(MEMBER_ACCOUNTS, value, text, Aux(member=member)), cr(check_account(account, MONEY), value, text)]
    )


def _owed_to(member: str | None, counterparty: str, product: str | None) -> tuple[str, Aux]:
    if member:
        return MEMBER_ACCOUNTS, Aux(member=member, product=product)
    if not counterparty.strip():
        raise InvalidValue(NO_PARTY)
    return PAYABLES, Aux(counterparty=counterparty, product=product)
