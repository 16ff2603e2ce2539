# mypy: allow-subclassing-any, allow-untyped-decorators
"""The member page (成员账户): opening balance, the year's lines, closing balance and what is still owed; the
household's statement (对账单) of a period with its PDF; and distributions by year."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, request
from flask_admin import expose
from sqlalchemy import select

from admin.access import current_scope
from admin.database import current_session, database
from admin.formatters import quantity_with_unit
from admin.glance import latest_year
from admin.i18n import current_lang
from admin.views.base import CoopPage
from admin.views.distribution import patronage_shown
from admin.views.reports import reports_available
from coopcore.models import Distribution, DistributionLine, FiscalYear, Member
from coopcore.services.ledger import chart_accounts
from coopcore.services.ledger.owed import AS_THEY_STAND, OWED_ACCOUNTS, member_statement
from coopcore.services.member_account import HISTORY_NOTE, UNPOSTED_PAYMENTS, member_account
from coopcore.services.year_end import year_bounds
from coopcore.terms import OwedMovement

COLUMNS = (
    "poverty_contribution",
    "other_contribution",
    "provident_share",
    "subsidy_share",
    "donation_share",
    "patronage_return",
    "residual_distribution",
)


def scoped_member(member_id: int | None) -> Member:
    """The member, if within the user's reach; 404 otherwise (the same answer as for an unknown id)."""
    member = database().session.get(Member, member_id) if member_id else None
    if member is None or not current_scope().has_cooperative(member.cooperative_id):
        abort(404)
    return member


class MemberAccountPage(CoopPage):
    """Read by everyone who may read the member's cooperative; it changes only through the services."""

    def is_visible(self) -> bool:
        return False  # reached from the member list, not from the menu

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        member = scoped_member(request.args.get("id", type=int))
        years = list(
            session.scalars(
                select(FiscalYear.year)
                .where(FiscalYear.cooperative_id == member.cooperative_id)
                .order_by(FiscalYear.year)
            )
        )
        year = request.args.get("year", type=int) or latest_year(session, member.cooperative_id)
        if not 1990 <= year <= 2200:
            abort(404)
        statement = member_account(session, member, year)
        first_on, last_on = _period(year)
        owed = member_statement(session, member.cooperative, member, first_on, last_on, as_they_stand=True)
        chart = chart_accounts(session, member.cooperative)
        names = {code: chart[code].name if current_lang() == "zh" else chart[code].name_en for code in OWED_ACCOUNTS}
        lines = session.execute(
            select(DistributionLine, Distribution)
            .join(Distribution, Distribution.id == DistributionLine.distribution_id)
            .where(DistributionLine.member_id == member.id)
            .order_by(Distribution.year.desc(), Distribution.revision.desc())
        ).all()
        return self.render(
            "coop/member_account.html",
            member=member,
            statement=statement,
            year=year,
            years=years,
            columns=COLUMNS,
            lines=lines,
            quantity_with_unit=quantity_with_unit,
            patronage={distribution.id: patronage_shown(distribution) for _line, distribution in lines},
            owed=owed,
            owed_accounts=OWED_ACCOUNTS,
            account_names=names,
            movements=tuple(OwedMovement),
            history_note=HISTORY_NOTE,
            unposted_note=UNPOSTED_PAYMENTS,
            as_they_stand=AS_THEY_STAND,
            reports_available=reports_available(),
        )


def _period(year: int) -> tuple[dt.date, dt.date]:
    """The statement's period from the page's query (`from`, `to`), by default the year the page shows; 404 for
    days that are none or a period that ends before it starts."""
    first, last = year_bounds(year)
    try:
        first = dt.date.fromisoformat(request.args.get("from") or first.isoformat())
        last = dt.date.fromisoformat(request.args.get("to") or last.isoformat())
    except ValueError:
        abort(404)
    if first > last or first.year < 1990 or last.year > 2200:
        abort(404)
    return first, last
