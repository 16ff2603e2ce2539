"""Export a cooperative's books of a year as the voucher sheets, so that export → import gives identical books.

The opening balances are the books' balances at the start of the year (or of the month the books start, when
they start that year), read by the same query the import compares them with: importing the export into the same
books changes nothing, and into a fresh database with the same cooperative and members gives the same trial
balance once its vouchers are posted. Every voucher of the year is exported except the opening vouchers, which
the opening balances stand for; a red reversal goes out as the entry it is stored as (the other side, positive).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import Account, Cooperative, Voucher, VoucherOrigin
from coopcore.money import ZERO
from coopcore.services.ledger.books import entries_by_voucher
from coopcore.services.ledger.chart import chart_accounts
from coopcore.services.lookups import cooperative_by_code
from coopcore.services.safe_cells import text_row
from coopcore.services.workbook.format import Sheet
from coopcore.services.workbook.template import cell_value, new_sheet
from coopcore.services.workbook.voucher_rows import shown_lines
from coopcore.services.workbook.voucher_schema import ACCOUNTS, BOOKS, OPENING, VOUCHERS
from coopcore.services.workbook.voucher_stored import BalanceKey, balances_at, live_opening

Records = Iterable[dict[str, Any]]


def export_vouchers(session: Session, credit_code: str, year: int, path: Path | str, *, lang: Lang = "zh") -> None:
    """Write a cooperative's chart additions, opening balances and vouchers of a year as the voucher sheets."""
    cooperative = cooperative_by_code(session, credit_code)
    opening = live_opening(session, cooperative.id)
    start = opening.voucher_date if opening is not None and opening.year == year else dt.date(year, 1, 1)
    accounts = chart_accounts(session, cooperative)
    names = {code: account.name for code, account in accounts.items()}
    head = {"uscc": cooperative.credit_code, "name": cooperative.name, "start_month": start}
    sheets: tuple[tuple[Sheet, Records], ...] = (
        (BOOKS, [head]),
        (ACCOUNTS, _accounts(list(accounts.values()))),
        (OPENING, _opening(balances_at(session, cooperative.id, start), names)),
        (VOUCHERS, _vouchers(session, cooperative, year, names)),
    )
    workbook = Workbook(write_only=True)
    for sheet, records in sheets:
        worksheet = new_sheet(workbook, sheet, lang)
        for record in records:
            values = (cell_value(column, record.get(column.key), lang) for column in sheet.columns)
            worksheet.append(text_row(worksheet, values))  # a 摘要 such as "=HYPERLINK(…)" stays text
    workbook.save(str(path))


def _accounts(accounts: list[Account]) -> Records:
    """The detail accounts the cooperative added, parents first (a code starts with its parent's)."""
    codes = {account.id: account.code for account in accounts}
    for account in sorted(accounts, key=lambda a: a.code):
        if not account.chart and account.parent_id is not None:
            yield {"account_code": account.code, "account_name": account.name, "parent_code": codes[account.parent_id]}


def _opening(balances: dict[BalanceKey, Decimal], names: dict[str, str]) -> Records:
    def order(key: BalanceKey) -> tuple[str, str, int]:
        code, member, poverty = key
        return (code, member or "", -1 if poverty is None else int(poverty))

    for key in sorted(balances, key=order):
        code, member, poverty = key
        value = balances[key]
        yield {
            "account_code": code,
            "account_name": names.get(code),
            "member_code": member,
            "poverty_asset": poverty,
            "debit": value if value > 0 else None,
            "credit": -value if value < 0 else None,
        }


def _vouchers(session: Session, cooperative: Cooperative, year: int, names: dict[str, str]) -> Iterator[dict[str, Any]]:
    vouchers = list(
        session.scalars(
            select(Voucher)
            .where(
                Voucher.cooperative_id == cooperative.id,
                Voucher.year == year,
                Voucher.origin != VoucherOrigin.OPENING,
            )
            .order_by(Voucher.month, Voucher.number)
        )
    )
    lines = entries_by_voucher(session, cooperative.id, vouchers)
    for voucher in vouchers:
        for index, line in enumerate(shown_lines(lines[voucher.id], voucher.summary)):
            yield {
                "date": voucher.voucher_date,
                "word": voucher.word,
                "number": voucher.number,
                "summary": line.summary,
                "account_code": line.account,
                "account_name": names.get(line.account),
                "member_code": line.member,
                "counterparty": line.counterparty,
                "debit": line.debit if line.debit != ZERO else None,
                "credit": line.credit if line.credit != ZERO else None,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "attachments": voucher.attachments if index == 0 and voucher.attachments else None,
                "poverty_asset": line.poverty_asset,
                "product": line.product,
                "project": line.project,
            }
