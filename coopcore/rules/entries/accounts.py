"""The accounts of the 2021 chart ([KJ 附录 一 (一)]) that business events book to, by code.

The chart itself is data (coopcore/charts/cooperative_2021.csv); these are the codes the rules name. A cooperative
may add detail accounts under any of them (50101 苹果销售 under 501), so a builder that takes an account accepts
a detail account too and checks it by its first-level code.
"""

from __future__ import annotations

from collections.abc import Collection

from coopcore.errors import InvalidValue

CASH = "101"  # 库存现金
BANK = "102"  # 银行存款
RECEIVABLES = "113"  # 应收款 (non-members)
MEMBER_ACCOUNTS = "114"  # 成员往来
PRODUCTS = "121"  # 产品物资
HELD_FOR_SALE = "128"  # 受托代销商品
INVESTMENTS = "131"  # 对外投资
CONSUMABLE_BIOLOGICAL = "141"  # 消耗性生物资产
PRODUCTIVE_BIOLOGICAL = "142"  # 生产性生物资产
FIXED_ASSETS = "151"  # 固定资产
CONSTRUCTION = "153"  # 在建工程
INTANGIBLES = "161"  # 无形资产 (土地经营权)
AMORTISATION = "162"  # 累计摊销
PAYABLES = "211"  # 应付款 (non-members)
RETURNS_PAYABLE = "221"  # 应付盈余返还
RESIDUAL_PAYABLE = "222"  # 应付剩余盈余
SPECIAL_PAYABLES = "235"  # 专项应付款
SHARE_CAPITAL = "301"  # 股金
SPECIAL_FUND = "311"  # 专项基金
CAPITAL_RESERVE = "321"  # 资本公积
SURPLUS_RESERVE = "322"  # 盈余公积
YEAR_SURPLUS = "331"  # 本年盈余
DISTRIBUTIONS = "33201"  # 盈余分配—各项分配
UNDISTRIBUTED = "33202"  # 盈余分配—未分配盈余
PRODUCTION_COST = "401"  # 生产成本
OPERATING_INCOME = "501"  # 经营收入
INVESTMENT_INCOME = "511"  # 投资收益
OPERATING_EXPENSE = "521"  # 经营支出
ADMIN_EXPENSE = "523"  # 管理费用
OTHER_EXPENSE = "529"  # 其他支出

# Detail ledgers kept per member [KJ 114 五, 221 四, 222 四, 301 八]: a line on them names its member, no other does.
MEMBER_DETAIL = frozenset({MEMBER_ACCOUNTS, RETURNS_PAYABLE, RESIDUAL_PAYABLE, SHARE_CAPITAL})
# Assets split by 是否扶贫项目资产 [KJ 141 九, 142 七, 151 八, 161 五]: a line on them says which, no other does.
POVERTY_SPLIT = frozenset({CONSUMABLE_BIOLOGICAL, PRODUCTIVE_BIOLOGICAL, FIXED_ASSETS, INTANGIBLES})
MONEY = frozenset({CASH, BANK, "109"})  # 109 其他货币资金 (Alipay, WeChat) where a cooperative adds it
# Profit and loss, closed into 331 at the year end [KJ 331 二].
PROFIT_AND_LOSS = frozenset({"501", "502", "511", "521", "522", "523", "524", "529", "531"})


def first_level(code: str) -> str:
    """The first-level account a code belongs to (15101 → 151); the 2021 chart's first-level codes have 3 digits."""
    return code[:3]


WRONG_ACCOUNT = "Account {value} cannot be used here; use {choices} or a detail account under one of them."


def check_account(code: str, allowed: Collection[str]) -> str:
    """Return code if it is one of the allowed first-level accounts or a detail account under one."""
    if not code.isdigit() or first_level(code) not in allowed:
        raise InvalidValue(WRONG_ACCOUNT, value=code, choices=", ".join(sorted(allowed)))
    return code
