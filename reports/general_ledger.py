"""总账 (general ledger) of a year: one page per first-level account with a balance or entries, its opening
balance, then each month's debits and credits (本月合计) and the year so far (本年累计), with the balance and its
side (借/贷). The figures are coopcore.services.ledger.general_ledger's: the trial balances of the year and of
each month.

    python -m reports.general_ledger --db URL --coop CREDIT_CODE --year 2024 [--out DIR] [--lang zh|en]
    coop report general-ledger --coop CREDIT_CODE --year 2024
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import Cooperative
from coopcore.money import ZERO
from coopcore.services.ledger import BalanceRow, MonthTotal, general_ledger
from reports import base, pdf, text, xlsx
from reports.cli import cooperative_command, standalone
from reports.ledger_text import balance_cells, output, posted_only, red_negatives
from reports.voucher_rows import period_name


def build_general_ledger(
    session: Session, cooperative: Cooperative, year: int, out_dir: Path, lang: Lang = "zh"
) -> list[Path]:
    """Write the year's general ledger (PDF, one page per account, and XLSX); return both paths."""
    ledgers = general_ledger(session, cooperative, year)
    title = text.tr("General ledger {period}", lang, period=period_name(year, None, lang))
    pdf_path = output(out_dir, cooperative, year, None, "general ledger", "pdf", lang)
    xlsx_path = output(out_dir, cooperative, year, None, "general ledger", "xlsx", lang)
    book = xlsx.new_book()
    sheet = xlsx.Sheet(book, text.tr("general ledger", lang), _xlsx_columns(lang), f"{cooperative.name} {title}", lang)
    letterhead = pdf.Letterhead(title, base.issuer(cooperative, lang), lang)

    def story() -> Iterator[Flowable]:
        for index, ledger in enumerate(ledgers):
            account = ledger.account
            rows = _rows(account, ledger.months, lang)
            for row in rows:
                sheet.row([account.code, _name(account, lang), *row])
            sheet.row([account.code, _name(account, lang), *_year_total(account, lang)], total=True)
            if index:
                yield PageBreak()
            yield from _page(account, rows, title, lang)
        if not ledgers:
            yield pdf.para(text.tr("No posted entries in {period}.", lang, period=period_name(year, None, lang)))

    pdf.ReportDoc(pdf_path, letterhead).build_from(story())
    return [pdf_path, xlsx.save(book, xlsx_path)]


def _rows(account: BalanceRow, months: tuple[MonthTotal, ...], lang: Lang) -> list[list[pdf.Cell]]:
    """年初余额, then 本月合计 and 本年累计 of each month with entries."""
    opening = account.columns.opening
    rows: list[list[pdf.Cell]] = [
        [None, text.tr("Opening balance of the year", lang), None, None, *balance_cells(opening, lang)]
    ]
    debit = credit = ZERO
    for month in months:
        debit, credit = debit + month.debit, credit + month.credit
        rows.append(
            [month.month, text.tr("Month total", lang), month.debit, month.credit, *balance_cells(month.closing, lang)]
        )
        rows.append([None, text.tr("Year to date", lang), debit, credit, *balance_cells(month.closing, lang)])
    return rows


def _page(account: BalanceRow, rows: list[list[pdf.Cell]], title: str, lang: Lang) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    yield pdf.title(title, 15)
    yield Spacer(1, 4)
    colon = "：" if lang == "zh" else ": "
    yield pdf.heading(text.tr("Account", lang) + colon + f"{account.code} {_name(account, lang)}")
    columns = _columns(width, lang)
    # The closing row: the year's debits and credits (the service's year columns) and the closing balance.
    totals = _year_total(account, lang)
    table = pdf.PagedTable(
        columns, lang, size=8.5, row_height=15, orientation=pdf.PORTRAIT, subtotals=False,
        totals_label="Year total", colours=red_negatives,
    )  # fmt: skip
    yield from table.flowables(rows, totals)
    yield Spacer(1, 4)
    yield pdf.para(posted_only(lang), 8)


def _year_total(account: BalanceRow, lang: Lang) -> list[pdf.Cell]:
    """本年合计: the year's debits and credits as the service totals them, and the closing balance."""
    year = account.columns
    return [None, text.tr("Year total", lang), year.debit, year.credit, *balance_cells(year.closing, lang)]


def _name(account: BalanceRow, lang: Lang) -> str:
    return account.name_en or account.name if lang == "en" else account.name


def _columns(width: float, lang: Lang) -> list[pdf.Column]:
    fixed = 34 + 92 + 92 + 34 + 96
    return [
        pdf.Column(text.tr("Month", lang), 34),  # left-aligned, as the 本年合计 spanning it
        pdf.Column(text.tr("Summary", lang), width - fixed),
        pdf.Column(text.tr("Debit amount", lang), 92, "money", total=True),
        pdf.Column(text.tr("Credit amount", lang), 92, "money", total=True),
        pdf.Column(text.tr("Debit or credit", lang), 34),
        pdf.Column(text.tr("Balance", lang), 96, "money"),
    ]


def _xlsx_columns(lang: Lang) -> list[pdf.Column]:
    return [
        pdf.Column(text.tr("Account code", lang), 0, xlsx_width=10),
        pdf.Column(text.tr("Account name", lang), 0, xlsx_width=20),
        pdf.Column(text.tr("Month", lang), 0, "count", xlsx_width=6),
        pdf.Column(text.tr("Summary", lang), 0, xlsx_width=14),
        pdf.Column(text.tr("Debit amount", lang), 0, "money", xlsx_width=17),
        pdf.Column(text.tr("Credit amount", lang), 0, "money", xlsx_width=17),
        pdf.Column(text.tr("Debit or credit", lang), 0, xlsx_width=8),
        pdf.Column(text.tr("Balance", lang), 0, "money", xlsx_width=17),
    ]


command = cooperative_command(
    "general-ledger",
    build_general_ledger,
    "General ledger (总账) of the year: each first-level account's opening balance, monthly totals and balance "
    "(PDF and XLSX).",
)

if __name__ == "__main__":
    standalone(command, "reports.general_ledger")
