"""The voucher sheets' schema: a cooperative's books in and out of Excel (账套, 科目, 期初余额, 凭证).

An accountant who starts keeping the books in coopcore mid-life brings the opening balances and the vouchers of
the software they leave; an export of the books re-imports into identical books. Read, checked and written by the
one workbook mechanism (coopcore.services.imports.run_import with VOUCHERS); the planner is voucher_plan.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from coopcore.i18n import Lang
from coopcore.services.workbook.format import YES_NO, CellType, Column, Sheet
from coopcore.services.workbook.schema import EXAMPLE_CREDIT_CODE

T, M, Q, D, N = CellType.TEXT, CellType.MONEY, CellType.QUANTITY, CellType.DATE, CellType.COUNT
FLAG = CellType.FLAG
ACCOUNT_CODE_LENGTH = 20  # the account table's code column
MEMBER_CODE_LENGTH = 20


def _account(zh: str = "科目编码") -> tuple[Column, Column]:
    # The name is for the reader: the code decides, and a name that is not the account's is a warning.
    return (
        Column("account_code", zh, T, True, max_length=ACCOUNT_CODE_LENGTH, example="102"),
        Column("account_name", "科目名称", T, max_length=60, example="银行存款"),
    )


BOOKS = Sheet(
    "books",
    "账套",
    (
        Column("uscc", "统一社会信用代码", CellType.IDENTIFIER, True, max_length=18, example=EXAMPLE_CREDIT_CODE),
        Column("name", "合作社名称", T, max_length=100, example="烟台市福山区王家夼苹果专业合作社"),
        Column("start_month", "启用期间", CellType.MONTH, example=dt.date(2024, 7, 1)),
    ),
    required=True,
)
ACCOUNTS = Sheet(
    "accounts",
    "科目",
    (
        Column("account_code", "科目编码", T, True, max_length=ACCOUNT_CODE_LENGTH, example="50101"),
        Column("account_name", "科目名称", T, True, max_length=60, example="苹果销售"),
        Column("parent_code", "上级科目编码", T, True, max_length=ACCOUNT_CODE_LENGTH, example="501"),
    ),
)
OPENING = Sheet(
    "opening",
    "期初余额",
    (
        *_account(),
        Column("member_code", "成员编号", T, max_length=MEMBER_CODE_LENGTH, example=None),
        Column("poverty_asset", "是否扶贫项目资产", FLAG, choices=YES_NO, example=None),
        Column("debit", "期初借方余额", M, example=Decimal("86500.00")),
        Column("credit", "期初贷方余额", M, example=None),
    ),
)
VOUCHERS = Sheet(
    "vouchers",
    "凭证",
    (
        Column("date", "日期", D, True, example=dt.date(2024, 7, 5)),
        Column("word", "凭证字", T, max_length=4, example="记"),
        Column("number", "凭证号", N, True, example=1),
        Column("summary", "摘要", T, max_length=200, example="收到苹果货款"),
        *_account(),
        Column("member_code", "成员编号", T, max_length=MEMBER_CODE_LENGTH, example=None),
        Column("counterparty", "往来单位", T, max_length=100, example="烟台鲁果果品有限公司"),
        Column("debit", "借方金额", M, example=Decimal("12000.00")),
        Column("credit", "贷方金额", M, example=None),
        Column("quantity", "数量", Q, example=None),
        Column("unit_price", "单价", Q, example=None),
        Column("attachments", "附单据数", N, example=2),
        Column("poverty_asset", "是否扶贫项目资产", FLAG, choices=YES_NO, example=None),
        Column("product", "产品", T, max_length=100, example=None),
        Column("project", "项目", T, max_length=100, example=None),
    ),
)
SHEETS = (BOOKS, ACCOUNTS, OPENING, VOUCHERS)
# The first sheet of the template (说明): how to fill the workbook.
INSTRUCTIONS: dict[Lang, tuple[str, ...]] = {
    "zh": (
        "使用说明（账簿：期初余额与凭证）",
        "1. “账套”表必填一行：合作社的统一社会信用代码（合作社和成员须已在系统中），启用期间写成 2024-07。",
        "2. “科目”表可选：要增设的明细科目，上级科目编码须已存在或在本表前面的行里，编码以上级编码开头。",
        "3. “期初余额”表：启用期间月初各末级科目的余额，成员往来、应付盈余返还、应付剩余盈余、股金须逐成员填写，"
        "固定资产等须填是否扶贫项目资产。借方合计须等于贷方合计（试算平衡），否则不写入任何数据。"
        "期初余额记为启用期间第一天的一张期初凭证，由会计审核、记账。",
        "4. “凭证”表每行是一条分录；同一月份、同一凭证字和凭证号的各行组成一张凭证，每张凭证借贷相等。"
        "本系统每月的凭证号连续编号、不分凭证字，请从 1 起连续编号。",
        "5. 导入的凭证是草稿，由会计审核、记账。重新导入按凭证号更新：内容相同的不变；改过的草稿被替换；"
        "已审核或已记账的凭证改过时报错（先在账簿中取消审核或红字冲销）。手工录入和业务自动生成的凭证不会被导入修改。",
        "6. 先试导入检查：coop vouchers-import 文件.xlsx --dry-run；有错误时不写入任何数据。",
    ),
    "en": (
        "How to fill this workbook (the books: opening balances and vouchers)",
        "1. The books sheet has one row: the cooperative's credit code (the cooperative and its members must exist), "
        "and the month the books start, as 2024-07.",
        "2. The accounts sheet is optional: detail accounts to add; the parent exists or comes in an earlier row, "
        "and a code starts with its parent's.",
        "3. The opening sheet: the balance of each account that takes bookings at the start of that month, per member "
        "on 114, 221, 222 and 301, and whether from a poverty-relief project on fixed and biological assets. Debits "
        "must equal credits, or nothing is written. The balances become one opening voucher dated the month's first "
        "day, which the accountant audits and posts.",
        "4. The vouchers sheet has one row per voucher line; the rows of one month with the same word and number are "
        "one voucher, and each voucher balances. The books number a month's vouchers 1, 2, 3 … whatever their word.",
        "5. Imported vouchers are drafts for the accountant to audit and post. Importing again updates by number: "
        "the same voucher is left as it is, a changed draft is replaced, a changed audited or posted voucher is "
        "refused (send it back or reverse it in the books first). Vouchers typed by hand or booked from business "
        "events never change by an import.",
        "6. Check first: coop vouchers-import FILE.xlsx --dry-run; nothing is written while there are errors.",
    ),
}
# The notes on the headers of the template: (sheet, column) → (Chinese, English).
NOTES: dict[tuple[str, str], tuple[str, str]] = {
    ("books", "start_month"): (
        "账簿在本系统启用的月份，如 2024-07；填写期初余额时必填。早于它的凭证不能导入。",
        "The month the books start in coopcore, such as 2024-07; required with opening balances. "
        "Vouchers before it cannot be imported.",
    ),
    ("opening", "member_code"): (
        "成员往来(114)、应付盈余返还(221)、应付剩余盈余(222)、股金(301)及其明细科目必填，其他科目不填。",
        "Required on 114, 221, 222 and 301 and their detail accounts; left blank on every other account.",
    ),
    ("vouchers", "number"): (
        "每月从 1 起连续编号，不分凭证字。重新导入时按“月份 + 凭证号”找到已导入的凭证。",
        "1, 2, 3 … in each month, whatever the word. Importing again finds an imported voucher by month and number.",
    ),
    ("vouchers", "member_code"): (
        "成员往来(114)、应付盈余返还(221)、应付剩余盈余(222)、股金(301)及其明细科目必填，其他科目不填。",
        "Required on 114, 221, 222 and 301 and their detail accounts; left blank on every other account.",
    ),
    ("vouchers", "poverty_asset"): (
        "消耗性生物资产(141)、生产性生物资产(142)、固定资产(151)、无形资产(161)必填“是”或“否”，其他科目不填。",
        "是 or 否 on 141, 142, 151 and 161 (from a poverty-relief project or not); blank on every other account.",
    ),
}
