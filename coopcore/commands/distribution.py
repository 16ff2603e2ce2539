"""`coop distribution …`: simulate a case, and run a cooperative's year-end distribution step by step."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, DAY, EXIT_FINDINGS, Context, pass_context
from coopcore.commands.planned_tables import Planned, print_planned
from coopcore.commands.statements_tables import print_year_so_far
from coopcore.errors import CoopError, InvalidValue, Term
from coopcore.i18n import format_money, render, render_error
from coopcore.labels import msgid
from coopcore.models import Cooperative, Distribution, Member, PatronageMeasure
from coopcore.money import ZERO, to_decimal
from coopcore.rules.distribution import distribute
from coopcore.rules.plan_review import statements
from coopcore.services import distribution as workflow
from coopcore.services.distribution_json import case_from_json, result_to_json, stored_to_json
from coopcore.services.lookups import cooperative_by_code, live_distribution, township_by_name, township_cooperatives
from coopcore.services.plan_review import review_plan
from coopcore.services.statements import closed_cooperatives, statements_as_they_stand

F = TypeVar("F", bound=Callable[..., Any])


@click.group("distribution")
def distribution_group() -> None:
    """The annual surplus distribution (盈余分配) of Art. 42-44."""


@distribution_group.command()
@click.argument("case_file", metavar="CASE.json", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def simulate(context: Context, case_file: Path) -> None:
    """Compute a distribution case given as JSON and print the result as JSON."""
    try:
        data = json.loads(case_file.read_text(encoding="utf-8"), parse_float=float)
    except OSError as error:
        raise InvalidValue("cannot read {path}: {reason}", path=str(case_file), reason=error.strerror) from None
    except json.JSONDecodeError as error:
        raise InvalidValue("{path} is not valid JSON: {reason}", path=str(case_file), reason=str(error)) from None
    click.echo(json.dumps(result_to_json(distribute(case_from_json(data))), ensure_ascii=False, indent=2))


def _year_options(function: F) -> F:
    function = click.option("--year", type=int, required=True, help="Fiscal year.")(function)
    return click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")(function)


def member_names(session: Session, cooperative_id: int) -> dict[str, str]:
    """Return a cooperative's member names by member code, for tables that show both."""
    rows = session.execute(select(Member.code, Member.name).where(Member.cooperative_id == cooperative_id))
    return {code: name for code, name in rows}


def _distribution(session: Session, credit_code: str, year: int) -> Distribution:
    return live_distribution(session, cooperative_by_code(session, credit_code), year)


@distribution_group.command()
@_year_options
@click.option("--json", "as_json", is_flag=True, help="Print the result in the simulation's JSON format.")
@pass_context
def plan(context: Context, credit_code: str, year: int, as_json: bool) -> None:
    """Compute the year's distribution from the books and keep it as a draft."""
    with context.transaction() as session:
        distribution = workflow.plan_distribution(session, cooperative_by_code(session, credit_code), year)
        _year_so_far(context, session, distribution, as_json)
        _print(context, session, distribution, as_json)


@distribution_group.command("plan-all")
@click.option("--township", required=True, metavar="NAME", help="The township whose cooperatives are planned.")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@pass_context
def plan_all(context: Context, township: str, year: int) -> None:
    """Plan the year's distribution of every cooperative of a township, and list those that could not be planned
    and why (exit code 1 if any)."""
    with context.transaction() as session:
        found = township_cooperatives(session, township_by_name(session, township))
        cooperatives = [(cooperative.id, cooperative.credit_code, cooperative.name) for cooperative in found]
    outcomes = []
    label_text = render("Planning {count} cooperatives", context.lang, count=len(cooperatives))
    with click.progressbar(cooperatives, label=label_text, file=sys.stderr) as progress:
        for cooperative_id, code, name in progress:
            # Each cooperative in its own transaction: one that cannot be planned leaves the others' plans standing.
            try:
                with context.transaction() as session:
                    cooperative = session.get_one(Cooperative, cooperative_id)
                    distribution = workflow.plan_distribution(session, cooperative, year)
                    members = workflow.planned_members(session, distribution)
                    outcomes.append(Planned(code, name, distribution.distributable, members))
            except CoopError as error:
                outcomes.append(Planned(code, name, reason=render_error(error, context.lang)))
    print_planned(outcomes, year, context.lang)
    if any(outcome.reason for outcome in outcomes):
        sys.exit(EXIT_FINDINGS)


@distribution_group.command()
@_year_options
@click.option("--json", "as_json", is_flag=True, help="Print in the simulation's JSON format.")
@pass_context
def show(context: Context, credit_code: str, year: int, as_json: bool) -> None:
    """Show the year's distribution with its statutory checks."""
    with context.transaction() as session:
        distribution = _distribution(session, credit_code, year)
        _year_so_far(context, session, distribution, as_json)
        _print(context, session, distribution, as_json)


@distribution_group.command()
@_year_options
@click.option("--on", "published_on", type=DAY, required=True, help="Day the plan was put up at the office.")
@click.option("--assembly", "assembly_on", type=DAY, help="Planned day of the member assembly.")
@pass_context
def publish(context: Context, credit_code: str, year: int, published_on: dt.date, assembly_on: dt.date | None) -> None:
    """Record the publication of the plan (at least 15 days before the assembly, Art. 40)."""
    with context.transaction() as session:
        distribution = _distribution(session, credit_code, year)
        workflow.publish_distribution(session, distribution, published_on=published_on, assembly_on=assembly_on)
        context.say("The {year} plan is published.", year=year)


@distribution_group.command()
@_year_options
@click.option("--assembly", "assembly_on", type=DAY, required=True, help="Day of the member assembly.")
@click.option("--present", type=int, required=True, help="Members present.")
@click.option("--votes-for", type=int, required=True, help="Voting rights cast for the plan.")
@click.option("--resolution", default="", help="Resolution number or text.")
@click.option(
    "--convert",
    "conversions",
    multiple=True,
    help="Part of a member's share the assembly converts into contribution, as M04=5000.00 (repeatable; "
    "needs --resolution, Art. 44).",
)
@click.option(
    "--loss-covered",
    "loss_covered",
    default="0",
    metavar="AMOUNT",
    help="Loss the assembly covers from the surplus reserve (322), at most the loss the year leaves (02 line 14; "
    "needs --resolution, Art. 42).",
)
@pass_context
def approve(
    context: Context,
    credit_code: str,
    year: int,
    assembly_on: dt.date,
    present: int,
    votes_for: int,
    resolution: str,
    conversions: tuple[str, ...],
    loss_covered: str,
) -> None:
    """Record the member assembly's approval (quorum of two thirds, majority of all votes, Art. 30)."""
    with context.transaction() as session:
        distribution = _distribution(session, credit_code, year)
        workflow.approve_distribution(
            session,
            distribution,
            assembly_on=assembly_on,
            members_present=present,
            votes_for=votes_for,
            resolution=resolution,
            conversions=workflow.read_conversions(conversions),
            loss_covered_by_provident_fund=to_decimal(loss_covered),
        )
        context.say("The {year} plan is approved by the member assembly.", year=year)


@distribution_group.command()
@_year_options
@pass_context
def post(context: Context, credit_code: str, year: int) -> None:
    """Write the member-account entries and close the fiscal year."""
    with context.transaction() as session:
        distribution = _distribution(session, credit_code, year)
        workflow.post_distribution(session, distribution)
        context.say("The {year} distribution is posted; the year is closed.", year=year)
        # The distribution closes the year to imports; the books' December is closed by the accountant, who reviews
        # the vouchers first: say so, or "closed" reads as done while every voucher is still a draft.
        if distribution.cooperative_id not in closed_cooperatives(session, [distribution.cooperative_id], year):
            context.say("The books' December {year} is still open: review the vouchers, then close it with "
                        "`coop ledger close --coop {code} --period {year}-12`.", year=year,
                        code=distribution.cooperative.credit_code)  # fmt: skip


@distribution_group.command()
@_year_options
@click.option("--on", "paid_on", type=DAY, required=True, help="Payment day.")
@click.option(
    "--method",
    type=click.Choice(["cash", "capital"]),
    default="cash",
    show_default=True,
    help="Pay in cash, or convert the returns into contributions (needs its own assembly resolution, Art. 44).",
)
@click.option("--member", "member_codes", multiple=True, help="Only these members (repeatable; default: all unpaid).")
@click.option("--resolution", default="", help="Assembly resolution converting returns into contributions.")
@pass_context
def pay(
    context: Context,
    credit_code: str,
    year: int,
    paid_on: dt.date,
    method: str,
    member_codes: tuple[str, ...],
    resolution: str,
) -> None:
    """Record payment to members, in cash or converted into contributions."""
    with context.transaction() as session:
        distribution = _distribution(session, credit_code, year)
        paid = workflow.pay_distribution(
            session,
            distribution,
            paid_on=paid_on,
            method=method,
            member_codes=list(member_codes) or None,
            resolution=resolution,
        )
        total = sum((line.total for line in paid), Decimal("0.00"))
        context.say(
            "Recorded {count} payments, {total} in all.", count=len(paid), total=format_money(total, context.lang)
        )


@distribution_group.command()
@_year_options
@pass_context
def reverse(context: Context, credit_code: str, year: int) -> None:
    """Undo a posted, unpaid distribution with reversing entries and reopen the year."""
    with context.transaction() as session:
        workflow.reverse_distribution(session, _distribution(session, credit_code, year))
        context.say("The {year} distribution is reversed and the year reopened.", year=year)


def _year_so_far(context: Context, session: Session, distribution: Distribution, as_json: bool) -> None:
    """Before the plan, while the year is open: 02表 lines 1-13 as the books stand (unaudited), where its surplus
    comes from; once the year is closed the statements themselves say it (`coop statements`)."""
    found, closed = statements_as_they_stand(session, distribution.cooperative, distribution.year)
    if not (as_json or closed):
        print_year_so_far(found, distribution.cooperative.name, context.lang, unaudited=True)


def _print(context: Context, session: Session, distribution: Distribution, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(stored_to_json(distribution), ensure_ascii=False, indent=2))
        return
    lang = context.lang
    names = member_names(session, distribution.cooperative_id)
    console = Console(width=160)
    title = render("{cooperative} {year} distribution ({state})", lang, cooperative=distribution.cooperative.name,
                   year=distribution.year, state=Term(distribution.state))  # fmt: skip
    summary = Table(title=title, show_header=False)
    for name in ("surplus", "opening_undistributed", "loss_covered", "loss_covered_by_provident_fund",
                 "provident_fund", "distributable", "patronage_pool", "residual_pool", "subsidy_property",
                 "donation_property"):  # fmt: skip
        summary.add_row(render(name, lang), format_money(getattr(distribution, name), lang))
    console.print(summary)
    measure = distribution.patronage_measure

    def patronage(value: Decimal) -> str:
        return format_money(value, lang) if measure is PatronageMeasure.AMOUNT else f"{value.normalize():,f}"

    table = Table()
    table.add_column(render("code", lang))
    table.add_column(render("name", lang))
    lines = distribution.lines
    money_columns: tuple[str, ...] = ("provident_share_added", "patronage_return", "residual_distribution", "total")
    if any(line.converted for line in lines):  # §15 rule 25b: what the assembly converted, and what is left to pay
        money_columns = (*money_columns, "converted", "payable")
    for header in (msgid(measure), *money_columns):
        table.add_column(render(header, lang), justify="right")
    for line in lines:
        table.add_row(line.member_code, names.get(line.member_code, ""), patronage(line.patronage),
                      *(format_money(getattr(line, column), lang) for column in money_columns))  # fmt: skip
    table.add_section()
    table.add_row(render("total", lang), "", patronage(sum((line.patronage for line in lines), Decimal(0))),
                  *(format_money(sum((getattr(line, column) for line in lines), ZERO), lang)
                    for column in money_columns))  # fmt: skip
    console.print(table)
    review = review_plan(session, distribution)
    for ok, template, fields in statements(review, distribution.distributable, lambda v: format_money(v, lang)):
        click.echo(f"{'✓' if ok else '✗'} {render(template, lang, **fields)}")
