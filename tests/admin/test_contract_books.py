"""The cooperative's form switches booking its contract sales from the contracts on and off; the delivery forms keep
those vouchers in step; a cooperative with a contract in a closed month is refused, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Account, Contract, Cooperative, Delivery, Voucher, VoucherLine
from coopcore.services.contracts import contract_status
from tests.admin.demo import csrf_token, sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"


def _books(url: str, cooperative_id: int) -> tuple[int, Decimal, Decimal]:
    """The cooperative's contract vouchers: how many, their 501 credits and their 113 debits."""
    engine = make_engine(url)
    with Session(engine) as session:
        found = select(Voucher.id).where(Voucher.cooperative_id == cooperative_id,
                                         Voucher.source_ref.startswith("contract:"))  # fmt: skip
        count = session.scalar(select(func.count()).select_from(found.subquery())) or 0
        totals = {
            code: session.scalar(
                select(func.coalesce(func.sum(column), 0))
                .join(Account, Account.id == VoucherLine.account_id)
                .where(VoucherLine.voucher_id.in_(found), Account.code == code)
            )
            for code, column in (("501", VoucherLine.credit), ("113", VoucherLine.debit))
        }
    engine.dispose()
    return count, Decimal(totals["501"]), Decimal(totals["113"])


def _cooperative_with_contracts_in_2024(url: str) -> tuple[int, str, int]:
    """A demo cooperative whose contracts all fall in 2024 (open in the demo's books), and one of its deliveries."""
    engine = make_engine(url)
    with Session(engine) as session:
        earliest = func.min(Contract.signed_on)
        cooperative_id, credit_code = session.execute(
            select(Cooperative.id, Cooperative.credit_code)
            .join(Contract, Contract.cooperative_id == Cooperative.id)
            .group_by(Cooperative.id, Cooperative.credit_code)
            .having(func.extract("year", earliest) == 2024)
            .order_by(Cooperative.id)
            .limit(1)
        ).one()
        delivery_id = session.scalars(
            select(Delivery.id)
            .join(Contract)
            .where(Contract.cooperative_id == cooperative_id, Delivery.accepted_quantity > 0)
            .order_by(Delivery.delivered_on, Delivery.id)
        ).first()
    engine.dispose()
    assert delivery_id is not None
    return cooperative_id, credit_code, delivery_id


def _settled(url: str, credit_code: str) -> Decimal:
    engine = make_engine(url)
    with Session(engine) as session:
        report = contract_status(session, year=2024, cooperative=credit_code)
    engine.dispose()
    return sum((row.fulfilment.metrics.settled for row in report.contracts), Decimal(0))


def test_switching_the_setting_books_the_contracts_the_delivery_forms_follow_and_switching_off_takes_them_out(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "admin")
    cooperative_id, credit_code, delivery_id = _cooperative_with_contracts_in_2024(demo_url)
    assert _books(demo_url, cooperative_id)[0] == 0  # off in the demo: its sales are in its 收支

    url = f"/admin/cooperative/edit/?id={cooperative_id}"
    form = edit_form(client, url)
    assert "ledger_books_sales" not in form  # an unchecked box
    assert "订单销售按合同记账" in client.get(url).text
    assert client.post(url, data={**form, "ledger_books_sales": "y"}).status_code == 302
    count, income, _ = _books(demo_url, cooperative_id)
    assert count > 0 and income == _settled(demo_url, credit_code)  # 501 is what the deliveries settled at

    url = f"/admin/delivery/edit/?id={delivery_id}"
    form = edit_form(client, url)
    assert client.post(url, data={**form, "accepted_quantity": "0"}).status_code == 302  # all of it refused
    assert _books(demo_url, cooperative_id)[1] == _settled(demo_url, credit_code) < income

    listing = client.get("/admin/delivery/")
    other = _cooperative_with_contracts_in_2024(demo_url)[2]  # the first delivery still accepted
    deleted = client.post("/admin/delivery/delete/", data={"csrf_token": csrf_token(listing.text), "id": str(other)})
    assert deleted.status_code == 302
    assert _books(demo_url, cooperative_id)[1] == _settled(demo_url, credit_code)

    url = f"/admin/cooperative/edit/?id={cooperative_id}"
    form = edit_form(client, url)
    assert form["ledger_books_sales"] == "y"
    assert client.post(url, data={k: v for k, v in form.items() if k != "ledger_books_sales"}).status_code == 302
    assert _books(demo_url, cooperative_id)[0] == 0  # drafts in an open year: taken out


def test_a_cooperative_with_a_contract_in_a_closed_month_is_refused_and_nothing_is_written(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "admin")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        cooperative_id = session.scalar(select(Cooperative.id).where(Cooperative.name == CHENLIANG))
    engine.dispose()
    url = f"/admin/cooperative/edit/?id={cooperative_id}"
    refused = client.post(url, data={**edit_form(client, url), "ledger_books_sales": "y"})
    assert refused.status_code == 200
    # Its 2023 contract (the demo closed 2023): every booking that would fall in a closed month is named.
    assert "未开启“订单销售按合同记账”，账簿未作任何改动" in refused.text
    assert "已结账期间（2023-" in refused.text and "日期2023-" in refused.text and "订单预付款" in refused.text
    engine = make_engine(demo_url)
    with Session(engine) as session:
        assert session.get_one(Cooperative, cooperative_id).ledger_books_sales is False
    engine.dispose()
    assert cooperative_id is not None and _books(demo_url, cooperative_id)[0] == 0
