"""Subsidy money, a special fund's form and a contribution's premium, typed in the admin as an accountant types
them: each books its voucher in the same transaction, and a fund that would skip 235 is refused in Chinese."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Account, Cooperative, Member, SpecialFund, Voucher, VoucherLine
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"


def _lines(url: str, summary: str) -> list[tuple[str, str, str]]:
    """The lines (account, debit, credit) of the vouchers whose 摘要 is the summary."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(Account.code, VoucherLine.debit, VoucherLine.credit)
            .join(VoucherLine, VoucherLine.account_id == Account.id)
            .join(Voucher, Voucher.id == VoucherLine.voucher_id)
            .where(Voucher.summary == summary)
            .order_by(Voucher.id, VoucherLine.line_no)
        ).all()
    engine.dispose()
    return [(code, str(debit), str(credit)) for code, debit, credit in rows]


def _ids(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalar(select(Cooperative.id).where(Cooperative.name == CHENLIANG))
        member = session.scalar(select(Member.id).where(Member.cooperative_id == cooperative).order_by(Member.code))
    engine.dispose()
    assert cooperative is not None and member is not None
    return cooperative, member


def test_subsidy_money_typed_in_the_admin_books_102_against_235(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    cooperative_id, _ = _ids(demo_url)
    form = client.get("/admin/special_payable/new/")
    assert "专项应付款" in form.text and "弥补已发生的支出" in form.text
    data = {"csrf_token": csrf_token(form.text), "cooperative_id": str(cooperative_id), "moved_on": "2024-11-02",
            "kind": "received", "amount": "45000.00", "project": "滴灌项目", "expense_account": "",
            "memo": "滴灌补助资金到账"}  # fmt: skip
    assert client.post("/admin/special_payable/new/", data=data).status_code == 302
    assert _lines(demo_url, "滴灌补助资金到账") == [("102", "45000.00", "0.00"), ("235", "0.00", "45000.00")]
    listing = client.get("/admin/special_payable/")
    assert "滴灌项目" in listing.text and "收到财政补助资金" in listing.text


def test_a_fiscal_subsidy_given_as_money_to_311_is_refused_and_nothing_is_written(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    cooperative_id, _ = _ids(demo_url)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        before = session.scalar(select(func.count()).select_from(SpecialFund))
    form = client.get("/admin/special_fund/new/")
    data = {"csrf_token": csrf_token(form.text), "cooperative_id": str(cooperative_id), "received_on": "2024-11-03",
            "source": "fiscal_subsidy", "form": "cash", "amount": "9000.00", "memo": "误把补助记为专项基金",
            "asset_account": ""}  # fmt: skip
    refused = client.post("/admin/special_fund/new/", data=data)
    assert refused.status_code == 200
    assert "财政补助资金在使用前记入 235 专项应付款" in refused.text
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(SpecialFund)) == before
    engine.dispose()
    assert _lines(demo_url, "误把补助记为专项基金") == []


def test_a_premium_typed_with_a_contribution_goes_to_321(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    _, member_id = _ids(demo_url)
    form = client.get("/admin/contribution/new/")
    assert "溢价" in form.text
    data = {"csrf_token": csrf_token(form.text), "member": str(member_id), "entry_on": "2024-11-04",
            "kind": "contribution_cash", "amount": "2000.00", "premium": "500.00", "area_mu": "",
            "memo": "增资入股"}  # fmt: skip
    assert client.post("/admin/contribution/new/", data=data).status_code == 302
    lines = _lines(demo_url, "成员货币出资")
    assert ("321", "0.00", "500.00") in lines and ("102", "2500.00", "0.00") in lines
