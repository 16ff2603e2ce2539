"""Income and expense (收支) rows booked against a counter account, and the year-end close of profit and loss."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from coopcore.errors import InvalidValue
from coopcore.money import ZERO
from coopcore.rules.books import ONLY_INVESTMENT_NEGATIVE
from coopcore.rules.entries.accounts import (
    BANK,
    MEMBER_DETAIL,
    PROFIT_AND_LOSS,
    UNDISTRIBUTED,
    YEAR_SURPLUS,
    check_account,
    first_level,
)
from coopcore.rules.entries.lines import JournalEntry, balanced, net, signed
from coopcore.rules.ledger import EntryLine
from coopcore.terms import IncomeCategory

SUMMARY = {
    IncomeCategory.OPERATING_INCOME: "经营收入",
    IncomeCategory.OTHER_INCOME: "其他收入",
    IncomeCategory.INVESTMENT_INCOME: "投资收益",
    IncomeCategory.OPERATING_EXPENSE: "经营支出",
    IncomeCategory.TAXES: "税金及附加",
    IncomeCategory.ADMIN_EXPENSE: "管理费用",
    IncomeCategory.FINANCE_EXPENSE: "财务费用",
    IncomeCategory.OTHER_EXPENSE: "其他支出",
    IncomeCategory.INCOME_TAX: "所得税费用",
}
CARRY_INCOME = "结转本年收入"
CARRY_EXPENSE = "结转本年支出"
TRANSFER_SURPLUS = "结转本年盈余"
TRANSFER_LOSS = "结转本年亏损"
# 331 本年盈余 and 332 盈余分配 hold the year's result once it is carried: income booked straight to them would
# skip the P&L accounts 本年盈余 is read from, and count twice at the close.
RESULT_ACCOUNTS = frozenset({YEAR_SURPLUS[:3], UNDISTRIBUTED[:3]})
COUNTER_NOT_DIGITS = "The counter account {value} is not an account code (digits, such as 102)."
COUNTER_IS_PROFIT_AND_LOSS = (
    "Account {value} cannot be the counter account of an income or expense row: it is itself profit and loss or "
    "the year's result; book the row against where the money went or came from (such as 102 or 101)."
)
COUNTER_PER_MEMBER = (
    "Account {value} cannot be the counter account of an income or expense row: it is kept per member, and a row "
    "names no member; book the member's part as a voucher instead."
)


def income_expense(
    category: IncomeCategory,
    value: Decimal,
    *,
    against: str = BANK,
    account: str | None = None,
    summary: str = "",
) -> list[EntryLine]:
    """Book a 收支 row: income Dr against / Cr 5xx, expense Dr 5xx / Cr against (its 对方科目, 102 unless named).

    account may name a detail account under the category's (50101 under 501). Only investment income may be
    negative: an investment loss is a debit to 511 [KJ 511].
    """
    value = signed(value)
    if value < 0 and category != IncomeCategory.INVESTMENT_INCOME:
        raise InvalidValue(ONLY_INVESTMENT_NEGATIVE, value=value)
    counter_account = check_counter_account(against)
    own = check_account(account or category.account_code, {category.account_code})
    text = summary or SUMMARY[category]
    # Income raises the counter account (debit) and its P&L account (credit); an expense the other way round.
    towards_counter = value if category.is_income else -value
    pair = [net(counter_account, towards_counter, text), net(own, -towards_counter, text)]
    return balanced(sorted(pair, key=lambda entry: not entry.debit))  # the debit first, as vouchers are written


def check_counter_account(code: str) -> str:
    """Return the 对方科目 of a 收支 row, stripped, or refuse an account no such row can be booked against."""
    code = code.strip()
    if not code.isdigit():
        raise InvalidValue(COUNTER_NOT_DIGITS, value=code)
    if first_level(code) in PROFIT_AND_LOSS | RESULT_ACCOUNTS:
        raise InvalidValue(COUNTER_IS_PROFIT_AND_LOSS, value=code)
    if first_level(code) in MEMBER_DETAIL:
        raise InvalidValue(COUNTER_PER_MEMBER, value=code)
    return code


def year_result(balances: Mapping[str, Decimal]) -> Decimal:
    """本年盈余 from the year's profit and loss: income less expenses ([KJ 第五十二—五十四条], domain.md §2.2).

    balances maps account codes (first-level or detail) to the year's movements as debit minus credit; accounts
    other than profit and loss are ignored. 经营收益 = 501 + 511 − 521 − 522 − 523 − 524; 盈余总额 = 经营收益 +
    502 − 529; 本年盈余 = 盈余总额 − 531: every income account is a credit and every expense a debit, so the
    result is the credits less the debits of them all.
    """
    return -sum((signed(value) for code, value in balances.items() if first_level(code) in PROFIT_AND_LOSS), ZERO)


def year_end_vouchers(balances: Mapping[str, Decimal]) -> list[JournalEntry]:
    """Close the year: profit and loss into 331, then what 331 holds into 332—未分配盈余.

    balances maps the accounts lines are booked to (a detail account, not also its parent) to their balance as
    debit minus credit before the close; 331's own balance counts, so a distribution that already moved the
    year's surplus (its first entry) leaves nothing more to move. Vouchers with nothing to book are left out.
    """
    pl = {code: signed(value) for code, value in sorted(balances.items()) if first_level(code) in PROFIT_AND_LOSS}
    # [KJ 331 二]: income (credit balances, 511's gain included) to the credit of 331, the rest to its debit.
    income = [net(code, -value, CARRY_INCOME) for code, value in pl.items() if value < 0]
    expense = [net(code, -value, CARRY_EXPENSE) for code, value in pl.items() if value > 0]
    carried_income = -sum((value for value in pl.values() if value < 0), ZERO)
    carried_expense = sum((value for value in pl.values() if value > 0), ZERO)
    vouchers = [
        JournalEntry(CARRY_INCOME, balanced([*income, net(YEAR_SURPLUS, -carried_income, CARRY_INCOME)])),
        JournalEntry(CARRY_EXPENSE, balanced([net(YEAR_SURPLUS, carried_expense, CARRY_EXPENSE), *expense])),
    ]
    held = signed(balances.get(YEAR_SURPLUS, ZERO)) - carried_income + carried_expense
    vouchers.append(JournalEntry(*_transfer(-held)))
    return [voucher for voucher in vouchers if voucher.lines]


def transfer_year_surplus(surplus: Decimal, *, summary: str = "") -> list[EntryLine]:
    """Move the year's surplus from 331 to 332—未分配盈余 (a loss the other way round)."""
    return _transfer(surplus, summary)[1]


def _transfer(surplus: Decimal, summary: str = "") -> tuple[str, list[EntryLine]]:
    # [KJ 331 三]: Dr 331 / Cr 332—未分配盈余; reversed for a loss. 331 is then zero.
    text = summary or (TRANSFER_SURPLUS if surplus >= 0 else TRANSFER_LOSS)
    pair = [net(YEAR_SURPLUS, surplus, text), net(UNDISTRIBUTED, -surplus, text)]
    return text, balanced(sorted(pair, key=lambda entry: not entry.debit))
