"""The opening-balance sheet (期初余额): the balances on the first day of the month the books start, booked as
one opening voucher (origin OPENING) that the accountant audits and posts.

Nothing is written unless debits equal credits (试算平衡). The sheet states what the books hold at the start:
if they already hold exactly that (an export imported again, or the same sheet twice), nothing changes; a draft
opening voucher is replaced; an audited or posted one, or books that already run before the start, are refused,
since opening balances only open books.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy.orm import Session

from coopcore.labels import term
from coopcore.models import Voucher, VoucherState
from coopcore.money import ZERO
from coopcore.rules.ledger import AccountRule, EntryLine, check_voucher
from coopcore.services.ledger.books import voucher_name
from coopcore.services.ledger.errors import period_name
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems, SheetCounts
from coopcore.services.workbook.village_plan import DUPLICATE_KEY
from coopcore.services.workbook.voucher_rows import place_lines
from coopcore.services.workbook.voucher_schema import BOOKS, OPENING
from coopcore.services.workbook.voucher_stored import BalanceKey, StoredBooks, balances_at, first_before

SUMMARY = "期初余额"  # the opening voucher's 摘要, as the books print it
NO_START = "The books sheet gives no start month (启用期间): the opening balances are those of its first day."
UNBALANCED = (
    "The opening balances do not balance (试算平衡): debits {debit}, credits {credit}, difference {difference}."
)
CLOSED = "{period} is closed in the books: the opening balances cannot be booked into it."
AFTER_BOOKS = (
    "The books already run before {start} (their first voucher is {voucher}) and their balances at {start} differ "
    "from this sheet in {count} places: opening balances only open books that start then."
)
LOCKED = (
    "The opening balances are voucher {voucher}, which is {state} and differs from this sheet: send it back to "
    "draft or reverse it in the books first, then import again."
)
NOT_LAST = (
    "The opening balances are voucher {voucher}, which other vouchers of its month follow: it moves to {start} or "
    "goes only as its month's last voucher; delete it in the books first, then import again."
)
TEMPLATES = (NO_START, UNBALANCED, CLOSED, AFTER_BOOKS, LOCKED, NOT_LAST)
Action = Literal["create", "replace", "delete"]


@dataclass
class OpeningPlan:
    """What the sheet does to the opening voucher: nothing (action None), or create, replace or delete it."""

    start: dt.date
    lines: list[EntryLine] = field(default_factory=list)
    action: Action | None = None
    voucher: Voucher | None = None  # the books' opening voucher, replaced or deleted

    @property
    def month(self) -> tuple[int, int]:
        return (self.start.year, self.start.month)


def plan_opening(
    session: Session,
    book: Book,
    books: StoredBooks,
    rules: dict[str, AccountRule],
    start: dt.date | None,
    head: Row,
    problems: Problems,
    counts: SheetCounts,
) -> OpeningPlan | None:
    """Check the opening balances and decide what they do to the books (None: nothing, or they cannot)."""
    if not book.has(OPENING):
        return None
    rows, lines = _lines(book, problems)
    if rows is None:
        return None  # an unreadable cell, reported as it was read
    if start is None:
        if lines:
            problems.error(NO_START, sheet=BOOKS, row=head.number, column=BOOKS.column("start_month"))
        return None
    findings = [finding for finding in check_voucher(lines, rules, books.members) if finding.rule != "voucher_lines"]
    for finding in place_lines(findings, OPENING, rows, lines, problems):
        fields = {key: finding.fields[key] for key in ("debit", "credit", "difference")}
        problems.error(UNBALANCED, sheet=OPENING, **fields)
    if findings:
        return None
    plan = OpeningPlan(start, lines)
    target = {_key(line): line.debit - line.credit for line in lines}
    current = balances_at(session, books.cooperative.id, start)
    if current == target:
        counts.unchanged += 1 if lines else 0
        return plan
    period = period_name(start.year, start.month)
    opening = books.opening
    if books.closed(session, plan.month):
        problems.error(CLOSED, sheet=OPENING, period=period)
    elif (first := first_before(session, books.cooperative.id, start)) is not None:
        count = sum(1 for key in {*current, *target} if current.get(key, ZERO) != target.get(key, ZERO))
        problems.error(AFTER_BOOKS, sheet=OPENING, start=period, voucher=voucher_name(first), count=count)
    elif opening is None:
        plan.action = "create" if lines else None
        counts.created += 1 if lines else 0
    elif opening.state is not VoucherState.DRAFT:
        problems.error(LOCKED, sheet=OPENING, voucher=voucher_name(opening), state=term(opening.state))
    elif ((opening.year, opening.month) != plan.month or not lines) and _followed(opening, books):
        problems.error(NOT_LAST, sheet=OPENING, voucher=voucher_name(opening), start=period)
    elif books.closed(session, (opening.year, opening.month)):
        problems.error(CLOSED, sheet=OPENING, period=period_name(opening.year, opening.month))
    else:
        plan.action, plan.voucher = ("replace" if lines else "delete"), opening
        if lines:
            counts.updated += 1
        else:
            counts.removed += 1
    return plan


def _lines(book: Book, problems: Problems) -> tuple[list[Row] | None, list[EntryLine]]:
    """The sheet's non-zero rows and their lines (None if a cell could not be read); a key given twice is refused."""
    rows: list[Row] = []
    lines: list[EntryLine] = []
    first: dict[BalanceKey, int] = {}
    readable = True
    for row in book.rows(OPENING):
        readable = readable and all(k in row for k in ("debit", "credit")) and row.get("account_code") is not None
        line = EntryLine(
            row.get("account_code") or "",
            row.get("debit") or ZERO,
            row.get("credit") or ZERO,
            member=row.get("member_code"),
            poverty_asset=row.get("poverty_asset"),
        )
        if not line.debit and not line.credit:
            continue  # an account without a balance: exports of other software list them all
        given = first.setdefault(_key(line), row.number)
        if given != row.number:
            problems.error(DUPLICATE_KEY, sheet=OPENING, row=row.number, column=OPENING.column("account_code"),
                           first=given)  # fmt: skip
            continue
        rows.append(row)
        lines.append(line)
    return (rows if readable else None), lines


def _key(line: EntryLine) -> BalanceKey:
    return (line.account, line.member, line.poverty_asset)


def _followed(voucher: Voucher, books: StoredBooks) -> bool:
    """True if later vouchers of its month would close up behind it were it moved away."""
    return voucher.number < max(books.numbers((voucher.year, voucher.month)), default=0)
