"""Paying what a distribution declared, converting it into contributions, and a cooperative's federation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import ZERO
from coopcore.rules.books import NO_PARTY
from coopcore.rules.entries.accounts import (
    BANK,
    FIXED_ASSETS,
    INTANGIBLES,
    INVESTMENT_INCOME,
    INVESTMENTS,
    MEMBER_ACCOUNTS,
    MONEY,
    POVERTY_SPLIT,
    RECEIVABLES,
    RESIDUAL_PAYABLE,
    RETURNS_PAYABLE,
    SHARE_CAPITAL,
    check_account,
    first_level,
)
from coopcore.rules.entries.contributions import IN_KIND
from coopcore.rules.entries.lines import Aux, amount, balanced, cr, dr, require_resolution
from coopcore.rules.entries.trades import receivable_collected
from coopcore.rules.ledger import EntryLine
from coopcore.terms import AccountEntryKind

PAID = "支付盈余返还及剩余盈余"
CONVERTED = "应付盈余转为成员出资（{resolution}）"
FEDERATION_RETURN = "应收联合社盈余返还"
FEDERATION_RECEIVED = "收到联合社盈余返还"
FEDERATION_INVESTMENT = "向联合社出资"
RUN_PAID = "付款批次{number}：{purpose}"
# What a payment run may pay out of: what the cooperative owes its members on their detail ledgers.
RUN_ACCOUNTS = frozenset({MEMBER_ACCOUNTS, RETURNS_PAYABLE, RESIDUAL_PAYABLE})
# What a member cooperative may invest in its federation with [KJ 131 二]: money, or an asset it holds.
INVESTED_WITH = MONEY | IN_KIND | {INTANGIBLES}
# By kind of contribution: the accounts it may leave from, and the one it leaves from unless another is chosen.
INVESTED_BY_KIND = {
    AccountEntryKind.CONTRIBUTION_CASH: (MONEY, BANK),
    AccountEntryKind.CONTRIBUTION_LAND: (frozenset({INTANGIBLES}), INTANGIBLES),
    AccountEntryKind.CONTRIBUTION_IN_KIND: (IN_KIND, FIXED_ASSETS),
    AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: (INVESTED_WITH, FIXED_ASSETS),
}


@dataclass(frozen=True)
class Payable:
    """What one member is paid (or has converted) of what the distribution declared."""

    member: str
    patronage_return: Decimal = ZERO  # out of 221 应付盈余返还
    residual: Decimal = ZERO  # out of 222 应付剩余盈余


def pay_returns(payables: Iterable[Payable], *, account: str = BANK, summary: str = "") -> list[EntryLine]:
    """Pay declared returns and residual (the 分红): Dr 221 / Dr 222 per member / Cr 101/102 for the total."""
    # [KJ 221 二; 222 二]: the payment day of Example 1, Dr 221 114,799.97, Dr 222 49,199.99 / Cr 102 163,999.96.
    text = summary or PAID
    debits = _cleared(payables, text)
    total = sum((entry.debit for entry in debits), ZERO)
    return balanced([*debits, cr(check_account(account, MONEY), total, text)])


@dataclass(frozen=True)
class RunPayment:
    """One paid line of a payment run (付款批次): the member, the account it pays out of, and the amount."""

    member: str
    account: str  # 114, 221 or 222
    amount: Decimal


def pay_run(payments: Iterable[RunPayment], *, account: str, summary: str) -> list[EntryLine]:
    """Pay a run's paid lines: Dr 114/221/222 per member and line / Cr 101 or 102 for their total."""
    # [KJ 114 三; 221 二; 222 二]: paying what the cooperative owes a member debits the member's detail ledger
    # against the money paid out (102 for a bank's 代发, 101 for cash against a signature).
    debits = [
        dr(check_account(payment.account, RUN_ACCOUNTS), payment.amount, summary, Aux(member=payment.member))
        for payment in payments
    ]
    total = sum((entry.debit for entry in debits), ZERO)
    return balanced([*debits, cr(check_account(account, MONEY), total, summary)])


def convert_returns(payables: Iterable[Payable], resolution: str, *, summary: str = "") -> list[EntryLine]:
    """Convert declared returns into contributions: Dr 221 / Dr 222 / Cr 301, per member (§15 rule 25a)."""
    # [L-44; KJ 221 三; 222 三; 301 五]: 02表 line 17 already holds the return, so line 19 stays 0.00.
    resolution = require_resolution(resolution)
    text = summary or CONVERTED.format(resolution=resolution)
    payables = list(payables)
    debits = _cleared(payables, text)
    credits = [
        cr(SHARE_CAPITAL, amount(p.patronage_return) + amount(p.residual), text, Aux(member=p.member)) for p in payables
    ]
    return balanced([*debits, *credits])


def federation_return_declared(federation: str, value: Decimal, *, summary: str = "") -> list[EntryLine]:
    """Book returns a federation declared to this cooperative: Dr 113—federation / Cr 511."""
    # [KJ 第二十一条; 131 四; 511 二].
    if not federation.strip():
        raise InvalidValue(NO_PARTY)
    text = summary or FEDERATION_RETURN
    return balanced([dr(RECEIVABLES, value, text, Aux(counterparty=federation)), cr(INVESTMENT_INCOME, value, text)])


def federation_return_received(
    federation: str, value: Decimal, *, account: str = BANK, summary: str = ""
) -> list[EntryLine]:
    """Book a federation's returns arriving: Dr 102 / Cr 113—federation."""
    # [KJ 131 四; 113 二].
    return receivable_collected(federation, value, account=account, summary=summary or FEDERATION_RECEIVED)


def federation_investment(
    federation: str, value: Decimal, *, account: str = BANK, poverty_asset: bool = False, summary: str = ""
) -> list[EntryLine]:
    """Invest in a federation: Dr 131—federation / Cr 102, or the asset given (121/122/141/142/151/161)."""
    # [KJ 131 二; L-56]: a member cooperative's contribution to its federation, in money or in assets.
    # ⚠️ DEFAULT: an asset leaves at the value the federation's books take it in at; a difference from its book
    # value (to 321, [KJ 131 二]) is not known here and is left to the accountant's own voucher.
    if not federation.strip():
        raise InvalidValue(NO_PARTY)
    text = summary or FEDERATION_INVESTMENT
    given = check_account(account, INVESTED_WITH)
    flag = Aux(poverty_asset=poverty_asset) if first_level(given) in POVERTY_SPLIT else Aux()
    return balanced([dr(INVESTMENTS, value, text, Aux(counterparty=federation)), cr(given, value, text, flag)])


def check_investment_account(code: str) -> str:
    """Return the account if a member cooperative may invest in its federation with it (money or an asset)."""
    return check_account(code.strip(), INVESTED_WITH)


def invested_with(kind: AccountEntryKind, chosen: str | None = None) -> str:
    """The account a contribution of this kind leaves from in the investor's books: the one chosen where the
    kind allows it, else what the federation's books take in (102 money, 161 land, 151 other assets)."""
    allowed, default = INVESTED_BY_KIND[kind]
    return chosen if chosen and chosen.isdigit() and first_level(chosen) in allowed else default


def _cleared(payables: Iterable[Payable], summary: str) -> list[EntryLine]:
    lines: list[EntryLine] = []
    for payable in payables:
        member = Aux(member=payable.member)
        lines += [dr(RETURNS_PAYABLE, payable.patronage_return, summary, member),
                  dr(RESIDUAL_PAYABLE, payable.residual, summary, member)]  # fmt: skip
    return [entry for entry in lines if entry.debit]
