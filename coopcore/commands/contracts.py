"""`coop contracts …`: order contracts with leading enterprises, settled delivery by delivery, and their fulfilment."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click
from rich.table import Table

from coopcore.commands.base import CREDIT_CODE, Context, pass_context
from coopcore.commands.villages import console
from coopcore.i18n import Lang, format_money, render
from coopcore.labels import label
from coopcore.rules.contracts import Metrics
from coopcore.services import contracts as service
from coopcore.services.contracts import (
    DEPOSIT_OVER,
    SHORTFALL,
    ContractReport,
    ContractRow,
)


@click.group("contracts")
def contracts_group() -> None:
    """Order-farming contracts (订单农业) with leading enterprises (the rules: docs/contracts.md)."""


@contracts_group.command()
@click.option("--coop", "credit_code", type=CREDIT_CODE, help="Only this cooperative's contracts.")
@click.option("--enterprise", metavar="CREDIT_CODE|NAME", help="Only this enterprise's contracts.")
@click.option("--year", type=int, required=True, help="Contracts in force in this year.")
@click.option("--json", "as_json", is_flag=True, help="Print the report, with every delivery, as JSON.")
@pass_context
def status(context: Context, credit_code: str | None, enterprise: str | None, year: int, as_json: bool) -> None:
    """Show the fulfilment of each contract and each enterprise: quantity, grades, timeliness, payment."""
    if credit_code and enterprise:
        raise click.UsageError(render("Give --coop or --enterprise, not both.", context.lang))
    with context.transaction() as session:
        report = service.contract_status(session, year=year, cooperative=credit_code, enterprise=enterprise)
    lang = context.lang
    if as_json:
        click.echo(json.dumps(report_to_json(report, lang), ensure_ascii=False, indent=2))
        return
    if not report.contracts:
        context.say("No contract is in force in {year}.", year=year)
        return
    out = console()
    out.print(_enterprise_table(lang, report))
    out.print(_contract_table(lang, report))
    for row in report.contracts:
        click.echo(f"{row.code} {row.cooperative}: {_grade_mix(row.fulfilment.metrics, lang)}")
        for note in _notes(row, lang):
            click.echo(f"  ! {note}")


_METRICS = ("Quantity fulfilled", "Delivered on time", "Paid on time", "Protective price applied")


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def _enterprise_table(lang: Lang, report: ContractReport) -> Table:
    table = Table(title=render("Leading enterprises, contracts in force in {year}", lang, year=report.year))
    for header in ("Leading enterprise", "Level", "Number of contracts", *_METRICS):
        # The level is a term: kept whole on its line, so it reads (and is found) as one phrase.
        table.add_column(
            render(header, lang),
            justify="left" if header in ("Leading enterprise", "Level") else "right",
            no_wrap=header == "Level",
        )
    for row in report.enterprises:
        level = label(row.level, lang)
        if row.recognised_year:
            level += f" ({row.recognised_year})"
        if not row.is_recognition_valid:
            level += " " + render("recognition withdrawn", lang)
        metrics = row.metrics
        table.add_row(
            row.name,
            level,
            str(row.contracts),
            _percent(metrics.quantity_percent),
            _percent(metrics.on_time_percent),
            _percent(metrics.payment_percent),
            str(metrics.protective_count),
        )
    return table


def _contract_table(lang: Lang, report: ContractReport) -> Table:
    title = render(
        "Contracts in force in {year} (payments as of {as_of})", lang, year=report.year, as_of=report.as_of.isoformat()
    )
    table = Table(title=title)
    headers = ("Contract", "Leading enterprise", "Price rule", *_METRICS, "Settled", "Balance after advance")
    for header in headers:
        table.add_column(
            render(header, lang), justify="left" if header in headers[:3] else "right", no_wrap=header in headers[:2]
        )
    for row in report.contracts:
        metrics = row.fulfilment.metrics
        table.add_row(
            f"{row.code} {row.product}\n{row.cooperative}",
            row.enterprise,
            label(row.price_rule, lang),
            _percent(metrics.quantity_percent),
            _percent(metrics.on_time_percent),
            _percent(metrics.payment_percent),
            str(metrics.protective_count),
            format_money(metrics.settled, lang),
            format_money(metrics.balance, lang),
        )
    return table


def _grade_mix(metrics: Metrics, lang: Lang) -> str:
    parts = [f"{grade} {_percent(share)}" for grade, share in metrics.grade_mix.items()]
    rejected = f"{metrics.rejected.normalize():f}"
    return render(
        "grade mix {mix}; rejected {rejected} {unit}",
        lang,
        mix=", ".join(parts) or "—",
        rejected=rejected,
        unit=metrics.unit,
    )


def _notes(row: ContractRow, lang: Lang) -> list[str]:
    notes = []
    deposit = row.fulfilment.deposit
    if deposit is not None and deposit.is_over:
        notes.append(
            render(
                DEPOSIT_OVER,
                lang,
                deposit=format_money(deposit.deposit, lang),
                amount=format_money(deposit.amount, lang),
                cap=format_money(deposit.cap, lang),
                excess=format_money(deposit.excess, lang),
            )
        )
    if row.fulfilment.shortfall > 0:
        penalty = row.fulfilment.shortfall_penalty
        notes.append(
            render(
                SHORTFALL,
                lang,
                short=f"{row.fulfilment.shortfall.normalize():f}",
                unit=row.fulfilment.metrics.unit,
                penalty=format_money(penalty, lang) if penalty is not None else "—",
            )
        )
    return notes


def _metrics_json(metrics: Metrics) -> dict[str, Any]:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "unit": metrics.unit,
        "contracted": str(metrics.contracted),
        "accepted": str(metrics.accepted),
        "rejected": str(metrics.rejected),
        "quantity_percent": text(metrics.quantity_percent),
        "on_time_percent": text(metrics.on_time_percent),
        "payment_percent": text(metrics.payment_percent),
        "grade_mix_percent": {grade: text(share) for grade, share in metrics.grade_mix.items()},
        "protective_price_applied": metrics.protective_count,
        "deliveries": metrics.deliveries,
        "settled": str(metrics.settled),
        "advance": str(metrics.advance),
        "paid": str(metrics.paid),
        "balance_after_advance": str(metrics.balance),
    }


def report_to_json(report: ContractReport, lang: Lang) -> dict[str, Any]:
    """Return the contract report as plain JSON values: amounts and quantities as strings, every delivery."""
    contracts = []
    for row in report.contracts:
        fulfilment = row.fulfilment
        deposit = fulfilment.deposit
        contracts.append(
            {
                "code": row.code,
                "cooperative": row.cooperative,
                "cooperative_credit_code": row.cooperative_code,
                "enterprise": row.enterprise,
                "product": row.product,
                "price_rule": row.price_rule,
                "start_on": row.start_on.isoformat(),
                "end_on": row.end_on.isoformat(),
                "metrics": _metrics_json(fulfilment.metrics),
                "deposit": None
                if deposit is None
                else {
                    "deposit": str(deposit.deposit),
                    "contract_amount": str(deposit.amount),
                    "cap": str(deposit.cap),
                    "excess": str(deposit.excess),
                    "over_cap": deposit.is_over,
                },
                "shortfall": str(fulfilment.shortfall),
                "shortfall_penalty": None
                if fulfilment.shortfall_penalty is None
                else str(fulfilment.shortfall_penalty),
                "notes": _notes(row, lang),
                "deliveries": [
                    {
                        "ticket_no": result.delivery.ticket_no,
                        "delivered_on": result.delivery.delivered_on.isoformat(),
                        "grade": result.delivery.grade,
                        "quantity": str(result.delivery.quantity),
                        "accepted": str(result.settlement.accepted_quantity),
                        "rejected": str(result.settlement.rejected_quantity),
                        "market_price": None
                        if result.delivery.market_price is None
                        else str(result.delivery.market_price),
                        "unit_price": str(result.settlement.unit_price),
                        "amount": str(result.settlement.amount),
                        "protective_price_applied": result.settlement.protective_applied,
                        "advance_applied": str(result.advance_applied),
                        "paid": str(result.delivery.paid_amount),
                        "paid_on": result.delivery.paid_on.isoformat() if result.delivery.paid_on else None,
                        "payment_due_on": result.due_on.isoformat(),
                        "outstanding": str(result.outstanding),
                        "in_window": result.in_window,
                        "supplied_by": [
                            {
                                "ticket_no": t.ticket_no,
                                "traded_on": t.traded_on.isoformat(),
                                "member_code": t.member_code,
                                "member": t.member_name,
                                "quantity": t.quantity,
                            }
                            for t in row.trades.get(result.delivery.key or 0, [])
                        ],
                    }
                    for result in fulfilment.deliveries
                ],
            }
        )
    return {
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "enterprises": [
            {
                "name": row.name,
                "credit_code": row.credit_code,
                "level": row.level.value,
                "certificate_no": row.certificate_no,
                "recognised_year": row.recognised_year,
                "recognition_valid": row.is_recognition_valid,
                "contracts": row.contracts,
                "metrics": _metrics_json(row.metrics),
            }
            for row in report.enterprises
        ],
        "contracts": contracts,
    }
