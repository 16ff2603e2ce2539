"""Member statements (成员对账单): one A4 page per household, in the dividend slip's style, saying what the
cooperative owes it on 成员往来 (114), 应付盈余返还 (221) and 应付剩余盈余 (222) over a period, line by line, and
what was paid; a box for the household's signature or thumbprint to confirm it.

    python -m reports.member_statements --db URL --coop CREDIT_CODE --from 2024-01-01 --to 2024-12-31
        [--member M002] [--unposted | --posted-only] [--out DIR] [--lang zh|en]
    coop report member-statements --coop CREDIT_CODE --from 2024-01-01 --to 2024-12-31 [--member M002]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import click
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, DAY, Context, pass_context
from coopcore.commands.owed_tables import reading, reading_options
from coopcore.errors import CoopError
from coopcore.i18n import Lang
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.labels import label
from coopcore.models import Cooperative
from coopcore.services import lookups
from coopcore.services.ledger import chart_accounts
from coopcore.services.ledger.owed import OWED_ACCOUNTS, MemberStatement, Owed, Reading, member_statements
from coopcore.services.year_end import year_bounds
from coopcore.terms import OwedMovement
from reports import base, pdf, text
from reports.cli import LANG, OUT, announce, read_only, standalone
from reports.slips import SLIP_PAGE

MOVEMENTS = tuple(OwedMovement)  # 应得, 应扣, 已付
SIZE = 8.5


def build_member_statements(
    session: Session,
    cooperative: Cooperative,
    first_on: dt.date,
    last_on: dt.date,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    member: str | None = None,
    read: Reading | None = None,
) -> list[Path]:
    """Write one page per household with a line on 114, 221 or 222 by the period's end (or one member's), read
    as the books stand unless `read` says otherwise."""
    read = read or Reading()
    chosen = lookups.member_by_code(session, cooperative, member) if member is not None else None
    statements = member_statements(session, cooperative, first_on, last_on, member=chosen,
                                   include_unposted=read.include_unposted,
                                   as_they_stand=read.as_they_stand)  # fmt: skip
    accounts = chart_accounts(session, cooperative)
    names = {code: accounts[code].name if lang == "zh" else accounts[code].name_en for code in OWED_ACCOUNTS}
    period = f"{first_on.isoformat()}_{last_on.isoformat()}"
    path = base.output_path(out_dir, period, cooperative.credit_code, "member statements", "pdf", lang, member or "")
    title = text.tr("Member statements {first} to {last}", lang, first=first_on.isoformat(), last=last_on.isoformat())
    letterhead = pdf.Letterhead(title, base.issuer(cooperative, lang), lang)
    width, _ = pdf.frame_size(pdf.PORTRAIT, SLIP_PAGE)

    def story() -> Iterator[Flowable]:
        for done, statement in enumerate(statements):
            if done:
                yield PageBreak()
            yield from _page(cooperative, statement, names, lang, width, read.note)
        if not statements:
            yield pdf.para(text.tr("No member has an amount owed or paid in this period.", lang))

    pdf.ReportDoc(path, letterhead, layout=SLIP_PAGE).build_from(story())
    return [path]


def build_period_statements(
    session: Session,
    cooperative: Cooperative,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    member: str | None = None,
    first_on: dt.date | None = None,
    last_on: dt.date | None = None,
) -> list[Path]:
    """The statements as the admin's report jobs ask for them: of the year, or of the days given."""
    first, last = year_bounds(year)
    first_on, last_on = first_on or first, last_on or last
    if first_on > last_on:
        raise CoopError("The statement's first day {first} is after its last day {last}.", first=first_on.isoformat(),
                        last=last_on.isoformat())  # fmt: skip
    return build_member_statements(session, cooperative, first_on, last_on, out_dir, lang, member=member)


def _page(
    cooperative: Cooperative,
    statement: MemberStatement,
    names: dict[str, str],
    lang: Lang,
    width: float,
    note: str | None,
) -> Iterator[Flowable]:
    """One household's statement: who, the accounts' totals, what is owed in words, the lines, the signature."""
    period = text.tr("{first} to {last}", lang, first=text.day(statement.first_on, lang),
                     last=text.day(statement.last_on, lang))  # fmt: skip
    yield Paragraph(
        pdf.escape(cooperative.name) + "<br/>" + pdf.escape(text.tr("Member statement", lang)) + "<br/>"
        + f'<font size="10">{pdf.escape(period)}</font>',
        pdf.style(12.5, align=TA_CENTER, leading=17, cjk=True),
    )  # fmt: skip
    yield Spacer(1, 3 * mm)
    yield _who(statement, lang, width)
    yield Spacer(1, 2.5 * mm)
    yield _accounts(statement, names, lang, width)
    yield Spacer(1, 2.5 * mm)
    yield _lines(statement, names, lang, width)
    notes = [
        text.tr("Positive: owed to the household; negative: the household owes the cooperative.", lang),
        text.tr("Please check these amounts with the cooperative's accountant if anything differs.", lang),
    ]
    if note:
        notes.append(text.tr(note, lang))
    yield Spacer(1, 2 * mm)
    for note in notes:
        yield pdf.para(note, SIZE)
    yield Spacer(1, 3 * mm)
    yield pdf.Drawn(22 * mm, lambda canvas: _signature_row(canvas, lang, width))


def _who(statement: MemberStatement, lang: Lang, width: float) -> Table:
    colon = "：" if lang == "zh" else ": "
    cells = [
        text.tr("Member code", lang) + colon + statement.code,
        text.tr("Member name", lang) + colon + statement.name,
        text.tr("Head of household", lang) + colon + (statement.household_head or ""),
        text.tr("Statement No.", lang) + colon + f"{statement.last_on:%Y%m%d}-{statement.code}",
    ]
    # Paragraphs, which wrap: the English labels are longer than the Chinese ones.
    table = Table(
        [[pdf.para(cell, 9.5) for cell in cells]], colWidths=[width * share for share in (0.2, 0.3, 0.24, 0.26)]
    )
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), pdf.font(), 9.5), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _accounts(statement: MemberStatement, names: dict[str, str], lang: Lang, width: float) -> Table:
    """Each account's opening, credits, charges, payments and closing; the total; the closing in words."""
    header: list[str | Paragraph] = [text.tr("Account", lang), text.tr("Opening owed", lang),
              *(label(m, lang) for m in MOVEMENTS),
              text.tr("Closing owed", lang)]  # fmt: skip
    rows: list[list[str | Paragraph]] = [header]
    for code in OWED_ACCOUNTS:
        rows.append([pdf.para(f"{code} {names[code]}", 9), *_amounts(statement.accounts[code], lang)])
    total = statement.total
    rows.append([text.tr("Total", lang), *_amounts(total, lang)])
    rows.append([text.tr("Closing owed", lang), pdf.para(_closing_words(statement, lang), 10), "", "", "", ""])
    table = Table(rows, colWidths=[width * 0.25] + [width * 0.15] * 5)
    last = len(rows) - 1
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf.font(), 9),
                ("FONT", (5, last - 1), (5, last - 1), pdf.font(), 10.5),
                ("GRID", (0, 0), (-1, -1), 0.5, pdf.GRID),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), pdf.SHADE),
                ("BACKGROUND", (0, last - 1), (-1, last), pdf.TOTAL_SHADE),
                ("ALIGN", (1, 1), (-1, last - 1), "RIGHT"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("SPAN", (1, last), (-1, last)),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _closing_words(statement: MemberStatement, lang: Lang) -> str:
    """The closing as a sentence with the amount in figures and in Chinese capitals (大写)."""
    closing = statement.total.closing
    day = text.day(statement.last_on, lang)
    if closing == 0:
        return text.tr("On {day} nothing is owed either way.", lang, day=day)
    template = "On {day} the cooperative owes you ¥{amount} ({words})." if closing > 0 else \
        "On {day} you owe the cooperative ¥{amount} ({words})."  # fmt: skip
    return text.tr(
        template, lang, day=day, amount=text.amount(abs(closing), lang), words=amount_in_capitals(abs(closing))
    )


def _lines(statement: MemberStatement, names: dict[str, str], lang: Lang, width: float) -> Table:
    """The period's lines with the balance after each, between the opening and the period's totals."""
    header: list[str | Paragraph] = [text.tr("Date", lang), text.tr("Voucher", lang), text.tr("Summary", lang),
              text.tr("Account", lang), *(label(m, lang) for m in MOVEMENTS),
              pdf.para(text.tr("Owed balance", lang), 8, align=TA_CENTER)]  # fmt: skip
    total = statement.total
    balance = total.opening
    rows: list[list[str | Paragraph]] = [header, ["", "", text.tr("opening balance", lang), "", "", "", "",
                                                  text.amount(balance, lang)]]  # fmt: skip
    for line in statement.lines:
        balance += line.change
        amounts = [text.amount(line.amount, lang) if line.movement is m else "" for m in MOVEMENTS]
        rows.append([f"{line.day:%Y-%m-%d}", line.voucher, pdf.para(line.summary, SIZE - 0.5),
                     pdf.para(f"{line.account} {names[line.account]}", SIZE - 0.5), *amounts,
                     text.amount(balance, lang)])  # fmt: skip
    if not statement.lines:
        rows.append(["", "", text.tr("No entries in this period.", lang), "", "", "", "", ""])
    rows.append(
        ["", "", text.tr("Period total", lang), "", *_amounts(total, lang)[1:4], text.amount(total.closing, lang)]
    )
    shares = (0.1, 0.135, 0.215, 0.15, 0.1, 0.1, 0.1, 0.1)
    table = Table(rows, colWidths=[width * share for share in shares], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), pdf.font(), SIZE),
                ("GRID", (0, 0), (-1, -1), 0.4, pdf.GRID),
                ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), pdf.SHADE),
                ("BACKGROUND", (0, -1), (-1, -1), pdf.TOTAL_SHADE),
                ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _amounts(owed: Owed, lang: Lang) -> list[str]:
    values: tuple[Decimal, ...] = (owed.opening, owed.credits, owed.debits, owed.payments, owed.closing)
    return [text.amount(value, lang) for value in values]


def _signature_row(canvas: Canvas, lang: Lang, width: float) -> None:
    """The household's confirmation box (signature or thumbprint), then the clerk, the date and the seal."""
    box_width, box_height = width * 0.42, 19 * mm
    top = box_height
    canvas.setLineWidth(0.8)
    canvas.rect(0, 0, box_width, box_height)
    canvas.setFont(pdf.font(), 8.5)
    canvas.drawString(2 * mm, top - 4 * mm, text.tr("Member's confirmation: signature (thumbprint)", lang))
    colon = "：" if lang == "zh" else ": "
    right = box_width + 6 * mm
    canvas.setFont(pdf.font(), 9.5)
    canvas.drawString(right, top - 6 * mm, text.tr("Paid by", lang) + colon + "_" * 12)
    canvas.drawString(right, top - 14 * mm, text.tr("Date", lang) + colon + text.BLANK_DAY[lang])
    canvas.drawRightString(width, top - 6 * mm, text.tr("Cooperative (seal)", lang))


@click.command(
    "member-statements",
    help="Member statements (对账单): what each household is owed on 114, 221 and 222, one A4 page each.",
)
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.option("--from", "first_on", type=DAY, required=True, help="First day of the statement.")
@click.option("--to", "last_on", type=DAY, required=True, help="Last day of the statement.")
@click.option("--member", help="Member code; every member if left out.")
@reading_options
@OUT
@LANG
@pass_context
def command(
    context: Context,
    credit_code: str,
    first_on: dt.date,
    last_on: dt.date,
    member: str | None,
    unposted: bool,
    posted_only: bool,
    out_dir: Path,
    report_lang: Lang | None,
) -> None:
    lang = report_lang or context.lang
    if first_on > last_on:
        context.fail("The statement's first day {first} is after its last day {last}.", first=first_on.isoformat(),
                     last=last_on.isoformat())  # fmt: skip
    read = reading(context, unposted, posted_only)
    with read_only(context.engine) as session:
        cooperative = lookups.cooperative_by_code(session, credit_code)
        paths = build_member_statements(session, cooperative, first_on, last_on, out_dir, lang, member=member,
                                        read=read)  # fmt: skip
    announce(context, lang, paths)


if __name__ == "__main__":
    standalone(command, "reports.member_statements")
