# mypy: allow-subclassing-any, allow-untyped-decorators
"""The distribution page of a cooperative and year: plan → review → publish → approve → post → pay, by buttons.

Each button posts a small form (CSRF-protected), calls the coopcore service in the request's transaction,
commits, and shows the result, or rolls back and shows the reason the service gave, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from flask import abort, request, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from admin.access import current_scope
from admin.database import current_session, database
from admin.formatters import quantity_with_unit
from admin.forms import form_problems, option, required
from admin.glance import latest_year
from admin.i18n import _, lazy, money
from admin.labels import enum_label
from admin.views.base import CoopPage
from admin.views.statement_forms import FORMS
from coopcore.models import Cooperative, Distribution, FiscalYear, Member, PatronageMeasure, PaymentMethod
from coopcore.rules.plan_review import statements
from coopcore.services import distribution as workflow
from coopcore.services import lookups, year_end
from coopcore.services.plan_review import review_plan
from coopcore.services.statements import closed_cooperatives, statements_as_they_stand


class PublishForm(FlaskForm):
    published_on = DateField(lazy("Published on"), [InputRequired()], default=dt.date.today)
    assembly_on = DateField(lazy("Planned assembly on"), [Optional()])


class ApproveForm(FlaskForm):
    assembly_on = DateField(lazy("Assembly on"), [InputRequired()])
    members_present = IntegerField(lazy("Members present"), [InputRequired(), NumberRange(min=0)])
    votes_for = IntegerField(lazy("Votes for"), [InputRequired(), NumberRange(min=0)])
    resolution = StringField(lazy("Resolution"), [Optional()])
    # §15 rule 25b: parts of members' shares the assembly converted into contribution with the plan.
    conversions = TextAreaField(
        lazy("Converted into contribution"),
        [Optional()],
        description=lazy("One member a line, as M04=5000.00; needs the resolution (Art. 44)."),
    )
    # 02表 line 14: the loss the year leaves, covered from 盈余公积 as the assembly decided.
    loss_covered = DecimalField(
        lazy("Loss covered from the surplus reserve"),
        [Optional(), NumberRange(min=0)],
        places=None,
        description=lazy("At most the loss the year leaves and what 322 holds; needs the resolution (Art. 42)."),
    )


class PayForm(FlaskForm):
    paid_on = DateField(lazy("Paid on"), [InputRequired()], default=dt.date.today)
    method = SelectField(
        lazy("Payment method"),
        # A payment run pays and books its own lines (coopcore.services.payouts): not a method to pick here.
        choices=lambda: [option(m.value, enum_label(m)) for m in PaymentMethod if m is not PaymentMethod.RUN],
        default=PaymentMethod.CASH.value,
    )
    resolution = StringField(lazy("Resolution"), [Optional()])


def scoped_cooperative(cooperative_id: int | None) -> Cooperative:
    """The cooperative, if within the user's reach; 404 otherwise."""
    cooperative = database().session.get(Cooperative, cooperative_id) if cooperative_id else None
    if cooperative is None or not current_scope().has_cooperative(cooperative.id):
        abort(404)
    return cooperative


def chosen_cooperative() -> tuple[Sequence[Cooperative], Cooperative | None]:
    """The user's cooperatives by name, and the one the page's ?cooperative= chose (the first by default)."""
    cooperatives = (
        current_session()
        .scalars(select(Cooperative).where(current_scope().cooperatives(Cooperative.id)).order_by(Cooperative.name))
        .all()
    )
    chosen = request.args.get("cooperative", type=int) or (cooperatives[0].id if cooperatives else None)
    return cooperatives, scoped_cooperative(chosen) if chosen else None


# The money columns of the member lines, each totalled under the list (the shares add up to their pools).
LINE_TOTALS = ("contribution", "provident_share_added", "patronage_return", "residual_distribution", "total",
               "converted")  # fmt: skip


def _written(text: str) -> list[str]:
    """The conversions typed in the approval form: one a line (or separated by ; or ；)."""
    return [part.strip() for part in re.split(r"[\n;；]+", text) if part.strip()]


def patronage_shown(distribution: Distribution) -> Callable[[Decimal | None], str]:
    """How the members' patronage reads: money for the amount measure, else a quantity with its unit."""
    measure = distribution.patronage_measure
    if measure is PatronageMeasure.AMOUNT:
        return money
    unit: str | None = _("mu × days")
    if measure is PatronageMeasure.QUANTITY:
        units = year_end.produce_units(current_session(), distribution.cooperative_id, distribution.year)
        unit = units[0] if len(units) == 1 else None  # several units do not add up: no unit rather than a wrong one
    return lambda value: quantity_with_unit(value, unit)


def line_totals(distribution: Distribution) -> dict[str, Decimal]:
    """The sums of the member lines' columns, patronage included (one measure, one unit)."""
    lines = distribution.lines
    totals = {name: sum((getattr(line, name) for line in lines), Decimal("0.00")) for name in LINE_TOTALS}
    totals["patronage"] = sum((line.patronage for line in lines), Decimal("0"))
    return totals


def statutory_checks(distribution: Distribution) -> list[tuple[bool, str]]:
    """The checks a reviewer looks at before publishing (coopcore.rules.plan_review), each with its figures."""
    review = review_plan(current_session(), distribution)
    return [
        (ok, _(template, **fields)) for ok, template, fields in statements(review, distribution.distributable, money)
    ]


class DistributionPage(CoopPage):
    """Everyone who reads the cooperative sees the page; accountants and administrators press the buttons."""

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        scope = current_scope()
        cooperatives, cooperative = chosen_cooperative()
        if cooperative is None:
            abort(404)  # the user has no cooperative to show
        year = request.args.get("year", type=int) or latest_year(session, cooperative.id)
        distribution = lookups.live_distribution_or_none(session, cooperative, year)
        members = session.execute(
            select(Member.code, Member.name, Member.kind, Member.id).where(Member.cooperative_id == cooperative.id)
        ).all()
        years = session.scalars(
            select(FiscalYear.year).where(FiscalYear.cooperative_id == cooperative.id).order_by(FiscalYear.year)
        ).all()
        # Before the plan, while the year is open: 02表 lines 1-13 as the books stand (未审计), where the surplus
        # it distributes comes from.
        year_so_far, closed = statements_as_they_stand(session, cooperative, year)
        return self.render(
            "coop/distribution.html",
            cooperatives=cooperatives,
            cooperative=cooperative,
            year=year,
            years=years,
            distribution=distribution,
            names={m.code: m.name for m in members},
            member_ids={m.code: m.id for m in members},
            checks=statutory_checks(distribution) if distribution else [],
            totals=line_totals(distribution) if distribution else {},
            patronage=patronage_shown(distribution) if distribution else money,
            may_write=scope.writes(self.area),
            publish_form=PublishForm(),
            approve_form=ApproveForm(),
            pay_form=PayForm(),
            year_so_far=None if closed else year_so_far,
            forms=FORMS,
        )

    def _target(self) -> tuple[Cooperative, int, str]:
        """The cooperative and year a button's form names (if the user may act on them), and their page."""
        self.require_write()
        cooperative = scoped_cooperative(request.form.get("cooperative", type=int))
        year = request.form.get("year", type=int)
        if year is None:
            abort(400)
        return cooperative, year, url_for(".index", cooperative=cooperative.id, year=year)

    @expose("/plan", methods=["POST"])
    def plan(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            distribution = workflow.plan_distribution(session, cooperative, year)
            return _(
                "The {year} plan is computed: {total} to {members} members.",
                year=year,
                total=money(distribution.distributable),
                members=len(distribution.lines),
            )

        return self.run_step(step, back)

    @expose("/publish", methods=["POST"])
    def publish(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            form = PublishForm()
            if not form.validate():
                raise form_problems(form)
            workflow.publish_distribution(
                session,
                lookups.live_distribution(session, cooperative, year),
                published_on=required(form.published_on),
                assembly_on=form.assembly_on.data,
            )
            return _("The {year} plan is published.", year=year)

        return self.run_step(step, back)

    @expose("/approve", methods=["POST"])
    def approve(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            form = ApproveForm()
            if not form.validate():
                raise form_problems(form)
            workflow.approve_distribution(
                session,
                lookups.live_distribution(session, cooperative, year),
                assembly_on=required(form.assembly_on),
                members_present=required(form.members_present),
                votes_for=required(form.votes_for),
                resolution=form.resolution.data or "",
                conversions=workflow.read_conversions(_written(form.conversions.data or "")),
                loss_covered_by_provident_fund=form.loss_covered.data or Decimal("0.00"),
            )
            return _("The {year} plan is approved by the member assembly.", year=year)

        return self.run_step(step, back)

    @expose("/post", methods=["POST"])
    def post(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            workflow.post_distribution(session, lookups.live_distribution(session, cooperative, year))
            said = _("The {year} distribution is posted; the year is closed.", year=year)
            if cooperative.id in closed_cooperatives(session, [cooperative.id], year):
                return said
            return said + " " + _("The books' December {year} is still open: review the vouchers, then close the "
                                  "month on the Period close page.", year=year)  # fmt: skip

        return self.run_step(step, back)

    @expose("/pay", methods=["POST"])
    def pay(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            form = PayForm()
            if not form.validate():
                raise form_problems(form)
            paid = workflow.pay_distribution(
                session,
                lookups.live_distribution(session, cooperative, year),
                paid_on=required(form.paid_on),
                method=form.method.data,
                resolution=form.resolution.data or "",
            )
            total = sum((line.total for line in paid), Decimal("0.00"))
            return _("Recorded {count} payments, {total} in all.", count=len(paid), total=money(total))

        return self.run_step(step, back)

    @expose("/reverse", methods=["POST"])
    def reverse(self) -> Any:
        cooperative, year, back = self._target()

        def step(session: Session) -> str:
            workflow.reverse_distribution(session, lookups.live_distribution(session, cooperative, year))
            return _("The {year} distribution is reversed and the year reopened.", year=year)

        return self.run_step(step, back)
