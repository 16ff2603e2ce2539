"""Township weak-village progress report (薄弱村提升进展): a row per village, each village's income trend against
the weak line, funding by source, projects behind schedule and the risk list (docs/villages.md).

    python -m reports.township --db URL --township 凤鸣街道 --year 2024 [--out DIR] [--lang zh|en]
    coop report township --township 凤鸣街道 --year 2024
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import click
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from coopcore.commands.base import Context, pass_context
from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import Township
from coopcore.money import round_half_up
from coopcore.services import lookups
from coopcore.services import villages as service
from coopcore.services.villages import StatusReport, TownshipTotals, VillageRow
from coopcore.terms import RiskKind, VillageStatus
from reports import charts, pdf, text, xlsx
from reports.base import output_path
from reports.cli import LANG, OUT, YEAR, announce, read_only, standalone

STATUS_COLOURS = {
    VillageStatus.EMPTY_SHELL: colors.HexColor("#555555"),
    VillageStatus.WEAK: colors.HexColor("#b00000"),
    VillageStatus.ABOVE_LINE: colors.HexColor("#a86b00"),
    VillageStatus.ACHIEVED: colors.HexColor("#1e7b34"),
    VillageStatus.NOT_REPORTED: colors.HexColor("#777777"),
}
TREND_YEARS = 8  # at most this many years in a village's trend
CHARTS_PER_PAGE = 6


def build_township_report(
    session: Session, township: Township, year: int, out_dir: Path, lang: Lang = "zh"
) -> list[Path]:
    """Write the township's weak-village progress report for the year (PDF and XLSX); return both paths."""
    # The years a trend may show, read together: as many queries for eight years as for one.
    reports = service.village_statuses(session, years=range(year - TREND_YEARS + 1, year + 1), township=township.name)
    report = reports[year]
    totals = report.townships[0] if report.townships else None
    history = _history(reports, report)
    title = text.tr("{township} weak-village progress report {year}", lang, township=township.name, year=year)
    issuer = f"{township.district} {township.name}".strip()
    pdf_path = output_path(out_dir, year, township.name, "weak-village progress", "pdf", lang)
    doc = pdf.ReportDoc(pdf_path, pdf.Letterhead(title, issuer, lang), first=pdf.LANDSCAPE)
    doc.build_from(_story(report, totals, history, title, lang))
    return [pdf_path, _workbook(township, report, totals, history, title, out_dir, lang)]


def _history(reports: dict[int, StatusReport], report: StatusReport) -> dict[int, dict[int, VillageRow]]:
    """Each year's rows from the earliest baseline on (at most TREND_YEARS), by year and village."""
    baselines = [row.baseline_year for row in report.rows if row.baseline_year is not None]
    start = max(min(baselines, default=report.year - 4), report.year - TREND_YEARS + 1)
    return {year: {row.village_id: row for row in reports[year].rows} for year in range(start, report.year + 1)}


def village_columns(lang: Lang) -> list[pdf.Column]:
    """The one-row-per-village table, the same in the PDF and the workbook."""
    return [
        pdf.Column(text.tr("Village", lang), 64, xlsx_width=12),
        pdf.Column(text.tr("Plan", lang), 72, xlsx_width=12),
        pdf.Column(text.tr("Baseline year", lang), 40, "count", xlsx_width=9),
        pdf.Column(text.tr("Baseline income", lang), 70, "money", total=True),
        pdf.Column(text.tr("Last year's income", lang), 70, "money", total=True),
        pdf.Column(text.tr("This year's operating income", lang), 74, "money", total=True),
        pdf.Column(text.tr("Target income", lang), 70, "money", total=True),
        pdf.Column(text.tr("Target year", lang), 40, "count", xlsx_width=9),
        pdf.Column(text.tr("Progress", lang), 48, "percent", xlsx_width=10),
        pdf.Column(text.tr("Status", lang), 58, xlsx_width=14),
        pdf.Column(text.tr("Risks", lang), 156, xlsx_width=40),
    ]


def village_row(row: VillageRow, lang: Lang) -> list[pdf.Cell]:
    return [
        row.village,
        label(row.plan_status, lang) if row.plan_status else "",
        row.baseline_year,
        row.baseline,
        row.previous,
        row.income,
        row.target,
        row.target_year,
        row.shown_progress,
        label(row.status, lang),
        _risk_summary(row, lang),
    ]


def _risk_summary(row: VillageRow, lang: Lang) -> str:
    counts: dict[str, int] = {}
    for risk in row.risks:
        counts[risk.rule] = counts.get(risk.rule, 0) + 1
    return text.joined(
        [label(RiskKind(kind), lang) + (f"×{n}" if n > 1 else "") for kind, n in counts.items()],
        lang,
    )


def _story(
    report: StatusReport,
    totals: TownshipTotals | None,
    history: dict[int, dict[int, VillageRow]],
    title: str,
    lang: Lang,
) -> Iterator[Flowable]:
    width, _ = pdf.frame_size(pdf.LANDSCAPE)
    yield pdf.title(title, 15)
    yield pdf.para(
        text.tr("Risks judged as of {day}. Amounts in yuan.", lang, day=text.day(report.as_of, lang)), 8.5, align=1
    )
    yield Spacer(1, 6)
    if totals is None:
        yield pdf.para(text.tr("No village reported income or has a plan in {year}.", lang, year=report.year), 11)
        return
    yield _summary(report, totals, lang, width)
    yield Spacer(1, 8)
    columns = village_columns(lang)
    status_column = len(columns) - 2
    colour_of = {label(status, lang): colour for status, colour in STATUS_COLOURS.items()}
    table = pdf.PagedTable(
        columns,
        lang,
        caption=text.tr("1. Villages", lang),
        size=7.8,
        row_height=15,
        subtotals=False,
        colours=lambda row: {status_column: colour_of.get(str(row[status_column]), colors.black)},
    )
    yield from table.flowables(village_row(row, lang) for row in report.rows)
    yield PageBreak()
    yield from _funding(totals, lang, width)
    yield Spacer(1, 10)
    yield from _behind(report, lang, width)
    yield Spacer(1, 10)
    yield from _risks(report, lang, width)
    yield from _trends(report, history, lang, width)


def _summary(report: StatusReport, totals: TownshipTotals, lang: Lang, width: float) -> Table:
    line = report.rows[0].threshold
    counts = [
        (text.tr("Villages listed", lang), str(totals.villages)),
        (text.tr("Villages with an improvement plan", lang), str(totals.with_plan)),
        *((label(s, lang), str(totals.by_status[s])) for s in VillageStatus if totals.by_status[s]),
        (text.tr("Reached the target this year", lang), str(totals.newly_achieved)),
        (text.tr("Villages with risks", lang), str(totals.at_risk)),
    ]
    money = [
        (text.tr("Weak line: operating income below", lang), text.amount(line.weak_below, lang)),
        (text.tr("Empty shell: operating income at most", lang), text.amount(line.shell_at, lang)),
        (text.tr("Cooperative dividends linked to collectives", lang), text.amount(totals.dividends, lang)),
        (text.tr("Investment income of collectives", lang), text.amount(totals.investment_income, lang)),
    ]
    rows = [[a[0], a[1], b[0], b[1]] for a, b in zip(counts, money + [("", "")] * len(counts), strict=False)]
    rows += [["", "", b[0], b[1]] for b in money[len(counts) :]]
    table = Table(rows, colWidths=[width * 0.3, width * 0.12, width * 0.38, width * 0.2])
    table.setStyle(
        pdf.table_style(
            [pdf.Column("", 0), pdf.Column("", 0, "count"), pdf.Column("", 0), pdf.Column("", 0, "money")],
            0,
            9,
            [
                ("BACKGROUND", (0, 0), (0, -1), pdf.SHADE),
                ("BACKGROUND", (2, 0), (2, -1), pdf.SHADE),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (3, 0), (3, -1), "RIGHT"),
            ],
            padding=2.5,
        )
    )
    return table


def funding_columns(lang: Lang) -> list[pdf.Column]:
    return [
        pdf.Column(text.tr("Funding source", lang), 220, xlsx_width=34),
        pdf.Column(text.tr("Allocated", lang), 100, "money", total=True),
        pdf.Column(text.tr("Received", lang), 100, "money", total=True),
        pdf.Column(text.tr("Spent", lang), 100, "money", total=True),
        pdf.Column(text.tr("Received of allocated", lang), 90, "percent"),
        pdf.Column(text.tr("Spent of received", lang), 90, "percent"),
    ]


def funding_rows(totals: TownshipTotals, lang: Lang) -> list[list[pdf.Cell]]:
    def share(part: Decimal, whole: Decimal) -> Decimal | None:
        return round_half_up(part * 100 / whole, 2) if whole else None  # percent to 0.01, as §10.2 rounds

    return [
        [
            label(source, lang),
            funds.allocated,
            funds.received,
            funds.spent,
            share(funds.received, funds.allocated),
            share(funds.spent, funds.received),
        ]
        for source, funds in totals.funds.items()
    ]


def _funding(totals: TownshipTotals, lang: Lang, width: float) -> Iterator[Flowable]:
    table = pdf.PagedTable(
        funding_columns(lang),
        lang,
        caption=text.tr("2. Funding by source", lang),
        size=9,
        row_height=16,
        subtotals=False,
    )
    yield KeepTogether(list(table.flowables(funding_rows(totals, lang))))


def behind_rows(report: StatusReport) -> list[list[pdf.Cell]]:
    """Projects behind schedule: village, project, first overdue milestone, its day, milestones overdue."""
    return [
        [
            row.village,
            str(risk.fields["project"]),
            str(risk.fields["milestone"]),
            dt.date.fromisoformat(str(risk.fields["due_on"])),
            int(str(risk.fields["count"])),
        ]
        for row in report.rows
        for risk in row.risks
        if risk.rule == RiskKind.MILESTONE_OVERDUE.value
    ]


def behind_columns(lang: Lang) -> list[pdf.Column]:
    return [
        pdf.Column(text.tr("Village", lang), 90, xlsx_width=12),
        pdf.Column(text.tr("Project", lang), 300, xlsx_width=40),
        pdf.Column(text.tr("First overdue milestone", lang), 160, xlsx_width=20),
        pdf.Column(text.tr("Milestone due on", lang), 100, "date", xlsx_width=12),
        pdf.Column(text.tr("Milestones overdue", lang), 80, "count", xlsx_width=10),
    ]


def _behind(report: StatusReport, lang: Lang, width: float) -> Iterator[Flowable]:
    rows = behind_rows(report)
    caption = text.tr("3. Projects behind schedule", lang)
    if not rows:
        yield pdf.heading(caption)
        yield pdf.para(text.tr("No project is behind schedule.", lang))
        return
    table = pdf.PagedTable(behind_columns(lang), lang, caption=caption, size=8.5, row_height=15, subtotals=False)
    yield from table.flowables(rows)


def _risks(report: StatusReport, lang: Lang, width: float) -> Iterator[Flowable]:
    yield pdf.heading(text.tr("4. Risk list", lang))
    items = [(row.village, risk) for row in report.rows for risk in row.risks]
    if not items:
        yield pdf.para(text.tr("No risks.", lang))
        return
    rows: list[list[str | Paragraph]] = [
        [text.tr("Village", lang), text.tr("Risk kind", lang), text.tr("Details", lang)]
    ]
    rows += [[village, label(RiskKind(risk.rule), lang), pdf.para(risk.message(lang), 8)] for village, risk in items]
    table = Table(rows, colWidths=[70, 70, width - 140], repeatRows=1)
    table.setStyle(pdf.table_style([pdf.Column("", 0)] * 3, 1, 8, padding=2))
    yield table


def _trends(
    report: StatusReport, history: dict[int, dict[int, VillageRow]], lang: Lang, width: float
) -> Iterator[Flowable]:
    years = list(history)
    items = []
    for row in report.rows:
        past = [history[y].get(row.village_id) for y in years]
        items.append(
            charts.Trend(
                row.village,
                years,
                [p.income if p else None for p in past],
                [p.threshold.weak_below if p else row.threshold.weak_below for p in past],
                row.target,
                row.baseline_year,
            )
        )
    labels = {
        "weak_line": text.tr("weak line", lang),
        "target": text.tr("target", lang),
        "income": text.tr("operating income", lang),
        "unit": text.tr("10,000 yuan", lang),
    }
    for start in range(0, len(items), CHARTS_PER_PAGE):
        yield PageBreak()
        if start == 0:
            yield pdf.heading(text.tr("5. Operating income by year against the weak line", lang))
        page = items[start : start + CHARTS_PER_PAGE]
        png = charts.trends(page, labels, width=width, columns=3)
        yield pdf.chart(png, width)


def _workbook(
    township: Township,
    report: StatusReport,
    totals: TownshipTotals | None,
    history: dict[int, dict[int, VillageRow]],
    title: str,
    out_dir: Path,
    lang: Lang,
) -> Path:
    book = xlsx.new_book()
    villages = xlsx.Sheet(book, text.tr("Villages' progress", lang), village_columns(lang), title, lang)
    for row in report.rows:
        villages.row(village_row(row, lang))
    villages.total_row()
    funding = xlsx.Sheet(book, text.tr("Funding by source", lang), funding_columns(lang), title, lang)
    for values in funding_rows(totals, lang) if totals else []:
        funding.row(values)
    funding.total_row()
    behind = xlsx.Sheet(book, text.tr("Projects behind schedule", lang), behind_columns(lang), title, lang)
    for values in behind_rows(report):
        behind.row(values)
    risks = xlsx.Sheet(
        book,
        text.tr("Risk list", lang),
        [
            pdf.Column(text.tr("Village", lang), 0, xlsx_width=12),
            pdf.Column(text.tr("Risk kind", lang), 0, xlsx_width=14),
            pdf.Column(text.tr("Details", lang), 0, xlsx_width=100),
        ],
        title,
        lang,
    )
    for row in report.rows:
        for risk in row.risks:
            risks.row([row.village, label(RiskKind(risk.rule), lang), risk.message(lang)])
    years = list(history)
    trend_columns = [pdf.Column(text.tr("Village", lang), 0, xlsx_width=12)]
    trend_columns += [pdf.Column(str(y), 0, "money", total=True, xlsx_width=15) for y in years]
    trend_columns += [
        pdf.Column(text.tr("Weak line", lang), 0, "money", xlsx_width=15),
        pdf.Column(text.tr("Target income", lang), 0, "money", xlsx_width=15),
    ]
    trend = xlsx.Sheet(book, text.tr("Income by year", lang), trend_columns, title, lang)
    for row in report.rows:
        incomes: list[pdf.Cell] = [
            history[y][row.village_id].income if row.village_id in history[y] else None for y in years
        ]
        trend.row([row.village, *incomes, row.threshold.weak_below, row.target])
    path = output_path(out_dir, report.year, township.name, "weak-village progress", "xlsx", lang)
    return xlsx.save(book, path)


@click.command("township", help="Township weak-village progress report (PDF and XLSX).")
@click.option("--township", "name", required=True, metavar="NAME", help="The township (乡镇/街道).")
@YEAR
@OUT
@LANG
@pass_context
def command(context: Context, name: str, year: int, out_dir: Path, report_lang: Lang | None) -> None:

    lang = report_lang or context.lang
    with read_only(context.engine) as session:
        paths = build_township_report(session, lookups.township_by_name(session, name), year, out_dir, lang)
    announce(context, lang, paths)


if __name__ == "__main__":
    standalone(command, "reports.township")
