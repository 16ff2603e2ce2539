"""The admin's forms refuse a record by the same rule functions as the workbook imports, in the same words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, ImprovementPlan, IncomeExpense, Project, Township, Village, VillageIncome
from coopcore.rules import books, plans
from coopcore.rules.findings import Finding
from tests.admin.demo import csrf_token, sign_in

D = Decimal


def _ids(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        found = {
            "coop": session.scalar(select(Cooperative.id).where(Cooperative.name == "晨靓果业专业合作社")),
            "village": session.scalar(select(Village.id).join(Township).where(Township.name == "凤鸣街道").limit(1)),
            "plan": session.scalar(
                select(ImprovementPlan.id).join(Village).join(Township).where(Township.name == "凤鸣街道").limit(1)
            ),
        }
    engine.dispose()
    assert all(found.values())
    return {key: int(value or 0) for key, value in found.items()}


def _count(url: str, model: Any) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return count


# (user, endpoint, model, form, the rule's own finding for the same values)
CASES: list[tuple[str, str, Any, dict[str, str], Finding]] = [
    (
        "accountant",
        "income_expense",
        IncomeExpense,
        {"cooperative_id": "{coop}", "recorded_on": "2024-05-01", "category": "operating_income", "amount": "-100.00"},
        books.check_income_sign("operating_income", D("-100.00"))[0],
    ),
    (
        "official1",
        "plan",
        ImprovementPlan,
        {
            "village": "{village}",
            "filed_on": "2024-03-01",
            "baseline_year": "2023",
            "baseline_income": "21000.00",
            "target_income": "20000.00",
            "target_year": "2026",
        },
        plans.check_plan_target(D("21000.00"), D("20000.00"))[0],
    ),
    (
        "official1",
        "project",
        Project,
        {
            "plan": "{plan}",
            "name": "新冷库",
            "kind": "service",
            "budget": "1000.00",
            "start_on": "2024-03-01",
            "due_on": "2024-01-31",
            "status": "planned",
        },
        plans.check_project_due(dt.date(2024, 3, 1), dt.date(2024, 1, 31))[0],
    ),
    (
        "official1",
        "village_income",
        VillageIncome,
        {"village": "{village}", "year": "2024", "category": "subsidy", "amount": "-100.00"},
        plans.check_village_income_sign("subsidy", D("-100.00"))[0],
    ),
]


@pytest.mark.parametrize(("user", "endpoint", "model", "fields", "finding"), CASES, ids=[c[1] for c in CASES])
def test_a_form_is_refused_with_the_rules_own_message_and_nothing_is_saved(
    client: FlaskClient, demo_url: str, user: str, endpoint: str, model: Any, fields: dict[str, str], finding: Finding
) -> None:
    found = _ids(demo_url)
    before = _count(demo_url, model)
    sign_in(client, user)
    token = csrf_token(client.get(f"/admin/{endpoint}/new/").text)
    data = {"csrf_token": token, **{key: value.format(**found) for key, value in fields.items()}}

    response = client.post(f"/admin/{endpoint}/new/", data=data)

    assert response.status_code == 200
    assert str(escape(finding.message("zh"))) in response.text, finding.message("zh")
    assert _count(demo_url, model) == before
