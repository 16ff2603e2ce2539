"""Lists of money end with a totals row: the total of every row of the list (all pages), exact to the fen."""

from __future__ import annotations

import re
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Delivery, Distribution, DistributionLine
from tests.admin.demo import sign_in

CHENLIANG = "晨靓果业专业合作社"
MONEY = re.compile(r"^(-?)¥([\d,]+\.\d{2})$")


def yuan(text: str) -> Decimal:
    """¥1,234.56 (or -¥1,234.56) as a Decimal; anything else fails the test."""
    match = MONEY.match(text.strip())
    assert match, f"not an amount: {text!r}"
    return Decimal(match.group(1) + match.group(2).replace(",", ""))


def body_cells(page: str, column: str) -> list[str]:
    """The cells of one column in the rows of a list (not its totals row)."""
    body = page.split("<tfoot", 1)[0]
    return re.findall(rf'<td class="[^"]*\bcol-{column}\b[^"]*">([^<]*)</td>', body)


def totals_row(page: str) -> str:
    match = re.search(r'<tfoot>\s*<tr[^>]*id="list-totals"[^>]*>(.*?)</tr>', page, re.S)
    assert match, "no totals row"
    return match.group(1)


def total_cell(page: str, column: str) -> str:
    match = re.search(rf'<td class="[^"]*\bcol-{column}\b[^"]*">([^<]*)</td>', totals_row(page))
    assert match, f"no total of {column}"
    return match.group(1)


def test_the_deliveries_list_totals_what_was_paid_over_every_page(reader: FlaskClient, shared_app: object) -> None:
    sign_in(reader, "admin")
    whole = reader.get("/admin/delivery/?page_size=100").text
    first = reader.get("/admin/delivery/?page_size=20").text
    url = shared_app.config["COOP_DATABASE_URL"]  # type: ignore[attr-defined]
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count(Delivery.id)))
        paid = session.scalar(select(func.sum(Delivery.paid_amount)))
    engine.dispose()
    assert count is not None and 20 < count <= 100

    cells = body_cells(whole, "paid_amount")
    assert len(cells) == count
    assert sum((yuan(cell) for cell in cells), Decimal("0.00")) == yuan(total_cell(whole, "paid_amount")) == paid
    assert len(body_cells(first, "paid_amount")) == 20
    assert yuan(total_cell(first, "paid_amount")) == paid  # a page shows the total of all rows, and says so
    assert f"合计（全部 {count} 行）" in totals_row(first)


def test_a_filtered_transactions_list_totals_only_the_rows_it_finds(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    pages = [reader.get(f"/admin/trade/?page={n}&page_size=100&flt0_0=2024-03-01+to+2024-03-31").text for n in (0, 1)]
    count = int(re.search(r"合计（全部 ([\d,]+) 行）", totals_row(pages[0])).group(1).replace(",", ""))  # type: ignore[union-attr]
    cells = body_cells(pages[0], "amount") + body_cells(pages[1], "amount")
    assert 100 < count == len(cells) <= 200  # both pages, every row of the filter
    assert total_cell(pages[0], "amount") == total_cell(pages[1], "amount")
    assert sum((yuan(cell) for cell in cells), Decimal("0.00")) == yuan(total_cell(pages[0], "amount"))
    page = pages[0]
    assert body_cells(page, "unit_price")  # prices are listed, but a sum of prices means nothing
    assert not re.search(r'class="[^"]*\bcol-unit_price\b[^"]*">¥', totals_row(page))


def test_the_whole_transactions_list_is_not_summed_on_every_page(reader: FlaskClient) -> None:
    sign_in(reader, "accountant")
    page = reader.get("/admin/trade/").text
    assert body_cells(page, "amount")
    assert 'id="list-totals"' not in page  # a million trades are summed once the list is narrowed, not per click


def test_the_distribution_page_totals_each_column_of_the_member_lines(reader: FlaskClient, shared_app: object) -> None:
    url = shared_app.config["COOP_DATABASE_URL"]  # type: ignore[attr-defined]
    engine = make_engine(url)
    with Session(engine) as session:
        coop = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        plan = session.scalars(select(Distribution).where(Distribution.cooperative_id == coop.id)).all()[-1]
        lines = session.scalar(
            select(func.count(DistributionLine.id)).where(DistributionLine.distribution_id == plan.id)
        )
        pools = {"patronage_return": plan.patronage_pool, "residual_distribution": plan.residual_pool}
        coop_id, year = coop.id, plan.year
    engine.dispose()
    assert lines is not None and lines > 100

    sign_in(reader, "supervisor")
    page = reader.get(f"/admin/distribution/?cooperative={coop_id}&year={year}").text
    table = page.split('id="distribution-lines"', 1)[1].split("</table>", 1)[0]
    assert f"合计（全部 {lines} 行）" in totals_row(table)
    for column in ("contribution", "provident_share_added", "patronage_return", "residual_distribution", "total"):
        cells = body_cells(table, column)
        assert len(cells) == lines, column
        assert sum((yuan(cell) for cell in cells), Decimal("0.00")) == yuan(total_cell(table, column)), column
    for column, pool in pools.items():
        assert yuan(total_cell(table, column)) == pool  # the members' shares add up to the pool, to the fen
    assert yuan(total_cell(table, "total")) == sum(pools.values())
