"""The vouchers sheet (凭证): rows grouped into vouchers, each checked by the books' own rules, and matched by
number with the vouchers the books have.

The rows of one month with the same 凭证字 and 凭证号 are one voucher. Its lines are checked by
coopcore.rules.ledger.check_voucher (the rule every voucher obeys, wherever it comes from), and each finding is
placed at the row and column of the line it is about. A voucher is matched with the books' voucher of its month
and number: the same voucher as the workbook shows it is left alone, whoever wrote it; a changed draft that a
workbook brought in is replaced; anything else is a problem, since a path never changes what another path owns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from coopcore.labels import term
from coopcore.models import Voucher, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.rules.findings import Finding, error
from coopcore.rules.ledger import AccountRule, EntryLine, check_voucher
from coopcore.services.ledger.books import UNKNOWN_PRODUCT, voucher_name
from coopcore.services.ledger.errors import period_name
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.reader import Book, Row
from coopcore.services.workbook.report import Problems
from coopcore.services.workbook.voucher_schema import VOUCHERS
from coopcore.services.workbook.voucher_stored import Month, StoredBooks

DEFAULT_WORD = "记"
NOT_A_VOUCHER_NUMBER = "{value} is not a voucher number: a month's vouchers are numbered from 1."
DATES_DIFFER = "Voucher {voucher} is dated {date} on row {first}: the lines of one voucher share its date."
ATTACHMENTS_DIFFER = (
    "Voucher {voucher} has {count} attachments on row {first}: give the number once, or the same on every line."
)
NUMBER_TWICE = (
    "Number {number} of {period} is already voucher {other} on row {first}: the books number a month's vouchers "
    "once, whatever their word; renumber one of them."
)
UNBALANCED = "Voucher {voucher} does not balance: debits {debit}, credits {credit} (difference {difference})."
BEFORE_START = "Voucher {voucher} is dated before the books start in {start}."
CLOSED = (
    "Voucher {voucher} would be written into {period}, which is closed in the books: reopen the month (反结账) "
    "first, or leave the voucher as the books have it."
)
NUMBER_TAKEN = (
    "The books' voucher {voucher} is a {origin} and differs from these rows; an import never changes it: "
    "give these rows another number, or leave the voucher as the books have it."
)
AUDITED_CHANGED = (
    "Voucher {voucher} is audited in the books and differs from these rows: send it back to draft (取消审核) "
    "first, then import again."
)
POSTED_CHANGED = (
    "Voucher {voucher} is posted in the books and differs from these rows, and a posted voucher never changes: "
    "reverse it in the books (红字冲销), keep these rows as the books have it and book the correction under a new "
    "number."
)
GAP = (
    "The numbers of {period} would skip {missing}: a month's vouchers are numbered 1, 2, 3 … without gaps "
    "(the books use {used})."
)
TEMPLATES = (
    NOT_A_VOUCHER_NUMBER,
    DATES_DIFFER,
    ATTACHMENTS_DIFFER,
    NUMBER_TWICE,
    UNBALANCED,
    BEFORE_START,
    CLOSED,
    NUMBER_TAKEN,
    AUDITED_CHANGED,
    POSTED_CHANGED,
    GAP,
)
# Where a finding of the voucher rule belongs on the sheet: the rule's field → the sheet's column.
COLUMNS = {"account": "account_code", "member": "member_code", "poverty_asset": "poverty_asset", "product": "product"}
_READ = ("date", "number", "account_code", "debit", "credit")  # cells without which a line cannot be judged


@dataclass
class SheetVoucher:
    """One voucher of the sheet: its rows, and its lines as the books will store them."""

    month: Month
    word: str
    number: int
    on: dt.date
    rows: list[Row] = field(default_factory=list)
    lines: list[EntryLine] = field(default_factory=list)
    attachments: int | None = None
    readable: bool = True  # every cell its lines need was read (unreadable ones are reported already)

    @property
    def name(self) -> str:
        return f"{period_name(*self.month)} {self.word}-{self.number}"

    @property
    def summary(self) -> str:
        """The voucher's 摘要: its first line's, as a paper voucher shows it."""
        return next((line.summary for line in self.lines if line.summary), "")

    def shown(self) -> tuple[object, ...]:
        """The voucher as the sheet shows it: what an import compares with the books' voucher of its number."""
        return (self.on, self.word, self.attachments or 0, shown_lines(self.lines, self.summary))


def shown_lines(lines: list[EntryLine], summary: str) -> tuple[EntryLine, ...]:
    """Lines as a sheet shows them: a line without its own 摘要 shows its voucher's (as the detail ledger does)."""
    return tuple(replace(line, summary=line.summary or summary) for line in lines)


def shown(voucher: Voucher, lines: list[EntryLine]) -> tuple[object, ...]:
    """A stored voucher as the sheet shows it (the export writes exactly this)."""
    return (voucher.voucher_date, voucher.word, voucher.attachments, shown_lines(lines, voucher.summary))


@dataclass
class Matched:
    """What the sheet's vouchers do to the books: new ones, drafts replaced, and the count left as they were."""

    create: list[SheetVoucher] = field(default_factory=list)
    replace: list[tuple[Voucher, SheetVoucher]] = field(default_factory=list)
    unchanged: int = 0
    opening_collides: bool = False  # a sheet voucher takes the opening voucher's number: it moves to the end


def read_vouchers(book: Book, problems: Problems) -> list[SheetVoucher]:
    """Group the sheet's rows into vouchers by month, word and number; a number given twice in a month is refused."""
    found: dict[tuple[int, int, str, int], SheetVoucher] = {}
    by_number: dict[tuple[int, int, int], SheetVoucher] = {}
    refused: set[tuple[int, int, str, int]] = set()  # the later rows of a voucher refused at its first say nothing
    column = VOUCHERS.column
    for row in book.rows(VOUCHERS):
        on, number = row.get("date"), row.get("number")
        if on is None or number is None:
            continue  # a required cell, reported as it was read
        if number < 1:
            problems.error(NOT_A_VOUCHER_NUMBER, sheet=VOUCHERS, row=row.number, column=column("number"), value=number)
            continue
        word = row.get("word") or DEFAULT_WORD
        key = (on.year, on.month, word, number)
        voucher = found.get(key)
        if voucher is None:
            other = by_number.get((on.year, on.month, number))
            if key in refused:
                continue
            if other is not None:
                refused.add(key)
                where = {"sheet": VOUCHERS, "row": row.number, "column": column("number")}
                problems.error(NUMBER_TWICE, **where, number=number, period=period_name(on.year, on.month),
                               other=f"{other.word}-{number}", first=other.rows[0].number)  # fmt: skip
                continue
            voucher = found[key] = by_number[(on.year, on.month, number)] = SheetVoucher(key[:2], word, number, on)
        _add_row(voucher, row, problems)
    return list(found.values())


def _add_row(voucher: SheetVoucher, row: Row, problems: Problems) -> None:
    first = voucher.rows[0].number if voucher.rows else None
    if first is not None and row.get("date") != voucher.on:
        problems.error(DATES_DIFFER, sheet=VOUCHERS, row=row.number, column=VOUCHERS.column("date"),
                       voucher=voucher.name, date=voucher.on, first=first)  # fmt: skip
    attachments = row.get("attachments")
    if attachments is not None:
        if voucher.attachments is not None and attachments != voucher.attachments:
            given = next(r.number for r in voucher.rows if r.get("attachments") is not None)
            problems.error(ATTACHMENTS_DIFFER, sheet=VOUCHERS, row=row.number, column=VOUCHERS.column("attachments"),
                           voucher=voucher.name, count=voucher.attachments, first=given)  # fmt: skip
        voucher.attachments = attachments if voucher.attachments is None else voucher.attachments
    voucher.readable = voucher.readable and all(key in row for key in _READ) and row.get("account_code") is not None
    voucher.rows.append(row)
    voucher.lines.append(
        EntryLine(
            row.get("account_code") or "",
            row.get("debit") or ZERO,
            row.get("credit") or ZERO,
            row.get("summary") or "",
            row.get("member_code"),
            row.get("counterparty") or "",
            row.get("product"),
            row.get("project") or "",
            row.get("poverty_asset"),
            row.get("quantity"),
            row.get("unit_price"),
        )
    )


def check_vouchers(
    vouchers: list[SheetVoucher],
    rules: dict[str, AccountRule],
    books: StoredBooks,
    start: dt.date | None,
    problems: Problems,
) -> None:
    """Every problem of every voucher's lines, placed at its row and column; and vouchers before the books start."""
    for voucher in vouchers:
        first = voucher.rows[0]
        if start is not None and voucher.on < start:
            problems.error(BEFORE_START, sheet=VOUCHERS, row=first.number, column=VOUCHERS.column("date"),
                           voucher=voucher.name, start=period_name(start.year, start.month))  # fmt: skip
        if not voucher.readable:
            continue
        findings = check_voucher(voucher.lines, rules, books.members)
        for number, line in enumerate(voucher.lines, start=1):
            if line.product and line.product not in books.products:
                findings += error("line_product", UNKNOWN_PRODUCT, key="product", line=number, product=line.product)
        place_findings(findings, voucher, problems)


def place_findings(findings: list[Finding], voucher: SheetVoucher, problems: Problems) -> None:
    """Put the voucher rule's findings at the rows and columns they are about; a voucher's own at its first row."""
    first = voucher.rows[0].number
    for finding in place_lines(findings, VOUCHERS, voucher.rows, voucher.lines, problems):
        if finding.rule == "voucher_balance":
            fields = {key: finding.fields[key] for key in ("debit", "credit", "difference")}
            problems.error(UNBALANCED, sheet=VOUCHERS, row=first, column=VOUCHERS.column("debit"),
                           voucher=voucher.name, **fields)  # fmt: skip
        else:
            problems.items.append(finding.at(VOUCHERS, first, VOUCHERS.column("number")))


def place_lines(
    findings: list[Finding], sheet: Sheet, rows: list[Row], lines: list[EntryLine], problems: Problems
) -> list[Finding]:
    """Put the findings about one line at its row and column, and return those about the voucher as a whole.

    A line's number in a message becomes its row's number, as the problem table shows it.
    """
    whole = []
    for finding in findings:
        line_number = finding.fields.get("line")
        if not isinstance(line_number, int):
            whole.append(finding)
            continue
        row, line = rows[line_number - 1], lines[line_number - 1]
        key = COLUMNS.get(finding.key or "") or _amount_column(finding, line)
        placed = replace(finding, fields={**finding.fields, "line": row.number})
        problems.items.append(placed.at(sheet, row.number, sheet.column(key)))
    return whole


def _amount_column(finding: Finding, line: EntryLine) -> str:
    value = finding.fields.get("value")
    return "credit" if value is not None and value == line.credit and value != line.debit else "debit"


def match_vouchers(
    session: Session, vouchers: list[SheetVoucher], books: StoredBooks, opening_month: Month | None, problems: Problems
) -> Matched:
    """Match each sheet voucher with the books' voucher of its month and number; refuse what may not change."""
    matched = Matched()
    opening = books.opening
    for voucher in vouchers:
        stored = books.vouchers.get((*voucher.month, voucher.number))
        where = {"sheet": VOUCHERS, "row": voucher.rows[0].number, "column": VOUCHERS.column("number")}
        if stored is not None and stored is not opening and shown(stored, books.lines[stored.id]) == voucher.shown():
            matched.unchanged += 1
            continue
        if books.closed(session, voucher.month):
            problems.error(CLOSED, **where, voucher=voucher.name, period=period_name(*voucher.month))
        elif stored is None or stored is opening:
            matched.create.append(voucher)
            matched.opening_collides |= stored is opening and opening_month == voucher.month
        elif stored.origin is not VoucherOrigin.WORKBOOK:
            problems.error(NUMBER_TAKEN, **where, voucher=voucher_name(stored), origin=term(stored.origin))
        elif stored.state is VoucherState.AUDITED:
            problems.error(AUDITED_CHANGED, **where, voucher=voucher_name(stored))
        elif stored.state is VoucherState.POSTED:
            problems.error(POSTED_CHANGED, **where, voucher=voucher_name(stored))
        else:
            matched.replace.append((stored, voucher))
    return matched


def check_numbers(
    vouchers: list[SheetVoucher], books: StoredBooks, final: dict[Month, set[int]], problems: Problems
) -> None:
    """A month the import writes into keeps its numbers gapless: 1, 2, 3 … (its stored vouchers' and the sheet's)."""
    for month, numbers in sorted(final.items()):
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)
        if not missing:
            continue
        after = [v for v in vouchers if v.month == month and v.number > missing[0]]
        place = min(after, key=lambda v: v.number).rows[0].number if after else None
        problems.error(GAP, sheet=VOUCHERS, row=place, column=VOUCHERS.column("number"), period=period_name(*month),
                       missing=ranges(missing), used=ranges(sorted(books.numbers(month))) or "—")  # fmt: skip


def ranges(numbers: list[int]) -> str:
    """Numbers as people write a list of them: 1-5, 7, 9-10."""
    parts: list[str] = []
    for number in numbers:
        if parts and (last := parts[-1].split("-")[-1]) and int(last) == number - 1:
            parts[-1] = f"{parts[-1].split('-')[0]}-{number}"
        else:
            parts.append(str(number))
    return ", ".join(parts)
