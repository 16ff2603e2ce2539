# mypy: allow-subclassing-any, allow-untyped-decorators
"""The books as the accountant reads them: 科目余额表 (trial balance), 总账 (general ledger), 明细账 (detail
ledger with its running balance, per account and optionally per member) and the cash and bank journals (日记账).

The figures are coopcore.services.ledger's; these pages only choose the cooperative, period, account and member,
and lay the figures out to read and to print. Each page links to the printable report of the same books.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from flask import abort, request
from flask_admin import expose
from sqlalchemy import select

from admin.database import current_session
from admin.i18n import _
from admin.views.books.common import BooksPage, account_names, member_choices, page_choice
from coopcore.models import Member
from coopcore.services import ledger


def direction(balance: Decimal) -> str:
    """借, 贷 or 平: the side of a balance (debit − credit) as a ledger writes it."""
    return _("Debit") if balance > 0 else _("Credit") if balance < 0 else _("Nil")


def preview() -> bool:
    """Whether the page previews the books with the vouchers not yet posted counted as if they were."""
    return request.args.get("unposted") == "1"


class TrialBalancePage(BooksPage):
    """科目余额表 of a year or a month; a preview may count the vouchers not yet posted."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice(month_default=True)
        every = request.args.get("all") == "1"
        balance = ledger.trial_balance(
            current_session(), choice.cooperative, choice.year, choice.month, include_unposted=preview()
        )
        rows = [row for row in balance.rows if every or any(row.columns.amounts())]
        return self.render(
            "coop/books/trial_balance.html", choice=choice, balance=balance, rows=rows, preview=preview(), every=every
        )


class GeneralLedgerPage(BooksPage):
    """总账 of a year: each first-level account's opening, months (本月合计, 本年累计) and year total."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        ledgers = ledger.general_ledger(current_session(), choice.cooperative, choice.year)
        return self.render("coop/books/general_ledger.html", choice=choice, ledgers=ledgers, direction=direction)


class DetailLedgerPage(BooksPage):
    """明细账 of an account (its detail accounts included) in a year or a month, for one member or all."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        accounts = account_names(choice.cooperative)
        code = request.args.get("account") or "101"
        if code not in accounts:
            abort(404)
        account = accounts[code]
        member = (request.args.get("member") or "").strip() or None
        if member is not None and not account.member_detail:
            member = None  # only accounts kept per member are read per member
        book = ledger.detail_ledger(
            current_session(), choice.cooperative, code, choice.year, member, month=choice.month,
            include_unposted=preview(),
        )  # fmt: skip
        return self.render(
            "coop/books/detail_ledger.html",
            choice=choice,
            book=book,
            account=account,
            accounts=sorted(accounts.values(), key=lambda found: found.code),
            members=member_choices(choice.cooperative) if account.member_detail else [],
            member=member,
            member_name=_member_name(choice.cooperative.id, member),
            direction=direction,
            journal=False,
            preview=preview(),
        )


def _member_name(cooperative_id: int, code: str | None) -> str:
    if code is None:
        return ""
    found = current_session().scalar(
        select(Member.name).where(Member.cooperative_id == cooperative_id, Member.code == code)
    )
    return found or ""


class JournalPage(BooksPage):
    """日记账 of cash (101) or bank deposits (102): the detail ledger with each line's counter accounts."""

    account: ClassVar[str] = "101"

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        accounts = account_names(choice.cooperative)
        book = ledger.journal(
            current_session(), choice.cooperative, self.account, choice.year, month=choice.month,
            include_unposted=preview(),
        )  # fmt: skip
        return self.render(
            "coop/books/detail_ledger.html",
            choice=choice,
            book=book,
            account=accounts[self.account],
            accounts=[],
            members=[],
            member=None,
            member_name="",
            direction=direction,
            journal=True,
            preview=preview(),
            names={code: found.name for code, found in accounts.items()},
        )


class CashJournalPage(JournalPage):
    account = "101"


class BankJournalPage(JournalPage):
    account = "102"
