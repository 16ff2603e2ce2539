# mypy: allow-subclassing-any, allow-untyped-decorators
"""What the books' pages share: the cooperative, year and month a page is about, the voucher a form names, who acts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from flask import abort, request
from flask_login import current_user
from sqlalchemy import func, select

from admin.access import Area, current_scope
from admin.database import current_session, database
from admin.pinyin import spellings
from admin.views.base import CoopPage
from admin.views.distribution import chosen_cooperative, scoped_cooperative
from admin.views.reports import reports_available
from coopcore.models import Account, Cooperative, Member, Voucher
from coopcore.services import ledger

FIRST_YEAR, LAST_YEAR = 1990, 2200


@dataclass(frozen=True)
class Choice:
    """The cooperative, year and (optional) month a books page shows, and the cooperatives to choose from."""

    cooperatives: Sequence[Cooperative]
    cooperative: Cooperative
    year: int
    month: int | None


def books_year(cooperative_id: int) -> int:
    """The latest year the cooperative has vouchers in, or this year."""
    year = current_session().scalar(select(func.max(Voucher.year)).where(Voucher.cooperative_id == cooperative_id))
    return year or dt.date.today().year


def month_arg(value: Any) -> int | None:
    """A month of a query or form (1–12), None for none; 404 for anything else."""
    if value in (None, ""):
        return None
    text = str(value)
    if not text.isdigit() or not 1 <= int(text) <= 12:
        abort(404)
    return int(text)


def year_arg(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    text = str(value)
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        abort(404)
    return int(text)


def page_choice(*, month_default: bool = False) -> Choice:
    """The page's ?cooperative=, ?year= and ?month= (the user's first cooperative and its latest books year)."""
    cooperatives, cooperative = chosen_cooperative()
    if cooperative is None:
        abort(404)  # the user has no cooperative to show
    year = year_arg(request.args.get("year"), books_year(cooperative.id))
    month = month_arg(request.args.get("month"))
    if month is None and month_default and "month" not in request.args:
        month = dt.date.today().month if year == dt.date.today().year else 12
    return Choice(cooperatives, cooperative, year, month)


def form_cooperative() -> Cooperative:
    """The cooperative a form names, within the user's reach (404 otherwise)."""
    return scoped_cooperative(request.form.get("cooperative", type=int))


def voucher_in_reach(voucher_id: Any) -> Voucher:
    """A voucher by id, if its cooperative is within the user's reach; 404 otherwise (as a missing one)."""
    try:
        key = int(voucher_id)
    except (TypeError, ValueError):
        abort(404)
    voucher = database().session.get(Voucher, key)
    if voucher is None or not current_scope().has_cooperative(voucher.cooperative_id):
        abort(404)
    return voucher


def acting_user() -> str:
    """Who a voucher records as preparing, auditing or posting: the signed-in user's name."""
    return str(current_user.username)


def account_choices(cooperative: Cooperative) -> list[dict[str, Any]]:
    """The cooperative's accounts for the pickers, in code order: code, name, pinyin initials (every reading of
    its name, so that either reading of a polyphone finds it), whether it takes bookings and its auxiliaries."""
    accounts = ledger.chart_accounts(current_session(), cooperative)
    parents = {account.parent.code for account in accounts.values() if account.parent is not None}
    return [
        {
            "code": code,
            "name": account.name,
            "initials": " ".join(sorted(spellings(account.name))),
            "leaf": code not in parents and account.is_active,
            "member": account.member_detail,
            "poverty": account.poverty_split,
        }
        for code, account in sorted(accounts.items())
    ]


def member_choices(cooperative: Cooperative) -> list[dict[str, str]]:
    """The cooperative's members for the picker: code, name and pinyin initials."""
    rows = current_session().execute(
        select(Member.code, Member.name).where(Member.cooperative_id == cooperative.id).order_by(Member.code)
    )
    return [{"code": code, "name": name, "initials": " ".join(sorted(spellings(name)))} for code, name in rows]


def account_names(cooperative: Cooperative) -> dict[str, Account]:
    """The cooperative's accounts by code, for reading (its chart's if its books were never used)."""
    return ledger.chart_accounts(current_session(), cooperative)


class BooksPage(CoopPage):
    """A page of the books: everyone who reads the cooperative sees it; writers also get its buttons."""

    area: ClassVar[Area] = Area.BOOKS

    @staticmethod
    def may_write() -> bool:
        return current_scope().writes(Area.BOOKS)

    def render(self, template: str, **kwargs: Any) -> Any:
        # The pages link to the printable reports of the same books when the reports are installed.
        return super().render(template, reports_available=reports_available(), **kwargs)


class BooksWriterPage(BooksPage):
    """A page only those who keep the books open (the voucher entry): not in a reader's menu either."""

    def is_accessible(self) -> bool:
        return super().is_accessible() and current_scope().writes(self.area)
