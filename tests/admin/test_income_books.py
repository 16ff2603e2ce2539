"""A 收支 row typed in the admin books its voucher in the same transaction; a closed month refuses both."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Account, Cooperative, IncomeExpense, Voucher, VoucherLine
from coopcore.services.ledger import close_period
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"


def _state(url: str, memo: str) -> tuple[int, list[tuple[str, str, str]]]:
    """How many 收支 rows carry the memo, and the lines (account, debit, credit) of their vouchers."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.scalar(select(func.count(IncomeExpense.id)).where(IncomeExpense.memo == memo)) or 0
        lines = session.execute(
            select(VoucherLine.account_id, VoucherLine.debit, VoucherLine.credit)
            .join(Voucher)
            .where(Voucher.summary == memo)
            .order_by(VoucherLine.line_no)
        ).all()
        codes = {account.id: account.code for account in session.scalars(select(Account))}
    engine.dispose()
    return rows, [(codes[account], str(debit), str(credit)) for account, debit, credit in lines]


def _form(token: str, cooperative_id: int, day: str, memo: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "cooperative_id": str(cooperative_id),
        "recorded_on": day,
        "category": "admin_expense",
        "amount": "1234.50",
        "memo": memo,
        "voucher_no": "",
    }


def _cooperative_id(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.scalar(select(Cooperative.id).where(Cooperative.name == CHENLIANG))
    engine.dispose()
    assert found is not None
    return found


def test_a_typed_expense_books_its_voucher_and_deleting_it_takes_the_voucher_out(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    cooperative_id = _cooperative_id(demo_url)
    form = client.get("/admin/income_expense/new/")
    saved = client.post("/admin/income_expense/new/", data=_form(csrf_token(form.text), cooperative_id, "2024-11-05",
                                                                  "村部办公用品"))  # fmt: skip
    assert saved.status_code == 302
    assert _state(demo_url, "村部办公用品") == (1, [("523", "1234.50", "0.00"), ("102", "0.00", "1234.50")])

    engine = make_engine(demo_url)
    with Session(engine) as session:
        record_id = session.scalar(select(IncomeExpense.id).where(IncomeExpense.memo == "村部办公用品"))
    engine.dispose()
    listing = client.get("/admin/income_expense/")
    deleted = client.post("/admin/income_expense/delete/", data={"csrf_token": csrf_token(listing.text),
                                                                  "id": str(record_id)})  # fmt: skip
    assert deleted.status_code == 302
    assert _state(demo_url, "村部办公用品") == (0, [])


def test_a_row_dated_in_a_closed_month_is_refused_with_its_voucher_and_nothing_is_written(
    client: FlaskClient, demo_url: str
) -> None:
    cooperative_id = _cooperative_id(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative = session.get(Cooperative, cooperative_id)
        assert cooperative is not None
        close_period(session, cooperative, 2024, 3, by="会计甲")
        session.commit()
    engine.dispose()
    sign_in(client, "accountant")
    form = client.get("/admin/income_expense/new/")
    refused = client.post("/admin/income_expense/new/", data=_form(csrf_token(form.text), cooperative_id, "2024-03-10",
                                                                    "三月补记费用"))  # fmt: skip
    assert refused.status_code == 200
    assert "已结账" in refused.text
    assert _state(demo_url, "三月补记费用") == (0, [])


def test_a_typed_row_books_against_its_counter_account_and_one_that_makes_no_sense_is_refused(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    cooperative_id = _cooperative_id(demo_url)
    form = client.get("/admin/income_expense/new/")
    assert "对方科目" in form.text
    data = {**_form(csrf_token(form.text), cooperative_id, "2024-11-06", "现金购买茶叶"), "counter_account": "101"}
    assert client.post("/admin/income_expense/new/", data=data).status_code == 302
    assert _state(demo_url, "现金购买茶叶") == (1, [("523", "1234.50", "0.00"), ("101", "0.00", "1234.50")])

    form = client.get("/admin/income_expense/new/")
    data = {**_form(csrf_token(form.text), cooperative_id, "2024-11-06", "记错科目"), "counter_account": "501"}
    refused = client.post("/admin/income_expense/new/", data=data)
    assert refused.status_code == 200
    assert "不能作为收支记录的对方科目" in refused.text
    assert _state(demo_url, "记错科目") == (0, [])
