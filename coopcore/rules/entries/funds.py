"""Direct fiscal subsidies (国家财政直接补助) and donations: 235 专项应付款 while unspent, 311 专项基金 once property.

Quantifying the property they form to members is no journal entry: it is written in each member account at the
year end [KJ 成员账户编制说明 3], so nothing here names a member.
"""

from __future__ import annotations

from decimal import Decimal

from coopcore.money import ZERO
from coopcore.rules.entries.accounts import (
    ADMIN_EXPENSE,
    BANK,
    CONSTRUCTION,
    CONSUMABLE_BIOLOGICAL,
    FIXED_ASSETS,
    INTANGIBLES,
    MONEY,
    OPERATING_EXPENSE,
    OTHER_EXPENSE,
    PRODUCTIVE_BIOLOGICAL,
    SPECIAL_FUND,
    SPECIAL_PAYABLES,
    check_account,
)
from coopcore.rules.entries.lines import Aux, amount, balanced, cr, dr
from coopcore.rules.ledger import EntryLine
from coopcore.terms import FundForm, FundSource, SpecialPayableKind

ASSETS = frozenset({CONSUMABLE_BIOLOGICAL, PRODUCTIVE_BIOLOGICAL, FIXED_ASSETS, CONSTRUCTION, INTANGIBLES})
NOMINAL_VALUE = Decimal("1.00")  # [KJ 151 二(四); 311 五]: property that cannot be valued is booked at 1 yuan

SUBSIDY_RECEIVED = "收到财政补助资金"
SPENT_ON_ASSET = "财政补助资金形成资产"
SPENT_ON_SERVICES = "财政补助资金用于培训等支出"
PAST_EXPENSE = "财政补助资金弥补已发生支出"
RETURNED = "退回未使用的财政补助资金"
ASSET_RECEIVED = {FundSource.FISCAL_SUBSIDY: "收到财政补助形成的资产", FundSource.DONATION: "收到捐赠资产"}
RECEIVING_COSTS = "受赠资产相关税费运输费"
CASH_DONATION = "收到货币捐赠"


def subsidy_received(value: Decimal, *, account: str = BANK, project: str = "", summary: str = "") -> list[EntryLine]:
    """Book subsidy money received: Dr 102 / Cr 235 until it is spent."""
    # [KJ 235 二].
    text, tag = summary or SUBSIDY_RECEIVED, Aux(project=project)
    return balanced([dr(check_account(account, MONEY), value, text, tag), cr(SPECIAL_PAYABLES, value, text, tag)])


def subsidy_spent_on_asset(
    value: Decimal,
    asset_account: str = FIXED_ASSETS,
    *,
    poverty_asset: bool = False,
    account: str = BANK,
    project: str = "",
    summary: str = "",
) -> list[EntryLine]:
    """Spend subsidy on an asset: Dr 151 (141/142/153/161) / Cr 102, and at once Dr 235 / Cr 311."""
    # [KJ 235 三; 311 二]: the subsidy becomes 专项基金 as it becomes property (§15 rule 24).
    text, tag = summary or SPENT_ON_ASSET, Aux(project=project)
    asset = Aux(project=project, poverty_asset=poverty_asset)
    return balanced(
        [
            dr(check_account(asset_account, ASSETS), value, text, asset),
            cr(check_account(account, MONEY), value, text, tag),
            dr(SPECIAL_PAYABLES, value, text, tag),
            cr(SPECIAL_FUND, value, text, tag),
        ]
    )


def subsidy_spent_on_services(
    value: Decimal, *, account: str = BANK, project: str = "", summary: str = ""
) -> list[EntryLine]:
    """Spend subsidy on training, information, certification or marketing: Dr 235 / Cr 102 (no property)."""
    # [KJ 235 三].
    text, tag = summary or SPENT_ON_SERVICES, Aux(project=project)
    return balanced([dr(SPECIAL_PAYABLES, value, text, tag), cr(check_account(account, MONEY), value, text, tag)])


def subsidy_for_past_expense(
    value: Decimal, expense_account: str = ADMIN_EXPENSE, *, project: str = "", summary: str = ""
) -> list[EntryLine]:
    """Apply a subsidy that arrived after the spending to it: Dr 235 / Cr 521 or 523."""
    # [KJ 235 四]: the money itself was booked on arrival (subsidy_received).
    text, tag = summary or PAST_EXPENSE, Aux(project=project)
    expense = check_account(expense_account, {OPERATING_EXPENSE, ADMIN_EXPENSE})
    return balanced([dr(SPECIAL_PAYABLES, value, text, tag), cr(expense, value, text, tag)])


def subsidy_returned(value: Decimal, *, account: str = BANK, project: str = "", summary: str = "") -> list[EntryLine]:
    """Return unused subsidy: Dr 235 / Cr 102."""
    # [KJ 235 五].
    text, tag = summary or RETURNED, Aux(project=project)
    return balanced([dr(SPECIAL_PAYABLES, value, text, tag), cr(check_account(account, MONEY), value, text, tag)])


def asset_received(
    source: FundSource,
    value: Decimal | None,
    asset_account: str = FIXED_ASSETS,
    *,
    costs: Decimal = ZERO,
    poverty_asset: bool = False,
    account: str = BANK,
    project: str = "",
    summary: str = "",
) -> list[EntryLine]:
    """Book property given directly (subsidised or donated) to 311; value None means it cannot be valued (1 yuan).

    Taxes and transport paid on it (costs) are part of a valued asset, and 529 其他支出 of a nominal one.
    """
    # [KJ 151 二(四); 311 二, 五]: documented value, valuation or market price, plus related costs; else 1 yuan.
    text, tag = summary or ASSET_RECEIVED[source], Aux(project=project)
    asset = Aux(project=project, poverty_asset=poverty_asset)
    target, paying = check_account(asset_account, ASSETS), check_account(account, MONEY)
    if value is None:
        return balanced(
            [
                dr(target, NOMINAL_VALUE, text, asset),
                cr(SPECIAL_FUND, NOMINAL_VALUE, text, tag),
                dr(OTHER_EXPENSE, costs, RECEIVING_COSTS, tag),
                cr(paying, costs, RECEIVING_COSTS, tag),
            ]
        )
    return balanced(
        [
            dr(target, amount(value) + amount(costs), text, asset),
            cr(SPECIAL_FUND, value, text, tag),
            cr(paying, costs, RECEIVING_COSTS, tag),
        ]
    )


def cash_donation(value: Decimal, *, account: str = BANK, project: str = "", summary: str = "") -> list[EntryLine]:
    """Book money donated: Dr 101/102 / Cr 311."""
    # [KJ 311 四].
    text, tag = summary or CASH_DONATION, Aux(project=project)
    return balanced([dr(check_account(account, MONEY), value, text, tag), cr(SPECIAL_FUND, value, text, tag)])


def special_fund(
    source: FundSource,
    form: FundForm,
    value: Decimal,
    asset_account: str | None = None,
    *,
    poverty_asset: bool = False,
    project: str = "",
    summary: str = "",
) -> list[EntryLine]:
    """Book a special fund's property as it came: given as it is, bought with subsidy money on 235, or donated money."""
    asset = asset_account or FIXED_ASSETS
    if form is FundForm.FROM_SUBSIDY:
        return subsidy_spent_on_asset(value, asset, poverty_asset=poverty_asset, project=project, summary=summary)
    if form is FundForm.CASH:
        return cash_donation(value, project=project, summary=summary)
    return asset_received(source, value, asset, poverty_asset=poverty_asset, project=project, summary=summary)


def special_payable(
    kind: SpecialPayableKind,
    value: Decimal,
    *,
    expense_account: str | None = None,
    project: str = "",
    summary: str = "",
) -> list[EntryLine]:
    """Book a movement of subsidy money on 235 that forms no property."""
    if kind is SpecialPayableKind.RECEIVED:
        return subsidy_received(value, project=project, summary=summary)
    if kind is SpecialPayableKind.SPENT:
        return subsidy_spent_on_services(value, project=project, summary=summary)
    if kind is SpecialPayableKind.COVERS_EXPENSE:
        expense = expense_account or ADMIN_EXPENSE
        return subsidy_for_past_expense(value, expense, project=project, summary=summary)
    return subsidy_returned(value, project=project, summary=summary)
