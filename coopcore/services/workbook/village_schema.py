"""The villages workbook's schema: the township's weak-village plans, projects, funding lines and yearly income.

Read, checked and written by the one workbook mechanism (coopcore.services.imports.run_import with VILLAGES);
the planner is village_plan.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.i18n import Lang
from coopcore.models import FundingSource, PlanStatus, ProjectKind, ProjectStatus, VillageIncomeCategory
from coopcore.services.workbook.format import YES_NO, CellType, Column, Sheet, choices

T, M, Y, D, END = CellType.TEXT, CellType.MONEY, CellType.YEAR, CellType.DATE, CellType.END_DATE
CHOICE = CellType.CHOICE


PLAN_STATUSES = choices(PlanStatus)
PROJECT_KINDS = choices(ProjectKind)
PROJECT_STATUSES = choices(
    ProjectStatus,
    {ProjectStatus.PLANNED: ("计划",), ProjectStatus.COMPLETED: ("已完工",), ProjectStatus.SUSPENDED: ("暂停",)},
)
FUNDING_SOURCES = choices(FundingSource)
INCOME_CATEGORIES = choices(VillageIncomeCategory)


def _place() -> tuple[Column, Column]:
    return (
        Column("township", "乡镇", T, True, max_length=60, example="凤鸣街道"),
        Column("village", "村", T, True, max_length=60, example="后庄村"),
    )


def _plan_year() -> Column:
    # Optional on the project and funding sheets: blank means the village's latest plan.
    return Column("baseline_year", "方案基期年度", Y, example=2022)


PLANS = Sheet(
    "plans",
    "提升方案",
    (
        *_place(),
        Column("baseline_year", "基期年度", Y, True, example=2022),
        Column("baseline_income", "基期经营性收入", M, True, example=Decimal("21000.00")),
        Column("target_income", "目标收入", M, True, example=Decimal("100000.00")),
        Column("target_year", "目标年度", Y, True, example=2025),
        Column("filed_on", "建档日期", D, True, example=dt.date(2022, 3, 1)),
        Column("status", "方案状态", CHOICE, choices=PLAN_STATUSES, example=PlanStatus.IN_PROGRESS.value),
        Column("causes", "薄弱原因", T, max_length=200, example="资源、区位"),
        Column("measures", "提升措施", T, example="1. 党支部领办合作社苹果标准化基地"),
        Column("cadres", "包村干部及第一书记", T, max_length=200, example="包村干部：王芳；第一书记：李强"),
        Column("cooperatives", "联系合作社信用代码", T, example=""),
        Column("enterprises", "联系龙头企业", T, example=""),
    ),
)
PROJECTS = Sheet(
    "projects",
    "产业项目",
    (
        *_place(),
        _plan_year(),
        Column("name", "项目名称", T, True, max_length=100, example="后庄村苹果标准化基地"),
        Column("kind", "项目类型", CHOICE, True, choices=PROJECT_KINDS, example=ProjectKind.SERVICE.value),
        Column("budget", "预算", M, True, example=Decimal("300000.00")),
        Column("start_on", "开工日期", END, True, example=dt.date(2023, 3, 1)),
        Column("due_on", "计划完成日期", END, True, example=dt.date(2024, 6, 30)),
        Column("completed_on", "实际完成日期", D, example=None),
        Column("status", "项目状态", CHOICE, choices=PROJECT_STATUSES, example=ProjectStatus.UNDERWAY.value),
    ),
)
FUNDING = Sheet(
    "funding",
    "资金",
    (
        *_place(),
        _plan_year(),
        Column("project", "项目名称", T, max_length=100, example="后庄村苹果标准化基地"),
        Column(
            "source", "资金来源", CHOICE, True, choices=FUNDING_SOURCES, example=FundingSource.CONNECTION_FUND.value
        ),
        Column("allocated", "安排金额", M, True, example=Decimal("240000.00")),
        Column("received", "到位金额", M, example=Decimal("240000.00")),
        Column("spent", "已支出金额", M, example=Decimal("120000.00")),
        Column("received_on", "到位日期", D, example=dt.date(2023, 2, 10)),
        Column("forms_poverty_asset", "形成扶贫项目资产", CellType.FLAG, choices=YES_NO, example="yes"),
    ),
)
INCOME = Sheet(
    "income",
    "村集体收入",
    (
        *_place(),
        Column("year", "年度", Y, True, example=2024),
        Column("category", "收入类别", CHOICE, True, choices=INCOME_CATEGORIES, example="operating"),
        Column("amount", "金额", M, True, example=Decimal("32000.00")),
        Column("memo", "摘要", T, max_length=200, example="农机服务收入"),
    ),
)
SHEETS = (PLANS, PROJECTS, FUNDING, INCOME)
# The first sheet of the template (说明): how to fill the workbook.
INSTRUCTIONS: dict[Lang, tuple[str, ...]] = {
    "zh": (
        "使用说明（薄弱村提升方案）",
        "1. 各表均可选填；乡镇、村须与系统中的名称一致。",
        "2. 表头带 * 的列必填；有下拉列表的列请从列表中选择；第 2 行是示例，请改成实际数据或删除。",
        "3. 提升方案按“村 + 基期年度”更新；产业项目按“方案 + 项目名称”更新；资金按“方案 + 项目 + 来源”更新。",
        "4. “村集体收入”表列出的村和年度，以前用工作簿导入的收入以本表为准整体替换；"
        "在后台手工录入的收入和合作社分红、土地保底租金等自动关联的收入不受影响。",
        "5. 补助收入和其他收入照录，但不计入经营性收入。联系合作社填统一社会信用代码，多个用顿号分隔。",
        "6. 先试导入检查：coop villages import 文件.xlsx --dry-run；有错误时不写入任何数据。",
    ),
    "en": (
        "How to fill this workbook (weak-village improvement plans)",
        "1. Every sheet is optional; township and village names must match those in the database.",
        "2. Columns marked * are required; pick listed values from the drop-down; row 2 is an example.",
        "3. Plans update by village + baseline year, projects by plan + name, funding by plan + project + source.",
        "4. The income sheet replaces the income earlier workbooks brought in for each village and year it lists; "
        "income typed in the admin and linked income (cooperative dividends, land rent) is never touched.",
        "5. Subsidy and other income are kept but do not count as operating income. Linked cooperatives: credit "
        "codes separated by 、 or commas.",
        "6. Check first: coop villages import FILE.xlsx --dry-run; nothing is written while there are errors.",
    ),
}
