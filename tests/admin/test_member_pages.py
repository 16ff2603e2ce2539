"""The member pages: details link to the account, members with an account are never deleted, units on quantities."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.errors import RuleViolation
from coopcore.models import Cooperative, Delivery, Member, MemberAccountEntry, MemberKind, Product, Trade
from coopcore.services import exits
from tests.admin.demo import csrf_token, sign_in

CHENLIANG = "晨靓果业专业合作社"


def _chenliang(url: str) -> tuple[int, Member]:
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        coop = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        member = session.scalars(select(Member).where(Member.cooperative_id == coop.id, Member.code == "M002")).one()
    engine.dispose()
    return coop.id, member


def _add_member_without_account(url: str, coop_id: int) -> int:
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        member = Member(
            cooperative_id=coop_id,
            code="M999",
            name="王录错",
            kind=MemberKind.FARMER,
            id_number="370602197001010016",
            joined_on=dt.date(2024, 3, 1),
        )
        session.add(member)
        session.flush()
        member_id = member.id
    engine.dispose()
    return member_id


def _exists(url: str, member_id: int) -> bool:
    engine = make_engine(url)
    with Session(engine) as session:
        found = session.get(Member, member_id) is not None
    engine.dispose()
    return found


def _delete_forms(page: str) -> set[str]:
    """The ids the list's delete buttons would delete."""
    forms = re.findall(r'<form class="icon" method="POST" action="/admin/member/delete/">(.*?)</form>', page, re.S)
    return {re.search(r'name="id" type="hidden" value="(\d+)"', form).group(1) for form in forms}  # type: ignore[union-attr]


def test_the_member_details_link_to_the_members_account(reader: FlaskClient, shared_app: Flask) -> None:
    _, member = _chenliang(shared_app.config["COOP_DATABASE_URL"])
    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/member/details/?id={member.id}").text
    assert f'href="/admin/member-account/?id={member.id}"' in page
    assert reader.get(f"/admin/member-account/?id={member.id}").status_code == 200


def test_a_member_with_account_entries_has_no_delete_button_and_cannot_be_deleted(
    client: FlaskClient, demo_url: str
) -> None:
    coop_id, member = _chenliang(demo_url)
    mistake = _add_member_without_account(demo_url, coop_id)
    sign_in(client, "accountant")
    for search, shown, deletable in ((member.code, member.id, False), ("王录错", mistake, True)):
        page = client.get(f"/admin/member/?flt0_0={coop_id}&search={search}").text
        assert re.findall(r'name="rowid" class="action-checkbox" value="(\d+)"', page) == [str(shown)]
        # Only the member entered by mistake, who has no account yet, has a delete button.
        assert _delete_forms(page) == ({str(shown)} if deletable else set())
    details = client.get(f"/admin/member/details/?id={member.id}").text
    assert "/admin/member/delete/" not in details

    refused = client.post(
        "/admin/member/delete/", data={"id": str(member.id), "csrf_token": csrf_token(page)}, follow_redirects=True
    )
    assert refused.status_code == 200
    assert f"成员 {member.code} 的成员账户已有记录，不能删除" in refused.text
    assert _exists(demo_url, member.id)

    gone = client.post("/admin/member/delete/", data={"id": str(mistake), "csrf_token": csrf_token(page)})
    assert gone.status_code == 302 and not _exists(demo_url, mistake)


def test_the_rule_is_coopcores_on_every_backend(example_app: tuple[Flask, Engine]) -> None:
    _, engine = example_app
    with Session(engine) as session:
        member = session.scalars(
            select(Member).where(Member.id.in_(select(MemberAccountEntry.member_id))).order_by(Member.code)
        ).first()
        assert member is not None
        with pytest.raises(RuleViolation) as refused:
            exits.check_deletable(session, member)
        assert refused.value.fields["code"] == member.code
        everyone = session.scalars(select(Member.id)).all()
        holders = set(session.scalars(select(MemberAccountEntry.member_id)).all())
        assert exits.members_with_accounts(session, everyone) == holders


QUANTITY_WITH_UNIT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)? (kg|袋|千只|瓶)$")


def test_quantities_carry_their_unit_in_the_transactions_list(reader: FlaskClient, shared_app: Flask) -> None:
    engine = make_engine(shared_app.config["COOP_DATABASE_URL"])
    with Session(engine) as session:
        fertiliser = session.scalars(select(Product.id).where(Product.name == "复合肥")).one()
        bags = session.scalars(select(Trade).where(Trade.product_id == fertiliser, Trade.unit == "袋")).first()
    engine.dispose()
    assert bags is not None
    sign_in(reader, "admin")
    page = reader.get(f"/admin/trade/?flt0_1={fertiliser}&page_size=20").text  # the product filter
    cells = re.findall(r'<td class="col-quantity">([^<]*)</td>', page.split("<tfoot", 1)[0])
    assert len(cells) == 20 and all(QUANTITY_WITH_UNIT.match(cell) for cell in cells), cells
    assert any(cell.endswith(" 袋") for cell in cells)
    assert not re.search(r"col-unit[\"\s]", page)  # the unit is with the quantity, not a column of its own


def test_quantities_carry_their_unit_in_deliveries_and_the_member_account(
    reader: FlaskClient, shared_app: Flask
) -> None:
    url = shared_app.config["COOP_DATABASE_URL"]
    _, member = _chenliang(url)
    engine = make_engine(url)
    with Session(engine) as session:
        delivered = session.scalars(select(Delivery).order_by(Delivery.delivered_on.desc(), Delivery.id)).first()
        assert delivered is not None
        unit = delivered.contract.unit
        traded = session.scalar(
            select(func.count(Trade.id)).where(Trade.member_id == member.id, Trade.traded_on >= dt.date(2024, 1, 1))
        )
    engine.dispose()
    sign_in(reader, "admin")
    page = reader.get("/admin/delivery/?page_size=20").text.split("<tfoot", 1)[0]
    for column in ("quantity", "accepted_quantity"):
        cells = re.findall(rf'<td class="col-{column}">([^<]*)</td>', page)
        assert len(cells) == 20 and all(QUANTITY_WITH_UNIT.match(cell) for cell in cells), cells
    assert f" {unit}</td>" in page and "object at 0x" not in page  # contracts by their code

    assert traded
    account = reader.get(f"/admin/member-account/?id={member.id}&year=2024").text
    quantities = re.findall(r'<td class="num coop-quantity">([^<]*)</td>', account)
    assert len(quantities) >= traded  # each transaction, and each product's year total
    assert all(QUANTITY_WITH_UNIT.match(cell) for cell in quantities), quantities


def test_the_one_quantity_formatter_writes_the_number_as_the_admin_does_and_the_unit_after_it(
    shared_app: Flask,
) -> None:
    from admin.formatters import quantity_with_unit
    from admin.i18n import quantity

    with shared_app.test_request_context():
        for value, unit, shown in (
            (Decimal("28.0000"), "袋", "28 袋"),
            (Decimal("9572.2000"), "kg", "9,572.2 kg"),
            (Decimal("0.5"), "", "0.5"),
            (None, "kg", ""),
        ):
            assert quantity_with_unit(value, unit) == shown
            assert quantity_with_unit(value, unit).startswith(quantity(value))


def test_the_patronage_of_a_plan_measured_by_quantity_carries_the_unit_of_the_produce(
    reader: FlaskClient, shared_app: Flask
) -> None:
    from coopcore.models import Distribution, PatronageMeasure

    engine = make_engine(shared_app.config["COOP_DATABASE_URL"])
    with Session(engine) as session:
        plan = session.scalars(
            select(Distribution).where(Distribution.patronage_measure == PatronageMeasure.QUANTITY)
        ).first()
        assert plan is not None
        units = set(
            session.scalars(
                select(Trade.unit).where(Trade.cooperative_id == plan.cooperative_id, Trade.kind == "intake")
            )
        )
        where = f"cooperative={plan.cooperative_id}&year={plan.year}"
    engine.dispose()
    assert units == {"kg"}
    sign_in(reader, "admin")
    page = reader.get(f"/admin/distribution/?{where}").text
    cells = re.findall(r'<td class="num col-patronage">([^<]*)</td>', page)
    assert len(cells) > 10 and all(QUANTITY_WITH_UNIT.match(cell) and cell.endswith(" kg") for cell in cells), cells
