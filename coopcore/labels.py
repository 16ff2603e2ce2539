"""What every term of `coopcore.terms` is called: one registry for the CLI, the admin, the reports and workbooks.

Each value has one English label, which is also its translation key; the Chinese is in
`coopcore/i18n/locale/zh_CN/LC_MESSAGES/terms.po`. Labels are kept per enumeration, not per value: two
enumerations may store the same string (PlanStatus.ACHIEVED and VillageStatus.ACHIEVED are both "achieved") and
still be called differently (已摘帽, 已达标).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

from coopcore.errors import Term
from coopcore.i18n import Lang, translate
from coopcore.terms import (
    AccountClass,
    AccountEntryKind,
    CooperativeStatus,
    DistributionState,
    EnterpriseLevel,
    FiscalYearState,
    FundForm,
    FundingSource,
    FundSource,
    IncomeCategory,
    LandGuaranteeTreatment,
    MemberKind,
    Origin,
    OwedMovement,
    PatronageMeasure,
    PaymentMethod,
    PaymentRunState,
    PayoutChannel,
    PayoutKind,
    PayoutResult,
    PeriodState,
    PlanStatus,
    PriceRule,
    ProjectKind,
    ProjectStatus,
    ProvidentBasis,
    RiskKind,
    Role,
    Side,
    SpecialPayableKind,
    TradeKind,
    TradeModel,
    VillageIncomeCategory,
    VillageStatus,
    VoucherOrigin,
    VoucherState,
)


def _table(labels: Mapping[enum.Enum, str]) -> dict[str, str]:
    return {str(value.value): text for value, text in labels.items()}


LABELS: dict[type[enum.Enum], dict[str, str]] = {
    CooperativeStatus: _table(
        {
            CooperativeStatus.ACTIVE: "Active",
            CooperativeStatus.DORMANT: "Dormant",
            CooperativeStatus.DISSOLVED: "Dissolved",
        }
    ),
    ProvidentBasis: _table(
        {
            ProvidentBasis.TRANSACTIONS: "By transactions",
            ProvidentBasis.CONTRIBUTIONS: "By contributions",
            ProvidentBasis.HALF: "Half by transactions, half by contributions",
        }
    ),
    PatronageMeasure: _table(
        {
            PatronageMeasure.AMOUNT: "Transaction amount",
            PatronageMeasure.QUANTITY: "Transaction quantity",
            PatronageMeasure.MU: "Land shares (mu × days)",
        }
    ),
    LandGuaranteeTreatment: _table(
        {
            LandGuaranteeTreatment.COST: "Booked as a cost",
            LandGuaranteeTreatment.CAPITAL: "Capitalised as the land contribution",
        }
    ),
    MemberKind: _table(
        {
            MemberKind.FARMER: "Farmer",
            MemberKind.VILLAGE_COLLECTIVE: "Village collective",
            MemberKind.ENTERPRISE: "Enterprise",
            MemberKind.INSTITUTION: "Public institution",
            MemberKind.SOCIAL_ORG: "Social organisation",
            MemberKind.NON_FARMER: "Non-farmer individual",
            MemberKind.COOPERATIVE: "Member cooperative",
        }
    ),
    AccountEntryKind: _table(
        {
            AccountEntryKind.CONTRIBUTION_CASH: "Cash contribution",
            AccountEntryKind.CONTRIBUTION_LAND: "Land-right contribution",
            AccountEntryKind.CONTRIBUTION_IN_KIND: "Contribution in kind",
            AccountEntryKind.CONTRIBUTION_POVERTY_ASSET: "Poverty-alleviation asset contribution",
            AccountEntryKind.PROVIDENT_SHARE: "Provident-fund share",
            AccountEntryKind.SUBSIDY_SHARE: "Subsidy share",
            AccountEntryKind.DONATION_SHARE: "Donation share",
            AccountEntryKind.PATRONAGE_RETURN: "Patronage return",
            AccountEntryKind.RESIDUAL_DISTRIBUTION: "Residual distribution",
            AccountEntryKind.CAPITAL_CONVERSION: "Converted into contribution",
            AccountEntryKind.REFUND: "Refund of contribution",
        }
    ),
    OwedMovement: _table(
        {
            OwedMovement.CREDIT: "Credited",
            OwedMovement.DEBIT: "Charged",
            OwedMovement.PAYMENT: "Paid out",
        }
    ),
    TradeKind: _table(
        {
            TradeKind.INTAKE: "Intake",
            TradeKind.SALE: "Sale on behalf",
            TradeKind.INPUT_PURCHASE: "Input purchase",
        }
    ),
    TradeModel: _table(
        {
            TradeModel.PURCHASE: "Purchase model: the cooperative buys the produce",
            TradeModel.AGENCY: "Agency model: the cooperative sells on the member's behalf",
        }
    ),
    IncomeCategory: _table(
        {
            IncomeCategory.OPERATING_INCOME: "501 Operating income",
            IncomeCategory.OTHER_INCOME: "502 Other income",
            IncomeCategory.INVESTMENT_INCOME: "511 Investment income",
            IncomeCategory.OPERATING_EXPENSE: "521 Operating expense",
            IncomeCategory.TAXES: "522 Taxes and surcharges",
            IncomeCategory.ADMIN_EXPENSE: "523 Administrative expense",
            IncomeCategory.FINANCE_EXPENSE: "524 Finance expense",
            IncomeCategory.OTHER_EXPENSE: "529 Other expense",
            IncomeCategory.INCOME_TAX: "531 Income tax",
        }
    ),
    FundSource: _table(
        {
            FundSource.FISCAL_SUBSIDY: "Direct fiscal subsidy",
            FundSource.DONATION: "Donation",
        }
    ),
    FundForm: _table(
        {
            FundForm.ASSET: "Property received as it is",
            FundForm.FROM_SUBSIDY: "Bought or built with subsidy money (235)",
            FundForm.CASH: "Money donated",
        }
    ),
    SpecialPayableKind: _table(
        {
            SpecialPayableKind.RECEIVED: "Subsidy money received",
            SpecialPayableKind.SPENT: "Spent on training, information, certification or marketing",
            SpecialPayableKind.COVERS_EXPENSE: "Applied to spending already booked",
            SpecialPayableKind.RETURNED: "Unused money returned",
        }
    ),
    FiscalYearState: _table(
        {
            FiscalYearState.OPEN: "Open",
            FiscalYearState.CLOSED: "Closed",
        }
    ),
    EnterpriseLevel: _table(
        {
            EnterpriseLevel.NATIONAL: "national leading enterprise",
            EnterpriseLevel.PROVINCIAL: "provincial leading enterprise",
            EnterpriseLevel.MUNICIPAL: "municipal leading enterprise",
            EnterpriseLevel.COUNTY: "county leading enterprise",
            EnterpriseLevel.NONE: "not recognised",
        }
    ),
    PriceRule: _table(
        {
            PriceRule.FIXED: "fixed price",
            PriceRule.PROTECTIVE: "protective price",
            PriceRule.MARKET_PLUS: "market price plus premium",
            PriceRule.HIGHER_OF: "protective floor or market plus premium",
        }
    ),
    VillageIncomeCategory: _table(
        {
            VillageIncomeCategory.OPERATING: "Business income",
            VillageIncomeCategory.INVESTMENT: "Investment income",
            VillageIncomeCategory.RENT: "Rent and contracting income",
            VillageIncomeCategory.SUBSIDY: "Subsidy income",
            VillageIncomeCategory.OTHER: "Other income",
        }
    ),
    Origin: _table(
        {
            Origin.MANUAL: "Entered by hand",
            Origin.WORKBOOK: "Imported from a workbook",
            Origin.LAND_GUARANTEE: "Booked by the system: guaranteed land rent",
            Origin.DISTRIBUTION: "Booked by the system: surplus distribution",
            Origin.EXIT: "Booked by the system: exit settlement",
        }
    ),
    PlanStatus: _table(
        {
            PlanStatus.FILED: "filed",
            PlanStatus.IN_PROGRESS: "in progress",
            PlanStatus.ACHIEVED: "achieved (plan)",
            PlanStatus.MONITORED: "monitored",
        }
    ),
    ProjectKind: _table(
        {
            ProjectKind.PARTY_BRANCH_COOPERATIVE: "Party-branch-led cooperative",
            ProjectKind.PROPERTY_LEASE: "Property lease",
            ProjectKind.LAND_CONSOLIDATION: "Land consolidation",
            ProjectKind.SERVICE: "Services",
            ProjectKind.ORDER_FARMING: "Order farming",
            ProjectKind.TOURISM: "Rural tourism",
        }
    ),
    ProjectStatus: _table(
        {
            ProjectStatus.PLANNED: "Planned",
            ProjectStatus.UNDERWAY: "Underway",
            ProjectStatus.COMPLETED: "Completed",
            ProjectStatus.SUSPENDED: "Suspended",
        }
    ),
    FundingSource: _table(
        {
            FundingSource.CONNECTION_FUND: "connection fund",
            FundingSource.COLLECTIVE_SUPPORT_FUND: "village collective economy support fund",
            FundingSource.SOCIAL_AID: "social assistance",
            FundingSource.SELF_RAISED: "self-raised by the collective",
        }
    ),
    Role: _table(
        {
            Role.ADMIN: "Administrator",
            Role.TOWNSHIP_OFFICIAL: "Township official",
            Role.ACCOUNTANT: "Cooperative accountant",
            Role.SUPERVISOR: "Supervisor",
        }
    ),
    # The stored values are the msgids the distribution's messages already share (草案, 已公示, …).
    DistributionState: _table({state: state.value for state in DistributionState}),
    PaymentMethod: _table(
        {
            PaymentMethod.CASH: "Paid in cash",
            PaymentMethod.CAPITAL: "Converted into contribution",
            PaymentMethod.RUN: "Paid in a payment run",
        }
    ),
    PayoutKind: _table(
        {
            PayoutKind.RETURNS: "Patronage returns",
            PayoutKind.RESIDUAL: "Residual surplus",
            PayoutKind.RENT: "Guaranteed land rent",
            PayoutKind.PRODUCE: "Produce money",
        }
    ),
    PayoutChannel: _table({PayoutChannel.BANK: "Bank batch", PayoutChannel.CASH: "Cash against signature"}),
    PaymentRunState: _table(
        {
            PaymentRunState.DRAFT: "Chosen",
            PaymentRunState.SENT: "Sent to the bank",
            PaymentRunState.SETTLED: "Result recorded",
            PaymentRunState.CANCELLED: "Cancelled",
        }
    ),
    PayoutResult: _table(
        {PayoutResult.PENDING: "Awaiting result", PayoutResult.PAID: "Paid", PayoutResult.RETURNED: "Returned"}
    ),
    VillageStatus: _table(
        {
            VillageStatus.EMPTY_SHELL: "empty shell",
            VillageStatus.WEAK: "weak",
            VillageStatus.ABOVE_LINE: "over the line, short of target",
            VillageStatus.ACHIEVED: "target reached",
            VillageStatus.NOT_REPORTED: "not reported",
        }
    ),
    RiskKind: _table(
        {
            RiskKind.INCOME_FELL: "income fell",
            RiskKind.MILESTONE_OVERDUE: "behind schedule",
            RiskKind.FUNDS_IDLE: "idle funds",
            RiskKind.OVERSPENT: "overspent",
            RiskKind.TARGET_YEAR_PASSED: "target year passed",
        }
    ),
    AccountClass: _table(
        {
            AccountClass.ASSET: "Assets",
            AccountClass.LIABILITY: "Liabilities",
            AccountClass.EQUITY: "Owners' equity",
            AccountClass.COST: "Costs",
            AccountClass.INCOME: "Income",
            AccountClass.EXPENSE: "Expenses",
        }
    ),
    Side: _table({Side.DEBIT: "Debit", Side.CREDIT: "Credit"}),
    VoucherState: _table(
        {
            VoucherState.DRAFT: "Draft voucher",
            VoucherState.AUDITED: "Audited",
            VoucherState.POSTED: "Posted",
        }
    ),
    PeriodState: _table({PeriodState.OPEN: "Period open", PeriodState.CLOSED: "Period closed"}),
    VoucherOrigin: _table(
        {
            VoucherOrigin.MANUAL: "Voucher entered by hand",
            VoucherOrigin.WORKBOOK: "Voucher imported from a workbook",
            VoucherOrigin.OPENING: "Opening balances",
            VoucherOrigin.INCOME_EXPENSE: "Booked from an income or expense row",
            VoucherOrigin.CONTRIBUTION: "Booked from a contribution",
            VoucherOrigin.TRADE: "Booked from a trade",
            VoucherOrigin.LAND_GUARANTEE: "Booked from guaranteed land rent",
            VoucherOrigin.SPECIAL_FUND: "Booked from a subsidy or donation",
            VoucherOrigin.DISTRIBUTION: "Booked from the distribution",
            VoucherOrigin.PAYMENT: "Booked from a payment",
            VoucherOrigin.EXIT: "Booked from an exit settlement",
            VoucherOrigin.FEDERATION: "Booked from a contribution to a federation",
            VoucherOrigin.YEAR_END: "Year-end carry-forward",
        }
    ),
}


def msgid(value: enum.Enum) -> str:
    """The English label of a term, which is also its translation key."""
    return LABELS[type(value)][str(value.value)]


def label(value: enum.Enum, lang: Lang) -> str:
    """What a term is called in a language."""
    return translate(msgid(value), lang)


def term(value: enum.Enum) -> Term:
    """A term as a message field: translated with the message it fills."""
    return Term(msgid(value))


def options(values: Iterable[enum.Enum], lang: Lang) -> list[tuple[str, str]]:
    """(stored value, label) for a choice list, in the order given."""
    return [(str(value.value), label(value, lang)) for value in values]
