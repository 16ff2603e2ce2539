"""The township's weak-village progress report and the contract fulfilment report, built on the township services."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy.orm import Session

from coopcore.services.contracts import contract_status
from reports.cli import guard
from reports.contracts import build_contract_report
from reports.township import build_township_report
from tests.reports import builders
from tests.reports.conftest import fonts, page_pictures, pdf_text, yuan

D = Decimal


def test_the_progress_report_has_a_row_per_village_funding_by_source_and_late_projects(
    session: Session, tmp_path: Path
) -> None:
    town = builders.weak_villages(session)
    guard(session)
    pdf_path, workbook_path = build_township_report(session, town, 2024, tmp_path, "zh")
    assert pdf_path.name == "2024-报表镇-薄弱村提升进展.pdf"
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["各村情况", "资金来源", "滞后项目", "风险清单", "历年收入"]
    villages = book["各村情况"]
    headers = [cell.value for cell in villages[2]]
    rows = {row[0].value: row for row in villages.iter_rows(min_row=3, max_row=villages.max_row - 1)}
    assert list(rows) == ["报表镇1村", "报表镇2村", "报表镇3村"]
    first = rows["报表镇1村"]
    # docs/domain.md §9.3: 32,000.00 + 15,674.10 of dividends = 47,674.10 (the subsidy does not count); 33.76%.
    assert yuan(first[headers.index("本年经营性收入")].value) == D("47674.10")
    assert first[headers.index("进度")].value == 0.3376 and first[headers.index("进度")].number_format == "0.00%"
    assert first[headers.index("状态")].value == "薄弱村"
    assert "项目滞后" in first[headers.index("风险")].value and "资金闲置" in first[headers.index("风险")].value
    assert rows["报表镇2村"][headers.index("状态")].value == "已达标"
    assert rows["报表镇3村"][headers.index("状态")].value == "空壳村"
    assert villages.cell(villages.max_row, headers.index("本年经营性收入") + 1).value is not None
    assert yuan(villages.cell(villages.max_row, headers.index("本年经营性收入") + 1).value) == D("174174.60")
    funding = book["资金来源"]
    total = [yuan(funding.cell(funding.max_row, column).value) for column in (2, 3, 4)]
    assert total == [D("380000.00"), D("350000.00"), D("120000.00")]
    late = book["滞后项目"]
    assert [cell.value for cell in late[3]][:3] == ["报表镇1村", "冷库项目", "主体完工"]
    trend = book["历年收入"]
    assert [cell.value for cell in trend[2]][:4] == ["村", "2022", "2023", "2024"]
    assert yuan(trend.cell(3, 3).value) == D("36000.00")

    content = "".join(pdf_text(pdf_path).split())
    for words in (
        "报表镇2024年集体经济薄弱村提升进展报告",
        "一、各村情况",
        "47,674.10",
        "33.76%",
        "二、资金来源",
        "衔接资金",
        "集体自筹",
        "三、进度滞后的项目",
        "冷库项目",
        "主体完工",
        "四、风险清单",
        "五、历年经营性收入与薄弱村标准",
        "合计",
    ):
        assert words in content, words
    assert all(font["emb"] == "yes" for font in fonts(pdf_path))
    assert len(page_pictures(pdf_path, tmp_path / "pages")) >= 3


def test_the_contract_report_settles_every_delivery_and_adds_up_to_the_service(
    session: Session, tmp_path: Path
) -> None:
    cooperative = builders.order_contract(session)
    guard(session)
    expected = contract_status(session, year=2024, cooperative=cooperative.credit_code)
    [row] = expected.contracts
    pdf_path, workbook_path = build_contract_report(session, 2024, tmp_path, "zh", cooperative=cooperative.credit_code)
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["龙头企业汇总", "订单合同", "交货明细"]
    deliveries = book["交货明细"]
    headers = [cell.value for cell in deliveries[2]]
    amounts = [
        yuan(r[headers.index("结算金额")].value)
        for r in deliveries.iter_rows(min_row=3, max_row=deliveries.max_row - 1)
    ]
    assert amounts == [result.settlement.amount for result in row.fulfilment.deliveries]
    assert amounts[-1] == 0  # 等外 is rejected
    assert (
        yuan(deliveries.cell(deliveries.max_row, headers.index("结算金额") + 1).value) == row.fulfilment.metrics.settled
    )
    contracts = book["订单合同"]
    contract_headers = [cell.value for cell in contracts[2]]
    assert yuan(contracts.cell(3, contract_headers.index("未付余额") + 1).value) == row.fulfilment.metrics.balance
    assert contracts.cell(3, contract_headers.index("数量履约率") + 1).number_format == "0.00%"

    content = "".join(pdf_text(pdf_path).split())
    assert "2024年订单合同履约报告" in content and row.enterprise in content and "保底价+随行就市（取高）" in content
    assert "等级构成" in content and f"{row.fulfilment.metrics.settled:,}" in content
    assert all(font["emb"] == "yes" for font in fonts(pdf_path))


def test_a_year_without_contracts_or_villages_still_gives_a_document(session: Session, tmp_path: Path) -> None:
    town = builders.weak_villages(session)
    guard(session)
    pdf_path, _ = build_township_report(session, town, 2019, tmp_path, "en")
    assert "No village reported income or has a plan in 2019." in pdf_text(pdf_path)
    pdf_path, _ = build_contract_report(session, 2019, tmp_path, "en")
    assert "No contract is in force in 2019." in pdf_text(pdf_path)
