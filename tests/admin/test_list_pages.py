"""The big lists page by key (admin.keyset): every page a link leads to holds the rows an OFFSET query finds at
its place, on every backend; a key in a link never reaches beyond the user's cooperatives; an unfiltered list of a
huge table says its count is an estimate."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from admin import keyset
from coopcore.models import (
    Cooperative,
    IncomeExpense,
    Member,
    Trade,
    Voucher,
    VoucherState,
)
from tests.admin.lists import client_of, county, page, reach

__all__ = ["county"]  # the module's fixture


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


ORDERS = {
    "mixed directions": ((Trade.amount, True), (Trade.traded_on, False), (Trade.id, False)),
    "newest first": ((Trade.traded_on, True), (Trade.id, True)),
}


@pytest.mark.parametrize("expanded", [False, True], ids=["row values", "column by column"])
@pytest.mark.parametrize("order", list(ORDERS))
def test_a_key_walks_every_row_once_in_order_both_ways(
    county: tuple[Flask, Engine], order: str, expanded: bool
) -> None:
    _app, engine = county
    key = (keyset._ExpandedKey if expanded else keyset.SortKey)(ORDERS[order])
    rows = select(Trade.amount, Trade.traded_on, Trade.id)
    with Session(engine) as session:
        expected = [tuple(row) for row in session.execute(rows.order_by(*key.order()))]
        for forward in (True, False):
            walked: list[tuple[Any, ...]] = []
            edge = None
            while True:
                query = rows if edge is None else rows.where(key.beyond(edge, forward=forward))
                found = session.execute(query.order_by(*key.order(not forward)).limit(7)).all()
                if not found:
                    break
                walked += [tuple(row) for row in found]
                edge = key.decode(key.encode(key.of(found[-1])))  # as it travels in a link
            assert walked == (expected if forward else expected[::-1]), forward
