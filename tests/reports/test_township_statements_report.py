"""A township's statements roll-up (汇总表) on paper and in a workbook: the cooperative's layout, in yuan and in
万元 with the rounding rule, marked 未审计 while a period is open, and who is in it; the service's figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Township
from coopcore.rules.statements.rollup import in_wan
from coopcore.services.statements.township import TownshipStatements, township_as_they_stand
from reports import text
from reports.cli import guard
from reports.township_statements import build_township_statements
from tests.reports.conftest import page_pictures
from tests.reports.test_vouchers import page_text


@pytest.fixture(scope="module")
def roll_up(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, TownshipStatements]:
    """泉山街道's 2024 roll-up of the demo (its years open), written once: the two files and the service's figures."""
    folder = tmp_path_factory.mktemp("roll-up")
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        guard(session)  # the report reads only
        township = session.scalars(select(Township).where(Township.name == "泉山街道")).one()
        rolled = township_as_they_stand(session, township, 2024)
        pdf_path, xlsx_path = build_township_statements(session, township, 2024, folder, "zh")
    engine.dispose()
    return pdf_path, xlsx_path, rolled


def test_the_roll_up_prints_the_three_forms_in_yuan_then_in_wan_and_who_is_in_it(
    roll_up: tuple[Path, Path, TownshipStatements], tmp_path: Path
) -> None:
    pdf_path, _, rolled = roll_up
    assert pdf_path.name == "2024-泉山街道-会计报表汇总表.pdf"
    figures = rolled.statements
    sheet, surplus, equity, sheet_wan, surplus_wan, _, about = (page_text(pdf_path, page) for page in range(1, 8))
    for words in ("资产负债表（汇总表）", "编制单位：泉山街道", "2024年12月31日", "会农社01表", "单位：元", "未审计",
                  f"资产总计22{text.amount(figures.closing[22], 'zh')}", "负债和所有者权益总计42",
                  "单位负责人", "会计主管", "制表人"):  # fmt: skip
        assert words in sheet, words
    assert f"四、本年盈余12{text.amount(figures.this_year[12], 'zh')}" in surplus
    assert "成员权益变动表（汇总表）" in equity and "会农社03表" in equity
    for words in ("单位：万元", "四舍五入", f"资产总计22{text.amount(in_wan(figures.closing[22]), 'zh')}"):
        assert words in sheet_wan, words
    assert f"四、本年盈余12{text.amount(in_wan(figures.this_year[12]), 'zh')}" in surplus_wan
    assert f"汇总{len(rolled.cooperatives)}个合作社（含联合社）" in about
    assert rolled.not_closed
    for code in rolled.cooperatives:
        state = "未结账" if code in rolled.not_closed else "已结账"
        assert f"{code}{rolled.names[code]}{state}" in about, code
    pictures = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pictures) == 7  # nothing pushed onto an eighth page
    sizes = [Image.open(picture).size for picture in pictures]
    landscape = [width > height for width, height in sizes]
    assert landscape == [True, False, True, True, False, True, True]


def test_the_roll_up_workbook_holds_the_services_figures_in_yuan_and_in_wan(
    roll_up: tuple[Path, Path, TownshipStatements],
) -> None:
    _, xlsx_path, rolled = roll_up
    figures = rolled.statements
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["资产负债表", "盈余及盈余分配表", "成员权益变动表", "万元·资产负债表",
                               "万元·盈余及盈余分配表", "万元·成员权益变动表", "汇总范围"]  # fmt: skip
    for name, shown in (("盈余及盈余分配表", lambda v: v), ("万元·盈余及盈余分配表", in_wan)):
        rows = [[cell.value for cell in row] for row in book[name].iter_rows(min_row=3)]
        assert [(row[1], Decimal(str(row[2]))) for row in rows] == [
            (n, shown(figures.this_year[n])) for n in range(1, 21)
        ]
    caption = book["万元·资产负债表"]["A1"].value
    assert "单位：万元" in caption and "四舍五入" in caption and "未审计" in caption
