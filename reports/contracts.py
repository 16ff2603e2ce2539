"""Contract fulfilment report (订单履约报告) per leading enterprise and year: each enterprise's recognition and
fulfilment, its contracts with the §10.2 metrics, and every delivery settled (docs/contracts.md).

    python -m reports.contracts --db URL --year 2024 [--enterprise NAME|CREDIT_CODE] [--coop CREDIT_CODE] [--out DIR]
    coop report contracts --year 2024
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.rules.contracts import Metrics
from coopcore.services.contracts import (
    DEPOSIT_OVER,
    SHORTFALL,
    ContractReport,
    ContractRow,
    EnterpriseRow,
    contract_status,
)
from reports import charts, pdf, text, xlsx
from reports.base import output_path
from reports.cli import LANG, OUT, YEAR, announce, read_only, standalone


def build_contract_report(
    session: Session,
    year: int,
    out_dir: Path,
    lang: Lang = "zh",
    *,
    enterprise: str | None = None,
    cooperative: str | None = None,
) -> list[Path]:
    """Write the fulfilment of the contracts in force in the year (PDF and XLSX) and return both paths.

    enterprise (a name or credit code) or cooperative (a credit code) narrows it to one party's contracts.
    """
    report = contract_status(session, year=year, cooperative=cooperative, enterprise=enterprise)
    owner = enterprise or cooperative or text.tr("all enterprises", lang)
    title = text.tr("Order contract fulfilment report {year}", lang, year=year)
    pdf_path = output_path(out_dir, year, owner, "contract fulfilment", "pdf", lang)
    issuer = text.tr("Leading enterprises and cooperatives: {owner}", lang, owner=owner)
    doc = pdf.ReportDoc(pdf_path, pdf.Letterhead(title, issuer, lang), first=pdf.LANDSCAPE)
    doc.build_from(_story(report, title, lang))
    return [pdf_path, _workbook(report, title, owner, out_dir, lang)]


def _level(row: EnterpriseRow, lang: Lang) -> str:
    level = label(row.level, lang)
    if row.recognised_year:
        level += f" ({row.recognised_year})"
    if not row.is_recognition_valid:
        level += " " + text.tr("recognition withdrawn", lang)
    return level


def enterprise_columns(lang: Lang) -> list[pdf.Column]:
    return [
        pdf.Column(text.tr("Leading enterprise", lang), 140, xlsx_width=30),
        pdf.Column(text.tr("Level", lang), 118, xlsx_width=22),
        pdf.Column(text.tr("Number of contracts", lang), 40, "count", total=True, xlsx_width=8),
        pdf.Column(text.tr("Deliveries", lang), 42, "count", total=True, xlsx_width=8),
        pdf.Column(text.tr("Quantity fulfilled", lang), 50, "percent"),
        pdf.Column(text.tr("Delivered on time", lang), 50, "percent"),
        pdf.Column(text.tr("Paid on time", lang), 50, "percent"),
        pdf.Column(text.tr("Protective price applied", lang), 44, "count", total=True),
        pdf.Column(text.tr("Settled", lang), 76, "money", total=True),
        pdf.Column(text.tr("Advance and paid", lang), 76, "money", total=True),
        pdf.Column(text.tr("Balance owed", lang), 76, "money", total=True),
    ]


def enterprise_row(row: EnterpriseRow, lang: Lang) -> list[pdf.Cell]:
    m = row.metrics
    return [
        row.name,
        _level(row, lang),
        row.contracts,
        m.deliveries,
        m.quantity_percent,
        m.on_time_percent,
        m.payment_percent,
        m.protective_count,
        m.settled,
        m.advance + m.paid,
        m.balance,
    ]


def contract_columns(lang: Lang, *, workbook: bool = False) -> list[pdf.Column]:
    """The contracts table; the PDF names the enterprise in its section heading, the workbook in a column."""
    return [
        pdf.Column(text.tr("Contract", lang), 56, xlsx_width=12),
        pdf.Column(text.tr("Cooperative", lang), 112, xlsx_width=28),
        *([pdf.Column(text.tr("Leading enterprise", lang), 0, xlsx_width=30)] if workbook else []),
        pdf.Column(text.tr("Product", lang), 36, xlsx_width=8),
        pdf.Column(text.tr("Price rule", lang), 104, xlsx_width=22),
        pdf.Column(text.tr("Contract term", lang), 92, xlsx_width=22),
        pdf.Column(text.tr("Contracted", lang), 56, "quantity", xlsx_width=12),
        pdf.Column(text.tr("Accepted", lang), 56, "quantity", xlsx_width=12),
        pdf.Column(text.tr("Quantity fulfilled", lang), 44, "percent"),
        pdf.Column(text.tr("Delivered on time", lang), 44, "percent"),
        pdf.Column(text.tr("Paid on time", lang), 44, "percent"),
        pdf.Column(text.tr("Settled", lang), 62, "money", total=True),
        pdf.Column(text.tr("Balance owed", lang), 56, "money", total=True),
    ]


def contract_row(row: ContractRow, lang: Lang, *, workbook: bool = False) -> list[pdf.Cell]:
    m: Metrics = row.fulfilment.metrics
    unit = f" {m.unit}" if m.unit else ""
    return [
        row.code,
        row.cooperative,
        *([row.enterprise] if workbook else []),
        row.product,
        label(row.price_rule, lang),
        f"{row.start_on.isoformat()} ~ {row.end_on.isoformat()}",
        text.quantity(m.contracted, lang) + unit,
        text.quantity(m.accepted, lang) + unit,
        m.quantity_percent,
        m.on_time_percent,
        m.payment_percent,
        m.settled,
        m.balance,
    ]


def delivery_columns(lang: Lang, *, workbook: bool = False) -> list[pdf.Column]:
    """A contract's deliveries; the workbook lists all contracts' in one sheet, so it names the contract."""
    return [
        *([pdf.Column(text.tr("Contract", lang), 0, xlsx_width=12)] if workbook else []),
        pdf.Column(text.tr("Delivered on", lang), 58, "date", xlsx_width=12),
        pdf.Column(text.tr("Ticket", lang), 70, xlsx_width=14),
        pdf.Column(text.tr("Grade", lang), 38, xlsx_width=8),
        pdf.Column(text.tr("Delivered quantity", lang), 56, "quantity"),
        pdf.Column(text.tr("Accepted", lang), 56, "quantity", total=True),
        pdf.Column(text.tr("Market price", lang), 50, "money"),
        pdf.Column(text.tr("Unit price", lang), 48, "money"),
        pdf.Column(text.tr("Settled", lang), 70, "money", total=True),
        pdf.Column(text.tr("Advance set off", lang), 62, "money", total=True),
        pdf.Column(text.tr("Amount paid", lang), 66, "money", total=True),
        pdf.Column(text.tr("Paid on", lang), 58, "date", xlsx_width=12),
        pdf.Column(text.tr("Payment due on", lang), 58, "date", xlsx_width=12),
        pdf.Column(text.tr("In window", lang), 40, xlsx_width=8),
    ]


def delivery_rows(row: ContractRow, lang: Lang, *, workbook: bool = False) -> Iterator[list[pdf.Cell]]:
    yes, no = text.tr("yes", lang), text.tr("no", lang)
    for result in row.fulfilment.deliveries:
        delivery, settlement = result.delivery, result.settlement
        yield [
            *([row.code] if workbook else []),
            delivery.delivered_on,
            delivery.ticket_no,
            delivery.grade,
            delivery.quantity,
            settlement.accepted_quantity,
            delivery.market_price,
            settlement.unit_price,
            settlement.amount,
            result.advance_applied,
            delivery.paid_amount,
            delivery.paid_on,
            result.due_on,
            yes if result.in_window else no,
        ]


def notes(row: ContractRow, lang: Lang) -> list[tuple[bool, str]]:
    """The contract's notes, warnings first: a 定金 over the cap of [MF-586], a shortfall; then the grade mix."""
    found: list[tuple[bool, str]] = []
    deposit = row.fulfilment.deposit
    if deposit is not None and deposit.is_over:
        found.append(
            (
                True,
                "! "
                + text.tr(
                    DEPOSIT_OVER,
                    lang,
                    deposit=text.amount(deposit.deposit, lang),
                    amount=text.amount(deposit.amount, lang),
                    cap=text.amount(deposit.cap, lang),
                    excess=text.amount(deposit.excess, lang),
                ),
            )
        )
    if row.fulfilment.shortfall > 0:
        penalty = row.fulfilment.shortfall_penalty
        found.append(
            (
                True,
                "! "
                + text.tr(
                    SHORTFALL,
                    lang,
                    short=text.quantity(row.fulfilment.shortfall, lang),
                    unit=row.fulfilment.metrics.unit,
                    penalty=text.amount(penalty, lang) if penalty is not None else text.DASH,
                ),
            )
        )
    mix = row.fulfilment.metrics.grade_mix
    if mix:
        parts = [f"{grade} {text.percent(share, lang)}" for grade, share in mix.items()]
        found.append((False, text.tr("Grade mix: {mix}.", lang, mix=text.joined(parts, lang))))
    return found


def _story(report: ContractReport, title: str, lang: Lang) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.LANDSCAPE)
    yield pdf.title(title, 15)
    yield pdf.para(
        text.tr(
            "Contracts in force in {year}; payments judged as of {day}. Amounts in yuan.",
            lang,
            year=report.year,
            day=text.day(report.as_of, lang),
        ),
        8.5,
        align=1,
    )
    yield Spacer(1, 6)
    if not report.contracts:
        yield pdf.para(text.tr("No contract is in force in {year}.", lang, year=report.year), 11)
        return
    table = pdf.PagedTable(
        enterprise_columns(lang),
        lang,
        caption=text.tr("1. Leading enterprises", lang),
        size=7.8,
        row_height=15,
        subtotals=False,
    )
    yield from table.flowables(enterprise_row(row, lang) for row in report.enterprises)
    yield Spacer(1, 8)
    names = [row.name for row in report.enterprises]
    png = charts.grouped_bars(
        [pdf.fit(name, 120, 7) for name in names],
        [
            (
                text.tr("Quantity fulfilled", lang),
                [r.metrics.quantity_percent for r in report.enterprises],
                charts.BLUE,
            ),
            (text.tr("Delivered on time", lang), [r.metrics.on_time_percent for r in report.enterprises], charts.GREEN),
            (text.tr("Paid on time", lang), [r.metrics.payment_percent for r in report.enterprises], charts.ORANGE),
        ],
        "",
        size=(10.6, 2.5),
    )
    yield KeepTogether([pdf.heading(text.tr("Fulfilment by enterprise", lang), 10), pdf.chart(png, width * 0.9)])
    for index, enterprise in enumerate(report.enterprises, start=2):
        yield PageBreak()
        contracts = [row for row in report.contracts if row.enterprise_id == enterprise.enterprise_id]
        heading = f"{text.section(index, lang)}{enterprise.name} · {_level(enterprise, lang)}"
        if enterprise.credit_code:
            heading += " · " + text.tr("credit code {code}", lang, code=enterprise.credit_code)
        yield pdf.heading(heading)
        yield from pdf.PagedTable(contract_columns(lang), lang, size=7.5, row_height=15, subtotals=False).flowables(
            contract_row(row, lang) for row in contracts
        )
        for row in contracts:
            yield Spacer(1, 8)
            caption = text.tr(
                "Deliveries of contract {code} ({cooperative}, {product})",
                lang,
                code=row.code,
                cooperative=row.cooperative,
                product=row.product,
            )
            warnings = [
                pdf.para(note, 8, color=pdf.RED if warning else colors.black) for warning, note in notes(row, lang)
            ]
            deliveries = pdf.PagedTable(
                delivery_columns(lang),
                lang,
                caption=caption,
                size=7.2,
                row_height=13,
                header_height=22,
                subtotals=False,
            )
            tables = list(deliveries.flowables(delivery_rows(row, lang)))
            yield KeepTogether([*tables[:2], *warnings]) if len(tables) <= 2 else tables[0]
            if len(tables) > 2:
                yield from tables[1:]
                yield from warnings


def _workbook(report: ContractReport, title: str, owner: str, out_dir: Path, lang: Lang) -> Path:
    book = xlsx.new_book()
    enterprises = xlsx.Sheet(book, text.tr("Leading enterprises", lang), enterprise_columns(lang), title, lang)
    for enterprise in report.enterprises:
        enterprises.row(enterprise_row(enterprise, lang))
    enterprises.total_row()
    columns = [*contract_columns(lang, workbook=True), pdf.Column(text.tr("Notes", lang), 0, xlsx_width=80)]
    contracts = xlsx.Sheet(book, text.tr("Order contracts", lang), columns, title, lang)
    for row in report.contracts:
        contracts.row([*contract_row(row, lang, workbook=True), " ".join(note for _, note in notes(row, lang))])
    contracts.total_row()
    deliveries = xlsx.Sheet(book, text.tr("Delivery details", lang), delivery_columns(lang, workbook=True), title, lang)
    for row in report.contracts:
        for values in delivery_rows(row, lang, workbook=True):
            deliveries.row(values)
    deliveries.total_row()
    return xlsx.save(book, output_path(out_dir, report.year, owner, "contract fulfilment", "xlsx", lang))


@click.command("contracts", help="Contract fulfilment report per leading enterprise and year (PDF and XLSX).")
@YEAR
@click.option("--enterprise", metavar="NAME|CREDIT_CODE", help="Only this enterprise's contracts.")
@click.option("--coop", "credit_code", type=CREDIT_CODE, help="Only this cooperative's contracts.")
@OUT
@LANG
@pass_context
def command(
    context: Context,
    year: int,
    enterprise: str | None,
    credit_code: str | None,
    out_dir: Path,
    report_lang: Lang | None,
) -> None:
    lang = report_lang or context.lang
    with read_only(context.engine) as session:
        paths = build_contract_report(session, year, out_dir, lang, enterprise=enterprise, cooperative=credit_code)
    announce(context, lang, paths)


if __name__ == "__main__":
    standalone(command, "reports.contracts")
