"""The statements in the admin: a cooperative's three forms with the service's figures, an open year marked 未审计,
the township roll-up for its officials in yuan and 万元, and 02表 lines 1-13 on the distribution page before the
plan is made."""

from __future__ import annotations

import re
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.i18n import figure
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Distribution, Township
from coopcore.rules.statements import BALANCE_SHEET, SURPLUS_STATEMENT, Statements
from coopcore.rules.statements.rollup import in_wan
from coopcore.services.statements import statements_as_they_stand
from coopcore.services.statements.township import TownshipStatements, township_as_they_stand
from tests.admin.demo import csrf_token, distribution_step, sign_in

CHENLIANG, FENGMING, QUANSHAN = "晨靓果业专业合作社", "凤鸣街道", "泉山街道"
CELL = re.compile(r'<td class="num" id="([\w-]+)">([^<]*)</td>')


def cells(html: str) -> dict[str, Decimal]:
    """The page's amounts by their cell ids, read back as Decimals (¥ and separators dropped)."""
    return {key: Decimal(re.sub(r"[^\d.-]", "", value)) for key, value in CELL.findall(html) if value}


def expected(found: Statements) -> dict[str, Decimal]:
    """What the page must show: every line of 01表 and 02表, as the service fills them."""
    shown = {f"bs-{line.number}-{column}": getattr(found, column)[line.number]
             for line in BALANCE_SHEET for column in ("closing", "opening")}  # fmt: skip
    for line in SURPLUS_STATEMENT:
        shown[f"surplus-statement-{line.number}-this"] = found.this_year[line.number]
        shown[f"surplus-statement-{line.number}-last"] = found.last_year[line.number]
    return shown


def of_service(url: str, year: int, month: int = 12, name: str = CHENLIANG) -> tuple[int, Statements, bool]:
    engine = make_engine(url)
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == name)).one()
        found, closed = statements_as_they_stand(session, cooperative, year, month)
        cooperative_id = cooperative.id
    engine.dispose()
    return cooperative_id, found, closed


def roll_up(url: str, name: str, year: int) -> tuple[int, TownshipStatements]:
    engine = make_engine(url)
    with Session(engine) as session:
        township = session.scalars(select(Township).where(Township.name == name)).one()
        rolled = township_as_they_stand(session, township, year)
        township_id = township.id
    engine.dispose()
    return township_id, rolled


def test_an_open_year_shows_the_books_as_they_stand_marked_unaudited(reader: FlaskClient, demo_url: str) -> None:
    coop, found, closed = of_service(demo_url, 2024)
    sign_in(reader, "accountant")
    page = reader.get(f"/admin/books/statements/?cooperative={coop}&year=2024").text
    assert not closed and 'id="statements-unaudited"' in page and "未审计：本期尚未结账" in page
    assert cells(page) | expected(found) == cells(page)  # every line of 01表 and 02表 with the service's figure
    assert found.closing[22] == found.closing[42] and found.this_year[12] > 0  # the open year's drafts count
    assert "资产负债表" in page and "会农社03表" in page and "2024年12月31日" in page


def test_a_closed_year_counts_its_posted_vouchers_and_is_not_marked(reader: FlaskClient, demo_url: str) -> None:
    coop, found, closed = of_service(demo_url, 2023)
    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/books/statements/?cooperative={coop}&year=2023").text
    assert closed and 'id="statements-unaudited"' not in page and 'id="statements-final"' in page
    assert cells(page) | expected(found) == cells(page)


def test_a_month_end_balance_sheet_is_dated_on_the_months_last_day(reader: FlaskClient, demo_url: str) -> None:
    coop, found, _ = of_service(demo_url, 2024, 6)
    sign_in(reader, "accountant")
    page = reader.get(f"/admin/books/statements/?cooperative={coop}&year=2024&month=6").text
    assert "2024年6月30日" in page
    assert cells(page)["bs-1-closing"] == found.closing[1]
    assert 'name="month" value="6"' in page  # the PDF and XLSX buttons ask for the same month


def test_an_official_sees_the_township_roll_up_in_yuan_and_in_wan_with_who_is_not_closed(
    reader: FlaskClient, demo_url: str
) -> None:
    township, rolled = roll_up(demo_url, FENGMING, 2024)
    sign_in(reader, "official1")
    page = reader.get(f"/admin/township-statements/?township={township}&year=2024").text
    count = f"汇总 {len(rolled.cooperatives)} 个合作社（含联合社），其中 {len(rolled.not_closed)} 个本期尚未结账。"
    assert count in page and rolled.not_closed and 'id="statements-unaudited"' in page
    assert all(rolled.names[code] in page for code in rolled.not_closed)
    assert cells(page) | expected(rolled.statements) == cells(page)
    wan = reader.get(f"/admin/township-statements/?township={township}&year=2024&unit=wan").text
    assert "单位：万元" in wan and "四舍五入" in wan
    assert cells(wan)["bs-22-closing"] == in_wan(rolled.statements.closing[22])
    assert f">{figure(in_wan(rolled.statements.this_year[12]))}<" in wan
    assert 'id="balance-sheet"' in wan and "¥" not in wan.split('id="balance-sheet"')[1].split("</table>")[0]


def test_the_roll_up_speaks_english_too(reader: FlaskClient) -> None:
    sign_in(reader, "admin")
    reader.post("/lang", data={"csrf_token": csrf_token(reader.get("/admin/").text), "lang": "en"})
    page = reader.get("/admin/township-statements/?year=2024").text
    assert "Statements roll-up" in page and "Unaudited: the period is not closed" in page
    assert "Balance sheet" in page and "cooperatives and federations in the roll-up" in page


def test_the_distribution_page_shows_the_years_figures_before_the_plan_and_the_plan_distributes_line_12(
    client: FlaskClient, demo_url: str
) -> None:
    coop, found, _ = of_service(demo_url, 2024)
    sign_in(client, "accountant")
    before = client.get(f"/admin/distribution/?cooperative={coop}&year=2024").text
    assert 'id="year-so-far"' in before and 'id="year-so-far-unaudited"' in before and "未审计" in before
    shown = cells(before)
    assert {n: shown[f"year-so-far-{n}-this"] for n in range(1, 14)} == {n: found.this_year[n] for n in range(1, 14)}
    assert "year-so-far-14-this" not in shown  # the distribution's lines are the plan's, not the books' yet
    distribution_step(client, coop, "plan")
    engine = make_engine(demo_url)
    with Session(engine) as session:
        plan = session.scalars(select(Distribution).where(Distribution.cooperative_id == coop,
                                                          Distribution.year == 2024)).one()  # fmt: skip
        assert (plan.surplus, plan.opening_undistributed) == (found.this_year[12], found.this_year[13])
    engine.dispose()
