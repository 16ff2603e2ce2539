"""`coop ledger …`: a cooperative's books as the accountant keeps them: accounts, vouchers, close, balances.

Public contract (outside checks call it so): `coop ledger close --coop C --period YYYY-MM` closes that month and
every open one before it, in order, each checked, or stops at the first that cannot close, says why and exits
with 1 (the months before it stay closed); after the months it closed it prints where the member register and
the books differ at the end of the last one (coopcore.services.ledger.reconcile), which does not change its
exit code; `coop ledger trial-balance --coop C --year Y --json` prints
coopcore.commands.ledger_tables.balance_json. How a voucher line is typed: coopcore.commands.ledger_input.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.commands.base import DAY, EXIT_FINDINGS, Context, pass_context
from coopcore.commands.ledger_input import (
    LINE,
    PERIOD_TYPE,
    Month,
    coop_option,
    user_option,
    voucher_options,
)
from coopcore.commands.ledger_tables import balance_json, print_balance, print_ledger, print_table, table
from coopcore.i18n import format_money, render, render_error
from coopcore.labels import label
from coopcore.models import Voucher
from coopcore.money import ZERO
from coopcore.rules.findings import Finding, Problems
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from coopcore.services.ledger.reconcile import DIFFER_AT_CLOSE
from coopcore.services.lookups import cooperative_by_code

SAVED = "Voucher {voucher} is saved as a draft."
AUDITED = "Voucher {voucher} is audited."
UNAUDITED = "Voucher {voucher} is back to draft."
POSTED = "Voucher {voucher} is posted."
DELETED = "Voucher {voucher} is deleted; the later numbers of its month closed up."
REVERSED = "Voucher {voucher} is reversed by the posted red voucher {reversal}."
CLOSED = "Closed: {periods}."
NOT_CLOSED = "Closed before it stopped: {periods}."
REOPENED = "{period} is reopened."
ACCOUNT_ADDED = "Account {code} {name} is added under {parent}."
YEAR_OR_PERIOD = "Give --year or --period."
TEMPLATES = (
    SAVED,
    AUDITED,
    UNAUDITED,
    POSTED,
    DELETED,
    REVERSED,
    CLOSED,
    NOT_CLOSED,
    REOPENED,
    ACCOUNT_ADDED,
    YEAR_OR_PERIOD,
)


@click.group("ledger")
def ledger_group() -> None:
    """The books (账簿): accounts, vouchers, month-end close and balances."""


@ledger_group.command()
@coop_option
@click.option("--add", "code", help="Add a detail account with this code.")
@click.option("--name", default="", help="Name of the account to add.")
@click.option("--parent", default="", help="Code of the account the new one details.")
@pass_context
def accounts(context: Context, credit_code: str, code: str | None, name: str, parent: str) -> None:
    """List the chart of accounts (会计科目), or add a detail account to it."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        if code is not None:
            added = ledger.add_account(session, cooperative, code, name, parent)
            context.say(ACCOUNT_ADDED, code=added.code, name=added.name, parent=parent)
            return
        shown = table(("Account code", "Account name", "Class", "Side", "Per member"), lang)
        for account in sorted(ledger.accounts_by_code(session, cooperative).values(), key=lambda a: a.code):
            indent = "  " * (len(account.code) - 3) if len(account.code) > 3 else ""
            shown.add_row(
                account.code,
                indent + account.name,
                label(account.account_class, lang),
                label(account.side, lang),
                "✓" if account.member_detail else "",
            )
        print_table(shown)


@ledger_group.command()
@coop_option
@click.option("--period", type=PERIOD_TYPE, help="Only this month.")
@click.option("--year", type=int, help="Only this year.")
@pass_context
def vouchers(context: Context, credit_code: str, period: Month | None, year: int | None) -> None:
    """List the vouchers of a month or a year with their state."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        query = select(Voucher).where(Voucher.cooperative_id == cooperative.id)
        if period is not None:
            query = query.where(Voucher.year == period[0], Voucher.month == period[1])
        elif year is not None:
            query = query.where(Voucher.year == year)
        shown = table(("Voucher", "Date", "Summary", "Amount", "State", "Origin"), lang, right=("Amount",))
        for voucher in session.scalars(query.order_by(Voucher.year, Voucher.month, Voucher.number)):
            amount = sum((line.debit for line in voucher.lines), ZERO)
            shown.add_row(
                ledger.voucher_name(voucher),
                voucher.voucher_date.isoformat(),
                voucher.summary,
                format_money(amount, lang),
                label(voucher.state, lang),
                label(voucher.origin, lang),
            )
        print_table(shown)


@ledger_group.group("voucher")
def voucher_group() -> None:
    """Write, audit, post and reverse vouchers (记账凭证)."""


@voucher_group.command("add")
@coop_option
@click.option("--on", "on", type=DAY, required=True, help="Date of the voucher.")
@click.option("--summary", required=True, help="摘要 of the voucher.")
@click.option(
    "--line",
    "lines",
    type=LINE,
    multiple=True,
    required=True,
    help="A line, ACCOUNT:借|贷:AMOUNT[:MEMBER][:摘要] (repeat for each line).",
)
@click.option("--word", default="记", help="凭证字 (default 记).")
@click.option("--attachments", type=click.IntRange(min=0), default=0, help="Number of attached documents.")
@user_option
@pass_context
def voucher_add(
    context: Context,
    credit_code: str,
    on: dt.date,
    summary: str,
    lines: tuple[EntryLine, ...],
    word: str,
    attachments: int,
    user: str,
) -> None:
    """Write a draft voucher; every problem of its lines is reported at once and nothing is saved."""
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        voucher = ledger.add_voucher(
            session, cooperative, on=on, summary=summary, lines=lines, by=user, word=word, attachments=attachments
        )
        context.say(SAVED, voucher=ledger.voucher_name(voucher))


def _step(name: str, help_text: str, done: str, step: Callable[[Session, Voucher, str], object]) -> click.Command:
    """A voucher command that names a voucher, takes one step with it and says it is done."""

    @voucher_options
    @user_option
    @pass_context
    def command(context: Context, credit_code: str, period: Month, number: int, user: str) -> None:
        with context.transaction() as session:
            voucher = ledger.voucher_by_number(session, cooperative_by_code(session, credit_code), *period, number)
            named = ledger.voucher_name(voucher)
            step(session, voucher, user)
            context.say(done, voucher=named)

    return voucher_group.command(name, help=help_text)(command)


voucher_audit = _step(
    "audit",
    "Audit a draft voucher (审核); the preparer cannot audit their own.",
    AUDITED,
    lambda session, voucher, user: ledger.audit_voucher(session, voucher, by=user),
)
voucher_unaudit = _step(
    "unaudit",
    "Send an audited voucher back to draft (取消审核).",
    UNAUDITED,
    lambda session, voucher, user: ledger.unaudit_voucher(session, voucher, by=user),
)
voucher_post = _step(
    "post",
    "Post an audited voucher (记账).",
    POSTED,
    lambda session, voucher, user: ledger.post_voucher(session, voucher, by=user),
)
voucher_delete = _step(
    "delete",
    "Delete a draft voucher; later numbers of its month close up.",
    DELETED,
    lambda session, voucher, user: ledger.delete_voucher(session, voucher),
)


@voucher_group.command("reverse")
@voucher_options
@click.option("--on", "on", type=DAY, required=True, help="Date of the red reversal.")
@user_option
@pass_context
def voucher_reverse(context: Context, credit_code: str, period: Month, number: int, on: dt.date, user: str) -> None:
    """Correct a posted voucher by a red reversal (红字冲销) that names it."""
    with context.transaction() as session:
        voucher = ledger.voucher_by_number(session, cooperative_by_code(session, credit_code), *period, number)
        reversal = ledger.reverse_voucher(session, voucher, on=on, by=user)
        context.say(REVERSED, voucher=ledger.voucher_name(voucher), reversal=ledger.voucher_name(reversal))


@ledger_group.command()
@coop_option
@click.option("--period", type=PERIOD_TYPE, required=True, help="The month to close.")
@user_option
@pass_context
def close(context: Context, credit_code: str, period: Month, user: str) -> None:
    """Close a month (结账) and every open month before it, in order, each checked."""
    with context.transaction() as session:
        try:
            closed = ledger.close_period(session, cooperative_by_code(session, credit_code), *period, by=user)
        except ledger.CloseRefused as refused:
            refusal = refused  # the months before it are committed as closed; then say why it stopped
        else:
            names = [ledger.period_name(*month) for month in closed.months]
            context.say(CLOSED, periods=", ".join(names))
            _say_differences(context, names[-1], closed.differences)
            return
    if refusal.closed:
        click.echo(render(NOT_CLOSED, context.lang, periods=", ".join(refusal.closed)))
        _say_differences(context, refusal.closed[-1], refusal.differences)
    context.fail("Error: {message}", EXIT_FINDINGS, message=render_error(refusal, context.lang))


def _say_differences(context: Context, period: str, differences: list[Finding]) -> None:
    """Where the member register and the books differ after a close: said, though the months are closed."""
    if differences:
        context.say(DIFFER_AT_CLOSE, period=period, problems=Problems(differences))


@ledger_group.command()
@coop_option
@click.option("--period", type=PERIOD_TYPE, required=True, help="The latest closed month.")
@user_option
@pass_context
def reopen(context: Context, credit_code: str, period: Month, user: str) -> None:
    """Reopen the latest closed month (反结账); December's year-end vouchers are reversed."""
    with context.transaction() as session:
        ledger.reopen_period(session, cooperative_by_code(session, credit_code), *period, by=user)
        context.say(REOPENED, period=ledger.period_name(*period))


@ledger_group.command("trial-balance")
@coop_option
@click.option("--year", type=int, help="The year (opening, the year's amounts, closing).")
@click.option("--period", type=PERIOD_TYPE, help="One month instead of the year.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--unposted", is_flag=True, help="Preview: count drafts and audited vouchers as if posted.")
@pass_context
def trial_balance(
    context: Context, credit_code: str, year: int | None, period: Month | None, as_json: bool, unposted: bool
) -> None:
    """Print the trial balance (科目余额表); detail accounts roll up into their parents."""
    if (year is None) == (period is None):
        raise click.UsageError(render(YEAR_OR_PERIOD, context.lang))
    year, month = period or (year, None)
    assert year is not None  # one of the two was given
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        balance = ledger.trial_balance(session, cooperative, year, month, include_unposted=unposted)
    if as_json:
        click.echo(json.dumps(balance_json(balance), ensure_ascii=False, indent=2))
    else:
        print_balance(balance, context.lang)


@ledger_group.command()
@coop_option
@click.option("--account", required=True, help="Account code (its detail accounts included).")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--month", type=click.IntRange(1, 12), help="Only this month.")
@click.option("--member", help="Only this member's lines (accounts kept per member).")
@pass_context
def detail(context: Context, credit_code: str, account: str, year: int, month: int | None, member: str | None) -> None:
    """Print an account's detail ledger (明细账) with the running balance."""
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        book = ledger.detail_ledger(session, cooperative, account, year, member=member, month=month)
    print_ledger(book, context.lang, journal=False)


@ledger_group.command()
@coop_option
@click.option("--account", default="102", show_default=True, help="101 cash or 102 bank (or 109).")
@click.option("--year", type=int, required=True, help="Fiscal year.")
@click.option("--month", type=click.IntRange(1, 12), help="Only this month.")
@pass_context
def journal(context: Context, credit_code: str, account: str, year: int, month: int | None) -> None:
    """Print the cash or bank journal (日记账) with counter accounts."""
    with context.transaction() as session:
        book = ledger.journal(session, cooperative_by_code(session, credit_code), account, year, month=month)
    print_ledger(book, context.lang, journal=True)
