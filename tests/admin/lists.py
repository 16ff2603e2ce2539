"""Lists big enough to page through: cooperatives with bulk trades, members, income and vouchers, on a backend,
with an accountant "clerk" of the first and third cooperative and an administrator "chief" (admin.keyset tests)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coopcore.db.bulk import insert_rows
from coopcore.models import (
    Cooperative,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberKind,
    Product,
    Role,
    Trade,
    TradeKind,
    Voucher,
    VoucherOrigin,
    VoucherState,
)
from coopcore.services.users import create_user
from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.admin.demo import sign_in
from tests.backends import BACKENDS, scratch_engine
from tests.distribution.builders import make_example_1

LINK = re.compile(r'rel="(first|prev|next|last)" href="([^"]+)"')
ROW_ID = re.compile(r'class="action-checkbox" value="(\d+)"')
VOUCHER_ID = re.compile(r'<tr id="voucher-(\d+)">')

DAYS = [dt.date(2024, 3, day) for day in (1, 2, 5, 9)]  # few days: most rows tie on the date, the id decides


def add_rows(session: Session, cooperative: Cooperative, trades: int, members: int, vouchers: int) -> None:
    """Bulk rows of a cooperative: trades on a few days with a few amounts, members, and 2024 vouchers."""
    product = session.scalars(select(Product.id)).first()
    taken = session.scalar(select(Trade.id).order_by(Trade.id.desc()).limit(1)) or 0
    insert_rows(session, Trade, [
        {"cooperative_id": cooperative.id, "member_id": None, "counterparty": "收购商", "kind": TradeKind.INTAKE,
         "traded_on": DAYS[i % len(DAYS)], "product_id": product, "grade": "一级", "quantity": Decimal("1"),
         "unit": "kg", "unit_price": Decimal(10 + i % 3), "amount": Decimal(10 + i % 3),
         "ticket_no": f"K{taken}-{i}"}
        for i in range(trades)
    ])  # fmt: skip
    insert_rows(session, Member, [
        {"cooperative_id": cooperative.id, "code": f"K{taken}-{i:04d}", "name": f"成员{i}", "kind": MemberKind.FARMER,
         "id_number": "370602199001011239", "joined_on": dt.date(2023, 1, 1), "is_founder": False,
         "additional_votes": 0, "payee_checked": False}
        for i in range(members)
    ])  # fmt: skip
    insert_rows(session, IncomeExpense, [
        {"cooperative_id": cooperative.id, "recorded_on": DAYS[i % len(DAYS)],
         "category": IncomeCategory.OTHER_INCOME, "amount": Decimal("5.00"), "memo": "", "counter_account": "102",
         "source": "", "origin": "manual"}
        for i in range(trades // 2)
    ])  # fmt: skip
    start = session.scalar(
        select(Voucher.number).where(Voucher.cooperative_id == cooperative.id, Voucher.year == 2024)
        .order_by(Voucher.number.desc()).limit(1)
    ) or 0  # fmt: skip
    insert_rows(session, Voucher, [
        {"cooperative_id": cooperative.id, "year": 2024, "month": 1 + i % 3, "word": "记",
         "number": start + 1 + i, "voucher_date": dt.date(2024, 1 + i % 3, 1), "summary": "",
         "attachments": 0, "state": VoucherState.DRAFT if i % 4 else VoucherState.AUDITED, "prepared_by": "x",
         "audited_by": "", "posted_by": "", "origin": VoucherOrigin.MANUAL, "source_ref": None}
        for i in range(vouchers)
    ])  # fmt: skip


def add_cooperatives(session: Session, sizes: list[int]) -> list[Cooperative]:
    """Example 1's cooperative once per size, each with `size` bulk trades, half as many members and income rows,
    twice as many vouchers."""
    taken = len(session.scalars(select(Cooperative.id)).all())
    cooperatives = [make_example_1(session, number=taken + i + 1, booked=False) for i in range(len(sizes))]
    for cooperative, size in zip(cooperatives, sizes, strict=True):
        add_rows(session, cooperative, trades=size, members=size // 2, vouchers=size * 2)
    return cooperatives


def reach(session: Session, user: str) -> list[int]:
    """The cooperatives a test user reaches (the clerk: every other one, from the first)."""
    ids = list(session.scalars(select(Cooperative.id).order_by(Cooperative.id)))
    return ids[::2] if user == "clerk" else ids


@contextmanager
def county_on(backend: str, folder: Path) -> Iterator[tuple[Flask, Engine]]:
    """Three cooperatives with bulk rows; "clerk" keeps the books of the first and third, "chief" administers."""
    with scratch_engine(backend, folder, "schema") as engine:
        with Session(engine) as session, session.begin():
            cooperatives = add_cooperatives(session, [130, 70, 45])
            create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=cooperatives[::2])
            create_user(session, "chief", DEMO_PASSWORD, Role.ADMIN)
        url = engine.url.render_as_string(hide_password=False)
        app = make_app(url, folder, SECRET_KEY=f"lists-{backend}-{folder.name}")
        try:
            yield app, engine
        finally:
            app.extensions["coop_database"].engine.dispose()  # the server drops no database with a connection open


@pytest.fixture(scope="module", params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Engine]]:
    """The county of county_on, shared by a module's tests that only read."""
    with county_on(request.param, tmp_path_factory.mktemp(f"lists-{request.param}")) as built:
        yield built


def client_of(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, username)
    return client


def page(client: FlaskClient, path: str) -> tuple[list[int], dict[str, str], str]:
    """A list page's row ids in order, its pager links, and its HTML."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    body = response.text
    pattern = VOUCHER_ID if "/books/vouchers/" in path else ROW_ID
    links = {rel: html.unescape(url) for rel, url in LINK.findall(body)}
    return [int(i) for i in pattern.findall(body)], links, body
