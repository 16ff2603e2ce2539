"""The rules of a cooperative's records one by one: trades, income and expense, special funds, contributions,
land shares, order contracts and deliveries.

Each rule is a pure function of the record's fields, named as the models name them, and returns its findings
(none when the record is right, or when a field it needs is not given: a missing value is reported by whoever
reads it). The admin's forms and the workbook import call the same functions (admin.views.base, services.workbook).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import round_half_up
from coopcore.rules.contracts import PriceTerms
from coopcore.rules.findings import Finding, Severity, error
from coopcore.terms import AccountEntryKind, FundForm, FundSource, IncomeCategory, TradeKind

INVESTMENT_INCOME = IncomeCategory.INVESTMENT_INCOME  # 511 投资收益
CONTRIBUTION_LAND = AccountEntryKind.CONTRIBUTION_LAND
CONTRIBUTION_KINDS = frozenset(kind for kind in AccountEntryKind if kind.is_contribution)

WRONG_AMOUNT = "The amount {value} is not quantity × unit price = {expected} (rounded half-up to the fen)."
NO_PARTY = "Name the member, or the counterparty of non-member business."
OTHER_COOPERATIVE = "The member {member} is not a member of this cooperative."
ONLY_INVESTMENT_NEGATIVE = (
    "{value} is negative; only investment income (投资收益) may be a loss, other accounts carry their sign in the "
    "account."
)
DISPOSED_BEFORE_RECEIVED = "Disposed of on {value}, before it was received on {received_on}."
NOT_A_CONTRIBUTION = "Only contributions can be entered here."
AREA_REQUIRED = "A contribution of land-management rights needs its area in mu (Art. 13)."
AREA_ONLY_FOR_LAND = (
    "An area is only recorded for a contribution of land-management rights; remove it or change the method."
)
END_NOT_AFTER_START = "The end date {value} must be after the start date {start_on}."
SHARE_LARGER_THAN_PARCEL = "The share of {value} mu is larger than the parcel's {parcel_area} mu."
END_BEYOND_CONTRACT = (
    "The share ends on {value}, after the land contract ends on {contract_end_on}: a transfer may not exceed the "
    "remaining contract term (Land Contract Law Art. 38)."
)
CONTRACT_ENDS_BEFORE_START = "The contract ends before it starts."
ACCEPTED_OVER_DELIVERED = "The accepted quantity cannot exceed the quantity delivered."
FEE_ONLY_ON_INPUTS = "A service fee is charged only for inputs bought on a member's behalf (农资代购); remove it."
NEGATIVE_FEE = "The service fee {value} cannot be negative."
SUBSIDY_PROPERTY_ONLY = (
    "Only property from a fiscal subsidy is bought with subsidy money held on 235 专项应付款; choose another form."
)
SUBSIDY_MONEY_TO_235 = (
    "Fiscal subsidy money is held on 235 专项应付款 until it is spent: enter it under 专项应付款; only a donation "
    "arrives as money to 专项基金."
)
PREMIUM_ABOVE_VALUE = "The premium {value} would leave the contribution's value at or below zero."
PREMIUM_ONLY_ON_CONTRIBUTIONS = "A premium belongs to a contribution only; remove it."
TEMPLATES = (
    WRONG_AMOUNT,
    NO_PARTY,
    OTHER_COOPERATIVE,
    ONLY_INVESTMENT_NEGATIVE,
    DISPOSED_BEFORE_RECEIVED,
    NOT_A_CONTRIBUTION,
    AREA_REQUIRED,
    AREA_ONLY_FOR_LAND,
    END_NOT_AFTER_START,
    SHARE_LARGER_THAN_PARCEL,
    END_BEYOND_CONTRACT,
    CONTRACT_ENDS_BEFORE_START,
    ACCEPTED_OVER_DELIVERED,
    FEE_ONLY_ON_INPUTS,
    NEGATIVE_FEE,
    SUBSIDY_PROPERTY_ONLY,
    SUBSIDY_MONEY_TO_235,
    PREMIUM_ABOVE_VALUE,
    PREMIUM_ONLY_ON_CONTRIBUTIONS,
)


# ----- trades ---------------------------------------------------------------------------------------------------
def check_service_fee(kind: str | None, service_fee: Decimal | None) -> list[Finding]:
    """A service fee is charged for buying inputs on a member's behalf, and is not negative [KJ 114 三]."""
    if service_fee is None:
        return []
    if service_fee < 0:
        return error("service_fee", NEGATIVE_FEE, key="service_fee", value=service_fee)
    if kind is not None and kind != TradeKind.INPUT_PURCHASE:
        return error("service_fee", FEE_ONLY_ON_INPUTS, key="service_fee", value=service_fee)
    return []


def trade_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Return a ticket's amount: quantity × unit price, rounded half-up to the fen once (docs/distribution.md)."""
    return round_half_up(quantity * unit_price)


def check_trade_amount(quantity: Decimal | None, unit_price: Decimal | None, amount: Decimal | None) -> list[Finding]:
    """A ticket's amount is its quantity × unit price (a blank amount is computed, not checked)."""
    if quantity is None or unit_price is None or amount is None:
        return []
    expected = trade_amount(quantity, unit_price)
    if amount == expected:
        return []
    return error("trade_amount", WRONG_AMOUNT, key="amount", value=amount, expected=expected)


def check_trade_party(member: object | None, counterparty: str | None) -> list[Finding]:
    """A ticket names the member, or for non-member business the counterparty ([L-41] keeps the two apart)."""
    if member is not None or (counterparty or "").strip():
        return []
    return error("trade_party", NO_PARTY, key="counterparty", article="L-41")


def check_member_cooperative(
    cooperative_id: int | None, member_cooperative_id: int | None, member: object | None
) -> list[Finding]:
    """A record of a cooperative names only members of that cooperative."""
    if member_cooperative_id is None or member_cooperative_id == cooperative_id:
        return []
    return error("member_cooperative", OTHER_COOPERATIVE, key="member", member=str(member))


# ----- income and expense, special funds ------------------------------------------------------------------------
def check_income_sign(category: str | None, amount: Decimal | None) -> list[Finding]:
    """Only investment income ([KJ 511]) may be a loss; every other account carries its sign in the account."""
    if amount is None or amount >= 0 or category == INVESTMENT_INCOME:
        return []
    return error("income_sign", ONLY_INVESTMENT_NEGATIVE, key="amount", article="KJ 511", value=amount)


def check_fund_dates(received_on: dt.date | None, disposed_on: dt.date | None) -> list[Finding]:
    """Property of a special fund is disposed of no earlier than it was received."""
    if received_on is None or disposed_on is None or disposed_on >= received_on:
        return []
    return error("fund_dates", DISPOSED_BEFORE_RECEIVED, key="disposed_on", value=disposed_on, received_on=received_on)


def check_fund_form(source: str | None, form: str | None) -> list[Finding]:
    """Subsidy money waits on 235 before it forms property; only a donation comes as money to 311."""
    # [KJ 235 二, 三; 311 四].
    if form == FundForm.FROM_SUBSIDY and source not in (None, FundSource.FISCAL_SUBSIDY):
        return error("fund_form", SUBSIDY_PROPERTY_ONLY, key="form", article="KJ 235")
    if form == FundForm.CASH and source not in (None, FundSource.DONATION):
        return error("fund_form", SUBSIDY_MONEY_TO_235, key="form", article="KJ 235")
    return []


# ----- contributions --------------------------------------------------------------------------------------------
def check_contribution_premium(kind: str | None, amount: Decimal | None, premium: Decimal | None) -> list[Finding]:
    """A premium is part of a contribution's value; the value (share plus premium) stays on the share's side."""
    # [KJ 第四十条; 321 二]: the difference between what is brought in and the share is 资本公积.
    if not premium:
        return []
    if kind is not None and kind not in CONTRIBUTION_KINDS:
        return error("premium", PREMIUM_ONLY_ON_CONTRIBUTIONS, key="premium")
    if amount is not None and amount * (amount + premium) <= 0:
        return error("premium", PREMIUM_ABOVE_VALUE, key="premium", value=premium)
    return []


def check_contribution_kind(kind: str | None) -> list[Finding]:
    """A contribution (出资) is one of the four contribution kinds of the member account."""
    if kind is None or kind in CONTRIBUTION_KINDS:
        return []
    return error("contribution_kind", NOT_A_CONTRIBUTION, key="kind")


def check_land_area(kind: str | None, area_mu: Decimal | None) -> list[Finding]:
    """A contribution of land-management rights records its area in mu (Art. 13)."""
    if kind != CONTRIBUTION_LAND or area_mu is not None:
        return []
    return error("land_area", AREA_REQUIRED, key="area_mu", article="L-13")


def check_area_only_for_land(kind: str | None, area_mu: Decimal | None) -> list[Finding]:
    """Only a contribution of land-management rights has an area."""
    if kind is None or kind == CONTRIBUTION_LAND or area_mu is None:
        return []
    return error("area_only_for_land", AREA_ONLY_FOR_LAND, key="area_mu", value=area_mu)


# ----- land shares ----------------------------------------------------------------------------------------------
def check_share_term(start_on: dt.date | None, end_on: dt.date | None) -> list[Finding]:
    """A land share ends after it starts."""
    if not (start_on and end_on) or end_on > start_on:
        return []
    return error("share_term", END_NOT_AFTER_START, key="end_on", value=end_on, start_on=start_on)


def check_share_area(area_mu: Decimal | None, parcel_area_mu: Decimal | None) -> list[Finding]:
    """A land share is no larger than its parcel."""
    if not (area_mu and parcel_area_mu) or area_mu <= parcel_area_mu:
        return []
    return error("share_area", SHARE_LARGER_THAN_PARCEL, key="area_mu", value=area_mu, parcel_area=parcel_area_mu)


def check_share_contract(end_on: dt.date | None, contract_end_on: dt.date | None) -> list[Finding]:
    """A land share does not outlast the household's land contract."""
    # [TD-38(三)]: 流转期限不得超过承包期的剩余期限.
    if not (end_on and contract_end_on) or end_on <= contract_end_on:
        return []
    fields = {"value": end_on, "contract_end_on": contract_end_on}
    return error("share_contract", END_BEYOND_CONTRACT, key="end_on", article="TD-38", **fields)


# ----- order contracts and deliveries ---------------------------------------------------------------------------
def check_price_terms(
    price_rule: str | None, fixed_price: Decimal | None, protective_price: Decimal | None, premium: Decimal | None
) -> list[Finding]:
    """A contract's price clause names the prices it needs (§10.1)."""
    if price_rule is None:
        return []
    try:
        PriceTerms(str(price_rule), fixed_price, protective_price, premium)
    except InvalidValue as refused:
        return [Finding("price_terms", Severity.ERROR, refused.message_template, refused.fields, "", "price_rule")]
    return []


def check_contract_term(start_on: dt.date | None, end_on: dt.date | None) -> list[Finding]:
    """An order contract ends no earlier than it starts."""
    if start_on is None or end_on is None or end_on >= start_on:
        return []
    return error("contract_term", CONTRACT_ENDS_BEFORE_START, key="end_on")


def check_accepted_quantity(quantity: Decimal | None, accepted_quantity: Decimal | None) -> list[Finding]:
    """A delivery accepts no more than was delivered."""
    if quantity is None or accepted_quantity is None or accepted_quantity <= quantity:
        return []
    return error("accepted_quantity", ACCEPTED_OVER_DELIVERED, key="accepted_quantity")
