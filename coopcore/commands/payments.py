"""`coop payments …`: payment runs (付款批次) chosen, exported for the bank or in cash, sent, settled, cancelled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.commands.base import CREDIT_CODE, DAY, Context, pass_context
from coopcore.errors import InvalidValue, NotFound, Term
from coopcore.i18n import Lang, format_money, render
from coopcore.labels import label
from coopcore.models import Cooperative, PaymentRun
from coopcore.money import ZERO
from coopcore.rules.transfers import transfers
from coopcore.services import payouts
from coopcore.services.lookups import cooperative_by_code
from coopcore.services.payees import payees_not_ready
from coopcore.terms import PayoutChannel, PayoutResult

CHOSEN = "Payment run {number} is chosen: {count} transfers ({lines} lines), {total}."
# Not a refusal: the details were typed, only not yet compared with the card; the bank returns a wrong number.
UNCHECKED = (
    "Not checked against the card or bank book yet: {members}. Check them before the file goes to the bank "
    "(coop members payee … --checked-on)."
)
NOT_A_RETURN = "{value} is not a returned transfer: write it as 3=账号不存在 (序号 in the file = the bank's reason)."


@click.group("payments")
def payments_group() -> None:
    """Payment runs (付款批次): pay households what the cooperative owes them, by bank batch or in cash; the
    files are written by `coop report payment-run`."""


coop_option = click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
number_argument = click.argument("number", type=int)


def find_run(session: Session, credit_code: str, number: int) -> PaymentRun:
    """The cooperative's payment run of that number, or NotFound."""
    cooperative = cooperative_by_code(session, credit_code)
    run = session.scalar(
        select(PaymentRun).where(PaymentRun.cooperative_id == cooperative.id, PaymentRun.number == number)
    )
    if run is None:
        raise NotFound(what=Term("Payment run"), key=number)
    return run


def _codes(text: str | None) -> list[str] | None:
    return [code.strip() for code in text.replace("，", ",").split(",") if code.strip()] if text else None


@payments_group.command()
@coop_option
@click.option(
    "--kinds",
    required=True,
    help="What to pay, comma-separated: returns, residual, rent, produce, or their names (盈余返还, …).",
)
@click.option("--channel", type=click.Choice([c.value for c in PayoutChannel]), required=True,
              help="bank: a bank batch file (代发); cash: a list signed at the office.")  # fmt: skip
@click.option("--purpose", required=True, help="Purpose (用途) as the bank file carries it, e.g. 2024年分红.")
@click.option("--members", help="Only these members, comma-separated codes (default: all).")
@click.option("--on", "made_on", type=DAY, help="Day the run is chosen (default: today).")
@pass_context
def choose(context: Context, credit_code: str, kinds: str, channel: str, purpose: str, members: str | None,
           made_on: dt.date | None) -> None:  # fmt: skip
    """Choose what to pay into a new payment run, freezing each household's payee details."""
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        run = payouts.choose_run(session, cooperative, made_on=made_on or dt.date.today(), channel=channel,
                                 purpose=purpose, kinds=kinds.replace("，", ",").replace("、", ",").split(","),
                                 member_codes=_codes(members))  # fmt: skip
        _print_run(run, context.lang)
        context.say(CHOSEN, number=run.number, count=len(transfers(run.lines)), lines=len(run.lines),
                    total=format_money(_total(run), context.lang))  # fmt: skip
        if run.channel is PayoutChannel.BANK:
            unchecked = payees_not_ready(session, cooperative, member_ids={line.member_id for line in run.lines})
            if unchecked:
                context.say(UNCHECKED, members="、".join(f"{payee.code} {payee.name}" for payee in unchecked))


@payments_group.command("list")
@coop_option
@pass_context
def list_runs(context: Context, credit_code: str) -> None:
    """List the cooperative's payment runs."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        runs = session.scalars(select(PaymentRun).where(PaymentRun.cooperative_id == cooperative.id)
                               .order_by(PaymentRun.number)).all()  # fmt: skip
        table = Table(title=render("Payment runs of {cooperative}", lang, cooperative=cooperative.name))
        for header in ("Run", "Chosen on", "Channel", "Purpose", "State", "Transfers", "Amount", "Paid"):
            numeric = header in ("Transfers", "Amount", "Paid")
            table.add_column(render(header, lang), justify="right" if numeric else "left")
        for run in runs:
            table.add_row(str(run.number), run.made_on.isoformat(), label(run.channel, lang), run.purpose,
                          label(run.state, lang), str(len(transfers(run.lines))), format_money(_total(run), lang),
                          format_money(_total(run, PayoutResult.PAID), lang))  # fmt: skip
        Console(width=160).print(table)


@payments_group.command()
@coop_option
@number_argument
@pass_context
def show(context: Context, credit_code: str, number: int) -> None:
    """Show a payment run transfer by transfer, numbered as in its file (序号): payee, amount, the lines it pays,
    and the bank's result."""
    with context.transaction() as session:
        _print_run(find_run(session, credit_code, number), context.lang)


@payments_group.command()
@coop_option
@number_argument
@click.option("--on", "sent_on", type=DAY, required=True, help="Day the file went to the bank.")
@pass_context
def sent(context: Context, credit_code: str, number: int, sent_on: dt.date) -> None:
    """Record that a bank run's file went to the bank."""
    with context.transaction() as session:
        payouts.mark_sent(session, find_run(session, credit_code, number), sent_on)
        context.say("Payment run {number} is sent to the bank.", number=number)


@payments_group.command()
@coop_option
@number_argument
@click.option("--on", "settled_on", type=DAY, required=True, help="Day of the bank's result (the voucher's date).")
@click.option("--returned", multiple=True, metavar="NO=REASON",
              help="A transfer the bank returned, by its 序号 in the file, as 3=账号不存在 (repeatable): all its lines "
                   "stay owed; every other transfer was paid.")  # fmt: skip
@pass_context
def settle(context: Context, credit_code: str, number: int, settled_on: dt.date, returned: tuple[str, ...]) -> None:
    """Record the bank's result: paid transfers are booked in one voucher, returned transfers stay owed."""
    with context.transaction() as session:
        run = find_run(session, credit_code, number)
        payouts.settle_run(session, run, settled_on=settled_on, returned=read_returned(returned))
        context.say("Payment run {number} is settled: {paid} paid, {returned} returned and still owed.",
                    number=number, paid=format_money(_total(run, PayoutResult.PAID), context.lang),
                    returned=format_money(_total(run, PayoutResult.RETURNED), context.lang))  # fmt: skip


@payments_group.command()
@coop_option
@number_argument
@pass_context
def cancel(context: Context, credit_code: str, number: int) -> None:
    """Cancel a payment run that was not settled: its lines are free for another run."""
    with context.transaction() as session:
        payouts.cancel_run(session, find_run(session, credit_code, number))
        context.say("Payment run {number} is cancelled.", number=number)


def read_returned(written: tuple[str, ...]) -> dict[int, str]:
    """Returned transfers as typed, 3=账号不存在 (full-width ＝ too), by their 序号 in the file."""
    found: dict[int, str] = {}
    for text in written:
        line, separator, reason = text.replace("＝", "=").partition("=")
        if not separator or not line.strip().isdigit():
            raise InvalidValue(NOT_A_RETURN, value=text)
        found[int(line.strip())] = reason.strip()
    return found


def _total(run: PaymentRun, result: PayoutResult | None = None) -> Decimal:
    return sum((line.amount for line in run.lines if result is None or line.result is result), ZERO)


def _print_run(run: PaymentRun, lang: Lang) -> None:
    """The run's transfers, each with its lines beneath its 序号 and its amount (the file's row) and result."""
    cooperative: Cooperative = run.cooperative
    title = render("Payment run {number} of {cooperative}: {purpose} ({channel}, {state})", lang, number=run.number,
                   cooperative=cooperative.name, purpose=run.purpose, channel=label(run.channel, lang),
                   state=label(run.state, lang))  # fmt: skip
    table = Table(title=title)
    for header in ("Transfer no.", "Member code", "Payee", "Account number", "Bank", "Transfer amount", "Pays",
                   "Account", "Amount", "Result"):  # fmt: skip
        table.add_column(render(header, lang), justify="right" if header.endswith("mount") else "left")
    for transfer in transfers(run.lines):
        result = label(transfer.result, lang) + (f"：{transfer.return_reason}" if transfer.return_reason else "")
        for index, line in enumerate(transfer.lines):
            payee = (str(transfer.number), line.member.code, transfer.payee_name, transfer.payee_account,
                     transfer.payee_bank, format_money(transfer.amount, lang))  # fmt: skip
            table.add_row(*(payee if index == 0 else ("",) * len(payee)), label(line.kind, lang), line.account,
                          format_money(line.amount, lang), result if index == 0 else "",
                          end_section=index == len(transfer.lines) - 1)  # fmt: skip
    table.add_row(render("Total", lang), "", "", "", "", format_money(_total(run), lang), "", "",
                  format_money(_total(run), lang), "")  # fmt: skip
    Console(width=200).print(table)
