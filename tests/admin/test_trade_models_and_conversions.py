"""The admin's side of the bylaws' trade model (the cooperative's form, a product's model) and of conversions
decided with the distribution (the approval form)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import (
    Account,
    Cooperative,
    DistributionLine,
    Product,
    ProductTradeModel,
    Voucher,
    VoucherLine,
    VoucherOrigin,
    VoucherState,
)
from tests.admin.demo import csrf_token, distribution_step, sign_in
from tests.admin.test_concurrent_edits import edit_form

CHENLIANG = "晨靓果业专业合作社"


def _intake(url: str) -> set[tuple[str, VoucherState]]:
    """The stock accounts of 晨靓's intake vouchers, with the state of the voucher each is on."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(Account.code, Voucher.state)
            .join(VoucherLine, VoucherLine.account_id == Account.id)
            .join(Voucher, Voucher.id == VoucherLine.voucher_id)
            .join(Cooperative, Cooperative.id == Voucher.cooperative_id)
            .where(Cooperative.name == CHENLIANG, Voucher.origin == VoucherOrigin.TRADE)
            .where(Voucher.source_ref.like("trade:%:intake%"), Account.code.in_(("121", "128")))
        ).all()
    engine.dispose()
    return {(code, state) for code, state in rows}


def _ids(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative.id).where(Cooperative.name == CHENLIANG)).one()
        product = session.scalars(select(Product.id).order_by(Product.id)).first()
    engine.dispose()
    assert product is not None
    return cooperative, product


def test_changing_the_cooperatives_model_rebooks_its_unposted_intake_and_keeps_the_posted(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    cooperative, _ = _ids(demo_url)
    before = _intake(demo_url)
    assert {code for code, _ in before} == {"121"} and VoucherState.DRAFT in {state for _, state in before}
    url = f"/admin/cooperative/edit/?id={cooperative}"
    page = client.get(url).text
    assert "产品经营模式" in page and "受托代销" in page
    assert client.post(url, data={**edit_form(client, url), "trade_model": "agency"}).status_code == 302
    after = _intake(demo_url)
    assert ("128", VoucherState.DRAFT) in after and ("121", VoucherState.DRAFT) not in after
    assert {state for code, state in after if code == "121"} <= {VoucherState.POSTED}


def test_a_products_own_model_is_kept_per_cooperative_and_rebooks_that_products_intake(
    client: FlaskClient, demo_url: str
) -> None:
    sign_in(client, "accountant")
    cooperative, product = _ids(demo_url)
    page = client.get("/admin/product_trade_model/new/")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.text), "cooperative": str(cooperative), "product": str(product),
            "model": "agency"}  # fmt: skip
    assert client.post("/admin/product_trade_model/new/", data=data).status_code == 302
    engine = make_engine(demo_url)
    with Session(engine) as session:
        saved = session.scalars(select(ProductTradeModel)).one()
        assert (saved.cooperative_id, saved.product_id, saved.model.value) == (cooperative, product, "agency")
    engine.dispose()
    assert client.get("/admin/product_trade_model/").status_code == 200


def test_the_approval_form_records_a_conversion_with_its_resolution(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    cooperative, _ = _ids(demo_url)
    distribution_step(client, cooperative, "plan")
    distribution_step(client, cooperative, "publish", published_on="2025-03-01", assembly_on="2025-03-20")
    approval = {"assembly_on": "2025-03-20", "members_present": "110", "votes_for": "100"}
    page = distribution_step(client, cooperative, "approve", **approval, conversions="M002=100.00")
    assert "须经成员大会决议" in page  # refused without its resolution
    page = distribution_step(client, cooperative, "approve", **approval, conversions="M002=100.00\nM003=50",
                             resolution="社员大会决议〔2025〕1号")  # fmt: skip
    assert "已通过" in page and "转为出资" in page, re.findall(r"alert[^>]*>([^<]*)", page)
    engine = make_engine(demo_url)
    with Session(engine) as session:
        converted = dict(session.execute(select(DistributionLine.member_code, DistributionLine.converted)
                                         .where(DistributionLine.converted > 0)).all())  # fmt: skip
    engine.dispose()
    assert {code: str(value) for code, value in converted.items()} == {"M002": "100.00", "M003": "50.00"}


def test_the_approval_form_refuses_covering_a_loss_the_year_does_not_leave(client: FlaskClient, demo_url: str) -> None:
    sign_in(client, "accountant")
    cooperative, _ = _ids(demo_url)
    distribution_step(client, cooperative, "plan")
    distribution_step(client, cooperative, "publish", published_on="2025-03-01", assembly_on="2025-03-20")
    approval = {"assembly_on": "2025-03-20", "members_present": "110", "votes_for": "100"}
    page = distribution_step(client, cooperative, "approve", **approval, loss_covered="100.00")
    assert "用盈余公积弥补亏损须有成员大会决议" in page
    page = distribution_step(client, cooperative, "approve", **approval, loss_covered="100.00",
                             resolution="社员大会决议〔2025〕1号")  # fmt: skip
    assert "盈余弥补后尚未弥补的亏损为 0.00" in page, re.findall(r"alert[^>]*>([^<]*)", page)
    page = distribution_step(client, cooperative, "approve", **approval, loss_covered="",
                             resolution="社员大会决议〔2025〕1号")  # fmt: skip
    assert "已通过" in page and "盈余公积弥补亏损" in page, re.findall(r"alert[^>]*>([^<]*)", page)
