"""`coop villages …`: the township's weak villages, their income against the weak line, plans and risks."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from coopcore.commands.base import Context, pass_context
from coopcore.commands.workbook import import_command_for, template_command_for
from coopcore.i18n import Lang, format_money, render
from coopcore.labels import label, msgid
from coopcore.models import FundingSource
from coopcore.rules.weak_village import IDLE_MONTHS
from coopcore.services import villages as service
from coopcore.services.imports import VILLAGES
from coopcore.services.villages import StatusReport, TownshipTotals, VillageRow
from coopcore.terms import RiskKind, VillageStatus


@click.group("villages")
def villages_group() -> None:
    """Weak villages (集体经济薄弱村): income, improvement plans and risks (the rules: docs/villages.md)."""


@villages_group.command()
@click.option("--township", metavar="NAME", help="Only this township (default: all).")
@click.option("--year", type=int, required=True, help="The year of income to judge.")
@click.option(
    "--idle-months",
    type=click.IntRange(min=1),
    default=IDLE_MONTHS,
    show_default=True,
    help="Funds received and unspent for longer than this are a risk.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def status(context: Context, township: str | None, year: int, idle_months: int, as_json: bool) -> None:
    """Show each village's income against the weak line, its plan's progress and its risks, with township totals."""
    with context.transaction() as session:
        report = service.village_status(session, year=year, township=township, idle_months=idle_months)
    if as_json:
        click.echo(json.dumps(report_to_json(report, context.lang), ensure_ascii=False, indent=2))
        return
    out = console()
    for totals in report.townships:
        rows = [row for row in report.rows if row.township == totals.township]
        out.print(_village_table(context.lang, report, totals.township, rows))
        for row in rows:
            for risk in row.risks:
                click.echo(f"  ! {row.village}: {risk.message(context.lang)}")
        out.print(_totals_table(context.lang, report, totals))
    if not report.rows:
        context.say("No village reported income or has a plan in {year}.", year=year)


template = template_command_for(
    VILLAGES, "Write an empty workbook for plans, projects, funding lines and yearly income."
)
import_command = import_command_for(
    VILLAGES,
    "Village workbook imported; {warnings} warnings.",
    "Check a village workbook, report every problem at once, and write it all in one transaction or nothing.",
)
villages_group.add_command(template)
villages_group.add_command(import_command)


def _village_table(lang: Lang, report: StatusReport, township: str, rows: list[VillageRow]) -> Table:
    title = render(
        "{township}: villages in {year} (risks as of {as_of})",
        lang,
        township=township,
        year=report.year,
        as_of=report.as_of.isoformat(),
    )
    table = Table(title=title)
    for header in (
        "Village",
        "Plan",
        "Baseline",
        "Operating income",
        "Target",
        "Target year",
        "Progress",
        "Status",
        "Risks",
    ):
        table.add_column(render(header, lang), justify="right" if header in _NUMERIC else "left")
    for row in rows:
        table.add_row(
            row.village,
            label(row.plan_status, lang) if row.plan_status else "",
            _money(row.baseline, lang),
            _money(row.income, lang),
            _money(row.target, lang),
            str(row.target_year or ""),
            f"{row.shown_progress}%" if row.shown_progress is not None else "—",
            label(row.status, lang),
            _risk_summary(row, lang),
        )
    return table


_NUMERIC = ("Baseline", "Operating income", "Target", "Target year", "Progress")


def _money(amount: Decimal | None, lang: Lang) -> str:
    return "—" if amount is None else format_money(amount, lang)


def console() -> Console:
    """A console as wide as the terminal, or wide enough for the tables when the output goes to a file or pipe."""
    return Console() if sys.stdout.isatty() else Console(width=160)


def _risk_summary(row: VillageRow, lang: Lang) -> str:
    counts: dict[str, int] = {}
    for risk in row.risks:
        counts[risk.rule] = counts.get(risk.rule, 0) + 1
    parts = [label(RiskKind(kind), lang) + (f"×{n}" if n > 1 else "") for kind, n in counts.items()]
    return ("、" if lang == "zh" else ", ").join(parts)


def _totals_table(lang: Lang, report: StatusReport, totals: TownshipTotals) -> Table:
    table = Table(
        title=render("{township} totals for {year}", lang, township=totals.township, year=report.year),
        show_header=False,
    )
    counts = [
        ("Villages listed", totals.villages),
        ("Villages with an improvement plan", totals.with_plan),
        *((msgid(status), totals.by_status[status]) for status in VillageStatus if totals.by_status[status]),
        ("Reached the target this year", totals.newly_achieved),
        ("Villages with risks", totals.at_risk),
    ]
    for heading, count in counts:
        table.add_row(render(heading, lang), str(count))
    table.add_row(render("Cooperative dividends linked to collectives", lang), format_money(totals.dividends, lang))
    table.add_row(render("Investment income of collectives", lang), format_money(totals.investment_income, lang))
    for source, funds in totals.funds.items():
        table.add_row(
            label(source, lang),
            render(
                "allocated {allocated}, received {received}, spent {spent}",
                lang,
                allocated=format_money(funds.allocated, lang),
                received=format_money(funds.received, lang),
                spent=format_money(funds.spent, lang),
            ),
        )
    return table


def report_to_json(report: StatusReport, lang: Lang) -> dict[str, Any]:
    """Return the status report as plain JSON values: amounts as strings of yuan, statuses as stored values."""

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "villages": [
            {
                "township": row.township,
                "village": row.village,
                "plan_status": row.plan_status.value if row.plan_status else None,
                "baseline_year": row.baseline_year,
                "baseline": money(row.baseline),
                "operating_income": money(row.income),
                "previous_operating_income": money(row.previous),
                "income_by_category": {key: str(value) for key, value in sorted(row.by_category.items())},
                "cooperative_dividends": str(row.dividends),
                "weak_below": str(row.threshold.weak_below),
                "shell_at": str(row.threshold.shell_at),
                "target": money(row.target),
                "target_year": row.target_year,
                "progress_percent": money(row.progress),
                "progress_shown": money(row.shown_progress),
                "status": row.status.value,
                "risks": [{"kind": risk.rule, "message": risk.message(lang)} for risk in row.risks],
            }
            for row in report.rows
        ],
        "townships": [
            {
                "township": totals.township,
                "villages": totals.villages,
                "with_plan": totals.with_plan,
                "by_status": {status.value: count for status, count in totals.by_status.items()},
                "newly_achieved": totals.newly_achieved,
                "at_risk": totals.at_risk,
                "cooperative_dividends": str(totals.dividends),
                "investment_income": str(totals.investment_income),
                "funds": {
                    FundingSource(source).value: {
                        "allocated": str(funds.allocated),
                        "received": str(funds.received),
                        "spent": str(funds.spent),
                    }
                    for source, funds in totals.funds.items()
                },
            }
            for totals in report.townships
        ],
    }
