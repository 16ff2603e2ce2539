"""How `coop statements` shows the statements: the public JSON, and the three forms as tables for people."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click
from rich.table import Table

from coopcore.commands.ledger_tables import print_table, table
from coopcore.i18n import Lang, format_day, format_money, render
from coopcore.money import FEN
from coopcore.rules.statements import (
    EQUITY_COLUMNS,
    EQUITY_ROWS,
    EQUITY_SUB_ITEMS,
    SURPLUS_STATEMENT,
    TOTAL,
    Line,
    Place,
    Statements,
    balance_sheet_rows,
)
from coopcore.rules.statements.rollup import in_wan
from coopcore.services.statements.township import TownshipStatements

OPENING_UNDISTRIBUTED = 13  # 02表 lines 1-13 are the year's result and what it starts with, before any distribution
# The words of the tables (their Chinese in statements.po).
BALANCE_SHEET_TITLE = "Balance sheet (Form 01 of cooperatives)"
SURPLUS_TITLE = "Statement of surplus and its distribution (Form 02 of cooperatives)"
EQUITY_TITLE = "Statement of changes in member equity (Form 03 of cooperatives)"
PREPARED_BY = "Prepared by: {name}    {day}    Unit: yuan"
PREPARED_FOR_YEAR = "Prepared by: {name}    Year {year}    Unit: yuan"
UNPOSTED = "Preview: drafts and audited vouchers are counted as if posted; not the books as closed."
OUT_OF_BALANCE = "Total assets {assets} differ from total liabilities and owners' equity {claims}."
UNPLACED = "Account {code} holds {amount} that no line of the statements shows."
UNAUDITED = "Unaudited: the period is not closed; drafts and audited vouchers are counted as if posted."
NOT_CLOSED = "Unaudited: the period is not closed; only posted vouchers are counted."
YEAR_SO_FAR = "{name}: the year {year} as the books stand (Form 02, lines 1-13)"
COOP_OR_TOWNSHIP = "Give --coop or --township."
ROLLED_UP = "{count} cooperatives and federations added up; not closed for the period: {open}."
NONE_OPEN = "none"
WAN_RULE = (
    "万元 = yuan ÷ 10,000, rounded half up (四舍五入) to 0.01 each figure on its own: a total in 万元 is the rounded "
    "total, and may differ from the sum of the rounded lines."
)
INVESTMENT_ONCE = (
    "A member cooperative's investment in a federation of the township is counted once: {amount} taken out of both "
    "outside investments and share capital."
)
UNMATCHED = (
    "Federations hold {amount} of share capital from member cooperatives whose books show no such outside "
    "investment; it is left in."
)
HEADERS = ("Asset items", "Liability and equity items", "Line", "Closing balance of the period", "Opening balance",
           "Item", "Amount this year", "Amount last year", "Total")  # fmt: skip
ROWS = {"opening": "Balance at the start of the year", "increase": "Increase this year",
        "decrease": "Decrease this year", "closing": "Balance at the end of the year"}  # fmt: skip
TEMPLATES = (UNAUDITED, NOT_CLOSED, YEAR_SO_FAR, COOP_OR_TOWNSHIP, ROLLED_UP, NONE_OPEN, WAN_RULE, INVESTMENT_ONCE,
             UNMATCHED,
             BALANCE_SHEET_TITLE, SURPLUS_TITLE, EQUITY_TITLE, PREPARED_BY, PREPARED_FOR_YEAR, UNPOSTED,
             OUT_OF_BALANCE, UNPLACED, *HEADERS, *ROWS.values())  # fmt: skip


def statements_json(
    found: Statements, with_month: bool = False, shown: Callable[[Decimal], Decimal] = lambda value: value
) -> dict[str, Any]:
    """The statements as the public JSON contract prints them (coopcore.commands.statements); `shown` converts
    each amount first (to 万元)."""

    def _text(value: Decimal) -> str:
        return str(shown(value).quantize(FEN))

    data: dict[str, Any] = {"year": found.year}
    if with_month:
        data["month"] = found.month
    data["balance_sheet"] = {
        "lines": {
            str(n): {"closing": _text(found.closing[n]), "opening": _text(found.opening[n])} for n in found.closing
        }
    }
    data["surplus_statement"] = {
        "lines": {
            str(n): {"this_year": _text(found.this_year[n]), "last_year": _text(found.last_year[n])}
            for n in found.this_year
        }
    }
    equity = found.equity
    data["equity_changes"] = {
        "columns": [column.key for column in EQUITY_COLUMNS] + [TOTAL],
        "rows": {row: {key: _text(value) for key, value in equity.rows[row].items()} for row in EQUITY_ROWS},
        "sub_items": {
            direction: {column: {key: _text(value) for key, value in items.items()} for column, items in found_.items()}
            for direction, found_ in (("increase", equity.increase), ("decrease", equity.decrease))
        },
    }
    return data


def print_statements(
    found: Statements, name: str, lang: Lang, *, unposted: bool = False, unaudited: bool = False
) -> None:
    """The three forms, each with its title, 编制单位, date and 单位：元; warnings after them (unaudited: the
    period is not closed)."""
    day = dt.date(found.year, found.month, calendar.monthrange(found.year, found.month)[1])
    for title, shown, dated in (
        (BALANCE_SHEET_TITLE, _balance_sheet(found, lang), True),
        (SURPLUS_TITLE, _surplus_statement(found, lang), False),
        (EQUITY_TITLE, _equity_changes(found, lang), False),
    ):
        shown.title = render(title, lang)
        caption = PREPARED_BY if dated else PREPARED_FOR_YEAR
        shown.caption = render(caption, lang, name=name, day=format_day(day, lang), year=found.year)
        print_table(shown)
    if unaudited:
        click.echo(render(UNAUDITED if unposted else NOT_CLOSED, lang))
    elif unposted:
        click.echo(render(UNPOSTED, lang))
    for column in (found.closing, found.opening):
        if column[22] != column[42]:
            click.echo(render(OUT_OF_BALANCE, lang, assets=format_money(column[22], lang),
                         claims=format_money(column[42], lang)))  # fmt: skip
    for code, amount in sorted(found.unplaced.items()):
        click.echo(render(UNPLACED, lang, code=code, amount=format_money(amount, lang)))


def _balance_sheet(found: Statements, lang: Lang) -> Table:
    """Assets on the left, liabilities and owners' equity on the right, each with its headings."""
    amounts = ("Closing balance of the period", "Opening balance")
    headers = ("Asset items", "Line", *amounts, "Liability and equity items", "Line", *amounts)
    shown = table(headers, lang, right=("Line", *amounts))
    for mine, theirs in balance_sheet_rows():
        shown.add_row(*_place(mine, found, lang), *_place(theirs, found, lang))
    return shown


def _place(place: Place, found: Statements, lang: Lang) -> tuple[str, ...]:
    """A half row of 01表: a line with its two amounts, a section heading, or a blank."""
    if isinstance(place, Line):
        return _rows((place,), lang, found.closing, found.opening)[-1]
    return (render(place, lang) if place else "", "", "", "")


def _surplus_statement(found: Statements, lang: Lang) -> Table:
    shown = table(
        ("Item", "Line", "Amount this year", "Amount last year"),
        lang,
        right=("Line", "Amount this year", "Amount last year"),
    )
    for row in _rows(SURPLUS_STATEMENT, lang, found.this_year, found.last_year):
        shown.add_row(*row)
    return shown


def print_year_so_far(found: Statements, name: str, lang: Lang, *, unaudited: bool) -> None:
    """02表 lines 1-13 of the year (经营收入 to 年初未分配盈余): where the surplus a plan distributes comes from."""
    shown = table(("Item", "Line", "Amount this year", "Amount last year"), lang,
                  right=("Line", "Amount this year", "Amount last year"))  # fmt: skip
    for row in _rows(SURPLUS_STATEMENT[:OPENING_UNDISTRIBUTED], lang, found.this_year, found.last_year):
        shown.add_row(*row)
    shown.title = render(YEAR_SO_FAR, lang, name=name, year=found.year)
    if unaudited:
        shown.caption = render(UNAUDITED, lang)
    print_table(shown)


def _equity_changes(found: Statements, lang: Lang) -> Table:
    """The four rows, each increase and decrease followed by its sub-items in their columns."""
    keys = [column.key for column in EQUITY_COLUMNS] + [TOTAL]
    headings = [render(column.item, lang) for column in EQUITY_COLUMNS] + [render("Total", lang)]
    shown = Table(title=None)
    shown.add_column(render("Item", lang))
    for heading in headings:
        shown.add_column(heading, justify="right")
    equity = found.equity
    for row in EQUITY_ROWS:
        shown.add_row(render(ROWS[row], lang), *(format_money(equity.rows[row][key], lang) for key in keys))
        if row in ("increase", "decrease"):
            items = equity.increase if row == "increase" else equity.decrease
            for item in EQUITY_SUB_ITEMS:
                if item.increase is (row == "increase"):
                    cells = [format_money(items[item.column][item.key], lang) if key == item.column else ""
                             for key in keys]  # fmt: skip
                    shown.add_row("\u3000" + render(item.item, lang), *cells)
    return shown


def _rows(
    lines: tuple[Line, ...], lang: Lang, first: dict[int, Decimal], second: dict[int, Decimal]
) -> list[tuple[str, ...]]:
    """Each line as (item, line number, two amounts), its section heading on a row of its own before it."""
    rows: list[tuple[str, ...]] = []
    for line in lines:
        if line.heading:
            rows.append((render(line.heading, lang), "", "", ""))
        item = render(line.item, lang)
        if line.total:
            item = f"[bold]{item}[/bold]"
        rows.append(
            (item, str(line.number), format_money(first[line.number], lang), format_money(second[line.number], lang))
        )
    return rows


def township_json(rolled: TownshipStatements, with_month: bool = False) -> dict[str, Any]:
    """What a township's roll-up adds to the statements' JSON: who is in it, who is not closed, the 万元 figures."""
    in_10k = statements_json(rolled.statements, with_month, in_wan)
    return {
        "cooperatives": rolled.cooperatives,
        "not_closed": rolled.not_closed,
        "investment_counted_once": str(rolled.counted_once.quantize(FEN)),
        "investment_unmatched": str(rolled.unmatched.quantize(FEN)),
        "in_wan": {
            "rounding": WAN_RULE,
            **{key: in_10k[key] for key in ("balance_sheet", "surplus_statement", "equity_changes")},
        },
    }


def print_township(rolled: TownshipStatements, lang: Lang) -> None:
    """Who the roll-up adds up, and how it counts (its 万元 figures are in the JSON)."""
    still_open = "、".join(rolled.not_closed) if rolled.not_closed else render(NONE_OPEN, lang)
    click.echo(render(ROLLED_UP, lang, count=len(rolled.cooperatives), open=still_open))
    click.echo(render(INVESTMENT_ONCE, lang, amount=format_money(rolled.counted_once, lang)))
    if rolled.unmatched:
        click.echo(render(UNMATCHED, lang, amount=format_money(rolled.unmatched, lang)))
    click.echo(render(WAN_RULE, lang))
