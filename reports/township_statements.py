"""A township's statements (汇总表): the three forms of its cooperatives and federations added up, in yuan and
again in 万元 by the rounding rule the forms state, and who is in the roll-up and whose period is not closed. The
layout is the cooperative's (reports/statements.py); the figures are coopcore.services.statements.township's.

    python -m reports.township_statements --db URL --township 凤鸣街道 --year 2024 [--month 3] [--out DIR]
    coop report township-statements --township 凤鸣街道 --year 2024
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from reportlab.platypus import Flowable, PageBreak, Spacer, Table
from sqlalchemy.orm import Session

from coopcore.commands.base import Context, pass_context
from coopcore.commands.statements_tables import INVESTMENT_ONCE, ROLLED_UP, UNMATCHED, WAN_RULE
from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Township
from coopcore.rules.statements.rollup import statements_in_wan
from coopcore.services import lookups
from coopcore.services.statements.township import TownshipStatements, township_as_they_stand
from coopcore.terms import PeriodState
from reports import pdf, text, xlsx
from reports.base import output_path
from reports.cli import LANG, OUT, YEAR, announce, read_only, standalone
from reports.ledger_text import MONTH, period_of
from reports.statements import Heading, letterhead, sheets, story, unaudited_note


def build_township_statements(
    session: Session, township: Township, year: int, out_dir: Path, lang: Lang = "zh", *, month: int | None = None
) -> list[Path]:
    """Write the township's roll-up of a year (or to a month's end) as a PDF and a workbook; return both paths."""
    rolled = township_as_they_stand(session, township, year, month or 12)
    period = period_of(year, month)
    title = text.tr("{township} statements roll-up {period}", lang, township=township.name, period=period)
    issuer = f"{township.district} {township.name}".strip()
    yuan, wan = headings(rolled, lang)
    pdf_path = output_path(out_dir, period, township.name, "statements roll-up", "pdf", lang)
    doc = pdf.ReportDoc(pdf_path, letterhead(title, issuer, lang, final=rolled.final), first=pdf.LANDSCAPE)
    doc.build_from(_story(rolled, yuan, wan, lang))
    book = xlsx.new_book()
    sheets(book, rolled.statements, yuan, lang)
    sheets(book, statements_in_wan(rolled.statements), wan, lang, prefix=text.tr("10,000 yuan · ", lang))
    members = xlsx.Sheet(book, text.tr("In the roll-up", lang), member_columns(lang), title, lang)
    for row in member_rows(rolled, lang):
        members.row(row)
    xlsx_path = output_path(out_dir, period, township.name, "statements roll-up", "xlsx", lang)
    return [pdf_path, xlsx.save(book, xlsx_path)]


def headings(rolled: TownshipStatements, lang: Lang) -> tuple[Heading, Heading]:
    """How the forms are headed: in yuan, then in 万元 with the rounding rule under the heading."""
    note = "" if rolled.final else unaudited_note(lang)
    suffix = text.tr(" (roll-up)", lang)
    yuan = Heading(rolled.township, note=note, suffix=suffix)
    wan = Heading(rolled.township, "Unit: 10,000 yuan", note, "wan", suffix, text.tr(WAN_RULE, lang))
    return yuan, wan


def member_columns(lang: Lang) -> list[pdf.Column]:
    return [
        pdf.Column(text.tr("Credit code", lang), 150, xlsx_width=22),
        pdf.Column(text.tr("Cooperative", lang), 330, xlsx_width=36),
        pdf.Column(text.tr("Closing of the period", lang), 120, xlsx_width=14),
    ]


def member_rows(rolled: TownshipStatements, lang: Lang) -> list[list[pdf.Cell]]:
    """Each cooperative in the roll-up with whether its period is closed."""
    return [
        [code, rolled.names.get(code, ""),
         label(PeriodState.OPEN if code in rolled.not_closed else PeriodState.CLOSED, lang)]
        for code in rolled.cooperatives
    ]  # fmt: skip


def _story(rolled: TownshipStatements, yuan: Heading, wan: Heading, lang: Lang) -> Iterator[Flowable]:
    """The forms in yuan, the same in 万元, then who is in the roll-up and how it counts."""
    yield from story(rolled.statements, yuan, lang)
    yield PageBreak()
    yield from story(statements_in_wan(rolled.statements), wan, lang)
    yield PageBreak()
    yield pdf.title(text.tr("About the roll-up", lang), 15)
    yield Spacer(1, 4)
    for sentence in summary(rolled, lang):
        yield pdf.para(sentence, 9.5)
        yield Spacer(1, 2)
    yield Spacer(1, 6)
    columns = member_columns(lang)
    rows: list[list[pdf.Cell]] = [[column.header for column in columns], *member_rows(rolled, lang)]
    table = Table(rows, colWidths=[column.width for column in columns], repeatRows=1, hAlign="LEFT")
    table.setStyle(pdf.table_style(columns, 1, 8.5, padding=2))
    yield table


def summary(rolled: TownshipStatements, lang: Lang) -> list[str]:
    """The sentences that say who is in the roll-up and how it counts (the same words as `coop statements`)."""
    still_open = "、".join(rolled.names.get(code, code) for code in rolled.not_closed) or text.tr("none", lang)
    found = [
        text.tr(ROLLED_UP, lang, count=len(rolled.cooperatives), open=still_open),
        text.tr(INVESTMENT_ONCE, lang, amount=text.amount(rolled.counted_once, lang)),
    ]
    if rolled.unmatched:
        found.append(text.tr(UNMATCHED, lang, amount=text.amount(rolled.unmatched, lang)))
    found.append(text.tr(WAN_RULE, lang))
    return found


@click.command("township-statements", help="A township's statements roll-up (汇总表), in yuan and 万元 (PDF, XLSX).")
@click.option("--township", "name", required=True, metavar="NAME", help="The township (乡镇/街道).")
@YEAR
@MONTH
@OUT
@LANG
@pass_context
def command(context: Context, name: str, year: int, month: int | None, out_dir: Path, report_lang: Lang | None) -> None:
    lang = report_lang or context.lang
    with read_only(context.engine) as session:
        township = lookups.township_by_name(session, name)
        paths = build_township_statements(session, township, year, out_dir, lang, month=month)
    announce(context, lang, paths)


if __name__ == "__main__":
    standalone(command, "reports.township_statements")
