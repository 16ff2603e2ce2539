"""How `coop members statement` and `coop members owed` show what each household is owed (issue #17)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import click
from rich.console import Console
from rich.table import Table

from coopcore.commands.base import Context
from coopcore.i18n import Lang, format_money, render
from coopcore.labels import label
from coopcore.money import ZERO
from coopcore.services.ledger.owed import OWED_ACCOUNTS, MemberStatement, Owed, OwedToMembers, Reading
from coopcore.terms import OwedMovement

MOVEMENTS = tuple(OwedMovement)  # the statement's amount columns, in this order: 应得, 应扣, 已付
SIGN_NOTE = "Positive: owed to the household; negative: the household owes the cooperative."
Command = TypeVar("Command", bound=Callable[..., object])


def reading_options(command: Command) -> Command:
    """The options choosing a Reading: `--unposted` and `--posted-only`."""
    command = click.option("--posted-only", is_flag=True,
                           help="Count posted vouchers only, as the trial balance does.")(command)  # fmt: skip
    return click.option("--unposted", is_flag=True,
                        help="Preview: count drafts and audited vouchers as if posted.")(command)  # fmt: skip


def reading(context: Context, unposted: bool, posted_only: bool) -> Reading:
    """The Reading the options ask for; both at once contradict each other."""
    if unposted and posted_only:
        context.fail("--unposted and --posted-only cannot be used together.")
    return Reading(include_unposted=unposted, posted_only=posted_only)


def print_statement(statement: MemberStatement, names: dict[str, str], lang: Lang, *, read: Reading) -> None:
    """对账单: the opening, each line with the balance after it, the period's totals, the closing, then per account."""
    title = render(
        "Statement of {member} ({code}), {first} to {last}",
        lang,
        member=statement.name,
        code=statement.code,
        first=statement.first_on.isoformat(),
        last=statement.last_on.isoformat(),
    )
    shown = Table(title=title)
    for header in ("Date", "Voucher", "Summary", "Account"):
        shown.add_column(render(header, lang))
    for movement in MOVEMENTS:
        shown.add_column(label(movement, lang), justify="right")
    shown.add_column(render("Owed balance", lang), justify="right")
    total = statement.total
    balance = total.opening
    shown.add_row("", "", render("opening balance", lang), "", "", "", "", _money(balance, lang))
    for line in statement.lines:
        balance += line.change
        amounts = [_money(line.amount, lang) if line.movement is movement else "" for movement in MOVEMENTS]
        account = f"{line.account} {names.get(line.account, '')}".strip()
        shown.add_row(line.day.isoformat(), line.voucher, line.summary, account, *amounts, _money(balance, lang))
    shown.add_row("", "", render("Period total", lang), "", *_columns(total, lang), "")
    shown.add_row("", "", render("Closing owed", lang), "", "", "", "", _money(total.closing, lang))
    console = Console(width=180)
    console.print(shown)
    console.print(accounts_table(statement.accounts, names, lang))
    console.print(_owed_sentence(statement.name, statement.last_on.isoformat(), total.closing, lang))
    console.print(render(SIGN_NOTE, lang))
    if read.note:
        console.print(render(read.note, lang))


def accounts_table(accounts: dict[str, Owed], names: dict[str, str], lang: Lang, title: str = "") -> Table:
    """Each account's opening, credits, debits, payments and closing owed, and their total."""
    by_account = Table(title=title or None)
    for header in ("Account", "Opening owed"):
        by_account.add_column(render(header, lang), justify="left" if header == "Account" else "right")
    for movement in MOVEMENTS:
        by_account.add_column(label(movement, lang), justify="right")
    by_account.add_column(render("Closing owed", lang), justify="right")
    total = Owed()
    for code in OWED_ACCOUNTS:
        owed = accounts[code]
        total = total.plus(owed)
        by_account.add_row(f"{code} {names.get(code, '')}".strip(), _money(owed.opening, lang), *_columns(owed, lang),
                           _money(owed.closing, lang))  # fmt: skip
    by_account.add_row(render("Total", lang), _money(total.opening, lang), *_columns(total, lang),
                       _money(total.closing, lang))  # fmt: skip
    return by_account


def print_owed(owed: OwedToMembers, names: dict[str, str], lang: Lang, *, read: Reading) -> None:
    """Each household's balances on 114, 221 and 222 at a date, their totals, and the total owed to members."""
    shown = Table(title=render("What the cooperative owes its members on {day}", lang, day=owed.on.isoformat()))
    shown.add_column(render("Member code", lang))
    shown.add_column(render("Member name", lang))
    for code in OWED_ACCOUNTS:
        shown.add_column(f"{code} {names.get(code, '')}".strip(), justify="right")
    shown.add_column(render("Total", lang), justify="right")
    for member in owed.members:
        amounts = (_money(member.balances[code], lang) for code in OWED_ACCOUNTS)
        shown.add_row(member.code, member.name, *amounts, _money(member.total, lang))
    net = sum(owed.by_account.values(), ZERO)
    shown.add_row(render("Total", lang), "", *(_money(owed.by_account[code], lang) for code in OWED_ACCOUNTS),
                  _money(net, lang))  # fmt: skip
    console = Console(width=180)
    console.print(shown)
    console.print(render("Owed to members in total (credit balances, not netted with what members owe; Art. 55): "
                         "{amount}", lang, amount=format_money(owed.owed_to_members, lang)))  # fmt: skip
    console.print(render("Owed by members in total: {amount}", lang, amount=format_money(owed.owed_by_members, lang)))
    console.print(render(SIGN_NOTE, lang))
    if read.note:
        console.print(render(read.note, lang))


def _owed_sentence(member: str, day: str, closing: Decimal, lang: Lang) -> str:
    if closing > 0:
        return render("On {day} the cooperative owes {member} {amount}.", lang, day=day, member=member,
                      amount=format_money(closing, lang))  # fmt: skip
    if closing < 0:
        return render("On {day} {member} owes the cooperative {amount}.", lang, day=day, member=member,
                      amount=format_money(-closing, lang))  # fmt: skip
    return render("On {day} nothing is owed either way.", lang, day=day)


def _columns(owed: Owed, lang: Lang) -> list[str]:
    return [_money(owed.credits, lang), _money(owed.debits, lang), _money(owed.payments, lang)]


def _money(amount: Decimal, lang: Lang) -> str:
    return format_money(amount, lang)
