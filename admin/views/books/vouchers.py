# mypy: allow-subclassing-any, allow-untyped-decorators
"""The voucher list (凭证) with its filters, one voucher's page, and the steps a voucher takes by button:
audit (审核), send back (取消审核), post (记账), reverse (红字冲销) and delete, one voucher or the ones ticked.

Readers see the list and the vouchers; only those who keep the books press the buttons. The service decides what
each step allows (the preparer auditing their own, a closed month, an event voucher); its refusal is shown in
the reader's language and the whole request is rolled back: of several vouchers ticked, none changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import abort, request, url_for
from flask_admin import expose
from flask_admin.helpers import is_safe_url
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin import keyset
from admin.database import current_session
from admin.i18n import _
from admin.labels import enum_choices
from admin.views.books.common import BooksPage, acting_user, page_choice, voucher_in_reach
from admin.views.books.entry import editable
from coopcore.errors import InvalidValue
from coopcore.i18n.capitals import amount_in_capitals
from coopcore.models import Account, Cooperative, Member, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.money import ZERO
from coopcore.services import ledger

PAGE_SIZE = 100
# Each step: what it does to one voucher, and what it says when done (coopcore's ledger.po has the sentences).
Step = Callable[[Session, Voucher, str], object]
STEPS: dict[str, tuple[Step, str]] = {
    "audit": (
        lambda session, voucher, by: ledger.audit_voucher(session, voucher, by=by),
        "Voucher {voucher} is audited.",
    ),
    "unaudit": (
        lambda session, voucher, by: ledger.unaudit_voucher(session, voucher, by=by),
        "Voucher {voucher} is back to draft.",
    ),
    "post": (lambda session, voucher, by: ledger.post_voucher(session, voucher, by=by), "Voucher {voucher} is posted."),
    "delete": (
        lambda session, voucher, by: ledger.delete_voucher(session, voucher),
        "Voucher {voucher} is deleted; the later numbers of its month closed up.",
    ),
}
MASS_STEPS = ("audit", "post")


def voucher_filters() -> dict[str, Any]:
    """The list's state and origin filters from the query (404 for a value that is none of them)."""
    chosen: dict[str, Any] = {}
    for name, kind in (("state", VoucherState), ("origin", VoucherOrigin)):
        value = request.args.get(name) or None
        if value is not None:
            try:
                chosen[name] = kind(value)
            except ValueError:
                abort(404)
    return chosen


def amounts(session: Session, ids: list[int]) -> dict[int, Decimal]:
    """Each voucher's amount: the sum of its debits (equal to its credits once it balances)."""
    if not ids:
        return {}
    query = select(VoucherLine.voucher_id, func.sum(VoucherLine.debit)).where(VoucherLine.voucher_id.in_(ids))
    return {voucher_id: total or ZERO for voucher_id, total in session.execute(query.group_by(VoucherLine.voucher_id))}


def reversed_ids(session: Session, ids: list[int]) -> set[int]:
    """The vouchers among these that a red reversal already names."""
    if not ids:
        return set()
    return set(session.scalars(select(Voucher.reverses_id).where(Voucher.reverses_id.in_(ids))))


class VoucherListPage(BooksPage):
    """Everyone who reads the cooperative sees its vouchers; accountants and administrators press the buttons."""

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        choice = page_choice()
        filters = voucher_filters()
        query = select(Voucher).where(Voucher.cooperative_id == choice.cooperative.id, Voucher.year == choice.year)
        if choice.month is not None:
            query = query.where(Voucher.month == choice.month)
        for name, value in filters.items():
            query = query.where(getattr(Voucher, name) == value)
        count = keyset.Count(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
        # Pages by key (admin.keyset): a big cooperative's year of vouchers is as quick at its end as at its start.
        dialect = session.get_bind().dialect.name
        key = keyset.sort_key([(Voucher.month, False), (Voucher.number, False)], Voucher.id, dialect)
        number = request.args.get("page", type=int) or 1  # from 1 in the links; negative: from the end
        try:
            seek = keyset.read_seek(request.args, key, number - 1 if number > 0 else number)
        except ValueError:
            abort(404)

        def select_page(order: list[Any], beyond: Any, offset: int, limit: int) -> list[Voucher]:
            page_query = query if beyond is None else query.where(beyond)
            return list(session.scalars(page_query.order_by(*order).offset(offset or None).limit(limit or None)))

        window = keyset.read_window(select_page, key, seek, count, PAGE_SIZE)
        vouchers = window.rows
        listed: dict[str, Any] = {"cooperative": choice.cooperative.id, "year": choice.year, "month": choice.month}

        def url(page: int | None, seek_args: dict[str, str]) -> str:
            shown = None if page is None else page + 1 if page >= 0 else page
            return url_for(".index", **{**listed, **filters, "page": shown, **seek_args})

        pager = keyset.pager(window, key, key.of, count, PAGE_SIZE, url, list(request.args.items(multi=True)))
        ids = [voucher.id for voucher in vouchers]
        return self.render(
            "coop/books/vouchers.html",
            choice=choice,
            filters={name: value.value for name, value in filters.items()},
            states=enum_choices(VoucherState),
            origins=enum_choices(VoucherOrigin),
            vouchers=vouchers,
            amounts=amounts(session, ids),
            reversed=reversed_ids(session, ids),
            count=count.rows,
            pager=pager,
            may_write=self.may_write(),
            editable=editable,
            voucher_name=ledger.voucher_name,
            today=dt.date.today().isoformat(),
            single_person=choice.cooperative.ledger_single_person,
        )

    @expose("/show")
    def show(self) -> Any:
        """One voucher as printed: its lines with their accounts and members, totals in figures and in words."""
        session = current_session()
        voucher = voucher_in_reach(request.args.get("id"))
        cooperative = session.get_one(Cooperative, voucher.cooperative_id)
        lines = session.execute(
            select(VoucherLine, Account.code, Account.name, Member.code, Member.name)
            .join(Account, Account.id == VoucherLine.account_id)
            .outerjoin(Member, Member.id == VoucherLine.member_id)
            .where(VoucherLine.voucher_id == voucher.id)
            .order_by(VoucherLine.line_no)
        ).all()
        debit = sum((row[0].debit for row in lines), ZERO)
        credit = sum((row[0].credit for row in lines), ZERO)
        reversal = session.scalar(select(Voucher).where(Voucher.reverses_id == voucher.id))
        reverses = session.get(Voucher, voucher.reverses_id) if voucher.reverses_id else None
        return self.render(
            "coop/books/voucher.html",
            cooperative=cooperative,
            voucher=voucher,
            lines=lines,
            debit=debit,
            credit=credit,
            in_words=amount_in_capitals(debit) if debit == credit else "",
            reversal=reversal,
            reverses=reverses,
            reversed={voucher.id} if reversal is not None else set(),
            may_write=self.may_write(),
            editable=editable,
            voucher_name=ledger.voucher_name,
            today=dt.date.today().isoformat(),
        )

    def _back(self, cooperative_id: int) -> str:
        """Where a step's form came from (a list with its filters, a voucher's page), else the list."""
        back = request.form.get("back", "")
        if back and is_safe_url(back) and back.startswith("/"):
            return back
        return url_for(".index", cooperative=cooperative_id)

    @expose("/step", methods=("POST",))
    def step(self) -> Any:
        """One step of one voucher (the buttons on its row or its page)."""
        self.require_write()
        action = request.form.get("action", "")
        if action not in STEPS:
            abort(404)
        voucher = voucher_in_reach(request.form.get("id"))
        run, done = STEPS[action]
        named = ledger.voucher_name(voucher)

        def step(session: Session) -> str:
            run(session, voucher, acting_user())
            return _(done, voucher=named)

        return self.run_step(step, self._back(voucher.cooperative_id))

    @expose("/reverse", methods=("POST",))
    def reverse(self) -> Any:
        """Correct a posted voucher by a red reversal dated as the form says."""
        self.require_write()
        voucher = voucher_in_reach(request.form.get("id"))
        text = request.form.get("on", "")

        def step(session: Session) -> str:
            try:
                on = dt.date.fromisoformat(text.strip())
            except ValueError:
                raise InvalidValue(value=text) from None
            reversal = ledger.reverse_voucher(session, voucher, on=on, by=acting_user())
            return _(
                "Voucher {voucher} is reversed by the posted red voucher {reversal}.",
                voucher=ledger.voucher_name(voucher),
                reversal=ledger.voucher_name(reversal),
            )

        return self.run_step(step, self._back(voucher.cooperative_id))

    @expose("/mass", methods=("POST",))
    def mass(self) -> Any:
        """Audit or post every voucher ticked, in number order; one refusal and none of them changes."""
        self.require_write()
        action = request.form.get("action", "")
        if action not in MASS_STEPS:
            abort(404)
        vouchers = [voucher_in_reach(key) for key in dict.fromkeys(request.form.getlist("ids"))]
        if not vouchers:
            abort(400)
        vouchers.sort(key=lambda voucher: (voucher.year, voucher.month, voucher.number))
        run, _done = STEPS[action]

        def step(session: Session) -> str:
            for voucher in vouchers:
                run(session, voucher, acting_user())
            if action == "audit":
                return _("{count} vouchers are audited.", count=len(vouchers))
            return _("{count} vouchers are posted.", count=len(vouchers))

        return self.run_step(step, self._back(vouchers[0].cooperative_id))
