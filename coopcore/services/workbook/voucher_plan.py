"""The voucher sheets' planner: a cooperative's chart additions, opening balances and vouchers checked against
its books, and the writes planned through the books' own services.

The cooperative is found by credit code, accounts by code, vouchers by month and number, so that importing the
same workbook again changes nothing. Imported vouchers are drafts (origin WORKBOOK) that the accountant audits
and posts; the opening balances are one opening voucher (origin OPENING). Vouchers the sheet leaves out are left
as they are: an import adds and replaces, the books delete. run_import writes the plan inside a savepoint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from coopcore.models import Cooperative, User, Voucher, VoucherOrigin
from coopcore.rules.ledger import check_detail_account
from coopcore.services import ledger
from coopcore.services.access import Area, Scope
from coopcore.services.lookups import cooperative_by_code_or_none
from coopcore.services.workbook.format import Planned
from coopcore.services.workbook.reader import Book, Progress, Row
from coopcore.services.workbook.report import Problems, SheetCounts
from coopcore.services.workbook.voucher_opening import SUMMARY, OpeningPlan, plan_opening
from coopcore.services.workbook.voucher_rows import (
    Matched,
    SheetVoucher,
    check_numbers,
    check_vouchers,
    match_vouchers,
    read_vouchers,
)
from coopcore.services.workbook.voucher_schema import ACCOUNTS, BOOKS, OPENING, SHEETS, VOUCHERS
from coopcore.services.workbook.voucher_stored import ChartAccount, Month, StoredBooks, account_rules, load_books
from coopcore.validation import credit_code

PREPARER = "workbook"  # prepared_by of vouchers imported at the server's shell, where no user signs in
NO_ROW = "The books sheet has no row: give the cooperative's credit code."
ONE_ROW = "The books sheet has one row, of one cooperative; remove this one."
UNKNOWN_COOPERATIVE = "No cooperative has the credit code {value}: add the cooperative and its members first."
NOT_YOURS = "The books of {value} are not within your reach: its accountant or an administrator imports them."
NAME_DIFFERS = "The cooperative with this credit code is {name}."
ACCOUNT_NAME_DIFFERS = "Account {code} is {name} in the books: the code decides, check it."
CHART_ACCOUNT = "Account {code} is the chart's {name}: only detail accounts the cooperative added can be renamed."
TEMPLATES = (NO_ROW, ONE_ROW, UNKNOWN_COOPERATIVE, NOT_YOURS, NAME_DIFFERS, ACCOUNT_NAME_DIFFERS, CHART_ACCOUNT)


@dataclass
class _Plan:
    """The writes the workbook asks for, checked."""

    by: str
    added: list[ChartAccount] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    opening: OpeningPlan | None = None
    opening_number: int | None = None  # where the opening voucher goes (or moves to) in its month
    matched: Matched = field(default_factory=Matched)


def plan_vouchers(session: Session, book: Book, problems: Problems, *, today: dt.date, actor: Scope) -> Planned:
    """Check the voucher sheets against each other and the cooperative's books, and plan the writes.

    `today` already bounded the dates as they were read; `actor` must reach the cooperative's books, and is
    named as the preparer of the vouchers (PREPARER at the server's shell).
    """
    head = _head(book, problems)
    code = credit_code.compact(head.get("uscc")) if head is not None and head.get("uscc") else None
    if head is None or code is None:
        return Planned()
    cooperative = _cooperative(session, head, code, actor, problems)
    counts = {sheet.key: SheetCounts() for sheet in SHEETS if sheet is not BOOKS and book.has(sheet)}
    if cooperative is None:
        return Planned(counts, credit_code=code)
    vouchers = read_vouchers(book, problems)
    start = head.get("start_month")
    books = load_books(
        session, cooperative, {v.month for v in vouchers} | ({(start.year, start.month)} if start else set())
    )
    chart = dict(books.accounts)
    plan = _Plan(_preparer(session, actor))
    _plan_accounts(book, chart, plan, problems, counts.get(ACCOUNTS.key, SheetCounts()))
    _check_names(book, chart, problems)
    rules = account_rules(chart)
    opening_counts = counts.get(OPENING.key, SheetCounts())
    plan.opening = plan_opening(session, book, books, rules, start, head, problems, opening_counts)
    if start is None and books.opening is not None:
        start = books.opening.voucher_date  # vouchers before the books' opening cannot join them
    check_vouchers(vouchers, rules, books, start, problems)
    opening_month = _opening_month(plan.opening, books)
    plan.matched = match_vouchers(session, vouchers, books, opening_month, problems)
    final, plan.opening_number = _numbers(plan, books, opening_month)
    check_numbers(vouchers, books, final, problems)
    if VOUCHERS.key in counts:
        voucher_counts = counts[VOUCHERS.key]
        voucher_counts.created, voucher_counts.updated = len(plan.matched.create), len(plan.matched.replace)
        voucher_counts.unchanged = plan.matched.unchanged

    def write(session: Session, progress: Progress | None) -> None:
        _write(session, cooperative, books, plan, progress)

    return Planned(counts, write, credit_code=code)


def _head(book: Book, problems: Problems) -> Row | None:
    if not book.has(BOOKS):
        return None  # a required sheet: reported as it was read
    rows = book.rows(BOOKS)
    if not rows:
        problems.error(NO_ROW, sheet=BOOKS)
        return None
    for extra in rows[1:]:
        problems.error(ONE_ROW, sheet=BOOKS, row=extra.number)
    return rows[0]


def _cooperative(session: Session, head: Row, code: str, actor: Scope, problems: Problems) -> Cooperative | None:
    where = {"sheet": BOOKS, "row": head.number, "column": BOOKS.column("uscc"), "value": code}
    cooperative = cooperative_by_code_or_none(session, code)
    if cooperative is None:
        problems.error(UNKNOWN_COOPERATIVE, **where)
        return None
    if not actor.is_admin and not (actor.writes(Area.BOOKS) and actor.has_cooperative(cooperative.id)):
        problems.error(NOT_YOURS, **where)
        return None
    name = head.get("name")
    if name and name != cooperative.name:
        problems.warning(NAME_DIFFERS, sheet=BOOKS, row=head.number, column=BOOKS.column("name"), value=name,
                         name=cooperative.name)  # fmt: skip
    return cooperative


def _preparer(session: Session, actor: Scope) -> str:
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return user.username if user is not None else PREPARER


def _plan_accounts(
    book: Book, chart: dict[str, ChartAccount], plan: _Plan, problems: Problems, counts: SheetCounts
) -> None:
    """Detail accounts to add, in the sheet's order (a row may add an account under one an earlier row adds)."""
    columns = {"code": "account_code", "parent": "parent_code"}
    for row in book.rows(ACCOUNTS):
        code, name, parent = row.get("account_code"), row.get("account_name"), row.get("parent_code")
        if code is None or name is None or parent is None:
            continue
        existing = chart.get(code)
        if existing is not None and existing.parent == parent:
            if existing.name == name:
                counts.unchanged += 1
            elif existing.added:
                chart[code] = replace(existing, name=name)
                plan.renamed[code] = name
                counts.updated += 1
            else:
                problems.error(CHART_ACCOUNT, sheet=ACCOUNTS, row=row.number, column=ACCOUNTS.column("account_name"),
                               value=name, code=code, name=existing.name)  # fmt: skip
            continue
        findings = check_detail_account(code, parent, chart)
        problems.place(findings, ACCOUNTS, row.number, columns)
        if findings:
            continue
        above = chart[parent]
        chart[code] = ChartAccount(code, name, parent, True, above.member_detail, above.poverty_split, added=True)
        plan.added.append(chart[code])
        counts.created += 1


def _check_names(book: Book, chart: dict[str, ChartAccount], problems: Problems) -> None:
    """Warn where a row names its account otherwise than the books do: the code may be mistyped."""
    for sheet in (OPENING, VOUCHERS):
        for row in book.rows(sheet):
            code, name = row.get("account_code"), row.get("account_name")
            account = chart.get(code) if code else None
            if name and account is not None and name != account.name:
                where = {"sheet": sheet, "row": row.number, "column": sheet.column("account_name"), "value": name}
                problems.warning(ACCOUNT_NAME_DIFFERS, **where, code=code, name=account.name)


def _opening_month(opening: OpeningPlan | None, books: StoredBooks) -> Month | None:
    """The month the opening voucher is in once the import is written (None: the books have none then)."""
    if opening is not None and opening.action in ("create", "replace"):
        return opening.month
    if opening is not None and opening.action == "delete":
        return None
    return (books.opening.year, books.opening.month) if books.opening is not None else None


def _numbers(plan: _Plan, books: StoredBooks, opening_month: Month | None) -> tuple[dict[Month, set[int]], int | None]:
    """Each month the import writes into with the numbers it will use, and the opening voucher's number.

    The opening voucher is the last of its month: where it is created or moves, or a sheet voucher takes its
    number, it goes after every other voucher of the month (a draft's number is its place in an open month).
    """
    opening = books.opening
    created = plan.matched.create
    months = {voucher.month for voucher in created}
    moving = plan.opening is not None and plan.opening.action in ("create", "replace")
    if opening_month is not None and (moving or plan.matched.opening_collides):
        months.add(opening_month)
    final: dict[Month, set[int]] = {}
    number = None
    for month in months:
        here = opening if opening is not None and (opening.year, opening.month) == month else None
        numbers = books.numbers(month) - ({here.number} if here is not None else set())
        numbers |= {voucher.number for voucher in created if voucher.month == month}
        if month == opening_month:
            keep = here is not None and not plan.matched.opening_collides
            number = here.number if here is not None and keep else max(numbers, default=0) + 1
            numbers.add(number)
        final[month] = numbers
    return final, number


def _write(
    session: Session, cooperative: Cooperative, books: StoredBooks, plan: _Plan, progress: Progress | None
) -> None:
    ledger.ensure_chart(session, cooperative)
    for added in plan.added:
        ledger.add_account(session, cooperative, added.code, added.name, added.parent or "")
    if plan.renamed:
        for code, account in ledger.accounts_by_code(session, cooperative).items():
            if code in plan.renamed:
                account.name = plan.renamed[code]
    _write_opening(session, cooperative, books.opening, plan)
    total = len(plan.matched.create) + len(plan.matched.replace)
    for done, (stored, voucher) in enumerate(plan.matched.replace, start=1):
        ledger.change_voucher(session, stored, by=plan.by, on=voucher.on, summary=voucher.summary,
                              lines=voucher.lines, word=voucher.word, attachments=voucher.attachments or 0)  # fmt: skip
        _report(progress, done, total)
    for done, voucher in enumerate(plan.matched.create, start=len(plan.matched.replace) + 1):
        _add(session, cooperative, voucher, plan.by)
        _report(progress, done, total)
    session.flush()


def _write_opening(session: Session, cooperative: Cooperative, opening: Voucher | None, plan: _Plan) -> None:
    """Book, move, replace or delete the opening voucher first: it frees the numbers the sheet's vouchers take."""
    target, number = plan.opening, plan.opening_number
    if target is not None and target.action == "delete" and opening is not None:
        ledger.delete_voucher(session, opening)
        return
    if target is not None and target.action == "create":
        assert number is not None
        ledger.add_voucher(session, cooperative, on=target.start, summary=SUMMARY, lines=target.lines, by=plan.by,
                           origin=VoucherOrigin.OPENING, number=number)  # fmt: skip
        return
    if target is not None and target.action == "replace" and opening is not None:
        ledger.change_voucher(session, opening, by=plan.by, on=target.start, summary=SUMMARY, lines=target.lines)
    if opening is not None and number is not None and opening.number != number:
        opening.number = number  # after every other voucher of its month; free, as that is past their numbers
        session.flush()


def _add(session: Session, cooperative: Cooperative, voucher: SheetVoucher, by: str) -> None:
    ledger.add_voucher(session, cooperative, on=voucher.on, summary=voucher.summary, lines=voucher.lines, by=by,
                       word=voucher.word, attachments=voucher.attachments or 0, origin=VoucherOrigin.WORKBOOK,
                       number=voucher.number)  # fmt: skip


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % 500 == 0 or done == total):
        progress("write", VOUCHERS.key, done, total)
