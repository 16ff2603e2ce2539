"""No admin view checks records by hand: every rule is declared (read from the views' classes, no database)."""

from __future__ import annotations

from admin.views.base import CoopModelView
from coopcore.rules import books, plans


def test_no_view_checks_records_by_hand_every_rule_is_declared() -> None:
    views = [view for view in _subclasses(CoopModelView) if "model_class" in view.__dict__]
    assert not [view.__name__ for view in views if "apply_rules" in view.__dict__]
    declared = {rule for view in views for rule in view.rules}
    assert {books.check_trade_amount, books.check_income_sign, books.check_share_contract} <= declared
    assert {plans.check_plan_target, plans.check_project_due, plans.check_village_income_sign} <= declared


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]
