# mypy: allow-subclassing-any, allow-untyped-decorators
"""The member page (成员账户): opening balance, the year's lines, closing balance, and distributions by year."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_admin import expose
from sqlalchemy import select

from admin.access import current_scope
from admin.database import current_session, database
from admin.formatters import quantity_with_unit
from admin.glance import latest_year
from admin.views.base import CoopPage
from admin.views.distribution import patronage_shown
from coopcore.models import Distribution, DistributionLine, FiscalYear, Member
from coopcore.services.member_account import member_account

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
        )
