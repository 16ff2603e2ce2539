# mypy: allow-subclassing-any, allow-untyped-decorators
"""The statements (会计报表) in the admin: a cooperative's three forms (01表 at a year's or month's end, 02表 and
03表 of the year to that month), and a township's roll-up (汇总表) for its officials and the administrators.

The figures are coopcore.services.statements' as the books stand: a period not closed counts its unposted
vouchers and is marked 未审计. The PDF and the workbook are the `reports` package's, built by the report jobs.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any, ClassVar

from flask import abort, request
from flask_admin import expose
from sqlalchemy import func, select

from admin.access import Area, current_scope
from admin.database import current_session
from admin.views.base import CoopPage
from admin.views.books.common import BooksPage, month_arg, page_choice, year_arg
from admin.views.reports import reports_available
from admin.views.statement_forms import FORMS
from coopcore.commands.statements_tables import INVESTMENT_ONCE, UNMATCHED, WAN_RULE
from coopcore.models import Cooperative, FiscalYear, Township, Village
from coopcore.rules.statements.rollup import statements_in_wan
from coopcore.services.statements import statements_as_they_stand
from coopcore.services.statements.township import township_as_they_stand


class StatementsPage(BooksPage):
    """A cooperative's statements of a year, or to a month's end, as the books stand."""

    @expose("/")
    def index(self) -> Any:
        choice = page_choice()
        found, closed = statements_as_they_stand(current_session(), choice.cooperative, choice.year,
                                                 choice.month or 12)  # fmt: skip
        as_of = last_day(choice.year, choice.month or 12)
        return self.render("coop/statements.html", choice=choice, found=found, closed=closed, forms=FORMS,
                           as_of=as_of)  # fmt: skip


class TownshipStatementsPage(CoopPage):
    """A township's roll-up: officials see their township's, administrators any township's."""

    area: ClassVar[Area] = Area.OVERSIGHT

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        scope = current_scope()
        if scope.is_admin:
            townships = list(session.scalars(select(Township).order_by(Township.id)))
        elif scope.township_id is not None:
            townships = [session.get_one(Township, scope.township_id)]
        else:
            townships = []
        chosen = request.args.get("township", type=int) or (townships[0].id if townships else None)
        township = next((found for found in townships if found.id == chosen), None)
        if township is None:
            abort(404)  # not a township of the user's, or none to show
        year = year_arg(request.args.get("year"), _latest_year(township))
        month = month_arg(request.args.get("month"))
        in_wan = request.args.get("unit") == "wan"
        rolled = township_as_they_stand(session, township, year, month or 12)
        return self.render(
            "coop/township_statements.html",
            townships=townships,
            township=township,
            year=year,
            month=month,
            in_wan=in_wan,
            rolled=rolled,
            as_of=last_day(year, month or 12),
            found=statements_in_wan(rolled.statements) if in_wan else rolled.statements,
            forms=FORMS,
            words={"once": INVESTMENT_ONCE, "unmatched": UNMATCHED, "rule": WAN_RULE},
            reports_available=reports_available(),
        )


def last_day(year: int, month: int) -> dt.date:
    """The day a balance sheet of the period is drawn up on: the month's last day."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _latest_year(township: Township) -> int:
    """The latest fiscal year of the township's cooperatives, or this year."""
    year = current_session().scalar(
        select(func.max(FiscalYear.year))
        .join(Cooperative, Cooperative.id == FiscalYear.cooperative_id)
        .join(Village, Village.id == Cooperative.village_id)
        .where(Village.township_id == township.id)
    )
    return year or dt.date.today().year
