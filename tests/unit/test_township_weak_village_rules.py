"""Weak-village rules without a database: 经营性收入, the weak line, status, progress and every risk flag (§9)."""

from __future__ import annotations

import datetime as dt
import re
import string
from decimal import Decimal

import pytest

from coopcore.errors import InvalidValue, Term
from coopcore.i18n import translate
from coopcore.rules import weak_village as rules
from coopcore.rules.weak_village import (
    DEFAULT_THRESHOLD,
    FundingFacts,
    MilestoneFacts,
    PlanFacts,
    Threshold,
    ThresholdRule,
    add_months,
    classify,
    is_achieved,
    operating_income,
    progress_percent,
    risk_flags,
    shown_progress,
    threshold_for,
)
from coopcore.terms import RiskKind, VillageStatus

D = Decimal
CJK = re.compile(r"[\u4e00-\u9fff]")
AS_OF = dt.date(2024, 12, 31)


def kinds(flags: list[object]) -> list[str]:
    return [flag.rule for flag in flags]  # type: ignore[attr-defined]


def test_rule_34_income_of_47674_10_is_weak_with_progress_33_76_percent() -> None:
    # §9.3 example: 32,000.00 经营收入 + 15,674.10 cooperative dividend (Example 1, M01).
    income = operating_income({"operating": D("32000.00"), "investment": D("15674.10")})
    assert income == D("47674.10")
    assert classify(income, DEFAULT_THRESHOLD, D("100000.00")) is VillageStatus.WEAK
    assert progress_percent(income, D("21000.00"), D("100000.00")) == D("33.76")


def test_subsidy_and_other_income_do_not_count_as_operating_income() -> None:
    amounts = {
        "operating": D("1000.00"),
        "investment": D("200.00"),
        "rent": D("30.00"),
        "subsidy": D("50000.00"),
        "other": D("9000.00"),
    }
    assert operating_income(amounts) == D("1230.00")


def test_an_unknown_income_category_is_refused() -> None:
    with pytest.raises(InvalidValue):
        operating_income({"grant": D("1.00")})


def test_no_operating_income_is_an_empty_shell_and_below_the_line_is_weak() -> None:
    assert classify(D("0.00"), DEFAULT_THRESHOLD) is VillageStatus.EMPTY_SHELL
    assert classify(D("-500.00"), DEFAULT_THRESHOLD) is VillageStatus.EMPTY_SHELL  # an investment loss
    assert classify(D("0.01"), DEFAULT_THRESHOLD) is VillageStatus.WEAK
    assert classify(D("99999.99"), DEFAULT_THRESHOLD) is VillageStatus.WEAK


def test_exactly_the_weak_line_is_no_longer_weak() -> None:
    # "< 100,000.00" is weak (D12), so 100,000.00 itself is through.
    assert classify(D("100000.00"), DEFAULT_THRESHOLD) is VillageStatus.ACHIEVED
    assert is_achieved(D("100000.00"), DEFAULT_THRESHOLD)


def test_over_the_line_but_short_of_the_plan_target_is_not_yet_achieved() -> None:
    assert classify(D("110000.00"), DEFAULT_THRESHOLD, D("120000.00")) is VillageStatus.ABOVE_LINE
    assert classify(D("120000.00"), DEFAULT_THRESHOLD, D("120000.00")) is VillageStatus.ACHIEVED


def test_nothing_recorded_is_not_reported_rather_than_an_empty_shell() -> None:
    assert classify(None, DEFAULT_THRESHOLD) is VillageStatus.NOT_REPORTED


def test_thresholds_of_different_years_give_different_statuses() -> None:
    lines = [ThresholdRule(2015, None, Threshold(D("30000.00"))), ThresholdRule(2020, None, DEFAULT_THRESHOLD)]
    income = D("47674.10")
    assert classify(income, threshold_for(lines, year=2019, township_id=1)) is VillageStatus.ACHIEVED
    assert classify(income, threshold_for(lines, year=2020, township_id=1)) is VillageStatus.WEAK


def test_a_township_line_wins_a_tie_and_a_later_general_line_replaces_it() -> None:
    lines = [
        ThresholdRule(2020, None, DEFAULT_THRESHOLD),
        ThresholdRule(2020, 7, Threshold(D("50000.00"))),
        ThresholdRule(2023, None, Threshold(D("120000.00"))),
    ]
    assert threshold_for(lines, year=2021, township_id=7).weak_below == D("50000.00")
    assert threshold_for(lines, year=2021, township_id=8).weak_below == D("100000.00")
    assert threshold_for(lines, year=2023, township_id=7).weak_below == D("120000.00")


def test_without_any_line_in_force_the_default_of_d12_applies() -> None:
    assert threshold_for([ThresholdRule(2030, None, Threshold(D("1.00")))], year=2024, township_id=1) == Threshold(
        D("100000.00"), D("0.00")
    )


def test_a_shell_line_at_or_above_the_weak_line_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Threshold(D("100.00"), D("100.00"))


def test_progress_is_rounded_half_up_and_shown_capped_to_zero_and_a_hundred() -> None:
    assert progress_percent(D("0.01"), D("0.00"), D("200.00")) == D("0.01")  # 0.005 goes up, not to even
    assert progress_percent(D("10000.00"), D("21000.00"), D("100000.00")) == D("-13.92")
    assert shown_progress(D("-13.92")) == D("0.00")
    assert shown_progress(D("140.64")) == D("100.00")
    assert shown_progress(D("57.70")) == D("57.70")


def test_progress_needs_a_target_above_the_baseline() -> None:
    with pytest.raises(InvalidValue):
        progress_percent(D("1.00"), D("100.00"), D("100.00"))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2022, 9, 20), 6, dt.date(2023, 3, 20)),
        (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
        (dt.date(2024, 12, 15), 13, dt.date(2026, 1, 15)),
    ],
)
def test_months_are_added_on_the_calendar(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_income_falling_year_on_year_is_a_risk() -> None:
    flags = risk_flags(PlanFacts(year=2024, current=D("42921.72"), previous=D("51712.92")), as_of=AS_OF)
    assert kinds(flags) == [RiskKind.INCOME_FELL]
    assert "51,712.92" in flags[0].message("en") and "降至" in flags[0].message("zh")


def test_steady_income_or_no_previous_year_is_not_a_fall() -> None:
    assert risk_flags(PlanFacts(year=2024, current=D("100.00"), previous=D("100.00")), as_of=AS_OF) == []
    assert risk_flags(PlanFacts(year=2024, current=D("100.00"), previous=None), as_of=AS_OF) == []


def test_a_milestone_past_its_day_and_not_done_puts_its_project_behind_once() -> None:
    milestones = [
        MilestoneFacts("冷库", "招标采购", dt.date(2024, 6, 1), None),
        MilestoneFacts("冷库", "主体完工", dt.date(2024, 9, 1), dt.date(2024, 12, 31)),  # done too late
        MilestoneFacts("冷库", "竣工验收", dt.date(2025, 3, 1), None),  # not due yet
        MilestoneFacts("采摘园", "立项批复", dt.date(2024, 3, 1), dt.date(2024, 3, 10)),  # late but done
    ]
    flags = risk_flags(
        PlanFacts(year=2024, current=None, previous=None, milestones=milestones), as_of=dt.date(2024, 11, 30)
    )
    assert kinds(flags) == [RiskKind.MILESTONE_OVERDUE]
    assert flags[0].fields["milestone"] == "招标采购" and flags[0].fields["count"] == 2


def test_a_completed_project_is_never_behind() -> None:
    milestones = [MilestoneFacts("冷库", "投产运营", dt.date(2024, 6, 1), None, project_completed=True)]
    assert risk_flags(PlanFacts(year=2024, current=None, previous=None, milestones=milestones), as_of=AS_OF) == []


def line(received: str, spent: str, received_on: dt.date | None, allocated: str = "100000.00") -> FundingFacts:
    return FundingFacts(Term("connection fund"), "冷库", D(allocated), D(received), D(spent), received_on)


def test_money_received_more_than_six_months_ago_and_never_spent_is_idle() -> None:
    old = PlanFacts(year=2024, current=None, previous=None, funding=[line("100000.00", "0.00", dt.date(2024, 6, 30))])
    assert kinds(risk_flags(old, as_of=AS_OF)) == [RiskKind.FUNDS_IDLE]
    assert "衔接资金" in risk_flags(old, as_of=AS_OF)[0].message("zh")
    exactly_six = PlanFacts(
        year=2024, current=None, previous=None, funding=[line("100000.00", "0.00", dt.date(2024, 7, 1))]
    )
    assert risk_flags(exactly_six, as_of=AS_OF) == []  # "more than" six months


def test_the_idle_period_is_a_parameter() -> None:
    facts = PlanFacts(year=2024, current=None, previous=None, funding=[line("100.00", "0.00", dt.date(2024, 10, 1))])
    assert risk_flags(facts, as_of=AS_OF) == []
    assert kinds(risk_flags(facts, as_of=AS_OF, idle_months=2)) == [RiskKind.FUNDS_IDLE]
    with pytest.raises(InvalidValue):
        risk_flags(facts, as_of=AS_OF, idle_months=0)


def test_money_partly_spent_or_not_received_is_not_idle() -> None:
    facts = PlanFacts(
        year=2024,
        current=None,
        previous=None,
        funding=[line("100000.00", "1.00", dt.date(2022, 9, 20)), line("0.00", "0.00", None)],
    )
    assert risk_flags(facts, as_of=AS_OF) == []


def test_spending_more_than_allocated_is_a_risk_and_exactly_the_allocation_is_not() -> None:
    over = PlanFacts(
        year=2024, current=None, previous=None, funding=[line("100000.00", "100000.01", dt.date(2024, 1, 1))]
    )
    assert kinds(risk_flags(over, as_of=AS_OF)) == [RiskKind.OVERSPENT]
    exact = PlanFacts(
        year=2024, current=None, previous=None, funding=[line("100000.00", "100000.00", dt.date(2024, 1, 1))]
    )
    assert risk_flags(exact, as_of=AS_OF) == []


def test_a_target_year_gone_by_without_reaching_the_target_is_a_risk() -> None:
    facts = PlanFacts(
        year=2025,
        current=D("90000.00"),
        previous=D("80000.00"),
        target=D("100000.00"),
        target_year=2024,
        achieved=False,
    )
    assert kinds(risk_flags(facts, as_of=dt.date(2025, 12, 31))) == [RiskKind.TARGET_YEAR_PASSED]
    in_the_year = PlanFacts(
        year=2024, current=D("90000.00"), previous=D("80000.00"), target=D("100000.00"), target_year=2024
    )
    assert risk_flags(in_the_year, as_of=AS_OF) == []
    reached = PlanFacts(
        year=2025,
        current=D("100000.00"),
        previous=D("80000.00"),
        target=D("100000.00"),
        target_year=2024,
        achieved=True,
    )
    assert risk_flags(reached, as_of=dt.date(2025, 12, 31)) == []
    unreported = PlanFacts(year=2025, current=None, previous=None, target=D("100000.00"), target_year=2024)
    assert risk_flags(unreported, as_of=dt.date(2025, 12, 31)) == []  # unknown, shown as "not reported"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("template", rules.TEMPLATES)
def test_every_risk_message_has_a_chinese_translation_with_the_same_placeholders(template: str) -> None:
    chinese = translate(template, "zh")
    assert chinese != template and CJK.search(chinese)
    assert placeholders(chinese) == placeholders(template)
