"""Members' contributions (出资) and what is paid back when a member leaves (退社)."""

from __future__ import annotations

from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.rules.entries.accounts import (
    BANK,
    CAPITAL_RESERVE,
    CONSUMABLE_BIOLOGICAL,
    FIXED_ASSETS,
    INTANGIBLES,
    MEMBER_ACCOUNTS,
    MONEY,
    PRODUCTIVE_BIOLOGICAL,
    PRODUCTS,
    SHARE_CAPITAL,
    SURPLUS_RESERVE,
    UNDISTRIBUTED,
    check_account,
)
from coopcore.rules.entries.lines import Aux, amount, balanced, cr, dr, net
from coopcore.rules.exits import Settlement
from coopcore.rules.ledger import EntryLine
from coopcore.terms import AccountEntryKind

IN_KIND = frozenset({PRODUCTS, "122", CONSUMABLE_BIOLOGICAL, PRODUCTIVE_BIOLOGICAL, FIXED_ASSETS})
PAID_BACK_FROM = MONEY | {MEMBER_ACCOUNTS}
NOT_A_CONTRIBUTION = "{value} is not a kind of contribution."

SUMMARY = {
    AccountEntryKind.CONTRIBUTION_CASH: "成员货币出资",
    AccountEntryKind.CONTRIBUTION_LAND: "成员以土地经营权出资",
    AccountEntryKind.CONTRIBUTION_IN_KIND: "成员实物出资",
    AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: "成员以到户类扶贫项目资产出资",
    AccountEntryKind.REFUND: "退社退还股金",
    AccountEntryKind.PROVIDENT_SHARE: "退社退还公积金份额",
}
EXIT_SUMMARY = "成员退社结算"


def cash_contribution(
    member: str, received: Decimal, share_value: Decimal | None = None, *, account: str = BANK, summary: str = ""
) -> list[EntryLine]:
    """Book money paid in: its share of capital to 301, a premium (a late joiner's) to 321."""
    # [KJ 第四十条; 301 二; 321 二]: Dr 101/102 as received / Cr 301 at the member's share / Cr 321 the difference.
    text = summary or SUMMARY[AccountEntryKind.CONTRIBUTION_CASH]
    return _contributed(member, check_account(account, MONEY), received, share_value, text, Aux())


def land_contribution(
    member: str,
    agreed_value: Decimal,
    share_value: Decimal | None = None,
    *,
    account: str = INTANGIBLES,
    poverty_asset: bool = False,
    summary: str = "",
) -> list[EntryLine]:
    """Book land-management rights at the value agreed: Dr 161 / Cr 301, the difference to either side of 321."""
    # [KJ 第三十条(三); 161 二(三)]: the value fixed by documents, or a valuation the assembly approved.
    text = summary or SUMMARY[AccountEntryKind.CONTRIBUTION_LAND]
    asset = Aux(poverty_asset=poverty_asset)
    return _contributed(member, check_account(account, {INTANGIBLES}), agreed_value, share_value, text, asset)


def in_kind_contribution(
    member: str,
    account: str,
    value: Decimal,
    share_value: Decimal | None = None,
    *,
    poverty_asset: bool = False,
    product: str | None = None,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    summary: str = "",
) -> list[EntryLine]:
    """Book stock, biological or fixed assets put in: Dr 121/141/142/151 / Cr 301, the difference to 321."""
    # [KJ 121 四; 141 二(三); 142 二(三); 151 二(三)]: the same pattern as money, at the agreed value.
    text = summary or SUMMARY[AccountEntryKind.CONTRIBUTION_IN_KIND]
    goods = Aux(product=product, poverty_asset=poverty_asset, quantity=quantity, unit_price=unit_price)
    return _contributed(member, check_account(account, IN_KIND), value, share_value, text, goods)


def poverty_asset_contribution(
    member: str,
    account: str,
    value: Decimal,
    share_value: Decimal | None = None,
    *,
    project: str = "",
    summary: str = "",
) -> list[EntryLine]:
    """Book a household's contribution of a poverty-relief project's asset, flagged as such on the asset line."""
    # [KJ 第三十三条; 151 八; 成员账户 "来源于到户类扶贫项目资产的出资额"]: such assets are split out and kept in
    # the memorandum book; the project names which one on every line.
    text = summary or SUMMARY[AccountEntryKind.CONTRIBUTION_POVERTY_ASSET]
    asset = Aux(poverty_asset=True, project=project)
    allowed = MONEY | IN_KIND | {INTANGIBLES}
    return _contributed(member, check_account(account, allowed), value, share_value, text, asset)


def contribution(
    kind: AccountEntryKind,
    member: str,
    value: Decimal,
    share_value: Decimal | None = None,
    *,
    account: str | None = None,
    poverty_asset: bool = False,
    summary: str = "",
) -> list[EntryLine]:
    """Book a contribution of any kind; the asset account defaults to 102 (cash), 161 (land) or 151 (the rest)."""
    if kind == AccountEntryKind.CONTRIBUTION_CASH:
        return cash_contribution(member, value, share_value, account=account or BANK, summary=summary)
    if kind == AccountEntryKind.CONTRIBUTION_LAND:
        target = account or INTANGIBLES
        return land_contribution(
            member, value, share_value, account=target, poverty_asset=poverty_asset, summary=summary
        )
    if kind == AccountEntryKind.CONTRIBUTION_IN_KIND:
        target = account or FIXED_ASSETS
        return in_kind_contribution(member, target, value, share_value, poverty_asset=poverty_asset, summary=summary)
    if kind == AccountEntryKind.CONTRIBUTION_POVERTY_ASSET:
        return poverty_asset_contribution(member, account or FIXED_ASSETS, value, share_value, summary=summary)
    raise InvalidValue(NOT_A_CONTRIBUTION, value=kind)


def contribution_refund(member: str, refunded: Decimal, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Pay a leaver's contribution back: Dr 301—member / Cr 101/102."""
    # [KJ 301 六]; [L-28]: the contribution recorded in the member account is returned.
    text = summary or SUMMARY[AccountEntryKind.REFUND]
    paid = Aux(member=member)
    return balanced(
        [dr(SHARE_CAPITAL, refunded, text, paid), cr(check_account(account, PAID_BACK_FROM), refunded, text, paid)]
    )


def provident_share_refund(
    member: str, refunded: Decimal, *, account: str = BANK, summary: str = ""
) -> list[EntryLine]:
    """Pay a leaver's provident-fund share back: Dr 322 / Cr 102, or Cr 114—member to settle later."""
    # ⚠️ INFERRED (domain.md §2.4): [L-28] returns the quantified provident share, but [KJ 301 六] only describes
    # the 股金 leg; the share is part of 322 盈余公积, so 322 is debited.
    text = summary or SUMMARY[AccountEntryKind.PROVIDENT_SHARE]
    paid = Aux(member=member)
    return balanced(
        [dr(SURPLUS_RESERVE, refunded, text), cr(check_account(account, PAID_BACK_FROM), refunded, text, paid)]
    )


def exit_refund(member: str, settlement: Settlement, *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Settle a leaver: 301 and their provident share to zero, the refund paid, their share of losses borne."""
    # [L-28]: contribution and provident share come back, less the leaver's share of losses (coopcore.rules.exits).
    # ⚠️ INFERRED: the share of losses borne is credited to 332—未分配盈余, where the uncovered loss stands
    # (as a loss covered by 322 is, [KJ 332 二]); the provident leg is INFERRED as in provident_share_refund.
    text = summary or EXIT_SUMMARY
    paid = Aux(member=member)
    return balanced(
        [
            dr(SHARE_CAPITAL, settlement.contribution, text, paid),
            dr(SURPLUS_RESERVE, settlement.provident_share, text),
            cr(check_account(account, PAID_BACK_FROM), amount(settlement.refund), text, paid),
            cr(UNDISTRIBUTED, settlement.loss_share, text),
        ]
    )


def _contributed(
    member: str, account: str, value: Decimal, share_value: Decimal | None, summary: str, asset: Aux
) -> list[EntryLine]:
    share = amount(value if share_value is None else share_value)
    return balanced(
        [
            dr(account, value, summary, asset),
            cr(SHARE_CAPITAL, share, summary, Aux(member=member, project=asset.project)),
            # [KJ 321 二]: above the share is a premium (credit); below it, for assets valued lower, a debit.
            net(CAPITAL_RESERVE, share - amount(value), summary, Aux(project=asset.project)),
        ]
    )
