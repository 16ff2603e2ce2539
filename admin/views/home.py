# mypy: allow-subclassing-any, allow-untyped-decorators
"""The home page per role, and the township's weak-village dashboard."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import func, select

from admin.access import Area, Scope, current_scope
from admin.charts import income_chart
from admin.database import current_session
from admin.glance import glance, latest_income_year, latest_year, township_cooperatives
from admin.views.base import CoopPage, login_redirect
from coopcore.models import Cooperative, Role, Township, User
from coopcore.services.villages import StatusReport, village_status


def _year_arg() -> int | None:
    year = request.args.get("year", type=int)
    if year is not None and not 1990 <= year <= 2200:
        abort(404)
    return year


def township_report(scope: Scope, year: int, township_id: int | None) -> tuple[StatusReport, list[Township]]:
    """The status report the user may see: their own township, or any (or all) for an administrator."""
    session = current_session()
    townships = list(session.scalars(select(Township).order_by(Township.id)))
    if not scope.is_admin:
        township_id = scope.township_id
    chosen = next((t for t in townships if t.id == township_id), None)
    if township_id is not None and chosen is None:
        abort(404)
    return village_status(session, year=year, township=chosen.name if chosen else None), townships


class HomeView(AdminIndexView):
    """What each role needs first: an accountant their cooperatives' year, an official their township."""

    def __init__(self) -> None:
        super().__init__(name="Home", url="/admin", endpoint="admin")

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated)

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        return None

    @expose("/")
    def index(self) -> Any:
        scope = current_scope()
        session = current_session()
        year = _year_arg()
        if scope.role in (Role.ACCOUNTANT, Role.SUPERVISOR):
            cooperatives = session.scalars(
                select(Cooperative).where(scope.cooperatives(Cooperative.id)).order_by(Cooperative.name)
            ).all()
            glances = [glance(session, c, year or latest_year(session, c.id)) for c in cooperatives]
            return self.render("coop/home_books.html", glances=glances)
        year = year or latest_income_year(session)
        report, _ = township_report(scope, year, None)
        if scope.role is Role.TOWNSHIP_OFFICIAL:
            rows = township_cooperatives(session, sorted(scope.cooperative_ids or ()), year)
            return self.render(
                "coop/home_township.html", report=report, chart=income_chart(report.rows), cooperatives=rows, year=year
            )
        counts = {
            "cooperatives": session.scalar(select(func.count(Cooperative.id))),
            "users": session.scalar(select(func.count(User.id))),
        }
        return self.render("coop/home_admin.html", report=report, counts=counts, year=year)


class VillagesDashboard(CoopPage):
    """Weak villages of the township: status, progress bar, risk flags and a chart, for a year."""

    area = Area.OVERSIGHT

    @expose("/")
    def index(self) -> Any:
        scope = current_scope()
        session = current_session()
        year = _year_arg() or latest_income_year(session)
        report, townships = township_report(scope, year, request.args.get("township", type=int))
        return self.render(
            "coop/villages.html",
            report=report,
            chart=income_chart(report.rows),
            year=year,
            townships=townships if scope.is_admin else [],
            township_id=request.args.get("township", type=int),
        )
