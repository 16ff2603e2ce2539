"""Member accounts (成员账户) of a year, one member after another, in the columns of the official form
([KJ 第五十七条], 附录 成员账户): 年初余额, the year's lines, 年末余额 with the year's transaction totals, then what
is still owed (尚欠) at the year end from the books, apart from that history. Payments of returns are lines of
their own; a conversion into contribution moves the amount from the return columns into 出资
(coopcore.services.member_account).

    python -m reports.accounts --db URL --coop CREDIT_CODE --year 2024 [--out DIR] [--lang zh|en]
    coop report accounts --coop CREDIT_CODE --year 2024
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Cooperative, Distribution, DistributionState
from coopcore.services import lookups
from coopcore.services.ledger import chart_accounts
from coopcore.services.ledger.owed import OWED_ACCOUNTS, MemberStatement, Owed, member_statements
from coopcore.services.member_account import HISTORY_NOTE, UNPOSTED_PAYMENTS, Amounts, MemberAccount, member_account
from coopcore.services.year_end import year_bounds
from reports import base, pdf, queries, text, xlsx
from reports.cli import Progress, cooperative_command, standalone

# The form's money columns in its order, with their headers: (field, group header, header).
MONEY = (
    ("poverty_contribution", "Member contribution", "From household poverty-relief project assets"),
    ("other_contribution", "Member contribution", "From other sources"),
    ("provident_share", None, "Provident fund share"),
    ("subsidy_share", None, "Share of property formed from direct state subsidies"),
    ("donation_share", None, "Share of property formed from donations"),
)
RETURNS = (
    ("patronage_return", None, "Surplus returned"),
    ("residual_distribution", None, "Residual distribution amount"),
)
PRODUCTS_PER_TABLE = 3  # a member with more products gets continuation pages with the others' volume and amount
ROW, SIZE = 13.0, 7.2


def build_member_accounts(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    progress: Progress | None = None,
) -> list[Path]:
    """Write every member's account for the year (PDF, one member per page, and XLSX); return both paths."""
    units = queries.product_units(session, cooperative.id, year)
    products = sorted(units)
    distribution = lookups.live_distribution_or_none(session, cooperative, year)
    pdf_path = base.output_path(out_dir, year, cooperative.credit_code, "member accounts", "pdf", lang)
    xlsx_path = base.output_path(out_dir, year, cooperative.credit_code, "member accounts", "xlsx", lang)
    book = xlsx.new_book()
    caption = f"{cooperative.name} " + text.tr("Member accounts {year}", lang, year=year)
    ledger = xlsx.Sheet(book, text.tr("Member accounts", lang), _ledger_columns(products, units, lang), caption, lang)
    closing = xlsx.Sheet(
        book, text.tr("Closing balances", lang), _closing_columns(products, units, lang), caption, lang
    )
    total = queries.count_account_members(session, cooperative.id, year)
    letterhead = pdf.Letterhead(
        text.tr("Member accounts {year}", lang, year=year), base.issuer(cooperative, lang), lang
    )
    doc = pdf.ReportDoc(pdf_path, letterhead, first=pdf.LANDSCAPE)
    note = _note(distribution, year, lang)
    first, last = year_bounds(year)
    # Every member's statement of the year in three queries, not three per member (what is owed, 尚欠).
    statements = {
        found.code: found for found in member_statements(session, cooperative, first, last, as_they_stand=True)
    }
    chart = chart_accounts(session, cooperative)
    names = {code: chart[code].name if lang == "zh" else chart[code].name_en for code in OWED_ACCOUNTS}

    def story() -> Iterator[Flowable]:
        for done, member in enumerate(queries.account_members(session, cooperative.id, year), start=1):
            statement = statements.get(member.code) or MemberStatement(
                member.code, member.name, member.household_head, first, last,
                {code: Owed() for code in OWED_ACCOUNTS}, ()
            )  # fmt: skip
            account = member_account(session, member, year, statement=statement)
            _write_rows(ledger, closing, account, products, lang)
            if done > 1:
                yield PageBreak()
            yield from _member_pages(account, units, note, names, lang)
            if progress is not None:
                progress(done, total)
        if total == 0:
            yield pdf.para(text.tr("No members in {year}.", lang, year=year))

    doc.build_from(story())
    closing.total_row()
    return [pdf_path, xlsx.save(book, xlsx_path)]


def _note(distribution: Distribution | None, year: int, lang: Lang) -> str:
    """Say so when the year's distribution is not in the accounts yet (it is written when posted)."""
    if distribution is not None and distribution.state in (DistributionState.POSTED, DistributionState.PAID):
        return ""
    state = label(distribution.state, lang) if distribution else text.tr("none", lang)
    return text.tr(
        "Note: the {year} distribution is not posted (state: {state}), so this year's provident fund, returns and "
        "residual distribution are not in these accounts yet.",
        lang,
        year=year,
        state=state,
    )


def _member_pages(
    account: MemberAccount, units: dict[str, str], note: str, names: dict[str, str], lang: Lang
) -> Iterator[Flowable]:
    """The member's form: its header lines and the table, continued on further pages when long; what is still
    owed under the last page's table."""
    products = list(account.products)
    groups = [products[i : i + PRODUCTS_PER_TABLE] for i in range(0, len(products), PRODUCTS_PER_TABLE)] or [[]]
    width, height = pdf.frame_size(pdf.LANDSCAPE)
    head = sum(f.wrap(width, height)[1] for f in _form_head(account, 1, note, lang, width))
    room = height - head - 24 - 40 - 2  # what the form's head and two header rows leave
    block = list(_owed_block(account, names, lang, width))
    reserve = sum(flowable.wrap(width, height)[1] for flowable in block)
    page = 0
    for group_index, group in enumerate(groups):
        columns, header, spans = _form_columns(group, units, lang, width, with_money=group_index == 0)
        rows = _form_rows(account, group, lang, with_money=group_index == 0)
        heights = [_row_height(row[2], columns[2].width) for row in rows]
        last_group = group_index == len(groups) - 1
        for chunk, chunk_heights in _pages(rows, heights, room, reserve if last_group else 0.0):
            if page:
                yield PageBreak()
            page += 1
            yield from _form_head(account, page, note, lang, width)
            body, extra = pdf.fitted(chunk, columns, SIZE, first_row=2)
            cells: list[list[str | Paragraph]] = [list(row) for row in body]
            for index, (row, row_height) in enumerate(zip(chunk, chunk_heights, strict=True)):
                if row_height > ROW:  # a payment's memo wraps in its cell rather than being cut
                    cells[index][2] = pdf.para(row[2], SIZE - 0.7, leading=(SIZE - 0.7) * 1.25)
            table = Table(
                [*header, *cells],
                colWidths=[c.width for c in columns],
                rowHeights=[24, 40, *chunk_heights],
                repeatRows=2,
            )
            extra += spans
            for index, row in enumerate(chunk, start=2):
                if row[2] in (text.tr("Opening balance", lang), text.tr("Closing balance (year totals)", lang)):
                    extra.append(("BACKGROUND", (0, index), (-1, index), pdf.TOTAL_SHADE))
            table.setStyle(pdf.table_style(columns, 2, SIZE, extra))
            yield table
    yield KeepTogether(block)


def _row_height(memo: str, width: float) -> float:
    """A row's height: one line, or the lines its memo wraps to when it does not fit at a readable size."""
    size = SIZE - 0.7
    if stringWidth(memo, pdf.font(), size) <= width - 5:
        return ROW
    _, wrapped = pdf.para(memo, size, leading=size * 1.25).wrap(width - 5, 1000)
    return max(ROW, wrapped + 4)


def _pages(
    rows: list[list[str]], heights: list[float], room: float, reserve: float
) -> list[tuple[list[list[str]], list[float]]]:
    """Cut the rows into pages that fit the room; the last page keeps `reserve` free under its table."""
    pages: list[tuple[list[list[str]], list[float]]] = [([], [])]
    used = 0.0
    for row, row_height in zip(rows, heights, strict=True):
        if pages[-1][0] and used + row_height > room:
            pages.append(([], []))
            used = 0.0
        pages[-1][0].append(row)
        pages[-1][1].append(row_height)
        used += row_height
    chunk, chunk_heights = pages[-1]
    if used + reserve > room and len(chunk) > 1:
        # The closing row goes over with the block, so that it is never on a page apart from the form's table.
        pages[-1] = (chunk[:-1], chunk_heights[:-1])
        pages.append((chunk[-1:], chunk_heights[-1:]))
    return pages


def _owed_block(account: MemberAccount, names: dict[str, str], lang: Lang, width: float) -> Iterator[Flowable]:
    """尚欠: what the year paid and what the cooperative still owes the member at the form's date, on 114, 221
    and 222, from the books."""
    yield Spacer(1, 6)
    heading = text.tr("Still owed on {day} (from the books, apart from the history above)", lang,
                      day=text.day(account.owed_on, lang))  # fmt: skip
    yield pdf.para(heading, 8.5)
    yield Spacer(1, 2)
    owed = [account.owed.get(code, Owed()) for code in OWED_ACCOUNTS]
    total = Owed()
    for found in owed:
        total = total.plus(found)
    rows: list[list[Any]] = [
        [
            "",
            *(pdf.header_cell(f"{code} {names[code]}", SIZE) for code in OWED_ACCOUNTS),
            pdf.header_cell(text.tr("Total", lang), SIZE),
        ],
        [text.tr("Paid in the year", lang), *(text.amount(o.payments, lang) for o in (*owed, total))],
        [text.tr("Still owed", lang), *(text.amount(o.closing, lang) for o in (*owed, total))],
    ]
    columns = [pdf.Column("", width * 0.12), *(pdf.Column("", width * 0.13, "money") for _ in range(4))]
    table = Table(rows, colWidths=[c.width for c in columns], rowHeights=[None, ROW, ROW], hAlign="LEFT")
    table.setStyle(pdf.table_style(columns, 1, SIZE + 0.5, [("BACKGROUND", (0, 2), (-1, 2), pdf.TOTAL_SHADE)]))
    yield table
    yield Spacer(1, 2)
    yield pdf.para(text.tr(HISTORY_NOTE, lang), 7.2)
    if account.unposted_payments:
        yield pdf.para(text.tr(UNPOSTED_PAYMENTS, lang), 7.2, color=pdf.RED)


def _form_head(account: MemberAccount, page: int, note: str, lang: Lang, width: float) -> Iterator[Flowable]:
    member = account.member
    heading = text.tr("Member account", lang) + (text.tr(" (continued)", lang) if page > 1 else "")
    yield Paragraph(pdf.escape(heading), pdf.style(15, align=TA_CENTER, leading=20))
    colon = "：" if lang == "zh" else ": "
    parts = [
        (text.tr("Member name", lang), member.name, 0.3),
        (text.tr("Member code", lang), member.code, 0.14),
        (text.tr("Address", lang), member.address or "", 0.36),
        (text.tr("Year", lang), str(account.year), 0.1),
    ]
    cells = [pdf.fit(label + colon + value, width * share - 6, 9) for label, value, share in parts]
    cells.append(text.tr("Page {page}", lang, page=page))
    parts.append(("", "", 0.1))
    head = Table([cells], colWidths=[width * share for _, _, share in parts])
    head.setStyle([("FONT", (0, 0), (-1, -1), pdf.font(), 9), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    yield head
    if note:
        yield pdf.para(note, 7.5, color=pdf.RED)
    yield Spacer(1, 3)


def _form_columns(
    products: Sequence[str], units: dict[str, str], lang: Lang, width: float, *, with_money: bool
) -> tuple[list[pdf.Column], list[list[Any]], list[tuple[Any, ...]]]:
    """Columns, the two header rows and their spans, as the official form groups them."""
    money = list(MONEY) if with_money else []
    returns = list(RETURNS) if with_money else []
    numeric = len(money) + 2 * len(products) + len(returns)
    number_width = min(62.0, (width - 26 - 52 - 110) / max(numeric, 1))
    memo_width = width - 26 - 52 - numeric * number_width
    columns = [
        pdf.Column(text.tr("No.", lang), 26),
        pdf.Column(text.tr("Date", lang), 52),
        pdf.Column(text.tr("Memo", lang), memo_width),
    ]
    top: list[Any] = [pdf.header_cell(c.header, 7) for c in columns]
    bottom: list[Any] = ["", "", ""]
    spans: list[tuple[Any, ...]] = [("SPAN", (i, 0), (i, 1)) for i in range(3)]

    def add(group: str | None, header: str, kind: pdf.Kind) -> None:
        index = len(columns)
        columns.append(pdf.Column(header, number_width, kind))
        if group is None:
            top.append(pdf.header_cell(header, 6.5))
            bottom.append("")
            spans.append(("SPAN", (index, 0), (index, 1)))
        else:
            top.append(pdf.header_cell(group, 7))
            bottom.append(pdf.header_cell(header, 6.5))

    for _, group, header in money:
        add(text.tr(group, lang) if group else None, text.tr(header, lang), "money")
    traded: tuple[tuple[str, pdf.Kind], ...] = (("Transaction volume", "quantity"), ("Transaction amount", "money"))
    for group, kind in traded:
        for product in products:
            unit = f"（{units[product]}）" if kind == "quantity" and units.get(product) else ""
            add(text.tr(group, lang), product + unit, kind)
    for _, _group, header in returns:
        add(None, text.tr(header, lang), "money")
    # Spans over the columns of a group ("成员出资", "交易量", "交易额") in the first header row.
    start = 3
    while start < len(columns):
        end = start
        while end + 1 < len(columns) and bottom[end + 1] and bottom[start] and _same(top, start, end + 1):
            end += 1
        if end > start:
            spans.append(("SPAN", (start, 0), (end, 0)))
        start = end + 1
    return columns, [top, bottom], spans


def _same(top: list[Any], a: int, b: int) -> bool:
    return bool(getattr(top[a], "text", None) == getattr(top[b], "text", None))


def _form_rows(account: MemberAccount, products: Sequence[str], lang: Lang, *, with_money: bool) -> list[list[str]]:
    """Opening balance, the year's lines (only those of these products in a continuation), closing balance."""

    def money(amounts: Amounts, blank_zero: bool) -> list[str]:
        if not with_money:
            return []
        values = [getattr(amounts, field) for field, _, _ in MONEY]
        return ["" if blank_zero and not value else text.amount(value, lang) for value in values]

    def returns(amounts: Amounts, blank_zero: bool) -> list[str]:
        if not with_money:
            return []
        values = [getattr(amounts, field) for field, _, _ in RETURNS]
        return ["" if blank_zero and not value else text.amount(value, lang) for value in values]

    blanks = [""] * (2 * len(products))
    rows = [
        [
            "",
            "",
            text.tr("Opening balance", lang),
            *money(account.opening, False),
            *blanks,
            *returns(account.opening, False),
        ]
    ]
    for row in account.rows:
        trade = [""] * (2 * len(products))
        if row.product in products:
            at = products.index(row.product)
            trade[at] = text.quantity(row.quantity, lang)
            trade[len(products) + at] = text.amount(row.trade_amount, lang)
        elif not with_money:
            continue  # a continuation lists only its own products' lines
        rows.append(
            [
                str(row.number),
                row.day.isoformat(),
                row.describe(lang),
                *money(row.amounts, True),
                *trade,
                *returns(row.amounts, True),
            ]
        )
    totals = [text.quantity(account.quantity_by_product[p], lang) for p in products]
    totals += [text.amount(account.amount_by_product[p], lang) for p in products]
    rows.append(
        [
            "",
            "",
            text.tr("Closing balance (year totals)", lang),
            *money(account.closing, False),
            *totals,
            *returns(account.closing, False),
        ]
    )
    return rows


def _ledger_columns(products: Sequence[str], units: dict[str, str], lang: Lang) -> list[pdf.Column]:
    columns = [
        pdf.Column(text.tr("Member code", lang), 0, xlsx_width=10),
        pdf.Column(text.tr("Member name", lang), 0, xlsx_width=18),
        pdf.Column(text.tr("No.", lang), 0, "count", xlsx_width=6),
        pdf.Column(text.tr("Date", lang), 0, "date", xlsx_width=11),
        pdf.Column(text.tr("Memo", lang), 0, xlsx_width=30),
    ]
    return columns + _number_columns(products, units, lang)


def _closing_columns(products: Sequence[str], units: dict[str, str], lang: Lang) -> list[pdf.Column]:
    columns = [
        pdf.Column(text.tr("Member code", lang), 0, xlsx_width=10),
        pdf.Column(text.tr("Member name", lang), 0, xlsx_width=18),
    ]
    columns += [
        pdf.Column(c.header, 0, c.kind, total=True, xlsx_width=c.xlsx_width)
        for c in _number_columns(products, units, lang)
    ]
    # What is still owed at the year end, apart from the history (尚欠), per account of the books.
    owed = text.tr("Still owed", lang)
    return columns + [pdf.Column(f"{owed}·{code}", 0, "money", total=True, xlsx_width=14) for code in OWED_ACCOUNTS]


def _number_columns(products: Sequence[str], units: dict[str, str], lang: Lang) -> list[pdf.Column]:
    def group(name: str | None, header: str) -> str:
        return f"{text.tr(name, lang)}·{text.tr(header, lang)}" if name else text.tr(header, lang)

    columns = [pdf.Column(group(g, h), 0, "money", xlsx_width=16) for _, g, h in MONEY]
    columns += [
        pdf.Column(f"{text.tr('Transaction volume', lang)}·{p}（{units.get(p, '')}）", 0, "quantity", xlsx_width=14)
        for p in products
    ]
    columns += [pdf.Column(f"{text.tr('Transaction amount', lang)}·{p}", 0, "money", xlsx_width=15) for p in products]
    columns += [pdf.Column(group(g, h), 0, "money", xlsx_width=16) for _, g, h in RETURNS]
    return columns


def _write_rows(
    ledger: xlsx.Sheet, closing: xlsx.Sheet, account: MemberAccount, products: Sequence[str], lang: Lang
) -> None:
    """The member's lines in the ledger sheet, and one row of closing balances in the summary sheet."""
    member = account.member

    def amounts(values: Amounts) -> list[pdf.Cell]:
        return [getattr(values, field) for field, _, _ in MONEY]

    def returns(values: Amounts) -> list[pdf.Cell]:
        return [getattr(values, field) for field, _, _ in RETURNS]

    empty: list[pdf.Cell] = [None] * (2 * len(products))
    ledger.row(
        [
            member.code,
            member.name,
            None,
            None,
            text.tr("Opening balance", lang),
            *amounts(account.opening),
            *empty,
            *returns(account.opening),
        ]
    )
    for row in account.rows:
        trade: list[pdf.Cell] = [None] * (2 * len(products))
        if row.product in products:
            at = products.index(row.product)
            trade[at], trade[len(products) + at] = row.quantity, row.trade_amount
        ledger.row(
            [
                member.code,
                member.name,
                row.number,
                row.day,
                row.describe(lang),
                *amounts(row.amounts),
                *trade,
                *returns(row.amounts),
            ]
        )
    year_totals: list[pdf.Cell] = [account.quantity_by_product.get(p, Decimal(0)) for p in products]
    year_totals += [account.amount_by_product.get(p, Decimal(0)) for p in products]
    label = text.tr("Closing balance (year totals)", lang)
    ledger.row(
        [
            member.code,
            member.name,
            None,
            None,
            label,
            *amounts(account.closing),
            *year_totals,
            *returns(account.closing),
        ]
    )
    owed: list[pdf.Cell] = [account.owed[code].closing if code in account.owed else None for code in OWED_ACCOUNTS]
    closing.row([member.code, member.name, *amounts(account.closing), *year_totals, *returns(account.closing), *owed])


command = cooperative_command(
    "accounts",
    build_member_accounts,
    "Member accounts (成员账户) of the year in the columns of the official form (PDF and XLSX).",
    progress="Member accounts",
)

if __name__ == "__main__":
    standalone(command, "reports.accounts")
