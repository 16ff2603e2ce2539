"""The lines of the three statements (会计报表, [KJ 第五十六条; 附录 二]) as data: each line's number, item and
how it is filled from the books. Everything that prints, checks or sums a statement reads these tables.

Items are English message ids; their Chinese, the official wording, is in statements.po. A line reads accounts by
their first-level code (a detail account counts in its parent's line), as debit − credit, or as credit − debit
where `credit` is set (liabilities, equity, income, the contra accounts shown after 减：).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from coopcore.rules.entries.accounts import PROFIT_AND_LOSS

MEMBER_ACCOUNTS = "114"  # 成员往来: its members' debit and credit balances go to lines 2 and 24, never netted
DISTRIBUTION = "332"  # 盈余分配, whose movements fill 02表 lines 14-19


class Fill(enum.StrEnum):
    """How a line is filled beyond adding account balances."""

    MEMBER_DEBITS = "member_debits"  # + the debit balances of 114's members ([KJ 114 六], 01表 编制说明 (2))
    MEMBER_CREDITS = "member_credits"  # + the credit balances of 114's members (01表 编制说明 (18))
    OPENING_UNDISTRIBUTED = "opening_undistributed"  # 01表 line 40 at the start of the year (02表 编制说明 (12))


@dataclass(frozen=True)
class Distributed:
    """A 02表 line read from the distribution's vouchers (those that book to 332): what they book on `account`,
    its credits (or its debits where not `credit`), as written (a red reversal negative)."""

    account: str
    credit: bool = True


@dataclass(frozen=True)
class Line:
    """One line of a statement: its number (行次), its item, and how it is filled."""

    number: int
    item: str
    accounts: tuple[str, ...] = ()
    credit: bool = False
    adds: tuple[int, ...] = ()
    subtracts: tuple[int, ...] = ()
    fill: Fill | None = None
    distributed: Distributed | None = None
    heading: str = ""  # the section heading printed above the line (流动资产：)
    total: bool = False  # a subtotal or total, printed in bold


# 资产负债表 (会农社01表): 期末余额 and 年初余额. Line 3 adds 122 包装物, which a cooperative may add as part of
# 产品物资 (附录 一 注, 01表 编制说明 (3): 存货 includes 包装物); line 40 adds profit and loss not yet carried into
# 331, so that a month-end sheet balances before December's close carries it.
BALANCE_SHEET: tuple[Line, ...] = (
    Line(1, "Monetary funds", ("101", "102", "109"), heading="Current assets:"),
    Line(2, "Receivables and advances", ("113",), fill=Fill.MEMBER_DEBITS),
    Line(3, "Inventories", ("121", "122", "124", "125", "127", "128", "401")),
    Line(4, "Consumable biological assets", ("141",)),
    Line(5, "Total current assets", adds=(1, 2, 3, 4), total=True),
    Line(6, "Outside investments", ("131",), heading="Non-current assets:"),
    Line(7, "Productive biological assets at cost", ("142",)),
    Line(8, "Less: accumulated depreciation (biological assets)", ("143",), credit=True),
    Line(9, "Productive biological assets, net", adds=(7,), subtracts=(8,)),
    Line(10, "Fixed assets at cost", ("151",)),
    Line(11, "Less: accumulated depreciation", ("152",), credit=True),
    Line(12, "Fixed assets, net", adds=(10,), subtracts=(11,)),
    Line(13, "Construction in progress", ("153",)),
    Line(14, "Fixed assets in disposal", ("154",)),  # a credit balance shows negative (编制说明 (10))
    Line(15, "Fixed assets subtotal", adds=(12, 13, 14)),
    Line(16, "Intangible assets at cost", ("161",)),
    Line(17, "Less: accumulated amortisation", ("162",), credit=True),
    Line(18, "Intangible assets, net", adds=(16,), subtracts=(17,)),
    Line(19, "Public-welfare biological assets", ("144",)),
    Line(20, "Long-term deferred expenses", ("171",)),
    Line(21, "Total non-current assets", adds=(6, 9, 15, 18, 19, 20), total=True),
    Line(22, "Total assets", adds=(5, 21), total=True),
    Line(23, "Short-term borrowings", ("201",), credit=True, heading="Current liabilities:"),
    Line(24, "Payables and receipts in advance", ("211",), credit=True, fill=Fill.MEMBER_CREDITS),
    Line(25, "Wages payable", ("212",), credit=True),
    Line(26, "Labour fees payable", ("213",), credit=True),
    Line(27, "Taxes payable", ("214",), credit=True),  # a debit balance shows negative (编制说明 (21))
    Line(28, "Interest payable", ("215",), credit=True),
    Line(29, "Surplus returns payable", ("221",), credit=True),
    Line(30, "Residual surplus payable", ("222",), credit=True),
    Line(31, "Total current liabilities", adds=(23, 24, 25, 26, 27, 28, 29, 30), total=True),
    Line(32, "Long-term borrowings", ("231",), credit=True, heading="Non-current liabilities:"),
    Line(33, "Special payables", ("235",), credit=True),
    Line(34, "Total non-current liabilities", adds=(32, 33), total=True),
    Line(35, "Total liabilities", adds=(31, 34), total=True),
    Line(36, "Share capital", ("301",), credit=True, heading="Owners' equity:"),
    Line(37, "Special fund", ("311",), credit=True),
    Line(38, "Capital reserve", ("321",), credit=True),
    Line(39, "Surplus reserve", ("322",), credit=True),
    # 编制说明 (34): 本年盈余 and 盈余分配; an uncovered loss shows negative.
    Line(40, "Undistributed surplus", ("331", DISTRIBUTION, *sorted(PROFIT_AND_LOSS)), credit=True),
    Line(41, "Total owners' equity", adds=(36, 37, 38, 39, 40), total=True),
    Line(42, "Total liabilities and owners' equity", adds=(35, 41), total=True),
)
ASSETS_END = 22  # lines 1-22 are the left half of the form, 23-42 the right
Place = Line | str | None  # a place on the form: a line, a section heading (流动资产：), or a blank


def balance_sheet_rows() -> list[tuple[Place, Place]]:
    """01表 as the form lays it out: assets on the left, liabilities and owners' equity on the right, each section
    heading on a row of its own; the right half leaves a row blank before 所有者权益, so that 资产总计 and
    负债和所有者权益总计 share the bottom row."""

    def half(lines: tuple[Line, ...]) -> list[Place]:
        places: list[Place] = []
        for line in lines:
            places += [line.heading, line] if line.heading else [line]
        return places

    left, right = half(BALANCE_SHEET[:ASSETS_END]), half(BALANCE_SHEET[ASSETS_END:])
    last_heading = max(index for index, place in enumerate(right) if isinstance(place, str))
    right[last_heading:last_heading] = [None] * (len(left) - len(right))
    return list(zip(left, right, strict=True))


# 盈余及盈余分配表 (会农社02表): 本年金额 and 上年金额. Lines 1-11 are the year's movements of profit and loss
# (without the vouchers that carry them into 331); 14-19 the distribution's vouchers (§2.4).
SURPLUS_STATEMENT: tuple[Line, ...] = (
    Line(1, "I. Operating income", ("501",), credit=True),
    Line(2, "Add: investment income", ("511",), credit=True),  # a loss shows negative
    Line(3, "Less: operating expenses", ("521",)),
    Line(4, "Taxes and surcharges", ("522",)),
    Line(5, "Administrative expenses", ("523",)),
    Line(6, "Finance expenses", ("524",)),
    Line(7, "II. Operating surplus", adds=(1, 2), subtracts=(3, 4, 5, 6), total=True),
    Line(8, "Add: other income", ("502",), credit=True),
    Line(9, "Less: other expenses", ("529",)),
    Line(10, "III. Total surplus", adds=(7, 8), subtracts=(9,), total=True),
    Line(11, "Less: income tax expense", ("531",)),
    Line(12, "IV. Surplus of the year", adds=(10,), subtracts=(11,), total=True),
    Line(13, "Add: undistributed surplus at the start of the year", fill=Fill.OPENING_UNDISTRIBUTED),
    # [KJ 332 二]: a loss covered by the provident fund, Dr 322 / Cr 332—未分配盈余 (322's debits).
    Line(14, "Other transfers in", distributed=Distributed("322", credit=False)),
    # [KJ 322 二; 332 三]: Dr 332—各项分配 / Cr 322 (322's credits).
    Line(15, "Less: surplus reserve extracted", distributed=Distributed("322")),
    Line(16, "V. Distributable surplus", adds=(12, 13, 14), subtracts=(15,), total=True),
    Line(17, "Less: surplus returned", distributed=Distributed("221")),  # [KJ 221 二; 332 四]
    Line(18, "Residual surplus distributed", distributed=Distributed("222")),  # [KJ 222 二; 332 五]
    # [KJ 332 六]: converted as part of the distribution (§15 rule 25b); a return converted later is 221 → 301.
    Line(19, "Converted into member contributions", distributed=Distributed("301")),
    Line(20, "VI. Undistributed surplus at the end of the year", adds=(16,), subtracts=(17, 18, 19), total=True),
)


@dataclass(frozen=True)
class Column:
    """A column of 成员权益变动表: its key in the public JSON, its heading, its 01表 line."""

    key: str
    item: str
    line: int


@dataclass(frozen=True)
class SubItem:
    """A "其中" sub-item of 成员权益变动表 (03表): part of a column's increase or decrease.

    It takes the column account's movements in the vouchers that also book `counter` on `counter_side` ("debit",
    "credit", or "" for either), or the 02表 `line`; `rest` takes what the column's other sub-items leave.
    `subsidy` also takes the vouchers of property from a direct fiscal subsidy (booked straight to 311).
    """

    column: str
    increase: bool
    key: str
    item: str
    counter: str = ""
    counter_side: str = "debit"
    line: int | None = None
    rest: bool = False
    subsidy: bool = False


EQUITY_COLUMNS: tuple[Column, ...] = (
    Column("share_capital", "Share capital", 36),
    Column("special_fund", "Special fund", 37),
    Column("capital_reserve", "Capital reserve", 38),
    Column("surplus_reserve", "Surplus reserve", 39),
    Column("undistributed", "Undistributed surplus", 40),
)
TOTAL = "total"
EQUITY_ROWS = ("opening", "increase", "decrease", "closing")

# The sub-items of the form (PDF p. 91), in its order; domain.md §2.3.
EQUITY_SUB_ITEMS: tuple[SubItem, ...] = (
    SubItem("share_capital", True, "from_capital_reserve", "Transferred from capital reserve", "321"),
    SubItem("share_capital", True, "from_surplus_reserve", "Transferred from surplus reserve", "322"),
    SubItem("share_capital", True, "member_contributions", "Contributions added by members", rest=True),
    SubItem("share_capital", False, "member_withdrawals", "Contributions reduced by members", rest=True),
    SubItem("special_fund", True, "fiscal_subsidy", "Formed by direct fiscal subsidies", "235", subsidy=True),
    SubItem("special_fund", True, "donations", "Formed by donations received", rest=True),
    SubItem("capital_reserve", True, "share_premium", "Share premium", "301", "credit"),
    SubItem("capital_reserve", True, "revaluation", "Asset revaluation gains", rest=True),
    SubItem("capital_reserve", False, "converted", "Converted into member contributions", "301", "credit"),
    SubItem("surplus_reserve", True, "extracted", "Extracted from surplus", DISTRIBUTION, ""),
    SubItem("surplus_reserve", False, "converted", "Converted into member contributions", "301", "credit"),
    SubItem("surplus_reserve", False, "loss_covered", "Used to cover losses", DISTRIBUTION, ""),
    SubItem("undistributed", True, "year_surplus", "Surplus of the year", line=12),
    SubItem("undistributed", True, "other_transfers", "Other transfers in", line=14),
    SubItem("undistributed", False, "surplus_reserve", "Surplus reserve extracted", line=15),
    SubItem("undistributed", False, "surplus_returned", "Surplus returned to members", line=17),
    SubItem("undistributed", False, "residual_distributed", "Residual surplus distributed", line=18),
    SubItem("undistributed", False, "converted", "Converted into member contributions", line=19),
)
COLUMN_ACCOUNTS = {"share_capital": "301", "special_fund": "311", "capital_reserve": "321", "surplus_reserve": "322"}


def accounts_read(lines: tuple[Line, ...]) -> frozenset[str]:
    """The first-level accounts a statement's lines read."""
    found = {code for line in lines for code in line.accounts}
    if any(line.fill in (Fill.MEMBER_DEBITS, Fill.MEMBER_CREDITS) for line in lines):
        found.add(MEMBER_ACCOUNTS)
    return frozenset(found)
