"""科目余额表 (trial balance) of a year or a month: every account with a balance or entries, in code order, with
its opening balance, the period's debits and credits and its closing balance on both sides, and totals that
balance. The figures are coopcore.services.ledger's trial_balance, as `coop ledger trial-balance` prints them.

    python -m reports.trial_balance --db URL --coop CREDIT_CODE --year 2024 [--month 3] [--out DIR] [--lang zh|en]
    coop report trial-balance --coop CREDIT_CODE --year 2024 [--month 3]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, Spacer
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.models import Cooperative
from coopcore.services.ledger import BalanceRow, Columns, TrialBalance, trial_balance
from reports import base, pdf, text, xlsx
from reports.cli import cooperative_command, standalone
from reports.ledger_text import MONTH, output, posted_only
from reports.voucher_rows import period_name

GROUPS = ("Opening balance of the period", "Entries of the period", "Closing balance of the period")
MONEY_WIDTH, CODE_WIDTH = 88.0, 55.0


def build_trial_balance(
    session: Session, cooperative: Cooperative, year: int, out_dir: Path, lang: Lang = "zh", *, month: int | None = None
) -> list[Path]:
    """Write the trial balance of a year, or of one month, as a landscape PDF and a workbook; return both paths."""
    balance = trial_balance(session, cooperative, year, month)
    title = text.tr("Trial balance {period}", lang, period=period_name(year, month, lang))
    pdf_path = output(out_dir, cooperative, year, month, "trial balance", "pdf", lang)
    xlsx_path = output(out_dir, cooperative, year, month, "trial balance", "xlsx", lang)
    rows = [row for row in balance.rows if any(row.columns.amounts())]
    letterhead = pdf.Letterhead(title, base.issuer(cooperative, lang), lang)
    doc = pdf.ReportDoc(pdf_path, letterhead, first=pdf.LANDSCAPE)
    doc.build_from(_story(balance, rows, title, lang))
    book = xlsx.new_book()
    sheet = xlsx.Sheet(book, text.tr("trial balance", lang), _xlsx_columns(lang), f"{cooperative.name} {title}", lang)
    for row in rows:
        sheet.row([row.code, _name(row, lang), *row.columns.amounts()])
    sheet.row([text.tr("Total", lang), "", *balance.totals.amounts()], total=True)
    return [pdf_path, xlsx.save(book, xlsx_path)]


def _story(balance: TrialBalance, rows: list[BalanceRow], title: str, lang: Lang) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.LANDSCAPE)
    yield pdf.title(title)
    yield Spacer(1, 6)
    columns, header, spans = _columns(width, lang)
    table = pdf.PagedTable(
        columns, lang, size=8, row_height=14, header=header, header_style=spans, header_height=15, subtotals=False
    )
    totals: list[pdf.Cell] = ["", "", *balance.totals.amounts()]
    yield from table.flowables(([row.code, _name(row, lang), *_blank_zeros(row.columns)] for row in rows), totals)
    yield Spacer(1, 6)
    if balance.balanced:
        yield pdf.para(text.tr("In balance: opening, period and closing debits each equal their credits.", lang), 9)
    else:
        t = balance.totals
        yield pdf.para(
            text.tr(
                "Out of balance: debits and credits differ by {opening} (opening), {period} (period) and "
                "{closing} (closing).",
                lang,
                opening=text.amount(t.opening_debit - t.opening_credit, lang),
                period=text.amount(t.debit - t.credit, lang),
                closing=text.amount(t.closing_debit - t.closing_credit, lang),
            ),
            9,
            color=pdf.RED,
        )
    yield pdf.para(
        posted_only(lang)
        + ("" if lang == "zh" else " ")
        + text.tr(
            "Accounts whose figures are all zero are left out; a first-level account includes its detail accounts, "
            "and the totals add first-level accounts only.",
            lang,
        ),
        8,
    )


def _name(row: BalanceRow, lang: Lang) -> str:
    """The account's name, indented one step per level below the first (a detail account under its parent)."""
    name = row.name_en or row.name if lang == "en" else row.name
    return "\u3000" * (row.level - 1) + name


def _blank_zeros(columns: Columns) -> list[pdf.Cell]:
    return [amount or None for amount in columns.amounts()]


def _columns(width: float, lang: Lang) -> tuple[list[pdf.Column], list[list[Any]], list[tuple[Any, ...]]]:
    """Code, name and the six amount columns; two header rows, each group's name over its debit and credit."""
    name_width = width - CODE_WIDTH - 6 * MONEY_WIDTH
    columns = [
        pdf.Column(text.tr("Account code", lang), CODE_WIDTH),
        pdf.Column(text.tr("Account name", lang), name_width),
    ]
    top: list[Any] = [pdf.header_cell(c.header, 8) for c in columns]
    bottom: list[Any] = ["", ""]
    spans: list[tuple[Any, ...]] = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    for group in GROUPS:
        start = len(columns)
        for side in ("Debit amount", "Credit amount"):
            columns.append(pdf.Column(text.tr(side, lang), MONEY_WIDTH, "money", total=True))
            bottom.append(pdf.header_cell(text.tr(side, lang), 8))
        top += [pdf.header_cell(text.tr(group, lang), 8), ""]
        spans.append(("SPAN", (start, 0), (start + 1, 0)))
    return columns, [top, bottom], spans


def _xlsx_columns(lang: Lang) -> list[pdf.Column]:
    columns = [
        pdf.Column(text.tr("Account code", lang), 0, xlsx_width=10),
        pdf.Column(text.tr("Account name", lang), 0, xlsx_width=24),
    ]
    for group in GROUPS:
        for side in ("Debit amount", "Credit amount"):
            header = f"{text.tr(group, lang)}·{text.tr(side, lang)}"
            columns.append(pdf.Column(header, 0, "money", xlsx_width=17))
    return columns


command = cooperative_command(
    "trial-balance",
    build_trial_balance,
    "Trial balance (科目余额表) of the year or a month: opening, period and closing balances of every account "
    "(PDF and XLSX).",
    options=(MONTH,),
)

if __name__ == "__main__":
    standalone(command, "reports.trial_balance")
