"""The domain's vocabulary: every enumeration the rules, the models and every entry point share.

Values are the stable strings stored in the database. The layer sits below the rules (import-linter), so a rule
says `MemberKind.FARMER`, never a copy of the string. What each term is called in Chinese and English lives in
one registry, `coopcore.labels`.
"""

from __future__ import annotations

import enum


class CooperativeStatus(enum.StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    DISSOLVED = "dissolved"


class ProvidentBasis(enum.StrEnum):
    """How the year's provident fund is quantified to members (charter matter, [L-42])."""

    TRANSACTIONS = "transactions"
    CONTRIBUTIONS = "contributions"
    HALF = "half"


class PatronageMeasure(enum.StrEnum):
    """What a member's patronage is measured in ([L-44]; land-share cooperatives use mu, §7.3)."""

    AMOUNT = "amount"
    QUANTITY = "quantity"
    MU = "mu"


class LandGuaranteeTreatment(enum.StrEnum):
    """docs/land.md: view A books the guarantee as a cost; view B capitalises the land."""

    COST = "cost"
    CAPITAL = "capital"


class MemberKind(enum.StrEnum):
    FARMER = "farmer"
    VILLAGE_COLLECTIVE = "village_collective"
    ENTERPRISE = "enterprise"
    INSTITUTION = "institution"
    SOCIAL_ORG = "social_org"
    NON_FARMER = "non_farmer"
    COOPERATIVE = "cooperative"

    @property
    def is_person(self) -> bool:
        """True for natural persons (households and non-farmer individuals)."""
        return self in (MemberKind.FARMER, MemberKind.NON_FARMER)

    @property
    def is_organisation(self) -> bool:
        """True for the units [L-20] limits: enterprises, institutions, social and collective organisations."""
        return self in (
            MemberKind.ENTERPRISE,
            MemberKind.INSTITUTION,
            MemberKind.SOCIAL_ORG,
            MemberKind.VILLAGE_COLLECTIVE,
        )


class AccountEntryKind(enum.StrEnum):
    """The columns of the official 成员账户 form ([KJ 第五十七条]), plus conversions and refunds."""

    CONTRIBUTION_CASH = "contribution_cash"
    CONTRIBUTION_LAND = "contribution_land"
    CONTRIBUTION_IN_KIND = "contribution_in_kind"
    CONTRIBUTION_POVERTY_ASSET = "contribution_poverty_asset"
    PROVIDENT_SHARE = "provident_share"
    SUBSIDY_SHARE = "subsidy_share"
    DONATION_SHARE = "donation_share"
    PATRONAGE_RETURN = "patronage_return"
    RESIDUAL_DISTRIBUTION = "residual_distribution"
    CAPITAL_CONVERSION = "capital_conversion"
    REFUND = "refund"

    @property
    def is_contribution(self) -> bool:
        """True for the four contribution kinds that make up 成员出资."""
        return self.value.startswith("contribution_")


class TradeKind(enum.StrEnum):
    INTAKE = "intake"  # produce delivered to the cooperative (交售)
    SALE = "sale"  # produce sold through the cooperative (代销)
    INPUT_PURCHASE = "input_purchase"  # seeds, fertiliser bought through the cooperative (农资)


class OwedMovement(enum.StrEnum):
    """How a line on 114, 221 or 222 moves what the cooperative owes a household (its member statement, 对账单)."""

    CREDIT = "credit"  # owed more: produce delivered, guaranteed rent, returns declared, money the member paid in
    DEBIT = "debit"  # owed less with no money paid out: inputs bought for the member, a return converted
    PAYMENT = "payment"  # paid out in cash or to the bank: Dr 114/221/222 / Cr 101/102/109


class TradeModel(enum.StrEnum):
    """How a cooperative takes its members' produce ([KJ 121 二; 128 二]): it buys it, or sells it on their behalf."""

    PURCHASE = "purchase"  # 收购: the produce becomes the cooperative's stock (121 产品物资)
    AGENCY = "agency"  # 受托代销: the cooperative holds it for the member until sold (128 受托代销商品)


class IncomeCategory(enum.StrEnum):
    """Profit-and-loss accounts of the 2021 cooperative accounting rules ([KJ 附录 一])."""

    OPERATING_INCOME = "operating_income"  # 501 经营收入
    OTHER_INCOME = "other_income"  # 502 其他收入
    INVESTMENT_INCOME = "investment_income"  # 511 投资收益
    OPERATING_EXPENSE = "operating_expense"  # 521 经营支出
    TAXES = "taxes"  # 522 税金及附加
    ADMIN_EXPENSE = "admin_expense"  # 523 管理费用
    FINANCE_EXPENSE = "finance_expense"  # 524 财务费用
    OTHER_EXPENSE = "other_expense"  # 529 其他支出
    INCOME_TAX = "income_tax"  # 531 所得税费用

    @property
    def account_code(self) -> str:
        """Return the account code of the 2021 chart of accounts."""
        return ACCOUNT_CODES[self]

    @property
    def is_income(self) -> bool:
        """True for the accounts that increase the year's surplus."""
        return self in (
            IncomeCategory.OPERATING_INCOME,
            IncomeCategory.OTHER_INCOME,
            IncomeCategory.INVESTMENT_INCOME,
        )


ACCOUNT_CODES = {
    IncomeCategory.OPERATING_INCOME: "501",
    IncomeCategory.OTHER_INCOME: "502",
    IncomeCategory.INVESTMENT_INCOME: "511",
    IncomeCategory.OPERATING_EXPENSE: "521",
    IncomeCategory.TAXES: "522",
    IncomeCategory.ADMIN_EXPENSE: "523",
    IncomeCategory.FINANCE_EXPENSE: "524",
    IncomeCategory.OTHER_EXPENSE: "529",
    IncomeCategory.INCOME_TAX: "531",
}


class FundSource(enum.StrEnum):
    FISCAL_SUBSIDY = "fiscal_subsidy"  # 国家财政直接补助
    DONATION = "donation"  # 他人捐赠


class FundForm(enum.StrEnum):
    """How special-fund property came to the cooperative (形成方式): it decides the voucher (domain.md §2.4)."""

    ASSET = "asset"  # the property itself was given: Dr asset / Cr 311
    FROM_SUBSIDY = "from_subsidy"  # bought or built with subsidy money held on 235: Dr asset / Cr 102, Dr 235 / Cr 311
    CASH = "cash"  # money donated: Dr 102 / Cr 311


class SpecialPayableKind(enum.StrEnum):
    """A movement of subsidy money on 235 专项应付款 that forms no property (property is a SpecialFund)."""

    RECEIVED = "received"  # 收到财政补助资金
    SPENT = "spent"  # spent on training, information, certification, marketing
    COVERS_EXPENSE = "covers_expense"  # a subsidy arriving after the spending is applied to it (521/523)
    RETURNED = "returned"  # unused money returned


class FiscalYearState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EnterpriseLevel(enum.StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"
    COUNTY = "county"
    NONE = "none"


class PriceRule(enum.StrEnum):
    """docs/contracts.md price clauses of order contracts."""

    FIXED = "fixed"
    PROTECTIVE = "protective"  # 保护价: a minimum price
    MARKET_PLUS = "market_plus"  # 随行就市 + 加价
    HIGHER_OF = "higher_of"  # max(protective, market + premium)


class VillageIncomeCategory(enum.StrEnum):
    """docs/villages.md: only the first three count as 经营性收入."""

    OPERATING = "operating"
    INVESTMENT = "investment"
    RENT = "rent"
    SUBSIDY = "subsidy"
    OTHER = "other"


class Origin(enum.StrEnum):
    """Which path wrote a dated record; a path never removes or rewrites what another path owns.

    An import treats a workbook as the complete record only of the rows that came from workbooks: rows typed
    in the admin or booked by a service are matched when the workbook lists them, and never removed by absence.
    """

    MANUAL = "manual"  # typed in the admin's forms
    WORKBOOK = "workbook"  # imported from a workbook (the cooperative's or the township's village workbook)
    LAND_GUARANTEE = "land_guarantee"  # booked by the land guarantees (and the rent linked into the village)
    DISTRIBUTION = "distribution"  # written by posting or paying a distribution (and the dividends it links)
    EXIT = "exit"  # written by paying a leaver back

    @property
    def is_service(self) -> bool:
        """True for the rows a service booked: nobody but that service changes them."""
        return self not in (Origin.MANUAL, Origin.WORKBOOK)


class PlanStatus(enum.StrEnum):
    FILED = "filed"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    MONITORED = "monitored"


class ProjectKind(enum.StrEnum):
    PARTY_BRANCH_COOPERATIVE = "party_branch_cooperative"
    PROPERTY_LEASE = "property_lease"
    LAND_CONSOLIDATION = "land_consolidation"
    SERVICE = "service"
    ORDER_FARMING = "order_farming"
    TOURISM = "tourism"


class ProjectStatus(enum.StrEnum):
    PLANNED = "planned"
    UNDERWAY = "underway"
    COMPLETED = "completed"
    SUSPENDED = "suspended"


class FundingSource(enum.StrEnum):
    CONNECTION_FUND = "connection_fund"  # 衔接资金
    COLLECTIVE_SUPPORT_FUND = "collective_support_fund"  # 扶持村级集体经济发展资金
    SOCIAL_AID = "social_aid"  # 社会帮扶
    SELF_RAISED = "self_raised"  # 集体自筹


class Role(enum.StrEnum):
    ADMIN = "admin"
    TOWNSHIP_OFFICIAL = "township_official"
    ACCOUNTANT = "accountant"
    SUPERVISOR = "supervisor"


class DistributionState(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    APPROVED = "approved"
    POSTED = "posted"
    PAID = "paid"
    REVERSED = "reversed"


class PaymentMethod(enum.StrEnum):
    CASH = "cash"
    CAPITAL = "capital"  # converted into the member's contribution by assembly resolution [L-44]
    RUN = "run"  # paid through a payment run (付款批次), which books it: coopcore.services.payouts


class PayoutKind(enum.StrEnum):
    """What a payment run (付款批次) pays a household, and the account it pays it out of."""

    RETURNS = "returns"  # 盈余返还, out of 221
    RESIDUAL = "residual"  # 剩余盈余, out of 222
    RENT = "rent"  # guaranteed land rent (保底租金) credited to 成员往来 (114)
    PRODUCE = "produce"  # produce money (交售款) credited to 成员往来 (114)


class PayoutChannel(enum.StrEnum):
    """How a payment run reaches the households: a bank's batch payment (代发) or cash against a signature."""

    BANK = "bank"  # paid out of 102 银行存款
    CASH = "cash"  # paid out of 101 库存现金


class PaymentRunState(enum.StrEnum):
    """A payment run: chosen (its file can be exported) → sent to the bank → settled with the bank's result."""

    DRAFT = "draft"
    SENT = "sent"
    SETTLED = "settled"  # paid lines booked, returned lines open again
    CANCELLED = "cancelled"  # abandoned before it was settled: its lines are free for another run


class PayoutResult(enum.StrEnum):
    """What became of one line of a payment run."""

    PENDING = "pending"
    PAID = "paid"
    RETURNED = "returned"  # the bank sent it back (wrong card, closed account): still owed


class VillageStatus(enum.StrEnum):
    """Where a village stands in a year against the weak line in force and its plan's target (§9.1, §9.3)."""

    EMPTY_SHELL = "empty_shell"  # 空壳村: 经营性收入 at or below the shell line (0 by default)
    WEAK = "weak"  # 薄弱村: below the weak line
    ABOVE_LINE = "above_line"  # at or over the weak line, short of the plan's own target: not yet achieved
    ACHIEVED = "achieved"  # 达标: over the weak line and at the plan's target (if any)
    NOT_REPORTED = "not_reported"  # no income recorded for the year: unknown, not zero


class RiskKind(enum.StrEnum):
    """The risk list of §9.3 that a township official needs without asking."""

    INCOME_FELL = "income_fell"
    MILESTONE_OVERDUE = "milestone_overdue"
    FUNDS_IDLE = "funds_idle"
    OVERSPENT = "overspent"
    TARGET_YEAR_PASSED = "target_year_passed"


class AccountClass(enum.StrEnum):
    """The classes of the 2021 chart ([KJ 附录 一 (一)]): assets to profit and loss."""

    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    COST = "cost"
    INCOME = "income"
    EXPENSE = "expense"


class Side(enum.StrEnum):
    """The side of an entry, and an account's normal balance side."""

    DEBIT = "debit"
    CREDIT = "credit"


class VoucherState(enum.StrEnum):
    """A voucher's way to the books: only a draft changes; a posted voucher is corrected by a reversal."""

    DRAFT = "draft"
    AUDITED = "audited"
    POSTED = "posted"


class PeriodState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class VoucherOrigin(enum.StrEnum):
    """What wrote a voucher: a person, a workbook, or the business event it books (one voucher per event)."""

    MANUAL = "manual"  # typed by an accountant
    WORKBOOK = "workbook"  # imported voucher sheets
    OPENING = "opening"  # opening balances of a cooperative's books (期初)
    INCOME_EXPENSE = "income_expense"  # a 收支 row booked against its 对方科目
    CONTRIBUTION = "contribution"  # a member's contribution or its refund
    TRADE = "trade"  # an intake, a sale on behalf or an input purchase
    LAND_GUARANTEE = "land_guarantee"  # guaranteed land rent owed to a household
    SPECIAL_FUND = "special_fund"  # subsidy or donation
    DISTRIBUTION = "distribution"  # the year's distribution (extraction, returns, residual, close-out)
    PAYMENT = "payment"  # paying returns or residual, or converting them into contributions
    EXIT = "exit"  # paying a leaver back
    FEDERATION = "federation"  # a member cooperative's contribution to its federation (its returns are 收支 rows)
    YEAR_END = "year_end"  # profit and loss carried to 331, and 331 to 332 at the year's close

    @property
    def is_event(self) -> bool:
        """True for vouchers a service books from a business event: they follow the event, not a person."""
        return self not in (VoucherOrigin.MANUAL, VoucherOrigin.WORKBOOK, VoucherOrigin.OPENING)
