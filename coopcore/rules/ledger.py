"""Double entry ([KJ 第八条]): the lines of a voucher, and the rules every voucher obeys wherever it comes from.

Pure: accounts are named by code and members by member code; the ledger service resolves them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from coopcore.money import ZERO, has_places
from coopcore.rules.findings import Finding, error


@dataclass(frozen=True)
class EntryLine:
    """One line of a voucher: an account by code, an amount on exactly one side, and its auxiliaries."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    summary: str = ""
    member: str | None = None  # member code, on accounts kept per member (114, 221, 222, 301)
    counterparty: str = ""  # an enterprise or another non-member
    product: str | None = None
    project: str = ""
    poverty_asset: bool | None = None  # on asset accounts split by 是否扶贫项目资产
    quantity: Decimal | None = None
    unit_price: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        return self.debit or self.credit


def totals(lines: Sequence[EntryLine]) -> tuple[Decimal, Decimal]:
    """The debit and credit totals of some lines."""
    return sum((line.debit for line in lines), ZERO), sum((line.credit for line in lines), ZERO)


@dataclass(frozen=True)
class AccountRule:
    """What the line checks need to know of an account: whether it takes bookings, and which auxiliaries."""

    code: str
    is_active: bool = True
    is_leaf: bool = True  # an account with detail accounts takes no bookings of its own: they go to a detail
    member_detail: bool = False
    poverty_split: bool = False


LARGEST = Decimal("999999999999.99")  # the lines' amount columns hold 14 digits, two after the point

TOO_FEW_LINES = "A voucher needs at least two lines; it has {count}."
UNBALANCED = "Debits {debit} do not equal credits {credit} (difference {difference})."
ONE_SIDE = "Line {line}: put the amount on exactly one side, debit or credit."
NEGATIVE = "Line {line}: the amount {value} is negative; write it on the other side instead."
PLACES = "Line {line}: the amount {value} has more than two decimal places."
TOO_LARGE = "Line {line}: the amount {value} is too large for the books."
UNKNOWN_ACCOUNT = "Line {line}: there is no account {account} in the cooperative's chart."
INACTIVE_ACCOUNT = "Line {line}: account {account} is not in use."
NOT_A_LEAF = "Line {line}: account {account} has detail accounts; book to one of them."
MEMBER_MISSING = "Line {line}: account {account} is kept per member: name the member."
MEMBER_NOT_KEPT = "Line {line}: account {account} is not kept per member; leave out the member {member}."
UNKNOWN_MEMBER = "Line {line}: {member} is not a member of this cooperative."
POVERTY_MISSING = (
    "Line {line}: account {account} is split by whether the asset comes from a poverty-relief project: say whether."
)
POVERTY_NOT_SPLIT = "Line {line}: account {account} is not split by poverty-relief assets; leave that out."
# A detail account the cooperative adds under one of its accounts (50101 苹果销售 under 501).
ACCOUNT_NO_PARENT = "There is no account {parent} to add account {code} under."
ACCOUNT_NOT_DIGITS = "Account code {code} is not digits only."
ACCOUNT_TAKEN = "The cooperative already has an account {code}."
ACCOUNT_NOT_UNDER = "Account code {code} must start with its parent's code {parent} and be longer."
TEMPLATES = (
    ACCOUNT_NO_PARENT,
    ACCOUNT_NOT_DIGITS,
    ACCOUNT_TAKEN,
    ACCOUNT_NOT_UNDER,
    TOO_FEW_LINES,
    UNBALANCED,
    ONE_SIDE,
    NEGATIVE,
    PLACES,
    TOO_LARGE,
    UNKNOWN_ACCOUNT,
    INACTIVE_ACCOUNT,
    NOT_A_LEAF,
    MEMBER_MISSING,
    MEMBER_NOT_KEPT,
    UNKNOWN_MEMBER,
    POVERTY_MISSING,
    POVERTY_NOT_SPLIT,
)


def check_voucher(
    lines: Sequence[EntryLine], accounts: Mapping[str, AccountRule], members: Collection[str]
) -> list[Finding]:
    """Every problem of a voucher's lines at once ([KJ 第八条] debit-credit bookkeeping, [KJ 114 五 …] auxiliaries).

    accounts: the cooperative's accounts by code; members: the codes of its members. A voucher has two lines or
    more, each with exactly one positive side in yuan to the fen, its debits equal its credits, every line on an
    active account without detail accounts, naming a member exactly on accounts kept per member and saying
    是否扶贫项目资产 exactly on accounts split by it.
    """
    found: list[Finding] = []
    if len(lines) < 2:
        found += error("voucher_lines", TOO_FEW_LINES, key="lines", count=len(lines))
    for number, line in enumerate(lines, start=1):
        found += _check_amount(number, line)
        found += _check_account(number, line, accounts.get(line.account), members)
    debit, credit = totals(lines)
    if debit != credit and not any(finding.key in ("debit", "credit") for finding in found):
        found += error(
            "voucher_balance", UNBALANCED, key="lines", debit=debit, credit=credit, difference=debit - credit
        )
    return found


def _check_amount(number: int, line: EntryLine) -> list[Finding]:
    for value in (line.debit, line.credit):
        if value < 0:
            return error("line_amount", NEGATIVE, key="debit", line=number, value=value)
        if not has_places(value, 2):
            return error("line_amount", PLACES, key="debit", line=number, value=value)
        if value > LARGEST:
            return error("line_amount", TOO_LARGE, key="debit", line=number, value=value)
    if (line.debit == 0) == (line.credit == 0):
        return error("line_side", ONE_SIDE, key="debit", line=number)
    return []


def _check_account(
    number: int, line: EntryLine, account: AccountRule | None, members: Collection[str]
) -> list[Finding]:
    code = line.account
    if account is None:
        return error("line_account", UNKNOWN_ACCOUNT, key="account", line=number, account=code)
    if not account.is_active:
        return error("line_account", INACTIVE_ACCOUNT, key="account", line=number, account=code)
    if not account.is_leaf:
        return error("line_account", NOT_A_LEAF, key="account", line=number, account=code)
    found: list[Finding] = []
    if account.member_detail and not line.member:
        found += error("line_member", MEMBER_MISSING, key="member", line=number, account=code)
    elif not account.member_detail and line.member:
        found += error("line_member", MEMBER_NOT_KEPT, key="member", line=number, account=code, member=line.member)
    elif line.member and line.member not in members:
        found += error("line_member", UNKNOWN_MEMBER, key="member", line=number, member=line.member)
    if account.poverty_split and line.poverty_asset is None:
        found += error("line_poverty", POVERTY_MISSING, key="poverty_asset", line=number, account=code)
    elif not account.poverty_split and line.poverty_asset is not None:
        found += error("line_poverty", POVERTY_NOT_SPLIT, key="poverty_asset", line=number, account=code)
    return found


def check_detail_account(code: str, parent: str, codes: Collection[str]) -> list[Finding]:
    """The problem of a detail account to add under `parent`, given the codes the cooperative has, if any.

    A code is digits only, not taken, and starts with its parent's code and is longer (50101 under 501): so the
    accounts of a family sort together and a code says where it belongs, as the 2021 chart numbers them.
    """
    if parent not in codes:
        return error("account_parent", ACCOUNT_NO_PARENT, key="parent", code=code, parent=parent)
    if not code.isascii() or not code.isdigit():
        return error("account_code", ACCOUNT_NOT_DIGITS, key="code", code=code)
    if code in codes:
        return error("account_code", ACCOUNT_TAKEN, key="code", code=code)
    if not code.startswith(parent) or len(code) <= len(parent):
        return error("account_code", ACCOUNT_NOT_UNDER, key="code", code=code, parent=parent)
    return []


def swapped(lines: Sequence[EntryLine]) -> list[EntryLine]:
    """The lines of a red reversal (红字冲销): each amount on the other side, so that the two cancel.

    Chinese practice writes a reversal in red ink, negative on the side it cancels; the books store the same
    entry as a positive amount on the other side (debit −X is credit X), so that every line keeps one positive
    side and every balance, total and statement adds the two vouchers up to nothing without a sign to read.
    """
    return [replace(line, debit=line.credit, credit=line.debit) for line in lines]


def normal_columns(balance: Decimal) -> tuple[Decimal, Decimal]:
    """A balance (debit minus credit) in the (debit, credit) columns the accountant reads: a debit balance in the
    debit column, a credit balance in the credit column, whatever the account's normal side (114 may be either).
    """
    return (balance, ZERO) if balance >= 0 else (ZERO, -balance)
