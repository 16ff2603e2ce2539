"""The rules of township oversight records one by one: improvement plans, their projects and funding, village
income.

Pure functions of a record's fields, named as the models name them, each returning its findings; the admin's
forms and the villages workbook import call the same functions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.rules.findings import Finding, error
from coopcore.terms import VillageIncomeCategory

INVESTMENT = VillageIncomeCategory.INVESTMENT  # 投资收益

TARGET_NOT_ABOVE = "The target income {value} must be above the baseline income {baseline}."
TARGET_YEAR_BEFORE = "The target year {value} is before the baseline year {baseline_year}."
DUE_BEFORE_START = "The due date {value} is before the start date {start_on}."
COMPLETED_BEFORE_START = "The completion date {value} is before the start date {start_on}."
OTHER_PLAN = "The project {project} belongs to another plan."
NEGATIVE_INCOME = "Only investment income (投资收益) may be negative, not {value}."
TEMPLATES = (
    TARGET_NOT_ABOVE,
    TARGET_YEAR_BEFORE,
    DUE_BEFORE_START,
    COMPLETED_BEFORE_START,
    OTHER_PLAN,
    NEGATIVE_INCOME,
)


def check_plan_target(baseline_income: Decimal | None, target_income: Decimal | None) -> list[Finding]:
    """A plan aims above the income it starts from (§9.3: progress is measured from baseline to target)."""
    if baseline_income is None or target_income is None or target_income > baseline_income:
        return []
    return error("plan_target", TARGET_NOT_ABOVE, key="target_income", value=target_income, baseline=baseline_income)


def check_plan_years(baseline_year: int | None, target_year: int | None) -> list[Finding]:
    """A plan's target year is not before its baseline year."""
    if baseline_year is None or target_year is None or target_year >= baseline_year:
        return []
    return error("plan_years", TARGET_YEAR_BEFORE, key="target_year", value=target_year, baseline_year=baseline_year)


def check_project_due(start_on: dt.date | None, due_on: dt.date | None) -> list[Finding]:
    """A project is due no earlier than it starts."""
    if start_on is None or due_on is None or due_on >= start_on:
        return []
    return error("project_due", DUE_BEFORE_START, key="due_on", value=due_on, start_on=start_on)


def check_project_completed(start_on: dt.date | None, completed_on: dt.date | None) -> list[Finding]:
    """A project is completed no earlier than it starts."""
    if start_on is None or completed_on is None or completed_on >= start_on:
        return []
    return error("project_completed", COMPLETED_BEFORE_START, key="completed_on", value=completed_on, start_on=start_on)


def check_funding_project(plan_id: int | None, project_plan_id: int | None, project_name: str | None) -> list[Finding]:
    """A funding line tied to a project names a project of its own plan."""
    if project_plan_id is None or project_plan_id == plan_id:
        return []
    return error("funding_project", OTHER_PLAN, key="project", project=project_name)


def check_village_income_sign(category: str | None, amount: Decimal | None) -> list[Finding]:
    """Only a village's investment income may be negative (a loss)."""
    if amount is None or amount >= 0 or category == INVESTMENT:
        return []
    return error("village_income_sign", NEGATIVE_INCOME, key="amount", value=amount)
