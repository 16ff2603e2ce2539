"""`coop members …`: print a member account or statement and what members are owed, set and list where households
are paid, record an exit application, pay a leaver out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from coopcore.commands import owed_tables
from coopcore.commands.base import CREDIT_CODE, DAY, Context, pass_context
from coopcore.commands.distribution import F
from coopcore.errors import Term
from coopcore.i18n import Lang, format_money, render
from coopcore.models import Cooperative, Member
from coopcore.services import exits, payees
from coopcore.services.ledger import chart_accounts
from coopcore.services.ledger.owed import OWED_ACCOUNTS, member_statement, owed_on
from coopcore.services.lookups import cooperative_by_code, member_by_code
from coopcore.services.member_account import HISTORY_NOTE, UNPOSTED_PAYMENTS, Amounts, member_account
from coopcore.validation.bank_account import mask_account

COLUMNS = ("poverty_contribution", "other_contribution", "provident_share", "subsidy_share", "donation_share",
           "patronage_return", "residual_distribution")  # fmt: skip


@click.group("members")
def members_group() -> None:
    """Members: accounts (成员账户), statements (对账单), what they are owed, where they are paid (收款账户), and exits
    (退社)."""


def _member(session: Session, credit_code: str, code: str) -> Member:
    return member_by_code(session, cooperative_by_code(session, credit_code), code)


MEMBER_OPTIONS = [
    click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative."),
    click.option("--member", "code", required=True, help="Member code."),
]


def _with_member(function: F) -> F:
    for option in reversed(MEMBER_OPTIONS):
        function = option(function)
    return function


@members_group.command()
@_with_member
@click.option("--year", type=int, required=True, help="Fiscal year.")
@pass_context
def account(context: Context, credit_code: str, code: str, year: int) -> None:
    """Print a member's account for a year in the columns of the official form."""
    lang = context.lang
    with context.transaction() as session:
        member = _member(session, credit_code, code)
        statement = member_account(session, member, year)
        names = _account_names(session, member.cooperative, lang)
        title = render("Member account of {member} ({code}), {year}", lang, member=statement.member.name,
                       code=statement.member.code, year=year)  # fmt: skip
        table = Table(title=title)
        for header in ("No.", "Date", "Memo", *COLUMNS, "Product", "Quantity", "Transaction amount"):
            table.add_column(
                render(header, lang), justify="left" if header in ("No.", "Date", "Memo", "Product") else "right"
            )
        table.add_row("", "", render("Opening balance", lang), *_money(statement.opening, lang), "", "", "")
        for row in statement.rows:
            trade = (
                (row.product or "", f"{row.quantity.normalize():f}", format_money(row.trade_amount, lang))
                if row.product
                else ("", "", "")
            )
            table.add_row(
                str(row.number), row.day.isoformat(), row.describe(lang), *_money(row.amounts, lang, blank_zero=True),
                *trade,
            )  # fmt: skip
        for product in statement.products:
            table.add_row("", "", render("Year total", lang), *([""] * len(COLUMNS)), product,
                          f"{statement.quantity_by_product[product].normalize():f}",
                          format_money(statement.amount_by_product[product], lang))  # fmt: skip
        table.add_row("", "", render("Closing balance", lang), *_money(statement.closing, lang), "", "", "")
        console = Console(width=220)
        console.print(table)
        console.print(render(HISTORY_NOTE, lang))
        on = statement.owed_on.isoformat() if statement.owed_on else ""
        console.print(owed_tables.accounts_table(statement.owed, names, lang,
                                                 render("Still owed on {day}", lang, day=on)))  # fmt: skip
        if statement.unposted_payments:
            console.print(render(UNPOSTED_PAYMENTS, lang))


@members_group.command()
@_with_member
@click.option("--from", "first_on", type=DAY, required=True, help="First day of the statement.")
@click.option("--to", "last_on", type=DAY, required=True, help="Last day of the statement.")
@owed_tables.reading_options
@pass_context
def statement(
    context: Context,
    credit_code: str,
    code: str,
    first_on: dt.date,
    last_on: dt.date,
    unposted: bool,
    posted_only: bool,
) -> None:
    """Print a household's statement (对账单) of 114, 221 and 222: what it was credited, charged and paid."""
    if first_on > last_on:
        context.fail("The statement's first day {first} is after its last day {last}.", first=first_on.isoformat(),
                     last=last_on.isoformat())  # fmt: skip
    read = owed_tables.reading(context, unposted, posted_only)
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        found = member_statement(session, cooperative, member_by_code(session, cooperative, code), first_on,
                                 last_on, include_unposted=read.include_unposted,
                                 as_they_stand=read.as_they_stand)  # fmt: skip
        owed_tables.print_statement(found, _account_names(session, cooperative, context.lang), context.lang,
                                    read=read)  # fmt: skip


@members_group.command()
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.option("--on", "on", type=DAY, required=True, help="Day to read the balances at (end of day).")
@owed_tables.reading_options
@pass_context
def owed(context: Context, credit_code: str, on: dt.date, unposted: bool, posted_only: bool) -> None:
    """List what the cooperative owes each member on 114, 221 and 222 at a date, and in total (Art. 55)."""
    read = owed_tables.reading(context, unposted, posted_only)
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        found = owed_on(session, cooperative, on, include_unposted=read.include_unposted,
                        as_they_stand=read.as_they_stand)  # fmt: skip
        owed_tables.print_owed(found, _account_names(session, cooperative, context.lang), context.lang,
                               read=read)  # fmt: skip


def _account_names(session: Session, cooperative: Cooperative, lang: Lang) -> dict[str, str]:
    accounts = chart_accounts(session, cooperative)
    return {code: (accounts[code].name if lang == "zh" else accounts[code].name_en) for code in OWED_ACCOUNTS}


def _money(amounts: Amounts, lang: Lang, *, blank_zero: bool = False) -> list[str]:
    values: list[Decimal] = [getattr(amounts, name) for name in COLUMNS]
    return ["" if blank_zero and not value else format_money(value, lang) for value in values]


@members_group.command()
@_with_member
@click.option("--bank", required=True, help="Bank and branch of the account (开户行).")
@click.option("--account", required=True, help="Card or account number (账号); spaces are allowed.")
@click.option("--name", "holder", required=True, help="Name the account is in (户名).")
@click.option("--checked-on", type=DAY, help="Day the details were checked against the card or bank book.")
@click.option(
    "--card/--passbook",
    default=None,
    help="A bank card (its check digit is checked) or a passbook (存折) or 一卡通 account; unsaid, a number starting "
    "with 62 is a card.",
)
@pass_context
def payee(
    context: Context,
    credit_code: str,
    code: str,
    bank: str,
    account: str,
    holder: str,
    checked_on: dt.date | None,
    card: bool | None,
) -> None:
    """Set where a household is paid: bank, card or account number and holder; warn if the holder is not its head."""
    with context.transaction() as session:
        member = _member(session, credit_code, code)
        warnings = payees.set_payee(session, member, bank=bank, account=account, name=holder, checked_on=checked_on,
                                    card=card)  # fmt: skip
        shown = mask_account(member.payee_account)
        context.say("Payee of {code} saved: {account} at {bank}, in the name of {holder}.", code=code, account=shown,
                    bank=member.payee_bank, holder=member.payee_name)  # fmt: skip
        if member.payee_checked_on is None:
            context.say("Not checked yet: check the card or bank book and give --checked-on.")
        for warning in warnings:
            context.say("Warning: {message}", message=warning.message(context.lang))


@members_group.command("payees")
@click.option("--coop", "credit_code", required=True, type=CREDIT_CODE, help="The cooperative.")
@click.option("--not-ready", is_flag=True, help="Only members whose payee details are missing or not checked.")
@pass_context
def list_payees(context: Context, credit_code: str, not_ready: bool) -> None:
    """List where each member is paid: bank, masked account number, holder, checked or not, and warnings."""
    lang = context.lang
    with context.transaction() as session:
        cooperative = cooperative_by_code(session, credit_code)
        found = (payees.payees_not_ready if not_ready else payees.payees)(session, cooperative)
        title = render("Where the members of {cooperative} are paid", lang, cooperative=cooperative.name)
    table = Table(title=title)
    for header in ("Member code", "Member name", "Bank (branch)", "Card or account number", "Account holder",
                   "Payee checked on", "Warning"):  # fmt: skip
        table.add_column(render(header, lang))
    for row in found:
        checked = row.checked_on.isoformat() if row.checked_on else render("Not checked", lang)
        notes = [warning.message(lang) for warning in row.warnings]
        if row.is_missing:
            checked, notes = "", [render("No payee details", lang)]
        table.add_row(row.code, row.name, row.bank or "", row.masked_account, row.holder or "", checked,
                      "\n".join(notes))  # fmt: skip
    Console(width=200).print(table)
    missing = sum(row.is_missing for row in found)
    unchecked = sum(not row.is_missing and not row.is_checked for row in found)
    context.say("{missing} without payee details, {unchecked} not checked.", missing=missing, unchecked=unchecked)


@members_group.command("exit")
@_with_member
@click.option("--on", "applied_on", type=DAY, required=True, help="Day of the written application.")
@pass_context
def apply_exit(context: Context, credit_code: str, code: str, applied_on: dt.date) -> None:
    """Record a member's exit application and show the settlement it will bring (Art. 25, 28)."""
    with context.transaction() as session:
        member = _member(session, credit_code, code)
        effective = exits.apply_exit(session, member, applied_on)
        _print_settlement(context, exits.compute_settlement(session, member))
        context.say("Membership of {code} ends on {day}.", code=code, day=effective.isoformat())


@members_group.command()
@_with_member
@click.option("--on", "paid_on", type=DAY, required=True, help="Day the refund is paid.")
@pass_context
def settle(context: Context, credit_code: str, code: str, paid_on: dt.date) -> None:
    """Pay a leaver's contribution and provident share back once their last year is posted."""
    with context.transaction() as session:
        _print_settlement(context, exits.pay_out(session, _member(session, credit_code, code), paid_on))


def _print_settlement(context: Context, result: exits.ExitSettlement) -> None:
    settlement = result.settlement
    context.say(
        "{kind}: contribution {contribution} + provident share {provident} − share of losses {loss} = refund {refund}.",
        kind=Term("Final settlement" if result.is_final else "Estimated settlement"),
        contribution=format_money(settlement.contribution, context.lang),
        provident=format_money(settlement.provident_share, context.lang),
        loss=format_money(settlement.loss_share, context.lang),
        refund=format_money(settlement.refund, context.lang),
    )
    context.say("Subsidy and donation shares are not refunded; they pass to the remaining members (SD-22).")
