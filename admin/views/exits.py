# mypy: allow-subclassing-any, allow-untyped-decorators
"""A member's exit (退社): record the written application, see the settlement, pay the leaver back.

Each button posts a small form (CSRF-protected), calls coopcore.services.exits in the request's transaction,
commits, and shows the result, or rolls back and shows the reason the service gave, in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import DateField
from wtforms.validators import InputRequired

from admin.access import current_scope
from admin.database import current_session
from admin.forms import form_problems, not_in_future, required
from admin.i18n import _, day, lazy, money
from admin.views.base import CoopPage
from admin.views.member_account import scoped_member
from coopcore.models import Member
from coopcore.services import exits


class ApplyForm(FlaskForm):
    applied_on = DateField(lazy("Application received on"), [InputRequired(), not_in_future], default=dt.date.today)


class PayOutForm(FlaskForm):
    paid_on = DateField(lazy("Paid on"), [InputRequired(), not_in_future], default=dt.date.today)


class MemberExitPage(CoopPage):
    """Everyone who reads the member's cooperative sees the settlement; accountants and administrators act."""

    def is_visible(self) -> bool:
        return False  # reached from the member page, not from the menu

    @expose("/")
    def index(self) -> Any:
        session = current_session()
        member = scoped_member(request.args.get("id", type=int))
        result = exits.compute_settlement(session, member) if member.left_on is not None else None
        return self.render(
            "coop/member_exit.html",
            member=member,
            result=result,
            paid_on=exits.paid_out_on(session, member) if result else None,
            may_write=current_scope().writes(self.area),
            apply_form=ApplyForm(),
            pay_form=PayOutForm(),
        )

    def _target(self) -> tuple[Member, str]:
        """The member a button's form names (if the user may act on them), and their exit page."""
        self.require_write()
        member = scoped_member(request.form.get("id", type=int))
        return member, url_for(".index", id=member.id)

    @expose("/apply", methods=["POST"])
    def apply(self) -> Any:
        member, back = self._target()

        def step(session: Session) -> str:
            form = ApplyForm()
            if not form.validate():
                raise form_problems(form)
            ends_on = exits.apply_exit(session, member, required(form.applied_on))
            return _("The exit application of {member} is recorded; membership ends on {day}.",
                     member=str(member), day=day(ends_on))  # fmt: skip

        return self.run_step(step, back)

    @expose("/pay-out", methods=["POST"])
    def pay_out(self) -> Any:
        member, back = self._target()

        def step(session: Session) -> str:
            form = PayOutForm()
            if not form.validate():
                raise form_problems(form)
            result = exits.pay_out(session, member, required(form.paid_on))
            return _("{member} is paid back {refund}.", member=str(member), refund=money(result.settlement.refund))

        return self.run_step(step, back)
