"""What every write to the books shares: one writer per cooperative, open periods, gapless numbers, checked lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from coopcore.db.bulk import read_rows
from coopcore.db.locks import hold
from coopcore.models import Account, Cooperative, Member, Period, PeriodState, Product, Voucher, VoucherLine
from coopcore.rules.findings import Finding, error
from coopcore.rules.ledger import AccountRule, EntryLine, check_voucher
from coopcore.services.ledger.chart import account_rules, accounts_by_code
from coopcore.services.ledger.errors import VoucherRefused, month_closed, period_name

SYSTEM = "system"  # who prepares and posts what a service books from a business event
CHUNK = 2000  # ids per IN list: SQLite and the drivers cap the parameters of one statement
UNKNOWN_PRODUCT = "Line {line}: there is no product {product}."
TEMPLATES = (UNKNOWN_PRODUCT,)


def hold_books(session: Session, cooperative: Cooperative) -> None:
    """Be the cooperative's one writer of the books until the transaction ends.

    Numbers are the month's max + 1, and a close checks a month before it marks it closed: a voucher written
    by a second transaction between the two would be a gap, a duplicate or a draft in a closed month. Writers
    of one cooperative's books therefore take turns on its row (PostgreSQL/MariaDB wait, SQLite refuses).
    """
    hold(session, cooperative)


def is_closed(session: Session, cooperative_id: int, year: int, month: int) -> bool:
    """Whether a month of a cooperative's books is closed: it, or a later month, is (months close in order, so a
    month before the first one closed is closed too, row or not); a month without a row is otherwise open."""
    later = or_(Period.year > year, and_(Period.year == year, Period.month >= month))
    closed = select(Period.id).where(Period.cooperative_id == cooperative_id, Period.state == PeriodState.CLOSED, later)
    return session.scalar(select(exists(closed))) or False


def first_open_day(session: Session, cooperative_id: int, day: dt.date) -> dt.date:
    """The day itself when its month is open, else the first day of the first open month after it (months close
    in order: the one after the latest closed)."""
    if not is_closed(session, cooperative_id, day.year, day.month):
        return day
    latest = session.execute(
        select(Period.year, Period.month)
        .where(Period.cooperative_id == cooperative_id, Period.state == PeriodState.CLOSED)
        .order_by(Period.year.desc(), Period.month.desc())
        .limit(1)
    ).one()
    year, month = latest
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def require_open(session: Session, cooperative: Cooperative, year: int, month: int) -> None:
    """Refuse a write into a closed month (PeriodClosed), before the database's guard would."""
    if is_closed(session, cooperative.id, year, month):
        raise month_closed(cooperative.name, year, month)


def next_number(session: Session, cooperative_id: int, year: int, month: int) -> int:
    """The number the month's next voucher takes: one after its last, 1 for the first."""
    last = session.scalar(
        select(func.max(Voucher.number)).where(
            Voucher.cooperative_id == cooperative_id, Voucher.year == year, Voucher.month == month
        )
    )
    return (last or 0) + 1


def close_up(session: Session, cooperative_id: int, year: int, month: int, after: int) -> None:
    """Close the gap a voucher numbered `after` left in its month: every later number moves down by one.

    Two statements, through negative numbers, so that no backend ever sees two vouchers with one number
    (PostgreSQL checks a unique key row by row). Numbers are final when the month is closed, as vouchers are
    bound then (装订); until then a number is the voucher's place in the month, not part of what it says.
    """
    month_vouchers = (Voucher.cooperative_id == cooperative_id, Voucher.year == year, Voucher.month == month)
    session.flush()
    session.execute(
        update(Voucher)
        .where(*month_vouchers, Voucher.number > after)
        .values(number=-(Voucher.number - 1), version=Voucher.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Voucher)
        .where(*month_vouchers, Voucher.number < 0)
        .values(number=-Voucher.number)
        .execution_options(synchronize_session=False)
    )
    for record in list(session.identity_map.values()):
        if isinstance(record, Voucher) and (record.cooperative_id, record.year, record.month) == (
            cooperative_id,
            year,
            month,
        ):
            session.expire(record, ["number", "version"])


@dataclass(frozen=True)
class LineRefs:
    """What lines name, read once for any number of vouchers: accounts, members and products."""

    accounts: dict[str, Account]  # by code
    rules: dict[str, AccountRule]  # by code: what check_voucher needs of each account
    members: dict[str, int]  # member code → id, the members the lines name that exist
    products: dict[str, int]  # product name → id, likewise


def line_refs(session: Session, cooperative: Cooperative, lines: Iterable[EntryLine]) -> LineRefs:
    """Read what the lines name, in a few queries however many lines there are."""
    accounts = accounts_by_code(session, cooperative)
    codes: set[str] = set()
    names: set[str] = set()
    for line in lines:
        if line.member:
            codes.add(line.member)
        if line.product:
            names.add(line.product)
    roster = select(Member.code, Member.id).where(Member.cooperative_id == cooperative.id)
    if len(codes) <= CHUNK:  # a few members by code; for many, the whole roster is one read
        roster = roster.where(Member.code.in_(codes))
    members = {code: id_ for code, id_ in _pairs(session, roster).items() if code in codes} if codes else {}
    products = _pairs(session, select(Product.name, Product.id).where(Product.name.in_(names))) if names else {}
    return LineRefs(accounts, account_rules(accounts), members, products)


def line_findings(lines: Sequence[EntryLine], refs: LineRefs) -> list[Finding]:
    """Every problem of one voucher's lines (check_voucher, and products that do not exist)."""
    findings: list[Finding] = check_voucher(lines, refs.rules, refs.members)
    for number, line in enumerate(lines, start=1):
        if line.product and line.product not in refs.products:
            findings += error("line_product", UNKNOWN_PRODUCT, key="product", line=number, product=line.product)
    return findings


def line_values(cooperative_id: int, lines: Sequence[EntryLine], refs: LineRefs) -> Iterator[dict[str, Any]]:
    """The stored columns of checked lines, numbered from 1 (their voucher and period are the writer's)."""
    for number, line in enumerate(lines, start=1):
        yield {
            "line_no": number,
            "cooperative_id": cooperative_id,
            "account_id": refs.accounts[line.account].id,
            "summary": line.summary[:200],
            "debit": line.debit,
            "credit": line.credit,
            "member_id": refs.members[line.member] if line.member else None,
            "counterparty": line.counterparty[:100],
            "product_id": refs.products[line.product] if line.product else None,
            "project": line.project[:100],
            "poverty_asset": line.poverty_asset,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }


def stored_lines(session: Session, cooperative: Cooperative, lines: Sequence[EntryLine]) -> list[VoucherLine]:
    """The lines to store, every problem of them refused at once (VoucherRefused), nothing written."""
    refs = line_refs(session, cooperative, lines)
    findings = line_findings(lines, refs)
    if findings:
        raise VoucherRefused(findings)
    return [VoucherLine(**values) for values in line_values(cooperative.id, lines, refs)]


def entry_lines(session: Session, voucher: Voucher) -> list[EntryLine]:
    """A stored voucher's lines as EntryLines again: accounts by code, members by code, products by name."""
    return entries_by_voucher(session, voucher.cooperative_id, [voucher])[voucher.id]


def entries_by_voucher(
    session: Session, cooperative_id: int, vouchers: Sequence[Voucher]
) -> dict[int, list[EntryLine]]:
    """Many stored vouchers' lines as EntryLines, by voucher id, in a few queries (exports, imports)."""
    ids = [voucher.id for voucher in vouchers]
    lines: list[VoucherLine] = []
    for start in range(0, len(ids), CHUNK):
        chunk = select(VoucherLine).where(VoucherLine.voucher_id.in_(ids[start : start + CHUNK]))
        lines += session.scalars(chunk.order_by(VoucherLine.voucher_id, VoucherLine.line_no))
    accounts = _pairs(session, select(Account.id, Account.code).where(Account.cooperative_id == cooperative_id))
    member_ids = {line.member_id for line in lines if line.member_id is not None}
    members = select(Member.id, Member.code).where(Member.cooperative_id == cooperative_id)
    if len(member_ids) <= CHUNK:  # a few members by id; for many, the whole roster is one read
        members = members.where(Member.id.in_(member_ids))
    product_ids = {line.product_id for line in lines if line.product_id is not None}
    products = _pairs(session, select(Product.id, Product.name).where(Product.id.in_(product_ids)))
    codes = _pairs(session, members)
    found: dict[int, list[EntryLine]] = {voucher.id: [] for voucher in vouchers}
    for line in lines:
        found[line.voucher_id].append(
            EntryLine(
                accounts[line.account_id],
                line.debit,
                line.credit,
                line.summary,
                codes[line.member_id] if line.member_id is not None else None,
                line.counterparty,
                products[line.product_id] if line.product_id is not None else None,
                line.project,
                line.poverty_asset,
                line.quantity,
                line.unit_price,
            )
        )
    return found


def voucher_name(voucher: Voucher) -> str:
    """A voucher as people name it: 2024-03 记-3."""
    return f"{period_name(voucher.year, voucher.month)} {voucher.word}-{voucher.number}"


def _pairs(session: Session, query: Select[Any, Any]) -> dict[Any, Any]:
    """The rows of a two-column query as a dict, first column to second (a roster of 20,000 is one read)."""
    return {key: value for key, value in read_rows(session, query)}
