"""The big lists page by key (admin.keyset): every page a link leads to holds the rows an OFFSET query finds at
its place, on every backend; a key in a link never reaches beyond the user's cooperatives; an unfiltered list of a
huge table says its count is an estimate."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from admin import keyset
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


@pytest.fixture(scope="module", params=BACKENDS)
def county(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Engine]]:
    """Three cooperatives with bulk rows; "clerk" keeps the books of the first and third, "chief" administers."""
    folder = tmp_path_factory.mktemp(f"lists-{request.param}")
    with scratch_engine(request.param, folder, "schema") as engine:
        with Session(engine) as session, session.begin():
            cooperatives = [make_example_1(session, number=i + 1, booked=False) for i in range(3)]
            for cooperative, size in zip(cooperatives, (130, 70, 45), strict=True):
                add_rows(session, cooperative, trades=size, members=size // 2, vouchers=size * 2)
            create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=cooperatives[::2])
            create_user(session, "chief", DEMO_PASSWORD, Role.ADMIN)
        url = engine.url.render_as_string(hide_password=False)
        app = make_app(url, folder, SECRET_KEY=f"lists-{request.param}")
        yield app, engine
        app.extensions["coop_database"].engine.dispose()  # the server drops no database with a connection open


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


def reach(session: Session, user: str) -> list[int]:
    """The cooperatives a test user reaches."""
    ids = list(session.scalars(select(Cooperative.id).order_by(Cooperative.id)))
    return ids[::2] if user == "clerk" else ids


# (list path, a query of every id of the list in its order for the cooperatives given, page size)
def trade_ids(order: str) -> Any:
    orders: dict[str, tuple[Any, ...]] = {
        "default": (Trade.traded_on.desc(), Trade.id.desc()),
        "amount": (Trade.amount.asc(), Trade.id.asc()),
    }
    return lambda coops: select(Trade.id).where(Trade.cooperative_id.in_(coops)).order_by(*orders[order])


LISTS = {
    "trades, newest first": ("/admin/trade/?page_size=20", trade_ids("default"), 20),
    # column 8 of the list is the amount: a user's sort, with ties broken by the id
    "trades by amount": ("/admin/trade/?sort=8&page_size=20", trade_ids("amount"), 20),
    "members by cooperative and code": (
        "/admin/member/?page_size=20",
        lambda coops: (
            select(Member.id)
            .where(Member.cooperative_id.in_(coops))
            .order_by(Member.cooperative_id, Member.code, Member.id)
        ),
        20,
    ),
    "income and expense": (
        "/admin/income_expense/?page_size=20",
        lambda coops: (
            select(IncomeExpense.id)
            .where(IncomeExpense.cooperative_id.in_(coops))
            .order_by(IncomeExpense.recorded_on.desc(), IncomeExpense.id.desc())
        ),
        20,
    ),
}


def offset_page(engine: Engine, query: Any, number: int, size: int) -> list[int]:
    """Page `number` (from 0) of an ordered query, the way OFFSET reads it."""
    with Session(engine) as session:
        return list(session.scalars(query.offset(number * size).limit(size)))


@pytest.mark.parametrize("user", ["chief", "clerk"])
@pytest.mark.parametrize("name", list(LISTS))
def test_every_page_the_pager_leads_to_holds_the_rows_offset_finds_there(
    county: tuple[Flask, Engine], name: str, user: str
) -> None:
    app, engine = county
    path, ids_of, size = LISTS[name]
    client = client_of(app, user)
    with Session(engine) as session:
        query = ids_of(reach(session, user))
        total = len(session.scalars(query).all())
    pages = -(-total // size)
    assert pages >= 4, "the list must span several pages"
    # Forward from the first page by the next links, to the end.
    seen, links, _html = page(client, path)
    number = 0
    while True:
        assert seen == offset_page(engine, query, number, size), (name, user, number)
        if "next" not in links:
            break
        seen, links, _html = page(client, links["next"])
        number += 1
    assert number == pages - 1
    # Back from the last page by the previous links, to the start.
    seen, links, _html = page(client, f"{path}&page=-1")
    number = pages - 1
    while True:
        assert seen == offset_page(engine, query, number, size), (name, user, number)
        if "prev" not in links:
            break
        seen, links, _html = page(client, links["prev"])
        number -= 1
    assert number == 0
    # A page number typed in (read from the nearer end) and a page number in a link without a key.
    for typed in (2, pages - 1):
        assert page(client, f"{path}&goto={typed}")[0] == offset_page(engine, query, typed - 1, size)
        assert page(client, f"{path}&page={typed - 1}")[0] == offset_page(engine, query, typed - 1, size)


@pytest.mark.parametrize("user", ["chief", "clerk"])
def test_the_voucher_list_pages_by_month_and_number_as_offset_does(county: tuple[Flask, Engine], user: str) -> None:
    app, engine = county
    client = client_of(app, user)
    with Session(engine) as session:
        cooperative = reach(session, user)[0]
        query = (
            select(Voucher.id)
            .where(Voucher.cooperative_id == cooperative, Voucher.year == 2024)
            .order_by(Voucher.month, Voucher.number)
        )
    path = f"/admin/books/vouchers/?cooperative={cooperative}&year=2024"
    seen, links, _html = page(client, path)
    number = 0
    while True:
        assert seen == offset_page(engine, query, number, 100), number
        if "next" not in links:
            break
        seen, links, _html = page(client, links["next"])
        number += 1
    assert number == 2  # 260 vouchers
    seen, links, _html = page(client, path + "&page=-1")
    assert seen == offset_page(engine, query, 2, 100)
    assert page(client, links["prev"])[0] == offset_page(engine, query, 1, 100)
    drafts = page(client, path + "&state=draft")[0]
    assert drafts == offset_page(engine, query.where(Voucher.state == VoucherState.DRAFT), 0, 100)


def test_a_key_in_a_link_reaches_no_row_of_another_cooperative(county: tuple[Flask, Engine]) -> None:
    app, engine = county
    client = client_of(app, "clerk")
    key = keyset.SortKey(((Trade.traded_on, True), (Trade.id, True)))
    with Session(engine) as session:
        mine, theirs = reach(session, "clerk"), reach(session, "chief")[1]
        newest_of_theirs = session.execute(
            select(Trade.traded_on, Trade.id).where(Trade.cooperative_id == theirs)
            .order_by(Trade.traded_on.desc(), Trade.id.desc()).limit(1)
        ).one()  # fmt: skip
        oldest_of_theirs = session.execute(
            select(Trade.traded_on, Trade.id).where(Trade.cooperative_id == theirs)
            .order_by(Trade.traded_on, Trade.id).limit(1)
        ).one()  # fmt: skip
        their_ids = set(session.scalars(select(Trade.id).where(Trade.cooperative_id == theirs)))
        my_ids = set(session.scalars(select(Trade.id).where(Trade.cooperative_id.in_(mine))))
    for arg, row in (("after", newest_of_theirs), ("before", oldest_of_theirs)):
        seen, _links, _body = page(client, f"/admin/trade/?page=3&{arg}={key.encode(tuple(row))}")
        assert seen and set(seen) <= my_ids and not set(seen) & their_ids, arg
    # A key that is not one of the list's order (or not a key at all) is nobody's link.
    assert client.get(f"/admin/trade/?after={key.encode((1, 2, 3))}").status_code == 404
    assert client.get("/admin/trade/?after=not-a-key").status_code == 404
    assert client.get("/admin/trade/?goto=zero").status_code == 404


def test_an_unfiltered_list_of_a_huge_table_says_its_count_is_estimated(
    county: tuple[Flask, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, engine = county
    monkeypatch.setattr(keyset, "ESTIMATE_FROM", 10)
    monkeypatch.setattr(keyset, "_estimates", {})
    with engine.connect() as connection:
        analyze = {"sqlite": "ANALYZE", "mysql": "ANALYZE TABLE trade"}.get(engine.dialect.name, "ANALYZE trade")
        connection.execute(text(analyze))
        connection.commit()
    chief = client_of(app, "chief")
    _ids, links, body = page(chief, "/admin/trade/?page_size=20")
    # The catalogue's estimate after ANALYZE (MariaDB's is near the count, not at it) is labelled as one.
    at = re.search(r'class="page-link coop-page-at">([^<]+)<', body)
    assert at and at.group(1).startswith("第 1 页，约 ") and "列表 (约 " in body, at
    # The last page is read from the end without a count, and says so; it holds the oldest rows.
    last, links, body = page(chief, links["last"])
    assert "倒数第 1 页" in body
    with Session(engine) as session:
        oldest = list(session.scalars(select(Trade.id).order_by(Trade.traded_on, Trade.id).limit(20)))
    assert last == oldest[::-1]
    assert "倒数第 2 页" in page(chief, links["prev"])[2]
    # Filtered, or for a user with a reach, the count is exact.
    with Session(engine) as session:
        first = session.scalars(select(Cooperative.id).order_by(Cooperative.id)).first()
        mine = session.scalar(select(func.count(Trade.id)).where(Trade.cooperative_id == first)) or 0
        clerks = session.scalar(select(func.count(Trade.id)).where(Trade.cooperative_id.in_(reach(session, "clerk"))))
    body = page(chief, f"/admin/trade/?flt0_5={first}")[2]
    assert f"第 1 页，共 {-(-mine // 20)} 页" in body and f"列表 ({mine})" in body
    body = page(client_of(app, "clerk"), "/admin/trade/")[2]
    assert f"第 1 页，共 {-(-(clerks or 0) // 20)} 页" in body and f"列表 ({clerks})" in body
