"""The law's checks on a plan: 60% by patronage, pools reconciled to the fen, 80% farmers, 15 days' notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from coopcore.rules.plan_review import LineSums, review, statements


@dataclass(frozen=True)
class Plan:
    distributable: Decimal = Decimal("1000.01")
    patronage_pool: Decimal = Decimal("600.01")  # 60% of 1000.01 is 600.006: a fen more is the floor
    residual_pool: Decimal = Decimal("400.00")
    provident_fund: Decimal = Decimal("111.11")
    subsidy_property: Decimal = Decimal("0.00")
    donation_property: Decimal = Decimal("3.00")


SUMS = LineSums(
    members=10,
    farmers=8,
    patronage_return=Decimal("600.01"),
    residual_distribution=Decimal("400.00"),
    provident_share_added=Decimal("111.11"),
    donation_share=Decimal("3.00"),
)
DAY = dt.date(2025, 1, 10)


def test_a_plan_that_keeps_the_law_passes_every_check() -> None:
    result = review(Plan(), SUMS, DAY, DAY + dt.timedelta(days=15))
    assert result.patronage_floor_met is True
    assert result.patronage_share == Decimal("60.00")
    assert result.reconciles is True
    assert (result.farmers_enough, result.farmer_share) == (True, Decimal("80.00"))
    assert (result.notice_days, result.notice_enough) == (15, True)


def test_the_patronage_floor_is_judged_exactly_not_on_the_rounded_share() -> None:
    result = review(Plan(patronage_pool=Decimal("600.00"), residual_pool=Decimal("400.01")), SUMS)
    assert result.patronage_share == Decimal("60.00")  # rounds to 60.00% …
    assert result.patronage_floor_met is False  # … but 600.00 < 600.006


def test_one_fen_off_in_any_pool_fails_the_reconciliation() -> None:
    for field in ("patronage_return", "residual_distribution", "provident_share_added", "donation_share"):
        off = replace(SUMS, **{field: getattr(SUMS, field) + Decimal("0.01")})
        assert review(Plan(), off).reconciles is False, field


def test_farmers_below_80_percent_and_short_notice_fail() -> None:
    result = review(Plan(), replace(SUMS, farmers=7), DAY, DAY + dt.timedelta(days=14))
    assert (result.farmers_enough, result.notice_enough, result.notice_days) == (False, False, 14)


def test_checks_that_do_not_apply_are_none_and_do_not_fail() -> None:
    nothing = Plan(*(Decimal("0.00"),) * 6)
    result = review(nothing, LineSums(members=0, farmers=0))
    assert (result.patronage_share, result.patronage_floor_met, result.notice_enough) == (None, None, None)
    assert result.farmer_share is None
    assert result.reconciles and result.farmers_enough


def test_statements_name_the_figures_and_only_the_checks_that_apply() -> None:
    found = statements(review(Plan(), SUMS, DAY, DAY + dt.timedelta(days=14)), Decimal("1000.01"), lambda v: f"¥{v}")
    assert [(ok, fields) for ok, _, fields in found] == [
        (True, {"share": Decimal("60.00")}),
        (True, {"total": "¥1000.01", "distributable": "¥1000.01"}),
        (True, {"farmers": 8, "members": 10}),
        (False, {"days": 14}),
    ]
    assert len(statements(review(Plan(*(Decimal("0.00"),) * 6), LineSums(0, 0)), Decimal("0.00"), str)) == 2
