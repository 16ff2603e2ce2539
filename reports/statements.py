"""会计报表: 资产负债表 (会农社01表), 盈余及盈余分配表 (会农社02表) and 成员权益变动表 (会农社03表) in the official
layout (title, 编制单位, date, 单位：元, line numbers, both columns, the signatures), as a PDF and a workbook. The
figures are coopcore.services.statements', as `coop statements` prints them.

    python -m reports.statements --db URL --coop CREDIT_CODE --year 2024 [--month 3] [--out DIR] [--lang zh|en]
    coop report statements --coop CREDIT_CODE --year 2024 [--month 3]
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from coopcore.commands.statements_tables import UNAUDITED
from coopcore.i18n import Lang
from coopcore.models import Cooperative
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
from coopcore.rules.statements.notes import Notes
from coopcore.services.statements import statements_as_they_stand
from coopcore.services.statements.notes import statement_notes
from reports import base, pdf, text, xlsx
from reports.cli import cooperative_command, standalone
from reports.ledger_text import MONTH, output
from reports.statement_notes import notes_sheets, notes_story

SIGNATURES = ("Head of the unit", "Chief accountant", "Tabulated by")
ROWS = {"opening": "Balance at the start of the year", "increase": "Increase this year",
        "decrease": "Decrease this year", "closing": "Balance at the end of the year"}  # fmt: skip
FORMS = ("Balance sheet", "Statement of surplus and its distribution", "Statement of changes in member equity")
FORM_NUMBERS = ("Form 01 of cooperatives", "Form 02 of cooperatives", "Form 03 of cooperatives")
LINE_WIDTH, MONEY_WIDTH, ROW_HEIGHT, SIZE = 30.0, 84.0, 13.5, 8.5
Row = list[pdf.Cell]


@dataclass(frozen=True)
class Heading:
    """What heads each form besides its title and number: who prepared it (编制单位), the unit its amounts are in,
    and a note printed under the heading (why the figures are not final, how they were rounded)."""

    name: str
    unit: str = "Unit: yuan"
    note: str = ""  # in the reader's language already
    kind: pdf.Kind = "money"  # "wan" for 万元
    suffix: str = ""  # after each form's title: （汇总表）
    rule: str = ""  # how the amounts were rounded, under the note


def unaudited_note(lang: Lang) -> str:
    """What statements of a period not closed say under each heading and at the foot of each page."""
    return text.tr(UNAUDITED, lang)


def letterhead(title: str, issuer: str, lang: Lang, *, final: bool) -> pdf.Letterhead:
    """The running header and footer; statements that are not final say 未审计 across every page and at its foot."""
    if final:
        return pdf.Letterhead(title, issuer, lang)
    return pdf.Letterhead(title, issuer, lang, text.tr("UNAUDITED", lang), unaudited_note(lang))


def build_statements(
    session: Session, cooperative: Cooperative, year: int, out_dir: Path, lang: Lang = "zh", *, month: int | None = None
) -> list[Path]:
    """Write the three statements of a year (or to a month's end) as a PDF and a workbook; return both paths.

    The figures are the books as they stand (coopcore.services.statements.statements_as_they_stand): a period not
    closed counts its unposted vouchers and is marked 未审计 on every page and sheet.
    """
    found, closed = statements_as_they_stand(session, cooperative, year, month or 12)
    # The notes (附注) go with a year's statements, after the three forms; a month's end has none.
    notes = None if month is not None else statement_notes(session, cooperative, year, found)
    heading = Heading(cooperative.name, note="" if closed else unaudited_note(lang))
    pdf_path = output(out_dir, cooperative, year, month, "statements", "pdf", lang)
    xlsx_path = output(out_dir, cooperative, year, month, "statements", "xlsx", lang)
    title = text.tr("Statements {year}", lang, year=year if month is None else f"{year}-{month:02d}")
    doc = pdf.ReportDoc(pdf_path, letterhead(title, base.issuer(cooperative, lang), lang, final=closed),
                        first=pdf.LANDSCAPE)  # fmt: skip
    doc.build_from(story(found, heading, lang, notes))
    book = xlsx.new_book()
    sheets(book, found, heading, lang)
    if notes is not None:
        notes_sheets(book, notes, lang)
    return [pdf_path, xlsx.save(book, xlsx_path)]


def sheets(book: Workbook, found: Statements, heading: Heading, lang: Lang, prefix: str = "") -> None:
    """The three forms as sheets of a workbook, each captioned as the PDF heads it (sheet names after a prefix)."""
    for index, (columns, rows) in enumerate(_forms(found, lang, pdf.frame_size(pdf.LANDSCAPE)[0], heading.kind)):
        form = text.tr(FORMS[index], lang) + heading.suffix
        caption = f"{form}（{text.tr(FORM_NUMBERS[index], lang)}）" if lang == "zh" else (
            f"{form} ({text.tr(FORM_NUMBERS[index], lang)})")  # fmt: skip
        caption += "  " + _prepared(found, heading, lang, dated=index == 0)
        caption = "  ".join(part for part in (caption, heading.note, heading.rule) if part)
        sheet = xlsx.Sheet(book, prefix + text.tr(FORMS[index], lang), columns, caption, lang)
        for row in rows:
            sheet.row([cell for cell, _ in row])


def story(found: Statements, heading: Heading, lang: Lang, notes: Notes | None = None) -> Iterator[Flowable]:
    """01表 and 03表 on landscape pages, 02表 on a portrait page between them, from a landscape page (a report
    that embeds them turns to one first, and back after them); the notes, if given, on portrait pages after."""
    orientations = (pdf.LANDSCAPE, pdf.PORTRAIT, pdf.LANDSCAPE)
    for index, orientation in enumerate(orientations):
        width, _ = pdf.frame_size(orientation)
        columns, rows = _forms(found, lang, width, heading.kind)[index]
        yield from _form(index, found, heading, lang, width, columns, rows)
        if index == 0 and heading.kind == "money":  # in 万元 the yuan figures have said it already
            yield from _warnings(found, lang)
        if index + 1 < len(orientations):
            yield from pdf.to_portrait() if orientations[index + 1] == pdf.PORTRAIT else pdf.to_landscape()
    if notes is not None:
        yield from pdf.to_portrait()
        yield from notes_story(notes, lang)


def _form(
    index: int,
    found: Statements,
    heading: Heading,
    lang: Lang,
    width: float,
    columns: list[pdf.Column],
    rows: list[list[Any]],
) -> Iterator[Flowable]:
    """One form: its title, the 编制单位 line with the date, 单位：元 and the form's number, the table, signatures."""
    yield pdf.title(text.tr(FORMS[index], lang) + heading.suffix, 15)
    yield Spacer(1, 2)
    day = text.day(_last_day(found), lang) if index == 0 else text.tr("Year {year}", lang, year=found.year)
    prepared = text.tr("Prepared by: {name}", lang, name=heading.name)
    head = Table(
        [["", day, text.tr(FORM_NUMBERS[index], lang)], [prepared, "", text.tr(heading.unit, lang)]],
        colWidths=[width * 0.45, width * 0.25, width * 0.30],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf.font(), 9),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    yield head
    if heading.note:
        yield pdf.para(heading.note, 8.5, color=pdf.RED)
    if heading.rule:
        yield pdf.para(heading.rule, 8.5)
    yield Spacer(1, 3)
    yield _table(columns, rows, lang)
    yield KeepTogether([Spacer(1, 6), pdf.signatures([text.tr(label, lang) for label in SIGNATURES], width, lang)])


def _table(columns: list[pdf.Column], rows: list[list[Any]], lang: Lang) -> Table:
    """The form's grid: a header row, each row's cells fitted to their columns, totals shaded."""
    texts = [[pdf.cell_text(cell, column.kind, lang) for (cell, _), column in zip(row, columns, strict=True)]
             for row in rows]  # fmt: skip
    body, extra = pdf.fitted(texts, columns, SIZE, first_row=1)
    for index, row in enumerate(rows, start=1):
        for col, (_, shaded) in enumerate(row):
            if shaded:
                extra.append(("BACKGROUND", (col, index), (col, index), pdf.TOTAL_SHADE))
    header = [pdf.header_cell(column.header, SIZE) for column in columns]
    table = Table([header, *body], colWidths=[c.width for c in columns],
                  rowHeights=[None, *([ROW_HEIGHT] * len(body))], hAlign="CENTER")  # fmt: skip
    table.setStyle(pdf.table_style(columns, 1, SIZE, extra))
    return table


def _forms(
    found: Statements, lang: Lang, width: float, kind: pdf.Kind = "money"
) -> list[tuple[list[pdf.Column], list[list[Any]]]]:
    """Each form's columns and rows; a cell is (value, shaded), shaded for totals; amounts of the kind given."""
    return [
        _balance_sheet(found, lang, width, kind),
        _surplus_statement(found, lang, kind),
        _equity_changes(found, lang, width, kind),
    ]


def _balance_sheet(
    found: Statements, lang: Lang, width: float, money: pdf.Kind
) -> tuple[list[pdf.Column], list[list[Any]]]:
    item = (width - 2 * (LINE_WIDTH + 2 * MONEY_WIDTH)) / 2
    half: list[tuple[str, float, pdf.Kind]] = [
        ("Line", LINE_WIDTH, "count"),
        ("Closing balance of the period", MONEY_WIDTH, money),
        ("Opening balance", MONEY_WIDTH, money),
    ]
    columns = [
        pdf.Column(text.tr(header, lang), size, kind, xlsx_width=30 if kind == "text" else 6 if kind == "count" else 16)
        for header, size, kind in [("Asset items", item, "text"), *half,
                                   ("Liability and equity items", item, "text"), *half]
    ]  # fmt: skip
    rows = [[*_place(mine, found, lang), *_place(theirs, found, lang)] for mine, theirs in balance_sheet_rows()]
    return columns, rows


def _place(place: Place, found: Statements, lang: Lang) -> list[Any]:
    """A half row of 01表: a line with its two amounts, a section heading, or a blank."""
    if isinstance(place, Line):
        return _rows([place], lang, found.closing, found.opening)[-1]
    return _plain([text.tr(place, lang) if place else None, None, None, None])


def _surplus_statement(found: Statements, lang: Lang, kind: pdf.Kind) -> tuple[list[pdf.Column], list[list[Any]]]:
    width, _ = pdf.frame_size(pdf.PORTRAIT)
    money = 100.0
    columns = [
        pdf.Column(text.tr("Item", lang), width - LINE_WIDTH - 2 * money, xlsx_width=34),
        pdf.Column(text.tr("Line", lang), LINE_WIDTH, "count", xlsx_width=6),
        pdf.Column(text.tr("Amount this year", lang), money, kind, xlsx_width=17),
        pdf.Column(text.tr("Amount last year", lang), money, kind, xlsx_width=17),
    ]
    return columns, _rows(SURPLUS_STATEMENT, lang, found.this_year, found.last_year)


def _equity_changes(
    found: Statements, lang: Lang, width: float, kind: pdf.Kind
) -> tuple[list[pdf.Column], list[list[Any]]]:
    """The four rows, each increase and decrease followed by its sub-items ("其中") in their columns."""
    keys = [column.key for column in EQUITY_COLUMNS] + [TOTAL]
    money = 88.0
    headers = [text.tr(column.item, lang) for column in EQUITY_COLUMNS] + [text.tr("Total", lang)]
    columns = [pdf.Column(text.tr("Item", lang), width - money * len(keys), xlsx_width=30)]
    columns += [pdf.Column(header, money, kind, xlsx_width=16) for header in headers]
    equity = found.equity
    rows: list[list[Any]] = []
    for row in EQUITY_ROWS:
        rows.append([(text.tr(ROWS[row], lang), True), *((equity.rows[row][key], True) for key in keys)])
        if row in ("increase", "decrease"):
            found_items = equity.increase if row == "increase" else equity.decrease
            items = [item for item in EQUITY_SUB_ITEMS if item.increase is (row == "increase")]
            for number, item in enumerate(items):
                label = ("\u3000" + text.tr("Of which: ", lang) if number == 0 else "\u3000" * 3) + text.tr(
                    item.item, lang
                )
                amounts = [(found_items[item.column][item.key] if key == item.column else None, False) for key in keys]
                rows.append([(label, False), *amounts])
    return columns, rows


def _rows(lines: Sequence[Line], lang: Lang, first: dict[int, Decimal], second: dict[int, Decimal]) -> list[list[Any]]:
    """Each line as item, line number and its two amounts; a section heading on a row of its own before it."""
    rows: list[list[Any]] = []
    for line in lines:
        if line.heading:
            rows.append(_plain([text.tr(line.heading, lang), None, None, None]))
        rows.append([(text.tr(line.item, lang), line.total), (line.number, line.total),
                     (first[line.number], line.total), (second[line.number], line.total)])  # fmt: skip
    return rows


def _plain(cells: Row) -> list[Any]:
    return [(cell, False) for cell in cells]


def _warnings(found: Statements, lang: Lang) -> Iterator[Flowable]:
    """What keeps the statements from being complete: a sheet out of balance, balances no line shows."""
    for column in (found.closing, found.opening):
        if column[22] != column[42]:
            message = text.tr(
                "Out of balance: total assets {assets}, total liabilities and owners' equity {claims}.",
                lang,
                assets=text.amount(column[22], lang),
                claims=text.amount(column[42], lang),
            )
            yield pdf.para(message, 8.5, color=pdf.RED)
    for code, amount in sorted(found.unplaced.items()):
        yield pdf.para(text.tr("Account {code} holds {amount} that no line shows.", lang, code=code,
                               amount=text.amount(amount, lang)), 8.5, color=pdf.RED)  # fmt: skip


def _prepared(found: Statements, heading: Heading, lang: Lang, *, dated: bool) -> str:
    when = text.day(_last_day(found), lang) if dated else text.tr("Year {year}", lang, year=found.year)
    return f"{text.tr('Prepared by: {name}', lang, name=heading.name)}  {when}  {text.tr(heading.unit, lang)}"


def _last_day(found: Statements) -> dt.date:
    return dt.date(found.year, found.month, calendar.monthrange(found.year, found.month)[1])


command = cooperative_command(
    "statements",
    build_statements,
    "The statements (会计报表) of the year or to a month's end: balance sheet, surplus statement, changes in member "
    "equity, and a year's notes (PDF and XLSX).",
    options=(MONTH,),
)

if __name__ == "__main__":
    standalone(command, "reports.statements")
