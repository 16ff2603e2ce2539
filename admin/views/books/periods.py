# mypy: allow-subclassing-any, allow-untyped-decorators
"""结账 and 反结账: the months of a year with their state and vouchers, a close button on each open month and a
reopen button on the latest closed one.

Closing a month closes every open month before it, in order, each checked (coopcore.services.ledger.close_period).
When a month cannot close, the months before it that did close stay closed, as `coop ledger close` leaves them,
and the page says which, and why the month stopped; that month itself is left exactly as it was. Where the member
register and the books differ at the end of the last month closed, a warning says so (the months stay closed).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin import errors
from admin.database import current_session
from admin.i18n import _, error_text
from admin.views.books.common import BooksPage, acting_user, form_cooperative, month_arg, page_choice, year_arg
from coopcore.models import Period, Voucher, VoucherState
from coopcore.rules.findings import Finding, Problems
from coopcore.services import ledger
from coopcore.services.ledger.books import is_closed
from coopcore.services.ledger.reconcile import DIFFER_AT_CLOSE


def month_rows(session: Session, cooperative_id: int, year: int) -> list[dict[str, Any]]:
    """Each month of the year: closed or open, when and by whom, and its vouchers by state."""
    periods = {
        period.month: period
        for period in session.scalars(
            select(Period).where(Period.cooperative_id == cooperative_id, Period.year == year)
        )
    }
    counts: dict[tuple[int, VoucherState], int] = {
        (month, state): count
        for month, state, count in session.execute(
            select(Voucher.month, Voucher.state, func.count())
            .where(Voucher.cooperative_id == cooperative_id, Voucher.year == year)
            .group_by(Voucher.month, Voucher.state)
        )
    }
    rows = []
    for month in range(1, 13):
        period = periods.get(month)
        rows.append(
            {
                "month": month,
                "closed": is_closed(session, cooperative_id, year, month),
                "closed_at": period.closed_at if period is not None else None,
                "closed_by": period.closed_by if period is not None else "",
                "counts": {state: counts.get((month, state), 0) for state in VoucherState},
            }
        )
    return rows


def _flash_differences(period: str, differences: list[Finding]) -> None:
    """Where the member register and the books differ after the close: a warning, the months stay closed."""
    if differences:
        flash(_(DIFFER_AT_CLOSE, period=period, problems=Problems(differences)), "warning")


class PeriodsPage(BooksPage):
    """Everyone who reads the cooperative sees its months; accountants and administrators close and reopen."""

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        choice = page_choice()
        latest = ledger.latest_closed(session, choice.cooperative)
        return self.render(
            "coop/books/periods.html",
            choice=choice,
            months=month_rows(session, choice.cooperative.id, choice.year),
            latest=(latest.year, latest.month) if latest is not None else None,
            states=list(VoucherState),
            may_write=self.may_write(),
        )

    def _target(self) -> tuple[Any, int, int, str]:
        self.require_write()
        cooperative = form_cooperative()
        year = year_arg(request.form.get("year"), 0)
        month = month_arg(request.form.get("month"))
        if not year or month is None:
            abort(404)
        return cooperative, year, month, url_for(".index", cooperative=cooperative.id, year=year)

    @expose("/close", methods=("POST",))
    def close(self) -> Any:
        cooperative, year, month, back = self._target()
        errors.return_to(back)
        session = current_session()
        try:
            closed = ledger.close_period(session, cooperative, year, month, by=acting_user())
        except ledger.CloseRefused as refused:
            session.commit()  # the months before it that closed stay closed (its docstring); it is as it was
            if refused.closed:
                flash(_("Closed before it stopped: {periods}.", periods=", ".join(refused.closed)), "success")
                _flash_differences(refused.closed[-1], refused.differences)
            flash(error_text(refused), "error")
            return redirect(back)
        session.commit()
        names = [ledger.period_name(*done) for done in closed.months]
        flash(_("Closed: {periods}.", periods=", ".join(names)), "success")
        _flash_differences(names[-1], closed.differences)
        return redirect(back)

    @expose("/reopen", methods=("POST",))
    def reopen(self) -> Any:
        cooperative, year, month, back = self._target()

        def step(session: Session) -> str:
            ledger.reopen_period(session, cooperative, year, month, by=acting_user())
            return _("{period} is reopened.", period=ledger.period_name(year, month))

        return self.run_step(step, back)
