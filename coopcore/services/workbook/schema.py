"""The cooperative workbook's schema: sheets and columns with Chinese names, English aliases, types and choices.

Issue #3 lists the columns accountants fill. The columns marked EXTRA below are optional additions that
carry the rest of what coopcore stores (founders, additional votes, non-member business, bylaws details …),
so that an export re-imports into an identical database. A column left out of a sheet leaves that field
of existing records as it is; a blank cell in a present column clears it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.i18n import Lang
from coopcore.labels import label
from coopcore.models import (
    AccountEntryKind,
    FundForm,
    FundSource,
    IncomeCategory,
    LandGuaranteeTreatment,
    MemberKind,
    Origin,
    PatronageMeasure,
    ProvidentBasis,
    SpecialPayableKind,
    TradeKind,
    TradeModel,
)
from coopcore.rules.entries.accounts import BANK
from coopcore.services.workbook.format import YES_NO, CellType, Column, Sheet, choices
from coopcore.validation import credit_code

PROVIDENT_BASES = choices(
    ProvidentBasis,
    {
        ProvidentBasis.TRANSACTIONS: ("交易额",),
        ProvidentBasis.CONTRIBUTIONS: ("出资额",),
        ProvidentBasis.HALF: ("各半",),
    },
)
PATRONAGE_MEASURES = choices(PatronageMeasure, {PatronageMeasure.MU: ("入股面积",)})
GUARANTEE_TREATMENTS = choices(LandGuaranteeTreatment, {LandGuaranteeTreatment.CAPITAL: ("资本化",)})
TRADE_MODELS = choices(TradeModel, {TradeModel.PURCHASE: ("收购", "买断"), TradeModel.AGENCY: ("代销", "受托代销")})
# MemberKind.COOPERATIVE: the members of a federation (联合社, [L-56]).
MEMBER_KINDS = choices(MemberKind, {MemberKind.NON_FARMER: ("非农个人",), MemberKind.COOPERATIVE: ("合作社",)})
CONTRIBUTION_METHODS = choices(
    (kind for kind in AccountEntryKind if kind.is_contribution),
    {
        AccountEntryKind.CONTRIBUTION_CASH: ("货币",),
        AccountEntryKind.CONTRIBUTION_LAND: ("土地经营权",),
        AccountEntryKind.CONTRIBUTION_IN_KIND: ("实物",),
        AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: ("扶贫项目资产",),
    },
)
TRADE_KINDS = choices(TradeKind)
# The label carries the account code (501 经营收入); the name alone is accepted too.
CATEGORIES = choices(
    IncomeCategory, {category: (label(category, "zh").split(" ", 1)[1],) for category in IncomeCategory}
)
FUND_SOURCES = choices(FundSource)
FUND_FORMS = choices(FundForm, {FundForm.FROM_SUBSIDY: ("补助资金购建",), FundForm.CASH: ("货币",)})
PAYABLE_KINDS = choices(
    SpecialPayableKind,
    {
        SpecialPayableKind.RECEIVED: ("收到",),
        SpecialPayableKind.SPENT: ("支出",),
        SpecialPayableKind.COVERS_EXPENSE: ("弥补支出",),
        SpecialPayableKind.RETURNED: ("退回",),
    },
)
# Which path wrote a dated row. An export marks every row; a blank cell (or a workbook without the column)
# means a workbook's row: only those rows are the workbook's own, which a later import may change or remove.
ORIGINS = choices(
    (Origin.WORKBOOK, Origin.MANUAL, Origin.LAND_GUARANTEE, Origin.DISTRIBUTION, Origin.EXIT),
    {Origin.WORKBOOK: ("工作簿",), Origin.MANUAL: ("手工",)},
)

_EXAMPLE_BODY = "93370602MA3C00001"
EXAMPLE_CREDIT_CODE = _EXAMPLE_BODY + credit_code.calc_check_digit(_EXAMPLE_BODY)
EXAMPLE_FOUNDED = dt.date(2020, 3, 18)
T, ID, M, Q, A, R = CellType.TEXT, CellType.IDENTIFIER, CellType.MONEY, CellType.QUANTITY, CellType.AREA, CellType.RATE
D, END = CellType.DATE, CellType.END_DATE


def _member_code() -> Column:
    return Column("member_code", "成员编号", T, True, max_length=20, example="M001")


def _origin() -> Column:
    # EXTRA: 专项基金 already has a 来源 (subsidy or donation), so the path that wrote a row is its 记录来源.
    return Column("origin", "记录来源", CellType.CHOICE, choices=ORIGINS, example=Origin.WORKBOOK.value)


COOPERATIVE = Sheet(
    "cooperative",
    "合作社",
    (
        Column("name", "名称", T, True, max_length=100, example="王家夼红富士苹果专业合作社"),
        Column("uscc", "统一社会信用代码", ID, True, max_length=18, example=EXAMPLE_CREDIT_CODE),
        Column("township", "所在乡镇", T, True, max_length=60, example="凤鸣街道"),
        Column("village", "所在村", T, True, max_length=60, example="王家夼村"),
        Column("party_branch", "领办党支部", T, max_length=100, example="王家夼村党支部"),
        Column("founded_on", "成立日期", D, example=EXAMPLE_FOUNDED),
        Column("provident_fund_rate", "公积金提取比例", R, True, example=Decimal("0.10")),
        Column("patronage_ratio", "盈余返还比例", R, True, example=Decimal("0.70")),
        Column(
            "provident_basis",
            "公积金量化依据",
            CellType.CHOICE,
            choices=PROVIDENT_BASES,
            example=ProvidentBasis.TRANSACTIONS.value,
        ),
        # EXTRA columns: the rest of the cooperative and of its bylaws.
        Column("business_type", "主营业务", T, max_length=60, example="苹果种植、收购、销售"),
        Column("brand", "品牌", T, max_length=60, example=""),
        Column("is_federation", "是否联合社", CellType.FLAG, choices=YES_NO, example="no"),
        Column("patronage_measure", "盈余返还依据", CellType.CHOICE, choices=PATRONAGE_MEASURES, example="amount"),
        Column("land_guarantee", "土地保底收益处理", CellType.CHOICE, choices=GUARANTEE_TREATMENTS, example="cost"),
        Column("bylaws_effective_on", "章程生效日期", D, example=EXAMPLE_FOUNDED),
        Column("resolution", "章程通过决议", T, max_length=200, example="2020年设立大会通过"),
        Column("trade_model", "产品经营模式", CellType.CHOICE, choices=TRADE_MODELS, example="purchase"),
    ),
    required=True,
)

MEMBERS = Sheet(
    "members",
    "成员",
    (
        Column("member_code", "成员编号", T, True, max_length=20, example="M001"),
        Column("name", "姓名或名称", T, True, max_length=100, example="张三"),
        Column("kind", "成员类型", CellType.CHOICE, True, choices=MEMBER_KINDS, example=MemberKind.FARMER.value),
        Column("id_number", "证件号码", ID, True, max_length=18, example="11010519491231002X"),
        Column("joined_on", "入社日期", D, True, example=EXAMPLE_FOUNDED),
        # An exit takes effect at a year end ([L-25]): recorded today, it may lie ahead (coopcore sets it so).
        Column("left_on", "退社日期", END, example=None),
        Column("phone", "联系电话", T, max_length=20, example="13800000000"),
        # EXTRA columns.
        Column("is_founder", "设立成员", CellType.FLAG, choices=YES_NO, example="yes"),
        Column("additional_votes", "附加表决权", CellType.COUNT, example=0),
        Column("household_head", "户主", T, max_length=40, example="张三"),
        Column("household_size", "家庭人口", CellType.COUNT, example=4),
        Column("address", "住址", T, max_length=200, example="凤鸣街道王家夼村12号"),
        Column("exit_applied_on", "退社申请日期", D, example=None),
    ),
    required=True,
)

CONTRIBUTIONS = Sheet(
    "contributions",
    "出资",
    (
        _member_code(),
        Column("date", "日期", D, True, example=EXAMPLE_FOUNDED),
        Column(
            "method",
            "出资方式",
            CellType.CHOICE,
            True,
            choices=CONTRIBUTION_METHODS,
            example=AccountEntryKind.CONTRIBUTION_CASH.value,
        ),
        Column("amount", "金额", M, True, example=Decimal("5000.00")),
        Column("area_mu", "面积(亩)", A, example=None),
        # EXTRA: the value brought in above the share (资本公积), or below it for an asset valued lower (negative).
        Column("premium", "溢价", M, example=None),
        Column("note", "备注", T, max_length=200, example="货币出资"),
        _origin(),
    ),
)

PROVIDENT_SHARES = Sheet(
    "provident_shares",
    "公积金份额",
    (
        _member_code(),
        Column("date", "日期", D, True, example=dt.date(2023, 12, 31)),
        Column("amount", "金额", M, True, example=Decimal("120.50")),
        Column("memo", "摘要", T, max_length=200, example="2023年公积金量化"),
        _origin(),
    ),
)

TRANSACTIONS = Sheet(
    "transactions",
    "交易",
    (
        Column("member_code", "成员编号", T, True, max_length=20, example="M001", required_unless="counterparty"),
        Column("date", "日期", D, True, example=dt.date(2024, 10, 8)),
        Column("product", "产品", T, True, max_length=40, example="苹果"),
        Column("quantity", "数量", Q, True, example=Decimal("1250.5")),
        Column("unit", "单位", T, True, max_length=10, example="kg"),
        Column("unit_price", "单价", M, True, example=Decimal("4.20")),
        Column("amount", "金额", M, example=Decimal("5252.10")),
        Column("grade", "等级", T, max_length=20, example="一级"),
        Column("ticket_no", "单据号", T, max_length=40, example="RK2024-00001"),
        # EXTRA columns.
        Column("kind", "交易类型", CellType.CHOICE, choices=TRADE_KINDS, example=TradeKind.INTAKE.value),
        Column("counterparty", "非成员交易方", T, max_length=100, example=""),
        Column("service_fee", "服务费", M, example=None),  # inputs bought for members: owed on 114, earned on 501
        _origin(),
    ),
)

INCOME_EXPENSE = Sheet(
    "income_expense",
    "收支",
    (
        Column("date", "日期", D, True, example=dt.date(2024, 10, 31)),
        Column(
            "category", "科目", CellType.CHOICE, True, choices=CATEGORIES, example=IncomeCategory.OPERATING_INCOME.value
        ),
        Column("amount", "金额", M, True, example=Decimal("86000.00")),
        Column("memo", "摘要", T, max_length=200, example="苹果销售收入"),
        Column("voucher_no", "凭证号", T, max_length=40, example="记2024-001"),  # EXTRA
        # The account the row is booked against; a workbook without the column books new rows against 102.
        Column("counter_account", "对方科目", T, max_length=20, example=BANK),
        _origin(),
    ),
)

SPECIAL_FUNDS = Sheet(
    "special_funds",
    "专项基金",
    (
        Column("date", "日期", D, True, example=dt.date(2024, 5, 10)),
        Column("source", "来源", CellType.CHOICE, True, choices=FUND_SOURCES, example=FundSource.FISCAL_SUBSIDY.value),
        Column("amount", "金额", M, True, example=Decimal("100000.00")),
        Column("memo", "摘要", T, max_length=200, example="冷库建设财政补助"),
        Column("is_poverty_asset", "扶贫项目资产", CellType.FLAG, choices=YES_NO, example="no"),  # EXTRA
        Column("disposed_on", "处置日期", D, example=None),  # EXTRA
        # How the property came, which decides its voucher; a workbook without the column: given as property.
        Column("form", "形成方式", CellType.CHOICE, choices=FUND_FORMS, example=FundForm.ASSET.value),
        Column("asset_account", "资产科目", T, max_length=20, example="151"),
        _origin(),
    ),
)

# Subsidy money on 235 专项应付款 that forms no property; money spent on property is a 专项基金 row (补助资金购建).
SPECIAL_PAYABLES = Sheet(
    "special_payables",
    "专项应付款",
    (
        Column("date", "日期", D, True, example=dt.date(2024, 3, 1)),
        Column("kind", "类型", CellType.CHOICE, True, choices=PAYABLE_KINDS, example=SpecialPayableKind.RECEIVED.value),
        Column("amount", "金额", M, True, example=Decimal("200000.00")),
        Column("project", "项目", T, max_length=100, example="冷库建设项目"),
        Column("expense_account", "支出科目", T, max_length=20, example=None),
        Column("memo", "摘要", T, max_length=200, example="收到冷库建设财政补助资金"),
        _origin(),
    ),
)

FISCAL_YEARS = Sheet(
    "fiscal_years",
    "年度结转",
    (
        Column("year", "年度", CellType.YEAR, True, example=2024),
        Column("opening_undistributed", "年初未分配盈余", M, True, example=Decimal("0.00")),
        Column("closed", "已结账", CellType.FLAG, choices=YES_NO, example="no"),  # EXTRA
    ),
)

LAND_SHARES = Sheet(
    "land_shares",
    "土地入股",
    (
        _member_code(),
        Column("parcel_code", "地块编号", T, True, max_length=30, example="P0001"),
        Column("certificate_no", "承包经营权证号", T, max_length=40, example="370602001001J"),
        Column("area_mu", "面积(亩)", A, True, example=Decimal("3.5")),
        Column("start_on", "起始日期", D, True, example=EXAMPLE_FOUNDED),
        Column("end_on", "到期日期", END, True, example=dt.date(2028, 12, 31)),
        Column("guarantee_per_mu", "保底收益(元/亩)", M, example=Decimal("700.00")),
        # EXTRA columns.
        Column("location", "坐落", T, max_length=100, example="王家夼村北岭"),
        Column("parcel_area_mu", "地块面积(亩)", A, example=None),
        Column("contract_end_on", "承包期限届满日期", END, example=dt.date(2028, 12, 31)),
        Column("shares_per_mu", "每亩股数", Q, example=None),
        Column("share_value", "折股金额", M, example=None),
    ),
)

SHEETS = (
    COOPERATIVE,
    MEMBERS,
    CONTRIBUTIONS,
    PROVIDENT_SHARES,
    TRANSACTIONS,
    INCOME_EXPENSE,
    SPECIAL_FUNDS,
    SPECIAL_PAYABLES,
    FISCAL_YEARS,
    LAND_SHARES,
)
# The first sheet of the template (说明): how to fill the workbook.
INSTRUCTIONS: dict[Lang, tuple[str, ...]] = {
    "zh": (
        "使用说明",
        "1. 每个工作簿只填一个合作社；“合作社”和“成员”两张表必填，其余各表可选。",
        "2. 表头带 * 的列必填；把鼠标停在表头上可看到每列的说明；有下拉列表的列请从列表中选择。",
        "3. 第 2 行是示例，请改成本社的数据或删除。",
        "4. 日期用日期格式或写成 YYYY-MM-DD；金额最多两位小数，数量和面积最多四位小数；身份证号请设为文本格式。",
        "5. 先试导入检查：coop import 文件.xlsx --dry-run；按提示改正全部问题后再正式导入：coop import 文件.xlsx。",
        "6. 再次导入同一工作簿会按统一社会信用代码、成员编号、单据号、地块编号更新，不会重复。",
        "7. 已结账年度的数据不能再导入或修改。",
    ),
    "en": (
        "How to fill this workbook",
        "1. One cooperative per workbook; the cooperative and members sheets are required, the others optional.",
        "2. Columns marked * are required; hover over a header for its note; pick listed values from the drop-down.",
        "3. Row 2 of each sheet is an example: replace it with your data or delete it.",
        "4. Dates as date cells or YYYY-MM-DD; money to 2 decimals, quantities and areas to 4; ID numbers as text.",
        "5. Check first: coop import FILE.xlsx --dry-run; fix every problem, then: coop import FILE.xlsx.",
        "6. Importing again updates by credit code, member code, ticket number and parcel code; nothing is duplicated.",
        "7. Rows of a closed fiscal year are refused.",
    ),
}
