"""How `coop ledger` shows the books: tables for people, and the trial balance's public JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from coopcore.i18n import Lang, format_money, render
from coopcore.money import FEN
from coopcore.services.ledger import Columns, DetailLedger, TrialBalance

# Column headers and words of the tables (their Chinese in ledger.po).
# fmt: off
HEADERS = ("Account code", "Account name", "Class", "Side", "Per member", "Voucher", "Summary", "Amount", "State",
           "Origin", "Opening debit", "Opening credit", "Period debit", "Period credit", "Closing debit",
           "Closing credit", "Debit amount", "Credit amount", "Counter accounts", "Direction", "Balance", "Nil")
BALANCE_HEADERS = ("Account code", "Account name", "Opening debit", "Opening credit", "Period debit", "Period credit",
                   "Closing debit", "Closing credit")
# fmt: on
AMOUNT_KEYS = ("opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit")
TEMPLATES = HEADERS


def table(headers: tuple[str, ...], lang: Lang, *, right: tuple[str, ...] = (), title: str = "") -> Table:
    """A table with translated headers; the amount columns right-aligned."""
    shown = Table(title=title or None)
    for header in headers:
        shown.add_column(render(header, lang), justify="right" if header in right else "left")
    return shown


def print_table(shown: Table) -> None:
    Console(width=160).print(shown)


def balance_json(balance: TrialBalance) -> dict[str, Any]:
    """The trial balance as the public JSON contract prints it (amounts as strings with two decimals):
    {"year", ["month",] "accounts": [{"code", "name", six amounts}, …], "totals": {six amounts}}."""

    def amounts(columns: Columns) -> dict[str, str]:
        return {key: str(value.quantize(FEN)) for key, value in zip(AMOUNT_KEYS, columns.amounts(), strict=True)}

    data: dict[str, Any] = {"year": balance.year}
    if balance.month is not None:
        data["month"] = balance.month
    data["accounts"] = [{"code": row.code, "name": row.name, **amounts(row.columns)} for row in balance.rows]
    data["totals"] = amounts(balance.totals)
    return data


def print_balance(balance: TrialBalance, lang: Lang) -> None:
    """科目余额表: accounts with any amount, detail accounts indented under their parents, then the totals."""
    shown = table(BALANCE_HEADERS, lang, right=BALANCE_HEADERS[2:])
    for row in balance.rows:
        if any(row.columns.amounts()):
            amounts = (format_money(amount, lang) for amount in row.columns.amounts())
            shown.add_row(row.code, "  " * (row.level - 1) + row.name, *amounts)
    shown.add_row(render("total", lang), "", *(format_money(amount, lang) for amount in balance.totals.amounts()))
    print_table(shown)


def print_ledger(book: DetailLedger, lang: Lang, *, journal: bool) -> None:
    """明细账 or 日记账: the opening balance, each line with the balance after it (direction and amount)."""
    counters = ("Counter accounts",) if journal else ()
    amounts = ("Debit amount", "Credit amount", "Balance")
    headers = ("Date", "Voucher", "Summary", *counters, "Debit amount", "Credit amount", "Direction", "Balance")
    shown = table(headers, lang, right=amounts, title=f"{book.code} {book.name} {book.member or ''}".strip())
    blank = ("",) * len(counters)
    opening = (_direction(book.opening, lang), format_money(abs(book.opening), lang))
    shown.add_row("", "", render("opening balance", lang), *blank, "", "", *opening)
    for row in book.rows:
        others = (" ".join(row.counter_accounts),) if journal else ()
        shown.add_row(row.voucher_date.isoformat(), row.voucher, row.summary, *others, format_money(row.debit, lang),
                      format_money(row.credit, lang), _direction(row.balance, lang),
                      format_money(abs(row.balance), lang))  # fmt: skip
    print_table(shown)


def _direction(balance: Decimal, lang: Lang) -> str:
    return render("Debit" if balance > 0 else "Credit" if balance < 0 else "Nil", lang)
