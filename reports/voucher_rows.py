"""Vouchers as the printed books show them: plain rows read page by page, accounts and members by name.

Nothing here writes. A voucher line stores its amount on one side, never negative (the database's CHECK), so a
red reversal (红字冲销) stores the reversed lines on the other side. Print shows it as Chinese practice writes it
in red ink: each line on the side of the entry it cancels, as a negative amount. Debit -X is the same entry as
credit X, so the figures are those of the books; only the way they are written differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import Cooperative, Member
from coopcore.models.ledger import Account, Voucher, VoucherLine
from coopcore.money import ZERO
from coopcore.services.ledger import SYSTEM
from coopcore.terms import VoucherOrigin, VoucherState

PAGE_SIZE = 200  # vouchers held at a time: a year of generated vouchers never sits in memory at once


@dataclass(frozen=True)
class AccountName:
    """An account as the books name it: its code, its name, and the top-level account it belongs to."""

    code: str
    name: str
    top_code: str
    top_name: str
    member_detail: bool

    @property
    def is_top(self) -> bool:
        return self.code == self.top_code

    @property
    def label(self) -> str:
        """Code and name, as a voucher writes an account: 114 成员往来."""
        return f"{self.code} {self.name}"

    @property
    def top_label(self) -> str:
        return f"{self.top_code} {self.top_name}"


@dataclass(frozen=True)
class PrintedLine:
    """One line of a voucher as printed: a reversal's amounts negative on the side of the entry they cancel."""

    summary: str
    account: AccountName
    member_code: str
    member_name: str
    counterparty: str
    project: str
    debit: Decimal | None  # None: nothing on this side
    credit: Decimal | None

    @property
    def detail(self) -> str:
        """明细科目: the detail account under the top-level one, then the member, counterparty or project."""
        parts = [] if self.account.is_top else [self.account.label]
        if self.member_name:
            parts.append(f"{self.member_name}（{self.member_code}）")
        parts += [part for part in (self.counterparty, self.project) if part]
        return " / ".join(parts)


@dataclass(frozen=True)
class PrintedVoucher:
    """A voucher with what its form shows: number, date, people, state, the voucher it reverses, its lines."""

    year: int
    month: int
    number: str  # 记-0012
    voucher_date: dt.date
    summary: str
    attachments: int
    state: VoucherState
    origin: VoucherOrigin
    prepared_by: str
    audited_by: str
    posted_by: str
    reverses: str | None  # "2024年3月 记-0002" of the voucher this one reverses, in the reader's language
    lines: tuple[PrintedLine, ...]

    @property
    def is_reversal(self) -> bool:
        return self.reverses is not None

    @property
    def debit_total(self) -> Decimal:
        return sum((line.debit for line in self.lines if line.debit is not None), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((line.credit for line in self.lines if line.credit is not None), ZERO)

    @property
    def self_audited(self) -> bool:
        """Prepared and audited by the same person (allowed only where the cooperative's setting says so).

        A voucher a service booked from a business event is prepared and audited by no person: not a self-audit.
        """
        return self.audited_by not in ("", SYSTEM) and self.audited_by == self.prepared_by


def voucher_number(word: str, number: int) -> str:
    """A voucher's 凭证字号 as printed: 记-0012."""
    return f"{word}-{number:04d}"


def period_name(year: int, month: int | None, lang: Lang) -> str:
    """A month of the books (2024年3月, or 2024-03), or a whole year (2024年, or 2024)."""
    if month is None:
        return f"{year}年" if lang == "zh" else str(year)
    return f"{year}年{month}月" if lang == "zh" else f"{year}-{month:02d}"


def account_names(session: Session, cooperative_id: int, lang: Lang) -> dict[int, AccountName]:
    """Every account of the cooperative by id, with its top-level account (the chart is small: read it whole)."""
    rows = session.execute(
        select(Account.id, Account.code, Account.name, Account.name_en, Account.parent_id, Account.member_detail).where(
            Account.cooperative_id == cooperative_id
        )
    ).all()
    by_id = {row.id: row for row in rows}

    def name(row: Any) -> str:
        return str(row.name_en or row.name) if lang == "en" else str(row.name)

    names: dict[int, AccountName] = {}
    for row in rows:
        top = row
        while top.parent_id is not None and top.parent_id in by_id:
            top = by_id[top.parent_id]
        names[row.id] = AccountName(row.code, name(row), top.code, name(top), row.member_detail)
    return names


def count_vouchers(session: Session, cooperative: Cooperative, year: int, month: int | None) -> int:
    """How many vouchers the period has."""
    query = select(func.count(Voucher.id)).where(Voucher.cooperative_id == cooperative.id, Voucher.year == year)
    if month is not None:
        query = query.where(Voucher.month == month)
    return int(session.scalar(query) or 0)


def printed_vouchers(
    session: Session, cooperative: Cooperative, year: int, month: int | None, lang: Lang
) -> Iterator[PrintedVoucher]:
    """The vouchers of a year (or one month of it) in book order: month, 凭证字, number."""
    accounts = account_names(session, cooperative.id, lang)
    query = select(
        Voucher.id,
        Voucher.year,
        Voucher.month,
        Voucher.word,
        Voucher.number,
        Voucher.voucher_date,
        Voucher.summary,
        Voucher.attachments,
        Voucher.state,
        Voucher.origin,
        Voucher.prepared_by,
        Voucher.audited_by,
        Voucher.posted_by,
        Voucher.reverses_id,
    ).where(Voucher.cooperative_id == cooperative.id, Voucher.year == year)
    if month is not None:
        query = query.where(Voucher.month == month)
    query = query.order_by(Voucher.month, Voucher.word, Voucher.number)
    offset = 0
    while True:
        page = session.execute(query.offset(offset).limit(PAGE_SIZE)).all()
        if not page:
            return
        yield from _page(session, page, accounts, lang)
        offset += PAGE_SIZE


def _page(
    session: Session, page: Sequence[Any], accounts: dict[int, AccountName], lang: Lang
) -> Iterator[PrintedVoucher]:
    ids = [row.id for row in page]
    lines = session.execute(
        select(
            VoucherLine.voucher_id,
            VoucherLine.summary,
            VoucherLine.account_id,
            VoucherLine.debit,
            VoucherLine.credit,
            VoucherLine.member_id,
            VoucherLine.counterparty,
            VoucherLine.project,
        )
        .where(VoucherLine.voucher_id.in_(ids))
        .order_by(VoucherLine.voucher_id, VoucherLine.line_no)
    ).all()
    member_ids = {line.member_id for line in lines if line.member_id is not None}
    members = {
        row.id: (row.code, row.name)
        for row in session.execute(select(Member.id, Member.code, Member.name).where(Member.id.in_(member_ids)))
    }
    reversed_ids = {row.reverses_id for row in page if row.reverses_id is not None}
    reversed_names = {
        row.id: f"{period_name(row.year, row.month, lang)} {voucher_number(row.word, row.number)}"
        for row in session.execute(
            select(Voucher.id, Voucher.year, Voucher.month, Voucher.word, Voucher.number).where(
                Voucher.id.in_(reversed_ids)
            )
        )
    }
    by_voucher: dict[int, list[PrintedLine]] = {voucher_id: [] for voucher_id in ids}
    red = {row.id for row in page if row.reverses_id is not None}
    for line in lines:
        code, name = members.get(line.member_id, ("", "")) if line.member_id is not None else ("", "")
        debit, credit = (line.debit or None), (line.credit or None)
        if line.voucher_id in red:  # written in red ink: negative, on the side of the entry it cancels
            debit, credit = (-credit if credit else None), (-debit if debit else None)
        by_voucher[line.voucher_id].append(
            PrintedLine(
                line.summary, accounts[line.account_id], code, name, line.counterparty, line.project, debit, credit
            )
        )
    for row in page:
        yield PrintedVoucher(
            year=row.year,
            month=row.month,
            number=voucher_number(row.word, row.number),
            voucher_date=row.voucher_date,
            summary=row.summary,
            attachments=row.attachments,
            state=row.state,
            origin=row.origin,
            prepared_by=row.prepared_by,
            audited_by=row.audited_by,
            posted_by=row.posted_by,
            reverses=reversed_names.get(row.reverses_id),
            lines=tuple(by_voucher[row.id]),
        )
