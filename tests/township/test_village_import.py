"""The villages format: plans, projects, funding lines and income from a workbook, all or nothing (all backends)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import (
    FundingLine,
    ImprovementPlan,
    Origin,
    PlanStatus,
    Project,
    VillageIncome,
)
from coopcore.rules import plans
from coopcore.services import village_income, villages
from coopcore.services.imports import VILLAGES, ImportReport, run_import
from coopcore.services.workbook import village_plan
from coopcore.services.workbook.cells import TOO_MANY_PLACES
from coopcore.services.workbook.reader import NO_SHEETS
from tests.township.builders import add_income, make_cooperative, make_township
from tests.workbook.builders import write_sheets as workbook

D = Decimal
TODAY = dt.date(2025, 6, 30)
PLAN_HEADER = [
    "乡镇",
    "村",
    "基期年度",
    "基期经营性收入",
    "目标收入",
    "目标年度",
    "建档日期",
    "方案状态",
    "联系合作社信用代码",
]
PROJECT_HEADER = ["乡镇", "村", "项目名称", "项目类型", "预算", "开工日期", "计划完成日期", "项目状态"]
FUNDING_HEADER = ["乡镇", "村", "项目名称", "资金来源", "安排金额", "到位金额", "已支出金额", "到位日期"]
INCOME_HEADER = ["乡镇", "村", "年度", "收入类别", "金额", "摘要"]


# What the good sheets create: (created, updated, unchanged, removed) per sheet.
GOOD_COUNTS = {"plans": (1, 0, 0, 0), "projects": (2, 0, 0, 0), "funding": (2, 0, 0, 0), "income": (3, 0, 0, 0)}


def good_sheets(township: str, village: str, coop_code: str) -> dict[str, list[list[Any]]]:
    return {
        "提升方案": [
            PLAN_HEADER,
            [township, village, 2022, 21000, "100000.00", 2025, dt.date(2022, 3, 1), "推进中", coop_code],
        ],
        "产业项目": [
            PROJECT_HEADER,
            [township, village, "冷库", "社会化服务", 300000, dt.date(2023, 3, 1), dt.date(2024, 6, 30), "实施中"],
            [township, village, "采摘园", "tourism", 150000.5, dt.date(2024, 3, 1), dt.date(2025, 10, 1), None],
        ],
        "资金": [
            FUNDING_HEADER,
            [township, village, "冷库", "衔接资金", 240000, 240000, 0, dt.date(2023, 2, 10)],
            [township, village, None, "集体自筹", 50000, 50000, 20000.1, dt.date(2023, 5, 1)],
        ],
        "村集体收入": [
            INCOME_HEADER,
            [township, village, 2023, "经营收入", 30000, "农机服务"],
            [township, village, 2024, "经营收入", 32000, "农机服务"],
            [township, village, 2024, "补助收入", 50000, "转移支付"],
        ],
    }


def counts(report: ImportReport) -> dict[str, tuple[int, int, int, int]]:
    return {s.key: (c.created, c.updated, c.unchanged, c.removed) for s, c in report.sheet_counts()}


def test_a_workbook_creates_plans_projects_funding_and_income_and_importing_again_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    township = make_township(session, "导入镇", villages=1)
    village = township.villages[0]
    cooperative = make_cooperative(session, "93370602MA3IMPRT1X", village)
    path = workbook(tmp_path / "v.xlsx", good_sheets(township.name, village.name, cooperative.credit_code))
    report = run_import(session, path, VILLAGES, today=TODAY)
    assert report.written and not report.problems, [p.message("en") for p in report.problems]
    assert counts(report) == GOOD_COUNTS
    plan = session.scalars(select(ImprovementPlan).where(ImprovementPlan.village_id == village.id)).one()
    assert (plan.status, plan.baseline_income, [c.name for c in plan.cooperatives]) == (
        PlanStatus.IN_PROGRESS,
        D("21000.00"),
        [cooperative.name],
    )
    budgets = dict(session.execute(select(Project.name, Project.budget).where(Project.plan_id == plan.id)).all())
    assert budgets == {"冷库": D("300000.00"), "采摘园": D("150000.50")}  # a float cell, exact to the fen
    spent = session.scalars(select(FundingLine.spent).where(FundingLine.plan_id == plan.id)).all()
    assert sorted(spent) == [D("0.00"), D("20000.10")]
    (row,) = villages.village_status(session, year=2024, township=township.name, as_of=dt.date(2024, 12, 31)).rows
    assert (row.income, row.previous, row.progress) == (D("32000.00"), D("30000.00"), D("13.92"))
    assert [flag.rule for flag in row.risks] == ["funds_idle"]  # 衔接资金 received 2023-02-10, nothing spent

    again = run_import(session, path, VILLAGES, today=TODAY)
    assert again.written and counts(again) == {
        "plans": (0, 0, 1, 0),
        "projects": (0, 0, 2, 0),
        "funding": (0, 0, 2, 0),
        "income": (3, 0, 0, 3),
    }
    assert session.scalar(select(func.count()).select_from(Project)) == 2
    assert session.scalar(select(func.count()).select_from(VillageIncome)) == 3


def test_the_income_sheet_replaces_imported_income_but_never_typed_or_linked_income(
    session: Session, tmp_path: Path
) -> None:
    township = make_township(session, "替换镇", villages=1)
    village = township.villages[0]
    earlier = {"村集体收入": [INCOME_HEADER, [township.name, village.name, 2024, "经营收入", 99999, "旧表"]]}
    assert run_import(session, workbook(tmp_path / "old.xlsx", earlier), VILLAGES, today=TODAY).written  # replaced
    add_income(session, village, 2024, "500.00", "other")  # typed in the admin: kept
    add_income(session, village, 2023, "11111.00")  # another year, not in the sheet: kept
    village_income.link_land_rent(session, village_id=village.id, year=2024, amount=D("8000.00"), source_ref="rent:9")
    sheets = {"村集体收入": [INCOME_HEADER, [township.name, village.name, 2024, "经营收入", 32000, ""]]}
    report = run_import(session, workbook(tmp_path / "i.xlsx", sheets), VILLAGES, today=TODAY)
    assert report.written and counts(report) == {"income": (1, 0, 0, 1)}
    assert village_income.operating_income(session, village.id, 2024) == D("40000.00")  # 32,000 + linked 8,000
    assert village_income.operating_income(session, village.id, 2023) == D("11111.00")
    kept = session.execute(select(VillageIncome.origin, VillageIncome.amount).where(VillageIncome.year == 2024))
    assert sorted(kept.all()) == [
        (Origin.LAND_GUARANTEE, D("8000.00")),
        (Origin.MANUAL, D("500.00")),
        (Origin.WORKBOOK, D("32000.00")),
    ]


def test_bad_input_is_reported_all_at_once_with_sheet_row_and_column_and_nothing_is_written(
    session: Session, tmp_path: Path
) -> None:
    township = make_township(session, "错误镇", villages=1)
    name, village = township.name, township.villages[0].name
    sheets = {
        "提升方案": [
            PLAN_HEADER,
            [name, village, 2022, 21000, 20000, 2021, dt.date(2022, 3, 1), None, "93370602MA3NOSUCH1"],
            [name, village, 2022, 21000, 90000, 2025, dt.date(2022, 3, 1), None, None],
            [name, "无此村", 2022, 1000, 90000, 2025, dt.date(2022, 3, 1), None, None],
        ],
        "产业项目": [
            PROJECT_HEADER,
            [name, village, "冷库", "社会化服务", 1234.567, dt.date(2023, 3, 1), dt.date(2023, 1, 1), None],
            [name, village, "好项目", "飞行", "三十万", "明天", dt.date(2024, 1, 1), None],
        ],
        "资金": [FUNDING_HEADER, [name, village, "不存在的项目", "衔接资金", 1000, -5, 0, None]],
        "村集体收入": [INCOME_HEADER, [name, village, 2024, "补助收入", -100, ""], [name, village, 2024, None, 1, ""]],
    }
    report = run_import(session, workbook(tmp_path / "bad.xlsx", sheets), VILLAGES, today=TODAY)
    assert not report.written and report.blocking
    found = {
        (p.sheet.key if p.sheet else "", p.row, p.column.key if p.column else "", p.template) for p in report.errors
    }
    expected = {
        ("plans", 2, "target_income", plans.TARGET_NOT_ABOVE),
        ("plans", 2, "target_year", plans.TARGET_YEAR_BEFORE),
        ("plans", 2, "cooperatives", village_plan.UNKNOWN_COOPERATIVE),
        ("plans", 3, "", village_plan.DUPLICATE_KEY),
        ("plans", 4, "village", village_plan.UNKNOWN_VILLAGE),
        ("projects", 2, "budget", TOO_MANY_PLACES),
        ("projects", 2, "due_on", plans.DUE_BEFORE_START),
        ("funding", 2, "received", village_plan.NEGATIVE),
        ("funding", 2, "project", village_plan.UNKNOWN_PROJECT),
        ("income", 2, "amount", plans.NEGATIVE_INCOME),
    }
    assert expected <= found
    bad_cells = {(p.row, p.column.key) for p in report.errors if p.sheet and p.sheet.key == "projects" and p.column}
    assert {(3, "kind"), (3, "budget"), (3, "start_on")} <= bad_cells
    assert any(
        p.sheet and p.sheet.key == "income" and p.row == 3 and p.column and p.column.key == "category"
        for p in report.errors
    )
    assert all(problem.message("zh") != problem.template for problem in report.errors)  # every message in Chinese
    for model in (ImprovementPlan, Project, FundingLine, VillageIncome):
        assert session.scalar(select(func.count()).select_from(model)) == 0


def test_a_dry_run_checks_everything_and_writes_nothing(session: Session, tmp_path: Path) -> None:
    township = make_township(session, "试镇", villages=1)
    village = township.villages[0]
    cooperative = make_cooperative(session, "93370602MA3IMPRT2X", village)
    path = workbook(tmp_path / "d.xlsx", good_sheets(township.name, village.name, cooperative.credit_code))
    report = run_import(session, path, VILLAGES, dry_run=True, today=TODAY)
    assert not report.blocking and not report.written and counts(report)["plans"] == (1, 0, 0, 0)
    assert session.scalar(select(func.count()).select_from(ImprovementPlan)) == 0


def test_an_unreadable_file_or_one_without_our_sheets_is_a_clear_error(session: Session, tmp_path: Path) -> None:
    text = tmp_path / "not.xlsx"
    text.write_text("村,收入\n")
    assert run_import(session, text, VILLAGES, today=TODAY).errors[0].template.startswith("The file cannot be read")
    other = workbook(tmp_path / "other.xlsx", {"成员": [["姓名"], ["张三"]]})
    report = run_import(session, other, VILLAGES, today=TODAY)
    assert [p.template for p in report.errors] == [NO_SHEETS]
    assert "提升方案" in report.errors[0].message("zh")


def test_english_and_bracketed_sheet_names_and_headers_are_read_like_the_chinese_ones(
    session: Session, tmp_path: Path
) -> None:
    township = make_township(session, "双语镇", villages=1)
    village = township.villages[0]
    cooperative = make_cooperative(session, "93370602MA3IMPRT3X", village)
    chinese = good_sheets(township.name, village.name, cooperative.credit_code)
    columns = {sheet.zh: {column.zh: column.key for column in sheet.columns} for sheet in VILLAGES.sheets}
    english = {
        "提升方案": "plans",  # the English name alone
        "产业项目": "产业项目【projects】",  # Chinese [English] (Excel allows no [ ] in sheet names)
        "资金": "Funding",
        "村集体收入": "INCOME",
    }
    sheets = {}
    for name, rows in chinese.items():
        keys = columns[name]
        header = [keys[h] if name in ("提升方案", "资金") else f"{h} [{keys[h]}]" for h in rows[0]]
        sheets[english[name]] = [header, *rows[1:]]

    report = run_import(session, workbook(tmp_path / "en.xlsx", sheets), VILLAGES, today=TODAY)

    assert report.written and not report.problems, [p.message("en") for p in report.problems]
    assert counts(report) == GOOD_COUNTS
