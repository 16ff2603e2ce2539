"""insert_rows: COPY on PostgreSQL, one INSERT elsewhere; either way the column types check every value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows
from coopcore.errors import InvalidValue
from coopcore.models import IncomeCategory, IncomeExpense
from tests.db.test_exact_columns import make_cooperative, root_cause


def rows(cooperative_id: int, amounts: list[str]) -> list[dict[str, object]]:
    return [
        {
            "cooperative_id": cooperative_id,
            "recorded_on": dt.date(2024, 5, 1),
            "category": IncomeCategory.OPERATING_INCOME if number % 2 else IncomeCategory.OPERATING_EXPENSE,
            "amount": Decimal(amount),
            "memo": f"第{number}行",
        }
        for number, amount in enumerate(amounts, start=1)
    ]


def test_rows_are_stored_exactly_with_their_enums(session: Session) -> None:
    cooperative = make_cooperative(session)
    amounts = ["999999999999.99", "0.01", "12345.6", "7"] * 500
    insert_rows(session, IncomeExpense, rows(cooperative.id, amounts))
    stored = session.execute(
        select(IncomeExpense.category, func.count(), func.sum(IncomeExpense.amount)).group_by(IncomeExpense.category)
    ).all()
    assert sorted(stored) == sorted(
        [
            (IncomeCategory.OPERATING_INCOME, 1000, Decimal("999999999999.99") * 500 + Decimal("12345.60") * 500),
            (IncomeCategory.OPERATING_EXPENSE, 1000, Decimal("0.01") * 500 + Decimal("7.00") * 500),
        ]
    )
    memos = session.scalars(select(IncomeExpense.memo).order_by(IncomeExpense.id).limit(2)).all()
    assert memos == ["第1行", "第2行"]


def test_a_value_with_too_many_decimals_is_refused_and_nothing_is_written(session: Session) -> None:
    cooperative = make_cooperative(session)
    # The driver's wrapper differs by backend; the cause is ours.
    with pytest.raises(Exception) as raised, session.begin_nested():
        insert_rows(session, IncomeExpense, rows(cooperative.id, ["1.00", "2.005", "3.00"]))
    assert isinstance(root_cause(raised.value), InvalidValue)
    assert session.scalar(select(func.count()).select_from(IncomeExpense)) == 0


def test_no_rows_is_no_statement(session: Session) -> None:
    insert_rows(session, IncomeExpense, [])
    assert session.scalar(select(func.count()).select_from(IncomeExpense)) == 0
